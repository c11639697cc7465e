"""Plan: the calendar of weeks (planned vs done), move or skip a session, regenerate, replan."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from stridelab.coach.dashboard import plan_view
from stridelab.coach.fitness import fitness_summary
from stridelab.coach.planning import (
    create_plan,
    move_session,
    skip_session,
)
from stridelab.coach.replan import replan
from stridelab.errors import InputError
from stridelab.plans.baseline import comparison_rows
from stridelab.plans.model import RecentRace
from stridelab.plans.parse import plan_request_from_form
from stridelab.units import (
    DistanceUnit,
    format_duration,
    metres_per_unit,
    parse_date,
    parse_distance_m,
    parse_duration_s,
)
from stridelab.web.charts import PALETTE, Series, line_chart, range_bar
from stridelab.web.rendering import render, render_json
from stridelab.web.routes.common import CSRF, Ctx, after_post, form_fields
from stridelab.web.security import RequestContext

router = APIRouter(tags=["plan"])


def _plan(ctx: RequestContext) -> dict[str, Any]:
    data = {**ctx.as_dict(), **plan_view(ctx.db, ctx.athlete.id, ctx.profile, ctx.today)}
    baseline = (data.get("plan") or {}).get("baseline")
    rows = comparison_rows(data["weeks"], baseline) if baseline else ()
    data["comparison"] = [row.as_dict() for row in rows]  # the plan next to its family
    return data


@router.get("/plan.json")
def plan_json(ctx: Ctx) -> Response:
    """The plan calendar: weeks, phases, each day's sessions with planned vs done."""
    return render_json(_plan(ctx))


@router.get("/plan", response_class=HTMLResponse)
def plan_page(request: Request, ctx: Ctx) -> Response:
    """The plan calendar, with the generate and replan forms."""
    data = _plan(ctx)
    data["default_race_date"] = (ctx.today + dt.timedelta(weeks=12)).isoformat()
    data["profile_age_years"] = ctx.profile.age_years
    data.update(_forecast_charts(data.get("plan")))
    data.update(_comparison_chart(data, ctx.profile.units))
    return render(request, "plan.html", data, ctx=ctx)


def _comparison_chart(data: dict[str, Any], units: DistanceUnit) -> dict[str, str]:
    """Weekly running of the plan and of the matching published family, as SVG."""
    rows = data.get("comparison") or []
    if not rows:
        return {}
    per = metres_per_unit(units)
    starts = [r["start"] for r in rows]
    chart = line_chart(
        list(range(len(rows))),
        [
            Series("stridelab", [r["plan_m"] / per for r in rows], PALETTE[0]),
            Series(
                data["plan"]["baseline"]["name"],
                [None if r["family_m"] is None else r["family_m"] / per for r in rows],
                PALETTE[1],
            ),
        ],
        title=f"Weekly {units.value}: this plan and the published plan that matches you",
        x_format=lambda v: starts[int(v)][5:] if 0 <= int(v) < len(starts) else "",
    )
    return {"comparison_chart": chart}


def _forecast_charts(plan: dict[str, Any] | None) -> dict[str, str]:
    """The projected CTL/ATL/TSB to race day and the predicted race-time band, as SVG."""
    if plan is None or not plan.get("forecast", {}).get("days"):
        return {}
    days = plan["forecast"]["days"]
    dates = [d["date"] for d in days]
    goal = plan["goal"]
    chart = line_chart(
        list(range(len(days))),
        [
            Series("fitness (CTL)", [d["ctl"] for d in days], PALETTE[0]),
            Series("fatigue (ATL)", [d["atl"] for d in days], PALETTE[1]),
            Series("form (TSB)", [d["tsb"] for d in days], PALETTE[2]),
        ],
        title=f"Projected fitness, fatigue and form to race day {goal['race_date']}",
        x_format=lambda v: dates[int(v)][5:] if 0 <= int(v) < len(dates) else "",
    )
    if not goal.get("predicted_range_s"):  # Couch to 5K: no race time to predict yet
        return {"forecast_chart": chart}
    lo, hi = goal["predicted_range_s"]
    goal_time = goal.get("goal_time_s")
    band = range_bar(
        float(lo),
        float(goal["predicted_time_s"]),
        float(hi),
        title=f"Predicted {goal['label']} time on race day",
        value_format=format_duration,
        marks=[("goal", float(goal_time))] if goal_time else [],
    )
    return {"forecast_chart": chart, "race_band_chart": band}


@router.post("/plan/generate", dependencies=[CSRF])
async def generate(request: Request, ctx: Ctx) -> Response:
    """Generate a new plan from the form, starting this week (the old one is kept, inactive).

    An empty age takes the profile's (masters recovery from 50), when it has one.
    """
    fields = await form_fields(request)
    plan_request = plan_request_from_form(fields, ctx.today, ctx.profile.units)
    if plan_request.age_years is None and ctx.profile.age_years is not None:
        plan_request = replace(plan_request, age_years=ctx.profile.age_years)
    stored = create_plan(ctx.db, ctx.athlete.id, plan_request, ctx.today)
    return after_post(request, "/plan", {"plan_id": stored.id})


@router.post("/plan/replan", dependencies=[CSRF])
async def replan_route(request: Request, ctx: Ctx) -> Response:
    """Regenerate the remaining weeks from what was run (and a new race result, if given)."""
    fields = await form_fields(request)
    race = None
    if fields.get("race_time", "").strip():
        race = RecentRace(
            parse_distance_m(fields.get("race_distance", "5k")),
            parse_duration_s(fields["race_time"]),
        )
    estimate = None
    if fields.get("use_estimate") and race is None:
        summary = fitness_summary(ctx.db, ctx.athlete.id, ctx.profile, ctx.today)
        if summary["vdot"] is None:
            raise InputError("there is no fitness estimate yet", hint="Import some runs first.")
        estimate = (float(summary["vdot"]), str(summary["vdot_basis"]))
    result = replan(ctx.db, ctx.athlete.id, ctx.profile, ctx.today, race_result=race, vdot=estimate)
    return after_post(request, "/plan#changes", result.as_dict())


@router.post("/plan/sessions/{session_id}/move", dependencies=[CSRF])
async def move(request: Request, session_id: str, ctx: Ctx) -> Response:
    """Move a session to another day of its week."""
    fields = await form_fields(request)
    stored = move_session(
        ctx.db, ctx.athlete.id, session_id, parse_date(fields.get("date", ""), "date"), ctx.today
    )
    return after_post(request, "/plan", {"plan_id": stored.id, "moved": session_id})


@router.post("/plan/sessions/{session_id}/skip", dependencies=[CSRF])
async def skip(request: Request, session_id: str, ctx: Ctx) -> Response:
    """Skip a session (``undo=1`` plans it again)."""
    fields = await form_fields(request)
    undo = fields.get("undo", "") in ("1", "true")
    stored = skip_session(ctx.db, ctx.athlete.id, session_id, ctx.today, skip=not undo)
    return after_post(request, "/plan", {"plan_id": stored.id, "skipped": not undo})
