"""Text → :class:`PlanRequest`: the words a runner types (``5k=24:30``, ``mon,wed``, dates).

Quantities go through :mod:`stridelab.units`; this module only splits and names.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Final

from stridelab import units
from stridelab.errors import InputError
from stridelab.plans.beginner import C25K_RUNS_PER_WEEK, BeginnerRequest
from stridelab.plans.model import (
    AGE_YEARS_RANGE,
    MAX_WEEKLY_RAMP,
    PlanRequest,
    RecentRace,
    Weekday,
)
from stridelab.units import (
    M_PER_KM,
    DistanceUnit,
    metres_per_unit,
    parse_distance_m,
    parse_duration_s,
)

__all__ = [
    "beginner_request",
    "parse_age",
    "parse_date",
    "parse_flag",
    "parse_recent_race",
    "parse_weekday",
    "parse_weekdays",
    "plan_request",
    "plan_request_from_form",
]

_WEEKDAYS: Final[dict[str, Weekday]] = {
    name: day
    for day in Weekday
    for name in (
        day.name.lower(),
        dt.date(2024, 1, 1 + int(day)).strftime("%A").lower(),  # 2024-01-01 was a Monday
    )
}


def parse_date(text: str, what: str = "date") -> dt.date:
    """``2027-04-18`` → a date (:func:`stridelab.units.parse_date`: the valid range too)."""
    return units.parse_date(text, what)


def parse_weekday(text: str) -> Weekday:
    """``sun``, ``Sunday`` → :attr:`Weekday.SUN`."""
    key = text.strip().lower()
    if key not in _WEEKDAYS:
        raise InputError(
            f"{text!r} is not a weekday", hint="Use mon, tue, wed, thu, fri, sat or sun."
        )
    return _WEEKDAYS[key]


def parse_weekdays(text: str | None) -> frozenset[Weekday]:
    """``mon,wed`` → {MON, WED}; empty or ``None`` → no days."""
    if not text:
        return frozenset()
    return frozenset(parse_weekday(part) for part in text.split(",") if part.strip())


def parse_recent_race(text: str) -> RecentRace:
    """``5k=24:30`` (distance=time) → :class:`RecentRace`."""
    distance, sep, time = text.partition("=")
    if not sep:
        raise InputError(
            f"{text!r} is not a race result", hint="Write it as distance=time, e.g. 5k=24:30."
        )
    return RecentRace(parse_distance_m(distance), parse_duration_s(time))


def parse_age(text: str | None) -> int | None:
    """``52`` → 52 (whole years, :data:`~stridelab.plans.model.AGE_YEARS_RANGE`); empty or
    ``None`` → not given."""
    if text is None or not text.strip():
        return None
    number = units.parse_number(text, "age in whole years", "52")
    if number.is_integer():
        return int(AGE_YEARS_RANGE.check(int(number), "age"))
    raise AGE_YEARS_RANGE.refusal("age", text.strip())


def parse_flag(text: str | None) -> bool:
    """A form's yes/no field: ``1``, ``yes``, ``true``, ``on`` → True; anything else False."""
    return (text or "").strip().lower() in ("1", "yes", "true", "on")


def plan_request(
    *,
    goal: str,
    race_date: str,
    days_per_week: int,
    current_weekly_km: float,
    recent: str | None = None,
    vdot: float | None = None,
    goal_time: str | None = None,
    start: str | None = None,
    long_run_day: str = "sun",
    unavailable: str | None = None,
    max_ramp: float = MAX_WEEKLY_RAMP,
    long_run_km: float | None = None,
    current_quality: int = 0,
    age: int | None = None,
    returning: bool = False,
) -> PlanRequest:
    """A validated :class:`PlanRequest` from command-line style text."""
    return PlanRequest(
        goal_distance_m=parse_distance_m(goal),
        race_date=parse_date(race_date, "race date"),
        days_per_week=days_per_week,
        current_weekly_m=current_weekly_km * M_PER_KM,
        recent_race=None if recent is None else parse_recent_race(recent),
        vdot=vdot,
        goal_time_s=None if goal_time is None else parse_duration_s(goal_time),
        start_date=None if start is None else parse_date(start, "start date"),
        long_run_weekday=parse_weekday(long_run_day),
        unavailable_weekdays=parse_weekdays(unavailable),
        max_weekly_ramp=max_ramp,
        recent_long_run_m=None if long_run_km is None else long_run_km * M_PER_KM,
        current_quality_per_week=current_quality,
        age_years=age,
        returning=returning,
    )


def beginner_request(
    *,
    can_run_minutes: float,
    goal: str | None = None,
    days_per_week: int | None = None,
    start: str | None = None,
    long_run_day: str = "sun",
    unavailable: str | None = None,
    also_given: list[str] | None = None,
) -> BeginnerRequest:
    """A validated :class:`BeginnerRequest`; refuses race options that it would ignore.

    ``also_given`` names the options given with ``--can-run-minutes`` that a Couch to 5K
    plan cannot use (a race date, fitness, volume): silently ignoring them would mislead.
    """
    if also_given:
        raise InputError(
            f"--can-run-minutes gives a Couch to 5K plan, which does not use "
            f"{', '.join(also_given)}",
            hint="Leave those out, or drop --can-run-minutes for a race plan.",
        )
    if goal is not None and abs(parse_distance_m(goal) - 5_000.0) > 1.0:
        raise InputError(
            f"--can-run-minutes plans Couch to 5K; --goal {goal} is not a 5K",
            hint="Leave out --goal (or give 5k); after its 5K time trial, plan the longer race.",
        )
    if days_per_week is not None and days_per_week != C25K_RUNS_PER_WEEK:
        raise InputError(
            f"Couch to 5K runs {C25K_RUNS_PER_WEEK} days a week with rest days between, "
            f"not {days_per_week}",
            hint=f"Leave out --days-per-week (or give {C25K_RUNS_PER_WEEK}).",
        )
    return BeginnerRequest(
        can_run_minutes=can_run_minutes,
        start_date=None if start is None else parse_date(start, "start date"),
        long_run_weekday=parse_weekday(long_run_day),
        unavailable_weekdays=parse_weekdays(unavailable),
    )


def _whole(text: str, what: str, example: str) -> int:
    number = units.parse_number(text, what, example)
    if not number.is_integer():
        raise InputError(
            f"{what.capitalize()} {text.strip()!r} is not a whole number",
            hint=f"Give a whole number, e.g. {example}.",
        )
    return int(number)


def plan_request_from_form(
    fields: Mapping[str, str], today: dt.date, unit: DistanceUnit = DistanceUnit.KM
) -> PlanRequest:
    """A :class:`PlanRequest` from the web Plan page's form (text in the athlete's units),
    parsed as the command line parses its options.

    Fields: ``goal`` (5k, 10k, half, marathon, 15k…), ``race_date`` (YYYY-MM-DD),
    ``days_per_week``, ``current_weekly`` (km or mi a week; a decimal comma is fine),
    ``recent_distance`` and ``recent_time`` (a recent race, e.g. 5k and 24:30), optional
    ``goal_time``, ``age`` and ``returning``. The plan starts this week's Monday (so
    "regenerate from today" keeps today in the plan).
    """
    goal_time = fields.get("goal_time", "").strip()
    weekly = units.parse_number(fields.get("current_weekly", ""), "weekly volume", "25")
    return PlanRequest(
        goal_distance_m=parse_distance_m(fields.get("goal", "10k")),
        race_date=parse_date(fields.get("race_date", ""), "race date"),
        days_per_week=_whole(fields.get("days_per_week", "4"), "days per week", "4"),
        current_weekly_m=weekly * metres_per_unit(unit),
        recent_race=RecentRace(
            parse_distance_m(fields.get("recent_distance", "5k")),
            parse_duration_s(fields.get("recent_time", "")),
        ),
        goal_time_s=parse_duration_s(goal_time) if goal_time else None,
        start_date=today - dt.timedelta(days=today.weekday()),
        age_years=parse_age(fields.get("age")),
        returning=parse_flag(fields.get("returning")),
    )
