"""The web plan form parses through plans.parse and units, as the command line does
(issue 8 §3: parsing in one place)."""

from __future__ import annotations

import datetime as dt

import pytest

from stridelab.errors import InputError, UnitParseError
from stridelab.plans.parse import parse_date, plan_request_from_form
from stridelab.units import M_PER_MILE, DistanceUnit, parse_number

TODAY = dt.date(2027, 1, 6)  # a Wednesday

FORM = {
    "goal": "10k",
    "race_date": "2027-04-18",
    "days_per_week": "4",
    "current_weekly": "25,5",
    "recent_distance": "5k",
    "recent_time": "24:30",
}


def test_form_gives_the_request_the_cli_would() -> None:
    request = plan_request_from_form({**FORM, "age": "56", "returning": "on"}, TODAY)
    assert request.current_weekly_m == pytest.approx(25_500.0)  # decimal comma
    assert request.start_date == dt.date(2027, 1, 4)  # this week's Monday
    assert request.race_date == dt.date(2027, 4, 18)
    assert request.days_per_week == 4
    assert request.age_years == 56 and request.returning
    assert request.goal_time_s is None
    miles = plan_request_from_form({**FORM, "current_weekly": "20"}, TODAY, DistanceUnit.MI)
    assert miles.current_weekly_m == pytest.approx(20 * M_PER_MILE)


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("current_weekly", "nan", "weekly volume"),
        ("current_weekly", "1e400", "weekly volume"),
        ("current_weekly", "lots", "weekly volume"),
        ("days_per_week", "4.5", "whole number"),
        ("race_date", "2027-02-30", "race date"),
        ("race_date", "0001-01-01", "race date"),
        ("age", "fifty", "age"),
        ("recent_time", "24:3x", "time"),
    ],
)
def test_bad_form_fields_say_what_is_wrong(field: str, value: str, words: str) -> None:
    with pytest.raises(InputError, match=words) as info:
        plan_request_from_form({**FORM, field: value}, TODAY)
    assert info.value.hint


@pytest.mark.parametrize(("text", "value"), [("25", 25.0), (" 25,5 ", 25.5), ("-3.25", -3.25)])
def test_parse_number_reads_decimal_commas(text: str, value: float) -> None:
    assert parse_number(text, "volume") == value


@pytest.mark.parametrize("text", ["nan", "inf", "-inf", "1e400", "", "1,2,3"])
def test_parse_number_refuses_non_finite_and_non_numbers(text: str) -> None:
    with pytest.raises(UnitParseError, match="volume"):
        parse_number(text, "volume")


def test_plan_dates_parse_through_units_with_its_range() -> None:
    assert parse_date("2027-04-18") == dt.date(2027, 4, 18)
    with pytest.raises(UnitParseError, match="start date"):
        parse_date("9999-12-31", "start date")
