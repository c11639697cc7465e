"""Best efforts inside one run: fastest time over set distances, best speed over set durations.

Everything is computed from the cumulative distance and time columns with
:func:`numpy.searchsorted`, no per-sample Python loop: one binary search for the first
start of each block of :data:`SEARCH_BLOCK` samples bounds the whole block, and only the
blocks that could hold the best effort are searched start by start (on a 14-hour file at
1 Hz, about a fifth of the starts), so the file takes milliseconds.

Definitions (sample-exact, no interpolation between samples, so a brute-force search over
all pairs of samples gives the same numbers):

* fastest time over a distance ``D``: the least ``t[j] − t[i]`` over sample pairs with
  ``d[j] − d[i] ≥ D``; at 1 Hz this overstates the time by under one second.
* best mean speed over a duration ``T``: for each start ``i`` the first sample ``j`` with
  ``t[j] − t[i] ≥ T``; the best ``(d[j] − d[i]) / (t[j] − t[i])``.

GPS glitches: a segment between two samples faster than :data:`MAX_SEGMENT_SPEED_M_S`
contributes no distance (the jump is dropped, and counted), and an effort faster than the
world record for its distance or duration (:data:`WORLD_RECORD_TIMES_S`) is dropped and
named in :attr:`RunEfforts.dropped`.

Grade adjustment, where the run carries altitude, uses the energy cost of running on
slopes of Minetti et al. 2002 (*J Appl Physiol* 93:1039; treadmill, grades −45 % to
+45 %; :func:`stridelab.activities.metrics.minetti_cost_j_kg_m`). Each segment's
distance is scaled by C(i)/C(0), the grade taken over :data:`GRADE_WINDOW_M` so altitude
noise does not inflate it. Minetti's curve describes steady treadmill running by a small
group of trained men; outdoors on technical ground it is a rough guide.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np
import numpy.typing as npt

from stridelab.activities.metrics import minetti_cost_j_kg_m
from stridelab.activities.model import FloatArray, Samples
from stridelab.units import M_PER_MILE

__all__ = [
    "DISTANCE_EFFORTS_M",
    "DURATION_EFFORTS_S",
    "MAX_SEGMENT_SPEED_M_S",
    "WORLD_RECORD_TIMES_S",
    "Effort",
    "RunEfforts",
    "best_distance_efforts",
    "best_duration_efforts",
    "cumulative_columns",
    "grade_adjusted_distance_m",
    "run_efforts",
    "time_order",
]

#: Distances whose fastest time is kept, by canonical name.
DISTANCE_EFFORTS_M: Final[dict[str, float]] = {
    "400m": 400.0,
    "1k": 1000.0,
    "mile": M_PER_MILE,
    "3k": 3000.0,
    "5k": 5000.0,
    "10k": 10000.0,
    "half": 21097.5,
    "marathon": 42195.0,
}
#: Durations whose best mean speed is kept, by name.
DURATION_EFFORTS_S: Final[dict[str, float]] = {
    "2min": 120.0,
    "3min": 180.0,
    "5min": 300.0,
    "8min": 480.0,
    "12min": 720.0,
    "20min": 1200.0,
    "30min": 1800.0,
    "60min": 3600.0,
}
#: A segment between two samples faster than this is a GPS jump (Bolt peaked near 12.4 m/s
#: over 10 m; no distance runner holds 10 m/s between samples).
MAX_SEGMENT_SPEED_M_S: Final = 10.0
#: Men's world records (World Athletics, 2024), the fastest credible effort over each
#: distance; 400 m 43.03, 1 km 2:11.96, mile 3:43.13, 3 km 7:20.67, 5 km 12:35.36,
#: 10 km 26:11.00, half 57:31, marathon 2:00:35.
WORLD_RECORD_TIMES_S: Final[dict[str, float]] = {
    "400m": 43.03,
    "1k": 131.96,
    "mile": 223.13,
    "3k": 440.67,
    "5k": 755.36,
    "10k": 1571.0,
    "half": 3451.0,
    "marathon": 7235.0,
}
#: Horizontal window (m) over which grade is measured for the grade adjustment.
GRADE_WINDOW_M: Final = 50.0
#: Starts are searched in blocks of this many samples: one exact search bounds a whole
#: block, and only blocks that could hold the best effort are searched start by start.
SEARCH_BLOCK: Final = 16
_FLAT_COST_J_KG_M: Final = 3.6
IntArray = npt.NDArray[np.intp]


@dataclass(frozen=True, slots=True)
class Effort:
    """One best effort inside a run: ``time_s`` to cover ``distance_m``.

    ``start_s`` is the offset from the run's first sample; ``avg_hr_bpm`` the mean heart
    rate over the effort and ``tail_hr_bpm`` over its last two thirds (Friel's LTHR test
    uses the last 20 of 30 minutes); both ``None`` without heart rate.
    ``grade_adjusted_time_s`` is the same search on grade-adjusted distance.
    """

    name: str
    kind: str  # "distance" | "duration"
    distance_m: float
    time_s: float
    start_s: float
    avg_hr_bpm: float | None = None
    tail_hr_bpm: float | None = None
    grade_adjusted_time_s: float | None = None

    @property
    def speed_m_s(self) -> float:
        """Mean speed over the effort."""
        return self.distance_m / self.time_s


@dataclass(frozen=True, slots=True)
class RunEfforts:
    """All best efforts of one run, and what the glitch filters dropped."""

    efforts: tuple[Effort, ...]
    dropped_segments: int = 0
    dropped_distance_m: float = 0.0
    dropped: tuple[str, ...] = ()


def grade_adjusted_distance_m(distance_m: FloatArray, altitude_m: FloatArray) -> FloatArray:
    """Cumulative grade-adjusted distance: each segment scaled by Minetti's C(i)/C(0)."""
    ok = np.isfinite(altitude_m)
    if ok.sum() < 2:
        return distance_m
    altitude = np.interp(distance_m, distance_m[ok], altitude_m[ok])
    half = GRADE_WINDOW_M / 2
    lo = np.interp(distance_m - half, distance_m, altitude)
    hi = np.interp(distance_m + half, distance_m, altitude)
    span = np.clip(distance_m + half, None, distance_m[-1]) - np.clip(
        distance_m - half, distance_m[0], None
    )
    grade = np.divide(hi - lo, span, out=np.zeros_like(span), where=span > 1.0)
    cost = minetti_cost_j_kg_m(grade)
    step = np.diff(distance_m, prepend=distance_m[0])
    factor = np.concatenate(([1.0], (cost[1:] + cost[:-1]) / 2)) / _FLAT_COST_J_KG_M
    adjusted: FloatArray = np.cumsum(step * factor) + distance_m[0]
    return adjusted


def time_order(samples: Samples) -> IntArray | None:
    """Indices of the samples with time and distance, in time order."""
    if samples.distance_m is None or len(samples) < 2:
        return None
    keep = np.nonzero(np.isfinite(samples.timestamp_s) & np.isfinite(samples.distance_m))[0]
    if len(keep) < 2:
        return None
    result: IntArray = keep[np.argsort(samples.timestamp_s[keep], kind="stable")]
    return result


def cumulative_columns(samples: Samples) -> tuple[FloatArray, FloatArray, int, float] | None:
    """``(time_s, distance_m, dropped segments, dropped metres)`` ready for the searches.

    Time is relative to the first kept sample; samples lacking time or distance are left
    out; distance is made non-decreasing and segments faster than
    :data:`MAX_SEGMENT_SPEED_M_S` add nothing. ``None`` when the run has no distance
    (a treadmill run recorded without a foot pod).
    """
    order = time_order(samples)
    if order is None or samples.distance_m is None:
        return None
    t = samples.timestamp_s[order] - samples.timestamp_s[order[0]]
    d = samples.distance_m[order]
    step_d = np.maximum(np.diff(d), 0.0)
    step_t = np.diff(t)
    glitch = step_d > MAX_SEGMENT_SPEED_M_S * np.maximum(step_t, 1e-9)
    glitch &= step_d > 0
    dropped_m = float(step_d[glitch].sum())
    step_d[glitch] = 0.0
    distance = np.concatenate(([0.0], np.cumsum(step_d)))
    if distance[-1] <= 0:
        return None
    return t, distance, int(glitch.sum()), dropped_m


class _HrIntegral:
    """Running integrals of heart rate over time, for O(1) means over any interval."""

    def __init__(self, t: FloatArray, hr: FloatArray) -> None:
        have = np.isfinite(hr)
        dt = np.diff(t)
        self.t = t
        self.area = np.concatenate(([0.0], np.cumsum(np.where(have, hr, 0.0)[1:] * dt)))
        self.weight = np.concatenate(([0.0], np.cumsum(have[1:] * dt)))

    def mean(self, i: int, j: int) -> float | None:
        w = float(self.weight[j] - self.weight[i])
        return float(self.area[j] - self.area[i]) / w if w > 0 else None

    def effort(self, i: int, j: int) -> tuple[float | None, float | None]:
        """Mean HR over samples ``i..j`` and over their last two thirds."""
        tail = int(np.searchsorted(self.t, self.t[i] + (self.t[j] - self.t[i]) / 3, side="left"))
        return self.mean(i, j), self.mean(min(tail, j - 1), j)


def _hr_at(integral: _HrIntegral | None, i: int, j: int) -> tuple[float | None, float | None]:
    return (None, None) if integral is None else integral.effort(i, j)


def _blocks(count: int) -> tuple[IntArray, IntArray]:
    """First and last start of each block of :data:`SEARCH_BLOCK` starts in ``0..count-1``."""
    first: IntArray = np.arange(0, count, SEARCH_BLOCK)
    last: IntArray = np.minimum(first + SEARCH_BLOCK, count) - 1
    return first, last


def _inside(first: IntArray, count: int) -> IntArray:
    """Every start of the blocks beginning at ``first``, in order."""
    starts: IntArray = (first[:, None] + np.arange(SEARCH_BLOCK)).ravel()
    return starts[starts < count]


def _fastest(t: FloatArray, d: FloatArray, target_m: float) -> tuple[int, int] | None:
    """Sample indices ``(i, j)`` of the fastest ``target_m``, or ``None`` if too short.

    The first start of each block is searched exactly; no start in a block is faster than
    its first start's end minus its last start's time, so only blocks whose bound is
    within the best exact time are searched start by start (the same pair as searching
    every start, ties going to the first).
    """
    if d[-1] - d[0] < target_m:
        return None
    goal = d + target_m
    count = int(np.searchsorted(goal, d[-1], side="right"))  # starts whose goal is reached
    if count == 0:
        return None
    first, last = _blocks(count)
    end = np.searchsorted(d, goal[first], side="left")
    best = (t[end] - t[first]).min()
    starts = _inside(first[t[end] - t[last] <= best], count)
    ends = np.searchsorted(d, goal[starts], side="left")
    k = int(np.argmin(t[ends] - t[starts]))
    return int(starts[k]), int(ends[k])


def best_distance_efforts(
    t: FloatArray, d: FloatArray, targets_m: dict[str, float] = DISTANCE_EFFORTS_M
) -> dict[str, tuple[int, int]]:
    """Fastest sample pair ``(i, j)`` per target distance the run is long enough for."""
    found: dict[str, tuple[int, int]] = {}
    for name, target in targets_m.items():
        pair = _fastest(t, d, target)
        if pair is not None:
            found[name] = pair
    return found


def _best_speed(t: FloatArray, d: FloatArray, target_s: float) -> tuple[int, int] | None:
    """Sample indices ``(i, j)`` of the best mean speed over ``target_s``, searched by blocks
    as in :func:`_fastest`: no start in a block covers more than the distance from its first
    start to its last start's end, in at least ``target_s`` (a relative 1e-9 allows for
    rounding in ``t + target_s``)."""
    if t[-1] - t[0] < target_s:
        return None
    goal = t + target_s
    count = int(np.searchsorted(goal, t[-1], side="right"))  # starts whose goal is reached
    if count == 0:
        return None
    first, last = _blocks(count)
    end_first = np.searchsorted(t, goal[first], side="left")
    end_last = np.searchsorted(t, goal[last], side="left")
    best = ((d[end_first] - d[first]) / (t[end_first] - t[first])).max()
    bound = (d[end_last] - d[first]) / target_s
    starts = _inside(first[bound * (1 + 1e-9) >= best], count)
    ends = np.searchsorted(t, goal[starts], side="left")
    speed = (d[ends] - d[starts]) / (t[ends] - t[starts])
    k = int(np.argmax(speed))
    return (int(starts[k]), int(ends[k])) if speed[k] > 0 else None


def best_duration_efforts(
    t: FloatArray, d: FloatArray, targets_s: dict[str, float] = DURATION_EFFORTS_S
) -> dict[str, tuple[int, int]]:
    """Sample pair ``(i, j)`` of the best mean speed per target duration."""
    found: dict[str, tuple[int, int]] = {}
    for name, target in targets_s.items():
        pair = _best_speed(t, d, target)
        if pair is not None:
            found[name] = pair
    return found


def _record_speed_m_s(duration_s: float) -> float:
    """World-record mean speed for an effort lasting ``duration_s`` (log-time interpolation)."""
    times = np.array(list(WORLD_RECORD_TIMES_S.values()))
    speeds = np.array([DISTANCE_EFFORTS_M[k] / v for k, v in WORLD_RECORD_TIMES_S.items()])
    return float(np.interp(np.log(duration_s), np.log(times), speeds))


def run_efforts(samples: Samples) -> RunEfforts:
    """Every best effort of one run's samples (see the module docstring for definitions)."""
    columns = cumulative_columns(samples)
    if columns is None:
        return RunEfforts(())
    t, d, dropped_segments, dropped_m = columns
    order = time_order(samples)
    if order is None:
        return RunEfforts(())
    hr = None
    if samples.heart_rate_bpm is not None:
        raw = samples.heart_rate_bpm[order]
        hr = _HrIntegral(t, np.where((raw >= 30) & (raw <= 240), raw, np.nan))
    gap_d = None
    if samples.altitude_m is not None and np.isfinite(samples.altitude_m[order]).sum() >= 2:
        gap_d = grade_adjusted_distance_m(d, samples.altitude_m[order])
    efforts: list[Effort] = []
    dropped: list[str] = []
    for name, (i, j) in best_distance_efforts(t, d).items():
        time_s = float(t[j] - t[i])
        if time_s < WORLD_RECORD_TIMES_S[name]:
            dropped.append(f"{name} in {time_s:.0f} s is faster than the world record")
            continue
        gap_time = None
        if gap_d is not None:
            pair = _fastest(t, gap_d, DISTANCE_EFFORTS_M[name])
            gap_time = None if pair is None else float(t[pair[1]] - t[pair[0]])
        avg, tail = _hr_at(hr, i, j)
        efforts.append(
            Effort(
                name, "distance", DISTANCE_EFFORTS_M[name], time_s, float(t[i]), avg, tail, gap_time
            )
        )
    for name, (i, j) in best_duration_efforts(t, d).items():
        time_s = float(t[j] - t[i])
        distance = float(d[j] - d[i])
        if distance / time_s > _record_speed_m_s(time_s):
            dropped.append(f"{name} at {distance / time_s:.1f} m/s is faster than the world record")
            continue
        avg, tail = _hr_at(hr, i, j)
        efforts.append(Effort(name, "duration", distance, time_s, float(t[i]), avg, tail))
    if dropped_segments:
        dropped.insert(
            0,
            f"{dropped_segments} GPS jump(s) faster than {MAX_SEGMENT_SPEED_M_S:g} m/s "
            f"({dropped_m:.0f} m) left out",
        )
    return RunEfforts(tuple(efforts), dropped_segments, dropped_m, tuple(dropped))
