"""Hostile TCX/GPX input from the audit: a clear ``XmlActivityError``, never a crash.

Each file is one written by the project's own writers with one value made hostile.
"""

from __future__ import annotations

import re

import pytest

from activity_writers import synthetic_run, write_gpx, write_tcx
from stridelab.activities.readers import read_activity_bytes
from stridelab.errors import XmlActivityError

RUN = synthetic_run(seconds=120)


def _first_time(data: bytes, tag: bytes, replacement: bytes) -> bytes:
    """``data`` with the first ``<tag>…</tag>`` holding ``replacement``."""
    pattern = re.compile(b"<" + tag + b">[^<]*</" + tag + b">")
    return pattern.sub(b"<" + tag + b">" + replacement + b"</" + tag + b">", data, count=1)


def _first_point_time(data: bytes, text: bytes) -> bytes:
    return re.sub(rb"(<trkpt[^>]*><ele>[^<]*</ele><time>)[^<]*", rb"\g<1>" + text, data, count=1)


@pytest.mark.parametrize("offset", [b"+24:00", b"-24:00", b"+25:30", b"-99:00"])
def test_gpx_time_offset_of_24_hours_or_more_is_a_clear_error(offset: bytes) -> None:
    data = _first_point_time(write_gpx(RUN), b"2024-05-04T07:30:00" + offset)
    with pytest.raises(XmlActivityError, match="offset under 24 h"):
        read_activity_bytes(data, "offset.gpx")


def test_gpx_time_offset_under_24_hours_is_read_as_utc() -> None:
    data = _first_point_time(write_gpx(RUN), b"2024-05-04T09:29:59+02:00")
    activity = read_activity_bytes(data, "offset.gpx")
    assert activity.sessions[0].start.isoformat() == "2024-05-04T07:29:59+00:00"


@pytest.mark.parametrize("value", [b"inf", b"-inf", b"nan", b"NaN", b"Infinity"])
def test_tcx_distance_that_is_not_finite_is_a_clear_error(value: bytes) -> None:
    tcx = write_tcx(RUN)
    at = tcx.index(b"<Trackpoint>")
    hostile = tcx[:at] + _first_time(tcx[at:], b"DistanceMeters", value)
    with pytest.raises(XmlActivityError, match=r"trackpoint DistanceMeters is '.+', not a finite"):
        read_activity_bytes(hostile, "inf.tcx")


def test_tcx_lap_distance_that_is_not_finite_is_a_clear_error() -> None:
    hostile = _first_time(write_tcx(RUN), b"DistanceMeters", b"inf")  # the lap's, first
    with pytest.raises(XmlActivityError, match="lap DistanceMeters is 'inf', not a finite"):
        read_activity_bytes(hostile, "inf.tcx")


def test_gpx_elevation_that_is_not_finite_is_a_clear_error() -> None:
    hostile = _first_time(write_gpx(RUN), b"ele", b"nan")
    with pytest.raises(XmlActivityError, match="<ele> is 'nan'"):
        read_activity_bytes(hostile, "nan.gpx")


def test_a_dtd_is_refused_before_any_entity_is_expanded() -> None:
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE gpx [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><gpx>&b;</gpx>'
    )
    with pytest.raises(XmlActivityError, match="declares a DTD"):
        read_activity_bytes(bomb, "bomb.gpx")
