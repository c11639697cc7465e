"""stridelab.video: the drill check from a phone video.

Stages, one module each: ``decode`` → ``track`` (the subject) → ``pose`` →
``smooth`` → ``events`` / ``form`` → ``report`` → ``render``; ``pipeline``
strings them together. Importing this package imports OpenCV (the ``video``
extra); MediaPipe is imported only when a :class:`MediaPipePoseEstimator` is made.
"""

from __future__ import annotations

from stridelab.video.events import Contact, Foot
from stridelab.video.form import DrillType, FootStrike
from stridelab.video.pipeline import check_drill
from stridelab.video.pose import (
    FakePoseEstimator,
    Landmark,
    MediaPipePoseEstimator,
    PoseEstimator,
    PoseSequence,
)
from stridelab.video.render import render_annotated, render_summary
from stridelab.video.report import DrillReport, Fault, analyse_pose

__all__ = [
    "Contact",
    "DrillReport",
    "DrillType",
    "FakePoseEstimator",
    "Fault",
    "Foot",
    "FootStrike",
    "Landmark",
    "MediaPipePoseEstimator",
    "PoseEstimator",
    "PoseSequence",
    "analyse_pose",
    "check_drill",
    "render_annotated",
    "render_summary",
]
