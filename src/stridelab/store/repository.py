"""Import activities into the store and read them back.

:func:`import_paths` takes files, folders and export archives. Each activity is
identified by the SHA-256 of its decompressed bytes: one already stored is skipped
before it is even decoded, so re-importing a folder adds nothing twice. Each activity
is written in its own transaction (activity, sessions, laps, samples together), so an
interrupted import keeps everything committed before the interruption and leaves no
half-written activity. A bad file is recorded as failed with a one-line reason and the
import carries on.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from functools import partial
from pathlib import Path
from typing import Any, Final

from stridelab.activities.analysis import ActivityAnalysis, AnalysisSettings, analyse_activity
from stridelab.activities.model import Samples
from stridelab.activities.readers import (
    DamagedFile,
    content_sha256,
    decompress,
    is_archive,
    iter_archive,
    read_activity_bytes,
)
from stridelab.activities.readers.archive import ACTIVITY_SUFFIXES
from stridelab.activities.readers.limits import read_file_bytes
from stridelab.errors import StoreError, StridelabError
from stridelab.store.database import Store
from stridelab.store.fitness import write_run_facts
from stridelab.store.samples import decode_samples, encode_samples

__all__ = [
    "ImportOutcome",
    "ImportResult",
    "ImportSummary",
    "Source",
    "StoredActivity",
    "get_activity",
    "import_paths",
    "iter_sources",
    "list_activities",
    "load_samples",
]

_SUMMARY_COLUMNS: Final = (
    "distance_m",
    "elapsed_time_s",
    "timer_time_s",
    "moving_time_s",
    "avg_hr_bpm",
    "avg_cadence_spm",
    "avg_ground_contact_ms",
    "calories_kcal",
    "training_load",
)
#: Activity totals: the sum over its sessions.
_SUMMED_KEYS: Final = (
    "distance_m",
    "elapsed_time_s",
    "timer_time_s",
    "moving_time_s",
    "calories_kcal",
    "training_load",
)


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


def _existing_id(store: Store, sha: str) -> int | None:
    row = store.connection.execute(
        "SELECT id FROM activities WHERE content_sha256 = ?", (sha,)
    ).fetchone()
    return int(row[0]) if row else None


def _activity_summary(sessions: list[dict[str, Any]]) -> dict[str, Any]:
    """Totals over the sessions' JSON; averages and sport from the longest session."""
    summary: dict[str, Any] = {}
    for key in _SUMMED_KEYS:
        values = [s[key] for s in sessions if s.get(key) is not None]
        summary[key] = sum(values) if values else None
    main = max(sessions, key=lambda s: s.get("timer_time_s") or 0.0) if sessions else {}
    for key in ("avg_hr_bpm", "avg_cadence_spm", "avg_ground_contact_ms"):
        summary[key] = main.get(key)
    summary["sport"] = (
        "multisport" if len({s["sport"] for s in sessions}) > 1 else main.get("sport", "generic")
    )
    return summary


def _write(
    connection: sqlite3.Connection,
    analysis: ActivityAnalysis,
    sha: str,
    name: str,
    samples: list[Samples],
) -> int:
    sessions = [s.to_dict() for s in analysis.sessions]
    summary = _activity_summary(sessions)
    cursor = connection.execute(
        "INSERT INTO activities (content_sha256, source_name, format, device, sport, start_utc, "
        + ", ".join(_SUMMARY_COLUMNS)
        + ", summary_json, imported_at) VALUES ("
        + ", ".join("?" * (8 + len(_SUMMARY_COLUMNS)))
        + ")",
        (
            sha,
            name,
            analysis.format,
            analysis.device,
            summary["sport"],
            sessions[0]["start"] if sessions else None,
            *(summary[key] for key in _SUMMARY_COLUMNS),
            json.dumps({"metadata": analysis.metadata, **summary}, allow_nan=False),
            datetime.now(UTC).isoformat(),
        ),
    )
    activity_id = int(cursor.lastrowid or 0)
    write_run_facts(
        connection,
        activity_id,
        sessions[0]["start"] if sessions else None,
        [
            (s["sport"], columns, s["distance_m"], s["timer_time_s"])
            for s, columns in zip(sessions, samples, strict=True)
        ],
    )
    for index, (session, columns) in enumerate(zip(sessions, samples, strict=True)):
        laps = session.pop("laps")
        device = session.pop("device_summary")
        cursor = connection.execute(
            "INSERT INTO sessions (activity_id, session_index, sport, start_utc, distance_m, "
            "timer_time_s, metrics_json, device_summary_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                activity_id,
                index,
                session["sport"],
                session["start"],
                session["distance_m"],
                session["timer_time_s"],
                json.dumps(session, allow_nan=False),
                json.dumps(device, allow_nan=False),
            ),
        )
        session_id = int(cursor.lastrowid or 0)
        for lap_index, lap in enumerate(laps):
            lap_device = lap.pop("device_summary")
            connection.execute(
                "INSERT INTO laps (session_id, lap_index, start_utc, distance_m, timer_time_s, "
                "metrics_json, device_summary_json) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    session_id,
                    lap_index,
                    lap["start"],
                    lap["distance_m"],
                    lap["timer_time_s"],
                    json.dumps(lap, allow_nan=False),
                    json.dumps(lap_device, allow_nan=False),
                ),
            )
        _write_samples(connection, session_id, columns)
    return activity_id


def _write_samples(connection: sqlite3.Connection, session_id: int, samples: Samples) -> None:
    blob, channels = encode_samples(samples)
    connection.execute(
        "INSERT INTO session_samples (session_id, n_samples, channels, columns_npz) "
        "VALUES (?, ?, ?, ?)",
        (session_id, len(samples), ",".join(channels), blob),
    )


#: Called inside an activity's import transaction with (connection, activity id, source
#: name): lets a caller record what belongs with it (e.g. its owner) atomically.
OnStored = Callable[[sqlite3.Connection, int, str], None]


def _import_one(
    store: Store,
    source: Source,
    settings: AnalysisSettings | None,
    damaged: DamagedFile,
    on_stored: OnStored | None = None,
) -> ImportResult:
    try:
        data = decompress(source.read(), source.name)
        sha = content_sha256(data)
        existing = _existing_id(store, sha)
        if existing is not None:
            return ImportResult(source.name, ImportOutcome.DUPLICATE, existing)
        activity = read_activity_bytes(data, source.name, damaged=damaged, sha256=sha)
        analysis = analyse_activity(activity, settings)
        kept = [s.samples for s in activity.sessions if len(s.samples)]
        with store.transaction() as connection:
            activity_id = _write(connection, analysis, sha, source.name, kept)
            if on_stored is not None:
                on_stored(connection, activity_id, source.name)
    except StridelabError as exc:
        return ImportResult(source.name, ImportOutcome.FAILED, reason=str(exc))
    except sqlite3.IntegrityError:
        # Another import stored the same content between our check and our write.
        return ImportResult(source.name, ImportOutcome.DUPLICATE, _existing_id(store, sha))
    return ImportResult(source.name, ImportOutcome.IMPORTED, activity_id)


def import_paths(
    store: Store,
    paths: Iterable[str | Path],
    *,
    progress: Callable[[ImportResult], None] | None = None,
    settings: AnalysisSettings | None = None,
    damaged: DamagedFile = DamagedFile.REJECT,
    on_stored: OnStored | None = None,
) -> ImportSummary:
    """Import files, folders and export archives; one transaction per activity.

    ``progress`` is called after each file with its :class:`ImportResult`. Bad files
    (and unreadable archive members) are reported in the summary, never raised; a bug
    (any exception that is not a :class:`StridelabError`) is raised, never counted as a
    failed file; an exception raised by ``progress`` (or a
    KeyboardInterrupt) stops the import with everything before it kept. ``damaged``
    decides whether a damaged FIT file fails or is stored with what could be read;
    ``on_stored`` runs inside each activity's transaction (see :data:`OnStored`).
    """
    results: list[ImportResult] = []
    for source in iter_sources(paths):
        result = _import_one(store, source, settings, damaged, on_stored)
        results.append(result)
        if progress is not None:
            progress(result)
    return ImportSummary(tuple(results))


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


def list_activities(store: Store, *, limit: int | None = None) -> list[StoredActivity]:
    """Stored activities, newest first."""
    sql = "SELECT * FROM activities ORDER BY start_utc DESC, id DESC"
    params: tuple[int, ...] = ()
    if limit is not None:
        sql += " LIMIT ?"
        params = (limit,)
    return [_stored(row) for row in store.db.query(sql, params)]


def get_activity(store: Store, activity_id: int) -> StoredActivity:
    """One stored activity with its sessions (metrics, laps, device summaries)."""
    rows = list(store.db.query("SELECT * FROM activities WHERE id = ?", (activity_id,)))
    if not rows:
        raise StoreError(
            f"no activity with id {activity_id}", hint="List them with `stridelab activities`"
        )
    base = _stored(rows[0])
    sessions: list[dict[str, Any]] = []
    ids: list[int] = []
    for row in store.db.query(
        "SELECT * FROM sessions WHERE activity_id = ? ORDER BY session_index", (activity_id,)
    ):
        session = json.loads(row["metrics_json"])
        session["device_summary"] = json.loads(row["device_summary_json"])
        session["laps"] = [
            {
                **json.loads(lap["metrics_json"]),
                "device_summary": json.loads(lap["device_summary_json"]),
            }
            for lap in store.db.query(
                "SELECT * FROM laps WHERE session_id = ? ORDER BY lap_index", (row["id"],)
            )
        ]
        sessions.append(session)
        ids.append(int(row["id"]))
    return StoredActivity(**{**vars(base), "sessions": tuple(sessions), "session_ids": tuple(ids)})


def load_samples(store: Store, session_id: int) -> Samples:
    """The sample columns of one stored session (for charts)."""
    row = store.connection.execute(
        "SELECT columns_npz FROM session_samples WHERE session_id = ?", (session_id,)
    ).fetchone()
    if row is None:
        raise StoreError(f"no samples for session {session_id}", hint="Re-import the activity")
    return decode_samples(bytes(row[0]))
