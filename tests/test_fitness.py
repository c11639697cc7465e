"""Fitness from runs: best efforts, effective VDOT, max HR, critical speed, zones."""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fitness_history import (
    Runner,
    easy_run,
    effort_run,
    fit_bytes,
    race_run,
    samples_of,
)
from stridelab.activities.model import Samples
from stridelab.activities.readers import read_activity
from stridelab.errors import StridelabError
from stridelab.physiology.best_efforts import (
    DISTANCE_EFFORTS_M,
    DURATION_EFFORTS_S,
    best_distance_efforts,
    best_duration_efforts,
    cumulative_columns,
    grade_adjusted_distance_m,
    run_efforts,
)
from stridelab.physiology.critical_speed import fit_critical_speed
from stridelab.physiology.fitness import (
    FitnessPins,
    estimate_fitness,
    run_facts,
    vdot_history,
    volume_adjusted_marathon_s,
)
from stridelab.physiology.heart_rate import (
    credible_max_hr_bpm,
    estimate_max_hr,
    friel_hr_zones,
    tanaka_max_hr_bpm,
    vdot_from_heart_rate,
)

TODAY = dt.date(2027, 3, 1)


def _samples(speed: np.ndarray, hr: np.ndarray | None = None) -> Samples:
    t = 1_800_000_000.0 + np.arange(len(speed), dtype=np.float64)
    d = np.concatenate(([0.0], np.cumsum(speed[:-1])))
    return Samples(timestamp_s=t, distance_m=d, heart_rate_bpm=hr)


def brute_force_distance(t: np.ndarray, d: np.ndarray, target: float) -> float | None:
    """Every start against every later sample (each row at once), the least time."""
    best = None
    for i in range(len(t)):
        reached = np.nonzero(d[i + 1 :] - d[i] >= target)[0]
        if len(reached):
            time = float(t[i + 1 + reached[0]] - t[i])
            best = time if best is None or time < best else best
    return best


def brute_force_duration(t: np.ndarray, d: np.ndarray, target: float) -> float | None:
    """Every start against the first sample ``target`` seconds later, the best speed."""
    best = None
    for i in range(len(t)):
        reached = np.nonzero(t[i + 1 :] - t[i] >= target)[0]
        if len(reached):
            j = i + 1 + reached[0]
            speed = float((d[j] - d[i]) / (t[j] - t[i]))
            best = speed if best is None or speed > best else best
    return best


# -- best efforts ---------------------------------------------------------------------


def test_runalyze_check_10k_at_95_percent_gives_about_50() -> None:
    speed = 10_000 / (41 * 60 + 21)
    vdot = vdot_from_heart_rate(speed, 0.95 * 190, 190)
    assert vdot is not None
    assert vdot == pytest.approx(50, abs=1.0)


def test_best_efforts_of_a_run_with_a_fast_kilometre() -> None:
    speed = np.concatenate((np.full(600, 3.0), np.full(250, 4.0), np.full(600, 3.0)))
    efforts = {e.name: e for e in run_efforts(_samples(speed)).efforts}
    assert efforts["1k"].time_s == pytest.approx(250, abs=1)
    assert efforts["400m"].time_s == pytest.approx(100, abs=1)
    assert efforts["2min"].speed_m_s == pytest.approx(4.0, abs=0.01)
    assert "5k" not in efforts  # the run is 4.6 km


def test_gps_jump_is_dropped_and_reported() -> None:
    speed = np.full(1200, 3.0)
    speed[500] = 900.0  # a 900 m jump in one second
    result = run_efforts(_samples(speed))
    efforts = {e.name: e for e in result.efforts}
    assert result.dropped_segments == 1
    assert result.dropped_distance_m == pytest.approx(900)
    assert efforts["1k"].time_s == pytest.approx(1000 / 3.0, abs=1)
    assert "GPS jump" in result.dropped[0]


def test_effort_faster_than_world_record_is_dropped() -> None:
    speed = np.concatenate((np.full(300, 3.0), np.full(130, 8.3), np.full(300, 3.0)))
    result = run_efforts(_samples(speed))
    names = {e.name for e in result.efforts}
    assert "1k" not in names
    assert any("1k" in reason and "world record" in reason for reason in result.dropped)


def test_treadmill_without_distance_has_no_efforts() -> None:
    t = 1_800_000_000.0 + np.arange(1800, dtype=np.float64)
    samples = Samples(timestamp_s=t, heart_rate_bpm=np.full(1800, 150.0))
    assert run_efforts(samples).efforts == ()
    assert run_facts(1, TODAY, samples, None, 1800).efforts == ()


def test_uphill_effort_is_faster_grade_adjusted() -> None:
    speed = np.full(2000, 3.0)
    t = 1_800_000_000.0 + np.arange(2000, dtype=np.float64)
    d = np.concatenate(([0.0], np.cumsum(speed[:-1])))
    climb = Samples(timestamp_s=t, distance_m=d, altitude_m=100 + 0.05 * d)
    flat = Samples(timestamp_s=t, distance_m=d, altitude_m=np.full(2000, 100.0))
    up = {e.name: e for e in run_efforts(climb).efforts}["5k"]
    level = {e.name: e for e in run_efforts(flat).efforts}["5k"]
    assert up.time_s == pytest.approx(level.time_s)
    assert up.grade_adjusted_time_s is not None and level.grade_adjusted_time_s is not None
    assert up.grade_adjusted_time_s < 0.85 * up.time_s  # a 5 % climb costs ~ 25 % more
    assert level.grade_adjusted_time_s == pytest.approx(level.time_s)
    adjusted = grade_adjusted_distance_m(d, 100 + 0.05 * d)
    assert np.all(np.diff(adjusted) >= 0)


def test_best_efforts_match_brute_force_on_random_runs() -> None:
    rng = np.random.default_rng(7)
    speed = np.clip(3.0 + rng.normal(0, 0.8, 700).cumsum() * 0.02, 1.0, 6.0)
    samples = _samples(speed)
    columns = cumulative_columns(samples)
    assert columns is not None
    t, d, _, _ = columns
    efforts = {e.name: e for e in run_efforts(samples).efforts}
    for name, target in {"400m": 400.0, "1k": 1000.0}.items():
        assert efforts[name].time_s == brute_force_distance(t, d, target)
    for name in ("2min", "5min"):
        ref = brute_force_duration(t, d, DURATION_EFFORTS_S[name])
        assert efforts[name].speed_m_s == pytest.approx(ref, rel=1e-12)


def every_start_distance(t: np.ndarray, d: np.ndarray, target: float) -> tuple[int, int] | None:
    """The end of every start searched, the first fastest pair (what the blocks must equal)."""
    ends = np.searchsorted(d, d + target, side="left")
    starts = np.nonzero(ends < len(d))[0]
    if d[-1] - d[0] < target or not len(starts):
        return None
    k = int(np.argmin(t[ends[starts]] - t[starts]))
    return int(starts[k]), int(ends[starts][k])


def every_start_duration(t: np.ndarray, d: np.ndarray, target: float) -> tuple[int, int] | None:
    """The end of every start searched, the first pair of the best mean speed."""
    ends = np.searchsorted(t, t + target, side="left")
    starts = np.nonzero(ends < len(t))[0]
    if t[-1] - t[0] < target or not len(starts):
        return None
    e = ends[starts]
    speed = (d[e] - d[starts]) / (t[e] - t[starts])
    k = int(np.argmax(speed))
    return (int(starts[k]), int(e[k])) if speed[k] > 0 else None


@settings(max_examples=60, deadline=None)
@given(
    steps=st.lists(st.sampled_from([0.0, 2.0, 3.0, 3.0, 4.0, 40.0]), min_size=2, max_size=600),
    gaps=st.lists(st.sampled_from([1.0, 1.0, 1.0, 2.0, 5.0]), min_size=2, max_size=600),
)
def test_block_search_finds_the_same_pair_as_every_start(
    steps: list[float], gaps: list[float]
) -> None:
    """Few distinct speeds make many ties: the pair (not only the time) must be the first."""
    n = min(len(steps), len(gaps))
    t = np.cumsum(np.array(gaps[:n])) - gaps[0]
    d = np.concatenate(([0.0], np.cumsum(np.array(steps[1:n]) * np.diff(t))))
    targets_m = {"a": 50.0, "b": 120.0, "c": 400.0, "d": 1000.0}
    targets_s = {"a": 10.0, "b": 30.0, "c": 120.0}
    found_m = best_distance_efforts(t, d, targets_m)
    for name, target in targets_m.items():
        assert found_m.get(name) == every_start_distance(t, d, target)
    found_s = best_duration_efforts(t, d, targets_s)
    for name, target in targets_s.items():
        assert found_s.get(name) == every_start_duration(t, d, target)


def _real_runs(shared_activities: Path) -> list[Path]:
    files = sorted(
        p
        for p in shared_activities.rglob("*")
        if p.suffix.lower() in {".fit", ".tcx", ".gpx"} and p.stat().st_size < 3_000_000
    )
    if not files:
        pytest.skip("no activity files in ../shared/data/activities")
    return files


def test_real_files_best_efforts_equal_brute_force(shared_activities: Path) -> None:
    checked = 0
    for path in _real_runs(shared_activities):
        try:
            activity = read_activity(path)
        except StridelabError:  # damaged and unsupported files are other tests' job
            continue
        for session in activity.sessions:
            columns = cumulative_columns(session.samples)
            if columns is None or len(columns[0]) > 4000 or columns[1][-1] < 1000:
                continue
            t, d, _, _ = columns
            efforts = {e.name: e for e in run_efforts(session.samples).efforts}
            for name in ("400m", "1k"):
                if name in efforts:
                    assert efforts[name].time_s == brute_force_distance(
                        t, d, DISTANCE_EFFORTS_M[name]
                    ), (path, name)
            for name in ("2min", "5min"):
                if name in efforts:
                    ref = brute_force_duration(t, d, DURATION_EFFORTS_S[name])
                    assert efforts[name].speed_m_s == pytest.approx(ref, rel=1e-9), (path, name)
            checked += 1
    if not checked:
        pytest.skip("no real run with distance of a size the brute force can check")


# -- heart rate ------------------------------------------------------------------------


def test_max_hr_spike_is_removed() -> None:
    hr = np.full(600, 165.0)
    hr[300:302] = 215.0  # a two-sample optical spike
    hr[400:410] = 181.0
    samples = _samples(np.full(600, 3.0), hr)
    assert credible_max_hr_bpm(samples) == 181.0


def test_max_hr_sources_in_order() -> None:
    assert estimate_max_hr(185.0, 178.0, "2027-01-01", 40).source == "profile"
    observed = estimate_max_hr(None, 178.0, "2027-01-01", 40)
    assert observed.bpm == 178.0 and "2027-01-01" in observed.source
    tanaka = estimate_max_hr(None, 150.0, "2027-01-01", 40)  # 150 is > 2 SD below 180
    assert tanaka.bpm == tanaka_max_hr_bpm(40) == 180.0
    assert tanaka.source.startswith("Tanaka formula from age 40 (±10 bpm)")
    assert "150 bpm on 2027-01-01" in tanaka.source and not tanaka.measured
    only_age = estimate_max_hr(None, None, None, 45)
    assert only_age.source == "Tanaka formula from age 45 (±10 bpm)"
    assert only_age.bpm == pytest.approx(176.5) and only_age.uncertainty_bpm == 10.0
    assert "extrapolation" in estimate_max_hr(None, None, None, 90).source  # fitted on 18–81
    unknown = estimate_max_hr(None, None, None, None)
    assert unknown.bpm is None and not unknown.measured
    assert unknown.source.startswith("unknown") and "age" in unknown.source
    assert "Settings" in unknown.source  # says what to do


def test_friel_zones_from_lthr() -> None:
    zones = friel_hr_zones(170.0)
    assert [z.name[:3] for z in zones] == ["Z1 ", "Z2 ", "Z3 ", "Z4 ", "Z5a", "Z5b", "Z5c"]
    assert zones[1].low_bpm == pytest.approx(144.5)
    assert zones[4].low_bpm == 170.0
    assert zones[-1].high_bpm is None


# -- critical speed --------------------------------------------------------------------


def test_critical_speed_from_efforts_on_the_model_line() -> None:
    cs, d_prime = 4.2, 180.0
    facts = []
    for k, minutes in enumerate((2, 3, 5, 8, 12)):
        effort_s = minutes * 60
        speed, hr = effort_run(2.6, effort_s, cs + d_prime / effort_s)
        day = TODAY - dt.timedelta(days=3 * k + 1)
        facts.append(run_facts(k + 1, day, samples_of(fit_bytes(day, speed, hr)), None, None))
    fit = estimate_fitness(facts, TODAY, FitnessPins(max_hr_bpm=190)).critical_speed
    assert fit is not None
    assert fit.speed_m_s == pytest.approx(cs, rel=0.03)
    assert fit.d_prime_m == pytest.approx(d_prime, rel=0.15)
    assert fit.r_squared > 0.99
    assert len(fit.points) == 5


def test_critical_speed_needs_three_spread_points() -> None:
    assert fit_critical_speed([(120, 600), (180, 850)]) is None
    assert fit_critical_speed([(300, 1300), (320, 1380), (340, 1460)]) is None


# -- effective VDOT from a synthetic history -------------------------------------------


@pytest.fixture(scope="module")
def runner() -> Runner:
    return Runner(vdot=48.0, max_hr_bpm=188.0)


@pytest.fixture(scope="module")
def history(runner: Runner) -> list:
    """Eight weeks: four easy runs a week, a 5 km race in week 3, a 10 km race in week 7."""
    facts = []
    activity_id = 0
    for week in range(8):
        for offset, minutes in ((0, 40), (2, 45), (4, 35), (6, 80 if week % 2 else 60)):
            day = TODAY - dt.timedelta(days=7 * (7 - week) + 6 - offset)
            if week in (3, 7) and offset == 6:
                speed, hr = race_run(runner, 5000.0 if week == 3 else 10000.0)
            else:
                speed, hr = easy_run(runner, minutes)
            activity_id += 1
            samples = samples_of(fit_bytes(day, speed, hr))
            facts.append(
                run_facts(activity_id, day, samples, float(speed.sum()), float(len(speed)))
            )
    return facts


def test_vdot_from_history_within_1_5(runner: Runner, history: list) -> None:
    estimate = estimate_fitness(history, TODAY)
    assert estimate.vdot is not None
    assert estimate.vdot.vdot == pytest.approx(runner.vdot, abs=1.5)
    assert estimate.vdot.low <= estimate.vdot.vdot <= estimate.vdot.high
    assert estimate.vdot.race_vdot == pytest.approx(runner.vdot, abs=1.5)
    assert estimate.vdot.hr_vdot == pytest.approx(runner.vdot, abs=1.5)
    assert "best effort" in estimate.vdot.basis and "heart rate" in estimate.vdot.basis
    assert estimate.max_hr.measured
    assert estimate.max_hr.bpm == pytest.approx(runner.max_hr_bpm, abs=2)


def test_vdot_from_heart_rate_alone(runner: Runner, history: list) -> None:
    easy_only = [f for f in history if f.steady is not None]
    assert 20 < len(easy_only) < len(history)
    estimate = estimate_fitness(easy_only, TODAY, FitnessPins(max_hr_bpm=runner.max_hr_bpm))
    assert estimate.vdot is not None
    assert estimate.vdot.basis.startswith("heart rate, ")
    assert estimate.vdot.vdot == pytest.approx(runner.vdot, abs=1.5)


def test_vdot_from_heart_rate_with_tanaka_max_is_a_wide_stated_range(
    runner: Runner, history: list
) -> None:
    """Easy runs only and an age (Tanaka: 208 - 0.7 x 29 = 187.7 bpm, the runner's 188 within
    its SD): the heart-rate estimate is used, centred near the truth, its range what ±10
    bpm on the max does, and the basis says the max HR was estimated."""
    easy_only = [f for f in history if f.steady is not None]
    estimate = estimate_fitness(easy_only, TODAY, FitnessPins(age_years=29))
    assert not estimate.max_hr.measured and estimate.max_hr.source.startswith("Tanaka")
    vdot = estimate.vdot
    assert vdot is not None
    assert vdot.vdot == pytest.approx(runner.vdot, abs=1.5)
    assert vdot.low < runner.vdot < vdot.high
    assert vdot.high - vdot.low >= 4.0  # several VDOT points: ±10 bpm on the max
    assert "estimated max HR" in vdot.basis and "Tanaka" in vdot.basis
    measured = estimate_fitness(easy_only, TODAY, FitnessPins(max_hr_bpm=runner.max_hr_bpm))
    assert measured.vdot is not None
    assert measured.vdot.high - measured.vdot.low < vdot.high - vdot.low
    with_race = estimate_fitness(history, TODAY, FitnessPins(age_years=29))
    assert with_race.vdot is not None and "best effort" in with_race.vdot.basis


def test_fitness_report_shape(runner: Runner, history: list) -> None:
    estimate = estimate_fitness(history, TODAY, FitnessPins(max_hr_bpm=runner.max_hr_bpm))
    data = estimate.as_dict()
    assert set(data["predictions_s"]) >= {"5k", "10k", "half", "marathon"}
    for name, (lo, hi) in data["prediction_ranges_s"].items():
        assert lo <= data["predictions_s"][name] <= hi
    assert data["best_efforts"]["5k"]["date"] <= TODAY.isoformat()
    assert data["weekly_km"] > 20
    assert data["long_run_km"] > 10
    assert data["readiness"]["quality_sessions"]
    assert set(data["pace_zones_s_per_km"]) == {
        "easy",
        "marathon",
        "threshold",
        "interval",
        "repetition",
    }
    # the 10 km race holds the best, hard, 30 minutes: LTHR from its last 20 (Friel)
    assert data["lthr_bpm"] == pytest.approx(0.95 * runner.max_hr_bpm, abs=4)
    assert "Friel" in data["lthr_source"]
    assert len(data["hr_zones"]) == 7


def test_no_runs_gives_an_empty_report() -> None:
    estimate = estimate_fitness([], TODAY)
    data = estimate.as_dict()
    assert data["vdot"] is None and data["best_efforts"] == {}
    assert data["weekly_km"] == 0 and data["hr_zones"] == []


def test_history_moves_with_fitness(runner: Runner, history: list) -> None:
    points = vdot_history(history, TODAY)
    assert points[-1][0] == TODAY
    assert len(points) >= 8
    assert all(a < b for (a, _), (b, _) in itertools.pairwise(points))


def test_marathon_is_slowed_for_low_volume() -> None:
    assert volume_adjusted_marathon_s(3 * 3600, 90.0) == 3 * 3600
    assert volume_adjusted_marathon_s(3 * 3600, 40.0) > 3 * 3600 + 7 * 60


def test_history_without_heart_rate(runner: Runner) -> None:
    facts = []
    for k in range(6):
        day = TODAY - dt.timedelta(days=4 * k + 1)
        speed, _ = race_run(runner, 5000.0) if k == 2 else easy_run(runner, 40)
        facts.append(run_facts(k + 1, day, samples_of(fit_bytes(day, speed)), None, None))
    estimate = estimate_fitness(facts, TODAY)
    assert estimate.max_hr.bpm is None and estimate.max_hr.source.startswith("unknown")
    assert estimate.as_dict()["max_hr_bpm"] is None
    with_age = estimate_fitness(facts, TODAY, FitnessPins(age_years=40))
    assert with_age.as_dict()["max_hr_bpm"] == 180.0
    assert with_age.vdot == estimate.vdot  # Tanaka's estimate is shown, not used for VDOT
    assert estimate.vdot is not None and estimate.vdot.hr_vdot is None
    # Without HR every effort may be a race: the best one, the 5 km race, sets the VDOT.
    assert estimate.vdot.vdot == pytest.approx(runner.vdot, abs=1.5)
    assert estimate.lthr_bpm is None and estimate.hr_zones == ()
