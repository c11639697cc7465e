"""Synthetic training histories whose physiology matches a known VDOT and max HR.

Every run is written as a FIT file by the project's own encoder and read back by the
reader, so the fitness code sees exactly what an import would. Easy runs go at the speed
whose oxygen cost is a chosen %VO2max of the runner's VDOT, with the heart rate the
%HRmax–%VO2max relation gives for it (Runalyze's regression of Daniels' table); races
and hard efforts run at the speed the Daniels–Gilbert curve gives for their duration.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import numpy as np

from stridelab.activities.model import Samples
from stridelab.activities.readers import read_activity_bytes
from stridelab.activities.readers.fit_encode import encode_activity
from stridelab.physiology.vdot import (
    oxygen_cost_ml_kg_min,
    predict_race_time_s,
    speed_at_vo2_m_s,
)

#: Warm-ups and cool-downs are jogged at this fraction of VO2max.
JOG_FRACTION = 0.62


@dataclass(frozen=True)
class Runner:
    """A synthetic runner: the truth the estimates are checked against."""

    vdot: float
    max_hr_bpm: float
    resting_hr_bpm: float = 55.0

    def hr_at_fraction(self, vo2_fraction: float) -> float:
        """Steady-state HR at a %VO2max: %HRmax = 0.68725·ln(%VO2max) + 1.00466."""
        return self.max_hr_bpm * (0.68725 * math.log(vo2_fraction) + 1.00466)

    def speed_at_fraction(self, vo2_fraction: float) -> float:
        """Speed (m/s) whose oxygen cost is ``vo2_fraction`` of VDOT."""
        return speed_at_vo2_m_s(self.vdot * vo2_fraction)

    def race_speed(self, distance_m: float) -> float:
        """All-out speed over ``distance_m`` on the Daniels–Gilbert curve."""
        return distance_m / predict_race_time_s(self.vdot, distance_m)


def _epoch(day: dt.date, hour: int = 7) -> float:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=dt.UTC).timestamp()


def fit_bytes(
    day: dt.date,
    speed_m_s: np.ndarray,
    hr_bpm: np.ndarray | None = None,
    altitude_m: np.ndarray | None = None,
    *,
    with_distance: bool = True,
    sport: str = "running",
) -> bytes:
    """A 1 Hz running FIT file with the given per-second speed (and HR, altitude)."""
    n = len(speed_m_s)
    t = _epoch(day) + np.arange(n, dtype=np.float64)
    distance = np.round(np.concatenate(([0.0], np.cumsum(speed_m_s[:-1]))), 2)
    records: dict[str, np.ndarray] = {"timestamp": t}
    if with_distance:
        records["distance"] = distance
        records["enhanced_speed"] = np.round(speed_m_s, 3)
    if hr_bpm is not None:
        records["heart_rate"] = np.round(hr_bpm)
    if altitude_m is not None:
        records["enhanced_altitude"] = np.round(altitude_m, 1)
    session = {
        "timestamp": float(t[-1]) + 1,
        "start_time": float(t[0]),
        "sport": sport,
        "total_elapsed_time": float(n),
        "total_timer_time": float(n),
        "total_distance": float(distance[-1]) if with_distance else 0.0,
    }
    return encode_activity(records, sessions=[session])


def samples_of(data: bytes) -> Samples:
    """The samples the reader gets back from a file."""
    return read_activity_bytes(data, "synthetic.fit").sessions[0].samples


def hr_response(target_bpm: np.ndarray, start_bpm: float, tau_s: float = 30.0) -> np.ndarray:
    """Heart rate following its target with a first-order lag (time constant ``tau_s``)."""
    hr = np.empty_like(target_bpm)
    level = start_bpm
    alpha = 1.0 - math.exp(-1.0 / tau_s)
    for i, target in enumerate(target_bpm):
        level += alpha * (target - level)
        hr[i] = level
    return hr


def easy_run(
    runner: Runner, minutes: float, fraction: float = 0.68
) -> tuple[np.ndarray, np.ndarray]:
    """Per-second speed and HR of a steady run at ``fraction`` of VO2max."""
    n = int(minutes * 60)
    speed = np.full(n, runner.speed_at_fraction(fraction))
    hr = hr_response(np.full(n, runner.hr_at_fraction(fraction)), runner.resting_hr_bpm + 30)
    return speed, hr


def race_run(runner: Runner, distance_m: float) -> tuple[np.ndarray, np.ndarray]:
    """10 min jog, an all-out ``distance_m`` on the VDOT curve, 10 min jog.

    The race's heart rate climbs from 90 % to 100 % of max, reached in the final kick.
    """
    jog = runner.speed_at_fraction(JOG_FRACTION)
    race_speed = runner.race_speed(distance_m)
    race_s = math.ceil(distance_m / race_speed)
    speed = np.concatenate((np.full(600, jog), np.full(race_s, race_speed), np.full(600, jog)))
    target = np.concatenate(
        (
            np.full(600, runner.hr_at_fraction(JOG_FRACTION)),
            np.linspace(0.90, 1.0, race_s) * runner.max_hr_bpm,
            np.full(600, runner.hr_at_fraction(JOG_FRACTION)),
        )
    )
    return speed, hr_response(target, runner.resting_hr_bpm + 30)


def effort_run(
    jog_m_s: float, effort_s: int, effort_m_s: float, hr_bpm: float = 170.0
) -> tuple[np.ndarray, np.ndarray]:
    """10 min jog, one effort of ``effort_s`` seconds at ``effort_m_s``, 10 min jog."""
    speed = np.concatenate(
        (np.full(600, jog_m_s), np.full(effort_s, effort_m_s), np.full(600, jog_m_s))
    )
    return speed, np.full(len(speed), hr_bpm)


def vo2_check(speed_m_s: float) -> float:
    """The oxygen cost of a speed (for assertions)."""
    return oxygen_cost_ml_kg_min(speed_m_s * 60.0)
