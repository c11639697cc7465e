"""The SQLite store: migrations, idempotent and atomic imports, archives, samples, trends."""

from __future__ import annotations

import gzip
import io
import sqlite3
import zipfile
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import numpy as np
import pytest

from activity_writers import START, synthetic_run, write_fit, write_gpx, write_tcx
from stridelab.activities.readers import iter_archive
from stridelab.store import (
    DB_ENV_VAR,
    STORE_MIGRATIONS,
    Database,
    ImportOutcome,
    default_db_path,
    get_activity,
    import_paths,
    importer,
    list_activities,
    load_samples,
    open_store,
    repository,
    weekly_trends,
)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Database]:
    with open_store(tmp_path / "runs.db") as opened:
        yield opened


@pytest.fixture
def run_folder(tmp_path: Path) -> Path:
    """Five different runs on five days: TCX, GPX and gzip of both."""
    folder = tmp_path / "runs"
    folder.mkdir()
    for day in range(5):
        run = synthetic_run(seconds=900 + 60 * day, start=START + timedelta(days=day))
        if day % 2:
            data, name = write_gpx(run), f"run{day}.gpx"
        else:
            data, name = write_tcx(run), f"run{day}.tcx"
        if day >= 3:
            data, name = gzip.compress(data), name + ".gz"
        (folder / name).write_bytes(data)
    return folder


def _count(store: Database, table: str) -> int:
    return int(store.connection.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])


def test_migrations_are_recorded_and_not_reapplied(tmp_path: Path) -> None:
    path = tmp_path / "m.db"
    with open_store(path) as first:
        assert STORE_MIGRATIONS.applied(first) == STORE_MIGRATIONS.latest
        rows = first.query("SELECT version, name FROM migrations")
        assert [r["version"] for r in rows] == [m.version for m in STORE_MIGRATIONS.steps]
    with open_store(path) as again:
        assert _count(again, "migrations") == len(STORE_MIGRATIONS.steps)


def test_db_path_from_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(DB_ENV_VAR, str(tmp_path / "env.db"))
    assert default_db_path() == tmp_path / "env.db"
    monkeypatch.delenv(DB_ENV_VAR)
    assert default_db_path().name == "stridelab.db"


def test_reimport_adds_nothing_twice(store: Database, run_folder: Path) -> None:
    first = import_paths(store, [run_folder])
    assert (first.imported, first.duplicates, len(first.failed)) == (5, 0, 0)
    tables = {t: _count(store, t) for t in ("activities", "sessions", "laps", "session_samples")}
    second = import_paths(store, [run_folder, run_folder / "run0.tcx"])
    assert (second.imported, second.duplicates) == (0, 6)
    assert {t: _count(store, t) for t in tables} == tables


def test_gzip_and_plain_copies_are_one_activity(store: Database, tmp_path: Path) -> None:
    data = write_tcx(synthetic_run(seconds=300))
    (tmp_path / "a.tcx").write_bytes(data)
    (tmp_path / "b.tcx.gz").write_bytes(gzip.compress(data))
    summary = import_paths(store, [tmp_path / "a.tcx", tmp_path / "b.tcx.gz"])
    assert [r.outcome for r in summary.results] == [ImportOutcome.IMPORTED, ImportOutcome.DUPLICATE]


def test_bad_files_fail_with_reasons_and_import_carries_on(
    store: Database, run_folder: Path
) -> None:
    (run_folder / "broken.tcx").write_bytes(b"<TrainingCenterDatabase><Activ")
    (run_folder / "noise.fit").write_bytes(b"\x00\x01garbage" * 10)
    summary = import_paths(store, [run_folder])
    assert summary.imported == 5
    reasons = {Path(r.name).name: r.reason for r in summary.failed}
    assert set(reasons) == {"broken.tcx", "noise.fit"}
    assert all(reason and "\n" not in reason for reason in reasons.values())


def test_interrupted_import_keeps_what_was_committed(store: Database, run_folder: Path) -> None:
    seen: list[str] = []

    def stop_after_two(result: repository.ImportResult) -> None:
        seen.append(result.name)
        if len(seen) == 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        import_paths(store, [run_folder], progress=stop_after_two, batch_activities=1)
    assert _count(store, "activities") == 2
    resumed = import_paths(store, [run_folder])
    assert (resumed.imported, resumed.duplicates) == (3, 2)


def test_crash_mid_activity_leaves_nothing_half_written(
    store: Database, run_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = {"n": 0}
    real = importer._insert_samples

    def crash_on_third(connection: object, session_id: int, session: object) -> None:
        calls["n"] += 1
        if calls["n"] == 3:
            raise KeyboardInterrupt  # power cut after the activity and session rows
        real(connection, session_id, session)  # type: ignore[arg-type]

    monkeypatch.setattr(importer, "_insert_samples", crash_on_third)
    with pytest.raises(KeyboardInterrupt):
        import_paths(store, [run_folder])
    counts = [_count(store, t) for t in ("activities", "sessions", "session_samples")]
    assert counts == [2, 2, 2]
    orphans = store.connection.execute(
        "SELECT COUNT(*) FROM sessions WHERE id NOT IN (SELECT session_id FROM session_samples)"
    ).fetchone()[0]
    assert orphans == 0


def test_samples_round_trip_and_activity_detail(store: Database, run_folder: Path) -> None:
    import_paths(store, [run_folder / "run0.tcx"])
    (row,) = list_activities(store)
    detail = get_activity(store, row.id)
    assert detail.sessions[0]["distance_m"] == pytest.approx(2697, rel=0.01)
    assert len(detail.sessions[0]["laps"]) == 2
    assert detail.sessions[0]["device_summary"]["calories_kcal"] == 200.0
    samples = load_samples(store, detail.session_ids[0])
    assert len(samples) == 900
    assert np.nanmedian(samples.cadence_spm) == pytest.approx(168, abs=0.5)
    assert samples.power_w is None


def _strava_zip(tmp_path: Path) -> Path:
    path = tmp_path / "export_123.zip"
    run_a = synthetic_run(seconds=600)
    run_b = synthetic_run(seconds=700, start=START + timedelta(days=1))
    run_c = synthetic_run(seconds=800, start=START + timedelta(days=2))
    csv_text = (
        "Activity ID,Activity Date,Activity Name,Activity Type,Filename\n"
        '1,"May 4, 2024, 7:30:00 AM",Morning Run,Run,activities/1.tcx.gz\n'
        '2,"May 5, 2024, 7:30:00 AM",Easy,Run,activities/2.gpx\n'
        '3,"May 6, 2024, 7:30:00 AM",Long,Run,activities/3.tcx\n'
        '4,"May 7, 2024, 7:30:00 AM",Tempo,Run,activities/4.fit.gz\n'
    )
    run_d = synthetic_run(seconds=900, start=START + timedelta(days=3))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("activities.csv", csv_text)
        archive.writestr("activities/1.tcx.gz", gzip.compress(write_tcx(run_a)))
        archive.writestr("activities/2.gpx", write_gpx(run_b))
        archive.writestr("activities/3.tcx", write_tcx(run_c))
        archive.writestr("activities/4.fit.gz", gzip.compress(write_fit(run_d)))
        archive.writestr("profile.csv", "nothing,here\n")
        archive.writestr("media/photo.jpg", b"\xff\xd8\xff")
    return path


def _garmin_zip(tmp_path: Path) -> Path:
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w", zipfile.ZIP_DEFLATED) as uploads:
        uploads.writestr("run_a.tcx", write_tcx(synthetic_run(seconds=500)))
        uploads.writestr("run_b.gpx", write_gpx(synthetic_run(seconds=400)))
        uploads.writestr("bad.tcx", b"<TrainingCenterDatabase><oops")
        uploads.writestr("run_c.fit", write_fit(synthetic_run(seconds=450), stance_time_ms=240))
        uploads.writestr("truncated.fit", write_fit(synthetic_run(seconds=450))[:300])
    path = tmp_path / "garmin_export.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("DI_CONNECT/DI-Connect-User/user_profile.json", "{}")
        archive.writestr(
            "DI_CONNECT/DI-Connect-Uploaded-Files/UploadedFiles_0-_Part1.zip", inner.getvalue()
        )
    return path


def test_strava_export_is_streamed_with_its_csv_metadata(tmp_path: Path) -> None:
    entries = list(iter_archive(_strava_zip(tmp_path)))
    assert [e.member for e in entries] == [
        "activities/1.tcx.gz",
        "activities/2.gpx",
        "activities/3.tcx",
        "activities/4.fit.gz",
    ]
    assert entries[0].metadata["activity_name"] == "Morning Run"
    assert entries[3].metadata["activity_type"] == "Run"
    assert entries[1].name.endswith("export_123.zip!activities/2.gpx")


def test_archives_import_and_reimport(store: Database, tmp_path: Path) -> None:
    strava, garmin = _strava_zip(tmp_path), _garmin_zip(tmp_path)
    summary = import_paths(store, [strava, garmin])
    assert (summary.imported, summary.duplicates) == (7, 0)
    failed = sorted(Path(r.name.split("!")[-1]).name for r in summary.failed)
    assert failed == ["bad.tcx", "truncated.fit"]
    formats = sorted(a.format for a in list_activities(store))
    assert formats == ["fit", "fit", "gpx", "gpx", "tcx", "tcx", "tcx"]
    again = import_paths(store, [strava, garmin])
    assert again.imported == 0
    assert again.duplicates == 7


def test_weekly_trends_sum_volume_and_load(store: Database, run_folder: Path) -> None:
    import_paths(store, [run_folder])
    trends = weekly_trends(store)
    total = sum(week.distance_m for week in trends.weeks)
    stored = sum(a.summary["distance_m"] for a in list_activities(store))
    assert total == pytest.approx(stored)
    assert sum(week.runs for week in trends.weeks) == 5
    assert trends.weeks[-1].ctl > 0
    assert all(week.avg_cadence_spm == pytest.approx(168, abs=1) for week in trends.weeks)


def test_on_stored_runs_inside_the_activity_transaction(store: Database, run_folder: Path) -> None:
    """What a caller records with an activity (the web app: its owner) commits with it, or
    not at all: a failing hook rolls the activity back."""
    from stridelab.errors import StoreError

    store.connection.execute("CREATE TABLE owners (activity_id INTEGER, source TEXT)")

    def claim(connection: sqlite3.Connection, activity_id: int, source: str) -> None:
        connection.execute("INSERT INTO owners VALUES (?, ?)", (activity_id, source))

    def refuse(connection: sqlite3.Connection, activity_id: int, source: str) -> None:
        claim(connection, activity_id, source)
        raise StoreError("no owner for this run")

    failed = import_paths(store, [run_folder], on_stored=refuse)
    assert failed.imported == 0 and _count(store, "activities") == 0
    assert _count(store, "owners") == 0
    stored = import_paths(store, [run_folder], on_stored=claim)
    assert stored.imported == _count(store, "activities") == _count(store, "owners") > 0
