"""Running metrics computed from the record stream (never copied from the file's summary).

Every function takes a session's :class:`Samples` and a half-open index range (a
session, a lap, a split) and returns numbers in SI units, or ``None`` where the file has
no channel to support the metric. Conventions:

* Each sample stands for the time until the next one (forward difference); a gap longer
  than :data:`MAX_SAMPLE_GAP_S` is a pause and counts zero (the same convention as
  :mod:`stridelab.physiology.load`). The timer time is the sum of those weights.
* Moving means speed above :data:`MOVING_SPEED_M_S`. Averages are time-weighted.
* Cadence is steps per minute, averaged over moving samples with cadence above
  :data:`MIN_STEP_CADENCE_SPM` (a stopped foot pod reports 0, which is not a cadence).
  Devices disagree on this: some Garmin models (FR35, FR955) average only non-zero
  cadence, others (FR920XT, fenix 6X) average the zeros of stops in, so the second
  convention is reported too as ``avg_cadence_incl_stops_spm``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any, Final

import numpy as np

from stridelab.activities.model import FloatArray, Samples
from stridelab.physiology.load import MAX_SAMPLE_GAP_S, sample_weights_s
from stridelab.units import M_PER_KM, pace_s_per_km_from_speed, pace_s_per_km_from_time

__all__ = [
    "DEFAULT_HR_ZONES",
    "MAX_SAMPLE_GAP_S",
    "MINETTI_MAX_GRADE",
    "MIN_STEP_CADENCE_SPM",
    "MOVING_SPEED_M_S",
    "HrZone",
    "SegmentMetrics",
    "Split",
    "minetti_cost_j_kg_m",
    "sample_weights_s",
    "segment_metrics",
    "speed_series",
    "splits_per_km",
]

#: Below this speed a sample is "not moving" (m/s; 0.5 m/s is a slow walk's half).
MOVING_SPEED_M_S: Final = 0.5
#: A recorded cadence at or below this is a stopped sensor, not a cadence (steps/min).
MIN_STEP_CADENCE_SPM: Final = 20.0
#: Minetti et al. 2002 measured grades from −0.45 to +0.45; grades beyond are clipped.
MINETTI_MAX_GRADE: Final = 0.45
#: Distance over which altitude differences become a grade (metres, centred window).
GRADE_WINDOW_M: Final = 50.0
#: Altitude must move this much before it counts as climb or descent (metres).
ELEVATION_HYSTERESIS_M: Final = 3.0


@dataclass(frozen=True)
class HrZone:
    """A heart-rate zone as a fraction of maximum heart rate, ``[low, high)``."""

    name: str
    low_fraction: float
    high_fraction: float


#: The common five-zone model by % of maximum heart rate (as in Garmin's and
#: Polar's defaults). Conventions, not physiology: thresholds differ between people.
DEFAULT_HR_ZONES: Final = (
    HrZone("z1_recovery", 0.50, 0.60),
    HrZone("z2_endurance", 0.60, 0.70),
    HrZone("z3_tempo", 0.70, 0.80),
    HrZone("z4_threshold", 0.80, 0.90),
    HrZone("z5_vo2max", 0.90, 10.0),
)


@dataclass(frozen=True)
class SegmentMetrics:
    """Metrics of one session or lap; ``None`` where the file cannot support a value."""

    sport: str
    start: datetime
    distance_m: float | None
    elapsed_time_s: float
    timer_time_s: float
    moving_time_s: float | None
    avg_speed_m_s: float | None
    avg_pace_s_per_km: float | None
    grade_adjusted_pace_s_per_km: float | None
    elevation_gain_m: float | None
    elevation_loss_m: float | None
    avg_hr_bpm: float | None
    max_hr_bpm: float | None
    time_in_hr_zones_s: dict[str, float] | None
    avg_cadence_spm: float | None
    avg_cadence_incl_stops_spm: float | None
    max_cadence_spm: float | None
    avg_ground_contact_ms: float | None
    avg_ground_contact_balance_left_pct: float | None
    avg_vertical_oscillation_mm: float | None
    avg_vertical_ratio_pct: float | None
    avg_step_length_m: float | None
    step_length_source: str | None
    avg_power_w: float | None
    max_power_w: float | None
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready values (``start`` as ISO-8601)."""
        out = asdict(self)
        out["start"] = self.start.isoformat()
        extra = out.pop("extra")
        out.update(extra)
        return out


@dataclass(frozen=True)
class Split:
    """One kilometre (the last may be shorter) of a session."""

    index: int
    distance_m: float
    time_s: float
    pace_s_per_km: float
    grade_adjusted_pace_s_per_km: float | None
    avg_hr_bpm: float | None
    avg_cadence_spm: float | None
    elevation_change_m: float | None


def _monotone_distance(samples: Samples) -> FloatArray | None:
    """Cumulative distance, NaN filled forward and never decreasing; ``None`` if absent."""
    if samples.distance_m is None:
        if samples.speed_m_s is None:
            return None
        speed = np.nan_to_num(np.clip(samples.speed_m_s, 0.0, None), nan=0.0)
        weights = sample_weights_s(samples.timestamp_s)
        return np.concatenate(([0.0], np.cumsum(speed * weights)[:-1]))
    d = samples.distance_m.copy()
    finite = np.isfinite(d)
    if not finite.any():
        return None
    first = int(np.argmax(finite))
    d[:first] = d[first]
    d = np.fmax.accumulate(d)
    return np.asarray(d, dtype=np.float64)


def speed_series(samples: Samples) -> FloatArray | None:
    """Speed per sample: the recorded channel, else distance differences over time."""
    if samples.speed_m_s is not None and np.isfinite(samples.speed_m_s).any():
        return np.nan_to_num(samples.speed_m_s, nan=0.0)
    distance = _monotone_distance(samples)
    if distance is None or len(distance) < 2:
        return None
    dd = np.diff(distance, append=distance[-1])
    dt = np.diff(samples.timestamp_s, append=samples.timestamp_s[-1])
    with np.errstate(divide="ignore", invalid="ignore"):
        speed = np.where(dt > 0, dd / np.where(dt > 0, dt, 1.0), 0.0)
    # Smooth GPS jitter over ~5 samples.
    kernel = np.ones(5) / 5.0
    smoothed: FloatArray = np.convolve(speed, kernel, mode="same")
    return smoothed


def minetti_cost_j_kg_m(grade: FloatArray) -> FloatArray:
    """Energy cost of running on a gradient, J per kg per metre (Minetti et al. 2002).

    Minetti AE, Moia C, Roi GS, Susta D, Ferretti G. Energy cost of walking and running at
    extreme uphill and downhill slopes. *J Appl Physiol* 93:1039–1046 (2002):
    Cr(i) = 155.4i⁵ − 30.4i⁴ − 43.3i³ + 46.3i² + 19.5i + 3.6, i the grade as a fraction,
    measured on a treadmill from −0.45 to +0.45 (values outside are clipped). Level running
    costs 3.6 J/kg/m; the cost is lowest near −0.20.
    """
    i = np.clip(grade, -MINETTI_MAX_GRADE, MINETTI_MAX_GRADE)
    # Horner's form of the polynomial: five multiplications instead of float powers.
    cost: FloatArray = ((((155.4 * i - 30.4) * i - 43.3) * i + 46.3) * i + 19.5) * i + 3.6
    return cost


def _flat_cost_ratio(grade: FloatArray) -> FloatArray:
    """Minetti cost at ``grade`` over the cost on the flat: metres of flat each metre is worth."""
    ratio: FloatArray = minetti_cost_j_kg_m(grade) / minetti_cost_j_kg_m(np.zeros(1))[0]
    return ratio


def _valid_hr(hr: FloatArray | None) -> FloatArray | None:
    """Heart rate with the 0 bpm a lost strap reports as NaN."""
    return np.where(hr > 0, hr, np.nan) if hr is not None else None


def _valid_cadence(cadence: FloatArray | None) -> FloatArray | None:
    """Cadence with a stopped sensor's readings (at most :data:`MIN_STEP_CADENCE_SPM`) as NaN."""
    return (
        np.where(cadence > MIN_STEP_CADENCE_SPM, cadence, np.nan) if cadence is not None else None
    )


def _grade(distance: FloatArray, altitude: FloatArray) -> FloatArray | None:
    finite = np.isfinite(altitude)
    if finite.sum() < 2:
        return None
    alt = np.interp(np.arange(len(altitude)), np.flatnonzero(finite), altitude[finite])
    half = GRADE_WINDOW_M / 2
    ahead = np.interp(distance + half, distance, alt)
    behind = np.interp(distance - half, distance, alt)
    span = np.interp(distance + half, distance, distance) - np.interp(
        distance - half, distance, distance
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        grade = np.where(span > 1.0, (ahead - behind) / np.where(span > 1.0, span, 1.0), 0.0)
    return np.asarray(grade, dtype=np.float64)


def _elevation_changes(altitude: FloatArray) -> tuple[float, float] | None:
    values = altitude[np.isfinite(altitude)]
    if values.size < 2:
        return None
    gain = loss = 0.0
    anchor = float(values[0])
    for value in values[1:]:
        delta = float(value) - anchor
        if delta >= ELEVATION_HYSTERESIS_M:
            gain += delta
            anchor = float(value)
        elif delta <= -ELEVATION_HYSTERESIS_M:
            loss -= delta
            anchor = float(value)
    return gain, loss


def _weighted_mean(values: FloatArray | None, weights: FloatArray, valid: Any) -> float | None:
    if values is None:
        return None
    mask = valid & np.isfinite(values) & (weights > 0)
    total = float(weights[mask].sum())
    if total <= 0:
        return None
    return float((values[mask] * weights[mask]).sum() / total)


def _positive_mean(values: FloatArray | None, weights: FloatArray, moving: Any) -> float | None:
    if values is None:
        return None
    return _weighted_mean(values, weights, moving & (values > 0))


def _max(values: FloatArray | None) -> float | None:
    if values is None or not np.isfinite(values).any():
        return None
    return float(np.nanmax(values))


def _zones(
    hr: FloatArray, weights: FloatArray, max_hr_bpm: float, zones: tuple[HrZone, ...]
) -> dict[str, float]:
    out: dict[str, float] = {}
    fraction = hr / max_hr_bpm
    for zone in zones:
        mask = np.isfinite(fraction) & (fraction >= zone.low_fraction)
        mask &= fraction < zone.high_fraction
        out[zone.name] = round(float(weights[mask].sum()), 1)
    return out


def segment_metrics(
    samples: Samples,
    lo: int,
    hi: int,
    *,
    sport: str,
    start: datetime,
    max_hr_bpm: float | None,
    zones: tuple[HrZone, ...] = DEFAULT_HR_ZONES,
) -> SegmentMetrics:
    """Metrics of samples ``[lo, hi)`` of a session, computed from the stream alone."""
    sl = slice(lo, hi)
    t = samples.timestamp_s[sl]
    weights = sample_weights_s(t)
    timer = float(weights.sum())
    elapsed = float(t[-1] - t[0]) if t.size else 0.0
    distance_all = _monotone_distance(samples)
    speed_all = speed_series(samples)
    distance = None
    if distance_all is not None and hi > lo:
        before = distance_all[lo - 1] if lo > 0 else distance_all[lo]
        distance = float(distance_all[hi - 1] - before)
    speed = speed_all[sl] if speed_all is not None else None
    moving = speed > MOVING_SPEED_M_S if speed is not None else np.ones(t.size, dtype=bool)
    moving_time = float(weights[moving].sum()) if speed is not None else None
    avg_speed = distance / moving_time if distance and moving_time else None
    pace = pace_s_per_km_from_speed(avg_speed) if avg_speed else None

    gap = None
    altitude = samples.altitude_m[sl] if samples.altitude_m is not None else None
    if distance_all is not None and altitude is not None and moving_time:
        grade = _grade(distance_all[sl], altitude)
        if grade is not None:
            step = np.diff(distance_all[sl], append=distance_all[sl][-1])
            flat_equivalent = float((step * _flat_cost_ratio(grade)).sum())
            gap = (
                pace_s_per_km_from_time(moving_time, flat_equivalent)
                if flat_equivalent > 0
                else None
            )
    elevation = _elevation_changes(altitude) if altitude is not None else None

    def column(values: FloatArray | None) -> FloatArray | None:
        return values[sl] if values is not None else None

    hr = _valid_hr(column(samples.heart_rate_bpm))
    everything = np.ones(t.size, dtype=bool)
    cadence_with_stops = column(samples.cadence_spm)
    cadence = _valid_cadence(cadence_with_stops)

    step_length = _positive_mean(column(samples.step_length_m), weights, moving)
    step_source = "recorded" if step_length is not None else None
    avg_cadence = _weighted_mean(cadence, weights, moving)
    if step_length is None and avg_cadence and avg_speed:
        step_length = avg_speed / (avg_cadence / 60.0)
        step_source = "speed / cadence"
    max_hr = _max(hr)
    zone_max = max_hr_bpm if max_hr_bpm is not None else max_hr
    power = column(samples.power_w)
    return SegmentMetrics(
        sport=sport,
        start=start,
        distance_m=distance,
        elapsed_time_s=elapsed,
        timer_time_s=timer,
        moving_time_s=moving_time,
        avg_speed_m_s=avg_speed,
        avg_pace_s_per_km=pace,
        grade_adjusted_pace_s_per_km=gap,
        elevation_gain_m=elevation[0] if elevation else None,
        elevation_loss_m=elevation[1] if elevation else None,
        avg_hr_bpm=_weighted_mean(hr, weights, everything),
        max_hr_bpm=max_hr,
        time_in_hr_zones_s=_zones(hr, weights, zone_max, zones)
        if hr is not None and zone_max
        else None,
        avg_cadence_spm=avg_cadence,
        avg_cadence_incl_stops_spm=_weighted_mean(cadence_with_stops, weights, everything),
        max_cadence_spm=_max(cadence),
        avg_ground_contact_ms=_positive_mean(column(samples.ground_contact_ms), weights, moving),
        avg_ground_contact_balance_left_pct=_positive_mean(
            column(samples.ground_contact_balance_left_pct), weights, moving
        ),
        avg_vertical_oscillation_mm=_positive_mean(
            column(samples.vertical_oscillation_mm), weights, moving
        ),
        avg_vertical_ratio_pct=_positive_mean(column(samples.vertical_ratio_pct), weights, moving),
        avg_step_length_m=step_length,
        step_length_source=step_source,
        avg_power_w=_weighted_mean(power, weights, everything),
        max_power_w=_max(power),
    )


def splits_per_km(samples: Samples, split_m: float = M_PER_KM) -> tuple[Split, ...]:
    """Per-kilometre splits from cumulative distance (times interpolated at each boundary)."""
    distance = _monotone_distance(samples)
    if distance is None or len(distance) < 2:
        return ()
    t = samples.timestamp_s
    weights = sample_weights_s(t)
    start = float(distance[0])
    total = float(distance[-1]) - start
    edges = [start + k * split_m for k in range(int(total // split_m) + 1)]
    if total - (len(edges) - 1) * split_m > 0.1 * split_m:
        edges.append(start + total)
    altitude = samples.altitude_m
    grade = _grade(distance, altitude) if altitude is not None else None
    flat_ratio = _flat_cost_ratio(grade) if grade is not None else None
    step = np.diff(distance, append=distance[-1])
    hr = _valid_hr(samples.heart_rate_bpm)
    cadence = _valid_cadence(samples.cadence_spm)
    out: list[Split] = []
    for k in range(len(edges) - 1):
        a, b = edges[k], edges[k + 1]
        lo = int(np.searchsorted(distance, a, side="left"))
        hi = max(int(np.searchsorted(distance, b, side="left")), lo + 1)
        span = np.zeros(len(t), dtype=bool)
        span[lo:hi] = True
        time_s = float(np.where(span, weights, 0.0).sum())
        length = b - a
        if time_s <= 0 or length <= 0:
            continue
        gap = None
        if flat_ratio is not None:
            equivalent = float((step[lo:hi] * flat_ratio[lo:hi]).sum())
            gap = pace_s_per_km_from_time(time_s, equivalent) if equivalent > 0 else None
        elevation = None
        if altitude is not None and np.isfinite(altitude[lo:hi]).sum() >= 2:
            seg = altitude[lo:hi][np.isfinite(altitude[lo:hi])]
            elevation = float(seg[-1] - seg[0])
        out.append(
            Split(
                index=k + 1,
                distance_m=length,
                time_s=time_s,
                pace_s_per_km=pace_s_per_km_from_time(time_s, length),
                grade_adjusted_pace_s_per_km=gap,
                avg_hr_bpm=_weighted_mean(hr, weights, span),
                avg_cadence_spm=_weighted_mean(cadence, weights, span),
                elevation_change_m=elevation,
            )
        )
    return tuple(out)
