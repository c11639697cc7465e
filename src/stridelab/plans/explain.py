"""Words for each week: why it has the volume it has (which constraint binds)."""

from __future__ import annotations

from stridelab.plans.targets import LONG_RUN_MAX_SHARE
from stridelab.plans.volume import Binding, VolumeSchedule

__all__ = ["explain_week"]


def _km(metres: float) -> str:
    return f"{metres / 1000:.1f} km"


def explain_week(schedule: VolumeSchedule, i: int) -> str:
    """One or more sentences naming what sets week ``i``'s volume."""
    p = schedule.problem
    t = p.targets
    w, long = schedule.weekly_m, schedule.long_run_m
    peak = p.peak_index
    binding = schedule.binding[i] if schedule.binding else frozenset()
    parts: list[str] = [f"{_km(w[i])} of training."]
    if i == p.n_weeks - 1:
        parts.append(
            f"Race week: {w[i] / w[peak]:.0%} of the peak week before the race "
            "(taper ends at 40–60% of peak; Bosquet 2007)."
        )
        return " ".join(parts)
    if Binding.TAPER in binding:
        k = i - peak
        parts.append(
            f"Taper week {k} of {t.taper_weeks}: {w[i] / w[peak]:.0%} of peak volume, "
            "cut progressively while intensity stays (Bosquet 2007)."
        )
        return " ".join(parts)
    if Binding.TARGET in binding:
        parts.append(
            f"Peak week: {t.describe()}; this is the least that meets it (long run {_km(long[i])})."
        )
    if Binding.CUTBACK in binding:
        parts.append(
            f"Cutback week (at most {p.cutback_fraction:.0%} of the week before): "
            "a lighter week every 4th week to absorb the training."
        )
    if Binding.FLOOR in binding and Binding.CUTBACK not in binding:
        floor = min(p.current_weekly_m, t.peak_weekly_m)
        if p.current_weekly_m > t.peak_weekly_m:
            parts.append(
                f"Held at the {_km(floor)} the goal needs: more would add miles without need."
            )
        else:
            parts.append(
                f"Held at your current {_km(floor)}: nothing later needs more yet, so no "
                "mileage is added (the plan never drops you below it)."
            )
    if Binding.LONG_RUN in binding:
        parts.append(
            f"Carries a {_km(long[i])} long run, which may be at most "
            f"{LONG_RUN_MAX_SHARE:.0%} of the week; long runs grow at most "
            f"{p.max_long_run_spike:.0%} per step to reach {_km(t.peak_long_run_m)}."
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
    return " ".join(parts)
