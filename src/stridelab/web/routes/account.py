"""Sign-in, sign-out, the session and athlete switching (a coach's athlete picker)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from stridelab.coach.accounts import authenticate, end_sessions, require_athlete
from stridelab.errors import AuthError, InputError, TooManyAttemptsError
from stridelab.web.error_pages import wants_json
from stridelab.web.rendering import render, render_json
from stridelab.web.routes.common import CSRF, Ctx, Db, after_post, form_fields
from stridelab.web.security import (
    LoginThrottle,
    WebSession,
    set_session,
    sign_in_required,
)

router = APIRouter(tags=["account"])


def _client(request: Request) -> str:
    return request.client.host if request.client is not None else "unknown"


def _safe_next(target: str) -> str:
    """Only same-site paths: never an absolute URL (open redirect)."""
    if target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/"


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, db: Db, next: str = "/") -> Response:
    """The sign-in form (single-user mode has nothing to sign in to)."""
    if not sign_in_required(db):
        return RedirectResponse("/", status_code=303)
    return render(request, "login.html", {"next": _safe_next(next), "error": None})


@router.post("/login", dependencies=[CSRF])
async def login(request: Request, db: Db) -> Response:
    """Check the password; on success start a fresh session (new CSRF token)."""
    fields = await form_fields(request)
    target = _safe_next(fields.get("next", "/"))
    username = fields.get("username", "")
    throttle: LoginThrottle = request.app.state.login_throttle
    keys = (f"account:{username.strip().lower()}", f"client:{_client(request)}")
    try:
        throttle.check(keys)
        try:
            account = authenticate(db, username, fields.get("password", ""))
        except AuthError:
            throttle.failed(keys)
            raise
    except (AuthError, TooManyAttemptsError) as exc:
        if wants_json(request):
            raise
        status = 429 if isinstance(exc, TooManyAttemptsError) else 401
        return render(
            request, "login.html", {"next": target, "error": str(exc)}, status_code=status
        )
    throttle.succeeded(keys[0])
    session = WebSession(
        account_id=account.id, athlete_id=account.athlete_id, version=account.session_version
    )
    set_session(request, session)
    return after_post(request, target, {"username": account.username, "role": account.role})


@router.post("/logout", dependencies=[CSRF])
def logout(request: Request, db: Db) -> Response:
    """Forget the sign-in, and end the account's sessions: a replayed cookie is refused."""
    account_id = request.state.session.account_id
    if account_id is not None:
        end_sessions(db, account_id)
    set_session(request, WebSession())
    return after_post(request, "/login", {"signed_out": True})


@router.get("/session.json")
def session_json(ctx: Ctx) -> Response:
    """Who is signed in, the athlete in view, and the CSRF token for API clients."""
    data: dict[str, Any] = ctx.as_dict()
    data["csrf_token"] = ctx.session.csrf
    data["accounts_required"] = ctx.accounts_required
    return render_json(data)


@router.post("/athletes/select", dependencies=[CSRF])
async def select_athlete(request: Request, ctx: Ctx) -> Response:
    """Switch the athlete in view (a coach); an athlete can only pick themselves."""
    fields = await form_fields(request)
    try:
        athlete_id = int(fields.get("athlete_id", ""))
    except ValueError:
        raise InputError("athlete_id must be a number", hint="Pick an athlete.") from None
    athlete = require_athlete(ctx.db, ctx.account, athlete_id)
    set_session(request, replace(request.state.session, athlete_id=athlete.id))
    referer = request.headers.get("referer", "/")
    path = "/" + referer.split("://", 1)[-1].split("/", 1)[-1] if "://" in referer else "/"
    return after_post(
        request, _safe_next(path), {"athlete": {"id": athlete.id, "name": athlete.name}}
    )
