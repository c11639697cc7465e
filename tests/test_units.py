from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stridelab.errors import StridelabError, UnitParseError
from stridelab.units import (
    RACE_DISTANCES_M,
    DistanceUnit,
    distance_label,
    format_duration,
    format_pace,
    km_per_h_from_speed,
    pace_s_per_km_from_speed,
    pace_s_per_km_from_time,
    parse_distance_m,
    parse_duration_s,
    parse_pace_s_per_km,
    speed_from_pace_s_per_km,
)


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("25:30", 1530), ("1:32:10", 5530), ("45min", 2700), ("1h20m", 4800), ("90s", 90)],
)
def test_parse_duration(text: str, seconds: float) -> None:
    assert parse_duration_s(text) == seconds


@pytest.mark.parametrize(
    ("text", "metres"),
    [
        ("5k", 5000),
        ("10K", 10000),
        ("half", 21097.5),
        ("Half-Marathon", 21097.5),
        ("marathon", 42195),
        ("1500m", 1500),
        ("8000", 8000),
        ("3 mi", 3 * 1609.344),
    ],
)
def test_parse_distance(text: str, metres: float) -> None:
    assert parse_distance_m(text) == pytest.approx(metres)


@pytest.mark.parametrize("text", ["", "abc", "25:3x", "1:75", "0:00", "-5:00"])
def test_bad_durations_raise_a_typed_error_with_advice(text: str) -> None:
    with pytest.raises(UnitParseError, match="Write it like"):
        parse_duration_s(text)


@pytest.mark.parametrize("text", ["", "5 parsecs", "0k", "fast"])
def test_bad_distances_raise(text: str) -> None:
    with pytest.raises(StridelabError):
        parse_distance_m(text)


@given(st.integers(min_value=1, max_value=20 * 3600))
def test_duration_round_trip(seconds: int) -> None:
    assert parse_duration_s(format_duration(seconds)) == seconds


@given(st.integers(min_value=120, max_value=20 * 60))
def test_pace_round_trip_km(pace: int) -> None:
    assert parse_pace_s_per_km(format_pace(pace)) == pace


@given(st.floats(min_value=150, max_value=1000))
def test_pace_round_trip_miles_within_a_second(pace: float) -> None:
    text = format_pace(pace, DistanceUnit.MI)
    assert abs(parse_pace_s_per_km(text) - pace) <= 0.5


def test_race_labels_round_trip() -> None:
    for name, metres in RACE_DISTANCES_M.items():
        assert distance_label(metres) == name
        assert parse_distance_m(name) == metres


def test_parse_local_datetime() -> None:
    from datetime import timedelta

    from stridelab.units import parse_local_datetime

    aware = parse_local_datetime("2027-04-18T09:00+02:00")
    assert aware.utcoffset() == timedelta(hours=2) and aware.hour == 9
    naive = parse_local_datetime("2027-04-18T09:00")
    assert naive.tzinfo is not None and naive.hour == 9
    with pytest.raises(UnitParseError, match="2027-04-18T09:00"):
        parse_local_datetime("18/04/2027 9am")


@given(st.floats(min_value=1.0, max_value=30_000.0), st.floats(min_value=100.0, max_value=50_000.0))
def test_pace_from_time_agrees_with_pace_from_speed(duration_s: float, distance_m: float) -> None:
    from_time = pace_s_per_km_from_time(duration_s, distance_m)
    from_speed = pace_s_per_km_from_speed(distance_m / duration_s)
    assert from_time == pytest.approx(from_speed, rel=1e-12)


def test_km_per_h_from_speed() -> None:
    assert km_per_h_from_speed(speed_from_pace_s_per_km(360.0)) == pytest.approx(10.0)
