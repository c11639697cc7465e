"""End to end in a real headless Chromium (Debian's, driven by Playwright; no download).

The real server (uvicorn in a thread on a loopback port) serves a fresh store seeded
with the sample plan; the browser uploads a FIT file written by the project's encoder,
sees it on the dashboard and in the runs list, opens the run page and the plan, skips
a session, and takes screenshots under ``tmp_path``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from web_support import TODAY, chromium, live_server, make_app, run_fit

pytestmark = pytest.mark.slow


@pytest.fixture()
def browser_page() -> Iterator[Any]:
    """A Playwright page in Debian's chromium, or skip when it is not installed."""
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.on(
            "console",
            lambda msg: errors.append(msg.text) if msg.type == "error" else None,
        )
        page.on(
            "dialog", lambda dialog: (errors.append("dialog: " + dialog.message), dialog.dismiss())
        )
        page.errors = errors  # type: ignore[attr-defined]
        yield page


@pytest.fixture()
def fit_file(tmp_path: Path) -> Path:
    """A run early "today" (newer than the sample runs), with an escaped-looking name."""
    path = tmp_path / "Tempo <img src=x onerror=alert(1)> & co.fit"
    start = dt.datetime.combine(TODAY, dt.time(5, 30), tzinfo=dt.UTC)
    path.write_bytes(run_fit(start, 7000.0, 300.0))
    return path


def test_upload_run_see_it_on_dashboard_and_open_plan(
    tmp_path: Path, browser_page: Any, fit_file: Path
) -> None:
    page = browser_page
    app = make_app(tmp_path, seed_sample_data=True)
    shots = tmp_path / "screenshots"
    shots.mkdir()
    with live_server(app) as base:
        page.goto(base + "/")
        assert page.locator("#next-session").is_visible()
        assert page.locator("#recent-runs tr").count() >= 3  # the sample history
        assert page.evaluate(  # nothing on Today overflows its card
            "() => [...document.querySelectorAll('section.card')].every("
            "c => c.scrollWidth <= c.clientWidth)"
        )
        page.screenshot(path=str(shots / "today-empty.png"), full_page=True)

        page.goto(base + "/runs")
        page.set_input_files("#upload-file", str(fit_file))
        page.click("#upload-form button")
        page.wait_for_selector("#upload-status .badge.done", timeout=30_000)
        assert "imported 1" in page.inner_text("#upload-status")
        page.reload()
        assert "Tempo <img src=x onerror=alert(1)> & co.fit" in page.inner_text("#runs-table")
        page.screenshot(path=str(shots / "runs.png"), full_page=True)

        page.goto(base + "/")
        last_run = page.inner_text("#last-run")
        assert "Tempo <img src=x onerror=alert(1)> & co.fit" in last_run
        assert "7.0 km" in last_run
        page.screenshot(path=str(shots / "today.png"), full_page=True)

        page.click("#last-run a")
        page.wait_for_selector("svg.route polyline")
        assert page.locator("svg.chart").count() >= 3
        overflow = page.evaluate(
            "() => [...document.querySelectorAll('table.compact')].map("
            "t => t.closest('section').scrollWidth - t.closest('section').clientWidth)"
        )
        assert len(overflow) == 2 and max(overflow) <= 0  # splits and laps fit their cards
        page.screenshot(path=str(shots / "run.png"), full_page=True)

        page.goto(base + "/plan")
        assert page.locator("#calendar .session").count() > 20
        upcoming = page.locator("#calendar .session details").first
        session_id = upcoming.locator("xpath=..").get_attribute("data-session")
        upcoming.locator("summary").click()
        htmx_posts: list[str] = []
        page.on(
            "request",
            lambda r: htmx_posts.append(r.url) if r.headers.get("hx-request") else None,
        )
        upcoming.get_by_role("button", name="skip").click()  # htmx swaps the calendar only
        page.wait_for_selector(f'[data-session="{session_id}"] .badge.skipped')
        assert any(url.endswith(f"/plan/sessions/{session_id}/skip") for url in htmx_posts)
        page.reload()
        assert "skipped" in page.locator(f'[data-session="{session_id}"]').inner_text()
        page.screenshot(path=str(shots / "plan.png"), full_page=True)

        page.goto(base + "/trends")
        assert page.locator("svg.chart").count() == 4
        page.screenshot(path=str(shots / "trends.png"), full_page=True)

        page.goto(base + "/drills")
        page.click("a[href='/drills/butt_kicks']")
        page.wait_for_url("**/drills/butt_kicks")
        assert "Check your butt kicks from a video" in page.inner_text("main")
        page.screenshot(path=str(shots / "drill.png"), full_page=True)

        page.goto(base + "/settings")
        page.fill("input[name=body_mass]", "64.5")
        page.select_option("select[name=units]", "mi")
        page.fill("input[name=age_years]", "45")
        page.click("text=Save")
        assert "Saved." in page.inner_text("main")
        assert page.input_value("input[name=age_years]") == "45"
        page.goto(base + "/runs")
        assert " mi" in page.inner_text("#runs-table")
        page.screenshot(path=str(shots / "settings.png"), full_page=True)
    assert page.errors == []  # type: ignore[attr-defined]
    assert len(list(shots.glob("*.png"))) == 8


def test_drill_check_from_the_drill_page(tmp_path: Path, browser_page: Any) -> None:
    """Upload a side-on clip on the butt-kicks page; the job finishes; the report shows."""
    import cv2
    import numpy as np

    from stridelab.video.pose import FakePoseEstimator
    from stridelab.video.synthetic import SyntheticGait, synthesise

    gait = SyntheticGait(duration_s=5.0, width=320, height=360, height_px=300.0)
    clip = synthesise(gait)
    fake = FakePoseEstimator.from_pixels(clip.xy_px, clip.visibility, gait.width, gait.height)
    video = tmp_path / "my kicks.mp4"
    writer = cv2.VideoWriter(str(video), cv2.VideoWriter.fourcc(*"mp4v"), 30.0, (320, 360))
    for _ in range(len(clip.t_s)):
        writer.write(np.full((360, 320, 3), 60, dtype=np.uint8))
    writer.release()
    page = browser_page
    app = make_app(tmp_path, pose_estimator_factory=lambda: fake)
    with live_server(app) as base:
        page.goto(base + "/drills/butt_kicks")
        page.set_input_files("input[name=video]", str(video))
        page.fill("input[name=height_cm]", "172")
        page.click("text=Upload and check")
        page.wait_for_selector("#check-status .badge.done", timeout=60_000)
        page.click("#check-status a")
        page.wait_for_url("**/drills/checks/*")
        assert "Drill check: Butt kicks" in page.inner_text("h1")
        assert page.locator("img[alt^='knee flexion']").count() == 1
        # The annotated video plays in the browser itself (VP8 WebM), not only as a download.
        page.wait_for_function("document.querySelector('video').readyState >= 2", timeout=20_000)
        assert page.evaluate("document.querySelector('video').videoWidth") == 320
        page.screenshot(path=str(tmp_path / "drill-check.png"), full_page=True)
    assert page.errors == []  # type: ignore[attr-defined]
