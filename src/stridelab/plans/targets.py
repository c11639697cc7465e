"""What a goal race demands: the peak long run, the peak weekly volume and the taper.

These are the levels the volume optimisation must reach by the last week before the
taper. They are deliberately the *least* commonly prescribed levels, because the plan's
objective is the least mileage that still prepares the runner.

Sources
-------
* Long run: Daniels' Running Formula (3rd ed., 2014) caps the long run at 150 min (and at
  25–30 % of weekly volume for higher-volume runners). stridelab takes the distance covered
  in a goal-specific time at the runner's easy pace and clamps it to a per-distance range
  (marathon 28–36 km, the longest-run window of most published marathon plans: Higdon,
  Pfitzinger, Hanson), then caps it at 150 min at easy pace
  (:data:`LONG_RUN_MAX_S`): a slower marathoner's longest run is shorter than 28 km.
* One long run a week: no other run longer than :data:`OTHER_RUN_MAX_SHARE` (75 %) of the
  week's long run. Convention, modelled on Pfitzinger & Douglas' medium-long runs (11–15
  miles next to 18–22-mile long runs, about 60–75 %). It bounds a week at
  ``L · (1 + 0.75 (d − 1))`` for ``d`` running days, which caps the goal's peak week.
* Peak weekly volume: the lowest peaks of widely used novice plans (Hal Higdon novice
  5K ≈ 24 km, 10K ≈ 32 km, half ≈ 40 km, marathon ≈ 64 km per week). Weak evidence: these
  are coaching conventions, not trial results. The 40 % long-run share rule often binds first
  (a 28 km long run needs a 70 km week).
* Taper: Bosquet et al. 2007 (MSSE 39:1358), meta-analysis: about 2 weeks, volume cut
  progressively by 41–60 %, intensity and frequency kept. Race week therefore runs at
  40–60 % of peak volume; 1 taper week for 5K/10K, 2 for the half, 2–3 for the marathon.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Final

from stridelab.errors import PlanError
from stridelab.units import M_PER_KM, RACE_DISTANCES_M, distance_label

__all__ = [
    "DEFAULT_LONG_RUN_CAP_M",
    "DEFAULT_LONG_RUN_SHARE",
    "LONG_RUN_MAX_S",
    "LONG_RUN_MAX_SHARE",
    "OTHER_RUN_MAX_SHARE",
    "GoalTargets",
    "check_goal_distance",
    "default_long_run_m",
    "goal_targets",
    "long_run_cap_m",
    "taper_bounds",
    "taper_weeks",
    "week_cap_m",
]

#: Long run at most this share of the week's volume (issue rule; Daniels: 25–30 % for
#: higher-volume runners, so 40 % is the ceiling for low-volume, few-day runners).
LONG_RUN_MAX_SHARE: Final = 0.40
#: Daniels' cap on the long run's duration, at easy pace.
LONG_RUN_MAX_S: Final = 150 * 60.0
#: No other run above this share of the week's long run (module docstring; convention).
OTHER_RUN_MAX_SHARE: Final = 0.75
#: Without a known recent long run, assume it was this share of the current weekly volume
#: (the middle of the usual 25–35 %; Daniels: 25–30 % for higher-volume runners) ...
DEFAULT_LONG_RUN_SHARE: Final = 0.30
#: ... and at most this long: a longer long run must be given (``--current-long-run-km``).
DEFAULT_LONG_RUN_CAP_M: Final = 20_000.0
#: The longest goal distance stridelab plans for (ultras need other rules).
MAX_GOAL_DISTANCE_M: Final = RACE_DISTANCES_M["marathon"] * 1.001
MIN_GOAL_DISTANCE_M: Final = RACE_DISTANCES_M["1500m"]


@dataclass(frozen=True, slots=True)
class _Bracket:
    name: str
    up_to_m: float
    long_run_minutes: float
    long_run_km: tuple[float, float]
    peak_weekly_km: float
    taper_weeks: int


#: Per-distance demands (see module docstring). Goals between standard distances use the
#: bracket of the next longer standard distance.
_BRACKETS: Final = (
    _Bracket("5k", 7_500.0, 60.0, (8.0, 12.0), 24.0, 1),
    _Bracket("10k", 15_000.0, 75.0, (12.0, 16.0), 32.0, 1),
    _Bracket("half", 30_000.0, 105.0, (16.0, 22.0), 40.0, 2),
    _Bracket("marathon", MAX_GOAL_DISTANCE_M, 150.0, (28.0, 36.0), 64.0, 3),
)
#: A marathon plan shorter than this many weeks tapers 2 weeks instead of 3.
MARATHON_SHORT_TAPER_BELOW_WEEKS: Final = 16


@dataclass(frozen=True, slots=True)
class GoalTargets:
    """Levels to reach by the peak week, and the taper length, for one goal and runner."""

    bracket: str
    peak_long_run_m: float
    peak_weekly_m: float
    taper_weeks: int
    long_run_cap_m: float
    label: str = ""

    def for_weeks(self, n_weeks: int) -> GoalTargets:
        """The same targets for a plan of ``n_weeks`` (the marathon taper depends on it)."""
        return replace(self, taper_weeks=taper_weeks(self.bracket, n_weeks))

    def describe(self) -> str:
        """One sentence for explanations."""
        return (
            f"the {self.label or self.bracket} goal needs a "
            f"{self.peak_long_run_m / M_PER_KM:.0f} km long run and "
            f"{self.peak_weekly_m / M_PER_KM:.0f} km/week by the last week before the taper"
        )


def default_long_run_m(current_weekly_m: float) -> float:
    """The assumed current long run when the runner gives none: 30 % of the week, ≤ 20 km."""
    return min(DEFAULT_LONG_RUN_SHARE * current_weekly_m, DEFAULT_LONG_RUN_CAP_M)


def check_goal_distance(goal_distance_m: float) -> None:
    """Refuse goals outside 1500 m to the marathon (the range the rules here are for)."""
    if not MIN_GOAL_DISTANCE_M <= goal_distance_m <= MAX_GOAL_DISTANCE_M:
        raise PlanError(
            f"A {goal_distance_m / M_PER_KM:.1f} km goal is outside 1.5 km to the marathon",
            hint="stridelab plans 1500 m to marathon races; pick e.g. --goal 10k or marathon.",
        )


def long_run_cap_m(easy_pace_s_per_km: float, bracket: str = "") -> float:
    """The longest long run: 150 min at easy pace (Daniels), marathon at most 36 km."""
    cap = LONG_RUN_MAX_S / easy_pace_s_per_km * M_PER_KM
    if bracket == "marathon":
        cap = min(cap, _BRACKETS[-1].long_run_km[1] * M_PER_KM)
    return cap


def week_cap_m(long_run_m: float, days_per_week: int) -> float:
    """The biggest week a long run of ``long_run_m`` carries on ``days_per_week`` days
    when no other run exceeds :data:`OTHER_RUN_MAX_SHARE` of it."""
    return long_run_m * (1 + OTHER_RUN_MAX_SHARE * (days_per_week - 1))


def goal_targets(
    goal_distance_m: float, easy_pace_s_per_km: float, n_weeks: int, days_per_week: int = 5
) -> GoalTargets:
    """Targets for a goal distance and a runner whose easy pace is ``easy_pace_s_per_km``.

    Peak long run = easy-pace distance in the bracket's time, clamped to its km range
    (marathon: 150 min clamped to 28–36 km), then capped at 150 min at easy pace. Peak week
    = the bracket's novice peak, at least the long run / 40 % and at most what the long run
    carries on the runner's days (:func:`week_cap_m`). Valid for goals of 1.5 km up to the
    marathon and 3–7 running days.
    """
    check_goal_distance(goal_distance_m)
    bracket = next(b for b in _BRACKETS if goal_distance_m <= b.up_to_m)
    lo_km, hi_km = bracket.long_run_km
    by_time_km = bracket.long_run_minutes * 60.0 / easy_pace_s_per_km
    cap_m = long_run_cap_m(easy_pace_s_per_km, bracket.name)
    long_run_m = min(min(max(by_time_km, lo_km), hi_km) * M_PER_KM, cap_m)
    weekly_m = max(
        min(bracket.peak_weekly_km * M_PER_KM, week_cap_m(long_run_m, days_per_week)),
        long_run_m / LONG_RUN_MAX_SHARE,
    )
    taper = taper_weeks(bracket.name, n_weeks)
    label = distance_label(goal_distance_m)
    return GoalTargets(bracket.name, long_run_m, weekly_m, taper, cap_m, label)


def taper_weeks(bracket: str, n_weeks: int) -> int:
    """Taper length: 1 week for 5K/10K, 2 for the half, 3 for the marathon (2 in short plans)."""
    weeks = next(b.taper_weeks for b in _BRACKETS if b.name == bracket)
    if bracket == "marathon" and n_weeks < MARATHON_SHORT_TAPER_BELOW_WEEKS:
        return 2
    return weeks


def taper_bounds(taper_weeks: int) -> tuple[tuple[float, float], ...]:
    """(lowest, highest) fraction of peak volume for each taper week, race week last.

    Progressive reduction ending at 40–60 % of peak in race week (Bosquet et al. 2007).
    """
    table: dict[int, tuple[tuple[float, float], ...]] = {
        1: ((0.40, 0.60),),
        2: ((0.60, 0.80), (0.40, 0.60)),
        3: ((0.70, 0.85), (0.55, 0.70), (0.40, 0.60)),
    }
    return table[taper_weeks]
