"""Export archives: a Strava bulk export or a Garmin Connect export, streamed member by member.

Nothing is unpacked to disk: :func:`iter_archive` opens the zip with :mod:`zipfile` and
yields one :class:`ArchiveEntry` (name and raw bytes) per activity file, reading each
member only when the caller asks for the next one. Nested zips (Garmin Connect puts
its original FIT uploads in ``DI_CONNECT/DI-Connect-Uploaded-Files/*.zip``) are opened
the same way, in memory when small, by seeking inside the outer member when large.

Strava's ``activities.csv`` is read first; its row for a file (``Filename`` column)
becomes the entry's ``metadata`` (activity id, name, type, date).

Each member is its own unit: one that cannot be read (bad CRC, damaged deflate data, a
size that lies, encryption, a compression method :mod:`zipfile` lacks, an oversized or
non-UTF-8 ``activities.csv``) is yielded as an entry whose ``error`` says why, and the
members after it are read as usual.
"""

from __future__ import annotations

import csv
import io
import zipfile
import zlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO, Final

from stridelab.activities.readers.limits import MAX_ACTIVITY_FILE_BYTES, open_regular_file
from stridelab.errors import ActivityFileError, UnsupportedFormatError

__all__ = [
    "ACTIVITY_SUFFIXES",
    "MAX_MEMBER_BYTES",
    "MAX_NESTING",
    "ArchiveEntry",
    "is_archive",
    "iter_archive",
]

#: Member names (lower case) that hold one activity.
ACTIVITY_SUFFIXES: Final = (".fit", ".tcx", ".gpx", ".fit.gz", ".tcx.gz", ".gpx.gz")
#: A member larger than this fails as not an activity (no watch file is that big).
MAX_MEMBER_BYTES: Final = MAX_ACTIVITY_FILE_BYTES
#: Strava's ``activities.csv`` holds one ~2 KiB row per activity; 64 MiB is ~30,000 rows.
MAX_INDEX_BYTES: Final = 64 * 1024 * 1024
#: Nested zips held in memory up to this size; larger ones are read by seeking.
MAX_IN_MEMORY_ZIP_BYTES: Final = 64 * 1024 * 1024
#: How deep zips inside zips are followed.
MAX_NESTING: Final = 2
_STRAVA_INDEX: Final = "activities.csv"
_STRAVA_KEYS: Final[dict[str, str]] = {
    "Activity ID": "strava_activity_id",
    "Activity Name": "activity_name",
    "Activity Type": "activity_type",
    "Activity Date": "activity_date",
}


@dataclass(frozen=True)
class ArchiveEntry:
    """One activity file inside an archive: where it is and its raw (maybe gzip) bytes.

    ``error`` is set (and ``data`` empty) when the member could not be read out of the zip.
    """

    archive: str
    member: str
    data: bytes
    metadata: Mapping[str, str] = field(default_factory=dict)
    error: ActivityFileError | None = None

    @property
    def name(self) -> str:
        """``archive.zip!member/path.fit.gz``: how errors and the store name it."""
        return f"{self.archive}!{self.member}"


def is_archive(path: str | Path) -> bool:
    """Whether ``path`` is a regular zip file (judged by content)."""
    try:
        with open_regular_file(path) as handle:
            return handle.read(4) == b"PK\x03\x04"
    except (OSError, ActivityFileError):
        return False


#: What :mod:`zipfile` raises for one unreadable member: bad CRC or size (BadZipFile),
#: damaged deflate/bzip2/lzma data, encryption (RuntimeError), an unknown compression
#: method such as 93 (zstd) or 99 (AES) (NotImplementedError), a stream cut short.
_MEMBER_ERRORS: Final = (
    zipfile.BadZipFile,
    zlib.error,
    RuntimeError,
    EOFError,
    ValueError,
    OSError,
)


def _member_problem(info: zipfile.ZipInfo, exc: BaseException) -> str:
    if isinstance(exc, NotImplementedError):
        return f"compression method {info.compress_type} is not supported"
    if info.flag_bits & 0x1:
        return "the member is encrypted"
    return f"damaged zip member ({exc})"


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> bytes:
    """The member's bytes, at most ``limit``; raises ``_MEMBER_ERRORS`` or ValueError."""
    if info.file_size > limit:
        raise ValueError(f"it claims {info.file_size} bytes, more than {limit} allowed")
    if info.flag_bits & 0x1:
        raise RuntimeError("encrypted")
    with archive.open(info) as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise ValueError(f"it expands beyond {limit} bytes")
    return data


def _failed(label: str, member: str, info: zipfile.ZipInfo, exc: BaseException) -> ArchiveEntry:
    error = UnsupportedFormatError(
        _member_problem(info, exc),
        path=f"{label}!{member}",
        hint="Export the archive again; the other members are read as usual",
    )
    return ArchiveEntry(label, member, b"", error=error)


def _parse_index(data: bytes) -> dict[str, dict[str, str]]:
    text = io.StringIO(data.decode("utf-8-sig"), newline="")
    index: dict[str, dict[str, str]] = {}
    for row in csv.DictReader(text):
        filename = (row.get("Filename") or "").strip()
        if filename:
            index[filename] = {
                out: row[key].strip() for key, out in _STRAVA_KEYS.items() if row.get(key)
            }
    return index


def _strava_index(
    archive: zipfile.ZipFile, label: str, prefix: str
) -> tuple[dict[str, dict[str, str]], ArchiveEntry | None]:
    """``activities.csv`` rows keyed by their ``Filename`` (``activities/123.fit.gz``).

    An unreadable index gives no metadata and a failed entry naming it (its activities
    are still imported, without Strava's names).
    """
    infos = [i for i in archive.infolist() if PurePosixPath(i.filename).name == _STRAVA_INDEX]
    if not infos:
        return {}, None
    info = infos[0]
    try:
        return _parse_index(_read_member(archive, info, MAX_INDEX_BYTES)), None
    except UnicodeDecodeError:
        problem: BaseException = ValueError("it is not UTF-8 text")
    except csv.Error as exc:
        problem = ValueError(f"it is not valid CSV ({exc})")
    except _MEMBER_ERRORS as exc:
        problem = exc
    return {}, _failed(label, f"{prefix}{info.filename}", info, problem)


def _walk(archive: zipfile.ZipFile, label: str, prefix: str, depth: int) -> Iterator[ArchiveEntry]:
    index, index_failure = _strava_index(archive, label, prefix)
    if index_failure is not None:
        yield index_failure
    for info in archive.infolist():
        if info.is_dir():
            continue
        lowered = info.filename.lower()
        member = f"{prefix}{info.filename}"
        if lowered.endswith(".zip") and depth < MAX_NESTING:
            yield from _nested(archive, info, label, member, depth)
        elif lowered.endswith(ACTIVITY_SUFFIXES):
            try:
                data = _read_member(archive, info, MAX_MEMBER_BYTES)
            except _MEMBER_ERRORS as exc:
                yield _failed(label, member, info, exc)
                continue
            yield ArchiveEntry(label, member, data, index.get(info.filename, {}))


def _nested(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, label: str, member: str, depth: int
) -> Iterator[ArchiveEntry]:
    # A large nested zip is read by seeking inside the member (slow, but bounded memory).
    try:
        if info.file_size <= MAX_IN_MEMORY_ZIP_BYTES:
            source: IO[bytes] = io.BytesIO(_read_member(archive, info, MAX_IN_MEMORY_ZIP_BYTES))
        else:
            source = archive.open(info)
        inner = zipfile.ZipFile(source)
    except _MEMBER_ERRORS as exc:
        yield _failed(label, member, info, exc)  # the rest of the outer zip goes on
        return
    with source, inner:
        yield from _walk(inner, label, f"{member}!", depth + 1)


def iter_archive(path: str | Path) -> Iterator[ArchiveEntry]:
    """Yield every activity file in a Strava or Garmin Connect export zip, one at a time.

    Raises :class:`UnsupportedFormatError` when ``path`` is not a readable zip.
    """
    label = str(path)
    with open_regular_file(path) as handle:
        try:
            archive = zipfile.ZipFile(handle)
        except (zipfile.BadZipFile, OSError, ValueError) as exc:
            raise UnsupportedFormatError(
                f"not a readable zip archive ({exc})", path=label, hint="Download the export again"
            ) from None
        with archive:
            yield from _walk(archive, label, "", 0)
