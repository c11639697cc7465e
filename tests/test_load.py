from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from stridelab.errors import PhysiologyError
from stridelab.physiology.load import (
    ATL_DAYS,
    CTL_DAYS,
    MAX_ACWR,
    ACWRMethod,
    LoadMethod,
    Sex,
    Smoothing,
    acute_chronic_ratio,
    banister_trimp,
    daily_load_series,
    ewma_load,
    fitness_fatigue,
    rtss,
    rtss_from_speed_series,
    session_load,
    smoothing_factor,
    trimp_from_hr_series,
    weekly_acute_chronic_ratio,
)


def test_constants() -> None:
    assert (CTL_DAYS, ATL_DAYS, MAX_ACWR) == (42, 7, 1.3)


def test_banister_trimp_known_value() -> None:
    # 60 min at ΔHR 0.7: 60 × 0.7 × 0.64 × e^(1.92×0.7)
    expected = 60 * 0.7 * 0.64 * math.exp(1.92 * 0.7)
    assert banister_trimp(3600, 50 + 0.7 * 140, 50, 190) == pytest.approx(expected)
    female = 60 * 0.7 * 0.86 * math.exp(1.67 * 0.7)
    assert banister_trimp(3600, 148, 50, 190, Sex.FEMALE) == pytest.approx(female)


def test_trimp_series_matches_steady_formula() -> None:
    t = np.arange(0, 3601, 1.0)
    hr = np.full_like(t, 148.0)
    assert trimp_from_hr_series(t, hr, 50, 190) == pytest.approx(banister_trimp(3600, 148, 50, 190))


def test_trimp_ignores_pauses_and_missing_hr() -> None:
    t = np.r_[np.arange(0, 600.0), np.arange(1200, 1800.0)]  # 10-min pause in the middle
    hr = np.full_like(t, 150.0)
    hr[:10] = np.nan
    assert trimp_from_hr_series(t, hr, 50, 190) == pytest.approx(
        banister_trimp(1199 - 10, 150, 50, 190), rel=1e-3
    )


def test_rtss_one_hour_at_threshold_is_100() -> None:
    assert rtss(3600, 270, 270) == pytest.approx(100)
    assert rtss(3600, 300, 270) < 100
    t = np.arange(0, 3601, 1.0)
    assert rtss_from_speed_series(t, np.full_like(t, 1000 / 270), 270) == pytest.approx(100)


def test_session_load_prefers_hr_then_pace() -> None:
    t = np.arange(0, 1800, 1.0)
    hr = np.full_like(t, 150.0)
    v = np.full_like(t, 3.0)
    assert session_load(t, hr_bpm=hr, rest_hr_bpm=50, max_hr_bpm=190).method is LoadMethod.TRIMP
    no_hr = session_load(
        t,
        hr_bpm=np.full_like(t, np.nan),
        speed_m_s=v,
        rest_hr_bpm=50,
        max_hr_bpm=190,
        threshold_pace_s_per_km=270,
    )
    assert no_hr.method is LoadMethod.RTSS
    with pytest.raises(PhysiologyError, match="threshold pace"):
        session_load(t, speed_m_s=v)


def test_bad_hr_and_threshold() -> None:
    with pytest.raises(PhysiologyError, match="resting HR"):
        banister_trimp(3600, 150, 190, 50)
    with pytest.raises(PhysiologyError, match="seconds per km"):
        rtss(3600, 270, 4.5)


def test_daily_load_series_sums_sessions() -> None:
    daily = daily_load_series([0, 0, 2, 5], [10, 5, 20, 30])
    assert daily.tolist() == [15, 0, 20, 0, 0, 30]
    assert daily_load_series([1], [3], n_days=3).tolist() == [0, 3, 0]


def test_smoothing_conventions() -> None:
    assert smoothing_factor(42) == pytest.approx(1 - math.exp(-1 / 42))
    assert smoothing_factor(42, Smoothing.RECIPROCAL) == pytest.approx(1 / 42)


def test_ewma_impulse_decays_with_time_constant() -> None:
    load = np.zeros(50)
    load[0] = 100.0
    atl = ewma_load(load, ATL_DAYS)
    # after τ days the response has fallen by e
    assert atl[ATL_DAYS] / atl[0] == pytest.approx(math.exp(-1))


@given(constant=st.floats(1.0, 300.0), initial=st.floats(0.0, 300.0))
def test_ctl_atl_converge_to_constant_load(constant: float, initial: float) -> None:
    days = 600
    ff = fitness_fatigue(np.full(days, constant), initial_ctl=initial, initial_atl=initial)
    # the gap closes as e^(−t/τ) with k = 1 − e^(−1/τ)
    start_gap = abs(initial - constant)
    assert abs(ff.ctl[-1] - constant) <= start_gap * math.exp(-days / CTL_DAYS) + 1e-9
    assert abs(ff.atl[-1] - constant) <= start_gap * math.exp(-days / ATL_DAYS) + 1e-9
    # monotone approach, never overshooting
    gaps = np.abs(ff.ctl - constant)
    assert np.all(np.diff(gaps) <= 1e-9)


@given(
    steady=st.floats(20.0, 200.0),
    taper_fraction=st.floats(0.0, 0.9),
    taper_days=st.integers(3, 21),
)
def test_taper_drops_atl_faster_than_ctl(
    steady: float, taper_fraction: float, taper_days: int
) -> None:
    load = np.r_[np.full(200, steady), np.full(taper_days, steady * taper_fraction)]
    ff = fitness_fatigue(load)
    atl_drop = ff.atl[199] - ff.atl[-1]
    ctl_drop = ff.ctl[199] - ff.ctl[-1]
    assert atl_drop > ctl_drop > 0
    assert ff.tsb[-1] > ff.tsb[199]  # form improves


def test_acwr_spike_exceeds_guard_and_steady_does_not() -> None:
    steady = np.full(300, 50.0)
    for method in ACWRMethod:
        assert acute_chronic_ratio(steady, method)[-1] == pytest.approx(1.0, abs=1e-3)
    spike = np.r_[steady, np.full(7, 100.0)]
    for method in ACWRMethod:
        assert acute_chronic_ratio(spike, method)[-1] > MAX_ACWR
    assert math.isnan(acute_chronic_ratio(np.zeros(10))[-1])


def test_weekly_ratio() -> None:
    ratio = weekly_acute_chronic_ratio([30, 30, 30, 30, 45])
    assert ratio[:4].tolist() == [1, 1, 1, 1]
    assert ratio[-1] == pytest.approx(45 / np.mean([30, 30, 30, 45]))
    assert math.isnan(weekly_acute_chronic_ratio([0, 0])[0])


@given(st.lists(st.floats(20.0, 100.0), min_size=1, max_size=30))
def test_weekly_ratio_of_ten_percent_ramp_stays_under_guard(start: list[float]) -> None:
    weeks = start[0] * 1.1 ** np.arange(12)
    assert np.all(weekly_acute_chronic_ratio(weeks) <= MAX_ACWR)
