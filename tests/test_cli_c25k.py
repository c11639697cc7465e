"""Couch to 5K lived with day by day: ``plan --can-run-minutes N --save``, ``today`` shows
its run/walk session, ``replan`` says what to do instead, and the web pages hold it."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from stridelab.cli import main
from stridelab.cli.clock import TODAY_ENV
from stridelab.errors import InputError
from stridelab.plans.beginner import BeginnerRequest
from stridelab.plans.model import PlanRequest, Weekday
from web_support import TestClient, csrf_headers, make_app

C25K = ["plan", "--can-run-minutes", "0", "--start", "2027-01-04"]


@pytest.fixture()
def saved(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[Path, dict]:
    """A Couch to 5K plan saved in a store under ``tmp_path``, and its JSON."""
    db = tmp_path / "coach.db"
    assert main([*C25K, "--save", "--db", str(db), "--json"]) == 0
    return db, json.loads(capsys.readouterr().out)


def _sessions(plan: dict) -> dict[str, dict]:
    return {s["date"]: s for w in plan["weeks"] for s in w["sessions"]}


def test_save_stores_the_plan_and_today_shows_its_run_walk(
    saved: tuple[Path, dict], capsys: pytest.CaptureFixture[str]
) -> None:
    db, plan = saved
    assert plan["program"] == "couch_to_5k"
    by_date = _sessions(plan)
    runs = sorted(d for d, s in by_date.items() if s["kind"] == "run_walk")
    trial = next(d for d, s in by_date.items() if s["kind"] == "time_trial")
    for day in (runs[0], runs[-1], trial):
        assert main(["today", "--db", str(db), "--date", day, "--json"]) == 0
        view = json.loads(capsys.readouterr().out)
        assert view["session"] | by_date[day] == view["session"]  # plus the store's id, status
        assert view["week"]["summary"].startswith("C25K week") and "sessions" not in view["week"]
    assert main(["today", "--db", str(db), "--date", runs[0]]) == 0
    out = capsys.readouterr().out
    assert "Run/walk 8 × 1:00/1:30" in out and "8 × (active 1:00" in out
    rest = next(d for d, s in by_date.items() if s["kind"] == "rest")
    assert main(["today", "--db", str(db), "--date", rest, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["session"]["kind"] == "rest"


def test_today_takes_the_day_from_the_environment(
    saved: tuple[Path, dict], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    db, plan = saved
    first = plan["weeks"][0]["sessions"][1]  # Tuesday 2027-01-05: a run/walk
    monkeypatch.setenv(TODAY_ENV, first["date"])
    assert main(["today", "--db", str(db), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["session"]["kind"] == first["kind"]


def test_the_saved_message_and_the_stored_request(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "coach.db"
    assert main([*C25K, "--save", "--db", str(db)]) == 0
    assert "saved as your current plan" in capsys.readouterr().out
    from stridelab.coach.db import DEFAULT_ATHLETE_ID, open_coach
    from stridelab.coach.planning import active_plan

    with open_coach(db) as database:
        stored = active_plan(database, DEFAULT_ATHLETE_ID)
    assert stored is not None
    assert stored.request.as_dict()["program"] == "couch_to_5k"
    assert stored.request == BeginnerRequest(0.0, dt.date(2027, 1, 4), Weekday.SUN)


def test_replan_says_what_to_do_instead(
    saved: tuple[Path, dict], capsys: pytest.CaptureFixture[str]
) -> None:
    db, _ = saved
    assert main(["replan", "--db", str(db), "--today", "2027-01-13"]) == 2
    err = capsys.readouterr().err
    assert "Couch to 5K plans follow fixed weeks" in err
    assert "--recent 5k=" in err and "Traceback" not in err


def test_a_race_plan_after_the_time_trial_replaces_it(
    saved: tuple[Path, dict], capsys: pytest.CaptureFixture[str]
) -> None:
    db, _ = saved
    race = [
        "plan",
        "--goal",
        "5k",
        "--race-date",
        "2027-06-27",
        "--recent",
        "5k=34:00",
        "--days-per-week",
        "3",
        "--current-weekly-km",
        "12",
        "--start",
        "2027-03-08",
        "--save",
        "--db",
        str(db),
    ]
    assert main(race) == 0
    capsys.readouterr()
    assert main(["today", "--db", str(db), "--date", "2027-06-27", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["session"]["kind"] == "race"


def test_db_without_save_is_still_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``--db`` feeds a race plan's fitness; a Couch to 5K plan only uses it to save."""
    assert main([*C25K, "--db", str(tmp_path / "coach.db")]) == 2
    assert "--db without --save" in capsys.readouterr().err
    assert not (tmp_path / "coach.db").exists()


def test_beginner_request_round_trip() -> None:
    request = BeginnerRequest(
        12.5, dt.date(2027, 2, 1), Weekday.SAT, frozenset({Weekday.MON, Weekday.WED})
    )
    data = json.loads(json.dumps(request.as_dict()))
    assert data["program"] == "couch_to_5k"
    assert BeginnerRequest.from_dict(data) == request
    race = PlanRequest(
        goal_distance_m=5000.0,
        race_date=dt.date(2027, 6, 27),
        days_per_week=3,
        current_weekly_m=12_000.0,
        vdot=30.0,
    )
    with pytest.raises(InputError, match="not a Couch to 5K"):
        BeginnerRequest.from_dict(race.as_dict())


def test_web_pages_hold_a_couch_to_5k_plan(tmp_path: Path) -> None:
    """The web app reads the same store: its Plan and Today pages show the saved plan, and
    its replan answers with the same advice (no 500)."""
    app = make_app(tmp_path, today=dt.date(2027, 1, 6))
    db = tmp_path / "data" / "stridelab.db"
    db.parent.mkdir(parents=True, exist_ok=True)
    assert main([*C25K, "--save", "--db", str(db)]) == 0
    with TestClient(app) as client:
        plan = client.get("/plan.json")
        assert plan.status_code == 200
        assert plan.json()["plan"]["program"] == "couch_to_5k"
        assert plan.json()["plan"]["goal"]["predicted_range_s"] is None
        page = client.get("/plan")
        assert page.status_code == 200 and 'id="c25k-next"' in page.text
        assert 'id="replan-form"' not in page.text
        assert client.get("/today").status_code == 200
        answer = client.post("/plan/replan", data={}, headers=csrf_headers(client))
        assert 400 <= answer.status_code < 500
        assert "fixed weeks" in answer.json()["error"]


def test_web_form_takes_age_and_returning(tmp_path: Path) -> None:
    today = dt.date(2027, 1, 6)
    app = make_app(tmp_path, today=today)
    fields = {
        "goal": "10k",
        "race_date": (today + dt.timedelta(weeks=16)).isoformat(),
        "days_per_week": "4",
        "current_weekly": "25",
        "recent_distance": "5k",
        "recent_time": "24:30",
        "age": "57",
        "returning": "1",
    }
    with TestClient(app) as client:
        response = client.post("/plan/generate", data=fields, headers=csrf_headers(client))
        assert response.status_code == 200, response.text
        data = client.get("/plan.json").json()
        assert data["request"]["age_years"] == 57 and data["request"]["returning"] is True
        assert any("break or injury" in n for n in data["plan"]["notes"])
        page = client.get("/plan").text
        assert 'value="57"' in page
        bad = client.post(
            "/plan/generate", data={**fields, "age": "7"}, headers=csrf_headers(client)
        )
        assert 400 <= bad.status_code < 500 and "age" in bad.json()["error"]
