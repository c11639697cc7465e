"""One place that turns errors into responses: an HTML error page, or ``{"error": ...}``.

:data:`HTTP_STATUS` maps the library's error tree to statuses (the library's errors know
nothing of HTTP); HTTP errors from routing (404, 405),
request validation (422) and anything unexpected (500, logged, no traceback shown) get
the same two shapes. A ``.json`` path or a JSON ``Accept`` header selects JSON. An HTML
request that needs a sign-in is sent to ``/login``.

:func:`security_headers_middleware` is the outermost of the app's middleware: it turns an
unexpected exception into the 500 page itself (Starlette's last-resort handler would
answer outside every middleware) and puts :data:`SECURITY_HEADERS` on every response,
error pages included.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Final
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse, Response
from starlette.exceptions import HTTPException

from stridelab.errors import (
    ActivityFileError,
    AuthError,
    ComputeError,
    ForbiddenError,
    MissingExtraError,
    NotFoundError,
    PayloadTooLargeError,
    PlanError,
    PoseError,
    StoreError,
    StridelabError,
    TooManyAttemptsError,
    UnsupportedFormatError,
)
from stridelab.web.rendering import render, render_json
from stridelab.web.security import SECURITY_HEADERS

__all__ = [
    "HTTP_STATUS",
    "http_status",
    "install_error_handlers",
    "security_headers_middleware",
    "wants_json",
]

#: The HTTP status of each error class; a class not listed takes its nearest listed
#: ancestor's (``StridelabError``: 400, a bad request).
HTTP_STATUS: Final[dict[type[StridelabError], int]] = {
    StridelabError: 400,
    PlanError: 422,
    ActivityFileError: 422,
    UnsupportedFormatError: 415,
    PoseError: 422,
    StoreError: 500,
    NotFoundError: 404,
    AuthError: 401,
    ForbiddenError: 403,
    PayloadTooLargeError: 413,
    TooManyAttemptsError: 429,
    MissingExtraError: 501,
    ComputeError: 503,
}

_log = logging.getLogger(__name__)
_TITLES: Final = {
    400: "That did not work",
    401: "Please sign in",
    403: "Not allowed",
    404: "Not found",
    405: "Not allowed",
    413: "Too large",
    415: "Unsupported file",
    422: "Could not use that",
    500: "Something broke on our side",
}


def wants_json(request: Request) -> bool:
    """JSON for ``.json`` paths, API clients and non-browser callers."""
    if request.url.path.endswith(".json"):
        return True
    accept = request.headers.get("accept", "")
    return "application/json" in accept and "text/html" not in accept


def http_status(exc: StridelabError) -> int:
    """The status for ``exc``: its class's in :data:`HTTP_STATUS`, or the nearest
    ancestor's."""
    for cls in type(exc).__mro__:
        if cls in HTTP_STATUS:
            return HTTP_STATUS[cls]
    return HTTP_STATUS[StridelabError]


def _respond(request: Request, status: int, message: str) -> Response:
    if wants_json(request):
        return render_json({"error": message, "status": status}, status_code=status)
    if status == 401 and request.method == "GET" and not request.headers.get("hx-request"):
        target = quote(request.url.path + (f"?{request.url.query}" if request.url.query else ""))
        return RedirectResponse(f"/login?next={target}", status_code=303)
    title = _TITLES.get(status, "That did not work")
    return render(
        request,
        "error.html",
        {"error": message, "status": status, "title": title},
        status_code=status,
    )


async def _stridelab_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StridelabError)
    status = http_status(exc)
    if status >= 500:
        _log.error("%s on %s: %s", type(exc).__name__, request.url.path, exc)
    return _respond(request, status, str(exc))


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    detail = exc.detail if isinstance(exc.detail, str) else _TITLES.get(exc.status_code, "error")
    if exc.status_code == 404:
        detail = f"there is no page at {request.url.path}. Use the menu to find your way"
    response = _respond(request, exc.status_code, detail)
    if exc.headers:
        response.headers.update(exc.headers)
    return response


async def _validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    problems = "; ".join(
        f"{'.'.join(str(p) for p in err.get('loc', ()))}: {err.get('msg', 'invalid')}"
        for err in exc.errors()
    )
    return _respond(request, 422, f"the request is not valid ({problems}). Fix the fields")


async def _unexpected(request: Request, exc: Exception) -> Response:
    _log.exception("unexpected error on %s", request.url.path)
    return _respond(
        request, 500, "an internal error happened; it was logged. Try again, or report it"
    )


async def security_headers_middleware(
    request: Request, call_next: Callable[[Request], Awaitable[Response]]
) -> Response:
    """Every response, a 500 included, carries the security headers."""
    try:
        response = await call_next(request)
    except Exception as exc:  # what no handler turned into a response: a bug
        response = await _unexpected(request, exc)
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def install_error_handlers(app: FastAPI) -> None:
    """Register the handlers on ``app``."""
    app.add_exception_handler(StridelabError, _stridelab_error)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(Exception, _unexpected)
