"""Fitness speed: best efforts of a 14-hour run, and ``fitness`` on a store of 2,000 runs.

Usage: ``python benchmarks/fitness_bench.py [--runs N] [--repeat N]``

Targets (issue 9): best efforts for a 14 h file at 1 Hz under 50 ms; the fitness estimate
on a 2,000-run store under 1 s. Each is printed beside a peer measured in the same run on
the same data, so a slow machine shows as a slow peer, not as a regression:

* best efforts vs one ``np.searchsorted`` of all 50,400 distances (the unit of work:
  searching every start, the 16 efforts and 8 grade-adjusted twins would need 24 of them;
  the block search needs about a fifth of that);
* the fitness estimate vs :func:`stridelab.store.weekly_trends` on the same store.

The store is filled with one synthetic run's stored facts copied 2,000 times (spread one
a day) rather than 2,000 imports, which would time the FIT encoder, not the estimate.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sqlite3
import tempfile
from pathlib import Path

import numpy as np
from timing import best_s

from stridelab.activities.model import Samples
from stridelab.physiology.best_efforts import run_efforts
from stridelab.store import open_store, weekly_trends
from stridelab.store.fitness import fitness_report, write_run_facts

HOURS = 14
START_S = 1_800_000_000.0


def long_run(hours: int = HOURS, seed: int = 1) -> Samples:
    """A 1 Hz ultra: varying speed, heart rate and a hilly profile."""
    rng = np.random.default_rng(seed)
    n = hours * 3600
    speed = np.clip(2.6 + 0.4 * np.sin(np.arange(n) / 900) + rng.normal(0, 0.15, n), 0.5, 6.0)
    distance = np.concatenate(([0.0], np.cumsum(speed[:-1])))
    return Samples(
        timestamp_s=START_S + np.arange(n, dtype=np.float64),
        distance_m=distance,
        heart_rate_bpm=np.round(140 + 10 * np.sin(np.arange(n) / 600) + rng.normal(0, 2, n)),
        altitude_m=300 + 80 * np.sin(distance / 3000.0),
    )


def _fill(connection: sqlite3.Connection, runs: int, today: dt.date) -> None:
    template = long_run(1, seed=2)
    connection.execute("BEGIN")
    for k in range(runs):
        start = dt.datetime.combine(today - dt.timedelta(days=runs - k), dt.time(7), dt.UTC)
        cursor = connection.execute(
            "INSERT INTO activities (content_sha256, source_name, format, sport, start_utc, "
            "distance_m, timer_time_s, training_load, summary_json, imported_at) "
            "VALUES (?, ?, 'fit', 'running', ?, ?, 3600, 60, '{}', ?)",
            (f"{k:064x}", f"run{k}.fit", start.isoformat(), 10_000.0, start.isoformat()),
        )
        activity_id = int(cursor.lastrowid or 0)
        if k == 0:
            write_run_facts(
                connection, activity_id, start.isoformat(), [("running", template, 1e4, 3600)]
            )
            first = activity_id
            continue
        connection.execute(
            "INSERT INTO run_fitness SELECT ?, ?, distance_m, duration_s, steady_speed_m_s, "
            "steady_hr_bpm, steady_duration_s, max_hr_bpm, dropped_json FROM run_fitness "
            "WHERE activity_id = ?",
            (activity_id, start.isoformat(), first),
        )
        connection.execute(
            "INSERT INTO best_efforts SELECT ?, name, kind, distance_m, time_s, start_s, "
            "avg_hr_bpm, tail_hr_bpm, grade_adjusted_time_s FROM best_efforts "
            "WHERE activity_id = ?",
            (activity_id, first),
        )
    connection.execute("COMMIT")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    samples = long_run()
    efforts_s = best_s(lambda: run_efforts(samples), args.repeat)
    assert samples.distance_m is not None
    distances = samples.distance_m
    sort_s = best_s(lambda: np.searchsorted(distances, distances + 1000.0), args.repeat)
    print(f"best efforts, {HOURS} h at 1 Hz ({len(samples):,} samples)")
    print(f"  stridelab run_efforts   {efforts_s * 1000:8.1f} ms   (target < 50 ms)")
    print(f"  peer: one searchsorted  {sort_s * 1000:8.1f} ms   ratio {efforts_s / sort_s:.1f}x")

    today = dt.date(2027, 3, 1)
    with tempfile.TemporaryDirectory() as folder, open_store(Path(folder) / "s.db") as store:
        _fill(store.connection, args.runs, today)
        report_s = best_s(lambda: fitness_report(store.connection, today), args.repeat)
        trends_s = best_s(lambda: weekly_trends(store, until=today), args.repeat)
    print(f"fitness estimate, store of {args.runs:,} runs")
    print(f"  stridelab fitness_report {report_s * 1000:7.1f} ms   (target < 1000 ms)")
    print(
        f"  peer: weekly_trends      {trends_s * 1000:7.1f} ms   ratio {report_s / trends_s:.2f}x"
    )


if __name__ == "__main__":
    main()
