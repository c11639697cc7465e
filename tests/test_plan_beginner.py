"""Couch to 5K (``--can-run-minutes``): the NHS progression, run/walk watch steps, the
closing time trial and the race plan it leads to."""

from __future__ import annotations

import datetime as dt
import json
import re
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
from garmin_fit_sdk import Decoder, Stream
from hypothesis import given, settings
from hypothesis import strategies as st

from stridelab.cli import main
from stridelab.errors import InputError
from stridelab.plans import BeginnerRequest, Plan, SessionKind, StepKind, Weekday, generate_plan
from stridelab.plans.beginner import C25K_WEEKS, start_week
from stridelab.plans.export import plan_markdown, write_fit_workouts
from stridelab.plans.model import Program, Session, Step

START = dt.date(2027, 1, 4)


def _runs(plan: Plan) -> list[Session]:
    return [s for s in plan.sessions if s.kind is not SessionKind.REST]


def _flat(steps: tuple[Step, ...]) -> list[tuple[StepKind, float]]:
    """(kind, seconds) of every step, repeats unrolled."""
    out: list[tuple[StepKind, float]] = []
    for step in steps:
        if step.kind is StepKind.REPEAT:
            out += _flat(step.steps) * step.repeat
        else:
            out.append((step.kind, step.duration_s))
    return out


def _longest_run_s(session: Session) -> float:
    return max(s for k, s in _flat(session.steps) if k is StepKind.ACTIVE)


def test_week_one_is_eight_one_minute_runs_and_week_nine_thirty_minutes() -> None:
    plan = generate_plan(BeginnerRequest(0, start_date=START))
    assert plan.program is Program.COUCH_TO_5K and len(plan.weeks) == 9
    first = _runs(plan)[0]
    assert first.kind is SessionKind.RUN_WALK
    assert _flat(first.steps) == [
        (StepKind.WARMUP, 300.0),
        *[(StepKind.ACTIVE, 60.0), (StepKind.RECOVERY, 90.0)] * 8,
        (StepKind.COOLDOWN, 300.0),
    ]
    (repeat,) = [s for s in first.steps if s.kind is StepKind.REPEAT]
    assert repeat.repeat == 8
    last_week = [s for s in plan.weeks[-1].sessions if s.kind is not SessionKind.REST]
    assert [_longest_run_s(s) for s in last_week[:2]] == [30 * 60.0, 30 * 60.0]
    trial = last_week[-1]
    assert trial.kind is SessionKind.TIME_TRIAL and trial.date == plan.goal.race_date
    assert [s.distance_m for s in trial.steps if s.kind is StepKind.ACTIVE] == [5000.0]
    # no pace targets anywhere: time-based, "a pace you could talk at"
    for session in _runs(plan):
        for step in session.steps:
            assert step.pace_fast_s_per_km is None and step.pace_slow_s_per_km is None


def test_longest_run_never_drops_and_three_runs_a_week_apart() -> None:
    plan = generate_plan(BeginnerRequest(0, start_date=START + dt.timedelta(days=2)))
    longest = [max(_longest_run_s(s) for s in _runs_of(w.sessions)) for w in plan.weeks]
    assert longest == sorted(longest) and longest[0] == 60.0 and longest[-1] >= 30 * 60.0
    for week in plan.weeks:
        days = [s.date for s in _runs_of(week.sessions)]
        assert len(days) == 3
        assert all((b - a).days > 1 for a, b in pairwise(days))


def _runs_of(sessions: tuple[Session, ...]) -> list[Session]:
    return [s for s in sessions if s.kind is not SessionKind.REST]


@pytest.mark.parametrize(
    ("minutes", "week"),
    [(0, 1), (1, 1), (2, 2), (3, 3), (5, 4), (19, 4), (20, 5), (28, 8), (30, 9)],
)
def test_start_week_matches_what_you_can_run(minutes: float, week: int) -> None:
    assert start_week(minutes) == week
    plan = generate_plan(BeginnerRequest(minutes, start_date=START))
    assert len(plan.weeks) == 10 - week
    # the first week asks for no longer a continuous run than you can do now (≥ 1 min)
    walk_runs = [s for s in plan.weeks[0].sessions if s.kind is SessionKind.RUN_WALK]
    first = max(_longest_run_s(s) for s in walk_runs)
    assert first <= max(60.0, minutes * 60.0)
    assert f"week {week}" in plan.weeks[0].summary


@settings(max_examples=25, deadline=None)
@given(
    minutes=st.floats(0, 30),
    offset=st.integers(0, 6),
    long_day=st.sampled_from(list(Weekday)),
    unavailable=st.sets(st.sampled_from(list(Weekday)), max_size=4),
)
def test_any_beginner_gets_the_progression_on_free_days(
    minutes: float, offset: int, long_day: Weekday, unavailable: set[Weekday]
) -> None:
    request = BeginnerRequest(
        minutes, START + dt.timedelta(days=offset), long_day, frozenset(unavailable)
    )
    plan = generate_plan(request)
    runs = _runs(plan)
    assert all(Weekday(s.date.weekday()) not in unavailable for s in runs)
    assert all(len(_runs_of(w.sessions)) == 3 for w in plan.weeks)
    assert all(len(w.sessions) == 7 for w in plan.weeks)
    assert runs[-1].kind is SessionKind.TIME_TRIAL
    for s in runs:
        assert s.total_duration_s == pytest.approx(sum(d for _, d in _flat(s.steps)))
    week_runs = [C25K_WEEKS[start_week(minutes) - 1 + k] for k in range(len(plan.weeks))]
    assert len(week_runs) == len(plan.weeks)


def test_json_text_and_markdown() -> None:
    plan = generate_plan(BeginnerRequest(2, start_date=START))
    data = json.loads(json.dumps(plan.as_dict(), allow_nan=False))
    assert data["program"] == "couch_to_5k"
    assert data["goal"]["vdot"] is None and data["goal"]["distance_m"] == 5000.0
    assert data["paces_s_per_km"] == {}
    assert data["baseline"]["family"] == "couch_to_5k"
    assert len(data["baseline"]["weeks"]) == len(data["weeks"])
    for week in data["weeks"]:
        for s in week["sessions"]:
            assert s["total_duration_s"] == pytest.approx(
                sum(step["duration_s"] for step in s["steps"]), abs=0.5
            )
    assert data["weeks"][-1]["sessions"][-1]["kind"] == "time_trial"
    assert any("--recent 5k=MM:SS" in n for n in data["notes"])
    text = plan_markdown(plan)
    assert text.startswith("# Training plan: Couch to 5K")
    assert "## Paces" not in text and "NHS" in text and "Run/walk 6 × 1:30/2:00" in text


def _decode(data: bytes) -> dict[str, Any]:
    messages, errors = Decoder(Stream.from_byte_array(bytearray(data))).read()
    assert errors == []
    return dict(messages)


def test_fit_workouts_are_run_walk_intervals(tmp_path: Path) -> None:
    plan = generate_plan(BeginnerRequest(0, start_date=START))
    paths = write_fit_workouts(plan, tmp_path)
    assert len(paths) == len(_runs(plan)) == 27
    messages = _decode(paths[0].read_bytes())
    assert messages["workout_mesgs"][0]["wkt_name"] == "Tue 05 Jan · RW 8 × 1:00/1:30"
    steps = messages["workout_step_mesgs"]
    assert [(s["intensity"], s.get("duration_time")) for s in steps[:3]] == [
        ("warmup", 300.0),
        ("active", 60.0),
        ("recovery", 90.0),
    ]
    repeat = steps[3]
    assert repeat["duration_type"] == "repeat_until_steps_cmplt"
    assert (repeat["duration_step"], repeat["repeat_steps"]) == (1, 8)
    assert all(s["target_type"] == "open" for s in steps if "target_type" in s)
    trial = _decode(paths[-1].read_bytes())["workout_step_mesgs"]
    assert [s["duration_type"] for s in trial] == ["time", "distance", "time"]
    assert trial[1]["duration_distance"] == 5000.0


def test_time_trial_result_switches_to_a_vdot_plan(capsys: pytest.CaptureFixture[str]) -> None:
    """The command the plan prints, filled in with a result, plans a race with paces."""
    assert main(["plan", "--can-run-minutes", "30", "--start", "2027-01-04", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    note = next(n for n in data["notes"] if "--recent 5k=MM:SS" in n)
    command = re.search(r"stridelab (plan .*?\d+) \(", note).group(1)  # type: ignore[union-attr]
    race_day = dt.date.fromisoformat(data["goal"]["race_date"]) + dt.timedelta(weeks=14)
    filled = command.replace("MM:SS", "34:30").replace("YYYY-MM-DD", race_day.isoformat())
    args = [*filled.split()[0:], "--start", "2027-01-18", "--json"]
    assert main(args) == 0
    race = json.loads(capsys.readouterr().out)
    assert race["program"] == "race" and 25 < race["goal"]["vdot"] < 30
    assert race["weeks"][-1]["sessions"][-1]["kind"] == "race"


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--can-run-minutes", "5", "--recent", "5k=30:00"], "does not use --recent"),
        (["--can-run-minutes", "5", "--goal", "10k"], "not a 5K"),
        (["--can-run-minutes", "5", "--days-per-week", "4"], "3 days a week"),
        (["--can-run-minutes", "45"], "already run 45 minutes"),
        (["--can-run-minutes", "-1"], "not a running time"),
        (["--goal", "5k"], "needs --race-date, --days-per-week"),
    ],
)
def test_cli_refusals_are_one_line(
    args: list[str], words: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["plan", *args]) == 2
    err = capsys.readouterr().err
    assert words in err and "Traceback" not in err


def test_too_few_free_days_is_refused() -> None:
    with pytest.raises(InputError, match="3 running days"):
        BeginnerRequest(5, START, unavailable_weekdays=frozenset(list(Weekday)[:5]))


def test_cli_table(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["plan", "--can-run-minutes", "0", "--start", "2027-01-04"]) == 0
    out = capsys.readouterr().out
    assert "Couch to 5K" in out and "C25K week 1" in out and "TT" in out
