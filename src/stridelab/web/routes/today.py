"""Today: the next session with its warm-up and drills, last run, the week, fitness."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from stridelab.coach.dashboard import today_view
from stridelab.coach.fitness import fitness_summary
from stridelab.web.charts import PALETTE, Series, line_chart
from stridelab.web.rendering import render, render_json
from stridelab.web.routes.common import Ctx
from stridelab.web.security import RequestContext

router = APIRouter(tags=["today"])


def _today(ctx: RequestContext) -> dict[str, Any]:
    view = today_view(ctx.db, ctx.athlete.id, ctx.profile, ctx.today)
    estimate = fitness_summary(ctx.db, ctx.athlete.id, ctx.profile, ctx.today)
    return {**ctx.as_dict(), **view, "fitness_estimate": estimate}


@router.get("/today.json")
def today_json(ctx: Ctx) -> Response:
    """Today's dashboard as JSON."""
    return render_json(_today(ctx))


@router.get("/", response_class=HTMLResponse)
@router.get("/today", response_class=HTMLResponse)
def today_page(request: Request, ctx: Ctx) -> Response:
    """Today's dashboard."""
    data = _today(ctx)
    series = data["fitness"]["series"]
    days = series["days"]
    data["fitness_chart"] = line_chart(
        list(range(len(days))),
        [
            Series("fitness (CTL)", series["ctl"], PALETTE[0]),
            Series("fatigue (ATL)", series["atl"], PALETTE[1]),
            Series("form (TSB)", series["tsb"], PALETTE[2]),
        ],
        title=f"Fitness, fatigue and form, last {len(days)} days",
        x_format=lambda v: days[int(v)][5:] if 0 <= int(v) < len(days) else "",
    )
    return render(request, "today.html", data, ctx=ctx)
