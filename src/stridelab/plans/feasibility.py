"""Is a goal time within reach? The rating, and the re-test that checks it mid-plan.

A goal time is converted to the VDOT it needs (Daniels–Gilbert, valid for race times of
about 3.5 min to 4 h at VDOT 30–85) and compared with the runner's current VDOT plus the
gain the weeks available allow:

- **realistic**: within :data:`REALISTIC_GAIN_PER_WEEK` per week (at least
  :data:`REALISTIC_GAIN_MIN`): Daniels suggests raising training VDOT by about one point per
  4–6 weeks of consistent training; the cautious end (6 weeks) is taken as what a runner can
  count on.
- **ambitious**: within :data:`AMBITIOUS_GAIN_PER_WEEK` per week (at least
  :data:`AMBITIOUS_GAIN_MIN`): the optimistic end (4 weeks), reached only by runners who
  respond well and miss nothing.
- **out of reach**: beyond that.

Both rates are conventions read from Daniels' Running Formula (3rd ed., 2014), not trial
results: individual responses to training vary widely, and gains are larger for runners
new to structured training. A plan trains at the goal's pace only when the goal is
realistic; otherwise at current fitness, with a time trial (:data:`RETEST_M`) part-way to
measure the progress and a replan from its time.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from stridelab.physiology.vdot import predict_race_time_s, vdot_from_race
from stridelab.plans.model import Feasibility
from stridelab.units import distance_label, format_duration

__all__ = [
    "AMBITIOUS_GAIN_MIN",
    "AMBITIOUS_GAIN_PER_WEEK",
    "REALISTIC_GAIN_MIN",
    "REALISTIC_GAIN_PER_WEEK",
    "RETEST_M",
    "RETEST_MIN_WEEKS",
    "RETEST_SESSION_MIN_M",
    "RETEST_SHORT_M",
    "GoalAssessment",
    "assess_goal",
    "realistic_gain",
    "retest_target_s",
]

#: VDOT points a runner can count on per week of training (Daniels: 1 per 4–6 weeks; the
#: cautious end). Convention.
REALISTIC_GAIN_PER_WEEK: Final = 1 / 6
#: A goal this close to current fitness is realistic whatever the plan length. Convention.
REALISTIC_GAIN_MIN: Final = 0.5
#: The most a good responder gains per week (Daniels' optimistic end). Convention.
AMBITIOUS_GAIN_PER_WEEK: Final = 0.25
#: A goal this close is at least ambitious whatever the plan length. Convention.
AMBITIOUS_GAIN_MIN: Final = 1.0
#: The re-test: a 5 km time trial (a parkrun does), 3 km where the week cannot hold 5 km.
RETEST_M: Final = 5_000.0
RETEST_SHORT_M: Final = 3_000.0
#: The shortest re-test session: a 3 km time trial with its warm-up jog (about 12 min) and
#: 1.5 km cool-down.
RETEST_SESSION_MIN_M: Final = 7_500.0
#: Plans shorter than this get no re-test: too few weeks remain for its result to matter.
RETEST_MIN_WEEKS: Final = 7


@dataclass(frozen=True, slots=True)
class GoalAssessment:
    """A goal time against current fitness over ``weeks`` weeks (VDOT points)."""

    feasibility: Feasibility
    distance_m: float
    goal_time_s: float
    goal_vdot: float
    current_vdot: float
    weeks: int
    realistic_vdot: float
    reachable_vdot: float

    @property
    def realistic_time_s(self) -> float:
        """The fastest time this model calls realistic over the plan."""
        return predict_race_time_s(self.realistic_vdot, self.distance_m)

    @property
    def reachable_time_s(self) -> float:
        """The fastest time this model calls reachable at all (ambitious)."""
        return predict_race_time_s(self.reachable_vdot, self.distance_m)

    def explanation(self, predicted_time_s: float) -> str:
        """The rating in a sentence or two, with the numbers behind it."""
        label = distance_label(self.distance_m)
        head = (
            f"Your goal, {label} in {format_duration(self.goal_time_s)}, needs VDOT "
            f"{self.goal_vdot:.1f}; you are at {self.current_vdot:.1f} now (predicted "
            f"{format_duration(predicted_time_s)}), and {self.weeks} weeks of training "
            f"typically add about {self.realistic_vdot - self.current_vdot:.1f}, "
            f"{self.reachable_vdot - self.current_vdot:.1f} at best (Daniels: about one "
            "point per 4–6 weeks; a convention, responses vary)."
        )
        if self.feasibility is Feasibility.REALISTIC:
            return f"{head} Realistic: race-pace work is at the goal pace."
        slower = format_duration(self.realistic_time_s)
        if self.feasibility is Feasibility.AMBITIOUS:
            return (
                f"{head} Ambitious: the plan trains at your current fitness, not the goal "
                "pace, until a re-test or a race shows the progress; "
                f"{slower} or slower is realistic."
            )
        return (
            f"{head} Out of reach in {self.weeks} weeks: the plan trains at your current "
            f"fitness; {format_duration(self.reachable_time_s)} is the most this many weeks "
            f"allow and {slower} or slower is realistic."
        )


def realistic_gain(weeks: int) -> float:
    """VDOT points a runner can count on over ``weeks`` of training (module docstring)."""
    return max(REALISTIC_GAIN_MIN, REALISTIC_GAIN_PER_WEEK * weeks)


def assess_goal(
    distance_m: float, goal_time_s: float, current_vdot: float, weeks: int
) -> GoalAssessment:
    """Rate ``goal_time_s`` over ``distance_m`` from ``current_vdot`` with ``weeks`` to go
    (module docstring for the rule and its sources)."""
    goal_vdot = vdot_from_race(distance_m, goal_time_s)
    realistic = current_vdot + realistic_gain(weeks)
    reachable = current_vdot + max(AMBITIOUS_GAIN_MIN, AMBITIOUS_GAIN_PER_WEEK * weeks)
    if goal_vdot <= realistic:
        rating = Feasibility.REALISTIC
    elif goal_vdot <= reachable:
        rating = Feasibility.AMBITIOUS
    else:
        rating = Feasibility.OUT_OF_REACH
    return GoalAssessment(
        rating, distance_m, goal_time_s, goal_vdot, current_vdot, weeks, realistic, reachable
    )


def retest_target_s(assessment: GoalAssessment, weeks_left: int, trial_m: float) -> float:
    """The time trial over ``trial_m`` that makes the goal realistic with ``weeks_left``
    weeks of training after it: the VDOT from which the realistic gain reaches the goal."""
    return predict_race_time_s(assessment.goal_vdot - realistic_gain(weeks_left), trial_m)
