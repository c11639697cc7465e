"""Drills: the catalogue (how-to, cues, faults) and drill checks from uploaded video."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from stridelab.coach.drillchecks import list_drill_checks
from stridelab.drills.catalogue import DRILLS, get_drill
from stridelab.errors import InputError, NotFoundError
from stridelab.web.rendering import render, render_json
from stridelab.web.routes.common import Ctx
from stridelab.web.security import RequestContext

router = APIRouter(tags=["drills"])


def _catalogue(ctx: RequestContext) -> dict[str, Any]:
    mass = ctx.profile.body_mass_kg
    return {
        **ctx.as_dict(),
        "drills": [
            {**drill.as_dict(), "kcal": round(drill.kcal(mass), 1)} for drill in DRILLS.values()
        ],
        "checks": [c.as_dict() for c in list_drill_checks(ctx.db_path, ctx.athlete.id)],
    }


@router.get("/drills.json")
def drills_json(ctx: Ctx) -> Response:
    """The drill catalogue and this athlete's drill-check history."""
    return render_json(_catalogue(ctx))


@router.get("/drills", response_class=HTMLResponse)
def drills_page(request: Request, ctx: Ctx) -> Response:
    """The drill catalogue page."""
    return render(request, "drills.html", _catalogue(ctx), ctx=ctx)


def _drill(ctx: RequestContext, drill_id: str) -> dict[str, Any]:
    try:
        drill = get_drill(drill_id)
    except InputError as exc:
        raise NotFoundError(str(exc), hint="Pick a drill from the catalogue.") from None
    checks = [c.as_dict() for c in list_drill_checks(ctx.db_path, ctx.athlete.id, drill.id)]
    return {
        **ctx.as_dict(),
        "drill": {**drill.as_dict(), "kcal": round(drill.kcal(ctx.profile.body_mass_kg), 1)},
        "checks": checks,
        "checkable": drill.id in _CHECKABLE,
    }


_CHECKABLE = {"butt_kicks", "high_knees", "a_skip"}


@router.get("/drills/{drill_id}.json")
def drill_json(drill_id: str, ctx: Ctx) -> Response:
    """One drill: how-to steps, cues, faults, energy for this athlete, check history."""
    return render_json(_drill(ctx, drill_id))


@router.get("/drills/{drill_id}", response_class=HTMLResponse)
def drill_page(request: Request, drill_id: str, ctx: Ctx) -> Response:
    """One drill's page, with the video upload for a drill check."""
    return render(request, "drill.html", _drill(ctx, drill_id), ctx=ctx)
