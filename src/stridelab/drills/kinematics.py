"""A stick figure driven by joint angles: periodic curves in, 3-D joint positions out.

Pure NumPy. Lengths are in body heights (stature = 1), angles in degrees, time in
*cycles* (one cycle = one repetition of each leg for alternating drills).

Segment lengths are Winter's anthropometric proportions of stature (Winter DA 2009,
*Biomechanics and Motor Control of Human Movement*, 4th ed., Wiley, fig. 4.1: hip
(greater trochanter) 0.530, knee 0.285, ankle 0.039, shoulder 0.818, chin 0.870 of
height; foot length 0.152, upper arm 0.186, forearm 0.146, hand 0.108, shoulder width
0.259, hip width 0.191). They describe an average adult; valid for drawing any adult.

Axes: ``x`` forward (the way the figure faces), ``y`` up from the ground, ``z`` to
the figure's right. Angle conventions (the drill check's, :mod:`stridelab.video.form`):

- trunk lean: from the upward vertical, positive forward;
- hip flexion: thigh from the downward vertical, positive with the knee forward;
- knee flexion: 0 = straight, positive folds the shank back;
- ankle plantarflexion: 0 = foot at right angles to the shank, positive = toes down;
- hip adduction: towards (and past) the midline, in the frontal plane;
- shoulder flexion: upper arm from the downward vertical, positive forward;
- elbow flexion: 0 = straight, positive brings the forearm forward.

Curves are shape-preserving periodic cubics (Fritsch & Carlson 1980, SIAM J Numer
Anal 17:238–246, with Fritsch–Butland tangents): they pass through every keyframe
and never overshoot it, so a keyframe's value is the curve's extreme there.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import IntEnum, StrEnum
from typing import Final

import numpy as np
from numpy.typing import ArrayLike, NDArray

from stridelab.errors import InputError

__all__ = [
    "GRAVITY_M_PER_S2",
    "REFERENCE_STATURE_M",
    "WINTER_2009",
    "ZERO",
    "Anthropometry",
    "ArmMotion",
    "BodyPose",
    "Curve",
    "Joint",
    "LegMotion",
    "Side",
    "View",
    "forward_kinematics",
    "joint",
]

#: Flight phases are ballistic: a hop of ``T`` seconds rises ``g T² / 8``.
GRAVITY_M_PER_S2: Final = 9.81
#: The stature (m) that turns a hop height in metres into body heights.
REFERENCE_STATURE_M: Final = 1.75
#: Samples per cycle of the grid the pelvis height (and flights) are solved on.
_GRID: Final = 720


class Side(StrEnum):
    """A body side (the same words as :class:`stridelab.video.events.Foot`)."""

    LEFT = "left"
    RIGHT = "right"

    @property
    def other(self) -> Side:
        return Side.RIGHT if self is Side.LEFT else Side.LEFT

    @property
    def z_sign(self) -> int:
        """+1 for the right side (``z`` points to the figure's right)."""
        return 1 if self is Side.RIGHT else -1


class View(StrEnum):
    """Where the camera stands: at the figure's right side, or in front of it."""

    SIDE = "side"
    FRONT = "front"


class Joint(IntEnum):
    """Points of the figure: three on the midline, then each side's."""

    PELVIS = 0
    NECK = 1
    HEAD = 2
    LEFT_SHOULDER = 3
    LEFT_ELBOW = 4
    LEFT_WRIST = 5
    LEFT_HAND = 6
    LEFT_HIP = 7
    LEFT_KNEE = 8
    LEFT_ANKLE = 9
    LEFT_HEEL = 10
    LEFT_TOE = 11
    RIGHT_SHOULDER = 12
    RIGHT_ELBOW = 13
    RIGHT_WRIST = 14
    RIGHT_HAND = 15
    RIGHT_HIP = 16
    RIGHT_KNEE = 17
    RIGHT_ANKLE = 18
    RIGHT_HEEL = 19
    RIGHT_TOE = 20


def joint(part: str, side: Side) -> Joint:
    """``joint("knee", Side.LEFT)`` is :attr:`Joint.LEFT_KNEE`."""
    return Joint[f"{side.name}_{part.upper()}"]


@dataclass(frozen=True)
class Anthropometry:
    """Segment lengths as shares of stature (defaults: Winter 2009, see the module doc)."""

    hip_height: float = 0.530
    knee_height: float = 0.285
    ankle_height: float = 0.039
    shoulder_height: float = 0.818
    chin_height: float = 0.870
    foot_length: float = 0.152
    #: Share of the foot behind the ankle (a drawing convention, not from Winter).
    heel_share: float = 0.2
    upper_arm: float = 0.186
    forearm: float = 0.146
    hand: float = 0.108
    shoulder_width: float = 0.259
    hip_width: float = 0.191

    @property
    def thigh(self) -> float:
        return self.hip_height - self.knee_height

    @property
    def shank(self) -> float:
        return self.knee_height - self.ankle_height

    @property
    def trunk(self) -> float:
        """Hip joint to shoulder joint."""
        return self.shoulder_height - self.hip_height

    @property
    def neck(self) -> float:
        return self.chin_height - self.shoulder_height

    @property
    def head(self) -> float:
        """Chin to the top of the head."""
        return 1.0 - self.chin_height


WINTER_2009: Final = Anthropometry()


def _as_phase(values: ArrayLike) -> NDArray[np.float64]:
    return np.asarray(values, dtype=np.float64)


@dataclass(frozen=True)
class Curve:
    """One joint angle over a cycle: ``(phase, degrees)`` keyframes, phase in [0, 1)."""

    keys: tuple[tuple[float, float], ...]

    def __post_init__(self) -> None:
        phases = [p for p, _ in self.keys]
        if not self.keys or any(not 0.0 <= p < 1.0 for p in phases):
            raise InputError("a curve needs keyframes with phases in [0, 1)")
        if any(b <= a for a, b in itertools.pairwise(phases)):
            raise InputError("curve keyframe phases must increase")

    @classmethod
    def constant(cls, value: float) -> Curve:
        return cls(((0.0, value),))

    def shifted(self, by: float) -> Curve:
        """The same curve ``by`` cycles later."""
        return Curve(tuple(sorted(((p + by) % 1.0, v) for p, v in self.keys)))

    @property
    def values(self) -> tuple[float, ...]:
        return tuple(v for _, v in self.keys)

    def at(self, cycles: ArrayLike) -> NDArray[np.float64]:
        """The angle at each time (in cycles; only the fractional part matters)."""
        phase = np.mod(_as_phase(cycles), 1.0)
        t = np.array([p for p, _ in self.keys])
        v = np.array([v for _, v in self.keys])
        if len(t) == 1:
            return np.full(phase.shape, v[0])
        t_ext = np.concatenate([t, [t[0] + 1.0]])
        v_ext = np.concatenate([v, [v[0]]])
        h = np.diff(t_ext)
        slope = np.diff(v_ext) / h
        prev_h, prev_slope = np.roll(h, 1), np.roll(slope, 1)
        w1, w2 = 2 * h + prev_h, h + 2 * prev_h
        same_sign = prev_slope * slope > 0
        with np.errstate(divide="ignore", invalid="ignore"):
            mean = (w1 + w2) / (w1 / prev_slope + w2 / slope)
        tangent = np.where(same_sign, mean, 0.0)
        tangent_ext = np.concatenate([tangent, [tangent[0]]])
        shifted = np.where(phase < t[0], phase + 1.0, phase)
        k = np.clip(np.searchsorted(t_ext, shifted, side="right") - 1, 0, len(t) - 1)
        s = (shifted - t_ext[k]) / h[k]
        h00, h10 = 2 * s**3 - 3 * s**2 + 1, s**3 - 2 * s**2 + s
        h01, h11 = -2 * s**3 + 3 * s**2, s**3 - s**2
        out = (
            h00 * v_ext[k]
            + h10 * h[k] * tangent_ext[k]
            + h01 * v_ext[k + 1]
            + h11 * h[k] * tangent_ext[k + 1]
        )
        return np.asarray(out, dtype=np.float64)


#: A joint that does not move from 0°.
ZERO: Final = Curve.constant(0.0)


@dataclass(frozen=True)
class LegMotion:
    """One leg's curves and when its foot is on the ground (``(start, end)`` phase windows)."""

    hip_flexion: Curve
    knee_flexion: Curve
    ankle_plantarflexion: Curve
    contacts: tuple[tuple[float, float], ...]
    hip_adduction: Curve = ZERO

    def shifted(self, by: float) -> LegMotion:
        return LegMotion(
            self.hip_flexion.shifted(by),
            self.knee_flexion.shifted(by),
            self.ankle_plantarflexion.shifted(by),
            tuple(((a + by) % 1.0, (a + by) % 1.0 + (b - a)) for a, b in self.contacts),
            self.hip_adduction.shifted(by),
        )

    def in_contact(self, cycles: ArrayLike) -> NDArray[np.bool_]:
        phase = np.mod(_as_phase(cycles), 1.0)
        out = np.zeros(phase.shape, dtype=np.bool_)
        for start, end in self.contacts:
            out |= np.mod(phase - start, 1.0) < (end - start)
        return out


@dataclass(frozen=True)
class ArmMotion:
    """One arm's curves; ``hold_ankle`` (0–1) blends the hand towards the same-side ankle.

    ``shoulder_abduction`` lifts the arm out to the side (frontal plane), after flexion.
    """

    shoulder_flexion: Curve
    elbow_flexion: Curve
    hold_ankle: Curve = ZERO
    shoulder_abduction: Curve = ZERO

    def shifted(self, by: float) -> ArmMotion:
        return ArmMotion(
            self.shoulder_flexion.shifted(by),
            self.elbow_flexion.shifted(by),
            self.hold_ankle.shifted(by),
            self.shoulder_abduction.shifted(by),
        )


@dataclass(frozen=True)
class BodyPose:
    """Joint positions ``(n, len(Joint), 3)`` in body heights (ground ``y = 0``), and contacts."""

    xyz: NDArray[np.float64]
    contact: Mapping[Side, NDArray[np.bool_]]
    angles: Mapping[str, NDArray[np.float64]] = field(default_factory=dict)

    def point(self, j: Joint) -> NDArray[np.float64]:
        """``(n, 3)`` track of one joint."""
        return self.xyz[:, int(j), :]

    def project(self, view: View) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """Image-plane ``(n, J, 2)`` positions (x to the image right, y up) and depth.

        Depth grows towards the camera (drawn last, on top). Side view: the camera is at
        the figure's right, so ``x`` is forward; front view: it faces the figure, whose
        right side shows on the image left.
        """
        if view is View.SIDE:
            return self.xyz[..., [0, 1]], self.xyz[..., 2]
        flat = np.stack([-self.xyz[..., 2], self.xyz[..., 1]], axis=-1)
        return flat, self.xyz[..., 0]


def _rot_z(deg: NDArray[np.float64], v: NDArray[np.float64]) -> NDArray[np.float64]:
    """Rotate ``(n, 3)`` vectors about ``z`` (positive turns "down" towards "forward")."""
    r = np.deg2rad(deg)
    c, s = np.cos(r), np.sin(r)
    return np.stack([c * v[:, 0] - s * v[:, 1], s * v[:, 0] + c * v[:, 1], v[:, 2]], axis=1)


def _rot_x(deg: NDArray[np.float64], v: NDArray[np.float64]) -> NDArray[np.float64]:
    r = np.deg2rad(deg)
    c, s = np.cos(r), np.sin(r)
    return np.stack([v[:, 0], c * v[:, 1] - s * v[:, 2], s * v[:, 1] + c * v[:, 2]], axis=1)


def _rot_y(deg: NDArray[np.float64], v: NDArray[np.float64]) -> NDArray[np.float64]:
    r = np.deg2rad(deg)
    c, s = np.cos(r), np.sin(r)
    return np.stack([c * v[:, 0] + s * v[:, 2], v[:, 1], -s * v[:, 0] + c * v[:, 2]], axis=1)


def _down(n: int) -> NDArray[np.float64]:
    return np.tile(np.array([0.0, -1.0, 0.0]), (n, 1))


def _leg_direction(
    flex_deg: NDArray[np.float64],
    adduction_deg: NDArray[np.float64],
    yaw_deg: NDArray[np.float64],
    side: Side,
) -> NDArray[np.float64]:
    """A segment pointing down, flexed forward, adducted towards the midline, pelvis-turned."""
    v = _rot_z(flex_deg, _down(len(flex_deg)))
    v = _rot_x(side.z_sign * adduction_deg, v)  # right leg (z > 0) adducts towards -z
    return _rot_y(yaw_deg, v)


def _arm_ik(
    shoulder: NDArray[np.float64], target: NDArray[np.float64], upper: float, fore: float
) -> NDArray[np.float64]:
    """Elbow position reaching ``target`` with the wrist, bending as a flexed elbow does."""
    d = (target - shoulder)[:, :2]
    dist = np.clip(np.linalg.norm(d, axis=1), 1e-9, upper + fore - 1e-9)
    a = (upper**2 - fore**2 + dist**2) / (2 * dist)
    h = np.sqrt(np.clip(upper**2 - a**2, 0.0, None))
    unit = d / dist[:, None]
    normal = np.stack([unit[:, 1], -unit[:, 0]], axis=1)  # clockwise of the reach: elbow back
    elbow = shoulder.copy()
    elbow[:, :2] = shoulder[:, :2] + unit * a[:, None] + normal * h[:, None]
    return elbow


def _grown(
    values: NDArray[np.float64], curve: Curve, cycles: NDArray[np.float64], growth_cycles: int
) -> NDArray[np.float64]:
    """Scale a hip's swing about its mean from half size up to full over ``growth_cycles``."""
    if growth_cycles <= 0:
        return values
    mean = float(np.mean(curve.at(np.linspace(0.0, 1.0, 360, endpoint=False))))
    scale = np.clip(0.5 + 0.5 * np.floor(cycles) / growth_cycles, 0.5, 1.0)
    return np.asarray(mean + (values - mean) * scale, dtype=np.float64)


def _figure(
    legs: Mapping[Side, LegMotion],
    arms: Mapping[Side, ArmMotion],
    trunk_lean: Curve,
    pelvis_yaw: Curve,
    cycles: NDArray[np.float64],
    body: Anthropometry,
    growth_cycles: int,
) -> tuple[NDArray[np.float64], dict[str, NDArray[np.float64]]]:
    """Joint positions with the pelvis at the origin (before the ground is found)."""
    n = len(cycles)
    xyz = np.zeros((n, len(Joint), 3))
    angles: dict[str, NDArray[np.float64]] = {}

    def angle(name: str, curve: Curve, grows: bool = False) -> NDArray[np.float64]:
        values = curve.at(cycles)
        angles[name] = _grown(values, curve, cycles, growth_cycles) if grows else values
        return angles[name]

    yaw = angle("pelvis_yaw", pelvis_yaw)
    lean = angle("trunk_lean", trunk_lean)
    for side, leg in legs.items():
        hip = _rot_y(yaw, np.tile([0.0, 0.0, side.z_sign * body.hip_width / 2], (n, 1)))
        flex = angle(f"{side}_hip_flexion", leg.hip_flexion, grows=True)
        knee_flex = angle(f"{side}_knee_flexion", leg.knee_flexion)
        plantar = angle(f"{side}_ankle_plantarflexion", leg.ankle_plantarflexion)
        add = angle(f"{side}_hip_adduction", leg.hip_adduction)
        knee = hip + body.thigh * _leg_direction(flex, add, yaw, side)
        shank_deg = flex - knee_flex
        ankle = knee + body.shank * _leg_direction(shank_deg, add, yaw, side)
        sole = ankle + body.ankle_height * _leg_direction(shank_deg - plantar, add, yaw, side)
        toe_dir = _leg_direction(shank_deg - plantar + 90.0, add, yaw, side)
        heel = sole - body.heel_share * body.foot_length * toe_dir
        toe = sole + (1.0 - body.heel_share) * body.foot_length * toe_dir
        for part, value in (("hip", hip), ("knee", knee), ("ankle", ankle)):
            xyz[:, joint(part, side)] = value
        xyz[:, joint("heel", side)], xyz[:, joint("toe", side)] = heel, toe
    trunk_dir = np.stack([np.sin(np.deg2rad(lean)), np.cos(np.deg2rad(lean)), np.zeros(n)], 1)
    neck = body.trunk * trunk_dir  # the base of the neck, between the shoulders
    xyz[:, Joint.NECK] = neck
    xyz[:, Joint.HEAD] = neck + (body.neck + body.head / 2) * trunk_dir
    for side, arm in arms.items():
        shoulder = neck + np.array([0.0, 0.0, side.z_sign * body.shoulder_width / 2])
        sh_flex = angle(f"{side}_shoulder_flexion", arm.shoulder_flexion)
        el_flex = angle(f"{side}_elbow_flexion", arm.elbow_flexion)
        out = -side.z_sign * angle(f"{side}_shoulder_abduction", arm.shoulder_abduction)
        elbow = shoulder + body.upper_arm * _rot_x(out, _rot_z(sh_flex, _down(n)))
        wrist = elbow + body.forearm * _rot_x(out, _rot_z(sh_flex + el_flex, _down(n)))
        hold = np.clip(arm.hold_ankle.at(cycles), 0.0, 1.0)
        if np.any(hold > 0):
            target = (1 - hold[:, None]) * wrist + hold[:, None] * xyz[:, joint("ankle", side)]
            elbow = _arm_ik(shoulder, target, body.upper_arm, body.forearm)
            fore = target - elbow
            fore_len = np.linalg.norm(fore, axis=1, keepdims=True)
            wrist = elbow + fore / np.maximum(fore_len, 1e-9) * body.forearm
        hand_dir = (wrist - elbow) / body.forearm
        for part, value in (("shoulder", shoulder), ("elbow", elbow), ("wrist", wrist)):
            xyz[:, joint(part, side)] = value
        xyz[:, joint("hand", side)] = wrist + 0.5 * body.hand * hand_dir
    return xyz, angles


def _lowest(xyz: NDArray[np.float64], side: Side) -> NDArray[np.float64]:
    """Height of the lowest of knee, heel and toe of one leg."""
    idx = [int(joint(p, side)) for p in ("knee", "heel", "toe")]
    return np.asarray(xyz[:, idx, 1].min(axis=1), dtype=np.float64)


def _pelvis_height(
    xyz: NDArray[np.float64], contact: Mapping[Side, NDArray[np.bool_]]
) -> NDArray[np.float64]:
    """Pelvis height that puts the lowest point of each grounded leg on the ground."""
    needed = np.stack([np.where(contact[s], -_lowest(xyz, s), -np.inf) for s in contact])
    return np.asarray(needed.max(axis=0), dtype=np.float64)


def _fill_flights(height: NDArray[np.float64], cycle_s: float) -> NDArray[np.float64]:
    """Replace the ``-inf`` of airborne grid samples by ballistic arcs (periodic grid)."""
    air = ~np.isfinite(height)
    if air.all():
        raise InputError("a drill motion needs a foot on the ground at some point")
    if not air.any():
        return height
    n = len(height)
    out = height.copy()
    start = int(np.flatnonzero(~air)[0])
    order = (np.arange(n) + start) % n  # begin on the ground, so no run wraps
    i = 0
    while i < n:
        if not air[order[i]]:
            i += 1
            continue
        j = i
        while j < n and air[order[j]]:
            j += 1
        before, after = out[order[i - 1]], out[order[j % n]]
        steps = j - i + 1
        flight_s = steps / n * cycle_s
        rise = GRAVITY_M_PER_S2 * flight_s**2 / 8 / REFERENCE_STATURE_M
        s = np.arange(1, steps) / steps
        out[order[i:j]] = before + (after - before) * s + 4 * rise * s * (1 - s)
        i = j
    return out


def forward_kinematics(
    legs: Mapping[Side, LegMotion],
    arms: Mapping[Side, ArmMotion],
    trunk_lean: Curve,
    pelvis_yaw: Curve,
    cycles: ArrayLike,
    *,
    cycle_s: float,
    anchor: Side | None = None,
    growth_cycles: int = 0,
    body: Anthropometry = WINTER_2009,
) -> BodyPose:
    """Joint positions at each time (in cycles), standing on the ground.

    The pelvis height puts each grounded foot's lowest point (knee, heel or toe) on the
    ground; between contacts the body flies on a ballistic arc. Horizontally the hips
    stay in place (a drill on the spot, or a camera that follows), unless ``anchor``
    names a foot to keep still (a lunge rocks over its front foot).
    """
    t = np.atleast_1d(_as_phase(cycles))
    xyz, angles = _figure(legs, arms, trunk_lean, pelvis_yaw, t, body, growth_cycles)
    contact = {side: leg.in_contact(t) for side, leg in legs.items()}
    height = _pelvis_height(xyz, contact)
    flying = ~np.isfinite(height)
    if flying.any() or anchor is not None:  # solved once on a grid over the base cycle
        grid = np.arange(_GRID) / _GRID
        g_xyz, _ = _figure(legs, arms, trunk_lean, pelvis_yaw, grid, body, 0)
        g_contact = {side: leg.in_contact(grid) for side, leg in legs.items()}
    if flying.any():
        g_height = _fill_flights(_pelvis_height(g_xyz, g_contact), cycle_s)
        height[flying] = np.interp(np.mod(t[flying], 1.0), grid, g_height, period=1.0)
    xyz[..., 1] += height[:, None]
    if anchor is not None:
        foot = [int(joint("heel", anchor)), int(joint("toe", anchor))]
        centre = float(np.mean(g_xyz[:, foot, 0]))
        xyz[..., 0] -= (xyz[:, foot, 0].mean(axis=1) - centre)[:, None]
    return BodyPose(xyz, contact, angles)
