"""Spread one week's volume over the runner's days and choose its quality sessions.

The long run goes on the runner's long-run day; quality sessions go on the run days
farthest from it and from each other (hard days apart); easy runs share what is left
equally. Quality sessions per week: at most ``days - 2`` (so at least one easy day),
one in cutback and taper weeks. Kinds by phase and goal follow Daniels' periodisation:
base = hills and strides, build = threshold/tempo and intervals, peak = race pace plus
the goal's key system, taper = race pace.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from itertools import combinations
from typing import Final

from stridelab.drills.warmup import warmup_for_session
from stridelab.plans.model import Goal, Phase, PlanRequest, Session, SessionKind, Weekday
from stridelab.plans.sessions import (
    Paces,
    easy_session,
    quality_session,
    race_session,
    rest_session,
    with_longer_cooldown,
)
from stridelab.units import M_PER_KM

__all__ = ["MIN_EASY_RUN_M", "WeekLayout", "build_week", "quality_kinds", "run_weekdays"]

#: An easy run shorter than this is not worth lacing up for: drop a quality session instead.
MIN_EASY_RUN_M: Final = 2_000.0
#: A strides session needs at least this much easy running before the strides.
MIN_STRIDES_EASY_M: Final = 2_000.0

_K = SessionKind
#: Quality sessions by phase and goal bracket, most important first.
_BY_PHASE: Final[dict[Phase, dict[str, tuple[SessionKind, ...]]]] = {
    Phase.BASE: {b: (_K.HILLS, _K.STRIDES) for b in ("5k", "10k", "half", "marathon")},
    Phase.BUILD: {
        "5k": (_K.INTERVALS, _K.THRESHOLD),
        "10k": (_K.INTERVALS, _K.THRESHOLD),
        "half": (_K.THRESHOLD, _K.INTERVALS),
        "marathon": (_K.TEMPO, _K.RACE_PACE),
    },
    Phase.PEAK: {
        "5k": (_K.INTERVALS, _K.RACE_PACE),
        "10k": (_K.RACE_PACE, _K.THRESHOLD),
        "half": (_K.RACE_PACE, _K.THRESHOLD),
        "marathon": (_K.RACE_PACE, _K.THRESHOLD),
    },
    Phase.TAPER: {b: (_K.RACE_PACE, _K.STRIDES) for b in ("5k", "10k", "half", "marathon")},
    Phase.RACE: {b: (_K.RACE_PACE,) for b in ("5k", "10k", "half", "marathon")},
}


@dataclass(frozen=True, slots=True)
class WeekLayout:
    """What stays the same every week: the runner, the goal, paces and run days."""

    request: PlanRequest
    goal: Goal
    paces: Paces
    bracket: str
    weekdays: frozenset[int]


def _gaps(days: tuple[int, ...]) -> list[int]:
    ordered = sorted(days)
    return [(ordered[(k + 1) % len(ordered)] - d) % 7 or 7 for k, d in enumerate(ordered)]


def run_weekdays(request: PlanRequest) -> frozenset[int]:
    """The weekdays to run on: the long-run day plus the best-spread free days."""
    long_day = int(request.long_run_weekday)
    free = [d for d in range(7) if d != long_day and Weekday(d) not in request.unavailable_weekdays]
    best = min(
        combinations(free, request.days_per_week - 1),
        key=lambda others: (
            sum(1 for g in _gaps((long_day, *others)) if g == 1),
            -min(_gaps((long_day, *others))),
            others,
        ),
    )
    return frozenset((long_day, *best))


def quality_kinds(phase: Phase, bracket: str, cutback: bool, slots: int) -> tuple[SessionKind, ...]:
    """Quality session kinds for a week, at most ``slots`` of them."""
    if cutback:
        return (_K.STRIDES,)[:slots]
    kinds = _BY_PHASE[phase][bracket]
    if phase is Phase.TAPER:
        kinds = kinds[:1]
    return kinds[:slots]


def _spread(candidates: list[dt.date], anchors: list[dt.date], count: int) -> list[dt.date]:
    chosen: list[dt.date] = []
    pool = list(candidates)
    for _ in range(count):
        if not pool:
            break
        taken = anchors + chosen
        pick = max(
            pool, key=lambda d: (min((abs((d - a).days) for a in taken), default=7), -d.toordinal())
        )
        chosen.append(pick)
        pool.remove(pick)
    return sorted(chosen)


def _fill(
    layout: WeekLayout,
    week_m: float,
    budget_m: float,
    anchors: list[dt.date],
    run_dates: list[dt.date],
    kinds: tuple[SessionKind, ...],
    recovery_after: dt.date | None,
    max_run_m: float,
) -> list[Session]:
    """Quality sessions on the spread-out days, easy runs sharing ``budget_m`` - quality.

    No run exceeds ``max_run_m``: quality sessions that would are dropped, and easy
    distance above it moves into the quality sessions' cool-downs.
    """
    race_m = layout.goal.distance_m
    paces = layout.paces
    day = run_dates[0] if run_dates else anchors[0]
    kinds = tuple(
        k
        for k in kinds
        if k is _K.STRIDES or quality_session(day, k, week_m, paces, None).distance_m <= max_run_m
    )
    share, fixed, strides, easy_dates = 0.0, [], [], list(run_dates)
    while True:
        q_dates = _spread(run_dates, anchors, len(kinds))
        fixed = [
            quality_session(d, k, week_m, paces, warmup_for_session(k, race_m))
            for d, k in zip(q_dates, kinds, strict=False)
            if k is not _K.STRIDES
        ]
        strides = [d for d, k in zip(q_dates, kinds, strict=False) if k is _K.STRIDES]
        easy_dates = [d for d in run_dates if d not in q_dates]
        shared = len(easy_dates) + len(strides)
        left = budget_m - sum(s.distance_m for s in fixed)
        share = left / shared if shared else 0.0
        strides_ok = all(
            share - quality_session(d, _K.STRIDES, week_m, paces, None, share).steps[1].distance_m
            >= MIN_STRIDES_EASY_M
            for d in strides
        )
        if kinds and (share < MIN_EASY_RUN_M or not strides_ok or (left < 0)):
            kinds = kinds[:-1]
            continue
        break
    if share > max_run_m:
        excess, share = (share - max_run_m) * shared, max_run_m
        for n, session in enumerate(fixed):
            extra = min(excess, max_run_m - session.distance_m)
            fixed[n], excess = with_longer_cooldown(session, extra, paces), excess - extra
    out = list(fixed)
    for d in strides:
        out.append(
            quality_session(
                d, _K.STRIDES, week_m, paces, warmup_for_session(_K.STRIDES, race_m), share
            )
        )
    for d in easy_dates:
        kind = _K.RECOVERY if d == recovery_after else _K.EASY
        why = (
            "Recovery run: slow end of easy, the day after the long run."
            if kind is _K.RECOVERY
            else ("Easy, conversational running: the bulk of aerobic training.")
        )
        out.append(easy_session(d, kind, share, paces, why))
    return out


def build_week(
    layout: WeekLayout,
    index: int,
    week_start: dt.date,
    phase: Phase,
    cutback: bool,
    volume_m: float,
    long_run_m: float,
    max_run_m: float,
) -> tuple[Session, ...]:
    """The seven sessions of a week (rest days included), in date order."""
    request, goal = layout.request, layout.goal
    dates = [week_start + dt.timedelta(days=k) for k in range(7)]
    is_race_week = goal.race_date in dates
    slots = request.days_per_week - 2
    sessions: list[Session] = []
    if is_race_week:
        run_dates = [d for d in dates if d < goal.race_date and d.weekday() in layout.weekdays]
        kinds = quality_kinds(phase, layout.bracket, False, 1) if len(run_dates) >= 3 else ()
        if volume_m > 0 and run_dates:
            sessions += _fill(
                layout, volume_m, volume_m, [goal.race_date], run_dates, kinds, None, max_run_m
            )
        race_warmup = warmup_for_session(_K.RACE, goal.distance_m)
        sessions.append(
            race_session(
                goal.race_date,
                goal.distance_m,
                goal.target_time_s,
                race_warmup,
                request.goal_label,
                layout.paces,
            )
        )
    else:
        long_date = next(d for d in dates if d.weekday() == int(request.long_run_weekday))
        why = (
            f"Long run {long_run_m / M_PER_KM:.1f} km at easy pace: endurance. At most 40% of "
            "the week and at most 10% longer than the longest run of the last 30 days."
        )
        sessions.append(easy_session(long_date, _K.LONG, long_run_m, layout.paces, why))
        run_dates = [d for d in dates if d.weekday() in layout.weekdays and d != long_date]
        kinds = quality_kinds(phase, layout.bracket, cutback, slots)
        after = long_date + dt.timedelta(days=1)
        sessions += _fill(
            layout,
            volume_m,
            volume_m - long_run_m,
            [long_date],
            run_dates,
            kinds,
            after,
            max_run_m,
        )
    covered = {s.date for s in sessions}
    for d in dates:
        if d in covered:
            continue
        if d > goal.race_date:
            why = "After the race: rest or walk; easy running resumes when the legs feel normal."
        elif any(d.weekday() == int(u) for u in request.unavailable_weekdays):
            why = "Unavailable day."
        else:
            why = "Rest day: adaptation happens here."
        sessions.append(rest_session(d, why))
    return tuple(sorted(sessions, key=lambda s: s.date))
