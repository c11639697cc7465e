"""What a clip shows: the one light module the CLI imports before any analysis runs."""

from __future__ import annotations

from enum import StrEnum
from typing import Final

__all__ = ["CATALOGUE_IDS", "CHECKABLE_DRILLS", "DrillType"]


class DrillType(StrEnum):
    """What the clip shows (``auto`` asks the classifier)."""

    BUTT_KICKS = "butt-kicks"
    HIGH_KNEES = "high-knees"
    A_SKIP = "a-skip"
    RUNNING = "running"
    AUTO = "auto"


#: The drill catalogue's id (:mod:`stridelab.drills.catalogue`) of each clip kind: the one
#: place the two vocabularies meet. Running clips are judged against the strides' cues.
CATALOGUE_IDS: Final[dict[DrillType, str]] = {
    DrillType.BUTT_KICKS: "butt_kicks",
    DrillType.HIGH_KNEES: "high_knees",
    DrillType.A_SKIP: "a_skip",
    DrillType.RUNNING: "strides",
}

#: Catalogue drills a video check can judge, with the clip kind the pipeline analyses.
CHECKABLE_DRILLS: Final[dict[str, DrillType]] = {
    catalogue_id: kind
    for kind, catalogue_id in CATALOGUE_IDS.items()
    if kind is not DrillType.RUNNING
}
