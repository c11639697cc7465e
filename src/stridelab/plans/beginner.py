"""Couch to 5K: a time-based walk-run plan for runners who cannot yet run 30 minutes.

Source: the NHS *Couch to 5K* programme (NHS, England; the plan on nhs.uk and its app):
9 weeks, 3 runs a week with a rest day between, each run a 5-minute brisk walk, then
alternating running and walking, then a 5-minute walk; from 8 × (60 s run, 90 s walk) in
week 1 to 30 minutes of continuous running in week 9. :data:`C25K_WEEKS` is that
progression. It is a **convention-level progression**, designed for beginners and widely
used, not a trial-tested dose: the steps are NHS's, not derived from injury data.

stridelab starts the runner at the week that matches what they can do now
(:func:`start_week`: the last week whose first run asks for no longer a continuous run than
``can_run_minutes``), so the plan is 1–9 weeks long, and ends with a 5 km time trial in
place of week 9's last run: its result gives a VDOT (``stridelab plan --recent
5k=MM:SS ...``) and a race plan with paces.

Steps are timed run/walk repeats without pace targets ("a pace you could talk at"), so a
FIT workout gives the watch run/walk interval steps. Distances are estimates only, at
:data:`BEGINNER_RUN_S_PER_KM` running and :data:`WALK_S_PER_KM` walking (convention).
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from stridelab.errors import InputError, PlanError
from stridelab.plans.model import (
    Baseline,
    BaselineWeek,
    Goal,
    Measure,
    Phase,
    Plan,
    Program,
    Session,
    SessionKind,
    Step,
    StepKind,
    Week,
    Weekday,
    next_monday,
)
from stridelab.plans.sessions import WALK_S_PER_KM
from stridelab.plans.week import spread_weekdays
from stridelab.units import M_PER_KM, check_date, format_distance, format_duration

__all__ = [
    "BEGINNER_RUN_S_PER_KM",
    "C25K_RUNS_PER_WEEK",
    "C25K_WEEKS",
    "TIME_TRIAL_M",
    "BeginnerRequest",
    "beginner_plan",
    "replan_refusal",
    "start_week",
]

#: Runs a week in Couch to 5K (rest days between).
C25K_RUNS_PER_WEEK: Final = 3
#: The brisk walk before and the walk after every run (NHS: 5 minutes each).
WALK_WARMUP_S: Final = 300.0
WALK_COOLDOWN_S: Final = 300.0
#: Estimated running pace of a beginner, for distances only (no target): convention.
BEGINNER_RUN_S_PER_KM: Final = 480.0
#: The closing time trial: 5 km, as steadily as you can.
TIME_TRIAL_M: Final = 5_000.0
#: Accepted ``can_run_minutes``: 0 (not at all yet) to the 30 minutes Couch to 5K ends with.
CAN_RUN_MINUTES_RANGE: Final = (0.0, 30.0)

#: One run: (run s, walk s) pairs in order; a walk of 0 ends the run.
_Run = tuple[tuple[float, float], ...]


def _repeat(count: int, run_s: float, walk_s: float) -> _Run:
    return ((run_s, walk_s),) * count


_M = 60.0
#: NHS Couch to 5K, week by week, three runs each (the same run three times unless noted).
C25K_WEEKS: Final[tuple[tuple[_Run, _Run, _Run], ...]] = (
    (_repeat(8, 60, 90),) * 3,
    (_repeat(6, 90, 120),) * 3,
    (((90, 90), (3 * _M, 3 * _M)) * 2,) * 3,
    (((3 * _M, 90), (5 * _M, 150), (3 * _M, 90), (5 * _M, 0)),) * 3,
    (
        ((5 * _M, 3 * _M), (5 * _M, 3 * _M), (5 * _M, 0)),
        ((8 * _M, 5 * _M), (8 * _M, 0)),
        ((20 * _M, 0),),
    ),
    (
        ((5 * _M, 3 * _M), (8 * _M, 3 * _M), (5 * _M, 0)),
        ((10 * _M, 3 * _M), (10 * _M, 0)),
        ((25 * _M, 0),),
    ),
    (((25 * _M, 0),),) * 3,
    (((28 * _M, 0),),) * 3,
    (((30 * _M, 0),),) * 3,
)


def start_week(can_run_minutes: float) -> int:
    """The Couch to 5K week (1–9) to start at: the last week none of whose runs asks for a
    longer continuous run than ``can_run_minutes`` (week 1 below a minute).

    Conservative on purpose: the first week is one whose every run you can already do, and
    the progression builds from there (5–19 minutes start at week 4, 20 at week 5).
    """
    weeks = [
        k
        for k, runs in enumerate(C25K_WEEKS, start=1)
        if _longest_s(runs) <= can_run_minutes * 60.0 + 1e-9
    ]
    return max(weeks, default=1)


def _longest_s(runs: tuple[_Run, _Run, _Run]) -> float:
    return max(r for run in runs for r, _ in run)


@dataclass(frozen=True, slots=True)
class BeginnerRequest:
    """A beginner's request: how long they can run without stopping now, and when.

    ``long_run_weekday`` is one of the three run days (the others are spread around it);
    ``start_date`` defaults to the Monday after "today". Validated on construction.
    """

    can_run_minutes: float
    start_date: dt.date | None = None
    long_run_weekday: Weekday = Weekday.SUN
    unavailable_weekdays: frozenset[Weekday] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        lo, hi = CAN_RUN_MINUTES_RANGE
        if self.can_run_minutes != self.can_run_minutes or self.can_run_minutes < lo:
            raise InputError(
                f"{self.can_run_minutes} minutes is not a running time",
                hint="Give how many minutes you can run without stopping now, e.g. 0 or 5.",
            )
        if self.can_run_minutes > hi:
            raise InputError(
                f"You can already run {self.can_run_minutes:g} minutes without stopping: "
                "Couch to 5K ends at 30",
                hint="Run 5 km as a time trial and plan a race with "
                "stridelab plan --recent 5k=MM:SS --goal 5k --race-date ... .",
            )
        free = 7 - len(self.unavailable_weekdays)
        if free < C25K_RUNS_PER_WEEK:
            raise InputError(
                f"Couch to 5K needs {C25K_RUNS_PER_WEEK} running days a week; only {free} "
                "weekdays are free",
                hint="Remove days from --unavailable.",
            )
        if self.start_date is not None:
            check_date(self.start_date, "start date")

    def as_dict(self) -> dict[str, Any]:
        """JSON form, stored with a saved plan; ``program`` marks it as Couch to 5K (a
        race request has none): ``{"program": "couch_to_5k", "can_run_minutes", ...}``."""
        return {
            "program": Program.COUCH_TO_5K.value,
            "can_run_minutes": self.can_run_minutes,
            "start_date": None if self.start_date is None else self.start_date.isoformat(),
            "long_run_weekday": int(self.long_run_weekday),
            "unavailable_weekdays": sorted(int(d) for d in self.unavailable_weekdays),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> BeginnerRequest:
        """Rebuild a request from :meth:`as_dict` (refuses a race request's dict)."""
        if data.get("program") != Program.COUCH_TO_5K.value:
            raise InputError(
                "This stored request is not a Couch to 5K one",
                hint="Rebuild race requests with PlanRequest.from_dict.",
            )
        start = data.get("start_date")
        return cls(
            can_run_minutes=float(data["can_run_minutes"]),
            start_date=None if start is None else dt.date.fromisoformat(str(start)),
            long_run_weekday=Weekday(int(data.get("long_run_weekday", Weekday.SUN))),
            unavailable_weekdays=frozenset(
                Weekday(int(d)) for d in data.get("unavailable_weekdays", ())
            ),
        )


def replan_refusal() -> PlanError:
    """Why a Couch to 5K plan is not replanned, and what to do instead.

    Couch to 5K follows fixed weeks (the NHS progression): there is no volume to rebuild
    from what was run, so repeating a week or moving on to a race plan is the choice.
    """
    return PlanError(
        "Couch to 5K plans follow fixed weeks and are not replanned",
        hint="If a week felt too hard, repeat it (stridelab plan --can-run-minutes N --save "
        "from what you can run now); after the 5K time trial, make a race plan with "
        "stridelab plan --recent 5k=MM:SS --goal 5k --race-date YYYY-MM-DD "
        "--days-per-week 3 --current-weekly-km N --save.",
    )


def _walk(kind: StepKind, duration_s: float, note: str) -> Step:
    return Step(kind, Measure.TIME, duration_s / WALK_S_PER_KM * M_PER_KM, duration_s, note=note)


def _run(duration_s: float) -> Step:
    distance_m = duration_s / BEGINNER_RUN_S_PER_KM * M_PER_KM
    return Step(StepKind.ACTIVE, Measure.TIME, distance_m, duration_s, note="run, easy")


def _pattern(run: _Run) -> tuple[_Run, int]:
    """The shortest block that ``run`` repeats, and how many times (``run`` itself, once,
    when no block repeats or the last walk is missing)."""
    for size in range(1, len(run) // 2 + 1):
        count, rest = divmod(len(run), size)
        block = run[:size]
        if not rest and block * count == run and all(w > 0 for _, w in block):
            return block, count
    return run, 1


def _pairs(block: _Run) -> tuple[Step, ...]:
    out: list[Step] = []
    for run_s, walk_s in block:
        out.append(_run(run_s))
        if walk_s > 0:
            out.append(_walk(StepKind.RECOVERY, walk_s, "walk"))
    return tuple(out)


def _steps(run: _Run) -> tuple[Step, ...]:
    """Brisk walk, the run's intervals (a repeated block as one repeat step), walk."""
    block, count = _pattern(run)
    inner = _pairs(block)
    middle: tuple[Step, ...] = inner
    if count > 1:
        middle = (
            Step(
                StepKind.REPEAT,
                Measure.TIME,
                count * sum(s.distance_m for s in inner),
                count * sum(s.duration_s for s in inner),
                repeat=count,
                steps=inner,
            ),
        )
    return (
        _walk(StepKind.WARMUP, WALK_WARMUP_S, "brisk walk"),
        *middle,
        _walk(StepKind.COOLDOWN, WALK_COOLDOWN_S, "walk"),
    )


def _clock(seconds: float) -> str:
    minutes, secs = divmod(round(seconds), 60)
    return f"{minutes} min" if secs == 0 else f"{minutes}:{secs:02d}"


def _title(run: _Run) -> str:
    """``Run/walk 8 × 1:00/1:30`` (run/walk), ``Run 25 min`` or ``Run/walk 16 min in 4 runs``."""
    if len(run) == 1 and run[0][1] == 0:
        return f"Run {_clock(run[0][0])}"
    if len(set(run)) == 1:
        run_s, walk_s = run[0]
        return f"Run/walk {len(run)} × {format_duration(run_s)}/{format_duration(walk_s)}"
    running = sum(r for r, _ in run)
    return f"Run/walk {_clock(running)} running in {len(run)} runs"


def _session(date: dt.date, week: int, number: int, run: _Run) -> Session:
    steps = _steps(run)
    continuous = max(r for r, _ in run)
    why = (
        f"Couch to 5K week {week}, run {number}: 5 min brisk walk, then "
        + ", ".join(f"run {_clock(r)}" + (f", walk {_clock(w)}" if w else "") for r, w in run)
        + ", then 5 min walk. Run at a pace you could talk at; the walks are part of the plan. "
        f"The longest run without stopping is {_clock(continuous)}."
    )
    return Session(
        date=date,
        kind=SessionKind.RUN_WALK,
        distance_m=sum(s.distance_m for s in steps),
        duration_s=sum(s.duration_s for s in steps),
        title=_title(run),
        description=why,
        steps=steps,
    )


def _time_trial(date: dt.date) -> Session:
    trial = Step(
        StepKind.ACTIVE,
        Measure.DISTANCE,
        TIME_TRIAL_M,
        TIME_TRIAL_M / M_PER_KM * BEGINNER_RUN_S_PER_KM,
        note="5 km time trial",
    )
    steps = (
        _walk(StepKind.WARMUP, WALK_WARMUP_S, "brisk walk"),
        trial,
        _walk(StepKind.COOLDOWN, WALK_COOLDOWN_S, "walk"),
    )
    why = (
        "The end of Couch to 5K: after a 5 min brisk walk, run 5 km as steadily as you can "
        "(walk a little if you must) and note your time. It measures your fitness: plan a "
        "race with paces from it, e.g. stridelab plan --recent 5k=MM:SS --goal 5k "
        "--race-date YYYY-MM-DD --days-per-week 3 --current-weekly-km (your weekly km)."
    )
    return Session(
        date=date,
        kind=SessionKind.TIME_TRIAL,
        distance_m=sum(s.distance_m for s in steps),
        duration_s=sum(s.duration_s for s in steps),
        title="5K time trial",
        description=why,
        steps=steps,
    )


def _rest(date: dt.date, unavailable: frozenset[Weekday]) -> Session:
    why = (
        "Unavailable day."
        if Weekday(date.weekday()) in unavailable
        else "Rest day: a day off between runs lets the legs adapt (Couch to 5K)."
    )
    return Session(date, SessionKind.REST, 0.0, 0.0, "Rest", why)


def beginner_plan(request: BeginnerRequest, *, today: dt.date | None = None) -> Plan:
    """The Couch to 5K plan from the week that matches ``request.can_run_minutes``.

    Weeks are 7-day windows from the start date; three runs a week on the best-spread free
    days (one on ``long_run_weekday`` or the nearest free day); the last run is the
    5 km time trial, which is the plan's goal date. The baseline is Couch to 5K itself from
    the same week (this plan *is* that programme), so nothing is "saved".
    """
    if request.start_date is None and today is None:
        raise InputError(
            "A plan without a start date needs today's date to start from",
            hint="Give BeginnerRequest.start_date, or pass today=.",
        )
    start = request.start_date or next_monday(today or dt.date.min)
    first = start_week(request.can_run_minutes)
    long_day = request.long_run_weekday
    notes: list[str] = []
    if long_day in request.unavailable_weekdays:
        free = [d for d in Weekday if d not in request.unavailable_weekdays]
        long_day = min(free, key=lambda d: (min((d - long_day) % 7, (long_day - d) % 7), d))
        notes.append(
            f"Your long-run day {calendar.day_name[request.long_run_weekday]} is unavailable: "
            f"the week's third run is on {calendar.day_name[long_day]}."
        )
    weekdays = spread_weekdays(long_day, request.unavailable_weekdays, C25K_RUNS_PER_WEEK)
    weeks: list[Week] = []
    trial_date = start
    for index, number in enumerate(range(first, len(C25K_WEEKS) + 1)):
        week_start = start + dt.timedelta(days=7 * index)
        dates = [week_start + dt.timedelta(days=k) for k in range(7)]
        run_dates = [d for d in dates if d.weekday() in weekdays]
        sessions: list[Session] = []
        runs = C25K_WEEKS[number - 1]
        for k, d in enumerate(run_dates):
            last = number == len(C25K_WEEKS) and k == len(run_dates) - 1
            if last:
                trial_date = d
                sessions.append(_time_trial(d))
            else:
                sessions.append(_session(d, number, k + 1, runs[k]))
        sessions += [_rest(d, request.unavailable_weekdays) for d in dates if d not in run_dates]
        sessions.sort(key=lambda s: s.date)
        longest = max(s.distance_m for s in sessions)
        weeks.append(
            Week(
                index=index,
                start=week_start,
                phase=Phase.RACE if number == len(C25K_WEEKS) else Phase.BASE,
                cutback=False,
                training_distance_m=sum(s.distance_m for s in sessions),
                long_run_m=longest,
                sessions=tuple(sessions),
                explanation=_explain(number, runs),
                summary=f"C25K week {number}",
            )
        )
    skipped = (
        f"You can run {request.can_run_minutes:g} min without stopping, so the plan starts at "
        f"Couch to 5K week {first}, the last week whose runs ask for no longer a run than "
        "that."
        if first > 1
        else "The plan starts at Couch to 5K week 1 (8 × 1 min runs with walks)."
    )
    notes.insert(0, skipped)
    running_m = sum(_running_m(s) for s in weeks[-1].sessions)
    notes.append(
        "After the 5K time trial, plan a race from its result: "
        "stridelab plan --recent 5k=MM:SS --goal 5k --race-date YYYY-MM-DD --days-per-week 3 "
        f"--current-weekly-km {max(5.0, running_m / M_PER_KM):.0f} (the running, not the "
        "walking, of your last week: an estimate)."
    )
    goal = Goal(TIME_TRIAL_M, trial_date, None, None)
    baseline = Baseline(
        family="couch_to_5k",
        name="NHS Couch to 5K",
        weeks=tuple(BaselineWeek(w.start, w.distance_m, w.long_run_m) for w in weeks),
        race_distance_m=0.0,
        why="This plan is Couch to 5K itself, from the week that matches you.",
    )
    return Plan(
        goal=goal,
        weeks=tuple(weeks),
        paces_s_per_km={},
        baseline_total_distance_m=baseline.total_distance_m,
        max_weekly_ramp=0.0,
        notes=tuple(notes),
        baseline=baseline,
        program=Program.COUCH_TO_5K,
    )


def _running_m(session: Session) -> float:
    """The running part of a session (its active steps, repeats counted)."""

    def part(step: Step) -> float:
        if step.kind is StepKind.REPEAT:
            return step.repeat * sum(part(s) for s in step.steps)
        return step.distance_m if step.kind is StepKind.ACTIVE else 0.0

    return sum(part(s) for s in session.steps)


def _explain(number: int, runs: tuple[_Run, _Run, _Run]) -> str:
    longest = _longest_s(runs)
    running = sum(r for r, _ in runs[0])
    text = (
        f"Couch to 5K week {number} of {len(C25K_WEEKS)} (NHS): three runs with a rest day "
        f"between; {format_duration(running)} of running in the first, the longest run "
        f"without stopping {format_duration(longest)}. Time-based, no pace targets: run "
        "at a pace you could talk at. If a week felt too hard, repeat it before moving on."
    )
    if number == len(C25K_WEEKS):
        text += (
            f" The last run is a {format_distance(TIME_TRIAL_M)} time trial: its time gives "
            "your VDOT and paces for a race plan."
        )
    return text
