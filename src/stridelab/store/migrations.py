"""One migrations engine: numbered, never-edited schema steps, a named set per job.

The habit of sqlite-utils' ``migrations.py``: each component (the activity store, the
coach) owns a :class:`Migrations` set with a name and the table that records what was
applied (version, name, applied_at). **Never edit an applied migration**: add the next
one to its set.

:meth:`Migrations.apply` reads the applied versions *inside* ``BEGIN IMMEDIATE`` and runs
every pending step in that same transaction, so two processes opening a brand-new store
at once queue on SQLite's write lock: the second sees the first's versions and runs
nothing (a version read before the lock let it run migration 1 a second time).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from stridelab.errors import StoreError

if TYPE_CHECKING:
    from stridelab.store.database import Database

__all__ = ["Migration", "Migrations"]


@dataclass(frozen=True)
class Migration:
    """One numbered, never-edited schema step (statements separated by ``;``)."""

    version: int
    name: str
    sql: str


@dataclass(frozen=True)
class Migrations:
    """A named set of migrations, recorded in its own ``table`` of the same file."""

    name: str
    table: str
    steps: tuple[Migration, ...]

    def __post_init__(self) -> None:
        versions = [m.version for m in self.steps]
        if versions != sorted(set(versions)) or not versions or versions[0] < 1:
            raise ValueError(f"migration set {self.name!r}: versions must rise from 1")

    @property
    def latest(self) -> int:
        """The version the set brings a database to."""
        return self.steps[-1].version

    def applied(self, db: Database) -> int:
        """The highest version of this set applied to ``db`` (0 for none)."""
        exists = db.connection.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (self.table,)
        ).fetchone()
        if exists is None:
            return 0
        row = db.connection.execute(f"SELECT MAX(version) FROM {self.table}").fetchone()
        return int(row[0] or 0)

    def apply(self, db: Database) -> int:
        """Apply the pending steps in one ``BEGIN IMMEDIATE`` transaction; returns the
        version reached. A read-only database that is already current is left alone; one
        that needs a step raises :class:`StoreError`."""
        if db.read_only:
            if self.applied(db) < self.latest:
                raise StoreError(
                    f"the store at {db.path} is read-only and needs the {self.name} "
                    f"schema upgraded to version {self.latest}",
                    hint="Open it once with write access, or copy it somewhere writable.",
                )
            return self.latest
        with db.transaction() as connection:
            connection.execute(
                f"CREATE TABLE IF NOT EXISTS {self.table} ("
                "version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
            )
            done = self.applied(db)  # inside the write lock: no second process can race it
            for migration in self.steps:
                if migration.version <= done:
                    continue
                for statement in migration.sql.split(";"):
                    if statement.strip():
                        connection.execute(statement)
                connection.execute(
                    f"INSERT INTO {self.table} (version, name, applied_at) VALUES (?, ?, ?)",
                    (migration.version, migration.name, datetime.now(UTC).isoformat()),
                )
        return self.latest
