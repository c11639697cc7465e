"""The stored daily load: the same numbers as computing from every run, kept current on
import, deletion and profile changes, in the same transaction; a run can be deleted."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path

import pytest

from stridelab.cli import main
from stridelab.coach.daily_load import daily_fitness, refresh_daily_load
from stridelab.coach.dashboard import FITNESS_CHART_DAYS, fitness_series, today_view
from stridelab.coach.db import open_coach
from stridelab.coach.profile import DEFAULT_PROFILE, load_profile, save_profile
from stridelab.coach.runs import delete_run, import_file, list_runs
from stridelab.errors import NotFoundError
from stridelab.store import Database, get_activity, import_paths
from web_support import TODAY, TestClient, csrf_headers, make_app, run_fit, upload

#: Days before TODAY of the runs every test starts with; the odd ones have no heart rate
#: (their load is rTSS from pace, so it depends on the profile's threshold pace).
DAYS_AGO = (1, 3, 4, 9, 12, 30, 31, 75, 200)


def _write(folder: Path, days_ago: int, seed: int, *, heart_rate: bool = True) -> Path:
    start = dt.datetime.combine(TODAY - dt.timedelta(days=days_ago), dt.time(7), tzinfo=dt.UTC)
    path = folder / f"run-{days_ago}-{seed}.fit"
    path.write_bytes(run_fit(start, 5000.0 + 500 * seed, 330.0, heart_rate=heart_rate, seed=seed))
    return path


@pytest.fixture()
def db(tmp_path: Path, coach_db: Database) -> Database:
    for i, days_ago in enumerate(DAYS_AGO):
        import_file(coach_db, 1, _write(tmp_path, days_ago, i, heart_rate=i % 2 == 0))
    return coach_db


def _expected(db: Database, until: dt.date, days: int = FITNESS_CHART_DAYS) -> dict[str, list]:
    profile = load_profile(db, 1)
    runs = list_runs(db, 1, profile.threshold_pace_s_per_km, zone=profile.zone)
    series = fitness_series(runs, until, min_days=days)
    return {k: v[-days:] for k, v in series.items()}


def _stored_rows(db: Database) -> int:
    return int(db.execute("SELECT COUNT(*) FROM coach_daily_load").fetchone()[0])


@pytest.mark.parametrize("back", [0, 2, 50, -40, 300])
def test_stored_series_equals_computing_from_every_run(db: Database, back: int) -> None:
    until = TODAY - dt.timedelta(days=back)
    got = daily_fitness(db, 1, load_profile(db, 1), until, FITNESS_CHART_DAYS).as_dict()
    assert got == _expected(db, until)


def test_import_keeps_the_table_current_in_its_transaction(db: Database, tmp_path: Path) -> None:
    assert _stored_rows(db) == 200  # first run 200 days ago to the last, yesterday
    before = daily_fitness(db, 1, DEFAULT_PROFILE, TODAY, 10)
    import_file(db, 1, _write(tmp_path, 0, 42))
    # Stored by the import itself: the state is current without a read rebuilding it.
    state = db.execute("SELECT fingerprint FROM coach_daily_load_state").fetchone()[0]
    stored_loads = db.execute(
        "SELECT load FROM coach_daily_load WHERE day = ?", (TODAY.isoformat(),)
    ).fetchone()
    assert stored_loads is not None and stored_loads[0] > 0
    after = daily_fitness(db, 1, DEFAULT_PROFILE, TODAY, 10)
    assert after.ctl[-1] > before.ctl[-1]
    assert after.as_dict() == _expected(db, TODAY, 10)
    assert db.execute("SELECT fingerprint FROM coach_daily_load_state").fetchone()[0] == state


def test_delete_removes_the_run_and_its_load(db: Database) -> None:
    runs = list_runs(db, 1, DEFAULT_PROFILE.threshold_pace_s_per_km)
    newest = runs[0]
    assert newest.day == TODAY - dt.timedelta(days=1)
    assert delete_run(db, 1, newest.id) is True
    with pytest.raises(NotFoundError):
        get_activity(db, newest.id)
    for table in ("sessions", "best_efforts", "run_fitness"):
        sql = f"SELECT COUNT(*) FROM {table} WHERE activity_id = ?"
        assert db.execute(sql, (newest.id,)).fetchone()[0] == 0
    # The table now ends on the run before (three days ago), and agrees with recomputing.
    last = db.execute("SELECT MAX(day) FROM coach_daily_load").fetchone()[0]
    assert last == (TODAY - dt.timedelta(days=3)).isoformat()
    assert daily_fitness(db, 1, DEFAULT_PROFILE, TODAY, 30).as_dict() == _expected(db, TODAY, 30)
    with pytest.raises(NotFoundError, match="no run"):
        delete_run(db, 1, newest.id)


def test_delete_is_one_transaction(db: Database) -> None:
    rows = db.execute("SELECT * FROM coach_daily_load ORDER BY day").fetchall()
    run = list_runs(db, 1, DEFAULT_PROFILE.threshold_pace_s_per_km)[0]

    class Boom(Exception):
        pass

    with pytest.raises(Boom), db.transaction():
        delete_run(db, 1, run.id)
        raise Boom
    assert get_activity(db, run.id).id == run.id
    assert db.execute("SELECT * FROM coach_daily_load ORDER BY day").fetchall() == rows


def test_shared_activity_stays_for_the_other_athlete(db: Database, tmp_path: Path) -> None:
    db.execute("INSERT INTO coach_athletes (id, name, created_at) VALUES (2, 'B', '')")
    shared = _write(tmp_path, 2, 7)
    import_file(db, 1, shared)
    import_file(db, 2, shared)
    run_id = list_runs(db, 2, DEFAULT_PROFILE.threshold_pace_s_per_km)[0].id
    assert delete_run(db, 1, run_id) is False  # athlete 2 still has it
    assert get_activity(db, run_id).id == run_id
    assert [r.id for r in list_runs(db, 2, 300.0)] == [run_id]
    assert run_id not in {r.id for r in list_runs(db, 1, 300.0)}
    with pytest.raises(NotFoundError):
        delete_run(db, 1, run_id)
    for athlete in (1, 2):
        got = daily_fitness(db, athlete, DEFAULT_PROFILE, TODAY, 30).as_dict()
        runs = list_runs(db, athlete, DEFAULT_PROFILE.threshold_pace_s_per_km)
        want = fitness_series(runs, TODAY, min_days=30)
        assert got == {k: v[-30:] for k, v in want.items()}


def test_profile_change_rebuilds_loads_in_the_same_transaction(db: Database) -> None:
    old = daily_fitness(db, 1, DEFAULT_PROFILE, TODAY, FITNESS_CHART_DAYS)
    faster = dataclasses.replace(DEFAULT_PROFILE, threshold_pace_s_per_km=240.0)
    save_profile(db, 1, faster)
    stored = db.execute("SELECT fingerprint FROM coach_daily_load_state").fetchone()[0]
    assert "240.0" in stored  # written by save_profile, not by the next read
    new = daily_fitness(db, 1, faster, TODAY, FITNESS_CHART_DAYS)
    # The pace-only runs count less against a faster threshold (rTSS ∝ IF²).
    assert sum(new.load) < sum(old.load)
    assert new.as_dict() == _expected(db, TODAY)


def test_changes_made_past_the_coach_are_picked_up(db: Database, tmp_path: Path) -> None:
    """``stridelab import`` writes the store directly: the next read notices and rebuilds."""
    folder = tmp_path / "direct"
    folder.mkdir()
    _write(folder, 0, 11)
    import_paths(db, [folder])
    assert daily_fitness(db, 1, DEFAULT_PROFILE, TODAY, 20).as_dict() == _expected(db, TODAY, 20)
    db.execute("DELETE FROM coach_daily_load")  # a damaged table is rebuilt too
    db.execute("UPDATE coach_daily_load_state SET fingerprint = 'old'")
    assert daily_fitness(db, 1, DEFAULT_PROFILE, TODAY, 20).as_dict() == _expected(db, TODAY, 20)


def test_no_runs_and_read_only_store(tmp_path: Path, db: Database) -> None:
    empty = open_coach(tmp_path / "empty.db")
    assert daily_fitness(empty, 1, DEFAULT_PROFILE, TODAY, 30).as_dict() == {
        "days": [],
        "load": [],
        "ctl": [],
        "atl": [],
        "tsb": [],
    }
    empty.close()
    want = _expected(db, TODAY, 40)
    db.execute("DELETE FROM coach_daily_load_state")  # stale, and nobody may rebuild it
    with Database.open(db.path, read_only=True) as ro:
        assert daily_fitness(ro, 1, DEFAULT_PROFILE, TODAY, 40).as_dict() == want


def test_today_view_reads_the_table(db: Database) -> None:
    view = today_view(db, 1, DEFAULT_PROFILE, TODAY)
    assert view["fitness"]["series"] == _expected(db, TODAY)
    assert view["run_count"] == len(DAYS_AGO)
    assert view["last_run"]["start"].startswith((TODAY - dt.timedelta(days=1)).isoformat())
    assert len(view["recent_runs"]) == 5


def test_refresh_returns_days(db: Database) -> None:
    assert refresh_daily_load(db, 1, DEFAULT_PROFILE) == 200


def test_cli_delete(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = tmp_path / "cli.db"
    folder = tmp_path / "runs"
    folder.mkdir()
    _write(folder, 1, 0)
    _write(folder, 2, 1)
    assert main(["import", str(folder), "--db", str(store), "--workers", "1"]) == 0
    capsys.readouterr()
    assert main(["activities", "--db", str(store), "--json"]) == 0
    ids = [row["id"] for row in json.loads(capsys.readouterr().out)]
    assert main(["delete", str(ids[0]), "--db", str(store), "--yes", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"deleted": [ids[0]]}
    assert main(["activities", "--db", str(store), "--json"]) == 0
    assert [row["id"] for row in json.loads(capsys.readouterr().out)] == ids[1:]
    assert main(["delete", "999", "--db", str(store), "--yes"]) != 0
    assert "no activity 999" in capsys.readouterr().err


def test_web_delete_needs_confirmation_and_updates_today(tmp_path: Path) -> None:
    with TestClient(make_app(tmp_path)) as client:
        start = dt.datetime.combine(TODAY - dt.timedelta(days=1), dt.time(7), tzinfo=dt.UTC)
        upload(client, run_fit(start, 8000.0))
        run_id = client.get("/runs.json").json()["runs"][0]["id"]
        before = client.get("/today.json").json()["fitness"]["ctl"]
        assert before and before > 0
        headers = csrf_headers(client)
        refused = client.post(f"/runs/{run_id}/delete", headers=headers, data={})
        assert refused.status_code == 400
        assert "confirmation" in refused.json()["error"]
        done = client.post(f"/runs/{run_id}/delete", headers=headers, data={"confirm": "yes"})
        assert done.json() == {"id": run_id, "deleted": True, "activity_deleted": True}
        assert client.get("/runs.json").json()["runs"] == []
        assert client.get("/today.json").json()["fitness"]["ctl"] is None
        assert client.get(f"/runs/{run_id}.json").status_code == 404
        again = client.post(f"/runs/{run_id}/delete", headers=headers, data={"confirm": "yes"})
        assert again.status_code == 404
