"""stridelab.coach: the Coach job as a library (the web app and CLI are adapters over it).

- :mod:`~stridelab.coach.matching`: match runs to planned sessions, weekly compliance;
- :mod:`~stridelab.coach.replan`: regenerate the remaining weeks from what was run;
- :mod:`~stridelab.coach.planning`: the stored plan, move and skip sessions;
- :mod:`~stridelab.coach.dashboard`: Today, plan calendar and trends as data;
- :mod:`~stridelab.coach.runs`, :mod:`~stridelab.coach.drillchecks`: runs and drill checks
  per athlete; :mod:`~stridelab.coach.jobs`: background jobs;
- :mod:`~stridelab.coach.accounts`, :mod:`~stridelab.coach.profile`,
  :mod:`~stridelab.coach.uploads`, :mod:`~stridelab.coach.db`: users, the athlete profile,
  safe uploads and the coach's tables.
"""

from stridelab.coach.matching import (
    MatchStatus,
    RunSummary,
    SessionMatch,
    WeekCompliance,
    match_plan,
    weekly_compliance,
)
from stridelab.coach.profile import AthleteProfile
from stridelab.coach.replan import ReplanResult, replan

__all__ = [
    "AthleteProfile",
    "MatchStatus",
    "ReplanResult",
    "RunSummary",
    "SessionMatch",
    "WeekCompliance",
    "match_plan",
    "replan",
    "weekly_compliance",
]
