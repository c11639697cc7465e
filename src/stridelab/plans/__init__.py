"""stridelab.plans: the least-mileage training plan and its exports.

``generate_plan(PlanRequest(...))`` returns a :class:`Plan` of weeks and sessions; the
weekly volumes come from a linear programme (:mod:`stridelab.plans.volume`).
"""

from stridelab.plans.generator import generate_plan
from stridelab.plans.model import (
    MAX_WEEKLY_RAMP,
    Goal,
    Phase,
    Plan,
    PlanRequest,
    RecentRace,
    Session,
    SessionKind,
    Step,
    StepKind,
    Week,
    Weekday,
)

__all__ = [
    "MAX_WEEKLY_RAMP",
    "Goal",
    "Phase",
    "Plan",
    "PlanRequest",
    "RecentRace",
    "Session",
    "SessionKind",
    "Step",
    "StepKind",
    "Week",
    "Weekday",
    "generate_plan",
]
