"""What to run on a given day: the stored plan's session for that date, with its week.

The ``stridelab today`` contract::

    {"date": "YYYY-MM-DD",
     "session": {...same shape as in ``stridelab plan --json``...} | null,
     "week": {...the week's fields without its sessions...} | null}

``session`` is ``null`` on a day the plan does not cover; a rest day is a session of kind
``rest``. The date is an input: the CLI passes ``--date`` (default: today).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from stridelab.coach.db import DEFAULT_ATHLETE_ID, open_coach
from stridelab.coach.planning import TrackedPlan, active_plan
from stridelab.errors import InputError

__all__ = ["day_view", "today_from_store"]


def day_view(plan: TrackedPlan, day: dt.date) -> dict[str, Any]:
    """The session of ``plan`` on ``day`` (its stored JSON form), and its week."""
    for tracked in plan.sessions():
        if tracked.date == day:
            week = {k: v for k, v in tracked.week.as_dict().items() if k != "sessions"}
            return {"date": day.isoformat(), "session": tracked.as_dict(), "week": week}
    return {"date": day.isoformat(), "session": None, "week": None}


def today_from_store(
    db_path: Path, day: dt.date, athlete_id: int = DEFAULT_ATHLETE_ID
) -> dict[str, Any]:
    """:func:`day_view` of the athlete's current plan in the store at ``db_path``."""
    stored = None
    if db_path.is_file():
        with open_coach(db_path) as db:  # an activity-only store gains the coach tables
            stored = active_plan(db, athlete_id)
    if stored is None:
        raise InputError(
            f"No plan is stored in {db_path}",
            hint="Make one with stridelab plan … --save (or in the web app), then ask again.",
        )
    return day_view(stored.tracked, day)
