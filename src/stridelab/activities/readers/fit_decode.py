"""Vectorised decoding of framed FIT data: one NumPy structured view per definition.

For each definition the byte offsets of its data messages are turned into one
structured array (a zero-copy view when the messages are back to back, one gather
otherwise) whose dtype carries the definition's byte order and field layout. Each field
then becomes a float64 column (invalid → NaN) in a few array operations. Definitions of
the same global message are merged in file order, and only then are the profile's
scale and offset, enum names, sub-fields and components (with accumulation) applied,
exactly as ``garmin_fit_sdk.Decoder`` applies them, so the two agree value for value.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Final

import numpy as np
import numpy.typing as npt

from stridelab.activities.readers.fit_frame import Definition, Framing
from stridelab.activities.readers.fit_profile import (
    BASE_TYPE_BY_NAME,
    BASE_TYPES,
    FIT_EPOCH_POSIX_S,
    NUMERIC_TYPES,
    BaseType,
    FieldProfile,
    SubFieldProfile,
    enum_names,
    message_profile,
)

__all__ = ["DeveloperField", "FitField", "FitMessages", "MessageTables"]

_FIELD_DESCRIPTION: Final = 206
_TIMESTAMP: Final = 253
_STRING: Final = 0x07
_BYTE: Final = 0x0D
_UINT8: Final = 0x02
#: A row whose (integer) key is a developer field: (developer data index, field number).
DevKey = tuple[int, int]
Column = npt.NDArray[Any]


@dataclass(frozen=True)
class FitField:
    """What a column of a :class:`FitMessages` is: its profile name, number and units."""

    name: str
    number: int
    units: str
    type: str
    developer_index: int | None = None


@dataclass(frozen=True)
class DeveloperField:
    """A developer (Connect IQ) field as declared by a ``field_description`` message."""

    developer_index: int
    number: int
    name: str
    units: str
    base_type: int
    scale: float
    offset: float


class FitMessages:
    """All messages of one kind as columns: ``fit.messages["record"]["heart_rate"]``.

    Numbers are float64 arrays (scale and offset applied, NaN where invalid or absent);
    ``date_time`` fields are POSIX seconds (UTC); enum fields are object arrays of names
    (the raw number where the profile has no name); strings are objects (None when empty);
    array fields are 2-D. Developer fields appear under their declared names.
    """

    def __init__(
        self,
        name: str,
        number: int,
        rows: int,
        columns: dict[str, Column],
        fields: dict[str, FitField],
    ) -> None:
        self.name = name
        self.number = number
        self.rows = rows
        self.columns = columns
        self.fields = fields

    def __getitem__(self, name: str) -> Column:
        return self.columns[name]

    def __contains__(self, name: object) -> bool:
        return name in self.columns

    def __iter__(self) -> Iterator[str]:
        return iter(self.columns)

    def __len__(self) -> int:
        return self.rows

    def get(self, name: str) -> Column | None:
        """The column, or None when no message of this kind carries the field."""
        return self.columns.get(name)

    def keys(self) -> list[str]:
        return list(self.columns)

    def row(self, index: int) -> dict[str, Any]:
        """One message as a dict of its valid values (NaN and None left out)."""
        out: dict[str, Any] = {}
        for name, column in self.columns.items():
            value = column[index]
            if value is None or (isinstance(value, float) and value != value):
                continue
            out[name] = value.tolist() if isinstance(value, np.ndarray) else value
        return out

    def __repr__(self) -> str:
        return f"FitMessages({self.name!r}, rows={self.rows}, columns={len(self.columns)})"


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


@dataclass(eq=False)
class _RawTable:
    """Raw columns of one global message (field number or developer key → column)."""

    positions: npt.NDArray[np.int64]
    columns: dict[int | DevKey, Column]
    base_types: dict[int | DevKey, BaseType]


def _decode_definition(
    framing: Framing, definition: Definition, dev_registry: Mapping[DevKey, DeveloperField]
) -> _RawTable:
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
    return _RawTable(positions, columns, base_types)


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


def _merge(tables: list[_RawTable]) -> _RawTable:
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
                column, target = _widen(column, target)
                columns[key] = target
            elif target.ndim == 1 and column.ndim == 2:
                target, column = _widen(target, column)
                columns[key] = target
            target[rows] = column
    return _RawTable(positions, columns, base_types)


def _widen(a: Column, b: Column) -> tuple[Column, Column]:
    """Two numeric columns padded with NaN to the same 2-D width."""
    width = max(a.shape[1] if a.ndim == 2 else 1, b.shape[1] if b.ndim == 2 else 1)
    out = []
    for c in (a, b):
        c2 = c.reshape(len(c), -1)
        padded = np.full((len(c), width), np.nan)
        padded[:, : c2.shape[1]] = c2
        out.append(padded)
    return out[0], out[1]


# --------------------------------------------------------------------------- compressed timestamps


def _apply_compressed_timestamps(framing: Framing, raw: dict[int, _RawTable]) -> None:
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


# --------------------------------------------------------------------------- profile transforms


def _names(type_name: str, raw: Column) -> Column:
    """Raw enum codes → object array of names (the number where the profile has none)."""
    names = enum_names(type_name) or {}
    out = np.full(raw.shape, None, dtype=object)
    valid = ~np.isnan(raw)
    if not valid.any():
        return out
    codes, inverse = np.unique(raw[valid].astype(np.int64), return_inverse=True)
    lookup = np.array([names.get(int(c), int(c)) for c in codes.tolist()] + [None], dtype=object)
    out[valid] = lookup[inverse]
    return out


def _transform(type_name: str, scale: float, offset: float, has_scale: bool, raw: Column) -> Column:
    """Apply the profile to a raw column as ``garmin_fit_sdk`` does."""
    if raw.dtype == object:
        return raw
    if type_name == "date_time":
        return raw + FIT_EPOCH_POSIX_S
    if type_name in NUMERIC_TYPES:
        if has_scale and scale != 1:
            raw = raw / scale
        if has_scale and offset != 0:
            raw = raw - offset
        return raw
    if enum_names(type_name) is not None:
        return _names(type_name, raw)
    return raw


def _source_bytes(
    raw: Column, base_type: BaseType
) -> tuple[npt.NDArray[np.uint8], npt.NDArray[np.bool_], int]:
    """A component-bearing field as little-endian bytes per row, rows to expand, bit count."""
    kind = f"<u{base_type.size}"
    if raw.ndim == 1:
        valid = ~np.isnan(raw)
        values = np.where(valid, raw, 0).astype(kind).reshape(-1, 1)
    else:
        valid = ~np.isnan(raw).any(axis=1)
        values = np.where(np.isnan(raw), 0, raw).astype(kind)
    as_bytes = np.ascontiguousarray(values).view(np.uint8).reshape(len(raw), -1)
    return as_bytes, valid, as_bytes.shape[1] * 8


def _bits(as_bytes: npt.NDArray[np.uint8], shift: int, width: int) -> npt.NDArray[np.int64]:
    """``width`` bits starting at bit ``shift`` (LSB first) of each row."""
    first = shift // 8
    window = as_bytes[:, first : first + 8]
    value = np.zeros(len(as_bytes), dtype=np.uint64)
    for j in range(window.shape[1]):
        value |= window[:, j].astype(np.uint64) << np.uint64(8 * j)
    value = (value >> np.uint64(shift % 8)) & np.uint64((1 << width) - 1)
    return value.astype(np.int64)


def _accumulate(
    values: npt.NDArray[np.int64], masks: npt.NDArray[np.int64], resets: npt.NDArray[np.bool_]
) -> npt.NDArray[np.int64]:
    """Accumulate rolling counters as the SDK's Accumulator does, restarting at ``resets``.

    A reset is a native value of the target field (it re-seeds the accumulator); the first
    value seeds it too. Otherwise each value adds ``(value - previous) & mask``.
    """
    n = len(values)
    if n == 0:
        return values
    resets = resets.copy()
    resets[0] = True
    previous = np.concatenate([values[:1], values[:-1]])
    steps = (values - previous) & masks
    steps[resets] = 0
    total = np.cumsum(steps)
    seed = np.maximum.accumulate(np.where(resets, np.arange(n), 0))
    accumulated: npt.NDArray[np.int64] = values[seed] + total - total[seed]
    return accumulated


def _last_valid(raw: Column) -> Column:
    """Per row, the last valid element of a (possibly 2-D) raw column."""
    if raw.ndim == 1:
        return raw
    last = np.full(len(raw), np.nan)
    for j in range(raw.shape[1]):
        last = np.where(np.isnan(raw[:, j]), last, raw[:, j])
    return last


def _expand(
    profile_fields: Mapping[int, FieldProfile],
    source: FieldProfile | SubFieldProfile,
    raw: Column,
    rows: npt.NDArray[np.bool_],
    base_type: BaseType,
    natives: Mapping[int | DevKey, Column],
    out: dict[str, Column],
    fields: dict[str, FitField],
    depth: int = 0,
) -> None:
    """Expand a field's components into their target fields (overriding native values)."""
    if source.type not in BASE_TYPE_BY_NAME or raw.dtype == object or depth > 3:
        return
    as_bytes, valid, available = _source_bytes(raw, base_type)
    valid &= rows
    if not valid.any():
        return
    k = len(raw)
    by_target: dict[int, list[tuple[int, npt.NDArray[np.int64]]]] = defaultdict(list)
    shift = 0
    for i, target_num in enumerate(source.components):
        width = source.bits[i]
        if shift + width > available:
            break
        by_target[target_num].append((i, _bits(as_bytes, shift, width)))
        shift += width
    for target_num, parts in by_target.items():
        target = profile_fields.get(target_num)
        if target is None:
            continue
        count = len(parts)
        matrix = np.stack([p for _, p in parts], axis=1)  # (k, count) raw component values
        if target.accumulate:
            native = _last_valid(natives.get(target_num, np.full(k, np.nan)))
            events = np.concatenate(
                [np.where(np.isnan(native), 0, native)[:, None], matrix], axis=1
            )
            events = events.astype(np.int64)
            present = np.concatenate(
                [~np.isnan(native)[:, None], np.repeat(valid[:, None], count, 1)], 1
            )
            masks = np.array([0] + [(1 << source.bits[i]) - 1 for i, _ in parts], dtype=np.int64)
            flat = present.ravel()
            resets = np.zeros_like(present)
            resets[:, 0] = True
            accumulated = _accumulate(
                events.ravel()[flat], np.broadcast_to(masks, present.shape).ravel()[flat],
                resets.ravel()[flat],
            )  # fmt: skip
            filled = np.zeros(events.size, dtype=np.int64)
            filled[flat] = accumulated
            matrix = filled.reshape(events.shape)[:, 1:]
        scales = np.array([source.comp_scales[i] for i, _ in parts])
        offsets = np.array([source.comp_offsets[i] for i, _ in parts])
        numbers = matrix.astype(np.float64) / scales - offsets
        target_base = BASE_TYPE_BY_NAME.get(target.base_type, BASE_TYPES[_UINT8])
        target_raw = np.round((numbers + target.offset) * target.scale)
        numbers[target_raw == target_base.invalid] = np.nan
        numbers[~valid] = np.nan
        if count == 1:
            numbers = numbers[:, 0]
        existing = out.get(target.name)
        enum_type = target.type not in NUMERIC_TYPES and enum_names(target.type) is not None
        column: Column = _names(target.type, numbers) if enum_type else numbers
        if existing is not None and existing.dtype != object and existing.shape != column.shape:
            existing, column = _widen(existing, column)
        if existing is not None and existing.shape == column.shape:
            column = np.where(valid if column.ndim == 1 else valid[:, None], column, existing)
            if column.dtype != object and column.ndim == 2 and column.shape[1] == 1:
                column = column[:, 0]
        out[target.name] = column
        fields.setdefault(
            target.name, FitField(target.name, target.number, target.units, target.type)
        )
        if target.components and count == 1:
            target_raw_col = np.where(
                valid, np.round((numbers + target.offset) * target.scale), np.nan
            )
            _expand(
                profile_fields, target, target_raw_col, valid, target_base, natives, out, fields,
                depth + 1,
            )  # fmt: skip


def _apply_profile(
    number: int, table: _RawTable, dev_registry: Mapping[DevKey, DeveloperField]
) -> FitMessages:
    profile = message_profile(number)
    rows = len(table.positions)
    out: dict[str, Column] = {}
    fields: dict[str, FitField] = {}
    everywhere = np.ones(rows, dtype=bool)
    expansions: list[
        tuple[FieldProfile | SubFieldProfile, Column, npt.NDArray[np.bool_], BaseType]
    ] = []
    for key, raw in table.columns.items():
        if isinstance(key, tuple):
            continue
        field = profile.fields.get(key)
        if field is None:
            name = f"unknown_{key}"
            out[name] = raw
            fields[name] = FitField(name, key, "", table.base_types[key].name)
            continue
        out[field.name] = _transform(field.type, field.scale, field.offset, field.has_scale, raw)
        fields[field.name] = FitField(field.name, key, field.units, field.type)
        if field.components:
            expansions.append((field, raw, everywhere, table.base_types[key]))
        for sub in field.sub_fields:
            selected = np.zeros(rows, dtype=bool)
            for ref_num, ref_value in sub.selectors:
                ref = table.columns.get(ref_num)
                if ref is not None and ref.dtype != object and ref.ndim == 1:
                    selected |= ref == ref_value
            if raw.dtype != object and raw.ndim == 1:
                selected &= ~np.isnan(raw)
            if not selected.any():
                continue
            masked = raw.copy()
            if masked.dtype == object:
                masked[~selected] = None
            else:
                masked[~selected] = np.nan
            out[sub.name] = _transform(sub.type, sub.scale, sub.offset, sub.has_scale, masked)
            fields[sub.name] = FitField(sub.name, key, sub.units, sub.type)
            if sub.components:
                expansions.append((sub, raw, selected, table.base_types[key]))
    for source, raw, selected, base_type in expansions:
        _expand(profile.fields, source, raw, selected, base_type, table.columns, out, fields)
    for key, raw in table.columns.items():
        if not isinstance(key, tuple):
            continue
        described = dev_registry[key]
        column = raw
        if raw.dtype != object and (described.scale != 1 or described.offset != 0):
            column = raw / described.scale - described.offset
        name = (
            described.name
            if described.name not in out
            else f"{described.name}_dev{key[0]}_{key[1]}"
        )
        out[name] = column
        fields[name] = FitField(
            name, key[1], described.units, BASE_TYPES[described.base_type].name, key[0]
        )
    return FitMessages(profile.name, number, rows, out, fields)


def _dev_registry(table: FitMessages | None) -> dict[DevKey, DeveloperField]:
    """Developer field declarations from the ``field_description`` messages (first wins)."""
    registry: dict[DevKey, DeveloperField] = {}
    if table is None:
        return registry

    def number(name: str, i: int, default: float = np.nan) -> float:
        column = table.get(name)
        if column is None or column.dtype == object or column.ndim != 1:
            return default
        value = float(column[i])
        return default if value != value else value

    def text(name: str, i: int) -> str:
        column = table.get(name)
        value = None if column is None else column[i]
        return value if isinstance(value, str) else (value[0] if isinstance(value, list) else "")

    base_names = table.get("fit_base_type_id")
    for i in range(table.rows):
        index, num = number("developer_data_index", i), number("field_definition_number", i)
        raw_base = base_names[i] if base_names is not None else None
        base = _base_type_code(raw_base)
        if index != index or num != num or base is None:
            continue
        key = (int(index), int(num))
        if key in registry:
            continue
        registry[key] = DeveloperField(
            developer_index=int(index),
            number=int(num),
            name=text("field_name", i) or f"developer_{int(index)}_{int(num)}",
            units=text("units", i),
            base_type=base,
            scale=number("scale", i, 1.0) or 1.0,
            offset=number("offset", i, 0.0),
        )
    return registry


def _base_type_code(value: Any) -> int | None:
    """``fit_base_type`` column value (a name like ``"uint16"`` or a number) → base type number."""
    if isinstance(value, str):
        found = BASE_TYPE_BY_NAME.get(value)
        return None if found is None else found.number
    if isinstance(value, int | float) and value == value and int(value) & 0x1F in BASE_TYPES:
        return int(value) & 0x1F
    return None


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
        self._raw: dict[int, _RawTable] = {}
        self._decoded: dict[str, FitMessages] = {}
        self.registry: dict[DevKey, DeveloperField] = {}
        if _FIELD_DESCRIPTION in self._by_global:
            self.registry = _dev_registry(self._table(_FIELD_DESCRIPTION))
        if any(d.compressed for d in framing.definitions):
            for number in self._by_global:
                self._raw_table(number)
            _apply_compressed_timestamps(framing, self._raw)

    def _raw_table(self, number: int) -> _RawTable:
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
                decoded = _apply_profile(number, self._raw_table(number), registry)
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
