"""The comparison plan: the published plan family that matches the runner, under the same
safety rules as stridelab's own plans.

**Which family** (:func:`choose_family`; the families are :mod:`stridelab.plans.families`):
Pfitzinger-like when the runner runs at least :data:`HIGH_MILEAGE_MIN_DAYS` days a week and
their current week, raised by one 10 % ramp, reaches the first week of the smallest
high-mileage variant (then the biggest variant whose first week it reaches); else Higdon
Intermediate from :data:`INTERMEDIATE_MIN_DAYS` days and
:data:`INTERMEDIATE_ENTRY_WEEKLY_KM` (Higdon's own entry level for his intermediate plans,
about 15–20 miles a week); else Higdon Novice. Couch to 5K is the beginner plan itself
(:mod:`stridelab.plans.beginner`). Convention, written down so that it can be checked.

**Aligned to race day**: a family is a fixed-length schedule whose last week is race week.
A longer plan has the runner's usual week (current volume and long run) before the family's
week 1; a shorter plan joins the family later (what the books tell runners short of time).
The plan's lead-in days, if any, are the runner's usual running in both.

**Clipped to the safety rules** stridelab's plans follow (:mod:`stridelab.plans.volume`):
no loading week above 10 % (the request's ramp) over the previous loading week, the weeks
before the plan at the current volume; no week above 1.3 × the mean of the 4 before it; no
week below the current volume before the taper (80 % in the family's step-back weeks) and no
long run below the current one; no long run more than 10 % over the longest of the previous
3 weeks (the recent long run in week 1), nor over 150 min at easy pace (marathon ≤ 36 km);
taper weeks keep the family's fractions of its peak, applied to the clipped peak. What was
clipped is said in ``Baseline.why``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

from stridelab.plans.families import FamilyLevel, PlanFamily, families_for
from stridelab.plans.model import MAX_WEEKLY_RAMP, Baseline, BaselineWeek, Week
from stridelab.units import M_PER_KM

if TYPE_CHECKING:  # the LP module pulls in NumPy; comparison_rows must stay light
    from stridelab.plans.volume import VolumeProblem

__all__ = [
    "HIGH_MILEAGE_MIN_DAYS",
    "INTERMEDIATE_ENTRY_WEEKLY_KM",
    "INTERMEDIATE_MIN_DAYS",
    "ComparisonRow",
    "baseline_for",
    "choose_family",
    "comparison_rows",
]

#: Pfitzinger-like plans are for runners on at least this many days (they run 5–7).
HIGH_MILEAGE_MIN_DAYS: Final = 5
#: Higdon's intermediate plans run 5 days; a 4-day runner at their volume gets them too.
INTERMEDIATE_MIN_DAYS: Final = 4
#: Current weekly volume (km) from which Higdon Intermediate matches (his entry level:
#: "15–25 miles a week" for 5K/10K, about 20 for the half and marathon). Convention.
INTERMEDIATE_ENTRY_WEEKLY_KM: Final[dict[str, float]] = {
    "5k": 24.0,
    "10k": 24.0,
    "half": 32.0,
    "marathon": 32.0,
}
_TOL_M: Final = 1.0
_CLIPPED: Final = "Clipped to the safety rules stridelab's plans follow:"


def choose_family(
    bracket: str, current_weekly_m: float, days_per_week: int
) -> tuple[PlanFamily, str]:
    """The family for a runner (see the module docstring) and why, in one clause."""
    km = current_weekly_m / M_PER_KM
    reach = current_weekly_m * (1 + MAX_WEEKLY_RAMP)
    high = sorted(families_for(bracket, FamilyLevel.HIGH_MILEAGE), key=lambda f: f.first_week_m)
    if days_per_week >= HIGH_MILEAGE_MIN_DAYS and high and reach >= high[0].first_week_m:
        family = [f for f in high if f.first_week_m <= reach][-1]
        return family, (
            f"you run {km:.0f} km on {days_per_week} days a week, enough for its first week "
            f"({family.first_week_m / M_PER_KM:.0f} km) within one 10 % ramp"
        )
    entry = INTERMEDIATE_ENTRY_WEEKLY_KM[bracket]
    if days_per_week >= INTERMEDIATE_MIN_DAYS and km >= entry:
        (family,) = families_for(bracket, FamilyLevel.INTERMEDIATE)
        return family, (
            f"you run {km:.0f} km on {days_per_week} days a week (intermediate from "
            f"{entry:.0f} km on {INTERMEDIATE_MIN_DAYS}+ days)"
        )
    (family,) = families_for(bracket, FamilyLevel.NOVICE)
    why = (
        f"{days_per_week} days a week"
        if days_per_week < INTERMEDIATE_MIN_DAYS
        else f"{km:.0f} km on {days_per_week} days a week, below the {entry:.0f} km of the "
        "intermediate plan"
    )
    return family, f"you run {why}"


def _weeks_list(numbers: Sequence[int], offset: int) -> str:
    return ", ".join(str(k + 1 + offset) for k in numbers)


@dataclass(slots=True)
class _Clips:
    floor: list[int]
    ramp: list[int]
    step: list[int]
    acute: list[int]
    spike: list[int]
    long_cap: list[int]
    long_floor: list[int]
    taper: list[int]

    def sentences(self, offset: int) -> list[str]:
        """One clause per rule that clipped; weeks numbered as the plan's (``offset`` 1 when
        a lead-in week comes first)."""
        said = [
            (self.floor, "raised to your current volume (never less before the taper)"),
            (self.ramp, "held to the weekly ramp cap"),
            (self.step, "step-back week held to the week before"),
            (self.acute, "held to 1.3 × the mean of the 4 weeks before"),
            (self.long_floor, "long run raised to your current long run"),
            (self.spike, "long run held to 10 % over the longest of the last 3 weeks"),
            (self.long_cap, "long run held to 150 min at easy pace"),
            (self.taper, "taper scaled to the clipped peak"),
        ]
        return [f"week(s) {_weeks_list(w, offset)} {text}" for w, text in said if w]


def _aligned(family: PlanFamily, n: int, usual: tuple[float, float]) -> list[tuple[float, float]]:
    published = [(w.distance_m, w.long_run_m) for w in family.weeks]
    if n >= len(published):
        return [usual] * (n - len(published)) + published
    return published[len(published) - n :]


def baseline_for(
    problem: VolumeProblem,
    race_distance_m: float,
    first_week: dt.date,
    lead_in: Week | None = None,
) -> Baseline:
    """The matching family for ``problem``'s runner, week by week from ``first_week``
    (the plan's first full week), clipped to the safety rules (module docstring)."""
    t = problem.targets
    family, reason = choose_family(t.bracket, problem.current_weekly_m, problem.days_per_week)
    n, c = problem.n_weeks, problem.current_weekly_m
    floor, long_floor = problem.weekly_floor_m, problem.start_long_run_m
    usual = (c, long_floor)
    weeks = _aligned(family, n, usual)
    padded = max(0, n - len(family.weeks))
    taper = min(family.taper_weeks, n - 1)
    peak = n - 1 - taper
    step_back = {
        i for i in range(max(1, padded + 1), peak + 1) if weeks[i][0] < weeks[i - 1][0] - _TOL_M
    }
    pub_peak_w = max((w for w, _ in weeks[: peak + 1]), default=c)
    pub_peak_l = max((lr for _, lr in weeks[: peak + 1]), default=long_floor)
    up, spike = 1 + problem.max_weekly_ramp, 1 + problem.max_long_run_spike
    clips = _Clips([], [], [], [], [], [], [], [])
    out_w: list[float] = []
    out_l: list[float] = []
    ref_w = c
    for i, (w, long) in enumerate(weeks):
        if i <= peak:
            least = floor * (problem.cutback_fraction if i in step_back else 1.0)
            if w < least - _TOL_M:
                w = least
                clips.floor.append(i)
            if w > up * ref_w + _TOL_M:
                w = up * ref_w
                clips.ramp.append(i)
            if i in step_back and out_w and w > out_w[-1] + _TOL_M:
                w = out_w[-1]  # a step-back week never rises over the week before
                clips.step.append(i)
            prev = [out_w[k] if k >= 0 else c for k in range(i - 4, i)]
            if w > problem.max_acute_chronic * sum(prev) / 4 + _TOL_M:
                w = problem.max_acute_chronic * sum(prev) / 4
                clips.acute.append(i)
            if i not in step_back:
                ref_w = w
                if long < long_floor - _TOL_M:
                    long = long_floor
                    clips.long_floor.append(i)
        else:
            frac_w, frac_l = w / pub_peak_w, long / pub_peak_l
            top_w, top_l = max(out_w[: peak + 1]), max(out_l[: peak + 1])
            scaled_w = min(frac_w * top_w, out_w[-1])
            scaled_l = min(frac_l * top_l, out_l[-1])
            if abs(scaled_w - w) > _TOL_M or abs(scaled_l - long) > _TOL_M:
                clips.taper.append(i)
            w, long = scaled_w, scaled_l
            if i == n - 1 and not problem.race_week_trains:
                w = long = 0.0
        recent = out_l[max(0, i - 3) : i] + ([problem.seed_long_run_m] if i == 0 else [])
        if recent and long > spike * max(recent) + _TOL_M:
            long = spike * max(recent)
            clips.spike.append(i)
        if long > t.long_run_cap_m + _TOL_M:
            long = t.long_run_cap_m
            clips.long_cap.append(i)
        out_w.append(w)
        out_l.append(min(long, w))
    starts = [first_week + dt.timedelta(days=7 * i) for i in range(n)]
    rows = [
        BaselineWeek(s, float(w), float(lr)) for s, w, lr in zip(starts, out_w, out_l, strict=True)
    ]
    if lead_in is not None:
        lead = BaselineWeek(
            lead_in.start, float(lead_in.training_distance_m), float(lead_in.long_run_m)
        )
        rows.insert(0, lead)
    return Baseline(
        family=family.key,
        name=family.name,
        weeks=tuple(rows),
        race_distance_m=race_distance_m,
        why=_why(family, reason, n, padded, clips, lead_in is not None),
    )


def _why(family: PlanFamily, reason: str, n: int, padded: int, clips: _Clips, lead_in: bool) -> str:
    parts = [
        f"{family.name} ({family.summary()}; {family.source}): the published plan that "
        f"matches you, because {reason}."
    ]
    if family.approximate:
        parts.append("Its weekly totals are approximate (see docs/science.md).")
    skipped = len(family.weeks) - n
    if padded:
        parts.append(
            f"Your plan has {n} full weeks to race day, so the first {padded} are your usual "
            f"running, then the family's {len(family.weeks)}."
        )
    elif skipped > 0:
        parts.append(
            f"Your plan has {n} full weeks to race day, so it joins the family at its week "
            f"{skipped + 1}."
        )
    if lead_in:
        parts.append("The lead-in days (week 1) are your usual running in both.")
    said = clips.sentences(1 if lead_in else 0)
    if said:
        parts.append(f"{_CLIPPED} " + "; ".join(said) + ".")
    else:
        parts.append("No week breaks stridelab's safety rules.")
    return " ".join(parts)


@dataclass(frozen=True, slots=True)
class ComparisonRow:
    """One week side by side: the plan's running and longest run, and the family's
    (metres, the race excluded; ``None`` where the family has no such week)."""

    start: str
    plan_m: float
    plan_long_m: float
    family_m: float | None
    family_long_m: float | None

    def as_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {
            "start": self.start,
            "plan_m": round(self.plan_m, 1),
            "plan_long_m": round(self.plan_long_m, 1),
            "family_m": None if self.family_m is None else round(self.family_m, 1),
            "family_long_m": None if self.family_long_m is None else round(self.family_long_m, 1),
        }


def comparison_rows(
    weeks: Sequence[Mapping[str, Any]], baseline: Mapping[str, Any]
) -> tuple[ComparisonRow, ...]:
    """The plan's weeks next to the family's, from their JSON forms (``Plan.as_dict()``).

    A week is ``Week.as_dict()`` (with ``sessions``) or a calendar week of the web app (with
    ``days`` of ``sessions``); its running excludes the race, its longest run is its
    longest session. Weeks match on their start date.
    """
    family = {w["start"]: w for w in baseline.get("weeks", [])}
    rows = []
    for week in weeks:
        sessions = week.get("sessions")
        if sessions is None:
            sessions = [s for day in week.get("days", []) for s in day["sessions"]]
        runs = [float(s["distance_m"]) for s in sessions if s["kind"] not in ("race", "rest")]
        other = family.get(week["start"])
        rows.append(
            ComparisonRow(
                start=str(week["start"]),
                plan_m=sum(runs),
                plan_long_m=max(runs, default=0.0),
                family_m=None if other is None else float(other["distance_m"]),
                family_long_m=None if other is None else float(other["long_run_m"]),
            )
        )
    return tuple(rows)
