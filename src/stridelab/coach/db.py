"""The Coach job's own tables, in the same SQLite file as the activity store.

The activity store (:mod:`stridelab.store`) owns activities and their samples; the
coach adds athletes, accounts, profiles, plans and their changes, background jobs,
drill-check history and which athlete owns which activity. Its schema changes are the
:data:`COACH_MIGRATIONS` set of the one migrations engine
(:mod:`stridelab.store.migrations`), recorded in ``coach_migrations``: never edit an
applied migration, add the next one.

Every coach function takes a :class:`~stridelab.store.Database`; every write goes
through :meth:`~stridelab.store.Database.transaction` (``BEGIN IMMEDIATE``, or a
savepoint inside a caller's transaction), so a request either lands whole or not at all,
and concurrent writers queue on SQLite's lock (WAL mode, with a busy timeout).
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Final

from stridelab.store.database import Database, migrate_store
from stridelab.store.migrations import Migration, Migrations

__all__ = [
    "COACH_MIGRATIONS",
    "DEFAULT_ATHLETE_ID",
    "migrate",
    "open_coach",
    "utc_now_iso",
]

#: The athlete a single-user install works as.
DEFAULT_ATHLETE_ID: Final = 1

COACH_MIGRATIONS: Final = Migrations(
    "coach",
    "coach_migrations",
    (
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
        Migration(
            6,
            "daily load and CTL/ATL per athlete, stored (stridelab.coach.daily_load)",
            """
            CREATE TABLE coach_daily_load (
                athlete_id INTEGER NOT NULL,
                day TEXT NOT NULL,
                load REAL NOT NULL,
                ctl REAL NOT NULL,
                atl REAL NOT NULL,
                PRIMARY KEY (athlete_id, day)
            ) WITHOUT ROWID;
            CREATE TABLE coach_daily_load_state (
                athlete_id INTEGER PRIMARY KEY,
                fingerprint TEXT NOT NULL
            );
            """,
        ),
    ),
)


def utc_now_iso() -> str:
    """Now, UTC, ISO 8601 to the second."""
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def migrate(db: Database) -> int:
    """Apply the store's and the coach's pending migrations; returns the coach schema
    version reached. Also makes sure the single-user athlete (:data:`DEFAULT_ATHLETE_ID`)
    exists.
    """
    migrate_store(db)
    db.migrate(COACH_MIGRATIONS)
    if not db.read_only:
        with db.transaction() as conn:
            conn.execute(
                "INSERT OR IGNORE INTO coach_athletes (id, name, created_at) VALUES (?, ?, ?)",
                (DEFAULT_ATHLETE_ID, "Me", utc_now_iso()),
            )
    return COACH_MIGRATIONS.latest


def open_coach(db: str | Path | None = None) -> Database:
    """Open the store for ``--db`` value ``db`` with both migration sets applied: what
    every coach entry point (web app, ``replan``, ``demo``, ``account add``) does first."""
    database = Database.open(db)
    try:
        migrate(database)
    except BaseException:
        database.close()
        raise
    return database
