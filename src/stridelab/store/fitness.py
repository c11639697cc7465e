"""Best efforts and fitness facts of stored runs: written at import, read for ``fitness``.

Two tables, filled in the same transaction as the activity they describe (and removed
with it, ``ON DELETE CASCADE``):

* ``run_fitness``: one row per running activity: its start, distance, duration, the steady
  part's speed and heart rate, the credible max HR and what the glitch filter dropped;
* ``best_efforts``: one row per (activity, effort): time, distance, HR, grade-adjusted time.

They are created by the ``fitness`` migration set, recorded in ``fitness_migrations``;
migration 1 also computes the facts of every run stored before it existed, from the
stored samples, in the same transaction. Only running sessions count (other sports are
ignored); of a multisport file the longest running session is used.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from typing import Final

from stridelab.activities.model import Samples
from stridelab.activities.sports import RUN_SPORTS
from stridelab.physiology.best_efforts import Effort, run_efforts
from stridelab.physiology.fitness import (
    NO_PINS,
    BestEffort,
    FitnessEstimate,
    FitnessPins,
    RunFacts,
    VdotEstimate,
    best_efforts_by_name,
    estimate_fitness,
    vdot_history,
)
from stridelab.physiology.heart_rate import SteadyRun, credible_max_hr_bpm, steady_run
from stridelab.store.samples import decode_samples

__all__ = [
    "FITNESS_MIGRATIONS",
    "RUNNING_SPORTS",
    "RunFactRows",
    "best_efforts",
    "ensure_fitness_schema",
    "fitness_history",
    "fitness_report",
    "insert_run_facts",
    "load_run_facts",
    "recompute_all",
    "run_fact_rows",
    "write_run_facts",
]

#: Sports whose sessions count as runs for fitness: the one running vocabulary.
RUNNING_SPORTS: Final = RUN_SPORTS

_SCHEMA: Final = """
CREATE TABLE IF NOT EXISTS run_fitness (
    activity_id INTEGER PRIMARY KEY REFERENCES activities(id) ON DELETE CASCADE,
    start_utc TEXT NOT NULL,
    distance_m REAL,
    duration_s REAL,
    steady_speed_m_s REAL,
    steady_hr_bpm REAL,
    steady_duration_s REAL,
    max_hr_bpm REAL,
    dropped_json TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS run_fitness_start ON run_fitness(start_utc);
CREATE TABLE IF NOT EXISTS best_efforts (
    activity_id INTEGER NOT NULL REFERENCES activities(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    distance_m REAL NOT NULL,
    time_s REAL NOT NULL,
    start_s REAL NOT NULL,
    avg_hr_bpm REAL,
    tail_hr_bpm REAL,
    grade_adjusted_time_s REAL,
    PRIMARY KEY (activity_id, name)
)
"""


@dataclass(frozen=True)
class _PythonMigration:
    version: int
    name: str
    apply: Callable[[sqlite3.Connection], None]


def _create_and_backfill(connection: sqlite3.Connection) -> None:
    for statement in _SCHEMA.split(";"):
        if statement.strip():
            connection.execute(statement)
    _recompute(connection)


#: The fitness job's numbered migrations (never edit one; add the next).
FITNESS_MIGRATIONS: Final = (
    _PythonMigration(
        1, "best efforts and run fitness, computed for stored runs", _create_and_backfill
    ),
)


def ensure_fitness_schema(connection: sqlite3.Connection) -> None:
    """Apply pending fitness migrations, each in one ``BEGIN IMMEDIATE`` transaction.

    A store that is already current is only read (no write lock taken).
    """
    exists = connection.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'fitness_migrations'"
    ).fetchone()
    if exists is not None:
        row = connection.execute("SELECT MAX(version) FROM fitness_migrations").fetchone()
        if int(row[0] or 0) >= FITNESS_MIGRATIONS[-1].version:
            return
    connection.execute(
        "CREATE TABLE IF NOT EXISTS fitness_migrations ("
        "version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
    )
    for migration in FITNESS_MIGRATIONS:
        connection.execute("BEGIN IMMEDIATE")
        try:
            done = connection.execute(
                "SELECT 1 FROM fitness_migrations WHERE version = ?", (migration.version,)
            ).fetchone()
            if done is None:
                migration.apply(connection)
                connection.execute(
                    "INSERT INTO fitness_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                    (migration.version, migration.name, dt.datetime.now(dt.UTC).isoformat()),
                )
        except BaseException:
            connection.execute("ROLLBACK")
            raise
        connection.execute("COMMIT")


def _day(start_utc: str, zone: dt.tzinfo | None) -> dt.date:
    """The run's calendar day in the runner's zone (``None``: this computer's)."""
    return dt.datetime.fromisoformat(start_utc).astimezone(zone).date()


@dataclass(frozen=True)
class RunFactRows:
    """One run's fitness facts as stored: the ``run_fitness`` values after its activity id,
    and one ``best_efforts`` row (after the activity id) per effort. Plain data, so an
    import worker can compute them and the writer only inserts them."""

    run_fitness: tuple[object, ...]
    efforts: tuple[tuple[object, ...], ...]


def run_fact_rows(
    start_utc: str | None,
    sessions: Sequence[tuple[str, Samples, float | None, float | None]],
) -> RunFactRows | None:
    """Compute one activity's fitness facts (pure); ``None`` if it is not a run.

    ``sessions`` are (sport, samples, distance_m, timer_time_s) per session.
    """
    runs = [s for s in sessions if s[0] in RUNNING_SPORTS]
    if not runs or not start_utc:
        return None
    _sport, samples, distance_m, duration_s = max(runs, key=lambda s: s[3] or 0.0)
    result = run_efforts(samples) if len(samples) >= 2 else None
    steady = steady_run(samples) if len(samples) >= 2 else None
    return RunFactRows(
        (
            start_utc,
            distance_m,
            duration_s,
            None if steady is None else steady.speed_m_s,
            None if steady is None else steady.hr_bpm,
            None if steady is None else steady.duration_s,
            credible_max_hr_bpm(samples),
            json.dumps([] if result is None else list(result.dropped)),
        ),
        tuple(
            (
                e.name,
                e.kind,
                e.distance_m,
                e.time_s,
                e.start_s,
                e.avg_hr_bpm,
                e.tail_hr_bpm,
                e.grade_adjusted_time_s,
            )
            for e in (() if result is None else result.efforts)
        ),
    )


def insert_run_facts(connection: sqlite3.Connection, activity_id: int, rows: RunFactRows) -> None:
    """Store facts made by :func:`run_fact_rows`, inside the activity's transaction."""
    connection.execute("DELETE FROM best_efforts WHERE activity_id = ?", (activity_id,))
    connection.execute(
        "INSERT OR REPLACE INTO run_fitness (activity_id, start_utc, distance_m, duration_s, "
        "steady_speed_m_s, steady_hr_bpm, steady_duration_s, max_hr_bpm, dropped_json) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (activity_id, *rows.run_fitness),
    )
    connection.executemany(
        "INSERT INTO best_efforts (activity_id, name, kind, distance_m, time_s, start_s, "
        "avg_hr_bpm, tail_hr_bpm, grade_adjusted_time_s) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(activity_id, *effort) for effort in rows.efforts],
    )


def write_run_facts(
    connection: sqlite3.Connection,
    activity_id: int,
    start_utc: str | None,
    sessions: Sequence[tuple[str, Samples, float | None, float | None]],
) -> bool:
    """Compute and store one activity's fitness facts; ``False`` if it is not a run.

    ``sessions`` are (sport, samples, distance_m, timer_time_s) per session. Call inside
    the transaction that writes the activity.
    """
    rows = run_fact_rows(start_utc, sessions)
    if rows is None:
        return False
    insert_run_facts(connection, activity_id, rows)
    return True


def _recompute(connection: sqlite3.Connection) -> int:
    """Facts for every stored activity from its stored samples; returns how many runs."""
    count = 0
    activities = connection.execute("SELECT id, start_utc FROM activities ORDER BY id").fetchall()
    for activity_id, start_utc in activities:
        sessions = []
        for sport, distance_m, timer_s, blob in connection.execute(
            "SELECT s.sport, s.distance_m, s.timer_time_s, ss.columns_npz FROM sessions s "
            "LEFT JOIN session_samples ss ON ss.session_id = s.id "
            "WHERE s.activity_id = ? ORDER BY s.session_index",
            (activity_id,),
        ).fetchall():
            if blob is None or sport not in RUNNING_SPORTS:
                continue
            sessions.append((sport, decode_samples(bytes(blob)), distance_m, timer_s))
        count += write_run_facts(connection, int(activity_id), start_utc, sessions)
    return count


def recompute_all(connection: sqlite3.Connection) -> int:
    """Recompute every run's facts in one transaction (after a change to the science)."""
    connection.execute("BEGIN IMMEDIATE")
    try:
        count = _recompute(connection)
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    connection.execute("COMMIT")
    return count


def _opt(value: object) -> float | None:
    return None if value is None else float(value)  # type: ignore[arg-type]


def load_run_facts(
    connection: sqlite3.Connection,
    activity_ids: Collection[int] | None = None,
    zone: dt.tzinfo | None = None,
) -> list[RunFacts]:
    """Every stored run's facts, oldest first (only ``activity_ids`` when given), with
    days in the runner's ``zone`` (``None``: this computer's)."""
    efforts: dict[int, list[Effort]] = {}
    for row in connection.execute(
        "SELECT activity_id, name, kind, distance_m, time_s, start_s, avg_hr_bpm, "
        "tail_hr_bpm, grade_adjusted_time_s FROM best_efforts"
    ):
        efforts.setdefault(int(row[0]), []).append(
            Effort(
                str(row[1]),
                str(row[2]),
                float(row[3]),
                float(row[4]),
                float(row[5]),
                _opt(row[6]),
                _opt(row[7]),
                _opt(row[8]),
            )
        )
    wanted = None if activity_ids is None else set(activity_ids)
    facts: list[RunFacts] = []
    for row in connection.execute(
        "SELECT activity_id, start_utc, distance_m, duration_s, steady_speed_m_s, "
        "steady_hr_bpm, steady_duration_s, max_hr_bpm FROM run_fitness "
        "ORDER BY start_utc, activity_id"
    ):
        activity_id = int(row[0])
        if wanted is not None and activity_id not in wanted:
            continue
        steady = None
        if row[4] is not None and row[5] is not None:
            steady = SteadyRun(float(row[4]), float(row[5]), float(row[6] or 0.0))
        facts.append(
            RunFacts(
                activity_id,
                _day(str(row[1]), zone),
                _opt(row[2]),
                _opt(row[3]),
                tuple(efforts.get(activity_id, ())),
                steady,
                _opt(row[7]),
            )
        )
    return facts


def best_efforts(
    connection: sqlite3.Connection,
    today: dt.date,
    *,
    days: int | None = None,
    activity_ids: Collection[int] | None = None,
    zone: dt.tzinfo | None = None,
) -> dict[str, BestEffort]:
    """Personal bests up to ``today`` (``days=None``), or the best of the last ``days``."""
    return best_efforts_by_name(load_run_facts(connection, activity_ids, zone), today, days)


def fitness_report(
    connection: sqlite3.Connection,
    today: dt.date,
    pins: FitnessPins = NO_PINS,
    *,
    activity_ids: Collection[int] | None = None,
    zone: dt.tzinfo | None = None,
) -> FitnessEstimate:
    """The fitness estimate on ``today`` from the stored runs (``stridelab fitness``)."""
    return estimate_fitness(load_run_facts(connection, activity_ids, zone), today, pins)


def fitness_history(
    connection: sqlite3.Connection,
    today: dt.date,
    pins: FitnessPins = NO_PINS,
    *,
    activity_ids: Collection[int] | None = None,
    zone: dt.tzinfo | None = None,
    max_weeks: int | None = None,
) -> list[tuple[dt.date, VdotEstimate | None]]:
    """The effective VDOT week by week up to ``today`` (``stridelab fitness --history``)."""
    facts = load_run_facts(connection, activity_ids, zone)
    return vdot_history(facts, today, pins, max_weeks)
