"""What a clip shows: the one light module the CLI imports before any analysis runs."""

from __future__ import annotations

from enum import StrEnum

__all__ = ["DrillType"]


class DrillType(StrEnum):
    """What the clip shows (``auto`` asks the classifier)."""

    BUTT_KICKS = "butt-kicks"
    HIGH_KNEES = "high-knees"
    A_SKIP = "a-skip"
    RUNNING = "running"
    AUTO = "auto"
