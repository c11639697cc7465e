"""Goal times rated against current fitness, a re-test mid-plan, and refusals that offer
only what was planned and works (issue 13: "a goal time", "refusals offer what works")."""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import replace

import pytest

from stridelab.cli import main
from stridelab.errors import PlanRefusal
from stridelab.physiology.vdot import predict_race_time_s, vdot_from_race
from stridelab.plans import PlanRequest, RecentRace, generate_plan
from stridelab.plans.feasibility import (
    REALISTIC_GAIN_PER_WEEK,
    RETEST_M,
    RETEST_SHORT_M,
    assess_goal,
)
from stridelab.plans.generator import PhaseResume
from stridelab.plans.model import Feasibility, Phase, SessionKind, StepKind, next_monday
from stridelab.units import parse_duration_s

START = dt.date(2026, 12, 7)  # a Monday
RACE = dt.date(2027, 4, 18)  # 19 weeks later, a Sunday


@pytest.fixture
def runner() -> PlanRequest:
    """A 10K runner at VDOT 41 (5K 24:30) on 4 days and 35 km a week."""
    return PlanRequest(
        goal_distance_m=10_000.0,
        race_date=RACE,
        days_per_week=4,
        current_weekly_m=35_000.0,
        recent_race=RecentRace(5_000.0, 24 * 60 + 30),
        start_date=START,
        recent_long_run_m=13_000.0,
    )


def _vdot(request: PlanRequest) -> float:
    assert request.recent_race is not None
    return vdot_from_race(request.recent_race.distance_m, request.recent_race.time_s)


def _time_for(vdot: float) -> float:
    return predict_race_time_s(vdot, 10_000.0)


@pytest.mark.parametrize(
    ("gain", "rating"),
    [
        (-3.0, Feasibility.REALISTIC),  # slower than today's fitness
        (0.4, Feasibility.REALISTIC),  # within the half-point floor even over 1 week
        (1.9, Feasibility.REALISTIC),  # 12 weeks x 1/6
        (2.1, Feasibility.AMBITIOUS),
        (2.9, Feasibility.AMBITIOUS),  # 12 weeks x 1/4
        (3.1, Feasibility.OUT_OF_REACH),
    ],
)
def test_rating_follows_the_stated_gains(gain: float, rating: Feasibility) -> None:
    assessment = assess_goal(10_000.0, _time_for(45.0 + gain), 45.0, 12)
    assert assessment.feasibility is rating
    assert assessment.goal_vdot == pytest.approx(45.0 + gain, abs=0.01)
    assert assessment.realistic_vdot == pytest.approx(45.0 + 12 * REALISTIC_GAIN_PER_WEEK)
    assert assessment.realistic_time_s > assessment.reachable_time_s


def test_realistic_goal_sets_race_pace(runner: PlanRequest) -> None:
    goal_s = _time_for(_vdot(runner) + 1.0)
    plan = generate_plan(replace(runner, goal_time_s=goal_s))
    assert plan.goal.feasibility is Feasibility.REALISTIC
    assert plan.goal.as_dict()["feasibility"] == "realistic"
    race = plan.sessions[-1]
    assert race.kind is SessionKind.RACE
    assert race.duration_s == pytest.approx(goal_s, abs=0.5)
    pace = goal_s / 10.0
    reps = [
        sub
        for s in plan.sessions
        if s.kind is SessionKind.RACE_PACE
        for step in s.steps
        for sub in step.steps
        if sub.note == "race pace"
    ]
    assert reps and all(
        r.pace_fast_s_per_km is not None and r.pace_fast_s_per_km < pace < r.pace_slow_s_per_km  # type: ignore[operator]
        for r in reps
    )
    assert any("Realistic: race-pace work is at the goal pace" in n for n in plan.notes)


@pytest.mark.parametrize(
    ("gain", "rating", "words"),
    [(3.5, Feasibility.AMBITIOUS, "Ambitious"), (8.0, Feasibility.OUT_OF_REACH, "Out of reach")],
)
def test_unrealistic_goal_trains_at_current_fitness(
    runner: PlanRequest, gain: float, rating: Feasibility, words: str
) -> None:
    """An ambitious or out-of-reach goal is planned, rated and said, at today's paces."""
    plan = generate_plan(replace(runner, goal_time_s=_time_for(_vdot(runner) + gain)))
    assert plan.goal.feasibility is rating
    predicted = plan.goal.predicted_time_s
    assert predicted == pytest.approx(_time_for(_vdot(runner)), abs=1.0)
    assert plan.sessions[-1].duration_s == pytest.approx(predicted, abs=0.5)
    (note,) = [n for n in plan.notes if n.startswith("Your goal")]
    assert words in note and "realistic" in note
    slower = re.search(r"(\d+:\d\d(?::\d\d)?) or slower is realistic", note)
    assert slower is not None
    assert (
        assess_goal(10_000.0, parse_duration_s(slower.group(1)) + 1.0, _vdot(runner), 19)
    ).feasibility is Feasibility.REALISTIC


def test_retest_is_a_time_trial_whose_target_time_makes_the_goal_realistic(
    runner: PlanRequest,
) -> None:
    """The re-test note's time, run on its date and replanned from the next day to the same
    race, gives a plan that rates the goal realistic; a clearly slower one does not."""
    goal_s = _time_for(_vdot(runner) + 3.5)  # ambitious
    plan = generate_plan(replace(runner, goal_time_s=goal_s))
    (trial,) = [s for s in plan.sessions if s.kind is SessionKind.TIME_TRIAL]
    main_step = next(st for st in trial.steps if st.kind is StepKind.ACTIVE)
    assert main_step.distance_m in (RETEST_M, RETEST_SHORT_M)
    assert main_step.pace_fast_s_per_km is None  # run by effort: no beeping band
    assert trial.warmup is not None
    assert "butt_kicks" in [d["id"] for d in trial.warmup.as_dict()["drills"]]
    assert trial.title.startswith("Time trial")
    week = next(w for w in plan.weeks if trial in w.sessions)
    assert not week.lead_in and week.phase.value in ("base", "build")
    (note,) = [n for n in plan.notes if n.startswith("Re-test on")]
    assert f"{trial.date:%a %d %b %Y}" in note
    assert "stridelab replan --race " in note
    found = re.search(r"(\d+:\d\d) or faster makes the goal realistic", note)
    assert found is not None
    target = parse_duration_s(found.group(1))
    # A replan after the trial starts the Monday after it (coach.replan), with its weeks.
    after = replace(runner, goal_time_s=goal_s, start_date=next_monday(trial.date))
    on_track = replace(after, recent_race=RecentRace(main_step.distance_m, target - 1.0))
    assert generate_plan(on_track).goal.feasibility is Feasibility.REALISTIC
    behind = replace(after, recent_race=RecentRace(main_step.distance_m, target * 1.04))
    assert generate_plan(behind).goal.feasibility is not Feasibility.REALISTIC


def test_a_replan_after_the_retest_plans_no_second_one(runner: PlanRequest) -> None:
    back = replace(runner, goal_time_s=_time_for(_vdot(runner) + 3.5))
    done = generate_plan(back, resume=PhaseResume(Phase.BUILD, 1, 8, retest_done=True))
    assert not [s for s in done.sessions if s.kind is SessionKind.TIME_TRIAL]
    assert not [n for n in done.notes if "re-test" in n.lower() and "No re-test" in n]
    assert done.goal.feasibility is not None
    again = generate_plan(back, resume=PhaseResume(Phase.BASE, 1, 1))
    assert [s for s in again.sessions if s.kind is SessionKind.TIME_TRIAL]


def test_no_goal_time_no_rating_and_no_retest(runner: PlanRequest) -> None:
    plan = generate_plan(runner)
    assert plan.goal.feasibility is None
    assert not [s for s in plan.sessions if s.kind is SessionKind.TIME_TRIAL]
    assert not [n for n in plan.notes if "Re-test" in n or n.startswith("Your goal")]


def test_short_plan_says_why_there_is_no_retest(runner: PlanRequest) -> None:
    short = replace(runner, race_date=START + dt.timedelta(days=7 * 5 - 1), goal_time_s=2900.0)
    plan = generate_plan(short)
    assert plan.goal.feasibility is not None
    assert not [s for s in plan.sessions if s.kind is SessionKind.TIME_TRIAL]
    assert any("No re-test is planned: 5 weeks" in n for n in plan.notes)


# ---- refusals -----------------------------------------------------------------------------


def _marathon(runner: PlanRequest, race: dt.date) -> PlanRequest:
    return replace(
        runner,
        goal_distance_m=42_195.0,
        race_date=race,
        days_per_week=3,
        current_weekly_m=30_000.0,
        recent_long_run_m=None,
    )


def test_refusal_offers_the_earliest_date_that_works(runner: PlanRequest) -> None:
    """The 3-day marathoner of issue 13, 12 weeks out: the offered date plans, the week
    before it does not, and the message's week count is that date's."""
    request = _marathon(runner, dt.date(2027, 2, 28))
    with pytest.raises(PlanRefusal) as info:
        generate_plan(request)
    refusal = info.value
    assert refusal.earliest_race_date is not None
    text = str(refusal)
    assert f"{refusal.earliest_race_date:%a %d %b %Y}" in text
    weeks = ((refusal.earliest_race_date - START).days + 1) // 7
    assert f"needs at least {weeks} weeks" in text
    plan = generate_plan(replace(request, race_date=refusal.earliest_race_date))
    assert plan.sessions[-1].date == refusal.earliest_race_date
    with pytest.raises(PlanRefusal):
        generate_plan(replace(request, race_date=refusal.earliest_race_date - dt.timedelta(7)))


def test_refusal_offers_a_shorter_goal_that_fits(runner: PlanRequest) -> None:
    request = _marathon(runner, dt.date(2027, 2, 28))
    with pytest.raises(PlanRefusal) as info:
        generate_plan(request)
    shorter = info.value.shorter_goal_m
    assert shorter == pytest.approx(21_097.5)
    assert "a half marathon on the same date" in str(info.value)
    plan = generate_plan(replace(request, goal_distance_m=shorter))
    assert plan.sessions[-1].date == request.race_date


def test_refusal_names_nothing_that_would_not_work(runner: PlanRequest) -> None:
    """From 5 km a week nothing shorter fits 12 weeks: no shorter goal is offered."""
    request = replace(_marathon(runner, dt.date(2027, 2, 28)), current_weekly_m=5_000.0)
    with pytest.raises(PlanRefusal) as info:
        generate_plan(request)
    assert info.value.shorter_goal_m is None
    assert "instead (it fits)" not in str(info.value) and "--max-ramp" not in str(info.value)
    assert "Nothing tried works" in str(info.value)
    for goal_m in (21_097.5, 10_000.0, 5_000.0):
        with pytest.raises(PlanRefusal):
            generate_plan(replace(request, goal_distance_m=goal_m, goal_time_s=None))


def test_a_build_past_the_longest_plan_is_refused_not_crashed(runner: PlanRequest) -> None:
    """From 5 km a week at a 6 % ramp the marathon needs 54 weeks: more than a plan may
    hold (52), so no date is offered, and the refusal says so instead of an input error."""
    request = replace(
        _marathon(runner, dt.date(2027, 2, 28)), current_weekly_m=5_000.0, max_weekly_ramp=0.06
    )
    with pytest.raises(PlanRefusal) as info:
        generate_plan(request)
    assert info.value.earliest_race_date is None
    assert "no race date within 52 weeks" in str(info.value)


def test_cli_goal_time_is_rated_not_refused(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["plan", "--goal", "10k", "--race-date", "2027-04-18", "--start", "2026-12-07"]
    args += ["--recent", "5k=24:30", "--days-per-week", "4", "--current-weekly-km", "30"]
    assert main([*args, "--goal-time", "38:00", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["goal"]["feasibility"] == "out_of_reach"
    assert data["goal"]["race_pace_s_per_km"] == pytest.approx(
        data["goal"]["predicted_time_s"] / 10.0, abs=0.1
    )
    assert any(s["kind"] == "time_trial" for w in data["weeks"] for s in w["sessions"])
    marathon = ["plan", "--goal", "marathon", "--race-date", "2027-02-28", *args[5:]]
    assert main(marathon) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "What works" in err
