"""Pose estimation stage: frames in, 33 BlazePose landmarks per frame out.

The stage hides the model behind :class:`PoseEstimator`, a two-method protocol, so
another backend can replace MediaPipe. Every backend returns, per frame, an array
of shape ``(33, 3)``: ``x`` and ``y`` normalised to the image it was given (0–1,
origin top-left) and a visibility in 0–1; all ``NaN`` when nobody is in view.

Backends:

- :class:`MediaPipePoseEstimator`: BlazePose *full* (``model_complexity=1``) from
  ``mediapipe==0.10.21``, whose wheel carries the model, so it runs offline.
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

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = [
    "FALLBACK_FPS",
    "LANDMARK_COUNT",
    "MEDIAPIPE_MODEL_COMPLEXITY",
    "FakePoseEstimator",
    "Landmark",
    "MediaPipePoseEstimator",
    "PoseEstimator",
    "PoseSequence",
    "no_person",
    "require_mediapipe",
]

#: The frame rate assumed where none is known (a container that states none, a one-frame clip).
FALLBACK_FPS: Final = 30.0
#: BlazePose returns 33 landmarks per person.
LANDMARK_COUNT: Final = 33
#: 0 = lite, 1 = full, 2 = heavy. The full model ships in the 0.10.21 wheel.
MEDIAPIPE_MODEL_COMPLEXITY: Final = 1
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


_INSTALL_HINT: Final = (
    "Run: pip install 'stridelab[video]' and pip install --no-deps mediapipe==0.10.21 "
    "(see docs/drill-check.md)."
)


def require_mediapipe() -> None:
    """Raise :class:`PoseError` with the install commands when MediaPipe is missing."""
    import importlib.util

    if importlib.util.find_spec("mediapipe") is None:
        raise PoseError(
            "The video drill check needs mediapipe, which is not installed", hint=_INSTALL_HINT
        )


class MediaPipePoseEstimator:
    """BlazePose full (``model_complexity=1``) in tracking mode, fully offline.

    MediaPipe is imported lazily so the rest of stridelab works without it.
    """

    def __init__(self, *, model_complexity: int = MEDIAPIPE_MODEL_COMPLEXITY) -> None:
        try:
            import mediapipe as mp
        except ImportError as exc:  # pragma: no cover - depends on the install
            raise PoseError(
                "The video drill check needs mediapipe, which is not installed", hint=_INSTALL_HINT
            ) from exc
        global _model_loaded
        _model_loaded = True
        self._pose: Any = mp.solutions.pose.Pose(
            static_image_mode=False,
            model_complexity=model_complexity,
            smooth_landmarks=True,
            min_detection_confidence=MEDIAPIPE_MIN_DETECTION_CONFIDENCE,
            min_tracking_confidence=MEDIAPIPE_MIN_TRACKING_CONFIDENCE,
        )

    def estimate(self, image_rgb: NDArray[np.uint8], frame_index: int) -> Landmarks:
        result = self._pose.process(image_rgb)
        if result.pose_landmarks is None:
            return no_person()
        return np.array(
            [(p.x, p.y, p.visibility) for p in result.pose_landmarks.landmark], dtype=np.float64
        )

    def close(self) -> None:
        self._pose.close()


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
