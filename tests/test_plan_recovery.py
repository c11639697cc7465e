"""Masters and returning runners (``--age``, ``--returning``): longer recovery, volume
before intensity, notes that say what is convention, validation, the stored request."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cli_support import PLAN_ARGS
from stridelab.cli import main
from stridelab.errors import InputError
from stridelab.plans import Phase, Plan, PlanRequest, RecentRace, SessionKind, Week, generate_plan
from stridelab.plans.explain import ordinal
from stridelab.plans.parse import parse_age, parse_flag, plan_request
from stridelab.plans.recovery import (
    MASTERS_AGE_YEARS,
    RETURNING_EASY_WEEKS,
    RETURNING_NOT_YET,
    limit_returning_kinds,
)
from stridelab.plans.volume import CUTBACK_EVERY_WEEKS, CUTBACK_EVERY_WEEKS_RECOVERY

START = dt.date(2027, 1, 4)
#: Faster than threshold pace for the runners below (a 5K goal from a 24:30 5K).
_HARD = RETURNING_NOT_YET | {SessionKind.RACE_PACE}


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


@pytest.fixture(scope="module")
def sharp_runner() -> PlanRequest:
    """A 5K in six weeks by a runner who does quality now: without ``returning``, hills,
    repetitions and intervals fill the first three weeks."""
    return PlanRequest(
        goal_distance_m=5_000.0,
        race_date=START + dt.timedelta(weeks=6, days=-1),
        days_per_week=5,
        current_weekly_m=40_000.0,
        recent_race=RecentRace(5_000.0, 22 * 60),
        start_date=START,
        current_quality_per_week=2,
    )


def _full(plan: Plan) -> list[Week]:
    return [w for w in plan.weeks if not w.lead_in]


def _cutbacks(plan: Plan) -> list[int]:
    return [i for i, w in enumerate(_full(plan)) if w.cutback]


def _peak(plan: Plan) -> int:
    weeks = _full(plan)
    return max(i for i, w in enumerate(weeks) if w.phase not in (Phase.TAPER, Phase.RACE))


def _kinds(weeks: list[Week]) -> set[SessionKind]:
    return {s.kind for w in weeks for s in w.sessions}


@pytest.mark.parametrize(
    ("age", "returning", "every"),
    [
        (None, False, CUTBACK_EVERY_WEEKS),
        (MASTERS_AGE_YEARS - 1, False, CUTBACK_EVERY_WEEKS),
        (MASTERS_AGE_YEARS, False, CUTBACK_EVERY_WEEKS_RECOVERY),
        (72, False, CUTBACK_EVERY_WEEKS_RECOVERY),
        (30, True, CUTBACK_EVERY_WEEKS_RECOVERY),
    ],
)
def test_cutbacks_every_third_week_from_the_start(
    runner: PlanRequest, age: int | None, returning: bool, every: int
) -> None:
    """Counted from the first full week, never in the first two, never the peak."""
    plan = generate_plan(replace(runner, age_years=age, returning=returning))
    cutbacks = _cutbacks(plan)
    assert cutbacks == list(range(every - 1, _peak(plan), every))
    assert cutbacks and min(cutbacks) >= 2
    noted = any("every 3rd week" in n for n in plan.notes)
    assert noted is (every == CUTBACK_EVERY_WEEKS_RECOVERY)


def test_notes_explain_each_change_and_say_it_is_convention(runner: PlanRequest) -> None:
    masters = generate_plan(replace(runner, age_years=58))
    (note,) = masters.notes
    assert "you are 58" in note and "convention" in note and "age threshold" in note
    back = generate_plan(replace(runner, returning=True))
    cutback, easy = back.notes
    assert "break or injury" in cutback and "age threshold" not in cutback
    assert "convention" in cutback
    assert f"first {RETURNING_EASY_WEEKS} full weeks" in easy and "convention" in easy
    assert "no hills, intervals or repetitions" in easy
    assert generate_plan(replace(runner, age_years=35)).notes == ()


def test_returning_runner_gets_no_hard_fast_work_in_the_first_weeks(
    sharp_runner: PlanRequest,
) -> None:
    """Hills, intervals, repetitions and 5K race pace wait; strides and threshold stay."""
    usual = _full(generate_plan(sharp_runner))
    assert _kinds(usual[:RETURNING_EASY_WEEKS]) & _HARD  # the rule has something to remove
    back = _full(generate_plan(replace(sharp_runner, returning=True)))
    first = back[:RETURNING_EASY_WEEKS]
    assert not _kinds(first) & _HARD
    assert SessionKind.STRIDES in _kinds(first)
    for week in first:  # at most one threshold-type session a week
        hard = [s for s in week.sessions if s.kind in (SessionKind.THRESHOLD, SessionKind.TEMPO)]
        assert len(hard) <= 1
    # The runner's quality days are kept (strides or threshold in their place), and the
    # usual work comes back afterwards.
    for old, new in zip(usual[:RETURNING_EASY_WEEKS], first, strict=True):
        assert sum(s.is_quality for s in new.sessions) == sum(s.is_quality for s in old.sessions)
    assert _kinds(back[RETURNING_EASY_WEEKS:]) & _HARD


def test_limit_returning_kinds() -> None:
    k = SessionKind
    assert limit_returning_kinds((k.HILLS, k.REPETITIONS), True, True) == (k.STRIDES, k.STRIDES)
    assert limit_returning_kinds((k.INTERVALS, k.THRESHOLD), False, True) == (
        k.THRESHOLD,
        k.STRIDES,
    )
    assert limit_returning_kinds((k.RACE_PACE, k.STRIDES), False, True) == (
        k.THRESHOLD,
        k.STRIDES,
    )
    # Half-marathon race pace is slower than threshold: it stays.
    assert limit_returning_kinds((k.RACE_PACE, k.THRESHOLD), False, False) == (
        k.RACE_PACE,
        k.THRESHOLD,
    )


@settings(max_examples=15, deadline=None)
@given(
    goal_m=st.sampled_from([5_000.0, 10_000.0, 21_097.5]),
    days=st.integers(3, 6),
    weekly_km=st.integers(20, 60),
    quality=st.integers(0, 2),
    age=st.one_of(st.none(), st.integers(10, 100)),
    returning=st.booleans(),
)
def test_recovery_rules_over_random_runners(
    goal_m: float, days: int, weekly_km: int, quality: int, age: int | None, returning: bool
) -> None:
    request = PlanRequest(
        goal_distance_m=goal_m,
        race_date=START + dt.timedelta(weeks=20, days=-1),
        days_per_week=days,
        current_weekly_m=weekly_km * 1000.0,
        recent_race=RecentRace(5_000.0, 25 * 60),
        start_date=START,
        current_quality_per_week=min(quality, days - 2),
        age_years=age,
        returning=returning,
    )
    plan = generate_plan(request)
    slower = returning or (age is not None and age >= MASTERS_AGE_YEARS)
    every = CUTBACK_EVERY_WEEKS_RECOVERY if slower else CUTBACK_EVERY_WEEKS
    assert _cutbacks(plan) == list(range(every - 1, _peak(plan), every))
    if returning:
        first = _full(plan)[:RETURNING_EASY_WEEKS]
        assert not _kinds(first) & RETURNING_NOT_YET
        assert plan.notes
    assert PlanRequest.from_dict(json.loads(json.dumps(request.as_dict()))) == request


def test_request_round_trips_through_json(runner: PlanRequest) -> None:
    request = replace(runner, age_years=61, returning=True)
    data = json.loads(json.dumps(request.as_dict()))
    assert data["age_years"] == 61 and data["returning"] is True
    assert PlanRequest.from_dict(data) == request
    old = {k: v for k, v in runner.as_dict().items() if k not in ("age_years", "returning")}
    loaded = PlanRequest.from_dict(old)  # stored before the fields existed
    assert loaded.age_years is None and loaded.returning is False and loaded == runner
    assert PlanRequest.from_dict(data, returning=False).returning is False


@pytest.mark.parametrize("age", [9, 101, -5, 52.5, float("nan")])
def test_age_outside_the_range_is_refused(runner: PlanRequest, age: float) -> None:
    with pytest.raises(InputError, match="age") as info:
        replace(runner, age_years=age)
    assert "10 to 100 years" in str(info.value.hint)


@pytest.mark.parametrize(
    ("text", "age"), [("", None), (None, None), (" 52 ", 52), ("52.0", 52), ("10", 10)]
)
def test_parse_age(text: str | None, age: int | None) -> None:
    assert parse_age(text) == age


@pytest.mark.parametrize("text", ["fifty", "52.5", "9", "101"])
def test_parse_age_refuses(text: str) -> None:
    with pytest.raises(InputError, match=r"[Aa]ge"):
        parse_age(text)


def test_parse_flag() -> None:
    assert [parse_flag(t) for t in ("1", "yes", "on", "true", "", None, "0", "no")] == [
        True,
        True,
        True,
        True,
        False,
        False,
        False,
        False,
    ]


def test_plan_request_from_text_carries_age_and_returning() -> None:
    request = plan_request(
        goal="10k",
        race_date="2027-04-18",
        days_per_week=4,
        current_weekly_km=25,
        recent="5k=24:30",
        start="2027-01-04",
        age=55,
        returning=True,
    )
    assert request.age_years == 55 and request.returning


EXAMPLE = [*PLAN_ARGS, "--current-weekly-km", "25"]


def test_cli_age_and_returning(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([*EXAMPLE, "--age", "55", "--returning", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    cutbacks = [w["index"] for w in data["weeks"] if w["cutback"]]
    assert cutbacks[:2] == [2, 5]
    assert any("break or injury" in n for n in data["notes"])
    assert any("you are 55" in n for n in data["notes"])
    assert main([*EXAMPLE, "--age", "55"]) == 0
    assert "every 3rd week" in capsys.readouterr().out


@pytest.mark.parametrize("value", ["9", "101", "fifty", "52.5"])
def test_cli_age_refusal_is_one_line(value: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([*EXAMPLE, "--age", value]) == 2
    err = capsys.readouterr().err
    assert "--age" in err and "10 to 100" in err and "Traceback" not in err


@pytest.mark.parametrize("extra", [["--age", "60"], ["--returning"]])
def test_couch_to_5k_refuses_age_and_returning(
    extra: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    """Couch to 5K does not use them: silently ignoring them would mislead."""
    assert main(["plan", "--can-run-minutes", "5", "--start", "2027-01-04", *extra]) == 2
    assert f"does not use {extra[0]}" in capsys.readouterr().err


def test_cutback_weeks_name_their_cycle(runner: PlanRequest) -> None:
    plan = generate_plan(replace(runner, returning=True))
    texts = [w.explanation for w in plan.weeks if w.cutback]
    assert texts and all("every 3rd week" in t for t in texts)
    assert [ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 103)] == [
        "1st",
        "2nd",
        "3rd",
        "4th",
        "11th",
        "12th",
        "13th",
        "21st",
        "22nd",
        "103rd",
    ]


def test_replan_after_the_easy_weeks_does_not_repeat_them(sharp_runner: PlanRequest) -> None:
    """A replan four weeks into a returning runner's plan: the easy weeks are behind, so the
    hard work is back from the first new week and the note says why; two weeks in, one
    easy week is left."""
    from stridelab.plans.generator import PhaseResume

    back = replace(sharp_runner, returning=True)
    later = generate_plan(back, resume=PhaseResume(Phase.BUILD, 1, plan_weeks_done=4))
    assert _kinds(_full(later)[:1]) & _HARD
    assert any("are behind you" in n for n in later.notes)
    sooner = generate_plan(back, resume=PhaseResume(Phase.BUILD, 1, plan_weeks_done=2))
    assert not _kinds(_full(sooner)[:1]) & _HARD
    assert any("the first 1 full weeks" in n for n in sooner.notes)
