"""The running-drill catalogue, as data: butt kicks first, then the usual warm-up drills.

Each :class:`Drill` carries the how-to (steps, cues), the common faults a coach (or the
video drill check) looks for, a MET value with its Compendium edition and code, and an
honest note on the evidence. The fault ids are a contract: the video drill check maps
what it detects to them (e.g. ``butt_kicks`` / ``heel_not_to_buttock``).

Evidence in one line: dynamic warm-ups with drills before 5K/10K efforts have weak but
favourable evidence for performance; no trial shows an injury-prevention effect of any
single drill. MET values are proxies: the Compendium (Ainsworth et al. 2011) has no
running-drill codes (see :mod:`stridelab.physiology.energy`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType
from typing import Any, Final

from stridelab.errors import InputError
from stridelab.physiology.energy import (
    CompendiumEdition,
    EnergyBasis,
    MetValue,
    met_kcal,
)

__all__ = [
    "DRILLS",
    "Drill",
    "DrillFault",
    "DrillKind",
    "get_drill",
]

_C2011 = CompendiumEdition.C2011

#: Proxy MET for dynamic running drills (no Compendium code exists for them).
DRILL_MET: Final = MetValue(8.0, _C2011, "02020", "calisthenics, vigorous effort", is_proxy=True)
#: Proxy MET for swings and lighter dynamic mobility.
LIGHT_DYNAMIC_MET: Final = MetValue(
    3.8, _C2011, "02022", "calisthenics, moderate effort", is_proxy=True
)
#: Proxy MET for held or slow mobility work.
MOBILITY_MET: Final = MetValue(2.3, _C2011, "02101", "stretching, mild", is_proxy=True)
#: Easy jogging in a warm-up (a direct Compendium activity, not a proxy).
JOG_MET: Final = MetValue(7.0, _C2011, "12020", "jogging, general")
#: Walking back between drill efforts.
WALK_MET: Final = MetValue(
    3.5, _C2011, "17190", "walking, 2.8-3.2 mph, level, moderate pace, firm surface"
)
#: Strides: short fast runs with walk-back recovery; "running, general" as a proxy for the mix.
STRIDES_MET: Final = MetValue(8.0, _C2011, "12150", "running, general", is_proxy=True)


class DrillKind(StrEnum):
    """What a catalogue entry is for in a warm-up."""

    DRILL = "drill"
    MOBILITY = "mobility"
    STRIDES = "strides"


@dataclass(frozen=True, slots=True)
class DrillFault:
    """A common fault: stable ``id``, the coaching cue in plain words, and how to fix it."""

    id: str
    message: str
    fix: str

    def as_dict(self) -> dict[str, str]:
        """JSON-able form."""
        return {"id": self.id, "message": self.message, "fix": self.fix}


@dataclass(frozen=True, slots=True)
class Drill:
    """One drill: how to do it, what goes wrong, what it costs and what it is good for."""

    id: str
    name: str
    kind: DrillKind
    purpose: str
    steps: tuple[str, ...]
    cues: tuple[str, ...]
    faults: tuple[DrillFault, ...]
    met: MetValue
    default_duration_s: float
    dose: str
    evidence: str
    aliases: tuple[str, ...] = field(default=())

    def fault(self, fault_id: str) -> DrillFault:
        """The fault with this id, or :class:`InputError` listing the known ones."""
        for f in self.faults:
            if f.id == fault_id:
                return f
        known = ", ".join(f.id for f in self.faults) or "none"
        raise InputError(f"{self.name} has no fault {fault_id!r}", hint=f"Known faults: {known}.")

    def kcal(
        self,
        mass_kg: float,
        duration_s: float | None = None,
        basis: EnergyBasis = EnergyBasis.GROSS,
    ) -> float:
        """kcal for doing this drill (default duration unless given), from its MET value."""
        d = self.default_duration_s if duration_s is None else duration_s
        return met_kcal(self.met, mass_kg, d, basis)

    def as_summary_dict(self) -> dict[str, Any]:
        """Short JSON form for embedding in plans: id, name, kind, dose, purpose, cues."""
        return {
            "id": self.id,
            "name": self.name,
            "kind": self.kind.value,
            "dose": self.dose,
            "purpose": self.purpose,
            "cues": list(self.cues),
        }

    def as_dict(self) -> dict[str, Any]:
        """Full JSON form: ``{"id", "name", "kind", "purpose", "steps", "faults", ...}``."""
        return {
            "id": self.id,
            "name": self.name,
            "kind": self.kind.value,
            "purpose": self.purpose,
            "steps": list(self.steps),
            "cues": list(self.cues),
            "faults": [f.as_dict() for f in self.faults],
            "met": self.met.as_dict(),
            "default_duration_s": self.default_duration_s,
            "dose": self.dose,
            "evidence": self.evidence,
        }


_NO_INJURY_TRIAL = "No trial shows that this drill on its own prevents injury."

_CATALOGUE: tuple[Drill, ...] = (
    Drill(
        id="butt_kicks",
        name="Butt kicks",
        kind=DrillKind.DRILL,
        purpose="Rehearse a quick, compact swing-leg recovery: heel up under the hip.",
        steps=(
            "Stand tall with your feet hip-width apart.",
            "Standing on one leg, bring the other heel up to your buttock by bending the knee.",
            "Put that foot down on the ball of the foot, under your centre of mass.",
            "Alternate legs quickly and travel forward a little with each step.",
            "Let your arms follow the legs, swinging from the shoulder as in running.",
            "Keep the lifted foot dorsiflexed (toes pulled up towards the shin).",
            "Think of contracting the hamstring to lift the heel, not of pushing off the ground.",
            "Keep your body straight and leaning slightly forward from the ankles.",
        ),
        cues=(
            "Heel to buttock, knee points down.",
            "Quick and light: land under the hips.",
            "Tall body, slight forward lean.",
            "Pull the heel with the hamstring, do not push off.",
        ),
        faults=(
            DrillFault(
                "heel_not_to_buttock",
                "The heel stops well short of the buttock.",
                "Fold the knee fully; slow down until the heel reaches the buttock.",
            ),
            DrillFault(
                "knee_driven_forward",
                "The knee swings forward and up, turning it into a high-knee skip.",
                "Keep the thigh roughly vertical: the knee points at the ground.",
            ),
            DrillFault(
                "landing_ahead_of_hips",
                "The foot lands in front of the hips, braking each step.",
                "Land on the ball of the foot right under your centre of mass.",
            ),
            DrillFault(
                "leaning_back",
                "The trunk leans back behind the hips.",
                "Stand tall and lean slightly forward from the ankles.",
            ),
            DrillFault(
                "foot_not_dorsiflexed",
                "The lifted foot points (toes down) instead of staying pulled up.",
                "Pull the toes up towards the shin as the heel rises.",
            ),
            DrillFault(
                "arms_not_following",
                "The arms are still or cross the body instead of following the legs.",
                "Swing the arms forward and back from the shoulder, in time with the legs.",
            ),
            DrillFault(
                "pushing_off",
                "The movement comes from pushing off the ground, not the hamstring.",
                "Think 'pull the heel up', and keep the contacts short and light.",
            ),
        ),
        met=DRILL_MET,
        default_duration_s=30.0,
        dose="2 × 20–30 m, walk back",
        evidence=(
            "Rehearses the swing-leg recovery of running. Dynamic warm-ups that include "
            "drills like this have weak but favourable evidence for 5K/10K performance. "
            + _NO_INJURY_TRIAL
        ),
        aliases=("butt_kick", "buttkicks", "heel_flicks", "heel_kicks"),
    ),
    Drill(
        id="high_knees",
        name="High knees",
        kind=DrillKind.DRILL,
        purpose="Rehearse knee drive and quick, stiff contacts under the hips.",
        steps=(
            "Stand tall with feet hip-width apart.",
            "Drive one knee up to hip height while standing tall on the other leg.",
            "Land on the ball of the foot under the hips and switch legs quickly.",
            "Travel forward slowly; the arms swing in time with the legs.",
        ),
        cues=("Tall hips, knee to hip height.", "Quick, light contacts.", "Toes up."),
        faults=(
            DrillFault(
                "knee_below_hip",
                "The knee stays well below hip height.",
                "Slow the rhythm and lift the thigh until it is level with the ground.",
            ),
            DrillFault(
                "leaning_back",
                "The trunk leans back to lift the knees.",
                "Stay tall with a slight forward lean; lift less if you must.",
            ),
            DrillFault(
                "sitting_low",
                "The hips sink and the support knee bends a lot.",
                "Stay on the ball of the foot with a nearly straight support leg.",
            ),
        ),
        met=DRILL_MET,
        default_duration_s=30.0,
        dose="2 × 20–30 m",
        evidence="Rehearses knee drive and stiff ground contacts. " + _NO_INJURY_TRIAL,
        aliases=("high_knee", "knee_drives"),
    ),
    Drill(
        id="a_skip",
        name="A-skip",
        kind=DrillKind.DRILL,
        purpose="Coordinate knee drive with an active, downward-backward foot strike.",
        steps=(
            "Skip forward: a small hop on the support leg with each step.",
            "Drive the opposite knee to hip height, foot dorsiflexed.",
            "Strike the ground actively down and back under the hips.",
            "Arms swing opposite to the legs.",
        ),
        cues=("Knee up, toe up, heel up.", "Strike down under the hip.", "Rhythm over height."),
        faults=(
            DrillFault(
                "foot_reaching_forward",
                "The foot reaches forward and lands ahead of the hips.",
                "Bring the foot down and slightly back, under the hip.",
            ),
            DrillFault(
                "no_rhythm",
                "The skip loses its double-contact rhythm.",
                "Slow down, say 'skip-skip' and add the knee drive once the rhythm is back.",
            ),
        ),
        met=DRILL_MET,
        default_duration_s=30.0,
        dose="2 × 20–30 m",
        evidence="A coordination drill from sprint coaching (Mach drills). " + _NO_INJURY_TRIAL,
        aliases=("askip", "a_skips", "skip_a"),
    ),
    Drill(
        id="b_skip",
        name="B-skip",
        kind=DrillKind.DRILL,
        purpose="An A-skip with the leg extending and pawing back: active foot placement.",
        steps=(
            "Start with an A-skip rhythm.",
            "At the top of the knee drive, let the lower leg extend forward.",
            "Paw the foot down and back to land under the hips.",
            "Alternate legs with a skip on the support leg.",
        ),
        cues=("Up, out, paw back.", "Land under the hips.", "Tall and relaxed."),
        faults=(
            DrillFault(
                "kicking_out_straight",
                "The leg kicks out straight and lands ahead of the hips.",
                "Extend only partly and paw back so the foot lands under you.",
            ),
            DrillFault(
                "leaning_back",
                "The trunk leans back as the leg extends.",
                "Keep the chest over the hips with a slight forward lean.",
            ),
        ),
        met=DRILL_MET,
        default_duration_s=30.0,
        dose="2 × 20–30 m",
        evidence="An advanced coordination drill; master the A-skip first. " + _NO_INJURY_TRIAL,
        aliases=("bskip", "b_skips", "skip_b"),
    ),
    Drill(
        id="carioca",
        name="Carioca",
        kind=DrillKind.DRILL,
        purpose="Lateral movement with hip rotation: wakes up hips and trunk.",
        steps=(
            "Move sideways, leading with one side.",
            "Cross the trailing foot in front, step out, then cross it behind.",
            "Let the hips rotate while the shoulders stay square.",
            "Repeat the other way.",
        ),
        cues=("Hips turn, shoulders stay.", "Light and quick on the balls of the feet."),
        faults=(
            DrillFault(
                "shoulders_rotating",
                "The shoulders turn with the hips.",
                "Keep the shoulders facing forward and let only the hips rotate.",
            ),
            DrillFault(
                "flat_footed",
                "The steps are heavy and flat-footed.",
                "Stay up on the balls of the feet, take smaller steps.",
            ),
        ),
        met=DRILL_MET,
        default_duration_s=30.0,
        dose="1 × 20–30 m each direction",
        evidence="A general athletic warm-up movement. " + _NO_INJURY_TRIAL,
        aliases=("grapevine", "karaoke"),
    ),
    Drill(
        id="strides",
        name="Strides",
        kind=DrillKind.STRIDES,
        purpose="Short relaxed accelerations to about 5K–mile pace to prime fast running.",
        steps=(
            "Jog a few steps, then accelerate smoothly over about 60–100 m (15–20 s).",
            "Hold a fast, relaxed pace for a few seconds, then ease off.",
            "Walk or jog back to recover fully before the next one.",
        ),
        cues=("Fast but relaxed.", "Tall, quick feet.", "Full recovery between."),
        faults=(
            DrillFault(
                "sprinting_all_out",
                "Strides become all-out sprints.",
                "Stay at about 90 % effort: fast but relaxed, face and shoulders loose.",
            ),
            DrillFault(
                "short_recovery",
                "The next stride starts before you have recovered.",
                "Walk or jog back fully; strides are not intervals.",
            ),
        ),
        met=STRIDES_MET,
        default_duration_s=60.0,
        dose="4–6 × 15–20 s with full recovery",
        evidence=(
            "Short race-pace bursts in a warm-up are common practice with weak but "
            "favourable evidence for 5K/10K performance. " + _NO_INJURY_TRIAL
        ),
        aliases=("stride", "strideouts", "accelerations"),
    ),
    Drill(
        id="leg_swings",
        name="Leg swings",
        kind=DrillKind.MOBILITY,
        purpose="Dynamic hip mobility forward-back and side to side.",
        steps=(
            "Stand on one leg, holding a wall or fence for balance.",
            "Swing the free leg forward and back 10–15 times, growing the range gradually.",
            "Face the wall and swing the leg across the body and out 10–15 times.",
            "Change legs.",
        ),
        cues=("Relaxed swing, not a kick.", "Tall trunk, range grows gradually."),
        faults=(
            DrillFault(
                "trunk_moving",
                "The trunk rocks to make the swing bigger.",
                "Keep the trunk still; let only the leg move.",
            ),
            DrillFault(
                "forced_range",
                "The leg is kicked to the end of its range from the first swing.",
                "Start small and let the range grow over the set.",
            ),
        ),
        met=LIGHT_DYNAMIC_MET,
        default_duration_s=60.0,
        dose="10–15 swings each direction, each leg",
        evidence="Dynamic mobility; unlike long static stretches it does not blunt power.",
        aliases=("leg_swing", "hip_swings"),
    ),
    Drill(
        id="hip_flexor_mobility",
        name="Hip-flexor mobility",
        kind=DrillKind.MOBILITY,
        purpose="Open the front of the hip for hip extension in the stride.",
        steps=(
            "Step into a long lunge, back knee down on a soft surface or hovering.",
            "Tuck the pelvis under and squeeze the back-leg glute.",
            "Shift the hips gently forward until you feel the front of the back hip.",
            "Rock in and out for 5–8 slow reps, then change sides.",
        ),
        cues=("Tuck the pelvis.", "Squeeze the glute.", "Rock, do not hang."),
        faults=(
            DrillFault(
                "arching_lower_back",
                "The lower back arches instead of the hip opening.",
                "Tuck the pelvis under and brace the stomach before moving forward.",
            ),
        ),
        met=MOBILITY_MET,
        default_duration_s=60.0,
        dose="5–8 slow rocks each side",
        evidence="Dynamic mobility; short and moving, not a long static hold before running.",
        aliases=("hip_flexor", "hip_flexors", "lunge_stretch"),
    ),
    Drill(
        id="quadriceps_mobility",
        name="Quadriceps mobility",
        kind=DrillKind.MOBILITY,
        purpose="Loosen the front of the thigh before knee-bending drills.",
        steps=(
            "Walk forward; on each step take hold of one ankle behind you.",
            "Draw the heel towards the buttock for 1–2 s, knees close together.",
            "Let go, step, and repeat on the other leg.",
        ),
        cues=("Knees together.", "Tall, hips forward.", "Brief holds."),
        faults=(
            DrillFault(
                "knee_flaring_out",
                "The bent knee drifts out to the side.",
                "Keep the knees side by side, pointing down.",
            ),
            DrillFault(
                "leaning_forward",
                "The trunk tips forward to reach the ankle.",
                "Stand tall and push the hips gently forward.",
            ),
        ),
        met=MOBILITY_MET,
        default_duration_s=60.0,
        dose="5–6 walking holds each leg",
        evidence="Dynamic mobility with brief holds. " + _NO_INJURY_TRIAL,
        aliases=("quad_mobility", "quads", "quad_stretch", "walking_quad_stretch"),
    ),
)

#: The catalogue, keyed by drill id (read-only). Butt kicks first.
DRILLS: Final[Mapping[str, Drill]] = MappingProxyType({d.id: d for d in _CATALOGUE})

_ALIASES: Final[dict[str, str]] = {a: d.id for d in _CATALOGUE for a in d.aliases}


def _normalise(drill_id: str) -> str:
    return drill_id.strip().lower().replace("-", "_").replace(" ", "_")


def get_drill(drill_id: str) -> Drill:
    """The drill with this id; also accepts ``butt-kicks``, ``Butt kicks`` and aliases.

    Raises :class:`InputError` listing the known ids.
    """
    key = _normalise(drill_id)
    key = _ALIASES.get(key, key)
    drill = DRILLS.get(key)
    if drill is None:
        raise InputError(f"Unknown drill {drill_id!r}", hint=f"Known drills: {', '.join(DRILLS)}.")
    return drill
