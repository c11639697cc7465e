"""Settings: the athlete profile (body mass, height, heart rates, threshold, units)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from stridelab.coach.profile import profile_from_form, save_profile
from stridelab.errors import InputError
from stridelab.web.error_pages import http_status, wants_json
from stridelab.web.rendering import render, render_json
from stridelab.web.routes.common import CSRF, Ctx, after_post, form_fields

router = APIRouter(tags=["settings"])


@router.get("/settings.json")
def settings_json(ctx: Ctx) -> Response:
    """The athlete profile as JSON (SI units, plus the display units)."""
    return render_json({**ctx.as_dict(), "profile": ctx.profile.as_dict()})


@router.get("/settings", response_class=HTMLResponse)
def settings_page(request: Request, ctx: Ctx, saved: bool = False) -> Response:
    """The profile form."""
    data = {"profile": ctx.profile.as_dict(), "saved": saved, "error": None}
    return render(request, "settings.html", data, ctx=ctx)


@router.post("/settings", dependencies=[CSRF])
async def save_settings(request: Request, ctx: Ctx) -> Response:
    """Validate and save the profile (one transaction)."""
    fields = await form_fields(request)
    try:
        profile = profile_from_form(fields, ctx.profile)
    except InputError as exc:
        if wants_json(request):
            raise
        data = {"profile": ctx.profile.as_dict(), "saved": False, "error": str(exc)}
        return render(request, "settings.html", data, ctx=ctx, status_code=http_status(exc))
    saved = save_profile(ctx.db, ctx.athlete.id, profile)
    return after_post(request, "/settings?saved=true", {"profile": saved.as_dict()})
