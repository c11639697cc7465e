"""First run: bundled sample data, so a new user opens a living dashboard, not an empty page.

On the first start against a database (marked in ``coach_state``), the bundled sample
FIT run is imported for the single-user athlete and a sample 10K plan is generated that
starts this week. Both are ordinary data: delete the run or regenerate the plan at will.
"""

from __future__ import annotations

import datetime as dt
from importlib import resources
from pathlib import Path
from typing import Any, Final

from stridelab.coach.db import DEFAULT_ATHLETE_ID, read, transaction
from stridelab.coach.planning import PlanOrigin, active_plan, create_plan
from stridelab.coach.runs import import_file
from stridelab.errors import StridelabError
from stridelab.plans.model import PlanRequest, RecentRace

__all__ = [
    "SAMPLE_FIT_NAME",
    "SEEDED_KEY",
    "sample_plan_request",
    "sample_run_path",
    "seed_sample_data",
]

SAMPLE_FIT_NAME: Final = "sample-run.fit"
SEEDED_KEY: Final = "sample_data_seeded"
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


def seed_sample_data(db_path: Path, data_dir: Path, today: dt.date) -> dict[str, Any]:
    """Import the sample run and generate the sample plan, once per database."""
    with read(db_path) as conn:
        if conn.execute("SELECT 1 FROM coach_state WHERE key = ?", (SEEDED_KEY,)).fetchone():
            return {"seeded": False}
    result: dict[str, Any] = {"seeded": True, "run": None, "plan_id": None}
    run = sample_run_path()
    if run is not None:
        try:
            result["run"] = import_file(db_path, DEFAULT_ATHLETE_ID, run, name="Sample run")
        except StridelabError as exc:  # a broken sample must not stop the app
            result["run_error"] = str(exc)
    if active_plan(db_path, DEFAULT_ATHLETE_ID) is None:
        try:
            stored = create_plan(
                db_path, DEFAULT_ATHLETE_ID, sample_plan_request(today), today, PlanOrigin.SAMPLE
            )
        except StridelabError as exc:  # the Plan page still lets the person make one
            result["plan_error"] = str(exc)
        else:
            result["plan_id"] = stored.id
    with transaction(db_path) as conn:
        conn.execute(
            "INSERT OR REPLACE INTO coach_state (key, value) VALUES (?, ?)",
            (SEEDED_KEY, today.isoformat()),
        )
    return result
