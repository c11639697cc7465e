"""Uploaded files: size-limited, stored by content hash, never outside the data directory.

The name a browser sends is untrusted: only its extension survives, checked against a
list of what each upload kind accepts, and the file is stored as
``<data_dir>/uploads/<sha256>.<ext>``. The bytes are streamed to a temporary file in the
same folder while counting and hashing, then renamed into place atomically, so two
uploads of the same file end as one file and a half-written upload is never seen.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import BinaryIO, Final

from stridelab.errors import InputError, PayloadTooLargeError, UnsupportedFormatError

__all__ = [
    "ACCEPTED_SUFFIXES",
    "CHUNK_BYTES",
    "DEFAULT_MAX_ACTIVITY_BYTES",
    "DEFAULT_MAX_VIDEO_BYTES",
    "StoredUpload",
    "UploadKind",
    "UploadSink",
    "find_upload",
    "safe_suffix",
    "store_upload",
]

#: Largest watch file or export archive accepted (a Strava bulk export of years of runs).
DEFAULT_MAX_ACTIVITY_BYTES: Final = 512 * 1024 * 1024
#: Largest drill video accepted (a minute of phone video at high bit rate).
DEFAULT_MAX_VIDEO_BYTES: Final = 300 * 1024 * 1024
CHUNK_BYTES: Final = 1024 * 1024
UPLOAD_FOLDER: Final = "uploads"


class UploadKind(StrEnum):
    """What an upload is for; decides which extensions are accepted."""

    ACTIVITY = "activity"
    VIDEO = "video"


#: Accepted suffixes per kind, longest first so ``.fit.gz`` wins over ``.gz``.
ACCEPTED_SUFFIXES: Final[dict[UploadKind, tuple[str, ...]]] = {
    UploadKind.ACTIVITY: (
        ".fit.gz",
        ".tcx.gz",
        ".gpx.gz",
        ".fit",
        ".tcx",
        ".gpx",
        ".zip",
    ),
    UploadKind.VIDEO: (".mp4", ".mov", ".m4v", ".avi", ".webm", ".mkv"),
}
#: Control characters never belong in a name shown to people.
_CONTROL_RE: Final = re.compile(r"[\x00-\x1f\x7f]+")


@dataclass(frozen=True)
class StoredUpload:
    """An upload safely on disk."""

    path: Path
    sha256: str
    size_bytes: int
    suffix: str
    display_name: str


def safe_suffix(filename: str, kind: UploadKind) -> str:
    """The accepted suffix of ``filename`` (lower case), or :class:`UnsupportedFormatError`."""
    base = filename.replace("\\", "/").rsplit("/", 1)[-1].lower().strip()
    for suffix in ACCEPTED_SUFFIXES[kind]:
        if base.endswith(suffix) and len(base) > len(suffix):
            return suffix
    accepted = ", ".join(ACCEPTED_SUFFIXES[kind])
    raise UnsupportedFormatError(
        f"{base[-60:]!r} is not an accepted {kind.value} file",
        hint=f"Upload one of: {accepted}.",
    )


def _display_name(filename: str) -> str:
    """The name to show: the last path component, without control characters. It is only
    ever shown (escaped), never used as a path: the stored file is named by its hash."""
    base = filename.replace("\\", "/").rsplit("/", 1)[-1]
    return _CONTROL_RE.sub("", base).strip()[:120] or "upload"


class UploadSink:
    """Receives an upload chunk by chunk (for async servers), then files it by hash.

    ``write`` raises :class:`PayloadTooLargeError` past ``max_bytes``; call ``abort`` on any
    error so the partial file goes away (``finish`` and ``abort`` are idempotent).
    """

    def __init__(self, filename: str, data_dir: Path, kind: UploadKind, max_bytes: int) -> None:
        self.suffix = safe_suffix(filename, kind)
        self.display_name = _display_name(filename)
        self.max_bytes = max_bytes
        self.folder = (data_dir / UPLOAD_FOLDER).resolve()
        self.folder.mkdir(parents=True, exist_ok=True)
        handle, temp_name = tempfile.mkstemp(dir=self.folder, prefix=".partial-")
        self._temp = Path(temp_name)
        self._out: BinaryIO | None = os.fdopen(handle, "wb")
        self._digest = hashlib.sha256()
        self.size_bytes = 0

    def write(self, chunk: bytes) -> None:
        """Append a chunk, counting and hashing it."""
        if self._out is None:
            raise InputError("the upload is already closed", hint="Start the upload again.")
        self.size_bytes += len(chunk)
        if self.size_bytes > self.max_bytes:
            raise PayloadTooLargeError(
                f"the upload is larger than {self.max_bytes / (1024 * 1024):g} MiB",
                hint="Upload a smaller file, or split the archive.",
            )
        self._digest.update(chunk)
        self._out.write(chunk)

    def finish(self) -> StoredUpload:
        """Close and move the file to ``<sha256><suffix>`` (atomic rename)."""
        if self._out is not None:
            self._out.close()
            self._out = None
        if self.size_bytes == 0:
            self.abort()
            raise InputError("the uploaded file is empty", hint="Pick the file again.")
        sha = self._digest.hexdigest()
        target = self.folder / f"{sha}{self.suffix}"
        os.replace(self._temp, target)
        return StoredUpload(target, sha, self.size_bytes, self.suffix, self.display_name)

    def abort(self) -> None:
        """Drop the partial file."""
        if self._out is not None:
            self._out.close()
            self._out = None
        self._temp.unlink(missing_ok=True)


def store_upload(
    chunks: Iterable[bytes] | BinaryIO,
    filename: str,
    data_dir: Path,
    kind: UploadKind,
    max_bytes: int,
) -> StoredUpload:
    """Stream an upload into ``<data_dir>/uploads/<sha256><suffix>``.

    Raises :class:`PayloadTooLargeError` past ``max_bytes`` (nothing is kept),
    :class:`UnsupportedFormatError` for a suffix ``kind`` does not accept, and
    :class:`InputError` for an empty file.
    """
    sink = UploadSink(filename, data_dir, kind, max_bytes)
    read_chunk = getattr(chunks, "read", None)
    # A file object is read in chunks, not line by line.
    source: Iterable[bytes] = (
        iter(lambda: bytes(read_chunk(CHUNK_BYTES)), b"") if callable(read_chunk) else chunks
    )
    try:
        for chunk in source:
            sink.write(chunk)
        return sink.finish()
    except BaseException:
        sink.abort()
        raise


def find_upload(data_dir: Path, sha256: str, kind: UploadKind) -> Path | None:
    """The stored upload with this content hash (any suffix ``kind`` accepts), or None."""
    if not re.fullmatch(r"[0-9a-f]{64}", sha256):
        return None
    folder = data_dir / UPLOAD_FOLDER
    for suffix in ACCEPTED_SUFFIXES[kind]:
        path = folder / f"{sha256}{suffix}"
        if path.is_file():
            return path
    return None
