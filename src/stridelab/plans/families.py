"""Published plan families, as data: the plans a runner would otherwise follow.

Each :class:`PlanFamily` is one published schedule, week by week: the week's running
(cross-training and walks excluded) and its longest run, the race itself excluded. The
comparison plan (:mod:`stridelab.plans.baseline`) takes the family that matches the runner,
aligns it to race day and clips it to stridelab's safety rules.

Sources and how exact they are (``approximate`` says which):

* **Hal Higdon** (halhigdon.com, free schedules; the same plans on TrainingPeaks). Novice
  and Intermediate 5K and 10K and Half Marathon Novice 2 are transcribed from the published
  tables; quality days are counted at their distance with warm-up (Higdon lists
  5 × 400 m as a 5-mile day; a tempo run as its minutes at 9:00/mile). Marathon Novice 1
  (long runs 6 → 20 miles, every third week a step back, Tuesday 3 → 5 miles, Wednesday
  3 → 10 miles) and the Intermediate Half and Marathon are rebuilt from the published long
  runs and structure: their midweek miles are approximate.
* **Pfitzinger-like** (high mileage): Pfitzinger & Douglas, *Advanced Marathoning*
  (18/55, 18/70, 18/85: 18 weeks peaking at 55, 70, 85 miles a week, longest runs 20, 22,
  22 miles) and Pfitzinger & Latter, *Faster Road Racing* (5K to half marathon). Only the
  peaks and longest runs are the books'; the week-by-week shape between them
  (:data:`PFITZINGER_MARATHON_SHAPE`, :data:`PFITZINGER_ROAD_SHAPE`: a start at 75 % of the
  peak, a recovery week every fourth week, the books' 3-week marathon taper) is a
  *convention* modelled on them, as are the road-race peaks (40/55/70 miles a week for
  5K–10K, 45/60/75 for the half, the longest run a quarter of the peak week).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from stridelab.units import M_PER_KM, M_PER_MILE

__all__ = [
    "FAMILIES",
    "PFITZINGER_MARATHON_SHAPE",
    "PFITZINGER_ROAD_SHAPE",
    "FamilyLevel",
    "FamilyWeek",
    "PlanFamily",
    "families_for",
]


class FamilyLevel(StrEnum):
    """Who a family is written for."""

    NOVICE = "novice"
    INTERMEDIATE = "intermediate"
    HIGH_MILEAGE = "high_mileage"


@dataclass(frozen=True, slots=True)
class FamilyWeek:
    """One published week: its running and its longest run (metres, race excluded)."""

    distance_m: float
    long_run_m: float


@dataclass(frozen=True, slots=True)
class PlanFamily:
    """A published schedule for one goal bracket (``"5k"``, ``"10k"``, ``"half"``,
    ``"marathon"``) and level; ``taper_weeks`` are its last weeks (race week included)."""

    key: str
    name: str
    bracket: str
    level: FamilyLevel
    run_days: int
    weeks: tuple[FamilyWeek, ...]
    taper_weeks: int
    source: str
    approximate: bool = False

    @property
    def peak_weekly_m(self) -> float:
        """The family's biggest week."""
        return max(w.distance_m for w in self.weeks)

    @property
    def peak_long_run_m(self) -> float:
        """The family's longest run."""
        return max(w.long_run_m for w in self.weeks)

    @property
    def first_week_m(self) -> float:
        """The family's first week: what it expects a runner to handle when starting."""
        return self.weeks[0].distance_m

    def summary(self) -> str:
        """``"8 weeks, 5 run days, peak 43 km/week, longest run 13 km"``."""
        return (
            f"{len(self.weeks)} weeks, {self.run_days} run days, peak "
            f"{self.peak_weekly_m / M_PER_KM:.0f} km/week, longest run "
            f"{self.peak_long_run_m / M_PER_KM:.0f} km"
        )


def _miles(*weeks: tuple[float, float]) -> tuple[FamilyWeek, ...]:
    return tuple(FamilyWeek(w * M_PER_MILE, long * M_PER_MILE) for w, long in weeks)


def _shaped(
    shape: tuple[tuple[float, float], ...], peak_mi: float, long_mi: float
) -> tuple[FamilyWeek, ...]:
    return tuple(FamilyWeek(f * peak_mi * M_PER_MILE, g * long_mi * M_PER_MILE) for f, g in shape)


_HIGDON: Final = "Hal Higdon, halhigdon.com training programs"
_PFITZ_AM: Final = (
    "Pfitzinger & Douglas, Advanced Marathoning (peak and longest run; shape: convention)"
)
_PFITZ_FRR: Final = "after Pfitzinger & Latter, Faster Road Racing (convention)"

#: Pfitzinger-like 18-week marathon shape: (fraction of peak week, fraction of longest run)
#: per week. Convention: starts at 75 % of the peak, recovery weeks 4, 8 and 12, the peak in
#: weeks 13–15, a 3-week taper (80, 65 % and race week 40 %).
PFITZINGER_MARATHON_SHAPE: Final = (
    (0.75, 0.70), (0.80, 0.75), (0.85, 0.80), (0.76, 0.70),
    (0.87, 0.85), (0.91, 0.90), (0.95, 0.90), (0.84, 0.75),
    (0.96, 0.95), (1.00, 1.00), (0.97, 0.90), (0.86, 0.80),
    (1.00, 1.00), (0.96, 0.90), (0.98, 1.00),
    (0.80, 0.80), (0.65, 0.65), (0.40, 0.40),
)  # fmt: skip
#: Pfitzinger-like 12-week 5K–half shape (same convention); the half tapers two weeks
#: (week 11 at 80 %), 5K and 10K one (race week 55 %).
PFITZINGER_ROAD_SHAPE: Final = {
    1: (
        (0.75, 0.75), (0.80, 0.80), (0.85, 0.85), (0.77, 0.75),
        (0.88, 0.90), (0.93, 0.95), (0.97, 1.00), (0.85, 0.80),
        (1.00, 1.00), (0.97, 0.95), (0.95, 0.90), (0.55, 0.50),
    ),
    2: (
        (0.75, 0.75), (0.80, 0.80), (0.85, 0.85), (0.77, 0.75),
        (0.88, 0.90), (0.93, 0.95), (0.97, 1.00), (0.85, 0.80),
        (1.00, 1.00), (0.97, 0.95), (0.80, 0.80), (0.55, 0.50),
    ),
}  # fmt: skip


def _pfitz_road(bracket: str, name: str, peak_mi: float, taper: int) -> PlanFamily:
    return PlanFamily(
        f"pfitzinger_{bracket}_{peak_mi:.0f}",
        f"Pfitzinger-like {name} (up to {peak_mi:.0f} miles a week)",
        bracket,
        FamilyLevel.HIGH_MILEAGE,
        6,
        _shaped(PFITZINGER_ROAD_SHAPE[taper], peak_mi, peak_mi / 4),
        taper,
        _PFITZ_FRR,
        approximate=True,
    )


def _pfitz_marathon(peak_mi: float, long_mi: float, days: int) -> PlanFamily:
    return PlanFamily(
        f"pfitzinger_18_{peak_mi:.0f}",
        f"Pfitzinger-like 18/{peak_mi:.0f} marathon",
        "marathon",
        FamilyLevel.HIGH_MILEAGE,
        days,
        _shaped(PFITZINGER_MARATHON_SHAPE, peak_mi, long_mi),
        3,
        _PFITZ_AM,
        approximate=True,
    )


HIGDON_NOVICE_5K: Final = PlanFamily(
    "higdon_novice_5k",
    "Hal Higdon Novice 5K",
    "5k",
    FamilyLevel.NOVICE,
    3,
    _miles(
        (4.5, 1.5), (5.0, 1.75), (5.5, 2.0), (6.0, 2.25),
        (7.0, 2.5), (7.5, 2.75), (8.0, 3.0), (5.0, 3.0),
    ),
    1,
    _HIGDON,
)  # fmt: skip
HIGDON_INTERMEDIATE_5K: Final = PlanFamily(
    "higdon_intermediate_5k",
    "Hal Higdon Intermediate 5K",
    "5k",
    FamilyLevel.INTERMEDIATE,
    5,
    _miles(
        (19.0, 5.0), (17.3, 5.0), (21.0, 6.0), (13.0, 3.9),
        (21.0, 6.0), (22.4, 7.0), (23.0, 7.0), (8.3, 3.3),
    ),
    1,
    _HIGDON,
)  # fmt: skip
HIGDON_NOVICE_10K: Final = PlanFamily(
    "higdon_novice_10k",
    "Hal Higdon Novice 10K",
    "10k",
    FamilyLevel.NOVICE,
    3,
    _miles(
        (7.5, 3.0), (8.0, 3.5), (8.5, 4.0), (9.0, 4.0),
        (9.5, 4.5), (10.0, 5.0), (10.5, 5.5), (5.0, 3.0),
    ),
    1,
    _HIGDON,
)  # fmt: skip
HIGDON_INTERMEDIATE_10K: Final = PlanFamily(
    "higdon_intermediate_10k",
    "Hal Higdon Intermediate 10K",
    "10k",
    FamilyLevel.INTERMEDIATE,
    5,
    _miles(
        (16.9, 4.0), (20.5, 5.0), (20.4, 6.0), (21.6, 5.0),
        (22.0, 6.0), (24.5, 7.0), (26.6, 8.0), (12.0, 4.0),
    ),
    1,
    _HIGDON,
)  # fmt: skip
HIGDON_NOVICE_HALF: Final = PlanFamily(
    "higdon_novice_half",
    "Hal Higdon Half Marathon Novice 2",
    "half",
    FamilyLevel.NOVICE,
    4,
    _miles(
        (13.0, 4.0), (14.0, 5.0), (16.0, 6.0), (17.0, 7.0),
        (18.0, 8.0), (13.1, 4.0), (20.0, 9.0), (21.0, 10.0),
        (17.2, 6.2), (22.0, 11.0), (23.0, 12.0), (7.0, 3.0),
    ),
    1,
    _HIGDON,
)  # fmt: skip
HIGDON_INTERMEDIATE_HALF: Final = PlanFamily(
    "higdon_intermediate_half",
    "Hal Higdon Half Marathon Intermediate",
    "half",
    FamilyLevel.INTERMEDIATE,
    5,
    _miles(
        (18.0, 5.0), (20.0, 6.0), (22.0, 7.0), (24.0, 8.0),
        (26.0, 9.0), (20.0, 6.2), (28.0, 10.0), (30.0, 11.0),
        (24.0, 6.2), (31.0, 12.0), (32.0, 12.0), (12.0, 4.0),
    ),
    1,
    _HIGDON,
    approximate=True,
)  # fmt: skip
HIGDON_NOVICE_MARATHON: Final = PlanFamily(
    "higdon_novice_marathon",
    "Hal Higdon Marathon Novice 1",
    "marathon",
    FamilyLevel.NOVICE,
    4,
    _miles(
        (15.0, 6.0), (16.0, 7.0), (15.0, 5.0), (19.0, 9.0),
        (21.0, 10.0), (18.0, 7.0), (24.0, 12.0), (25.0, 13.0),
        (23.0, 10.0), (28.0, 15.0), (32.0, 16.0), (28.0, 12.0),
        (35.0, 18.0), (33.0, 14.0), (40.0, 20.0), (29.0, 12.0),
        (21.0, 8.0), (9.0, 4.0),
    ),
    3,
    _HIGDON,
    approximate=True,
)  # fmt: skip
HIGDON_INTERMEDIATE_MARATHON: Final = PlanFamily(
    "higdon_intermediate_marathon",
    "Hal Higdon Marathon Intermediate 1",
    "marathon",
    FamilyLevel.INTERMEDIATE,
    5,
    _miles(
        (24.0, 8.0), (25.0, 9.0), (22.0, 6.0), (29.0, 11.0),
        (30.0, 12.0), (26.0, 9.0), (36.0, 14.0), (37.0, 15.0),
        (33.0, 11.0), (41.0, 17.0), (44.0, 18.0), (37.0, 13.0),
        (45.0, 19.0), (41.0, 15.0), (46.0, 20.0), (34.0, 12.0),
        (25.0, 8.0), (9.0, 4.0),
    ),
    3,
    _HIGDON,
    approximate=True,
)  # fmt: skip

#: Every family, by bracket, novice first and high-mileage variants by peak.
FAMILIES: Final[dict[str, tuple[PlanFamily, ...]]] = {
    "5k": (
        HIGDON_NOVICE_5K,
        HIGDON_INTERMEDIATE_5K,
        *(_pfitz_road("5k", "5K", mi, 1) for mi in (40.0, 55.0, 70.0)),
    ),
    "10k": (
        HIGDON_NOVICE_10K,
        HIGDON_INTERMEDIATE_10K,
        *(_pfitz_road("10k", "10K", mi, 1) for mi in (40.0, 55.0, 70.0)),
    ),
    "half": (
        HIGDON_NOVICE_HALF,
        HIGDON_INTERMEDIATE_HALF,
        *(_pfitz_road("half", "half marathon", mi, 2) for mi in (45.0, 60.0, 75.0)),
    ),
    "marathon": (
        HIGDON_NOVICE_MARATHON,
        HIGDON_INTERMEDIATE_MARATHON,
        _pfitz_marathon(55.0, 20.0, 5),
        _pfitz_marathon(70.0, 22.0, 6),
        _pfitz_marathon(85.0, 22.0, 6),
    ),
}


def families_for(bracket: str, level: FamilyLevel) -> tuple[PlanFamily, ...]:
    """The families of ``bracket`` at ``level`` (several high-mileage variants)."""
    return tuple(f for f in FAMILIES[bracket] if f.level is level)
