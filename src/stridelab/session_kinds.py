"""The one vocabulary of what a training day holds: :class:`SessionKind`.

A leaf module (it imports nothing from stridelab) so that both the plan engine
(:mod:`stridelab.plans`) and the warm-up policy (:mod:`stridelab.drills.warmup`), which the
plan engine uses, name session kinds with the same enum.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Final

__all__ = ["QUALITY_KINDS", "SessionKind"]


class SessionKind(StrEnum):
    """What a day holds."""

    EASY = "easy"
    LONG = "long"
    RECOVERY = "recovery"
    TEMPO = "tempo"
    THRESHOLD = "threshold"
    INTERVALS = "intervals"
    REPETITIONS = "repetitions"
    RACE_PACE = "race_pace"
    HILLS = "hills"
    STRIDES = "strides"
    REST = "rest"
    RACE = "race"
    RUN_WALK = "run_walk"
    TIME_TRIAL = "time_trial"


#: Sessions with a fast part: each gets a warm-up with drills and a FIT workout file.
QUALITY_KINDS: Final = frozenset(
    {
        SessionKind.TEMPO,
        SessionKind.THRESHOLD,
        SessionKind.INTERVALS,
        SessionKind.REPETITIONS,
        SessionKind.RACE_PACE,
        SessionKind.HILLS,
        SessionKind.STRIDES,
    }
)
