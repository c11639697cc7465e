"""Drill checks in the coach: a video in, a background job, a report and annotated video out.

The analysis itself is :mod:`stridelab.video`'s pipeline; this module stores the upload
(by content hash, inside the data directory), runs the check as a job, and keeps the
history in ``coach_drill_checks`` so the Drills page can show every past check.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from stridelab.coach.db import utc_now_iso
from stridelab.coach.jobs import Progress
from stridelab.compute import IN_PROCESS, Backend, Compute
from stridelab.errors import InputError, NotFoundError
from stridelab.extras import needs
from stridelab.store.database import Database
from stridelab.video.kinds import CHECKABLE_DRILLS
from stridelab.video.native import DEFAULT_POSE_MODEL, PoseModel

__all__ = [
    "ANNOTATED_FOLDER",
    "DRILL_CHECK_WORKERS",
    "DRILL_TYPES",
    "POSE_SUFFIX",
    "DrillCheck",
    "DrillVideoTask",
    "analyse_drill_video",
    "check_file",
    "get_drill_check",
    "list_drill_checks",
    "load_pose",
    "record_drill_check",
    "run_drill_check",
    "save_pose",
]

#: Sub-folder of the data directory that holds annotated videos and summary images.
ANNOTATED_FOLDER: Final = "drill-checks"
#: The check's landmarks are kept beside its files (for the side-by-side video's markers).
POSE_SUFFIX: Final = ".pose.npz"
#: Pose workers per check inside the web app (the CLI uses two processes).
DRILL_CHECK_WORKERS: Final = 1
#: Catalogue drills the video check knows, with the pipeline's name for them.
DRILL_TYPES: Final[dict[str, str]] = {k: v.value for k, v in CHECKABLE_DRILLS.items()}


@dataclass(frozen=True)
class DrillCheck:
    """One drill check in the history."""

    id: int
    athlete_id: int
    job_id: str
    drill: str
    video_sha256: str
    created_at: str
    report: dict[str, Any] | None
    annotated_name: str | None

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form (the report is the drill check's ``--json`` output)."""
        return {
            "id": self.id,
            "job_id": self.job_id,
            "drill": self.drill,
            "video_sha256": self.video_sha256,
            "created_at": self.created_at,
            "report": self.report,
            "annotated_video": f"/drills/checks/{self.id}/video.webm"
            if self.annotated_name
            else None,
            "summary_image": f"/drills/checks/{self.id}/summary.png"
            if self.annotated_name
            else None,
            "side_by_side_video": f"/drills/checks/{self.id}/side-by-side.webm"
            if self.annotated_name
            else None,
        }


def _from_row(row: Any) -> DrillCheck:
    return DrillCheck(
        id=int(row["id"]),
        athlete_id=int(row["athlete_id"]),
        job_id=str(row["job_id"]),
        drill=str(row["drill"]),
        video_sha256=str(row["video_sha256"]),
        created_at=str(row["created_at"]),
        report=json.loads(row["report_json"]) if row["report_json"] else None,
        annotated_name=row["annotated_name"],
    )


def list_drill_checks(db: Database, athlete_id: int, drill: str | None = None) -> list[DrillCheck]:
    """The athlete's drill checks, newest first (optionally of one drill)."""
    query = "SELECT * FROM coach_drill_checks WHERE athlete_id = ?"
    args: tuple[Any, ...] = (athlete_id,)
    if drill is not None:
        query += " AND drill = ?"
        args = (athlete_id, drill)
    conn = db.connection
    rows = conn.execute(query + " ORDER BY id DESC LIMIT 50", args).fetchall()
    return [_from_row(r) for r in rows]


def check_file(data_dir: Path, check: DrillCheck, suffix: str) -> Path:
    """The annotated ``.webm`` or summary ``.png`` of a check, inside the data directory."""
    folder = (data_dir / ANNOTATED_FOLDER).resolve()
    if check.annotated_name is None:
        raise NotFoundError("this check has no annotated files", hint="Run the check again.")
    path = (folder / f"{check.annotated_name}{suffix}").resolve()
    if path.parent != folder or not path.is_file():
        raise NotFoundError("the annotated file is gone", hint="Run the check again.")
    return path


def fault_frame_file(data_dir: Path, check: DrillCheck, index: int) -> Path | None:
    """The thumbnail of fault ``index`` (0-based) of a check, or None when it has none."""
    from stridelab.video.report import fault_thumbnail_suffix

    try:
        return check_file(data_dir, check, fault_thumbnail_suffix(index)) if index >= 0 else None
    except NotFoundError:
        return None


def save_pose(path: Path, xy_px: Any, width: int, height: int) -> Path:
    """Keep a check's landmarks (``(frames, 33, 2)`` pixels of a ``width`` × ``height`` clip)."""
    import numpy as np

    np.savez_compressed(path, xy_px=np.asarray(xy_px, dtype=np.float32), size=[width, height])
    return path


def load_pose(data_dir: Path, check: DrillCheck) -> tuple[Any, tuple[int, int]] | None:
    """A check's saved landmarks and frame size, or None (checks made before they were kept)."""
    import numpy as np

    try:
        path = check_file(data_dir, check, POSE_SUFFIX)
    except NotFoundError:
        return None
    with np.load(path) as saved:
        width, height = (int(v) for v in saved["size"])
        return np.asarray(saved["xy_px"], dtype=np.float64), (width, height)


def get_drill_check(db: Database, athlete_id: int, check_id: int) -> DrillCheck:
    """One drill check of this athlete, or :class:`NotFoundError`."""
    conn = db.connection
    row = conn.execute(
        "SELECT * FROM coach_drill_checks WHERE id = ? AND athlete_id = ?",
        (check_id, athlete_id),
    ).fetchone()
    if row is None:
        raise NotFoundError(f"no drill check {check_id}", hint="Open one from the Drills page.")
    return _from_row(row)


def record_drill_check(
    db: Database,
    athlete_id: int,
    job_id: str,
    drill: str,
    video_sha256: str,
    report: dict[str, Any],
    annotated_name: str | None,
) -> int:
    """Store a finished check; returns its id."""
    with db.transaction() as conn:
        cursor = conn.execute(
            "INSERT INTO coach_drill_checks (athlete_id, job_id, drill, video_sha256, created_at,"
            " report_json, annotated_name) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                athlete_id,
                job_id,
                drill,
                video_sha256,
                utc_now_iso(),
                json.dumps(report, allow_nan=False, default=str),
                annotated_name,
            ),
        )
        return int(cursor.lastrowid or 0)


@dataclass(frozen=True)
class DrillVideoTask:
    """One drill check's analysis, as a work item for the compute seam.

    Paths, not bytes: on a Dask cluster the workers must see the data directory (a
    shared filesystem); the annotated files are written next to the upload there.
    """

    video: Path
    drill_type: str
    height_cm: float | None
    folder: Path
    stem: str
    estimator_factory: Callable[[], Any] | None = None
    #: BlazePose model size: lite, full or heavy (:class:`stridelab.video.native.PoseModel`).
    model: str = DEFAULT_POSE_MODEL.value


def analyse_drill_video(task: DrillVideoTask, progress: Progress | None = None) -> dict[str, Any]:
    """Pose, report, annotated video and summary image for one check; returns the report.

    Module-level and free of the database, so it runs in this process or on a worker.
    """
    with needs("The drill check"):
        from stridelab.video.form import DrillType
        from stridelab.video.pipeline import check_drill
        from stridelab.video.render import render_annotated, render_summary

    def report_progress(fraction: float, message: str) -> None:
        if progress is not None:
            progress(fraction, message)

    options: dict[str, Any] = {}
    if task.estimator_factory is not None:
        options["estimator_factory"] = task.estimator_factory
    report_progress(0.01, "finding the runner")
    report, sequence = check_drill(
        task.video,
        DrillType(task.drill_type),
        height_cm=task.height_cm,
        model=PoseModel(task.model),
        workers=DRILL_CHECK_WORKERS,
        progress=lambda done, total: report_progress(0.8 * done / max(total, 1), "estimating pose"),
        **options,
    )
    report_progress(0.82, "drawing the annotated video")
    render_annotated(
        task.video,
        sequence,
        report,
        task.folder / f"{task.stem}.webm",  # VP8: browsers play it; mp4v they do not
        progress=lambda done, total: report_progress(0.82 + 0.16 * done / max(total, 1), "drawing"),
        thumbnails_stem=task.folder / task.stem,
    )
    render_summary(sequence, report, task.folder / f"{task.stem}.png")
    save_pose(
        task.folder / f"{task.stem}{POSE_SUFFIX}", sequence.xy_px, sequence.width, sequence.height
    )
    result: dict[str, Any] = report.to_dict()
    return result


def run_drill_check(
    db: Database,
    data_dir: Path,
    athlete_id: int,
    job_id: str,
    video: Path,
    video_sha256: str,
    drill_id: str,
    height_cm: float | None,
    progress: Progress,
    estimator_factory: Callable[[], Any] | None = None,
    compute: Compute = IN_PROCESS,
    model: PoseModel = DEFAULT_POSE_MODEL,
) -> dict[str, Any]:
    """Analyse ``video`` as the catalogue drill ``drill_id``; store the report, the
    annotated video and the summary image; returns where to see them.

    The analysis runs on ``compute``: in this process (with step-by-step progress; pose
    workers are not forked from a threaded web server, :data:`DRILL_CHECK_WORKERS`) or,
    with a Dask scheduler, on the cluster. This process records the result.
    """
    with needs("The drill check"):  # fail first on a missing extra, naming it
        import stridelab.video.pipeline  # noqa: F401
    if drill_id not in DRILL_TYPES:
        raise InputError(
            f"{drill_id!r} cannot be checked from video yet",
            hint=f"Film one of: {', '.join(DRILL_TYPES)}.",
        )
    folder = data_dir / ANNOTATED_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    stem = f"{video_sha256}-{drill_id}"
    task = DrillVideoTask(
        video, DRILL_TYPES[drill_id], height_cm, folder, stem, estimator_factory, model.value
    )
    if compute.backend is Backend.DASK:
        progress(0.01, f"analysing on {compute.describe()}")
        report = compute.run(analyse_drill_video, task)
    else:
        report = analyse_drill_video(task, progress)
    check_id = record_drill_check(db, athlete_id, job_id, drill_id, video_sha256, report, stem)
    return {"check_id": check_id, "url": f"/drills/checks/{check_id}", "drill": drill_id}
