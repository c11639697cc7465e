"""Every plan carries its CTL/ATL/TSB forecast to race day and a race-time band (issue 9).

With runs stored the forecast starts from them; without, from the steady state of the
weekly volume the runner states (``forecast.start_basis`` says which). The Plan page's
``.json`` twin carries the same forecast, and the HTML draws it as SVG.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from stridelab.cli import main
from stridelab.coach.plan_forecast import add_plan_forecast, plan_forecast
from stridelab.physiology.forecast import (
    StartBasis,
    forecast_load,
    race_time_band_s,
    steady_state_daily_load,
)
from stridelab.physiology.load import rtss
from stridelab.physiology.vdot import predict_race_time_s
from stridelab.plans import generate_plan
from stridelab.plans.parse import plan_request
from web_support import TODAY, TestClient, make_app

#: A Monday; the plan starts a week later, so the first days are the runner's usual running.
PLAN_TODAY = dt.date(2027, 1, 4)
RACE_DAY = dt.date(2027, 4, 18)


def _plan_json(capsys: pytest.CaptureFixture[str], *extra: str) -> dict:
    capsys.readouterr()
    argv = ["plan", "--goal", "10k", "--race-date", RACE_DAY.isoformat(), "--recent", "5k=24:30"]
    argv += ["--days-per-week", "4", "--current-weekly-km", "25", "--json"]
    assert main([*argv, "--today", PLAN_TODAY.isoformat(), *extra]) == 0
    return json.loads(capsys.readouterr().out)


def test_steady_state_is_the_fixed_point_of_both_averages() -> None:
    daily = steady_state_daily_load(25_000.0, 390.0, 310.0)
    assert daily == pytest.approx(rtss(25 * 390.0, 390.0, 310.0) / 7)
    result = forecast_load({}, {}, TODAY, TODAY + dt.timedelta(days=3), steady_daily_load=daily)
    assert result.start_basis is StartBasis.STEADY_STATE
    assert result.ctl[0] == pytest.approx(daily) and result.atl[0] == pytest.approx(daily)
    assert result.tsb[0] == pytest.approx(0.0)
    assert result.atl[-1] < result.ctl[-1] < daily  # nothing planned: both decay, ATL faster


def test_history_wins_over_the_stated_volume() -> None:
    history = {TODAY - dt.timedelta(days=k): 50.0 for k in range(30)}
    result = forecast_load(history, {}, TODAY, TODAY + dt.timedelta(days=5), steady_daily_load=9.0)
    assert result.start_basis is StartBasis.HISTORY
    assert result.as_dict()["start_basis"] == "history"
    empty = forecast_load({}, {}, TODAY, TODAY + dt.timedelta(days=5))
    assert empty.start_basis is StartBasis.NONE and empty.ctl[0] == 0.0


def test_race_time_band_brackets_the_prediction() -> None:
    fast, slow = race_time_band_s(45.0, 10_000.0)
    assert fast == pytest.approx(predict_race_time_s(46.0, 10_000.0))
    assert slow == pytest.approx(predict_race_time_s(44.0, 10_000.0))
    assert fast < predict_race_time_s(45.0, 10_000.0) < slow


def test_a_plan_without_a_store_has_a_forecast(capsys: pytest.CaptureFixture[str]) -> None:
    data = _plan_json(capsys)
    forecast = data["forecast"]
    assert forecast["start_basis"] == "steady_state"
    days = forecast["days"]
    assert days[0]["date"] == PLAN_TODAY.isoformat() and days[-1]["date"] == RACE_DAY.isoformat()
    assert len(days) == (RACE_DAY - PLAN_TODAY).days + 1
    assert all(abs(d["tsb"] - (d["ctl"] - d["atl"])) < 0.11 for d in days)
    assert days[0]["ctl"] > 10 and days[0]["tsb"] == 0.0  # 25 km a week, steady
    assert days[6]["ctl"] == days[0]["ctl"]  # usual running until the plan's first day
    assert forecast["race_day"] == {k: days[-1][k] for k in ("ctl", "atl", "tsb")}
    assert forecast["race_day"]["tsb"] > days[-15]["tsb"]  # the taper freshens
    lo, hi = data["goal"]["predicted_range_s"]
    assert lo < data["goal"]["predicted_time_s"] < hi


def test_the_library_matches_the_cli(capsys: pytest.CaptureFixture[str]) -> None:
    request = plan_request(
        goal="10k",
        race_date=RACE_DAY.isoformat(),
        days_per_week=4,
        current_weekly_km=25,
        recent="5k=24:30",
    )
    data = generate_plan(request, today=PLAN_TODAY).as_dict()
    add_plan_forecast(data, PLAN_TODAY, current_weekly_m=request.current_weekly_m)
    cli = _plan_json(capsys)
    assert data["forecast"] == cli["forecast"]
    assert data["goal"]["predicted_range_s"] == cli["goal"]["predicted_range_s"]


def test_skipped_sessions_lower_the_forecast() -> None:
    request = plan_request(
        goal="10k", race_date=RACE_DAY.isoformat(), days_per_week=4, current_weekly_km=25,
        recent="5k=24:30",
    )  # fmt: skip
    plan = generate_plan(request, today=PLAN_TODAY)
    skipped = plan.weeks[2].sessions
    kept = [s for s in plan.sessions if s not in skipped]
    full = plan_forecast(plan, PLAN_TODAY, current_weekly_m=25_000.0).load
    less = plan_forecast(plan, PLAN_TODAY, current_weekly_m=25_000.0, sessions=kept).load
    at = full.days.index(skipped[-1].date)
    assert less.ctl[at] < full.ctl[at]


def test_plan_page_draws_the_forecast(tmp_path: Path) -> None:
    client = TestClient(make_app(tmp_path, seed_sample_data=True))
    plan = client.get("/plan.json").json()["plan"]
    forecast = plan["forecast"]
    assert forecast["start_basis"] == "history"  # the sample runs are stored
    assert forecast["days"][0]["date"] == TODAY.isoformat()
    assert forecast["days"][-1]["date"] == plan["goal"]["race_date"]
    assert forecast["days"][0]["ctl"] > 0
    lo, hi = plan["goal"]["predicted_range_s"]
    assert lo < plan["goal"]["predicted_time_s"] < hi
    html = client.get("/plan").text
    section = html[html.index('id="forecast"') :]
    assert "Projected fitness, fatigue and form to race day" in section
    assert section.count("<polyline") >= 3  # CTL, ATL, TSB
    assert "Predicted 10k time on race day" in section


def test_today_shows_the_current_estimate(tmp_path: Path) -> None:
    client = TestClient(make_app(tmp_path, seed_sample_data=True))
    data = client.get("/today.json").json()
    assert data["fitness"]["ctl"] is not None and data["fitness_estimate"]["vdot"] is not None
    html = client.get("/today").text
    assert 'id="vdot-estimate"' in html and "Estimated VDOT" in html
