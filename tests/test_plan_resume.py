"""A replan continues the periodisation it interrupts (issue 13: "replan keeps the phase it
is in"): the generator's ``resume`` and the coach's replan in the middle of a build."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from itertools import pairwise
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from stridelab.coach.planning import active_plan, create_plan
from stridelab.coach.profile import DEFAULT_PROFILE
from stridelab.coach.replan import replan, resume_point
from stridelab.coach.runs import import_file
from stridelab.plans import Phase, PlanRequest, SessionKind, generate_plan
from stridelab.plans.generator import PhaseResume, phase_of
from stridelab.plans.model import Step, StepKind
from stridelab.store import Database
from test_plan_rules import runners
from web_support import run_fit

ORDER = list(Phase)  # base, build, peak, taper, race
START = dt.date(2027, 1, 4)  # a Monday


def test_phase_of_resumes_where_the_old_plan_was() -> None:
    fresh = [phase_of(i, 6, 9) for i in range(9)]
    assert fresh[0] is Phase.BASE  # a new plan starts with base weeks
    build = [phase_of(i, 6, 9, Phase.BUILD) for i in range(9)]
    assert Phase.BASE not in build and build[0] is Phase.BUILD
    assert build[-3:] == fresh[-3:] == [Phase.PEAK, Phase.TAPER, Phase.RACE]
    peak = [phase_of(i, 6, 9, Phase.PEAK) for i in range(9)]
    assert peak[:7] == [Phase.PEAK] * 7 and peak[7:] == [Phase.TAPER, Phase.RACE]
    assert [phase_of(i, 6, 9, Phase.BASE) for i in range(9)] == fresh


@settings(max_examples=25)
@given(runners(), st.sampled_from([Phase.BUILD, Phase.PEAK]), st.integers(0, 6))
def test_a_resumed_plan_never_goes_back_and_still_tapers(
    request: PlanRequest, phase: Phase, done: int
) -> None:
    plan = generate_plan(request, resume=PhaseResume(phase, done))
    full = [w for w in plan.weeks if not w.lead_in]
    phases = [w.phase for w in full]
    assert phases[0] is phase and Phase.BASE not in phases
    assert all(ORDER.index(a) <= ORDER.index(b) for a, b in pairwise(phases))
    assert phases[-1] is Phase.RACE
    race = plan.sessions[-1]
    assert race.kind is SessionKind.RACE and race.date == request.race_date


def _fast_m(steps: tuple[Step, ...]) -> float:
    """Distance of a session's work steps (repeats opened)."""
    return sum(
        s.repeat * _fast_m(s.steps) if s.kind is StepKind.REPEAT else s.distance_m
        for s in steps
        if s.kind in (StepKind.REPEAT, StepKind.ACTIVE)
    )


def test_a_resumed_build_carries_on_its_quality_progression() -> None:
    request = PlanRequest(21_097.5, START + dt.timedelta(weeks=10, days=-1), 5, 60_000.0,
                          vdot=48.0, start_date=START)  # fmt: skip
    weeks = {
        done: generate_plan(request, resume=PhaseResume(Phase.BUILD, done)).weeks[0]
        for done in (0, 6)
    }
    assert {w.phase for w in weeks.values()} == {Phase.BUILD}
    fast = {d: [_fast_m(s.steps) for s in w.sessions if s.is_quality] for d, w in weeks.items()}
    assert len(fast[0]) == len(fast[6]) == 2  # threshold and intervals (2Q at 5 days)
    # six build weeks already done: the first new week's work is further along, not reset
    assert all(later > first for first, later in zip(fast[0], fast[6], strict=True))


def test_a_16_week_plan_replanned_in_week_8_keeps_building(
    coach_db: Database, tmp_path: Path
) -> None:
    race_day = START + dt.timedelta(weeks=16, days=-1)  # a Sunday, 16 full weeks out
    request = PlanRequest(21_097.5, race_day, 4, 30_000.0, vdot=45.0, start_date=START)
    create_plan(coach_db, 1, request, START)
    old = active_plan(coach_db, 1)
    assert old is not None and len(old.plan.weeks) == 16
    week_8 = old.plan.weeks[7]
    assert week_8.phase is Phase.BUILD
    today = week_8.start - dt.timedelta(days=5)  # Wednesday of week 7
    done = [
        s
        for s in old.plan.sessions
        if s.date < today and s.kind not in (SessionKind.REST, SessionKind.RACE)
    ]
    for i, session in enumerate(done[-14:]):  # the last weeks run as planned, at easy pace
        at = dt.datetime.combine(session.date, dt.time(7), tzinfo=dt.UTC)
        (tmp_path / f"{i}.fit").write_bytes(run_fit(at, session.distance_m, 330.0, seed=i))
        import_file(coach_db, 1, tmp_path / f"{i}.fit")
    assert resume_point(old.plan, week_8.start) == PhaseResume(
        Phase.BUILD,
        sum(1 for w in old.plan.weeks[:7] if w.phase is Phase.BUILD),
        plan_weeks_done=7,
    )

    result = replan(coach_db, 1, DEFAULT_PROFILE, today)

    assert result.start == week_8.start
    new = [w for w in result.plan.plan.weeks if w.start >= result.start]
    phases = [w.phase for w in new]
    assert phases[0] in (Phase.BUILD, Phase.PEAK) and Phase.BASE not in phases
    assert all(ORDER.index(a) <= ORDER.index(b) for a, b in pairwise(phases))
    assert phases[-2:] == [Phase.TAPER, Phase.RACE]
    race = result.plan.plan.sessions[-1]
    assert race.kind is SessionKind.RACE and race.date == race_day
    assert [w["phase"] for w in result.as_dict()["weeks"]] == [p.value for p in phases]
    # the same request regenerated without resuming would start over with base weeks
    assert isinstance(result.plan.request, PlanRequest)
    again = generate_plan(replace(result.plan.request, start_date=result.start))
    assert again.weeks[0].phase is Phase.BASE
