"""Analyse an activity: metrics per session, lap and km, calories, load, insights.

:func:`analyse_activity` is what ``stridelab analyze`` and the store call. It computes
every number from the record stream (:mod:`stridelab.activities.metrics`), then puts
the device's own summary (as the reader translated it) beside it, so the two can be
compared and never confused.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final

import numpy as np

from stridelab.activities.insights import Insight, session_insights
from stridelab.activities.metrics import (
    DEFAULT_HR_ZONES,
    HrZone,
    SegmentMetrics,
    Split,
    segment_metrics,
    splits_per_km,
)
from stridelab.activities.model import Activity, Session, SummaryValue
from stridelab.activities.sports import RUN_SPORTS, STEP_SPORTS
from stridelab.errors import InputError, PhysiologyError
from stridelab.jsonable import json_safe
from stridelab.physiology.energy import running_kcal
from stridelab.physiology.limits import BODY_MASS_RANGE_KG, MAX_HR_RANGE_BPM, RESTING_HR_RANGE_BPM
from stridelab.physiology.load import session_load

__all__ = [
    "DEFAULT_BODY_MASS_KG",
    "DEFAULT_MAX_HR_BPM",
    "DEFAULT_RESTING_HR_BPM",
    "ActivityAnalysis",
    "AnalysisSettings",
    "SessionAnalysis",
    "analyse_activity",
    "analyse_session",
    "normalise_device_summary",
]

#: Body mass assumed for the calorie model when none is given (kg); stated in the output.
DEFAULT_BODY_MASS_KG: Final = 70.0
#: Maximum heart rate assumed for zones and TRIMP when none is given (bpm); stated in the
#: output. A session that goes higher raises it (nobody exceeds their own maximum).
DEFAULT_MAX_HR_BPM: Final = 190.0
#: Resting heart rate assumed for TRIMP when none is given (bpm); stated in the output.
DEFAULT_RESTING_HR_BPM: Final = 60.0


@dataclass(frozen=True)
class AnalysisSettings:
    """The runner's own numbers; defaults are stated in the output when used."""

    max_hr_bpm: float | None = None
    resting_hr_bpm: float = DEFAULT_RESTING_HR_BPM
    body_mass_kg: float = DEFAULT_BODY_MASS_KG
    hr_zones: tuple[HrZone, ...] = DEFAULT_HR_ZONES

    def __post_init__(self) -> None:
        """Refuse NaN, infinity and implausible values (:class:`InputError`, with the range)."""
        if self.max_hr_bpm is not None:
            MAX_HR_RANGE_BPM.check(self.max_hr_bpm, "max HR")
        RESTING_HR_RANGE_BPM.check(self.resting_hr_bpm, "resting HR")
        BODY_MASS_RANGE_KG.check(self.body_mass_kg, "body mass")
        if self.max_hr_bpm is not None and self.resting_hr_bpm >= self.max_hr_bpm:
            raise InputError(
                f"resting HR {self.resting_hr_bpm:g} bpm is not below max HR "
                f"{self.max_hr_bpm:g} bpm",
                hint="Give resting HR (e.g. 50) below max HR (e.g. 190).",
            )


@dataclass(frozen=True)
class SessionAnalysis:
    """One session analysed: its metrics, laps, splits, insights and the device's view."""

    metrics: SegmentMetrics
    laps: tuple[SegmentMetrics, ...]
    lap_device_summaries: tuple[dict[str, SummaryValue], ...]
    splits: tuple[Split, ...]
    insights: tuple[Insight, ...]
    calories_kcal: float | None
    training_load: float | None
    training_load_method: str | None
    device_summary: dict[str, SummaryValue]
    assumptions: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The ``sessions[]`` entry of ``stridelab analyze --json``."""
        out = self.metrics.to_dict()
        out["calories_kcal"] = _round(self.calories_kcal)
        out["training_load"] = _round(self.training_load)
        out["training_load_method"] = self.training_load_method
        out["laps"] = [
            {**lap.to_dict(), "device_summary": device}
            for lap, device in zip(self.laps, self.lap_device_summaries, strict=True)
        ]
        out["splits"] = [vars(split) for split in self.splits]
        out["insights"] = [insight.to_dict() for insight in self.insights]
        out["device_summary"] = self.device_summary
        out["assumptions"] = self.assumptions
        cleaned: dict[str, Any] = json_safe(out)
        return cleaned


@dataclass(frozen=True)
class ActivityAnalysis:
    """A whole file analysed."""

    file: str
    format: str
    sessions: tuple[SessionAnalysis, ...]
    metadata: dict[str, SummaryValue]
    device: str | None

    def to_dict(self) -> dict[str, Any]:
        """The document ``stridelab analyze --json`` prints."""
        return {
            "file": self.file,
            "format": self.format,
            "device": self.device,
            "metadata": json_safe(dict(self.metadata)),
            "sessions": [session.to_dict() for session in self.sessions],
        }


def _round(value: float | None, digits: int = 1) -> float | None:
    return None if value is None else round(value, digits)


def normalise_device_summary(summary: Mapping[str, SummaryValue]) -> dict[str, SummaryValue]:
    """A device summary ready for JSON (NaN → None, NumPy scalars → Python).

    The readers already give it in our keys and SI units (FIT field names and running
    cadence in strides/min are translated at the edge, in ``fit_activity.device_summary``).
    """
    return {k: json_safe(v) for k, v in summary.items()}


def _calories(metrics: SegmentMetrics, settings: AnalysisSettings) -> float | None:
    """ACSM running equation at the moving speed (running only; None outside its range)."""
    if metrics.sport not in RUN_SPORTS or not metrics.distance_m or not metrics.moving_time_s:
        return None
    grade = 0.0
    if metrics.elevation_gain_m is not None:
        grade = metrics.elevation_gain_m / metrics.distance_m
    try:
        return running_kcal(
            metrics.distance_m, metrics.moving_time_s, settings.body_mass_kg, grade=grade
        )
    except PhysiologyError:
        return None


def _max_hr(settings: AnalysisSettings, observed: float | None) -> tuple[float, str]:
    """The max HR zones and load use, and where it came from."""
    if settings.max_hr_bpm is not None:
        return settings.max_hr_bpm, "given"
    if observed is not None and observed > DEFAULT_MAX_HR_BPM:
        return observed, f"highest in this session (above the assumed {DEFAULT_MAX_HR_BPM:.0f})"
    return DEFAULT_MAX_HR_BPM, "assumed (pass --max-hr for yours)"


def _load(
    session: Session, max_hr: float, settings: AnalysisSettings
) -> tuple[float | None, str | None]:
    samples = session.samples
    if samples.heart_rate_bpm is None:
        return None, None
    try:
        load = session_load(
            samples.timestamp_s,
            hr_bpm=samples.heart_rate_bpm,
            rest_hr_bpm=settings.resting_hr_bpm,
            max_hr_bpm=max_hr,
        )
    except PhysiologyError:
        return None, None
    return load.value, load.method.value


def analyse_session(session: Session, settings: AnalysisSettings | None = None) -> SessionAnalysis:
    """Metrics, laps, splits, calories, load and insights of one session."""
    settings = settings or AnalysisSettings()
    samples = session.samples
    n = len(samples)
    observed = samples.heart_rate_bpm
    peak = (
        float(np.nanmax(observed)) if observed is not None and np.isfinite(observed).any() else None
    )
    max_hr, max_hr_source = _max_hr(settings, peak)
    metrics = segment_metrics(
        samples,
        0,
        n,
        sport=session.sport,
        start=session.start,
        max_hr_bpm=max_hr,
        zones=settings.hr_zones,
    )
    kept_laps = [lap for lap in session.laps if lap.end_index > lap.start_index]
    laps = tuple(
        segment_metrics(
            samples,
            lap.start_index,
            lap.end_index,
            sport=session.sport,
            start=lap.start,
            max_hr_bpm=max_hr,
            zones=settings.hr_zones,
        )
        for lap in kept_laps
    )
    lap_devices = tuple(normalise_device_summary(lap.device_summary) for lap in kept_laps)
    load, method = _load(session, max_hr, settings)
    assumptions: dict[str, Any] = {
        "body_mass_kg": settings.body_mass_kg,
        "resting_hr_bpm": settings.resting_hr_bpm,
        "max_hr_bpm": max_hr,
        "max_hr_source": max_hr_source,
        "calorie_model": "ACSM running equation at moving speed (tends to overestimate)",
    }
    return SessionAnalysis(
        metrics=metrics,
        laps=laps,
        lap_device_summaries=lap_devices,
        splits=splits_per_km(samples) if session.sport in STEP_SPORTS else (),
        insights=session_insights(samples, metrics),
        calories_kcal=_calories(metrics, settings),
        training_load=load,
        training_load_method=method,
        device_summary=normalise_device_summary(session.device_summary),
        assumptions=assumptions,
    )


def analyse_activity(
    activity: Activity, settings: AnalysisSettings | None = None
) -> ActivityAnalysis:
    """Analyse every session of ``activity`` (a multisport file gives several)."""
    return ActivityAnalysis(
        file=activity.source_path or "<bytes>",
        format=activity.format.value,
        sessions=tuple(
            analyse_session(session, settings)
            for session in activity.sessions
            if len(session.samples)
        ),
        metadata=dict(activity.metadata),
        device=activity.device,
    )
