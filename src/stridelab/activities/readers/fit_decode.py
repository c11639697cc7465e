"""Vectorised decoding of framed FIT data: one NumPy structured view per definition.

For each definition the byte offsets of its data messages are turned into one
structured array (a zero-copy view when the messages are back to back, one gather
otherwise) whose dtype carries the definition's byte order and field layout. Each field
then becomes a float64 column (invalid → NaN) in a few array operations. Definitions of
the same global message are merged in file order, and only then is the profile applied
(:mod:`.fit_transform`), exactly as ``garmin_fit_sdk.Decoder`` applies it, so the two
agree value for value. :class:`MessageTables` does this per message kind on first access.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import numpy as np
import numpy.typing as npt

from stridelab.activities.readers.fit_frame import BadRecord, CrcCheck, Definition, Framing, frame
from stridelab.activities.readers.fit_messages import (
    Column,
    DeveloperField,
    DevKey,
    FitField,
    FitMessages,
    RawTable,
    widen,
)
from stridelab.activities.readers.fit_profile import (
    BASE_TYPE_BY_NAME,
    BASE_TYPES,
    BaseType,
    message_profile,
)
from stridelab.activities.readers.fit_transform import apply_profile, developer_registry
from stridelab.errors import FitDecodeError

__all__ = [
    "DeveloperField",
    "FitField",
    "FitFile",
    "FitMessages",
    "MessageTables",
    "decode_fit",
    "load_fit_bytes",
]

_FIELD_DESCRIPTION: Final = 206
_TIMESTAMP: Final = 253
_STRING: Final = 0x07
_BYTE: Final = 0x0D
_UINT8: Final = 0x02


# --------------------------------------------------------------------------- raw per definition


def _record_view(
    buffer: npt.NDArray[np.uint8], offsets: npt.NDArray[np.int64], stride: int, dtype: np.dtype[Any]
) -> Column:
    """All data messages of a definition as one structured array (header byte included).

    Messages back to back are a zero-copy view; otherwise one gather from a view of the
    buffer with a structured element starting at *every* byte (strides of 1), which
    copies whole records instead of indexing byte by byte.
    """
    count = len(offsets)
    if count == 0:
        return np.zeros(0, dtype=dtype)
    if count == 1 or bool(np.all(np.diff(offsets) == stride)):
        return np.frombuffer(buffer, dtype=dtype, count=count, offset=int(offsets[0]))
    every_byte: Column = np.ndarray(
        (len(buffer) - stride + 1,), dtype=f"V{stride}", buffer=buffer, offset=0, strides=(1,)
    )
    return every_byte[offsets].view(dtype)


def _layout(
    definition: Definition, dev_registry: Mapping[DevKey, DeveloperField]
) -> tuple[np.dtype[Any], list[tuple[str, int | DevKey, BaseType, int]]]:
    """Structured dtype of a definition and, per field, (dtype name, key, base type, elements)."""
    names: list[str] = []
    formats: list[Any] = []
    offsets: list[int] = []
    plan: list[tuple[str, int | DevKey, BaseType, int]] = []
    order = ">" if definition.big_endian else "<"
    cursor = 1
    specs: list[tuple[int | DevKey, int, int]] = [
        (num, size, base) for num, size, base in definition.fields
    ]
    for num, size, dev_index in definition.dev_fields:
        described = dev_registry.get((dev_index, num))
        if described is not None:
            specs.append(((dev_index, num), size, described.base_type))
        else:
            specs.append(((-1, -1), size, -1))  # undescribed: skipped, as the SDK does
    for i, (key, size, base) in enumerate(specs):
        if size and base >= 0:
            base_type = BASE_TYPES[base]
            if size % base_type.size:
                base_type = BASE_TYPES[_UINT8]
            elements = size // base_type.size
            name = f"f{i}"
            names.append(name)
            offsets.append(cursor)
            if base_type.number == _STRING:
                formats.append(f"S{size}")
            elif elements == 1:
                formats.append(order + base_type.kind)
            else:
                formats.append((order + base_type.kind, (elements,)))
            plan.append((name, key, base_type, elements))
        cursor += size
    dtype = np.dtype({"names": names, "formats": formats, "offsets": offsets, "itemsize": cursor})
    return dtype, plan


def _convert_string(raw: bytes) -> str | list[str] | None:
    text = raw.decode("utf-8", errors="ignore").rstrip("\0")
    if not text:
        return None
    parts = text.split("\0")
    return parts[0] if len(parts) == 1 else parts


def _raw_column(view: Column, base_type: BaseType, elements: int) -> Column:
    """Raw field values as float64 (NaN = invalid), or objects for strings."""
    if base_type.number == _STRING:
        texts = np.empty(len(view), dtype=object)  # 1-D even when every row splits alike
        for i, raw in enumerate(view.tolist()):
            texts[i] = _convert_string(raw)
        return texts
    values = view.astype(np.float64)
    if base_type.is_float:
        return values
    invalid = view == base_type.invalid
    if elements > 1 and base_type.number == _BYTE:
        values[invalid.all(axis=1)] = np.nan  # byte arrays are invalid only as a whole
    elif invalid.any():
        values[invalid] = np.nan
    return values


def _decode_definition(
    framing: Framing, definition: Definition, dev_registry: Mapping[DevKey, DeveloperField]
) -> RawTable:
    dtype, plan = _layout(definition, dev_registry)
    positions = np.asarray(definition.offsets, dtype=np.int64)
    records = _record_view(framing.buffer, positions, definition.size + 1, dtype)
    columns: dict[int | DevKey, Column] = {}
    base_types: dict[int | DevKey, BaseType] = {}
    scalars: dict[int, list[tuple[str, int | DevKey]]] = defaultdict(list)
    for name, key, base_type, elements in plan:
        if key in base_types or key == (-1, -1):
            continue  # a field listed twice keeps its first occurrence
        base_types[key] = base_type
        if elements == 1 and base_type.number != _STRING:
            scalars[base_type.number].append((name, key))
        else:
            columns[key] = _raw_column(records[name], base_type, elements)
    for number, group in scalars.items():
        # All one-value fields of a base type in one cast: (fields, rows) float64.
        matrix = _as_float_matrix(records, [name for name, _ in group])
        base_type = BASE_TYPES[number]
        if not base_type.is_float:
            matrix[matrix == float(base_type.invalid)] = np.nan
        for row, (_, key) in zip(matrix, group, strict=True):
            columns[key] = row
    return RawTable(positions, columns, base_types)


def _as_float_matrix(records: Column, names: list[str]) -> npt.NDArray[np.float64]:
    """The named numeric fields of a structured array as a (fields, rows) float64 matrix."""
    fields: Mapping[str, Any] = records.dtype.fields or {}
    target = np.dtype(
        {
            "names": names,
            "formats": [np.float64] * len(names),
            "offsets": [8 * i for i in range(len(names))],
            "itemsize": 8 * len(names),
        }
    )
    source = np.dtype(
        {
            "names": names,
            "formats": [fields[n][0] for n in names],
            "offsets": [fields[n][1] for n in names],
            "itemsize": records.dtype.itemsize,
        }
    )
    as_float = records.view(source).astype(target)
    matrix: npt.NDArray[np.float64] = as_float.view(np.float64).reshape(len(records), len(names))
    return np.ascontiguousarray(matrix.T)


def _empty_like(column: Column, rows: int) -> Column:
    if column.dtype == object:
        return np.full(rows, None, dtype=object)
    return np.full((rows, *column.shape[1:]), np.nan)


def _merge(tables: list[RawTable]) -> RawTable:
    """Concatenate the raw tables of several definitions of one message, in file order."""
    if len(tables) == 1:
        return tables[0]
    positions = np.sort(np.concatenate([t.positions for t in tables]))
    total = len(positions)
    columns: dict[int | DevKey, Column] = {}
    base_types: dict[int | DevKey, BaseType] = {}
    for table in tables:
        rows = np.searchsorted(positions, table.positions)  # where this table's rows go
        for key, column in table.columns.items():
            if key not in columns:
                columns[key] = _empty_like(column, total)
                base_types[key] = table.base_types[key]
            target = columns[key]
            if (target.dtype == object) != (column.dtype == object):
                continue  # a malformed redefinition changed text to numbers: drop its values
            if target.ndim == 2 and (column.ndim == 1 or column.shape[1] != target.shape[1]):
                column, target = widen(column, target)
                columns[key] = target
            elif target.ndim == 1 and column.ndim == 2:
                target, column = widen(target, column)
                columns[key] = target
            target[rows] = column
    return RawTable(positions, columns, base_types)


# --------------------------------------------------------------------------- compressed timestamps


def _apply_compressed_timestamps(framing: Framing, raw: dict[int, RawTable]) -> None:
    """Fill the timestamp of compressed-header messages (offset from the last timestamp)."""
    events: list[tuple[int, int, int]] = []  # (position, kind 0=full/1=compressed, value)
    for definition in framing.definitions:
        for row, offset in definition.compressed:
            events.append((definition.offsets[row], 1, offset))
    if not events:
        return
    for table in raw.values():
        ts = table.columns.get(_TIMESTAMP)
        if ts is None or ts.ndim != 1 or ts.dtype == object:
            continue
        valid = np.flatnonzero(~np.isnan(ts))
        events.extend(
            zip(
                table.positions[valid].tolist(),
                [0] * len(valid),
                ts[valid].astype(np.int64).tolist(),
                strict=True,
            )
        )
    events.sort()
    filled: dict[int, int] = {}
    last: int | None = None
    for position, kind, value in events:
        if kind == 0:
            last = value
        elif last is not None:
            base = last & ~0x1F
            last = base + value + (0x20 if value < (last & 0x1F) else 0)
            filled[position] = last
    for table in raw.values():
        hits = [i for i, p in enumerate(table.positions.tolist()) if p in filled]
        if not hits:
            continue
        ts = table.columns.get(_TIMESTAMP)
        if ts is None or ts.dtype == object or ts.ndim != 1:
            ts = np.full(len(table.positions), np.nan)
            table.columns[_TIMESTAMP] = ts
            table.base_types[_TIMESTAMP] = BASE_TYPE_BY_NAME["uint32"]
        ts[hits] = [filled[int(table.positions[i])] for i in hits]


class MessageTables(Mapping[str, FitMessages]):
    """Message kind name → :class:`FitMessages`, each decoded on first access and kept.

    Framing has already located every message; a kind nobody asks for (``hrv``,
    ``device_info``...) costs nothing more. Files with compressed timestamp headers are
    decoded eagerly, since any message's timestamp can anchor the next compressed one.
    """

    def __init__(self, framing: Framing) -> None:
        self._framing = framing
        self._by_global: dict[int, list[Definition]] = defaultdict(list)
        for definition in framing.definitions:
            if definition.offsets:
                self._by_global[definition.global_num].append(definition)
        self._numbers = {message_profile(n).name: n for n in self._by_global}
        self._raw: dict[int, RawTable] = {}
        self._decoded: dict[str, FitMessages] = {}
        self.registry: dict[DevKey, DeveloperField] = {}
        if _FIELD_DESCRIPTION in self._by_global:
            self.registry = developer_registry(self._table(_FIELD_DESCRIPTION))
        if any(d.compressed for d in framing.definitions):
            for number in self._by_global:
                self._raw_table(number)
            _apply_compressed_timestamps(framing, self._raw)

    def _raw_table(self, number: int) -> RawTable:
        table = self._raw.get(number)
        if table is None:
            registry = {} if number == _FIELD_DESCRIPTION else self.registry
            with np.errstate(all="ignore"):
                table = _merge(
                    [
                        _decode_definition(self._framing, d, registry)
                        for d in self._by_global[number]
                    ]
                )
            self._raw[number] = table
        return table

    def _table(self, number: int) -> FitMessages:
        name = message_profile(number).name
        decoded = self._decoded.get(name)
        if decoded is None:
            registry = {} if number == _FIELD_DESCRIPTION else self.registry
            # Damaged files can hold values no profile expects (a negative "unsigned"
            # component, a code beyond int64); they become NaN or wrap, never a warning.
            with np.errstate(all="ignore"):
                decoded = apply_profile(number, self._raw_table(number), registry)
            self._decoded[name] = decoded
        return decoded

    def __getitem__(self, name: str) -> FitMessages:
        return self._table(self._numbers[name])

    def __iter__(self) -> Iterator[str]:
        return iter(self._numbers)

    def __len__(self) -> int:
        return len(self._numbers)

    def __repr__(self) -> str:
        return f"MessageTables({sorted(self._numbers)})"


# --------------------------------------------------------------------------- the decoded file


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


def load_fit_bytes(data: bytes | bytearray | memoryview | Path | str) -> tuple[bytes, str | None]:
    """The bytes of ``data`` (bytes, or a path read once) and the path to name in errors."""
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
    raw, source = load_fit_bytes(data)
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
