"""Pose estimation stage: frames in, 33 BlazePose landmarks per frame out.

The stage hides the model behind :class:`PoseEstimator`, a two-method protocol, so
another backend can replace MediaPipe. Every backend returns, per frame, an array
of shape ``(33, 3)``: ``x`` and ``y`` normalised to the image it was given (0–1,
origin top-left) and a visibility in 0–1; all ``NaN`` when nobody is in view.

Backends:

- :class:`MediaPipePoseEstimator`: BlazePose lite, full or heavy through MediaPipe
  Tasks' ``PoseLandmarker`` (VIDEO mode), offline: the ``.task`` models are built at
  set-up (:mod:`stridelab.video.native`).
- :class:`FakePoseEstimator`: replays keypoint arrays; the public fake for tests.

:class:`PoseSequence` holds a whole clip as columns (pixels, visibility, time).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum
from typing import TYPE_CHECKING, Any, Final, Protocol, runtime_checkable

import numpy as np
from numpy.typing import NDArray

from stridelab.errors import PoseError
from stridelab.video.native import (
    DEFAULT_POSE_MODEL,
    PoseModel,
    model_path,
    native_stderr_silenced,
    pose_api,
    require_mediapipe,
)

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = [
    "DEFAULT_POSE_MODEL",
    "FALLBACK_FPS",
    "LANDMARK_COUNT",
    "FakePoseEstimator",
    "Landmark",
    "MediaPipePoseEstimator",
    "PoseEstimator",
    "PoseModel",
    "PoseSequence",
    "no_person",
    "require_mediapipe",
]

#: The frame rate assumed where none is known (a container that states none, a one-frame clip).
FALLBACK_FPS: Final = 30.0
#: BlazePose returns 33 landmarks per person.
LANDMARK_COUNT: Final = 33
#: MediaPipe's own default confidences, kept explicit.
MEDIAPIPE_MIN_DETECTION_CONFIDENCE: Final = 0.5
MEDIAPIPE_MIN_TRACKING_CONFIDENCE: Final = 0.5

Landmarks = NDArray[np.float64]
"""One frame: ``(33, 3)`` array of normalised x, y and visibility."""


class Landmark(IntEnum):
    """BlazePose landmark indices (the ones stridelab uses, plus the face)."""

    NOSE = 0
    LEFT_EAR = 7
    RIGHT_EAR = 8
    LEFT_SHOULDER = 11
    RIGHT_SHOULDER = 12
    LEFT_ELBOW = 13
    RIGHT_ELBOW = 14
    LEFT_WRIST = 15
    RIGHT_WRIST = 16
    LEFT_HIP = 23
    RIGHT_HIP = 24
    LEFT_KNEE = 25
    RIGHT_KNEE = 26
    LEFT_ANKLE = 27
    RIGHT_ANKLE = 28
    LEFT_HEEL = 29
    RIGHT_HEEL = 30
    LEFT_FOOT_INDEX = 31
    RIGHT_FOOT_INDEX = 32


#: Pairs drawn as the skeleton (BlazePose body connections, face left out).
SKELETON_EDGES: Final[tuple[tuple[Landmark, Landmark], ...]] = (
    (Landmark.LEFT_SHOULDER, Landmark.RIGHT_SHOULDER),
    (Landmark.LEFT_SHOULDER, Landmark.LEFT_ELBOW),
    (Landmark.LEFT_ELBOW, Landmark.LEFT_WRIST),
    (Landmark.RIGHT_SHOULDER, Landmark.RIGHT_ELBOW),
    (Landmark.RIGHT_ELBOW, Landmark.RIGHT_WRIST),
    (Landmark.LEFT_SHOULDER, Landmark.LEFT_HIP),
    (Landmark.RIGHT_SHOULDER, Landmark.RIGHT_HIP),
    (Landmark.LEFT_HIP, Landmark.RIGHT_HIP),
    (Landmark.LEFT_HIP, Landmark.LEFT_KNEE),
    (Landmark.LEFT_KNEE, Landmark.LEFT_ANKLE),
    (Landmark.LEFT_ANKLE, Landmark.LEFT_HEEL),
    (Landmark.LEFT_HEEL, Landmark.LEFT_FOOT_INDEX),
    (Landmark.LEFT_ANKLE, Landmark.LEFT_FOOT_INDEX),
    (Landmark.RIGHT_HIP, Landmark.RIGHT_KNEE),
    (Landmark.RIGHT_KNEE, Landmark.RIGHT_ANKLE),
    (Landmark.RIGHT_ANKLE, Landmark.RIGHT_HEEL),
    (Landmark.RIGHT_HEEL, Landmark.RIGHT_FOOT_INDEX),
    (Landmark.RIGHT_ANKLE, Landmark.RIGHT_FOOT_INDEX),
)


_model_loaded = False


def model_loaded_in_process() -> bool:
    """Whether this process has created a MediaPipe graph (it then holds native threads)."""
    return _model_loaded


def no_person() -> Landmarks:
    """The landmarks of a frame with nobody in view: all ``NaN``."""
    return np.full((LANDMARK_COUNT, 3), np.nan)


@runtime_checkable
class PoseEstimator(Protocol):
    """A pose backend: one RGB image in, ``(33, 3)`` normalised landmarks out.

    ``frame_index`` is the frame's position in the clip; tracking backends may
    ignore it, replaying backends use it. Backends hold state between calls
    (tracking), so frames of one clip must arrive in order.
    """

    def estimate(self, image_rgb: NDArray[np.uint8], frame_index: int) -> Landmarks:
        """Landmarks of the person in ``image_rgb`` (all ``NaN`` when nobody is found)."""
        ...

    def close(self) -> None:
        """Release the model."""
        ...


class MediaPipePoseEstimator:
    """BlazePose (lite, full or heavy) through MediaPipe Tasks' ``PoseLandmarker``, VIDEO mode.

    VIDEO mode tracks: the detector runs only until a person is found, then each
    frame's landmarks seed the next frame's region (the detector's ~13 ms a frame
    saved). Frames must arrive in order; ``frame_index / fps`` gives the timestamp the
    landmark smoothing filter uses. Frame indices that go back (a second pass over the
    clip) continue the clock rather than rewind it. The model is a ``.task`` bundle
    built at set-up (:func:`~stridelab.video.native.model_path`); MediaPipe is imported
    lazily, and its native log lines never reach stderr.
    """

    def __init__(
        self,
        model: PoseModel | str = DEFAULT_POSE_MODEL,
        *,
        fps: float = FALLBACK_FPS,
        min_detection_confidence: float = MEDIAPIPE_MIN_DETECTION_CONFIDENCE,
        min_tracking_confidence: float = MEDIAPIPE_MIN_TRACKING_CONFIDENCE,
    ) -> None:
        api = pose_api()
        path = model_path(PoseModel(model))
        self.model = PoseModel(model)
        self._frame_ms = 1000.0 / fps if fps > 0 else 1000.0 / FALLBACK_FPS
        self._offset_ms = 0
        self._last_ms = -1
        self._image = api.image
        running_mode = api.landmarker.running_mode_lib.VisionTaskRunningMode.VIDEO
        options = api.landmarker.PoseLandmarkerOptions(
            base_options=api.base_options.BaseOptions(model_asset_path=str(path)),
            running_mode=running_mode,
            num_poses=1,
            min_pose_detection_confidence=min_detection_confidence,
            min_pose_presence_confidence=min_tracking_confidence,
            min_tracking_confidence=min_tracking_confidence,
        )
        global _model_loaded
        _model_loaded = True
        with native_stderr_silenced():
            self._landmarker: Any = api.landmarker.PoseLandmarker.create_from_options(options)

    def _timestamp_ms(self, frame_index: int) -> int:
        stamp = round(frame_index * self._frame_ms) + self._offset_ms
        if stamp <= self._last_ms:  # frames went back: a new pass continues the clock
            self._offset_ms += self._last_ms - stamp + round(self._frame_ms)
            stamp = self._last_ms + round(self._frame_ms)
        self._last_ms = stamp
        return stamp

    def estimate(self, image_rgb: NDArray[np.uint8], frame_index: int) -> Landmarks:
        image = self._image.Image(
            image_format=self._image.ImageFormat.SRGB, data=np.ascontiguousarray(image_rgb)
        )
        with native_stderr_silenced():
            result = self._landmarker.detect_for_video(image, self._timestamp_ms(frame_index))
        if not result.pose_landmarks:
            return no_person()
        return np.array(
            [(p.x, p.y, p.visibility) for p in result.pose_landmarks[0]], dtype=np.float64
        )

    def close(self) -> None:
        with native_stderr_silenced():
            self._landmarker.close()


class FakePoseEstimator:
    """Replays known keypoints: ``keypoints[frame_index]`` for each frame.

    ``keypoints`` has shape ``(frames, 33, 3)``: normalised x, y and visibility,
    ``NaN`` rows where nobody is in view. Frames past the end return no person.
    Picklable, so it also runs in the parallel pose workers.
    """

    def __init__(self, keypoints: NDArray[np.float64]) -> None:
        array = np.asarray(keypoints, dtype=np.float64)
        if array.ndim != 3 or array.shape[1:] != (LANDMARK_COUNT, 3):
            raise PoseError(
                f"FakePoseEstimator needs keypoints shaped (frames, 33, 3), got {array.shape}"
            )
        self.keypoints = array
        self.calls = 0

    @classmethod
    def from_pixels(
        cls, xy_px: NDArray[np.float64], visibility: NDArray[np.float64], width: int, height: int
    ) -> FakePoseEstimator:
        """Build from pixel coordinates ``(frames, 33, 2)`` of a ``width`` × ``height`` video."""
        norm = np.asarray(xy_px, dtype=np.float64) / np.array([width, height], dtype=np.float64)
        return cls(np.concatenate([norm, np.asarray(visibility)[..., None]], axis=2))

    def estimate(self, image_rgb: NDArray[np.uint8], frame_index: int) -> Landmarks:
        self.calls += 1
        if 0 <= frame_index < len(self.keypoints):
            return np.array(self.keypoints[frame_index], dtype=np.float64)
        return no_person()

    def close(self) -> None:
        return None


@dataclass(frozen=True)
class PoseSequence:
    """A clip's landmarks as columns, in full-frame pixels (y grows downwards).

    ``xy_px``: ``(n, 33, 2)``; ``visibility``: ``(n, 33)``; ``t_s``: ``(n,)`` frame
    times from the container (variable frame rate safe); ``fps`` the mean rate.
    """

    xy_px: NDArray[np.float64]
    visibility: NDArray[np.float64]
    t_s: NDArray[np.float64]
    fps: float
    width: int
    height: int

    @property
    def frames(self) -> int:
        return int(self.t_s.shape[0])

    @property
    def detected(self) -> NDArray[np.bool_]:
        """Frames where a person was found."""
        return np.asarray(np.isfinite(self.xy_px[:, Landmark.LEFT_HIP, 0]), dtype=np.bool_)

    def point(self, landmark: Landmark) -> NDArray[np.float64]:
        """``(n, 2)`` pixel track of one landmark."""
        return self.xy_px[:, int(landmark), :]

    def midpoint(self, a: Landmark, b: Landmark) -> NDArray[np.float64]:
        """``(n, 2)`` pixel track halfway between two landmarks (the pelvis, the shoulders)."""
        return np.asarray((self.point(a) + self.point(b)) / 2.0, dtype=np.float64)

    @classmethod
    def from_landmarks(
        cls,
        landmarks: Sequence[Landmarks],
        t_s: Sequence[float],
        width: int,
        height: int,
    ) -> PoseSequence:
        """Stack per-frame normalised landmarks into pixel columns."""
        stack = np.stack(list(landmarks)) if len(landmarks) else np.zeros((0, LANDMARK_COUNT, 3))
        xy = stack[:, :, :2] * np.array([width, height], dtype=np.float64)
        vis = np.nan_to_num(stack[:, :, 2], nan=0.0)
        times = np.asarray(t_s, dtype=np.float64)
        span = float(times[-1] - times[0]) if len(times) > 1 else 0.0
        fps = (len(times) - 1) / span if span > 0 else 0.0
        return cls(xy_px=xy, visibility=vis, t_s=times, fps=fps, width=width, height=height)
