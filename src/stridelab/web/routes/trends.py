"""Trends: weekly volume vs plan, load, fitness, cadence and contact time."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from stridelab.coach.dashboard import trends_view
from stridelab.units import metres_per_unit
from stridelab.web.charts import PALETTE, Series, bar_chart, line_chart
from stridelab.web.rendering import render, render_json
from stridelab.web.routes.common import Ctx
from stridelab.web.security import RequestContext

router = APIRouter(tags=["trends"])


def _trends(ctx: RequestContext) -> dict[str, Any]:
    return {**ctx.as_dict(), **trends_view(ctx.db, ctx.athlete.id, ctx.profile, ctx.today)}


@router.get("/trends.json")
def trends_json(ctx: Ctx) -> Response:
    """Weekly trends as JSON (SI units)."""
    return render_json(_trends(ctx))


@router.get("/trends", response_class=HTMLResponse)
def trends_page(request: Request, ctx: Ctx) -> Response:
    """Weekly trend charts."""
    data = _trends(ctx)
    weeks = data["weeks"]
    unit = ctx.profile.units
    per = metres_per_unit(unit)
    labels = [w["week_start"][5:] for w in weeks]
    x = list(range(len(weeks)))
    week_label = lambda v: labels[int(v)] if 0 <= int(v) < len(labels) else ""  # noqa: E731
    data["charts"] = [
        bar_chart(
            labels,
            [(w["planned_m"] or 0.0) / per for w in weeks],
            [w["distance_m"] / per for w in weeks],
            title=f"Weekly running volume vs plan ({unit.value})",
        ),
        line_chart(
            x,
            [
                # CTL and ATL are daily-load averages: the week's load per day shares
                # their scale (a weekly sum would flatten them); future weeks have none.
                Series(
                    "load per day",
                    [None if w["future"] else w["training_load"] / 7 for w in weeks],
                    PALETTE[3],
                ),
                Series("fitness (CTL)", [w["ctl"] for w in weeks], PALETTE[0]),
                Series("fatigue (ATL)", [w["atl"] for w in weeks], PALETTE[1]),
            ],
            title="Load per day (weekly mean), fitness and fatigue",
            x_format=week_label,
        ),
        line_chart(
            x,
            [Series("cadence", [w["avg_cadence_spm"] for w in weeks], PALETTE[2])],
            title="Average cadence (steps/min)",
            x_format=week_label,
        ),
        line_chart(
            x,
            [Series("contact", [w["avg_ground_contact_ms"] for w in weeks], PALETTE[4])],
            title="Average ground contact time (ms)",
            x_format=week_label,
        ),
    ]
    return render(request, "trends.html", data, ctx=ctx)
