"""Warm-up routines per session kind and race distance, and race-day timing.

Policy (:func:`warmup_for_session`)
-----------------------------------
Sized to the session (a convention built on the sources below, not a trial result):

* Easy + strides: a short routine, 8–12 min (:data:`SHORT_WARMUP`): easy jog, leg swings,
  butt kicks and high knees before the strides; the strides are the session's fast part.
* Threshold, tempo, hills and marathon-pace work: a middle routine (about 17 min).
* Intervals, repetitions and race-pace work for goals up to the half: the full routine
  (about 24 min) with strides, the hardest efforts need the most priming.
* The race: by distance: 5K/10K (and shorter) a long, intense routine with strides; the
  half a middle one; the marathon a short, gentle one (glycogen matters more than priming
  speed). No distance means the 5K/10K routine.
* Every quality and race routine includes butt kicks. Easy, long and recovery runs get
  **no** separate warm-up (``None``): their first kilometre, run slower, is the warm-up.
  Rest days get ``None``.

Race-day timing (:func:`race_day_timeline`)
-------------------------------------------
The active warm-up ends :data:`TARGET_WARMUP_GAP_S` (10 min) before the gun, and never
more than :data:`MAX_WARMUP_GAP_S` (15 min): after it, keep moving.

* Muscle temperature falls about 0.1 °C per minute once a warm-up stops.
* Kapnia AK et al., *Res Q Exerc Sport* (2022): 9 min of rest after a warm-up cost 3.8 %
  of countermovement-jump height, 23 min cost 7.3 %.
* West DJ et al., *J Sci Med Sport* 16:172 (2013): a 20-min transition beat a 45-min one
  for swim performance.
* :data:`MIN_WARMUP_GAP_S` (5 min) is practical, not from a study: time to reach the line.

The popular claim that a warm-up "raises body temperature 2–3 % for 45 minutes" is not
supported by these studies: the effect starts to fade within minutes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from functools import cache
from typing import Any, Final

from stridelab.drills.catalogue import JOG_MET, WALK_MET, Drill, get_drill
from stridelab.errors import InputError
from stridelab.physiology.energy import EnergyBasis, MetValue, met_kcal
from stridelab.session_kinds import QUALITY_KINDS, SessionKind
from stridelab.units import format_duration

__all__ = [
    "MAX_WARMUP_GAP_S",
    "MIN_WARMUP_GAP_S",
    "TARGET_WARMUP_GAP_S",
    "BlockKind",
    "DrillDetail",
    "RaceCategory",
    "RaceDayTimeline",
    "TimelineStep",
    "TimelineStepKind",
    "Warmup",
    "WarmupBlock",
    "race_category",
    "race_day_timeline",
    "warmup_for_session",
    "warmup_options",
]

#: Longest gap between the end of the active warm-up and the start (Kapnia 2022, West 2013).
MAX_WARMUP_GAP_S: Final = 15 * 60.0
#: The gap stridelab plans for.
TARGET_WARMUP_GAP_S: Final = 10 * 60.0
#: Shortest gap: time to reach the start line (practical, not from a study).
MIN_WARMUP_GAP_S: Final = 5 * 60.0
#: Be at the start this long before the warm-up begins (bag drop, toilets).
ARRIVE_BEFORE_WARMUP_S: Final = 30 * 60.0
#: Be on the start line this long before the gun.
LINE_UP_BEFORE_START_S: Final = 3 * 60.0
#: One stride: about 20 s fast plus walk/jog-back recovery.
STRIDE_BLOCK_S: Final = 60.0
#: Goal distances up to this are "5K/10K" routines; up to HALF_MAX_M the half's.
SHORT_RACE_MAX_M: Final = 15_000.0
HALF_RACE_MAX_M: Final = 30_000.0


class BlockKind(StrEnum):
    """What a warm-up block is."""

    JOG = "jog"
    MOBILITY = "mobility"
    DRILL = "drill"
    STRIDES = "strides"


class DrillDetail(StrEnum):
    """How much of each drill :meth:`Warmup.as_dict` embeds."""

    FULL = "full"  # Drill.as_dict(): steps, faults, MET, evidence
    SUMMARY = "summary"  # Drill.as_summary_dict(): id, name, kind, dose, purpose, cues


class RaceCategory(StrEnum):
    """Which routine family a goal distance gets."""

    SHORT = "5k-10k"
    HALF = "half"
    MARATHON = "marathon"


def race_category(race_distance_m: float | None) -> RaceCategory:
    """5K/10K-type (≤ 15 km, or unknown), half (≤ 30 km) or marathon routine."""
    if race_distance_m is None or race_distance_m <= SHORT_RACE_MAX_M:
        return RaceCategory.SHORT
    if race_distance_m <= HALF_RACE_MAX_M:
        return RaceCategory.HALF
    return RaceCategory.MARATHON


@dataclass(frozen=True, slots=True)
class WarmupBlock:
    """One block of a warm-up. ``drill_id`` names the catalogue drill, if any.

    ``work_s`` is the time spent doing the drill itself; the rest of ``duration_s`` is
    walking back (``None``: the whole block is work).
    """

    name: str
    kind: BlockKind
    duration_s: float
    drill_id: str | None = None
    reps: str = ""
    notes: str = ""
    work_s: float | None = None

    @property
    def drill(self) -> Drill | None:
        """The catalogue drill this block uses, if any."""
        return get_drill(self.drill_id) if self.drill_id else None

    @property
    def met(self) -> MetValue:
        """MET of the working part: the drill's, or jogging for a jog block."""
        drill = self.drill
        return JOG_MET if drill is None else drill.met

    def kcal(self, mass_kg: float, basis: EnergyBasis = EnergyBasis.GROSS) -> float:
        """kcal of the block: work at :attr:`met`, the rest walking (Compendium 2011)."""
        work_s = self.duration_s if self.work_s is None else min(self.work_s, self.duration_s)
        rest_s = self.duration_s - work_s
        return met_kcal(self.met, mass_kg, work_s, basis) + met_kcal(
            WALK_MET, mass_kg, rest_s, basis
        )

    def as_dict(self) -> dict[str, Any]:
        """JSON-able form."""
        return {
            "name": self.name,
            "kind": self.kind.value,
            "duration_s": self.duration_s,
            "drill_id": self.drill_id,
            "reps": self.reps,
            "notes": self.notes,
            "work_s": self.duration_s if self.work_s is None else self.work_s,
            "met": self.met.as_dict(),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> WarmupBlock:
        """The block of :meth:`as_dict` (``met`` comes from the drill, so is not read)."""
        work = data.get("work_s")
        return cls(
            name=str(data["name"]),
            kind=BlockKind(data["kind"]),
            duration_s=float(data["duration_s"]),
            drill_id=data.get("drill_id"),
            reps=str(data.get("reps", "")),
            notes=str(data.get("notes", "")),
            work_s=None if work is None else float(work),
        )


@dataclass(frozen=True, slots=True)
class Warmup:
    """A warm-up routine: ordered blocks; its duration is their sum."""

    name: str
    blocks: tuple[WarmupBlock, ...]

    @property
    def duration_s(self) -> float:
        """Total duration of the blocks."""
        return float(sum(b.duration_s for b in self.blocks))

    @property
    def jog_s(self) -> float:
        """Time of the easy-jog blocks (the part a plan writes as its warm-up step)."""
        return float(sum(b.duration_s for b in self.blocks if b.kind is BlockKind.JOG))

    @property
    def drills(self) -> tuple[Drill, ...]:
        """The catalogue drills used, in order of first use, without repeats."""
        seen: dict[str, Drill] = {}
        for block in self.blocks:
            drill = block.drill
            if drill is not None and drill.id not in seen:
                seen[drill.id] = drill
        return tuple(seen.values())

    def kcal(self, mass_kg: float, basis: EnergyBasis = EnergyBasis.GROSS) -> float:
        """Estimated kcal of the whole routine (Compendium 2011 MET proxies)."""
        return float(sum(b.kcal(mass_kg, basis) for b in self.blocks))

    def as_dict(self, detail: DrillDetail = DrillDetail.FULL) -> dict[str, Any]:
        """``{"name", "duration_s", "drills": [drill.as_dict()...], "blocks": [...]}``.

        ``DrillDetail.SUMMARY`` embeds the short drill form (for plans with many sessions).
        """
        return {
            "name": self.name,
            "duration_s": self.duration_s,
            "jog_s": self.jog_s,
            "drills": [
                d.as_dict() if detail is DrillDetail.FULL else d.as_summary_dict()
                for d in self.drills
            ],
            "blocks": [b.as_dict() for b in self.blocks],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Warmup:
        """The routine of :meth:`as_dict`, from its blocks (drills come from the catalogue,
        so a stored routine that kept only the drills' ids and names loads whole)."""
        return cls(
            str(data.get("name", "Warm-up")),
            tuple(WarmupBlock.from_dict(b) for b in data.get("blocks", ())),
        )


@dataclass(frozen=True, slots=True)
class _Recipe:
    jog_s: float
    mobility: tuple[str, ...]
    drills: tuple[str, ...]
    strides: int


_FULL_DRILLS: Final = ("butt_kicks", "high_knees", "a_skip", "b_skip", "carioca")
_ALL_MOBILITY: Final = ("leg_swings", "hip_flexor_mobility", "quadriceps_mobility")

#: Session warm-ups by size (module docstring): easy + strides, middle, full.
SHORT_WARMUP: Final = _Recipe(6 * 60.0, ("leg_swings",), ("butt_kicks", "high_knees"), 0)
MIDDLE_WARMUP: Final = _Recipe(
    10 * 60.0, _ALL_MOBILITY[:2], ("butt_kicks", "high_knees", "a_skip"), 2
)
FULL_WARMUP: Final = _Recipe(12 * 60.0, _ALL_MOBILITY, _FULL_DRILLS, 4)
_FULL_KINDS: Final = frozenset(
    {SessionKind.INTERVALS, SessionKind.REPETITIONS, SessionKind.TIME_TRIAL}
)
_RACE_RECIPES: Final[dict[RaceCategory, _Recipe]] = {
    RaceCategory.SHORT: _Recipe(12 * 60.0, _ALL_MOBILITY[:2], _FULL_DRILLS, 4),
    RaceCategory.HALF: _Recipe(8 * 60.0, ("leg_swings",), ("butt_kicks", "high_knees"), 2),
    RaceCategory.MARATHON: _Recipe(5 * 60.0, ("leg_swings",), ("butt_kicks",), 0),
}


@cache
def _build(name: str, recipe: _Recipe, *, strides: bool) -> Warmup:
    blocks = [
        WarmupBlock(
            "Easy jog",
            BlockKind.JOG,
            recipe.jog_s,
            notes="Conversational, slower than easy pace at first.",
        )
    ]
    for drill_id in recipe.mobility:
        d = get_drill(drill_id)
        blocks.append(
            WarmupBlock(d.name, BlockKind.MOBILITY, d.default_duration_s, d.id, reps=d.dose)
        )
    for drill_id in recipe.drills:
        d = get_drill(drill_id)
        # The dose's efforts plus the walk back: twice the drill's working time.
        blocks.append(
            WarmupBlock(
                d.name,
                BlockKind.DRILL,
                2 * d.default_duration_s,
                d.id,
                reps=d.dose,
                work_s=d.default_duration_s,
            )
        )
    if strides and recipe.strides:
        blocks.append(
            WarmupBlock(
                "Strides",
                BlockKind.STRIDES,
                recipe.strides * STRIDE_BLOCK_S,
                "strides",
                reps=f"{recipe.strides} × 15–20 s",
                notes="Relaxed, up to about 5K pace; walk back.",
            )
        )
    return Warmup(name, tuple(blocks))


def _race_warmup(category: RaceCategory) -> Warmup:
    return _build(f"Race warm-up ({category.value})", _RACE_RECIPES[category], strides=True)


def _check_kind(kind: str) -> SessionKind:
    key = str(kind).strip().lower().replace("-", "_")
    try:
        return SessionKind(key)
    except ValueError:
        raise InputError(
            f"Unknown session kind {kind!r}",
            hint=f"Use one of: {', '.join(sorted(k.value for k in SessionKind))}.",
        ) from None


def warmup_for_session(
    kind: SessionKind | str, race_distance_m: float | None = None
) -> Warmup | None:
    """The warm-up for a session of ``kind`` in a plan for ``race_distance_m`` (module policy).

    ``None`` for easy, long, recovery and rest. ``kind`` is a :class:`SessionKind` or its
    value as a string; unknown kinds raise :class:`InputError`.
    """
    key = _check_kind(kind)
    category = race_category(race_distance_m)
    if key is SessionKind.RACE:
        return _race_warmup(category)
    if key not in QUALITY_KINDS and key is not SessionKind.TIME_TRIAL:
        return None
    if key is SessionKind.STRIDES:
        return _build("Short warm-up (easy + strides)", SHORT_WARMUP, strides=False)
    full = key in _FULL_KINDS or (
        key is SessionKind.RACE_PACE and category is not RaceCategory.MARATHON
    )
    if full:
        return _build("Full warm-up (intervals, repetitions)", FULL_WARMUP, strides=True)
    return _build("Warm-up (threshold, hills, steady)", MIDDLE_WARMUP, strides=True)


def warmup_options(
    kind: SessionKind | str, race_distance_m: float | None = None
) -> tuple[Warmup, ...]:
    """The routine for ``kind`` (:func:`warmup_for_session`) and then the smaller session
    routines, largest first: a plan picks the largest that stays within a third of a short
    session. Every option includes butt kicks. Empty for kinds without a warm-up; the race
    has its one routine."""
    first = warmup_for_session(kind, race_distance_m)
    if first is None:
        return ()
    if _check_kind(kind) is SessionKind.RACE:
        return (first,)
    smaller = (
        _build("Warm-up (threshold, hills, steady)", MIDDLE_WARMUP, strides=True),
        _build("Short warm-up (easy + strides)", SHORT_WARMUP, strides=False),
    )
    return (first, *(w for w in smaller if w.duration_s < first.duration_s))


class TimelineStepKind(StrEnum):
    """What happens in a race-day timeline step."""

    ARRIVE = "arrive"
    JOG = "jog"
    MOBILITY = "mobility"
    DRILL = "drill"
    STRIDES = "strides"
    KEEP_MOVING = "keep_moving"
    LINE_UP = "line_up"
    START = "start"


@dataclass(frozen=True, slots=True)
class TimelineStep:
    """One step of race morning, with absolute start and end times."""

    starts_at: datetime
    ends_at: datetime
    kind: TimelineStepKind
    what: str
    drill_id: str | None = None
    notes: str = ""

    @property
    def duration_s(self) -> float:
        """Length of the step."""
        return (self.ends_at - self.starts_at).total_seconds()

    def as_dict(self) -> dict[str, Any]:
        """JSON-able form; times are ISO 8601 with their UTC offset."""
        return {
            "starts_at": self.starts_at.isoformat(),
            "ends_at": self.ends_at.isoformat(),
            "duration_s": self.duration_s,
            "kind": self.kind.value,
            "what": self.what,
            "drill_id": self.drill_id,
            "notes": self.notes,
        }


@dataclass(frozen=True, slots=True)
class RaceDayTimeline:
    """Race morning: arrive, warm up, keep moving, line up, start."""

    race_distance_m: float
    start: datetime
    warmup: Warmup
    steps: tuple[TimelineStep, ...]
    warmup_ends_at: datetime

    @property
    def gap_s(self) -> float:
        """Seconds from the end of the active warm-up to the start."""
        return (self.start - self.warmup_ends_at).total_seconds()

    def as_dict(self) -> dict[str, Any]:
        """JSON-able form, with the window used and its sources."""
        return {
            "race_distance_m": self.race_distance_m,
            "start": self.start.isoformat(),
            "warmup_starts_at": self.steps[1].starts_at.isoformat(),
            "warmup_ends_at": self.warmup_ends_at.isoformat(),
            "gap_s": self.gap_s,
            "window_s": {"min": MIN_WARMUP_GAP_S, "max": MAX_WARMUP_GAP_S},
            "window_source": (
                "Muscle temperature falls ~0.1 °C/min after a warm-up; Kapnia et al. 2022 "
                "(9 min idle −3.8 %, 23 min −7.3 % jump height); West et al. 2013 (20 min "
                "beat 45 min). The '2–3 % for 45 minutes' claim is not supported."
            ),
            "warmup": self.warmup.as_dict(),
            "steps": [s.as_dict() for s in self.steps],
        }


_STEP_KIND: Final = {
    BlockKind.JOG: TimelineStepKind.JOG,
    BlockKind.MOBILITY: TimelineStepKind.MOBILITY,
    BlockKind.DRILL: TimelineStepKind.DRILL,
    BlockKind.STRIDES: TimelineStepKind.STRIDES,
}


def race_day_timeline(
    race_distance_m: float, start: datetime, gap_s: float = TARGET_WARMUP_GAP_S
) -> RaceDayTimeline:
    """Race-morning timeline ending the active warm-up ``gap_s`` before ``start``.

    ``gap_s`` must lie in [:data:`MIN_WARMUP_GAP_S`, :data:`MAX_WARMUP_GAP_S`] (5–15 min;
    see the module docstring for the sources). A naive ``start`` is taken as the
    computer's local time; the steps keep ``start``'s time zone.
    """
    if race_distance_m <= 0:
        raise InputError("The race distance must be positive", hint="Give e.g. 10k.")
    if not MIN_WARMUP_GAP_S <= gap_s <= MAX_WARMUP_GAP_S:
        raise InputError(
            f"A {format_duration(gap_s)} gap between warm-up and start is outside "
            f"{format_duration(MIN_WARMUP_GAP_S)}–{format_duration(MAX_WARMUP_GAP_S)} min",
            hint="Finish the warm-up 5–15 min before the start; if the corral closes "
            "earlier, keep jogging on the spot and swinging the legs inside it.",
        )
    if start.tzinfo is None:
        start = start.astimezone()
    warmup = _race_warmup(race_category(race_distance_m))
    ends_at = start - timedelta(seconds=gap_s)
    t = ends_at - timedelta(seconds=warmup.duration_s)
    steps = [
        TimelineStep(
            t - timedelta(seconds=ARRIVE_BEFORE_WARMUP_S),
            t,
            TimelineStepKind.ARRIVE,
            "Arrive: bib, bag drop, toilets",
            notes="Eat and drink as you practised in training.",
        )
    ]
    for block in warmup.blocks:
        nxt = t + timedelta(seconds=block.duration_s)
        steps.append(
            TimelineStep(
                t,
                nxt,
                _STEP_KIND[block.kind],
                block.name,
                block.drill_id,
                block.reps or block.notes,
            )
        )
        t = nxt
    line_up = start - timedelta(seconds=min(LINE_UP_BEFORE_START_S, gap_s))
    steps.append(
        TimelineStep(
            ends_at,
            line_up,
            TimelineStepKind.KEEP_MOVING,
            "Keep moving: walk, jog on the spot, leg swings",
            notes="Muscle temperature falls about 0.1 °C per minute once you stop.",
        )
    )
    steps.append(TimelineStep(line_up, start, TimelineStepKind.LINE_UP, "On the start line"))
    steps.append(TimelineStep(start, start, TimelineStepKind.START, "Start"))
    return RaceDayTimeline(race_distance_m, start, warmup, tuple(steps), ends_at)
