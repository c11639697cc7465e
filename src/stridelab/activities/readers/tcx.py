"""TCX (Garmin Training Center XML) reader.

Each ``<Activity>`` becomes a :class:`Session`, each ``<Lap>`` a :class:`Lap` whose
summary (``TotalTimeSeconds``, ``DistanceMeters``, ``Calories``, heart rate, cadence)
is kept as that lap's ``device_summary``. Trackpoint channels: time, position,
altitude, distance, heart rate, Garmin's ActivityExtension ``TPX`` (``Speed``,
``RunCadence``, ``Watts``) and the plain ``Cadence`` element that Polar and phone
apps write.

Cadence units: ``TPX/RunCadence`` is strides per minute (Garmin), so it is doubled.
The plain ``Cadence`` element has no fixed convention for running; the reader decides
from the value distribution (:func:`decide_cadence_convention`) and records the
decision in ``Activity.metadata["cadence_convention"]``.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Final

import numpy as np
from lxml import etree

from stridelab.activities.model import (
    Activity,
    FileFormat,
    FloatArray,
    Lap,
    Session,
    SummaryValue,
    content_sha256,
)
from stridelab.activities.readers.columns import (
    CadenceConvention,
    CadenceDecision,
    ColumnBuilder,
    decide_cadence_convention,
    normalise_sport,
    parse_time,
)
from stridelab.activities.readers.limits import read_file_bytes
from stridelab.activities.readers.xml_stream import finite, stream
from stridelab.activities.readers.xml_stream import local as _local
from stridelab.errors import EmptyActivityError, XmlActivityError

__all__ = ["TCX_NAMESPACE", "read_tcx", "read_tcx_bytes"]

TCX_NAMESPACE: Final = "http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2"
_ACTIVITY: Final = f"{{{TCX_NAMESPACE}}}Activity"
_LAP: Final = f"{{{TCX_NAMESPACE}}}Lap"
_TRACKPOINT: Final = f"{{{TCX_NAMESPACE}}}Trackpoint"
_CREATOR: Final = f"{{{TCX_NAMESPACE}}}Creator"
#: Elements dropped once read: memory stays bounded by one lap's summary.
_UNITS: Final = frozenset({"Trackpoint", "Lap", "Activity", "Creator"})
#: A lap as read: (StartTime text, first sample, end sample, its own summary).
_LapBound = tuple[str, int, int, dict[str, SummaryValue]]

#: Trackpoint element (local name) → Samples channel.
_POINT_FIELDS: Final[dict[str, str]] = {
    "AltitudeMeters": "altitude_m",
    "DistanceMeters": "distance_m",
    "LatitudeDegrees": "latitude_deg",
    "LongitudeDegrees": "longitude_deg",
    "Speed": "speed_m_s",
    "Watts": "power_w",
    "RunCadence": "run_cadence",
    "Cadence": "cadence",
}
#: Lap summary element → device_summary key (the keys metrics report).
_LAP_FIELDS: Final[dict[str, str]] = {
    "TotalTimeSeconds": "timer_time_s",
    "DistanceMeters": "distance_m",
    "MaximumSpeed": "max_speed_m_s",
    "Calories": "calories_kcal",
    "AvgSpeed": "avg_speed_m_s",
    "AvgWatts": "avg_power_w",
    "MaxWatts": "max_power_w",
}


def _lap_summary(lap: etree._Element, name: str) -> dict[str, SummaryValue]:
    """A ``<Lap>``'s own summary: its direct children and its ``Extensions/LX``."""

    def _float(text: str | None, what: str = "") -> float | None:
        return finite(text, f"lap {what or 'value'}", name)

    summary: dict[str, SummaryValue] = {}
    children = [c for c in lap if isinstance(c.tag, str)]
    for extension in lap.findall(f"{{{TCX_NAMESPACE}}}Extensions"):
        for lx in extension:
            children.extend(c for c in lx if isinstance(c.tag, str))
    for child in children:
        key = _local(child.tag)
        if key in _LAP_FIELDS:
            value = _float(child.text, key)
            if value is not None:
                summary[_LAP_FIELDS[key]] = value
        elif key == "AverageHeartRateBpm":
            summary["avg_hr_bpm"] = _float(child.findtext(f"{{{TCX_NAMESPACE}}}Value"))
        elif key == "MaximumHeartRateBpm":
            summary["max_hr_bpm"] = _float(child.findtext(f"{{{TCX_NAMESPACE}}}Value"))
        elif key in ("AvgRunCadence", "MaxRunCadence"):
            value = _float(child.text)
            out = "avg_cadence_spm" if key.startswith("Avg") else "max_cadence_spm"
            summary[out] = None if value is None else 2 * value
        elif key == "Cadence":
            summary["cadence_recorded"] = _float(child.text)
        elif key in ("Intensity", "TriggerMethod"):
            summary[key.lower()] = (child.text or "").strip()
    return summary


def _add_point(point: etree._Element, builder: ColumnBuilder, name: str) -> None:
    """One ``<Trackpoint>`` into ``builder`` (skipped when it has no time)."""
    time_text = None
    values: dict[str, float] = {}
    for child in point.iter():
        key = _local(child.tag)
        if key == "Time":
            time_text = child.text
        elif key in _POINT_FIELDS:
            number = finite(child.text, f"trackpoint {key}", name)
            if number is not None:
                values[_POINT_FIELDS[key]] = number
        elif key == "HeartRateBpm":
            text = child.findtext(f"{{{TCX_NAMESPACE}}}Value")
            number = finite(text, "trackpoint HeartRateBpm", name)
            if number is not None:
                values["heart_rate_bpm"] = number
    if time_text is None:
        return
    try:
        stamp = parse_time(time_text).timestamp()
    except ValueError:
        raise XmlActivityError(
            f"trackpoint time {time_text.strip()!r} is not ISO-8601 (with an offset under 24 h)",
            path=name,
            hint="Export the activity again",
        ) from None
    builder.add(stamp, values)


def _session(
    sport: str, builder: ColumnBuilder, lap_bounds: list[_LapBound], name: str
) -> tuple[Session, CadenceDecision | None]:
    if len(builder) == 0:
        raise EmptyActivityError(
            "the TCX activity has no trackpoints with a time", path=name, hint="Nothing to analyse"
        )
    cadence, decision = _cadence(builder, sport)
    samples = builder.samples(cadence_spm=cadence)
    if np.any(np.diff(samples.timestamp_s) < 0):
        raise XmlActivityError(
            "trackpoints are not in time order", path=name, hint="Export the activity again"
        )
    last = len(samples) - 1
    laps = tuple(
        Lap(
            start=_start(text, samples.timestamp_s[min(lo, last)]),
            start_index=lo,
            end_index=hi,
            device_summary=summary,
        )
        for text, lo, hi, summary in lap_bounds
    )
    session = Session(
        sport=sport,
        start=laps[0].start if laps else _utc(samples.timestamp_s[0]),
        samples=samples,
        laps=laps,
        device_summary=_session_summary([lap.device_summary for lap in laps]),
    )
    return session, decision


def _utc(timestamp_s: float) -> datetime:
    return datetime.fromtimestamp(float(timestamp_s), UTC)


def _start(text: str, first_sample_s: float) -> datetime:
    """A lap's ``StartTime``; a missing or unreadable one falls back to its first sample."""
    try:
        return parse_time(text)
    except ValueError:
        return _utc(first_sample_s)


def _cadence(
    builder: ColumnBuilder, sport: str
) -> tuple[FloatArray | None, CadenceDecision | None]:
    run_cadence = builder.column("run_cadence")
    if run_cadence is not None:
        decision = CadenceDecision(
            CadenceConvention.STRIDES_PER_MIN, 2.0, "TCX TPX/RunCadence is strides/min", None
        )
        return run_cadence * 2.0, decision
    cadence = builder.column("cadence")
    if cadence is None:
        return None, None
    decision = decide_cadence_convention(cadence, sport)
    return cadence * decision.factor, decision


def _session_summary(laps: list[Mapping[str, SummaryValue]]) -> dict[str, SummaryValue]:
    """The session as the device summarised it: sums and extremes over its laps."""
    summary: dict[str, SummaryValue] = {}
    for key in ("timer_time_s", "distance_m", "calories_kcal"):
        sums = [float(v) for lap in laps if isinstance(v := lap.get(key), int | float)]
        if sums and len(sums) == len(laps):
            summary[key] = sum(sums)
    for key in ("max_hr_bpm", "max_speed_m_s", "max_cadence_spm"):
        peaks = [float(v) for lap in laps if isinstance(v := lap.get(key), int | float)]
        if peaks:
            summary[key] = max(peaks)
    weighted = [
        (float(hr), float(t))
        for lap in laps
        if isinstance(hr := lap.get("avg_hr_bpm"), int | float)
        and isinstance(t := lap.get("timer_time_s"), int | float)
    ]
    total = sum(t for _, t in weighted)
    if weighted and total > 0 and len(weighted) == len(laps):
        summary["avg_hr_bpm"] = sum(hr * t for hr, t in weighted) / total
    return summary


def read_tcx_bytes(data: bytes, name: str = "<bytes>", *, sha256: str | None = None) -> Activity:
    """Decode a TCX document into an :class:`Activity` (one session per ``<Activity>``).

    Streamed (:func:`~stridelab.activities.readers.xml_stream.stream`): each trackpoint
    is read and dropped, so memory holds the sample columns, not the XML tree.
    """
    sessions: list[Session] = []
    decisions: list[CadenceDecision] = []
    creator: str | None = None
    sport = "generic"
    builder = ColumnBuilder()
    lap_bounds: list[_LapBound] = []
    lap_first: int | None = None  # set inside a <Lap> of an <Activity>
    lap_start = ""
    in_activity = False
    for event, element, _tag in stream(data, name, "TCX", "TrainingCenterDatabase", _UNITS):
        tag = element.tag
        if event == "start":
            if tag == _ACTIVITY:
                sport = normalise_sport(element.get("Sport"))
                builder, lap_bounds, in_activity = ColumnBuilder(), [], True
            elif tag == _LAP and in_activity:
                lap_first, lap_start = len(builder), element.get("StartTime") or ""
            continue
        if tag == _TRACKPOINT and lap_first is not None:
            _add_point(element, builder, name)
        elif tag == _LAP and lap_first is not None:
            lap_bounds.append((lap_start, lap_first, len(builder), _lap_summary(element, name)))
            lap_first = None
        elif tag == _CREATOR and creator is None:
            creator = element.findtext(f"{{{TCX_NAMESPACE}}}Name")
        elif tag == _ACTIVITY:
            in_activity = False
            session, decision = _session(sport, builder, lap_bounds, name)
            sessions.append(session)
            if decision is not None:
                decisions.append(decision)
    if not sessions:
        raise EmptyActivityError(
            "the TCX file holds no <Activity>", path=name, hint="Nothing to analyse"
        )
    metadata: dict[str, SummaryValue] = {}
    if decisions:
        metadata["cadence_convention"] = decisions[0].convention.value
        metadata["cadence_convention_reason"] = decisions[0].reason
    return Activity(
        format=FileFormat.TCX,
        sessions=tuple(sessions),
        content_sha256=sha256 or content_sha256(data),
        source_path=name,
        device=creator.strip() if creator else None,
        metadata=metadata,
    )


def read_tcx(path: str) -> Activity:
    """Read a TCX file from disk."""
    return read_tcx_bytes(read_file_bytes(path), path)
