"""Sessions, CSRF and who is asking.

The session is an itsdangerous-signed cookie (``HttpOnly``, ``SameSite=Lax``) holding the
account id, the account's session version, the athlete being viewed and a CSRF token.
Every unsafe request (POST, PUT, PATCH, DELETE) must echo that token, in the
``X-CSRF-Token`` header (htmx and the upload script send it) or a ``csrf_token`` form
field; a missing or wrong one is a 403. In single-user mode there are no accounts but the
same cookie and CSRF rules apply.

Whether sign-in is required is decided per request (an account added while the server
runs locks it at once). Signing out bumps the account's session version, so a copied or
replayed cookie stops working too. :class:`LoginThrottle` refuses sign-in for a while
after repeated failures, per account and per client.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections import deque
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Annotated, Any, Final

from fastapi import Depends, Query, Request
from itsdangerous import BadSignature, URLSafeTimedSerializer
from starlette.responses import Response

from stridelab.coach.accounts import (
    Account,
    Athlete,
    accounts_exist,
    get_account,
    pick_athlete,
    visible_athletes,
)
from stridelab.coach.profile import AthleteProfile, load_profile
from stridelab.errors import (
    AuthError,
    ForbiddenError,
    PayloadTooLargeError,
    TooManyAttemptsError,
)
from stridelab.store.database import Database
from stridelab.web.config import WebConfig
from stridelab.web.database import get_database

__all__ = [
    "CSRF_FIELD",
    "CSRF_HEADER",
    "LOGIN_FAILURE_LIMIT",
    "LOGIN_FAILURE_WINDOW_S",
    "SECURITY_HEADERS",
    "SESSION_COOKIE",
    "LoginThrottle",
    "RequestContext",
    "WebSession",
    "get_context",
    "is_form",
    "require_csrf",
    "session_middleware",
    "sign_in_required",
    "signed_in_account",
]

SESSION_COOKIE: Final = "stridelab_session"
CSRF_HEADER: Final = "X-CSRF-Token"
CSRF_FIELD: Final = "csrf_token"
UNSAFE_METHODS: Final = frozenset({"POST", "PUT", "PATCH", "DELETE"})
FORM_TYPE: Final = "application/x-www-form-urlencoded"
#: Largest form body accepted (notes are at most a few thousand characters).
MAX_FORM_BYTES: Final = 64 * 1024
SECURITY_HEADERS: Final = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
        "script-src 'self'; media-src 'self'; frame-ancestors 'none'; form-action 'self'"
    ),
}


#: Failed sign-ins allowed per account and per client within the window (OWASP's
#: authentication cheat sheet: throttle, do not lock out for good).
LOGIN_FAILURE_LIMIT: Final = 5
LOGIN_FAILURE_WINDOW_S: Final = 15 * 60.0


class LoginThrottle:
    """Counts failed sign-ins per key (``account:NAME``, ``client:ADDRESS``) in a window.

    :meth:`check` raises :class:`TooManyAttemptsError` once a key has
    :data:`LOGIN_FAILURE_LIMIT` failures within the last :data:`LOGIN_FAILURE_WINDOW_S`
    seconds, before the password is even hashed. ``clock`` is injectable for tests.
    """

    def __init__(
        self,
        limit: int = LOGIN_FAILURE_LIMIT,
        window_s: float = LOGIN_FAILURE_WINDOW_S,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.limit = limit
        self.window_s = window_s
        self._clock = clock
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: str, now: float) -> deque[float]:
        times = self._failures.setdefault(key, deque())
        while times and now - times[0] > self.window_s:
            times.popleft()
        return times

    def check(self, keys: Iterable[str]) -> None:
        """Refuse when any key has used up its failures."""
        with self._lock:
            now = self._clock()
            for key in keys:
                times = self._recent(key, now)
                if len(times) >= self.limit:
                    wait = max(1, round(self.window_s - (now - times[0])))
                    raise TooManyAttemptsError(
                        f"too many failed sign-ins for this {key.split(':', 1)[0]}",
                        hint=f"Wait {wait // 60 or 1} min and try again.",
                    )

    def failed(self, keys: Iterable[str]) -> None:
        """Count one failure against every key."""
        with self._lock:
            now = self._clock()
            for key in keys:
                self._recent(key, now).append(now)

    def succeeded(self, account_key: str) -> None:
        """A correct password clears its account's count (not the client's)."""
        with self._lock:
            self._failures.pop(account_key, None)


@dataclass(frozen=True)
class WebSession:
    """What the signed cookie holds."""

    csrf: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    account_id: int | None = None
    athlete_id: int | None = None
    version: int = 0

    def as_cookie(self) -> dict[str, Any]:
        """The payload that gets signed."""
        return {"c": self.csrf, "a": self.account_id, "t": self.athlete_id, "v": self.version}


def _serializer(request: Request) -> URLSafeTimedSerializer:
    serializer: URLSafeTimedSerializer = request.app.state.session_serializer
    return serializer


def _load(request: Request) -> WebSession | None:
    """The session in the cookie, or ``None`` when there is none or its signature fails."""
    raw = request.cookies.get(SESSION_COOKIE)
    config: WebConfig = request.app.state.config
    if raw:
        try:
            data = _serializer(request).loads(raw, max_age=config.session_max_age_s)
        except BadSignature:
            data = None
        if isinstance(data, dict) and isinstance(data.get("c"), str):
            account = data.get("a")
            athlete = data.get("t")
            version = data.get("v")
            return WebSession(
                csrf=data["c"],
                account_id=account if isinstance(account, int) else None,
                athlete_id=athlete if isinstance(athlete, int) else None,
                version=version if isinstance(version, int) else -1,
            )
    return None


def set_session(request: Request, session: WebSession) -> None:
    """Replace the session; the cookie is rewritten on the way out."""
    request.state.session = session
    request.state.session_dirty = True


async def session_middleware(
    request: Request, call_next: Callable[[Request], Awaitable[Response]]
) -> Response:
    """Load the session before the route, write the cookie after (headers: error_pages)."""
    session = _load(request)
    request.state.session = session or WebSession()
    request.state.session_dirty = session is None
    response = await call_next(request)
    if request.state.session_dirty:
        config: WebConfig = request.app.state.config
        response.set_cookie(
            SESSION_COOKIE,
            _serializer(request).dumps(request.state.session.as_cookie()),
            max_age=config.session_max_age_s,
            httponly=True,
            samesite="lax",
            secure=request.url.scheme == "https",
        )
    return response


def is_form(request: Request) -> bool:
    """A small URL-encoded form (the only kind the pages post; files go as raw bodies, so
    nothing is ever spooled to a temporary folder outside the data directory)."""
    if not request.headers.get("content-type", "").startswith(FORM_TYPE):
        return False
    length = request.headers.get("content-length", "")
    if not length.isdigit() or int(length) > MAX_FORM_BYTES:
        raise PayloadTooLargeError(
            "the form is too large or has no length", hint="Send less text in the form."
        )
    return True


async def require_csrf(request: Request) -> None:
    """Dependency for every unsafe route: the request must echo the session's CSRF token."""
    if request.method not in UNSAFE_METHODS:
        return
    session: WebSession = request.state.session
    sent = request.headers.get(CSRF_HEADER)
    if sent is None and is_form(request):
        form = await request.form()
        value = form.get(CSRF_FIELD)
        sent = value if isinstance(value, str) else None
    if not sent or not secrets.compare_digest(sent, session.csrf):
        raise ForbiddenError(
            "the form's security token is missing or stale",
            hint="Reload the page and submit it again.",
        )


@dataclass(frozen=True)
class RequestContext:
    """Who is asking, for which athlete, and the app's settings."""

    config: WebConfig
    db: Database
    session: WebSession
    account: Account | None
    athlete: Athlete
    athletes: tuple[Athlete, ...]
    profile: AthleteProfile
    accounts_required: bool

    @property
    def today(self) -> date:
        """Today in the runner's time zone (injectable through the config)."""
        return self.config.today(self.profile.zone)

    def as_dict(self) -> dict[str, Any]:
        """Who is signed in, for the ``.json`` twins."""
        return {
            "account": None
            if self.account is None
            else {"username": self.account.username, "role": self.account.role.value},
            "athlete": {"id": self.athlete.id, "name": self.athlete.name},
            "athletes": [{"id": a.id, "name": a.name} for a in self.athletes],
        }


def sign_in_required(db: Database) -> bool:
    """Whether any account exists, asked per request (not once at start-up)."""
    return accounts_exist(db)


def signed_in_account(request: Request, db: Database) -> Account | None:
    """The signed-in account, None in single-user mode; :class:`AuthError` when sign-in is
    required and the cookie has none, or was signed out (its session version is old)."""
    if not sign_in_required(db):
        return None
    session: WebSession = request.state.session
    account = get_account(db, session.account_id) if session.account_id else None
    if account is None or account.session_version != session.version:
        raise AuthError("please sign in", hint="Open /login and sign in.")
    return account


def get_context(
    request: Request,
    db: Annotated[Database, Depends(get_database)],
    athlete: Annotated[int | None, Query(ge=1, le=2**63 - 1)] = None,
) -> RequestContext:
    """Dependency: resolve the account and the athlete in view (``?athlete=ID`` for a coach).

    Raises :class:`AuthError` when sign-in is required and missing, and
    :class:`ForbiddenError` for an athlete the account may not see.
    """
    config: WebConfig = request.app.state.config
    session: WebSession = request.state.session
    account = signed_in_account(request, db)
    required = account is not None
    athletes = tuple(visible_athletes(db, account))
    wanted = athlete if athlete is not None else session.athlete_id
    if wanted is None:
        if not athletes:
            raise ForbiddenError(
                "this coach account has no athletes yet",
                hint="Create an athlete account with --coach set to this coach.",
            )
        chosen = athletes[0]
    else:
        chosen = pick_athlete(athletes, wanted)  # the list just read: no second query
    if session.athlete_id != chosen.id and athlete is None:
        set_session(request, replace(session, athlete_id=chosen.id))
    return RequestContext(
        config=config,
        db=db,
        session=request.state.session,
        account=account,
        athlete=chosen,
        athletes=athletes,
        profile=load_profile(db, chosen.id),
        accounts_required=required,
    )
