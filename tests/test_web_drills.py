"""Drills pages and the drill check as a background job (real decode, fake pose backend)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import cv2
import numpy as np
import pytest

from stridelab.drills.catalogue import DRILLS
from stridelab.video.decode import iter_frames, probe_video
from stridelab.video.pose import FakePoseEstimator
from stridelab.video.synthetic import SyntheticGait, synthesise
from web_support import TestClient, chromium, csrf_headers, live_server, make_app, wait_job

GAIT = SyntheticGait(duration_s=5.0, width=320, height=360, height_px=300.0, swing_back_legs=0.45)


def _clip(path: Path, frames: int) -> bytes:
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter.fourcc(*"mp4v"), 30.0, (320, 360))
    for i in range(frames):
        image = np.full((360, 320, 3), 40, dtype=np.uint8)
        cv2.putText(image, str(i), (10, 30), cv2.FONT_HERSHEY_SIMPLEX, 1, (200, 200, 200), 2)
        writer.write(image)
    writer.release()
    return path.read_bytes()


@pytest.fixture()
def client(tmp_path: Path) -> Iterator[TestClient]:
    """An app whose drill checks see the synthetic butt-kick keypoints."""
    clip = synthesise(GAIT)
    fake = FakePoseEstimator.from_pixels(clip.xy_px, clip.visibility, GAIT.width, GAIT.height)
    app = make_app(tmp_path, pose_estimator_factory=lambda: fake)
    with TestClient(app) as test_client:
        test_client.frames = len(clip.t_s)  # type: ignore[attr-defined]
        yield test_client


def test_catalogue_has_how_to_and_cues(client: TestClient) -> None:
    drills = client.get("/drills.json").json()["drills"]
    assert [d["id"] for d in drills] == list(DRILLS)
    butt_kicks = client.get("/drills/butt-kicks.json").json()
    assert butt_kicks["drill"]["id"] == "butt_kicks"
    assert butt_kicks["drill"]["steps"] and butt_kicks["drill"]["cues"]
    assert 6 <= butt_kicks["drill"]["kcal"] / (butt_kicks["drill"]["default_duration_s"] / 60) < 11
    assert butt_kicks["checkable"]
    assert not client.get("/drills/carioca.json").json()["checkable"]


def test_drill_check_runs_as_a_job_and_keeps_history(client: TestClient, tmp_path: Path) -> None:
    video = _clip(tmp_path / "kicks.mp4", client.frames)  # type: ignore[attr-defined]
    response = client.post(
        "/drills/butt_kicks/check",
        params={"filename": "kicks.mp4", "height_cm": 175},
        content=video,
        headers=csrf_headers(client),
    )
    assert response.status_code == 202, response.text
    job = wait_job(client, response.json()["job"]["id"], timeout_s=120)
    assert job["status"] == "done", job
    check_id = job["result"]["check_id"]
    check = client.get(f"/drills/checks/{check_id}.json").json()
    report = check["check"]["report"]
    assert report["drill"] == "butt-kicks"
    assert report["cadence_spm"] == pytest.approx(170, rel=0.05)
    assert client.get(check["check"]["annotated_video"]).headers["content-type"] == "video/webm"
    assert client.get(check["check"]["summary_image"]).content[:4] == b"\x89PNG"
    assert client.get(f"/drills/checks/{check_id}").status_code == 200
    # Each fault comes with the annotated frame where it shows, and its cue.
    faults = check["faults"]
    assert faults, "the synthetic kicks land ahead of the hips"
    for fault in faults:
        assert fault["cue"]
        frame = client.get(fault["thumbnail"])
        assert frame.headers["content-type"] == "image/jpeg"
        image = cv2.imdecode(np.frombuffer(frame.content, np.uint8), cv2.IMREAD_COLOR)
        assert image.shape[1] == 320
    assert client.get(f"/drills/checks/{check_id}/faults/{len(faults)}.jpg").status_code == 404
    history = client.get("/drills/butt_kicks.json").json()["checks"]
    assert [h["id"] for h in history] == [check_id]


def test_drill_check_refusals(client: TestClient) -> None:
    headers = csrf_headers(client)
    assert client.post("/drills/carioca/check", content=b"x", headers=headers).status_code == 404
    wrong = client.post(
        "/drills/butt_kicks/check", params={"filename": "x.exe"}, content=b"x", headers=headers
    )
    assert wrong.status_code == 415
    not_video = client.post(
        "/drills/butt_kicks/check", params={"filename": "x.mp4"}, content=b"nope", headers=headers
    )
    job = wait_job(client, not_video.json()["job"]["id"])
    assert job["status"] == "failed"
    assert "Traceback" not in job["error"]
    assert client.get("/drills/checks/999.json").status_code == 404


@pytest.mark.slow
def test_fault_frames_show_next_to_their_cue_in_the_browser(tmp_path: Path) -> None:
    """Real chromium: the check page shows one loaded thumbnail beside each fault's cue."""
    clip = synthesise(GAIT)
    fake = FakePoseEstimator.from_pixels(clip.xy_px, clip.visibility, GAIT.width, GAIT.height)
    video = tmp_path / "kicks.mp4"
    _clip(video, len(clip.t_s))
    app = make_app(tmp_path, pose_estimator_factory=lambda: fake)
    with live_server(app) as base, chromium() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(base + "/drills/butt_kicks")
        # The reference animation plays in the page itself (muted, looping).
        guide = "document.querySelector('video.guide-video')"
        page.wait_for_function(f"() => {guide}.readyState >= 2 && !{guide}.paused", timeout=30_000)
        assert page.evaluate(f"{guide}.videoWidth") == 640
        page.set_input_files("input[name=video]", str(video))
        page.fill("input[name=height_cm]", "175")
        page.click("text=Upload and check")
        page.wait_for_selector("#check-status .badge.done", timeout=90_000)
        page.click("#check-status a")
        page.wait_for_url("**/drills/checks/*")
        page.wait_for_load_state("load")
        cards = page.locator(".fault-frame")
        assert cards.count() >= 1
        for i in range(cards.count()):
            card = cards.nth(i)
            assert "Cue: " in card.inner_text()
            thumb = card.locator("img.fault-thumb")
            assert thumb.evaluate("img => img.complete && img.naturalWidth") == 320
        # Side by side: drawn on first request, and the browser plays it.
        side = "document.querySelector('video.side-by-side')"
        page.evaluate(f"{side}.load()")
        page.wait_for_function(f"() => {side}.readyState >= 2", timeout=60_000)
        assert page.evaluate(f"{side}.videoWidth") == 2 * GAIT.width
        page.screenshot(path=str(tmp_path / "fault-frames.png"), full_page=True)
        assert errors == []


def _decoded(content: bytes, path: Path) -> tuple[int, tuple[int, int], float]:
    path.write_bytes(content)
    frames = [f.image_bgr for f in iter_frames(path)]
    return (
        len(frames),
        (frames[0].shape[1], frames[0].shape[0]),
        probe_video(path, min_frames=1).fps,
    )


def test_drill_page_shows_its_reference_animation(client: TestClient, tmp_path: Path) -> None:
    page = client.get("/drills/carioca.json").json()
    assert page["guide"]["video"] == "/drills/carioca/guide.webm"
    assert page["guide"]["reps_per_min"] > 0 and "not measured" in page["guide"]["note"]
    html = client.get("/drills/carioca").text
    tag = re.search(r"<video class=\"guide-video\"[^>]*>", html)
    assert tag is not None
    for attribute in ("muted", "loop", "playsinline", 'src="/drills/carioca/guide.webm"'):
        assert attribute in tag.group(0)
    first = client.get("/drills/carioca/guide.webm")
    assert first.status_code == 200 and first.headers["content-type"] == "video/webm"
    count, size, fps = _decoded(first.content, tmp_path / "guide.webm")
    assert size == (640, 480) and fps == 30.0 and count >= 4 * 30 - 1
    cached = list((tmp_path / "data" / "drill-guides").glob("carioca-*.webm"))
    assert len(cached) == 1  # drawn once, then served from the data folder
    assert client.get("/drills/grapevine/guide.webm").content == first.content  # an alias
    assert client.get("/drills/moonwalk/guide.webm").status_code == 404


def test_side_by_side_after_a_check(client: TestClient, tmp_path: Path) -> None:
    frames = client.frames  # type: ignore[attr-defined]
    response = client.post(
        "/drills/butt_kicks/check",
        params={"filename": "kicks.mp4"},
        content=_clip(tmp_path / "kicks.mp4", frames),
        headers=csrf_headers(client),
    )
    job = wait_job(client, response.json()["job"]["id"], timeout_s=120)
    assert job["status"] == "done", job
    check = client.get(f"/drills/checks/{job['result']['check_id']}.json").json()["check"]
    assert check["report"]["rep_frames"]["left"]
    url = check["side_by_side_video"]
    assert url in client.get(f"/drills/checks/{check['id']}").text  # a link on the page
    video = client.get(url)
    assert video.status_code == 200 and video.headers["content-type"] == "video/webm"
    count, size, _ = _decoded(video.content, tmp_path / "sbs.webm")
    assert count == frames and size == (2 * 320, 360)  # the clip's frames, both halves
    assert client.get(url).content == video.content  # kept, not drawn again
