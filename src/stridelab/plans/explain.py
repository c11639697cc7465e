"""Words for each week: why it has the volume it has (which constraint binds).

:func:`explain_week` gives the full sentences (Markdown, JSON); :func:`summarise_week` a
few words for the terminal table (``"ramp +10%"``, ``"cutback −20%"``, ``"taper −30%"``).
"""

from __future__ import annotations

from typing import Final

from stridelab.plans.targets import LONG_RUN_MAX_SHARE
from stridelab.plans.volume import Binding, VolumeSchedule
from stridelab.units import M_PER_KM, format_distance

__all__ = ["SUMMARY_MAX_CHARS", "explain_week", "ordinal", "summarise_week"]

#: Longest :func:`summarise_week` text.
SUMMARY_MAX_CHARS = 24
#: Distances in the sentences, formatted by :mod:`stridelab.units`.
_km: Final = format_distance


def ordinal(n: int) -> str:
    """``3rd``, ``4th``, ``21st``, ``12th``: English ordinals for "every 3rd week"."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _change(now: float, before: float) -> str:
    """``+10%`` / ``−20%`` / ``±0%`` (a true minus sign)."""
    pct = round(100 * (now / before - 1)) if before > 0 else 0
    return f"+{pct}%" if pct > 0 else (f"−{-pct}%" if pct < 0 else "±0%")


def summarise_week(schedule: VolumeSchedule, i: int) -> str:
    """A few words (≤ :data:`SUMMARY_MAX_CHARS`) naming what sets week ``i``'s volume."""
    p = schedule.problem
    w, long = schedule.weekly_m, schedule.long_run_m
    peak = p.peak_index
    binding = schedule.binding[i] if schedule.binding else frozenset()
    before = w[i - 1] if i else p.current_weekly_m
    if i == p.n_weeks - 1:
        return f"race wk: {w[i] / w[peak]:.0%} of peak"
    if Binding.TAPER in binding:
        return f"taper {_change(w[i], before)}, {w[i] / w[peak]:.0%} of peak"
    if Binding.TARGET in binding:
        return f"peak: long run {long[i] / M_PER_KM:.0f} km"
    if Binding.CUTBACK in binding:
        return f"cutback {_change(w[i], before)}, long {_change(long[i], long[i - 1])}"
    ref = p.reference(i)  # after a cutback, compare with the last loading week
    change = _change(w[i], w[ref] if ref >= 0 else p.current_weekly_m)
    lead = "post-cutback" if ref >= 0 and ref != i - 1 else change
    if Binding.FLOOR in binding:
        return "held at current" if lead == "±0%" else "back to current"
    if Binding.LONG_RUN in binding:
        return f"{lead}, long {long[i] / M_PER_KM:.0f} km"
    if Binding.RAMP in binding:
        return f"{lead}, ramp" + ("" if lead == "post-cutback" else " to peak")
    if Binding.ACUTE_CHRONIC in binding:
        return f"{lead}, ACWR guard"
    return lead


def _short_runs(schedule: VolumeSchedule, i: int) -> str:
    p = schedule.problem
    if i == p.n_weeks - 1 or p.shortest_run_m >= p.min_run_m - 1e-6:
        return ""
    return (
        f"Your {p.days_per_week} days share {_km(p.weekly_floor_m)} a week now, so some runs "
        f"are shorter than {_km(p.min_run_m)}; fewer days would make each run longer."
    )


def _fewer_days(runs: int, offered: int, min_run_m: float) -> str:
    if runs >= offered:
        return ""
    return (
        f"Runs on {runs} of your {offered} days: more runs would be shorter than "
        f"{_km(min_run_m)} (5 km or 20 min easy, whichever is shorter), so the spare "
        f"day{'s are' if offered - runs > 1 else ' is'} rest."
    )


def explain_week(
    schedule: VolumeSchedule, i: int, runs: int = 0, offered: int = 0, min_run_m: float = 0.0
) -> str:
    """Sentences naming what sets week ``i``'s volume (and why it has fewer runs, if so).

    ``runs`` is the number of runs scheduled (the race excluded), ``offered`` the running
    days the runner gave for that week, ``min_run_m`` the shortest run allowed.
    """
    p = schedule.problem
    t = p.targets
    w, long = schedule.weekly_m, schedule.long_run_m
    peak = p.peak_index
    binding = schedule.binding[i] if schedule.binding else frozenset()
    parts: list[str] = [f"{_km(w[i])} of training."]
    fewer = " ".join(
        x for x in (_fewer_days(runs, offered, min_run_m), _short_runs(schedule, i)) if x
    )
    if i == p.n_weeks - 1:
        parts.append(
            f"Race week: {_km(w[i])} of training before the race, {w[i] / w[peak]:.0%} of the "
            "peak week. The race itself is not counted: the rule 'race week at most 60% of "
            "peak' applies to training (the taper ends at 40–60% of peak; Bosquet 2007)."
        )
        return " ".join([*parts, fewer]).strip()
    if Binding.TAPER in binding:
        k = i - peak
        parts.append(
            f"Taper week {k} of {t.taper_weeks}: {w[i] / w[peak]:.0%} of peak volume, "
            "cut progressively while intensity stays (Bosquet 2007); the long run shrinks "
            f"with it to {_km(long[i])}."
        )
        return " ".join([*parts, fewer]).strip()
    if Binding.TARGET in binding:
        parts.append(
            f"Peak week: {t.describe()}; this is the least that meets it (long run {_km(long[i])})."
        )
    if Binding.CUTBACK in binding:
        lo, hi = p.cutback_long_run_range
        parts.append(
            f"Cutback week (at most {p.cutback_fraction:.0%} of the week before): "
            f"a lighter week every {ordinal(p.cutback_every_weeks)} week, counted from the "
            "start, to absorb the training. The long run steps back "
            f"to {_km(long[i])} ({lo:.0%}–{hi:.0%} of the last one), not to an easy run, so "
            "the next one stays within 10% of the longest run of the last 30 days."
        )
    if Binding.FLOOR in binding and Binding.CUTBACK not in binding:
        floor = p.current_weekly_m
        if p.current_weekly_m > t.peak_weekly_m:
            parts.append(
                f"Held at your current {_km(floor)}, already more than the "
                f"{_km(t.peak_weekly_m)} the goal needs: the plan adds no miles, but it does "
                "not cut the running you do either (only cutbacks and the taper do)."
            )
        else:
            parts.append(
                f"Held at your current {_km(floor)}: nothing later needs more yet, so no "
                "mileage is added (the plan never drops you below it)."
            )
    if Binding.LONG_RUN in binding:
        parts.append(
            f"Carries a {_km(long[i])} long run, which may be at most "
            f"{LONG_RUN_MAX_SHARE:.0%} of the week; long runs build steadily from your "
            f"{_km(p.start_long_run_m)} to {_km(p.peak_long_run_m)}, at most "
            f"{p.max_long_run_spike:.0%} per step."
        )
    elif Binding.CUTBACK not in binding and Binding.TARGET not in binding:
        if p.start_long_run_m >= t.peak_long_run_m:
            parts.append(
                f"Long run {_km(long[i])} ({long[i] / w[i]:.0%} of the week): held at your "
                f"current {_km(p.start_long_run_m)}, more than the {_km(t.peak_long_run_m)} "
                "the goal needs; the plan does not cut what you already run."
            )
        else:
            parts.append(
                f"Long run {_km(long[i])} ({long[i] / w[i]:.0%} of the week), building "
                f"steadily from your {_km(p.start_long_run_m)} to {_km(p.peak_long_run_m)} by "
                "the peak week."
            )
    if Binding.RAMP in binding:
        parts.append(
            f"The least volume from which the next loading week stays within the "
            f"{p.max_weekly_ramp:.0%} ramp cap on the way to the {_km(t.peak_weekly_m)} peak."
        )
    if Binding.ACUTE_CHRONIC in binding:
        parts.append(
            f"Needed so that a later week stays within {p.max_acute_chronic:g} × the "
            "average of its previous 4 weeks (acute:chronic guard)."
        )
    if len(parts) == 1:
        parts.append("Set by the optimiser: the least volume the later weeks allow.")
    return " ".join([*parts, fewer]).strip()
