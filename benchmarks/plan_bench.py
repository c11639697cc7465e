"""Time to generate a 24-week marathon plan, optimisation included (target: under 100 ms).

Peers measured in the same run, so the ratios hold on any machine:

* ``lp``: the volume optimisation alone (one HiGHS solve via ``scipy.optimize.linprog``);
* ``baseline``: the matching published plan family, clipped to the safety rules
  (arithmetic only);
* ``paces``: the VDOT training paces (root-finding), which every plan computes once.

Run: ``python benchmarks/plan_bench.py [--runs N]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import time
from collections.abc import Callable
from typing import Final

from stridelab.physiology.vdot import training_paces, vdot_from_race
from stridelab.plans import PlanRequest, RecentRace, generate_plan
from stridelab.plans.baseline import baseline_for
from stridelab.plans.targets import default_long_run_m, goal_targets
from stridelab.plans.volume import VolumeProblem, optimise_volume

TARGET_MS: Final = 100.0

#: The two example runners of docs/plan.md (a 10K and a marathon): totals vs their family.
EXAMPLES: Final = {
    "10k, 4 days, 25 km/week": PlanRequest(
        goal_distance_m=10_000.0,
        race_date=dt.date(2027, 4, 18),
        days_per_week=4,
        current_weekly_m=25_000.0,
        recent_race=RecentRace(5_000.0, 24 * 60 + 30),
        start_date=dt.date(2027, 1, 4),
    ),
    "marathon, 5 days, 40 km/week": PlanRequest(
        goal_distance_m=42_195.0,
        race_date=dt.date(2027, 6, 20),
        days_per_week=5,
        current_weekly_m=40_000.0,
        recent_race=RecentRace(21_097.5, 1 * 3600 + 45 * 60),
        start_date=dt.date(2027, 1, 4),
    ),
}

REQUEST: Final = PlanRequest(
    goal_distance_m=42_195.0,
    race_date=dt.date(2027, 6, 20),  # 24 weeks from the start
    days_per_week=5,
    current_weekly_m=30_000.0,
    recent_race=RecentRace(10_000.0, 50 * 60),
    start_date=dt.date(2027, 1, 4),
)


def _problem() -> VolumeProblem:
    vdot = vdot_from_race(10_000.0, 50 * 60)
    easy = sum(training_paces(vdot).easy_s_per_km) / 2
    return VolumeProblem(
        n_weeks=24,
        current_weekly_m=30_000.0,
        recent_long_run_m=default_long_run_m(30_000.0),
        days_per_week=5,
        targets=goal_targets(42_195.0, easy, 24, 5),
    )


def _median_ms(fn: Callable[[], object], runs: int) -> float:
    fn()  # warm caches and imports
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000.0)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30, help="timed runs per case (median)")
    runs = parser.parse_args().runs
    plan = generate_plan(REQUEST)
    assert len(plan.weeks) == 24
    problem = _problem()
    cases = {
        "plan (24-week marathon)": lambda: generate_plan(REQUEST),
        "lp (volume optimisation)": lambda: optimise_volume(problem),
        "baseline (family)": lambda: baseline_for(problem, 42_195.0, dt.date(2027, 1, 4)),
        "paces (VDOT)": lambda: training_paces(50.0),
    }
    medians = {name: _median_ms(fn, runs) for name, fn in cases.items()}
    plan_ms = medians["plan (24-week marathon)"]
    print(f"median of {runs} runs; ratio = plan time / case time")
    for name, ms in medians.items():
        print(f"{name:28s} {ms:8.2f} ms   plan/this = {plan_ms / ms:8.1f}")
    for name, request in {"24-week marathon, 5 days, 30 km/week": REQUEST, **EXAMPLES}.items():
        example = generate_plan(request)
        family = example.baseline.name if example.baseline is not None else "?"
        print(
            f"{name}: {example.total_distance_m / 1000:.1f} km vs "
            f"{example.baseline_total_distance_m / 1000:.1f} km for {family}"
        )
    verdict = "OK" if plan_ms < TARGET_MS else "SLOW"
    print(f"target < {TARGET_MS:.0f} ms: {verdict} ({plan_ms:.1f} ms)")
    return 0 if plan_ms < TARGET_MS else 1


if __name__ == "__main__":
    raise SystemExit(main())
