"""Decode stage: stream a clip's frames with OpenCV, one at a time.

Memory stays flat whatever the clip's length: frames are yielded, never stacked.
Rotation metadata (phones film portrait with a rotation flag) is applied by
OpenCV's FFmpeg backend (``CAP_PROP_ORIENTATION_AUTO``); the rotation is reported.
Each frame carries its own presentation time (``CAP_PROP_POS_MSEC``), so clips with
a variable frame rate keep true timing.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import cv2
import numpy as np
from numpy.typing import NDArray

from stridelab.errors import ClipTooShort, VideoFileError
from stridelab.video.pose import FALLBACK_FPS

__all__ = [
    "MIN_CLIP_FRAMES",
    "VideoFrame",
    "VideoInfo",
    "iter_frames",
    "probe_video",
]

#: Fewer frames than this (1 s at 30 fps) cannot hold a stride cycle.
MIN_CLIP_FRAMES: Final = 30

_FIX_HINT: Final = "Export the clip again as MP4 (H.264) from the phone's gallery and retry."


@dataclass(frozen=True)
class VideoInfo:
    """What the container says about a clip (dimensions after rotation)."""

    path: Path
    fps: float
    frame_count: int
    width: int
    height: int
    rotation_deg: int

    @property
    def duration_s(self) -> float:
        return self.frame_count / self.fps if self.fps > 0 else 0.0


@dataclass(frozen=True)
class VideoFrame:
    """One decoded frame: its index in the clip, its time and the BGR image."""

    index: int
    t_s: float
    image_bgr: NDArray[np.uint8]


def _open(path: Path) -> cv2.VideoCapture:
    if not path.is_file():
        raise VideoFileError(f"{path}: no such file", hint="Check the path to the video.")
    capture = cv2.VideoCapture(str(path), cv2.CAP_FFMPEG)
    if not capture.isOpened():
        capture.release()
        raise VideoFileError(f"{path}: not a video OpenCV can open", hint=_FIX_HINT)
    capture.set(cv2.CAP_PROP_ORIENTATION_AUTO, 1)
    return capture


def probe_video(path: str | Path, *, min_frames: int = MIN_CLIP_FRAMES) -> VideoInfo:
    """Open ``path``, decode its first frame and return its :class:`VideoInfo`.

    Raises :class:`VideoFileError` when it is not a readable video and
    :class:`ClipTooShort` when it has fewer than ``min_frames`` frames.
    """
    path = Path(path)
    capture = _open(path)
    try:
        ok, first = capture.read()
        if not ok or first is None:
            raise VideoFileError(f"{path}: no frame could be decoded", hint=_FIX_HINT)
        fps = float(capture.get(cv2.CAP_PROP_FPS)) or FALLBACK_FPS
        count = int(capture.get(cv2.CAP_PROP_FRAME_COUNT))
        rotation = int(capture.get(cv2.CAP_PROP_ORIENTATION_META)) % 360
    finally:
        capture.release()
    if count <= 0:  # some containers do not state it: count by decoding (cheap, streamed)
        count = sum(1 for _ in iter_frames(path))
    if count < min_frames:
        raise ClipTooShort(
            f"{path}: {count} frames is too short (at least {min_frames} are needed)",
            hint="Film at least 5 seconds of the drill.",
        )
    height, width = first.shape[:2]
    return VideoInfo(path, fps, count, int(width), int(height), rotation)


def iter_frames(
    path: str | Path, start: int = 0, stop: int | None = None, *, stride: int = 1
) -> Iterator[VideoFrame]:
    """Yield every ``stride``-th frame of ``start`` … ``stop - 1`` in order, one at a time.

    Frames skipped (before ``start``, between strides) are grabbed but not
    converted (cheap), which is exact where container seeking is not. A corrupt
    stream ends early; :class:`VideoFileError` only if no frame decodes at all.
    """
    path = Path(path)
    capture = _open(path)
    fps = float(capture.get(cv2.CAP_PROP_FPS)) or FALLBACK_FPS
    index = 0
    yielded = 0
    try:
        while stop is None or index < stop:
            if index < start or (index - start) % stride:
                if not capture.grab():
                    break
                index += 1
                continue
            ok, image = capture.read()
            if not ok or image is None:
                break
            t_ms = float(capture.get(cv2.CAP_PROP_POS_MSEC))
            t_s = t_ms / 1000.0 if t_ms > 0 or index == 0 else index / fps
            yield VideoFrame(index, t_s, np.asarray(image, dtype=np.uint8))
            yielded += 1
            index += 1
    finally:
        capture.release()
    if yielded == 0 and start == 0:
        raise VideoFileError(f"{path}: no frame could be decoded", hint=_FIX_HINT)
