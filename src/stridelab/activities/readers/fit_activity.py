"""Decoded FIT messages → the shared :class:`~stridelab.activities.model.Activity`.

Sessions come from ``session`` messages (a multisport file has one per sport, records
are split by the sessions' start times), laps are sample-index slices found from each
``lap`` message's start time, and every channel is converted to SI at this edge:
timestamps to POSIX seconds (UTC), semicircles to degrees, FIT running cadence
(strides/min plus ``fractional_cadence``) to steps/min, step length mm → m. The
device's own session and lap totals are kept apart in ``device_summary``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, Final

import numpy as np
import numpy.typing as npt

from stridelab.activities.model import (
    Activity,
    FileFormat,
    FloatArray,
    Lap,
    Samples,
    Session,
    SummaryValue,
)
from stridelab.activities.readers.fit_decode import FitFile, FitMessages
from stridelab.activities.readers.fit_profile import FIT_EPOCH_POSIX_S
from stridelab.activities.sports import FOOT_SPORTS
from stridelab.errors import EmptyActivityError
from stridelab.units import SEMICIRCLES_PER_DEGREE

__all__ = ["activity_from_fit", "device_summary"]

#: FIT date_time values below this are seconds since the device powered on, not UTC.
_RELATIVE_LIMIT_POSIX_S: Final = FIT_EPOCH_POSIX_S + 0x10000000
#: Developer (Connect IQ, e.g. Stryd) fields used where the native channel is missing:
#: sample column → (developer field name, lowercase; factor by declared units).
_DEVELOPER_FALLBACKS: Final[dict[str, tuple[str, dict[str, float]]]] = {
    "power_w": ("power", {"w": 1.0, "watts": 1.0, "": 1.0}),
    "ground_contact_ms": ("ground time", {"ms": 1.0, "milliseconds": 1.0, "": 1.0}),
    "vertical_oscillation_mm": ("vertical oscillation", {"cm": 10.0, "mm": 1.0, "m": 1000.0}),
}


def _column(table: FitMessages, *names: str) -> FloatArray | None:
    """The first of ``names`` present as a numeric 1-D column, else None."""
    for name in names:
        column = table.get(name)
        if (
            column is not None
            and column.dtype != object
            and column.ndim == 1
            and not np.all(np.isnan(column))
        ):
            return np.asarray(column, dtype=np.float64)
    return None


def _developer_column(
    table: FitMessages, wanted: str, factors: dict[str, float]
) -> FloatArray | None:
    for name, field in table.fields.items():
        if field.developer_index is None or name.lower() != wanted:
            continue
        factor = factors.get(field.units.strip().lower())
        column = table[name]
        if factor is not None and column.dtype != object and column.ndim == 1:
            return np.asarray(column, dtype=np.float64) * factor
    return None


def _record_columns(records: FitMessages) -> dict[str, FloatArray | None]:
    """All sample channels of the file in SI units (before splitting into sessions)."""
    lat = _column(records, "position_lat")
    lon = _column(records, "position_long")
    cadence = _column(records, "cadence")
    fractional = _column(records, "fractional_cadence")
    step_length = _column(records, "step_length")
    columns: dict[str, FloatArray | None] = {
        "distance_m": _column(records, "distance"),
        "speed_m_s": _column(records, "enhanced_speed", "speed"),
        "altitude_m": _column(records, "enhanced_altitude", "altitude"),
        "latitude_deg": None if lat is None else lat / SEMICIRCLES_PER_DEGREE,
        "longitude_deg": None if lon is None else lon / SEMICIRCLES_PER_DEGREE,
        "heart_rate_bpm": _column(records, "heart_rate"),
        "cadence_spm": None
        if cadence is None
        else 2.0 * (cadence + (0.0 if fractional is None else np.nan_to_num(fractional))),
        "power_w": _column(records, "power"),
        "ground_contact_ms": _column(records, "stance_time"),
        "ground_contact_balance_left_pct": _column(records, "stance_time_balance"),
        "vertical_oscillation_mm": _column(records, "vertical_oscillation"),
        "vertical_ratio_pct": _column(records, "vertical_ratio"),
        "step_length_m": None if step_length is None else step_length / 1000.0,
        "temperature_c": _column(records, "temperature"),
    }
    for key, (wanted, factors) in _DEVELOPER_FALLBACKS.items():
        if columns[key] is None:
            columns[key] = _developer_column(records, wanted, factors)
    return columns


def _number(table: FitMessages, name: str, row: int) -> float | None:
    """A numeric value (also a raw number in an enum column, e.g. ``local_date_time``)."""
    column = table.get(name)
    if column is None or column.ndim != 1:
        return None
    value = column[row]
    if column.dtype == object:
        return float(value) if isinstance(value, int) and not isinstance(value, bool) else None
    number = float(value)
    return None if number != number else number


def _text(table: FitMessages, name: str, row: int) -> str | None:
    column = table.get(name)
    if column is None:
        return None
    value = column[row]
    if value is None or (isinstance(value, float) and value != value):
        return None
    return str(value)


def _scaled(factor: float, *names: str) -> Callable[[FitMessages, int], float | None]:
    def get(table: FitMessages, row: int) -> float | None:
        for name in names:
            value = _number(table, name, row)
            if value is not None:
                return value * factor
        return None

    return get


def _cadence(whole: str, fraction: str) -> Callable[[FitMessages, int], float | None]:
    def get(table: FitMessages, row: int) -> float | None:
        value = _number(table, whole, row)
        if value is None:
            return None
        return 2.0 * (value + (_number(table, fraction, row) or 0.0))

    return get


#: device_summary key → how to read it from a session or lap message (SI units).
_SUMMARY: Final[dict[str, Callable[[FitMessages, int], float | None]]] = {
    "distance_m": _scaled(1.0, "total_distance"),
    "elapsed_time_s": _scaled(1.0, "total_elapsed_time"),
    "timer_time_s": _scaled(1.0, "total_timer_time"),
    "moving_time_s": _scaled(1.0, "total_moving_time"),
    "avg_speed_m_s": _scaled(1.0, "enhanced_avg_speed", "avg_speed"),
    "max_speed_m_s": _scaled(1.0, "enhanced_max_speed", "max_speed"),
    "avg_hr_bpm": _scaled(1.0, "avg_heart_rate"),
    "max_hr_bpm": _scaled(1.0, "max_heart_rate"),
    "avg_cadence_spm": _cadence("avg_cadence", "avg_fractional_cadence"),
    "max_cadence_spm": _cadence("max_cadence", "max_fractional_cadence"),
    "avg_ground_contact_ms": _scaled(1.0, "avg_stance_time"),
    "avg_ground_contact_balance_left_pct": _scaled(1.0, "avg_stance_time_balance"),
    "avg_vertical_oscillation_mm": _scaled(1.0, "avg_vertical_oscillation"),
    "avg_vertical_ratio_pct": _scaled(1.0, "avg_vertical_ratio"),
    "avg_step_length_m": _scaled(0.001, "avg_step_length"),
    "avg_power_w": _scaled(1.0, "avg_power"),
    "max_power_w": _scaled(1.0, "max_power"),
    "normalized_power_w": _scaled(1.0, "normalized_power"),
    "calories_kcal": _scaled(1.0, "total_calories"),
    "total_ascent_m": _scaled(1.0, "total_ascent"),
    "total_descent_m": _scaled(1.0, "total_descent"),
    "avg_temperature_c": _scaled(1.0, "avg_temperature"),
    "training_stress_score": _scaled(1.0, "training_stress_score"),
    "aerobic_training_effect": _scaled(1.0, "total_training_effect"),
}


def device_summary(
    table: FitMessages, row: int, sport: str | None = None
) -> dict[str, SummaryValue]:
    """The device's own totals of one session or lap message, SI keys, missing ones left out.

    ``sport`` is the session's, for lap messages that do not name their own; cadence is
    reported (as steps/min) only for sports on foot.
    """
    summary: dict[str, SummaryValue] = {}
    for key in ("sport", "sub_sport"):
        text = _text(table, key, row)
        if text is not None:
            summary[key] = text
    for key, read in _SUMMARY.items():
        value = read(table, row)
        if value is not None:
            summary[key] = value
    if (_text(table, "sport", row) or sport or "generic") not in FOOT_SPORTS:
        summary.pop("avg_cadence_spm", None)
        summary.pop("max_cadence_spm", None)
    return summary


#: A record dated further than this from the file's median record is a clock glitch.
MAX_RECORD_SPREAD_S: Final = 7 * 24 * 3600.0


def _utc(posix_s: float) -> datetime:
    return datetime.fromtimestamp(posix_s, tz=UTC)


def _samples(
    columns: dict[str, FloatArray | None], ts: FloatArray, rows: Any, sport: str
) -> Samples:
    picked: dict[str, Any] = {}
    for key, column in columns.items():
        part = None if column is None else column[rows]
        if part is not None and (len(part) == 0 or np.all(np.isnan(part))):
            part = None
        picked[key] = part
    if sport not in FOOT_SPORTS:
        picked["cadence_spm"] = None  # pedal rpm or strokes/min: not steps
    return Samples(timestamp_s=ts[rows], **picked)


def _laps(
    laps: FitMessages | None,
    ts: FloatArray,
    start_s: float,
    stop_s: float,
    sport: str,
    shift_s: float = 0.0,
) -> tuple[Lap, ...]:
    """Laps whose start falls in [start_s, stop_s), as index slices of the session's samples."""
    if laps is None:
        return ()
    starts = laps.get("start_time")
    if starts is None or starts.dtype == object or starts.ndim != 1:
        return ()
    starts = _absolute(starts, shift_s)
    rows = [i for i in np.argsort(starts, kind="stable") if start_s <= starts[i] < stop_s]
    indices = [
        int(np.argmax(ts >= starts[i])) if np.any(ts >= starts[i]) else len(ts) for i in rows
    ]
    result: list[Lap] = []
    for n, (row, first) in enumerate(zip(rows, indices, strict=True)):
        first = max(first, result[-1].start_index if result else 0)
        last = indices[n + 1] if n + 1 < len(indices) else len(ts)
        result.append(
            Lap(
                start=_utc(float(starts[row])),
                start_index=first,
                end_index=max(first, last),
                device_summary=device_summary(laps, int(row), sport),
            )
        )
    return tuple(result)


def _absolute(values: FloatArray, shift_s: float) -> FloatArray:
    """Relative FIT times (seconds since the device powered on) moved to UTC by ``shift_s``."""
    if not shift_s:
        return values
    return np.where(values < _RELATIVE_LIMIT_POSIX_S, values + shift_s, values)


def _relative_shift_s(fit: FitFile) -> tuple[float, str | None]:
    """Seconds to add to relative times, and how they were found (None: not found).

    A ``timestamp_correlation`` message pairs UTC with device time. Without one, the
    ``activity`` message's ``local_timestamp`` (absolute, but local wall-clock time)
    beside its relative ``timestamp`` still dates the run, off by the unknown UTC offset.
    """
    table = fit.get("timestamp_correlation")
    if table is not None and len(table):
        utc = _number(table, "timestamp", 0)
        system = _number(table, "system_timestamp", 0)
        if utc is not None and system is not None and utc >= _RELATIVE_LIMIT_POSIX_S:
            return utc - system, "utc"
    table = fit.get("activity")
    if table is not None and len(table):
        local = _number(table, "local_timestamp", 0)
        device = _number(table, "timestamp", 0)
        if local is not None and device is not None and local >= 0x10000000:
            return local + FIT_EPOCH_POSIX_S - device, "local time (UTC offset unknown)"
    return 0.0, None


def _device_name(fit: FitFile) -> str | None:
    file_id = fit.get("file_id")
    if file_id is None or len(file_id) == 0:
        return None
    maker = _text(file_id, "manufacturer", 0)
    product = _text(file_id, "product_name", 0) or _text(file_id, "garmin_product", 0)
    product = product or _text(file_id, "product", 0)
    if product is not None and product.endswith(".0"):
        product = product[:-2]
    name = " ".join(part for part in (maker, product) if part)
    return name or None


def activity_from_fit(fit: FitFile, content_sha256: str) -> Activity:
    """Build the :class:`Activity` of a decoded FIT file whose bytes hash to ``content_sha256``."""
    records = fit.get("record")
    ts_all = None if records is None else _column(records, "timestamp")
    if records is None or ts_all is None:
        raise EmptyActivityError(
            "the FIT file has no timed record messages",
            path=fit.source_path,
            hint="It may be a settings, course or workout file rather than a recorded activity",
        )
    keep = ~np.isnan(ts_all)
    glitches = _clock_glitches(ts_all, keep)
    keep &= ~glitches
    if not keep.any():
        raise EmptyActivityError(
            "no record message has a usable timestamp (all missing or invalid)",
            path=fit.source_path,
            hint="The file is too damaged to analyse; export it from the watch again",
        )
    columns = {k: (None if c is None else c[keep]) for k, c in _record_columns(records).items()}
    relative = bool(np.any(ts_all[keep] < _RELATIVE_LIMIT_POSIX_S))
    shift_s, corrected = _relative_shift_s(fit) if relative else (0.0, None)
    ts = _absolute(ts_all[keep], shift_s)
    ts, columns, merged = _merge_same_time(ts, columns)
    sessions_table = fit.get("session")
    spans: list[tuple[float, int]] = []  # (start time, session row)
    if sessions_table is not None:
        for row in range(len(sessions_table)):
            start = _number(sessions_table, "start_time", row)
            if start is None:
                start = float(np.nanmin(ts))
            elif start < _RELATIVE_LIMIT_POSIX_S:
                start += shift_s
            spans.append((start, row))
        spans.sort()
    laps_table = fit.get("lap")
    sessions: list[Session] = []
    if not spans:
        sport = _sport_from(fit)
        sessions.append(
            Session(
                sport=sport,
                start=_utc(float(ts[0])),
                samples=_samples(columns, ts, slice(None), sport),
                laps=_laps(laps_table, ts, -np.inf, np.inf, sport, shift_s),
            )
        )
    if sessions_table is not None:
        sessions.extend(_split(sessions_table, spans, columns, ts, laps_table, shift_s))
    return Activity(
        format=FileFormat.FIT,
        sessions=tuple(sessions),
        content_sha256=content_sha256,
        source_path=fit.source_path,
        device=_device_name(fit),
        metadata={
            **_metadata(fit, relative, corrected, shift_s),
            **({"dropped_clock_glitches": int(glitches.sum())} if glitches.any() else {}),
            **({"merged_same_time_records": merged} if merged else {}),
        },
    )


def _merge_same_time(
    ts: FloatArray, columns: dict[str, FloatArray | None]
) -> tuple[FloatArray, dict[str, FloatArray | None], int]:
    """Merge consecutive records that share a timestamp into one sample.

    Some phone apps (Strava Android) write speed in one record and distance in the next
    with the same time; as separate samples every second one lasts 0 s and moving time
    collapses. Each channel keeps its first non-NaN value within the group.
    """
    if ts.size < 2 or not np.any(np.diff(ts) == 0):
        return ts, columns, 0
    starts = np.flatnonzero(np.concatenate(([True], np.diff(ts) != 0)))
    group = np.cumsum(np.concatenate(([True], np.diff(ts) != 0))) - 1
    merged: dict[str, FloatArray | None] = {}
    for key, column in columns.items():
        if column is None:
            merged[key] = None
            continue
        out = np.full(starts.size, np.nan)
        present = ~np.isnan(column)
        # Fancy assignment keeps the last write: write in reverse so the first value wins.
        out[group[present][::-1]] = column[present][::-1]
        merged[key] = out
    return ts[starts], merged, int(ts.size - starts.size)


def _clock_glitches(ts_all: FloatArray, keep: npt.NDArray[np.bool_]) -> npt.NDArray[np.bool_]:
    """Records dated more than :data:`MAX_RECORD_SPREAD_S` from the median record.

    Some phone apps write a last record decades away (a Strava Android file in the
    shared set jumps 64 years); keeping it would make the run last 64 years.
    """
    glitches = np.zeros(len(ts_all), dtype=bool)
    if keep.any():
        median = float(np.median(ts_all[keep]))
        glitches[keep] = np.abs(ts_all[keep] - median) > MAX_RECORD_SPREAD_S
    return glitches


def _split(
    table: FitMessages,
    spans: list[tuple[float, int]],
    columns: dict[str, FloatArray | None],
    ts: FloatArray,
    laps_table: FitMessages | None,
    shift_s: float,
) -> list[Session]:
    """One Session per session message; records go to the session whose span holds them."""
    sessions = []
    for n, (start, row) in enumerate(spans):
        lower = -np.inf if n == 0 else start
        upper = spans[n + 1][0] if n + 1 < len(spans) else np.inf
        rows = np.flatnonzero((ts >= lower) & (ts < upper))
        sport = _text(table, "sport", row) or "generic"
        sessions.append(
            Session(
                sport=sport,
                start=_utc(start),
                samples=_samples(columns, ts, rows, sport),
                laps=_laps(laps_table, ts[rows], lower, upper, sport, shift_s),
                sub_sport=_text(table, "sub_sport", row),
                device_summary=device_summary(table, row),
            )
        )
    return sessions


def _sport_from(fit: FitFile) -> str:
    sport = fit.get("sport")
    return (_text(sport, "sport", 0) if sport is not None and len(sport) else None) or "generic"


def _metadata(
    fit: FitFile, relative: bool, corrected: str | None, shift_s: float
) -> dict[str, SummaryValue]:
    """File facts; ``relative_timestamps`` says the device counted from power-on, and
    ``timestamps_corrected`` how they were dated (``"utc"``, local time, or None)."""
    meta: dict[str, SummaryValue] = {
        "fit_streams": fit.streams,
        "fit_protocol_version": fit.protocol_version,
        "fit_profile_version": fit.profile_version,
        "relative_timestamps": relative,
        "timestamps_corrected": corrected,
    }
    file_id = fit.get("file_id")
    if file_id is not None and len(file_id):
        created = _number(file_id, "time_created", 0)
        if created is not None and created < _RELATIVE_LIMIT_POSIX_S:
            created += shift_s
        meta["time_created"] = None if created is None else _utc(created).isoformat()
        serial = _number(file_id, "serial_number", 0)
        meta["serial_number"] = None if serial is None else str(int(serial))
        meta["file_type"] = _text(file_id, "type", 0)
    if fit.warnings:
        meta["decode_warnings"] = "; ".join(fit.warnings)
    return meta
