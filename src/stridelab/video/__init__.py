"""stridelab.video: the drill check from a phone video.

Stages, one module each: ``decode`` → ``track`` (the subject) → ``pose`` →
``smooth`` → ``events`` / ``form`` → ``report`` → ``render``; ``pipeline``
strings them together. ``guide`` draws a drill's reference motion and ``side_by_side``
puts it beside a checked clip. Public names load on first use; the stages import OpenCV
and SciPy, and MediaPipe is imported only when a :class:`MediaPipePoseEstimator` is made.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from stridelab.video.events import Contact, Foot
    from stridelab.video.form import FootStrike
    from stridelab.video.guide import render_guide
    from stridelab.video.kinds import DrillType
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
    from stridelab.video.side_by_side import CheckedClip, render_side_by_side

#: Public name → defining module. Loaded on first use (PEP 562) so that the CLI and
#: ``stridelab.video.kinds`` do not pay for OpenCV and SciPy at start-up.
_LAZY: dict[str, str] = {
    "Contact": "events",
    "Foot": "events",
    "FootStrike": "form",
    "DrillType": "kinds",
    "check_drill": "pipeline",
    "FakePoseEstimator": "pose",
    "Landmark": "pose",
    "MediaPipePoseEstimator": "pose",
    "PoseEstimator": "pose",
    "PoseSequence": "pose",
    "render_annotated": "render",
    "render_guide": "guide",
    "render_side_by_side": "side_by_side",
    "render_summary": "render",
    "CheckedClip": "side_by_side",
    "DrillReport": "report",
    "Fault": "report",
    "analyse_pose": "report",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        from stridelab.extras import needs

        with needs("The drill check"):
            return getattr(importlib.import_module(f"stridelab.video.{_LAZY[name]}"), name)
    raise AttributeError(f"module 'stridelab.video' has no attribute {name!r}")


__all__ = [
    "CheckedClip",
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
    "render_guide",
    "render_side_by_side",
    "render_summary",
]
