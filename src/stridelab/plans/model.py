"""The plan's domain values: what a runner asks for and the weeks and sessions they get.

Everything is SI (metres, seconds, seconds per km) with the unit in the name.
:class:`PlanRequest` is the input, :class:`Plan` the output; ``Plan.as_dict()`` is the
``stridelab plan --json`` contract::

    {"goal": {...}, "total_distance_m": float,
     "weeks": [{"start": "YYYY-MM-DD", "phase": str, "distance_m": float,
                "sessions": [{"date": "YYYY-MM-DD", "kind": str, "distance_m": float,
                              "duration_s": float, "total_duration_s": float,
                              "warmup": {...} | null, "steps": [...]}]}],
     "notes": [str]}

``duration_s`` is the time of the session's steps; ``total_duration_s`` adds the warm-up
routine's drills and strides (its jog is the first step). Totals (a week's ``distance_m``
and ``load_rtss``, the plan's ``total_distance_m``) are sums of the rounded parts shown, so
the JSON adds up and ``Plan.from_dict(p.as_dict()).as_dict() == p.as_dict()``: each value
has a ``from_dict`` that reads its ``as_dict`` back (the coach stores plans that way), with
defaults for keys that older stored plans lack.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import IntEnum, StrEnum
from typing import Any, Final, Protocol

from stridelab.errors import InputError
from stridelab.session_kinds import QUALITY_KINDS, SessionKind
from stridelab.units import M_PER_KM, Range, check_date, distance_label

__all__ = [
    "AGE_YEARS_RANGE",
    "MAX_WEEKLY_RAMP",
    "MIN_CURRENT_WEEKLY_M",
    "QUALITY_KINDS",
    "WORKOUT_KINDS",
    "Baseline",
    "BaselineWeek",
    "Feasibility",
    "Goal",
    "Measure",
    "Phase",
    "Plan",
    "PlanRequest",
    "Program",
    "RecentRace",
    "Session",
    "SessionKind",
    "Step",
    "StepKind",
    "WarmupRoutine",
    "Week",
    "Weekday",
    "next_monday",
]

#: Default cap on week-over-week volume increase (the "10% rule"). A configurable default,
#: not settled science: Buist et al. 2008 (AJSM) found no injury difference against faster
#: progression; Nielsen et al. 2014 (JOSPT) saw more injuries above +30% over two weeks.
MAX_WEEKLY_RAMP: Final = 0.10
#: The least current volume a plan builds on; below it, start with a run/walk programme.
MIN_CURRENT_WEEKLY_M: Final = 5_000.0
#: Current weekly volumes a plan starts from (km): elite marathoners peak near 250.
CURRENT_WEEKLY_KM_RANGE: Final = Range(MIN_CURRENT_WEEKLY_M / M_PER_KM, 300.0, "km")
#: The longest recent run a plan takes as given (km): a 100 km ultra.
RECENT_LONG_RUN_KM_RANGE: Final = Range(0.5, 100.0, "km")
MIN_DAYS_PER_WEEK: Final = 3
MAX_DAYS_PER_WEEK: Final = 7
#: Sessions that get a watch workout besides the quality ones (walk-run steps, time trials).
WORKOUT_KINDS: Final = frozenset({SessionKind.RUN_WALK, SessionKind.TIME_TRIAL})
#: Accepted range for ``max_weekly_ramp`` (fraction per week).
RAMP_RANGE: Final = (0.02, 0.5)
#: Ages a plan accepts (whole years); see :mod:`stridelab.plans.recovery` for what age changes.
AGE_YEARS_RANGE: Final = Range(10, 100, "years", integer=True)


class Weekday(IntEnum):
    """Days of the week, Monday = 0 as in :meth:`datetime.date.weekday`."""

    MON = 0
    TUE = 1
    WED = 2
    THU = 3
    FRI = 4
    SAT = 5
    SUN = 6


class Phase(StrEnum):
    """Periodisation phase of a week."""

    BASE = "base"
    BUILD = "build"
    PEAK = "peak"
    TAPER = "taper"
    RACE = "race"


class StepKind(StrEnum):
    """Kind of a structured workout step (as FIT ``intensity``, plus ``repeat``)."""

    WARMUP = "warmup"
    ACTIVE = "active"
    RECOVERY = "recovery"
    COOLDOWN = "cooldown"
    REPEAT = "repeat"


class Measure(StrEnum):
    """What ends a step: its distance or its duration."""

    DISTANCE = "distance"
    TIME = "time"


class WarmupRoutine(Protocol):
    """A warm-up routine with drills (``stridelab.drills.warmup.Warmup`` satisfies it)."""

    @property
    def duration_s(self) -> float: ...

    @property
    def jog_s(self) -> float: ...

    def as_dict(self) -> dict[str, Any]: ...


@dataclass(frozen=True, slots=True)
class Step:
    """One step of a structured workout.

    Both ``distance_m`` and ``duration_s`` are filled (one is the estimate of the other at
    the step's pace); ``measure`` says which one ends the step. A ``REPEAT`` step runs its
    child ``steps`` ``repeat`` times; its distance and duration are the totals.
    ``pace_fast_s_per_km`` ≤ ``pace_slow_s_per_km`` bound the target pace, or are ``None``
    for effort-only steps (hills).
    """

    kind: StepKind
    measure: Measure
    distance_m: float
    duration_s: float
    pace_fast_s_per_km: float | None = None
    pace_slow_s_per_km: float | None = None
    repeat: int = 1
    steps: tuple[Step, ...] = ()
    note: str = ""

    def as_dict(self) -> dict[str, Any]:
        """JSON form: ``{"kind", "measure", "distance_m", "duration_s", "pace_s_per_km", ...}``."""
        out: dict[str, Any] = {
            "kind": self.kind.value,
            "measure": self.measure.value,
            "distance_m": round(self.distance_m, 1),
            "duration_s": round(self.duration_s, 1),
            "pace_s_per_km": (
                None
                if self.pace_fast_s_per_km is None or self.pace_slow_s_per_km is None
                else [round(self.pace_fast_s_per_km, 1), round(self.pace_slow_s_per_km, 1)]
            ),
            "note": self.note,
        }
        if self.kind is StepKind.REPEAT:
            out["repeat"] = self.repeat
            out["steps"] = [s.as_dict() for s in self.steps]
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Step:
        """The step of :meth:`as_dict`."""
        pace = data.get("pace_s_per_km")
        return cls(
            kind=StepKind(data["kind"]),
            measure=Measure(data["measure"]),
            distance_m=float(data["distance_m"]),
            duration_s=float(data["duration_s"]),
            pace_fast_s_per_km=None if pace is None else float(pace[0]),
            pace_slow_s_per_km=None if pace is None else float(pace[1]),
            repeat=int(data.get("repeat", 1)),
            steps=tuple(cls.from_dict(s) for s in data.get("steps", ())),
            note=str(data.get("note", "")),
        )


@dataclass(frozen=True, slots=True)
class Session:
    """One day of the plan. Rest days are sessions of kind ``REST`` with zero distance."""

    date: dt.date
    kind: SessionKind
    distance_m: float
    duration_s: float
    title: str
    description: str
    steps: tuple[Step, ...] = ()
    warmup: WarmupRoutine | None = None
    load_rtss: float = 0.0

    @property
    def is_quality(self) -> bool:
        """True for sessions with a fast part (they carry a warm-up and a FIT workout)."""
        return self.kind in QUALITY_KINDS

    @property
    def total_duration_s(self) -> float:
        """Time of the whole session: its steps plus the warm-up's drills and strides.

        The warm-up's easy jog is already the session's first step, so only the rest of the
        routine is added.
        """
        if self.warmup is None:
            return self.duration_s
        return self.duration_s + self.warmup.duration_s - self.warmup.jog_s

    def as_dict(self) -> dict[str, Any]:
        """JSON form of the session (see the module docstring)."""
        return {
            "date": self.date.isoformat(),
            "kind": self.kind.value,
            "distance_m": round(self.distance_m, 1),
            "duration_s": round(self.duration_s, 1),
            "total_duration_s": round(self.total_duration_s, 1),
            "load_rtss": round(self.load_rtss, 1),
            "title": self.title,
            "description": self.description,
            "warmup": None if self.warmup is None else self.warmup.as_dict(),
            "steps": [s.as_dict() for s in self.steps],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Session:
        """The session of :meth:`as_dict` (``total_duration_s`` is derived, so not read).

        The warm-up is rebuilt from its blocks (:meth:`stridelab.drills.warmup.Warmup.from_dict`),
        its drills from the catalogue.
        """
        from stridelab.drills.warmup import Warmup

        warmup = data.get("warmup")
        kind = SessionKind(data["kind"])
        return cls(
            date=_as_date(data["date"]),
            kind=kind,
            distance_m=float(data["distance_m"]),
            duration_s=float(data["duration_s"]),
            title=str(data.get("title", kind.value)),
            description=str(data.get("description", "")),
            steps=tuple(Step.from_dict(s) for s in data.get("steps", ())),
            warmup=Warmup.from_dict(warmup) if warmup else None,
            load_rtss=float(data.get("load_rtss") or 0.0),
        )


@dataclass(frozen=True, slots=True)
class Week:
    """A 7-day block of the plan.

    ``training_distance_m`` is the optimised weekly volume (everything but the race: the
    race-week rule "at most 60 % of peak" applies to it); ``distance_m`` is everything run
    that week, the race included. ``explanation`` says in full why the week has its volume,
    ``summary`` in a few words (``"ramp +10%"``, ``"cutback −20%"``) for tables.
    ``lead_in`` marks the partial first week before the first full week (weeks are counted
    back from race day); it holds the runner's usual running.
    """

    index: int
    start: dt.date
    phase: Phase
    cutback: bool
    training_distance_m: float
    long_run_m: float
    sessions: tuple[Session, ...]
    explanation: str
    summary: str = ""
    lead_in: bool = False

    @property
    def distance_m(self) -> float:
        """Everything run this week, the race included."""
        return sum(s.distance_m for s in self.sessions)

    @property
    def load_rtss(self) -> float:
        """Training load of the week (rTSS-like: 100 = one hour at threshold pace)."""
        return sum(s.load_rtss for s in self.sessions)

    def as_dict(self) -> dict[str, Any]:
        """JSON form of the week."""
        return {
            "index": self.index,
            "start": self.start.isoformat(),
            "phase": self.phase.value,
            "cutback": self.cutback,
            "lead_in": self.lead_in,
            "distance_m": _sum_1dp(s.distance_m for s in self.sessions),
            "training_distance_m": round(self.training_distance_m, 1),
            "long_run_m": round(self.long_run_m, 1),
            "load_rtss": _sum_1dp(s.load_rtss for s in self.sessions),
            "summary": self.summary,
            "explanation": self.explanation,
            "sessions": [s.as_dict() for s in self.sessions],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], index: int = 0) -> Week:
        """The week of :meth:`as_dict`; ``index`` stands in when an old stored week has none.

        ``distance_m`` and ``load_rtss`` are sums of the sessions, so not read; an old week
        without ``training_distance_m`` takes its distance without the race.
        """
        sessions = tuple(Session.from_dict(s) for s in data.get("sessions", ()))
        training = data.get("training_distance_m")
        if training is None:
            training = sum(s.distance_m for s in sessions if s.kind is not SessionKind.RACE)
        long_run = data.get("long_run_m")
        if long_run is None:
            long_run = max(
                (s.distance_m for s in sessions if s.kind is SessionKind.LONG), default=0.0
            )
        return cls(
            index=int(data.get("index", index)),
            start=_as_date(data["start"]),
            phase=Phase(data["phase"]),
            cutback=bool(data.get("cutback", False)),
            training_distance_m=float(training),
            long_run_m=float(long_run),
            sessions=sessions,
            explanation=str(data.get("explanation", "")),
            summary=str(data.get("summary", "")),
            lead_in=bool(data.get("lead_in", False)),
        )


class Feasibility(StrEnum):
    """How a goal time compares with current fitness and the weeks available
    (:func:`stridelab.plans.feasibility.assess_goal` states the rule)."""

    REALISTIC = "realistic"
    AMBITIOUS = "ambitious"
    OUT_OF_REACH = "out_of_reach"


@dataclass(frozen=True, slots=True)
class Goal:
    """The race: distance, date, and the time aimed for (or predicted from current fitness).

    ``vdot`` and ``predicted_time_s`` are ``None`` for a Couch to 5K plan (no fitness is
    known before its closing time trial, which is then the "race"). ``feasibility`` rates a
    given ``goal_time_s``; race-pace work and the race target use the goal time only when it
    is realistic, else the prediction from current fitness.
    """

    distance_m: float
    race_date: dt.date
    vdot: float | None
    predicted_time_s: float | None
    goal_time_s: float | None = None
    feasibility: Feasibility | None = None

    @property
    def target_time_s(self) -> float | None:
        """The time trained and raced at: the goal time when given and realistic, else the
        prediction from current fitness (``None`` without either)."""
        use_goal = self.goal_time_s is not None and self.feasibility in (
            None,
            Feasibility.REALISTIC,
        )
        return self.goal_time_s if use_goal else self.predicted_time_s

    @property
    def race_pace_s_per_km(self) -> float | None:
        """Pace of the target time over the race distance."""
        target = self.target_time_s
        return None if target is None else target / (self.distance_m / M_PER_KM)

    def as_dict(self) -> dict[str, Any]:
        """JSON form of the goal (the race pace from the target time as shown, 0.1 s)."""
        target = self.target_time_s
        pace = None if target is None else round(target, 1) / (self.distance_m / M_PER_KM)
        return {
            "distance_m": self.distance_m,
            "label": distance_label(self.distance_m),
            "race_date": self.race_date.isoformat(),
            "vdot": None if self.vdot is None else round(self.vdot, 2),
            "predicted_time_s": (
                None if self.predicted_time_s is None else round(self.predicted_time_s, 1)
            ),
            "goal_time_s": None if self.goal_time_s is None else round(self.goal_time_s, 1),
            "race_pace_s_per_km": None if pace is None else round(pace, 1),
            "feasibility": None if self.feasibility is None else self.feasibility.value,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Goal:
        """The goal of :meth:`as_dict` (``label`` and ``race_pace_s_per_km`` are derived)."""
        feasibility = data.get("feasibility")
        return cls(
            distance_m=float(data["distance_m"]),
            race_date=_as_date(data["race_date"]),
            vdot=_float_or_none(data.get("vdot")),
            predicted_time_s=_float_or_none(data.get("predicted_time_s")),
            goal_time_s=_float_or_none(data.get("goal_time_s")),
            feasibility=None if feasibility is None else Feasibility(feasibility),
        )


class Program(StrEnum):
    """What kind of plan it is: a race plan, or the Couch to 5K walk-run programme."""

    RACE = "race"
    COUCH_TO_5K = "couch_to_5k"


@dataclass(frozen=True, slots=True)
class BaselineWeek:
    """One week of the comparison plan (metres; the race excluded from ``distance_m``)."""

    start: dt.date
    distance_m: float
    long_run_m: float

    def as_dict(self) -> dict[str, Any]:
        """JSON form: ``{"start", "distance_m", "long_run_m"}``."""
        return {
            "start": self.start.isoformat(),
            "distance_m": round(self.distance_m, 1),
            "long_run_m": round(self.long_run_m, 1),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> BaselineWeek:
        """The week of :meth:`as_dict`."""
        return cls(_as_date(data["start"]), float(data["distance_m"]), float(data["long_run_m"]))


@dataclass(frozen=True, slots=True)
class Baseline:
    """The published plan family that matches the runner, week by week, for comparison
    (:mod:`stridelab.plans.baseline`)."""

    family: str
    name: str
    weeks: tuple[BaselineWeek, ...]
    race_distance_m: float
    why: str = ""

    @property
    def total_distance_m(self) -> float:
        """Everything the family's plan asks for, the race included."""
        return sum(w.distance_m for w in self.weeks) + self.race_distance_m

    def as_dict(self) -> dict[str, Any]:
        """JSON form: ``{"family", "name", "why", "total_distance_m", "weeks": [...]}``."""
        return {
            "family": self.family,
            "name": self.name,
            "why": self.why,
            "total_distance_m": round(self.total_distance_m, 1),
            "weeks": [w.as_dict() for w in self.weeks],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Baseline:
        """The baseline of :meth:`as_dict`; the race is what the total holds beyond the weeks."""
        weeks = tuple(BaselineWeek.from_dict(w) for w in data.get("weeks", ()))
        race_m = float(data["total_distance_m"]) - sum(round(w.distance_m, 1) for w in weeks)
        return cls(
            family=str(data["family"]),
            name=str(data.get("name", data["family"])),
            weeks=weeks,
            race_distance_m=race_m,
            why=str(data.get("why", "")),
        )


@dataclass(frozen=True, slots=True)
class Plan:
    """A training plan: the goal, the weeks, and how it compares with the published plan
    family that matches the runner (``baseline``)."""

    goal: Goal
    weeks: tuple[Week, ...]
    paces_s_per_km: Mapping[str, float | list[float]]
    baseline_total_distance_m: float
    max_weekly_ramp: float
    notes: tuple[str, ...] = ()
    baseline: Baseline | None = None
    program: Program = Program.RACE

    @property
    def total_distance_m(self) -> float:
        """Everything the plan asks the runner to run, the race included."""
        return sum(w.distance_m for w in self.weeks)

    @property
    def sessions(self) -> tuple[Session, ...]:
        """All sessions in date order."""
        return tuple(s for w in self.weeks for s in w.sessions)

    @property
    def quality_sessions(self) -> tuple[Session, ...]:
        """Sessions with a fast part, in date order."""
        return tuple(s for s in self.sessions if s.is_quality)

    @property
    def workout_sessions(self) -> tuple[Session, ...]:
        """Sessions worth a structured watch workout: quality, run/walk and time trials."""
        return tuple(s for s in self.sessions if s.is_quality or s.kind in WORKOUT_KINDS)

    def as_dict(self) -> dict[str, Any]:
        """The ``stridelab plan --json`` contract (see the module docstring)."""
        data = self.summary_dict()
        notes = data.pop("notes")  # the contract's key order: weeks, then notes
        return {**data, "weeks": [w.as_dict() for w in self.weeks], "notes": notes}

    def summary_dict(self) -> dict[str, Any]:
        """:meth:`as_dict` without the weeks (cheaper, for pages that show them otherwise)."""
        weeks_m = (_sum_1dp(s.distance_m for s in w.sessions) for w in self.weeks)
        total = round(sum(weeks_m), 1)
        baseline_total = round(self.baseline_total_distance_m, 1)
        return {
            "program": self.program.value,
            "goal": self.goal.as_dict(),
            "total_distance_m": total,
            "baseline_total_distance_m": baseline_total,
            "saved_distance_m": round(baseline_total - total, 1),
            "baseline": None if self.baseline is None else self.baseline.as_dict(),
            "max_weekly_ramp": self.max_weekly_ramp,
            "paces_s_per_km": dict(self.paces_s_per_km),
            "notes": list(self.notes),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Plan:
        """The plan of :meth:`as_dict` (the storage edge: the coach keeps plans as JSON).

        Totals are derived, so not read; keys a plan stored by an older version lacks take
        their defaults (no ``program``: a race plan; no ``baseline``: none; no
        ``baseline_total_distance_m``: the plan's own total; no ``max_weekly_ramp``:
        :data:`MAX_WEEKLY_RAMP`). Keys this class does not know are ignored.
        """
        weeks = tuple(Week.from_dict(w, i) for i, w in enumerate(data.get("weeks", ())))
        baseline = data.get("baseline")
        baseline_total = data.get("baseline_total_distance_m")
        if baseline_total is None:
            baseline_total = sum(w.distance_m for w in weeks)
        return cls(
            goal=Goal.from_dict(data["goal"]),
            weeks=weeks,
            paces_s_per_km=dict(data.get("paces_s_per_km") or {}),
            baseline_total_distance_m=float(baseline_total),
            max_weekly_ramp=float(data.get("max_weekly_ramp", MAX_WEEKLY_RAMP)),
            notes=tuple(str(n) for n in data.get("notes", ())),
            baseline=None if baseline is None else Baseline.from_dict(baseline),
            program=Program(data.get("program", Program.RACE)),
        )


@dataclass(frozen=True, slots=True)
class RecentRace:
    """A recent all-out race result, used to estimate current fitness (VDOT)."""

    distance_m: float
    time_s: float


def next_monday(today: dt.date) -> dt.date:
    """The Monday after ``today`` (a week later when ``today`` is a Monday)."""
    return today + dt.timedelta(days=7 - today.weekday())


@dataclass(frozen=True, slots=True)
class PlanRequest:
    """What a runner asks for. Validated on construction (raises :class:`InputError`).

    Give current fitness as ``recent_race`` or as ``vdot`` (exactly one). ``start_date``
    defaults to the Monday after "today" (injectable in :func:`generate_plan`).
    ``recent_long_run_m`` is the longest run of the last 30 days; when unknown it is
    estimated as :data:`stridelab.plans.targets.DEFAULT_LONG_RUN_SHARE` of the weekly volume.
    ``current_quality_per_week`` is how many hard sessions a usual week holds now (a floor
    until the taper). A long-run day that is also unavailable moves to the nearest free day
    (the plan's ``notes`` say so). ``age_years`` (optional) and ``returning`` (back after a
    break or injury) give longer recovery (:mod:`stridelab.plans.recovery`).
    """

    goal_distance_m: float
    race_date: dt.date
    days_per_week: int
    current_weekly_m: float
    recent_race: RecentRace | None = None
    vdot: float | None = None
    goal_time_s: float | None = None
    start_date: dt.date | None = None
    long_run_weekday: Weekday = Weekday.SUN
    unavailable_weekdays: frozenset[Weekday] = field(default_factory=frozenset)
    max_weekly_ramp: float = MAX_WEEKLY_RAMP
    recent_long_run_m: float | None = None
    current_quality_per_week: int = 0
    age_years: int | None = None
    returning: bool = False

    def __post_init__(self) -> None:
        if (self.recent_race is None) == (self.vdot is None):
            raise InputError(
                "Give current fitness as a recent race or a VDOT, not both or neither",
                hint="Use e.g. --recent 5k=24:30.",
            )
        if not MIN_DAYS_PER_WEEK <= self.days_per_week <= MAX_DAYS_PER_WEEK:
            raise InputError(
                f"{self.days_per_week} running day(s) per week is not supported",
                hint=f"Choose {MIN_DAYS_PER_WEEK} to {MAX_DAYS_PER_WEEK} days per week.",
            )
        if self.current_weekly_m < MIN_CURRENT_WEEKLY_M:
            raise InputError(
                f"A plan builds on running you already do; {self.current_weekly_m / M_PER_KM:.1f} "
                f"km/week is below {MIN_CURRENT_WEEKLY_M / M_PER_KM:.0f} km/week",
                hint="Build up with a run/walk programme first, or give your real weekly km.",
            )
        lo, hi = RAMP_RANGE
        if not lo <= self.max_weekly_ramp <= hi:
            raise InputError(
                f"A weekly ramp of {self.max_weekly_ramp:.0%} is outside {lo:.0%}–{hi:.0%}",
                hint="Use e.g. --max-ramp 0.1 for 10% per week.",
            )
        if not 0 <= self.current_quality_per_week <= MAX_DAYS_PER_WEEK:
            raise InputError(
                f"{self.current_quality_per_week} quality sessions per week is outside 0–7",
                hint="Count the hard sessions (intervals, tempo, hills) of a usual week.",
            )
        free = 7 - len(self.unavailable_weekdays)
        if free < self.days_per_week:
            raise InputError(
                f"{self.days_per_week} running days per week but only {free} weekdays are free",
                hint="Lower --days-per-week or remove days from --unavailable.",
            )
        if self.recent_long_run_m is not None and self.recent_long_run_m <= 0:
            raise InputError("The recent long run must be positive", hint="Give it in km.")
        if self.start_date is not None and self.race_date <= self.start_date:
            raise InputError(
                f"The race date {self.race_date} is not after the start {self.start_date}",
                hint="Give a race date later than --start.",
            )
        CURRENT_WEEKLY_KM_RANGE.check(self.current_weekly_m / M_PER_KM, "current weekly km")
        if self.recent_long_run_m is not None:
            RECENT_LONG_RUN_KM_RANGE.check(self.recent_long_run_m / M_PER_KM, "recent long run km")
        if self.age_years is not None:
            AGE_YEARS_RANGE.check(self.age_years, "age")
        for day, what in ((self.race_date, "race date"), (self.start_date, "start date")):
            if day is not None:
                check_date(day, what)

    @property
    def goal_label(self) -> str:
        """``"10k"``, ``"marathon"``, or e.g. ``"8.0 km"``."""
        return distance_label(self.goal_distance_m)

    def as_dict(self) -> dict[str, Any]:
        """JSON form (stored with a saved plan, so that it can be regenerated later)."""
        race = self.recent_race
        return {
            "goal_distance_m": self.goal_distance_m,
            "race_date": self.race_date.isoformat(),
            "days_per_week": self.days_per_week,
            "current_weekly_m": self.current_weekly_m,
            "recent_race": None
            if race is None
            else {"distance_m": race.distance_m, "time_s": race.time_s},
            "vdot": self.vdot,
            "goal_time_s": self.goal_time_s,
            "start_date": None if self.start_date is None else self.start_date.isoformat(),
            "long_run_weekday": int(self.long_run_weekday),
            "unavailable_weekdays": sorted(int(d) for d in self.unavailable_weekdays),
            "max_weekly_ramp": self.max_weekly_ramp,
            "recent_long_run_m": self.recent_long_run_m,
            "current_quality_per_week": self.current_quality_per_week,
            "age_years": self.age_years,
            "returning": self.returning,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], **changes: Any) -> PlanRequest:
        """Rebuild a request from :meth:`as_dict`, with ``changes`` applied (a replan).

        Keys missing from older stored requests take their defaults."""
        fields = {**data, **changes}
        race = fields.get("recent_race")
        start = fields.get("start_date")
        long_run = fields.get("recent_long_run_m")
        return cls(
            goal_distance_m=float(fields["goal_distance_m"]),
            race_date=_as_date(fields["race_date"]),
            days_per_week=int(fields["days_per_week"]),
            current_weekly_m=float(fields["current_weekly_m"]),
            recent_race=(
                race
                if isinstance(race, RecentRace) or race is None
                else RecentRace(float(race["distance_m"]), float(race["time_s"]))
            ),
            vdot=None if fields.get("vdot") is None else float(fields["vdot"]),
            goal_time_s=None if fields.get("goal_time_s") is None else float(fields["goal_time_s"]),
            start_date=None if start is None else _as_date(start),
            long_run_weekday=Weekday(int(fields.get("long_run_weekday", Weekday.SUN))),
            unavailable_weekdays=frozenset(
                Weekday(int(d)) for d in fields.get("unavailable_weekdays", ())
            ),
            max_weekly_ramp=float(fields.get("max_weekly_ramp", MAX_WEEKLY_RAMP)),
            recent_long_run_m=None if long_run is None else float(long_run),
            current_quality_per_week=int(fields.get("current_quality_per_week", 0)),
            age_years=_as_age(fields.get("age_years")),
            returning=bool(fields.get("returning", False)),
        )


def _as_age(value: Any) -> Any:
    """A stored age as an ``int`` when it is whole (else as given, for the range check)."""
    if value is None or isinstance(value, bool):
        return value
    number = float(value)
    return int(number) if number.is_integer() else number


def _as_date(value: Any) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def _float_or_none(value: Any) -> float | None:
    return None if value is None else float(value)


def _sum_1dp(values: Iterable[float]) -> float:
    """The sum of ``values`` as shown (each to 0.1), to 0.1: a JSON total that adds up."""
    return round(sum(round(v, 1) for v in values), 1)
