"""What an import is made of, and reading stored activities back.

:func:`iter_sources` expands files, folders and export archives into one
:class:`Source` per activity file; :mod:`stridelab.store.importer` decodes them (on the
compute seam) and stores them, reporting an :class:`ImportResult` per file. Each
activity is identified by the SHA-256 of its decompressed bytes, so re-importing a
folder adds nothing twice. A bad file is recorded as failed with a one-line reason and
the import carries on.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from functools import partial
from pathlib import Path
from typing import Any

from stridelab.activities.model import Samples
from stridelab.activities.readers import is_archive, iter_archive
from stridelab.activities.readers.archive import ACTIVITY_SUFFIXES
from stridelab.activities.readers.limits import read_file_bytes
from stridelab.errors import NotFoundError, StoreError, StridelabError
from stridelab.store.database import Database
from stridelab.store.samples import decode_samples

__all__ = [
    "ImportOutcome",
    "ImportResult",
    "ImportSummary",
    "Source",
    "StoredActivity",
    "delete_activity",
    "get_activity",
    "iter_sources",
    "list_activities",
    "load_samples",
]


class ImportOutcome(StrEnum):
    """What happened to one file."""

    IMPORTED = "imported"
    DUPLICATE = "duplicate"
    FAILED = "failed"


@dataclass(frozen=True)
class Source:
    """One activity file to import: a display name and a way to get its bytes."""

    name: str
    read: Callable[[], bytes]


@dataclass(frozen=True)
class ImportResult:
    """The outcome for one file (``reason`` is the one-line error when it failed)."""

    name: str
    outcome: ImportOutcome
    activity_id: int | None = None
    reason: str | None = None


@dataclass(frozen=True)
class ImportSummary:
    """Everything one import did."""

    results: tuple[ImportResult, ...] = field(default_factory=tuple)

    def _count(self, outcome: ImportOutcome) -> int:
        return sum(1 for r in self.results if r.outcome is outcome)

    @property
    def imported(self) -> int:
        """How many new activities were stored."""
        return self._count(ImportOutcome.IMPORTED)

    @property
    def duplicates(self) -> int:
        """How many were already in the store (skipped)."""
        return self._count(ImportOutcome.DUPLICATE)

    @property
    def failed(self) -> tuple[ImportResult, ...]:
        """The files that could not be imported, with reasons."""
        return tuple(r for r in self.results if r.outcome is ImportOutcome.FAILED)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "imported": self.imported,
            "duplicates": self.duplicates,
            "failed": [{"name": r.name, "reason": r.reason} for r in self.failed],
        }


@dataclass(frozen=True)
class StoredActivity:
    """An activity row with its sessions' stored analysis."""

    id: int
    content_sha256: str
    source_name: str
    format: str
    sport: str
    start_utc: str | None
    summary: dict[str, Any]
    sessions: tuple[dict[str, Any], ...] = ()
    session_ids: tuple[int, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "id": self.id,
            "content_sha256": self.content_sha256,
            "source_name": self.source_name,
            "format": self.format,
            "sport": self.sport,
            "start_utc": self.start_utc,
            **self.summary,
            "sessions": list(self.sessions),
        }


def _is_activity_name(name: str) -> bool:
    return name.lower().endswith(ACTIVITY_SUFFIXES)


def iter_sources(paths: Iterable[str | Path]) -> Iterator[Source]:
    """Expand files, folders (recursively, activity files and zips) and archives, lazily."""
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files = sorted(
                p
                for p in path.rglob("*")
                if p.is_file() and (_is_activity_name(p.name) or p.suffix.lower() == ".zip")
            )
        else:
            files = [path]
        for file in files:
            if file.suffix.lower() == ".zip" or (file.is_file() and is_archive(file)):
                yield from _archive_sources(file)
            else:
                yield Source(str(file), partial(read_file_bytes, file))


def _constant(data: bytes) -> Callable[[], bytes]:
    def read() -> bytes:
        return data

    return read


def _raising(error: StridelabError) -> Callable[[], bytes]:
    def read() -> bytes:
        raise error

    return read


def _archive_sources(path: Path) -> Iterator[Source]:
    """One source per member; an unreadable member or archive is a source that fails."""
    try:
        for entry in iter_archive(path):
            read = _constant(entry.data) if entry.error is None else _raising(entry.error)
            yield Source(entry.name, read)
    except StridelabError as exc:
        yield Source(str(path), _raising(exc))


def _stored(row: dict[str, Any]) -> StoredActivity:
    summary = json.loads(row["summary_json"])
    summary.pop("sport", None)
    return StoredActivity(
        id=int(row["id"]),
        content_sha256=str(row["content_sha256"]),
        source_name=str(row["source_name"]),
        format=str(row["format"]),
        sport=str(row["sport"]),
        start_utc=row["start_utc"],
        summary=summary,
    )


def list_activities(store: Database, *, limit: int | None = None) -> list[StoredActivity]:
    """Stored activities, newest first."""
    sql = "SELECT * FROM activities ORDER BY start_utc DESC, id DESC"
    params: tuple[int, ...] = ()
    if limit is not None:
        sql += " LIMIT ?"
        params = (limit,)
    return [_stored(row) for row in store.query(sql, params)]


def delete_activity(store: Database, activity_id: int) -> bool:
    """Delete one activity with its sessions, laps, samples and best efforts (foreign keys
    cascade); returns whether it existed. Importing the same file again brings it back."""
    with store.transaction() as conn:
        return conn.execute("DELETE FROM activities WHERE id = ?", (activity_id,)).rowcount > 0


def get_activity(store: Database, activity_id: int) -> StoredActivity:
    """One stored activity with its sessions (metrics, laps, device summaries)."""
    rows = store.query("SELECT * FROM activities WHERE id = ?", (activity_id,))
    if not rows:
        raise NotFoundError(
            f"no activity with id {activity_id}", hint="List them with `stridelab activities`"
        )
    base = _stored(rows[0])
    sessions: list[dict[str, Any]] = []
    ids: list[int] = []
    for row in store.query(
        "SELECT * FROM sessions WHERE activity_id = ? ORDER BY session_index", (activity_id,)
    ):
        session = json.loads(row["metrics_json"])
        session["device_summary"] = json.loads(row["device_summary_json"])
        session["laps"] = [
            {
                **json.loads(lap["metrics_json"]),
                "device_summary": json.loads(lap["device_summary_json"]),
            }
            for lap in store.query(
                "SELECT * FROM laps WHERE session_id = ? ORDER BY lap_index", (row["id"],)
            )
        ]
        sessions.append(session)
        ids.append(int(row["id"]))
    return StoredActivity(**{**vars(base), "sessions": tuple(sessions), "session_ids": tuple(ids)})


def load_samples(store: Database, session_id: int) -> Samples:
    """The sample columns of one stored session (for charts)."""
    row = store.connection.execute(
        "SELECT columns_npz FROM session_samples WHERE session_id = ?", (session_id,)
    ).fetchone()
    if row is None:
        raise StoreError(f"no samples for session {session_id}", hint="Re-import the activity")
    return decode_samples(bytes(row[0]))
