"""Uploads: size limits, accepted formats, hashing, and names that never become paths."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stridelab.coach.uploads import UploadKind, safe_suffix, store_upload
from stridelab.errors import InputError, PayloadTooLargeError, UnsupportedFormatError


def test_stored_by_content_hash(tmp_path: Path) -> None:
    data = b"FIT bytes" * 1000
    stored = store_upload(io.BytesIO(data), "My Run.FIT", tmp_path, UploadKind.ACTIVITY, 10**6)
    assert (
        stored.path == (tmp_path / "uploads" / f"{hashlib.sha256(data).hexdigest()}.fit").resolve()
    )
    assert stored.path.read_bytes() == data
    assert stored.display_name == "My Run.FIT"
    again = store_upload([data[:10], data[10:]], "copy.fit", tmp_path, UploadKind.ACTIVITY, 10**6)
    assert again.path == stored.path
    assert len(list((tmp_path / "uploads").iterdir())) == 1


def test_limits_and_formats_keep_nothing(tmp_path: Path) -> None:
    with pytest.raises(PayloadTooLargeError):
        store_upload([b"x" * 600, b"x" * 600], "a.fit", tmp_path, UploadKind.ACTIVITY, 1000)
    with pytest.raises(InputError, match="empty"):
        store_upload([], "a.gpx", tmp_path, UploadKind.ACTIVITY, 1000)
    with pytest.raises(UnsupportedFormatError):
        store_upload([b"x"], "a.mp4", tmp_path, UploadKind.ACTIVITY, 1000)
    with pytest.raises(UnsupportedFormatError):
        store_upload([b"x"], "a.fit", tmp_path, UploadKind.VIDEO, 1000)
    assert list((tmp_path / "uploads").iterdir()) == []


def test_suffixes() -> None:
    assert safe_suffix("export_123.zip", UploadKind.ACTIVITY) == ".zip"
    assert safe_suffix("run.FIT.gz", UploadKind.ACTIVITY) == ".fit.gz"
    assert safe_suffix("C:\\Users\\me\\clip.MOV", UploadKind.VIDEO) == ".mov"
    with pytest.raises(UnsupportedFormatError):
        safe_suffix(".fit", UploadKind.ACTIVITY)


@settings(max_examples=80, deadline=None)
@given(st.text(min_size=0, max_size=60))
def test_any_name_stays_inside_the_data_folder(
    tmp_path_factory: pytest.TempPathFactory, name: str
) -> None:
    folder = tmp_path_factory.mktemp("uploads")
    try:
        stored = store_upload([b"data"], name + ".gpx", folder, UploadKind.ACTIVITY, 100)
    except UnsupportedFormatError:
        return
    assert stored.path.parent == (folder / "uploads").resolve()
    assert stored.path.name == f"{hashlib.sha256(b'data').hexdigest()}.gpx"
    assert "\n" not in stored.display_name and "/" not in stored.display_name
