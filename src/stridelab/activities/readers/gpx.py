"""GPX reader (gpxpy), with the heart-rate and cadence extensions watches write.

Each ``<trk>`` becomes a :class:`Session` (segments are joined; no distance is counted
across a segment break, since a break is a pause). Extension channels are matched by
local name, which covers Garmin's TrackPointExtension (``hr``, ``cad``, ``atemp``,
``speed``), Suunto/Movescount's ``gpxdata`` (``hr``, ``cadence``, ``temp``) and the
plain ``heartrate``/``cadence``/``power`` elements other apps write.

GPX carries no distance: it is computed from the positions (haversine on a sphere).
Cadence convention: Garmin writes running ``cad`` in strides/min, some apps in
steps/min; the reader decides from the moving median and records the decision in
``Activity.metadata["cadence_convention"]`` (never silently).
"""

from __future__ import annotations

import math
from datetime import UTC, datetime
from typing import Final

import gpxpy
import gpxpy.gpx
import numpy as np

from stridelab.activities.model import (
    Activity,
    FileFormat,
    FloatArray,
    Session,
    SummaryValue,
    content_sha256,
)
from stridelab.activities.readers.columns import (
    CadenceDecision,
    ColumnBuilder,
    decide_cadence_convention,
    haversine_cumulative_m,
    normalise_sport,
)
from stridelab.activities.readers.tcx import parse_xml
from stridelab.errors import EmptyActivityError, XmlActivityError

__all__ = ["read_gpx", "read_gpx_bytes"]

#: Extension element local names (lower case) → channel.
_EXTENSION_FIELDS: Final[dict[str, str]] = {
    "hr": "heart_rate_bpm",
    "heartrate": "heart_rate_bpm",
    "heart_rate": "heart_rate_bpm",
    "cad": "cadence",
    "cadence": "cadence",
    "runcadence": "cadence",
    "power": "power_w",
    "watts": "power_w",
    "atemp": "temperature_c",
    "temp": "temperature_c",
    "speed": "speed_m_s",
}


def _extension_values(point: gpxpy.gpx.GPXTrackPoint) -> dict[str, float]:
    values: dict[str, float] = {}
    for extension in point.extensions:
        for element in extension.iter():
            tag = str(element.tag).rsplit("}", 1)[-1].lower()
            channel = _EXTENSION_FIELDS.get(tag)
            if channel is None or element.text is None:
                continue
            try:
                values[channel] = float(element.text.strip())
            except ValueError:
                continue
    return values


def _segment_break_free_distance(builder: ColumnBuilder, breaks: list[int]) -> FloatArray:
    latitude = builder.column("latitude_deg")
    longitude = builder.column("longitude_deg")
    n = len(builder)
    if latitude is None or longitude is None:
        return np.full(n, np.nan, dtype=np.float64)
    distance = haversine_cumulative_m(latitude, longitude)
    for start in breaks:
        if 0 < start < n:
            gap = distance[start] - distance[start - 1]
            distance[start:] -= gap
    return distance


def _session(track: gpxpy.gpx.GPXTrack, name: str) -> tuple[Session, CadenceDecision | None]:
    sport = normalise_sport(track.type)
    builder = ColumnBuilder()
    breaks: list[int] = []
    for segment in track.segments:
        breaks.append(len(builder))
        for point in segment.points:
            if point.time is None:
                continue
            time = point.time if point.time.tzinfo else point.time.replace(tzinfo=UTC)
            values = {
                "latitude_deg": float(point.latitude),
                "longitude_deg": float(point.longitude),
                "altitude_m": math.nan if point.elevation is None else float(point.elevation),
            }
            values.update(_extension_values(point))
            builder.add(time.timestamp(), values)
    if len(builder) == 0:
        raise EmptyActivityError(
            "the GPX track has no points with a time", path=name, hint="Nothing to analyse"
        )
    decision: CadenceDecision | None = None
    cadence = builder.column("cadence")
    if cadence is not None:
        decision = decide_cadence_convention(cadence, sport)
        cadence = cadence * decision.factor
    samples = builder.samples(
        distance_m=_segment_break_free_distance(builder, breaks), cadence_spm=cadence
    )
    if np.any(np.diff(samples.timestamp_s) < 0):
        raise XmlActivityError(
            "track points are not in time order", path=name, hint="Export the activity again"
        )
    start = datetime.fromtimestamp(float(samples.timestamp_s[0]), UTC)
    return Session(sport=sport, start=start, samples=samples), decision


def read_gpx_bytes(data: bytes, name: str = "<bytes>", *, sha256: str | None = None) -> Activity:
    """Decode a GPX document into an :class:`Activity` (one session per ``<trk>``)."""
    root = parse_xml(data, name, "GPX")  # well-formedness, with a useful message
    if str(root.tag).rsplit("}", 1)[-1] != "gpx":
        raise XmlActivityError(
            f"root element is <{str(root.tag).rsplit('}', 1)[-1]}>, not <gpx>",
            path=name,
            hint="This is not a GPX file",
        )
    try:
        document = gpxpy.parse(data.decode("utf-8", errors="replace"))
    except gpxpy.gpx.GPXException as exc:
        raise XmlActivityError(
            f"invalid GPX: {exc}", path=name, hint="Export the activity again"
        ) from None
    sessions: list[Session] = []
    decisions: list[CadenceDecision] = []
    for track in document.tracks:
        if not any(segment.points for segment in track.segments):
            continue
        session, decision = _session(track, name)
        sessions.append(session)
        if decision is not None:
            decisions.append(decision)
    if not sessions:
        raise EmptyActivityError(
            "the GPX file holds no track points", path=name, hint="Nothing to analyse"
        )
    metadata: dict[str, SummaryValue] = {"distance_source": "haversine from positions"}
    if decisions:
        metadata["cadence_convention"] = decisions[0].convention.value
        metadata["cadence_convention_reason"] = decisions[0].reason
    return Activity(
        format=FileFormat.GPX,
        sessions=tuple(sessions),
        content_sha256=sha256 or content_sha256(data),
        source_path=name,
        device=document.creator,
        metadata=metadata,
    )


def read_gpx(path: str) -> Activity:
    """Read a GPX file from disk."""
    with open(path, "rb") as handle:
        return read_gpx_bytes(handle.read(), path)
