"""Generate ``src/stridelab/data/samples/sample-run.fit``: a realistic 40-minute run.

Run ``python tools/make_sample_fit.py``; the output is deterministic (seeded). The run:
10 min warm-up jog, 4 x 20 s butt kicks and 4 x 20 s strides with 40 s jog recoveries,
15 min tempo, 8 min cool-down; 1 s records with heart rate, cadence, running dynamics
(ground contact, balance, vertical oscillation and ratio, step length), power and a GPS
track around a 1.2 km loop. Laps (one per segment) and the session carry the device's
summaries computed from the same samples, as a watch would write them.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Final

import numpy as np
import numpy.typing as npt

from stridelab.activities.readers.fit_encode import (
    encode_activity,
    fit_cadence_fields,
    summarise_records,
)

OUT: Final = Path(__file__).resolve().parents[1] / "src/stridelab/data/samples/sample-run.fit"
START_S: Final = 1_714_550_400.0  # 2024-05-01T08:00:00Z
LOOP_CENTRE_DEG: Final = (46.5190, 6.6320)  # a park by a lake
LOOP_RADII_M: Final = (230.0, 160.0)  # ellipse: ~1.2 km around
EARTH_RADIUS_M: Final = 6_371_008.8
MASS_KG: Final = 68.0

# (name, seconds, speed m/s, cadence steps/min, ground contact ms, heart rate target, intensity)
Segment = tuple[str, int, float, float, float, float, str]
SEGMENTS: Final[list[Segment]] = [
    ("warm-up jog", 600, 2.70, 162.0, 270.0, 132.0, "warmup"),
    *[
        seg
        for _ in range(4)
        for seg in (
            ("butt kicks", 20, 1.60, 196.0, 205.0, 140.0, "active"),
            ("jog recovery", 40, 2.40, 160.0, 275.0, 134.0, "recovery"),
        )
    ],
    *[
        seg
        for _ in range(4)
        for seg in (
            ("strides", 20, 4.60, 186.0, 208.0, 150.0, "active"),
            ("jog recovery", 40, 2.40, 160.0, 275.0, 138.0, "recovery"),
        )
    ],
    ("tempo", 900, 3.70, 176.0, 232.0, 164.0, "active"),
    ("cool-down jog", 480, 2.60, 160.0, 275.0, 138.0, "cooldown"),
]

Array = npt.NDArray[np.float64]


def _smooth(target: Array, seconds: float) -> Array:
    """First-order lag (time constant ``seconds``): how HR and speed follow a change."""
    out = np.empty_like(target)
    value = target[0]
    alpha = 1.0 - math.exp(-1.0 / seconds)
    for i, goal in enumerate(target):
        value += alpha * (goal - value)
        out[i] = value
    return out


def _position(distance_m: Array) -> tuple[Array, Array]:
    """Latitude/longitude in semicircles of a point ``distance_m`` along the loop."""
    a, b = LOOP_RADII_M
    perimeter = math.pi * (3 * (a + b) - math.sqrt((3 * a + b) * (a + 3 * b)))  # Ramanujan
    angle = 2 * math.pi * (distance_m % perimeter) / perimeter
    north, east = b * np.sin(angle), a * np.cos(angle)
    lat = LOOP_CENTRE_DEG[0] + np.degrees(north / EARTH_RADIUS_M)
    lon = LOOP_CENTRE_DEG[1] + np.degrees(east / (EARTH_RADIUS_M * math.cos(math.radians(lat[0]))))
    to_semicircles = 2**31 / 180.0
    return np.round(lat * to_semicircles), np.round(lon * to_semicircles)


def make_records(rng: np.random.Generator) -> tuple[dict[str, Array], list[tuple[int, int, str]]]:
    """Record columns in FIT profile units, and each segment's (start, stop, intensity)."""
    columns: dict[str, list[float]] = {k: [] for k in ("speed", "spm", "gct", "hr")}
    bounds = []
    for _name, seconds, speed, spm, gct, hr, intensity in SEGMENTS:
        start = len(columns["speed"])
        columns["speed"] += [speed] * seconds
        columns["spm"] += [spm] * seconds
        columns["gct"] += [gct] * seconds
        columns["hr"] += [hr] * seconds
        bounds.append((start, start + seconds, intensity))
    n = len(columns["speed"])
    speed = np.clip(_smooth(np.array(columns["speed"]), 3.0) + rng.normal(0, 0.06, n), 0.5, None)
    spm = _smooth(np.array(columns["spm"]), 2.0) + rng.normal(0, 1.2, n)
    gct = _smooth(np.array(columns["gct"]), 2.0) + rng.normal(0, 4.0, n)
    drift = np.linspace(0, 4, n)  # cardiac drift over the run
    hr = _smooth(np.array(columns["hr"]) + drift, 25.0) + rng.normal(0, 0.8, n)
    distance = np.cumsum(speed)
    lat, lon = _position(distance)
    step_length_m = speed * 60.0 / spm
    vo_mm = 60.0 + 8.0 * speed + rng.normal(0, 1.5, n)
    altitude = 380.0 + 4.0 * np.sin(2 * math.pi * distance / 1200.0)
    records = {
        "timestamp": START_S + np.arange(n, dtype=np.float64),
        "position_lat": lat,
        "position_long": lon,
        "distance": np.round(distance, 2),
        "enhanced_speed": np.round(speed, 3),
        "enhanced_altitude": np.round(altitude * 5) / 5,
        "heart_rate": np.round(hr),
        **fit_cadence_fields(spm),
        "stance_time": np.round(gct, 1),
        "stance_time_balance": np.round(50.0 + rng.normal(0.3, 0.6, n), 2),
        "vertical_oscillation": np.round(vo_mm, 1),
        "vertical_ratio": np.round(vo_mm / (step_length_m * 1000.0) * 100.0, 2),
        "step_length": np.round(step_length_m * 1000.0, 1),
        "power": np.round(MASS_KG * speed * 1.04 + rng.normal(0, 4, n)),
        "temperature": np.full(n, 14.0),
    }
    return records, bounds


def main() -> None:
    rng = np.random.default_rng(20240501)
    records, bounds = make_records(rng)
    laps = []
    for start, stop, intensity in bounds:
        lap = summarise_records(records, start, stop, mass_kg=MASS_KG)
        lap.update({"lap_trigger": "manual", "intensity": intensity})
        laps.append(lap)
    session = summarise_records(records, 0, len(records["timestamp"]), mass_kg=MASS_KG)
    session.update({"num_laps": len(laps), "first_lap_index": 0, "trigger": "activity_end"})
    data = encode_activity(records, laps=laps, sessions=[session], product=1)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_bytes(data)
    print(f"wrote {OUT} ({len(data)} bytes, {len(records['timestamp'])} records, {len(laps)} laps)")


if __name__ == "__main__":
    main()
