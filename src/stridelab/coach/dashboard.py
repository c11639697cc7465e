"""The coach's views as data: Today, the plan calendar, and trends.

Each function returns a JSON-ready dict: the web app renders it as a page and returns it
as the page's ``.json`` twin, so both always say the same thing.

Fitness, fatigue and form are CTL/ATL/TSB from :mod:`stridelab.physiology.load`
(42- and 7-day exponentially weighted daily load, k = 1 − e^(−1/τ)); a day's load is the
sum of its runs' loads (TRIMP from heart rate, else rTSS-like from pace, see
:mod:`stridelab.coach.runs`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from typing import Any, Final

import numpy as np

from stridelab.coach.daily_load import daily_fitness, daily_loads
from stridelab.coach.matching import (
    DONE_RANGE,
    MATCH_WINDOW_DAYS,
    RunSummary,
    SessionMatch,
    WeekCompliance,
    match_plan,
    weekly_compliance,
)
from stridelab.coach.plan_forecast import forecast_json, plan_forecast
from stridelab.coach.planning import (
    SessionStatus,
    StoredPlan,
    TrackedSession,
    active_plan,
    plan_changes,
)
from stridelab.coach.profile import AthleteProfile
from stridelab.coach.runs import RunRow, count_runs, list_runs
from stridelab.drills.warmup import Warmup
from stridelab.physiology.load import fitness_fatigue
from stridelab.plans.model import PlanRequest, Session, SessionKind, Step, StepKind, WarmupRoutine
from stridelab.store.database import Database
from stridelab.store.trends import Trends, WeekTrend, aggregate_weeks

__all__ = [
    "ADVICE_WEEKS",
    "FITNESS_CHART_DAYS",
    "RECENT_RUNS",
    "TREND_WEEKS",
    "TREND_WEEKS_AHEAD",
    "WEEKDAY_NAMES",
    "fitness_series",
    "plan_view",
    "replan_advice",
    "session_targets",
    "today_view",
    "trends_view",
    "warmup_summary",
]

#: Days of fitness/fatigue/form shown on Today.
FITNESS_CHART_DAYS: Final = 120
#: Past weeks shown on Trends (this one included).
TREND_WEEKS: Final = 26
#: Planned weeks ahead shown on Trends, at most.
TREND_WEEKS_AHEAD: Final = 16
#: Runs listed on Today (the last run and the ones before it).
RECENT_RUNS: Final = 6
#: Complete weeks of compliance that decide whether Today suggests replanning.
ADVICE_WEEKS: Final = 2


#: Weekday abbreviations for the plan's days (English, whatever the server's locale).
WEEKDAY_NAMES: Final = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


#: A planned week still ahead: nothing run, no load, no fitness yet.
_EMPTY_WEEK: Final[dict[str, Any]] = {
    **WeekTrend("", 0, 0, 0.0, 0.0, 0.0, 0, 0.0, 0.0, 0.0, None, None).to_dict(),
    "ctl": None,
    "atl": None,
    "tsb": None,
    "training_load": None,
    "future": True,
}


def weekly_aggregate(runs: Sequence[RunRow], today: dt.date, *, since: dt.date) -> Trends:
    """The one weekly aggregator (:func:`stridelab.store.trends.aggregate_weeks`) over
    the athlete's activities, up to ``today``."""
    days = [a for a in (r.activity_day() for r in runs) if a is not None]
    return aggregate_weeks(days, until=today, since=since)


def fitness_series(
    runs: Sequence[RunRow], until: dt.date, min_days: int = FITNESS_CHART_DAYS
) -> dict[str, Any]:
    """Daily load and CTL/ATL/TSB from the first run (or ``min_days`` back, whichever is
    earlier) to ``until``; empty without runs."""
    dated = [(d, r.training_load or 0.0) for r in runs if (d := r.day) is not None and d <= until]
    if not dated:
        return {"days": [], "load": [], "ctl": [], "atl": [], "tsb": []}
    first = min(min(d for d, _ in dated), until - dt.timedelta(days=min_days - 1))
    n_days = (until - first).days + 1
    daily = np.zeros(n_days)
    for day, load in dated:
        daily[(day - first).days] += load
    ff = fitness_fatigue(daily)
    return {
        "days": [(first + dt.timedelta(days=i)).isoformat() for i in range(n_days)],
        "load": daily.round(1).tolist(),
        "ctl": ff.ctl.round(1).tolist(),
        "atl": ff.atl.round(1).tolist(),
        "tsb": ff.tsb.round(1).tolist(),
    }


def _summaries(runs: Sequence[RunRow]) -> list[RunSummary]:
    return [s for s in (r.summary() for r in runs) if s is not None]


def _matches(
    plan: StoredPlan | None, runs: Sequence[RunRow], profile: AthleteProfile, today: dt.date
) -> tuple[list[SessionMatch], list[RunSummary]]:
    if plan is None:
        return [], []
    return match_plan(plan.tracked, _summaries(runs), today, profile.threshold_pace_s_per_km)


def _matching_since(plan: StoredPlan, today: dt.date) -> dt.date:
    """The first day a run can match one of the plan's sessions (today without sessions)."""
    days = [t.date for t in plan.sessions()]
    return min(days, default=today) - dt.timedelta(days=MATCH_WINDOW_DAYS)


def _drill_cards(session: Session) -> list[dict[str, Any]]:
    warmup = session.warmup
    if not isinstance(warmup, Warmup):
        return []
    return [
        {"id": d.id, "name": d.name, "cues": list(d.cues), "dose": d.dose} for d in warmup.drills
    ]


def _session_on(
    plan: StoredPlan, day: dt.date, matches: dict[str, SessionMatch]
) -> dict[str, Any] | None:
    """The plan's session on ``day`` (a run before a rest day's entry), with its status,
    targets and warm-up; ``None`` on a day the plan does not cover."""
    sessions = [t for t in plan.sessions() if t.date == day]
    if not sessions:
        return None
    tracked = min(sessions, key=lambda t: t.kind is SessionKind.REST)
    match = matches.get(tracked.id)
    return {
        **tracked.as_dict(),
        "status": None if match is None else match.status.value,
        "run_id": None if match is None else match.run_id,
        "targets": session_targets(tracked.session.steps),
        "warmup_summary": warmup_summary(tracked.session.warmup),
        "drill_cards": _drill_cards(tracked.session),
    }


def today_view(
    db: Database, athlete_id: int, profile: AthleteProfile, today: dt.date
) -> dict[str, Any]:
    """Next session with warm-up and drills, last run, this week's form, CTL/ATL/TSB.

    Reads only what it shows: the newest runs, the runs since the plan's first day (or
    this Monday) for matching, and the stored daily load (:mod:`stridelab.coach.daily_load`).
    """
    plan = active_plan(db, athlete_id)
    this_monday = today - dt.timedelta(days=today.weekday())
    since = this_monday if plan is None else min(this_monday, _matching_since(plan, today))
    pace, zone = profile.threshold_pace_s_per_km, profile.zone
    runs = list_runs(db, athlete_id, pace, zone=zone, since=since)
    newest = list_runs(db, athlete_id, pace, zone=zone, limit=RECENT_RUNS)
    matches, unplanned = _matches(plan, runs, profile, today)
    by_id = {m.session_id: m for m in matches}
    next_session = None
    next_warmup = None
    week_form = None
    advice: str | None = None
    today_session = None
    if plan is not None:
        today_session = _session_on(plan, today, by_id)
        for tracked in plan.sessions():
            match = by_id.get(tracked.id)
            if tracked.date >= today and tracked.is_run and (match is None or match.run_id is None):
                card = {**tracked.as_dict(), "drill_cards": _drill_cards(tracked.session)}
                next_session = next_session or card
                if tracked.session.warmup is not None:
                    next_warmup = card
                    break
        compliance = weekly_compliance(plan.tracked, matches, unplanned, today)
        for week in compliance:
            if week.start <= today < week.start + dt.timedelta(days=7):
                week_form = week.as_dict()
        replanned = plan.replanned_from
        advice = replan_advice(
            [w for w in compliance if replanned is None or w.start >= replanned], today
        )
    (this_week,) = weekly_aggregate(runs, today, since=this_monday).since(this_monday).weeks
    daily = daily_fitness(db, athlete_id, profile, today, FITNESS_CHART_DAYS)
    if daily.days:  # the week's fitness counts the whole history, not this week's runs only
        ctl, atl = daily.ctl[-1], daily.atl[-1]
        this_week = dataclasses.replace(
            this_week, ctl=round(ctl, 2), atl=round(atl, 2), tsb=round(ctl - atl, 2)
        )
    recent = daily.as_dict()
    return {
        "today": today.isoformat(),
        "today_session": today_session,
        "next_session": next_session,
        "next_session_with_warmup": next_warmup,
        "last_run": newest[0].as_dict() if newest else None,
        "recent_runs": [r.as_dict() for r in newest[1:RECENT_RUNS]],
        "week": {"start": this_monday.isoformat(), **this_week.to_dict(), "compliance": week_form},
        "fitness": {
            "ctl": recent["ctl"][-1] if recent["ctl"] else None,
            "atl": recent["atl"][-1] if recent["atl"] else None,
            "tsb": recent["tsb"][-1] if recent["tsb"] else None,
            "series": recent,
        },
        "goal": None if plan is None else plan.plan.goal.as_dict(),
        "run_count": count_runs(db, athlete_id),
        "advice": advice,
    }


def replan_advice(compliance: Sequence[WeekCompliance], today: dt.date) -> str | None:
    """A nudge to replan when the last :data:`ADVICE_WEEKS` complete weeks ran well off the
    plan (outside :data:`~stridelab.coach.matching.DONE_RANGE` of the planned distance)."""
    this_monday = today - dt.timedelta(days=today.weekday())
    recent = [w for w in compliance if w.start < this_monday][-ADVICE_WEEKS:]
    planned = sum(w.planned_m for w in recent)
    if len(recent) < ADVICE_WEEKS or planned <= 0:
        return None
    ratio = sum(w.done_m for w in recent) / planned
    low, high = DONE_RANGE
    if low <= ratio <= high:
        return None
    direction = "less" if ratio < low else "more"
    return (
        f"You ran {ratio:.0%} of the planned distance over the last {ADVICE_WEEKS} weeks, "
        f"{direction} than the plan assumes. Replan from today so the coming weeks build on "
        "what you actually ran."
    )


def session_targets(steps: Sequence[Step]) -> list[dict[str, Any]]:
    """The work targets of a session's steps: each distinct ``{"label", "pace_s_per_km"}``
    of its active steps (repeats opened), in order; ``pace_s_per_km`` is ``[fast, slow]``
    or ``None`` for effort-only work (hills)."""
    found: list[dict[str, Any]] = []
    for step in steps:
        if step.kind is StepKind.REPEAT:
            inner = session_targets(step.steps)
            found.extend(t for t in inner if t not in found)
        elif step.kind is StepKind.ACTIVE:
            target = {
                "label": step.note or "easy",
                "pace_s_per_km": step.as_dict()["pace_s_per_km"],
            }
            if target not in found:
                found.append(target)
    return found


def warmup_summary(warmup: WarmupRoutine | None) -> dict[str, Any] | None:
    """A warm-up in a line: ``{"name", "duration_s", "drills": [names]}`` (``None`` without)."""
    if warmup is None:
        return None
    names = [d.name for d in warmup.drills] if isinstance(warmup, Warmup) else []
    name = warmup.name if isinstance(warmup, Warmup) else "Warm-up"
    return {"name": name, "duration_s": warmup.duration_s, "drills": names}


def _calendar_session(
    tracked: TrackedSession, match: SessionMatch, today: dt.date
) -> dict[str, Any]:
    s = tracked.session
    moved = tracked.mark.moved_from
    return {
        "id": tracked.id,
        "kind": s.kind.value,
        "title": s.title,
        "description": s.description,
        "distance_m": round(s.distance_m, 1),
        "duration_s": round(s.duration_s, 1),
        "status": match.status.value,
        "run_id": match.run_id,
        "actual_distance_m": match.actual_distance_m,
        "moved_from": None if moved is None else moved.isoformat(),
        "total_duration_s": round(s.total_duration_s, 1),
        "targets": session_targets(s.steps),
        "warmup": warmup_summary(s.warmup),
        "steps": [step.as_dict() for step in s.steps],
        "changeable": s.date >= today and s.kind not in (SessionKind.REST, SessionKind.RACE),
    }


def plan_view(
    db: Database, athlete_id: int, profile: AthleteProfile, today: dt.date
) -> dict[str, Any]:
    """The calendar: weeks with phases, each day's sessions with planned vs done, and the
    plan's ``forecast`` from today's real history (:mod:`stridelab.coach.plan_forecast`)."""
    plan = active_plan(db, athlete_id)
    if plan is None:
        return {"plan": None, "weeks": [], "changes": [], "today": today.isoformat()}
    runs = list_runs(
        db,
        athlete_id,
        profile.threshold_pace_s_per_km,
        zone=profile.zone,
        since=_matching_since(plan, today),
    )
    matches, unplanned = _matches(plan, runs, profile, today)
    by_id = {m.session_id: m for m in matches}
    compliance = {w.start: w for w in weekly_compliance(plan.tracked, matches, unplanned, today)}
    extra_by_day: dict[dt.date, list[dict[str, Any]]] = {}
    for run in unplanned:
        extra_by_day.setdefault(run.day, []).append({"id": run.id, "distance_m": run.distance_m})
    weeks = []
    for index, week in enumerate(plan.plan.weeks):
        start = week.start
        tracked = plan.tracked.week_sessions(index)
        days = []
        for offset in range(7):
            day = start + dt.timedelta(days=offset)
            days.append(
                {
                    "date": day.isoformat(),
                    "weekday": WEEKDAY_NAMES[day.weekday()],
                    "sessions": [
                        _calendar_session(t, by_id[t.id], today) for t in tracked if t.date == day
                    ],
                    "unplanned": extra_by_day.get(day, []),
                }
            )
        summary = compliance[start]
        weeks.append(
            {
                "start": start.isoformat(),
                "phase": week.phase.value,
                "cutback": week.cutback,
                "explanation": week.explanation,
                "planned_m": summary.planned_m,
                "done_m": summary.done_m,
                "compliance": summary.as_dict(),
                "current": start <= today < start + dt.timedelta(days=7),
                "days": days,
            }
        )
    history = daily_loads(db, athlete_id, profile, today)
    weekly = plan.request.current_weekly_m if isinstance(plan.request, PlanRequest) else None
    forecast = plan_forecast(
        plan.plan,
        today,
        current_weekly_m=None if weekly is None else float(weekly),
        history=history,
        sessions=[t.session for t in plan.sessions() if t.status is not SessionStatus.SKIPPED],
    )
    head = forecast_json(plan.tracked.summary_dict(), forecast)  # the weeks are above
    return {
        "today": today.isoformat(),
        "plan": {"id": plan.id, "created_at": plan.created_at, "origin": plan.origin.value, **head},
        "request": plan.request.as_dict(),
        "weeks": weeks,
        "changes": plan_changes(db, plan.id)[:20],
    }


def trends_view(
    db: Database, athlete_id: int, profile: AthleteProfile, today: dt.date
) -> dict[str, Any]:
    """Weekly volume vs plan (the plan's coming weeks included), load, CTL/ATL/TSB,
    cadence and contact-time trends."""
    runs = list_runs(db, athlete_id, profile.threshold_pace_s_per_km, zone=profile.zone)
    plan = active_plan(db, athlete_id)
    planned_by_week: dict[str, float] = {}
    if plan is not None:
        for week in plan.plan.weeks:
            planned_by_week[week.start.isoformat()] = round(week.distance_m, 1)
    this_monday = today - dt.timedelta(days=today.weekday())
    first_week = this_monday - dt.timedelta(weeks=TREND_WEEKS - 1)
    past = weekly_aggregate(runs, today, since=first_week).since(first_week)
    weeks = [
        {**week.to_dict(), "planned_m": planned_by_week.get(week.week_start), "future": False}
        for week in past.weeks
    ]
    last_planned = max((dt.date.fromisoformat(k) for k in planned_by_week), default=this_monday)
    ahead = min(max((last_planned - this_monday).days // 7, 0), TREND_WEEKS_AHEAD)
    for forward in range(1, ahead + 1):
        start = (this_monday + dt.timedelta(weeks=forward)).isoformat()
        weeks.append({**_EMPTY_WEEK, "week_start": start, "planned_m": planned_by_week.get(start)})
    return {"today": today.isoformat(), "weeks": weeks, "run_count": len(runs)}
