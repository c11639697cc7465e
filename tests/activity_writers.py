"""Synthetic runs written as TCX and GPX by the tests themselves (no checked-in fixtures).

:func:`synthetic_run` makes 1 Hz columns for a run along a meridian; :func:`write_tcx`
and :func:`write_gpx` serialise them the way Garmin Connect does (TCX: ActivityExtension
TPX ``Speed`` and ``RunCadence`` in strides/min; GPX: TrackPointExtension ``hr``/``cad``).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import numpy as np

START = datetime(2024, 5, 4, 7, 30, tzinfo=UTC)
METRES_PER_DEGREE_LAT = 111_195.0


@dataclass(frozen=True)
class SyntheticRun:
    """1 Hz columns of a synthetic run, in SI units; cadence in steps/min."""

    start: datetime
    speed_m_s: np.ndarray
    cadence_spm: np.ndarray
    heart_rate_bpm: np.ndarray
    altitude_m: np.ndarray

    @property
    def distance_m(self) -> np.ndarray:
        return np.concatenate(([0.0], np.cumsum(self.speed_m_s[:-1])))

    @property
    def latitude_deg(self) -> np.ndarray:
        return 45.0 + self.distance_m / METRES_PER_DEGREE_LAT

    def __len__(self) -> int:
        return len(self.speed_m_s)


def synthetic_run(
    seconds: int = 1800,
    speed_m_s: float = 3.0,
    cadence_spm: float = 168.0,
    start: datetime = START,
    strides_at: tuple[int, ...] = (),
    cadence_drop_last_third_pct: float = 0.0,
    climb_grade: float = 0.0,
) -> SyntheticRun:
    """A steady run with optional 20 s strides starting at ``strides_at`` seconds."""
    speed = np.full(seconds, speed_m_s)
    cadence = np.full(seconds, cadence_spm)
    for at in strides_at:
        speed[at : at + 20] = speed_m_s * 1.6
        cadence[at : at + 20] = cadence_spm + 22
    if cadence_drop_last_third_pct:
        cadence[2 * seconds // 3 :] *= 1 - cadence_drop_last_third_pct / 100
    hr = 120 + 40 * (1 - np.exp(-np.arange(seconds) / 300.0))
    distance = np.concatenate(([0.0], np.cumsum(speed[:-1])))
    altitude = 100.0 + climb_grade * distance
    return SyntheticRun(start, speed, cadence, np.round(hr), altitude)


def _time(run: SyntheticRun, i: int) -> str:
    return (run.start + timedelta(seconds=i)).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def write_tcx(run: SyntheticRun, laps: int = 2) -> bytes:
    """Garmin-style TCX: ``laps`` equal laps, RunCadence in strides/min."""
    bounds = [int(b) for b in np.linspace(0, len(run), laps + 1)]
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<TrainingCenterDatabase xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2"'
        ' xmlns:ns3="http://www.garmin.com/xmlschemas/ActivityExtension/v2">'
        f'<Activities><Activity Sport="Running"><Id>{_time(run, 0)}</Id>'
    ]
    distance = run.distance_m
    for lo, hi in itertools.pairwise(bounds):
        lap_distance = distance[hi - 1] - (distance[lo - 1] if lo else 0.0)
        lap_time = hi - lo - (1 if hi == len(run) else 0)
        parts.append(
            f'<Lap StartTime="{_time(run, lo)}"><TotalTimeSeconds>{lap_time}'
            f"</TotalTimeSeconds><DistanceMeters>{lap_distance:.2f}</DistanceMeters>"
            f"<Calories>100</Calories><AverageHeartRateBpm><Value>"
            f"{round(float(run.heart_rate_bpm[lo:hi].mean()))}</Value></AverageHeartRateBpm>"
            f"<MaximumHeartRateBpm><Value>{int(run.heart_rate_bpm[lo:hi].max())}</Value>"
            "</MaximumHeartRateBpm><Intensity>Active</Intensity><TriggerMethod>Distance"
            "</TriggerMethod><Track>"
        )
        for i in range(lo, hi):
            parts.append(
                f"<Trackpoint><Time>{_time(run, i)}</Time><Position><LatitudeDegrees>"
                f"{run.latitude_deg[i]:.7f}</LatitudeDegrees><LongitudeDegrees>7.0"
                f"</LongitudeDegrees></Position><AltitudeMeters>{run.altitude_m[i]:.1f}"
                f"</AltitudeMeters><DistanceMeters>{distance[i]:.2f}</DistanceMeters>"
                f"<HeartRateBpm><Value>{int(run.heart_rate_bpm[i])}</Value></HeartRateBpm>"
                f"<Extensions><ns3:TPX><ns3:Speed>{run.speed_m_s[i]:.3f}</ns3:Speed>"
                f"<ns3:RunCadence>{round(run.cadence_spm[i] / 2)}</ns3:RunCadence></ns3:TPX>"
                "</Extensions></Trackpoint>"
            )
        parts.append("</Track></Lap>")
    parts.append("</Activity></Activities></TrainingCenterDatabase>")
    return "".join(parts).encode()


def write_gpx(run: SyntheticRun, cadence_as_steps: bool = False, sport: str = "running") -> bytes:
    """Garmin-style GPX: ``cad`` in strides/min (or steps/min when ``cadence_as_steps``)."""
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<gpx creator="stridelab tests" version="1.1" xmlns="http://www.topografix.com/GPX/1/1"'
        ' xmlns:gpxtpx="http://www.garmin.com/xmlschemas/TrackPointExtension/v1">'
        f"<metadata><time>{_time(run, 0)}</time></metadata><trk><name>synthetic</name>"
        f"<type>{sport}</type><trkseg>"
    ]
    for i in range(len(run)):
        cad = run.cadence_spm[i] if cadence_as_steps else run.cadence_spm[i] / 2
        parts.append(
            f'<trkpt lat="{run.latitude_deg[i]:.8f}" lon="7.0"><ele>{run.altitude_m[i]:.1f}</ele>'
            f"<time>{_time(run, i)}</time><extensions><gpxtpx:TrackPointExtension>"
            f"<gpxtpx:hr>{int(run.heart_rate_bpm[i])}</gpxtpx:hr><gpxtpx:cad>{round(cad)}"
            "</gpxtpx:cad></gpxtpx:TrackPointExtension></extensions></trkpt>"
        )
    parts.append("</trkseg></trk></gpx>")
    return "".join(parts).encode()


def write_fit(run: SyntheticRun, stance_time_ms: float | None = None) -> bytes:
    """A FIT activity written by stridelab's own encoder (cadence in strides/min)."""
    from stridelab.activities.readers.fit_encode import encode_activity

    start_s = run.start.timestamp()
    n = len(run)
    records: dict[str, np.ndarray] = {
        "timestamp": start_s + np.arange(n, dtype=np.float64),
        "position_lat": np.round(run.latitude_deg * 2**31 / 180),
        "position_long": np.full(n, round(7.0 * 2**31 / 180)),
        "distance": np.round(run.distance_m, 2),
        "enhanced_speed": np.round(run.speed_m_s, 3),
        "enhanced_altitude": np.round(run.altitude_m, 1),
        "heart_rate": run.heart_rate_bpm,
        "cadence": np.floor(run.cadence_spm / 2),
        "fractional_cadence": (run.cadence_spm / 2) % 1,
    }
    if stance_time_ms is not None:
        records["stance_time"] = np.full(n, stance_time_ms)
    end_s = start_s + n - 1
    summary = {
        "timestamp": end_s,
        "start_time": start_s,
        "sport": "running",
        "total_elapsed_time": n - 1,
        "total_timer_time": n - 1,
        "total_distance": round(float(run.distance_m[-1]), 2),
        "avg_heart_rate": round(float(run.heart_rate_bpm.mean())),
        "max_heart_rate": int(run.heart_rate_bpm.max()),
    }
    return encode_activity(records, laps=[summary], sessions=[summary])
