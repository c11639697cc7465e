"""Plan rules as properties over random runners, the issue's cases, and refusals.

The random runners are feasible by construction (enough weeks for a 10 %-a-week build to
the goal's levels, enough volume for every run day to hold a real run), so every example
must produce a plan: a change that made ordinary requests infeasible fails here. What must
be refused is tested on its own, with the suggested fix checked to work.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import replace
from itertools import pairwise

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from stridelab.errors import InputError, PlanError, StridelabError
from stridelab.physiology.vdot import predict_race_time_s, training_paces
from stridelab.plans import (
    Phase,
    Plan,
    PlanRequest,
    RecentRace,
    Session,
    SessionKind,
    Week,
    Weekday,
    generate_plan,
)
from stridelab.plans.explain import SUMMARY_MAX_CHARS
from stridelab.plans.feasibility import RETEST_MIN_WEEKS
from stridelab.plans.model import QUALITY_KINDS, Feasibility
from stridelab.plans.sessions import RACE_PACE_REPS_M, WARMUP_MAX_SHARE
from stridelab.plans.targets import (
    LONG_RUN_MAX_S,
    LONG_RUN_MAX_SHARE,
    OTHER_RUN_MAX_SHARE,
    default_long_run_m,
    goal_targets,
    week_cap_m,
)
from stridelab.plans.volume import (
    CUTBACK_EVERY_WEEKS,
    CUTBACK_FRACTION,
    CUTBACK_LONG_RUN_RANGE,
    MAX_ACUTE_CHRONIC,
    MAX_LONG_RUN_SPIKE,
)
from stridelab.plans.week import (
    TWO_QUALITY_FROM_DAYS,
    long_run_day,
    min_run_m,
    quality_room,
    run_weekdays,
)

TOL_M = 1.0  # the LP is solved to ~1e-7 km; a metre is far above that
START = dt.date(2027, 1, 4)
GOALS_M = {"5k": 5000.0, "10k": 10000.0, "half": 21097.5, "marathon": 42195.0}
_NOT_RUNS = (SessionKind.REST, SessionKind.RACE)


@pytest.fixture(scope="module")
def runner() -> PlanRequest:
    """The docs' example runner: 10K on 2027-04-18 from a 24:30 5K, 4 days, 25 km/week."""
    return PlanRequest(
        goal_distance_m=10_000.0,
        race_date=dt.date(2027, 4, 18),
        days_per_week=4,
        current_weekly_m=25_000.0,
        recent_race=RecentRace(5_000.0, 24 * 60 + 30),
        start_date=START,
    )


def _easy_pace(vdot: float) -> float:
    return sum(training_paces(vdot).easy_s_per_km) / 2


def _weeks_for(goal_m: float, vdot: float, days: int, weekly_m: float, long_m: float) -> int:
    """Enough full weeks for a 10 %-a-week build of volume and long run to the goal's
    levels, with a cutback every 4th week, the taper and 3 spare weeks."""
    t = goal_targets(goal_m, _easy_pace(vdot), 30, days)
    seed = max(long_m, weekly_m / days)
    steps = max(
        math.log(max(t.peak_weekly_m / weekly_m, 1.0)),
        math.log(max(t.peak_long_run_m / min(seed, LONG_RUN_MAX_SHARE * weekly_m), 1.0)),
    ) / math.log(1.1)
    return math.ceil(steps * 4 / 3) + t.taper_weeks + 3


@st.composite
def runners(draw: st.DrawFn) -> PlanRequest:
    """Beginners to 100 km/week on 3–7 days, any start and race weekday, feasible."""
    vdot = draw(st.floats(30.0, 70.0))
    days = draw(st.integers(3, 7))
    shortest = min_run_m(_easy_pace(vdot))
    least_m = max(10_000.0, 1.3 * (days - 1) * shortest / (1 - LONG_RUN_MAX_SHARE))
    weekly_m = draw(st.floats(least_m, max(least_m, 100_000.0)))
    long_m = draw(st.none() | st.floats(0.2 * weekly_m, 0.4 * weekly_m))
    goals = [g for g, m in GOALS_M.items() if g != "marathon" or weekly_m >= 30_000.0]
    goal_m = GOALS_M[draw(st.sampled_from(goals))]
    known_long = long_m if long_m is not None else default_long_run_m(weekly_m)
    weeks = _weeks_for(goal_m, vdot, days, weekly_m, known_long)
    weeks = draw(st.integers(weeks, weeks + 6))
    start = START + dt.timedelta(days=draw(st.integers(0, 6)))
    race_date = start + dt.timedelta(days=7 * weeks + draw(st.integers(0, 6)))
    long_day = draw(st.sampled_from(list(Weekday)))
    unavailable = draw(st.sets(st.sampled_from(list(Weekday)), max_size=7 - days))
    return PlanRequest(
        goal_distance_m=goal_m,
        race_date=race_date,
        days_per_week=days,
        current_weekly_m=weekly_m,
        vdot=vdot,
        start_date=start,
        long_run_weekday=long_day,
        recent_long_run_m=long_m,
        unavailable_weekdays=frozenset(unavailable),
        current_quality_per_week=draw(st.integers(0, 2)),
        goal_time_s=draw(
            st.none() | st.floats(0.85, 1.1).map(lambda f: f * predict_race_time_s(vdot, goal_m))
        ),
    )


def _runs(week: Week) -> list[Session]:
    return [s for s in week.sessions if s.kind not in _NOT_RUNS]


def _full(plan: Plan) -> list[Week]:
    return [w for w in plan.weeks if not w.lead_in]


def _seed(request: PlanRequest) -> float:
    c = request.current_weekly_m
    long_m = request.recent_long_run_m or default_long_run_m(c)
    return max(long_m, c / request.days_per_week)


def _easy(plan: Plan) -> float:
    easy = plan.paces_s_per_km["easy"]
    assert isinstance(easy, list)
    return sum(easy) / 2


def _floors(request: PlanRequest, plan: Plan) -> tuple[float, float]:
    """(weekly floor, long-run floor): the current week and long run, capped by the 150-min
    long run, its 10 % first step and the 40 % share (the rules' own caps)."""
    cap = LONG_RUN_MAX_S / _easy(plan) * 1000.0
    if request.goal_distance_m > 30_000.0:
        cap = min(cap, 36_000.0)
    seed = _seed(request)
    first_long = min(cap, (1 + MAX_LONG_RUN_SPIKE) * seed)
    weekly = min(request.current_weekly_m, week_cap_m(first_long, request.days_per_week))
    return weekly, min(seed, LONG_RUN_MAX_SHARE * weekly, cap)


def _peak_index(weeks: list[Week]) -> int:
    return max(i for i, w in enumerate(weeks) if w.phase not in (Phase.TAPER, Phase.RACE))


RULES = settings(max_examples=30, deadline=None)


@RULES
@given(runners())
def test_weekly_volume_rules(request: PlanRequest) -> None:
    """Ramp, acute:chronic, floors, cutbacks from the start, taper never adds load."""
    plan = generate_plan(request)
    weeks = _full(plan)
    w = [week.training_distance_m for week in weeks]
    current = request.current_weekly_m
    floor, _ = _floors(request, plan)
    peak_i = _peak_index(weeks)
    last_loading = current
    for i, week in enumerate(weeks):
        history = [current] * max(0, 4 - i) + w[max(0, i - 4) : i]
        assert w[i] <= MAX_ACUTE_CHRONIC * sum(history) / 4 + TOL_M
        if i > peak_i:  # the taper never adds volume
            assert w[i] <= w[i - 1] + TOL_M
            continue
        if week.cutback:
            assert w[i] <= CUTBACK_FRACTION * (w[i - 1] if i else current) + TOL_M
            assert w[i] >= CUTBACK_FRACTION * floor - TOL_M  # lighter, not detrained
        else:
            assert w[i] >= floor - TOL_M  # never cuts what you already run
            assert w[i] <= (1 + request.max_weekly_ramp) * last_loading + TOL_M
            last_loading = w[i]
    # Cutbacks counted from the start: every 4th week, never in the first two, not the peak.
    cutbacks = [i for i, week in enumerate(weeks) if week.cutback]
    assert cutbacks == list(range(CUTBACK_EVERY_WEEKS - 1, peak_i, CUTBACK_EVERY_WEEKS))
    for week in plan.weeks:
        assert week.explanation and "Set by the optimiser" not in week.explanation
        assert 0 < len(week.summary) <= SUMMARY_MAX_CHARS
    order = list(Phase)  # base, build, peak, taper, race: never backwards
    phases = [order.index(week.phase) for week in weeks]
    assert phases == sorted(phases) and weeks[-1].phase is Phase.RACE


@RULES
@given(runners())
def test_taper_is_anchored_to_race_day(request: PlanRequest) -> None:
    """Whatever the race weekday: the last 7 days hold at most 60 % of the biggest 7 days
    (the race excluded), no long run in the last 6 days before a 5K/10K, and the race is
    the last day of the plan."""
    plan = generate_plan(request)
    race_day = request.race_date
    by_date = {s.date: s for s in plan.sessions}
    assert plan.sessions[-1].date == race_day and plan.sessions[-1].kind is SessionKind.RACE
    assert [s.date for s in plan.sessions if s.kind is SessionKind.RACE] == [race_day]
    first = min(by_date)

    def window(end: dt.date) -> float:
        days = (end - dt.timedelta(days=k) for k in range(7))
        return sum(by_date[d].distance_m for d in days if d in by_date and d != race_day)

    ends = [first + dt.timedelta(days=k) for k in range(6, (race_day - first).days + 1)]
    assert window(race_day) <= 0.6 * max(window(e) for e in ends) + TOL_M
    if request.goal_distance_m <= 10_000.0:
        last6 = [race_day - dt.timedelta(days=k) for k in range(1, 7)]
        assert all(by_date[d].kind is not SessionKind.LONG for d in last6 if d in by_date)
    race_week = plan.weeks[-1]
    assert race_week.training_distance_m <= 0.6 * max(w.training_distance_m for w in plan.weeks)
    assert "race itself is not counted" in race_week.explanation
    day_before = by_date.get(race_day - dt.timedelta(days=1))
    assert day_before is None or not day_before.is_quality


# CI's derandomized run found it: the week's first interval set (3 × 1000 m) was 12 m longer
# than 75 % of the long run, so the week lost its second quality session instead of a rep.
SLOW_10K_WITH_A_SHORT_LONG_RUN = PlanRequest(
    goal_distance_m=10_000.0,
    race_date=dt.date(2027, 3, 8),
    days_per_week=5,
    current_weekly_m=38_359.0,
    vdot=30.0,
    start_date=START,
    long_run_weekday=Weekday.MON,
    recent_long_run_m=8_718.0,
    current_quality_per_week=0,
)


# Hypothesis found it: Tuesday, Wednesday and Saturday unavailable and two quality sessions
# now leave Monday, Thursday, Friday and Sunday with the long run on Thursday: only one hard
# day fits apart from the long run (Sunday and Monday are neighbours).
TWO_QUALITY_WITHOUT_ROOM = PlanRequest(
    goal_distance_m=21_097.5,
    race_date=dt.date(2027, 6, 7),
    days_per_week=4,
    current_weekly_m=16_211.0,
    vdot=30.0,
    start_date=dt.date(2027, 1, 4),
    long_run_weekday=Weekday.WED,
    unavailable_weekdays=frozenset({Weekday.TUE, Weekday.WED, Weekday.SAT}),
    current_quality_per_week=2,
)


@RULES
@given(runners())
@example(SLOW_10K_WITH_A_SHORT_LONG_RUN)
@example(TWO_QUALITY_WITHOUT_ROOM)
def test_days_long_run_and_quality(request: PlanRequest) -> None:
    """Exact run days, one long run on its day, no run above 75 % of it, long-run floor and
    150-min cap, quality counts (2Q from 5 days), hard days apart, never unavailable days."""
    plan = generate_plan(request)
    d = request.days_per_week
    _, long_floor = _floors(request, plan)
    moved = [n for n in plan.notes if "long runs are on" in n]
    assert bool(moved) == (request.long_run_weekday in request.unavailable_weekdays)
    weeks = _full(plan)
    peak_i = _peak_index(weeks)
    quality_now = min(request.current_quality_per_week, d - 2)
    wanted_q = max(2 if d >= TWO_QUALITY_FROM_DAYS else 1, quality_now)
    room_q = quality_room(run_weekdays(request), int(long_run_day(request)))
    expected_q = min(wanted_q, room_q)  # hard days apart beat a second quality session
    assert any("leave room for" in n for n in plan.notes) == (room_q < wanted_q)
    lo, hi = CUTBACK_LONG_RUN_RANGE
    for i, week in enumerate(weeks):
        runs = _runs(week)
        assert all(s.date.weekday() not in request.unavailable_weekdays for s in runs)
        quality = [s for s in runs if s.is_quality or s.kind is SessionKind.TIME_TRIAL]
        assert len(quality) <= max(expected_q, 1)
        if week.phase is Phase.RACE:
            assert len(runs) + 1 <= d  # race week: the race and at most d - 1 runs
            continue
        assert len(runs) == d  # exactly the days asked for
        (long_run,) = [s for s in runs if s.kind is SessionKind.LONG]
        assert long_run.distance_m == pytest.approx(week.long_run_m, abs=TOL_M)
        if not moved:
            assert long_run.date.weekday() == request.long_run_weekday
        assert long_run.duration_s <= LONG_RUN_MAX_S + 1.0
        for s in runs:  # one long run a week
            if s is not long_run:
                assert s.distance_m <= OTHER_RUN_MAX_SHARE * long_run.distance_m + TOL_M
        if i > peak_i:
            continue
        if week.cutback:
            previous = weeks[i - 1].long_run_m
            assert lo * previous - TOL_M <= week.long_run_m <= hi * previous + TOL_M
            continue
        assert week.long_run_m >= long_floor - TOL_M
        average = (week.training_distance_m - week.long_run_m) / (d - 1)
        # Room for two sized sessions: runs of 7 km or more, below the one-long-run cap
        # (at the cap, a session longer than 75 % of the long run cannot be placed).
        room = average >= 7_000.0 and average <= 0.7 * week.long_run_m
        big = room and week.phase in (Phase.BUILD, Phase.PEAK)
        if big:  # 2Q from 5 days, 1 at 3-4, never fewer than done now
            assert len(quality) == expected_q
    if d >= 4 and not request.unavailable_weekdays:  # the plan picks the days: hard days apart
        by_date = {s.date: s for s in plan.sessions}
        for s in plan.sessions:
            if s.kind in QUALITY_KINDS or s.kind is SessionKind.TIME_TRIAL:
                before = by_date.get(s.date - dt.timedelta(days=1))
                assert before is None or (
                    before.kind not in (SessionKind.LONG, SessionKind.TIME_TRIAL)
                    and not before.is_quality
                )


@RULES
@given(runners())
def test_sessions_warmups_and_caps(request: PlanRequest) -> None:
    """Warm-ups with butt kicks, counted in the total, at most a third of it off race day;
    fast work within Daniels' caps; the spike rule; titles name the whole distance."""
    plan = generate_plan(request)
    seed = _seed(request)
    history: list[tuple[dt.date, float]] = [(plan.weeks[0].start - dt.timedelta(days=1), seed)]
    goal = request.goal_distance_m
    for week in plan.weeks:
        assert sum(s.distance_m for s in week.sessions if s.kind is not SessionKind.RACE) == (
            pytest.approx(week.training_distance_m, abs=TOL_M)
        )
        assert len(week.sessions) == 7
        for s in week.sessions:
            if s.warmup is not None:
                assert "butt_kicks" in [d["id"] for d in s.warmup.as_dict()["drills"]]
                extra = s.warmup.duration_s - s.warmup.jog_s
                assert s.total_duration_s == pytest.approx(s.duration_s + extra)
                assert s.as_dict()["total_duration_s"] == round(s.total_duration_s, 1)
                if s.kind is not SessionKind.RACE:
                    assert s.warmup.duration_s <= WARMUP_MAX_SHARE * s.total_duration_s + 1.0
                if s.kind is SessionKind.STRIDES:
                    assert 8 * 60 <= s.warmup.duration_s <= 12 * 60
            else:
                assert s.total_duration_s == s.duration_s
                assert s.kind not in QUALITY_KINDS and s.kind is not SessionKind.RACE
            if s.kind in _NOT_RUNS:
                continue
            window = [m for day, m in history if (s.date - day).days <= 30]
            assert s.distance_m <= (1 + MAX_LONG_RUN_SPIKE) * max(window) + TOL_M
            history.append((s.date, s.distance_m))
            found = re.search(r"(\d+(?:\.\d+)?) km", s.title)
            if found and s.kind in (SessionKind.EASY, SessionKind.LONG, SessionKind.STRIDES):
                assert abs(float(found.group(1)) - s.distance_m / 1000) <= 0.05 + 1e-9
            fast = sum(
                sub.distance_m * (step.repeat if step.kind == "repeat" else 1)
                for step in s.steps
                for sub in (step.steps or (step,))
                if sub.kind == "active" and sub.note in ("threshold pace", "interval pace")
            )
            share = {SessionKind.INTERVALS: 0.08, SessionKind.THRESHOLD: 0.10}.get(s.kind)
            if share is not None:
                least = 2 * (400.0 if s.kind is SessionKind.INTERVALS else 1000.0)
                assert fast <= max(share * week.training_distance_m, least) + TOL_M
            if s.kind is SessionKind.RACE_PACE and goal < 30_000.0:
                share = 0.08 if goal <= 7_500.0 else 0.10
                reps = RACE_PACE_REPS_M[0 if goal <= 7_500.0 else (1 if goal <= 15_000.0 else 2)]
                race_fast = sum(
                    sub.distance_m * step.repeat
                    for step in s.steps
                    for sub in step.steps
                    if sub.note == "race pace"
                )
                assert race_fast <= max(share * week.training_distance_m, 2 * reps[-1]) + TOL_M
    # The comparison is the matching published family, not a promise to be shorter.
    assert plan.baseline is not None
    assert plan.baseline_total_distance_m == plan.baseline.total_distance_m


@RULES
@given(runners())
def test_goal_rating_pace_and_retest(request: PlanRequest) -> None:
    """A goal time is rated; race pace is the goal's only when realistic; one re-test, in
    a loading or cutback week before the peak, never in the first three weeks."""
    plan = generate_plan(request)
    goal = plan.goal
    race = plan.sessions[-1]
    trials = [s for w in _full(plan) for s in w.sessions if s.kind is SessionKind.TIME_TRIAL]
    if request.goal_time_s is None:
        assert goal.feasibility is None and not trials
        assert race.duration_s == pytest.approx(goal.predicted_time_s, abs=1.0)
        return
    assert goal.feasibility is not None
    realistic = goal.feasibility is Feasibility.REALISTIC
    expected = request.goal_time_s if realistic else goal.predicted_time_s
    assert race.duration_s == pytest.approx(expected, abs=1.0)
    assert any(goal.feasibility.value.replace("_", " ") in n.lower() for n in plan.notes)
    assert len(trials) <= 1
    weeks = _full(plan)
    for trial in trials:
        (i,) = [k for k, w in enumerate(weeks) if trial in w.sessions]
        assert 3 <= i < _peak_index(weeks) and weeks[i].phase in (Phase.BASE, Phase.BUILD)
        assert any(f"Re-test on {trial.date:%a %d %b %Y}" in n for n in plan.notes)
    assert trials or any("No re-test" in n for n in plan.notes)
    peak_i = _peak_index(weeks)
    roomy = [
        i
        for i in range(3, peak_i)
        if weeks[i].phase in (Phase.BASE, Phase.BUILD)
        and OTHER_RUN_MAX_SHARE * weeks[i].long_run_m >= 9_000.0
    ]
    if len(weeks) >= RETEST_MIN_WEEKS and roomy:
        assert trials, plan.notes


# ---- the cases -------------------------------------------------------------------


def test_three_day_marathon_has_one_long_run() -> None:
    """Issue 13: a 3-day marathoner got a Tuesday "easy" run as long as the long run."""
    plan = generate_plan(
        PlanRequest(
            goal_distance_m=42_195.0,
            race_date=dt.date(2027, 5, 30),
            start_date=dt.date(2026, 12, 7),
            recent_race=RecentRace(21_097.5, 115 * 60),
            days_per_week=3,
            current_weekly_m=30_000.0,
        )
    )
    for week in _full(plan)[:-1]:
        runs = _runs(week)
        long_run = max(runs, key=lambda s: s.distance_m)
        assert long_run.kind is SessionKind.LONG and len(runs) == 3
        assert all(
            s.distance_m <= 0.75 * long_run.distance_m + TOL_M for s in runs if s is not long_run
        )
        if week.phase in (Phase.BUILD, Phase.PEAK) and not week.cutback:
            kinds = sorted(s.kind.value for s in runs if s is not long_run)
            assert len([s for s in runs if s.is_quality]) == 1 and "easy" in kinds
    assert max(w.long_run_m for w in plan.weeks) <= LONG_RUN_MAX_S / _easy(plan) * 1000 + TOL_M
    mp_long = [s for s in plan.sessions if s.kind is SessionKind.LONG and len(s.steps) == 2]
    assert mp_long and mp_long[-1].steps[1].distance_m > mp_long[0].steps[1].distance_m


def test_competitive_runner_keeps_training() -> None:
    """Issue 13: 10K 34:00 → 5K, 6 days, 80 km/week, 20 km long run lost volume and quality."""
    plan = generate_plan(
        PlanRequest(
            goal_distance_m=5_000.0,
            race_date=dt.date(2027, 4, 18),
            start_date=START,
            recent_race=RecentRace(10_000.0, 34 * 60),
            days_per_week=6,
            current_weekly_m=80_000.0,
            recent_long_run_m=20_000.0,
        )
    )
    loading = [w for w in _full(plan) if w.phase not in (Phase.TAPER, Phase.RACE)]
    for week in loading:
        if not week.cutback:
            assert week.training_distance_m >= 80_000.0 - TOL_M
            assert 16_000.0 - TOL_M <= week.long_run_m <= 20_000.0 + TOL_M
        if week.phase in (Phase.BUILD, Phase.PEAK) and not week.cutback:
            assert len([s for s in week.sessions if s.is_quality]) == 2
    kinds = {s.kind for s in plan.sessions}
    assert {SessionKind.INTERVALS, SessionKind.REPETITIONS} <= kinds
    assert not any("to 12.0 km" in w.explanation for w in plan.weeks)
    assert any("held at your current 20.0 km" in w.explanation for w in plan.weeks)


def test_midweek_race_gets_a_taper() -> None:
    """Issue 13: a Wednesday 10K had a 12 km long run 3 days before."""
    plan = generate_plan(
        PlanRequest(
            goal_distance_m=10_000.0,
            race_date=dt.date(2027, 4, 21),
            start_date=START,
            recent_race=RecentRace(5_000.0, 24 * 60 + 30),
            days_per_week=4,
            current_weekly_m=25_000.0,
        )
    )
    race = dt.date(2027, 4, 21)
    last_week = [s for s in plan.sessions if race - dt.timedelta(days=6) <= s.date < race]
    assert not any(s.kind is SessionKind.LONG for s in last_week)
    assert {s.kind for s in last_week if s.is_quality} <= {SessionKind.RACE_PACE}
    assert plan.weeks[-1].start == race - dt.timedelta(days=6)
    assert plan.weeks[0].lead_in and plan.weeks[1].start.weekday() == race.weekday() + 1


def test_days_are_honoured_and_cutbacks_count_from_the_start(runner: PlanRequest) -> None:
    """Issue 13: a 4-day runner ran 3 days in 7 of 12 weeks; cutbacks had more, shorter runs
    and fell in week 2 or 3."""
    plan = generate_plan(runner)
    weeks = _full(plan)
    for week in weeks[:-1]:
        assert len(_runs(week)) == 4
        assert min(s.distance_m for s in _runs(week)) >= min_run_m(_easy(plan)) - TOL_M
    cutbacks = [i for i, w in enumerate(weeks) if w.cutback]
    assert cutbacks and cutbacks[0] == 3
    assert all(b - a == 4 for a, b in pairwise(cutbacks))


def test_quality_progresses() -> None:
    """Issue 13: threshold stayed 2 × 1600 m for seven weeks; tempo a fixed 4.1 km."""
    plan = generate_plan(
        PlanRequest(
            goal_distance_m=21_097.5,
            race_date=dt.date(2027, 5, 23),
            start_date=START,
            recent_race=RecentRace(10_000.0, 45 * 60),
            days_per_week=5,
            current_weekly_m=70_000.0,
        )
    )

    def fast_m(s: Session) -> float:
        return sum(step.repeat * step.steps[0].distance_m for step in s.steps if step.steps)

    threshold = [fast_m(s) for s in plan.sessions if s.kind is SessionKind.THRESHOLD]
    intervals = [fast_m(s) for s in plan.sessions if s.kind is SessionKind.INTERVALS]
    assert len(set(threshold)) >= 3 and threshold[-1] > threshold[0]
    assert intervals and max(intervals) >= 4000.0
    assert all(
        s.duration_s <= LONG_RUN_MAX_S + 1 for s in plan.sessions if s.kind is SessionKind.LONG
    )


def test_warmups_in_proportion(runner: PlanRequest) -> None:
    """Issue 13: the same 24-minute routine before 2 × 400 m or hills, uncounted."""
    plan = generate_plan(runner)
    for s in plan.quality_sessions:
        assert s.warmup is not None
        assert s.warmup.duration_s <= s.total_duration_s / 3 + 1.0
        assert s.total_duration_s > s.duration_s
    strides = [s for s in plan.sessions if s.kind is SessionKind.STRIDES]
    assert strides and all(s.warmup and s.warmup.duration_s <= 12 * 60 for s in strides)


def test_long_run_day_unavailable_moves_and_says_so(runner: PlanRequest) -> None:
    plan = generate_plan(replace(runner, unavailable_weekdays=frozenset({Weekday.SUN})))
    assert any("Sunday is unavailable" in n and "Saturday" in n for n in plan.notes)
    longs = [s for s in plan.sessions if s.kind is SessionKind.LONG]
    assert longs and all(s.date.weekday() == Weekday.SAT for s in longs)


def test_example_runner_plan(runner: PlanRequest) -> None:
    plan = generate_plan(runner)
    assert len(plan.weeks) == 15
    assert plan.weeks[0].start == START
    assert plan.weeks[-1].phase is Phase.RACE
    assert plan.sessions[-1].kind is SessionKind.RACE
    assert plan.total_distance_m < plan.baseline_total_distance_m
    peak = max(plan.weeks, key=lambda w: w.training_distance_m)
    assert "Peak week" in peak.explanation
    assert peak.training_distance_m == pytest.approx(32_000.0, abs=TOL_M)


def test_start_defaults_to_next_monday(runner: PlanRequest) -> None:
    plan = generate_plan(replace(runner, start_date=None), today=dt.date(2026, 12, 30))
    assert plan.weeks[0].start == dt.date(2027, 1, 4)


# ---- refusals: each says what to change, and the change works ------------------------------


def test_too_few_weeks_offers_a_date_that_works(runner: PlanRequest) -> None:
    short = replace(runner, goal_distance_m=42_195.0, race_date=dt.date(2027, 3, 28))
    with pytest.raises(PlanError, match=r"needs at least (\d+) weeks") as info:
        generate_plan(short)
    needed = int(re.search(r"needs at least (\d+) weeks", str(info.value)).group(1))  # type: ignore[union-attr]
    later = replace(short, race_date=START + dt.timedelta(days=7 * needed - 1))
    assert generate_plan(later).weeks[-1].phase is Phase.RACE
    earlier = replace(short, race_date=START + dt.timedelta(days=7 * (needed - 1) - 1))
    with pytest.raises(PlanError):
        generate_plan(earlier)


def test_refusal_never_offers_a_ramp_that_changes_nothing(runner: PlanRequest) -> None:
    """The long-run spike rule binds a marathon build; --max-ramp would not help."""
    short = replace(runner, goal_distance_m=42_195.0, race_date=dt.date(2027, 3, 28))
    with pytest.raises(PlanError) as info:
        generate_plan(short)
    assert "--max-ramp" not in str(info.value)
    with pytest.raises(PlanError):
        generate_plan(replace(short, max_weekly_ramp=0.5))


def test_small_volume_keeps_every_day_and_says_so() -> None:
    """Seven days asked for on 12 km a week: seven (short) runs, and the reason said."""
    plan = generate_plan(
        PlanRequest(
            goal_distance_m=5_000.0,
            race_date=dt.date(2027, 4, 18),
            start_date=START,
            vdot=35.0,
            days_per_week=7,
            current_weekly_m=12_000.0,
        )
    )
    first = _full(plan)[0]
    assert len(_runs(first)) == 7
    assert "fewer days would make each run longer" in first.explanation


@pytest.mark.parametrize(
    ("change", "error", "words"),
    [
        ({"race_date": dt.date(2026, 12, 1)}, InputError, "not after"),
        ({"days_per_week": 1}, InputError, "days per week"),
        ({"goal_distance_m": 42_195.0, "race_date": dt.date(2027, 1, 28)}, PlanError, "weeks"),
        ({"goal_distance_m": 100_000.0}, PlanError, "marathon"),
        ({"max_weekly_ramp": 2.0}, InputError, "ramp"),
        ({"current_quality_per_week": 9}, InputError, "quality"),
    ],
)
def test_bad_requests_say_what_to_change(
    runner: PlanRequest, change: dict[str, object], error: type[StridelabError], words: str
) -> None:
    from dataclasses import asdict

    fields = {**asdict(runner), **change}
    fields["recent_race"] = runner.recent_race
    with pytest.raises(error, match=words) as info:
        generate_plan(PlanRequest(**fields))  # type: ignore[arg-type]
    assert info.value.hint


def test_quality_room_counts_hard_days_apart() -> None:
    """Sunday and Monday are neighbours; the long run's day and the day after hold none."""
    mon, tue, thu, fri, sat, sun = 0, 1, 3, 4, 5, 6
    assert quality_room(frozenset({mon, thu, fri, sun}), thu) == 1
    assert quality_room(frozenset({mon, thu, fri, sun}), mon) == 2  # Thursday and Sunday
    assert quality_room(frozenset({tue, thu, sat, sun}), sun) == 3
    assert quality_room(frozenset(range(7)), sun) == 3  # Tuesday, Thursday, Saturday
    assert quality_room(frozenset({sat, sun}), sun) == 1
