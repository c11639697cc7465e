"""Running drills and warm-ups: the drill catalogue, routines per session, race-day timing."""

from stridelab.drills.catalogue import DRILLS, Drill, DrillFault, DrillKind, get_drill
from stridelab.drills.warmup import (
    DrillDetail,
    RaceDayTimeline,
    Warmup,
    WarmupBlock,
    race_day_timeline,
    warmup_for_session,
)

__all__ = [
    "DRILLS",
    "Drill",
    "DrillDetail",
    "DrillFault",
    "DrillKind",
    "RaceDayTimeline",
    "Warmup",
    "WarmupBlock",
    "get_drill",
    "race_day_timeline",
    "warmup_for_session",
]
