"""Every plan's forecast: CTL/ATL/TSB day by day to race day and the race-time band.

One function for the CLI (``stridelab plan``, with or without ``--db``) and the web Plan
page, over the plan's JSON form (``Plan.as_dict()`` or a stored plan): the forecast starts
from the stored runs when there are any, else from the steady state of the current weekly
volume (:mod:`stridelab.physiology.forecast` says why and what that assumes). Planned
loads are the sessions' ``load_rtss`` after ``today``; skipped sessions count as rest; days
between ``today`` and the plan's first day hold the current weekly volume's steady load.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from stridelab.physiology.forecast import (
    DEFAULT_VDOT_SPREAD,
    forecast_load,
    race_time_band_s,
    steady_state_daily_load,
)

__all__ = ["add_plan_forecast", "planned_loads"]


def planned_loads(plan: Mapping[str, Any]) -> dict[dt.date, float]:
    """rTSS-like load per day of the plan's sessions (skipped sessions left out)."""
    loads: dict[dt.date, float] = {}
    for week in plan.get("weeks", []):
        for session in week.get("sessions", []):
            if session.get("status") == "skipped":
                continue
            day = dt.date.fromisoformat(str(session["date"]))
            loads[day] = loads.get(day, 0.0) + float(session.get("load_rtss") or 0.0)
    return loads


def _easy_and_threshold(plan: Mapping[str, Any]) -> tuple[float, float] | None:
    paces = plan.get("paces_s_per_km") or {}
    easy, threshold = paces.get("easy"), paces.get("threshold")
    if easy is None or threshold is None:
        return None
    easy_mid = sum(map(float, easy)) / len(easy) if isinstance(easy, list) else float(easy)
    return easy_mid, float(threshold)


def add_plan_forecast(
    plan: dict[str, Any],
    today: dt.date,
    *,
    current_weekly_m: float | None,
    history: Mapping[dt.date, float] | None = None,
    predicted_range_s: tuple[float, float] | None = None,
) -> dict[str, Any]:
    """Add ``forecast`` and ``goal.predicted_range_s`` to ``plan`` (its JSON form); return it.

    ``history`` is the load per day of the runs stored (empty or ``None``: none stored);
    ``predicted_range_s`` a band from a fitness estimate, else ±1 VDOT
    (:data:`~stridelab.physiology.forecast.DEFAULT_VDOT_SPREAD`, a convention).
    """
    goal = plan["goal"]
    steady = None
    paces = _easy_and_threshold(plan)
    if current_weekly_m is not None and paces is not None:
        steady = steady_state_daily_load(current_weekly_m, *paces)
    race_day = dt.date.fromisoformat(str(goal["race_date"]))
    planned = planned_loads(plan)
    if steady and planned:  # until the plan starts, the runner runs as they do now
        day, first = today + dt.timedelta(days=1), min(planned)
        while day < first:
            planned[day] = steady
            day += dt.timedelta(days=1)
    forecast = forecast_load(history or {}, planned, today, race_day, steady_daily_load=steady)
    plan["forecast"] = forecast.as_dict()
    if predicted_range_s is None and goal.get("vdot") is not None:
        predicted_range_s = race_time_band_s(
            float(goal["vdot"]), float(goal["distance_m"]), DEFAULT_VDOT_SPREAD
        )
    if predicted_range_s is None:  # Couch to 5K: no fitness is known before its time trial
        goal["predicted_range_s"] = None
        return plan
    lo, hi = predicted_range_s
    goal["predicted_range_s"] = [round(lo, 1), round(hi, 1)]
    return plan
