"""First run: sample data, so a new user opens a living dashboard, not an empty page.

On the first start against a store with no runs of its own, the coach writes about eight
weeks of a sample runner's training as FIT files with the project's encoder
(:mod:`stridelab.coach.sample_history`), imports them through the normal import path
(so they are ordinary activities) and makes a sample 10K plan that started
:data:`SAMPLE_PLAN_WEEKS_AGO` weeks before this week, so its first weeks overlap those
runs: Today, Plan and Trends show runs this week, fitness and fatigue, and planned vs
done. Seeding is recorded in ``coach_state`` and happens once per store: a later start
(another "today", so other content hashes) adds nothing. A store that already holds
runs of its own gets no sample runs, only a sample plan starting this week if it has
none. Delete the runs or regenerate the plan at will.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from importlib import resources
from pathlib import Path
from typing import Any, Final

from stridelab.activities.readers import content_sha256
from stridelab.coach.db import DEFAULT_ATHLETE_ID
from stridelab.coach.planning import PlanOrigin, active_plan, create_plan
from stridelab.coach.runs import import_file
from stridelab.coach.sample_history import encode_run, history_runs
from stridelab.errors import StridelabError
from stridelab.plans.generator import generate_plan
from stridelab.plans.model import Plan, PlanRequest, RecentRace
from stridelab.store.database import Database

__all__ = [
    "HISTORY_KEY",
    "SAMPLE_FIT_NAME",
    "SAMPLE_PLAN_WEEKS_AGO",
    "SEEDED_KEY",
    "sample_plan_request",
    "sample_run_path",
    "seed_sample_data",
]

SAMPLE_FIT_NAME: Final = "sample-run.fit"
SEEDED_KEY: Final = "sample_data_seeded"
#: Recorded once the sample history was written (stores seeded before it had only one run).
HISTORY_KEY: Final = "sample_history_seeded"
#: The sample plan started this many weeks before this week's Monday.
SAMPLE_PLAN_WEEKS_AGO: Final = 3
#: The sample runner: 10K in 12 weeks, 4 days a week, 25 km/week now, a 24:30 5K.
SAMPLE_WEEKS: Final = 12
SAMPLE_DAYS_PER_WEEK: Final = 4
SAMPLE_WEEKLY_M: Final = 25_000.0
SAMPLE_RECENT_RACE: Final = RecentRace(5000.0, 24 * 60 + 30)


def sample_run_path() -> Path | None:
    """The bundled sample FIT file, if this install has it."""
    candidate = resources.files("stridelab").joinpath("data", "samples", SAMPLE_FIT_NAME)
    path = Path(str(candidate))
    return path if path.is_file() else None


def sample_plan_request(today: dt.date) -> PlanRequest:
    """A 10K plan starting this week's Monday, race on a Sunday ~12 weeks out."""
    monday = today - dt.timedelta(days=today.weekday())
    race = monday + dt.timedelta(weeks=SAMPLE_WEEKS, days=6)
    return PlanRequest(
        goal_distance_m=10_000.0,
        race_date=race,
        days_per_week=SAMPLE_DAYS_PER_WEEK,
        current_weekly_m=SAMPLE_WEEKLY_M,
        recent_race=SAMPLE_RECENT_RACE,
        start_date=monday,
    )


def _state(db: Database, key: str) -> str | None:
    conn = db.connection
    row = conn.execute("SELECT value FROM coach_state WHERE key = ?", (key,)).fetchone()
    return None if row is None else str(row[0])


def _own_runs(db: Database) -> int:
    """Activities in the store other than the bundled sample run (of older seedings)."""
    bundled = sample_run_path()
    sha = content_sha256(bundled.read_bytes()) if bundled is not None else ""
    conn = db.connection
    row = conn.execute(
        "SELECT COUNT(*) FROM activities WHERE content_sha256 != ?", (sha,)
    ).fetchone()
    return int(row[0])


def _import_history(
    db: Database, plan: Plan, plan_start: dt.date, today: dt.date
) -> dict[str, Any]:
    """Write the sample history as FIT files in a scratch folder and import each one."""
    runs = history_runs(plan, plan_start, today)
    imported = failed = 0
    with tempfile.TemporaryDirectory(prefix="stridelab-sample-") as scratch:
        for index, run in enumerate(runs):
            path = Path(scratch) / f"{run.day.isoformat()}-{run.kind}.fit"
            path.write_bytes(encode_run(run, seed=plan_start.toordinal() + index))
            result = import_file(db, DEFAULT_ATHLETE_ID, path, name=run.name)
            imported += int(result["imported"])
            failed += int(result["failed"])
    return {"imported": imported, "failed": failed}


def seed_sample_data(db: Database, data_dir: Path, today: dt.date) -> dict[str, Any]:
    """Seed the sample history and plan, once per store (see the module doc).

    ``data_dir`` is the app's data folder (unused: the FIT files are written to a scratch
    folder and live on in the store). Returns what was done.
    """
    del data_dir
    if _state(db, HISTORY_KEY) is not None:
        return {"seeded": False}
    result: dict[str, Any] = {"seeded": True, "runs": None, "plan_id": None}
    plan = active_plan(db, DEFAULT_ATHLETE_ID)
    first_time = _state(db, SEEDED_KEY) is None
    if _own_runs(db) == 0:
        this_monday = today - dt.timedelta(days=today.weekday())
        plan_start = this_monday - dt.timedelta(weeks=SAMPLE_PLAN_WEEKS_AGO)
        request = sample_plan_request(plan_start)
        try:
            if plan is None or plan.origin is PlanOrigin.SAMPLE:  # a stale sample plan too
                stored = create_plan(
                    db, DEFAULT_ATHLETE_ID, request, today, PlanOrigin.SAMPLE,
                    due_from=plan_start,
                )  # fmt: skip
                result["plan_id"] = stored.id
                sample = stored.plan
            else:  # the person's own plan stays; the history follows the sample plan
                sample = generate_plan(request, today=today)
            result["runs"] = _import_history(db, sample, plan_start, today)
        except StridelabError as exc:  # a broken sample must not stop the app
            result["error"] = str(exc)
    elif plan is None and first_time:
        try:
            stored = create_plan(
                db, DEFAULT_ATHLETE_ID, sample_plan_request(today), today, PlanOrigin.SAMPLE
            )
        except StridelabError as exc:  # the Plan page still lets the person make one
            result["error"] = str(exc)
        else:
            result["plan_id"] = stored.id
    with db.transaction() as conn:
        for key in (SEEDED_KEY, HISTORY_KEY):
            conn.execute(
                "INSERT OR REPLACE INTO coach_state (key, value) VALUES (?, ?)",
                (key, today.isoformat()),
            )
    return result
