"""First-run sample data: a recent, deterministic history of real FIT runs under a sample plan."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stridelab.activities.readers import read_activity_bytes
from stridelab.coach.planning import PlanOrigin, active_plan, create_plan
from stridelab.coach.profile import DEFAULT_PROFILE
from stridelab.coach.runs import count_runs, import_file
from stridelab.coach.sample import (
    SAMPLE_PLAN_WEEKS_AGO,
    SEEDED_KEY,
    sample_plan_request,
    sample_run_path,
    seed_sample_data,
)
from stridelab.coach.sample_history import (
    BASE_WEEKS,
    RECORD_INTERVAL_S,
    SampleRun,
    encode_run,
    history_runs,
)
from stridelab.plans.generator import generate_plan
from stridelab.store import Database

TODAY = dt.date(2026, 11, 26)  # a Thursday


def _schedule(today: dt.date) -> list[SampleRun]:
    start = today - dt.timedelta(days=today.weekday(), weeks=SAMPLE_PLAN_WEEKS_AGO)
    plan = generate_plan(sample_plan_request(start), today=today)
    return history_runs(plan, start, today)


@pytest.fixture()
def db(coach_db: Database) -> Database:
    """An empty store with the coach's tables."""
    return coach_db


@settings(max_examples=15, deadline=None)
@given(today=st.dates(min_value=dt.date(2024, 1, 1), max_value=dt.date(2032, 12, 31)))
def test_history_is_recent_and_has_3_to_5_runs_a_week(today: dt.date) -> None:
    runs = _schedule(today)
    assert all(r.day < today for r in runs)
    this_monday = today - dt.timedelta(days=today.weekday())
    first = this_monday - dt.timedelta(weeks=SAMPLE_PLAN_WEEKS_AGO + BASE_WEEKS)
    assert min(r.day for r in runs) < first + dt.timedelta(days=7)
    per_week = Counter((r.day - first).days // 7 for r in runs)
    complete = [per_week[w] for w in range(SAMPLE_PLAN_WEEKS_AGO + BASE_WEEKS)]
    assert all(2 <= n <= 5 for n in complete) and sum(complete) / len(complete) >= 3
    assert {"easy", "long", "tempo"} <= {r.kind for r in runs}
    assert all(2000 <= r.distance_m <= 16000 for r in runs)
    assert _schedule(today) == runs  # deterministic


def test_sample_fit_runs_are_real_and_deterministic() -> None:
    run = SampleRun(TODAY - dt.timedelta(days=2), "tempo", 7500.0, "Tempo run 7.5 km")
    data = encode_run(run, seed=7)
    assert encode_run(run, seed=7) == data
    assert len(data) < 60_000  # compact: 5-second records
    activity = read_activity_bytes(data, "tempo.fit")
    session = activity.sessions[0]
    samples = session.samples
    assert {"heart_rate_bpm", "cadence_spm", "ground_contact_ms", "latitude_deg"} <= set(
        samples.channels()
    )
    assert np.all(np.diff(samples.timestamp_s) == RECORD_INTERVAL_S)
    assert float(np.nanmax(samples.distance_m)) == pytest.approx(7500, rel=0.1)
    cadence = samples.cadence_spm
    assert float(np.nanmax(cadence)) > 185 and 150 < float(np.nanmedian(cadence)) < 180
    hr = samples.heart_rate_bpm
    assert float(np.nanmin(hr)) > 120 and float(np.nanmax(hr)) < 185
    start = dt.datetime.fromtimestamp(float(samples.timestamp_s[0]), dt.UTC)
    assert start.date() == run.day


def test_seeding_a_fresh_store_is_fast_enough_and_happens_once(db: Database) -> None:
    result = seed_sample_data(db, db.path.parent, TODAY)
    assert result["runs"]["failed"] == 0 and result["runs"]["imported"] >= 25
    plan = active_plan(db, 1)
    assert plan is not None and plan.origin is PlanOrigin.SAMPLE
    start = TODAY - dt.timedelta(days=TODAY.weekday(), weeks=SAMPLE_PLAN_WEEKS_AGO)
    assert plan.plan.weeks[0].start == start
    assert plan.due_from == start
    before = count_runs(db, 1)
    assert seed_sample_data(db, db.path.parent, TODAY + dt.timedelta(days=30)) == {"seeded": False}
    assert count_runs(db, 1) == before


def test_a_store_seeded_by_an_older_version_gets_the_history(db: Database) -> None:
    bundled = sample_run_path()
    assert bundled is not None
    import_file(db, 1, bundled, name="Sample run")
    create_plan(db, 1, sample_plan_request(TODAY), TODAY, PlanOrigin.SAMPLE)
    with db.transaction() as conn:
        conn.execute("INSERT INTO coach_state (key, value) VALUES (?, ?)", (SEEDED_KEY, "x"))
    result = seed_sample_data(db, db.path.parent, TODAY)
    assert result["runs"]["imported"] >= 25 and result["plan_id"] is not None
    plan = active_plan(db, 1)
    assert plan is not None and plan.plan.weeks[0].start < TODAY


def test_a_persons_own_plan_is_kept(db: Database) -> None:
    own = create_plan(db, 1, sample_plan_request(TODAY), TODAY, PlanOrigin.GENERATED)
    result = seed_sample_data(db, db.path.parent, TODAY)
    assert result["plan_id"] is None and result["runs"]["imported"] >= 25
    plan = active_plan(db, 1)
    assert plan is not None and plan.id == own.id


def test_demo_overview_on_the_seeded_store(db: Database) -> None:
    from stridelab.coach.overview import coach_overview

    seed_sample_data(db, db.path.parent, TODAY)
    overview = coach_overview(db, 1, DEFAULT_PROFILE, TODAY)
    assert overview["next_session"]["date"] >= TODAY.isoformat()
    assert overview["next_session_with_warmup"]["drill_cards"]
    assert overview["plan"]["weeks"] >= 12 and overview["plan"]["total_distance_m"] > 0
    last = overview["last_run"]
    assert last["avg_hr_bpm"] and last["avg_cadence_spm"] and last["avg_ground_contact_ms"]
    assert last["insight"]["text"]
    assert overview["fitness"]["ctl"] > 10 and overview["week"]["runs"] >= 1
