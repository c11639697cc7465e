"""The plan as an iCalendar file: one all-day event per run, the whole workout in its text.

UIDs are stable (goal, race date, session date and kind), so re-importing a regenerated
plan updates events instead of duplicating them. DESCRIPTION holds the purpose, the
structured steps with pace ranges, and the warm-up routine with its drills.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from icalendar import Calendar, Event

from stridelab.plans.export.text import session_lines, write_export
from stridelab.plans.model import Plan, Session, SessionKind
from stridelab.units import distance_label, format_distance

__all__ = ["PRODID", "plan_calendar", "session_uid", "write_ics"]

PRODID = "-//stridelab//training plan//EN"


def session_uid(plan: Plan, session: Session) -> str:
    """Stable UID of a session's event."""
    goal = distance_label(plan.goal.distance_m).replace(" ", "")
    return (
        f"{plan.goal.race_date:%Y%m%d}-{goal}-{session.date:%Y%m%d}-{session.kind.value}@stridelab"
    )


def plan_calendar(plan: Plan) -> Calendar:
    """An iCalendar with one event per run (rest days are left out)."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("x-wr-calname", f"stridelab: {distance_label(plan.goal.distance_m)} plan")
    # DTSTAMP must be fixed for a given plan so that the file is reproducible.
    stamp = dt.datetime.combine(plan.weeks[0].start, dt.time(0, 0), tzinfo=dt.UTC)
    for session in plan.sessions:
        if session.kind is SessionKind.REST:
            continue
        event = Event()
        event.add("uid", session_uid(plan, session))
        event.add("dtstamp", stamp)
        event.add("dtstart", session.date)
        event.add("dtend", session.date + dt.timedelta(days=1))
        event.add("summary", f"{session.title} ({format_distance(session.distance_m)})")
        event.add("description", "\n".join(session_lines(session)))
        event.add("categories", [session.kind.value])
        cal.add_component(event)
    return cal


def write_ics(plan: Plan, path: Path) -> Path:
    """Write :func:`plan_calendar` to ``path``; return the path."""
    return write_export(path, plan_calendar(plan).to_ical())
