"""Structured workouts: the steps of each session kind, with pace targets from VDOT.

Volume caps follow Daniels' Running Formula (3rd ed., 2014): threshold running at most
10 % of the week's volume, interval (VO2max) running at most 8 %, repetition running at most
5 % (and 8 km), marathon-pace running at most 20 %. Interval reps last about 3–5 min with
equal-time jog recoveries; cruise (threshold) intervals rest 1 min; repetitions (200/400 m
at R pace) recover with an equal-distance jog; strides are 20 s at repetition pace with
full recovery. Pace targets are a ±2 % band around the VDOT pace; recoveries, jogs and
walks carry no pace target (the watch should not beep at a jog).

Quality progresses with ``progress`` (0 at the first week of a phase, 1 at its last):
threshold running from :data:`THRESHOLD_MIN_RANGE` (20 → 40 min of T pace), intervals from
:data:`INTERVAL_KM_RANGE` (3 → 5 km at I pace), repetitions 2 → 3 km, marathon pace inside
the long run from 3 km to 16 km (Daniels' and Pfitzinger's M-pace long runs), hills 4 → 8
reps: each capped by Daniels' share of the week. The progressions are conventions read
from Daniels' tables, not trial results.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Final

from stridelab.physiology.load import rtss
from stridelab.physiology.vdot import TrainingPaces, predict_race_time_s
from stridelab.plans.feasibility import RETEST_M, RETEST_SHORT_M
from stridelab.plans.model import (
    Measure,
    Session,
    SessionKind,
    Step,
    StepKind,
    WarmupRoutine,
)
from stridelab.units import M_PER_KM, format_distance, format_duration, format_pace

__all__ = [
    "COOLDOWN_JOG_M",
    "INTERVAL_KM_RANGE",
    "INTERVAL_SHARE_MAX",
    "MARATHON_PACE_SHARE_MAX",
    "PACE_TOLERANCE",
    "RACE_PACE_REPS_M",
    "REPETITION_SHARE_MAX",
    "THRESHOLD_MIN_RANGE",
    "THRESHOLD_SHARE_MAX",
    "WARMUP_JOG_M",
    "WARMUP_MAX_SHARE",
    "Paces",
    "easy_session",
    "long_session",
    "quality_session",
    "race_session",
    "rest_session",
    "with_longer_cooldown",
]

#: Daniels' caps on fast running, as fractions of the week's volume.
THRESHOLD_SHARE_MAX: Final = 0.10
INTERVAL_SHARE_MAX: Final = 0.08
MARATHON_PACE_SHARE_MAX: Final = 0.20
REPETITION_SHARE_MAX: Final = 0.05
REPETITION_MAX_M: Final = 8_000.0
#: Progressions of the main sets (module docstring), (first week, last week).
THRESHOLD_MIN_RANGE: Final = (20.0, 40.0)
INTERVAL_KM_RANGE: Final = (3.0, 5.0)
REPETITION_KM_RANGE: Final = (2.0, 3.0)
MARATHON_PACE_KM_RANGE: Final = (3.0, 16.0)
HILL_REPS_RANGE: Final = (4, 8)
#: A session's warm-up routine takes at most this share of its whole time (outside race
#: day): the cool-down grows when a short main set would leave it bigger. Convention.
WARMUP_MAX_SHARE: Final = 1 / 3
#: Pace band around each target pace (± fraction).
PACE_TOLERANCE: Final = 0.02
#: Easy jog before and after the main set of a quality session.
WARMUP_JOG_M: Final = 2_000.0
COOLDOWN_JOG_M: Final = 1_500.0
#: Continuous tempo runs stop at 20 min (Daniels' "T-run").
TEMPO_MAX_S: Final = 20 * 60.0
STRIDE_S: Final = 20.0
STRIDE_RECOVERY_S: Final = 60.0
STRIDE_COUNT: Final = 6
#: Race-pace rep lengths (longest first) for 5K, 10K and half-marathon goals: the session
#: uses the longest of which two fit the week's cap, so low-volume weeks get shorter reps
#: instead of twice the cap.
RACE_PACE_REPS_M: Final = ((1000.0, 800.0, 400.0), (2000.0, 1000.0), (3000.0, 2000.0, 1000.0))
HILL_REP_S: Final = 75.0
HILL_RECOVERY_S: Final = 120.0
#: Walking pace used to estimate the distance of walk recoveries (about 6 km/h).
WALK_S_PER_KM: Final = 600.0


@dataclass(frozen=True, slots=True)
class Paces:
    """The paces a plan uses (s/km): VDOT training paces plus the goal race pace."""

    training: TrainingPaces
    race_s_per_km: float
    goal_distance_m: float

    @property
    def easy_s_per_km(self) -> float:
        """Middle of the easy range."""
        return sum(self.training.easy_s_per_km) / 2


def _band(pace_s_per_km: float) -> tuple[float, float]:
    return pace_s_per_km * (1 - PACE_TOLERANCE), pace_s_per_km * (1 + PACE_TOLERANCE)


def _dist(kind: StepKind, distance_m: float, pace: float, note: str = "") -> Step:
    fast, slow = _band(pace)
    return Step(
        kind, Measure.DISTANCE, distance_m, distance_m / M_PER_KM * pace, fast, slow, note=note
    )


def _time(kind: StepKind, duration_s: float, pace: float, note: str = "") -> Step:
    fast, slow = _band(pace)
    return Step(kind, Measure.TIME, duration_s / pace * M_PER_KM, duration_s, fast, slow, note=note)


def _jog(duration_s: float, pace: float, note: str = "jog") -> Step:
    """A timed recovery jog with no pace target; its distance is estimated at ``pace``."""
    return Step(
        StepKind.RECOVERY, Measure.TIME, duration_s / pace * M_PER_KM, duration_s, note=note
    )


def _between(lo_hi: tuple[float, float], progress: float) -> float:
    lo, hi = lo_hi
    return lo + (hi - lo) * min(1.0, max(0.0, progress))


def _effort(kind: StepKind, duration_s: float, estimate_s_per_km: float, note: str) -> Step:
    """A timed step with no pace target; its distance is estimated at ``estimate_s_per_km``."""
    distance_m = duration_s / estimate_s_per_km * M_PER_KM
    return Step(kind, Measure.TIME, distance_m, duration_s, note=note)


def _repeat(count: int, steps: tuple[Step, ...]) -> Step:
    return Step(
        StepKind.REPEAT,
        Measure.DISTANCE,
        count * sum(s.distance_m for s in steps),
        count * sum(s.duration_s for s in steps),
        repeat=count,
        steps=steps,
    )


def _fitted(count: int, least: int, pair: tuple[Step, ...], limit_m: float) -> Step:
    """``count`` repeats of ``pair``, fewer (down to ``least``) where they would run past
    ``limit_m``: a shorter set beats a dropped session when the week's long run caps it."""
    pair_m = sum(s.distance_m for s in pair)
    if pair_m > 0 and count * pair_m > limit_m:
        count = max(least, min(count, int(limit_m // pair_m)))
    return _repeat(count, pair)


def _easy_jog(kind: StepKind, distance_m: float, paces: Paces) -> Step:
    fast, slow = paces.training.easy_s_per_km
    duration = distance_m / M_PER_KM * paces.easy_s_per_km
    return Step(kind, Measure.DISTANCE, distance_m, duration, fast, slow, note="easy")


def _step_load(step: Step, paces: Paces) -> float:
    """rTSS-like load of a step (:func:`stridelab.physiology.load.rtss`).

    Effort-only steps count at interval pace (hills) or walking pace (walk recoveries).
    """
    t = paces.training
    if step.kind is StepKind.REPEAT:
        return step.repeat * sum(_step_load(s, paces) for s in step.steps)
    if step.pace_fast_s_per_km is not None and step.pace_slow_s_per_km is not None:
        pace = (step.pace_fast_s_per_km + step.pace_slow_s_per_km) / 2
    elif step.kind is StepKind.ACTIVE:
        pace = t.interval_s_per_km
    else:
        pace = WALK_S_PER_KM
    return rtss(step.duration_s, pace, t.threshold_s_per_km)


def _session(
    date: dt.date,
    kind: SessionKind,
    title: str,
    why: str,
    steps: tuple[Step, ...],
    paces: Paces,
    warmup: WarmupRoutine | None = None,
) -> Session:
    return Session(
        date=date,
        kind=kind,
        distance_m=sum(s.distance_m for s in steps),
        duration_s=sum(s.duration_s for s in steps),
        title=title,
        description=why,
        steps=steps,
        warmup=warmup,
        load_rtss=sum(_step_load(step, paces) for step in steps),
    )


def rest_session(date: dt.date, why: str) -> Session:
    """A rest day."""
    return Session(date, SessionKind.REST, 0.0, 0.0, "Rest", why)


def easy_session(
    date: dt.date, kind: SessionKind, distance_m: float, paces: Paces, why: str
) -> Session:
    """An easy, recovery or long run: one continuous step at easy pace."""
    lo, hi = paces.training.easy_s_per_km
    if kind is SessionKind.RECOVERY:
        lo = hi  # the slow end of easy
    pace = (lo + hi) / 2
    step = Step(StepKind.ACTIVE, Measure.DISTANCE, distance_m, distance_m / M_PER_KM * pace, lo, hi)
    title = f"{kind.value.capitalize()} run {format_distance(distance_m)}"
    return _session(date, kind, title, why, (step,), paces)


def long_session(
    date: dt.date,
    distance_m: float,
    paces: Paces,
    why: str,
    marathon_pace_m: float = 0.0,
) -> Session:
    """The long run: easy, optionally ending with ``marathon_pace_m`` at goal marathon pace."""
    if marathon_pace_m <= 0:
        return easy_session(date, SessionKind.LONG, distance_m, paces, why)
    easy_m = max(0.0, distance_m - marathon_pace_m)
    mp = _dist(StepKind.ACTIVE, marathon_pace_m, paces.race_s_per_km, "marathon pace")
    steps = (_easy_jog(StepKind.ACTIVE, easy_m, paces), mp)
    title = (
        f"Long run {format_distance(distance_m)} with {format_distance(marathon_pace_m)} at "
        f"marathon pace {format_pace(paces.race_s_per_km)}"
    )
    why += (
        f" The last {format_distance(marathon_pace_m)} at goal marathon pace: rehearses the "
        "race on tired legs (Daniels, Pfitzinger); at most 20% of the week."
    )
    return _session(date, SessionKind.LONG, title, why, steps, paces)


def marathon_pace_m(long_run_m: float, week_m: float, progress: float) -> float:
    """Marathon-pace distance inside a long run: 3 → 16 km with ``progress``, at most 20 % of
    the week and half the long run."""
    target = _between(MARATHON_PACE_KM_RANGE, progress) * M_PER_KM
    return max(0.0, min(target, MARATHON_PACE_SHARE_MAX * week_m, 0.5 * long_run_m))


def _main_set(
    kind: SessionKind,
    week_m: float,
    paces: Paces,
    limit_m: float = float("inf"),
    progress: float = 0.0,
) -> tuple[tuple[Step, ...], str]:
    """The fast part of a quality session, sized by ``progress`` and Daniels' caps on ``week_m``.

    Every set also stays within ``limit_m`` where its minimum allows (so that the session
    stays shorter than the week's long run): continuous runs (tempo, marathon pace) shorten,
    repeat sets lose reps down to their minimum (2 intervals, cruise or race-pace reps,
    4 repetitions, the fewest hill reps).
    """
    t = paces.training
    if kind is SessionKind.INTERVALS:
        cap = min(_between(INTERVAL_KM_RANGE, progress) * M_PER_KM, INTERVAL_SHARE_MAX * week_m)
        rep = next((r for r in (1000.0, 800.0, 600.0) if cap >= 3 * r), 400.0)
        count = max(2, int(cap // rep))
        work = _dist(StepKind.ACTIVE, rep, t.interval_s_per_km, "interval pace")
        jog = _jog(work.duration_s, t.easy_s_per_km[1])
        main = _fitted(count, 2, (work, jog), limit_m)
        count = main.repeat
        why = (
            f"{count} × {rep:.0f} m at interval pace {format_pace(t.interval_s_per_km)} with "
            "equal-time jogs: VO2max work, 3 → 5 km over the phase and within 8% of the week "
            "(Daniels)."
        )
        return (main,), why
    if kind is SessionKind.REPETITIONS:
        cap = min(
            _between(REPETITION_KM_RANGE, progress) * M_PER_KM,
            REPETITION_SHARE_MAX * week_m,
            REPETITION_MAX_M,
        )
        rep = 400.0 if cap >= 2400.0 else 200.0
        count = max(4, int(cap // rep))
        work = _dist(StepKind.ACTIVE, rep, t.repetition_s_per_km, "repetition pace")
        jog = _jog(rep / M_PER_KM * t.easy_s_per_km[1], t.easy_s_per_km[1], "jog, full recovery")
        main = _fitted(count, 4, (work, jog), limit_m)
        count = main.repeat
        why = (
            f"{count} × {rep:.0f} m at repetition pace {format_pace(t.repetition_s_per_km)}, "
            f"jog {rep:.0f} m: speed and economy, within 5% of the week (Daniels)."
        )
        return (main,), why
    if kind is SessionKind.THRESHOLD:
        minutes = _between(THRESHOLD_MIN_RANGE, progress)
        by_time = minutes * 60.0 / t.threshold_s_per_km * M_PER_KM
        cap = min(by_time, THRESHOLD_SHARE_MAX * week_m)
        rep = 1600.0 if cap >= 4800.0 else 1000.0
        count = max(2, int(cap // rep))
        work = _dist(StepKind.ACTIVE, rep, t.threshold_s_per_km, "threshold pace")
        jog = _jog(60.0, t.easy_s_per_km[1])
        main = _fitted(count, 2, (work, jog), limit_m)
        count = main.repeat
        why = (
            f"Cruise intervals {count} × {rep:.0f} m at threshold pace "
            f"{format_pace(t.threshold_s_per_km)}, 1 min jog: raises the lactate threshold; "
            "20 → 40 min of T running over the phase, within 10% of the week (Daniels)."
        )
        return (main,), why
    if kind is SessionKind.TEMPO:
        cap = THRESHOLD_SHARE_MAX * week_m
        distance = max(1600.0, min(cap, TEMPO_MAX_S / t.threshold_s_per_km * M_PER_KM, limit_m))
        why = (
            f"Steady {format_distance(distance)} at threshold pace "
            f"{format_pace(t.threshold_s_per_km)} ('comfortably hard'); within 10% of the week."
        )
        return (_dist(StepKind.ACTIVE, distance, t.threshold_s_per_km, "tempo"),), why
    if kind is SessionKind.RACE_PACE:
        pace, goal = paces.race_s_per_km, paces.goal_distance_m
        if goal > 30_000.0:
            distance = max(3000.0, min(MARATHON_PACE_SHARE_MAX * week_m, 16_000.0, limit_m))
            why = f"{format_distance(distance)} at goal marathon pace {format_pace(pace)}."
            return (_dist(StepKind.ACTIVE, distance, pace, "race pace"),), why
        share = INTERVAL_SHARE_MAX if goal <= 7_500.0 else THRESHOLD_SHARE_MAX
        reps = RACE_PACE_REPS_M[0 if goal <= 7_500.0 else (1 if goal <= 15_000.0 else 2)]
        # The longest rep of which two still fit the cap; the shortest one otherwise.
        rep = next((r for r in reps if 2 * r <= share * week_m), reps[-1])
        count = max(2, int(share * week_m // rep))
        work = _dist(StepKind.ACTIVE, rep, pace, "race pace")
        jog = _jog(90.0, t.easy_s_per_km[1])
        main = _fitted(count, 2, (work, jog), limit_m)
        count = main.repeat
        why = (
            f"{count} × {rep:.0f} m at goal race pace {format_pace(pace)}: rehearses the "
            f"race rhythm; within {share:.0%} of the week."
        )
        return (main,), why
    if kind is SessionKind.TIME_TRIAL:
        trial_m = RETEST_M if limit_m >= RETEST_M else RETEST_SHORT_M
        time_s = predict_race_time_s(t.vdot, trial_m)
        step = Step(
            StepKind.ACTIVE,
            Measure.DISTANCE,
            trial_m,
            time_s,
            note="time trial",
        )
        why = (
            f"Re-test: {format_distance(trial_m)} time trial, as hard as you can hold evenly "
            f"(your current fitness predicts {format_duration(time_s)}; no pace target, run "
            "by effort). Its time measures the progress: replan with it."
        )
        return (step,), why
    if kind is SessionKind.HILLS:
        lo, hi = HILL_REPS_RANGE
        wanted = round(_between((float(lo), float(hi)), progress))
        count = min(wanted, max(lo, int(INTERVAL_SHARE_MAX * week_m // 300.0)))
        # Uphill at interval effort covers about threshold-pace ground.
        up = _effort(StepKind.ACTIVE, HILL_REP_S, t.threshold_s_per_km, "uphill, hard")
        down = _jog(HILL_RECOVERY_S, t.easy_s_per_km[1], "jog back down")
        main = _fitted(count, min(lo, count), (up, down), limit_m)
        count = main.repeat
        why = f"{count} × 75 s uphill at a hard effort, jog down: strength and economy."
        return (main,), why
    raise ValueError(f"not a main-set kind: {kind}")  # pragma: no cover - internal misuse


def quality_session(
    date: dt.date,
    kind: SessionKind,
    week_m: float,
    paces: Paces,
    warmup: WarmupRoutine | None,
    budget_m: float | None = None,
    max_m: float | None = None,
    progress: float = 0.0,
    *,
    fit_warmup: bool = True,
) -> Session:
    """A quality session: the warm-up's easy jog, its drills, main set, cool-down jog.

    Strides sessions are an easy run of ``budget_m`` ending in 6 × 20 s at repetition pace.
    ``max_m`` shortens continuous main sets (tempo, marathon pace) to fit within it;
    ``progress`` (0–1) sizes the main set (module docstring). The cool-down grows so that
    the warm-up routine stays within :data:`WARMUP_MAX_SHARE` of the session's whole time
    (unless ``fit_warmup`` is false: the caller then picks a smaller routine).
    """
    t = paces.training
    if kind is SessionKind.STRIDES:
        stride = _time(StepKind.ACTIVE, STRIDE_S, t.repetition_s_per_km, "stride, relaxed and fast")
        walk = _effort(StepKind.RECOVERY, STRIDE_RECOVERY_S, WALK_S_PER_KM, "walk back")
        strides = _repeat(STRIDE_COUNT, (stride, walk))
        easy_m = max(2000.0, (budget_m or 5000.0) - strides.distance_m)
        why = (
            f"Easy {format_distance(easy_m)}, then {STRIDE_COUNT} × 20 s strides at "
            f"repetition pace {format_pace(t.repetition_s_per_km)}: speed without fatigue. "
            "The first minutes of the run are the warm-up; do the drills before the strides."
        )
        steps: tuple[Step, ...] = (_easy_jog(StepKind.WARMUP, easy_m, paces), strides)
        return _session(
            date,
            kind,
            f"Easy run + strides {format_distance(easy_m + strides.distance_m)}",
            why,
            steps,
            paces,
            warmup,
        )
    jog_m = WARMUP_JOG_M
    if warmup is not None:
        jog_m = warmup.jog_s / paces.easy_s_per_km * M_PER_KM
    limit = float("inf") if max_m is None else max_m - jog_m - COOLDOWN_JOG_M
    main, why = _main_set(kind, week_m, paces, limit, progress)
    cooldown_m = COOLDOWN_JOG_M
    if warmup is not None and fit_warmup:  # the routine at most a third of the session
        drills_s = warmup.duration_s - warmup.jog_s
        others_s = jog_m / M_PER_KM * paces.easy_s_per_km + sum(m.duration_s for m in main)
        least_s = warmup.duration_s / WARMUP_MAX_SHARE - drills_s - others_s
        cooldown_m = max(cooldown_m, least_s / paces.easy_s_per_km * M_PER_KM + 1.0)
    steps = (
        _easy_jog(StepKind.WARMUP, jog_m, paces),
        *main,
        _easy_jog(StepKind.COOLDOWN, cooldown_m, paces),
    )
    title = _title(kind, main, paces)
    minutes = (warmup.jog_s if warmup is not None else 0.0) / 60.0
    jog_words = f"{minutes:.0f} min" if warmup is not None else format_distance(jog_m)
    why += f" Jog {jog_words} easy, do the warm-up drills (butt kicks & co.), then start."
    return _session(date, kind, title, why, steps, paces, warmup)


_TITLE_WORD: Final = {
    SessionKind.INTERVALS: ("Intervals", "interval_s_per_km"),
    SessionKind.REPETITIONS: ("Repetitions", "repetition_s_per_km"),
    SessionKind.THRESHOLD: ("Threshold", "threshold_s_per_km"),
}


def _title(kind: SessionKind, main: tuple[Step, ...], paces: Paces) -> str:
    """What the session is: ``Intervals 5 × 1000 m @ 3:55/km``, ``Hills 6 × 75 s``."""
    first = main[0]
    if first.kind is StepKind.REPEAT and first.steps:
        work = first.steps[0]
        size = (
            f"{work.duration_s:.0f} s"
            if work.measure is Measure.TIME
            else f"{work.distance_m:.0f} m"
        )
        reps = f"{first.repeat} × {size}"
    else:
        work, reps = first, format_distance(first.distance_m)
    if kind is SessionKind.TIME_TRIAL:
        return f"Time trial {format_distance(first.distance_m)}"
    name = kind.value.replace("_", " ").capitalize()
    if kind in _TITLE_WORD:
        name = _TITLE_WORD[kind][0]
    if work.pace_fast_s_per_km is None or work.pace_slow_s_per_km is None:
        return f"{name} {reps}"
    pace = (work.pace_fast_s_per_km + work.pace_slow_s_per_km) / 2
    return f"{name} {reps} @ {format_pace(pace)}"


def with_longer_cooldown(session: Session, extra_m: float, paces: Paces) -> Session:
    """``session`` with ``extra_m`` more easy running in its cool-down (its last step)."""
    if extra_m <= 0 or not session.steps or session.steps[-1].kind is not StepKind.COOLDOWN:
        return session
    last = session.steps[-1]
    steps = (*session.steps[:-1], _easy_jog(StepKind.COOLDOWN, last.distance_m + extra_m, paces))
    return _session(
        session.date, session.kind, session.title, session.description, steps, paces, session.warmup
    )


def race_session(
    date: dt.date,
    distance_m: float,
    time_s: float,
    warmup: WarmupRoutine | None,
    label: str,
    paces: Paces,
) -> Session:
    """The race: one step over the race distance at the target pace."""
    pace = time_s / (distance_m / M_PER_KM)
    fast, slow = (pace * (1 - PACE_TOLERANCE / 2), pace * (1 + PACE_TOLERANCE / 2))
    step = Step(StepKind.ACTIVE, Measure.DISTANCE, distance_m, time_s, fast, slow, note="race")
    why = f"Race day: {label} at {format_pace(pace)} (even pace). Warm up, then keep moving."
    return _session(date, SessionKind.RACE, f"Race: {label}", why, (step,), paces, warmup)
