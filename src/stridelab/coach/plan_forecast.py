"""Every plan's forecast: CTL/ATL/TSB day by day to race day and the race-time band.

One function for the CLI (``stridelab plan``, with or without ``--db``) and the web Plan
page, over the typed plan (:func:`plan_forecast`); :func:`add_plan_forecast` is its JSON
edge for ``plan --json``. The forecast starts from the stored runs when there are any,
else from the steady state of the current weekly volume (:mod:`stridelab.physiology.forecast`
says why and what that assumes). Planned loads are the sessions' ``load_rtss`` after
``today`` (the coach leaves skipped sessions out, so they count as rest); days between
``today`` and the plan's first day hold the current weekly volume's steady load.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from stridelab.physiology.forecast import (
    DEFAULT_VDOT_SPREAD,
    LoadForecast,
    forecast_load,
    race_time_band_s,
    steady_state_daily_load,
)
from stridelab.plans.model import Plan, Session

__all__ = ["PlanForecast", "add_plan_forecast", "forecast_json", "plan_forecast", "planned_loads"]


@dataclass(frozen=True, slots=True)
class PlanForecast:
    """The load forecast to race day and the predicted race-time band (``None`` without a
    fitness to predict from, as in Couch to 5K)."""

    load: LoadForecast
    predicted_range_s: tuple[float, float] | None


def planned_loads(sessions: Iterable[Session]) -> dict[dt.date, float]:
    """rTSS-like load per day of ``sessions``."""
    loads: dict[dt.date, float] = {}
    for session in sessions:
        loads[session.date] = loads.get(session.date, 0.0) + session.load_rtss
    return loads


def _easy_and_threshold(paces: Mapping[str, float | list[float]]) -> tuple[float, float] | None:
    easy, threshold = paces.get("easy"), paces.get("threshold")
    if easy is None or threshold is None or isinstance(threshold, list):
        return None
    easy_mid = sum(map(float, easy)) / len(easy) if isinstance(easy, list) else float(easy)
    return easy_mid, float(threshold)


def plan_forecast(
    plan: Plan,
    today: dt.date,
    *,
    current_weekly_m: float | None,
    history: Mapping[dt.date, float] | None = None,
    predicted_range_s: tuple[float, float] | None = None,
    sessions: Iterable[Session] | None = None,
) -> PlanForecast:
    """The forecast of ``plan`` from ``today``.

    ``history`` is the load per day of the runs stored (empty or ``None``: none stored);
    ``sessions`` the sessions still meant to be run (default: all of the plan's);
    ``predicted_range_s`` a band from a fitness estimate, else ±1 VDOT
    (:data:`~stridelab.physiology.forecast.DEFAULT_VDOT_SPREAD`, a convention).
    """
    goal = plan.goal
    steady = None
    paces = _easy_and_threshold(plan.paces_s_per_km)
    if current_weekly_m is not None and paces is not None:
        steady = steady_state_daily_load(current_weekly_m, *paces)
    planned = planned_loads(plan.sessions if sessions is None else sessions)
    if steady and planned:  # until the plan starts, the runner runs as they do now
        day, first = today + dt.timedelta(days=1), min(planned)
        while day < first:
            planned[day] = steady
            day += dt.timedelta(days=1)
    load = forecast_load(history or {}, planned, today, goal.race_date, steady_daily_load=steady)
    if predicted_range_s is None and goal.vdot is not None:
        predicted_range_s = race_time_band_s(goal.vdot, goal.distance_m, DEFAULT_VDOT_SPREAD)
    return PlanForecast(load, predicted_range_s)


def add_plan_forecast(
    data: dict[str, Any],
    today: dt.date,
    *,
    current_weekly_m: float | None,
    history: Mapping[dt.date, float] | None = None,
    predicted_range_s: tuple[float, float] | None = None,
) -> dict[str, Any]:
    """The JSON edge of :func:`plan_forecast`: add ``forecast`` and
    ``goal.predicted_range_s`` to ``data`` (a ``Plan.as_dict()``); return it."""
    result = plan_forecast(
        Plan.from_dict(data),
        today,
        current_weekly_m=current_weekly_m,
        history=history,
        predicted_range_s=predicted_range_s,
    )
    return forecast_json(data, result)


def forecast_json(data: dict[str, Any], result: PlanForecast) -> dict[str, Any]:
    """``data`` (a plan's JSON) with ``forecast`` and ``goal.predicted_range_s`` of ``result``."""
    data["forecast"] = result.load.as_dict()
    band = result.predicted_range_s
    data["goal"]["predicted_range_s"] = None if band is None else [round(b, 1) for b in band]
    return data
