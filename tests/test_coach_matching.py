"""Plan versus actual: matching runs to sessions, statuses and weekly compliance."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stridelab.coach.matching import (
    MatchStatus,
    RunKind,
    RunSummary,
    infer_kind,
    match_plan,
    weekly_compliance,
)
from stridelab.coach.planning import SessionStatus, TrackedPlan
from stridelab.plans.model import Goal, Phase, Plan, Session, SessionKind, Week

MONDAY = dt.date(2026, 11, 23)
THRESHOLD = 270.0


def _plan(weeks: int = 2) -> TrackedPlan:
    """Tue tempo 8 km, Thu easy 6 km, Sun long 14 km, rest otherwise."""
    kinds = {1: (SessionKind.TEMPO, 8000.0), 3: (SessionKind.EASY, 6000.0)}
    kinds[6] = (SessionKind.LONG, 14000.0)
    plan_weeks = []
    for w in range(weeks):
        start = MONDAY + dt.timedelta(weeks=w)
        sessions = []
        for d in range(7):
            kind, distance = kinds.get(d, (SessionKind.REST, 0.0))
            day = start + dt.timedelta(days=d)
            sessions.append(Session(day, kind, distance, 0.0, kind.value, ""))
        plan_weeks.append(Week(w, start, Phase.BASE, False, 28000.0, 14000.0, tuple(sessions), ""))
    race_day = MONDAY + dt.timedelta(weeks=weeks + 4)
    goal = Goal(10_000.0, race_day, 45.0, 2900.0)
    return TrackedPlan.new(Plan(goal, tuple(plan_weeks), {}, 0.0, 0.1))


def _skip(plan: TrackedPlan, week: int, session: int) -> TrackedPlan:
    marks = [list(m) for m in plan.marks]
    marks[week][session] = dataclasses.replace(marks[week][session], status=SessionStatus.SKIPPED)
    return dataclasses.replace(plan, marks=tuple(tuple(m) for m in marks))


def _run(run_id: str, day: dt.date, km: float, pace: float = 330.0) -> RunSummary:
    return RunSummary(run_id, day, km * 1000, km * pace)


def test_runs_match_by_date_then_kind() -> None:
    plan = _plan(1)
    runs = [
        _run("tempo", MONDAY + dt.timedelta(days=1), 8.2, 260.0),
        _run("easy-late", MONDAY + dt.timedelta(days=4), 6.0),  # Thursday's run, a day late
        _run("long-short", MONDAY + dt.timedelta(days=6), 9.0),
        _run("extra", MONDAY + dt.timedelta(days=2), 3.0),  # unplanned Wednesday jog
    ]
    today = MONDAY + dt.timedelta(days=6)
    matches, unplanned = match_plan(plan, runs, today, THRESHOLD)
    by_kind = {m.kind: m for m in matches if m.kind != "rest"}
    assert by_kind["tempo"].run_id == "tempo" and by_kind["tempo"].status is MatchStatus.DONE
    assert by_kind["easy"].run_id == "easy-late"
    assert by_kind["long"].status is MatchStatus.SHORTER
    assert [r.id for r in unplanned] == ["extra"]
    week = weekly_compliance(plan, matches, unplanned, today)[0]
    assert week.planned_m == 28000.0
    assert week.sessions_due == 3 and week.sessions_done == 3
    assert week.done_m == sum(r.distance_m for r in runs)


def test_missed_upcoming_and_skipped() -> None:
    plan = _skip(_plan(1), 0, 3)  # Thursday easy
    today = MONDAY + dt.timedelta(days=4)
    matches, _ = match_plan(plan, [], today, THRESHOLD)
    status = {m.kind: m.status for m in matches if m.kind != "rest"}
    assert status == {
        "tempo": MatchStatus.MISSED,
        "easy": MatchStatus.SKIPPED,
        "long": MatchStatus.UPCOMING,
    }
    week = weekly_compliance(plan, matches, [], today)[0]
    assert week.sessions_due == 1 and week.distance_ratio == 0.0


def test_infer_kind() -> None:
    assert infer_kind(_run("a", MONDAY, 8, 260.0), THRESHOLD, 14000) is RunKind.QUALITY
    assert infer_kind(_run("b", MONDAY, 12, 340.0), THRESHOLD, 14000) is RunKind.LONG
    assert infer_kind(_run("c", MONDAY, 6, 340.0), THRESHOLD, 14000) is RunKind.EASY


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(-2, 16), st.floats(1.0, 30.0), st.floats(200.0, 450.0)),
        max_size=25,
    ),
    st.integers(0, 16),
)
def test_each_run_serves_at_most_one_session(
    raw: list[tuple[int, float, float]], today_offset: int
) -> None:
    plan = _plan(2)
    runs = [
        _run(f"r{i}", MONDAY + dt.timedelta(days=d), km, pace)
        for i, (d, km, pace) in enumerate(raw)
    ]
    today = MONDAY + dt.timedelta(days=today_offset)
    matches, unplanned = match_plan(plan, runs, today, THRESHOLD)
    used = [m.run_id for m in matches if m.run_id is not None]
    assert len(used) == len(set(used))
    assert len(used) + len(unplanned) == len(runs)
    assert len(matches) == sum(len(w.sessions) for w in plan.weeks)
    for m in matches:
        if m.run_id is not None:
            run = next(r for r in runs if r.id == m.run_id)
            assert abs((run.day - m.day).days) <= 1
    total_done = sum(w.done_m for w in weekly_compliance(plan, matches, unplanned, today))
    end = MONDAY + dt.timedelta(weeks=2)
    expected = sum(r.distance_m for r in runs if r.id in used) + sum(
        r.distance_m for r in unplanned if MONDAY <= r.day < end
    )
    assert abs(total_done - expected) < 1e-6


def test_sessions_before_the_plan_was_made_are_not_due() -> None:
    plan = dataclasses.replace(_plan(), due_from=MONDAY + dt.timedelta(days=3))  # a Thursday
    today = MONDAY + dt.timedelta(days=5)
    runs = [_run("a", MONDAY + dt.timedelta(days=3), 6.0)]  # Thursday's easy run
    matches, _ = match_plan(plan, runs, today, THRESHOLD)
    by_day = {m.day: m for m in matches if m.kind != "rest"}
    assert by_day[MONDAY + dt.timedelta(days=1)].status is MatchStatus.NOT_DUE  # not "missed"
    assert by_day[MONDAY + dt.timedelta(days=3)].status is MatchStatus.DONE
    week = weekly_compliance(plan, matches, [], today)[0]
    assert week.sessions_due == 1 and week.due_m == 6000.0  # Tuesday's tempo is not counted
    assert week.distance_ratio == 1.0
    without = _plan()  # no due_from: an old plan keeps the old rule
    old_matches, _ = match_plan(without, runs, today, THRESHOLD)
    assert any(m.status is MatchStatus.MISSED for m in old_matches)


def test_a_run_before_the_plan_was_made_still_counts() -> None:
    plan = dataclasses.replace(_plan(), due_from=MONDAY + dt.timedelta(days=3))
    runs = [_run("t", MONDAY + dt.timedelta(days=1), 8.0, pace=280.0)]
    matches, _ = match_plan(plan, runs, MONDAY + dt.timedelta(days=4), THRESHOLD)
    tuesday = next(m for m in matches if m.kind == "tempo" and m.day.weekday() == 1)
    assert tuesday.status is MatchStatus.DONE and tuesday.run_id == "t"


def test_a_run_belongs_to_the_runners_local_day(monkeypatch: pytest.MonkeyPatch) -> None:
    """An evening run in California is stored at 02:00 UTC the next day; plans, weeks and
    load count it on the evening it was run (the app runs in the runner's time zone)."""
    import time

    from stridelab.coach.runs import RunRow

    run = RunRow(
        id=1,
        name="evening run",
        sport="running",
        start=dt.datetime(2026, 11, 27, 2, 0, tzinfo=dt.UTC),
        distance_m=8000.0,
        timer_time_s=2700.0,
        avg_hr_bpm=None,
        avg_cadence_spm=None,
        avg_ground_contact_ms=None,
        training_load=None,
        load_method=None,
        notes="",
    )
    monkeypatch.setenv("TZ", "America/Los_Angeles")
    time.tzset()
    try:
        assert run.day == dt.date(2026, 11, 26)
        summary = run.summary()
        assert summary is not None and summary.day == dt.date(2026, 11, 26)
        monkeypatch.setenv("TZ", "Asia/Tokyo")
        time.tzset()
        # A row works its day out once; rows are read per request, so a new one is built.
        assert dataclasses.replace(run).day == dt.date(2026, 11, 27)
    finally:
        monkeypatch.undo()
        time.tzset()
