"""Fast FIT reader: ``decode_fit`` (messages as NumPy columns) and ``read_fit`` (an Activity).

The hot path is ours and vectorised (see ``docs/fit-reader.md``): framing walks the
record headers once in Python (:mod:`.fit_frame`), then each definition's messages are
decoded in one NumPy structured view (:mod:`.fit_decode`), a message kind on first
access, with the message and field definitions of the official ``garmin_fit_sdk``
profile (:mod:`.fit_profile`).
:mod:`.fit_activity` turns the decoded messages into the shared
:class:`~stridelab.activities.model.Activity` (SI units, cadence in steps/min).

Example::

    fit = decode_fit(Path("run.fit"))
    fit.messages["record"]["heart_rate"]        # float64 array, NaN where missing
    activity = read_fit(Path("run.fit"))        # sessions, laps, Samples in SI units
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from stridelab.activities.model import Activity
from stridelab.activities.readers.fit_decode import (
    DeveloperField,
    FitField,
    FitMessages,
    MessageTables,
)
from stridelab.activities.readers.fit_frame import BadRecord, CrcCheck, FitDecodeWarning, frame
from stridelab.errors import FitDecodeError

__all__ = [
    "BadRecord",
    "CrcCheck",
    "DeveloperField",
    "FitDecodeWarning",
    "FitField",
    "FitFile",
    "FitMessages",
    "decode_fit",
    "read_fit",
]


@dataclass(frozen=True, eq=False)
class FitFile:
    """A decoded FIT file: every message kind as columns, keyed by profile name.

    ``messages`` decodes a kind the first time it is read (the file is fully framed and
    CRC-checked already, so no error can surface later).

    ``warnings`` lists what a lenient policy let through (CRC mismatch, a bad record and
    where decoding stopped); it is empty for a clean file.
    """

    messages: Mapping[str, FitMessages]
    developer_fields: tuple[DeveloperField, ...] = ()
    warnings: tuple[str, ...] = ()
    streams: int = 1
    protocol_version: int | None = None
    profile_version: int | None = None
    size_bytes: int = 0
    source_path: str | None = None

    def get(self, name: str) -> FitMessages | None:
        """The messages of one kind (``"record"``, ``"session"``...), or None if absent."""
        return self.messages.get(name)


def _load(data: bytes | bytearray | memoryview | Path | str) -> tuple[bytes, str | None]:
    if isinstance(data, Path | str):
        path = Path(data)
        try:
            return path.read_bytes(), str(path)
        except OSError as error:
            raise FitDecodeError(
                f"cannot read the file ({error.strerror})",
                path=path,
                hint="Check the path and that you may read it",
            ) from error
    return bytes(data), None


def decode_fit(
    data: bytes | bytearray | memoryview | Path | str,
    *,
    crc: CrcCheck = CrcCheck.RAISE,
    bad_record: BadRecord = BadRecord.RAISE,
    path: str | Path | None = None,
) -> FitFile:
    """Decode a FIT file (bytes or a path) into columns per message kind.

    Raises :class:`~stridelab.errors.UnsupportedFormatError` when the bytes are not FIT,
    :class:`~stridelab.errors.FitCrcError` on a CRC mismatch (``crc=CrcCheck.RAISE``) and
    :class:`~stridelab.errors.FitDecodeError` (with the byte offset) on a truncated or
    malformed stream (``bad_record=BadRecord.RAISE``); the lenient policies keep what was
    read and list the problem in :attr:`FitFile.warnings`.
    """
    raw, source = _load(data)
    source = str(path) if path is not None else source
    framing = frame(raw, path=source, crc=crc, bad_record=bad_record)
    messages = MessageTables(framing)
    return FitFile(
        messages=messages,
        developer_fields=tuple(messages.registry.values()),
        warnings=tuple(framing.warnings),
        streams=framing.streams,
        protocol_version=framing.protocol_version,
        profile_version=framing.profile_version,
        size_bytes=len(raw),
        source_path=source,
    )


def read_fit(
    data: bytes | bytearray | memoryview | Path | str,
    *,
    crc: CrcCheck = CrcCheck.RAISE,
    bad_record: BadRecord = BadRecord.RAISE,
    path: str | Path | None = None,
) -> Activity:
    """Read a FIT activity into the shared :class:`~stridelab.activities.model.Activity`."""
    from stridelab.activities.readers.fit_activity import activity_from_fit

    raw, source = _load(data)
    source = str(path) if path is not None else source
    fit = decode_fit(raw, crc=crc, bad_record=bad_record, path=source)
    return activity_from_fit(fit, raw)
