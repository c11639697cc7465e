"""Metrics and insights on synthetic runs, plus invariants over random ones."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from activity_writers import synthetic_run, write_tcx
from stridelab.activities.analysis import AnalysisSettings, analyse_session
from stridelab.activities.insights import (
    cadence_drift_pct,
    detect_warmup_bursts,
    reference_cadence_spm,
)
from stridelab.activities.metrics import (
    MAX_SAMPLE_GAP_S,
    minetti_cost_j_kg_m,
    segment_metrics,
    splits_per_km,
)
from stridelab.activities.model import Samples, Session
from stridelab.activities.readers import read_activity_bytes

T0 = datetime(2024, 1, 1, tzinfo=UTC)


def _session(seconds: int = 1800, **kwargs: object) -> Session:
    data = write_tcx(synthetic_run(seconds=seconds, **kwargs))  # type: ignore[arg-type]
    return read_activity_bytes(data, "synthetic.tcx").sessions[0]


def test_minetti_cost_level_and_extremes() -> None:
    grades = np.array([-0.45, -0.2, 0.0, 0.1, 0.45, 0.9])
    cost = minetti_cost_j_kg_m(grades)
    assert cost[2] == pytest.approx(3.6)
    assert cost[1] == pytest.approx(1.80, abs=0.05)
    grid = np.linspace(-0.45, 0.45, 901)
    assert -0.22 < grid[np.argmin(minetti_cost_j_kg_m(grid))] < -0.16  # cheapest near -20%
    assert cost[3] > cost[2]
    assert cost[5] == cost[4]  # clipped beyond the measured range


def test_grade_adjusted_pace_is_faster_uphill() -> None:
    flat = analyse_session(_session()).metrics
    uphill = analyse_session(_session(climb_grade=0.05)).metrics
    assert flat.grade_adjusted_pace_s_per_km == pytest.approx(flat.avg_pace_s_per_km, rel=0.01)
    assert uphill.grade_adjusted_pace_s_per_km < uphill.avg_pace_s_per_km * 0.85
    assert uphill.elevation_gain_m == pytest.approx(0.05 * 5400, rel=0.02)


def test_missing_channels_give_none_never_a_number() -> None:
    t = np.arange(600, dtype=np.float64)
    samples = Samples(timestamp_s=t, distance_m=t * 3.0)
    m = segment_metrics(samples, 0, 600, sport="running", start=T0, max_hr_bpm=None)
    assert m.distance_m == pytest.approx(1797)
    for name in (
        "avg_hr_bpm",
        "time_in_hr_zones_s",
        "avg_cadence_spm",
        "avg_ground_contact_ms",
        "avg_vertical_oscillation_mm",
        "avg_step_length_m",
        "avg_power_w",
        "grade_adjusted_pace_s_per_km",
    ):
        assert getattr(m, name) is None, name
    session = Session(sport="running", start=T0, samples=samples)
    analysis = analyse_session(session)
    assert analysis.training_load is None
    assert analysis.calories_kcal is not None  # distance and time support the ACSM model


def test_pause_is_not_timer_time() -> None:
    t = np.concatenate([np.arange(300.0), 900 + np.arange(300.0)])
    samples = Samples(timestamp_s=t, distance_m=np.arange(600) * 3.0)
    m = segment_metrics(samples, 0, 600, sport="running", start=T0, max_hr_bpm=None)
    assert m.elapsed_time_s == 1199
    assert m.timer_time_s == 598


def test_zones_and_load_use_the_given_max_hr() -> None:
    session = _session()
    own = analyse_session(session, AnalysisSettings(max_hr_bpm=200.0))
    observed = analyse_session(session)
    zones = own.metrics.time_in_hr_zones_s
    assert zones is not None
    assert sum(zones.values()) == pytest.approx(own.metrics.timer_time_s)
    assert own.assumptions["max_hr_source"] == "given"
    assert str(observed.assumptions["max_hr_source"]).startswith("assumed")
    assert own.training_load is not None and observed.training_load is not None
    assert own.training_load < observed.training_load  # a higher max makes it easier


def test_warmup_strides_and_cadence_drift_are_detected() -> None:
    with_strides = _session(strides_at=(100, 200, 300, 400))
    bursts = detect_warmup_bursts(with_strides.samples)
    assert [b.kind for b in bursts] == ["stride"] * 4
    assert [round(b.start_offset_s) for b in bursts] == [100, 200, 300, 400]
    assert detect_warmup_bursts(_session().samples) == ()
    drift = cadence_drift_pct(_session(cadence_drop_last_third_pct=6).samples)
    assert drift is not None and drift[0] == pytest.approx(-6, abs=0.7)
    kinds = {i.kind for i in analyse_session(_session(cadence_drop_last_third_pct=6)).insights}
    assert "cadence_drift" in kinds


def test_reference_cadence_rises_gently_with_speed() -> None:
    assert reference_cadence_spm(10 / 3.6) == pytest.approx(164)
    assert reference_cadence_spm(4.0) > reference_cadence_spm(3.0)
    assert 150 <= reference_cadence_spm(1.0) <= reference_cadence_spm(9.0) <= 200


@settings(max_examples=40, deadline=None)
@given(
    speeds=st.lists(st.floats(0.0, 7.0), min_size=10, max_size=400),
    gaps=st.lists(st.sampled_from([1.0, 1.0, 2.0, 5.0, 60.0]), min_size=10, max_size=400),
)
def test_metric_invariants(speeds: list[float], gaps: list[float]) -> None:
    n = min(len(speeds), len(gaps))
    t = np.concatenate(([0.0], np.cumsum(gaps[: n - 1])))
    speed = np.asarray(speeds[:n])
    distance = np.concatenate(([0.0], np.cumsum(speed[:-1] * np.minimum(np.diff(t), 5))))
    samples = Samples(timestamp_s=t, distance_m=distance, speed_m_s=speed)
    m = segment_metrics(samples, 0, n, sport="running", start=T0, max_hr_bpm=None)
    assert m.distance_m is not None and m.distance_m >= 0
    assert 0 <= m.timer_time_s <= m.elapsed_time_s
    assert m.moving_time_s is not None and m.moving_time_s <= m.timer_time_s
    splits = splits_per_km(samples)
    assert sum(s.distance_m for s in splits) <= m.distance_m + 1e-6
    assert sum(s.time_s for s in splits) <= m.timer_time_s + 1e-6
    assert all(s.time_s > 0 for s in splits)
    if not any(g > MAX_SAMPLE_GAP_S for g in gaps[: n - 1]):
        assert m.timer_time_s == pytest.approx(m.elapsed_time_s)
