"""The FIT profile applied to raw columns, exactly as ``garmin_fit_sdk.Decoder`` applies it.

Scale and offset (``raw / scale - offset``, numeric types with a single scale only),
``date_time`` to POSIX seconds, enum codes to names, sub-fields selected by the raw value
of their reference field, and components expanded bit by bit into their target fields,
accumulating rolling counters with the SDK's accumulator semantics (a native value of
the target re-seeds it). Developer fields take their name, units, scale and offset from
the ``field_description`` messages.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from typing import Any, Final

import numpy as np
import numpy.typing as npt

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
    FIT_EPOCH_POSIX_S,
    NUMERIC_TYPES,
    BaseType,
    FieldProfile,
    SubFieldProfile,
    enum_names,
    message_profile,
)

__all__ = ["apply_profile", "developer_registry"]

_UINT8: Final = 0x02


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
        valid = np.asarray(~np.isnan(raw).any(axis=1), dtype=np.bool_)
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
            existing, column = widen(existing, column)
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


def apply_profile(
    number: int, table: RawTable, dev_registry: Mapping[DevKey, DeveloperField]
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


def developer_registry(table: FitMessages | None) -> dict[DevKey, DeveloperField]:
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
