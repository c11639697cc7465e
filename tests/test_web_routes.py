"""Route tests on the ``.json`` twins, with the real SQLite store and the project's FIT encoder."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from stridelab.coach.planning import PlanOrigin, create_plan
from stridelab.coach.sample import sample_plan_request
from stridelab.store import Database
from web_support import TODAY, TestClient, csrf_headers, make_app, run_fit, upload

PAGES = [
    "/today",
    "/plan",
    "/runs",
    "/drills",
    "/drills/butt_kicks",
    "/trends",
    "/fitness",
    "/settings",
]


def _start(days_ago: int, hour: int = 7) -> dt.datetime:
    return dt.datetime.combine(TODAY - dt.timedelta(days=days_ago), dt.time(hour), tzinfo=dt.UTC)


@pytest.fixture()
def client(tmp_path: Path) -> Iterator[TestClient]:
    """A client on a fresh store with the sample plan (starting this week) and no runs."""
    with TestClient(make_app(tmp_path)) as test_client:
        with Database.open(tmp_path / "data" / "stridelab.db") as db:
            create_plan(db, 1, sample_plan_request(TODAY), TODAY, PlanOrigin.SAMPLE)
        yield test_client


@pytest.fixture()
def demo(tmp_path: Path) -> Iterator[TestClient]:
    """A client on a fresh store seeded on first start: sample history and plan."""
    with TestClient(make_app(tmp_path, seed_sample_data=True)) as test_client:
        yield test_client


@pytest.mark.parametrize("page", PAGES)
def test_every_page_has_a_json_twin(client: TestClient, page: str) -> None:
    html = client.get(page)
    twin = client.get(page + ".json")
    assert html.status_code == 200
    assert html.headers["content-type"].startswith("text/html")
    assert twin.status_code == 200
    assert twin.headers["content-type"] == "application/json"
    assert twin.json()["athlete"] == {"id": 1, "name": "Me"}
    assert "Content-Security-Policy" in html.headers


def test_root_is_today(client: TestClient) -> None:
    assert client.get("/").text == client.get("/today").text


def test_first_run_has_a_recent_sample_history_and_plan(demo: TestClient) -> None:
    client = demo
    runs = client.get("/runs.json").json()["runs"]
    assert 24 <= len(runs) <= 45  # about 8 weeks of 3-5 runs
    first = dt.date.fromisoformat(runs[-1]["start"][:10])
    assert TODAY - dt.timedelta(weeks=9) <= first < TODAY - dt.timedelta(weeks=7)
    assert all(
        r["avg_hr_bpm"] and r["avg_cadence_spm"] and r["avg_ground_contact_ms"] for r in runs
    )
    assert any("Tempo" in r["name"] for r in runs) and any("Long" in r["name"] for r in runs)
    today = client.get("/today.json").json()
    assert today["last_run"]["start"][:10] >= (TODAY - dt.timedelta(days=3)).isoformat()
    assert today["week"]["runs"] >= 1  # TODAY is a Thursday: Tuesday's and Wednesday's runs
    assert today["fitness"]["ctl"] > 10 and today["fitness"]["atl"] > 0
    plan = client.get("/plan.json").json()
    assert plan["plan"]["origin"] == "sample"
    assert plan["plan"]["goal"]["label"] == "10k"
    assert any(week["current"] for week in plan["weeks"])
    statuses = [s["status"] for w in plan["weeks"] for d in w["days"] for s in d["sessions"]]
    assert statuses.count("done") >= 5
    assert {"shorter", "longer", "missed"} <= set(statuses)
    assert "not_due" not in statuses  # the sample plan was "made" when it started
    done_weeks = [w for w in plan["weeks"] if w["compliance"]["sessions_done"]]
    assert len(done_weeks) >= 3
    assert today["next_session"]["date"] >= TODAY.isoformat()
    warmup = today["next_session_with_warmup"]
    assert warmup["warmup"]["blocks"]
    assert "butt_kicks" in [d["id"] for d in warmup["drill_cards"]]
    assert all(d["cues"] for d in warmup["drill_cards"])
    trends = client.get("/trends.json").json()["weeks"]
    run_weeks = [w for w in trends if not w["future"] and w["runs"]]
    assert len(run_weeks) >= 7
    assert sum(1 for w in run_weeks if w["planned_m"]) >= 3


def test_sample_runs_are_real_fit_runs_with_drills(demo: TestClient) -> None:
    client = demo
    runs = client.get("/runs.json").json()["runs"]
    tempo = next(r for r in runs if r["name"].startswith("Tempo"))
    run = client.get(f"/runs/{tempo['id']}.json", params={"samples": "true"}).json()
    session = run["sessions"][0]
    assert session["splits"] and len(session["laps"]) >= 4 and session["insights"]
    samples = run["samples"][0]
    assert {"latitude_deg", "heart_rate_bpm", "cadence_spm", "ground_contact_ms"} <= set(samples)
    cadence = [c for c in samples["cadence_spm"] if c is not None]
    assert max(cadence) > 185  # butt kicks and strides in the warm-up
    assert samples["timestamp_s"][1] - samples["timestamp_s"][0] == 5


def test_reseeding_on_a_later_day_adds_nothing(tmp_path: Path) -> None:
    with TestClient(make_app(tmp_path, seed_sample_data=True)) as first:
        before = first.get("/runs.json").json()["runs"]
        plan_id = first.get("/plan.json").json()["plan"]["id"]
    later = TODAY + dt.timedelta(days=10)
    with TestClient(make_app(tmp_path, later, seed_sample_data=True)) as second:
        assert second.get("/runs.json").json()["runs"] == before
        assert second.get("/plan.json").json()["plan"]["id"] == plan_id


def test_store_with_own_runs_gets_no_sample_runs(tmp_path: Path) -> None:
    with TestClient(make_app(tmp_path)) as plain:
        upload(plain, run_fit(_start(2)), "mine.fit")
    with TestClient(make_app(tmp_path, seed_sample_data=True)) as seeded:
        assert [r["name"] for r in seeded.get("/runs.json").json()["runs"]] == ["mine.fit"]


def test_upload_fit_lists_it_and_shows_the_run(client: TestClient) -> None:
    job = upload(client, run_fit(_start(1), 8000.0, 330.0), "Morning run.fit")
    assert job["status"] == "done"
    assert job["result"]["imported"] == 1
    runs = client.get("/runs.json").json()["runs"]
    assert [r["name"] for r in runs] == ["Morning run.fit"]
    assert runs[0]["distance_m"] == pytest.approx(8000, rel=0.02)
    run = client.get(f"/runs/{runs[0]['id']}.json", params={"samples": "true"}).json()
    session = run["sessions"][0]
    assert session["splits"] and session["laps"] and session["insights"]
    assert set(run["samples"][0]) >= {"timestamp_s", "heart_rate_bpm", "latitude_deg"}
    page = client.get(f"/runs/{runs[0]['id']}").text
    assert page.count("<svg") >= 4  # pace, HR, cadence, contact, route
    today = client.get("/today.json").json()
    assert today["last_run"]["id"] == runs[0]["id"]
    assert today["fitness"]["ctl"] > 0


def test_reimport_adds_nothing_twice(client: TestClient) -> None:
    before = len(client.get("/runs.json").json()["runs"])
    data = run_fit(_start(3))
    upload(client, data, "a.fit")
    again = upload(client, data, "b.fit")
    assert again["result"] == {**again["result"], "imported": 0, "skipped": 1}
    assert len(client.get("/runs.json").json()["runs"]) == before + 1


def test_bad_file_fails_its_job_with_a_reason(client: TestClient) -> None:
    job = upload(client, b"not a fit file at all", "broken.fit")
    assert job["status"] == "done"
    assert job["result"]["failed"] == 1
    assert job["result"]["failures"][0]["name"] == "broken.fit"


def test_names_and_notes_are_escaped(client: TestClient) -> None:
    evil = '<script>alert("x")</script>'
    upload(client, run_fit(_start(2)), "<img src=x onerror=alert(1)>.fit")
    run_id = client.get("/runs.json").json()["runs"][0]["id"]
    response = client.post(
        f"/runs/{run_id}", data={"name": evil, "notes": evil}, headers=csrf_headers(client)
    )
    assert response.status_code == 200
    assert client.get(f"/runs/{run_id}.json").json()["run"]["notes"] == evil
    for page in ("/runs", f"/runs/{run_id}", "/"):
        text = client.get(page).text
        assert "<script>alert" not in text
        assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in text


def test_post_without_csrf_token_is_refused(client: TestClient) -> None:
    response = client.post("/settings", data={"body_mass": "71"})
    assert response.status_code == 403
    response = client.post(
        "/settings.json", data={"body_mass": "71"}, headers={"X-CSRF-Token": "forged"}
    )
    assert response.status_code in (403, 405)


def test_multipart_bodies_are_never_parsed(client: TestClient, tmp_path: Path) -> None:
    token = client.get("/session.json").json()["csrf_token"]
    response = client.post(
        "/settings", data={"csrf_token": token}, files={"f": ("a.fit", b"x" * 10_000)}
    )
    assert response.status_code == 403  # the token in a multipart body is not looked at
    big = client.post(
        "/settings",
        content=b"notes=" + b"x" * 100_000,
        headers={"content-type": "application/x-www-form-urlencoded", "X-CSRF-Token": token},
    )
    assert big.status_code == 413


def test_settings_round_trip_and_units(client: TestClient) -> None:
    headers = csrf_headers(client)
    response = client.post(
        "/settings",
        data={"name": "Ada", "units": "mi", "body_mass": "154.3", "threshold_pace": "7:15"},
        headers=headers,
    )
    assert response.status_code == 200
    profile = client.get("/settings.json").json()["profile"]
    assert profile["units"] == "mi"
    assert profile["body_mass_kg"] == pytest.approx(70.0, abs=0.05)
    assert profile["threshold_pace_s_per_km"] == pytest.approx(435 / 1.609344, abs=0.5)
    assert profile["threshold_pace"] == "7:15/mi"
    assert "mi" in client.get("/plan").text


def test_invalid_settings_are_a_clear_error(client: TestClient) -> None:
    response = client.post("/settings", data={"max_hr_bpm": "40"}, headers=csrf_headers(client))
    assert response.status_code == 400
    assert "max_hr_bpm" in response.json()["error"]


@pytest.mark.parametrize(
    ("path", "status"),
    [("/runs/999.json", 404), ("/nowhere.json", 404), ("/drills/moonwalk.json", 404)],
)
def test_errors_are_json_without_traceback(client: TestClient, path: str, status: int) -> None:
    response = client.get(path)
    assert response.status_code == status
    assert set(response.json()) == {"error", "status"}
    assert "Traceback" not in response.text


def test_a_damaged_store_is_a_500_not_a_missing_run(client: TestClient, tmp_path: Path) -> None:
    """A missing row is a NotFoundError (404); a run whose samples are gone is damage in
    the store, a StoreError (500): it must not pass for "no such run"."""
    job = upload(client, run_fit(_start(1), 5000.0), "run.fit")
    run_id = job["result"]["runs"][0]["id"]
    with Database.open(tmp_path / "data" / "stridelab.db") as db:
        db.execute("DELETE FROM session_samples")
    response = client.get(f"/runs/{run_id}.json")
    assert response.status_code == 500
    assert "no samples" in response.json()["error"] and "Traceback" not in response.text
    assert client.get(f"/runs/{run_id + 1}.json").status_code == 404


def test_statuses_live_in_the_web_layer_only() -> None:
    from stridelab import errors
    from stridelab.web.error_pages import http_status

    assert not any(hasattr(getattr(errors, name), "http_status") for name in errors.__all__)
    assert http_status(errors.NotFoundError("no run 9")) == 404
    assert not issubclass(errors.NotFoundError, errors.WebError)  # a domain error
    assert http_status(errors.StoreError("disk I/O error")) == 500
    assert http_status(errors.ForbiddenError("not yours")) == 403
    assert http_status(errors.AuthError("sign in")) == 401
    assert http_status(errors.UnitParseError("5x", "time", "25:30")) == 400
    assert http_status(errors.FitCrcError("bad crc")) == 422
    assert http_status(errors.UnsupportedFormatError("x.doc")) == 415


def test_html_errors_are_pages(client: TestClient) -> None:
    response = client.get("/runs/999")
    assert response.status_code == 404
    assert "<h1>Not found</h1>" in response.text


def test_upload_limits_and_formats(tmp_path: Path) -> None:
    with TestClient(make_app(tmp_path, max_activity_bytes=1000)) as small:
        headers = csrf_headers(small)
        too_big = small.post(
            "/runs/upload", params={"filename": "x.fit"}, content=b"x" * 5000, headers=headers
        )
        assert too_big.status_code == 413
        wrong = small.post(
            "/runs/upload", params={"filename": "x.exe"}, content=b"MZ", headers=headers
        )
        assert wrong.status_code == 415
        empty = small.post(
            "/runs/upload", params={"filename": "x.fit"}, content=b"", headers=headers
        )
        assert empty.status_code == 400
    uploads = tmp_path / "data" / "uploads"
    assert list(uploads.iterdir()) == []  # nothing half-written kept


def test_uploaded_names_never_become_paths(client: TestClient, tmp_path: Path) -> None:
    job = upload(client, run_fit(_start(4)), "../../../../etc/passwd.fit")
    assert job["result"]["imported"] == 1
    stored = list((tmp_path / "data" / "uploads").iterdir())
    assert len(stored) == 1
    assert stored[0].name.endswith(".fit") and len(stored[0].stem) == 64  # sha256
    assert not (tmp_path / "etc").exists()
    assert client.get("/runs.json").json()["runs"][0]["name"] == "passwd.fit"


def test_move_and_skip_sessions(client: TestClient) -> None:
    headers = csrf_headers(client)
    plan = client.get("/plan.json").json()
    week = next(w for w in plan["weeks"] if w["start"] > TODAY.isoformat())
    days = week["days"]
    run_day = next(d for d in days if d["sessions"] and d["sessions"][0]["kind"] not in ("rest",))
    rest_day = next(d for d in days if d["sessions"] and d["sessions"][0]["kind"] == "rest")
    session_id = run_day["sessions"][0]["id"]
    moved = client.post(
        f"/plan/sessions/{session_id}/move", data={"date": rest_day["date"]}, headers=headers
    )
    assert moved.status_code == 200, moved.text
    after = client.get("/plan.json").json()
    week_after = next(w for w in after["weeks"] if w["start"] == week["start"])
    on_new_day = next(d for d in week_after["days"] if d["date"] == rest_day["date"])
    assert on_new_day["sessions"][0]["id"] == session_id
    assert on_new_day["sessions"][0]["moved_from"] == run_day["date"]
    outside = client.post(
        f"/plan/sessions/{session_id}/move",
        data={"date": (TODAY + dt.timedelta(days=60)).isoformat()},
        headers=headers,
    )
    assert outside.status_code == 400
    skipped = client.post(f"/plan/sessions/{session_id}/skip", headers=headers)
    assert skipped.status_code == 200
    statuses = {
        s["id"]: s["status"]
        for w in client.get("/plan.json").json()["weeks"]
        for d in w["days"]
        for s in d["sessions"]
    }
    assert statuses[session_id] == "skipped"
    assert any(c["kind"] == "skip" for c in client.get("/plan.json").json()["changes"])


def test_generate_plan_from_the_form(client: TestClient) -> None:
    response = client.post(
        "/plan/generate",
        data={
            "goal": "half",
            "race_date": (TODAY + dt.timedelta(weeks=16)).isoformat(),
            "days_per_week": "4",
            "current_weekly": "30",
            "recent_distance": "10k",
            "recent_time": "50:00",
        },
        headers=csrf_headers(client),
    )
    assert response.status_code == 200, response.text
    plan = client.get("/plan.json").json()
    assert plan["plan"]["goal"]["label"] == "half"
    assert plan["plan"]["origin"] == "generated"


def test_goal_time_from_the_form_is_rated_on_the_plan_page(client: TestClient) -> None:
    """A goal time beyond reach is planned at current fitness; the page says so and shows
    the re-test (issue 13)."""
    response = client.post(
        "/plan/generate",
        data={
            "goal": "10k",
            "race_date": (TODAY + dt.timedelta(weeks=16)).isoformat(),
            "days_per_week": "4",
            "current_weekly": "35",
            "recent_distance": "5k",
            "recent_time": "25:00",
            "goal_time": "40:00",
        },
        headers=csrf_headers(client),
    )
    assert response.status_code == 200, response.text
    goal = client.get("/plan.json").json()["plan"]["goal"]
    assert goal["feasibility"] == "out_of_reach" and goal["goal_time_s"] == 2400.0
    page = client.get("/plan").text
    assert "goal: out of reach" in page and "40:00" in page
    assert 'id="plan-notes"' in page and "Re-test on" in page


def test_impossible_plan_is_a_clear_error(client: TestClient) -> None:
    response = client.post(
        "/plan/generate",
        data={
            "goal": "marathon",
            "race_date": TODAY.isoformat(),
            "days_per_week": "4",
            "current_weekly": "30",
            "recent_time": "25:00",
        },
        headers=csrf_headers(client),
    )
    assert 400 <= response.status_code < 500
    assert response.json()["error"]


def test_replan_explains_what_changed(client: TestClient) -> None:
    """Three weeks of 21 km against 25 km planned, and a new 5K result."""
    for days_ago in (5, 7, 9, 12, 14, 16, 19, 21, 23):
        data = run_fit(_start(days_ago), 7000.0, 340.0, seed=days_ago)
        upload(client, data, f"r{days_ago}.fit")
    response = client.post(
        "/plan/replan",
        data={"race_distance": "5k", "race_time": "23:00"},
        headers=csrf_headers(client),
    )
    assert response.status_code == 200, response.text
    result = response.json()
    assert result["from"] == "2026-11-30"
    assert any("a week over the last 3 weeks" in r for r in result["reasons"])
    assert any("New race result" in r for r in result["reasons"])
    assert any("VDOT" in line for line in result["changes"])
    plan = client.get("/plan.json").json()
    assert plan["plan"]["origin"] == "replanned"
    assert client.get("/today.json").json()["advice"] is None  # nothing complete since
    assert plan["changes"][0]["reasons"] == result["reasons"]
    assert plan["request"]["current_weekly_m"] == pytest.approx(21_000, rel=0.03)


def test_replan_that_cannot_be_safe_says_what_to_change(client: TestClient) -> None:
    upload(client, run_fit(_start(6), 4000.0, 360.0), "only.fit")
    assert client.get("/today.json").json()["advice"] is None  # plan is younger than 2 weeks
    response = client.post("/plan/replan", headers=csrf_headers(client))
    assert response.status_code == 422
    assert "What works: race on" in response.json()["error"]
    assert client.get("/plan.json").json()["plan"]["origin"] == "sample"  # unchanged


def test_export_archive_imports_in_the_background(client: TestClient, tmp_path: Path) -> None:
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for i in range(3):
            archive.writestr(f"activities/{i}.fit", run_fit(_start(5 + i), 5000.0, seed=i))
        archive.writestr("activities/notes.txt", "not an activity")
    job = upload(client, buffer.getvalue(), "export_123.zip")
    assert job["kind"] == "import" and job["progress"] == 1.0
    assert job["result"]["imported"] == 3
    names = {r["name"] for r in client.get("/runs.json").json()["runs"]}
    assert {"0.fit", "1.fit", "2.fit"} <= names
    page = client.get("/runs.json", params={"limit": 2, "offset": 1}).json()
    assert page["total"] == 3 and len(page["runs"]) == 2


@pytest.mark.parametrize("kind", ["gpx", "tcx", "gpx.gz"])
def test_gpx_and_tcx_uploads(client: TestClient, kind: str) -> None:
    import gzip

    from activity_writers import synthetic_run, write_gpx, write_tcx

    run = synthetic_run(seconds=1200, start=_start(2))
    data = write_tcx(run) if kind == "tcx" else write_gpx(run)
    if kind.endswith(".gz"):
        data = gzip.compress(data)
    job = upload(client, data, f"evening.{kind}")
    assert job["result"]["imported"] == 1, job
    newest = client.get("/runs.json").json()["runs"][0]
    assert newest["name"] == f"evening.{kind}"
    assert newest["distance_m"] == pytest.approx(3600, rel=0.02)
