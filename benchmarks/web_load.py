"""Dashboard throughput under concurrent clients, over loopback only, bounded in time.

1. Writes ``--activities`` runs (5 years, default 1,000) as FIT files with the project's
   own encoder (:func:`stridelab.activities.readers.fit_encode.encode_activity`), imports
   them through the store (:func:`stridelab.store.import_paths`), and stores a plan
   (``--store DIR`` reuses a folder an earlier run built and kept with ``--keep``).
2. Serves it with the real ``stridelab serve`` in its own process on a free port, so the
   load generator does not share the server's interpreter.
3. ``--clients`` concurrent clients (default 50) send ``--requests`` GETs in all to each
   endpoint; prints requests per second, p50/p95 latency and errors, and each endpoint's
   throughput as a share of a trivial peer measured in the same run: a static file through
   the same server (``/static/favicon.svg``). Target: Today (``/`` and ``/today.json``) at
   least a quarter of the peer's throughput, with no errors.

Run: ``python benchmarks/web_load.py [--activities 1000] [--clients 50] [--requests 500]``.
Nothing leaves this machine; the script stops by itself (a hard time limit guards it).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import httpx
import numpy as np

from stridelab.activities.readers.fit_encode import encode_activity
from stridelab.coach.db import DEFAULT_ATHLETE_ID, open_coach
from stridelab.coach.planning import PlanOrigin, create_plan
from stridelab.coach.sample import sample_plan_request
from stridelab.store import import_paths, open_store

ENDPOINTS: Final = ("/", "/today.json", "/plan.json", "/runs.json", "/trends.json")
#: The dashboard endpoints the target is about.
TODAY: Final = ("/", "/today.json")
#: Today's throughput must reach at least this share of the static file's.
TARGET_SHARE: Final = 0.25
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


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass(frozen=True)
class Load:
    """Throughput and latency of one endpoint under the benchmark's clients."""

    path: str
    requests_per_s: float
    p50_ms: float
    p95_ms: float
    errors: int


async def _load(base: str, path: str, clients: int, requests: int) -> Load:
    """``requests`` GETs of ``path`` from ``clients`` concurrent connections."""
    latencies: list[float] = []
    errors = 0
    todo = iter(range(requests))
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, timeout=60, limits=limits) as client:

        async def worker() -> None:
            nonlocal errors
            for _ in todo:
                started = time.perf_counter()
                try:
                    response = await client.get(path)
                    ok = response.status_code == 200
                except httpx.HTTPError:
                    ok = False
                latencies.append((time.perf_counter() - started) * 1000)
                errors += not ok

        for _ in range(2):  # warm up
            (await client.get(path)).raise_for_status()
        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(clients)))
        elapsed = time.perf_counter() - started
    return Load(
        path,
        requests / elapsed,
        float(np.percentile(latencies, 50)),
        float(np.percentile(latencies, 95)),
        errors,
    )


def _serve(db_path: Path, today: dt.date, port: int) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "stridelab", "serve", "--db", str(db_path)]
    command += ["--port", str(port), "--no-sample", "--today", today.isoformat()]
    command += ["--workers", "1"]
    return subprocess.Popen(command, env=dict(os.environ), stdout=subprocess.DEVNULL)


def _wait_ready(base: str, server: subprocess.Popen[bytes], deadline: float) -> None:
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"stridelab serve exited with {server.returncode}")
        try:
            if httpx.get(base + PEER, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise SystemExit("stridelab serve did not start in time")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--activities", type=int, default=1000)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--store", type=Path, help="reuse a folder built by an earlier run")
    parser.add_argument("--keep", type=Path, help="build into this folder and keep it")
    args = parser.parse_args()
    deadline = time.monotonic() + MAX_SECONDS
    today = dt.date(2026, 12, 3)  # fixed: the stored plan and runs are laid out around it
    with tempfile.TemporaryDirectory(prefix="stridelab-load-") as tmp:
        folder = args.store or args.keep or Path(tmp)
        db_path = folder / "data" / "stridelab.db"
        if args.store is None:
            started = time.perf_counter()
            build_store(folder, args.activities, today)
            build_s = time.perf_counter() - started
            print(f"{args.activities} runs over 5 years written and imported in {build_s:.1f} s")
        port = _free_port()
        base = f"http://127.0.0.1:{port}"
        server = _serve(db_path, today, port)
        try:
            _wait_ready(base, server, deadline)
            print(f"{args.clients} concurrent clients, {args.requests} requests per endpoint")
            peer = asyncio.run(_load(base, PEER, args.clients, args.requests))
            print(
                f"{'endpoint':<26}{'req/s':>8}{'p50 ms':>9}{'p95 ms':>9}{'errors':>8}{'/ peer':>8}"
            )
            rows = [peer]
            for path in ENDPOINTS:
                if time.monotonic() > deadline:
                    print("time limit reached; stopping")
                    break
                rows.append(asyncio.run(_load(base, path, args.clients, args.requests)))
            for row in rows:
                name = row.path + (" (peer)" if row is peer else "")
                share = row.requests_per_s / peer.requests_per_s
                print(
                    f"{name:<26}{row.requests_per_s:>8.1f}{row.p50_ms:>9.1f}{row.p95_ms:>9.1f}"
                    f"{row.errors:>8}{share:>8.2f}"
                )
            today_rows = [r for r in rows if r.path in TODAY]
            worst = min((r.requests_per_s / peer.requests_per_s for r in today_rows), default=0)
            clean = all(r.errors == 0 for r in rows)
            verdict = "meets" if worst >= TARGET_SHARE and clean else "misses"
            print(
                f"Today at {worst:.2f} of the static file's throughput, "
                f"{'no' if clean else 'some'} errors: {verdict} the target "
                f"(at least {TARGET_SHARE:.2f}, no errors)"
            )
        finally:
            server.terminate()
            server.wait(timeout=30)


if __name__ == "__main__":
    main()
