"""The Coach job's own tables, in the same SQLite file as the activity store.

The activity store (:mod:`stridelab.store`) owns activities and their samples; the
coach adds athletes, accounts, profiles, plans and their changes, background jobs,
drill-check history and which athlete owns which activity. Its schema changes are
numbered migrations recorded in ``coach_migrations`` (the sqlite-utils habit: never
edit an applied migration, add the next one).

Every write goes through :func:`transaction` (``BEGIN IMMEDIATE``), so a request either
lands whole or not at all, and concurrent writers queue on SQLite's lock (WAL mode,
with a busy timeout) instead of failing.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Final

from stridelab.errors import StoreError

__all__ = [
    "BUSY_TIMEOUT_MS",
    "COACH_MIGRATIONS",
    "DEFAULT_ATHLETE_ID",
    "Migration",
    "connect",
    "migrate",
    "read",
    "transaction",
    "utc_now_iso",
]

#: How long a writer waits for another writer's lock before giving up.
BUSY_TIMEOUT_MS: Final = 10_000
#: The athlete a single-user install works as.
DEFAULT_ATHLETE_ID: Final = 1


@dataclass(frozen=True)
class Migration:
    """One numbered, never-edited schema step."""

    version: int
    name: str
    sql: str


COACH_MIGRATIONS: Final[tuple[Migration, ...]] = (
    Migration(
        1,
        "athletes, accounts, profiles",
        """
        CREATE TABLE coach_athletes (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            created_at TEXT NOT NULL
        );
        CREATE TABLE coach_accounts (
            id INTEGER PRIMARY KEY,
            username TEXT NOT NULL UNIQUE,
            password_hash TEXT NOT NULL,
            role TEXT NOT NULL CHECK (role IN ('coach', 'athlete')),
            athlete_id INTEGER REFERENCES coach_athletes(id),
            created_at TEXT NOT NULL
        );
        CREATE TABLE coach_coached (
            coach_account_id INTEGER NOT NULL REFERENCES coach_accounts(id),
            athlete_id INTEGER NOT NULL REFERENCES coach_athletes(id),
            PRIMARY KEY (coach_account_id, athlete_id)
        );
        CREATE TABLE coach_profiles (
            athlete_id INTEGER PRIMARY KEY REFERENCES coach_athletes(id),
            profile_json TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        """,
    ),
    Migration(
        2,
        "plans, plan changes, activity owners",
        """
        CREATE TABLE coach_plans (
            id INTEGER PRIMARY KEY,
            athlete_id INTEGER NOT NULL REFERENCES coach_athletes(id),
            created_at TEXT NOT NULL,
            request_json TEXT NOT NULL,
            plan_json TEXT NOT NULL,
            active INTEGER NOT NULL DEFAULT 1,
            origin TEXT NOT NULL
        );
        CREATE INDEX coach_plans_athlete ON coach_plans(athlete_id, active);
        CREATE TABLE coach_plan_changes (
            id INTEGER PRIMARY KEY,
            plan_id INTEGER NOT NULL REFERENCES coach_plans(id),
            created_at TEXT NOT NULL,
            kind TEXT NOT NULL,
            detail_json TEXT NOT NULL
        );
        CREATE TABLE coach_activity_owners (
            activity_id INTEGER PRIMARY KEY,
            athlete_id INTEGER NOT NULL REFERENCES coach_athletes(id),
            name TEXT,
            notes TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX coach_activity_owners_athlete ON coach_activity_owners(athlete_id);
        CREATE TABLE coach_state (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL
        );
        """,
    ),
    Migration(
        3,
        "background jobs, drill checks",
        """
        CREATE TABLE coach_jobs (
            id TEXT PRIMARY KEY,
            athlete_id INTEGER NOT NULL,
            kind TEXT NOT NULL,
            status TEXT NOT NULL,
            progress REAL NOT NULL DEFAULT 0,
            message TEXT NOT NULL DEFAULT '',
            result_json TEXT,
            error TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE INDEX coach_jobs_athlete ON coach_jobs(athlete_id, created_at);
        CREATE TABLE coach_drill_checks (
            id INTEGER PRIMARY KEY,
            athlete_id INTEGER NOT NULL,
            job_id TEXT NOT NULL,
            drill TEXT NOT NULL,
            video_sha256 TEXT NOT NULL,
            created_at TEXT NOT NULL,
            report_json TEXT,
            annotated_name TEXT
        );
        """,
    ),
    Migration(
        4,
        "session versions: signing out ends the account's sessions",
        """
        ALTER TABLE coach_accounts ADD COLUMN session_version INTEGER NOT NULL DEFAULT 0;
        """,
    ),
    Migration(
        5,
        "an activity can belong to several athletes (one file uploaded by two runners)",
        """
        CREATE TABLE coach_activity_owners_v5 (
            activity_id INTEGER NOT NULL,
            athlete_id INTEGER NOT NULL REFERENCES coach_athletes(id),
            name TEXT,
            notes TEXT NOT NULL DEFAULT '',
            PRIMARY KEY (activity_id, athlete_id)
        );
        INSERT INTO coach_activity_owners_v5 (activity_id, athlete_id, name, notes)
            SELECT activity_id, athlete_id, name, notes FROM coach_activity_owners;
        DROP TABLE coach_activity_owners;
        ALTER TABLE coach_activity_owners_v5 RENAME TO coach_activity_owners;
        CREATE INDEX coach_activity_owners_athlete ON coach_activity_owners(athlete_id);
        """,
    ),
)


def utc_now_iso() -> str:
    """Now, UTC, ISO 8601 to the second."""
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def connect(db_path: Path) -> sqlite3.Connection:
    """Open the database in autocommit mode with WAL, foreign keys and a busy timeout."""
    try:
        db_path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(
            db_path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=False
        )
    except (OSError, sqlite3.Error) as exc:
        raise StoreError(
            f"cannot open the database {db_path}: {exc}",
            hint="Check the path (--db or STRIDELAB_DB) and that its folder is writable.",
        ) from exc
    conn.row_factory = sqlite3.Row
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA foreign_keys = ON")
    with suppress(sqlite3.OperationalError):  # another process holds it; WAL persists anyway
        conn.execute("PRAGMA journal_mode = WAL")
    return conn


@contextmanager
def transaction(db_path: Path) -> Iterator[sqlite3.Connection]:
    """A write transaction: ``BEGIN IMMEDIATE`` … ``COMMIT``, rolled back on any error."""
    with closing(connect(db_path)) as conn:
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise StoreError(f"the database is busy: {exc}", hint="Try again.") from exc
        try:
            yield conn
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")


@contextmanager
def read(db_path: Path) -> Iterator[sqlite3.Connection]:
    """A read-only use of a fresh connection (each request opens its own)."""
    with closing(connect(db_path)) as conn:
        yield conn


def migrate(db_path: Path) -> int:
    """Apply the coach migrations not yet applied; returns the schema version reached.

    Also makes sure the single-user athlete (:data:`DEFAULT_ATHLETE_ID`) exists.
    """
    with transaction(db_path) as conn:
        conn.execute(
            "CREATE TABLE IF NOT EXISTS coach_migrations ("
            "version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
        )
        done = {int(row[0]) for row in conn.execute("SELECT version FROM coach_migrations")}
        for migration in COACH_MIGRATIONS:
            if migration.version in done:
                continue
            for statement in migration.sql.split(";"):
                if statement.strip():
                    conn.execute(statement)
            conn.execute(
                "INSERT INTO coach_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                (migration.version, migration.name, utc_now_iso()),
            )
        conn.execute(
            "INSERT OR IGNORE INTO coach_athletes (id, name, created_at) VALUES (?, ?, ?)",
            (DEFAULT_ATHLETE_ID, "Me", utc_now_iso()),
        )
    return max(m.version for m in COACH_MIGRATIONS)
