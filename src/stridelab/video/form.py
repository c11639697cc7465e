"""Form stage: joint angles, per-drill metrics, camera checks and faults.

Angles are 2-D, in the image plane, so they are only meaningful from a side
view; :func:`camera_view` says when the camera is not side-on and the report
carries that warning. Conventions (degrees):

- knee flexion: 180 minus the hip–knee–ankle angle (0 = straight leg);
- thigh angle: knee ahead of the hip, from the downward vertical (0 = vertical,
  90 = thigh horizontal, positive = forward in the running direction);
- trunk lean: shoulders ahead of the hips from the upward vertical (positive = forward);
- foot angle: toe above the heel relative to the horizontal (positive = toe up).

Foot strike from the foot angle at contact follows Altman & Davis 2012 (Gait
Posture 35:298–300): rearfoot above 8°, forefoot below −1.6°, midfoot between
(validated in 3-D at 200+ Hz; 2-D phone video is coarser). Segment lengths in
cm use Winter 2009 (Biomechanics and Motor Control of Human Movement, 4th ed.,
fig. 4.1): thigh 0.245 × height.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Final

import numpy as np
from numpy.typing import NDArray

from stridelab.video.events import LEG, Foot, facing_sign, finite_median, leg_length_px
from stridelab.video.kinds import DrillType
from stridelab.video.pose import Landmark, PoseSequence
from stridelab.video.smooth import MIN_VISIBILITY

__all__ = [
    "FOREFOOT_MAX_DEG",
    "REARFOOT_MIN_DEG",
    "THIGH_SHARE_OF_HEIGHT",
    "CameraView",
    "DrillType",
    "FootStrike",
    "camera_view",
    "foot_angle_deg",
    "foot_strike",
    "joint_angle_deg",
    "knee_flexion_deg",
    "symmetry_index_pct",
    "thigh_angle_deg",
    "trunk_lean_deg",
]

#: Altman & Davis 2012 foot-strike angle thresholds.
REARFOOT_MIN_DEG: Final = 8.0
FOREFOOT_MAX_DEG: Final = -1.6
#: Winter 2009: thigh length as a share of body height.
THIGH_SHARE_OF_HEIGHT: Final = 0.245
#: Shoulder width over torso length below this: side-on; above FRONT_MIN: facing the camera.
SIDE_MAX_WIDTH_RATIO: Final = 0.35
FRONT_MIN_WIDTH_RATIO: Final = 0.6


class FootStrike(StrEnum):
    HEEL = "heel"
    MIDFOOT = "midfoot"
    FOREFOOT = "forefoot"


class CameraView(StrEnum):
    SIDE = "side"
    OBLIQUE = "oblique"
    FRONT = "front"


def joint_angle_deg(
    a: NDArray[np.float64], b: NDArray[np.float64], c: NDArray[np.float64]
) -> NDArray[np.float64]:
    """Angle ABC in degrees for ``(n, 2)`` point tracks (180 = straight)."""
    u = a - b
    v = c - b
    cos = np.sum(u * v, axis=-1) / (np.linalg.norm(u, axis=-1) * np.linalg.norm(v, axis=-1))
    return np.asarray(np.degrees(np.arccos(np.clip(cos, -1.0, 1.0))), dtype=np.float64)


def knee_flexion_deg(sequence: PoseSequence, foot: Foot) -> NDArray[np.float64]:
    """Knee flexion per frame (0 = straight leg)."""
    hip, knee, ankle, _, _ = (sequence.point(p) for p in LEG[foot])
    return 180.0 - joint_angle_deg(hip, knee, ankle)


def _from_vertical(vec: NDArray[np.float64], facing: int, down: bool) -> NDArray[np.float64]:
    """Signed angle of ``vec`` from the vertical; positive towards the running direction."""
    forward = vec[:, 0] * facing
    vertical = vec[:, 1] if down else -vec[:, 1]
    return np.asarray(np.degrees(np.arctan2(forward, vertical)), dtype=np.float64)


def thigh_angle_deg(sequence: PoseSequence, foot: Foot) -> NDArray[np.float64]:
    """Thigh angle from the downward vertical, positive with the knee forward."""
    hip, knee = sequence.point(LEG[foot].hip), sequence.point(LEG[foot].knee)
    return _from_vertical(knee - hip, facing_sign(sequence), down=True)


def trunk_lean_deg(sequence: PoseSequence) -> NDArray[np.float64]:
    """Trunk lean from the upward vertical, positive leaning forward."""
    shoulders = sequence.midpoint(Landmark.LEFT_SHOULDER, Landmark.RIGHT_SHOULDER)
    hips = sequence.midpoint(Landmark.LEFT_HIP, Landmark.RIGHT_HIP)
    return _from_vertical(shoulders - hips, facing_sign(sequence), down=False)


def foot_angle_deg(sequence: PoseSequence, foot: Foot) -> NDArray[np.float64]:
    """Foot angle to the horizontal, positive with the toe above the heel."""
    heel, toe = sequence.point(LEG[foot].heel), sequence.point(LEG[foot].toe)
    vec = toe - heel
    forward = vec[:, 0] * facing_sign(sequence)
    return np.asarray(np.degrees(np.arctan2(-vec[:, 1], np.abs(forward))), dtype=np.float64)


def ankle_angle_deg(sequence: PoseSequence, foot: Foot) -> NDArray[np.float64]:
    """Angle between shank and foot (about 90–110 neutral; larger = plantarflexed)."""
    _, knee, ankle, _, toe = (sequence.point(p) for p in LEG[foot])
    return joint_angle_deg(knee, ankle, toe)


def foot_strike(angle_at_contact_deg: float) -> FootStrike:
    """Heel / midfoot / forefoot from the foot angle at contact (Altman & Davis 2012)."""
    if angle_at_contact_deg > REARFOOT_MIN_DEG:
        return FootStrike.HEEL
    if angle_at_contact_deg < FOREFOOT_MAX_DEG:
        return FootStrike.FOREFOOT
    return FootStrike.MIDFOOT


def symmetry_index_pct(left: float, right: float) -> float:
    """Robinson et al. 1987 symmetry index: ``|L - R| / mean(L, R) * 100`` (0 = symmetric)."""
    mean = (left + right) / 2.0
    return 0.0 if mean == 0 else abs(left - right) / abs(mean) * 100.0


def camera_view(sequence: PoseSequence) -> CameraView:
    """Side-on, oblique or front view from shoulder and hip width against torso length.

    From the side the two shoulders (and hips) overlap in the image; from the
    front they are about half a torso length apart or more.
    """
    shoulders = np.abs(
        sequence.point(Landmark.LEFT_SHOULDER)[:, 0] - sequence.point(Landmark.RIGHT_SHOULDER)[:, 0]
    )
    hips = np.abs(
        sequence.point(Landmark.LEFT_HIP)[:, 0] - sequence.point(Landmark.RIGHT_HIP)[:, 0]
    )
    mid_sh = sequence.midpoint(Landmark.LEFT_SHOULDER, Landmark.RIGHT_SHOULDER)
    mid_hip = sequence.midpoint(Landmark.LEFT_HIP, Landmark.RIGHT_HIP)
    torso = np.linalg.norm(mid_sh - mid_hip, axis=1)
    ratio = (shoulders + hips) / 2 / torso
    if not np.isfinite(ratio).any():
        return CameraView.OBLIQUE
    value = float(np.nanmedian(ratio))
    if value <= SIDE_MAX_WIDTH_RATIO:
        return CameraView.SIDE
    return CameraView.FRONT if value >= FRONT_MIN_WIDTH_RATIO else CameraView.OBLIQUE


def feet_out_of_frame_share(sequence: PoseSequence) -> float:
    """Share of detected frames where a heel or toe is outside the picture or unseen."""
    detected = sequence.detected
    if not detected.any():
        return 0.0
    idx = [int(p) for leg in LEG.values() for p in (leg.heel, leg.toe)]
    xy = sequence.xy_px[:, idx, :]
    outside = np.any(
        (xy[..., 0] < 0) | (xy[..., 0] >= sequence.width) | (xy[..., 1] >= sequence.height),
        axis=1,
    )
    unseen = np.all(sequence.visibility[:, idx] < MIN_VISIBILITY, axis=1)
    lost: NDArray[np.bool_] = np.asarray(outside | unseen, dtype=np.bool_)
    return float(np.mean(lost[detected]))


def thigh_length_px(sequence: PoseSequence) -> float:
    """Median hip–knee distance over both legs."""
    lengths = [
        np.linalg.norm(sequence.point(leg.hip) - sequence.point(leg.knee), axis=1)
        for leg in LEG.values()
    ]
    values = np.concatenate(lengths)
    value = finite_median(values)
    return value if value is not None else leg_length_px(sequence) / 2
