"""The Fitness page and its JSON twin; Today's estimate; a nav link."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from web_support import TestClient, make_app


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
