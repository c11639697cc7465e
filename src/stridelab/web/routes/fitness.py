"""Fitness: effective VDOT over time, best efforts with PBs, critical speed, zones."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from stridelab.coach.fitness import fitness_view
from stridelab.web.charts import PALETTE, Series, line_chart
from stridelab.web.rendering import render, render_json
from stridelab.web.routes.common import Ctx
from stridelab.web.security import RequestContext

router = APIRouter(tags=["fitness"])


def _fitness(ctx: RequestContext) -> dict[str, Any]:
    return {**ctx.as_dict(), **fitness_view(ctx.db, ctx.athlete.id, ctx.profile, ctx.today)}


@router.get("/fitness.json")
def fitness_json(ctx: Ctx) -> Response:
    """The fitness estimate as JSON (SI units), the ``stridelab fitness --json`` shape."""
    return render_json(_fitness(ctx))


@router.get("/fitness", response_class=HTMLResponse)
def fitness_page(request: Request, ctx: Ctx) -> Response:
    """Effective VDOT week by week, best efforts, critical speed and zones."""
    data = _fitness(ctx)
    weeks = data["history"]
    labels = [w["week_end"][5:] for w in weeks]
    data["vdot_chart"] = line_chart(
        list(range(len(weeks))),
        [
            Series("VDOT", [w["vdot"] for w in weeks], PALETTE[0]),
            Series(
                "low", [w["vdot_range"][0] if w["vdot_range"] else None for w in weeks], PALETTE[3]
            ),
            Series(
                "high", [w["vdot_range"][1] if w["vdot_range"] else None for w in weeks], PALETTE[3]
            ),
        ],
        title="Effective VDOT, week by week",
        x_format=lambda v: labels[int(v)] if 0 <= int(v) < len(labels) else "",
    )
    return render(request, "fitness.html", data, ctx=ctx)
