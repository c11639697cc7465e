"""The one database layer: migrations under concurrency, savepoints, file modes, read-only."""

from __future__ import annotations

import json
import multiprocessing
import multiprocessing.synchronize
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from activity_writers import START, synthetic_run, write_tcx
from stridelab.coach.db import COACH_MIGRATIONS, open_coach
from stridelab.coach.planning import active_plan, create_plan
from stridelab.coach.runs import import_file, list_runs, set_run_notes
from stridelab.coach.sample import sample_plan_request
from stridelab.errors import StoreError
from stridelab.store import (
    STORE_MIGRATIONS,
    Database,
    get_activity,
    import_paths,
    list_activities,
    load_samples,
    open_store,
    weekly_trends,
)
from stridelab.store.database import is_writable
from stridelab.store.migrations import Migration, Migrations

#: Processes that open one brand-new store at the same moment.
OPENERS = 12
#: An unprivileged user for the permission tests when the suite runs as root (CI does).
NOBODY = 65534


def _count(db: Database, table: str) -> int:
    return int(db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])


def _open_at_once(path: str, barrier: multiprocessing.synchronize.Barrier) -> None:
    barrier.wait()
    open_coach(path).close()  # raises (exit code 1) if a migration runs twice


@pytest.mark.filterwarnings("ignore:This process .* fork:DeprecationWarning")
def test_many_processes_opening_a_new_store_migrate_it_once(tmp_path: Path) -> None:
    context = multiprocessing.get_context("fork")  # children start in microseconds
    for round_ in range(3):
        path = tmp_path / f"new{round_}" / "stridelab.db"
        barrier = context.Barrier(OPENERS)
        openers = [
            context.Process(target=_open_at_once, args=(str(path), barrier)) for _ in range(OPENERS)
        ]
        for process in openers:
            process.start()
        for process in openers:
            process.join(timeout=120)
        assert [p.exitcode for p in openers] == [0] * OPENERS
        with Database.open(path) as db:
            for migrations in (STORE_MIGRATIONS, COACH_MIGRATIONS):
                versions = [r[0] for r in db.execute(f"SELECT version FROM {migrations.table}")]
                assert versions == [m.version for m in migrations.steps]  # each exactly once
            assert _count(db, "coach_athletes") == 1


def test_the_version_is_read_inside_the_write_lock(tmp_path: Path) -> None:
    """A second opener blocked behind a migrating one sees its versions and runs nothing:
    the applied version is read after ``BEGIN IMMEDIATE``, not before."""
    steps = Migrations("demo", "demo_migrations", (Migration(1, "t", "CREATE TABLE t (x)"),))
    with Database.open(tmp_path / "d.db") as first, Database.open(tmp_path / "d.db") as second:
        with first.transaction():
            assert steps.apply(first) == 1  # a savepoint inside the open transaction
            second.connection.execute("PRAGMA busy_timeout = 0")
            with pytest.raises(StoreError, match="busy"):
                steps.apply(second)  # cannot even read the version until the lock is free
        assert steps.apply(second) == 1  # now it reads version 1 and creates nothing
        assert _count(second, "demo_migrations") == 1


def test_a_migration_set_must_number_from_one() -> None:
    with pytest.raises(ValueError, match="rise from 1"):
        Migrations("bad", "bad_migrations", (Migration(2, "a", ""), Migration(1, "b", "")))


@pytest.fixture
def run_files(tmp_path: Path) -> list[Path]:
    folder = tmp_path / "runs"
    folder.mkdir()
    paths = []
    for day in range(3):
        run = synthetic_run(seconds=900 + 60 * day, start=START + timedelta(days=day))
        paths.append(folder / f"run{day}.tcx")
        paths[-1].write_bytes(write_tcx(run))
    return paths


@pytest.fixture
def coach_store(tmp_path: Path) -> Iterator[Database]:
    with open_coach(tmp_path / "data" / "stridelab.db") as db:
        yield db


def test_one_request_spans_store_and_coach_writes_and_rolls_back_whole(
    coach_store: Database, run_files: list[Path]
) -> None:
    today = START.date()

    class Abandoned(Exception):
        pass

    with pytest.raises(Abandoned), coach_store.transaction():
        imported = import_file(coach_store, 1, run_files[0])
        assert imported["imported"] == 1  # written, inside the outer transaction
        create_plan(coach_store, 1, sample_plan_request(today), today)
        set_run_notes(coach_store, 1, imported["runs"][0]["id"], "Tempo", "felt good")
        raise Abandoned
    assert _count(coach_store, "activities") == 0
    assert _count(coach_store, "coach_activity_owners") == 0
    assert active_plan(coach_store, 1) is None
    assert not coach_store.connection.in_transaction

    with coach_store.transaction():
        imported = import_file(coach_store, 1, run_files[0])
        create_plan(coach_store, 1, sample_plan_request(today), today)
    assert _count(coach_store, "activities") == 1 and active_plan(coach_store, 1) is not None
    assert [r.name for r in list_runs(coach_store, 1, 300.0)] == ["run0.tcx"]


def test_an_inner_savepoint_rolls_back_alone(coach_store: Database, run_files: list[Path]) -> None:
    refused = {str(run_files[1])}

    def claim(connection: sqlite3.Connection, activity_id: int, source: str) -> None:
        if source in refused:
            raise StoreError("refused")
        connection.execute(
            "INSERT INTO coach_activity_owners (activity_id, athlete_id) VALUES (?, 1)",
            (activity_id,),
        )

    with coach_store.transaction():
        summary = import_paths(coach_store, run_files, on_stored=claim)
        with pytest.raises(StoreError), coach_store.transaction() as connection:
            connection.execute("DELETE FROM activities")
            raise StoreError("changed my mind")
    assert (summary.imported, len(summary.failed)) == (2, 1)
    assert _count(coach_store, "activities") == _count(coach_store, "coach_activity_owners") == 2


def test_a_new_store_and_its_folder_are_private(tmp_path: Path) -> None:
    path = tmp_path / "fresh" / "stridelab.db"
    with open_store(path) as db:
        import_paths(db, [])  # an open WAL store: -wal and -shm exist beside it
        files = [path, *(path.with_name(path.name + s) for s in ("-wal", "-shm"))]
        modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in files if p.exists()}
    assert modes[path.name] == 0o600 and set(modes.values()) == {0o600}, modes
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


@pytest.fixture
def stored(tmp_path: Path, run_files: list[Path]) -> Path:
    """A closed store holding three runs."""
    path = tmp_path / "full" / "stridelab.db"
    with open_store(path) as db:
        assert import_paths(db, run_files).imported == 3
    return path


def test_a_read_only_store_can_still_be_read(tmp_path: Path, stored: Path) -> None:
    copy = tmp_path / "readonly" / "stridelab.db"
    copy.parent.mkdir()
    shutil.copy(stored, copy)
    copy.chmod(0o444)
    assert Database.open(copy).read_only is (not is_writable(copy))
    with open_store(stored) as original:
        expected = list_activities(original)
        expected_trends = weekly_trends(original).to_dict()
    with open_store(copy, read_only=True) as db:  # SQLite mode=ro: refuses writes, even root's
        assert db.read_only
        assert list_activities(db) == expected
        assert weekly_trends(db).to_dict() == expected_trends
        activity = get_activity(db, expected[0].id)
        assert len(load_samples(db, activity.session_ids[0])) > 100
        with pytest.raises(StoreError, match="read-only"):
            import_paths(db, [stored])
        with pytest.raises(StoreError, match="read-only"), db.transaction():
            pass
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            db.execute("DELETE FROM activities")
    assert stat.S_IMODE(copy.stat().st_mode) == 0o444


def _cli_as_reader(*argv: str) -> subprocess.CompletedProcess[str]:
    """Run the CLI as a user who may read but not write the store (nobody, when root)."""
    code = "import sys; from stridelab.cli import main; sys.exit(main(sys.argv[1:]))"
    drop = {"user": NOBODY, "group": NOBODY, "extra_groups": []} if os.geteuid() == 0 else {}
    try:
        return subprocess.run(
            [sys.executable, "-c", code, *argv],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
            cwd="/",
            env={**os.environ, "HOME": "/nonexistent"},
            **drop,  # type: ignore[arg-type]
        )
    except PermissionError:  # the interpreter lives where only root may go (/root/.pyenv)
        pytest.skip("an unprivileged user cannot run this Python; the mode=ro test covers it")


def test_cli_reads_a_store_in_a_read_only_folder(stored: Path) -> None:
    """``activities`` and ``trends`` of a store the user cannot write, in a folder they
    cannot write either (no ``-shm`` can be made): a real unprivileged process."""
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch) / "shared"
        folder.mkdir()
        copy = folder / "stridelab.db"
        shutil.copy(stored, copy)
        copy.chmod(0o444)
        folder.chmod(0o555)
        Path(scratch).chmod(0o755)
        try:
            listed = _cli_as_reader("activities", "--db", str(copy), "--json")
            assert listed.returncode == 0, listed.stderr
            assert len(json.loads(listed.stdout)) == 3
            trends = _cli_as_reader("trends", "--db", str(copy), "--json", "--weeks", "0")
            assert trends.returncode == 0, trends.stderr
            assert json.loads(trends.stdout)["weeks"]
            refused = _cli_as_reader("import", str(copy), "--db", str(copy))
            assert refused.returncode == 2 and "read-only" in refused.stderr
            assert "Traceback" not in refused.stderr
        finally:
            folder.chmod(0o755)
        assert sorted(p.name for p in folder.iterdir()) == ["stridelab.db"]  # nothing added
