"""The coach at a glance, for a terminal: what ``stridelab demo`` prints.

:func:`coach_overview` gathers, as one JSON-ready dict, the next session (today's if
there is one) with its warm-up drills and their cues, the plan in numbers (goal, weeks,
total distance against the engine's template), the last run's key metrics with one of
its insights, and fitness/fatigue/form (CTL/ATL/TSB) with this week's runs. It reads the
same views as the web app (:mod:`stridelab.coach.dashboard`), so both agree.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from stridelab.coach.dashboard import today_view
from stridelab.coach.planning import active_plan
from stridelab.coach.profile import AthleteProfile
from stridelab.coach.runs import get_run
from stridelab.store.database import Database

__all__ = ["coach_overview"]


def _plan_summary(db: Database, athlete_id: int) -> dict[str, Any] | None:
    stored = active_plan(db, athlete_id)
    if stored is None:
        return None
    data = stored.plan.as_dict()  # the numbers as the plan page shows them
    weeks = stored.plan.weeks
    return {
        "goal": data["goal"],
        "origin": stored.origin.value,
        "weeks": len(weeks),
        "start": weeks[0].start.isoformat() if weeks else None,
        "total_distance_m": data["total_distance_m"],
        "template_distance_m": data["baseline_total_distance_m"],
        "peak_week_m": max((float(w["distance_m"]) for w in data["weeks"]), default=0.0),
    }


def _last_run(
    db: Database, athlete_id: int, profile: AthleteProfile, last: dict[str, Any] | None
) -> dict[str, Any] | None:
    if last is None:
        return None
    detail = get_run(db, athlete_id, int(last["id"]), profile.threshold_pace_s_per_km)
    insights = [i for s in detail.sessions for i in s.get("insights") or []]
    return {**last, "insight": insights[0] if insights else None}


def coach_overview(
    db: Database, athlete_id: int, profile: AthleteProfile, today: dt.date
) -> dict[str, Any]:
    """Next session and warm-up, plan summary, last run and an insight, CTL/ATL/TSB."""
    view = today_view(db, athlete_id, profile, today)
    fitness = view["fitness"]
    return {
        "today": view["today"],
        "next_session": view["next_session"],
        "next_session_with_warmup": view["next_session_with_warmup"],
        "plan": _plan_summary(db, athlete_id),
        "last_run": _last_run(db, athlete_id, profile, view["last_run"]),
        "week": view["week"],
        "fitness": {key: fitness[key] for key in ("ctl", "atl", "tsb")},
        "advice": view["advice"],
        "run_count": view["run_count"],
    }
