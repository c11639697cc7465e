"""The compute seam: local processes and a real Dask cluster give the same store.

The cluster is a real ``distributed.LocalCluster`` on 127.0.0.1 with two worker
processes (one thread each), started once for this module.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import sys
import zlib
from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import Any

import psutil
import pytest
from distributed import Client, LocalCluster

from fit_fixtures import fit_archive
from stridelab.compute import (
    IN_PROCESS,
    SCHEDULER_ENV_VAR,
    Backend,
    Compute,
    resolve_compute,
)
from stridelab.errors import ComputeError, InputError
from stridelab.store import ImportResult, import_paths, open_store

ARCHIVE_RUNS = 24
TABLES = ("activities", "sessions", "laps", "session_samples")


@pytest.fixture(scope="module")
def cluster() -> Iterator[LocalCluster]:
    with LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address=":0",  # never 8787: another cluster may hold it
        worker_dashboard_address=None,
    ) as local:
        yield local


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A Strava-like export: 24 runs as .fit.gz, plus one damaged member."""
    path = fit_archive(tmp_path_factory.mktemp("export") / "export.zip", ARCHIVE_RUNS)
    import zipfile

    with zipfile.ZipFile(path, "a") as extra:
        extra.writestr("activities/broken.fit", b"\x0e\x10garbage-not-a-fit-file")
    return path


def _dump(db: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every activity table, as stored (only the import clock left out)."""
    connection = sqlite3.connect(db)
    try:
        dump = {}
        for table in TABLES:
            columns = [
                row[1]
                for row in connection.execute(f"PRAGMA table_info({table})")
                if row[1] != "imported_at"
            ]
            dump[table] = connection.execute(
                f"SELECT {', '.join(columns)} FROM {table} ORDER BY rowid"
            ).fetchall()
        return dump
    finally:
        connection.close()


def _import(db: Path, archive: Path, compute: Compute, **options: Any) -> Any:
    with open_store(db) as store:
        return import_paths(store, [archive], compute=compute, **options)


def _no_partial_activity(db: Path) -> int:
    """Every stored activity has its sessions and every session its samples; the count."""
    connection = sqlite3.connect(db)
    try:
        bare = connection.execute(
            "SELECT COUNT(*) FROM activities WHERE id NOT IN (SELECT activity_id FROM sessions)"
        ).fetchone()[0]
        orphans = connection.execute(
            "SELECT COUNT(*) FROM sessions WHERE id NOT IN (SELECT session_id FROM session_samples)"
        ).fetchone()[0]
        assert (bare, orphans) == (0, 0)
        return int(connection.execute("SELECT COUNT(*) FROM activities").fetchone()[0])
    finally:
        connection.close()


def test_resolve_compute_reads_flags_and_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(SCHEDULER_ENV_VAR, raising=False)
    assert resolve_compute(workers=1) == IN_PROCESS
    assert resolve_compute().backend is Backend.PROCESSES or os.cpu_count() == 1
    with pytest.raises(InputError, match="exclude each other"):
        resolve_compute(workers=2, scheduler="tcp://127.0.0.1:8786")
    with pytest.raises(InputError, match="not a count"):
        resolve_compute(workers=0)
    with pytest.raises(InputError, match="not a Dask scheduler address"):
        resolve_compute(scheduler="127.0.0.1")
    monkeypatch.setenv(SCHEDULER_ENV_VAR, "tcp://127.0.0.1:8786")
    assert resolve_compute() == Compute(scheduler="tcp://127.0.0.1:8786")
    assert resolve_compute(workers=3) == Compute(workers=3)  # the flag wins


def test_map_streams_results_in_item_order() -> None:
    items = [bytes([i]) * (1000 * (40 - i)) for i in range(40)]  # later items are quicker
    expected = [zlib.crc32(item) for item in items]
    assert list(IN_PROCESS.map(zlib.crc32, items)) == expected
    assert list(Compute(workers=2).map(zlib.crc32, items)) == expected


def test_a_bug_in_a_worker_is_raised_as_it_is() -> None:
    with pytest.raises(ValueError, match="invalid literal"):
        list(Compute(workers=2).map(int, [b"1", b"2", b"x", b"4"]))


def test_unreachable_scheduler_fails_with_what_to_do() -> None:
    compute = Compute(scheduler="tcp://127.0.0.1:9")  # discard port: nothing listens
    with pytest.raises(ComputeError, match="dask scheduler"):
        list(compute.map(zlib.crc32, [b"x"]))


def test_the_store_is_the_same_whatever_the_backend(
    tmp_path: Path, archive: Path, cluster: LocalCluster
) -> None:
    local = _import(tmp_path / "one.db", archive, IN_PROCESS)
    assert (local.imported, len(local.failed)) == (ARCHIVE_RUNS, 1)
    assert "broken.fit" in (local.failed[0].reason or "")
    pool = _import(tmp_path / "pool.db", archive, Compute(workers=2))
    dask = _import(tmp_path / "dask.db", archive, Compute(scheduler=cluster.scheduler_address))
    assert pool.to_dict() == dask.to_dict() == local.to_dict()
    expected = _dump(tmp_path / "one.db")
    assert len(expected["session_samples"]) == ARCHIVE_RUNS
    assert _dump(tmp_path / "pool.db") == expected
    assert _dump(tmp_path / "dask.db") == expected
    again = _import(tmp_path / "dask.db", archive, Compute(scheduler=cluster.scheduler_address))
    assert (again.imported, again.duplicates) == (0, ARCHIVE_RUNS)


def _workers_of_pool() -> list[psutil.Process]:
    """This process's pool workers: children of its forkserver (or spawned children)."""
    me = psutil.Process()
    found = []
    for child in me.children(recursive=True):
        parent = child.parent()
        if (
            parent is not None
            and parent.pid != me.pid
            and "forkserver" in " ".join(parent.cmdline())
        ):
            found.append(child)
    return found


def test_a_killed_local_worker_fails_clearly_and_leaves_no_partial_activity(
    tmp_path: Path, archive: Path
) -> None:
    db = tmp_path / "killed.db"
    killed: list[int] = []

    def kill_once(result: ImportResult) -> None:
        if not killed:
            for worker in _workers_of_pool():
                worker.send_signal(signal.SIGKILL)
                killed.append(worker.pid)

    with pytest.raises(ComputeError, match="worker process died"):
        _import(db, archive, Compute(workers=2), progress=kill_once, batch_activities=1)
    assert killed
    kept = _no_partial_activity(db)
    assert 0 < kept < ARCHIVE_RUNS
    resumed = _import(db, archive, IN_PROCESS)
    assert (resumed.imported, resumed.duplicates) == (ARCHIVE_RUNS - kept, kept)


def test_a_killed_dask_worker_is_retried_and_the_import_finishes(
    tmp_path: Path, archive: Path, cluster: LocalCluster
) -> None:
    with Client(cluster.scheduler_address, set_as_default=False) as client:
        pids = client.run(os.getpid)
    victim = sorted(pids.values())[0]
    killed: list[int] = []

    def kill_once(result: ImportResult) -> None:
        if not killed:
            os.kill(victim, signal.SIGKILL)
            killed.append(victim)

    summary = _import(
        tmp_path / "retried.db",
        archive,
        Compute(scheduler=cluster.scheduler_address),
        progress=kill_once,
        batch_activities=1,
    )
    assert killed == [victim]
    assert (summary.imported, len(summary.failed)) == (ARCHIVE_RUNS, 1)
    assert _no_partial_activity(tmp_path / "retried.db") == ARCHIVE_RUNS
    local = _import(tmp_path / "local.db", archive, IN_PROCESS)
    assert local.imported == ARCHIVE_RUNS
    assert _dump(tmp_path / "retried.db") == _dump(tmp_path / "local.db")


def test_cli_import_on_workers_and_its_refusals(
    tmp_path: Path,
    archive: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from stridelab.cli import main

    db = tmp_path / "cli.db"
    assert main(["import", str(archive), "--db", str(db), "--workers", "2", "--json"]) == 1
    assert '"imported": 24' in capsys.readouterr().out
    assert main(["import", str(archive), "--workers", "2", "--scheduler", "tcp://h:1"]) == 2
    assert "exclude each other" in capsys.readouterr().err
    monkeypatch.setitem(sys.modules, "distributed", None)  # as if the extra were missing
    assert main(["import", str(archive), "--db", str(db), "--scheduler", "tcp://h:1"]) == 2
    assert "pip install 'stridelab[cluster]'" in capsys.readouterr().err


SPIKE_SQL = """
WITH runs AS (
    SELECT athlete_key, start_utc, distance_m
    FROM read_parquet('{out}/activities/**/*.parquet', hive_partitioning = true)
    WHERE sport = 'running'
)
SELECT r.athlete_key, r.start_utc, r.distance_m,
       max(p.distance_m) AS longest_previous_30d_m,
       r.distance_m / max(p.distance_m) AS spike_ratio
FROM runs r
LEFT JOIN runs p
  ON p.athlete_key = r.athlete_key
 AND p.start_utc >= r.start_utc - INTERVAL 30 DAY
 AND p.start_utc < r.start_utc
GROUP BY r.athlete_key, r.start_utc, r.distance_m
ORDER BY r.athlete_key, r.start_utc
"""


def _parquet(out: Path, table: str) -> str:
    return f"read_parquet('{out}/{table}/**/*.parquet', hive_partitioning = true)"


def test_dataset_matches_the_store_read_back_with_duckdb(
    tmp_path: Path, archive: Path, cluster: LocalCluster
) -> None:
    import duckdb

    from stridelab.dataset import build_dataset

    local = build_dataset([archive], tmp_path / "local")
    assert (local.added, local.skipped, len(local.failed)) == (ARCHIVE_RUNS, 0, 1)
    again = build_dataset([archive], tmp_path / "local", compute=Compute(workers=2))
    assert (again.added, again.skipped) == (0, ARCHIVE_RUNS)  # content keys: nothing twice
    remote = build_dataset(
        [archive], tmp_path / "dask", compute=Compute(scheduler=cluster.scheduler_address)
    )
    assert remote.added == ARCHIVE_RUNS
    _import(tmp_path / "store.db", archive, IN_PROCESS)
    with sqlite3.connect(tmp_path / "store.db") as store:
        sessions = store.execute("SELECT COUNT(*), SUM(distance_m) FROM sessions").fetchone()
        laps = store.execute("SELECT COUNT(*) FROM laps").fetchone()[0]
        samples = store.execute("SELECT SUM(n_samples) FROM session_samples").fetchone()[0]
        efforts = store.execute("SELECT COUNT(*), SUM(time_s) FROM best_efforts").fetchone()
    for out in (tmp_path / "local", tmp_path / "dask"):
        count, distance, athletes = duckdb.sql(
            f"SELECT COUNT(*), SUM(distance_m), COUNT(DISTINCT athlete_key) "
            f"FROM {_parquet(out, 'activities')}"
        ).fetchall()[0]
        assert (count, athletes) == (sessions[0], 1)
        assert distance == pytest.approx(sessions[1])
        assert duckdb.sql(f"SELECT COUNT(*) FROM {_parquet(out, 'laps')}").fetchall()[0][0] == laps
        assert (
            duckdb.sql(f"SELECT COUNT(*) FROM {_parquet(out, 'samples')}").fetchall()[0][0]
            == samples
        )
        effort_rows = (
            duckdb.sql(
                f"SELECT COUNT(*), SUM(time_s) FROM {_parquet(out, 'best_efforts')}"
            ).fetchall()[0]
            if (out / "best_efforts").is_dir()
            else (0, None)
        )
        assert effort_rows[0] == efforts[0]
    key = duckdb.sql(
        f"SELECT any_value(athlete_key) FROM {_parquet(tmp_path / 'local', 'activities')}"
    )
    assert key.fetchall()[0][0] != "export"  # pseudonymous unless --keep-names
    spikes = duckdb.sql(SPIKE_SQL.format(out=tmp_path / "local")).fetchall()
    assert len(spikes) == ARCHIVE_RUNS
    assert spikes[0][3] is None  # the first run has no previous 30 days
    assert all(row[4] == pytest.approx(1.0) for row in spikes[1:])  # the same run every day


def test_cli_dataset_build_keeps_names_when_asked(
    tmp_path: Path, archive: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import duckdb

    from stridelab.cli import main

    out = tmp_path / "named"
    args = ["dataset", "build", str(archive), "--out", str(out), "--keep-names", "--json"]
    assert main([*args, "--workers", "1"]) == 1  # the damaged member is listed
    assert '"added": 24' in capsys.readouterr().out
    names = duckdb.sql(f"SELECT DISTINCT athlete_key FROM {_parquet(out, 'activities')}")
    assert names.fetchall() == [("export",)]


def test_web_jobs_run_on_the_cluster(tmp_path: Path, archive: Path, cluster: LocalCluster) -> None:
    """serve --scheduler: an archive upload and a drill check run as jobs on Dask."""
    import cv2
    import numpy as np

    from stridelab.video.pose import FakePoseEstimator
    from stridelab.video.synthetic import SyntheticGait, synthesise
    from web_support import TestClient, csrf_headers, make_app, wait_job

    gait = SyntheticGait(
        duration_s=5.0, width=320, height=360, height_px=300.0, swing_back_legs=0.45
    )
    clip = synthesise(gait)
    fake = FakePoseEstimator.from_pixels(clip.xy_px, clip.visibility, gait.width, gait.height)
    compute = Compute(scheduler=cluster.scheduler_address)
    app = make_app(tmp_path, compute=compute, pose_estimator_factory=partial(_same, fake))
    with TestClient(app) as client:
        headers = csrf_headers(client)
        upload = client.post(
            "/runs/upload",
            params={"filename": "export.zip"},
            content=archive.read_bytes(),
            headers=headers,
        )
        job = wait_job(client, upload.json()["job"]["id"], timeout_s=120)
        assert job["status"] == "done", job
        assert (job["result"]["imported"], job["result"]["failed"]) == (ARCHIVE_RUNS, 1)
        video = tmp_path / "kicks.mp4"
        writer = cv2.VideoWriter(str(video), cv2.VideoWriter.fourcc(*"mp4v"), 30.0, (320, 360))
        for _ in range(len(clip.t_s)):
            writer.write(np.full((360, 320, 3), 40, dtype=np.uint8))
        writer.release()
        check = client.post(
            "/drills/butt_kicks/check",
            params={"filename": "kicks.mp4", "height_cm": 175},
            content=video.read_bytes(),
            headers=headers,
        )
        done = wait_job(client, check.json()["job"]["id"], timeout_s=120)
        assert done["status"] == "done", done
        report = client.get(f"/drills/checks/{done['result']['check_id']}.json").json()
        assert report["check"]["report"]["cadence_spm"] == pytest.approx(170, rel=0.05)


def _same(value: Any) -> Any:
    """A picklable factory that returns ``value`` (the fake pose estimator)."""
    return value


def _docs_polars_snippet(dataset: Path) -> str:
    """The Polars example of docs/dataset.md, pointed at ``dataset``."""
    text = (Path(__file__).parents[1] / "docs" / "dataset.md").read_text()
    section = text.split("### Querying it: Polars", 1)[1]
    code = section.split("```python", 1)[1].split("```", 1)[0]
    assert "print(spikes.collect())" in code
    code = code.replace("print(spikes.collect())", "result = spikes.collect()")
    return code.replace('"club-dataset/', f'"{dataset}/')


def test_docs_polars_example_answers_as_the_sql_does(tmp_path: Path, archive: Path) -> None:
    """The spike question in Polars (docs/dataset.md) gives the SQL query's rows."""
    import duckdb

    from stridelab.dataset import build_dataset

    out = tmp_path / "dataset"
    assert build_dataset([archive], out).added == ARCHIVE_RUNS
    scope: dict[str, Any] = {}
    exec(_docs_polars_snippet(out), scope)
    rows = scope["result"].sort("athlete_key", "start_utc").rows()
    sql = duckdb.sql(SPIKE_SQL.format(out=out)).fetchall()
    assert len(rows) == len(sql) == ARCHIVE_RUNS
    by_polars = {(r[0], r[1].replace(tzinfo=None) if r[1].tzinfo else r[1]): r[-1] for r in rows}
    for athlete, start, _, _, ratio in sql:
        key = (athlete, start.replace(tzinfo=None) if start.tzinfo else start)
        assert key in by_polars
        if ratio is None:
            assert by_polars[key] is None
        else:
            assert by_polars[key] == pytest.approx(ratio)
