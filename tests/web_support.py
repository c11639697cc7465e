"""Helpers for the Coach tests: an app on a temporary store, a client, FIT runs on given days.

Synthetic runs are written by the project's own FIT encoder
(:func:`stridelab.activities.readers.fit_encode.encode_activity`).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import socket
import threading
import time
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import uvicorn
from fastapi import FastAPI

from stridelab.activities.readers.fit_encode import encode_activity
from stridelab.web import WebConfig, create_app

with warnings.catch_warnings():  # starlette suggests httpx2; httpx is what is installed
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

__all__ = [
    "TODAY",
    "TestClient",
    "csrf_headers",
    "live_server",
    "make_app",
    "run_fit",
    "upload",
    "wait_job",
]

#: The injected "today" of the Coach tests: a Thursday.
TODAY = dt.date(2026, 11, 26)
SEMICIRCLES_PER_DEGREE = 2**31 / 180


def make_app(tmp_path: Path, today: dt.date = TODAY, **options: Any) -> FastAPI:
    """The app on a fresh store under ``tmp_path`` (no sample data unless asked)."""
    options.setdefault("seed_sample_data", False)
    config = WebConfig(
        db_path=tmp_path / "data" / "stridelab.db", today=lambda _zone: today, **options
    )
    return create_app(config)


def run_fit(
    start: dt.datetime,
    distance_m: float = 8000.0,
    pace_s_per_km: float = 330.0,
    *,
    heart_rate: bool = True,
    seed: int = 0,
) -> bytes:
    """A steady run as FIT bytes: 1 Hz records, GPS track, HR, cadence, contact time."""
    duration_s = int(distance_m / 1000 * pace_s_per_km)
    n = max(duration_s, 2)
    t0 = start.timestamp()
    t = t0 + np.arange(n, dtype=np.float64)
    rng = np.random.default_rng(seed)
    speed = np.round(np.full(n, 1000 / pace_s_per_km) + rng.normal(0, 0.05, n), 3)
    angle = np.linspace(0, 2 * np.pi, n)
    lat = 47.0 + 0.01 * np.sin(angle) * distance_m / 8000
    lon = 8.0 + 0.015 * (1 - np.cos(angle)) * distance_m / 8000
    records: dict[str, Any] = {
        "timestamp": t,
        "position_lat": np.round(lat * SEMICIRCLES_PER_DEGREE),
        "position_long": np.round(lon * SEMICIRCLES_PER_DEGREE),
        "distance": np.round(np.cumsum(speed), 2),
        "enhanced_speed": speed,
        "enhanced_altitude": np.round(400 + 5 * np.sin(angle * 3), 1),
        "cadence": np.full(n, 84.0),
        "fractional_cadence": np.full(n, 0.5),
        "stance_time": np.round(250 + rng.normal(0, 3, n), 1),
    }
    if heart_rate:
        records["heart_rate"] = np.round(140 + 10 * np.sin(angle) + rng.normal(0, 1, n))
    end = float(t[-1])
    lap = {"timestamp": end, "start_time": t0, "total_elapsed_time": n - 1, "sport": "running"}
    session = {**lap}
    return encode_activity(records, laps=[lap], sessions=[session])


def csrf_headers(client: TestClient) -> dict[str, str]:
    """Headers for an unsafe JSON request: the session's CSRF token, JSON wanted."""
    token = client.get("/session.json").json()["csrf_token"]
    return {"X-CSRF-Token": token, "Accept": "application/json"}


def wait_job(client: TestClient, job_id: str, timeout_s: float = 60.0) -> dict[str, Any]:
    """Poll a job's JSON until it finishes."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        job: dict[str, Any] = client.get(f"/jobs/{job_id}.json").json()
        if job["finished"]:
            return job
        time.sleep(0.05)
    raise AssertionError(f"job {job_id} did not finish in {timeout_s} s")


def upload(client: TestClient, data: bytes, filename: str = "run.fit") -> dict[str, Any]:
    """Upload one file through the JSON API and wait for its import job."""
    response = client.post(
        "/runs/upload", params={"filename": filename}, content=data, headers=csrf_headers(client)
    )
    assert response.status_code == 202, response.text
    return wait_job(client, response.json()["job"]["id"])


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


#: Headless Debian chromium: no sandbox (CI runs as root), no GPU, nothing fetched.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@contextlib.contextmanager
def chromium() -> Iterator[Any]:
    """Debian's chromium under Playwright (never a browser download), or skip the test."""
    import shutil

    import pytest

    executable = shutil.which("chromium")
    if executable is None:
        pytest.skip("chromium is not installed (scripts/ensure-chromium installs it)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable, headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield browser
        finally:
            browser.close()


@contextlib.contextmanager
def live_server(app: FastAPI) -> Iterator[str]:
    """Serve ``app`` with uvicorn in a thread on a free loopback port; yields its base URL."""
    port = _free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
