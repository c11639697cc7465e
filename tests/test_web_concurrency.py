"""Concurrent uploads to the real server lose nothing (threads, loopback only)."""

from __future__ import annotations

import datetime as dt
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

from web_support import TODAY, live_server, make_app, run_fit

THREADS = 8


def test_concurrent_uploads_lose_nothing(tmp_path: Path) -> None:
    files = [
        run_fit(
            dt.datetime.combine(TODAY - dt.timedelta(days=i + 1), dt.time(6), tzinfo=dt.UTC),
            3000.0 + 100 * i,
            320.0,
            seed=i,
        )
        for i in range(THREADS)
    ]
    uploads = [*files, files[0], files[1]]  # two duplicates racing their originals
    with live_server(make_app(tmp_path)) as base, httpx.Client(base_url=base) as client:
        token = client.get("/session.json").json()["csrf_token"]

        def send(index: int) -> str:
            with httpx.Client(base_url=base, cookies=client.cookies) as own:
                response = own.post(
                    "/runs/upload",
                    params={"filename": f"run-{index}.fit"},
                    content=uploads[index],
                    headers={"X-CSRF-Token": token, "Accept": "application/json"},
                    timeout=60,
                )
                assert response.status_code == 202, response.text
                return str(response.json()["job"]["id"])

        with ThreadPoolExecutor(max_workers=THREADS) as pool:
            job_ids = list(pool.map(send, range(len(uploads))))
        deadline = time.monotonic() + 120
        results = []
        for job_id in job_ids:
            while True:
                job = client.get(f"/jobs/{job_id}.json").json()
                if job["finished"] or time.monotonic() > deadline:
                    break
                time.sleep(0.05)
            assert job["status"] == "done", job
            results.append(job["result"])
        runs = client.get("/runs.json").json()["runs"]
    assert sum(r["imported"] for r in results) == THREADS
    assert sum(r["skipped"] for r in results) == 2
    assert len(runs) == THREADS
    assert len({r["id"] for r in runs}) == THREADS
    assert {r["name"] for r in runs} <= {f"run-{i}.fit" for i in range(len(uploads))}
