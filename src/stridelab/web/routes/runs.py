"""Runs: upload (watch files or export archives, as background jobs), list, run page."""

from __future__ import annotations

from typing import Annotated, Any, Final

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from stridelab.coach.runs import (
    RunDetail,
    count_runs,
    delete_run,
    get_run,
    import_file,
    list_runs,
    set_run_notes,
)
from stridelab.coach.uploads import UploadKind
from stridelab.errors import InputError
from stridelab.web.charts import run_charts
from stridelab.web.error_pages import wants_json
from stridelab.web.rendering import render, render_json
from stridelab.web.routes.common import (
    CSRF,
    SQLITE_MAX_INT,
    Ctx,
    RowId,
    after_post,
    form_fields,
    receive_upload,
)
from stridelab.web.security import RequestContext

router = APIRouter(tags=["runs"])


#: Runs per page of the list (``?limit=`` up to :data:`MAX_PAGE`).
PAGE_SIZE: Final = 100
MAX_PAGE: Final = 5000
Limit = Annotated[int, Query(ge=1, le=MAX_PAGE)]
Offset = Annotated[int, Query(ge=0, le=SQLITE_MAX_INT)]


def _runs(ctx: RequestContext, limit: int, offset: int) -> dict[str, Any]:
    runs = list_runs(
        ctx.db,
        ctx.athlete.id,
        ctx.profile.threshold_pace_s_per_km,
        limit=limit,
        offset=offset,
        zone=ctx.profile.zone,
    )
    return {
        **ctx.as_dict(),
        "total": count_runs(ctx.db, ctx.athlete.id),
        "limit": limit,
        "offset": offset,
        "runs": [r.as_dict() for r in runs],
    }


@router.get("/runs.json")
def runs_json(ctx: Ctx, limit: Limit = PAGE_SIZE, offset: Offset = 0) -> Response:
    """The athlete's runs, newest first, a page at a time (``total`` counts them all)."""
    return render_json(_runs(ctx, limit, offset))


@router.get("/runs", response_class=HTMLResponse)
def runs_page(request: Request, ctx: Ctx, limit: Limit = PAGE_SIZE, offset: Offset = 0) -> Response:
    """Upload form and the list of runs."""
    return render(request, "runs.html", _runs(ctx, limit, offset), ctx=ctx)


@router.post("/runs/upload", dependencies=[CSRF], status_code=202)
async def upload_run(request: Request, ctx: Ctx, filename: str = "upload.fit") -> Response:
    """Upload one FIT/TCX/GPX file (optionally .gz) or an export .zip as the raw request body
    (``?filename=`` names it). The bytes stream into the data directory, size-limited and
    stored by content hash; the import runs as a background job (poll ``/jobs/{id}.json``).
    """
    config = ctx.config
    upload = await receive_upload(
        request,
        ctx,
        filename,
        UploadKind.ACTIVITY,
        config.max_activity_bytes,
        hint="Upload a smaller file, or split the archive.",
    )
    athlete_id = ctx.athlete.id
    job = request.app.state.jobs.submit(
        athlete_id,
        "import",
        lambda db, progress: import_file(
            db,
            athlete_id,
            upload.path,
            name=upload.display_name,
            progress=progress,
            compute=config.compute,
        ),
    )
    data = {
        "job": job.as_dict(),
        "upload": {
            "name": upload.display_name,
            "sha256": upload.sha256,
            "size_bytes": upload.size_bytes,
        },
    }
    if wants_json(request):
        return render_json(data, status_code=202)
    return render(request, "partials/job.html", data, ctx=ctx, status_code=202)


def _run(ctx: RequestContext, run_id: int) -> tuple[dict[str, Any], RunDetail]:
    detail = get_run(ctx.db, ctx.athlete.id, run_id, ctx.profile.threshold_pace_s_per_km)
    data = {**ctx.as_dict(), "run": detail.row.as_dict(), "sessions": list(detail.sessions)}
    return data, detail


@router.get("/runs/{run_id}.json")
def run_json(run_id: RowId, ctx: Ctx, samples: bool = False) -> Response:
    """One run: summary, sessions with laps, splits, insights; ``?samples=true`` adds columns."""
    data, detail = _run(ctx, run_id)
    if samples:
        data["samples"] = detail.samples_as_lists()
    return render_json(data)


@router.get("/runs/{run_id}", response_class=HTMLResponse)
def run_page(request: Request, run_id: RowId, ctx: Ctx) -> Response:
    """One run: charts (pace, HR, cadence, contact time), route, splits, laps, insights."""
    data, detail = _run(ctx, run_id)
    data["charts"] = [run_charts(columns, ctx.profile.units) for columns in detail.samples]
    return render(request, "run.html", data, ctx=ctx)


@router.post("/runs/{run_id}", dependencies=[CSRF])
async def edit_run(request: Request, run_id: RowId, ctx: Ctx) -> Response:
    """Rename a run and set its notes."""
    fields = await form_fields(request)
    set_run_notes(ctx.db, ctx.athlete.id, run_id, fields.get("name", ""), fields.get("notes", ""))
    return after_post(request, f"/runs/{run_id}", {"id": run_id, "saved": True})


@router.post("/runs/{run_id}/delete", dependencies=[CSRF])
async def delete_run_route(request: Request, run_id: RowId, ctx: Ctx) -> Response:
    """Delete a run (``confirm=yes`` in the form): gone from your runs, loads and trends."""
    fields = await form_fields(request)
    if fields.get("confirm") != "yes":
        raise InputError(
            "deleting a run needs confirmation", hint="Tick the box, then press Delete."
        )
    gone = delete_run(ctx.db, ctx.athlete.id, run_id)
    return after_post(request, "/runs", {"id": run_id, "deleted": True, "activity_deleted": gone})
