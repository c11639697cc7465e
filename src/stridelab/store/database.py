"""Where the SQLite store lives, how it is opened, and its numbered schema migrations.

The store is one SQLite file: by default ``<user data dir>/stridelab.db`` (platformdirs
``user_data_dir("stridelab")``), overridden by the ``STRIDELAB_DB`` environment variable
and, above that, by ``--db``. Opening it applies any pending migration.

Migrations are numbered and recorded in the ``migrations`` table (version, name,
applied_at); each applies in one transaction. **Never edit an applied migration**: add
the next one to :data:`MIGRATIONS`. Other jobs keep their own numbered migrations in
their own table (the coach uses ``coach_migrations``) over the same file.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Final

import platformdirs
import sqlite_utils

from stridelab.errors import StoreError

__all__ = [
    "DB_ENV_VAR",
    "DB_FILENAME",
    "MIGRATIONS",
    "Migration",
    "Store",
    "default_db_path",
    "open_store",
    "resolve_db_path",
]

#: Environment variable naming the store file (``--db`` wins over it).
DB_ENV_VAR: Final = "STRIDELAB_DB"
DB_FILENAME: Final = "stridelab.db"
#: How long a writer waits for another's lock (ms).
BUSY_TIMEOUT_MS: Final = 10_000


@dataclass(frozen=True)
class Migration:
    """One numbered, never-edited schema step."""

    version: int
    name: str
    sql: str


MIGRATIONS: Final[tuple[Migration, ...]] = (
    Migration(
        1,
        "activities, sessions, laps, samples",
        """
        CREATE TABLE activities (
            id INTEGER PRIMARY KEY,
            content_sha256 TEXT NOT NULL UNIQUE,
            source_name TEXT NOT NULL,
            format TEXT NOT NULL,
            device TEXT,
            sport TEXT NOT NULL,
            start_utc TEXT,
            distance_m REAL,
            elapsed_time_s REAL,
            timer_time_s REAL,
            moving_time_s REAL,
            avg_hr_bpm REAL,
            avg_cadence_spm REAL,
            avg_ground_contact_ms REAL,
            calories_kcal REAL,
            training_load REAL,
            summary_json TEXT NOT NULL,
            imported_at TEXT NOT NULL
        );
        CREATE INDEX activities_start ON activities(start_utc);
        CREATE TABLE sessions (
            id INTEGER PRIMARY KEY,
            activity_id INTEGER NOT NULL REFERENCES activities(id) ON DELETE CASCADE,
            session_index INTEGER NOT NULL,
            sport TEXT NOT NULL,
            start_utc TEXT NOT NULL,
            distance_m REAL,
            timer_time_s REAL,
            metrics_json TEXT NOT NULL,
            device_summary_json TEXT NOT NULL,
            UNIQUE (activity_id, session_index)
        );
        CREATE TABLE laps (
            id INTEGER PRIMARY KEY,
            session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
            lap_index INTEGER NOT NULL,
            start_utc TEXT NOT NULL,
            distance_m REAL,
            timer_time_s REAL,
            metrics_json TEXT NOT NULL,
            device_summary_json TEXT NOT NULL,
            UNIQUE (session_id, lap_index)
        );
        CREATE TABLE session_samples (
            session_id INTEGER PRIMARY KEY REFERENCES sessions(id) ON DELETE CASCADE,
            n_samples INTEGER NOT NULL,
            channels TEXT NOT NULL,
            columns_npz BLOB NOT NULL
        );
        """,
    ),
)


def default_db_path() -> Path:
    """``STRIDELAB_DB`` if set, else ``<user data dir>/stridelab.db``."""
    env = os.environ.get(DB_ENV_VAR)
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_data_dir("stridelab")) / DB_FILENAME


def resolve_db_path(db: str | Path | None) -> Path:
    """The store file for an optional ``--db`` value."""
    return Path(db).expanduser() if db else default_db_path()


class Store:
    """An open store: a sqlite-utils :class:`~sqlite_utils.Database` plus transactions."""

    def __init__(self, path: Path, connection: sqlite3.Connection) -> None:
        self.path = path
        self.connection = connection
        self.db = sqlite_utils.Database(connection)

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """``BEGIN IMMEDIATE`` … ``COMMIT``; any exception rolls everything back."""
        self.connection.execute("BEGIN IMMEDIATE")
        try:
            yield self.connection
        except BaseException:
            self.connection.execute("ROLLBACK")
            raise
        self.connection.execute("COMMIT")

    def schema_version(self) -> int:
        """The highest applied migration."""
        row = self.connection.execute("SELECT MAX(version) FROM migrations").fetchone()
        return int(row[0] or 0)

    def close(self) -> None:
        """Close the connection."""
        self.connection.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


def _migrate(store: Store, migrations: tuple[Migration, ...]) -> None:
    store.connection.execute(
        "CREATE TABLE IF NOT EXISTS migrations ("
        "version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
    )
    applied = store.schema_version()
    for migration in sorted(migrations, key=lambda m: m.version):
        if migration.version <= applied:
            continue
        with store.transaction() as connection:
            for statement in migration.sql.split(";"):
                if statement.strip():
                    connection.execute(statement)
            connection.execute(
                "INSERT INTO migrations (version, name, applied_at) VALUES (?, ?, ?)",
                (migration.version, migration.name, datetime.now(UTC).isoformat()),
            )


def open_store(db: str | Path | None = None) -> Store:
    """Open (creating if needed) the store and apply pending migrations."""
    path = resolve_db_path(db)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        connection.execute("PRAGMA foreign_keys = ON")
        connection.execute("PRAGMA journal_mode = WAL")
        store = Store(path, connection)
        _migrate(store, MIGRATIONS)
        from stridelab.store.fitness import ensure_fitness_schema  # its own migration set

        ensure_fitness_schema(connection)
    except (sqlite3.Error, OSError) as exc:
        raise StoreError(
            f"cannot open the store at {path}: {exc}",
            hint=f"Check the path, or choose another with --db or {DB_ENV_VAR}",
        ) from None
    return store
