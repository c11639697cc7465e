"""Drill checks in the coach: a video in, a background job, a report and annotated video out.

The analysis itself is :mod:`stridelab.video`'s pipeline; this module stores the upload
(by content hash, inside the data directory), runs the check as a job, and keeps the
history in ``coach_drill_checks`` so the Drills page can show every past check.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from stridelab.coach.db import read, transaction, utc_now_iso
from stridelab.coach.jobs import Progress
from stridelab.errors import NotFoundError

__all__ = [
    "ANNOTATED_FOLDER",
    "DrillCheck",
    "get_drill_check",
    "list_drill_checks",
    "record_drill_check",
    "run_drill_check",
]

#: Sub-folder of the data directory that holds annotated videos and summary images.
ANNOTATED_FOLDER: Final = "drill-checks"


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
            "annotated_video": f"/drills/checks/{self.id}/video" if self.annotated_name else None,
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


def list_drill_checks(db_path: Path, athlete_id: int, drill: str | None = None) -> list[DrillCheck]:
    """The athlete's drill checks, newest first (optionally of one drill)."""
    query = "SELECT * FROM coach_drill_checks WHERE athlete_id = ?"
    args: tuple[Any, ...] = (athlete_id,)
    if drill is not None:
        query += " AND drill = ?"
        args = (athlete_id, drill)
    with read(db_path) as conn:
        rows = conn.execute(query + " ORDER BY id DESC LIMIT 50", args).fetchall()
    return [_from_row(r) for r in rows]


def get_drill_check(db_path: Path, athlete_id: int, check_id: int) -> DrillCheck:
    """One drill check of this athlete, or :class:`NotFoundError`."""
    with read(db_path) as conn:
        row = conn.execute(
            "SELECT * FROM coach_drill_checks WHERE id = ? AND athlete_id = ?",
            (check_id, athlete_id),
        ).fetchone()
    if row is None:
        raise NotFoundError(f"no drill check {check_id}", hint="Open one from the Drills page.")
    return _from_row(row)


def record_drill_check(
    db_path: Path,
    athlete_id: int,
    job_id: str,
    drill: str,
    video_sha256: str,
    report: dict[str, Any],
    annotated_name: str | None,
) -> int:
    """Store a finished check; returns its id."""
    with transaction(db_path) as conn:
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


def run_drill_check(
    db_path: Path,
    data_dir: Path,
    athlete_id: int,
    job_id: str,
    video: Path,
    video_sha256: str,
    drill: str,
    height_cm: float | None,
    progress: Progress,
) -> dict[str, Any]:
    """Analyse ``video`` with the drill-check pipeline; store the report and annotated video."""
    from stridelab.video import analyse_video  # type: ignore[attr-defined]

    folder = data_dir / ANNOTATED_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    annotated_name = f"{video_sha256}-{drill}.mp4"
    progress(0.02, "reading the video")
    report = analyse_video(
        video,
        drill=drill,
        height_cm=height_cm,
        out=folder / annotated_name,
        progress=lambda fraction, message="analysing": progress(0.05 + 0.9 * fraction, message),
    )
    report_dict: dict[str, Any] = report.as_dict() if hasattr(report, "as_dict") else dict(report)
    has_video = (folder / annotated_name).is_file()
    check_id = record_drill_check(
        db_path,
        athlete_id,
        job_id,
        drill,
        video_sha256,
        report_dict,
        annotated_name if has_video else None,
    )
    return {"check_id": check_id, "url": f"/drills/checks/{check_id}", "drill": drill}
