"""Weekly trends over the store: volume, load (CTL/ATL/TSB), cadence and contact time.

Weeks start on Monday (ISO weeks, UTC). Load is each activity's stored training load
(TRIMP from heart rate; activities without one count zero and are counted in
``runs_without_load``); CTL/ATL/TSB come from :func:`stridelab.physiology.load.fitness_fatigue`
over daily sums and are reported as of each week's last day. Cadence and contact time
are time-weighted over the week's runs that have them.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta
from typing import Any

import numpy as np

from stridelab.physiology.load import fitness_fatigue
from stridelab.store.database import Database

__all__ = ["Trends", "WeekTrend", "weekly_trends"]


@dataclass(frozen=True)
class WeekTrend:
    """One ISO week (Monday start)."""

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


@dataclass(frozen=True)
class Trends:
    """Weekly trend rows, oldest first."""

    weeks: tuple[WeekTrend, ...]

    def last(self, n: int) -> Trends:
        """Only the ``n`` most recent weeks (all of them when ``n`` is 0); CTL/ATL/TSB keep
        the whole history they were computed from."""
        return Trends(self.weeks[-n:]) if n > 0 else self

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {"weeks": [asdict(week) for week in self.weeks]}


def _weighted(pairs: list[tuple[float, float]]) -> float | None:
    total = sum(w for _, w in pairs)
    return sum(v * w for v, w in pairs) / total if total > 0 else None


def weekly_trends(store: Database, *, until: date | None = None) -> Trends:
    """Per-week volume, load, fitness/fatigue/form, cadence and contact time."""
    rows = list(
        store.query(
            "SELECT sport, start_utc, distance_m, timer_time_s, training_load, avg_cadence_spm, "
            "avg_ground_contact_ms FROM activities WHERE start_utc IS NOT NULL ORDER BY start_utc"
        )
    )
    if not rows:
        return Trends(())
    days = [datetime.fromisoformat(r["start_utc"]).date() for r in rows]
    first_monday = min(days) - timedelta(days=min(days).weekday())
    last_day = max(max(days), until) if until else max(days)
    n_days = (last_day - first_monday).days + 1
    daily = np.zeros(n_days, dtype=np.float64)
    for row, day in zip(rows, days, strict=True):
        daily[(day - first_monday).days] += float(row["training_load"] or 0.0)
    ff = fitness_fatigue(daily)
    weeks: list[WeekTrend] = []
    for start in range(0, n_days, 7):
        week_start = first_monday + timedelta(days=start)
        members = [
            row
            for row, day in zip(rows, days, strict=True)
            if week_start <= day < week_start + timedelta(days=7)
        ]
        runs = [r for r in members if r["sport"] == "running"]
        end = min(start + 6, n_days - 1)
        weeks.append(
            WeekTrend(
                week_start=week_start.isoformat(),
                activities=len(members),
                runs=len(runs),
                distance_m=float(sum(r["distance_m"] or 0.0 for r in members)),
                timer_time_s=float(sum(r["timer_time_s"] or 0.0 for r in members)),
                training_load=float(daily[start : end + 1].sum()),
                runs_without_load=sum(1 for r in members if r["training_load"] is None),
                ctl=round(float(ff.ctl[end]), 2),
                atl=round(float(ff.atl[end]), 2),
                tsb=round(float(ff.tsb[end]), 2),
                avg_cadence_spm=_weighted(
                    [
                        (r["avg_cadence_spm"], r["timer_time_s"] or 0.0)
                        for r in runs
                        if r["avg_cadence_spm"] is not None
                    ]
                ),
                avg_ground_contact_ms=_weighted(
                    [
                        (r["avg_ground_contact_ms"], r["timer_time_s"] or 0.0)
                        for r in runs
                        if r["avg_ground_contact_ms"] is not None
                    ]
                ),
            )
        )
    return Trends(tuple(weeks))
