"""GPX reader (streamed with lxml), with the heart-rate and cadence extensions watches write.

Each ``<trk>`` becomes a :class:`Session` (segments are joined; no distance is counted
across a segment break, since a break is a pause). Extension channels are matched by
local name, which covers Garmin's TrackPointExtension (``hr``, ``cad``, ``atemp``,
``speed``), Suunto/Movescount's ``gpxdata`` (``hr``, ``cadence``, ``temp``) and the
plain ``heartrate``/``cadence``/``power`` elements other apps write.

GPX carries no distance: it is computed from the positions (haversine on a sphere).
Cadence convention: Garmin writes running ``cad`` in strides/min, some apps in
steps/min; the reader decides from the moving median and records the decision in
``Activity.metadata["cadence_convention"]`` (never silently).

The document is streamed (:func:`~stridelab.activities.readers.xml_stream.stream`), one
``<trkpt>`` at a time, so memory holds the sample columns, not the tree; elements are
matched by local name, so GPX 1.0 and 1.1 read alike (what gpxpy did, in three trees).
"""

from __future__ import annotations

import math
from datetime import UTC, datetime
from typing import Final

import numpy as np
from lxml import etree

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
    parse_time,
)
from stridelab.activities.readers.limits import read_file_bytes
from stridelab.activities.readers.xml_stream import finite, local, stream
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


#: Elements dropped once read: memory stays bounded by one track point.
_UNITS: Final = frozenset({"trkpt", "trkseg", "trk", "wpt", "rte"})


def _extension_values(extensions: etree._Element) -> dict[str, float]:
    values: dict[str, float] = {}
    for extension in extensions:
        for element in extension.iter():
            channel = _EXTENSION_FIELDS.get(local(element.tag).lower())
            if channel is None or element.text is None:
                continue
            try:
                values[channel] = float(element.text.strip())
            except ValueError:
                continue
    return values


def _point(point: etree._Element, name: str) -> tuple[float, dict[str, float]] | None:
    """A ``<trkpt>`` as (POSIX time, channel values); None when it has no time."""
    time_text: str | None = None
    elevation: float | None = None
    values: dict[str, float] = {}
    for child in point:
        key = local(child.tag)
        if key == "time":
            time_text = child.text
        elif key == "ele":
            elevation = finite(child.text, "track point <ele>", name)
        elif key == "extensions":
            values.update(_extension_values(child))
    if time_text is None or not time_text.strip():
        return None
    try:
        stamp = parse_time(time_text).timestamp()
    except ValueError:
        raise XmlActivityError(
            f"track point time {time_text.strip()!r} is not ISO-8601 (with an offset under 24 h)",
            path=name,
            hint="Export the activity again",
        ) from None
    position = {
        "latitude_deg": finite(point.get("lat"), "track point lat", name),
        "longitude_deg": finite(point.get("lon"), "track point lon", name),
    }
    if position["latitude_deg"] is None or position["longitude_deg"] is None:
        raise XmlActivityError(
            "a track point has no valid lat/lon", path=name, hint="Export the activity again"
        )
    out: dict[str, float] = {k: float(v) for k, v in position.items() if v is not None}
    out["altitude_m"] = math.nan if elevation is None else elevation
    out.update(values)
    return stamp, out


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


def _session(
    sport: str, builder: ColumnBuilder, breaks: list[int], name: str
) -> tuple[Session, CadenceDecision | None]:
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


class _Track:
    """What one ``<trk>`` has read so far."""

    def __init__(self) -> None:
        self.builder = ColumnBuilder()
        self.breaks: list[int] = []
        self.points = 0  # with or without a time
        self.type: str | None = None


def read_gpx_bytes(data: bytes, name: str = "<bytes>", *, sha256: str | None = None) -> Activity:
    """Decode a GPX document into an :class:`Activity` (one session per ``<trk>``)."""
    sessions: list[Session] = []
    decisions: list[CadenceDecision] = []
    creator: str | None = None
    track: _Track | None = None
    for event, element, tag in stream(data, name, "GPX", "gpx", _UNITS):
        if event == "start":
            if tag == "gpx":
                creator = element.get("creator")
            elif tag == "trk":
                track = _Track()
            elif tag == "trkseg" and track is not None:
                track.breaks.append(len(track.builder))
            continue
        if track is None:
            continue
        if tag == "trkpt":
            track.points += 1
            point = _point(element, name)
            if point is not None:
                track.builder.add(*point)
        elif (
            tag == "type"
            and element.getparent() is not None
            and local(
                element.getparent().tag  # type: ignore[union-attr]
            )
            == "trk"
        ):
            track.type = (element.text or "").strip() or None
        elif tag == "trk":
            if track.points:
                session, decision = _session(
                    normalise_sport(track.type), track.builder, track.breaks, name
                )
                sessions.append(session)
                if decision is not None:
                    decisions.append(decision)
            track = None
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
        device=creator,
        metadata=metadata,
    )


def read_gpx(path: str) -> Activity:
    """Read a GPX file from disk."""
    return read_gpx_bytes(read_file_bytes(path), path)
