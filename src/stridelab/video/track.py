"""Subject stage: find the runner among several people, before pose estimation.

MediaPipe's pose solution follows one person, whichever it detects first. In a
park with passers-by that may be the wrong one. This stage runs a cheap motion
pass first (OpenCV MOG2 background subtraction on a small grey copy of every
other frame; Zivkovic 2004), groups foreground into blobs, links blobs over time
into tracks and picks the *largest consistently moving* one: the track with the
most foreground pixels summed over the clip.

When the subject stays in place (a treadmill, a drill on the spot: the usual
drill-check film) it dominates the picture and the pose stage sees the full
frame. When a person-shaped subject crosses the frame (a walker or runner going
by, with other people around before and after) the pose stage sees a square
crop that follows the subject, and frames outside the subject's track count as
"no person" rather than as somebody else. ``rivals`` reports other people moving
well apart from the subject (score at least :data:`RIVAL_SCORE_RATIO` of its own).
A moving camera turns most pixels into foreground; those frames are ignored and,
with no usable track, the full frame is used.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

import cv2
import numpy as np
from numpy.typing import NDArray

from stridelab.video.decode import iter_frames

__all__ = [
    "MOTION_WIDTH_PX",
    "RIVAL_SCORE_RATIO",
    "MotionObserver",
    "SubjectTrack",
    "choose_subject",
    "find_subject",
]

#: The motion pass works on frames shrunk to this width (INTER_LINEAR, cheap).
MOTION_WIDTH_PX: Final = 160
#: A chunk's motion pass starts this many frames early to learn the background.
MOTION_WARMUP_FRAMES: Final = 30
#: Analyse every n-th frame for motion; boxes in between are interpolated.
MOTION_FRAME_STRIDE: Final = 2
#: A blob smaller than this share of the small frame is noise.
MIN_BLOB_SHARE: Final = 0.003
#: Frames with more foreground than this share (camera moved, light changed) are skipped.
MAX_FOREGROUND_SHARE: Final = 0.25
#: Blobs closer than this share of the frame's short side merge into one person.
MERGE_GAP_SHARE: Final = 0.04
#: A blob links to a track whose last centre lies within this many track heights.
LINK_DISTANCE_HEIGHTS: Final = 0.75
#: A track unseen for this many sampled frames ends.
MAX_TRACK_GAP: Final = 8
#: Another track scoring at least this share of the subject's is a rival person.
RIVAL_SCORE_RATIO: Final = 0.2
#: A track whose centre stays further than this many person heights away is another person.
RIVAL_DISTANCE_HEIGHTS: Final = 0.9
#: … and further than this share of the frame diagonal (a body falls apart into blobs).
RIVAL_DISTANCE_DIAGONALS: Final = 0.2
#: A subject blob this many times taller than wide is person-shaped.
PERSON_ASPECT: Final = 2.0
#: A subject whose centre travels this many body widths crosses the frame.
PASS_THROUGH_WIDTHS: Final = 1.5
#: Tracks seen in fewer sampled frames (about 1 s at 30 fps) are not followed.
MIN_TRACK_SAMPLES: Final = 15
#: Crop side: this many subject heights, but at least CROP_MIN_SHARE of the short side.
CROP_HEIGHTS: Final = 1.6
CROP_MIN_SHARE: Final = 0.6

Box = tuple[float, float, float, float]  # x, y, w, h in full-frame pixels
Observation = tuple[int, list[tuple[Box, float]]]  # sampled frame, blobs with their areas


@dataclass
class _Track:
    frames: list[int] = field(default_factory=list)
    centres: list[tuple[float, float]] = field(default_factory=list)
    heights: list[float] = field(default_factory=list)
    score: float = 0.0


@dataclass(frozen=True)
class SubjectTrack:
    """Where the subject is: per-frame crop boxes, or ``None`` for the full frame.

    ``crops[i]`` is ``(x0, y0, side)`` in full-frame pixels, or ``None`` when frame
    ``i`` lies outside the subject's track. ``rivals`` counts other moving people.
    """

    crops: tuple[tuple[int, int, int] | None, ...] | None
    rivals: int

    @property
    def full_frame(self) -> bool:
        return self.crops is None

    def crop(self, index: int) -> tuple[int, int, int] | None:
        if self.crops is None or index >= len(self.crops):
            return None
        return self.crops[index]


def _blobs(mask: NDArray[np.uint8], scale: float) -> list[tuple[Box, float]]:
    short = min(mask.shape)
    gap = max(3, round(MERGE_GAP_SHARE * short)) | 1
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (gap, gap))
    opened = cv2.morphologyEx(mask, cv2.MORPH_OPEN, np.ones((3, 3), np.uint8))
    merged = cv2.morphologyEx(opened, cv2.MORPH_CLOSE, kernel)
    count, _, stats, _ = cv2.connectedComponentsWithStats(merged)
    out: list[tuple[Box, float]] = []
    for x, y, w, h, area in stats[1:count]:
        if area >= MIN_BLOB_SHARE * mask.size:
            box = (x / scale, y / scale, w / scale, h / scale)
            out.append((box, float(area) / scale**2))
    return out


def _link(observations: list[Observation]) -> list[_Track]:
    tracks: list[_Track] = []
    for frame, blobs in observations:
        for box, area in sorted(blobs, key=lambda b: -b[1]):
            cx, cy = box[0] + box[2] / 2, box[1] + box[3] / 2
            best: _Track | None = None
            best_d = np.inf
            for track in tracks:
                gap = frame - track.frames[-1]
                if gap == 0 or gap > MAX_TRACK_GAP * MOTION_FRAME_STRIDE:
                    continue
                tx, ty = track.centres[-1]
                d = float(np.hypot(cx - tx, cy - ty))
                if d < LINK_DISTANCE_HEIGHTS * max(track.heights[-1], box[3]) and d < best_d:
                    best, best_d = track, d
            if best is None:
                best = _Track()
                tracks.append(best)
            best.frames.append(frame)
            best.centres.append((cx, cy))
            best.heights.append(box[3])
            best.score += area
    return tracks


def _person_boxes(track: _Track, observations: list[Observation]) -> dict[int, Box]:
    """Per sampled frame, the union of the blobs that share the subject blob's columns.

    A person often falls apart into blobs (torso, swinging legs); blobs above or
    below the subject's blob belong to the same body.
    """
    by_frame = dict(observations)
    out: dict[int, Box] = {}
    for frame, (cx, _), h in zip(track.frames, track.centres, track.heights, strict=True):
        blobs = by_frame[frame]
        core = min(blobs, key=lambda b: abs(b[0][0] + b[0][2] / 2 - cx) + abs(b[0][3] - h))[0]
        margin = 0.25 * core[2]
        lo, hi = core[0] - margin, core[0] + core[2] + margin
        parts = [b for b, _ in blobs if b[0] < hi and b[0] + b[2] > lo]
        x0 = min(b[0] for b in parts)
        y0 = min(b[1] for b in parts)
        x1 = max(b[0] + b[2] for b in parts)
        y1 = max(b[1] + b[3] for b in parts)
        out[frame] = (x0, y0, x1 - x0, y1 - y0)
    return out


def _crops(
    boxes: dict[int, Box], side: int, frames: int, width: int, height: int
) -> list[tuple[int, int, int] | None]:
    known = np.asarray(sorted(boxes))
    xs = np.interp(np.arange(frames), known, [boxes[k][0] + boxes[k][2] / 2 for k in known])
    ys = np.interp(np.arange(frames), known, [boxes[k][1] + boxes[k][3] / 2 for k in known])
    # Light smoothing of the path so the crop glides rather than jumps.
    window = np.ones(5) / 5
    xs = np.convolve(np.pad(xs, 2, mode="edge"), window, mode="valid")
    ys = np.convolve(np.pad(ys, 2, mode="edge"), window, mode="valid")
    first, last = int(known[0]), int(known[-1])
    crops: list[tuple[int, int, int] | None] = []
    for i in range(frames):
        if i < first or i > last:
            crops.append(None)
            continue
        x0 = int(np.clip(xs[i] - side / 2, 0, width - side))
        y0 = int(np.clip(ys[i] - side / 2, 0, height - side))
        crops.append((x0, y0, side))
    return crops


def _is_rival(other: _Track, boxes: dict[int, Box], min_distance_px: float) -> bool:
    """A track whose centre stays further than ``min_distance_px`` from the subject's."""
    distances = []
    for frame, (cx, cy) in zip(other.frames, other.centres, strict=True):
        box = boxes.get(frame)
        if box is not None:
            distances.append(np.hypot(cx - box[0] - box[2] / 2, cy - box[1] - box[3] / 2))
    if not distances:
        return False  # never in view together: not competing for the pose model
    return float(np.median(distances)) > min_distance_px


def _passes_through(boxes: dict[int, Box]) -> bool:
    """A person-shaped subject that crosses the frame (a walker, a runner going by)."""
    if len(boxes) < MIN_TRACK_SAMPLES:
        return False
    sizes = np.array([(b[2], b[3]) for b in boxes.values()])
    width, height = np.median(sizes, axis=0)
    centres_x = [b[0] + b[2] / 2 for b in boxes.values()]
    return bool(
        height >= PERSON_ASPECT * width
        and max(centres_x) - min(centres_x) >= PASS_THROUGH_WIDTHS * width
    )


class MotionObserver:
    """Feeds frames through MOG2 and keeps, per sampled frame, the moving blobs.

    Used inline by the pose workers (they decode every frame anyway), so the
    motion pass costs no extra decode. Frames must arrive in order; a chunk
    that starts mid-clip should be fed :data:`MOTION_WARMUP_FRAMES` earlier.
    """

    def __init__(self, width: int, height: int) -> None:
        self.scale = MOTION_WIDTH_PX / width
        self.size = (MOTION_WIDTH_PX, max(1, round(height * self.scale)))
        self.subtractor = cv2.createBackgroundSubtractorMOG2(
            history=100, varThreshold=32, detectShadows=False
        )
        self.fed = 0
        self.observations: list[Observation] = []

    def observe(self, index: int, image_bgr: NDArray[np.uint8], *, keep: bool = True) -> None:
        """Feed frame ``index``; sampled frames (every :data:`MOTION_FRAME_STRIDE`) are used."""
        if index % MOTION_FRAME_STRIDE:
            return
        small = cv2.resize(image_bgr, self.size, interpolation=cv2.INTER_LINEAR)
        mask = np.asarray(self.subtractor.apply(small), dtype=np.uint8)
        self.fed += 1
        if not keep or self.fed == 1 or np.count_nonzero(mask) > MAX_FOREGROUND_SHARE * mask.size:
            return
        self.observations.append((index, _blobs(mask, self.scale)))


def choose_subject(
    observations: list[Observation], frames: int, width: int, height: int
) -> SubjectTrack:
    """Link the observed blobs into tracks and pick the subject (see the module doc)."""
    tracks = sorted(_link(sorted(observations, key=lambda o: o[0])), key=lambda t: -t.score)
    if not tracks:
        return SubjectTrack(crops=None, rivals=0)
    subject = tracks[0]
    boxes = _person_boxes(subject, observations)
    person_height = float(np.median([b[3] for b in boxes.values()]))
    apart_px = max(
        RIVAL_DISTANCE_HEIGHTS * person_height,
        RIVAL_DISTANCE_DIAGONALS * float(np.hypot(width, height)),
    )
    rivals = sum(
        1
        for t in tracks[1:]
        if t.score >= RIVAL_SCORE_RATIO * subject.score and _is_rival(t, boxes, apart_px)
    )
    if not _passes_through(boxes):
        return SubjectTrack(crops=None, rivals=rivals)
    short = min(width, height)
    side = min(short, round(max(CROP_HEIGHTS * person_height, CROP_MIN_SHARE * short)))
    return SubjectTrack(crops=tuple(_crops(boxes, side, frames, width, height)), rivals=rivals)


def find_subject(path: str | Path, frames: int, width: int, height: int) -> SubjectTrack:
    """Run the motion pass over ``path`` on its own and return the subject's crops.

    Cost: one decode of the clip plus about 1 ms a sampled frame; memory is flat.
    """
    observer = MotionObserver(width, height)
    for frame in iter_frames(path, stride=MOTION_FRAME_STRIDE):
        observer.observe(frame.index, frame.image_bgr)
    return choose_subject(observer.observations, frames, width, height)
