"""Side by side after a drill check: the runner's clip on the left, the reference on the right.

The reference (:mod:`stridelab.video.guide`) is time-warped so that each rep the check
found in the clip lines up with a rep of the reference: at every detected rep frame the
reference's same leg is at its own rep (its heel highest), and between reps its phase
runs evenly. Before the first and after the last detected rep it runs at the runner's
mean rep rhythm. Each fault is shown for :data:`~stridelab.video.render.FAULT_CALLOUT_S`
either side of its frame: on the runner's half, a red ring at the joint and the fault's
name and message; on the reference half, a ring at the same joint and the cue that fixes it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

import cv2
import numpy as np
from numpy.typing import NDArray

from stridelab.drills.kinematics import Side
from stridelab.drills.motions import FAULT_PARTS, MIDLINE, DrillMotion, reference_motion
from stridelab.video.decode import iter_frames, probe_video
from stridelab.video.events import LEG, Foot, facing_sign
from stridelab.video.guide import Mark, draw_reference, figure_track, header_lines
from stridelab.video.kinds import CATALOGUE_IDS, DrillType
from stridelab.video.pose import FALLBACK_FPS, Landmark, PoseSequence
from stridelab.video.render import (
    FAULT_CALLOUT_S,
    PanelLine,
    check_video_suffix,
    draw_panel,
    open_video_writer,
    panel_style,
)
from stridelab.video.report import DrillReport, Fault

__all__ = [
    "SIDE_BY_SIDE_MAX_HEIGHT_PX",
    "CheckedClip",
    "SideBySideVideo",
    "reference_cycles",
    "render_side_by_side",
]

#: Each half is at most this tall (the clip is scaled down, keeping its aspect).
SIDE_BY_SIDE_MAX_HEIGHT_PX: Final = 720
#: Two detected reps closer than this (in reference cycles) would run the model backwards:
#: the second is taken as one cycle later.
_MIN_REP_STEP_CYCLES: Final = 0.25
_RED: Final = (40, 40, 230)
_CUE: Final = (60, 220, 255)
_WHITE: Final = (255, 255, 255)
_GREY: Final = (160, 160, 160)


@dataclass(frozen=True)
class CheckedClip:
    """What the side-by-side needs of a drill check: timing, reps, faults, and the joints.

    ``keypoints_px`` (``(frames, 33, 2)``, BlazePose order) are in a frame of ``size``
    ``(width, height)``; without them the faults are captioned but not ringed.
    """

    drill_id: str
    frames: int
    fps: float
    rep_frames: Mapping[Foot, tuple[int, ...]]
    faults: tuple[Fault, ...]
    keypoints_px: NDArray[np.float64] | None = None
    size: tuple[int, int] | None = field(default=None)
    #: +1: the runner faces image-right (the reference too); -1: left (it is mirrored).
    facing: int = 1

    @classmethod
    def from_report(cls, report: DrillReport, sequence: PoseSequence | None = None) -> CheckedClip:
        """From a fresh check (``check_drill``'s report and pose sequence)."""
        return cls(
            CATALOGUE_IDS[report.drill],
            report.frames,
            report.fps or FALLBACK_FPS,
            dict(report.rep_frames),
            report.faults,
            None if sequence is None else sequence.xy_px,
            None if sequence is None else (sequence.width, sequence.height),
            1 if sequence is None else facing_sign(sequence),
        )

    @classmethod
    def from_dict(
        cls,
        report: Mapping[str, Any],
        keypoints_px: NDArray[np.float64] | None = None,
        size: tuple[int, int] | None = None,
    ) -> CheckedClip:
        """From a stored report (the drill check's ``--json``); old ones lack ``rep_frames``."""
        reps = report.get("rep_frames") or {}
        fps = float(report.get("fps") or FALLBACK_FPS)
        facing = 1
        if keypoints_px is not None and size is not None:
            n = len(keypoints_px)
            shown = np.ones(keypoints_px.shape[:2])
            sequence = PoseSequence(keypoints_px, shown, np.arange(n) / fps, fps, *size)
            facing = facing_sign(sequence)
        return cls(
            CATALOGUE_IDS[DrillType(report["drill"])],
            int(report["frames"]),
            fps,
            {foot: tuple(int(f) for f in reps.get(foot.value, ())) for foot in Foot},
            tuple(
                Fault(str(f["id"]), str(f["message"]), int(f["frame"]), str(f.get("cue") or ""))
                for f in report.get("faults", [])
            ),
            keypoints_px,
            size,
            facing,
        )


def reference_cycles(clip: CheckedClip, motion: DrillMotion, frames: int) -> NDArray[np.float64]:
    """The reference's time (in its cycles) at each of the clip's ``frames`` frames."""
    phases = motion.rep_phases()
    events = sorted(
        (frame, Side(foot.value))
        for foot, reps in clip.rep_frames.items()
        for frame in reps
        if Side(foot.value) in phases
    )
    anchor_f: list[float] = []
    anchor_c: list[float] = []
    for frame, side in events:
        if anchor_f and frame <= anchor_f[-1]:
            continue
        if not anchor_c:
            cycle = phases[side]
        else:
            step = (phases[side] - anchor_c[-1]) % 1.0
            cycle = anchor_c[-1] + (step if step >= _MIN_REP_STEP_CYCLES else step + 1.0)
        anchor_f.append(float(frame))
        anchor_c.append(cycle)
    index = np.arange(frames, dtype=np.float64)
    if len(anchor_f) < 2:  # no rhythm found: the reference's own, through the one rep if any
        rate = 1.0 / (motion.cycle_s * clip.fps)
        start_f, start_c = (anchor_f[0], anchor_c[0]) if anchor_f else (0.0, 0.0)
        return np.asarray(start_c + (index - start_f) * rate, dtype=np.float64)
    rate = (anchor_c[-1] - anchor_c[0]) / (anchor_f[-1] - anchor_f[0])
    out = np.interp(index, anchor_f, anchor_c)
    before, after = index < anchor_f[0], index > anchor_f[-1]
    out[before] = anchor_c[0] + (index[before] - anchor_f[0]) * rate
    out[after] = anchor_c[-1] + (index[after] - anchor_f[-1]) * rate
    return np.asarray(out, dtype=np.float64)


def _fault_side(clip: CheckedClip, fault: Fault) -> Side:
    """The leg whose rep is nearest the fault's frame (left when there are none)."""
    nearest = min(
        ((abs(f - fault.frame), foot) for foot, reps in clip.rep_frames.items() for f in reps),
        default=(0, Foot.LEFT),
    )
    return Side(nearest[1].value)


def _joint_px(clip: CheckedClip, part: str, side: Side, index: int) -> NDArray[np.float64] | None:
    """The runner's joint for a body part at frame ``index``, in the clip's pixels."""
    if clip.keypoints_px is None or not 0 <= index < len(clip.keypoints_px):
        return None
    xy = clip.keypoints_px[index]
    if part in MIDLINE:
        pairs = {
            "neck": (Landmark.LEFT_SHOULDER, Landmark.RIGHT_SHOULDER),
            "pelvis": (Landmark.LEFT_HIP, Landmark.RIGHT_HIP),
            "head": (Landmark.NOSE, Landmark.NOSE),
        }[part]
        point = (xy[pairs[0]] + xy[pairs[1]]) / 2
    elif part in ("hip", "knee", "ankle", "heel", "toe"):
        point = xy[getattr(LEG[Foot(side.value)], part)]
    else:
        point = xy[Landmark[f"{side.name}_{part.upper()}"]]
    return point if np.isfinite(point).all() else None


def _label(fault: Fault) -> str:
    return fault.id.replace("_", " ")


@dataclass(frozen=True)
class SideBySideVideo:
    """What :func:`render_side_by_side` wrote."""

    path: Path
    drill_id: str
    frames: int
    fps: float
    width: int
    height: int
    half_width: int
    faults: int

    def as_dict(self) -> dict[str, Any]:
        return {
            "path": str(self.path),
            "drill": self.drill_id,
            "frames": self.frames,
            "fps": self.fps,
            "width": self.width,
            "height": self.height,
            "half_width": self.half_width,
            "faults": self.faults,
        }


def _even(value: float) -> int:
    return max(2, 2 * round(value / 2))


def _draw_runner(
    image: NDArray[np.uint8], clip: CheckedClip, index: int, active: list[Fault], scale: float
) -> None:
    style = panel_style(image.shape[0])
    lines = [PanelLine("You", _WHITE)]
    for fault in active:
        lines.append(PanelLine(f"{_label(fault)}: {fault.message}", _RED))
        point = _joint_px(
            clip, FAULT_PARTS.get(fault.id, "pelvis"), _fault_side(clip, fault), index
        )
        if point is None:
            continue
        centre = (round(float(point[0]) * scale), round(float(point[1]) * scale))
        radius = max(8, round(0.05 * image.shape[0]))
        cv2.circle(image, centre, radius, _RED, max(2, radius // 4), cv2.LINE_AA)
        cv2.putText(
            image,
            _label(fault),
            (centre[0] + radius + style.margin_px // 2, centre[1]),
            cv2.FONT_HERSHEY_SIMPLEX,
            0.8 * style.font_scale,
            _RED,
            style.thickness,
            cv2.LINE_AA,
        )
    draw_panel(image, lines)


def render_side_by_side(
    clip_path: str | Path,
    clip: CheckedClip,
    out_path: str | Path,
    *,
    max_height_px: int = SIDE_BY_SIDE_MAX_HEIGHT_PX,
    progress: Callable[[int, int], None] | None = None,
) -> SideBySideVideo:
    """Write the clip (left) and the time-warped reference (right), faults marked on both.

    One output frame per frame of the clip, at the check's frame rate; each half is the
    clip's size scaled to at most ``max_height_px`` tall, the reference facing the way the
    runner does. ``.webm`` (VP8) or ``.mp4``.
    """
    out_path = check_video_suffix(out_path)
    motion = reference_motion(clip.drill_id)
    info = probe_video(clip_path, min_frames=1)
    height = _even(min(info.height, max_height_px))
    width = _even(info.width * height / info.height)
    frames = max(clip.frames, info.frame_count)
    cycles = reference_cycles(clip, motion, frames)
    track = figure_track(motion, cycles, width, height, facing=clip.facing)
    key_scale = height / (clip.size[1] if clip.size else info.height)
    window = FAULT_CALLOUT_S * clip.fps
    head = [*header_lines(motion)[:1], PanelLine("Reference, at your rep rhythm", _GREY)]
    cues = [PanelLine("  " + cue, _GREY) for cue in motion.drill.cues]
    writer = open_video_writer(out_path, clip.fps, (2 * width, height))
    reference = np.zeros((height, width, 3), dtype=np.uint8)
    written = 0
    try:
        for frame in iter_frames(clip_path):
            i = min(frame.index, frames - 1)
            runner = np.asarray(
                cv2.resize(frame.image_bgr, (width, height), interpolation=cv2.INTER_AREA),
                dtype=np.uint8,
            )
            active = [f for f in clip.faults if abs(frame.index - f.frame) <= window]
            _draw_runner(runner, clip, frame.index, active, key_scale)
            lines = head + (
                [PanelLine(f"Cue: {f.cue or f.message}", _CUE) for f in active] if active else cues
            )
            marks = [
                Mark(FAULT_PARTS.get(f.id, "pelvis"), _fault_side(clip, f), _CUE) for f in active
            ]
            draw_reference(reference, motion, track, i, lines, marks)
            writer.write(np.hstack([runner, reference]))
            written += 1
            if progress is not None:
                progress(written, frames)
    finally:
        writer.release()
    return SideBySideVideo(
        out_path, motion.drill_id, written, clip.fps, 2 * width, height, width, len(clip.faults)
    )
