"""How big an activity file can plausibly be, and reading one without blocking or bloating.

The bound is derived, not picked: the longest activity a watch records in one file is a
multi-day ultra (Tor des Géants, ~150 h) — :data:`MAX_ACTIVITY_DURATION_S` allows a week.
Watches log at most one record a second (:data:`MAX_SAMPLE_RATE_HZ`), and the most verbose
format, TCX with extensions, spends about 400–500 bytes per trackpoint
(:data:`MAX_BYTES_PER_SAMPLE`; FIT spends 20–100). So no real activity file exceeds
:data:`MAX_ACTIVITY_FILE_BYTES` (~295 MiB); anything larger, compressed or not, is refused
before it is held in memory.

:func:`open_regular_file` refuses what is not a regular file (a FIFO or a device would
block the read forever or never end), checking the opened descriptor, not the name.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import BinaryIO, Final

from stridelab.errors import ActivityFileError, UnsupportedFormatError

__all__ = [
    "MAX_ACTIVITY_DURATION_S",
    "MAX_ACTIVITY_FILE_BYTES",
    "MAX_BYTES_PER_SAMPLE",
    "MAX_SAMPLE_RATE_HZ",
    "open_regular_file",
    "read_file_bytes",
]

#: A week: longer than any single recorded activity (multi-day ultras run ~150 h).
MAX_ACTIVITY_DURATION_S: Final = 7 * 24 * 3600
#: Watches record at most one sample per second ("every second" recording).
MAX_SAMPLE_RATE_HZ: Final = 1
#: A verbose TCX trackpoint (position, altitude, HR, cadence, speed, power extensions).
MAX_BYTES_PER_SAMPLE: Final = 512
#: The largest plausible decompressed activity file (~295 MiB).
MAX_ACTIVITY_FILE_BYTES: Final = MAX_ACTIVITY_DURATION_S * MAX_SAMPLE_RATE_HZ * MAX_BYTES_PER_SAMPLE

_KINDS: Final = (
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def open_regular_file(path: str | Path) -> BinaryIO:
    """Open ``path`` for binary reading, refusing folders, FIFOs, devices and sockets.

    Opens non-blocking (opening a FIFO with no writer would otherwise hang), then checks
    the descriptor itself. Raises :class:`UnsupportedFormatError` for anything but a
    regular file, :class:`ActivityFileError` when it cannot be opened.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_BINARY", 0))
    except OSError as exc:
        raise ActivityFileError(
            f"cannot read the file ({exc.strerror})", path=path, hint="Check the path"
        ) from None
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        if stat.S_ISDIR(mode):
            raise UnsupportedFormatError(
                "is a folder", path=path, hint="Give a file, or use `stridelab import`"
            )
        kind = next((name for test, name in _KINDS if test(mode)), "not a regular file")
        raise UnsupportedFormatError(
            f"is {kind}, not a regular file", path=path, hint="Give a saved activity file"
        )
    os.set_blocking(fd, True)
    return os.fdopen(fd, "rb")


def read_file_bytes(path: str | Path, limit: int = MAX_ACTIVITY_FILE_BYTES) -> bytes:
    """All bytes of the regular file ``path``, refusing one larger than ``limit``."""
    with open_regular_file(path) as handle:
        try:
            data = handle.read(limit + 1)
        except OSError as exc:
            raise ActivityFileError(
                f"cannot read the file ({exc.strerror})", path=path, hint="Check the path"
            ) from None
    if len(data) > limit:
        raise UnsupportedFormatError(
            f"larger than {limit // 2**20} MiB, more than any activity holds",
            path=path,
            hint="This is not a watch file",
        )
    return data
