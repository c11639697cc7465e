"""The video guide: a drill's reference motion drawn as a clean side-view figure.

The figure is :mod:`stridelab.drills.motions`' kinematic model (a convention-based
illustration, not measured data): limbs as thick lines, the near (right) side light and
the far side dark, a ground line. The panel names the drill, its rhythm and its cues;
one cue at a time is featured (highlighted) for at least :data:`CUE_MIN_S`, and while the
cycle is in that cue's phase the body part it is about is ringed. It plays at the drill's
stated rhythm and is written with the annotated video's writer (WebM VP8 or MP4 by suffix).
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import cv2
import numpy as np
from numpy.typing import NDArray

from stridelab.drills.kinematics import Joint, Side, View, joint
from stridelab.drills.motions import MIDLINE, REFERENCE_NOTE, DrillMotion, reference_motion
from stridelab.video.pose import LANDMARK_COUNT, Landmark, PoseSequence
from stridelab.video.render import (
    PanelLine,
    check_video_suffix,
    draw_panel,
    open_video_writer,
    panel_style,
)

__all__ = [
    "CUE_MIN_S",
    "GUIDE_FPS",
    "GUIDE_HEIGHT_PX",
    "GUIDE_MIN_S",
    "GUIDE_STYLE_REVISION",
    "GUIDE_WIDTH_PX",
    "FigureTrack",
    "GuideVideo",
    "Mark",
    "draw_reference",
    "figure_track",
    "guide_cycles",
    "guide_version",
    "reference_sequence",
    "render_guide",
]

GUIDE_FPS: Final = 30.0
GUIDE_WIDTH_PX: Final = 640
GUIDE_HEIGHT_PX: Final = 480
#: Each cue stays featured at least this long (whole cycles), so it can be read.
CUE_MIN_S: Final = 1.5
#: A guide lasts at least this long (whole cycles).
GUIDE_MIN_S: Final = 4.0
#: Bump when the drawing changes, so guides cached on disk are drawn again.
GUIDE_STYLE_REVISION: Final = 1

#: Figure stature as a share of the frame height (the panel takes the top).
_STATURE_SHARE: Final = 0.55
_GROUND_SHARE: Final = 0.93
_BACKGROUND: Final = (34, 30, 28)
_NEAR: Final = (245, 205, 140)
_FAR: Final = (150, 110, 70)
_TRUNK: Final = (235, 235, 235)
_GROUND: Final = (110, 110, 110)
_WHITE: Final = (255, 255, 255)
_GREY: Final = (160, 160, 160)
_CUE: Final = (60, 220, 255)


@dataclass(frozen=True)
class Mark:
    """A ring drawn at a body part (``part`` as in :class:`~stridelab.drills.motions.CueWindow`)."""

    part: str
    side: Side | None
    colour: tuple[int, int, int] = _CUE


def part_joint(part: str, side: Side | None) -> Joint:
    """The figure joint of a body part: a midline part, or the part on ``side`` (left if none)."""
    if part in MIDLINE:
        return Joint[part.upper()]
    return joint(part, side or Side.LEFT)


@dataclass(frozen=True)
class FigureTrack:
    """The figure in pixels for each frame: ``xy_px`` ``(n, J, 2)``, ``depth`` ``(n, J)``."""

    xy_px: NDArray[np.float64]
    depth: NDArray[np.float64]
    scale_px: float
    ground_y_px: float


def figure_track(
    motion: DrillMotion,
    cycles: NDArray[np.float64],
    width: int,
    height: int,
    *,
    facing: int = 1,
) -> FigureTrack:
    """Place the figure in a ``width`` × ``height`` frame at each time (cycles).

    The figure is centred on its bounding box over one cycle, stands on a ground line near
    the bottom, and is :data:`_STATURE_SHARE` of the height tall (narrow frames shrink it).
    It faces image-right, or image-left with ``facing=-1`` (mirrored, as a runner filmed
    from their other side).
    """
    scale = min(_STATURE_SHARE * height, width / 1.25)
    grid_xy, _ = motion.pose(np.arange(120) / 120).project(motion.view)
    centre = (float(grid_xy[..., 0].min()) + float(grid_xy[..., 0].max())) / 2
    xy, depth = motion.pose(cycles).project(motion.view)
    ground = _GROUND_SHARE * height
    x = scale * (xy[..., 0] - centre) * (1 if facing >= 0 else -1)
    px = np.stack([width / 2 + x, ground - scale * xy[..., 1]], -1)
    return FigureTrack(px, depth, scale, ground)


def _segments(side: Side) -> list[tuple[Joint, Joint]]:
    pairs = [
        ("shoulder", "elbow"),
        ("elbow", "wrist"),
        ("wrist", "hand"),
        ("hip", "knee"),
        ("knee", "ankle"),
        ("ankle", "heel"),
        ("heel", "toe"),
        ("ankle", "toe"),
    ]
    return [(joint(a, side), joint(b, side)) for a, b in pairs]


def _pt(xy: NDArray[np.float64]) -> tuple[int, int]:
    return round(float(xy[0])), round(float(xy[1]))


def _limb(
    image: NDArray[np.uint8],
    a: NDArray[np.float64],
    b: NDArray[np.float64],
    colour: tuple[int, int, int],
    width: int,
) -> None:
    cv2.line(image, _pt(a), _pt(b), colour, width, cv2.LINE_AA)
    for end in (a, b):  # round caps
        cv2.circle(image, _pt(end), max(1, width // 2), colour, -1, cv2.LINE_AA)


def draw_figure(image: NDArray[np.uint8], track: FigureTrack, index: int, view: View) -> None:
    """Ground line, far limbs, trunk and head, near limbs (by depth), at frame ``index``."""
    xy, depth = track.xy_px[index], track.depth[index]
    width = max(2, round(0.035 * track.scale_px))
    ground = round(track.ground_y_px + width / 2)
    cv2.line(image, (0, ground), (image.shape[1], ground), _GROUND, max(1, width // 3), cv2.LINE_AA)
    sides = sorted(Side, key=lambda s: float(depth[joint("hip", s)]))
    far, near = sides
    colours = {far: _FAR, near: _NEAR}
    for a, b in _segments(far):
        _limb(image, xy[a], xy[b], colours[far], width)
    hips = (xy[Joint.LEFT_HIP] + xy[Joint.RIGHT_HIP]) / 2
    shoulders = (xy[Joint.LEFT_SHOULDER] + xy[Joint.RIGHT_SHOULDER]) / 2
    if view is View.FRONT:
        _limb(image, xy[Joint.LEFT_HIP], xy[Joint.RIGHT_HIP], _TRUNK, width)
        _limb(image, xy[Joint.LEFT_SHOULDER], xy[Joint.RIGHT_SHOULDER], _TRUNK, width)
    _limb(image, hips, shoulders, _TRUNK, round(width * 1.4))
    head = xy[Joint.HEAD]
    _limb(image, xy[Joint.NECK], xy[Joint.NECK] + 0.55 * (head - xy[Joint.NECK]), _TRUNK, width)
    cv2.circle(image, _pt(head), max(3, round(0.062 * track.scale_px)), _TRUNK, -1, cv2.LINE_AA)
    for a, b in _segments(near):
        _limb(image, xy[a], xy[b], colours[near], width)


def draw_marks(
    image: NDArray[np.uint8], track: FigureTrack, index: int, marks: Sequence[Mark]
) -> None:
    """A ring round each marked part."""
    radius = max(6, round(0.06 * track.scale_px))
    for mark in marks:
        centre = track.xy_px[index, part_joint(mark.part, mark.side)]
        cv2.circle(image, _pt(centre), radius, mark.colour, max(2, radius // 4), cv2.LINE_AA)


def draw_reference(
    image: NDArray[np.uint8],
    motion: DrillMotion,
    track: FigureTrack,
    index: int,
    lines: list[PanelLine],
    marks: Sequence[Mark] = (),
) -> None:
    """One reference frame on ``image`` (filled with the background first)."""
    image[:] = _BACKGROUND
    draw_figure(image, track, index, motion.view)
    draw_marks(image, track, index, marks)
    draw_panel(image, lines)
    style = panel_style(image.shape[0])
    scale = 0.75 * style.font_scale
    size = cv2.getTextSize(REFERENCE_NOTE, cv2.FONT_HERSHEY_SIMPLEX, scale, 1)[0]
    if size[0] > image.shape[1] - 2 * style.margin_px:
        scale *= (image.shape[1] - 2 * style.margin_px) / size[0]
    cv2.putText(
        image,
        REFERENCE_NOTE,
        (style.margin_px, image.shape[0] - style.margin_px // 2),
        cv2.FONT_HERSHEY_SIMPLEX,
        scale,
        _GREY,
        1,
        cv2.LINE_AA,
    )


def header_lines(motion: DrillMotion) -> list[PanelLine]:
    """The drill's name and rhythm."""
    drill = motion.drill
    return [
        PanelLine(drill.name, _WHITE),
        PanelLine(f"{motion.reps_per_min:g} {motion.rep_unit}", _GREY),
    ]


def cue_lines(motion: DrillMotion, featured: int | None) -> list[PanelLine]:
    """Every cue, the featured one highlighted."""
    return [
        PanelLine(("> " if i == featured else "  ") + cue, _CUE if i == featured else _GREY)
        for i, cue in enumerate(motion.drill.cues)
    ]


def cue_marks(motion: DrillMotion, cue: int, cycles: float) -> list[Mark]:
    """Rings for cue number ``cue`` where the cycle is in one of its windows."""
    return [
        Mark(w.part, w.side)
        for w in motion.windows(cue)
        if w.part is not None and bool(w.covers(cycles))
    ]


def guide_cycles(motion: DrillMotion) -> tuple[int, int]:
    """``(cycles in the guide, cycles each cue stays featured)``."""
    per_cue = max(1, math.ceil(CUE_MIN_S / motion.cycle_s))
    total = max(
        per_cue * len(motion.drill.cues),
        math.ceil(GUIDE_MIN_S / motion.cycle_s),
        motion.growth_cycles + 1,
    )
    return total, per_cue


def guide_version(drill_id: str) -> str:
    """A short digest of the drill's motion and the drawing: a cache key for rendered guides."""
    motion = reference_motion(drill_id)
    text = f"{motion!r}|{GUIDE_STYLE_REVISION}|{GUIDE_WIDTH_PX}x{GUIDE_HEIGHT_PX}@{GUIDE_FPS}"
    return hashlib.sha256(text.encode()).hexdigest()[:12]


@dataclass(frozen=True)
class GuideVideo:
    """What :func:`render_guide` wrote."""

    path: Path
    drill_id: str
    frames: int
    fps: float
    width: int
    height: int
    cycles: int
    reps: int
    reps_per_min: float
    rep_unit: str

    @property
    def duration_s(self) -> float:
        return self.frames / self.fps

    def as_dict(self) -> dict[str, Any]:
        return {
            "path": str(self.path),
            "drill": self.drill_id,
            "frames": self.frames,
            "fps": self.fps,
            "width": self.width,
            "height": self.height,
            "duration_s": round(self.duration_s, 3),
            "cycles": self.cycles,
            "reps": self.reps,
            "reps_per_min": self.reps_per_min,
            "rep_unit": self.rep_unit,
            "note": REFERENCE_NOTE,
        }


def render_guide(
    drill_id: str,
    out_path: str | Path,
    *,
    width: int = GUIDE_WIDTH_PX,
    height: int = GUIDE_HEIGHT_PX,
    fps: float = GUIDE_FPS,
) -> GuideVideo:
    """Write the reference animation of a catalogue drill (.webm VP8 or .mp4).

    It loops seamlessly: a whole number of cycles, at the drill's stated rhythm (to the
    nearest frame). Raises :class:`InputError` for an unknown drill or a bad suffix.
    """
    motion = reference_motion(drill_id)
    out_path = check_video_suffix(out_path)
    cycles, per_cue = guide_cycles(motion)
    frames = max(1, round(cycles * motion.cycle_s * fps))
    t = np.arange(frames) * cycles / frames
    track = figure_track(motion, t, width, height)
    head = header_lines(motion)
    writer = open_video_writer(out_path, fps, (width, height))
    image = np.zeros((height, width, 3), dtype=np.uint8)
    try:
        for i, c in enumerate(t):
            featured = int(c // per_cue) % len(motion.drill.cues)
            lines = head + cue_lines(motion, featured)
            draw_reference(image, motion, track, i, lines, cue_marks(motion, featured, float(c)))
            writer.write(image)
    finally:
        writer.release()
    return GuideVideo(
        out_path,
        motion.drill_id,
        frames,
        fps,
        width,
        height,
        cycles,
        cycles * motion.reps_per_cycle,
        motion.reps_per_min,
        motion.rep_unit,
    )


def reference_sequence(
    drill_id: str,
    duration_s: float,
    *,
    fps: float = GUIDE_FPS,
    width: int = GUIDE_WIDTH_PX,
    height: int = GUIDE_HEIGHT_PX,
) -> PoseSequence:
    """The reference figure as BlazePose landmarks (pixels), as the drill check would see it.

    Face points sit at the head, finger points at the hand; every point fully visible.
    """
    motion = reference_motion(drill_id)
    frames = max(1, round(duration_s * fps))
    t_s = np.arange(frames) / fps
    track = figure_track(motion, t_s / motion.cycle_s, width, height)
    xy = np.zeros((frames, LANDMARK_COUNT, 2))
    xy[:, :11] = track.xy_px[:, None, Joint.HEAD]
    for side in Side:
        for part in ("shoulder", "elbow", "wrist", "hip", "knee", "ankle", "heel"):
            xy[:, Landmark[f"{side.name}_{part.upper()}"]] = track.xy_px[:, joint(part, side)]
        xy[:, Landmark[f"{side.name}_FOOT_INDEX"]] = track.xy_px[:, joint("toe", side)]
        wrist = int(Landmark[f"{side.name}_WRIST"])
        for finger in (2, 4, 6):  # pinky, index, thumb follow the wrist in BlazePose order
            xy[:, wrist + finger] = track.xy_px[:, joint("hand", side)]
    visibility = np.ones((frames, LANDMARK_COUNT))
    return PoseSequence(xy, visibility, t_s, fps, width, height)
