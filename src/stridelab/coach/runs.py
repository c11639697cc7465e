"""Runs in the coach: the activity store, seen per athlete, with names and notes.

The store (:mod:`stridelab.store`) imports and keeps activities; the coach records which
athletes own each one (``coach_activity_owners``: an activity with no owner row, e.g.
imported with ``stridelab import``, belongs to the single-user athlete) together with each
owner's display name and notes. The store keeps a file's content once; duplicates are
judged per athlete, so a file another athlete already uploaded is stored for the
uploader too (it is their run as well) and never reported as "already yours". A run's
load is the store's (TRIMP from heart rate) when it has one, else an rTSS-like load from
its average pace against the athlete's threshold pace (:func:`stridelab.physiology.load.rtss`).
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any, Final

from stridelab.activities.model import FloatArray
from stridelab.activities.sports import RUN_SPORTS
from stridelab.coach.db import DEFAULT_ATHLETE_ID, migrate
from stridelab.coach.jobs import Progress
from stridelab.coach.matching import RunSummary
from stridelab.compute import IN_PROCESS, Compute
from stridelab.errors import InputError, NotFoundError
from stridelab.store import (
    ImportOutcome,
    ImportResult,
    delete_activity,
    get_activity,
    import_paths,
    load_samples,
)
from stridelab.store.database import Database
from stridelab.store.trends import ActivityDay, activity_load
from stridelab.units import M_PER_KM

__all__ = [
    "MAX_NOTES_CHARS",
    "RunDetail",
    "RunRow",
    "count_runs",
    "delete_run",
    "get_run",
    "import_file",
    "list_runs",
    "prepare_store",
    "purge_activities",
    "set_run_notes",
]

MAX_NOTES_CHARS: Final = 4000


@dataclass(frozen=True)
class RunRow:
    """One activity as the coach lists it."""

    id: int
    name: str
    sport: str
    start: dt.datetime | None
    distance_m: float | None
    timer_time_s: float | None
    avg_hr_bpm: float | None
    avg_cadence_spm: float | None
    avg_ground_contact_ms: float | None
    training_load: float | None
    load_method: str | None
    notes: str
    #: The runner's time zone (``AthleteProfile.zone``; ``None``: this computer's).
    zone: dt.tzinfo | None = None

    @cached_property
    def day(self) -> dt.date | None:
        """The run's calendar day in the runner's time zone (worked out once per row).

        An evening run west of Greenwich belongs to that evening, not to the next UTC day,
        wherever the server runs.
        """
        return None if self.start is None else self.start.astimezone(self.zone).date()

    @property
    def pace_s_per_km(self) -> float | None:
        """Average pace over the timer time."""
        if not self.distance_m or not self.timer_time_s:
            return None
        return self.timer_time_s / (self.distance_m / M_PER_KM)

    def activity_day(self) -> ActivityDay | None:
        """What the weekly aggregator needs (``None`` without a date)."""
        day = self.day
        if day is None:
            return None
        return ActivityDay(
            self.sport,
            day,
            self.distance_m,
            self.timer_time_s,
            self.training_load,
            self.avg_cadence_spm,
            self.avg_ground_contact_ms,
        )

    def summary(self) -> RunSummary | None:
        """What plan matching needs (``None`` for non-runs or runs without a date)."""
        day = self.day  # a time-zone conversion: once
        if day is None or self.sport not in RUN_SPORTS:
            return None
        return RunSummary(str(self.id), day, self.distance_m or 0.0, self.timer_time_s or 0.0)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "id": self.id,
            "name": self.name,
            "sport": self.sport,
            "start": None if self.start is None else self.start.isoformat(),
            "distance_m": self.distance_m,
            "timer_time_s": self.timer_time_s,
            "pace_s_per_km": self.pace_s_per_km,
            "avg_hr_bpm": self.avg_hr_bpm,
            "avg_cadence_spm": self.avg_cadence_spm,
            "avg_ground_contact_ms": self.avg_ground_contact_ms,
            "training_load": self.training_load,
            "load_method": self.load_method,
            "notes": self.notes,
        }


@dataclass(frozen=True)
class RunDetail:
    """One run with its sessions (metrics, laps, splits, insights) and sample columns."""

    row: RunRow
    sessions: tuple[dict[str, Any], ...]
    samples: tuple[dict[str, FloatArray], ...]

    def samples_as_lists(self) -> list[dict[str, list[float | None]]]:
        """Sample columns for JSON (NaN → ``None``)."""
        return [{k: _column(v) for k, v in columns.items()} for columns in self.samples]


def prepare_store(db: Database) -> None:
    """Create the store's and the coach's tables (applying both migration sets) if
    needed: what every coach entry point (web app, ``replan``, ``demo``, ``account add``)
    does first."""
    migrate(db)


_OWNERSHIP_SQL: Final = (
    "SELECT athlete_id, name, notes FROM coach_activity_owners WHERE activity_id = ?"
)


def _ownership(
    conn: sqlite3.Connection, run_id: int, athlete_id: int
) -> tuple[str | None, str] | None:
    """(name, notes) when ``athlete_id`` owns the activity, else None. An activity with
    no owner row at all is the default athlete's."""
    rows = conn.execute(_OWNERSHIP_SQL, (run_id,)).fetchall()
    if not rows:
        return (None, "") if athlete_id == DEFAULT_ATHLETE_ID else None
    mine = [r for r in rows if int(r[0]) == athlete_id]
    return (mine[0][1], str(mine[0][2])) if mine else None


def _owned_by(db: Database, run_id: int, athlete_id: int) -> tuple[str | None, str]:
    """(name, notes) of one of the athlete's runs; :class:`NotFoundError` otherwise."""
    conn = db.connection
    found = _ownership(conn, run_id, athlete_id)
    if found is None:
        raise NotFoundError(f"no run {run_id}", hint="Open a run from the Runs page.")
    return found


def _claim(conn: sqlite3.Connection, run_id: int, athlete_id: int, name: str) -> bool:
    """Make ``athlete_id`` an owner of a stored activity; False if it already was.

    An activity nobody had claimed is the default athlete's: it stays theirs as well.
    """
    rows = conn.execute(_OWNERSHIP_SQL, (run_id,)).fetchall()
    owners = {int(r[0]) for r in rows}
    if athlete_id in owners or (not owners and athlete_id == DEFAULT_ATHLETE_ID):
        return False
    if not owners:
        conn.execute(
            "INSERT INTO coach_activity_owners (activity_id, athlete_id) VALUES (?, ?)",
            (run_id, DEFAULT_ATHLETE_ID),
        )
    conn.execute(
        "INSERT INTO coach_activity_owners (activity_id, athlete_id, name) VALUES (?, ?, ?)",
        (run_id, athlete_id, name),
    )
    return True


def _base_name(source_name: str) -> str:
    """The file name of a stored source path (plain string work: lists call it per row)."""
    return source_name.replace("\\", "/").rsplit("/", 1)[-1]


def _start(text: str | None) -> dt.datetime | None:
    if not text:
        return None
    start = dt.datetime.fromisoformat(text)
    return start if start.tzinfo else start.replace(tzinfo=dt.UTC)


#: Summary columns of the store's ``activities`` table (its migration 1) that lists need;
#: read directly so a list of thousands of runs does not parse each summary's JSON.
_LIST_SQL: Final = (
    "SELECT a.id, a.source_name, a.sport, a.start_utc, a.distance_m, a.timer_time_s, "
    "a.moving_time_s, a.avg_hr_bpm, a.avg_cadence_spm, a.avg_ground_contact_ms, "
    "a.training_load, o.athlete_id, o.name, o.notes "
    "FROM activities a LEFT JOIN coach_activity_owners o ON o.activity_id = a.id "
    "WHERE COALESCE(o.athlete_id, ?) = ? "
    "ORDER BY a.start_utc DESC, a.id DESC"
)


def list_runs(
    db: Database,
    athlete_id: int,
    threshold_pace_s_per_km: float,
    *,
    limit: int | None = None,
    offset: int = 0,
    zone: dt.tzinfo | None = None,
    since: dt.date | None = None,
) -> list[RunRow]:
    """The athlete's activities, newest first (``limit``/``offset`` page through them);
    their days fall in ``zone`` (the runner's, ``AthleteProfile.zone``). ``since`` keeps
    only those on or after that day (and drops undated ones)."""
    sql = _LIST_SQL
    args: tuple[Any, ...] = (DEFAULT_ATHLETE_ID, athlete_id)
    if since is not None:
        # A UTC start up to a day either side of the local day: filtered exactly below.
        sql = sql.replace("ORDER BY", "AND a.start_utc >= ? ORDER BY")
        args = (*args, (since - dt.timedelta(days=2)).isoformat())
    if limit is not None:
        sql += " LIMIT ? OFFSET ?"
        args = (*args, limit, offset)
    conn = db.connection
    rows = conn.execute(sql, args).fetchall()
    out: list[RunRow] = []
    for row in rows:
        load, method = activity_load(
            row["training_load"],
            row["distance_m"],
            row["moving_time_s"] or row["timer_time_s"],
            threshold_pace_s_per_km,
        )
        out.append(
            RunRow(
                id=int(row["id"]),
                name=row["name"] or _base_name(str(row["source_name"])),
                sport=str(row["sport"]),
                start=_start(row["start_utc"]),
                distance_m=row["distance_m"],
                timer_time_s=row["timer_time_s"],
                avg_hr_bpm=row["avg_hr_bpm"],
                avg_cadence_spm=row["avg_cadence_spm"],
                avg_ground_contact_ms=row["avg_ground_contact_ms"],
                training_load=load,
                load_method=method,
                notes=str(row["notes"] or ""),
                zone=zone,
            )
        )
    if since is not None:
        out = [r for r in out if (d := r.day) is not None and d >= since]
    return out


def count_runs(db: Database, athlete_id: int) -> int:
    """How many activities the athlete has."""
    conn = db.connection
    row = conn.execute(
        "SELECT COUNT(*) FROM activities a LEFT JOIN coach_activity_owners o "
        "ON o.activity_id = a.id WHERE COALESCE(o.athlete_id, ?) = ?",
        (DEFAULT_ATHLETE_ID, athlete_id),
    ).fetchone()
    return int(row[0])


def _column(values: Any) -> list[float | None]:
    if values is None:
        return []
    return [None if v != v else float(v) for v in values.tolist()]  # NaN → None


def get_run(
    db: Database, athlete_id: int, run_id: int, threshold_pace_s_per_km: float
) -> RunDetail:
    """One of the athlete's runs, with its stored analysis and sample columns."""
    name, notes = _owned_by(db, run_id, athlete_id)
    try:
        activity = get_activity(db, run_id)
    except NotFoundError:
        raise NotFoundError(f"no run {run_id}", hint="Open a run from the Runs page.") from None
    columns = []
    for session_id in activity.session_ids:
        samples = load_samples(db, session_id)
        columns.append(
            {channel: getattr(samples, channel) for channel in ("timestamp_s", *samples.channels())}
        )
    summary = activity.summary
    load, method = activity_load(
        summary.get("training_load"),
        summary.get("distance_m"),
        summary.get("moving_time_s") or summary.get("timer_time_s"),
        threshold_pace_s_per_km,
    )
    row = RunRow(
        id=activity.id,
        name=name or _base_name(activity.source_name),
        sport=activity.sport,
        start=_start(activity.start_utc),
        distance_m=activity.summary.get("distance_m"),
        timer_time_s=activity.summary.get("timer_time_s"),
        avg_hr_bpm=activity.summary.get("avg_hr_bpm"),
        avg_cadence_spm=activity.summary.get("avg_cadence_spm"),
        avg_ground_contact_ms=activity.summary.get("avg_ground_contact_ms"),
        training_load=load,
        load_method=method,
        notes=notes,
    )
    return RunDetail(row, activity.sessions, tuple(columns))


def set_run_notes(db: Database, athlete_id: int, run_id: int, name: str, notes: str) -> None:
    """Rename a run and set its notes (shown escaped everywhere)."""
    name = name.strip()
    if not 0 < len(name) <= 200 or len(notes) > MAX_NOTES_CHARS:
        raise InputError(
            "a run name needs 1–200 characters and notes at most 4000",
            hint="Shorten the text.",
        )
    _owned_by(db, run_id, athlete_id)
    with db.transaction() as conn:
        conn.execute(
            "INSERT INTO coach_activity_owners (activity_id, athlete_id, name, notes) "
            "VALUES (?, ?, ?, ?) ON CONFLICT(activity_id, athlete_id) DO UPDATE SET "
            "name = excluded.name, notes = excluded.notes",
            (run_id, athlete_id, name, notes),
        )


def _count_entries(path: Path) -> int:
    if path.suffix.lower() != ".zip":
        return 1
    try:
        with zipfile.ZipFile(path) as archive:
            return max(1, sum(1 for info in archive.infolist() if not info.is_dir()))
    except (zipfile.BadZipFile, OSError):
        return 1


def _refresh_load(db: Database, athlete_id: int) -> None:
    """Rebuild the athlete's stored daily load (inside the caller's transaction)."""
    from stridelab.coach.daily_load import refresh_daily_load
    from stridelab.coach.profile import load_profile

    refresh_daily_load(db, athlete_id, load_profile(db, athlete_id))


def delete_run(db: Database, athlete_id: int, run_id: int) -> bool:
    """Remove run ``run_id`` from the athlete's runs; returns whether the activity is gone.

    The athlete's ownership goes; the activity itself (its samples, laps, best efforts)
    is deleted when no other athlete has it. One transaction, the athlete's stored daily
    load included: a failure leaves everything as it was. Raises :class:`NotFoundError`
    when the athlete has no such run.
    """
    with db.transaction() as conn:
        exists = conn.execute("SELECT 1 FROM activities WHERE id = ?", (run_id,)).fetchone()
        if exists is None or _ownership(conn, run_id, athlete_id) is None:
            raise NotFoundError(
                f"there is no run {run_id}",
                hint="See the ids with: stridelab activities (or the Runs page).",
            )
        conn.execute(
            "DELETE FROM coach_activity_owners WHERE activity_id = ? AND athlete_id = ?",
            (run_id, athlete_id),
        )
        others = conn.execute(
            "SELECT COUNT(*) FROM coach_activity_owners WHERE activity_id = ?", (run_id,)
        ).fetchone()
        gone = int(others[0]) == 0
        if gone:
            delete_activity(db, run_id)
        _refresh_load(db, athlete_id)
    return gone


def purge_activities(db: Database, activity_ids: Sequence[int]) -> None:
    """Delete activities from the store whoever owns them (the CLI works on the whole
    store), with their samples, laps and best efforts, and rebuild every owner's stored
    daily load: all in one transaction. Raises :class:`NotFoundError` for an unknown id
    (and deletes nothing)."""
    with db.transaction() as conn:
        owners: set[int] = set()
        for activity_id in activity_ids:
            rows = conn.execute(_OWNERSHIP_SQL, (activity_id,)).fetchall()
            owners.update(int(r[0]) for r in rows)
            if not rows:
                owners.add(DEFAULT_ATHLETE_ID)
            if not delete_activity(db, activity_id):
                raise NotFoundError(
                    f"there is no activity {activity_id}",
                    hint="See the ids with: stridelab activities",
                )
            conn.execute("DELETE FROM coach_activity_owners WHERE activity_id = ?", (activity_id,))
        for athlete_id in sorted(owners):
            _refresh_load(db, athlete_id)


def import_file(
    db: Database,
    athlete_id: int,
    path: Path,
    *,
    name: str | None = None,
    progress: Progress | None = None,
    compute: Compute = IN_PROCESS,
) -> dict[str, Any]:
    """Import a watch file or export archive for ``athlete_id``; returns a summary.

    Members are decoded on ``compute`` (the compute seam); this process writes.

    Each activity is stored and claimed for the athlete in one transaction. Duplicates
    are per athlete: a file another athlete already imported becomes this athlete's run
    too (counted as imported); only one this athlete already has is skipped.
    """
    total = _count_entries(path)
    done: list[ImportResult] = []

    def _shown(source_name: str) -> str:
        """Uploads are stored by hash: show the name the person gave, not our path."""
        if source_name == str(path) and name:
            return name
        return Path(source_name).name

    def claim(connection: sqlite3.Connection, activity_id: int, source_name: str) -> None:
        # In the activity's own transaction: no moment where it belongs to nobody.
        connection.execute(
            "INSERT OR IGNORE INTO coach_activity_owners (activity_id, athlete_id, name)"
            " VALUES (?, ?, ?)",
            (activity_id, athlete_id, _shown(source_name)[:200]),
        )

    def step(result: ImportResult) -> None:
        done.append(result)
        if progress is not None:
            progress(
                min(len(done) / total, 0.99), f"{len(done)} of ~{total}: {Path(result.name).name}"
            )

    summary = import_paths(db, [path], progress=step, on_stored=claim, compute=compute)
    claimed = 0
    runs = []
    with db.transaction() as conn:
        for r in summary.results:
            if r.activity_id is None:
                continue
            if r.outcome is ImportOutcome.DUPLICATE:
                claimed += _claim(conn, r.activity_id, athlete_id, _shown(r.name)[:200])
            found = _ownership(conn, r.activity_id, athlete_id)
            if found is not None:
                runs.append({"id": r.activity_id, "name": found[0] or _shown(r.name)})
        if summary.imported or claimed:
            _refresh_load(db, athlete_id)
    return {
        "imported": summary.imported + claimed,
        "skipped": summary.duplicates - claimed,
        "failed": len(summary.failed),
        "failures": [
            {
                "name": _shown(r.name),
                "error": (r.reason or "").replace(str(path), _shown(r.name)),
            }
            for r in summary.failed
        ],
        "runs": runs,
    }
