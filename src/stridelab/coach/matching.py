"""Plan versus actual: match imported runs to planned sessions, and weekly compliance.

Matching is by date first, then kind. Each planned running session takes at most one run
and each run serves at most one session. A run on the session's own day is preferred;
failing that a run one day either side (a session done a day early or late) still
counts. Between candidates, a run whose *inferred kind* (quality when faster than the
athlete's threshold pace band, long when it reaches most of the week's long run, else
easy) fits the session wins, then the one closest in distance.

A session dated before the plan's ``due_from`` (the day the plan was made) was never
due: unless a run served it, it is ``not_due``, shown neutrally and left out of
compliance, never ``missed``. Everything here works on the typed plan
(:class:`~stridelab.coach.planning.TrackedPlan`: the engine's weeks and sessions with
their ids and statuses), comparing :class:`~stridelab.plans.model.SessionKind` values and
dates.

Status thresholds are plain fractions of the planned distance, named below; they are
coaching conventions for "about as planned", not science.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Final

from stridelab.coach.planning import SessionStatus, TrackedPlan
from stridelab.plans.model import QUALITY_KINDS, Phase, SessionKind

__all__ = [
    "DONE_RANGE",
    "MATCH_WINDOW_DAYS",
    "QUALITY_PACE_FACTOR",
    "MatchStatus",
    "RunKind",
    "RunSummary",
    "SessionMatch",
    "WeekCompliance",
    "due_from",
    "infer_kind",
    "match_plan",
    "weekly_compliance",
]

#: A run within this fraction of the planned distance counts as done as planned.
DONE_RANGE: Final = (0.8, 1.2)
#: A session can be matched by a run this many days before or after its date.
MATCH_WINDOW_DAYS: Final = 1
#: Runs faster than threshold pace × this factor are taken as quality sessions.
QUALITY_PACE_FACTOR: Final = 1.06
#: Runs reaching this fraction of the week's planned long run are taken as long runs.
LONG_RUN_FRACTION: Final = 0.75
#: Sessions a fast run serves: the quality kinds and the race.
_FAST_KINDS: Final = QUALITY_KINDS | {SessionKind.RACE, SessionKind.TIME_TRIAL}


class MatchStatus(StrEnum):
    """How a planned session went."""

    DONE = "done"
    SHORTER = "shorter"
    LONGER = "longer"
    MISSED = "missed"
    NOT_DUE = "not_due"
    SKIPPED = "skipped"
    UPCOMING = "upcoming"
    REST = "rest"


@dataclass(frozen=True)
class RunSummary:
    """What matching needs to know about an imported run."""

    id: str
    day: dt.date
    distance_m: float
    duration_s: float

    @property
    def pace_s_per_km(self) -> float:
        """Average pace (inf when no distance)."""
        return self.duration_s / (self.distance_m / 1000) if self.distance_m > 0 else float("inf")


@dataclass(frozen=True)
class SessionMatch:
    """One planned session and the run that served it, if any."""

    session_id: str
    day: dt.date
    kind: SessionKind
    planned_distance_m: float
    status: MatchStatus
    run_id: str | None = None
    actual_distance_m: float | None = None

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "session_id": self.session_id,
            "date": self.day.isoformat(),
            "kind": self.kind.value,
            "planned_distance_m": self.planned_distance_m,
            "status": self.status.value,
            "run_id": self.run_id,
            "actual_distance_m": self.actual_distance_m,
        }


@dataclass(frozen=True)
class WeekCompliance:
    """Planned against done for one plan week, counting only days up to today."""

    start: dt.date
    phase: Phase
    planned_m: float
    due_m: float
    done_m: float
    sessions_due: int
    sessions_done: int
    unplanned_runs: int

    @property
    def distance_ratio(self) -> float | None:
        """Done over due distance (``None`` before anything is due)."""
        return self.done_m / self.due_m if self.due_m > 0 else None

    @property
    def session_ratio(self) -> float | None:
        """Sessions done over sessions due."""
        return self.sessions_done / self.sessions_due if self.sessions_due else None

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "start": self.start.isoformat(),
            "phase": self.phase.value,
            "planned_m": self.planned_m,
            "due_m": self.due_m,
            "done_m": self.done_m,
            "sessions_due": self.sessions_due,
            "sessions_done": self.sessions_done,
            "unplanned_runs": self.unplanned_runs,
            "distance_ratio": self.distance_ratio,
            "session_ratio": self.session_ratio,
        }


class RunKind(StrEnum):
    """What a run looks like from its pace and distance alone (see module doc)."""

    QUALITY = "quality"
    LONG = "long"
    EASY = "easy"


def infer_kind(run: RunSummary, threshold_pace_s_per_km: float, long_run_m: float) -> RunKind:
    """Quality, long or easy from pace and distance (see module doc)."""
    if run.pace_s_per_km <= threshold_pace_s_per_km * QUALITY_PACE_FACTOR:
        return RunKind.QUALITY
    if long_run_m > 0 and run.distance_m >= LONG_RUN_FRACTION * long_run_m:
        return RunKind.LONG
    return RunKind.EASY


def _fits(session_kind: SessionKind, run_kind: RunKind) -> bool:
    if session_kind in _FAST_KINDS:
        return run_kind is RunKind.QUALITY
    if session_kind is SessionKind.LONG:
        return run_kind is RunKind.LONG
    return run_kind is RunKind.EASY


def _status(planned_m: float, actual_m: float) -> MatchStatus:
    low, high = DONE_RANGE
    if planned_m <= 0 or low * planned_m <= actual_m <= high * planned_m:
        return MatchStatus.DONE
    return MatchStatus.SHORTER if actual_m < low * planned_m else MatchStatus.LONGER


def match_plan(
    plan: TrackedPlan,
    runs: Iterable[RunSummary],
    today: dt.date,
    threshold_pace_s_per_km: float,
) -> tuple[list[SessionMatch], list[RunSummary]]:
    """Match runs to the plan's sessions; returns the matches and the unplanned runs."""
    pool = sorted(runs, key=lambda r: (r.day, r.id))
    by_day: dict[dt.date, list[RunSummary]] = {}
    for run in pool:
        by_day.setdefault(run.day, []).append(run)
    used: set[str] = set()
    matches: dict[str, SessionMatch] = {}
    sessions = [t for t in plan.sessions() if t.is_run]
    # Exact-day pass first, then the ±window pass, so a run on the right day wins.
    for window in range(MATCH_WINDOW_DAYS + 1):
        for tracked in sessions:
            if tracked.id in matches:
                continue
            day = tracked.date
            candidates = [
                r
                for offset in ((-window, window) if window else (0,))
                for r in by_day.get(day + dt.timedelta(days=offset), ())
                if r.id not in used
            ]
            if not candidates:
                continue
            long_m = tracked.week.long_run_m
            planned = tracked.session.distance_m
            best = min(
                candidates,
                key=lambda r: (
                    not _fits(tracked.kind, infer_kind(r, threshold_pace_s_per_km, long_m)),
                    abs(r.distance_m - planned),
                ),
            )
            used.add(best.id)
            matches[tracked.id] = SessionMatch(
                tracked.id, day, tracked.kind, planned,
                _status(planned, best.distance_m), best.id, best.distance_m,
            )  # fmt: skip
    result: list[SessionMatch] = []
    first_due = plan.due_from
    for tracked in plan.sessions():
        day = tracked.date
        planned = tracked.session.distance_m
        if tracked.id in matches:
            result.append(matches[tracked.id])
            continue
        if tracked.kind is SessionKind.REST:
            status = MatchStatus.REST
        elif tracked.status is SessionStatus.SKIPPED:
            status = MatchStatus.SKIPPED
        elif first_due is not None and day < first_due:
            status = MatchStatus.NOT_DUE
        elif day < today:
            status = MatchStatus.MISSED
        else:
            status = MatchStatus.UPCOMING
        result.append(SessionMatch(tracked.id, day, tracked.kind, planned, status))
    unplanned = [r for r in pool if r.id not in used]
    return result, unplanned


def due_from(plan: TrackedPlan) -> dt.date | None:
    """The first day whose sessions are due (the day the plan was made), if recorded."""
    return plan.due_from


def weekly_compliance(
    plan: TrackedPlan,
    matches: Sequence[SessionMatch],
    unplanned: Sequence[RunSummary],
    today: dt.date,
) -> list[WeekCompliance]:
    """Per plan week: planned, due (up to today) and done distance and sessions."""
    by_id = {m.session_id: m for m in matches}
    out: list[WeekCompliance] = []
    for index, week in enumerate(plan.weeks):
        start = week.start
        end = start + dt.timedelta(days=7)
        planned = due = done = 0.0
        sessions_due = sessions_done = 0
        for tracked in plan.week_sessions(index):
            if tracked.kind is SessionKind.REST:
                continue
            match = by_id[tracked.id]
            distance = tracked.session.distance_m
            planned += distance
            if match.day <= today and match.status not in (
                MatchStatus.UPCOMING,
                MatchStatus.SKIPPED,
                MatchStatus.NOT_DUE,
            ):
                due += distance
                sessions_due += 1
            if match.run_id is not None:
                done += match.actual_distance_m or 0.0
                sessions_done += 1
        extra = [r for r in unplanned if start <= r.day < end]
        done += sum(r.distance_m for r in extra)
        out.append(
            WeekCompliance(
                start, week.phase, planned, due, done, sessions_due, sessions_done, len(extra)
            )
        )
    return out
