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

Nothing is imported here, so ``stridelab --help`` stays fast: import from the modules.
"""
