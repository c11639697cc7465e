"""Read any watch file into an :class:`~stridelab.activities.model.Activity`.

:func:`read_activity` looks at the bytes, not only the name: a FIT header carries
``.FIT`` at byte 8, TCX and GPX are XML whose root is ``TrainingCenterDatabase`` or
``gpx``, gzip starts with ``1f 8b`` (decompressed in memory, then detected again), and
a zip is an export archive (read those with :func:`iter_archive`). The content hash
(``Activity.content_sha256``) is taken over the decompressed bytes, so ``run.fit`` and
``run.fit.gz`` are the same activity.
"""

from __future__ import annotations

import copy
import gzip
import re
import zlib
from enum import Enum
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from stridelab.activities.model import Activity, FileFormat, content_sha256
from stridelab.activities.readers.fit import BadRecord, CrcCheck, read_fit
from stridelab.activities.readers.limits import MAX_ACTIVITY_FILE_BYTES, read_file_bytes
from stridelab.errors import (
    ActivityFileError,
    EmptyActivityError,
    UnsupportedFormatError,
    XmlActivityError,
)

if TYPE_CHECKING:
    from stridelab.activities.readers.archive import ArchiveEntry, is_archive, iter_archive

__all__ = [
    "MAX_DECOMPRESSED_BYTES",
    "ArchiveEntry",
    "DamagedFile",
    "content_sha256",
    "decompress",
    "detect_format",
    "is_archive",
    "iter_archive",
    "read_activity",
    "read_activity_bytes",
]

#: A gzip member may expand to at most this much: the largest plausible activity file
#: (see :mod:`~stridelab.activities.readers.limits`), so a decompression bomb stops early.
MAX_DECOMPRESSED_BYTES: Final = MAX_ACTIVITY_FILE_BYTES
_GZIP_MAGIC: Final = b"\x1f\x8b"
_XML_ROOT_RE: Final = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(TrainingCenterDatabase|gpx)[\s>/]")
_SNIFF_BYTES: Final = 4096
_EXTENSION_FORMATS: Final[dict[str, FileFormat]] = {
    ".fit": FileFormat.FIT,
    ".tcx": FileFormat.TCX,
    ".gpx": FileFormat.GPX,
}


def _inner_suffix(name: str) -> str:
    lowered = name.lower()
    if lowered.endswith(".gz"):
        lowered = lowered[:-3]
    return Path(lowered).suffix


def decompress(data: bytes, name: str) -> bytes:
    """Undo gzip (possibly nested twice), or return ``data`` unchanged."""
    for _ in range(2):
        if not data.startswith(_GZIP_MAGIC):
            return data
        try:
            decoder = zlib.decompressobj(wbits=31)
            out = decoder.decompress(data, MAX_DECOMPRESSED_BYTES)
            if decoder.unconsumed_tail:
                raise UnsupportedFormatError(
                    f"gzip content expands beyond {MAX_DECOMPRESSED_BYTES // 2**20} MiB",
                    path=name,
                    hint="This is not a watch file",
                )
            if not decoder.eof:
                raise UnsupportedFormatError(
                    "truncated gzip file", path=name, hint="Download or export it again"
                )
        except (zlib.error, gzip.BadGzipFile) as exc:
            raise UnsupportedFormatError(
                f"corrupt gzip data ({exc})", path=name, hint="Download or export it again"
            ) from None
        data = out
    return data


def _is_fit(data: bytes) -> bool:
    return len(data) >= 12 and data[0] in (12, 14) and data[8:12] == b".FIT"


def detect_format(data: bytes, name: str = "<bytes>") -> FileFormat:
    """The format of already-decompressed ``data``, from its content first, then its name.

    Raises :class:`EmptyActivityError` for an empty file, :class:`UnsupportedFormatError`
    for anything that is neither FIT, TCX nor GPX (a zip archive included).
    """
    if not data.strip(b" \t\r\n\x00"):
        raise EmptyActivityError("the file is empty", path=name, hint="Export the activity again")
    if _is_fit(data):
        return FileFormat.FIT
    head = data[:_SNIFF_BYTES].lstrip(b"\xef\xbb\xbf \t\r\n")
    match = _XML_ROOT_RE.search(head)
    if match is not None:
        return FileFormat.TCX if match.group(1) == b"TrainingCenterDatabase" else FileFormat.GPX
    if data.startswith(b"PK\x03\x04"):
        raise UnsupportedFormatError(
            "this is a zip archive, not a single activity",
            path=name,
            hint="Import it with `stridelab import` (Strava and Garmin exports are supported)",
        )
    by_name = _EXTENSION_FORMATS.get(_inner_suffix(name))
    if by_name is FileFormat.FIT:
        return FileFormat.FIT  # the FIT reader names what is wrong with the header
    if by_name is not None or head.startswith(b"<"):
        raise XmlActivityError(
            "XML that is neither TCX (<TrainingCenterDatabase>) nor GPX (<gpx>)"
            if head.startswith(b"<")
            else f"the content is not XML although the name ends in {by_name}",
            path=name,
            hint="Export the activity again as FIT, TCX or GPX",
        )
    raise UnsupportedFormatError(
        "not a FIT, TCX or GPX file (content not recognised)",
        path=name,
        hint="Export the activity from your watch or app as FIT, TCX or GPX",
    )


def _named(exc: ActivityFileError, name: str) -> ActivityFileError:
    """``exc`` with the file name in its message (readers fed bytes may not know it)."""
    if exc.path is not None:
        return exc
    named = copy.copy(exc)
    named.path = name
    named.message = f"{name}: {exc.message}"
    named.args = (str(named),)
    return named


class DamagedFile(Enum):
    """What to do with a FIT file that is damaged part-way (truncated, bad CRC, bad record).

    ``REJECT`` raises the typed error (the default: a damaged file is never analysed
    silently). ``SALVAGE`` keeps every message read before the damage and lists the
    problem in ``Activity.metadata["decode_warnings"]`` (CLI: ``--salvage``).
    """

    REJECT = "reject"
    SALVAGE = "salvage"


def read_activity_bytes(
    data: bytes,
    name: str = "<bytes>",
    *,
    damaged: DamagedFile = DamagedFile.REJECT,
    sha256: str | None = None,
) -> Activity:
    """Decode one activity from bytes (gzip allowed); ``name`` appears in errors.

    ``sha256`` is :func:`content_sha256` of the decompressed bytes when the caller has
    already taken it (the store does, to skip duplicates before decoding).
    """
    data = decompress(data, name)
    sha256 = sha256 or content_sha256(data)
    file_format = detect_format(data, name)
    # The XML readers (lxml) load only for XML: reading a FIT file does without them.
    if file_format is FileFormat.TCX:
        from stridelab.activities.readers.tcx import read_tcx_bytes

        return read_tcx_bytes(data, name, sha256=sha256)
    if file_format is FileFormat.GPX:
        from stridelab.activities.readers.gpx import read_gpx_bytes

        return read_gpx_bytes(data, name, sha256=sha256)
    lenient = damaged is DamagedFile.SALVAGE
    try:
        return read_fit(
            data,
            path=name,
            crc=CrcCheck.IGNORE if lenient else CrcCheck.RAISE,
            bad_record=BadRecord.IGNORE if lenient else BadRecord.RAISE,
            sha256=sha256,
        )
    except ActivityFileError as exc:
        raise _named(exc, name) from None


def read_activity(path: str | Path, *, damaged: DamagedFile = DamagedFile.REJECT) -> Activity:
    """Read a FIT, TCX or GPX file (optionally ``.gz``), detecting the format from content."""
    location = Path(path)
    return read_activity_bytes(read_file_bytes(location), str(location), damaged=damaged)


def __getattr__(name: str) -> Any:
    # Export archives (zipfile, csv) load on first use, like the XML readers.
    if name in {"ArchiveEntry", "is_archive", "iter_archive"}:
        return getattr(import_module("stridelab.activities.readers.archive"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
