"""Background jobs: their status as an htmx fragment that polls itself, and as JSON."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from stridelab.coach.jobs import get_job, list_jobs
from stridelab.web.rendering import render, render_json
from stridelab.web.routes.common import Ctx

router = APIRouter(tags=["jobs"])


@router.get("/jobs.json")
def jobs_json(ctx: Ctx) -> Response:
    """This athlete's recent jobs, newest first."""
    return render_json({"jobs": [j.as_dict() for j in list_jobs(ctx.db, ctx.athlete.id)]})


@router.get("/jobs/{job_id}.json")
def job_json(job_id: str, ctx: Ctx) -> Response:
    """One job: status, progress (0–1), message, result or error."""
    return render_json(get_job(ctx.db, job_id, {a.id for a in ctx.athletes}).as_dict())


@router.get("/jobs/{job_id}", response_class=HTMLResponse)
def job_fragment(request: Request, job_id: str, ctx: Ctx) -> Response:
    """The job's status fragment; while it runs it re-fetches itself every second."""
    job = get_job(ctx.db, job_id, {a.id for a in ctx.athletes})
    return render(request, "partials/job.html", {"job": job.as_dict()}, ctx=ctx)
