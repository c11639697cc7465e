"""Helpers the XML readers share: timestamps, sport names, column building, cadence units.

Everything here is format-neutral: a reader collects values per trackpoint into a
:class:`ColumnBuilder` and gets a :class:`~stridelab.activities.model.Samples` back.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Final

import numpy as np

from stridelab.activities.model import FloatArray, Samples
from stridelab.activities.sports import STEP_SPORTS

__all__ = [
    "EARTH_RADIUS_M",
    "STRIDES_MEDIAN_THRESHOLD_SPM",
    "CadenceConvention",
    "CadenceDecision",
    "ColumnBuilder",
    "decide_cadence_convention",
    "haversine_cumulative_m",
    "normalise_sport",
    "parse_time",
]

#: Mean Earth radius (IUGG), metres, for the haversine distance between fixes.
EARTH_RADIUS_M: Final = 6_371_008.8
#: A running cadence whose moving median is below this is strides/min, not steps/min.
#: Human running is 140-220 steps/min (70-110 strides/min), so the two ranges do not meet.
STRIDES_MEDIAN_THRESHOLD_SPM: Final = 120.0
#: Samples at or below this are "not moving" for the cadence convention vote.
_MIN_MOVING_CADENCE: Final = 20.0

_SPORT_ALIASES: Final[dict[str, str]] = {
    "run": "running",
    "running": "running",
    "trail_running": "running",
    "trailrunning": "running",
    "treadmill": "running",
    "9": "running",
    "biking": "cycling",
    "bike": "cycling",
    "ride": "cycling",
    "cycling": "cycling",
    "1": "cycling",
    "walk": "walking",
    "walking": "walking",
    "hike": "hiking",
    "hiking": "hiking",
    "swim": "swimming",
    "swimming": "swimming",
    "other": "generic",
    "": "generic",
}


class CadenceConvention(StrEnum):
    """What the cadence numbers in a file counted."""

    STRIDES_PER_MIN = "strides_per_min"  # one leg: doubled to steps/min
    STEPS_PER_MIN = "steps_per_min"  # both legs: kept
    RPM = "rpm"  # pedalling (not running): kept as recorded


@dataclass(frozen=True)
class CadenceDecision:
    """The convention a reader chose for a cadence channel, and why."""

    convention: CadenceConvention
    factor: float
    reason: str
    median_recorded: float | None


def decide_cadence_convention(values: FloatArray, sport: str) -> CadenceDecision:
    """Detect strides/min vs steps/min from the distribution of recorded running cadence.

    Garmin writes running cadence as strides per minute (one foot), some phone apps as
    steps per minute (both feet). Running step rates are 140-220 steps/min, so a moving
    median below :data:`STRIDES_MEDIAN_THRESHOLD_SPM` can only be strides/min. Other
    sports keep their numbers (pedalling cadence is revolutions per minute).
    """
    if sport not in STEP_SPORTS:
        return CadenceDecision(CadenceConvention.RPM, 1.0, f"sport is {sport}: kept as rpm", None)
    moving = values[np.isfinite(values) & (values > _MIN_MOVING_CADENCE)]
    if moving.size == 0:
        return CadenceDecision(
            CadenceConvention.STRIDES_PER_MIN, 2.0, "no moving cadence: assumed strides/min", None
        )
    median = float(np.median(moving))
    if median < STRIDES_MEDIAN_THRESHOLD_SPM:
        reason = f"moving median {median:.0f} < {STRIDES_MEDIAN_THRESHOLD_SPM:.0f}: strides/min"
        return CadenceDecision(CadenceConvention.STRIDES_PER_MIN, 2.0, reason, median)
    reason = f"moving median {median:.0f} >= {STRIDES_MEDIAN_THRESHOLD_SPM:.0f}: steps/min"
    return CadenceDecision(CadenceConvention.STEPS_PER_MIN, 1.0, reason, median)


def normalise_sport(text: str | None) -> str:
    """A file's sport label (``Running``, ``Biking``, ``9``, ``run``) in FIT's words."""
    key = (text or "").strip().lower().replace(" ", "_")
    return _SPORT_ALIASES.get(key, key or "generic")


def parse_time(text: str) -> datetime:
    """An ISO-8601 timestamp (``Z`` or an offset; naive means UTC) → aware UTC datetime."""
    value = datetime.fromisoformat(text.strip())
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def haversine_cumulative_m(latitude_deg: FloatArray, longitude_deg: FloatArray) -> FloatArray:
    """Cumulative great-circle distance along a track (haversine, spherical Earth).

    Fixes without a position add nothing; the distance resumes at the next fix.
    """
    n = len(latitude_deg)
    valid = np.flatnonzero(np.isfinite(latitude_deg) & np.isfinite(longitude_deg))
    if valid.size < 2:
        return np.zeros(n, dtype=np.float64)
    lat = np.radians(latitude_deg[valid])
    lon = np.radians(longitude_deg[valid])
    dlat = np.diff(lat)
    dlon = np.diff(lon)
    a = np.sin(dlat / 2) ** 2 + np.cos(lat[:-1]) * np.cos(lat[1:]) * np.sin(dlon / 2) ** 2
    step = 2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))
    at_valid = np.concatenate(([0.0], np.cumsum(step)))
    # Carry the last known distance forward over fixes without a position.
    filled = np.zeros(n, dtype=np.float64)
    filled[valid] = at_valid
    mask = np.zeros(n, dtype=bool)
    mask[valid] = True
    index = np.maximum.accumulate(np.where(mask, np.arange(n), 0))
    result: FloatArray = filled[index]
    return result


class ColumnBuilder:
    """Collects per-trackpoint values by channel name, NaN where a point lacks one."""

    def __init__(self) -> None:
        self._rows = 0
        self._columns: dict[str, list[float]] = {}

    def __len__(self) -> int:
        return self._rows

    def add(self, timestamp_s: float, values: dict[str, float]) -> None:
        """Append one sample; channels first seen now are back-filled with NaN."""
        for name, value in {"timestamp_s": timestamp_s, **values}.items():
            column = self._columns.get(name)
            if column is None:
                column = [math.nan] * self._rows
                self._columns[name] = column
            column.append(value)
        self._rows += 1
        for column in self._columns.values():
            if len(column) < self._rows:
                column.append(math.nan)

    def column(self, name: str) -> FloatArray | None:
        """One channel as an array, ``None`` when no point carried it."""
        values = self._columns.get(name)
        if values is None:
            return None
        array = np.asarray(values, dtype=np.float64)
        if not np.isfinite(array).any():
            return None
        return array

    def samples(self, **overrides: FloatArray | None) -> Samples:
        """Build :class:`Samples` from the collected channels (``overrides`` replace some)."""
        names = (
            "distance_m",
            "speed_m_s",
            "altitude_m",
            "latitude_deg",
            "longitude_deg",
            "heart_rate_bpm",
            "cadence_spm",
            "power_w",
            "temperature_c",
        )
        kwargs: dict[str, FloatArray | None] = {name: self.column(name) for name in names}
        kwargs.update(overrides)
        timestamps = np.asarray(self._columns.get("timestamp_s", []), dtype=np.float64)
        return Samples(timestamp_s=timestamps, **kwargs)
