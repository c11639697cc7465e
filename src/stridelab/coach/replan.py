"""Replan: regenerate the remaining weeks from what was actually run, and say why.

When runs are missed, shorter or longer than planned, or a new race result arrives, the
weeks from the next Monday (today, if it is a Monday) to the race are generated again by
the plan engine (:func:`stridelab.plans.generator.generate_plan`), so every safety rule
of a new plan holds: the weekly ramp cap, the acute:chronic guard, cutback weeks, the
taper, the long-run share. What changes is the input:

- current weekly volume: the mean of the last :data:`VOLUME_WEEKS` complete weeks
  actually run (the plan builds on what the body has done, not on what was planned);
- the longest run of the last 30 days (the single-session spike guard, BJSM 2025);
- current fitness: a new race result when given, else the plan's previous fitness.

Past weeks and the current week stay as they were, and the new weeks continue the
periodisation the old plan was in (a replan in week 8 of a build goes on building, it does
not start with base weeks again: :class:`~stridelab.plans.generator.PhaseResume`). The
result lists what changed and why.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

from stridelab.coach.matching import MatchStatus, match_plan, weekly_compliance
from stridelab.coach.planning import (
    PlanOrigin,
    SessionMark,
    StoredPlan,
    TrackedPlan,
    active_plan,
    save_plan,
)
from stridelab.coach.profile import AthleteProfile
from stridelab.coach.runs import list_runs
from stridelab.errors import NotFoundError, PlanError
from stridelab.plans.beginner import replan_refusal
from stridelab.plans.model import (
    MIN_CURRENT_WEEKLY_M,
    Goal,
    Plan,
    PlanRequest,
    RecentRace,
    SessionKind,
    Week,
)
from stridelab.store.database import Database
from stridelab.units import M_PER_KM, format_distance, format_duration

if TYPE_CHECKING:
    from stridelab.plans.generator import PhaseResume

__all__ = ["LONG_RUN_LOOKBACK_DAYS", "VOLUME_WEEKS", "ReplanResult", "replan", "resume_point"]

#: Complete weeks of actual running averaged into the new current volume.
VOLUME_WEEKS: Final = 3
#: The longest run of this many days feeds the plan's single-run spike guard.
LONG_RUN_LOOKBACK_DAYS: Final = 30
#: Distances in the reasons, formatted by :mod:`stridelab.units`.
_km: Final = format_distance


@dataclass(frozen=True)
class ReplanResult:
    """The new plan, the one it replaced, and the explanation."""

    plan: StoredPlan
    previous_plan_id: int
    start: dt.date
    reasons: tuple[str, ...]
    changes: tuple[str, ...]
    weeks: tuple[dict[str, Any], ...]

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form (``stridelab replan --json``)."""
        return {
            "plan_id": self.plan.id,
            "previous_plan_id": self.previous_plan_id,
            "from": self.start.isoformat(),
            "reasons": list(self.reasons),
            "changes": list(self.changes),
            "weeks": list(self.weeks),
        }


def _replan_start(today: dt.date) -> dt.date:
    return today if today.weekday() == 0 else today + dt.timedelta(days=7 - today.weekday())


def resume_point(plan: Plan, start: dt.date) -> PhaseResume | None:
    """Where the new weeks from ``start`` pick up ``plan``'s periodisation: the phase of its
    week holding the new plan's first full week, and how many weeks of that phase came
    before (``None`` when no full week of ``plan`` holds it)."""
    from stridelab.plans.generator import PhaseResume, first_week_start

    first = first_week_start(start, plan.goal.race_date)
    full = [w for w in plan.weeks if not w.lead_in]
    week = next((w for w in full if w.start <= first < w.start + dt.timedelta(days=7)), None)
    if week is None:
        return None
    before = [w for w in full if w.start < week.start]
    return PhaseResume(
        week.phase,
        sum(1 for w in before if w.phase is week.phase),
        len(before),
        retest_done=any(s.kind is SessionKind.TIME_TRIAL and s.date < start for s in plan.sessions),
    )


def _kept_weeks(
    tracked: TrackedPlan, start: dt.date
) -> tuple[list[Week], list[tuple[SessionMark, ...]]]:
    """The weeks of ``tracked`` begun before ``start``, each with only its sessions (and
    their marks) dated before ``start``: those days are history, the rest is replanned."""
    weeks: list[Week] = []
    marks: list[tuple[SessionMark, ...]] = []
    for week, week_marks in zip(tracked.plan.weeks, tracked.marks, strict=True):
        if week.start >= start:
            continue
        keep = [j for j, s in enumerate(week.sessions) if s.date < start]
        if len(keep) < len(week.sessions):
            dropped = sum(
                s.distance_m
                for j, s in enumerate(week.sessions)
                if j not in keep and s.kind is not SessionKind.RACE
            )
            week = dataclasses.replace(
                week,
                sessions=tuple(week.sessions[j] for j in keep),
                training_distance_m=max(0.0, week.training_distance_m - dropped),
                long_run_m=max(
                    (
                        week.sessions[j].distance_m
                        for j in keep
                        if week.sessions[j].kind is SessionKind.LONG
                    ),
                    default=0.0,
                ),
            )
        weeks.append(week)
        marks.append(tuple(week_marks[j] for j in keep))
    return weeks, marks


def _join_weeks(kept: Week, lead: Week, start: dt.date) -> Week:
    """``kept`` (its days before ``start``) followed by the new plan's lead-in days."""
    sessions = kept.sessions + tuple(s for s in lead.sessions if s.date >= start)
    return dataclasses.replace(
        kept,
        sessions=sessions,
        training_distance_m=kept.training_distance_m + lead.training_distance_m,
        long_run_m=max((s.distance_m for s in sessions if s.kind is SessionKind.LONG), default=0.0),
        explanation=f"{kept.explanation} Replanned from {start}: {lead.explanation}",
    )


def replan(
    db: Database,
    athlete_id: int,
    profile: AthleteProfile,
    today: dt.date,
    *,
    race_result: RecentRace | None = None,
    vdot: tuple[float, str] | None = None,
) -> ReplanResult:
    """Regenerate the remaining weeks of the athlete's active plan; store and explain it.

    ``vdot`` is ``(value, basis)`` of an estimated fitness (``stridelab fitness``) to
    take paces from instead of the plan's race; a ``race_result`` wins over it.
    """
    old = active_plan(db, athlete_id)
    if old is None:
        raise NotFoundError("there is no plan to replan", hint="Generate a plan first.")
    if not isinstance(old.request, PlanRequest):  # Couch to 5K follows its fixed weeks
        raise replan_refusal()
    old_request = old.request
    start = _replan_start(today)
    race_date = old.plan.goal.race_date
    if race_date <= start:
        raise PlanError(
            f"the race on {race_date} comes before the next full week ({start})",
            hint="Nothing is left to replan: follow the taper and race week as planned.",
        )
    runs = list_runs(db, athlete_id, profile.threshold_pace_s_per_km, zone=profile.zone)
    summaries = [s for s in (r.summary() for r in runs) if s is not None]
    matches, unplanned = match_plan(old.tracked, summaries, today, profile.threshold_pace_s_per_km)
    this_monday = today - dt.timedelta(days=today.weekday())
    window_start = this_monday - dt.timedelta(weeks=VOLUME_WEEKS)
    recent = [s for s in summaries if window_start <= s.day < this_monday]
    reasons: list[str] = []
    weekly_m = old_request.current_weekly_m
    if recent:
        weekly_m = sum(s.distance_m for s in recent) / VOLUME_WEEKS
        compliance = [
            w
            for w in weekly_compliance(old.tracked, matches, unplanned, today)
            if window_start <= w.start < this_monday
        ]
        planned = sum(w.planned_m for w in compliance) / VOLUME_WEEKS if compliance else None
        text = f"You ran {_km(weekly_m)} a week over the last {VOLUME_WEEKS} weeks"
        if planned:
            text += f" against {_km(planned)} planned ({weekly_m / planned:.0%})"
        reasons.append(text + "; the new weeks build on what you actually ran.")
    else:
        reasons.append(
            f"No runs in the last {VOLUME_WEEKS} weeks are imported; the plan keeps your "
            f"stated {_km(weekly_m)} a week. Import your runs for a plan that fits them."
        )
    if weekly_m < MIN_CURRENT_WEEKLY_M:
        reasons.append(
            f"That is below the {_km(MIN_CURRENT_WEEKLY_M)} a week a plan can build on; "
            f"it starts from {_km(MIN_CURRENT_WEEKLY_M)}. Ease back in with short easy runs."
        )
        weekly_m = MIN_CURRENT_WEEKLY_M
    counts = {status: 0 for status in MatchStatus}
    for match in matches:
        if match.day < today:
            counts[match.status] += 1
    for status, word in (
        (MatchStatus.MISSED, "missed"),
        (MatchStatus.SHORTER, "shorter than planned"),
        (MatchStatus.LONGER, "longer than planned"),
        (MatchStatus.SKIPPED, "skipped"),
    ):
        if counts[status]:
            reasons.append(f"{counts[status]} session(s) so far were {word}.")
    month_ago = today - dt.timedelta(days=LONG_RUN_LOOKBACK_DAYS)
    longest = max((s.distance_m for s in summaries if month_ago <= s.day <= today), default=None)
    # What the runner does now (kept in the stored request), and where the new weeks start.
    now: dict[str, Any] = {"current_weekly_m": weekly_m}
    if longest:
        now["recent_long_run_m"] = longest
        reasons.append(
            f"Your longest run of the last {LONG_RUN_LOOKBACK_DAYS} days was {_km(longest)}; "
            "no new run will be more than about 10% longer (single-run spikes raise injury risk)."
        )
    if race_result is not None:
        now.update(recent_race=race_result, vdot=None)
        reasons.append(
            f"New race result: {_km(race_result.distance_m)} in "
            f"{format_duration(race_result.time_s)}; paces are recalculated from it."
        )
    elif vdot is not None:
        now.update(vdot=round(vdot[0], 1), recent_race=None)
        reasons.append(f"Paces from your estimated fitness, VDOT {vdot[0]:.1f} ({vdot[1]}).")
    stored_request = dataclasses.replace(old_request, **now)
    request = dataclasses.replace(stored_request, start_date=start)
    from stridelab.plans.generator import generate_plan

    new = generate_plan(request, today=today, resume=resume_point(old.plan, start))
    kept_weeks, kept_marks = _kept_weeks(old.tracked, start)
    old_future = [w for w in old.plan.weeks if w.start >= start]
    new_weeks, new_marks = list(new.weeks), list(TrackedPlan.new(new).marks)
    if kept_weeks and new_weeks and new_weeks[0].start == kept_weeks[-1].start:
        # A race on a weekday other than Sunday: weeks run to the race's weekday, so the
        # week holding ``start`` began before it; its kept days and the new plan's lead-in
        # days are one week, not two weeks with the same dates.
        lead, lead_marks = new_weeks.pop(0), new_marks.pop(0)
        last, last_marks = kept_weeks[-1], kept_marks[-1]
        number = len(kept_weeks)
        kept_weeks[-1] = _join_weeks(last, lead, start)
        kept_marks[-1] = last_marks + tuple(
            dataclasses.replace(m, id=f"w{number}-s{len(last_marks) + j}")
            for j, m in enumerate(
                (m for m, s in zip(lead_marks, lead.sessions, strict=True) if s.date >= start),
                start=1,
            )
        )
    merged = TrackedPlan(
        dataclasses.replace(new, weeks=tuple(kept_weeks) + tuple(new_weeks)),
        tuple(kept_marks)
        + tuple(  # numbered after the kept weeks, so ids stay unique
            tuple(
                dataclasses.replace(m, id=f"w{len(kept_weeks) + k}-s{j}")
                for j, m in enumerate(week, start=1)
            )
            for k, week in enumerate(new_marks, start=1)
        ),
        due_from=old.due_from,  # the kept weeks were due from the same day as before
        replanned_from=start,
    )
    weeks, change_lines = _compare(old_future, new_weeks, old.plan.goal, new.goal)
    stored = save_plan(
        db,
        athlete_id,
        stored_request,
        merged,
        PlanOrigin.REPLANNED,
        change={"from": start.isoformat(), "reasons": reasons, "changes": change_lines},
    )
    return ReplanResult(stored, old.id, start, tuple(reasons), tuple(change_lines), tuple(weeks))


def _compare(
    old_weeks: list[Week], new_weeks: list[Week], old_goal: Goal, new_goal: Goal
) -> tuple[list[dict[str, Any]], list[str]]:
    old_by_start = {w.start: round(w.distance_m, 1) for w in old_weeks}
    weeks = [
        {
            "start": w.start.isoformat(),
            "phase": w.phase.value,
            "old_distance_m": old_by_start.get(w.start),
            "new_distance_m": round(w.distance_m, 1),
            "explanation": w.explanation,
        }
        for w in new_weeks
    ]
    old_total = sum(w.distance_m for w in old_weeks)
    new_total = sum(w.distance_m for w in new_weeks)
    lines = [
        f"The remaining {len(new_weeks)} weeks total {_km(new_total)} instead of "
        f"{_km(old_total)} ({(new_total - old_total) / M_PER_KM:+.1f} km)."
    ]
    if old_weeks and new_weeks:
        old_peak = max(w.distance_m for w in old_weeks)
        new_peak = max(w.distance_m for w in new_weeks)
        lines.append(f"Peak week: {_km(new_peak)} (was {_km(old_peak)}).")
        first = new_weeks[0]
        lines.append(f"Next week: {_km(first.distance_m)}. {first.explanation}")
    old_g, new_g = old_goal.as_dict(), new_goal.as_dict()  # VDOT and times as shown
    if (
        old_g["vdot"] is not None
        and new_g["vdot"] is not None
        and abs(new_g["vdot"] - old_g["vdot"]) >= 0.1
    ):
        lines.append(
            f"Fitness (VDOT) {old_g['vdot']} → {new_g['vdot']}: predicted race time "
            f"{format_duration(float(new_g['predicted_time_s']))} "
            f"(was {format_duration(float(old_g['predicted_time_s']))})."
        )
    lines.append(
        "Safety rules kept: weekly increase capped, acute:chronic load guarded, cutback weeks, "
        "taper before the race, long run capped as a share of the week."
    )
    return weeks, lines
