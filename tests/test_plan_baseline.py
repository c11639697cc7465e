"""The comparison plan is the published family that matches the runner, week by week,
under stridelab's safety rules, and is shown next to the plan (JSON, Markdown, web)."""

from __future__ import annotations

import datetime as dt
import runpy
from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stridelab.coach.planning import PlanOrigin, create_plan
from stridelab.coach.sample import sample_plan_request
from stridelab.plans import PlanRequest, RecentRace, generate_plan
from stridelab.plans.baseline import baseline_for, choose_family, comparison_rows
from stridelab.plans.export.markdown import plan_markdown
from stridelab.plans.families import FAMILIES, FamilyLevel
from stridelab.plans.targets import default_long_run_m, goal_targets
from stridelab.plans.volume import CUTBACK_FRACTION, MAX_ACUTE_CHRONIC, VolumeProblem
from stridelab.store import Database
from web_support import TODAY, TestClient, chromium, live_server, make_app

TOL_M = 1.5
START = dt.date(2027, 1, 4)
GOALS_M = {"5k": 5000.0, "10k": 10000.0, "half": 21097.5, "marathon": 42195.0}


@pytest.mark.parametrize(
    ("bracket", "weekly_km", "days", "family"),
    [
        ("5k", 15.0, 3, "higdon_novice_5k"),
        ("10k", 30.0, 4, "higdon_intermediate_10k"),
        ("10k", 20.0, 5, "higdon_novice_10k"),  # below the intermediate entry volume
        ("half", 40.0, 5, "higdon_intermediate_half"),
        ("marathon", 30.0, 3, "higdon_novice_marathon"),  # 3 days: novice
        ("marathon", 80.0, 6, "pfitzinger_18_70"),
        ("marathon", 80.0, 4, "higdon_intermediate_marathon"),  # too few days for Pfitzinger
        ("marathon", 100.0, 6, "pfitzinger_18_85"),
        ("5k", 80.0, 6, "pfitzinger_5k_70"),
    ],
)
def test_family_selection(bracket: str, weekly_km: float, days: int, family: str) -> None:
    chosen, why = choose_family(bracket, weekly_km * 1000.0, days)
    assert chosen.key == family
    assert chosen.bracket == bracket
    assert f"{days} days" in why


def test_families_are_sound_data() -> None:
    for bracket, families in FAMILIES.items():
        assert {f.level for f in families} == set(FamilyLevel)
        for f in families:
            assert f.bracket == bracket and 3 <= f.run_days <= 7
            assert all(0 < w.long_run_m <= w.distance_m for w in f.weeks)
            build = f.weeks[: len(f.weeks) - f.taper_weeks]
            assert max(w.distance_m for w in build) == f.peak_weekly_m  # peak before the taper
            taper = f.weeks[len(build) - 1 :]
            assert all(b.distance_m <= a.distance_m for a, b in pairwise(taper))


@st.composite
def problems(draw: st.DrawFn) -> VolumeProblem:
    """Any bracket, 3–7 days, 10–120 km a week, 4–30 weeks, with or without a long run."""
    bracket = draw(st.sampled_from(list(GOALS_M)))
    days = draw(st.integers(3, 7))
    weekly_m = draw(st.floats(10_000.0, 120_000.0))
    n = draw(st.integers(4, 30))
    easy = draw(st.floats(300.0, 450.0))
    long_m = draw(st.none() | st.floats(0.15 * weekly_m, 0.45 * weekly_m))
    return VolumeProblem(
        n_weeks=n,
        current_weekly_m=weekly_m,
        recent_long_run_m=long_m if long_m is not None else default_long_run_m(weekly_m),
        days_per_week=days,
        targets=goal_targets(GOALS_M[bracket], easy, n, days),
        max_weekly_ramp=draw(st.sampled_from([0.05, 0.10, 0.20])),
        race_week_run_days=draw(st.integers(0, days - 1)),
    )


@settings(max_examples=150, deadline=None)
@given(problems())
def test_baseline_follows_the_safety_rules(problem: VolumeProblem) -> None:
    family, _ = choose_family(
        problem.targets.bracket, problem.current_weekly_m, problem.days_per_week
    )
    baseline = baseline_for(problem, 5000.0, START)
    weeks = baseline.weeks
    n, c = problem.n_weeks, problem.current_weekly_m
    assert len(weeks) == n
    assert [w.start for w in weeks] == [START + dt.timedelta(days=7 * i) for i in range(n)]
    peak = n - 1 - min(family.taper_weeks, n - 1)
    up, spike = 1 + problem.max_weekly_ramp, 1 + problem.max_long_run_spike
    volumes = [c] * 4
    longs: list[float] = []
    for i, week in enumerate(weeks):
        # ramp: never above the cap over any earlier week (the current week before the plan)
        assert week.distance_m <= up * max(volumes) + TOL_M
        assert week.distance_m <= MAX_ACUTE_CHRONIC * sum(volumes[-4:]) / 4 + TOL_M
        recent = longs[-3:] if i else [problem.seed_long_run_m]
        assert week.long_run_m <= spike * max(recent) + TOL_M  # the long-run spike rule
        assert week.long_run_m <= problem.targets.long_run_cap_m + TOL_M
        assert week.long_run_m <= week.distance_m + TOL_M
        if i <= peak:  # the floor: never below the current volume (80 % in step-backs)
            assert week.distance_m >= CUTBACK_FRACTION * problem.weekly_floor_m - TOL_M
        else:  # the taper never adds load
            assert week.distance_m <= weeks[i - 1].distance_m + TOL_M
        volumes.append(week.distance_m)
        longs.append(week.long_run_m)
    if not problem.race_week_trains:
        assert weeks[-1].distance_m == 0.0
    assert baseline.total_distance_m == pytest.approx(sum(volumes[4:]) + 5000.0)


def _runner(**changes: object) -> PlanRequest:
    fields: dict[str, object] = {
        "goal_distance_m": 42_195.0,
        "race_date": dt.date(2027, 5, 30),
        "days_per_week": 3,
        "current_weekly_m": 30_000.0,
        "recent_race": RecentRace(21_097.5, 1 * 3600 + 55 * 60),
        "start_date": dt.date(2026, 12, 9),  # a Wednesday: a lead-in before week 1
    }
    fields.update(changes)
    return PlanRequest(**fields)  # type: ignore[arg-type]


def test_baseline_weeks_align_with_the_plan_weeks() -> None:
    plan = generate_plan(_runner())
    assert plan.baseline is not None and plan.baseline.family == "higdon_novice_marathon"
    assert [w.start for w in plan.baseline.weeks] == [w.start for w in plan.weeks]
    lead, family_lead = plan.weeks[0], plan.baseline.weeks[0]
    assert lead.lead_in  # the lead-in is the runner's usual running in both
    assert family_lead.distance_m == pytest.approx(lead.training_distance_m)
    data = plan.as_dict()
    assert len(data["baseline"]["weeks"]) == len(data["weeks"])
    assert data["baseline"]["name"] == "Hal Higdon Marathon Novice 1"


def test_clipped_family_says_so() -> None:
    """Higdon Novice 1 builds from 15 to 40 miles faster than a 10 % ramp allows from
    30 km/week; its 20-miler is more than 150 min for this runner."""
    plan = generate_plan(_runner())
    assert plan.baseline is not None
    why = plan.baseline.why
    assert "held to the weekly ramp cap" in why and "150 min" in why
    full = len(plan.weeks) - 1  # the lead-in is not a full week
    assert f"the first {full - 18} are your usual running, then the family's 18" in why
    assert "The lead-in days (week 1)" in why
    published = max(w.distance_m for w in FAMILIES["marathon"][0].weeks)
    assert max(w.distance_m for w in plan.baseline.weeks) < published


def test_a_short_plan_joins_the_family_later() -> None:
    plan = generate_plan(
        _runner(
            days_per_week=5,
            current_weekly_m=45_000.0,
            start_date=dt.date(2027, 3, 8),
            recent_long_run_m=20_000.0,
        )
    )
    assert plan.baseline is not None and plan.baseline.family == "higdon_intermediate_marathon"
    assert "joins the family at its week 7" in plan.baseline.why


def test_total_equals_the_sum_of_the_weeks_and_the_race() -> None:
    plan = generate_plan(_runner(days_per_week=6, current_weekly_m=80_000.0))
    baseline = plan.baseline
    assert baseline is not None and baseline.family == "pfitzinger_18_70"
    total = sum(w.distance_m for w in baseline.weeks) + 42_195.0
    assert plan.baseline_total_distance_m == baseline.total_distance_m == pytest.approx(total)
    data = plan.as_dict()
    assert data["saved_distance_m"] == pytest.approx(
        data["baseline_total_distance_m"] - data["total_distance_m"], abs=0.2
    )
    # the runner's 80 km are kept by both until the taper
    before_taper = baseline.weeks[1:-3]
    assert all(w.distance_m >= 0.8 * 80_000.0 - TOL_M for w in before_taper)


def test_markdown_has_the_side_by_side_table() -> None:
    plan = generate_plan(
        _runner(
            goal_distance_m=10_000.0,
            days_per_week=4,
            start_date=START,
            race_date=dt.date(2027, 4, 18),
        )
    )
    assert plan.baseline is not None and plan.baseline.name == "Hal Higdon Intermediate 10K"
    text = plan_markdown(plan)
    assert "## Compared with Hal Higdon Intermediate 10K" in text
    header = (
        "| Week | Starts | stridelab km | long run | Hal Higdon Intermediate 10K km | long run |"
    )
    assert header in text
    lines = text.splitlines()
    rows = lines[lines.index(header) + 2 : lines.index(header) + 2 + len(plan.weeks)]
    for number, (line, week, other) in enumerate(
        zip(rows, plan.weeks, plan.baseline.weeks, strict=True), start=1
    ):
        cells = [c.strip() for c in line.strip("|").split("|")]
        assert cells[:2] == [str(number), week.start.isoformat()]
        assert float(cells[4]) == pytest.approx(other.distance_m / 1000, abs=0.05)
        assert float(cells[5]) == pytest.approx(other.long_run_m / 1000, abs=0.05)
    assert f"**{plan.baseline.total_distance_m / 1000:.1f}**" in text
    assert plan.baseline.why in text


def test_comparison_rows_exclude_the_race() -> None:
    plan = generate_plan(_runner())
    assert plan.baseline is not None
    rows = comparison_rows([w.as_dict() for w in plan.weeks], plan.baseline.as_dict())
    assert len(rows) == len(plan.weeks)
    race_week = plan.weeks[-1]
    assert rows[-1].plan_m == pytest.approx(race_week.distance_m - 42_195.0, abs=0.5)
    assert all(r.family_m is not None for r in rows)


@pytest.fixture()
def client(tmp_path: Path) -> Iterator[TestClient]:
    """The web app with the sample plan (a 10K, 4 days, 25 km a week)."""
    with TestClient(make_app(tmp_path)) as test_client:
        with Database.open(tmp_path / "data" / "stridelab.db") as db:
            create_plan(db, 1, sample_plan_request(TODAY), TODAY, PlanOrigin.SAMPLE)
        yield test_client


def test_web_plan_page_shows_the_family(client: TestClient) -> None:
    data = client.get("/plan.json").json()
    baseline = data["plan"]["baseline"]
    assert baseline["name"] == "Hal Higdon Intermediate 10K"
    rows = data["comparison"]
    assert [r["start"] for r in rows] == [w["start"] for w in data["weeks"]]
    assert [r["family_m"] for r in rows] == [w["distance_m"] for w in baseline["weeks"]]
    html = client.get("/plan").text
    assert 'id="comparison"' in html and "Compared with Hal Higdon Intermediate 10K" in html
    assert "this plan and the published plan that matches you" in html  # the chart
    assert html.count("<tr><td>") >= len(rows)  # the week-by-week table


def test_comparison_notes_are_current() -> None:
    """docs/plan-comparison.md is what tools/plan_comparison.py prints for its five runners."""
    root = Path(__file__).resolve().parents[1]
    tool = runpy.run_path(str(root / "tools" / "plan_comparison.py"))
    text = tool["render"]()
    assert "| 5. Competitive marathon" in text and "Pfitzinger-like 18/70" in text
    assert (root / "docs" / "plan-comparison.md").read_text(encoding="utf-8") == text, (
        "regenerate: python tools/plan_comparison.py --write"
    )


@pytest.mark.slow
def test_web_comparison_fits_a_phone(tmp_path: Path) -> None:
    """The chart and the opened week-by-week table fit 390 px (a real Chromium)."""
    app = make_app(tmp_path, seed_sample_data=True)
    with chromium() as browser, live_server(app) as base:
        page = browser.new_page(viewport={"width": 390, "height": 844})
        page.goto(base + "/plan")
        page.click("#comparison-weeks summary")
        table = page.locator("#comparison table.compare")
        assert table.is_visible() and table.locator("tbody tr").count() >= 10
        wide = page.evaluate(
            "() => [document.scrollingElement.scrollWidth, "
            "[...document.querySelectorAll('main section.card')]"
            ".filter(c => c.scrollWidth > c.clientWidth).map(c => c.id || c.className)]"
        )
        assert wide == [390, []]
        page.screenshot(path=str(tmp_path / "comparison-phone.png"), full_page=True)
