"""Background jobs: long work (archive import, video analysis) off the request thread.

A job is a function that takes a :class:`~stridelab.store.Database` and a progress
callback and returns a JSON-ready dict. The :class:`JobRunner` runs it on a small thread
pool, with a connection of its own, and records status and progress in ``coach_jobs``
through another (so progress shows while the job's own writes are still in a
transaction), where any request (an htmx poll every second) can see it. A
job that fails with a :class:`StridelabError` keeps its message for the person; any
other exception is recorded as an internal error without its traceback.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Final, Protocol

from stridelab.coach.db import utc_now_iso
from stridelab.errors import NotFoundError, StridelabError
from stridelab.store.database import Database

__all__ = [
    "DEFAULT_JOB_WORKERS",
    "Job",
    "JobFunction",
    "JobRunner",
    "JobStatus",
    "Progress",
    "get_job",
    "list_jobs",
]

#: Threads that run jobs; the machine has 2 cores and the web server needs one.
DEFAULT_JOB_WORKERS: Final = 2
_log = logging.getLogger(__name__)


class JobStatus(StrEnum):
    """Where a job is in its life."""

    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class Progress(Protocol):
    """Report progress: ``fraction`` in [0, 1] and a short message."""

    def __call__(self, fraction: float, message: str) -> None: ...


#: A job: works on its own :class:`Database` (opened in the job's thread), reports progress.
JobFunction = Callable[[Database, Progress], dict[str, Any]]


@dataclass(frozen=True)
class Job:
    """A row of ``coach_jobs``."""

    id: str
    athlete_id: int
    kind: str
    status: JobStatus
    progress: float
    message: str
    result: dict[str, Any] | None
    error: str | None
    created_at: str
    updated_at: str

    @property
    def finished(self) -> bool:
        """Done or failed: polling can stop."""
        return self.status in (JobStatus.DONE, JobStatus.FAILED)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "id": self.id,
            "athlete_id": self.athlete_id,
            "kind": self.kind,
            "status": self.status.value,
            "progress": self.progress,
            "message": self.message,
            "result": self.result,
            "error": self.error,
            "created_at": self.created_at,
            "updated_at": self.updated_at,
            "finished": self.finished,
        }


def _job_from_row(row: Any) -> Job:
    return Job(
        id=str(row["id"]),
        athlete_id=int(row["athlete_id"]),
        kind=str(row["kind"]),
        status=JobStatus(row["status"]),
        progress=float(row["progress"]),
        message=str(row["message"]),
        result=json.loads(row["result_json"]) if row["result_json"] else None,
        error=row["error"],
        created_at=str(row["created_at"]),
        updated_at=str(row["updated_at"]),
    )


def get_job(db: Database, job_id: str, athlete_ids: set[int] | None = None) -> Job:
    """The job, if it exists and belongs to one of ``athlete_ids`` (``None``: any)."""
    conn = db.connection
    row = conn.execute("SELECT * FROM coach_jobs WHERE id = ?", (job_id,)).fetchone()
    if row is None or (athlete_ids is not None and int(row["athlete_id"]) not in athlete_ids):
        raise NotFoundError(f"no job {job_id!r}", hint="Start the upload again.")
    return _job_from_row(row)


def list_jobs(db: Database, athlete_id: int, limit: int = 20) -> list[Job]:
    """The athlete's most recent jobs, newest first."""
    conn = db.connection
    rows = conn.execute(
        "SELECT * FROM coach_jobs WHERE athlete_id = ? ORDER BY created_at DESC, rowid DESC "
        "LIMIT ?",
        (athlete_id, limit),
    ).fetchall()
    return [_job_from_row(r) for r in rows]


class JobRunner:
    """Runs job functions on a thread pool, recording their progress in the database.

    The runner knows the store *file*, not a connection: each job and each bookkeeping
    step opens its own :class:`Database` in the thread that uses it.
    """

    def __init__(self, db: Database, workers: int = DEFAULT_JOB_WORKERS) -> None:
        self.path = db.path
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="stridelab-job")
        self._futures: dict[str, Future[None]] = {}
        with db.transaction() as conn:  # jobs of a previous process will never finish
            conn.execute(
                "UPDATE coach_jobs SET status = ?, error = ?, updated_at = ? "
                "WHERE status IN (?, ?)",
                (
                    JobStatus.FAILED.value,
                    "interrupted: the server stopped before the job finished; start it again",
                    utc_now_iso(),
                    JobStatus.QUEUED.value,
                    JobStatus.RUNNING.value,
                ),
            )

    def submit(
        self,
        athlete_id: int,
        kind: str,
        function: JobFunction,
        *,
        prepare: Callable[[str], None] | None = None,
    ) -> Job:
        """Queue ``function``; returns the queued job at once.

        ``prepare`` is called with the new job's id before the job can start (for a
        function that records its own id).
        """
        job_id = uuid.uuid4().hex
        if prepare is not None:
            prepare(job_id)
        now = utc_now_iso()
        with Database.open(self.path) as db, db.transaction() as conn:
            conn.execute(
                "INSERT INTO coach_jobs (id, athlete_id, kind, status, progress, message, "
                "created_at, updated_at) VALUES (?, ?, ?, ?, 0, 'queued', ?, ?)",
                (job_id, athlete_id, kind, JobStatus.QUEUED.value, now, now),
            )
        self._futures[job_id] = self._pool.submit(self._run, job_id, function)
        with Database.open(self.path) as db:
            return get_job(db, job_id)

    def wait(self, job_id: str, timeout_s: float | None = None) -> Job:
        """Block until the job finishes (for the CLI and tests); returns its final state."""
        future = self._futures.get(job_id)
        if future is not None:
            future.result(timeout=timeout_s)
        with Database.open(self.path) as db:
            return get_job(db, job_id)

    def shutdown(self) -> None:
        """Stop taking jobs and wait for the running ones."""
        self._pool.shutdown(wait=True, cancel_futures=True)

    def _update(self, job_id: str, **values: Any) -> None:
        values["updated_at"] = utc_now_iso()
        assignments = ", ".join(f"{key} = ?" for key in values)
        with Database.open(self.path) as db, db.transaction() as conn:
            conn.execute(
                f"UPDATE coach_jobs SET {assignments} WHERE id = ?", (*values.values(), job_id)
            )

    def _run(self, job_id: str, function: JobFunction) -> None:
        self._update(job_id, status=JobStatus.RUNNING.value, message="started")

        def progress(fraction: float, message: str) -> None:
            self._update(job_id, progress=min(max(fraction, 0.0), 1.0), message=message[:200])

        try:
            with Database.open(self.path) as db:
                result = function(db, progress)
        except StridelabError as exc:
            self._update(job_id, status=JobStatus.FAILED.value, error=str(exc), message="failed")
        except Exception:
            _log.exception("job %s failed", job_id)
            self._update(
                job_id,
                status=JobStatus.FAILED.value,
                error="internal error: the job crashed; the server log has the details",
                message="failed",
            )
        else:
            self._update(
                job_id,
                status=JobStatus.DONE.value,
                progress=1.0,
                message="done",
                result_json=json.dumps(result, allow_nan=False, default=str),
            )
