"""The research dataset: watch files in, Parquet tables out, for DuckDB, Polars or Spark.

:func:`build_dataset` reads files, folders and export archives like ``stridelab import``
and writes four Parquet tables under ``out`` (Arrow types, units in the column names,
partitioned by ``year`` of the session start, Hive style: ``activities/year=2024/…``):

* ``activities/``: one row per session: ``activity_key``, ``session_index``,
  ``athlete_key``, ``start_utc``, ``sport``, distance, times, HR, cadence, contact time,
  power, calories, load;
* ``laps/``: one row per lap, keyed by (``activity_key``, ``session_index``, ``lap_index``);
* ``samples/``: the per-second columns of every session (``timestamp_utc``, distance,
  speed, HR, cadence, …), as stored by the SQLite store (float32 channels);
* ``best_efforts/``: each run's best efforts (time for 1 km, 5 km, …) from
  :mod:`stridelab.store.fitness`.

``activity_key`` is the content hash the store uses, so re-running the build on the same
or more files adds only activities not yet in ``activities/``. Each athlete is the export
archive a file came from (its name without ``.zip``) or, for loose files, their folder;
the ``athlete_key`` is a keyed hash of that name (HMAC-SHA-256 with a random key kept in
``out/.athlete-key``, so names cannot be guessed from the keys; keep that file private,
re-runs need it), or the name itself with ``keep_names``.

Decoding runs on the compute seam (:mod:`stridelab.compute`): the same rows whichever
backend made them. Each batch is written table by table with ``activities/`` last, so
an interrupted build leaves no activity row without its laps and samples.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from pathlib import Path, PurePath
from typing import Any, Final

import numpy as np

from stridelab.activities.analysis import AnalysisSettings
from stridelab.activities.readers import DamagedFile, content_sha256, decompress
from stridelab.compute import IN_PROCESS, Compute
from stridelab.errors import StridelabError
from stridelab.extras import needs
from stridelab.store.importer import (
    DecodedActivity,
    DecodeFailure,
    DecodeOptions,
    ImportItem,
    decode_item,
)
from stridelab.store.repository import iter_sources
from stridelab.store.samples import decode_samples

__all__ = [
    "ACTIVITY_COLUMNS",
    "BATCH_ACTIVITIES",
    "TABLES",
    "DatasetSummary",
    "athlete_name",
    "build_dataset",
    "dataset_rows",
]

TABLES: Final = ("activities", "laps", "samples", "best_efforts")
#: Activities decoded before a batch of Parquet files is written.
BATCH_ACTIVITIES: Final = 200
KEY_FILE: Final = ".athlete-key"
#: Per-session columns taken from the session's metrics (name in the dataset = in metrics).
ACTIVITY_COLUMNS: Final = (
    "distance_m",
    "elapsed_time_s",
    "timer_time_s",
    "moving_time_s",
    "avg_speed_m_s",
    "elevation_gain_m",
    "avg_hr_bpm",
    "max_hr_bpm",
    "avg_cadence_spm",
    "avg_ground_contact_ms",
    "avg_vertical_oscillation_mm",
    "avg_step_length_m",
    "avg_power_w",
    "calories_kcal",
    "training_load",
)
_LAP_COLUMNS: Final = (
    "distance_m",
    "elapsed_time_s",
    "timer_time_s",
    "avg_hr_bpm",
    "avg_cadence_spm",
    "avg_power_w",
)
_SAMPLE_CHANNELS: Final = (
    "distance_m",
    "speed_m_s",
    "altitude_m",
    "latitude_deg",
    "longitude_deg",
    "heart_rate_bpm",
    "cadence_spm",
    "power_w",
    "ground_contact_ms",
    "vertical_oscillation_mm",
    "step_length_m",
)
_EFFORT_COLUMNS: Final = (
    "name",
    "kind",
    "distance_m",
    "time_s",
    "start_s",
    "avg_hr_bpm",
    "tail_hr_bpm",
    "grade_adjusted_time_s",
)


@dataclass(frozen=True)
class DatasetItem:
    """One file for a worker, with the athlete key its rows carry."""

    item: ImportItem
    athlete_key: str


@dataclass(frozen=True)
class DatasetRows:
    """One activity's rows for each table: column name → list of values (plain data)."""

    activity_key: str
    tables: dict[str, dict[str, list[Any]]]


@dataclass(frozen=True)
class DatasetSummary:
    """What one build did."""

    out: Path
    added: int
    skipped: int
    failed: tuple[tuple[str, str], ...] = field(default_factory=tuple)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "out": str(self.out),
            "added": self.added,
            "skipped": self.skipped,
            "failed": [{"name": name, "reason": reason} for name, reason in self.failed],
        }


def athlete_name(source_name: str) -> str:
    """Whose file this is: the export archive's name, or the loose file's folder."""
    archive, bang, _member = source_name.partition("!")
    if bang:
        name = PurePath(archive).name
        return name[:-4] if name.lower().endswith(".zip") else name
    return PurePath(source_name).parent.name or "."


def _year(start_utc: str) -> int:
    return datetime.fromisoformat(start_utc).year


def _columns(rows: list[dict[str, Any]]) -> dict[str, list[Any]]:
    keys = list(rows[0]) if rows else []
    return {key: [row[key] for row in rows] for key in keys}


def _from_decoded(decoded: DecodedActivity, athlete_key: str) -> DatasetRows:
    key = decoded.content_sha256
    sessions: list[dict[str, Any]] = []
    laps: list[dict[str, Any]] = []
    sample_columns: dict[str, list[Any]] = {"activity_key": [], "session_index": []}
    sample_columns |= {"year": [], "timestamp_utc": [], "elapsed_s": []}
    sample_columns |= {name: [] for name in _SAMPLE_CHANNELS}
    for index, session in enumerate(decoded.sessions):
        metrics = json.loads(session.metrics_json)
        year = _year(session.start_utc)
        sessions.append(
            {
                "activity_key": key,
                "session_index": index,
                "athlete_key": athlete_key,
                "year": year,
                "start_utc": datetime.fromisoformat(session.start_utc),
                "sport": session.sport,
                "format": decoded.format,
                "device": decoded.device,
                **{name: metrics.get(name) for name in ACTIVITY_COLUMNS},
            }
        )
        for lap_index, lap in enumerate(session.laps):
            lap_metrics = json.loads(lap.metrics_json)
            laps.append(
                {
                    "activity_key": key,
                    "session_index": index,
                    "lap_index": lap_index,
                    "year": year,
                    "start_utc": datetime.fromisoformat(lap.start_utc),
                    **{name: lap_metrics.get(name) for name in _LAP_COLUMNS},
                }
            )
        columns = decode_samples(session.columns_npz)
        n = len(columns)
        stamps = columns.timestamp_s
        sample_columns["activity_key"] += [key] * n
        sample_columns["session_index"] += [index] * n
        sample_columns["year"] += [year] * n
        sample_columns["timestamp_utc"] += np.round(stamps * 1e6).astype(np.int64).tolist()
        sample_columns["elapsed_s"] += (stamps - stamps[0]).tolist() if n else []
        for name in _SAMPLE_CHANNELS:
            values = getattr(columns, name)
            sample_columns[name] += (
                [None] * n if values is None else [None if v != v else v for v in values.tolist()]
            )
    efforts: list[dict[str, Any]] = []
    if decoded.run_facts is not None and decoded.sessions:
        year = _year(decoded.sessions[0].start_utc)
        for effort in decoded.run_facts.efforts:
            efforts.append(
                {"activity_key": key, "athlete_key": athlete_key, "year": year}
                | dict(zip(_EFFORT_COLUMNS, effort, strict=True))
            )
    return DatasetRows(
        key,
        {
            "activities": _columns(sessions),
            "laps": _columns(laps),
            "samples": sample_columns,
            "best_efforts": _columns(efforts),
        },
    )


def dataset_rows(item: DatasetItem, options: DecodeOptions) -> DatasetRows | DecodeFailure:
    """Decode one file into its dataset rows (pure; what runs in the workers)."""
    decoded = decode_item(item.item, options)
    if isinstance(decoded, DecodeFailure):
        return decoded
    return _from_decoded(decoded, item.athlete_key)


def _athlete_key(out: Path, keep_names: bool) -> Any:
    if keep_names:
        return lambda name: name
    path = out / KEY_FILE
    if not path.is_file():
        path.write_text(secrets.token_hex(32), encoding="ascii")
        path.chmod(0o600)
    secret = bytes.fromhex(path.read_text(encoding="ascii").strip())
    return lambda name: hmac.new(secret, name.encode(), hashlib.sha256).hexdigest()[:16]


def _stored_keys(out: Path) -> set[str]:
    import pyarrow.dataset as ds

    folder = out / "activities"
    if not folder.is_dir() or not any(folder.rglob("*.parquet")):
        return set()
    table = ds.dataset(folder, format="parquet", partitioning="hive").to_table(
        columns=["activity_key"]
    )
    return {str(key) for key in table.column("activity_key").to_pylist()}


def _schemas() -> dict[str, Any]:
    import pyarrow as pa

    utc = pa.timestamp("us", tz="UTC")
    f64, i32, text = pa.float64(), pa.int32(), pa.string()
    return {
        "activities": pa.schema(
            [
                ("activity_key", text),
                ("session_index", i32),
                ("athlete_key", text),
                ("year", i32),
                ("start_utc", utc),
                ("sport", text),
                ("format", text),
                ("device", text),
                *((name, f64) for name in ACTIVITY_COLUMNS),
            ]
        ),
        "laps": pa.schema(
            [
                ("activity_key", text),
                ("session_index", i32),
                ("lap_index", i32),
                ("year", i32),
                ("start_utc", utc),
                *((name, f64) for name in _LAP_COLUMNS),
            ]
        ),
        "samples": pa.schema(
            [
                ("activity_key", text),
                ("session_index", i32),
                ("year", i32),
                ("timestamp_utc", utc),
                ("elapsed_s", f64),
                *((name, pa.float32()) for name in _SAMPLE_CHANNELS),
            ]
        ),
        "best_efforts": pa.schema(
            [
                ("activity_key", text),
                ("athlete_key", text),
                ("year", i32),
                ("name", text),
                ("kind", text),
                *((name, f64) for name in _EFFORT_COLUMNS[2:]),
            ]
        ),
    }


def _write_batch(out: Path, batch: list[DatasetRows], schemas: dict[str, Any]) -> None:
    import pyarrow as pa
    import pyarrow.dataset as ds

    tag = uuid.uuid4().hex[:12]
    for table in ("samples", "laps", "best_efforts", "activities"):  # the manifest last
        schema = schemas[table]
        merged: dict[str, list[Any]] = {name: [] for name in schema.names}
        for rows in batch:
            for name, values in rows.tables[table].items():
                merged[name] += values
        if not merged["activity_key"]:
            continue
        if table == "samples":
            utc = schema.field("timestamp_utc").type
            stamps = pa.array(merged.pop("timestamp_utc"), pa.int64()).cast(utc)
            arrays = [
                stamps
                if name == "timestamp_utc"
                else pa.array(merged[name], schema.field(name).type)
                for name in schema.names
            ]
            data = pa.Table.from_arrays(arrays, schema=schema)
        else:
            data = pa.Table.from_pydict(merged, schema=schema)
        ds.write_dataset(
            data,
            out / table,
            format="parquet",
            partitioning=["year"],
            partitioning_flavor="hive",
            basename_template=f"part-{tag}-{{i}}.parquet",
            existing_data_behavior="overwrite_or_ignore",
        )


@dataclass
class _Planner:
    sources: Iterable[Any]
    known: set[str]
    athlete: Any
    skipped: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)

    def items(self) -> Iterator[DatasetItem]:
        for source in self.sources:
            try:
                data = decompress(source.read(), source.name)
            except StridelabError as exc:
                self.failed.append((source.name, str(exc)))
                continue
            sha = content_sha256(data)
            if sha in self.known:
                self.skipped += 1
                continue
            self.known.add(sha)
            athlete = self.athlete(athlete_name(source.name))
            yield DatasetItem(ImportItem(source.name, data, sha), athlete)


def build_dataset(
    paths: Iterable[str | Path],
    out: str | Path,
    *,
    compute: Compute = IN_PROCESS,
    keep_names: bool = False,
    settings: AnalysisSettings | None = None,
    damaged: DamagedFile = DamagedFile.REJECT,
) -> DatasetSummary:
    """Add the activities of ``paths`` not yet in the dataset at ``out`` (see module doc)."""
    with needs("stridelab dataset build"):
        import pyarrow  # noqa: F401
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    schemas = _schemas()
    planner = _Planner(iter_sources(paths), _stored_keys(folder), _athlete_key(folder, keep_names))
    work = partial(dataset_rows, options=DecodeOptions(settings, damaged))
    batch: list[DatasetRows] = []
    added = 0
    for result in compute.map(work, planner.items()):
        if isinstance(result, DecodeFailure):
            planner.failed.append((result.name, result.reason))
            continue
        batch.append(result)
        if len(batch) >= BATCH_ACTIVITIES:
            _write_batch(folder, batch, schemas)
            added, batch = added + len(batch), []
    if batch:
        _write_batch(folder, batch, schemas)
        added += len(batch)
    return DatasetSummary(folder, added, planner.skipped, tuple(planner.failed))
