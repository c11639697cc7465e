"""What a runner's own runs say about their fitness: effective VDOT, CS, zones, predictions.

The inputs are per-run facts (:class:`RunFacts`: best efforts, the steady part, the
credible max HR), computed once per run at import; :func:`estimate_fitness` combines
them for a given ``today``. Pure functions: no clock, no store.

Effective VDOT combines two estimates:

* **race-like best efforts** (Daniels & Gilbert 1979, see :mod:`stridelab.physiology.vdot`):
  the highest VDOT among best efforts of a mile to the marathon in the last 90 days that
  look like a race (mean HR ≥ 88 % of HRmax, or any when HR is unknown). A best effort
  inside a training run is at most as fast as a race, so this is a lower bound; its range
  is −0.6/+1.0 VDOT (about ±1 % GPS distance error, and the upside of a real race).
* **heart rate on steady runs** (Runalyze's regression of Daniels' %HRmax–%VO2max table,
  :mod:`stridelab.physiology.heart_rate`): the median of the last 20 steady runs in 90
  days, its range the interquartile range (at least ±1 VDOT), with a measured or
  pinned max HR. With only Tanaka's estimate from age (±10 bpm), and no race-like effort,
  the same median at the estimate, its range from the estimate ∓ 10 bpm (several VDOT
  points wide), and the basis says so.

Weights: 0.75 race-like, 0.25 heart rate when both exist (a race measures performance
directly; HR-based VDOT is biased by drift, heat and the HRmax used); otherwise the one
that exists. With neither, the best non-race-like effort is a stated lower bound.

The marathon prediction is adjusted for training volume: Vickers & Vertosick 2016 (BMC
Sports Sci Med Rehabil 8:36, n = 2,303) found that VDOT/Riegel-style predictions are
10+ minutes too fast for about half of recreational marathoners and that typical weekly
mileage predicts much of the gap. stridelab's adjustment (not their fitted equation)
slows the VDOT marathon by up to 8 % as the 4-week mean falls below 90 km a week —
at 40 km/week about +4.4 %, ≈ 8–10 minutes for a 3:10–3:50 runner — and states it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

import numpy as np

from stridelab.activities.model import Samples
from stridelab.errors import PhysiologyError
from stridelab.physiology.best_efforts import Effort, run_efforts
from stridelab.physiology.critical_speed import (
    CriticalSpeed,
    fit_critical_speed,
    marathon_time_from_cs_s,
)
from stridelab.physiology.heart_rate import (
    HrZone,
    MaxHr,
    SteadyRun,
    credible_max_hr_bpm,
    estimate_max_hr,
    friel_hr_zones,
    steady_run,
    vdot_from_heart_rate,
)
from stridelab.physiology.vdot import (
    INTENSITY_FRACTIONS,
    MAX_VDOT,
    MIN_VDOT,
    predict_race_time_s,
    speed_at_vo2_m_s,
    training_paces,
    vdot_from_race,
)
from stridelab.units import RACE_DISTANCES_M

__all__ = [
    "FITNESS_WINDOW_DAYS",
    "HR_WEIGHT",
    "NO_PINS",
    "RACE_LIKE_EFFORTS",
    "RACE_WEIGHT",
    "BestEffort",
    "FitnessEstimate",
    "FitnessPins",
    "Readiness",
    "RunFacts",
    "VdotEstimate",
    "best_efforts_by_name",
    "estimate_fitness",
    "estimate_vdot",
    "readiness",
    "run_facts",
    "vdot_history",
    "volume_adjusted_marathon_s",
]

FITNESS_WINDOW_DAYS: Final = 90
RACE_WEIGHT: Final = 0.75
HR_WEIGHT: Final = 0.25
#: Efforts long enough for the VDOT model (≥ 2.5 min) that a race could be.
RACE_LIKE_EFFORTS: Final = ("mile", "3k", "5k", "10k", "half", "marathon")
#: An effort is race-like when its mean HR is at least this fraction of HRmax.
RACE_LIKE_HR_FRACTION: Final = 0.88
RACE_RANGE_VDOT: Final = (-0.6, 1.0)
HR_MIN_HALF_RANGE_VDOT: Final = 1.0
HR_MAX_RUNS: Final = 20
MAX_HR_WINDOW_DAYS: Final = 180
#: LTHR from a 30-minute effort only when it was hard (mean HR ≥ 85 % HRmax).
LTHR_MIN_HR_FRACTION: Final = 0.85
#: Volume adjustment of the marathon (see module docstring).
MARATHON_REFERENCE_WEEKLY_KM: Final = 90.0
MARATHON_MAX_SLOWDOWN: Final = 0.08
#: A quality session: a 3–20 minute effort at ≥ 97 % of threshold speed.
QUALITY_EFFORTS: Final = ("3min", "5min", "8min", "12min", "20min")
QUALITY_SPEED_FRACTION: Final = 0.97


@dataclass(frozen=True, slots=True)
class RunFacts:
    """What one run contributes to the fitness estimate (computed once, at import)."""

    activity_id: int
    day: dt.date
    distance_m: float | None
    duration_s: float | None
    efforts: tuple[Effort, ...] = ()
    steady: SteadyRun | None = None
    max_hr_bpm: float | None = None


def run_facts(
    activity_id: int,
    day: dt.date,
    samples: Samples | None,
    distance_m: float | None,
    duration_s: float | None,
) -> RunFacts:
    """Best efforts, steady part and credible max HR of one run's samples."""
    if samples is None or len(samples) < 2:
        return RunFacts(activity_id, day, distance_m, duration_s)
    return RunFacts(
        activity_id,
        day,
        distance_m,
        duration_s,
        run_efforts(samples).efforts,
        steady_run(samples),
        credible_max_hr_bpm(samples),
    )


@dataclass(frozen=True, slots=True)
class FitnessPins:
    """Values the runner's profile pins (``None``: estimate it from the runs)."""

    max_hr_bpm: float | None = None
    lthr_bpm: float | None = None
    threshold_pace_s_per_km: float | None = None
    age_years: float | None = None


#: Nothing pinned: every value estimated from the runs.
NO_PINS: Final = FitnessPins()


@dataclass(frozen=True, slots=True)
class VdotEstimate:
    """An effective VDOT, its range and what it rests on."""

    vdot: float
    low: float
    high: float
    basis: str
    race_vdot: float | None = None
    hr_vdot: float | None = None
    hr_runs: int = 0


@dataclass(frozen=True, slots=True)
class BestEffort:
    """The best of one effort over a set of runs, with the run it came from."""

    name: str
    effort: Effort
    activity_id: int
    day: dt.date

    def as_dict(self) -> dict[str, Any]:
        """``{"time_s", "distance_m", "activity_id", "date", ...}``."""
        e = self.effort
        return {
            "time_s": e.time_s,
            "distance_m": e.distance_m,
            "speed_m_s": e.speed_m_s,
            "activity_id": self.activity_id,
            "date": self.day.isoformat(),
            "avg_hr_bpm": e.avg_hr_bpm,
            "grade_adjusted_time_s": e.grade_adjusted_time_s,
        }


def _in_window(runs: Sequence[RunFacts], today: dt.date, days: int | None) -> list[RunFacts]:
    first = None if days is None else today - dt.timedelta(days=days - 1)
    return [r for r in runs if r.day <= today and (first is None or r.day >= first)]


def _better(a: Effort, b: Effort) -> bool:
    if a.kind == "distance":
        return a.time_s < b.time_s
    return a.speed_m_s > b.speed_m_s


def best_efforts_by_name(
    runs: Sequence[RunFacts], today: dt.date, days: int | None = None
) -> dict[str, BestEffort]:
    """The best of each effort over runs up to ``today`` (the last ``days`` days, or ever)."""
    best: dict[str, BestEffort] = {}
    for run in _in_window(runs, today, days):
        for effort in run.efforts:
            held = best.get(effort.name)
            if held is None or _better(effort, held.effort):
                best[effort.name] = BestEffort(effort.name, effort, run.activity_id, run.day)
    return best


_LABELS: Final = {
    "400m": "400 m",
    "1k": "1 km",
    "mile": "1 mile",
    "3k": "3 km",
    "5k": "5 km",
    "10k": "10 km",
    "half": "half marathon",
    "marathon": "marathon",
}


def _effort_vdot(effort: Effort) -> float | None:
    try:
        return vdot_from_race(effort.distance_m, effort.time_s)
    except PhysiologyError:
        return None


def _hr_vdots(parts: Sequence[SteadyRun], max_hr_bpm: float | None) -> list[float]:
    """Heart-rate VDOT of each steady part that the regression covers."""
    if max_hr_bpm is None:
        return []
    values = (vdot_from_heart_rate(p.speed_m_s, p.hr_bpm, max_hr_bpm) for p in parts)
    return [v for v in values if v is not None and MIN_VDOT <= v <= MAX_VDOT]


def _estimated_max_hr_vdot(parts: Sequence[SteadyRun], max_hr: MaxHr) -> VdotEstimate | None:
    """Heart-rate VDOT from an estimated max HR (Tanaka's, ± its SD): the median of the
    runs at the estimate, the range from the same runs at the estimate ∓ its uncertainty
    (a lower max HR reads the same heart rate as harder running, so a lower VDOT). Used
    only when nothing better exists: ±10 bpm moves VDOT by several points."""
    if max_hr.bpm is None or max_hr.uncertainty_bpm is None:
        return None
    middle = _hr_vdots(parts, max_hr.bpm)
    low = _hr_vdots(parts, max_hr.bpm - max_hr.uncertainty_bpm)
    high = _hr_vdots(parts, max_hr.bpm + max_hr.uncertainty_bpm)
    if not middle:
        return None
    med = float(np.median(middle))
    lo = min(float(np.median(low)) if low else med, med - HR_MIN_HALF_RANGE_VDOT)
    hi = max(float(np.median(high)) if high else med, med + HR_MIN_HALF_RANGE_VDOT)
    runs = f"{len(middle)} run{'s' if len(middle) != 1 else ''}"
    return VdotEstimate(
        med,
        lo,
        hi,
        f"heart rate, {runs}, with an estimated max HR ({max_hr.source}): a wide range; "
        "set your max HR or run a race for a better estimate",
        hr_vdot=med,
        hr_runs=len(middle),
    )


def estimate_vdot(runs: Sequence[RunFacts], today: dt.date, max_hr: MaxHr) -> VdotEstimate | None:
    """Effective VDOT on ``today`` from the last 90 days (see the module docstring)."""
    recent = _in_window(runs, today, FITNESS_WINDOW_DAYS)
    measured_bpm = max_hr.bpm if max_hr.measured else None
    race: tuple[float, str] | None = None
    fallback: tuple[float, str] | None = None
    for run in recent:
        for effort in run.efforts:
            if effort.name not in RACE_LIKE_EFFORTS:
                continue
            vdot = _effort_vdot(effort)
            if vdot is None:
                continue
            label = f"best effort {_LABELS[effort.name]} on {run.day.isoformat()}"
            race_like = (  # an estimated max HR (Tanaka) still tells an easy run from a race
                effort.avg_hr_bpm is None
                or max_hr.bpm is None
                or effort.avg_hr_bpm >= RACE_LIKE_HR_FRACTION * max_hr.bpm
            )
            if race_like and (race is None or vdot > race[0]):
                race = (vdot, label)
            if fallback is None or vdot > fallback[0]:
                fallback = (vdot, label)
    steady = sorted(((r.day, r.steady) for r in recent if r.steady is not None), key=lambda p: p[0])
    hr_values = _hr_vdots([part for _, part in steady[-HR_MAX_RUNS:]], measured_bpm)
    hr_est: tuple[float, float, float] | None = None
    if hr_values:
        q1, med, q3 = (float(x) for x in np.percentile(hr_values, [25, 50, 75]))
        hr_est = (
            med,
            min(q1, med - HR_MIN_HALF_RANGE_VDOT),
            max(q3, med + HR_MIN_HALF_RANGE_VDOT),
        )
    hr_basis = f"heart rate, {len(hr_values)} run{'s' if len(hr_values) != 1 else ''}"
    if race is None and hr_est is None and max_hr.bpm is not None and max_hr.uncertainty_bpm:
        estimated = _estimated_max_hr_vdot([p for _, p in steady[-HR_MAX_RUNS:]], max_hr)
        if estimated is not None and (fallback is None or estimated.vdot >= fallback[0]):
            return estimated
    if race is not None:
        r_lo, r_hi = race[0] + RACE_RANGE_VDOT[0], race[0] + RACE_RANGE_VDOT[1]
        if hr_est is None:
            return VdotEstimate(race[0], r_lo, r_hi, race[1], race_vdot=race[0])
        return VdotEstimate(
            RACE_WEIGHT * race[0] + HR_WEIGHT * hr_est[0],
            RACE_WEIGHT * r_lo + HR_WEIGHT * hr_est[1],
            RACE_WEIGHT * r_hi + HR_WEIGHT * hr_est[2],
            f"{race[1]} (weight {RACE_WEIGHT:g}); {hr_basis} (weight {HR_WEIGHT:g})",
            race_vdot=race[0],
            hr_vdot=hr_est[0],
            hr_runs=len(hr_values),
        )
    if hr_est is not None:
        return VdotEstimate(
            hr_est[0], hr_est[1], hr_est[2], hr_basis, hr_vdot=hr_est[0], hr_runs=len(hr_values)
        )
    if fallback is not None:
        return VdotEstimate(
            fallback[0],
            fallback[0],
            fallback[0] + 3.0,
            f"{fallback[1]} (not race-like: a lower bound)",
            race_vdot=fallback[0],
        )
    return None


def volume_adjusted_marathon_s(vdot_marathon_s: float, weekly_km: float) -> float:
    """The VDOT marathon slowed for low training volume (module docstring; a heuristic)."""
    shortfall = max(0.0, MARATHON_REFERENCE_WEEKLY_KM - weekly_km) / MARATHON_REFERENCE_WEEKLY_KM
    return vdot_marathon_s * (1.0 + MARATHON_MAX_SLOWDOWN * min(shortfall, 1.0))


@dataclass(frozen=True, slots=True)
class Readiness:
    """Training facts a plan starts from."""

    weekly_km: float
    long_run_km: float
    runs_per_week: float
    quality_sessions: tuple[tuple[dt.date, int, str], ...] = ()

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "weekly_km": self.weekly_km,
            "long_run_km": self.long_run_km,
            "runs_per_week": self.runs_per_week,
            "quality_sessions": [
                {"date": d.isoformat(), "activity_id": a, "effort": e}
                for d, a, e in self.quality_sessions
            ],
        }


def readiness(runs: Sequence[RunFacts], today: dt.date, vdot: float | None) -> Readiness:
    """4-week mean weekly km, longest run in 30 days, runs a week, recent quality sessions.

    A quality session has a 3–20 minute best effort at ≥ 97 % of the threshold speed of
    the current VDOT (Daniels' threshold ≈ 88 % VO2max).
    """
    four_weeks = _in_window(runs, today, 28)
    month = _in_window(runs, today, 30)
    total_m = sum(r.distance_m or 0.0 for r in four_weeks)
    longest = max((r.distance_m or 0.0 for r in month), default=0.0)
    quality: list[tuple[dt.date, int, str]] = []
    if vdot is not None:
        threshold = speed_at_vo2_m_s(vdot * INTENSITY_FRACTIONS["threshold"])
        for run in four_weeks:
            hard = [
                e
                for e in run.efforts
                if e.name in QUALITY_EFFORTS and e.speed_m_s >= QUALITY_SPEED_FRACTION * threshold
            ]
            if hard:
                longest_hard = max(hard, key=lambda e: e.time_s)
                quality.append((run.day, run.activity_id, longest_hard.name))
    quality.sort()
    return Readiness(total_m / 4 / 1000.0, longest / 1000.0, len(four_weeks) / 4, tuple(quality))


@dataclass(frozen=True)
class FitnessEstimate:
    """Everything ``stridelab fitness`` reports (SI units)."""

    today: dt.date
    vdot: VdotEstimate | None
    max_hr: MaxHr
    lthr_bpm: float | None
    lthr_source: str
    critical_speed: CriticalSpeed | None
    best_efforts: Mapping[str, BestEffort]
    recent_best_efforts: Mapping[str, BestEffort]
    predictions_s: Mapping[str, float]
    prediction_ranges_s: Mapping[str, tuple[float, float]]
    hr_zones: tuple[HrZone, ...]
    pace_zones_s_per_km: Mapping[str, Any]
    readiness: Readiness
    runs_considered: int
    notes: tuple[str, ...] = field(default_factory=tuple)

    def as_dict(self) -> dict[str, Any]:
        """The ``stridelab fitness --json`` contract (see docs/fitness.md)."""
        cs = self.critical_speed
        v = self.vdot
        return {
            "today": self.today.isoformat(),
            "vdot": None if v is None else v.vdot,
            "vdot_range": None if v is None else [v.low, v.high],
            "vdot_basis": "no runs with distance yet" if v is None else v.basis,
            "vdot_from_efforts": None if v is None else v.race_vdot,
            "vdot_from_heart_rate": None if v is None else v.hr_vdot,
            "max_hr_bpm": self.max_hr.bpm,
            "max_hr_source": self.max_hr.source,
            "lthr_bpm": self.lthr_bpm,
            "lthr_source": self.lthr_source,
            "critical_speed_m_s": None if cs is None else cs.speed_m_s,
            "d_prime_m": None if cs is None else cs.d_prime_m,
            "critical_speed_fit": None if cs is None else cs.as_dict(),
            "best_efforts": {k: b.as_dict() for k, b in self.best_efforts.items()},
            "best_efforts_90d": {k: b.as_dict() for k, b in self.recent_best_efforts.items()},
            "predictions_s": dict(self.predictions_s),
            "prediction_ranges_s": {k: list(r) for k, r in self.prediction_ranges_s.items()},
            "hr_zones": [z.as_dict() for z in self.hr_zones],
            "pace_zones_s_per_km": dict(self.pace_zones_s_per_km),
            "weekly_km": self.readiness.weekly_km,
            "long_run_km": self.readiness.long_run_km,
            "readiness": self.readiness.as_dict(),
            "runs_considered": self.runs_considered,
            "notes": list(self.notes),
        }


def _observed_max_hr(runs: Sequence[RunFacts], today: dt.date) -> tuple[float, str] | None:
    seen = [
        (r.max_hr_bpm, r.day.isoformat())
        for r in _in_window(runs, today, MAX_HR_WINDOW_DAYS)
        if r.max_hr_bpm is not None
    ]
    return max(seen) if seen else None


def _lthr(
    recent: Mapping[str, BestEffort], max_hr: MaxHr, pinned: float | None
) -> tuple[float | None, str]:
    if pinned is not None:
        return pinned, "profile"
    best = recent.get("30min")
    if best is None or best.effort.tail_hr_bpm is None or best.effort.avg_hr_bpm is None:
        return None, "no 30-minute effort with heart rate in the last 90 days"
    measured_bpm = max_hr.bpm if max_hr.measured else None
    if measured_bpm is not None and best.effort.avg_hr_bpm < LTHR_MIN_HR_FRACTION * measured_bpm:
        return None, (
            f"the best 30 minutes ({best.day.isoformat()}) were easy "
            f"(mean {best.effort.avg_hr_bpm:.0f} bpm): run a 30-minute time trial"
        )
    return best.effort.tail_hr_bpm, (
        f"last 20 of the best 30 minutes on {best.day.isoformat()} (Friel)"
    )


def _predictions(
    vdot: VdotEstimate, weekly_km: float, cs: CriticalSpeed | None
) -> tuple[dict[str, float], dict[str, tuple[float, float]], list[str]]:
    names = ("5k", "10k", "half", "marathon")
    point: dict[str, float] = {}
    ranges: dict[str, tuple[float, float]] = {}
    lo_v, hi_v = max(vdot.low, MIN_VDOT), min(vdot.high, MAX_VDOT)
    for name in names:
        d = RACE_DISTANCES_M[name]
        point[name] = predict_race_time_s(vdot.vdot, d)
        ranges[name] = (predict_race_time_s(hi_v, d), predict_race_time_s(lo_v, d))
    vdot_marathon = point["marathon"]
    adjusted = volume_adjusted_marathon_s(vdot_marathon, weekly_km)
    point["marathon"] = adjusted
    ranges["marathon"] = (
        ranges["marathon"][0],
        volume_adjusted_marathon_s(ranges["marathon"][1], weekly_km),
    )
    notes = [
        f"Marathon assumes your current {weekly_km:.0f} km/week: the VDOT time "
        f"{vdot_marathon / 60:.0f} min slowed by {100 * (adjusted / vdot_marathon - 1):.1f} % "
        "for volume below 90 km/week (after Vickers & Vertosick 2016)."
    ]
    if cs is not None:
        point["marathon_critical_speed"] = marathon_time_from_cs_s(cs.speed_m_s)
    return point, ranges, notes


def estimate_fitness(
    runs: Sequence[RunFacts], today: dt.date, pins: FitnessPins = NO_PINS
) -> FitnessEstimate:
    """The whole fitness picture on ``today`` from the runs up to it (module docstring)."""
    upto = _in_window(runs, today, None)
    observed = _observed_max_hr(upto, today)
    max_hr = estimate_max_hr(
        pins.max_hr_bpm,
        None if observed is None else observed[0],
        None if observed is None else observed[1],
        pins.age_years,
    )
    vdot = estimate_vdot(upto, today, max_hr)
    ever = best_efforts_by_name(upto, today)
    recent = best_efforts_by_name(upto, today, FITNESS_WINDOW_DAYS)
    cs_efforts = [b for b in recent.values() if b.effort.kind == "duration"]
    cs = None
    if len({b.activity_id for b in cs_efforts}) >= 2:  # one run's efforts are one effort
        cs = fit_critical_speed([(b.effort.time_s, b.effort.distance_m) for b in cs_efforts])
    lthr, lthr_source = _lthr(recent, max_hr, pins.lthr_bpm)
    ready = readiness(upto, today, None if vdot is None else vdot.vdot)
    notes: list[str] = []
    predictions: dict[str, float] = {}
    ranges: dict[str, tuple[float, float]] = {}
    paces: dict[str, Any] = {}
    if vdot is not None:
        predictions, ranges, notes = _predictions(vdot, ready.weekly_km, cs)
        paces = training_paces(vdot.vdot).as_dict()
    if pins.threshold_pace_s_per_km is not None:
        paces["threshold"] = pins.threshold_pace_s_per_km
        notes.append("Threshold pace pinned by the profile.")
    if not upto:
        notes.append("No runs yet: import some with `stridelab import`.")
    return FitnessEstimate(
        today=today,
        vdot=vdot,
        max_hr=max_hr,
        lthr_bpm=lthr,
        lthr_source=lthr_source,
        critical_speed=cs,
        best_efforts=ever,
        recent_best_efforts=recent,
        predictions_s=predictions,
        prediction_ranges_s=ranges,
        hr_zones=() if lthr is None else friel_hr_zones(lthr),
        pace_zones_s_per_km=paces,
        readiness=ready,
        runs_considered=len(upto),
        notes=tuple(notes),
    )


def vdot_history(
    runs: Sequence[RunFacts],
    today: dt.date,
    pins: FitnessPins = NO_PINS,
    max_weeks: int | None = None,
) -> list[tuple[dt.date, VdotEstimate | None]]:
    """The effective VDOT at the end of every week (Sunday) from the first run to ``today``
    (the last ``max_weeks`` weeks only, when given)."""
    days = sorted(r.day for r in runs if r.day <= today)
    if not days:
        return []
    first = days[0]
    if max_weeks is not None:
        first = max(first, today - dt.timedelta(days=7 * max_weeks - 1))
    end = first + dt.timedelta(days=6 - first.weekday())
    history: list[tuple[dt.date, VdotEstimate | None]] = []
    while True:
        at = min(end, today)
        upto = _in_window(runs, at, None)
        observed = _observed_max_hr(upto, at)
        max_hr = estimate_max_hr(
            pins.max_hr_bpm,
            None if observed is None else observed[0],
            None if observed is None else observed[1],
            pins.age_years,
        )
        history.append((at, estimate_vdot(upto, at, max_hr)))
        if end >= today:
            return history
        end += dt.timedelta(days=7)
