"""stridelab: an offline, private, science-honest running coach.

The public API, by job (each name is importable from here; modules load on first use
so that ``import stridelab`` stays cheap):

* **Plan** — :func:`generate_plan` from a :class:`PlanRequest`; VDOT paces
  (:func:`vdot_from_race`, :func:`training_paces`, :func:`race_report`); warm-ups and drills
  (:data:`DRILLS`, :func:`warmup_for_session`, :func:`race_day_timeline`); exports
  (:func:`write_ics`, :func:`write_fit_workouts`, :func:`write_markdown`).
* **Analyse** — :func:`read_activity` (FIT, TCX, GPX, ``.gz``), :func:`read_fit` /
  :func:`decode_fit`, :func:`analyse_activity`; the SQLite store (:func:`open_store`,
  :func:`import_paths`, :func:`weekly_trends`; decoding on a :class:`Compute`: local
  processes or a Dask cluster); load (:func:`session_load`,
  :func:`fitness_fatigue`); energy (:func:`running_kcal`, :func:`met_kcal`); fitness from
  runs (:func:`run_efforts`, :func:`estimate_fitness`, :func:`fitness_report`).
* **Drill check** — :func:`check_drill` on a video, with a :class:`PoseEstimator`
  (:class:`MediaPipePoseEstimator`, or :class:`FakePoseEstimator` fed keypoints).
* **Coach** — :func:`create_app` (the web app), :func:`replan`.

Errors all derive from :class:`StridelabError` (tree in :mod:`stridelab.errors`).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from stridelab.errors import StridelabError

if TYPE_CHECKING:
    from stridelab.activities.analysis import ActivityAnalysis, AnalysisSettings, analyse_activity
    from stridelab.activities.model import Activity, Lap, Samples
    from stridelab.activities.readers import DamagedFile, iter_archive, read_activity
    from stridelab.activities.readers.fit import BadRecord, CrcCheck, FitFile, decode_fit, read_fit
    from stridelab.coach.replan import ReplanResult, replan
    from stridelab.compute import Compute
    from stridelab.drills import (
        DRILLS,
        Drill,
        RaceDayTimeline,
        Warmup,
        get_drill,
        race_day_timeline,
        warmup_for_session,
    )
    from stridelab.errors import ActivityFileError, InputError, PlanError, PoseError, StoreError
    from stridelab.physiology.best_efforts import run_efforts
    from stridelab.physiology.energy import met_kcal, running_kcal
    from stridelab.physiology.fitness import FitnessEstimate, estimate_fitness
    from stridelab.physiology.load import acute_chronic_ratio, fitness_fatigue, rtss, session_load
    from stridelab.physiology.vdot import (
        RaceReport,
        TrainingPaces,
        predict_race_time_s,
        race_report,
        riegel_time_s,
        training_paces,
        vdot_from_race,
    )
    from stridelab.plans import (
        Phase,
        Plan,
        PlanRequest,
        RecentRace,
        Session,
        SessionKind,
        Step,
        Week,
        generate_plan,
    )
    from stridelab.plans.export import write_fit_workouts, write_ics, write_markdown
    from stridelab.store import import_paths, list_activities, open_store, weekly_trends
    from stridelab.store.fitness import fitness_report
    from stridelab.units import (
        format_distance,
        format_duration,
        format_pace,
        parse_distance_m,
        parse_duration_s,
        parse_pace_s_per_km,
    )
    from stridelab.video import (
        DrillReport,
        DrillType,
        FakePoseEstimator,
        MediaPipePoseEstimator,
        PoseEstimator,
        check_drill,
    )
    from stridelab.web import WebConfig, create_app

__version__ = "0.1.0"

#: Public name → the module that defines it.
_LAZY: dict[str, str] = {
    "Activity": "stridelab.activities.model",
    "ActivityAnalysis": "stridelab.activities.analysis",
    "ActivityFileError": "stridelab.errors",
    "AnalysisSettings": "stridelab.activities.analysis",
    "BadRecord": "stridelab.activities.readers.fit",
    "Compute": "stridelab.compute",
    "CrcCheck": "stridelab.activities.readers.fit",
    "DRILLS": "stridelab.drills",
    "DamagedFile": "stridelab.activities.readers",
    "Drill": "stridelab.drills",
    "DrillReport": "stridelab.video",
    "DrillType": "stridelab.video",
    "FakePoseEstimator": "stridelab.video",
    "FitFile": "stridelab.activities.readers.fit",
    "FitnessEstimate": "stridelab.physiology.fitness",
    "InputError": "stridelab.errors",
    "Lap": "stridelab.activities.model",
    "MediaPipePoseEstimator": "stridelab.video",
    "Phase": "stridelab.plans",
    "Plan": "stridelab.plans",
    "PlanError": "stridelab.errors",
    "PlanRequest": "stridelab.plans",
    "PoseError": "stridelab.errors",
    "PoseEstimator": "stridelab.video",
    "RaceDayTimeline": "stridelab.drills",
    "RaceReport": "stridelab.physiology.vdot",
    "RecentRace": "stridelab.plans",
    "ReplanResult": "stridelab.coach.replan",
    "Samples": "stridelab.activities.model",
    "Session": "stridelab.plans",
    "SessionKind": "stridelab.plans",
    "Step": "stridelab.plans",
    "StoreError": "stridelab.errors",
    "TrainingPaces": "stridelab.physiology.vdot",
    "Warmup": "stridelab.drills",
    "WebConfig": "stridelab.web",
    "Week": "stridelab.plans",
    "acute_chronic_ratio": "stridelab.physiology.load",
    "analyse_activity": "stridelab.activities.analysis",
    "check_drill": "stridelab.video",
    "create_app": "stridelab.web",
    "decode_fit": "stridelab.activities.readers.fit",
    "estimate_fitness": "stridelab.physiology.fitness",
    "fitness_fatigue": "stridelab.physiology.load",
    "fitness_report": "stridelab.store.fitness",
    "format_distance": "stridelab.units",
    "format_duration": "stridelab.units",
    "format_pace": "stridelab.units",
    "generate_plan": "stridelab.plans",
    "get_drill": "stridelab.drills",
    "import_paths": "stridelab.store",
    "iter_archive": "stridelab.activities.readers",
    "list_activities": "stridelab.store",
    "met_kcal": "stridelab.physiology.energy",
    "open_store": "stridelab.store",
    "parse_distance_m": "stridelab.units",
    "parse_duration_s": "stridelab.units",
    "parse_pace_s_per_km": "stridelab.units",
    "predict_race_time_s": "stridelab.physiology.vdot",
    "race_day_timeline": "stridelab.drills",
    "race_report": "stridelab.physiology.vdot",
    "read_activity": "stridelab.activities.readers",
    "read_fit": "stridelab.activities.readers.fit",
    "replan": "stridelab.coach.replan",
    "riegel_time_s": "stridelab.physiology.vdot",
    "rtss": "stridelab.physiology.load",
    "run_efforts": "stridelab.physiology.best_efforts",
    "running_kcal": "stridelab.physiology.energy",
    "session_load": "stridelab.physiology.load",
    "training_paces": "stridelab.physiology.vdot",
    "vdot_from_race": "stridelab.physiology.vdot",
    "warmup_for_session": "stridelab.drills",
    "weekly_trends": "stridelab.store",
    "write_fit_workouts": "stridelab.plans.export",
    "write_ics": "stridelab.plans.export",
    "write_markdown": "stridelab.plans.export",
}

__all__ = [
    "DRILLS",
    "Activity",
    "ActivityAnalysis",
    "ActivityFileError",
    "AnalysisSettings",
    "BadRecord",
    "Compute",
    "CrcCheck",
    "DamagedFile",
    "Drill",
    "DrillReport",
    "DrillType",
    "FakePoseEstimator",
    "FitFile",
    "FitnessEstimate",
    "InputError",
    "Lap",
    "MediaPipePoseEstimator",
    "Phase",
    "Plan",
    "PlanError",
    "PlanRequest",
    "PoseError",
    "PoseEstimator",
    "RaceDayTimeline",
    "RaceReport",
    "RecentRace",
    "ReplanResult",
    "Samples",
    "Session",
    "SessionKind",
    "Step",
    "StoreError",
    "StridelabError",
    "TrainingPaces",
    "Warmup",
    "WebConfig",
    "Week",
    "__version__",
    "acute_chronic_ratio",
    "analyse_activity",
    "check_drill",
    "create_app",
    "decode_fit",
    "estimate_fitness",
    "fitness_fatigue",
    "fitness_report",
    "format_distance",
    "format_duration",
    "format_pace",
    "generate_plan",
    "get_drill",
    "import_paths",
    "iter_archive",
    "list_activities",
    "met_kcal",
    "open_store",
    "parse_distance_m",
    "parse_duration_s",
    "parse_pace_s_per_km",
    "predict_race_time_s",
    "race_day_timeline",
    "race_report",
    "read_activity",
    "read_fit",
    "replan",
    "riegel_time_s",
    "rtss",
    "run_efforts",
    "running_kcal",
    "session_load",
    "training_paces",
    "vdot_from_race",
    "warmup_for_session",
    "weekly_trends",
    "write_fit_workouts",
    "write_ics",
    "write_markdown",
]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'stridelab' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
