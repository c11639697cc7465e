"""Bad FIT input: each kind of damage raises one specific error (and never anything else).

The damaged files are made here from the project's own encoder; the fuzzing finds kept
in ``tests/invalid/fit`` are named ``<ExpectedError>-<what>.fit``.
"""

from __future__ import annotations

import contextlib
import struct
import warnings
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fit_fixtures import easy_run_bytes
from stridelab import errors
from stridelab.activities.readers.fit import (
    BadRecord,
    CrcCheck,
    FitDecodeWarning,
    decode_fit,
    read_fit,
)
from stridelab.activities.readers.fit_encode import FitEncoder, fit_header
from stridelab.activities.readers.fit_profile import crc16
from stridelab.errors import (
    ActivityFileError,
    EmptyActivityError,
    FitCrcError,
    FitDecodeError,
    UnsupportedFormatError,
)

INVALID_DIR = Path(__file__).parent / "invalid" / "fit"
GOOD = easy_run_bytes(40)


def _with_crc(body: bytes) -> bytes:
    """A file around ``body`` with correct header and file CRCs."""
    head = fit_header(len(body))
    crc = crc16(np.frombuffer(head + body, dtype=np.uint8))
    return head + body + struct.pack("<H", crc)


def _undefined_local() -> bytes:
    encoder = FitEncoder()
    encoder.write("file_id", {"type": "activity", "manufacturer": "development"})
    body = encoder.to_bytes()[14:-2] + bytes([0x0B]) + b"\x00" * 4  # local 11 never defined
    return _with_crc(body)


def _no_records() -> bytes:
    encoder = FitEncoder()
    encoder.write("file_id", {"type": "settings", "manufacturer": "development"})
    return encoder.to_bytes()


def _claiming(data: bytes, data_size: int) -> bytes:
    """``data`` with a header that claims ``data_size`` bytes (header CRC made consistent)."""
    head = data[:4] + struct.pack("<I", data_size) + data[8:12]
    return head + struct.pack("<H", crc16(np.frombuffer(head, dtype=np.uint8))) + data[14:]


def _flip(data: bytes, index: int) -> bytes:
    return data[:index] + bytes([data[index] ^ 0x5A]) + data[index + 1 :]


BAD_FILES: dict[str, tuple[bytes, type[Exception]]] = {
    "empty": (b"", FitDecodeError),
    "random bytes": (
        bytes(np.random.default_rng(3).integers(0, 256, 500, dtype=np.uint8)),
        UnsupportedFormatError,
    ),
    "png": (b"\x89PNG\r\n\x1a\n" + b"\0" * 64, UnsupportedFormatError),
    "gpx text": (
        b'<?xml version="1.0"?><gpx version="1.1"><trk></trk></gpx>',
        UnsupportedFormatError,
    ),
    "header only": (GOOD[:14], FitDecodeError),
    "cut in the header": (GOOD[:10], UnsupportedFormatError),
    "truncated": (GOOD[: len(GOOD) // 2], FitDecodeError),
    "missing file crc": (GOOD[:-2], FitDecodeError),
    "file crc corrupted": (GOOD[:-1] + bytes([GOOD[-1] ^ 0xFF]), FitCrcError),
    "record byte corrupted": (_flip(GOOD, len(GOOD) - 40), FitCrcError),
    "header crc corrupted": (_flip(GOOD, 12), FitCrcError),
    "header claims more data": (_claiming(GOOD, len(GOOD)), FitDecodeError),
    "undefined local message": (_undefined_local(), FitDecodeError),
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_each_bad_file_raises_its_error(name: str) -> None:
    data, expected = BAD_FILES[name]
    with pytest.raises(expected) as raised:
        read_fit(data, path=f"{name}.fit")
    assert type(raised.value) is expected
    assert f"{name}.fit" in str(raised.value)


def test_header_claiming_less_data_is_a_crc_error() -> None:
    """A shorter data size puts the CRC in the middle of the records: it cannot match."""
    with pytest.raises(FitCrcError):
        decode_fit(_claiming(GOOD, len(GOOD) - 14 - 2 - 30))


def test_errors_carry_the_offset() -> None:
    with pytest.raises(FitDecodeError) as raised:
        decode_fit(_undefined_local(), path="x.fit")
    assert raised.value.offset == len(_undefined_local()) - 2 - 5
    assert raised.value.path == "x.fit"
    assert "undefined local message 11" in str(raised.value)


def test_a_file_without_records_is_empty() -> None:
    with pytest.raises(EmptyActivityError):
        read_fit(_no_records())
    file_id = decode_fit(_no_records()).get("file_id")
    assert file_id is not None
    assert list(file_id["type"]) == ["settings"]


def test_missing_file_is_a_decode_error(tmp_path: Path) -> None:
    with pytest.raises(FitDecodeError, match="cannot read"):
        read_fit(tmp_path / "nope.fit")


@pytest.mark.parametrize("path", sorted(INVALID_DIR.glob("*.fit")), ids=lambda p: p.name)
def test_kept_fuzzing_finds(path: Path) -> None:
    """Inputs that once crashed the decoder: the named error by default, no crash leniently."""
    expected = getattr(errors, path.name.split("-", 1)[0])
    with pytest.raises(expected) as raised:
        read_fit(path)
    assert type(raised.value) is expected
    data = path.read_bytes()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FitDecodeWarning)
        for crc in CrcCheck:
            for policy in BadRecord:
                with contextlib.suppress(ActivityFileError):
                    read_fit(data, crc=crc, bad_record=policy)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    cut=st.integers(0, len(GOOD)),
    flips=st.lists(st.tuples(st.integers(0, len(GOOD) - 1), st.integers(1, 255)), max_size=6),
    crc=st.sampled_from(list(CrcCheck)),
    policy=st.sampled_from(list(BadRecord)),
)
def test_damaged_files_raise_only_our_errors(
    cut: int, flips: list[tuple[int, int]], crc: CrcCheck, policy: BadRecord
) -> None:
    """Any damage (flipped bytes, a cut) gives a result or an ActivityFileError, never a crash."""
    data = bytearray(GOOD)
    for index, mask in flips:
        data[index] ^= mask
    damaged = bytes(data[:cut] if cut else data)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FitDecodeWarning)
        with contextlib.suppress(ActivityFileError):
            read_fit(damaged, crc=crc, bad_record=policy)


def test_kept_fuzzing_finds_are_all_there() -> None:
    """The parametrised test above runs once per file: none may go missing unnoticed."""
    names = sorted(p.name for p in INVALID_DIR.glob("*.fit"))
    assert len(names) >= 7, names
    assert "FitDecodeError-fuzz-salvage-no-timestamps.fit" in names


def test_salvaged_file_without_usable_timestamps_is_empty_not_index_error() -> None:
    """Fuzzer find: salvage kept a record definition whose data all fell after the damage
    (once ``IndexError: index 0 is out of bounds``)."""
    from stridelab.activities.readers import DamagedFile, read_activity_bytes

    data = (INVALID_DIR / "FitDecodeError-fuzz-salvage-no-timestamps.fit").read_bytes()
    with pytest.raises(EmptyActivityError, match="no record message has a usable timestamp"):
        read_activity_bytes(data, "find.fit", damaged=DamagedFile.SALVAGE)
