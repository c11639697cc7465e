"""Reference motion of every catalogue drill: joint-angle keyframes that embody its cues.

These are **illustrations built on coaching conventions, not measured data**: each
drill's keyframes were set by hand so the figure does what the catalogue's cues say
(butt kicks: heel to buttock with the knee pointing down, foot pulled up, landing under
the hips, body tall with a slight forward lean; high knees: thigh to horizontal; A-skip:
knee drive with a skip; …) and the tests check those cues numerically. Joint angles use
the conventions of :mod:`stridelab.drills.kinematics`; segment lengths are Winter's.

Rhythm is a stated convention per drill (:attr:`DrillMotion.reps_per_min`), not a
measured or prescribed value: quick drills at 180 steps/min (a brisk running cadence),
skips at 100–120 per minute, mobility slow. A *rep* is what the drill check counts: one
leg's lift for alternating drills (two per cycle), one swing or rock for single-leg ones,
one step for carioca.

Each cue of the catalogue applies in a window of the cycle (:class:`CueWindow`), at a
body part the guide marks while the cue is on screen.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final

import numpy as np
from numpy.typing import ArrayLike, NDArray

from stridelab.drills.catalogue import Drill, get_drill
from stridelab.drills.kinematics import (
    ZERO,
    ArmMotion,
    BodyPose,
    Curve,
    LegMotion,
    Side,
    View,
    forward_kinematics,
    joint,
)

__all__ = [
    "FAULT_PARTS",
    "REFERENCE_MOTIONS",
    "REFERENCE_NOTE",
    "CueWindow",
    "DrillMotion",
    "reference_motion",
]

L, R = Side.LEFT, Side.RIGHT


@dataclass(frozen=True)
class CueWindow:
    """Cue number ``cue`` of the drill applies from ``start`` to ``end`` (cycles, may wrap).

    ``part`` is the body part it concerns (``"heel"``, ``"knee"``, ``"pelvis"`` …), on
    ``side`` (``None`` for the midline or for a cue about the whole movement).
    """

    cue: int
    start: float
    end: float
    part: str | None = None
    side: Side | None = None

    def covers(self, cycles: ArrayLike) -> NDArray[np.bool_]:
        phase = np.mod(np.asarray(cycles, dtype=np.float64), 1.0)
        return np.asarray(np.mod(phase - self.start, 1.0) < (self.end - self.start))

    def shifted(self, by: float, side: Side | None) -> CueWindow:
        start = (self.start + by) % 1.0
        return CueWindow(self.cue, start, start + self.end - self.start, self.part, side)


@dataclass(frozen=True)
class DrillMotion:
    """One drill's reference motion: curves per limb, rhythm, and where each cue applies."""

    drill_id: str
    view: View
    reps_per_min: float
    reps_per_cycle: int
    rep_unit: str
    legs: Mapping[Side, LegMotion]
    arms: Mapping[Side, ArmMotion]
    trunk_lean: Curve
    cue_windows: tuple[CueWindow, ...]
    pelvis_yaw: Curve = ZERO
    anchor: Side | None = None
    growth_cycles: int = 0
    #: Legs whose lifts the drill check would count as reps.
    working: tuple[Side, ...] = (L, R)

    @property
    def drill(self) -> Drill:
        return get_drill(self.drill_id)

    @property
    def cycle_s(self) -> float:
        """Seconds per cycle at the stated rhythm."""
        return self.reps_per_cycle * 60.0 / self.reps_per_min

    def pose(self, cycles: ArrayLike) -> BodyPose:
        """The figure at each time, given in cycles."""
        return forward_kinematics(
            self.legs,
            self.arms,
            self.trunk_lean,
            self.pelvis_yaw,
            cycles,
            cycle_s=self.cycle_s,
            anchor=self.anchor,
            growth_cycles=self.growth_cycles,
        )

    def windows(self, cue: int) -> tuple[CueWindow, ...]:
        return tuple(w for w in self.cue_windows if w.cue == cue)

    def rep_phases(self) -> dict[Side, float]:
        """Phase (0–1) of each working leg's highest heel: where the drill check counts a rep."""
        grid = np.arange(720) / 720
        pose = self.pose(grid)
        return {
            s: float(grid[int(np.argmax(pose.point(joint("heel", s))[:, 1]))]) for s in self.working
        }


def _c(*keys: tuple[float, float]) -> Curve:
    return Curve(tuple(keys))


def _alternate(
    leg: LegMotion, arm: ArmMotion, *, arm_side: Side = R
) -> tuple[dict[Side, LegMotion], dict[Side, ArmMotion]]:
    """Left leg as given, the right half a cycle later; ``arm`` moves with the left leg."""
    return {L: leg, R: leg.shifted(0.5)}, {arm_side: arm, arm_side.other: arm.shifted(0.5)}


#: Body parts on the midline (no side).
MIDLINE: Final = frozenset({"pelvis", "neck", "head"})
#: What every guide says of itself, wherever it is shown (video, web page, CLI).
REFERENCE_NOTE: Final = "Reference model: a convention-based illustration, not measured data"


def _both(*windows: CueWindow) -> tuple[CueWindow, ...]:
    """Each window on the left leg, and the same half a cycle later on the right."""
    out: list[CueWindow] = []
    for w in windows:
        if w.end - w.start >= 1.0:
            out.append(w)
        elif w.part is None or w.part in MIDLINE:
            out.append(w)
            out.append(w.shifted(0.5, None))
        else:
            out.append(w.shifted(0.0, L))
            out.append(w.shifted(0.5, R))
    return tuple(out)


# ---- quick drills on the spot: 180 steps/min ----------------------------------------------

_KICK_LEGS, _KICK_ARMS = _alternate(
    LegMotion(
        hip_flexion=_c((0.0, 6), (0.16, 0), (0.32, -6), (0.56, -4), (0.78, 8), (0.92, 10)),
        knee_flexion=_c((0.0, 12), (0.16, 18), (0.32, 22), (0.58, 145), (0.8, 60), (0.93, 16)),
        ankle_plantarflexion=_c(
            (0.0, 20), (0.16, 14), (0.32, 25), (0.58, -5), (0.85, 5), (0.95, 18)
        ),
        contacts=((0.0, 0.32),),
    ),
    ArmMotion(
        shoulder_flexion=_c((0.0, 25), (0.15, 10), (0.4, -35), (0.65, -10), (0.9, 30)),
        elbow_flexion=_c((0.0, 95), (0.4, 75), (0.9, 100)),
    ),
)
_BUTT_KICKS = DrillMotion(
    "butt_kicks",
    View.SIDE,
    reps_per_min=180.0,
    reps_per_cycle=2,
    rep_unit="kicks/min (one per step)",
    legs=_KICK_LEGS,
    arms=_KICK_ARMS,
    trunk_lean=_c((0.0, 5.0), (0.25, 6.0), (0.5, 5.0), (0.75, 6.0)),
    cue_windows=_both(
        CueWindow(0, 0.46, 0.72, "heel"),
        CueWindow(1, 0.92, 1.1, "toe"),
        CueWindow(2, 0.05, 0.3, "neck"),
        CueWindow(3, 0.3, 0.5, "knee"),
    ),
)

_KNEE_LEGS, _KNEE_ARMS = _alternate(
    LegMotion(
        hip_flexion=_c(
            (0.0, 8), (0.15, 1), (0.3, -8), (0.5, 50), (0.66, 95), (0.82, 60), (0.93, 22)
        ),
        knee_flexion=_c(
            (0.0, 8), (0.15, 14), (0.3, 18), (0.5, 100), (0.66, 100), (0.82, 60), (0.93, 18)
        ),
        ankle_plantarflexion=_c(
            (0.0, 22), (0.15, 15), (0.3, 30), (0.5, 0), (0.66, -10), (0.85, 0), (0.95, 18)
        ),
        contacts=((0.0, 0.3),),
    ),
    ArmMotion(
        shoulder_flexion=_c((0.0, 10), (0.3, -40), (0.66, 60), (0.85, 40)),
        elbow_flexion=_c((0.0, 90), (0.3, 70), (0.66, 100)),
    ),
)
_HIGH_KNEES = DrillMotion(
    "high_knees",
    View.SIDE,
    reps_per_min=180.0,
    reps_per_cycle=2,
    rep_unit="knee lifts/min (one per step)",
    legs=_KNEE_LEGS,
    arms=_KNEE_ARMS,
    trunk_lean=_c((0.0, 3.0), (0.25, 4.0), (0.5, 3.0), (0.75, 4.0)),
    cue_windows=_both(
        CueWindow(0, 0.56, 0.78, "knee"),
        CueWindow(1, 0.93, 1.12, "toe"),
        CueWindow(2, 0.58, 0.8, "toe"),
    ),
)

# ---- skips: a step and a hop on each foot ---------------------------------------------------
# Left foot: step down at 0, hop off at 0.14, land again at 0.29, leave at 0.43; the right
# foot does the same half a cycle later. The hop's 0.15 cycle of flight is ballistic.
_SKIP_CONTACTS: Final = ((0.0, 0.14), (0.29, 0.43))

_A_LEGS, _A_ARMS = _alternate(
    LegMotion(
        hip_flexion=_c(
            (0.0, 5),
            (0.14, -2),
            (0.29, -6),
            (0.43, -10),
            (0.58, 40),
            (0.72, 82),
            (0.86, 45),
            (0.95, 12),
        ),
        knee_flexion=_c(
            (0.0, 10),
            (0.14, 18),
            (0.29, 15),
            (0.43, 25),
            (0.58, 90),
            (0.72, 100),
            (0.86, 60),
            (0.95, 15),
        ),
        ankle_plantarflexion=_c(
            (0.0, 15),
            (0.14, 25),
            (0.29, 15),
            (0.43, 30),
            (0.6, 0),
            (0.72, -12),
            (0.86, -5),
            (0.95, 10),
        ),
        contacts=_SKIP_CONTACTS,
    ),
    ArmMotion(
        shoulder_flexion=_c((0.0, 10), (0.3, -30), (0.72, 55), (0.9, 30)),
        elbow_flexion=_c((0.0, 90), (0.3, 80), (0.72, 100)),
    ),
)
_A_SKIP = DrillMotion(
    "a_skip",
    View.SIDE,
    reps_per_min=120.0,
    reps_per_cycle=2,
    rep_unit="skips/min (one knee drive each)",
    legs=_A_LEGS,
    arms=_A_ARMS,
    trunk_lean=_c((0.0, 3.0), (0.25, 4.0), (0.5, 3.0), (0.75, 4.0)),
    cue_windows=_both(
        CueWindow(0, 0.62, 0.82, "knee"),
        CueWindow(1, 0.92, 1.06, "heel"),
        CueWindow(2, 0.1, 0.33, "toe"),
    ),
)

_B_LEGS, _B_ARMS = _alternate(
    LegMotion(
        hip_flexion=_c(
            (0.0, 4),
            (0.14, -3),
            (0.29, -7),
            (0.43, -10),
            (0.58, 40),
            (0.7, 75),
            (0.8, 65),
            (0.9, 30),
            (0.96, 10),
        ),
        knee_flexion=_c(
            (0.0, 8),
            (0.14, 15),
            (0.29, 14),
            (0.43, 25),
            (0.58, 95),
            (0.7, 95),
            (0.8, 30),
            (0.9, 15),
            (0.96, 10),
        ),
        ankle_plantarflexion=_c(
            (0.0, 12),
            (0.14, 25),
            (0.29, 15),
            (0.43, 30),
            (0.6, 0),
            (0.7, -12),
            (0.8, -8),
            (0.9, 0),
            (0.96, 8),
        ),
        contacts=_SKIP_CONTACTS,
    ),
    ArmMotion(
        shoulder_flexion=_c((0.0, 10), (0.3, -30), (0.72, 50), (0.9, 30)),
        elbow_flexion=_c((0.0, 90), (0.3, 80), (0.72, 100)),
    ),
)
_B_SKIP = DrillMotion(
    "b_skip",
    View.SIDE,
    reps_per_min=100.0,
    reps_per_cycle=2,
    rep_unit="skips/min (one leg extension each)",
    legs=_B_LEGS,
    arms=_B_ARMS,
    trunk_lean=_c((0.0, 3.0), (0.25, 4.0), (0.5, 3.0), (0.75, 4.0)),
    cue_windows=_both(
        CueWindow(0, 0.66, 0.98, "ankle"),
        CueWindow(1, 0.95, 1.08, "heel"),
        CueWindow(2, 0.1, 0.4, "neck"),
    ),
)

# ---- carioca: filmed from the front, travelling to the image right (the figure's left) --------
# Four steps a cycle: left steps out (0), right crosses in front (0.25), left steps out
# (0.5), right crosses behind (0.75). The hips turn towards each cross; the shoulders don't.
_CARIOCA = DrillMotion(
    "carioca",
    View.FRONT,
    reps_per_min=160.0,
    reps_per_cycle=4,
    rep_unit="steps/min",
    legs={
        L: LegMotion(
            hip_flexion=_c((0.0, 5), (0.2, 3), (0.4, 25), (0.5, 5), (0.7, 3), (0.9, 25)),
            knee_flexion=_c((0.0, 15), (0.2, 20), (0.4, 60), (0.5, 15), (0.7, 20), (0.9, 60)),
            ankle_plantarflexion=_c(
                (0.0, 18), (0.2, 15), (0.38, 10), (0.5, 18), (0.7, 15), (0.88, 10)
            ),
            hip_adduction=_c(
                (0.0, -14),
                (0.2, -4),
                (0.3, -2),
                (0.42, -10),
                (0.5, -14),
                (0.7, -4),
                (0.8, -2),
                (0.92, -10),
            ),
            contacts=((0.0, 0.38), (0.5, 0.88)),
        ),
        R: LegMotion(
            hip_flexion=_c(
                (0.0, 0), (0.12, 42), (0.25, 38), (0.45, 5), (0.62, -10), (0.75, -20), (0.95, -5)
            ),
            knee_flexion=_c(
                (0.0, 20), (0.12, 55), (0.25, 30), (0.45, 18), (0.62, 40), (0.75, 25), (0.95, 18)
            ),
            ankle_plantarflexion=_c((0.0, 15), (0.12, 10), (0.25, 18), (0.6, 10), (0.75, 18)),
            hip_adduction=_c(
                (0.0, 5), (0.12, 15), (0.25, 25), (0.45, 12), (0.6, 5), (0.75, 22), (0.95, 8)
            ),
            contacts=((0.2, 0.55), (0.7, 1.05)),
        ),
    },
    arms={
        side: ArmMotion(
            shoulder_flexion=Curve.constant(10.0),
            elbow_flexion=Curve.constant(30.0),
            shoulder_abduction=Curve.constant(45.0),
        )
        for side in (L, R)
    },
    trunk_lean=Curve.constant(3.0),
    pelvis_yaw=_c((0.0, 0), (0.25, 30), (0.5, 0), (0.75, -30)),
    cue_windows=(
        CueWindow(0, 0.15, 0.35, "pelvis"),
        CueWindow(0, 0.65, 0.85, "pelvis"),
        CueWindow(1, 0.95, 1.1, "toe", L),
        CueWindow(1, 0.2, 0.35, "toe", R),
        CueWindow(1, 0.45, 0.6, "toe", L),
        CueWindow(1, 0.7, 0.85, "toe", R),
    ),
    working=(R,),
)

# ---- strides: relaxed fast running at 180 steps/min ------------------------------------------
_RUN_LEGS, _RUN_ARMS = _alternate(
    LegMotion(
        hip_flexion=_c(
            (0.0, 20), (0.17, 4), (0.34, -14), (0.5, 5), (0.65, 25), (0.82, 28), (0.93, 24)
        ),
        knee_flexion=_c(
            (0.0, 10), (0.12, 36), (0.34, 18), (0.55, 105), (0.72, 80), (0.85, 30), (0.95, 14)
        ),
        ankle_plantarflexion=_c((0.0, 4), (0.12, -10), (0.34, 25), (0.55, 10), (0.8, 0), (0.95, 2)),
        contacts=((0.0, 0.34),),
    ),
    ArmMotion(
        shoulder_flexion=_c((0.0, 25), (0.17, 5), (0.36, -38), (0.6, -5), (0.84, 35)),
        elbow_flexion=_c((0.0, 95), (0.36, 70), (0.84, 100)),
    ),
)
_STRIDES = DrillMotion(
    "strides",
    View.SIDE,
    reps_per_min=180.0,
    reps_per_cycle=2,
    rep_unit="steps/min",
    legs=_RUN_LEGS,
    arms=_RUN_ARMS,
    trunk_lean=_c((0.0, 5.0), (0.25, 6.0), (0.5, 5.0), (0.75, 6.0)),
    cue_windows=(
        CueWindow(0, 0.0, 1.0, "hand", L),
        *_both(CueWindow(1, 0.95, 1.12, "heel")),
        CueWindow(2, 0.0, 1.0),
    ),
)

# ---- mobility -------------------------------------------------------------------------------
_LEG_SWINGS = DrillMotion(
    "leg_swings",
    View.SIDE,
    reps_per_min=40.0,
    reps_per_cycle=1,
    rep_unit="swings/min",
    legs={
        R: LegMotion(  # the near leg swings
            hip_flexion=_c((0.0, -25), (0.25, 15), (0.5, 55), (0.75, 15)),
            knee_flexion=_c((0.0, 45), (0.25, 35), (0.5, 10), (0.75, 35)),
            ankle_plantarflexion=_c((0.0, -5), (0.25, -10), (0.5, 0), (0.75, -10)),
            contacts=(),
        ),
        L: LegMotion(
            hip_flexion=Curve.constant(0.0),
            knee_flexion=Curve.constant(3.0),
            ankle_plantarflexion=Curve.constant(0.0),
            contacts=((0.0, 1.0),),
        ),
    },
    arms={
        L: ArmMotion(  # the far hand on a wall
            shoulder_flexion=Curve.constant(20.0),
            elbow_flexion=Curve.constant(20.0),
            shoulder_abduction=Curve.constant(60.0),
        ),
        R: ArmMotion(
            shoulder_flexion=_c((0.0, 12), (0.5, -12)),
            elbow_flexion=Curve.constant(25.0),
        ),
    },
    trunk_lean=Curve.constant(1.0),
    cue_windows=(
        CueWindow(0, 0.35, 0.65, "ankle", R),
        CueWindow(1, 0.0, 1.0, "neck"),
    ),
    growth_cycles=3,
    working=(R,),
)

_HIP_FLEXOR = DrillMotion(
    "hip_flexor_mobility",
    View.SIDE,
    reps_per_min=12.0,
    reps_per_cycle=1,
    rep_unit="rocks/min",
    legs={
        L: LegMotion(  # front leg, foot flat (plantarflexion = shank angle)
            hip_flexion=_c((0.0, 80), (0.5, 95)),
            knee_flexion=_c((0.0, 82), (0.5, 108)),
            ankle_plantarflexion=_c((0.0, -2), (0.5, -13)),
            contacts=((0.0, 1.0),),
        ),
        R: LegMotion(  # back leg, knee down, toes tucked
            hip_flexion=_c((0.0, -12), (0.5, -28)),
            knee_flexion=_c((0.0, 79), (0.5, 70)),  # both feet on the ground, knee hovering
            ankle_plantarflexion=_c((0.0, 25), (0.5, 30)),
            contacts=((0.0, 1.0),),
        ),
    },
    arms={side: ArmMotion(Curve.constant(10.0), Curve.constant(20.0)) for side in (L, R)},
    trunk_lean=_c((0.0, 2.0), (0.5, 0.0)),
    cue_windows=(
        CueWindow(0, 0.0, 0.2, "pelvis"),
        CueWindow(1, 0.2, 0.5, "hip", R),
        CueWindow(2, 0.5, 0.95, "pelvis"),
    ),
    anchor=L,
    working=(R,),
)

_QUAD_LEGS, _QUAD_ARMS = _alternate(
    LegMotion(
        hip_flexion=_c((0.0, 3), (0.1, -3), (0.38, -6), (0.47, 15), (0.6, 8), (0.97, 2)),
        knee_flexion=_c((0.0, 5), (0.1, 140), (0.38, 150), (0.47, 10), (0.6, 8), (0.97, 5)),
        ankle_plantarflexion=_c((0.0, 0), (0.1, 20), (0.38, 25), (0.42, -10), (0.6, 0)),
        contacts=((0.47, 1.05),),
    ),
    ArmMotion(
        shoulder_flexion=Curve.constant(0.0),
        elbow_flexion=Curve.constant(15.0),
        hold_ankle=_c((0.0, 0), (0.1, 1), (0.38, 1), (0.45, 0), (0.8, 0)),
    ),
    arm_side=L,
)
_QUAD = DrillMotion(
    "quadriceps_mobility",
    View.SIDE,
    reps_per_min=24.0,
    reps_per_cycle=2,
    rep_unit="holds/min (one per step)",
    legs=_QUAD_LEGS,
    arms=_QUAD_ARMS,
    trunk_lean=Curve.constant(1.0),
    cue_windows=_both(
        CueWindow(0, 0.12, 0.4, "knee"),
        CueWindow(1, 0.12, 0.4, "pelvis"),
        CueWindow(2, 0.05, 0.45, "wrist"),
    ),
)

#: Reference motion per catalogue drill id (read-only).
REFERENCE_MOTIONS: Final[Mapping[str, DrillMotion]] = MappingProxyType(
    {
        m.drill_id: m
        for m in (
            _BUTT_KICKS,
            _HIGH_KNEES,
            _A_SKIP,
            _B_SKIP,
            _CARIOCA,
            _STRIDES,
            _LEG_SWINGS,
            _HIP_FLEXOR,
            _QUAD,
        )
    }
)

#: The body part each catalogue fault concerns (where the drill check and the guide mark it).
FAULT_PARTS: Final[Mapping[str, str]] = MappingProxyType(
    {
        "heel_not_to_buttock": "heel",
        "knee_driven_forward": "knee",
        "landing_ahead_of_hips": "heel",
        "leaning_back": "neck",
        "foot_not_dorsiflexed": "toe",
        "arms_not_following": "wrist",
        "pushing_off": "toe",
        "knee_below_hip": "knee",
        "sitting_low": "knee",
        "foot_reaching_forward": "heel",
        "no_rhythm": "pelvis",
        "kicking_out_straight": "ankle",
        "shoulders_rotating": "neck",
        "flat_footed": "heel",
        "sprinting_all_out": "head",
        "short_recovery": "head",
        "trunk_moving": "neck",
        "forced_range": "ankle",
        "arching_lower_back": "pelvis",
        "knee_flaring_out": "knee",
        "leaning_forward": "neck",
    }
)


def reference_motion(drill_id: str) -> DrillMotion:
    """The reference motion of a catalogue drill (ids and aliases as :func:`get_drill`)."""
    drill = get_drill(drill_id)
    return REFERENCE_MOTIONS[drill.id]
