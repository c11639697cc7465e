"""The one weekly aggregator: volume, load (CTL/ATL/TSB), cadence and contact time.

``stridelab trends``, the web Trends page and the Today page all count weeks here, so
they agree. Weeks start on Monday, in the runner's time zone (a ``zone``; ``None``: this
computer's). **Running volume** (``runs``, ``distance_m``, ``timer_time_s``, cadence and
contact time, time-weighted) counts :data:`~stridelab.activities.sports.RUN_SPORTS`
only; every other sport is listed per week in ``other_sports`` with its time, distance
and load. **Load** counts every activity (the body absorbs a ride too): its stored TRIMP,
else an rTSS-like load from its pace against the threshold pace
(:func:`activity_load`); an activity with neither counts zero and is counted in
``runs_without_load``. CTL/ATL/TSB come from
:func:`stridelab.physiology.load.fitness_fatigue` over daily sums and are reported as of
each week's last day (or ``until``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Final

import numpy as np

from stridelab.activities.model import FloatArray
from stridelab.activities.sports import RUN_SPORTS
from stridelab.errors import PhysiologyError
from stridelab.physiology.load import fitness_fatigue, rtss
from stridelab.store.database import Database
from stridelab.units import M_PER_KM

__all__ = [
    "DEFAULT_THRESHOLD_PACE_S_PER_KM",
    "ActivityDay",
    "SportWeek",
    "Trends",
    "WeekTrend",
    "activity_load",
    "aggregate_weeks",
    "weekly_trends",
]

#: Threshold pace for rTSS when no runner's profile says otherwise (4:30/km, the
#: coach profile's default).
DEFAULT_THRESHOLD_PACE_S_PER_KM: Final = 270.0


def activity_load(
    training_load: float | None,
    distance_m: float | None,
    time_s: float | None,
    threshold_pace_s_per_km: float,
) -> tuple[float | None, str | None]:
    """(load, method): the stored load (TRIMP) if there is one, else rTSS from ``time_s``
    (moving time, else timer time) over ``distance_m``; ``(None, None)`` without either."""
    if training_load is not None:
        return float(training_load), "trimp"
    if not distance_m or not time_s:
        return None, None
    try:
        pace_s_per_km = float(time_s) / (float(distance_m) / M_PER_KM)
        return rtss(float(time_s), pace_s_per_km, threshold_pace_s_per_km), "rtss"
    except PhysiologyError:
        return None, None


@dataclass(frozen=True)
class ActivityDay:
    """What the aggregator needs of one activity: its sport, local day and totals."""

    sport: str
    day: dt.date
    distance_m: float | None
    timer_time_s: float | None
    training_load: float | None
    avg_cadence_spm: float | None = None
    avg_ground_contact_ms: float | None = None


@dataclass(frozen=True)
class SportWeek:
    """A week's activities of one sport that is not running."""

    sport: str
    activities: int
    distance_m: float
    timer_time_s: float
    training_load: float

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "sport": self.sport,
            "activities": self.activities,
            "distance_m": self.distance_m,
            "timer_time_s": self.timer_time_s,
            "training_load": self.training_load,
        }


@dataclass(frozen=True)
class WeekTrend:
    """One week (Monday start): running volume, all-sport load, the other sports."""

    week_start: str
    activities: int
    runs: int
    distance_m: float
    timer_time_s: float
    training_load: float
    runs_without_load: int
    ctl: float
    atl: float
    tsb: float
    avg_cadence_spm: float | None
    avg_ground_contact_ms: float | None
    other_sports: tuple[SportWeek, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (the same keys in ``trends --json`` and ``/trends.json``)."""
        return {
            "week_start": self.week_start,
            "activities": self.activities,
            "runs": self.runs,
            "distance_m": self.distance_m,
            "timer_time_s": self.timer_time_s,
            "training_load": self.training_load,
            "runs_without_load": self.runs_without_load,
            "ctl": self.ctl,
            "atl": self.atl,
            "tsb": self.tsb,
            "avg_cadence_spm": self.avg_cadence_spm,
            "avg_ground_contact_ms": self.avg_ground_contact_ms,
            "other_sports": [s.to_dict() for s in self.other_sports],
        }


@dataclass(frozen=True)
class Trends:
    """Weekly trend rows, oldest first."""

    weeks: tuple[WeekTrend, ...]

    def last(self, n: int) -> Trends:
        """Only the ``n`` most recent weeks (all of them when ``n`` is 0); CTL/ATL/TSB keep
        the whole history they were computed from."""
        return Trends(self.weeks[-n:]) if n > 0 else self

    def since(self, first_week: dt.date) -> Trends:
        """Only the weeks starting on or after ``first_week``."""
        return Trends(tuple(w for w in self.weeks if w.week_start >= first_week.isoformat()))

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {"weeks": [week.to_dict() for week in self.weeks]}


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def _weighted(pairs: list[tuple[float | None, float | None]]) -> float | None:
    kept = [(v, w or 0.0) for v, w in pairs if v]
    total = sum(w for _, w in kept)
    return sum(v * w for v, w in kept) / total if total > 0 else None


def _week(
    start: dt.date, members: Sequence[ActivityDay], daily: FloatArray, ff: Any, first: dt.date
) -> WeekTrend:
    offset = (start - first).days
    end = min(offset + 6, len(daily) - 1)
    runs = [a for a in members if a.sport in RUN_SPORTS]
    others: dict[str, list[ActivityDay]] = {}
    for activity in members:
        if activity.sport not in RUN_SPORTS:
            others.setdefault(activity.sport, []).append(activity)
    return WeekTrend(
        week_start=start.isoformat(),
        activities=len(members),
        runs=len(runs),
        distance_m=float(sum(a.distance_m or 0.0 for a in runs)),
        timer_time_s=float(sum(a.timer_time_s or 0.0 for a in runs)),
        training_load=round(float(daily[offset : end + 1].sum()), 2),
        runs_without_load=sum(1 for a in members if a.training_load is None),
        ctl=round(float(ff.ctl[end]), 2),
        atl=round(float(ff.atl[end]), 2),
        tsb=round(float(ff.tsb[end]), 2),
        avg_cadence_spm=_weighted([(a.avg_cadence_spm, a.timer_time_s) for a in runs]),
        avg_ground_contact_ms=_weighted([(a.avg_ground_contact_ms, a.timer_time_s) for a in runs]),
        other_sports=tuple(
            SportWeek(
                sport,
                len(group),
                float(sum(a.distance_m or 0.0 for a in group)),
                float(sum(a.timer_time_s or 0.0 for a in group)),
                round(sum(a.training_load or 0.0 for a in group), 2),
            )
            for sport, group in sorted(others.items())
        ),
    )


def aggregate_weeks(
    activities: Iterable[ActivityDay],
    *,
    until: dt.date | None = None,
    since: dt.date | None = None,
) -> Trends:
    """Every week from the first activity's (or ``since``'s, if earlier) to ``until``'s
    (default: the last activity's); activities after ``until`` are left out."""
    dated = [a for a in activities if until is None or a.day <= until]
    if not dated and since is None:
        return Trends(())
    days = [a.day for a in dated]
    first = _monday(min([*days, *([since] if since else [])]))
    last = until or max(days, default=first)
    n_days = (last - first).days + 1
    daily = np.zeros(max(n_days, 1), dtype=np.float64)
    by_week: dict[dt.date, list[ActivityDay]] = {}
    for activity in dated:
        daily[(activity.day - first).days] += activity.training_load or 0.0
        by_week.setdefault(_monday(activity.day), []).append(activity)
    ff = fitness_fatigue(daily)
    weeks = [
        _week(first + dt.timedelta(days=offset), by_week.get(first + dt.timedelta(days=offset), []),
              daily, ff, first)
        for offset in range(0, n_days, 7)
    ]  # fmt: skip
    return Trends(tuple(weeks))


def weekly_trends(
    store: Database,
    *,
    until: dt.date | None = None,
    zone: dt.tzinfo | None = None,
    threshold_pace_s_per_km: float = DEFAULT_THRESHOLD_PACE_S_PER_KM,
) -> Trends:
    """:func:`aggregate_weeks` over every activity in the store, days in ``zone``."""
    rows = store.query(
        "SELECT sport, start_utc, distance_m, timer_time_s, moving_time_s, training_load, "
        "avg_cadence_spm, avg_ground_contact_ms FROM activities WHERE start_utc IS NOT NULL"
    )
    activities = []
    for row in rows:
        start = dt.datetime.fromisoformat(row["start_utc"])
        start = start if start.tzinfo else start.replace(tzinfo=dt.UTC)
        load, _ = activity_load(
            row["training_load"],
            row["distance_m"],
            row["moving_time_s"] or row["timer_time_s"],
            threshold_pace_s_per_km,
        )
        activities.append(
            ActivityDay(
                sport=str(row["sport"]),
                day=start.astimezone(zone).date(),
                distance_m=row["distance_m"],
                timer_time_s=row["timer_time_s"],
                training_load=load,
                avg_cadence_spm=row["avg_cadence_spm"],
                avg_ground_contact_ms=row["avg_ground_contact_ms"],
            )
        )
    return aggregate_weeks(activities, until=until)
