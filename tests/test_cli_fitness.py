"""``stridelab fitness`` through ``stridelab.cli.main``, on a store of synthetic runs."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from fitness_history import Runner, easy_run, fit_bytes, race_run
from stridelab.cli import main
from stridelab.coach.db import open_coach
from stridelab.coach.planning import PlanOrigin, active_plan, create_plan
from stridelab.coach.profile import DEFAULT_PROFILE, save_profile
from stridelab.coach.sample import sample_plan_request

TODAY = dt.date(2027, 3, 1)
RUNNER = Runner(vdot=45.0, max_hr_bpm=185.0)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("runs")
    for k in range(12):
        day = TODAY - dt.timedelta(days=3 * k + 1)
        speed, hr = race_run(RUNNER, 5000.0) if k == 4 else easy_run(RUNNER, 40)
        (folder / f"run{k}.fit").write_bytes(fit_bytes(day, speed, hr))
    (folder / "ride.fit").write_bytes(
        fit_bytes(TODAY - dt.timedelta(days=2), np.full(1200, 9.0), sport="cycling")
    )
    db = folder / "store.db"
    assert main(["import", str(folder), "--db", str(db)]) == 0
    return db


def _json(capsys: pytest.CaptureFixture[str], *argv: str) -> dict:
    capsys.readouterr()
    assert main(list(argv)) == 0
    return json.loads(capsys.readouterr().out)


def test_fitness_json_shape(store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = _json(capsys, "fitness", "--db", str(store), "--today", TODAY.isoformat(), "--json")
    assert isinstance(data["vdot"], float)
    assert data["vdot"] == pytest.approx(RUNNER.vdot, abs=1.5)
    lo, hi = data["vdot_range"]
    assert lo <= data["vdot"] <= hi
    assert "best effort 5 km on" in data["vdot_basis"]
    assert isinstance(data["max_hr_bpm"], float) and data["max_hr_source"]
    assert data["lthr_bpm"] is None or isinstance(data["lthr_bpm"], float)
    assert set(data["best_efforts"]["5k"]) >= {"time_s", "activity_id", "date"}
    assert set(data["predictions_s"]) >= {"5k", "10k", "half", "marathon"}
    assert isinstance(data["hr_zones"], list)
    assert set(data["pace_zones_s_per_km"]) >= {"easy", "threshold"}
    assert data["weekly_km"] > 0 and data["long_run_km"] > 0
    for key in ("critical_speed_m_s", "d_prime_m"):
        assert key in data


def test_fitness_terminal_view_in_miles(store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert main(["fitness", "--db", str(store), "--today", TODAY.isoformat(), "--units", "mi"]) == 0
    out = capsys.readouterr().out
    assert "VDOT" in out and "/mi" in out and "Max HR" in out


def test_fitness_history_and_plot(
    store: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    png = tmp_path / "vdot.png"
    data = _json(
        capsys,
        "fitness",
        "--db",
        str(store),
        "--today",
        TODAY.isoformat(),
        "--history",
        "--plot",
        str(png),
        "--json",
    )
    assert data["weeks"][-1]["week_end"] == TODAY.isoformat()
    assert data["weeks"][-1]["vdot"] == pytest.approx(RUNNER.vdot, abs=1.5)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_fitness_on_an_empty_store(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = _json(
        capsys, "fitness", "--db", str(tmp_path / "empty.db"), "--json", "--today", "2027-03-01"
    )
    assert data["vdot"] is None and data["best_efforts"] == {}
    assert data["max_hr_bpm"] is None and data["max_hr_source"].startswith("unknown")
    capsys.readouterr()
    assert main(["fitness", "--db", str(tmp_path / "empty.db"), "--today", "2027-03-01"]) == 0
    out = capsys.readouterr().out
    assert "VDOT: unknown" in out and "Max HR: unknown" in out and "--age" in out


def test_age_gives_tanaka_without_heart_rate(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = _json(
        capsys,
        "fitness",
        "--db",
        str(tmp_path / "e.db"),
        "--age",
        "40",
        "--json",
        "--today",
        "2027-03-01",
    )
    assert data["max_hr_bpm"] == 180.0
    assert data["max_hr_source"] == "Tanaka formula from age 40 (±10 bpm)"


def test_profile_age_for_fitness_and_plan(
    store: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "aged.db"
    with open_coach(db) as coach:
        save_profile(coach, 1, replace(DEFAULT_PROFILE, age_years=57))
    fitness = ["fitness", "--db", str(db), "--json", "--today", TODAY.isoformat()]
    data = _json(capsys, *fitness)
    assert data["max_hr_source"] == "Tanaka formula from age 57 (±10 bpm)"
    assert _json(capsys, *fitness, "--age", "40")["max_hr_bpm"] == 180.0  # --age wins
    shutil.copy(store, db)  # runs with heart rate: the measured max wins over the age
    with open_coach(db) as coach:
        save_profile(coach, 1, replace(DEFAULT_PROFILE, age_years=57))
    assert _json(capsys, *fitness)["max_hr_source"].startswith("highest credible")
    argv = ["plan", "--goal", "10k", "--race-date", "2027-06-20", "--days-per-week", "4"]
    argv += ["--today", TODAY.isoformat(), "--db", str(db), "--json"]
    plan = _json(capsys, *argv)
    assert "age 57 from the profile" in plan["goal"]["fitness_source"]
    assert any("you are 57" in note for note in plan["notes"])  # masters recovery
    given = _json(capsys, *argv, "--age", "40")
    assert "age" not in given["goal"]["fitness_source"]
    assert not any("you are" in note for note in given["notes"])


def test_plot_without_estimate_is_one_line_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(
        ["fitness", "--db", str(tmp_path / "e.db"), "--history", "--plot", str(tmp_path / "x.png")]
    )
    assert code == 2
    err = capsys.readouterr().err
    assert "no VDOT estimate" in err and "Traceback" not in err


def test_replan_from_fitness(
    store: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "planned.db"
    shutil.copy(store, db)
    with open_coach(db) as coach:
        create_plan(coach, 1, sample_plan_request(TODAY), TODAY, PlanOrigin.SAMPLE)
    estimate = _json(capsys, "fitness", "--db", str(db), "--today", TODAY.isoformat(), "--json")
    result = _json(
        capsys, "replan", "--db", str(db), "--from-fitness", "--today", TODAY.isoformat(), "--json"
    )
    assert any("estimated fitness" in reason for reason in result["reasons"])
    with open_coach(db) as coach:
        plan = active_plan(coach, 1)
    assert plan is not None and plan.id == result["plan_id"]
    assert plan.plan.goal.vdot == pytest.approx(round(estimate["vdot"], 1))


def test_plan_from_the_store(store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["plan", "--goal", "10k", "--race-date", "2027-06-20", "--days-per-week", "4"]
    argv += ["--today", TODAY.isoformat()]
    estimate = _json(capsys, "fitness", "--db", str(store), "--today", TODAY.isoformat(), "--json")
    data = _json(capsys, *argv, "--db", str(store), "--json")
    goal = data["goal"]
    assert goal["vdot"] == pytest.approx(round(estimate["vdot"], 1))
    assert goal["fitness_source"].startswith("store (12 runs): VDOT")
    assert "km/week (4-week mean)" in goal["fitness_source"]
    explicit = _json(capsys, *argv, "--db", str(store), "--vdot", "40", "--json")
    assert explicit["goal"]["vdot"] == 40  # explicit options win
    assert "VDOT" not in explicit["goal"]["fitness_source"]
    capsys.readouterr()
    assert main([*argv, "--vdot", "40"]) == 2  # no --db and no weekly distance
    assert "--current-weekly-km" in capsys.readouterr().err


def test_plan_from_the_store_has_a_forecast(
    store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = _json(
        capsys,
        "plan",
        "--db",
        str(store),
        "--goal",
        "10k",
        "--race-date",
        "2027-06-20",
        "--days-per-week",
        "4",
        "--today",
        TODAY.isoformat(),
        "--json",
    )
    days = data["forecast"]["days"]
    assert days[0]["date"] == TODAY.isoformat() and days[-1]["date"] == "2027-06-20"
    assert len(days) == (dt.date(2027, 6, 20) - TODAY).days + 1
    assert all(abs(d["tsb"] - (d["ctl"] - d["atl"])) < 0.11 for d in days)
    assert days[0]["ctl"] > 0  # today's real history is the starting point
    race = data["forecast"]["race_day"]
    assert race == {k: days[-1][k] for k in ("ctl", "atl", "tsb")}
    assert race["tsb"] > days[-15]["tsb"]  # the taper freshens
    lo, hi = data["goal"]["predicted_range_s"]
    assert lo < data["goal"]["predicted_time_s"] < hi


def test_forecast_from_history_alone_decays() -> None:
    from stridelab.physiology.forecast import forecast_load

    history = {TODAY - dt.timedelta(days=k): 60.0 for k in range(60)}
    result = forecast_load(history, {}, TODAY, TODAY + dt.timedelta(days=14))
    assert result.ctl[0] > result.ctl[-1] > 0
    assert result.tsb[-1] > result.tsb[0]
