"""stridelab.plans: the least-mileage training plan and its exports.

``generate_plan(PlanRequest(...))`` returns a :class:`Plan` of weeks and sessions; the
weekly volumes come from a linear programme (:mod:`stridelab.plans.volume`).

Names are imported on first use (PEP 562): ``stridelab.plans.model`` is light, while
:func:`generate_plan` pulls in SciPy, so importing the model must not pay for the LP.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from stridelab.plans.beginner import BeginnerRequest
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
    "BeginnerRequest",
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


_MODULES = {
    "generate_plan": "stridelab.plans.generator",
    "BeginnerRequest": "stridelab.plans.beginner",
}


def __getattr__(name: str) -> Any:
    if name not in __all__:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    module = _MODULES.get(name, "stridelab.plans.model")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
