"""Replan: the remaining weeks follow what was run, past weeks stay, safety rules hold."""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import json
from pathlib import Path

import pytest

from stridelab.cli import main
from stridelab.coach.accounts import Role, create_account
from stridelab.coach.dashboard import replan_advice, today_view
from stridelab.coach.db import open_coach
from stridelab.coach.matching import WeekCompliance
from stridelab.coach.planning import PlanOrigin, active_plan, create_plan
from stridelab.coach.profile import DEFAULT_PROFILE, load_profile, save_profile
from stridelab.coach.replan import replan
from stridelab.coach.runs import import_file, list_runs
from stridelab.coach.sample import sample_plan_request
from stridelab.errors import InputError, NotFoundError
from stridelab.plans.model import (
    MAX_WEEKLY_RAMP,
    Phase,
    PlanRequest,
    RecentRace,
    SessionKind,
)
from stridelab.store import Database
from web_support import TODAY, run_fit


@pytest.fixture()
def db(tmp_path: Path, coach_db: Database) -> Database:
    """A store with the sample plan started three weeks ago and about 3 × 7 km a week run."""
    path = coach_db
    started = TODAY - dt.timedelta(weeks=3)
    create_plan(path, 1, sample_plan_request(started), started, PlanOrigin.SAMPLE)
    for i, days_ago in enumerate((3, 5, 8, 10, 12, 15, 17, 19, 22)):
        start = dt.datetime.combine(TODAY - dt.timedelta(days=days_ago), dt.time(7), tzinfo=dt.UTC)
        file = tmp_path / f"r{i}.fit"
        file.write_bytes(run_fit(start, 7000.0, 330.0, seed=i))
        import_file(path, 1, file)
    return path


def test_replan_builds_on_what_was_run(db: Database) -> None:
    old = active_plan(db, 1)
    assert old is not None
    result = replan(db, 1, DEFAULT_PROFILE, TODAY)
    new = result.plan.plan
    assert result.start == dt.date(2026, 11, 30)
    kept = [w for w in new.weeks if w.start < result.start]
    assert kept == [w for w in old.plan.weeks if w.start < result.start]
    assert new.goal.race_date == old.plan.goal.race_date
    assert new.weeks[-1].sessions[-1].kind is SessionKind.RACE
    future = [w for w in new.weeks if w.start >= result.start]
    assert isinstance(result.plan.request, PlanRequest)
    previous = result.plan.request.current_weekly_m  # what was actually run per week
    assert previous == pytest.approx(8 * 7000 / 3, rel=0.01)  # 8 runs in the 3 full weeks
    for week in future:
        training = week.training_distance_m
        assert training <= previous * (1 + MAX_WEEKLY_RAMP) + 1.0
        previous = max(previous, training) if week.phase is not Phase.TAPER else previous
    assert any("18.7 km a week" in r for r in result.reasons)
    assert any("missed" in r for r in result.reasons)
    assert result.weeks[0]["old_distance_m"] is not None
    assert active_plan(db, 1).origin is PlanOrigin.REPLANNED  # type: ignore[union-attr]


def _week(start: dt.date, planned_km: float, done_km: float) -> WeekCompliance:
    return WeekCompliance(
        start, Phase.BASE, planned_km * 1000, planned_km * 1000, done_km * 1000, 3, 3, 0
    )


def test_replan_advice_after_two_weeks_off_the_plan() -> None:
    monday = dt.date(2026, 11, 23)
    weeks = [_week(monday - dt.timedelta(weeks=n), 25, done) for n, done in ((2, 12), (1, 14))]
    advice = replan_advice(weeks, TODAY)
    assert advice is not None and "52%" in advice and "less than the plan assumes" in advice
    more = [_week(monday - dt.timedelta(weeks=n), 20, 30) for n in (2, 1)]
    assert "more than" in (replan_advice(more, TODAY) or "")
    assert replan_advice([_week(monday - dt.timedelta(weeks=1), 25, 5)], TODAY) is None
    on_plan = [_week(monday - dt.timedelta(weeks=n), 25, 24) for n in (2, 1)]
    assert replan_advice(on_plan, TODAY) is None


def test_advice_only_counts_weeks_since_the_last_replan(db: Database) -> None:
    assert today_view(db, 1, DEFAULT_PROFILE, TODAY)["advice"] is None  # 84%: on plan
    result = replan(db, 1, DEFAULT_PROFILE, TODAY)
    assert result.plan.replanned_from == dt.date(2026, 11, 30)
    assert today_view(db, 1, DEFAULT_PROFILE, TODAY)["advice"] is None


def test_a_new_race_result_changes_paces(db: Database) -> None:
    before = replan(db, 1, DEFAULT_PROFILE, TODAY).plan.plan.goal.vdot
    faster = replan(db, 1, DEFAULT_PROFILE, TODAY, race_result=RecentRace(5000, 21 * 60))
    assert before is not None and faster.plan.plan.goal.vdot is not None
    assert faster.plan.plan.goal.vdot > before + 3
    assert any("VDOT" in line for line in faster.changes)


def test_replan_without_a_plan(coach_db: Database) -> None:
    with pytest.raises(NotFoundError):
        replan(coach_db, 1, DEFAULT_PROFILE, TODAY)


def test_cli_replan_json(db: Database, capsys: pytest.CaptureFixture[str]) -> None:
    day = TODAY.isoformat()
    args = ["replan", "--db", str(db.path), "--race", "5k=22:30", "--today", day, "--json"]
    assert main(args) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["reasons"] and out["changes"] and out["weeks"]
    assert out["from"] == _next_monday(TODAY)


def _next_monday(day: dt.date) -> str:
    return (day + dt.timedelta(days=(7 - day.weekday()) % 7)).isoformat()


def test_cli_takes_today_from_the_environment(
    db: Database, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("STRIDELAB_TODAY", TODAY.isoformat())
    assert main(["replan", "--db", str(db.path), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["from"] == _next_monday(TODAY)
    monkeypatch.setenv("STRIDELAB_TODAY", "0001-01-01")
    assert main(["replan", "--db", str(db.path), "--json"]) == 2
    assert "1990-01-01 to 2199-12-31" in capsys.readouterr().err


def test_cli_account_add_and_refusal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "s.db"
    assert main(["serve", "--db", str(path), "--host", "0.0.0.0", "--no-sample"]) == 2
    assert "refusing to serve" in capsys.readouterr().err
    monkeypatch.setenv("STRIDELAB_PASSWORD", "long enough password")
    assert main(["account", "add", "ada", "--db", str(path)]) == 0
    assert main(["account", "add", "x", "--role", "admin", "--db", str(path)]) == 2
    with pytest.raises(Exception, match="taken"), open_coach(path) as db:
        create_account(db, "ada", "long enough password", Role.ATHLETE)


def test_cli_demo_shows_a_living_sample(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "fresh" / "demo.db"  # a brand-new data folder
    assert main(["demo", "--db", str(path), "--today", TODAY.isoformat()]) == 0
    out = " ".join(capsys.readouterr().out.split())  # rich wraps long lines
    assert "Plan: 10k on" in out and "weeks from" in out and "template" in out
    assert "Next session: 2026-11-27" in out and "Butt kicks" in out
    assert "Last run: " in out and "bpm" in out and "spm" in out and "contact" in out
    assert "Insight:" in out and "fitness (CTL)" in out and "http://127.0.0.1:8000/" in out
    later = (TODAY + dt.timedelta(days=1)).isoformat()
    assert main(["demo", "--db", str(path), "--today", later, "--port", "8123", "--json"]) == 0
    overview = json.loads(capsys.readouterr().out)
    assert overview["url"] == "http://127.0.0.1:8123/"
    assert overview["fitness"]["ctl"] > 10 and overview["week"]["runs"] >= 1
    assert overview["plan"]["template_distance_m"] >= overview["plan"]["total_distance_m"]
    assert overview["last_run"]["insight"]["title"]


def test_run_days_fall_in_the_runners_time_zone(tmp_path: Path, coach_db: Database) -> None:
    path = coach_db
    file = tmp_path / "late.fit"  # 05:30 UTC on 1 March: still 28 February in Denver
    file.write_bytes(run_fit(dt.datetime(2027, 3, 1, 5, 30, tzinfo=dt.UTC), 5000.0))
    import_file(path, 1, file)
    pace = DEFAULT_PROFILE.threshold_pace_s_per_km
    days = {}
    for name in ("America/Denver", "Asia/Tokyo"):
        profile = save_profile(path, 1, dataclasses.replace(DEFAULT_PROFILE, timezone=name))
        assert load_profile(path, 1).timezone == name
        (run,) = list_runs(path, 1, pace, zone=profile.zone)
        days[name] = run.day
    assert days == {"America/Denver": dt.date(2027, 2, 28), "Asia/Tokyo": dt.date(2027, 3, 1)}
    with pytest.raises(InputError, match="IANA"):
        save_profile(path, 1, dataclasses.replace(DEFAULT_PROFILE, timezone="Mars/Olympus"))


@pytest.mark.parametrize("race_shift_days", range(7))
def test_replan_joins_the_week_that_holds_its_start(
    coach_db: Database, race_shift_days: int
) -> None:
    """Weeks run to the race's weekday: for a race on any day but Sunday the week holding
    the replan's Monday began before it. Its past days stay, its later days are the new
    plan's, and no day is planned twice."""
    started = TODAY - dt.timedelta(weeks=3)
    request = sample_plan_request(started)
    request = dataclasses.replace(
        request, race_date=request.race_date + dt.timedelta(days=race_shift_days)
    )
    create_plan(coach_db, 1, request, started, PlanOrigin.SAMPLE)
    old = active_plan(coach_db, 1)
    assert old is not None
    result = replan(coach_db, 1, DEFAULT_PROFILE, TODAY)
    stored = active_plan(coach_db, 1)
    assert stored is not None and stored.id == result.plan.id
    new = stored.plan
    days = [s.date for s in new.sessions]
    assert len(days) == len(set(days)), "a day is planned twice"
    starts = [w.start for w in new.weeks]
    assert all(b - a >= dt.timedelta(days=7) for a, b in itertools.pairwise(starts))
    past = [s for s in old.plan.sessions if s.date < result.start]
    assert [s for s in new.sessions if s.date < result.start] == past
    assert new.sessions[-1].kind is SessionKind.RACE and days[-1] == request.race_date
    ids = [t.id for t in stored.tracked.sessions()]
    assert len(ids) == len(set(ids))
