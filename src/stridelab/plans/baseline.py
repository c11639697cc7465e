"""A conventional fixed-template plan, to compare the optimised plan's mileage against.

Most published plans (Higdon, Pfitzinger, Daniels' templates) build linearly from the
runner's current volume to a fixed peak for the distance, with a lighter week every
fourth week and a fixed taper. Their template peaks are about 40 km (5K), 48 km (10K),
56 km (half) and 80 km (marathon) per week for intermediate plans. The baseline uses the
same weeks, cutback positions and race as the optimised plan, and a peak no lower than
what the goal needs, so the two totals compare like with like.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from stridelab.plans.volume import VolumeProblem
from stridelab.units import M_PER_KM

__all__ = ["TEMPLATE_PEAK_WEEKLY_KM", "TEMPLATE_TAPER", "BaselinePlan", "baseline_plan"]

#: Intermediate-plan peak weekly volumes (km) by goal bracket.
TEMPLATE_PEAK_WEEKLY_KM: Final[dict[str, float]] = {
    "5k": 40.0,
    "10k": 48.0,
    "half": 56.0,
    "marathon": 80.0,
}
#: Template taper: fraction of peak for each taper week, race week last.
TEMPLATE_TAPER: Final[dict[int, tuple[float, ...]]] = {
    1: (0.6,),
    2: (0.75, 0.5),
    3: (0.8, 0.65, 0.5),
}
#: Template cutback weeks run at this fraction of the linear build.
TEMPLATE_CUTBACK: Final = 0.8


@dataclass(frozen=True, slots=True)
class BaselinePlan:
    """Weekly training volumes of the template plan (metres, race excluded)."""

    weekly_m: tuple[float, ...]
    race_distance_m: float

    @property
    def total_distance_m(self) -> float:
        """Everything the template asks for, the race included."""
        return float(sum(self.weekly_m)) + self.race_distance_m


def baseline_plan(problem: VolumeProblem, race_distance_m: float) -> BaselinePlan:
    """The template plan for the runner and weeks of ``problem``.

    Linear build from the current volume (week 0) to the template peak (peak week), the
    same cutback weeks at 80 %, then the template taper.
    """
    t = problem.targets
    peak_m = max(
        TEMPLATE_PEAK_WEEKLY_KM[t.bracket] * M_PER_KM, t.peak_weekly_m, problem.current_weekly_m
    )
    p, start = problem.peak_index, problem.current_weekly_m
    weekly: list[float] = []
    for i in range(p + 1):
        level = start + (peak_m - start) * (i / p if p > 0 else 1.0)
        weekly.append(level * (TEMPLATE_CUTBACK if i in problem.cutbacks else 1.0))
    weekly.extend(peak_m * f for f in TEMPLATE_TAPER[t.taper_weeks])
    if not problem.race_week_trains:
        weekly[-1] = 0.0
    return BaselinePlan(tuple(weekly), race_distance_m)
