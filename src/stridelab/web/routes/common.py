"""Shared pieces of the route modules: the context dependency and form helpers."""

from __future__ import annotations

from typing import Annotated, Any, Final

from fastapi import Depends, Path, Request
from fastapi.responses import RedirectResponse, Response

from stridelab.coach.uploads import StoredUpload, UploadKind, UploadSink
from stridelab.errors import PayloadTooLargeError
from stridelab.store.database import Database
from stridelab.web.database import get_database
from stridelab.web.error_pages import wants_json
from stridelab.web.rendering import render_json
from stridelab.web.security import RequestContext, get_context, is_form, require_csrf

__all__ = [
    "CSRF",
    "SQLITE_MAX_INT",
    "Ctx",
    "Db",
    "RowId",
    "after_post",
    "form_fields",
    "receive_upload",
]

#: Largest integer SQLite stores; ids beyond it cannot exist (404, not an overflow).
SQLITE_MAX_INT: Final = 2**63 - 1
#: A database row id in a path.
RowId = Annotated[int, Path(ge=1, le=SQLITE_MAX_INT)]

#: The request's context: account, athlete in view, profile, settings.
Ctx = Annotated[RequestContext, Depends(get_context)]
#: The request's own connection to the store (the same one ``Ctx`` uses).
Db = Annotated[Database, Depends(get_database)]
#: Add to every unsafe route: ``dependencies=[CSRF]``.
CSRF = Depends(require_csrf)


async def form_fields(request: Request) -> dict[str, str]:
    """The submitted URL-encoded form's fields (other bodies give no fields)."""
    if not is_form(request):
        return {}
    form = await request.form()
    return {k: v for k, v in form.items() if isinstance(v, str)}


def after_post(request: Request, redirect_to: str, data: dict[str, Any]) -> Response:
    """JSON callers get ``data``; a browser is redirected (post/redirect/get)."""
    if wants_json(request):
        return render_json(data)
    return RedirectResponse(redirect_to, status_code=303)


async def receive_upload(
    request: Request,
    ctx: RequestContext,
    filename: str,
    kind: UploadKind,
    max_bytes: int,
    hint: str,
) -> StoredUpload:
    """Stream the raw request body into the data directory, filed by content hash.

    Refuses a declared ``Content-Length`` over ``max_bytes`` before reading anything (413,
    with ``hint``), enforces the limit again while streaming, and removes the partial file
    on any failure.
    """
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise PayloadTooLargeError(
            f"the upload is larger than {max_bytes / (1024 * 1024):g} MiB", hint=hint
        )
    sink = UploadSink(filename, ctx.config.data_folder, kind, max_bytes)
    try:
        async for chunk in request.stream():
            sink.write(chunk)
        return sink.finish()
    except BaseException:
        sink.abort()
        raise
