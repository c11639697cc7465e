"""Where the SQLite store lives and how it is opened: the one database layer.

The store is one SQLite file: by default ``<user data dir>/stridelab.db`` (platformdirs
``user_data_dir("stridelab")``), overridden by the ``STRIDELAB_DB`` environment variable
and, above that, by ``--db``. The activity store and the coach keep their tables in it.

A :class:`Database` is one connection with the project's settings (WAL, foreign keys,
a busy timeout, :class:`sqlite3.Row` rows). Every store and coach function takes one;
open one per thread (a web request, a background job), it is cheap.
:meth:`Database.transaction` is ``BEGIN IMMEDIATE`` … ``COMMIT`` and, inside another
transaction, a savepoint: a coach request can wrap store and coach writes in one outer
transaction and roll back whole, while each inner step still rolls back alone.

A new file is created private (``0600``, its folder ``0700``): it holds password hashes
and health data. A file this process may not write is opened read-only (SQLite's
``mode=ro``): reading works, a write raises :class:`StoreError`.

Schema changes are :mod:`stridelab.store.migrations` sets: :data:`STORE_MIGRATIONS` here,
the coach's in :mod:`stridelab.coach.db`.
"""

from __future__ import annotations

import itertools
import os
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from types import TracebackType
from typing import Any, Final
from urllib.parse import quote

import platformdirs

from stridelab.errors import StoreError
from stridelab.store.migrations import Migration, Migrations

__all__ = [
    "BUSY_TIMEOUT_MS",
    "DB_ENV_VAR",
    "DB_FILENAME",
    "STORE_MIGRATIONS",
    "Database",
    "default_db_path",
    "migrate_store",
    "open_store",
    "resolve_db_path",
]

#: Environment variable naming the store file (``--db`` wins over it).
DB_ENV_VAR: Final = "STRIDELAB_DB"
DB_FILENAME: Final = "stridelab.db"
#: How long a writer waits for another's lock (ms).
BUSY_TIMEOUT_MS: Final = 10_000
#: Modes of a store file and of the folder created for it: owner only.
FILE_MODE: Final = 0o600
DIR_MODE: Final = 0o700

STORE_MIGRATIONS: Final = Migrations(
    "store",
    "migrations",
    (
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


def is_writable(path: Path) -> bool:
    """Whether this process may write the store file and its folder (WAL needs both)."""
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)


def _create_private(path: Path) -> None:
    """Create the folder (``0700``) and an empty file (``0600``) unless they exist."""
    if not path.parent.exists():
        path.parent.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
    with suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE))


def _connect(path: Path, read_only: bool, *, immutable: bool = False) -> sqlite3.Connection:
    query = "?mode=ro&immutable=1" if immutable else "?mode=ro"
    target = f"file:{quote(str(path.resolve()))}{query}" if read_only else str(path)
    connection = sqlite3.connect(
        target,
        uri=read_only,
        timeout=BUSY_TIMEOUT_MS / 1000,
        isolation_level=None,  # autocommit; transactions are explicit
        check_same_thread=False,  # a request's connection may change worker thread
    )
    try:
        connection.row_factory = sqlite3.Row
        connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        connection.execute("PRAGMA foreign_keys = ON")
        if not read_only:
            with suppress(sqlite3.OperationalError):  # another process holds it; WAL persists
                connection.execute("PRAGMA journal_mode = WAL")
        connection.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()  # fail here
    except sqlite3.Error:
        connection.close()
        raise
    return connection


def _connect_read_only(path: Path) -> sqlite3.Connection:
    """``mode=ro``; in a folder we cannot write, a WAL store has no ``-shm`` file to share
    and SQLite refuses it, so then (with no ``-wal`` content to miss) open it immutable."""
    try:
        return _connect(path, True)
    except sqlite3.OperationalError:
        wal = path.with_name(path.name + "-wal")
        if (wal.exists() and wal.stat().st_size) or os.access(path.parent, os.W_OK):
            raise
        return _connect(path, True, immutable=True)


class Database:
    """One connection to the store file with the project's settings and transactions."""

    def __init__(self, path: Path, connection: sqlite3.Connection, *, read_only: bool) -> None:
        self.path = path
        self.connection = connection
        self.read_only = read_only
        self._savepoints = itertools.count(1)

    @classmethod
    def open(cls, db: str | Path | None = None, *, read_only: bool | None = None) -> Database:
        """Open (creating it, private, if needed) the file for ``--db`` value ``db``.

        ``read_only=None`` decides from the file's permissions; ``True`` opens with
        SQLite's ``mode=ro`` whatever they are. No migration is applied here.
        """
        path = resolve_db_path(db)
        if read_only is None:
            read_only = path.exists() and not is_writable(path)
        try:
            if read_only and not path.exists():
                raise FileNotFoundError(f"no such file: {path}")
            if not read_only:
                _create_private(path)
            connection = _connect_read_only(path) if read_only else _connect(path, False)
        except (sqlite3.Error, OSError) as exc:
            raise StoreError(
                f"cannot open the store at {path}: {exc}",
                hint=f"Check the path, or choose another with --db or {DB_ENV_VAR}",
            ) from None
        return cls(path, connection, read_only=read_only)

    def migrate(self, *sets: Migrations) -> None:
        """Apply each migration set's pending steps (see :meth:`Migrations.apply`)."""
        try:
            for migrations in sets:
                migrations.apply(self)
        except sqlite3.Error as exc:
            raise StoreError(
                f"cannot prepare the store at {self.path}: {exc}",
                hint=f"Check the file, or choose another with --db or {DB_ENV_VAR}",
            ) from None

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """``BEGIN IMMEDIATE`` … ``COMMIT``, or a savepoint inside an open transaction.

        Any exception rolls back this level (the whole transaction, or the savepoint
        only) and propagates; a failed ``COMMIT`` rolls back and raises
        :class:`StoreError`.
        """
        connection = self.connection
        if self.read_only:
            raise StoreError(
                f"the store at {self.path} is read-only",
                hint="Reading works; to change it, make the file writable or copy it.",
            )
        if connection.in_transaction:
            name = f"stridelab_{next(self._savepoints)}"
            connection.execute(f"SAVEPOINT {name}")
            try:
                yield connection
            except BaseException:
                connection.execute(f"ROLLBACK TO {name}")
                connection.execute(f"RELEASE {name}")
                raise
            connection.execute(f"RELEASE {name}")
            return
        try:
            connection.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise StoreError(
                f"the store at {self.path} is busy: {exc}", hint="Try again."
            ) from None
        try:
            yield connection
        except BaseException:
            connection.execute("ROLLBACK")
            raise
        try:
            connection.execute("COMMIT")
        except sqlite3.Error as exc:
            if connection.in_transaction:
                connection.execute("ROLLBACK")
            raise StoreError(
                f"could not save to the store at {self.path}: {exc}", hint="Try again."
            ) from None

    def execute(self, sql: str, params: Sequence[Any] = ()) -> sqlite3.Cursor:
        """Run one statement on the connection."""
        return self.connection.execute(sql, params)

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        """The rows of a query as dicts (column name → value)."""
        return [dict(row) for row in self.connection.execute(sql, params)]

    def close(self) -> None:
        """Close the connection."""
        self.connection.close()

    def __enter__(self) -> Database:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


def migrate_store(database: Database) -> None:
    """Apply the activity store's pending migrations (and the fitness tables' set)."""
    database.migrate(STORE_MIGRATIONS)
    if database.read_only:
        return
    from stridelab.store.fitness import ensure_fitness_schema  # its own migration set

    try:
        ensure_fitness_schema(database.connection)
    except sqlite3.Error as exc:
        raise StoreError(
            f"cannot prepare the store at {database.path}: {exc}",
            hint=f"Check the file, or choose another with --db or {DB_ENV_VAR}",
        ) from None


def open_store(db: str | Path | None = None, *, read_only: bool | None = None) -> Database:
    """Open (creating if needed) the store and apply the store's pending migrations."""
    database = Database.open(db, read_only=read_only)
    try:
        migrate_store(database)
    except BaseException:
        database.close()
        raise
    return database
