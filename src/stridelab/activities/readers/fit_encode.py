"""A small FIT encoder, so tests and samples are written by the project itself.

``garmin_fit_sdk`` has an Encoder too, but it cannot write what a reader must survive:
big-endian definitions, compressed timestamp headers, chained files, developer fields
with chosen base types, or deliberately broken bytes. :class:`FitEncoder` writes any
profile message from values in profile units (the inverse of the decoder's
``raw / scale - offset``); :func:`encode_activity` writes a whole activity file from
record columns.

Example::

    encoder = FitEncoder()
    encoder.write("file_id", {"type": "activity", "manufacturer": "development"})
    encoder.write("record", {"timestamp": 1.7e9, "heart_rate": 150, "speed": 3.2})
    data = encoder.to_bytes()
"""

from __future__ import annotations

import math
import struct
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final

import numpy as np
import numpy.typing as npt

from stridelab.activities.readers.fit_profile import (
    BASE_TYPE_BY_NAME,
    FIT_EPOCH_POSIX_S,
    NUMERIC_TYPES,
    BaseType,
    crc16,
    enum_names,
    message_number,
    message_profile,
)

__all__ = [
    "DeveloperFieldSpec",
    "FitEncoder",
    "encode_activity",
    "fit_cadence_fields",
    "fit_header",
    "summarise_records",
]

_PROTOCOL_VERSION: Final = 0x20
_PROFILE_VERSION: Final = 21_218
_STRUCT_CODES: Final = {
    "u1": "B", "i1": "b", "u2": "H", "i2": "h", "u4": "I", "i4": "i",
    "f4": "f", "f8": "d", "u8": "Q", "i8": "q",
}  # fmt: skip


@dataclass(frozen=True)
class DeveloperFieldSpec:
    """A developer field to declare (``developer_data_id`` + ``field_description``)."""

    name: str
    units: str = ""
    base_type: str = "uint16"
    number: int = 0
    developer_index: int = 0


@dataclass(frozen=True)
class _FieldPlan:
    number: int
    base_type: BaseType
    scale: float
    offset: float
    type: str
    size: int
    developer_index: int = -1

    @property
    def developer(self) -> bool:
        return self.developer_index >= 0


def fit_header(data_size: int, *, header_crc: bool = True) -> bytes:
    """A 14-byte FIT file header for ``data_size`` bytes of records."""
    head = struct.pack("<BBHI4s", 14, _PROTOCOL_VERSION, _PROFILE_VERSION, data_size, b".FIT")
    crc = crc16(np.frombuffer(head, dtype=np.uint8)) if header_crc else 0
    return head + struct.pack("<H", crc)


class FitEncoder:
    """Writes FIT messages; definitions are emitted whenever a message's layout changes."""

    def __init__(self, *, big_endian: bool = False) -> None:
        self.big_endian = big_endian
        self._chunks: list[bytes] = []
        self._locals: dict[tuple[Any, ...], int] = {}
        self._next_local = 0
        self._next_compressed = 0
        self._developer: dict[str, DeveloperFieldSpec] = {}
        self._last_timestamp: int | None = None

    # ------------------------------------------------------------------ public
    def add_developer_field(self, spec: DeveloperFieldSpec, application_id: bytes = b"") -> None:
        """Declare a developer field (writes ``developer_data_id`` once and its description)."""
        if not any(d.developer_index == spec.developer_index for d in self._developer.values()):
            app = (application_id or bytes(range(16)))[:16].ljust(16, b"\0")
            self.write(
                "developer_data_id",
                {"developer_data_index": spec.developer_index, "application_id": list(app)},
            )
        base = BASE_TYPE_BY_NAME[spec.base_type]
        self.write(
            "field_description",
            {
                "developer_data_index": spec.developer_index,
                "field_definition_number": spec.number,
                "fit_base_type_id": base.number | (0x80 if base.size > 1 else 0),
                "field_name": spec.name,
                "units": spec.units,
            },
        )
        self._developer[spec.name] = spec

    def write(
        self, message: str, values: Mapping[str, Any], *, compressed_timestamp: bool = False
    ) -> None:
        """Write one message from values in profile units (None skips a field, NaN = invalid)."""
        global_num = message_number(message)
        plans: list[_FieldPlan] = []
        payload: list[bytes] = []
        timestamp = values.get("timestamp")
        compress = False
        if timestamp is not None and compressed_timestamp and self._last_timestamp is not None:
            raw_ts = _raw_time(timestamp)
            compress = 0 <= raw_ts - self._last_timestamp < 32
        for name, value in values.items():
            if value is None or (compress and name == "timestamp"):
                continue
            plan = self._plan(global_num, name, value)
            plans.append(plan)
            payload.append(self._pack(plan, value))
        order = sorted(range(len(plans)), key=lambda i: plans[i].developer)  # native first
        plans = [plans[i] for i in order]
        payload = [payload[i] for i in order]
        if timestamp is not None:
            self._last_timestamp = _raw_time(timestamp)
        layout = (
            global_num,
            tuple((p.number, p.size, p.base_type.number, p.developer_index) for p in plans),
        )
        local = self._local_for(layout, compress)
        if compress and self._last_timestamp is not None:
            header = 0x80 | (local << 5) | (self._last_timestamp & 0x1F)
        else:
            header = local
        self._chunks.append(bytes([header]) + b"".join(payload))

    def to_bytes(self, *, header_crc: bool = True) -> bytes:
        """The complete file: header, records, CRC."""
        body = b"".join(self._chunks)
        head = fit_header(len(body), header_crc=header_crc)
        crc = crc16(np.frombuffer(head + body, dtype=np.uint8))
        return head + body + struct.pack("<H", crc)

    # ------------------------------------------------------------------ internals
    def _plan(self, global_num: int, name: str, value: Any) -> _FieldPlan:
        developer = self._developer.get(name)
        if developer is not None:
            base = BASE_TYPE_BY_NAME[developer.base_type]
            size = _size(base, value)
            return _FieldPlan(
                developer.number, base, 1.0, 0.0, base.name, size, developer.developer_index
            )
        profile = message_profile(global_num)
        for field in profile.fields.values():
            if field.name == name:
                base = BASE_TYPE_BY_NAME[field.base_type]
                scale, offset = (field.scale, field.offset) if field.has_scale else (1.0, 0.0)
                return _FieldPlan(field.number, base, scale, offset, field.type, _size(base, value))
            for sub in field.sub_fields:
                if sub.name == name:
                    base = BASE_TYPE_BY_NAME[field.base_type]
                    return _FieldPlan(
                        field.number, base, sub.scale, sub.offset, sub.type, _size(base, value)
                    )
        raise KeyError(f"{profile.name} has no field {name!r}")

    def _pack(self, plan: _FieldPlan, value: Any) -> bytes:
        base = plan.base_type
        order = ">" if self.big_endian else "<"
        if base.name == "string":
            raw = str(value).encode("utf-8") + b"\0"
            return raw
        items = list(value) if isinstance(value, list | tuple | np.ndarray) else [value]
        raws = [_raw(plan, item) for item in items]
        return struct.pack(order + _STRUCT_CODES[base.kind] * len(raws), *raws)

    def _local_for(self, layout: tuple[Any, ...], compress: bool) -> int:
        key = (*layout, compress)
        local = self._locals.get(key)
        if local is not None:
            return local
        if compress:  # compressed headers can only name local messages 0-3
            local = self._next_compressed
            self._next_compressed = (self._next_compressed + 1) % 4
        else:
            local = 4 + self._next_local
            self._next_local = (self._next_local + 1) % 12
        self._locals = {k: v for k, v in self._locals.items() if v != local}
        self._locals[key] = local
        self._chunks.append(self._definition(local, layout))
        return local

    def _definition(self, local: int, layout: tuple[Any, ...]) -> bytes:
        global_num, fields = layout
        native = [f for f in fields if f[3] < 0]
        developer = [f for f in fields if f[3] >= 0]
        header = 0x40 | local | (0x20 if developer else 0)
        order = ">" if self.big_endian else "<"
        out = struct.pack(order + "BBBHB", header, 0, int(self.big_endian), global_num, len(native))
        for number, size, base, _ in native:
            flag = 0x80 if BASE_TYPE_BY_NAME_BY_NUMBER[base].size > 1 else 0
            out += bytes([number, size, base | flag])
        if developer:
            out += bytes([len(developer)])
            for number, size, _, index in developer:
                out += bytes([number, size, index])
        return out


BASE_TYPE_BY_NAME_BY_NUMBER: Final = {t.number: t for t in BASE_TYPE_BY_NAME.values()}


def _size(base: BaseType, value: Any) -> int:
    if base.name == "string":
        return len(str(value).encode("utf-8")) + 1
    if isinstance(value, list | tuple | np.ndarray):
        return base.size * len(value)
    return base.size


def _raw_time(value: Any) -> int:
    if isinstance(value, datetime):
        return int(value.timestamp()) - FIT_EPOCH_POSIX_S
    return round(float(value)) - FIT_EPOCH_POSIX_S


def _raw(plan: _FieldPlan, value: Any) -> int | float:
    """A value in profile units → the raw number stored in the file."""
    base = plan.base_type
    if isinstance(value, str):
        names = enum_names(plan.type) or {}
        codes = {name: code for code, name in names.items()}
        if value not in codes:
            raise KeyError(f"{value!r} is not a {plan.type}")
        return codes[value]
    if isinstance(value, datetime) or (plan.type == "date_time" and not plan.developer):
        if isinstance(value, float) and value != value:
            return base.invalid
        return _raw_time(value)
    number = float(value)
    if number != number:  # NaN → the base type's invalid value
        if base.is_float:
            return float("nan")
        return base.invalid
    if plan.type in NUMERIC_TYPES or plan.developer:
        number = (number + plan.offset) * plan.scale
    if base.is_float:
        return number
    return round(number)


def encode_activity(
    records: Mapping[str, Sequence[float] | npt.NDArray[Any]],
    *,
    laps: Sequence[Mapping[str, Any]] = (),
    sessions: Sequence[Mapping[str, Any]] = (),
    developer_fields: Sequence[DeveloperFieldSpec] = (),
    manufacturer: str = "development",
    product: int = 1,
    serial_number: int = 1234567890,
    big_endian: bool = False,
    compressed_timestamps: bool = False,
) -> bytes:
    """A complete activity file from record columns in profile units (timestamps POSIX s).

    Writes ``file_id``, ``device_info``, a timer-start ``event``, the records (NaN → the
    field's invalid value), then the given ``lap`` and ``session`` messages and an
    ``activity`` message, in that order (summary messages last, as watches do).
    """
    timestamps = np.asarray(records["timestamp"], dtype=np.float64)
    start = float(timestamps[0]) if len(timestamps) else float(FIT_EPOCH_POSIX_S + 1e9)
    end = float(timestamps[-1]) if len(timestamps) else start
    encoder = FitEncoder(big_endian=big_endian)
    encoder.write(
        "file_id",
        {
            "type": "activity",
            "manufacturer": manufacturer,
            "product": product,
            "serial_number": serial_number,
            "time_created": start,
        },
    )
    encoder.write(
        "device_info",
        {"timestamp": start, "device_index": "creator", "manufacturer": manufacturer},
    )
    for spec in developer_fields:
        encoder.add_developer_field(spec)
    encoder.write("event", {"timestamp": start, "event": "timer", "event_type": "start"})
    names = list(records)
    columns = [np.asarray(records[name]) for name in names]
    for i in range(len(timestamps)):
        row = {name: column[i].item() for name, column in zip(names, columns, strict=True)}
        encoder.write("record", row, compressed_timestamp=compressed_timestamps)
    encoder.write("event", {"timestamp": end, "event": "timer", "event_type": "stop_all"})
    for lap in laps:
        encoder.write("lap", lap)
    for session in sessions:
        encoder.write("session", session)
    encoder.write(
        "activity",
        {"timestamp": end, "num_sessions": max(1, len(sessions)), "type": "manual"},
    )
    return encoder.to_bytes()


def fit_cadence_fields(steps_per_min: npt.NDArray[Any]) -> dict[str, npt.NDArray[Any]]:
    """FIT record ``cadence`` and ``fractional_cadence`` for a running step rate.

    FIT stores strides/min: whole strides in ``cadence`` and the rest in 1/128 units. The
    step rate is rounded to whole steps, so the fraction is 0 or 0.5.
    """
    strides = np.round(steps_per_min) / 2.0
    whole = np.floor(strides)
    return {"cadence": whole, "fractional_cadence": np.round((strides - whole) * 128) / 128}


def summarise_records(
    records: Mapping[str, npt.NDArray[Any]],
    start: int,
    stop: int,
    *,
    interval_s: float = 1.0,
    mass_kg: float = 70.0,
) -> dict[str, Any]:
    """What a watch writes in a ``lap`` or ``session`` message for records ``[start, stop)``.

    For synthetic fixtures and samples: records must hold ``timestamp``, ``distance``,
    ``enhanced_speed``, ``heart_rate``, ``cadence`` and ``fractional_cadence``; running
    dynamics and power are averaged when present. Calories are a flat 1 kcal/kg/km.
    """
    sl = slice(start, stop)
    cadence = records["cadence"][sl] + records["fractional_cadence"][sl]
    seconds = float((stop - start) * interval_s)
    before = float(records["distance"][start - 1]) if start else 0.0
    distance = float(records["distance"][stop - 1]) - before

    def mean(column: str, decimals: int) -> float:
        return round(float(records[column][sl].mean()), decimals)

    optional = {  # averaged when the records carry the channel, in the watch's order
        "avg_stance_time": ("stance_time", 1),
        "avg_stance_time_balance": ("stance_time_balance", 2),
        "avg_vertical_oscillation": ("vertical_oscillation", 1),
        "avg_vertical_ratio": ("vertical_ratio", 2),
        "avg_step_length": ("step_length", 1),
        "avg_power": ("power", 0),
    }
    summary: dict[str, Any] = {
        "timestamp": float(records["timestamp"][stop - 1]) + interval_s,
        "start_time": float(records["timestamp"][start]),
        "total_elapsed_time": seconds,
        "total_timer_time": seconds,
        "total_distance": round(distance, 2),
        "enhanced_avg_speed": round(distance / seconds, 3),
        "enhanced_max_speed": float(records["enhanced_speed"][sl].max()),
        "avg_heart_rate": round(float(records["heart_rate"][sl].mean())),
        "max_heart_rate": round(float(records["heart_rate"][sl].max())),
        "avg_cadence": math.floor(float(cadence.mean())),
        "avg_fractional_cadence": round((float(cadence.mean()) % 1) * 128) / 128,
        "max_cadence": math.floor(float(cadence.max())),
        **{
            field: (round(mean(column, 0)) if decimals == 0 else mean(column, decimals))
            for field, (column, decimals) in optional.items()
            if column in records
        },
        "total_calories": round(distance / 1000.0 * mass_kg),
        "sport": "running",
        "sub_sport": "street",
    }
    return summary
