"""The sports vocabulary, named once.

Stored activities carry the reader's sport name (FIT's profile names: ``"running"``,
``"cycling"``, ``"walking"``…; TCX and GPX sports are mapped onto them on reading).

- :data:`RUN_SPORTS`: what counts as **running**: running volume on Trends and Today,
  matching runs to planned sessions, run-only insights.
- :data:`STEP_SPORTS`: walking pace sports, with per-kilometre splits and a cadence
  whose convention (strides or steps per minute) is detected from its values;
- :data:`FOOT_SPORTS`: what a FIT file records with its cadence in strides per minute
  (doubled to steps/min); everything else (rides, swims) keeps the device's numbers.
"""

from __future__ import annotations

from typing import Final

__all__ = ["FOOT_SPORTS", "RUN_SPORTS", "STEP_SPORTS", "is_run"]

#: Sports whose distance is running volume.
RUN_SPORTS: Final = frozenset({"running", "trail_running", "treadmill_running"})
#: Sports with per-kilometre splits and a detected cadence convention.
STEP_SPORTS: Final = frozenset({"running", "walking", "hiking"})
#: Sports whose FIT cadence counts strides (one per two steps), so steps/min = 2 x cadence.
FOOT_SPORTS: Final = frozenset(
    {"running", "walking", "hiking", "generic", "training", "transition", "mountaineering",
     "snowshoeing", "fitness_equipment", "multisport"}
)  # fmt: skip


def is_run(sport: str | None) -> bool:
    """Whether an activity of ``sport`` counts as running."""
    return sport in RUN_SPORTS
