"""Fast FIT reader: ``decode_fit`` (messages as NumPy columns) and ``read_fit`` (an Activity).

The hot path is ours and vectorised (see ``docs/fit-reader.md``): framing walks the
record headers once in Python (:mod:`.fit_frame`), then each definition's messages are
decoded in one NumPy structured view (:mod:`.fit_decode`), a message kind on first
access, with the message and field definitions of the official ``garmin_fit_sdk``
profile (:mod:`.fit_profile`).
:mod:`.fit_activity` turns the decoded messages into the shared
:class:`~stridelab.activities.model.Activity` (SI units, cadence in steps/min).

The layers only look down: frame (:mod:`.fit_frame`) → decode (:mod:`.fit_decode`,
which also holds :class:`FitFile` and :func:`decode_fit`) → interpret
(:mod:`.fit_activity`); this module is the front door over all three.

Example::

    fit = decode_fit(Path("run.fit"))
    fit.messages["record"]["heart_rate"]        # float64 array, NaN where missing
    activity = read_fit(Path("run.fit"))        # sessions, laps, Samples in SI units
"""

from __future__ import annotations

from pathlib import Path

from stridelab.activities.model import Activity, content_sha256
from stridelab.activities.readers.fit_activity import activity_from_fit
from stridelab.activities.readers.fit_decode import (
    DeveloperField,
    FitField,
    FitFile,
    FitMessages,
    decode_fit,
    load_fit_bytes,
)
from stridelab.activities.readers.fit_frame import BadRecord, CrcCheck, FitDecodeWarning

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


def read_fit(
    data: bytes | bytearray | memoryview | Path | str,
    *,
    crc: CrcCheck = CrcCheck.RAISE,
    bad_record: BadRecord = BadRecord.RAISE,
    path: str | Path | None = None,
    sha256: str | None = None,
) -> Activity:
    """Read a FIT activity into the shared :class:`~stridelab.activities.model.Activity`.

    ``sha256`` is the file's content hash when the caller already took it (an import
    hashes each file once, before decoding); otherwise it is taken here.
    """
    raw, source = load_fit_bytes(data)
    source = str(path) if path is not None else source
    fit = decode_fit(raw, crc=crc, bad_record=bad_record, path=source)
    return activity_from_fit(fit, sha256 or content_sha256(raw))
