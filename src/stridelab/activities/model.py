"""The activity model every reader produces and every metric consumes.

An :class:`Activity` is one recorded file: one or more :class:`Session` (a multisport
file has several), each with per-sample columns in :class:`Samples` (NumPy arrays, SI
units, NaN where a sample lacks a value, ``None`` where the file has no such channel at
all) and its :class:`Lap` boundaries. What the device itself summarised is kept apart in
``device_summary`` so computed metrics can be checked against it, never copied from it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import datetime
from enum import StrEnum

import numpy as np
import numpy.typing as npt

__all__ = [
    "Activity",
    "FileFormat",
    "FloatArray",
    "Lap",
    "Samples",
    "Session",
    "SummaryValue",
    "content_sha256",
]

FloatArray = npt.NDArray[np.float64]
SummaryValue = float | int | str | None


def content_sha256(data: bytes) -> str:
    """An activity's identity: the SHA-256 (hex) of its decompressed file bytes.

    The one implementation; an import takes it once per file, before decoding, and hands
    it to the reader (``sha256=``) so the bytes are not hashed again.
    """
    return hashlib.sha256(data).hexdigest()


class FileFormat(StrEnum):
    """The container a recording came in."""

    FIT = "fit"
    TCX = "tcx"
    GPX = "gpx"


@dataclass(frozen=True, eq=False)
class Samples:
    """Per-sample columns of one session, all the same length, SI units.

    ``timestamp_s`` is POSIX seconds (UTC). A channel the file does not carry is ``None``;
    a missing value inside a carried channel is NaN. Cadence is always *steps* per minute
    (FIT's strides/min is doubled by the reader).
    """

    timestamp_s: FloatArray
    distance_m: FloatArray | None = None
    speed_m_s: FloatArray | None = None
    altitude_m: FloatArray | None = None
    latitude_deg: FloatArray | None = None
    longitude_deg: FloatArray | None = None
    heart_rate_bpm: FloatArray | None = None
    cadence_spm: FloatArray | None = None
    power_w: FloatArray | None = None
    ground_contact_ms: FloatArray | None = None
    ground_contact_balance_left_pct: FloatArray | None = None
    vertical_oscillation_mm: FloatArray | None = None
    vertical_ratio_pct: FloatArray | None = None
    step_length_m: FloatArray | None = None
    temperature_c: FloatArray | None = None

    def __post_init__(self) -> None:
        n = len(self.timestamp_s)
        for f in fields(self):
            column = getattr(self, f.name)
            if column is not None and len(column) != n:
                raise ValueError(f"column {f.name} has {len(column)} samples, expected {n}")

    def __len__(self) -> int:
        return len(self.timestamp_s)

    def channels(self) -> list[str]:
        """Names of the channels this session carries (besides the timestamp)."""
        return [
            f.name
            for f in fields(self)
            if f.name != "timestamp_s" and getattr(self, f.name) is not None
        ]


@dataclass(frozen=True, eq=False)
class Lap:
    """A lap: a half-open slice ``[start_index, end_index)`` of its session's samples."""

    start: datetime
    start_index: int
    end_index: int
    device_summary: Mapping[str, SummaryValue] = field(default_factory=dict)


@dataclass(frozen=True, eq=False)
class Session:
    """One sport within a recording (a plain run has exactly one)."""

    sport: str
    start: datetime
    samples: Samples
    laps: tuple[Lap, ...] = ()
    sub_sport: str | None = None
    device_summary: Mapping[str, SummaryValue] = field(default_factory=dict)


@dataclass(frozen=True, eq=False)
class Activity:
    """One recorded file, decoded."""

    format: FileFormat
    sessions: tuple[Session, ...]
    content_sha256: str
    source_path: str | None = None
    device: str | None = None
    metadata: Mapping[str, SummaryValue] = field(default_factory=dict)

    @property
    def start(self) -> datetime | None:
        """Start of the first session, if any."""
        return self.sessions[0].start if self.sessions else None
