"""Build a :class:`Plan` from a :class:`PlanRequest`: fitness, volumes, weeks, sessions.

Steps: current fitness (VDOT) → goal targets → least-mileage weekly volumes
(:func:`stridelab.plans.volume.optimise_volume`) → periodisation (base, build, peak,
taper, race) → each week's volume spread over the runner's days
(:mod:`stridelab.plans.week`) → the matching published plan family, under the same
safety rules, for comparison (:mod:`stridelab.plans.baseline`).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass, replace
from typing import Final

from stridelab.errors import InputError, PlanError, PlanRefusal
from stridelab.physiology.vdot import (
    predict_race_time_s,
    training_paces,
    vdot_from_race,
)
from stridelab.plans.baseline import baseline_for
from stridelab.plans.beginner import BeginnerRequest, beginner_plan
from stridelab.plans.explain import explain_week, summarise_week
from stridelab.plans.feasibility import (
    RETEST_MIN_WEEKS,
    RETEST_SESSION_MIN_M,
    GoalAssessment,
    assess_goal,
    retest_target_s,
)
from stridelab.plans.model import (
    Feasibility,
    Goal,
    Phase,
    Plan,
    PlanRequest,
    Session,
    SessionKind,
    StepKind,
    Week,
    next_monday,
)
from stridelab.plans.recovery import cutback_every_weeks, recovery_notes
from stridelab.plans.sessions import Paces
from stridelab.plans.targets import (
    OTHER_RUN_MAX_SHARE,
    check_goal_distance,
    default_long_run_m,
    goal_targets,
)
from stridelab.plans.volume import (
    InfeasibleVolume,
    VolumeProblem,
    VolumeSchedule,
    optimise_volume,
)
from stridelab.plans.week import (
    WeekLayout,
    WeekSpec,
    build_week,
    lead_in_week,
    long_run_day,
    quality_count,
    quality_room,
    run_weekdays,
)
from stridelab.units import (
    M_PER_KM,
    RACE_DISTANCES_M,
    distance_label,
    format_distance,
    format_duration,
)

__all__ = [
    "MAX_PLAN_WEEKS",
    "PhaseResume",
    "first_week_start",
    "generate_plan",
    "phase_of",
    "plan_weeks",
]

#: Plans longer than this are refused (start later instead).
MAX_PLAN_WEEKS: Final = 52


def plan_weeks(start: dt.date, race_date: dt.date) -> int:
    """Number of full 7-day weeks counted back from race day that fit from ``start``."""
    return ((race_date - start).days + 1) // 7


def first_week_start(start: dt.date, race_date: dt.date) -> dt.date:
    """First day of the first full week: weeks are 7-day windows ending on race day."""
    return race_date - dt.timedelta(days=7 * plan_weeks(start, race_date) - 1)


@dataclass(frozen=True, slots=True)
class PhaseResume:
    """Where a regenerated plan picks up periodisation (a replan mid-plan): the ``phase``
    the old plan was in on the new start, and how many of that phase's weeks were already
    run (``weeks_done``), so the new weeks neither go back to base mid-build nor restart
    the phase's quality progression. ``plan_weeks_done`` counts all the old plan's full
    weeks before the new first week (a returning runner's easy weeks are not repeated);
    ``retest_done`` says the re-test is behind (the new weeks plan none)."""

    phase: Phase
    weeks_done: int = 0
    plan_weeks_done: int = 0
    retest_done: bool = False


def phase_of(i: int, peak_index: int, n_weeks: int, resume: Phase | None = None) -> Phase:
    """Phase of week ``i``: base (about the first 35 % of the build, none in builds under
    4 weeks), build, peak (the last 1–3 build weeks, a quarter of the build), taper, race.

    ``resume`` continues a plan already in that phase: from build on there is no base;
    from peak (or a taper) on, every week before the taper is a peak week.
    """
    if i == n_weeks - 1:
        return Phase.RACE
    if i > peak_index:
        return Phase.TAPER
    pre = peak_index + 1
    peak_weeks = min(3, max(1, pre // 4))
    base_weeks = round(pre * 0.35) if pre >= 4 else 0
    if resume in (Phase.PEAK, Phase.TAPER, Phase.RACE) or i > peak_index - peak_weeks:
        return Phase.PEAK
    if i < base_weeks and resume in (None, Phase.BASE):
        return Phase.BASE
    return Phase.BUILD


def _fitness(request: PlanRequest) -> float:
    if request.recent_race is not None:
        return vdot_from_race(request.recent_race.distance_m, request.recent_race.time_s)
    if request.vdot is None:  # PlanRequest refuses this; kept for type narrowing
        raise InputError("No current fitness given", hint="Use e.g. --recent 5k=24:30.")
    return request.vdot


def _retest_week(
    problem: VolumeProblem, phases: list[Phase], schedule: VolumeSchedule, weeks_before: int = 0
) -> int | None:
    """The week of the re-test: a cutback week (fresher legs) nearest 60 % of the way to the
    peak, else the nearest loading week; never in the first 3 weeks (a replan counts the
    ``weeks_before`` it replaces), the peak weeks or the taper, and only in a week whose
    runs may be long enough for a time trial with its warm-up and cool-down
    (:data:`~stridelab.plans.feasibility.RETEST_SESSION_MIN_M`). ``None`` for plans under
    :data:`~stridelab.plans.feasibility.RETEST_MIN_WEEKS`."""
    if problem.n_weeks < RETEST_MIN_WEEKS:
        return None
    candidates = [
        i
        for i in range(max(0, 3 - weeks_before), problem.peak_index)
        if phases[i] in (Phase.BASE, Phase.BUILD) and _retest_fits(schedule, i)
    ]
    if not candidates:
        return None
    aim = 0.6 * problem.peak_index
    return min(candidates, key=lambda i: (i not in problem.cutbacks, abs(i - aim)))


def _retest_fits(schedule: VolumeSchedule, i: int) -> bool:
    """Whether week ``i``'s longest allowed other run holds the shortest re-test session."""
    cap = min(schedule.max_run_m(i), OTHER_RUN_MAX_SHARE * schedule.long_run_m[i])
    return cap >= RETEST_SESSION_MIN_M


def _goal_notes(
    assessment: GoalAssessment | None,
    predicted_s: float,
    weeks: list[Week],
    race_date: dt.date,
    resumed: bool = False,
) -> list[str]:
    """The goal's rating and the re-test (its date and the time that makes the goal
    realistic), as plan notes."""
    if assessment is None:
        return []
    notes = [assessment.explanation(predicted_s)]
    trial = next(
        (s for w in weeks if not w.lead_in for s in w.sessions if s.kind is SessionKind.TIME_TRIAL),
        None,
    )
    if trial is None and resumed:
        return notes  # a replan after the re-test, or too late in the build for one
    if trial is None:
        notes.append(
            f"No re-test is planned: {assessment.weeks} weeks leave too little time after one "
            "for its result to change the training."
            if assessment.weeks < RETEST_MIN_WEEKS
            else "No re-test is planned: no week before the peak has room for a time trial "
            "next to its long run. Replan after a race or a parkrun."
        )
        return notes
    trial_m = next(st.distance_m for st in trial.steps if st.kind is StepKind.ACTIVE)
    weeks_left = plan_weeks(next_monday(trial.date), race_date)  # a replan's full weeks
    target = retest_target_s(assessment, weeks_left, trial_m)
    if assessment.feasibility is Feasibility.OUT_OF_REACH:
        verdict = ""  # no time trial this soon makes it realistic: the replan says what does
    else:
        word = (
            "says you are on track for the goal"
            if assessment.feasibility is Feasibility.REALISTIC
            else "makes the goal realistic"
        )
        verdict = f"{format_duration(target)} or faster {word} with the {weeks_left} weeks left. "
    notes.append(
        f"Re-test on {trial.date:%a %d %b %Y}: a {format_distance(trial_m)} time trial. "
        f"{verdict}Replan with its time (stridelab replan --race "
        f"{distance_label(trial_m).lower()}=MM:SS, or stridelab plan --recent "
        f"{distance_label(trial_m).lower()}=MM:SS) so the paces follow your fitness."
    )
    return notes


def _lead_in_long_m(problem: VolumeProblem) -> float:
    return problem.start_long_run_m


def _progress(i: int, phases: list[Phase], resume: PhaseResume | None) -> tuple[float, int]:
    """How far week ``i`` is through its phase (0 first week, 1 last) and its index in it,
    counting the weeks of a resumed phase already done."""
    same = [k for k, p in enumerate(phases) if p is phases[i]]
    done = resume.weeks_done if resume is not None and resume.phase is phases[i] else 0
    pos, count = done + same.index(i), done + len(same)
    return (pos / (count - 1) if count > 1 else 1.0), pos


def generate_plan(
    request: PlanRequest | BeginnerRequest,
    *,
    today: dt.date | None = None,
    resume: PhaseResume | None = None,
) -> Plan:
    """The least-mileage plan for ``request`` (raises :class:`PlanError` when none is safe).

    A :class:`~stridelab.plans.beginner.BeginnerRequest` gets the Couch to 5K walk-run plan
    (:func:`~stridelab.plans.beginner.beginner_plan`): no race or VDOT needed.

    ``today`` only matters when the request has no start date: the plan then starts the
    Monday after it. The library never reads the clock; the CLI and web edge pass the day.
    Weeks are 7-day windows counted back from race day, so the taper ends on race day
    whatever weekday it falls on; days between the start and the first full week are a
    lead-in of the runner's usual running.

    ``resume`` (a replan) continues the periodisation of the plan being replaced instead
    of starting with base weeks (:func:`phase_of`); the lead-in carries its phase.
    """
    if isinstance(request, BeginnerRequest):
        return beginner_plan(request, today=today)
    try:
        return _race_plan(request, today, resume)
    except InfeasibleVolume as refusal:
        raise _with_offers(refusal, request, today, resume) from None


#: Later race dates tried past the first one the volume rules allow.
_LATER_DATES_TRIED: Final = 8
#: Shorter goals a refusal may offer, longest first.
_GOAL_WORDS: Final = {
    RACE_DISTANCES_M["marathon"]: "a marathon",
    RACE_DISTANCES_M["half"]: "a half marathon",
    RACE_DISTANCES_M["10k"]: "a 10K",
    RACE_DISTANCES_M["5k"]: "a 5K",
}
_SHORTER_GOALS_M: Final = tuple(_GOAL_WORDS)


def _works(request: PlanRequest, today: dt.date | None, resume: PhaseResume | None) -> bool:
    """Whether a whole plan for ``request`` is built (a probe: no diagnosis of a failure)."""
    try:
        _race_plan(request, today, resume, diagnose=False)
    except (PlanError, InputError):
        return False
    return True


def _with_offers(
    refusal: InfeasibleVolume,
    request: PlanRequest,
    today: dt.date | None,
    resume: PhaseResume | None,
) -> PlanRefusal:
    """The refusal with options that work: the earliest race date and a shorter goal on
    the same date (each planned whole), a higher ramp cap (only when that alone makes the
    weekly volumes feasible). Probes are bounded: at most :data:`_LATER_DATES_TRIED` + 1
    dates, within :data:`MAX_PLAN_WEEKS`, and the shorter standard goals."""
    start = request.start_date or next_monday(today or request.race_date)
    offers: list[str] = []
    earliest: dt.date | None = None
    tried: list[dt.date] = []
    if refusal.weeks_needed is not None:
        first = start + dt.timedelta(days=7 * refusal.weeks_needed - 1)
        for k in range(_LATER_DATES_TRIED + 1):
            candidate = first + dt.timedelta(days=7 * k)
            if plan_weeks(start, candidate) > MAX_PLAN_WEEKS:
                break
            tried.append(candidate)
            if _works(replace(request, race_date=candidate), today, resume):
                earliest = candidate
                break
    if earliest is not None:
        weeks = plan_weeks(start, earliest)
        offers.append(
            f"race on {earliest:%a %d %b %Y} ({weeks} weeks from {start:%d %b}; "
            "a plan to that date was built and works)"
        )
    shorter = next(
        (
            m
            for m in _SHORTER_GOALS_M
            if m < request.goal_distance_m - 1.0
            and _works(replace(request, goal_distance_m=m, goal_time_s=None), today, resume)
        ),
        None,
    )
    if shorter is not None:
        offers.append(f"run {_GOAL_WORDS[shorter]} on the same date instead (it fits)")
    if refusal.ramp_helps:
        offers.append(f"raise --max-ramp (now {request.max_weekly_ramp:.0%})")
    message = refusal.message
    if earliest is not None:
        message = re.sub(
            r"needs at least \d+ weeks",
            f"needs at least {plan_weeks(start, earliest)} weeks",
            message,
        )
    if not offers:
        later = (
            f"no race date from {tried[0]:%d %b %Y} to {tried[-1]:%d %b %Y}"
            if tried
            else f"no race date within {MAX_PLAN_WEEKS} weeks"
        )
        hint = (
            f"Nothing tried works: {later} and no shorter goal on the same date gives a safe "
            "plan from your current running. Build your weekly volume first (plan a 5K or "
            "run easy for a few weeks), then plan again."
        )
    else:
        hint = "What works: " + "; or ".join(offers) + "."
    return PlanRefusal(message, hint=hint, earliest_race_date=earliest, shorter_goal_m=shorter)


def _race_plan(
    request: PlanRequest,
    today: dt.date | None,
    resume: PhaseResume | None,
    *,
    diagnose: bool = True,
) -> Plan:
    """:func:`generate_plan` for a race (raises :class:`InfeasibleVolume` when the weeks
    cannot hold a safe build; ``diagnose=False`` skips finding what would work)."""
    check_goal_distance(request.goal_distance_m)
    if request.start_date is None and today is None:
        raise InputError(
            "A plan without a start date needs today's date to start from",
            hint="Give PlanRequest.start_date, or pass today=.",
        )
    start = request.start_date or next_monday(today or request.race_date)
    if request.race_date <= start:
        raise InputError(
            f"The race date {request.race_date} is not after the plan start {start}",
            hint="Give a later --race-date or an earlier --start.",
        )
    n = plan_weeks(start, request.race_date)
    if n > MAX_PLAN_WEEKS:
        raise InputError(
            f"The race is {n} weeks away; plans cover at most {MAX_PLAN_WEEKS} weeks",
            hint="Start the plan later with --start.",
        )
    vdot = _fitness(request)
    assessment = (
        None
        if request.goal_time_s is None
        else assess_goal(request.goal_distance_m, request.goal_time_s, vdot, n)
    )
    paces_v = training_paces(vdot)
    predicted = predict_race_time_s(vdot, request.goal_distance_m)
    goal = Goal(
        request.goal_distance_m,
        request.race_date,
        vdot,
        predicted,
        request.goal_time_s,
        None if assessment is None else assessment.feasibility,
    )
    race_pace = goal.race_pace_s_per_km or predicted / (request.goal_distance_m / M_PER_KM)
    paces = Paces(paces_v, race_pace, request.goal_distance_m)
    d = request.days_per_week
    targets = goal_targets(request.goal_distance_m, paces.easy_s_per_km, n, d)
    long_day = long_run_day(request)
    notes: list[str] = []
    if long_day is not request.long_run_weekday:
        notes.append(
            f"Your long-run day {calendar.day_name[request.long_run_weekday]} is unavailable: "
            f"long runs are on {calendar.day_name[long_day]}, the nearest free day."
        )
    weekdays = run_weekdays(request, long_day)
    room, wanted = (
        quality_room(weekdays, int(long_day)),
        quality_count(d, request.current_quality_per_week),
    )
    if room < wanted:
        days_text = ", ".join(calendar.day_name[k] for k in sorted(weekdays))
        notes.append(
            f"Your running days ({days_text}) leave room for {room} hard session(s) a week "
            f"with a day between hard days and none the day after the long run: the plan "
            f"keeps {room}, not {wanted}, rather than stacking hard days. Free another day "
            "to get the second one."
        )
    first = first_week_start(start, request.race_date)
    race_week_start = first + dt.timedelta(days=7 * (n - 1))
    days_before_race = sum(
        1
        for k in range((request.race_date - race_week_start).days)
        if (race_week_start + dt.timedelta(days=k)).weekday() in weekdays
    )
    if n < targets.taper_weeks + 2:
        raise InfeasibleVolume(
            f"{n} full week(s) is too short for a {request.goal_label} plan with a "
            f"{targets.taper_weeks}-week taper",
            hint=f"Give at least {targets.taper_weeks + 2} weeks before the race.",
            weeks_needed=targets.taper_weeks + 2,
            ramp_helps=False,
        )
    long0 = request.recent_long_run_m or default_long_run_m(request.current_weekly_m)
    layout = WeekLayout(request, goal, paces, targets.bracket, weekdays, int(long_day))
    problem = VolumeProblem(
        n_weeks=n,
        current_weekly_m=request.current_weekly_m,
        recent_long_run_m=long0,
        days_per_week=d,
        targets=targets,
        max_weekly_ramp=request.max_weekly_ramp,
        race_week_run_days=min(days_before_race, d - 1),
        min_run_m=layout.min_run_m,
        cutback_every_weeks=cutback_every_weeks(request.age_years, request.returning),
    )
    schedule = optimise_volume(problem, diagnose=diagnose)
    weeks_before = 0 if resume is None else resume.plan_weeks_done
    notes += recovery_notes(request.age_years, request.returning, weeks_before)
    weeks: list[Week] = []
    previous: tuple[Session, ...] = ()
    if first > start:
        lead_start = first - dt.timedelta(days=7)
        previous = lead_in_week(
            layout, lead_start, start, request.current_weekly_m, _lead_in_long_m(problem)
        )
        volume = sum(s.distance_m for s in previous)
        weeks.append(
            Week(
                index=0,
                start=lead_start,
                phase=Phase.BASE if resume is None else resume.phase,
                cutback=False,
                training_distance_m=volume,
                long_run_m=max(
                    (s.distance_m for s in previous if s.kind is SessionKind.LONG), default=0.0
                ),
                sessions=previous,
                explanation=(
                    f"Lead-in: {(first - start).days} day(s) of your usual running before the "
                    "first full week. Weeks are counted back from race day, so the taper ends "
                    "on the race whatever weekday it falls on."
                ),
                summary="lead-in",
                lead_in=True,
            )
        )
    phases = [
        phase_of(i, problem.peak_index, n, None if resume is None else resume.phase)
        for i in range(n)
    ]
    quality = quality_count(d, request.current_quality_per_week)
    retest_done = resume is not None and resume.retest_done
    retest = (
        None
        if assessment is None or retest_done
        else _retest_week(problem, phases, schedule, weeks_before)
    )
    for i in range(n):
        progress, pos = _progress(i, phases, resume)
        spec = WeekSpec(
            index=i,
            start=first + dt.timedelta(days=7 * i),
            phase=phases[i],
            cutback=i in problem.cutbacks,
            volume_m=schedule.weekly_m[i],
            long_run_m=schedule.long_run_m[i],
            max_run_m=schedule.max_run_m(i),
            base_week=pos if phases[i] is Phase.BASE else 99,
            progress=progress,
            quality=quality,
            retest=i == retest,
            weeks_before=weeks_before,
        )
        previous = build_week(layout, spec, previous)
        offered = len(weekdays) if i < n - 1 else min(days_before_race, d - 1)
        runs = sum(1 for s in previous if s.kind not in (SessionKind.REST, SessionKind.RACE))
        weeks.append(
            Week(
                index=len(weeks),
                start=spec.start,
                phase=spec.phase,
                cutback=spec.cutback,
                training_distance_m=spec.volume_m,
                long_run_m=spec.long_run_m,
                sessions=previous,
                explanation=explain_week(schedule, i, runs, offered, layout.min_run_m),
                summary=summarise_week(schedule, i),
            )
        )
    notes += _goal_notes(assessment, predicted, weeks, request.race_date, resume is not None)
    lead = weeks[0] if weeks[0].lead_in else None
    baseline = baseline_for(problem, request.goal_distance_m, first, lead)
    return Plan(
        goal=goal,
        weeks=tuple(weeks),
        paces_s_per_km=paces_v.as_dict(),
        baseline_total_distance_m=baseline.total_distance_m,
        max_weekly_ramp=request.max_weekly_ramp,
        notes=tuple(notes),
        baseline=baseline,
    )
