"""Synthetic FIT files for the tests, written by the project's own encoder."""

from __future__ import annotations

import gzip
import zipfile
from pathlib import Path
from typing import Any

import numpy as np

from stridelab.activities.readers.fit_encode import DeveloperFieldSpec, encode_activity

#: 2023-11-14T22:13:20Z, a round POSIX time.
START_S = 1_700_000_000.0


def run_records(n: int = 120, start_s: float = START_S) -> dict[str, Any]:
    """Record columns of an easy run in profile units (cadence in strides/min)."""
    t = start_s + np.arange(n, dtype=np.float64)
    speed = np.round(2.8 + 0.3 * np.sin(np.arange(n) / 15.0), 3)
    return {
        "timestamp": t,
        "position_lat": np.round(45.0 * 2**31 / 180 + np.arange(n) * 300.0),
        "position_long": np.round(7.0 * 2**31 / 180 + np.arange(n) * 200.0),
        "distance": np.round(np.cumsum(speed), 2),
        "enhanced_speed": speed,
        "enhanced_altitude": np.round(250.0 + np.arange(n) * 0.2, 1),
        "heart_rate": np.r_[np.nan, 120.0 + np.arange(1, n) % 40],
        "cadence": np.full(n, 84.0),
        "fractional_cadence": np.full(n, 0.5),
        "stance_time": np.full(n, 245.5),
        "stance_time_balance": np.full(n, 49.8),
        "vertical_oscillation": np.full(n, 82.4),
        "vertical_ratio": np.full(n, 7.6),
        "step_length": np.full(n, 1050.0),
        "power": np.full(n, 260.0),
    }


def easy_run_bytes(n: int = 120, start_s: float = START_S, **options: Any) -> bytes:
    """A one-session, two-lap run of ``n`` one-second records from ``start_s``."""
    records = run_records(n, start_s)
    half = start_s + n // 2
    end = start_s + n
    laps = [
        {
            "timestamp": half,
            "start_time": start_s,
            "total_elapsed_time": n // 2,
            "sport": "running",
        },
        {
            "timestamp": end,
            "start_time": half,
            "total_elapsed_time": n - n // 2,
            "sport": "running",
        },
    ]
    session = {
        "timestamp": end,
        "start_time": start_s,
        "sport": "running",
        "sub_sport": "generic",
        "total_elapsed_time": float(n),
        "total_timer_time": float(n),
        "total_distance": float(records["distance"][-1]),
        "avg_heart_rate": 140,
        "max_heart_rate": 159,
        "avg_cadence": 84,
        "avg_fractional_cadence": 0.5,
        "avg_stance_time": 245.5,
        "avg_step_length": 1050.0,
        "total_calories": 30,
    }
    return encode_activity(records, laps=laps, sessions=[session], **options)


def fit_archive(path: Path, count: int, n: int = 120) -> Path:
    """A Strava-like export zip of ``count`` distinct runs, one a day, as ``.fit.gz``."""
    with zipfile.ZipFile(path, "w") as archive:
        for day in range(count):
            data = easy_run_bytes(n, start_s=START_S + 86_400.0 * day)
            archive.writestr(f"activities/{day + 1}.fit.gz", gzip.compress(data, mtime=0))
    return path


STRYD_POWER = DeveloperFieldSpec(name="Power", units="Watts", base_type="uint16", number=0)
