"""A kinematic model of running and of butt kicks, rendered as BlazePose keypoints.

Ground truth for the analysis: the model knows its cadence, contact times, knee
angles and foot angles exactly, and :class:`~stridelab.video.pose.FakePoseEstimator`
replays its keypoints through the real pipeline. Side view, runner facing
image-right, hips fixed in the picture (a treadmill, or a drill on the spot).

Each leg cycles with the stride period ``120 / cadence`` s, the legs half a
period apart. In stance the ankle slides on the ground from ``reach`` ahead of
the hip to ``push`` behind it (the belt); in swing it returns on a raised arc.
Knees come from two-link inverse kinematics, so every angle is consistent with
the segment lengths (Winter 2009 ratios: thigh 0.245, shank 0.246 × height).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np
from numpy.typing import NDArray

from stridelab.video.events import LEG, Foot
from stridelab.video.form import THIGH_SHARE_OF_HEIGHT
from stridelab.video.pose import LANDMARK_COUNT, Landmark

__all__ = ["SyntheticClip", "SyntheticGait", "synthesise"]

#: Winter 2009 segment lengths as shares of height (the thigh's: form.THIGH_SHARE_OF_HEIGHT).
SHANK_SHARE: Final = 0.246
FOOT_SHARE: Final = 0.152
TORSO_SHARE: Final = 0.288


@dataclass(frozen=True)
class SyntheticGait:
    """Parameters of the model (lengths in leg lengths, angles in degrees)."""

    cadence_spm: float = 170.0
    contact_s: float = 0.25
    reach_legs: float = 0.3  # ankle ahead of the hip at contact
    push_legs: float = 0.3  # ankle behind the hip at toe-off
    swing_lift_legs: float = 0.35  # how high the ankle rises in swing
    swing_back_legs: float = 0.0  # extra backward travel of the ankle in swing (butt kicks)
    strike_angle_deg: float = 12.0  # foot angle at contact (toe up +)
    trunk_lean_deg: float = 5.0
    duration_s: float = 8.0
    fps: float = 30.0
    height_px: float = 600.0
    width: int = 640
    height: int = 720


@dataclass(frozen=True)
class SyntheticClip:
    """Keypoints ``(n, 33, 2)`` in pixels, visibility ``(n, 33)``, times, and the truth."""

    xy_px: NDArray[np.float64]
    visibility: NDArray[np.float64]
    t_s: NDArray[np.float64]
    gait: SyntheticGait
    peak_knee_flexion_deg: float
    contact_starts_s: dict[str, NDArray[np.float64]]
    swing_peaks_s: dict[str, NDArray[np.float64]]


def _knee(
    hip: NDArray[np.float64], ankle: NDArray[np.float64], thigh: float, shank: float
) -> NDArray[np.float64]:
    """Two-link IK with the knee bending forward (+x)."""
    d = ankle - hip
    dist = np.clip(np.linalg.norm(d, axis=1), 1e-6, thigh + shank - 1e-6)
    a = (thigh**2 - shank**2 + dist**2) / (2 * dist)
    h = np.sqrt(np.clip(thigh**2 - a**2, 0, None))
    unit = d / dist[:, None]
    normal = np.stack([unit[:, 1], -unit[:, 0]], axis=1)  # rotate so the knee sits forward
    normal *= np.sign(normal[:, 0:1] + 1e-12)
    return np.asarray(hip + unit * a[:, None] + normal * h[:, None], dtype=np.float64)


def synthesise(gait: SyntheticGait) -> SyntheticClip:
    """Render the model as keypoints (see the module doc)."""
    n = round(gait.duration_s * gait.fps)
    t = np.arange(n) / gait.fps
    stride_s = 120.0 / gait.cadence_spm
    duty = gait.contact_s / stride_s
    thigh, shank = THIGH_SHARE_OF_HEIGHT * gait.height_px, SHANK_SHARE * gait.height_px
    leg = thigh + shank
    foot_len = FOOT_SHARE * gait.height_px
    hip = np.array([gait.width * 0.45, gait.height * 0.95 - 1.02 * leg])
    ground = hip[1] + 1.02 * leg
    xy = np.zeros((n, LANDMARK_COUNT, 2))
    starts: dict[str, NDArray[np.float64]] = {}
    peaks: dict[str, NDArray[np.float64]] = {}
    peak_flexion = 0.0
    thigh_angles = {}
    for foot, offset in ((Foot.LEFT, 0.0), (Foot.RIGHT, 0.5)):
        name = foot.value
        hip_i, knee_i, ankle_i, heel_i, toe_i = LEG[foot]
        phase = ((t / stride_s) + offset + 0.3) % 1.0
        stance = phase < duty
        s = np.where(stance, phase / duty, (phase - duty) / (1 - duty))
        reach, push = gait.reach_legs * leg, gait.push_legs * leg
        x_stance = reach - (reach + push) * s
        # Hermite ease: leaves toe-off at rest, still swinging forward at touchdown
        # (end slope 0.5), so the heel's foremost point is the contact itself.
        ease = (-2 * s**3 + 3 * s**2) + 0.5 * (s**3 - s**2)
        x_swing = -push + (reach + push) * ease - gait.swing_back_legs * leg * np.sin(np.pi * s)
        lift = gait.swing_lift_legs * leg * np.sin(np.pi * s) ** 0.8
        ankle_h = 0.08 * leg  # ankle above the sole
        ankle = np.stack(
            [
                hip[0] + np.where(stance, x_stance, x_swing),
                ground - ankle_h - np.where(stance, 0.0, lift),
            ],
            axis=1,
        )
        hips = np.repeat(hip[None, :], n, axis=0)
        knee = _knee(hips, ankle, thigh, shank)
        # Foot: set at the strike angle from late swing, flat after the first fifth of stance.
        strike = np.deg2rad(gait.strike_angle_deg)
        late_swing = np.clip((s - 0.6) / 0.4, 0, 1)  # the foot sets its angle before landing
        angle = np.where(stance, strike * np.clip(1 - s / 0.2, 0, 1), strike * late_swing)
        heel = np.stack([ankle[:, 0] - 0.2 * foot_len, ankle[:, 1] + ankle_h], axis=1)
        toe = heel + np.stack([np.cos(angle) * foot_len, -np.sin(angle) * foot_len], axis=1)
        xy[:, hip_i] = hips
        xy[:, knee_i], xy[:, ankle_i], xy[:, heel_i], xy[:, toe_i] = knee, ankle, heel, toe
        cos = np.sum((hips - knee) * (ankle - knee), axis=1) / (
            thigh * np.linalg.norm(ankle - knee, axis=1)
        )
        flexion = 180.0 - np.degrees(np.arccos(np.clip(cos, -1, 1)))
        peak_flexion = max(peak_flexion, float(flexion.max()))
        begin = np.flatnonzero(stance[1:] & ~stance[:-1]) + 1
        starts[name] = t[begin]
        mid_swing = (
            np.flatnonzero(
                (phase[1:] >= duty + (1 - duty) / 2) & (phase[:-1] < duty + (1 - duty) / 2)
            )
            + 1
        )
        peaks[name] = t[mid_swing]
        thigh_angles[name] = np.degrees(
            np.arctan2(knee[:, 0] - hips[:, 0], knee[:, 1] - hips[:, 1])
        )
    # Trunk, head and arms.
    lean = np.deg2rad(gait.trunk_lean_deg)
    torso = TORSO_SHARE * gait.height_px
    shoulder = hip + torso * np.array([np.sin(lean), -np.cos(lean)])
    for side in (Landmark.LEFT_SHOULDER, Landmark.RIGHT_SHOULDER):
        xy[:, side] = shoulder
    xy[:, Landmark.RIGHT_SHOULDER, 0] += 0.05 * torso
    xy[:, Landmark.RIGHT_HIP, 0] += 0.05 * torso
    head = shoulder + np.array([0.1 * torso, -0.45 * torso])
    xy[:, :11] = head  # face landmarks
    xy[:, Landmark.NOSE] = head + np.array([0.08 * torso, 0.0])
    arm = 0.3 * gait.height_px / 2
    for wrist_i, elbow_i, sh_i, other in (
        (Landmark.LEFT_WRIST, Landmark.LEFT_ELBOW, Landmark.LEFT_SHOULDER, "right"),
        (Landmark.RIGHT_WRIST, Landmark.RIGHT_ELBOW, Landmark.RIGHT_SHOULDER, "left"),
    ):
        swing = np.deg2rad(0.8 * thigh_angles[other])
        elbow = xy[:, sh_i] + arm * np.stack([np.sin(swing), np.cos(swing)], axis=1)
        wrist = elbow + arm * np.stack(
            [np.sin(swing + 1.2), np.cos(swing + 1.2)], axis=1
        ) * np.array([1, -0.2])
        xy[:, elbow_i], xy[:, wrist_i] = elbow, wrist
        xy[:, wrist_i + 2] = wrist
        xy[:, wrist_i + 4] = wrist
        xy[:, wrist_i + 6] = wrist
    visibility = np.full((n, LANDMARK_COUNT), 0.99)
    return SyntheticClip(xy, visibility, t, gait, peak_flexion, starts, peaks)
