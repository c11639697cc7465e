"""Spread one week's volume over the runner's days and choose its quality sessions.

The long run goes on the runner's long-run day and is the longest run of the week: no other
run exceeds 75 % of it (:data:`~stridelab.plans.targets.OTHER_RUN_MAX_SHARE`). Loading,
cutback and taper weeks run on exactly the runner's days; race week on the days before the
race (rest the day before is allowed). Quality sessions never fall on the day after a long
run or after another quality session (hard days apart) when the runner's days allow it;
easy runs share what is left equally, at least :func:`min_run_m` where the volume allows.

Quality sessions per loading week (:func:`quality_count`): two from 5 running days
(Daniels' 2Q), one at 3–4, never fewer than the runner does now (up to ``days - 2``); one in
cutback weeks (plus strides with 2Q). Kinds by phase and goal follow Daniels'
periodisation: early base = strides only, later base = hills and strides (repetitions for
5K/10K), build = intervals and threshold, peak = race pace plus the goal's key system,
taper = race pace. Marathon long runs carry marathon pace in build and peak weeks. With one
quality session a week the phase's two kinds alternate. A returning runner's first weeks
hold no hills, intervals or repetitions (:mod:`stridelab.plans.recovery`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import combinations
from typing import Final

from stridelab.drills.warmup import warmup_for_session, warmup_options
from stridelab.plans.model import Goal, Phase, PlanRequest, Session, SessionKind, Weekday
from stridelab.plans.recovery import limit_returning_kinds, returning_easy_week
from stridelab.plans.sessions import (
    WARMUP_MAX_SHARE,
    Paces,
    easy_session,
    long_session,
    marathon_pace_m,
    quality_session,
    race_session,
    rest_session,
    with_longer_cooldown,
)
from stridelab.plans.targets import OTHER_RUN_MAX_SHARE
from stridelab.units import M_PER_KM

__all__ = [
    "MIN_EASY_RUN_M",
    "MIN_RUN_M",
    "MIN_RUN_S",
    "STRIDES_ONLY_BASE_WEEKS",
    "TWO_QUALITY_FROM_DAYS",
    "WeekLayout",
    "WeekSpec",
    "build_week",
    "lead_in_week",
    "long_run_day",
    "min_run_m",
    "quality_count",
    "quality_kinds",
    "quality_room",
    "run_weekdays",
    "spread_weekdays",
]

#: Shortest run scheduled: 5 km or 20 min at easy pace, whichever is shorter. A coaching
#: convention, not a trial result: a shorter run adds little for its fixed costs
#: (changing, warming up). The time bound keeps the rule fair to slower runners (20 min
#: at 7:00/km is 2.9 km). The volume LP guarantees it on every run day of a loading week.
MIN_RUN_M: Final = 5_000.0
MIN_RUN_S: Final = 20 * 60.0
#: Two quality sessions a week from this many running days (Daniels' 2Q), else one.
TWO_QUALITY_FROM_DAYS: Final = 5
#: Last-resort floor when no layout meets :data:`MIN_RUN_M` (tiny weeks): drop quality first.
MIN_EASY_RUN_M: Final = 2_000.0
#: The first base weeks hold strides only (Daniels' phase I: easy running and strides before
#: any harder work); hills come later in the base.
STRIDES_ONLY_BASE_WEEKS: Final = 2
_TOL_M: Final = 1e-6

_K = SessionKind
#: Quality sessions by phase and goal bracket, most important first.
_BY_PHASE: Final[dict[Phase, dict[str, tuple[SessionKind, ...]]]] = {
    Phase.BASE: {
        "5k": (_K.HILLS, _K.REPETITIONS),
        "10k": (_K.HILLS, _K.REPETITIONS),
        "half": (_K.HILLS, _K.STRIDES),
        "marathon": (_K.HILLS, _K.STRIDES),
    },
    Phase.BUILD: {
        "5k": (_K.INTERVALS, _K.REPETITIONS),
        "10k": (_K.INTERVALS, _K.THRESHOLD),
        "half": (_K.THRESHOLD, _K.INTERVALS),
        "marathon": (_K.THRESHOLD, _K.INTERVALS),
    },
    Phase.PEAK: {
        "5k": (_K.INTERVALS, _K.RACE_PACE),
        "10k": (_K.RACE_PACE, _K.INTERVALS),
        "half": (_K.RACE_PACE, _K.THRESHOLD),
        "marathon": (_K.THRESHOLD, _K.STRIDES),
    },
    Phase.TAPER: {b: (_K.RACE_PACE, _K.STRIDES) for b in ("5k", "10k", "half", "marathon")},
    Phase.RACE: {b: (_K.RACE_PACE,) for b in ("5k", "10k", "half", "marathon")},
}


def min_run_m(easy_s_per_km: float) -> float:
    """:data:`MIN_RUN_M` or :data:`MIN_RUN_S` at ``easy_s_per_km``, whichever is shorter."""
    return min(MIN_RUN_M, MIN_RUN_S / easy_s_per_km * M_PER_KM)


@dataclass(frozen=True, slots=True)
class WeekLayout:
    """What stays the same every week: the runner, the goal, paces and run days."""

    request: PlanRequest
    goal: Goal
    paces: Paces
    bracket: str
    weekdays: frozenset[int]
    long_day: int = int(Weekday.SUN)

    @property
    def min_run_m(self) -> float:
        """The shortest run this runner is given (:func:`min_run_m`)."""
        return min_run_m(self.paces.easy_s_per_km)


def _gaps(days: tuple[int, ...]) -> list[int]:
    ordered = sorted(days)
    return [(ordered[(k + 1) % len(ordered)] - d) % 7 or 7 for k, d in enumerate(ordered)]


def long_run_day(request: PlanRequest) -> Weekday:
    """The runner's long-run day, or the nearest free day when it is unavailable
    (a weekend day first on a tie)."""
    wanted = request.long_run_weekday
    if wanted not in request.unavailable_weekdays:
        return wanted
    free = [d for d in Weekday if d not in request.unavailable_weekdays]
    return min(
        free,
        key=lambda d: (min((d - wanted) % 7, (wanted - d) % 7), d < Weekday.SAT, d),
    )


def run_weekdays(request: PlanRequest, long_day: Weekday | None = None) -> frozenset[int]:
    """The weekdays to run on: the long-run day plus the best-spread free days.

    Fewest back-to-back days first, then the day after the long run free where possible.
    """
    day = long_run_day(request) if long_day is None else long_day
    return spread_weekdays(day, request.unavailable_weekdays, request.days_per_week)


def spread_weekdays(day: Weekday, unavailable: frozenset[Weekday], count: int) -> frozenset[int]:
    """``count`` weekdays including ``day``, best spread over the free days (see
    :func:`run_weekdays`)."""
    anchor = int(day)
    free = [d for d in range(7) if d != anchor and Weekday(d) not in unavailable]
    best = min(
        combinations(free, count - 1),
        key=lambda others: (
            sum(1 for g in _gaps((anchor, *others)) if g == 1),
            (anchor + 1) % 7 in others,
            -min(_gaps((anchor, *others))),
            others,
        ),
    )
    return frozenset((anchor, *best))


def quality_count(days_per_week: int, current_per_week: int = 0) -> int:
    """Quality sessions in a loading week: 2 from 5 days (Daniels' 2Q), 1 at 3–4, never
    fewer than the runner does now, at most ``days - 2`` (two easy days stay easy)."""
    base = 2 if days_per_week >= TWO_QUALITY_FROM_DAYS else 1
    return max(base, min(current_per_week, days_per_week - 2))


def quality_room(weekdays: frozenset[int], long_day: int) -> int:
    """How many quality days a week of ``weekdays`` holds with hard days apart: none on the
    long run's day or the day after, none the day after another (weeks repeat, so Sunday
    and Monday are neighbours). Unavailable days can leave less room than
    :func:`quality_count` asks for; the plan then keeps hard days apart and says so."""
    after_long = (long_day + 1) % 7
    free = [d for d in sorted(weekdays) if d not in (long_day, after_long)]
    for n in range(len(free), 0, -1):
        for combo in combinations(free, n):
            if all((b - a) % 7 != 1 for a in combo for b in combo):
                return n
    return 0


def quality_kinds(
    phase: Phase,
    bracket: str,
    cutback: bool,
    slots: int,
    base_week: int = 99,
    week_index: int = 0,
    does_quality_now: bool = False,
) -> tuple[SessionKind, ...]:
    """Quality session kinds for a week, at most ``slots`` of them.

    ``base_week`` is the week's index within the base phase (the first
    :data:`STRIDES_ONLY_BASE_WEEKS` hold strides only, unless the runner already does
    quality work). With one slot, the phase's kinds alternate by ``week_index``.
    """
    early = phase is Phase.BASE and base_week < STRIDES_ONLY_BASE_WEEKS and not does_quality_now
    if early:
        return (_K.STRIDES,)[:slots]
    kinds = _BY_PHASE[phase][bracket]
    if cutback:
        return (kinds[0], _K.STRIDES)[: min(slots, 2)] if kinds[0] is not _K.STRIDES else kinds[:1]
    if phase is Phase.TAPER:
        return (kinds[0], _K.STRIDES)[:slots] if slots >= 2 else kinds[:1]
    if slots == 1 and len(kinds) > 1 and kinds[1] is not _K.STRIDES:
        return (kinds[week_index % 2],)
    extra = tuple(k for k in (_K.STRIDES, _K.HILLS) if k not in kinds)
    return (*kinds, *extra)[:slots]


def _quality_dates(
    candidates: list[dt.date], anchors: list[dt.date], blocked: set[dt.date], count: int
) -> list[dt.date]:
    """Up to ``count`` quality days: none blocked, none back to back, far from ``anchors``.

    Tries the most sessions first; when no day is allowed at all, one session goes on the
    day farthest from the anchors (the runner's days leave no better choice).
    """

    def spacing(days: tuple[dt.date, ...]) -> tuple[int, int]:
        points = anchors + list(days)
        gaps = [abs((a - b).days) for a, b in combinations(points, 2) if a in days or b in days]
        return (min(gaps, default=7), -sum(d.toordinal() for d in days))

    for n in range(min(count, len(candidates)), 0, -1):
        valid: list[tuple[dt.date, ...]] = [
            combo
            for combo in combinations(sorted(candidates), n)
            if not blocked.intersection(combo)
            and all(abs((a - b).days) > 1 for a, b in combinations(combo, 2))
        ]
        if valid:
            best: tuple[dt.date, ...] = max(valid, key=spacing)
            return sorted(best)
    if count and candidates:
        return [max(candidates, key=lambda d: spacing((d,)))]
    return []


def _drop_order(
    easy: list[dt.date], busy: Iterable[dt.date], first: dt.date | None
) -> list[dt.date]:
    """Easy days, the one to give up first at the end: the day after the long run, then the
    days next to other runs."""
    taken = set(busy)

    def keep(d: dt.date) -> tuple[bool, int, int]:
        crowd = sum(1 for k in (-1, 1) if d + dt.timedelta(days=k) in taken)
        return (d != first, -crowd, -d.toordinal())

    return sorted(easy, key=keep, reverse=True)


@dataclass(frozen=True, slots=True)
class _Day:
    """Where one week's runs may go."""

    run_dates: list[dt.date]
    anchors: list[dt.date]
    blocked: set[dt.date]
    recovery_after: dt.date | None
    cap_m: float


def _warmup_fits(session: Session) -> bool:
    """The warm-up routine takes at most :data:`WARMUP_MAX_SHARE` of the session's time."""
    routine = session.warmup
    return routine is None or routine.duration_s <= WARMUP_MAX_SHARE * session.total_duration_s


def sized_session(
    date: dt.date,
    kind: SessionKind,
    week_m: float,
    paces: Paces,
    race_m: float,
    budget_m: float | None = None,
    max_m: float | None = None,
    progress: float = 0.0,
) -> Session:
    """A quality session with the largest warm-up routine that stays within a third of its
    time (:data:`~stridelab.plans.sessions.WARMUP_MAX_SHARE`); with the smallest routine and
    a longer cool-down when none does."""
    options = warmup_options(kind, race_m)
    for routine in options:
        out = quality_session(
            date, kind, week_m, paces, routine, budget_m, max_m, progress, fit_warmup=False
        )
        if _warmup_fits(out):
            return out
    last = options[-1] if options else None
    return quality_session(date, kind, week_m, paces, last, budget_m, max_m, progress)


def _fill(
    layout: WeekLayout,
    week_m: float,
    budget_m: float,
    days: _Day,
    kinds: tuple[SessionKind, ...],
    progress: float = 0.0,
    exact: bool = False,
) -> list[Session]:
    """Quality sessions and easy runs sharing ``budget_m`` over ``days.run_dates``.

    Prefers all the quality sessions, then as many easy days as keep every run at least
    :func:`min_run_m`; no run exceeds ``days.cap_m`` (easy distance above it moves into the
    quality sessions' cool-downs). Falls back to fewer quality sessions. ``exact`` keeps
    every run day (loading, cutback and taper weeks); otherwise days may be dropped.
    """
    paces, race_m, cap = layout.paces, layout.goal.distance_m, days.cap_m
    day0 = days.run_dates[0] if days.run_dates else days.anchors[0]

    def session(d: dt.date, k: SessionKind, budget: float | None = None) -> Session:
        """The session at the week's progress, or at the phase's start size when that one
        would be longer than the week allows next to its long run."""
        out = sized_session(d, k, week_m, paces, race_m, budget, cap, progress)
        if out.distance_m > cap + _TOL_M and k is not _K.STRIDES:
            out = sized_session(d, k, week_m, paces, race_m, budget, cap, 0.0)
        return out

    kinds = tuple(
        k for k in kinds if k is _K.STRIDES or session(day0, k).distance_m <= cap + _TOL_M
    )

    def attempt(
        ks: tuple[SessionKind, ...], min_m: float, fewer_days: bool, fewest: bool = False
    ) -> list[Session] | None:
        q_dates = _quality_dates(days.run_dates, days.anchors, days.blocked, len(ks))
        ks = ks[: len(q_dates)]
        fixed = [session(d, k) for d, k in zip(q_dates, ks, strict=False) if k is not _K.STRIDES]
        strides = [d for d, k in zip(q_dates, ks, strict=False) if k is _K.STRIDES]
        left = budget_m - sum(s.distance_m for s in fixed)
        if left < -_TOL_M:
            return None
        pool = _drop_order(
            [d for d in days.run_dates if d not in q_dates], q_dates, days.recovery_after
        )
        counts: Iterable[int] = range(len(pool), -1, -1) if fewer_days else [len(pool)]
        if fewest:  # the fewest runs the cap allows: one longer run beats two tiny ones
            counts = range(min(1, len(pool)), len(pool) + 1)
        for m in counts:
            shared = m + len(strides)
            if shared == 0:
                if left > _TOL_M and pool:  # never drop every easy day to absorb distance
                    continue
                share = 0.0
            else:
                share = left / shared
                if share < min_m - _TOL_M:
                    continue
            strides_runs = [session(d, _K.STRIDES, min(share, cap)) for d in strides]
            if any(
                not _warmup_fits(r) or r.distance_m > min(share, cap) + _TOL_M for r in strides_runs
            ):
                continue
            excess = max(0.0, share - cap) * shared + (left if shared == 0 else 0.0)
            room = sum(cap - s.distance_m for s in fixed)
            if excess > room + _TOL_M:
                continue
            return _assemble(
                layout, fixed, strides, pool[:m], min(share, cap), excess, days, week_m
            )
        return None

    # Quality first (shorter easy runs before no quality at all), then easy runs only.
    for min_m, fewer_days in ((layout.min_run_m, not exact), (MIN_EASY_RUN_M, False)):
        for n in range(len(kinds), 0, -1):
            out = attempt(kinds[:n], min_m, fewer_days)
            if out is not None:
                return out
    for min_m, fewer_days in ((layout.min_run_m, not exact), (MIN_EASY_RUN_M, False)):
        out = attempt((), min_m, fewer_days)
        if out is not None:
            return out
    if exact:
        return attempt((), 0.0, False) or []
    out = attempt((), 0.0, True, fewest=True) or attempt((), 0.0, False)
    return out or []  # the last attempt succeeds unless there are no days at all


def _assemble(
    layout: WeekLayout,
    fixed: list[Session],
    strides: list[dt.date],
    easy_dates: list[dt.date],
    share: float,
    excess: float,
    days: _Day,
    week_m: float,
) -> list[Session]:
    paces, race_m = layout.paces, layout.goal.distance_m
    for n, session in enumerate(fixed):
        extra = min(excess, days.cap_m - session.distance_m)
        fixed[n], excess = with_longer_cooldown(session, extra, paces), excess - extra
    out = list(fixed)
    for d in strides:
        warmup = warmup_for_session(_K.STRIDES, race_m)
        out.append(quality_session(d, _K.STRIDES, week_m, paces, warmup, share))  # easy part
    for d in easy_dates:
        kind = _K.RECOVERY if d == days.recovery_after else _K.EASY
        why = (
            "Recovery run: slow end of easy, the day after the long run."
            if kind is _K.RECOVERY
            else "Easy, conversational running: the bulk of aerobic training."
        )
        out.append(easy_session(d, kind, share, paces, why))
    return out


def _hard_days(previous: tuple[Session, ...]) -> tuple[list[dt.date], set[dt.date]]:
    """Last week's long run and quality days, and the days after them (no quality there)."""
    hard = [s.date for s in previous if s.is_quality or s.kind in (_K.LONG, _K.RACE, _K.TIME_TRIAL)]
    return hard, {d + dt.timedelta(days=1) for d in hard}


@dataclass(frozen=True, slots=True)
class WeekSpec:
    """What the plan decided for one week (the volume LP and the periodisation)."""

    index: int
    start: dt.date
    phase: Phase
    cutback: bool
    volume_m: float
    long_run_m: float
    max_run_m: float
    base_week: int = 99
    progress: float = 0.0
    quality: int = 1
    retest: bool = False
    weeks_before: int = 0


def build_week(
    layout: WeekLayout, spec: WeekSpec, previous: tuple[Session, ...] = ()
) -> tuple[Session, ...]:
    """The seven sessions of a week (rest days included), in date order.

    ``previous`` is last week's sessions (no quality the day after its long run or its
    quality sessions).
    """
    request, goal = layout.request, layout.goal
    dates = [spec.start + dt.timedelta(days=k) for k in range(7)]
    is_race_week = goal.race_date in dates
    volume_m, long_run_m = spec.volume_m, spec.long_run_m
    sessions: list[Session] = []
    hard, blocked = _hard_days(previous)
    if is_race_week:
        run_dates = [d for d in dates if d < goal.race_date and d.weekday() in layout.weekdays]
        run_dates = run_dates[-(request.days_per_week - 1) :] if run_dates else []
        kinds = quality_kinds(spec.phase, layout.bracket, False, 1) if len(run_dates) >= 3 else ()
        kinds = _for_returning(layout, spec, kinds)
        blocked.add(goal.race_date - dt.timedelta(days=1))  # no hard work the day before
        if volume_m > 0 and run_dates:
            days = _Day(run_dates, [goal.race_date, *hard], blocked, None, spec.max_run_m)
            sessions += _fill(layout, volume_m, volume_m, days, kinds, spec.progress)
        race_warmup = warmup_for_session(_K.RACE, goal.distance_m)
        sessions.append(
            race_session(
                goal.race_date,
                goal.distance_m,
                layout.paces.race_s_per_km * goal.distance_m / M_PER_KM,
                race_warmup,
                request.goal_label,
                layout.paces,
            )
        )
    else:
        long_date = next(d for d in dates if d.weekday() == layout.long_day)
        why = (
            f"Long run {long_run_m / M_PER_KM:.1f} km at easy pace: endurance, the longest run "
            "of the week. At most 40% of the week, 150 min, and 10% longer than the longest "
            "run of the last 30 days; no other run above 75% of it."
        )
        with_mp = (
            layout.bracket == "marathon"
            and spec.phase in (Phase.BUILD, Phase.PEAK)
            and not spec.cutback
        )
        mp_m = marathon_pace_m(long_run_m, volume_m, spec.progress) if with_mp else 0.0
        sessions.append(long_session(long_date, long_run_m, layout.paces, why, mp_m))
        run_dates = [d for d in dates if d.weekday() in layout.weekdays and d != long_date]
        kinds = quality_kinds(
            spec.phase,
            layout.bracket,
            spec.cutback,
            spec.quality,
            spec.base_week,
            spec.index,
            request.current_quality_per_week > 0,
        )
        kinds = _for_returning(layout, spec, kinds)
        if spec.retest:  # the week's first hard session becomes the time trial
            kinds = (_K.TIME_TRIAL, *kinds[1:])
        after = long_date + dt.timedelta(days=1)
        week_long = [long_date - dt.timedelta(days=7), long_date, long_date + dt.timedelta(days=7)]
        days = _Day(
            run_dates,
            [*week_long, *hard],
            blocked | {after},
            after,
            min(spec.max_run_m, OTHER_RUN_MAX_SHARE * long_run_m),
        )
        sessions += _fill(
            layout, volume_m, volume_m - long_run_m, days, kinds, spec.progress, exact=True
        )
    return _with_rest_days(layout, dates, sessions)


def _for_returning(
    layout: WeekLayout, spec: WeekSpec, kinds: tuple[SessionKind, ...]
) -> tuple[SessionKind, ...]:
    """``kinds`` without hills, intervals and repetitions in a returning runner's first
    weeks back (:func:`stridelab.plans.recovery.limit_returning_kinds`)."""
    if not returning_easy_week(layout.request.returning, spec.index + spec.weeks_before):
        return kinds
    faster = layout.paces.race_s_per_km < layout.paces.training.threshold_s_per_km
    return limit_returning_kinds(kinds, spec.phase is Phase.BASE, faster)


def lead_in_week(
    layout: WeekLayout, week_start: dt.date, plan_start: dt.date, week_m: float, long_m: float
) -> tuple[Session, ...]:
    """The days between the plan's start and its first full week: your usual running.

    Run days get easy runs sharing ``week_m`` pro rata (the long run on its day, at your
    current long run); the days before the start are marked as such.
    """
    request = layout.request
    dates = [week_start + dt.timedelta(days=k) for k in range(7)]
    sessions: list[Session] = [
        rest_session(d, "Before the plan starts.") for d in dates if d < plan_start
    ]
    run_dates = [d for d in dates if d >= plan_start and d.weekday() in layout.weekdays]
    easy_m = min(
        max(week_m - long_m, 0.0) / max(1, request.days_per_week - 1),
        OTHER_RUN_MAX_SHARE * long_m,
    )
    for d in run_dates:
        if d.weekday() == layout.long_day:
            why = "Long run at your current length, before the plan's first full week."
            sessions.append(long_session(d, long_m, layout.paces, why))
        else:
            why = "Easy running as you do now, before the plan's first full week."
            sessions.append(easy_session(d, _K.EASY, easy_m, layout.paces, why))
    return _with_rest_days(layout, dates, sessions)


def _with_rest_days(
    layout: WeekLayout, dates: list[dt.date], sessions: list[Session]
) -> tuple[Session, ...]:
    request, goal = layout.request, layout.goal
    covered = {s.date for s in sessions}
    for d in dates:
        if d in covered:
            continue
        if d > goal.race_date:
            why = "After the race: rest or walk; easy running resumes when the legs feel normal."
        elif any(d.weekday() == int(u) for u in request.unavailable_weekdays):
            why = "Unavailable day."
        elif d.weekday() in layout.weekdays:
            why = "Rest day: race week keeps the legs fresh, and the day before the race is easy."
        else:
            why = "Rest day: adaptation happens here."
        sessions.append(rest_session(d, why))
    return tuple(sorted(sessions, key=lambda s: s.date))
