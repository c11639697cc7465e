"""How an import flows: sources → workers (decode, analyse) → one writer, in batches.

:func:`import_paths` reads each source (a file, or an archive member). Into a store that
already holds activities it also decompresses and hashes each one here, so an activity
already stored is skipped before it is decoded; into an empty store that is left to the
workers. The files go through the compute seam (:mod:`stridelab.compute`): in this process, on
local worker processes or on a Dask cluster, :func:`decode_item` decodes and analyses
one file and returns the exact rows to store (:class:`DecodedActivity`: JSON text and
the compressed sample columns), or a :class:`DecodeFailure` with its one-line reason.
Because the rows are made by one pure function, the store holds the same bytes
whichever backend made them.

This process is the only writer (SQLite's rule). It stores the results in item order, up
to :data:`DEFAULT_BATCH_ACTIVITIES` activities per transaction, each activity inside its
own savepoint: a failing activity (or an ``on_stored`` hook refusing it) rolls back
alone, an interruption keeps the activities before it, and a crash (kill -9) loses at
most the open batch, never part of an activity. ``progress`` hears of each file once its
batch is committed.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any, Final

from stridelab.activities.analysis import AnalysisSettings, analyse_activity
from stridelab.activities.readers import (
    DamagedFile,
    content_sha256,
    decompress,
    read_activity_bytes,
)
from stridelab.compute import IN_PROCESS, Compute
from stridelab.errors import StoreError, StridelabError
from stridelab.store.database import Database
from stridelab.store.fitness import RunFactRows, insert_run_facts, run_fact_rows
from stridelab.store.repository import (
    ImportOutcome,
    ImportResult,
    ImportSummary,
    Source,
    iter_sources,
)
from stridelab.store.samples import encode_samples

__all__ = [
    "DEFAULT_BATCH_ACTIVITIES",
    "DecodeFailure",
    "DecodeOptions",
    "DecodedActivity",
    "ImportItem",
    "OnStored",
    "decode_item",
    "import_paths",
]

#: Activities written per transaction (one fsync per batch, not per activity).
DEFAULT_BATCH_ACTIVITIES: Final = 32
#: A batch is also committed once its first result is this old, so progress keeps moving.
BATCH_MAX_AGE_S: Final = 0.5
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

#: Called inside an activity's savepoint with (connection, activity id, source name): lets
#: a caller record what belongs with it (e.g. its owner) atomically.
OnStored = Callable[[sqlite3.Connection, int, str], None]


@dataclass(frozen=True)
class ImportItem:
    """One file for a worker: its name (for messages) and its bytes.

    ``content_sha256`` is set when the writer has already decompressed and hashed the
    bytes (to skip stored duplicates); ``None`` leaves both to the worker.
    """

    name: str
    data: bytes
    content_sha256: str | None = None


@dataclass(frozen=True)
class DecodeOptions:
    """How workers decode and analyse (the same for every item of an import)."""

    settings: AnalysisSettings | None = None
    damaged: DamagedFile = DamagedFile.REJECT


@dataclass(frozen=True)
class LapRow:
    """A lap as stored: its keys and its JSON."""

    start_utc: str
    distance_m: float | None
    timer_time_s: float | None
    metrics_json: str
    device_summary_json: str


@dataclass(frozen=True)
class SessionRow:
    """A session as stored, with its laps and compressed sample columns."""

    sport: str
    start_utc: str
    distance_m: float | None
    timer_time_s: float | None
    metrics_json: str
    device_summary_json: str
    laps: tuple[LapRow, ...]
    n_samples: int
    channels: str
    columns_npz: bytes


@dataclass(frozen=True)
class DecodedActivity:
    """Everything the writer stores for one file, made by a worker."""

    name: str
    content_sha256: str
    format: str
    device: str | None
    sport: str
    start_utc: str | None
    summary: tuple[float | None, ...]  # in _SUMMARY_COLUMNS order
    summary_json: str
    sessions: tuple[SessionRow, ...]
    #: Best efforts and fitness facts (``None``: not a run).
    run_facts: RunFactRows | None


@dataclass(frozen=True)
class DecodeFailure:
    """A file a worker could not decode, with the one-line reason."""

    name: str
    reason: str


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


def _decode(item: ImportItem, options: DecodeOptions) -> DecodedActivity:
    activity = read_activity_bytes(
        item.data, item.name, damaged=options.damaged, sha256=item.content_sha256
    )
    analysis = analyse_activity(activity, options.settings)
    kept = [s.samples for s in activity.sessions if len(s.samples)]
    sessions = [s.to_dict() for s in analysis.sessions]
    summary = _activity_summary(sessions)
    rows: list[SessionRow] = []
    for session, samples in zip(sessions, kept, strict=True):
        laps = session.pop("laps")
        device = session.pop("device_summary")
        blob, channels = encode_samples(samples)
        lap_rows = []
        for lap in laps:
            lap_device = lap.pop("device_summary")
            lap_rows.append(
                LapRow(
                    lap["start"],
                    lap["distance_m"],
                    lap["timer_time_s"],
                    json.dumps(lap, allow_nan=False),
                    json.dumps(lap_device, allow_nan=False),
                )
            )
        rows.append(
            SessionRow(
                sport=session["sport"],
                start_utc=session["start"],
                distance_m=session["distance_m"],
                timer_time_s=session["timer_time_s"],
                metrics_json=json.dumps(session, allow_nan=False),
                device_summary_json=json.dumps(device, allow_nan=False),
                laps=tuple(lap_rows),
                n_samples=len(samples),
                channels=",".join(channels),
                columns_npz=blob,
            )
        )
    return DecodedActivity(
        name=item.name,
        content_sha256=activity.content_sha256,
        format=analysis.format,
        device=analysis.device,
        sport=summary["sport"],
        start_utc=sessions[0]["start"] if sessions else None,
        summary=tuple(summary[key] for key in _SUMMARY_COLUMNS),
        summary_json=json.dumps({"metadata": analysis.metadata, **summary}, allow_nan=False),
        sessions=tuple(rows),
        run_facts=run_fact_rows(
            sessions[0]["start"] if sessions else None,
            [
                (s["sport"], columns, s["distance_m"], s["timer_time_s"])
                for s, columns in zip(sessions, kept, strict=True)
            ],
        ),
    )


def decode_item(item: ImportItem, options: DecodeOptions) -> DecodedActivity | DecodeFailure:
    """Decode and analyse one file into its rows; a bad file is a :class:`DecodeFailure`.

    Pure and module-level: this is what runs in the workers. A bug (any exception that
    is not a :class:`StridelabError`) is raised, never counted as a failed file.
    """
    try:
        return _decode(item, options)
    except StridelabError as exc:
        return DecodeFailure(item.name, str(exc))


def _existing_id(connection: sqlite3.Connection, sha: str) -> int | None:
    row = connection.execute(
        "SELECT id FROM activities WHERE content_sha256 = ?", (sha,)
    ).fetchone()
    return int(row[0]) if row else None


def _insert_activity(connection: sqlite3.Connection, decoded: DecodedActivity, now: str) -> int:
    cursor = connection.execute(
        "INSERT INTO activities (content_sha256, source_name, format, device, sport, start_utc, "
        + ", ".join(_SUMMARY_COLUMNS)
        + ", summary_json, imported_at) VALUES ("
        + ", ".join("?" * (8 + len(_SUMMARY_COLUMNS)))
        + ")",
        (
            decoded.content_sha256,
            decoded.name,
            decoded.format,
            decoded.device,
            decoded.sport,
            decoded.start_utc,
            *decoded.summary,
            decoded.summary_json,
            now,
        ),
    )
    activity_id = int(cursor.lastrowid or 0)
    if decoded.run_facts is not None:
        insert_run_facts(connection, activity_id, decoded.run_facts)
    for index, session in enumerate(decoded.sessions):
        cursor = connection.execute(
            "INSERT INTO sessions (activity_id, session_index, sport, start_utc, distance_m, "
            "timer_time_s, metrics_json, device_summary_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                activity_id,
                index,
                session.sport,
                session.start_utc,
                session.distance_m,
                session.timer_time_s,
                session.metrics_json,
                session.device_summary_json,
            ),
        )
        session_id = int(cursor.lastrowid or 0)
        connection.executemany(
            "INSERT INTO laps (session_id, lap_index, start_utc, distance_m, timer_time_s, "
            "metrics_json, device_summary_json) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    session_id,
                    lap_index,
                    lap.start_utc,
                    lap.distance_m,
                    lap.timer_time_s,
                    lap.metrics_json,
                    lap.device_summary_json,
                )
                for lap_index, lap in enumerate(session.laps)
            ],
        )
        _insert_samples(connection, session_id, session)
    return activity_id


def _insert_samples(connection: sqlite3.Connection, session_id: int, session: SessionRow) -> None:
    connection.execute(
        "INSERT INTO session_samples (session_id, n_samples, channels, columns_npz) "
        "VALUES (?, ?, ?, ?)",
        (session_id, session.n_samples, session.channels, session.columns_npz),
    )


class _Writer:
    """The one writer: keeps results in order, stores them a batch per transaction."""

    def __init__(
        self,
        store: Database,
        on_stored: OnStored | None,
        batch_activities: int,
        progress: Callable[[ImportResult], None] | None,
    ) -> None:
        self.store = store
        self.on_stored = on_stored
        self.batch_activities = max(1, batch_activities)
        self.progress = progress
        self.results: list[ImportResult] = []
        self._batch: list[ImportResult | DecodedActivity] = []
        self._decoded = 0
        self._since = 0.0

    def add(self, entry: ImportResult | DecodedActivity) -> None:
        """Queue a settled result or an activity to store; commit when the batch is due."""
        if not self._batch:
            self._since = time.monotonic()
        self._batch.append(entry)
        if isinstance(entry, DecodedActivity):
            self._decoded += 1
        if (
            self._decoded == 0
            or self._decoded >= self.batch_activities
            or time.monotonic() - self._since >= BATCH_MAX_AGE_S
        ):
            self.flush()

    def flush(self, *, report: bool = True) -> None:
        """Commit the batch, then report each of its files to ``progress``, in order."""
        batch, self._batch, self._decoded = self._batch, [], 0
        if any(isinstance(entry, DecodedActivity) for entry in batch):
            settled = self._store(batch)
        else:
            settled = [entry for entry in batch if isinstance(entry, ImportResult)]
        for result in settled:
            self.results.append(result)
            if report and self.progress is not None:
                self.progress(result)

    def _store(self, batch: list[ImportResult | DecodedActivity]) -> list[ImportResult]:
        now = datetime.now(UTC).isoformat()
        settled: list[ImportResult] = []
        interrupted: BaseException | None = None
        # One transaction per batch (a savepoint inside a caller's transaction).
        with self.store.transaction() as connection:
            try:
                for entry in batch:
                    settled.append(
                        entry
                        if isinstance(entry, ImportResult)
                        else self._one(connection, entry, now)
                    )
            except BaseException as exc:
                # An interruption mid-batch: the activities before it are whole; keep them.
                interrupted = exc
        if interrupted is not None:
            raise interrupted
        return settled

    def _one(
        self, connection: sqlite3.Connection, decoded: DecodedActivity, now: str
    ) -> ImportResult:
        existing = _existing_id(connection, decoded.content_sha256)
        if existing is not None:  # the same content earlier in this import
            return ImportResult(decoded.name, ImportOutcome.DUPLICATE, existing)
        connection.execute("SAVEPOINT activity")
        try:
            activity_id = _insert_activity(connection, decoded, now)
            if self.on_stored is not None:
                self.on_stored(connection, activity_id, decoded.name)
        except StridelabError as exc:
            _roll_back(connection)
            return ImportResult(decoded.name, ImportOutcome.FAILED, reason=str(exc))
        except sqlite3.IntegrityError:
            # Another process stored the same content between our check and our write.
            _roll_back(connection)
            return ImportResult(
                decoded.name,
                ImportOutcome.DUPLICATE,
                _existing_id(connection, decoded.content_sha256),
            )
        except BaseException:
            _roll_back(connection)
            raise
        connection.execute("RELEASE activity")
        return ImportResult(decoded.name, ImportOutcome.IMPORTED, activity_id)


def _roll_back(connection: sqlite3.Connection) -> None:
    connection.execute("ROLLBACK TO activity")
    connection.execute("RELEASE activity")


@dataclass
class _Planner:
    """Reads sources in order: settles failures and stored duplicates, yields the rest."""

    store: Database
    sources: Iterable[Source]
    #: One entry per source, in order: its settled result, or ``None`` (sent to a worker).
    order: deque[ImportResult | None]
    #: Whether the store held activities when the import began: only then can a file be
    #: a stored duplicate worth hashing here; into an empty store, the workers decompress
    #: and hash, and the writer catches a file given twice.
    check_stored: bool = True

    def items(self) -> Iterator[ImportItem]:
        for source in self.sources:
            settled = self._settle(source)
            if isinstance(settled, ImportItem):
                self.order.append(None)
                yield settled
            else:
                self.order.append(settled)

    def _settle(self, source: Source) -> ImportResult | ImportItem:
        try:
            raw = source.read()
            if not self.check_stored:
                return ImportItem(source.name, raw)
            data = decompress(raw, source.name)
        except StridelabError as exc:
            return ImportResult(source.name, ImportOutcome.FAILED, reason=str(exc))
        sha = content_sha256(data)
        existing = _existing_id(self.store.connection, sha)
        if existing is not None:
            return ImportResult(source.name, ImportOutcome.DUPLICATE, existing)
        return ImportItem(source.name, data, sha)


def _as_entry(result: DecodedActivity | DecodeFailure) -> ImportResult | DecodedActivity:
    if isinstance(result, DecodeFailure):
        return ImportResult(result.name, ImportOutcome.FAILED, reason=result.reason)
    return result


def import_paths(
    store: Database,
    paths: Iterable[str | Path],
    *,
    progress: Callable[[ImportResult], None] | None = None,
    settings: AnalysisSettings | None = None,
    damaged: DamagedFile = DamagedFile.REJECT,
    on_stored: OnStored | None = None,
    compute: Compute = IN_PROCESS,
    batch_activities: int = DEFAULT_BATCH_ACTIVITIES,
) -> ImportSummary:
    """Import files, folders and export archives; decoding runs on ``compute``.

    ``progress`` is called once per file, in order, after its batch is committed. Bad files
    are reported in the summary, never raised; an exception raised by ``progress`` (or a
    KeyboardInterrupt) stops the import with everything committed before it kept.
    ``damaged`` decides whether a damaged FIT file fails or is stored with what could be
    read; ``on_stored`` runs inside each activity's savepoint (see :data:`OnStored`);
    ``batch_activities`` caps the activities per transaction. A worker that dies raises
    :class:`~stridelab.errors.ComputeError` with everything before it stored.
    """
    if store.read_only:
        raise StoreError(
            f"the store at {store.path} is read-only: nothing can be imported into it",
            hint="Make the file writable, or import into another store with --db.",
        )
    writer = _Writer(store, on_stored, batch_activities, progress)
    order: deque[ImportResult | None] = deque()
    stored = store.connection.execute("SELECT 1 FROM activities LIMIT 1").fetchone()
    planner = _Planner(store, iter_sources(paths), order, check_stored=stored is not None)
    work = partial(decode_item, options=DecodeOptions(settings, damaged))
    try:
        for result in compute.map(work, planner.items()):
            while (settled := order.popleft()) is not None:
                writer.add(settled)
            writer.add(_as_entry(result))
        for rest in order:  # after the last worker result, only settled ones remain
            if rest is not None:
                writer.add(rest)
    except BaseException:
        writer.flush(report=False)  # whole activities decoded before the stop are kept
        raise
    writer.flush()
    return ImportSummary(tuple(writer.results))
