"""Dashboard latency with five years of runs, over loopback only, bounded in count and time.

1. Writes ~1,500 runs (5 years, about six a week) as FIT files with the project's own
   encoder (:func:`stridelab.activities.readers.fit_encode.encode_activity`), imports them
   through the store (:func:`stridelab.store.import_paths`), and stores a plan.
2. Serves the app with uvicorn on 127.0.0.1 (a free port) in a thread.
3. Sends ``--requests`` sequential GETs to each endpoint and prints p50/p95 latency, with
   ratios against a trivial peer measured in the same run: a static file through the same
   server stack (``/static/favicon.svg``).

Run: ``python benchmarks/web_load.py [--activities 1500] [--requests 100]``. Nothing leaves
this machine; the script stops by itself (a hard time limit guards every phase).
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Final

import httpx
import numpy as np

from stridelab.activities.readers.fit_encode import encode_activity
from stridelab.coach.db import DEFAULT_ATHLETE_ID, open_coach
from stridelab.coach.planning import PlanOrigin, create_plan
from stridelab.coach.sample import sample_plan_request
from stridelab.store import import_paths, open_store

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from web_support import live_server, make_app

ENDPOINTS: Final = ("/", "/today.json", "/plan.json", "/runs.json", "/trends.json")
PEER: Final = "/static/favicon.svg"
#: Seconds between records of the synthetic runs (watches record every 1–5 s).
RECORD_INTERVAL_S: Final = 5
#: Hard limit on the whole benchmark.
MAX_SECONDS: Final = 900
SEMICIRCLES_PER_DEGREE: Final = 2**31 / 180


def _run_fit(start: dt.datetime, distance_m: float, pace_s_per_km: float, seed: int) -> bytes:
    rng = np.random.default_rng(seed)
    duration = distance_m / 1000 * pace_s_per_km
    t = start.timestamp() + np.arange(0, duration, RECORD_INTERVAL_S, dtype=np.float64)
    n = len(t)
    speed = np.round(1000 / pace_s_per_km + rng.normal(0, 0.08, n), 3)
    angle = np.linspace(0, 2 * np.pi, n)
    records = {
        "timestamp": t,
        "position_lat": np.round((47 + 0.01 * np.sin(angle)) * SEMICIRCLES_PER_DEGREE),
        "position_long": np.round((8 + 0.015 * np.cos(angle)) * SEMICIRCLES_PER_DEGREE),
        "distance": np.round(np.cumsum(speed * RECORD_INTERVAL_S), 2),
        "enhanced_speed": speed,
        "heart_rate": np.round(135 + 15 * rng.random() + rng.normal(0, 2, n)),
        "cadence": np.round(np.full(n, 82.0 + 4 * rng.random())),
        "stance_time": np.round(255 + rng.normal(0, 4, n), 1),
    }
    end = float(t[-1])
    lap = {"timestamp": end, "start_time": float(t[0]), "total_elapsed_time": end - float(t[0])}
    return encode_activity(records, laps=[{**lap, "sport": "running"}], sessions=[lap])


def build_store(folder: Path, activities: int, today: dt.date) -> Path:
    """Write and import ``activities`` runs spread over five years before ``today``."""
    runs = folder / "runs"
    runs.mkdir()
    rng = np.random.default_rng(7)
    days = np.sort(rng.choice(5 * 365, size=activities, replace=activities > 5 * 365))
    for i, back in enumerate(days[::-1]):
        start = dt.datetime.combine(
            today - dt.timedelta(days=int(back) + 1), dt.time(6, 30), tzinfo=dt.UTC
        )
        distance = float(rng.choice([5000, 6000, 8000, 10000, 12000, 16000, 21000]))
        pace = float(rng.uniform(270, 360))
        (runs / f"run-{i:05d}.fit").write_bytes(_run_fit(start, distance, pace, i))
    db_path = folder / "data" / "stridelab.db"
    with open_store(db_path) as store:
        summary = import_paths(store, [runs])
    if summary.imported != activities:
        raise SystemExit(f"imported {summary.imported} of {activities}: {summary.to_dict()}")
    with open_coach(db_path) as db:
        create_plan(db, DEFAULT_ATHLETE_ID, sample_plan_request(today), today, PlanOrigin.SAMPLE)
    return db_path


def measure(client: httpx.Client, path: str, requests: int) -> list[float]:
    """Latencies in ms of ``requests`` sequential GETs (after two warm-up requests)."""
    for _ in range(2):
        client.get(path).raise_for_status()
    out = []
    for _ in range(requests):
        started = time.perf_counter()
        client.get(path).raise_for_status()
        out.append((time.perf_counter() - started) * 1000)
    return out


def _p(values: list[float], q: float) -> float:
    return float(np.percentile(values, q))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--activities", type=int, default=1500)
    parser.add_argument("--requests", type=int, default=100)
    args = parser.parse_args()
    deadline = time.monotonic() + MAX_SECONDS
    today = dt.date.today()
    with tempfile.TemporaryDirectory(prefix="stridelab-load-") as tmp:
        folder = Path(tmp)
        started = time.perf_counter()
        build_store(folder, args.activities, today)
        build_s = time.perf_counter() - started
        print(f"{args.activities} runs over 5 years written and imported in {build_s:.1f} s")
        app = make_app(folder, today=today)
        with live_server(app) as base, httpx.Client(base_url=base, timeout=30) as client:
            peer = measure(client, PEER, args.requests)
            peer_p50 = statistics.median(peer)
            print(f"{'endpoint':<28}{'p50 ms':>9}{'p95 ms':>9}{'p50 / peer':>12}")
            print(f"{PEER + ' (peer)':<28}{peer_p50:>9.2f}{_p(peer, 95):>9.2f}{1.0:>12.1f}")
            for path in ENDPOINTS:
                if time.monotonic() > deadline:
                    print("time limit reached; stopping")
                    break
                latencies = measure(client, path, args.requests)
                p50 = statistics.median(latencies)
                print(f"{path:<28}{p50:>9.2f}{_p(latencies, 95):>9.2f}{p50 / peer_p50:>12.1f}")


if __name__ == "__main__":
    main()
