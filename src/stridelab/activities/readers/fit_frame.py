"""Framing of FIT byte streams: headers, definitions, and where each data message lies.

Framing is the only per-message Python work of the FIT reader. It walks the record
headers once, parses definition messages, and appends each data message's byte offset
to the list of the definition it uses; decoding then happens per definition, in NumPy
(:mod:`stridelab.activities.readers.fit_decode`). Chained files (several FIT streams
back to back) are framed one after another.
"""

from __future__ import annotations

import contextlib
import struct
from dataclasses import dataclass, field
from enum import Enum
from typing import Final

import numpy as np
import numpy.typing as npt

from stridelab.activities.readers.fit_profile import BASE_TYPES, crc16
from stridelab.errors import FitCrcError, FitDecodeError, UnsupportedFormatError

__all__ = [
    "BadRecord",
    "CrcCheck",
    "Definition",
    "FitDecodeWarning",
    "Framing",
    "frame",
]

_HEADER_SIZES: Final = (12, 14)
_SIGNATURE: Final = b".FIT"
_HINT_CORRUPT: Final = (
    "The file is damaged or incomplete; copy it from the watch again, or use --salvage "
    "(Python: bad_record=BadRecord.WARN) to keep what was read before the damage"
)
_HINT_CRC: Final = (
    "The file was changed or damaged after it was written; copy it again, or use "
    "--salvage (Python: crc=CrcCheck.WARN) to read it anyway"
)


class CrcCheck(Enum):
    """What to do when a header or file CRC does not match the bytes."""

    RAISE = "raise"  #: raise :class:`~stridelab.errors.FitCrcError`
    WARN = "warn"  #: warn (:class:`FitDecodeWarning`), note it in ``warnings``, keep going
    IGNORE = "ignore"  #: do not compute CRCs at all (fastest)


class BadRecord(Enum):
    """What to do at a framing error: undefined local message, truncated tail, bad header.

    A FIT stream cannot be resynchronised after such an error, so the lenient policies
    stop at the bad byte and keep every message read before it.
    """

    RAISE = "raise"  #: raise :class:`~stridelab.errors.FitDecodeError` with the offset
    WARN = "warn"  #: stop there, warn (:class:`FitDecodeWarning`), note it in ``warnings``
    IGNORE = "ignore"  #: stop there, only note it in ``warnings``


class FitDecodeWarning(UserWarning):
    """A FIT file was read despite a CRC mismatch or a bad record (see the policies)."""


@dataclass(eq=False)
class Definition:
    """One definition message and the data messages that used it (until redefined)."""

    stream: int
    local: int
    global_num: int
    big_endian: bool
    #: (field number, size in bytes, base type number) in byte order.
    fields: list[tuple[int, int, int]]
    #: (field number, size in bytes, developer data index) in byte order.
    dev_fields: list[tuple[int, int, int]]
    size: int
    #: Offsets of the record header byte of each data message (content starts one later).
    offsets: list[int] = field(default_factory=list)
    #: (row, 5-bit time offset) of data messages with a compressed timestamp header.
    compressed: list[tuple[int, int]] = field(default_factory=list)


@dataclass(eq=False)
class Framing:
    """The framed file: every definition in order, plus what went wrong on the way."""

    buffer: npt.NDArray[np.uint8]
    definitions: list[Definition]
    warnings: list[str]
    streams: int = 0
    protocol_version: int | None = None
    profile_version: int | None = None


class _Stop(Exception):
    """Internal: the lenient policy stopped framing at a bad record."""


class _Truncated(Exception):
    """Internal: the data ended inside a message of a truncated file."""


def _report(
    framing: Framing,
    policy: BadRecord | CrcCheck,
    error: FitDecodeError,
) -> None:
    """Raise ``error`` or note it, as the policy says."""
    if policy in (BadRecord.RAISE, CrcCheck.RAISE):
        raise error
    framing.warnings.append(error.message)
    if policy in (BadRecord.WARN, CrcCheck.WARN):
        import warnings

        warnings.warn(str(error), FitDecodeWarning, stacklevel=4)


def _bad(framing: Framing, policy: BadRecord, path: str | None, offset: int, what: str) -> None:
    _report(framing, policy, FitDecodeError(what, path=path, offset=offset, hint=_HINT_CORRUPT))
    raise _Stop


def frame(
    data: bytes,
    *,
    path: str | None = None,
    crc: CrcCheck = CrcCheck.RAISE,
    bad_record: BadRecord = BadRecord.RAISE,
) -> Framing:
    """Frame every FIT stream in ``data``; raise or note problems as the policies say."""
    buffer = np.frombuffer(data, dtype=np.uint8)
    framing = Framing(buffer=buffer, definitions=[], warnings=[])
    n = len(data)
    if n == 0:
        raise FitDecodeError("the file is empty (0 bytes)", path=path, hint=_HINT_CORRUPT)
    if n < 12 or data[8:12] != _SIGNATURE or data[0] not in _HEADER_SIZES:
        raise UnsupportedFormatError(
            "not a FIT file (no .FIT header)",
            path=path,
            hint="Give a .fit file recorded by a watch or bike computer",
        )
    start = 0
    try:
        while start < n:
            start = _frame_stream(data, buffer, start, framing, path, crc, bad_record)
    except _Stop:
        pass
    return framing


def _frame_stream(
    data: bytes,
    buffer: npt.NDArray[np.uint8],
    start: int,
    framing: Framing,
    path: str | None,
    crc: CrcCheck,
    bad_record: BadRecord,
) -> int:
    """Frame one stream starting at ``start``; return where the next one starts."""
    n = len(data)
    if (
        n - start < 12
        or data[start] not in _HEADER_SIZES
        or data[start + 8 : start + 12] != b".FIT"
    ):
        _bad(framing, bad_record, path, start, "bytes after the end of the FIT data are not FIT")
    header_size = data[start]
    if n - start < header_size:
        _bad(framing, bad_record, path, start, "the file ends inside its header")
    protocol, profile, data_size = struct.unpack_from("<BHI", data, start + 1)
    if framing.streams == 0:
        framing.protocol_version, framing.profile_version = protocol, profile
    stream = framing.streams
    framing.streams += 1
    if header_size == 14 and crc is not CrcCheck.IGNORE:
        (header_crc,) = struct.unpack_from("<H", data, start + 12)
        if header_crc != 0 and header_crc != crc16(buffer[start : start + 12]):
            _report(
                framing,
                crc,
                FitCrcError(
                    "the header CRC does not match", path=path, offset=start, hint=_HINT_CRC
                ),
            )
    pos = start + header_size
    end = pos + data_size
    truncated = end + 2 > n
    if truncated:
        # Frame what is there first (a lenient policy keeps it), then report the tail.
        end = n
    else:
        if crc is not CrcCheck.IGNORE:
            (file_crc,) = struct.unpack_from("<H", data, end)
            if file_crc != crc16(buffer[start:end]):
                _report(
                    framing,
                    crc,
                    FitCrcError(
                        "the file CRC does not match", path=path, offset=end, hint=_HINT_CRC
                    ),
                )
    with contextlib.suppress(_Truncated):
        _frame_messages(data, pos, end, stream, framing, path, bad_record, truncated)
    if truncated:
        _bad(
            framing,
            bad_record,
            path,
            n,
            f"the file is truncated: its header promises {data_size} data bytes, "
            f"{n - start - header_size} are there",
        )
    next_start: int = end + 2
    return next_start


_UNDEFINED: Final = 1 << 62  # step of an undefined local message: jumps past any end


def _frame_messages(
    data: bytes,
    pos: int,
    end: int,
    stream: int,
    framing: Framing,
    path: str | None,
    bad_record: BadRecord,
    truncated: bool,
) -> None:
    """The hot loop: one pass over the record headers of one stream.

    A normal data header (< 0x40) costs one list append and one addition: its step and
    offset list are looked up by the header byte itself. An undefined local message has
    a huge step, so the loop ends at once and the overrun is diagnosed after it.
    """
    undefined: list[list[int]] = [[] for _ in range(16)]
    steps = [_UNDEFINED] * 64
    lists: list[list[int]] = [undefined[h & 0x0F] for h in range(64)]
    current: list[Definition | None] = [None] * 16
    definitions = framing.definitions
    while pos < end:
        header = data[pos]
        if header < 0x40:  # normal data message
            lists[header].append(pos)
            pos += steps[header]
        elif header < 0x80:  # definition message
            definition, pos = _parse_definition(
                data, pos, end, stream, framing, path, bad_record, truncated
            )
            local = definition.local
            definitions.append(definition)
            current[local] = definition
            for alias in (local, local | 0x10, local | 0x20, local | 0x30):
                steps[alias] = definition.size + 1
                lists[alias] = definition.offsets
        else:  # compressed timestamp header
            local = (header >> 5) & 0x03
            compressed = current[local]
            if compressed is None:
                _bad(
                    framing,
                    bad_record,
                    path,
                    pos,
                    f"data message uses undefined local message {local}",
                )
                return
            compressed.compressed.append((len(compressed.offsets), header & 0x1F))
            compressed.offsets.append(pos)
            pos += compressed.size + 1
    if pos > end:
        _overrun(framing, path, bad_record, truncated, undefined, current)


def _overrun(
    framing: Framing,
    path: str | None,
    bad_record: BadRecord,
    truncated: bool,
    undefined: list[list[int]],
    current: list[Definition | None],
) -> None:
    """The last message ran past the end: drop it and say why."""
    for local, hits in enumerate(undefined):
        if hits:
            _bad(
                framing,
                bad_record,
                path,
                hits[0],
                f"data message uses undefined local message {local}",
            )
    last = max(
        (d for d in current if d is not None and d.offsets),
        key=lambda d: d.offsets[-1],
        default=None,
    )
    if last is None:
        return
    position = last.offsets.pop()
    if last.compressed and last.compressed[-1][0] == len(last.offsets):
        last.compressed.pop()
    _tail(framing, bad_record, path, position, truncated)


def _tail(framing: Framing, policy: BadRecord, path: str | None, pos: int, truncated: bool) -> None:
    if truncated:
        raise _Truncated  # reported by the caller as truncation
    _bad(framing, policy, path, pos, "a message runs past the end of the FIT data")


def _parse_definition(
    data: bytes,
    pos: int,
    end: int,
    stream: int,
    framing: Framing,
    path: str | None,
    bad_record: BadRecord,
    truncated: bool,
) -> tuple[Definition, int]:
    header = data[pos]
    if pos + 6 > end:
        _tail(framing, bad_record, path, pos, truncated)
    big_endian = data[pos + 2] == 1
    if data[pos + 2] > 1:
        _bad(framing, bad_record, path, pos, f"definition has unknown architecture {data[pos + 2]}")
    (global_num,) = struct.unpack_from(">H" if big_endian else "<H", data, pos + 3)
    count = data[pos + 5]
    cursor = pos + 6
    if cursor + 3 * count > end:
        _tail(framing, bad_record, path, pos, truncated)
    raw = data[cursor : cursor + 3 * count]
    fields = []
    size = 0
    for i in range(0, 3 * count, 3):
        number, field_size, base = raw[i], raw[i + 1], raw[i + 2] & 0x1F
        if base not in BASE_TYPES:
            _bad(
                framing,
                bad_record,
                path,
                cursor + i,
                f"field {number} has unknown base type {base}",
            )
        fields.append((number, field_size, base))
        size += field_size
    cursor += 3 * count
    dev_fields = []
    if header & 0x20:
        if cursor + 1 > end:
            _tail(framing, bad_record, path, pos, truncated)
        dev_count = data[cursor]
        cursor += 1
        if cursor + 3 * dev_count > end:
            _tail(framing, bad_record, path, pos, truncated)
        raw = data[cursor : cursor + 3 * dev_count]
        for i in range(0, 3 * dev_count, 3):
            dev_fields.append((raw[i], raw[i + 1], raw[i + 2]))
            size += raw[i + 1]
        cursor += 3 * dev_count
    definition = Definition(
        stream=stream,
        local=header & 0x0F,
        global_num=global_num,
        big_endian=big_endian,
        fields=fields,
        dev_fields=dev_fields,
        size=size,
    )
    return definition, cursor
