"""The runner's fitness as the coach shows it: the store's estimate, pinned by the profile.

A profile value still at :data:`~stridelab.coach.profile.DEFAULT_PROFILE`'s is a
placeholder, not a measurement, so it does not pin anything; a value the runner changed
(max HR, threshold HR, threshold pace) wins over the estimate from their runs. The
profile's age, when set, gives Tanaka's max HR when none is pinned or measured, and a
plan's masters recovery when the plan is not given an age of its own.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from stridelab.coach.db import DEFAULT_ATHLETE_ID
from stridelab.coach.planning import active_plan
from stridelab.coach.profile import DEFAULT_PROFILE, AthleteProfile, load_profile
from stridelab.errors import PhysiologyError
from stridelab.physiology.fitness import FitnessEstimate, FitnessPins, VdotEstimate
from stridelab.physiology.load import rtss
from stridelab.physiology.vdot import MAX_VDOT, MIN_VDOT, predict_race_time_s, training_paces
from stridelab.store.database import Database
from stridelab.store.fitness import fitness_history, fitness_report

__all__ = [
    "PAGE_HISTORY_WEEKS",
    "REPLAN_VDOT_CHANGE",
    "PlanFitness",
    "athlete_fitness",
    "athlete_fitness_history",
    "daily_loads",
    "fitness_change",
    "fitness_summary",
    "fitness_view",
    "history_rows",
    "pins_from_profile",
    "plan_fitness",
    "saved_profile",
]

_OWNED_SQL = (
    "SELECT a.id FROM activities a LEFT JOIN coach_activity_owners o ON o.activity_id = a.id "
    "WHERE COALESCE(o.athlete_id, ?) = ?"
)


def pins_from_profile(
    profile: AthleteProfile | None, age_years: float | None = None
) -> FitnessPins:
    """What the profile pins: every field the runner changed from the default, and the age
    (``age_years`` given wins over the profile's) for Tanaka's max HR."""
    if profile is None:
        return FitnessPins(age_years=age_years)
    if age_years is None and profile.age_years is not None:
        age_years = float(profile.age_years)
    d = DEFAULT_PROFILE

    def pinned(value: float, default: float) -> float | None:
        return None if value == default else value

    return FitnessPins(
        max_hr_bpm=pinned(profile.max_hr_bpm, d.max_hr_bpm),
        lthr_bpm=pinned(profile.threshold_hr_bpm, d.threshold_hr_bpm),
        threshold_pace_s_per_km=pinned(profile.threshold_pace_s_per_km, d.threshold_pace_s_per_km),
        age_years=age_years,
    )


def _has_table(connection: sqlite3.Connection, name: str) -> bool:
    row = connection.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)
    ).fetchone()
    return row is not None


def saved_profile(db: Database, athlete_id: int = DEFAULT_ATHLETE_ID) -> AthleteProfile | None:
    """The athlete's saved profile, or ``None`` (a store the coach never opened has none)."""
    if not _has_table(db.connection, "coach_profiles"):
        return None
    profile = load_profile(db, athlete_id)
    return None if profile is DEFAULT_PROFILE else profile


def _owned(connection: sqlite3.Connection, athlete_id: int) -> set[int] | None:
    if not _has_table(connection, "coach_activity_owners"):
        return None  # a plain store: every activity is the single user's
    rows = connection.execute(_OWNED_SQL, (DEFAULT_ATHLETE_ID, athlete_id)).fetchall()
    return {int(r[0]) for r in rows}


def athlete_fitness(
    db: Database,
    athlete_id: int,
    profile: AthleteProfile | None,
    today: dt.date,
    age_years: float | None = None,
) -> FitnessEstimate:
    """The athlete's fitness on ``today`` from their stored runs and pinned profile values."""
    zone = None if profile is None else profile.zone
    return fitness_report(
        db.connection,
        today,
        pins_from_profile(profile, age_years),
        activity_ids=_owned(db.connection, athlete_id),
        zone=zone,
    )


def athlete_fitness_history(
    db: Database,
    athlete_id: int,
    profile: AthleteProfile | None,
    today: dt.date,
    age_years: float | None = None,
    max_weeks: int | None = None,
) -> list[tuple[dt.date, VdotEstimate | None]]:
    """The athlete's effective VDOT at the end of each week up to ``today``."""
    zone = None if profile is None else profile.zone
    return fitness_history(
        db.connection,
        today,
        pins_from_profile(profile, age_years),
        activity_ids=_owned(db.connection, athlete_id),
        zone=zone,
        max_weeks=max_weeks,
    )


def history_rows(history: list[tuple[dt.date, VdotEstimate | None]]) -> list[dict[str, Any]]:
    """JSON rows ``{"week_end", "vdot", "vdot_range", "vdot_basis"}`` of a VDOT history."""
    return [
        {
            "week_end": day.isoformat(),
            "vdot": None if v is None else v.vdot,
            "vdot_range": None if v is None else [v.low, v.high],
            "vdot_basis": None if v is None else v.basis,
        }
        for day, v in history
    ]


#: Today offers to update paces when the estimate moves this many VDOT points from the plan.
REPLAN_VDOT_CHANGE: Final = 1.0
#: Weeks of VDOT history the Fitness page draws.
PAGE_HISTORY_WEEKS: Final = 52


def fitness_view(
    db: Database, athlete_id: int, profile: AthleteProfile, today: dt.date
) -> dict[str, Any]:
    """The Fitness page: the estimate, a year of weekly VDOT and which efforts are PBs."""
    pinned = None if profile is DEFAULT_PROFILE else profile
    estimate = athlete_fitness(db, athlete_id, pinned, today)
    data = estimate.as_dict()
    data["history"] = history_rows(
        athlete_fitness_history(db, athlete_id, pinned, today, max_weeks=PAGE_HISTORY_WEEKS)
    )
    rows = []
    for name, best in data["best_efforts"].items():
        recent = data["best_efforts_90d"].get(name)
        rows.append(
            {
                "name": name,
                "kind": estimate.best_efforts[name].effort.kind,
                "best": best,
                "recent": recent,
                "recent_is_pb": recent is not None and recent["activity_id"] == best["activity_id"],
            }
        )
    data["effort_rows"] = rows
    return data


def fitness_summary(
    db: Database, athlete_id: int, profile: AthleteProfile, today: dt.date
) -> dict[str, Any]:
    """The few numbers Today shows: VDOT, its range and basis, and the 5K–marathon predictions."""
    pinned = None if profile is DEFAULT_PROFILE else profile
    data = athlete_fitness(db, athlete_id, pinned, today).as_dict()
    keys = (
        "vdot",
        "vdot_range",
        "vdot_basis",
        "predictions_s",
        "max_hr_bpm",
        "max_hr_source",
        "lthr_bpm",
    )
    summary = {k: data[k] for k in keys}
    plan = active_plan(db, athlete_id)
    plan_vdot = None if plan is None else plan.plan.goal.as_dict()["vdot"]
    summary["plan_vdot"] = plan_vdot
    summary["change"] = fitness_change(data["vdot"], plan_vdot)
    return summary


def fitness_change(estimate_vdot: float | None, plan_vdot: float | None) -> str | None:
    """A sentence when the estimate moved :data:`REPLAN_VDOT_CHANGE` or more from the plan's."""
    if estimate_vdot is None or plan_vdot is None:
        return None
    delta = estimate_vdot - float(plan_vdot)
    if abs(delta) < REPLAN_VDOT_CHANGE:
        return None
    word = "up" if delta > 0 else "down"
    return (
        f"Your estimated fitness is {word} {abs(delta):.1f} VDOT from your plan's "
        f"{float(plan_vdot):.1f} (now {estimate_vdot:.1f}): update the paces?"
    )


@dataclass(frozen=True)
class PlanFitness:
    """What ``stridelab plan --db`` takes from the store, and how to say where it came from."""

    vdot: float | None
    vdot_basis: str
    weekly_km: float
    long_run_km: float | None
    runs_considered: int
    vdot_range: tuple[float, float] | None = None
    daily_load: Mapping[dt.date, float] = field(default_factory=dict)
    #: The profile's age (whole years), for the plan's masters recovery.
    age_years: int | None = None

    def predicted_range_s(self, vdot: float, distance_m: float) -> tuple[float, float]:
        """The race time band: the estimate's VDOT range moved to ``vdot`` (±1 without one)."""
        lo, hi = (
            (-1.0, 1.0)
            if self.vdot_range is None or self.vdot is None
            else (
                self.vdot_range[0] - self.vdot,
                self.vdot_range[1] - self.vdot,
            )
        )
        return (
            predict_race_time_s(min(vdot + hi, MAX_VDOT), distance_m),
            predict_race_time_s(max(vdot + lo, MIN_VDOT), distance_m),
        )

    def source(
        self, *, vdot_used: bool, weekly_used: bool, long_run_used: bool, age_used: bool = False
    ) -> str:
        """``goal.fitness_source``: which values came from the store, and their basis."""
        parts = []
        if vdot_used and self.vdot is not None:
            parts.append(f"VDOT {self.vdot:.1f} from {self.vdot_basis}")
        if weekly_used:
            parts.append(f"{self.weekly_km:.1f} km/week (4-week mean)")
        if long_run_used and self.long_run_km is not None:
            parts.append(f"longest run {self.long_run_km:.1f} km in 30 days")
        if age_used and self.age_years is not None:
            parts.append(f"age {self.age_years} from the profile")
        if not parts:
            return "options given on the command line"
        return f"store ({self.runs_considered} runs): " + "; ".join(parts)


def plan_fitness(db: Database, today: dt.date) -> PlanFitness:
    """The single-user athlete's current fitness and volume, for a plan from the store."""
    profile = saved_profile(db)
    estimate = athlete_fitness(db, DEFAULT_ATHLETE_ID, profile, today)
    ready = estimate.readiness
    v = estimate.vdot
    threshold = (
        training_paces(v.vdot).threshold_s_per_km
        if v is not None
        else (profile or DEFAULT_PROFILE).threshold_pace_s_per_km
    )
    return PlanFitness(
        vdot=None if v is None else v.vdot,
        vdot_basis="no runs with distance" if v is None else v.basis,
        weekly_km=ready.weekly_km,
        long_run_km=ready.long_run_km or None,
        runs_considered=estimate.runs_considered,
        vdot_range=None if v is None else (v.low, v.high),
        daily_load=daily_loads(db, today, threshold, None if profile is None else profile.zone),
        age_years=None if profile is None else profile.age_years,
    )


def daily_loads(
    db: Database, today: dt.date, threshold_pace_s_per_km: float, zone: dt.tzinfo | None = None
) -> dict[dt.date, float]:
    """Load per day up to ``today``: the store's TRIMP, else rTSS-like from the mean pace."""
    loads: dict[dt.date, float] = {}
    rows = db.connection.execute(
        "SELECT start_utc, training_load, distance_m, COALESCE(moving_time_s, timer_time_s) "
        "FROM activities WHERE start_utc IS NOT NULL"
    ).fetchall()
    for start, trimp, distance_m, time_s in rows:
        day = dt.datetime.fromisoformat(start).astimezone(zone).date()
        if day > today:
            continue
        load = trimp
        if load is None and distance_m and time_s:
            try:
                load = rtss(
                    float(time_s),
                    float(time_s) / float(distance_m) * 1000.0,
                    threshold_pace_s_per_km,
                )
            except PhysiologyError:
                load = None
        loads[day] = loads.get(day, 0.0) + float(load or 0.0)
    return loads
