"""One weekly aggregator: `stridelab trends --json`, `/trends.json` and Today agree."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from activity_writers import synthetic_run, write_gpx
from stridelab.cli import main
from web_support import TODAY, TestClient, make_app

#: (days before TODAY, sport, seconds, speed m/s): runs, rides and walks over three weeks.
ACTIVITIES = (
    (1, "running", 1800, 3.0),
    (3, "cycling", 3600, 8.0),
    (4, "walking", 2400, 1.4),
    (8, "running", 2400, 3.2),
    (9, "cycling", 5400, 7.5),
    (15, "running", 1500, 3.1),
    (16, "walking", 3000, 1.3),
)
#: Keys only the web page adds: the plan's volume and weeks still ahead.
WEB_ONLY: frozenset[str] = frozenset({"planned_m", "future"})


@pytest.fixture
def store_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """A store of runs, rides and walks, imported with the CLI where the web app looks."""
    files = tmp_path / "files"
    files.mkdir()
    for days_ago, sport, seconds, speed in ACTIVITIES:
        start = dt.datetime.combine(TODAY - dt.timedelta(days=days_ago), dt.time(7), dt.UTC)
        run = synthetic_run(seconds=seconds, speed_m_s=speed, start=start)
        (files / f"{days_ago}-{sport}.gpx").write_bytes(write_gpx(run, sport=sport))
    db = tmp_path / "data" / "stridelab.db"
    assert main(["import", str(files), "--db", str(db), "--json"]) == 0
    capsys.readouterr()
    return tmp_path


def _cli_weeks(db: Path, capsys: pytest.CaptureFixture[str]) -> list[dict[str, Any]]:
    args = ["trends", "--db", str(db), "--today", TODAY.isoformat(), "--weeks", "0", "--json"]
    assert main(args) == 0
    weeks: list[dict[str, Any]] = json.loads(capsys.readouterr().out)["weeks"]
    return weeks


def test_cli_and_web_trends_carry_the_same_weeks(
    store_folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cli = {w["week_start"]: w for w in _cli_weeks(store_folder / "data" / "stridelab.db", capsys)}
    with TestClient(make_app(store_folder)) as client:
        web = [w for w in client.get("/trends.json").json()["weeks"] if not w["future"]]
        today = client.get("/today.json").json()["week"]
    with_activities = [w for w in web if w["activities"]]
    assert len(with_activities) == 3 == len(cli)
    for week in with_activities:
        assert set(week) - WEB_ONLY == set(cli[week["week_start"]])  # the same key names
        assert {k: v for k, v in week.items() if k not in WEB_ONLY} == cli[week["week_start"]]
    this_week = cli[max(cli)]
    assert {k: today[k] for k in this_week} == this_week  # Today shows the same week


def test_running_volume_is_running_and_other_sports_are_listed(
    store_folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    weeks = _cli_weeks(store_folder / "data" / "stridelab.db", capsys)
    runs_m = sum(s * v for _, sport, s, v in ACTIVITIES if sport == "running")
    assert sum(w["distance_m"] for w in weeks) == pytest.approx(runs_m, rel=0.02)
    assert sum(w["runs"] for w in weeks) == 3 and sum(w["activities"] for w in weeks) == 7
    others = [o for w in weeks for o in w["other_sports"]]
    assert sorted(o["sport"] for o in others) == ["cycling", "cycling", "walking", "walking"]
    ride_s = sum(s for _, sport, s, _ in ACTIVITIES if sport == "cycling")
    ridden = sum(o["timer_time_s"] for o in others if o["sport"] == "cycling")
    assert ridden == pytest.approx(ride_s, abs=5)
    assert all(o["training_load"] > 0 for o in others)  # rides and walks still load the body
    load = sum(w["training_load"] for w in weeks)
    run_load = load - sum(o["training_load"] for o in others)
    assert 0 < run_load < load
