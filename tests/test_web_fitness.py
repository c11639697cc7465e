"""The Fitness page and its JSON twin; Today's estimate; a nav link."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from stridelab.coach.fitness import fitness_change
from stridelab.coach.planning import PlanOrigin, create_plan
from stridelab.coach.sample import sample_plan_request
from stridelab.store import Database
from web_support import TODAY, TestClient, csrf_headers, make_app, run_fit, upload


@pytest.fixture()
def demo(tmp_path: Path) -> Iterator[TestClient]:
    with TestClient(make_app(tmp_path, seed_sample_data=True)) as client:
        yield client


@pytest.fixture()
def empty(tmp_path: Path) -> Iterator[TestClient]:
    with TestClient(make_app(tmp_path)) as client:
        yield client


def test_fitness_json_from_the_sample_history(demo: TestClient) -> None:
    data = demo.get("/fitness.json").json()
    assert data["runs_considered"] > 0
    assert isinstance(data["vdot"], float)
    lo, hi = data["vdot_range"]
    assert lo <= data["vdot"] <= hi
    assert data["best_efforts"] and data["history"]
    assert data["history"][-1]["vdot"] == pytest.approx(data["vdot"])
    runs = {r["id"] for r in demo.get("/runs.json").json()["runs"]}
    assert all(b["activity_id"] in runs for b in data["best_efforts"].values())


def test_fitness_page_shows_estimate_efforts_and_zones(demo: TestClient) -> None:
    html = demo.get("/fitness").text
    data = demo.get("/fitness.json").json()
    assert f"{data['vdot']:.1f}" in html
    assert 'id="best-efforts"' in html and 'id="critical-speed"' in html
    assert 'id="zones"' in html and "<svg" in html
    assert 'href="/fitness"' in html  # the nav link


def test_today_shows_the_current_estimate(demo: TestClient) -> None:
    today = demo.get("/today.json").json()
    fitness = demo.get("/fitness.json").json()
    assert today["fitness_estimate"]["vdot"] == pytest.approx(fitness["vdot"])
    assert "Estimated VDOT" in demo.get("/today").text


def test_fitness_without_runs(empty: TestClient) -> None:
    data = empty.get("/fitness.json").json()
    assert data["vdot"] is None and data["effort_rows"] == [] and data["history"] == []
    page = empty.get("/fitness")
    assert page.status_code == 200 and "No estimate yet" in page.text
    assert "No fitness estimate yet" in empty.get("/today").text


@pytest.fixture()
def planned(tmp_path: Path) -> Iterator[TestClient]:
    """The sample plan (from a 5K race) and three weeks of slower steady runs."""
    with TestClient(make_app(tmp_path)) as client:
        with Database.open(tmp_path / "data" / "stridelab.db") as db:
            create_plan(db, 1, sample_plan_request(TODAY), TODAY, PlanOrigin.SAMPLE)
        for days_ago in (2, 4, 6, 9, 11, 13, 16, 18, 20):
            start = dt.datetime.combine(
                TODAY - dt.timedelta(days=days_ago), dt.time(7), tzinfo=dt.UTC
            )
            upload(client, run_fit(start, 7000.0, 380.0, seed=days_ago), f"r{days_ago}.fit")
        yield client


def test_today_offers_to_update_paces_when_fitness_moved(planned: TestClient) -> None:
    estimate = planned.get("/today.json").json()["fitness_estimate"]
    assert estimate["vdot"] is not None and estimate["plan_vdot"] is not None
    assert abs(estimate["vdot"] - estimate["plan_vdot"]) >= 1
    assert "update the paces" in estimate["change"]
    assert 'id="update-paces"' in planned.get("/today").text
    response = planned.post(
        "/plan/replan", data={"use_estimate": "1"}, headers=csrf_headers(planned)
    )
    assert response.status_code == 200, response.text
    assert any("estimated fitness" in r for r in response.json()["reasons"])
    goal = planned.get("/plan.json").json()["plan"]["goal"]
    assert goal["vdot"] == pytest.approx(round(estimate["vdot"], 1), abs=0.01)
    assert planned.get("/today.json").json()["fitness_estimate"]["change"] is None


def test_fitness_change_threshold() -> None:
    assert fitness_change(45.0, 44.2) is None
    assert "up 1.5" in (fitness_change(45.7, 44.2) or "")
    assert "down" in (fitness_change(43.0, 44.2) or "")
    assert fitness_change(None, 44.0) is None


# -- age in the profile: Tanaka's max HR and the plan's masters recovery ---------------


def _plan_fields(**extra: str) -> dict[str, str]:
    return {
        "goal": "10k",
        "race_date": (TODAY + dt.timedelta(weeks=16)).isoformat(),
        "days_per_week": "4",
        "current_weekly": "25",
        "recent_distance": "5k",
        "recent_time": "24:30",
        **extra,
    }


def test_profile_age_gives_tanaka_max_hr(empty: TestClient) -> None:
    before = empty.get("/today.json").json()["fitness_estimate"]
    assert before["max_hr_bpm"] is None and before["max_hr_source"].startswith("unknown")
    assert "set your max HR, or your age" in empty.get("/fitness").text
    response = empty.post("/settings", data={"age_years": "45"}, headers=csrf_headers(empty))
    assert response.status_code == 200, response.text
    assert empty.get("/settings.json").json()["profile"]["age_years"] == 45
    assert 'name="age_years" inputmode="numeric" value="45"' in empty.get("/settings").text
    after = empty.get("/today.json").json()["fitness_estimate"]
    assert after["max_hr_bpm"] == pytest.approx(176.5)
    assert after["max_hr_source"] == "Tanaka formula from age 45 (±10 bpm)"
    fitness = empty.get("/fitness.json").json()
    assert fitness["max_hr_source"] == after["max_hr_source"]
    assert "Max HR 176" in empty.get("/fitness").text


def test_a_measured_max_hr_wins_over_the_profile_age(tmp_path: Path) -> None:
    with TestClient(make_app(tmp_path)) as client:
        client.post("/settings", data={"age_years": "60"}, headers=csrf_headers(client))
        start = dt.datetime.combine(TODAY - dt.timedelta(days=3), dt.time(7), tzinfo=dt.UTC)
        upload(client, run_fit(start, 6000.0, 330.0), "hr.fit")  # HR peaks near 150
        source = client.get("/fitness.json").json()["max_hr_source"]
        assert source.startswith("highest credible heart rate")  # 150 ≥ Tanaka(60) − 20


def test_a_bad_age_in_settings_is_a_clear_error_and_nothing_is_stored(
    empty: TestClient,
) -> None:
    response = empty.post("/settings", data={"age_years": "7"}, headers=csrf_headers(empty))
    assert response.status_code == 400
    assert "age 7 is not valid" in response.json()["error"]
    token = empty.get("/session.json").json()["csrf_token"]
    page = empty.post("/settings", data={"csrf_token": token, "age_years": "forty"})
    assert page.status_code == 400 and "&#39;forty&#39; is not a valid age" in page.text
    assert empty.get("/settings.json").json()["profile"]["age_years"] is None


def test_plan_form_without_age_takes_the_profile_age(empty: TestClient) -> None:
    empty.post("/settings", data={"age_years": "57"}, headers=csrf_headers(empty))
    assert "empty: your profile's 57" in empty.get("/plan").text
    response = empty.post("/plan/generate", data=_plan_fields(), headers=csrf_headers(empty))
    assert response.status_code == 200, response.text
    assert empty.get("/plan.json").json()["request"]["age_years"] == 57
    response = empty.post(
        "/plan/generate", data=_plan_fields(age="40"), headers=csrf_headers(empty)
    )
    assert response.status_code == 200, response.text
    assert empty.get("/plan.json").json()["request"]["age_years"] == 40  # the form wins
