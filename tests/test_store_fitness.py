"""Best efforts in the store: written at import, backfilled by a migration, queried."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pytest

from fitness_history import Runner, easy_run, fit_bytes, race_run
from stridelab.store import import_paths, open_store
from stridelab.store.fitness import best_efforts, load_run_facts

TODAY = dt.date(2027, 3, 1)
RUNNER = Runner(vdot=50.0, max_hr_bpm=190.0)


@pytest.fixture
def run_files(tmp_path: Path) -> Path:
    folder = tmp_path / "runs"
    folder.mkdir()
    old_race = TODAY - dt.timedelta(days=200)
    speed, hr = race_run(RUNNER, 5000.0)
    (folder / "old_race.fit").write_bytes(fit_bytes(old_race, speed, hr))
    slower = Runner(vdot=46.0, max_hr_bpm=190.0)
    speed, hr = race_run(slower, 5000.0)
    (folder / "recent_race.fit").write_bytes(fit_bytes(TODAY - dt.timedelta(days=10), speed, hr))
    speed, hr = easy_run(RUNNER, 40)
    (folder / "easy.fit").write_bytes(fit_bytes(TODAY - dt.timedelta(days=3), speed, hr))
    ride = np.full(1800, 9.0)  # 32 km/h: a "5 km in 9 min" that must not become a PB
    (folder / "ride.fit").write_bytes(
        fit_bytes(TODAY - dt.timedelta(days=2), ride, None, sport="cycling")
    )
    treadmill = np.full(1800, 3.0)
    (folder / "treadmill.fit").write_bytes(
        fit_bytes(
            TODAY - dt.timedelta(days=1), treadmill, np.full(1800, 140.0), with_distance=False
        )
    )
    return folder


def test_best_efforts_stored_at_import(tmp_path: Path, run_files: Path) -> None:
    with open_store(tmp_path / "s.db") as store:
        summary = import_paths(store, [run_files])
        assert summary.imported == 5
        facts = load_run_facts(store.connection)
        assert len(facts) == 4  # the ride is ignored; the treadmill run counts, without efforts
        treadmill = [f for f in facts if f.day == TODAY - dt.timedelta(days=1)]
        assert treadmill and treadmill[0].efforts == ()
        pbs = best_efforts(store.connection, TODAY)
        recent = best_efforts(store.connection, TODAY, days=90)
    assert pbs["5k"].day == TODAY - dt.timedelta(days=200)
    assert recent["5k"].day == TODAY - dt.timedelta(days=10)
    assert pbs["5k"].effort.time_s < recent["5k"].effort.time_s
    assert pbs["5k"].effort.time_s > 17 * 60  # not the ride


def test_migration_backfills_runs_stored_before_it(tmp_path: Path, run_files: Path) -> None:
    path = tmp_path / "s.db"
    with open_store(path) as store:
        import_paths(store, [run_files])
        before = load_run_facts(store.connection)
        # The store as an older stridelab left it: no fitness tables, no fitness migrations.
        for table in ("best_efforts", "run_fitness", "fitness_migrations"):
            store.connection.execute(f"DROP TABLE {table}")
    with open_store(path) as store:
        after = load_run_facts(store.connection)
        applied = store.connection.execute(
            "SELECT version, name FROM fitness_migrations"
        ).fetchall()
    assert [tuple(r) for r in applied] == [
        (1, "best efforts and run fitness, computed for stored runs")
    ]
    assert [(f.activity_id, f.day, len(f.efforts)) for f in after] == [
        (f.activity_id, f.day, len(f.efforts)) for f in before
    ]
    assert {e.name: e.time_s for e in after[0].efforts} == pytest.approx(
        {e.name: e.time_s for e in before[0].efforts}, abs=0.01
    )


def test_deleting_an_activity_removes_its_efforts(tmp_path: Path, run_files: Path) -> None:
    with open_store(tmp_path / "s.db") as store:
        import_paths(store, [run_files])
        first = load_run_facts(store.connection)[0].activity_id
        with store.transaction() as connection:
            connection.execute("DELETE FROM activities WHERE id = ?", (first,))
        left = store.connection.execute(
            "SELECT COUNT(*) FROM best_efforts WHERE activity_id = ?", (first,)
        ).fetchone()[0]
    assert left == 0
