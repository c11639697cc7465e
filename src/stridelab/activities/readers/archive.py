"""Export archives: a Strava bulk export or a Garmin Connect export, streamed member by member.

Nothing is unpacked to disk: :func:`iter_archive` opens the zip with :mod:`zipfile` and
yields one :class:`ArchiveEntry` (name and raw bytes) per activity file, reading each
member only when the caller asks for the next one. Nested zips (Garmin Connect puts
its original FIT uploads in ``DI_CONNECT/DI-Connect-Uploaded-Files/*.zip``) are opened
the same way, in memory when small, by seeking inside the outer member when large.

Strava's ``activities.csv`` is read first; its row for a file (``Filename`` column)
becomes the entry's ``metadata`` (activity id, name, type, date).
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO, Final

from stridelab.errors import UnsupportedFormatError

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
#: A member larger than this is skipped as not an activity (no watch file is that big).
MAX_MEMBER_BYTES: Final = 256 * 1024 * 1024
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
    """One activity file inside an archive: where it is and its raw (maybe gzip) bytes."""

    archive: str
    member: str
    data: bytes
    metadata: Mapping[str, str] = field(default_factory=dict)

    @property
    def name(self) -> str:
        """``archive.zip!member/path.fit.gz``: how errors and the store name it."""
        return f"{self.archive}!{self.member}"


def is_archive(path: str | Path) -> bool:
    """Whether ``path`` is a zip file (judged by content)."""
    try:
        with open(path, "rb") as handle:
            return handle.read(4) == b"PK\x03\x04"
    except OSError:
        return False


def _strava_index(archive: zipfile.ZipFile) -> dict[str, dict[str, str]]:
    """``activities.csv`` rows keyed by their ``Filename`` (``activities/123.fit.gz``)."""
    names = [n for n in archive.namelist() if PurePosixPath(n).name == _STRAVA_INDEX]
    if not names:
        return {}
    with archive.open(names[0]) as raw:
        text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
        index: dict[str, dict[str, str]] = {}
        for row in csv.DictReader(text):
            filename = (row.get("Filename") or "").strip()
            if filename:
                index[filename] = {
                    out: row[key].strip() for key, out in _STRAVA_KEYS.items() if row.get(key)
                }
        return index


def _walk(archive: zipfile.ZipFile, label: str, prefix: str, depth: int) -> Iterator[ArchiveEntry]:
    index = _strava_index(archive)
    for info in archive.infolist():
        if info.is_dir():
            continue
        lowered = info.filename.lower()
        member = f"{prefix}{info.filename}"
        if lowered.endswith(".zip") and depth < MAX_NESTING:
            yield from _nested(archive, info, label, member, depth)
        elif lowered.endswith(ACTIVITY_SUFFIXES) and info.file_size <= MAX_MEMBER_BYTES:
            with archive.open(info) as handle:
                data = handle.read()
            yield ArchiveEntry(label, member, data, index.get(info.filename, {}))


def _nested(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, label: str, member: str, depth: int
) -> Iterator[ArchiveEntry]:
    with archive.open(info) as handle:
        # A large nested zip is read by seeking inside the member (slow, but bounded memory).
        small = info.file_size <= MAX_IN_MEMORY_ZIP_BYTES
        source: IO[bytes] = io.BytesIO(handle.read()) if small else handle
        try:
            inner = zipfile.ZipFile(source)
        except zipfile.BadZipFile:
            return  # a damaged nested zip holds nothing we can read; the rest goes on
        with inner:
            yield from _walk(inner, label, f"{member}!", depth + 1)


def iter_archive(path: str | Path) -> Iterator[ArchiveEntry]:
    """Yield every activity file in a Strava or Garmin Connect export zip, one at a time.

    Raises :class:`UnsupportedFormatError` when ``path`` is not a readable zip.
    """
    label = str(path)
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise UnsupportedFormatError(
            f"not a readable zip archive ({exc})", path=label, hint="Download the export again"
        ) from None
    with archive:
        yield from _walk(archive, label, "", 0)
