"""Plan rules as properties over random runners, plus worked examples and refusals."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from stridelab.errors import InputError, PlanError, StridelabError
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
from stridelab.plans.model import QUALITY_KINDS
from stridelab.plans.sessions import RACE_PACE_REPS_M
from stridelab.plans.targets import LONG_RUN_MAX_SHARE, default_long_run_m
from stridelab.plans.volume import (
    CUTBACK_FRACTION,
    CUTBACK_LONG_RUN_RANGE,
    MAX_ACUTE_CHRONIC,
    MAX_LONG_RUN_SPIKE,
)
from stridelab.plans.week import min_run_m

TOL_M = 1.0  # the LP is solved to ~1e-7 km; a metre is far above that
START = dt.date(2027, 1, 4)
GOALS_M = {"5k": 5000.0, "10k": 10000.0, "half": 21097.5, "marathon": 42195.0}


@pytest.fixture(scope="module")
def runner() -> PlanRequest:
    """The issue's example runner: 10K on 2027-04-18 from a 24:30 5K, 4 days, 25 km/week."""
    return PlanRequest(
        goal_distance_m=10_000.0,
        race_date=dt.date(2027, 4, 18),
        days_per_week=4,
        current_weekly_m=25_000.0,
        recent_race=RecentRace(5_000.0, 24 * 60 + 30),
        start_date=START,
    )


@st.composite
def requests(draw: st.DrawFn) -> PlanRequest:
    goal = draw(st.sampled_from(sorted(GOALS_M)))
    weeks = draw(st.integers(6, 30))
    start = START + dt.timedelta(days=draw(st.integers(0, 6)))
    race_date = start + dt.timedelta(days=7 * (weeks - 1) + draw(st.integers(0, 6)))
    days = draw(st.integers(3, 7))
    long_day = draw(st.sampled_from(list(Weekday)))
    others = [d for d in Weekday if d != long_day]
    unavailable = draw(st.sets(st.sampled_from(others), max_size=7 - days))
    return PlanRequest(
        goal_distance_m=GOALS_M[goal],
        race_date=race_date,
        days_per_week=days,
        current_weekly_m=draw(st.floats(10_000.0, 90_000.0)),
        vdot=draw(st.floats(32.0, 65.0)),
        start_date=start,
        long_run_weekday=long_day,
        recent_long_run_m=draw(st.none() | st.floats(3_000.0, 30_000.0)),
        unavailable_weekdays=frozenset(unavailable),
        max_weekly_ramp=draw(st.sampled_from([0.08, 0.10, 0.15])),
    )


def _plan_or_skip(request: PlanRequest) -> Plan:
    try:
        return generate_plan(request)
    except PlanError:
        assume(False)
        raise  # unreachable


def _training_load(week: Week) -> float:
    return sum(s.load_rtss for s in week.sessions if s.kind is not SessionKind.RACE)


RULES = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.filter_too_much]
)


@RULES
@given(requests())
def test_weekly_volume_rules(request: PlanRequest) -> None:
    plan = _plan_or_skip(request)
    w = [week.training_distance_m for week in plan.weeks]
    current = request.current_weekly_m
    peak_i = max(
        i
        for i, week in enumerate(plan.weeks)
        if week.phase is not Phase.TAPER and week.phase is not Phase.RACE
    )
    last_loading = current
    for i, week in enumerate(plan.weeks):
        history = [current] * max(0, 4 - i) + w[max(0, i - 4) : i]
        assert w[i] <= MAX_ACUTE_CHRONIC * sum(history) / 4 + TOL_M
        if i > peak_i:  # the taper never adds volume, nor rTSS-like training load
            assert w[i] <= w[i - 1] + TOL_M
            assert _training_load(week) <= _training_load(plan.weeks[i - 1]) + 1e-6
            continue
        if week.cutback:
            assert w[i] <= CUTBACK_FRACTION * (w[i - 1] if i else current) + TOL_M
            assert w[i] >= CUTBACK_FRACTION * current - TOL_M  # lighter, not detrained
        else:
            assert w[i] >= current - TOL_M  # least mileage never cuts what you already run
            assert w[i] <= (1 + request.max_weekly_ramp) * last_loading + TOL_M
            last_loading = w[i]
    assert w[-1] <= 0.6 * w[peak_i] + TOL_M  # race week at most 60% of peak
    for week in plan.weeks:  # every week names the rule that sets its volume
        assert week.explanation and "Set by the optimiser" not in week.explanation
    order = list(Phase)  # base, build, peak, taper, race: never backwards
    phases = [order.index(week.phase) for week in plan.weeks]
    assert phases == sorted(phases) and plan.weeks[-1].phase is Phase.RACE
    streak = 0  # loading weeks in a row: a cutback every 4th week, 4 at most at the start
    for week in plan.weeks[: peak_i + 1]:
        streak = 0 if week.cutback else streak + 1
        assert streak <= 4
    assert streak == min(3, peak_i + 1) or streak == peak_i + 1


@RULES
@given(requests())
def test_long_runs_and_sessions(request: PlanRequest) -> None:
    plan = _plan_or_skip(request)
    seed = max(
        request.recent_long_run_m or default_long_run_m(request.current_weekly_m),
        request.current_weekly_m / request.days_per_week,
    )
    history: list[tuple[dt.date, float]] = [(plan.weeks[0].start - dt.timedelta(days=1), seed)]
    for week in plan.weeks:
        assert sum(s.distance_m for s in week.sessions if s.kind is not SessionKind.RACE) == (
            pytest.approx(week.training_distance_m, abs=TOL_M)
        )
        assert len(week.sessions) == 7
        for s in week.sessions:
            if s.kind in (SessionKind.REST, SessionKind.RACE):
                continue
            window = [d for day, d in history if (s.date - day).days <= 30]
            # No run more than 10% longer than the longest of the previous 30 days.
            assert s.distance_m <= (1 + MAX_LONG_RUN_SPIKE) * max(window, default=seed) + TOL_M
            if s.kind is SessionKind.LONG:
                assert s.distance_m <= LONG_RUN_MAX_SHARE * week.training_distance_m + TOL_M
            history.append((s.date, s.distance_m))
        runs = [s for s in week.sessions if s.kind not in (SessionKind.REST, SessionKind.RACE)]
        assert len(runs) <= request.days_per_week
        assert all(s.date.weekday() not in request.unavailable_weekdays for s in runs)
    races = [s for s in plan.sessions if s.kind is SessionKind.RACE]
    assert [s.date for s in races] == [request.race_date]
    assert races[0].distance_m == request.goal_distance_m
    for s in (*plan.quality_sessions, *races):
        assert s.warmup is not None
        assert "butt_kicks" in [d["id"] for d in s.warmup.as_dict()["drills"]]
    for s in plan.sessions:
        if s.kind in (SessionKind.EASY, SessionKind.LONG, SessionKind.RECOVERY, SessionKind.REST):
            assert s.warmup is None
    if request.goal_distance_m == GOALS_M["marathon"]:
        longest = max(week.long_run_m for week in plan.weeks)
        assert 28_000.0 - TOL_M <= longest <= 36_000.0 + TOL_M
    assert plan.total_distance_m <= plan.baseline_total_distance_m + TOL_M


def _runs(week: Week) -> list[Session]:
    return [s for s in week.sessions if s.kind not in (SessionKind.REST, SessionKind.RACE)]


@RULES
@given(requests())
def test_long_run_is_the_backbone(request: PlanRequest) -> None:
    """The long run starts from the current one, only grows between loading weeks, steps
    back moderately in cutbacks, and is the longest run of every week but race week."""
    plan = _plan_or_skip(request)
    c = request.current_weekly_m
    seed = max(request.recent_long_run_m or default_long_run_m(c), c / request.days_per_week)
    before_taper = [w for w in plan.weeks if w.phase not in (Phase.TAPER, Phase.RACE)]
    peak_long = before_taper[-1].long_run_m
    start = min(seed, LONG_RUN_MAX_SHARE * c, peak_long)
    assert plan.weeks[0].long_run_m >= start - TOL_M  # no "long" run below the current one
    lo, hi = CUTBACK_LONG_RUN_RANGE
    last_loading = None
    for i, week in enumerate(plan.weeks[:-1]):
        longs = [s for s in week.sessions if s.kind is SessionKind.LONG]
        assert [s.distance_m for s in longs] == [pytest.approx(week.long_run_m, abs=TOL_M)]
        assert all(s.distance_m <= week.long_run_m + TOL_M for s in _runs(week))
        if week.phase in (Phase.TAPER, Phase.RACE):
            continue
        if week.cutback:  # shorter, not erased
            previous = plan.weeks[i - 1].long_run_m
            assert lo * previous - TOL_M <= week.long_run_m <= hi * previous + TOL_M
            continue
        if last_loading is not None:  # steady: never backwards between loading weeks
            assert week.long_run_m >= last_loading - TOL_M
        last_loading = week.long_run_m


@RULES
@given(requests())
def test_runs_are_worth_lacing_up_for(request: PlanRequest) -> None:
    """Every run is at least 5 km or 30 min easy whenever the long run leaves room for it
    (long run at least twice that): short weeks run on fewer days and say so."""
    plan = _plan_or_skip(request)
    easy = plan.paces_s_per_km["easy"]
    assert isinstance(easy, list)
    shortest = min_run_m(sum(easy) / 2)
    for week in plan.weeks:
        runs = _runs(week)
        if week.phase is not Phase.RACE and week.long_run_m >= 2 * shortest:
            assert min(s.distance_m for s in runs) >= shortest - TOL_M
        if week.phase is not Phase.RACE and len(runs) < request.days_per_week:
            assert f"Runs on {len(runs)} of your {request.days_per_week} days" in week.explanation
        assert 0 < len(week.summary) <= SUMMARY_MAX_CHARS


@RULES
@given(requests())
def test_hard_days_are_apart(request: PlanRequest) -> None:
    """No quality session the day after the long run or after another quality session,
    when the runner gives 4+ days and no unavailable days (the plan picks the days)."""
    assume(request.days_per_week >= 4 and not request.unavailable_weekdays)
    plan = _plan_or_skip(request)
    by_date = {s.date: s for s in plan.sessions}
    for s in plan.sessions:
        if s.kind not in QUALITY_KINDS:
            continue
        before = by_date.get(s.date - dt.timedelta(days=1))
        assert before is None or (before.kind is not SessionKind.LONG and not before.is_quality)


@RULES
@given(requests())
def test_race_week_rule_counts_training_not_the_race(request: PlanRequest) -> None:
    plan = _plan_or_skip(request)
    race_week = plan.weeks[-1]
    peak = max(w.training_distance_m for w in plan.weeks)
    assert race_week.training_distance_m <= 0.6 * peak + TOL_M
    race = [s for s in race_week.sessions if s.kind is SessionKind.RACE]
    assert race_week.distance_m == pytest.approx(
        race_week.training_distance_m + race[0].distance_m, abs=TOL_M
    )
    assert "race itself is not counted" in race_week.explanation
    assert race_week.as_dict()["training_distance_m"] == round(race_week.training_distance_m, 1)


@settings(max_examples=25, deadline=None)
@given(requests())
def test_fast_work_within_daniels_caps(request: PlanRequest) -> None:
    plan = _plan_or_skip(request)
    for week in plan.weeks:
        for s in week.sessions:
            fast = sum(
                sub.distance_m * (step.repeat if step.kind == "repeat" else 1)
                for step in s.steps
                for sub in (step.steps or (step,))
                if sub.kind == "active"
                and sub.note in ("threshold pace", "tempo", "interval pace", "race pace")
            )
            goal = request.goal_distance_m
            if s.kind is SessionKind.RACE_PACE and goal < 30_000.0:  # Daniels' I/T caps
                share = 0.08 if goal <= 7_500.0 else 0.10
                reps = RACE_PACE_REPS_M[0 if goal <= 7_500.0 else (1 if goal <= 15_000.0 else 2)]
                floor_m = 2 * reps[-1]  # two of the shortest reps at least
                assert fast <= max(share * week.training_distance_m, floor_m) + TOL_M
            share = 0.08 if s.kind is SessionKind.INTERVALS else 0.10
            if s.kind in (SessionKind.INTERVALS, SessionKind.THRESHOLD, SessionKind.TEMPO):
                floor_m = 2 * 1000.0 if s.kind is not SessionKind.INTERVALS else 2 * 400.0
                assert fast <= max(share * week.training_distance_m, floor_m) + TOL_M


def test_example_runner_plan(runner: PlanRequest) -> None:
    plan = generate_plan(runner)
    assert len(plan.weeks) == 15
    assert plan.weeks[0].start == START
    assert plan.weeks[-1].phase is Phase.RACE
    assert plan.sessions[-1].kind is SessionKind.RACE
    assert plan.total_distance_m < plan.baseline_total_distance_m
    assert all(w.explanation for w in plan.weeks)
    peak = max(plan.weeks, key=lambda w: w.training_distance_m)
    assert "Peak week" in peak.explanation
    assert peak.training_distance_m == pytest.approx(32_000.0, abs=TOL_M)


def test_issue_examples_read_like_a_coach_wrote_them(runner: PlanRequest) -> None:
    """The two example runners: long runs from the current one, cutbacks keep the long
    run, no 2.5 km runs, no quality the day after the long run."""
    marathon = PlanRequest(
        goal_distance_m=42_195.0,
        race_date=dt.date(2027, 6, 20),
        days_per_week=5,
        current_weekly_m=40_000.0,
        recent_race=RecentRace(21_097.5, 105 * 60),
        start_date=START,
    )
    ten_k, full = generate_plan(runner), generate_plan(marathon)
    assert ten_k.weeks[0].long_run_m == pytest.approx(7_500.0, abs=TOL_M)  # 30% of 25 km
    assert full.weeks[0].long_run_m == pytest.approx(12_000.0, abs=TOL_M)
    for plan in (ten_k, full):
        for i, week in enumerate(plan.weeks[:-1]):
            runs = _runs(week)
            assert max(runs, key=lambda s: s.distance_m).kind is SessionKind.LONG
            assert min(s.distance_m for s in runs) >= 4_500.0
            if week.cutback:
                assert week.long_run_m >= 0.75 * plan.weeks[i - 1].long_run_m - TOL_M
        mondays = [s for s in plan.sessions if s.date.weekday() == Weekday.MON]
        assert not any(s.is_quality for s in mondays)  # long runs are on Sundays
    race_week = full.weeks[-1]
    assert race_week.training_distance_m <= 0.6 * 70_000.0 + TOL_M < race_week.distance_m


def test_start_defaults_to_next_monday(runner: PlanRequest) -> None:
    from dataclasses import replace

    plan = generate_plan(replace(runner, start_date=None), today=dt.date(2026, 12, 30))
    assert plan.weeks[0].start == dt.date(2027, 1, 4)


def test_marathon_24_weeks_reaches_long_run() -> None:
    request = PlanRequest(
        goal_distance_m=42_195.0,
        race_date=START + dt.timedelta(days=7 * 23 + 6),
        days_per_week=5,
        current_weekly_m=30_000.0,
        recent_race=RecentRace(10_000.0, 50 * 60),
        start_date=START,
    )
    plan = generate_plan(request)
    assert max(w.long_run_m for w in plan.weeks) == pytest.approx(28_000.0, abs=TOL_M)
    taper = [w for w in plan.weeks if w.phase in (Phase.TAPER, Phase.RACE)]
    assert len(taper) == 3


@pytest.mark.parametrize(
    ("change", "error", "words"),
    [
        ({"race_date": dt.date(2026, 12, 1)}, InputError, "not after"),
        ({"days_per_week": 1}, InputError, "days per week"),
        ({"goal_distance_m": 42_195.0, "race_date": dt.date(2027, 2, 28)}, PlanError, "weeks"),
        ({"goal_time_s": 30 * 60.0}, PlanError, "VDOT"),
        ({"goal_distance_m": 100_000.0}, PlanError, "marathon"),
        ({"unavailable_weekdays": frozenset({Weekday.SUN})}, InputError, "long-run day"),
        ({"max_weekly_ramp": 2.0}, InputError, "ramp"),
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


@given(requests())
def test_titles_state_the_session_distance(request: PlanRequest) -> None:
    """A title that names a distance names the session's whole distance."""
    import re

    plan = _plan_or_skip(request)
    for week in plan.weeks:
        for session in week.sessions:
            found = re.search(r"(\d+(?:\.\d+)?) km", session.title)
            if found:
                # titles round to 0.1 km: at most half of that away
                assert abs(float(found.group(1)) - session.distance_m / 1000) <= 0.05 + 1e-9
