"""Hostile export archives: one damaged member is reported failed, the others are stored.

Each archive is built here by :mod:`zipfile` from runs written by the project's own
writers, then one member is damaged in place the way the audit found them in the wild.
Exit codes of ``stridelab import``: 0 all stored, 1 some failed, 2 none; a bug is 70.
"""

from __future__ import annotations

import io
import json
import struct
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest

from activity_writers import START, synthetic_run, write_gpx, write_tcx
from stridelab.activities.readers import iter_archive
from stridelab.activities.readers.archive import MAX_INDEX_BYTES
from stridelab.cli import EXIT_INTERNAL_ERROR, main

_CSV = (
    "Activity ID,Activity Date,Activity Name,Activity Type,Filename\n"
    '1,"May 4, 2024",First,Run,activities/1.tcx\n'
    '2,"May 5, 2024",Second,Run,activities/2.gpx\n'
    '3,"May 6, 2024",Third,Run,activities/3.tcx\n'
)
DAMAGED = "activities/1.tcx"


def _export(csv_text: str | bytes = _CSV) -> bytearray:
    runs = [synthetic_run(seconds=600 + 60 * d, start=START + timedelta(days=d)) for d in range(3)]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("activities.csv", csv_text)
        archive.writestr(DAMAGED, write_tcx(runs[0]))
        archive.writestr("activities/2.gpx", write_gpx(runs[1]))
        archive.writestr("activities/3.tcx", write_tcx(runs[2]))
    return bytearray(buffer.getvalue())


def _offsets(raw: bytearray, member: str) -> tuple[int, int]:
    """(central directory entry, start of compressed data) of ``member``."""
    info = zipfile.ZipFile(io.BytesIO(bytes(raw))).getinfo(member)
    local = info.header_offset
    name_len, extra_len = struct.unpack("<HH", raw[local + 26 : local + 30])
    central = raw.find(b"PK\x01\x02" + raw[local + 4 : local + 6])
    while raw[central + 46 : central + 46 + len(member)] != member.encode():
        central = raw.find(b"PK\x01\x02", central + 1)
    return central, local + 30 + name_len + extra_len


def _damage(raw: bytearray, how: str) -> bytes:
    central, data = _offsets(raw, DAMAGED)
    if how == "bad CRC":
        raw[central + 16 : central + 20] = b"\x00\x00\x00\x00"
    elif how == "damaged deflate":
        raw[data : data + 4] = b"\xff\xff\xff\xff"
    elif how == "lying size":
        raw[central + 24 : central + 28] = struct.pack("<I", 10)
    elif how == "encrypted":
        raw[central + 8] |= 0x1
    else:  # a compression method number: 93 zstd, 99 AES
        raw[central + 10 : central + 12] = struct.pack("<H", int(how))
    return bytes(raw)


def _import(tmp_path: Path, data: bytes, capsys: pytest.CaptureFixture[str]) -> tuple[int, dict]:
    path = tmp_path / "export.zip"
    path.write_bytes(data)
    code = main(["import", str(path), "--db", str(tmp_path / "runs.db"), "--json"])
    return code, json.loads(capsys.readouterr().out)


@pytest.mark.parametrize(
    ("how", "reason"),
    [
        ("bad CRC", "Bad CRC-32"),
        ("damaged deflate", "invalid"),
        ("lying size", "Bad CRC-32"),
        ("encrypted", "encrypted"),
        ("93", "compression method 93 is not supported"),
        ("99", "compression method 99 is not supported"),
    ],
)
def test_one_damaged_member_fails_and_the_others_are_stored(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], how: str, reason: str
) -> None:
    code, summary = _import(tmp_path, _damage(_export(), how), capsys)
    assert code == 1
    assert summary["imported"] == 2
    (failure,) = summary["failed"]
    assert failure["name"].endswith(f"export.zip!{DAMAGED}")
    assert reason in failure["reason"]


def test_iter_archive_yields_the_damaged_member_with_its_error(tmp_path: Path) -> None:
    path = tmp_path / "export.zip"
    path.write_bytes(_damage(_export(), "93"))
    entries = list(iter_archive(path))
    assert [(e.member, e.error is None) for e in entries] == [
        (DAMAGED, False),
        ("activities/2.gpx", True),
        ("activities/3.tcx", True),
    ]
    assert entries[0].data == b""
    assert entries[2].metadata["activity_name"] == "Third"


def test_non_utf8_index_fails_alone_and_runs_are_kept_without_names(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, summary = _import(tmp_path, bytes(_export(_CSV.encode("utf-16"))), capsys)
    assert code == 1
    assert summary["imported"] == 3
    (failure,) = summary["failed"]
    assert failure["name"].endswith("export.zip!activities.csv")
    assert "not UTF-8" in failure["reason"]


def test_oversized_index_is_refused_without_reading_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    raw = _export()
    central, _ = _offsets(raw, "activities.csv")
    raw[central + 24 : central + 28] = struct.pack("<I", MAX_INDEX_BYTES + 1)
    code, summary = _import(tmp_path, bytes(raw), capsys)
    assert code == 1
    assert summary["imported"] == 3
    (failure,) = summary["failed"]
    assert f"more than {MAX_INDEX_BYTES} allowed" in failure["reason"]


def test_every_member_damaged_is_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(DAMAGED, write_tcx(synthetic_run(seconds=300)))
    code, summary = _import(tmp_path, _damage(bytearray(buffer.getvalue()), "99"), capsys)
    assert (code, summary["imported"], len(summary["failed"])) == (2, 0, 1)


def test_a_bug_is_exit_70_not_some_failed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A reader bug (not a StridelabError) is its own exit code with one line, no traceback."""
    from stridelab.store import importer

    def broken(*_args: object, **_kwargs: object) -> None:
        raise IndexError("list index out of range")

    monkeypatch.setattr(importer, "read_activity_bytes", broken)  # one file: decoded here
    path = tmp_path / "run.tcx"
    path.write_bytes(write_tcx(synthetic_run(seconds=300)))
    code = main(["import", str(path), "--db", str(tmp_path / "runs.db")])
    err = capsys.readouterr().err
    assert code == EXIT_INTERNAL_ERROR
    assert "internal error: IndexError: list index out of range" in err
    assert "Traceback" not in err
