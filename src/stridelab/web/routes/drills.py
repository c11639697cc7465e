"""Drills: the catalogue (how-to, cues, faults) and drill checks from uploaded video."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse, Response

from stridelab.coach.drill_videos import drill_guide_file, side_by_side_file
from stridelab.coach.drillchecks import (
    DRILL_TYPES,
    check_file,
    fault_frame_file,
    get_drill_check,
    list_drill_checks,
    run_drill_check,
)
from stridelab.coach.uploads import UploadKind
from stridelab.drills.catalogue import DRILLS, get_drill
from stridelab.drills.motions import REFERENCE_NOTE, reference_motion
from stridelab.errors import InputError, NotFoundError
from stridelab.video.native import DEFAULT_POSE_MODEL, PoseModel
from stridelab.web.error_pages import wants_json
from stridelab.web.rendering import render, render_json
from stridelab.web.routes.common import CSRF, Ctx, RowId, receive_upload
from stridelab.web.security import RequestContext

router = APIRouter(tags=["drills"])


def _catalogue(ctx: RequestContext) -> dict[str, Any]:
    mass = ctx.profile.body_mass_kg
    return {
        **ctx.as_dict(),
        "drills": [
            {**drill.as_dict(), "kcal": round(drill.kcal(mass), 1)} for drill in DRILLS.values()
        ],
        "checks": [c.as_dict() for c in list_drill_checks(ctx.db, ctx.athlete.id)],
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
    checks = [c.as_dict() for c in list_drill_checks(ctx.db, ctx.athlete.id, drill.id)]
    motion = reference_motion(drill.id)
    return {
        **ctx.as_dict(),
        "drill": {**drill.as_dict(), "kcal": round(drill.kcal(ctx.profile.body_mass_kg), 1)},
        "guide": {
            "video": f"/drills/{drill.id}/guide.webm",
            "reps_per_min": motion.reps_per_min,
            "rep_unit": motion.rep_unit,
            "note": REFERENCE_NOTE + ".",
        },
        "checks": checks,
        "checkable": drill.id in DRILL_TYPES,
    }


@router.get("/drills/{drill_id}.json")
def drill_json(drill_id: str, ctx: Ctx) -> Response:
    """One drill: how-to steps, cues, faults, energy for this athlete, check history."""
    return render_json(_drill(ctx, drill_id))


@router.get("/drills/{drill_id}", response_class=HTMLResponse)
def drill_page(request: Request, drill_id: str, ctx: Ctx) -> Response:
    """One drill's page, with the video upload for a drill check."""
    return render(request, "drill.html", _drill(ctx, drill_id), ctx=ctx)


@router.get("/drills/{drill_id}/guide.webm")
def drill_guide(drill_id: str, ctx: Ctx) -> Response:
    """The drill's reference animation (WebM, VP8), drawn on first request and kept."""
    return FileResponse(drill_guide_file(ctx.config.data_folder, drill_id), media_type="video/webm")


@router.post("/drills/{drill_id}/check", dependencies=[CSRF], status_code=202)
async def start_check(
    request: Request,
    drill_id: str,
    ctx: Ctx,
    filename: str = "clip.mp4",
    height_cm: float | None = None,
    model: PoseModel = DEFAULT_POSE_MODEL,
) -> Response:
    """Upload a drill video as the raw request body (``?filename=``, ``?height_cm=``,
    ``?model=lite|full|heavy``);
    the check runs as a background job (poll ``/jobs/{id}.json``)."""
    if drill_id not in DRILL_TYPES:
        raise NotFoundError(
            f"{drill_id!r} cannot be checked from video",
            hint=f"Film one of: {', '.join(DRILL_TYPES)}.",
        )
    if height_cm is not None and not 100 <= height_cm <= 250:
        raise InputError(f"height {height_cm:g} cm is not plausible", hint="Give it in cm.")
    config = ctx.config
    upload = await receive_upload(
        request,
        ctx,
        filename,
        UploadKind.VIDEO,
        config.max_video_bytes,
        hint="Trim the clip to the drill itself (10–30 s is enough).",
    )
    athlete_id = ctx.athlete.id
    runner = request.app.state.jobs
    holder: dict[str, str] = {}
    job = runner.submit(
        athlete_id,
        "drill-check",
        lambda db, progress: run_drill_check(
            db,
            config.data_folder,
            athlete_id,
            holder["job_id"],
            upload.path,
            upload.sha256,
            drill_id,
            height_cm,
            progress,
            estimator_factory=config.pose_estimator_factory,
            compute=config.compute,
            model=model,
        ),
        prepare=lambda job_id: holder.update(job_id=job_id),
    )
    data = {"job": job.as_dict(), "upload": {"name": upload.display_name, "sha256": upload.sha256}}
    if wants_json(request):
        return render_json(data, status_code=202)
    return render(request, "partials/job.html", data, ctx=ctx, status_code=202)


def _check(ctx: RequestContext, check_id: int) -> dict[str, Any]:
    check = get_drill_check(ctx.db, ctx.athlete.id, check_id)
    drill = DRILLS.get(check.drill)
    faults = {f.id: f.as_dict() for f in drill.faults} if drill else {}
    report = check.report or {}
    explained = [
        {
            **fault,
            "fix": faults.get(str(fault.get("id")), {}).get("fix"),
            "thumbnail": f"/drills/checks/{check.id}/faults/{i}.jpg"
            if fault_frame_file(ctx.config.data_folder, check, i) is not None
            else None,
        }
        for i, fault in enumerate(report.get("faults", []))
    ]
    return {
        **ctx.as_dict(),
        "check": check.as_dict(),
        "drill": None if drill is None else {"id": drill.id, "name": drill.name},
        "faults": explained,
    }


@router.get("/drills/checks/{check_id}.json")
def check_json(check_id: RowId, ctx: Ctx) -> Response:
    """One drill check: the report (the drill check's ``--json``) and each fault's fix."""
    return render_json(_check(ctx, check_id))


@router.get("/drills/checks/{check_id}", response_class=HTMLResponse)
def check_page(request: Request, check_id: RowId, ctx: Ctx) -> Response:
    """One drill check: annotated video, summary image, metrics, faults with fixes."""
    return render(request, "drill_check.html", _check(ctx, check_id), ctx=ctx)


@router.get("/drills/checks/{check_id}/video.webm")
def check_video(check_id: RowId, ctx: Ctx) -> Response:
    """The annotated video (WebM, VP8: plays in the browser)."""
    check = get_drill_check(ctx.db, ctx.athlete.id, check_id)
    path = check_file(ctx.config.data_folder, check, ".webm")
    return FileResponse(path, media_type="video/webm")


@router.get("/drills/checks/{check_id}/side-by-side.webm")
def check_side_by_side(check_id: RowId, ctx: Ctx) -> Response:
    """The clip beside the reference at the same rep rhythm, faults marked (drawn once)."""
    check = get_drill_check(ctx.db, ctx.athlete.id, check_id)
    path = side_by_side_file(ctx.config.data_folder, check)
    return FileResponse(path, media_type="video/webm")


@router.get("/drills/checks/{check_id}/summary.png")
def check_summary(check_id: RowId, ctx: Ctx) -> Response:
    """The one-page summary image (knee flexion and heel height, contacts shaded)."""
    check = get_drill_check(ctx.db, ctx.athlete.id, check_id)
    return FileResponse(check_file(ctx.config.data_folder, check, ".png"), media_type="image/png")


@router.get("/drills/checks/{check_id}/faults/{index}.jpg")
def check_fault_frame(check_id: RowId, index: int, ctx: Ctx) -> Response:
    """The annotated frame where fault number ``index`` (0-based) shows, as a small JPEG."""
    check = get_drill_check(ctx.db, ctx.athlete.id, check_id)
    path = fault_frame_file(ctx.config.data_folder, check, index)
    if path is None:
        raise NotFoundError("this fault has no saved frame", hint="Run the check again.")
    return FileResponse(path, media_type="image/jpeg")
