"""Computed metrics against the devices' own summaries, on real recordings.

Tolerances (issue 3): distance within 1%, heart rate within 2 bpm, cadence within
2 steps/min, ground contact time within 5 ms. Every number is computed from the records;
the device summary is only compared with.

Documented exceptions (the device summary cannot be reproduced from the file's own
records, checked below so the note stays true):

* cadence: devices average differently. FR35, FR955, fenix 2 and the Stryd/IpBike apps
  average non-zero cadence; FR920XT and fenix 6X (roznet) average the zeros of stops in,
  and the Wahoo app file matches only with stops. A session passes when either of
  ``avg_cadence_spm`` (moving-only, ours) or ``avg_cadence_incl_stops_spm`` agrees.
* ``heartandsole/testdata.fit`` (FR220, 3 min, 59% zero cadence): the device says
  42.9 steps/min, which is neither convention (ours 130 moving, 46 with stops).
* ``python-fitparse/garmin-fenix-5-run.fit`` (57 s, 21 smart-recording records):
  device cadence 167.3 and contact 270 ms come from its internal 1 Hz stream; the 21
  records give 173/161 and 294 ms.
* ``python-fitparse/activity-small-fenix2-run.fit``: device contact time 252 ms vs 242 ms
  from the records; laps 2-3 agree within 1 ms, lap 4 (device 302 ms vs 272 ms) carries
  the difference; the device's session value equals its laps' time-weighted mean, so the
  summary is self-consistent but not reproducible from the recorded stance_time.
* Distance is compared for sessions of at least 500 m (transitions of a few metres
  differ by rounding).
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

import pytest

from stridelab.activities.analysis import ActivityAnalysis, analyse_activity
from stridelab.activities.readers import read_activity

DISTANCE_REL_TOL: Final = 0.01
HR_TOL_BPM: Final = 2.0
CADENCE_TOL_SPM: Final = 2.0
CONTACT_TOL_MS: Final = 5.0
MIN_COMPARED_DISTANCE_M: Final = 500.0

#: (file, metric) → why the device summary is not reproducible from the records.
KNOWN_DISCREPANCIES: Final[dict[tuple[str, str], str]] = {
    ("heartandsole/testdata.fit", "avg_cadence_spm"): "device 42.9 fits no convention",
    ("python-fitparse/garmin-fenix-5-run.fit", "avg_cadence_spm"): "21 records for 57 s",
    ("python-fitparse/garmin-fenix-5-run.fit", "avg_ground_contact_ms"): "21 records",
    ("python-fitparse/activity-small-fenix2-run.fit", "avg_ground_contact_ms"): "lap 4",
}
#: Not real runs or not decodable in strict mode (see MANIFEST.md).
SKIPPED: Final = ("muktihari-fit/big_activity.fit", "strava-android-app-201.10-b1218918.fit")


def _fit_files(root: Path) -> list[Path]:
    return [p for p in sorted((root / "fit").rglob("*.fit")) if not str(p).endswith(SKIPPED)]


def _analyse(path: Path) -> ActivityAnalysis:
    return analyse_activity(read_activity(path))


def _key(path: Path) -> str:
    return f"{path.parent.name}/{path.name}"


@pytest.fixture(scope="module")
def analysed(shared_activities: Path) -> dict[str, ActivityAnalysis]:
    files = _fit_files(shared_activities) + sorted((shared_activities / "tcx").rglob("*.tcx"))
    return {_key(p): _analyse(p) for p in files}


def _compared(analysed: dict[str, ActivityAnalysis]) -> list[tuple[str, str, float, float]]:
    """(file, metric, ours, device) for every comparable running value."""
    rows = []
    for name, analysis in analysed.items():
        for session in analysis.sessions:
            ours = session.metrics
            device = session.device_summary
            dist = device.get("distance_m")
            if isinstance(dist, float) and dist >= MIN_COMPARED_DISTANCE_M and ours.distance_m:
                rows.append((name, "distance_m", ours.distance_m, dist))
            if ours.sport != "running":
                continue
            for metric in ("avg_hr_bpm", "max_hr_bpm", "avg_cadence_spm", "avg_ground_contact_ms"):
                value, theirs = getattr(ours, metric), device.get(metric)
                if value is not None and isinstance(theirs, int | float):
                    rows.append((name, metric, value, float(theirs)))
    return rows


def _agrees(
    analysed: dict[str, ActivityAnalysis], name: str, metric: str, ours: float, device: float
) -> bool:
    if metric == "distance_m":
        return abs(ours - device) <= DISTANCE_REL_TOL * device
    if metric.endswith("hr_bpm"):
        return abs(ours - device) <= HR_TOL_BPM
    if metric == "avg_ground_contact_ms":
        return abs(ours - device) <= CONTACT_TOL_MS
    sessions = [s for s in analysed[name].sessions if s.metrics.sport == "running"]
    with_stops = [s.metrics.avg_cadence_incl_stops_spm for s in sessions]
    candidates = [ours, *(v for v in with_stops if v is not None)]
    return any(abs(c - device) <= CADENCE_TOL_SPM for c in candidates)


def test_computed_metrics_agree_with_the_device(analysed: dict[str, ActivityAnalysis]) -> None:
    rows = _compared(analysed)
    assert len(rows) > 80
    failures = [
        f"{name} {metric}: ours {ours:.1f}, device {device:.1f}"
        for name, metric, ours, device in rows
        if (name, metric) not in KNOWN_DISCREPANCIES
        and not _agrees(analysed, name, metric, ours, device)
    ]
    assert failures == []


def test_known_discrepancies_are_still_real(analysed: dict[str, ActivityAnalysis]) -> None:
    rows = {(name, metric): (ours, dev) for name, metric, ours, dev in _compared(analysed)}
    for key in KNOWN_DISCREPANCIES:
        assert key in rows, key
        assert not _agrees(analysed, *key, *rows[key]), key


def test_running_dynamics_present_where_recorded(analysed: dict[str, ActivityAnalysis]) -> None:
    fr955 = analysed["goldencheetah/FR955v18_14211916346_ACTIVITY.fit"].sessions[0]
    assert fr955.metrics.avg_ground_contact_ms == pytest.approx(279.2, abs=1)
    assert fr955.metrics.avg_vertical_oscillation_mm == pytest.approx(87.5, abs=1)
    assert fr955.metrics.avg_step_length_m == pytest.approx(1.024, abs=0.02)
    assert fr955.metrics.step_length_source == "recorded"
    gps_only = analysed["goldencheetah/10kUNLP2014-Garmin15.fit"].sessions[0].to_dict()
    for metric in ("avg_hr_bpm", "avg_cadence_spm", "avg_ground_contact_ms", "training_load"):
        assert gps_only[metric] is None


def test_multisport_gives_one_entry_per_session(analysed: dict[str, ActivityAnalysis]) -> None:
    triathlon = analysed["muktihari-fit/triathlon_summary_first.fit"]
    assert [s.metrics.sport for s in triathlon.sessions] == [
        "swimming",
        "transition",
        "cycling",
        "transition",
        "running",
    ]
    last = analysed["muktihari-fit/triathlon_summary_last.fit"]
    assert [s.to_dict()["distance_m"] for s in last.sessions] == [
        s.to_dict()["distance_m"] for s in triathlon.sessions
    ]


@pytest.mark.parametrize("stem", ["4426508309", "testdata"])
def test_same_run_as_fit_tcx_gpx_agrees(shared_activities: Path, stem: str) -> None:
    base = shared_activities
    prefix = "activity_" if stem.isdigit() else ""
    fit = _analyse(base / f"fit/heartandsole/{stem}.fit").sessions[0].metrics
    tcx = _analyse(base / f"tcx/heartandsole/{prefix}{stem}.tcx").sessions[0].metrics
    gpx = _analyse(base / f"gpx/heartandsole/{prefix}{stem}.gpx").sessions[0].metrics
    for other in (tcx, gpx):
        assert other.start == fit.start
        assert other.elapsed_time_s == fit.elapsed_time_s
        assert other.avg_hr_bpm == pytest.approx(fit.avg_hr_bpm, abs=0.5)
        assert other.max_hr_bpm == fit.max_hr_bpm
        assert other.avg_cadence_spm == pytest.approx(fit.avg_cadence_spm, abs=1.5)
    assert tcx.distance_m == pytest.approx(fit.distance_m, rel=0.001)
    # GPX has no distance: haversine over raw fixes. Over 9 km it is within 0.5% of the
    # watch; over testdata's 160 m of standing and shuffling, GPS noise adds 18%.
    assert gpx.distance_m == pytest.approx(fit.distance_m, rel=0.005 if stem.isdigit() else 0.2)


def test_fr15_race_fit_and_tcx_agree(shared_activities: Path) -> None:
    fit = _analyse(shared_activities / "fit/goldencheetah/10kUNLP2014-Garmin15.fit").sessions[0]
    tcx = _analyse(shared_activities / "tcx/goldencheetah/10kUNLP2014-Garmin15.tcx").sessions[0]
    assert tcx.metrics.distance_m == pytest.approx(fit.metrics.distance_m, rel=1e-4)
    assert [s.time_s for s in tcx.splits] == [s.time_s for s in fit.splits]
    assert len(tcx.laps) == len(fit.laps) == 11


def test_laps_mostly_agree_with_the_device(analysed: dict[str, ActivityAnalysis]) -> None:
    """Laps of running sessions: measured 137/140 distances, 133/137 HR, 127/136 cadences
    and 29/31 contact times agree. The misses are autolap boundaries falling between sparse
    smart-recording records (FR70/FR110: up to 8 s apart, 1-2% of a 1 km lap), laps of under
    two minutes, testdata.fit's cadence and the fenix 2 multisport laps, whose device cadence
    is twice the recorded one."""
    checks = {
        "distance_m": (0.01, True),
        "avg_hr_bpm": (HR_TOL_BPM, False),
        "avg_cadence_spm": (CADENCE_TOL_SPM, False),
        "avg_ground_contact_ms": (CONTACT_TOL_MS, False),
    }
    passed = dict.fromkeys(checks, 0)
    total = dict.fromkeys(checks, 0)
    for analysis in analysed.values():
        for session in analysis.sessions:
            if session.metrics.sport != "running":
                continue
            for lap, device in zip(session.laps, session.lap_device_summaries, strict=True):
                for key, (tol, relative) in checks.items():
                    ours, theirs = getattr(lap, key), device.get(key)
                    if ours is None or not isinstance(theirs, int | float):
                        continue
                    if key == "distance_m" and theirs < MIN_COMPARED_DISTANCE_M:
                        continue
                    candidates = [ours]
                    if key == "avg_cadence_spm" and lap.avg_cadence_incl_stops_spm is not None:
                        candidates.append(lap.avg_cadence_incl_stops_spm)
                    limit = tol * theirs if relative else tol
                    total[key] += 1
                    passed[key] += any(abs(c - theirs) <= limit for c in candidates)
    assert total["distance_m"] > 100 and total["avg_ground_contact_ms"] > 20
    assert passed["distance_m"] / total["distance_m"] >= 0.97
    assert passed["avg_hr_bpm"] / total["avg_hr_bpm"] >= 0.95
    assert passed["avg_cadence_spm"] / total["avg_cadence_spm"] >= 0.9
    assert passed["avg_ground_contact_ms"] / total["avg_ground_contact_ms"] >= 0.9
