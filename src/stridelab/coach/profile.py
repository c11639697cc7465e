"""The athlete profile: body mass, height, heart rates, threshold, age, display units.

Stored per athlete as JSON in ``coach_profiles``; SI inside, converted at the edges
by :mod:`stridelab.units`. Ranges are wide enough for any adult runner and narrow
enough to catch a typo (a body mass of 7 kg, a max HR below the resting HR). The age is
optional (whole years, :data:`~stridelab.plans.model.AGE_YEARS_RANGE`): it gives Tanaka's
max HR when no max HR is set or measured, and the plan's masters recovery.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass, replace
from typing import Any, Final
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from stridelab.coach.db import COACH_MIGRATIONS, utc_now_iso
from stridelab.errors import InputError
from stridelab.plans.model import AGE_YEARS_RANGE
from stridelab.plans.parse import parse_age
from stridelab.store.database import Database
from stridelab.store.trends import DEFAULT_THRESHOLD_PACE_S_PER_KM
from stridelab.units import (
    M_PER_KM,
    M_PER_MILE,
    DistanceUnit,
    format_pace,
    kg_from_lb,
    lb_from_kg,
    parse_number,
    parse_pace_s_per_km,
)

__all__ = [
    "DEFAULT_PROFILE",
    "PROFILE_RANGES",
    "AthleteProfile",
    "load_profile",
    "profile_from_form",
    "save_profile",
]


@dataclass(frozen=True)
class AthleteProfile:
    """What the coach needs to know about a runner (SI units)."""

    name: str = "Runner"
    body_mass_kg: float = 70.0
    height_m: float = 1.75
    max_hr_bpm: float = 190.0
    resting_hr_bpm: float = 55.0
    threshold_hr_bpm: float = 170.0
    threshold_pace_s_per_km: float = DEFAULT_THRESHOLD_PACE_S_PER_KM
    units: DistanceUnit = DistanceUnit.KM
    #: IANA time zone (``Europe/Oslo``) that decides which calendar day a run belongs to;
    #: empty: this computer's zone (the app normally runs on the runner's own machine).
    timezone: str = ""
    #: Whole years, or ``None`` when not given.
    age_years: int | None = None

    @property
    def zone(self) -> dt.tzinfo | None:
        """The runner's zone (``None``: this computer's local zone)."""
        return _zone(self.timezone) if self.timezone else None

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form, with the threshold pace also formatted in the display unit."""
        data = asdict(self)
        data["units"] = self.units.value
        data["threshold_pace"] = format_pace(self.threshold_pace_s_per_km, self.units)
        return data


#: The profile of a new athlete until they fill in their own.
DEFAULT_PROFILE: Final = AthleteProfile()

#: Accepted ranges (inclusive) for each numeric field, in SI units.
PROFILE_RANGES: Final[dict[str, tuple[float, float]]] = {
    "body_mass_kg": (25.0, 250.0),
    "height_m": (1.0, 2.5),
    "max_hr_bpm": (100.0, 230.0),
    "resting_hr_bpm": (25.0, 120.0),
    "threshold_hr_bpm": (90.0, 225.0),
    "threshold_pace_s_per_km": (120.0, 900.0),
}


def _zone(name: str) -> dt.tzinfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise InputError(
            f"time zone {name!r} is not an IANA zone name",
            hint="Use a name like Europe/Oslo or America/Denver, or leave it empty.",
        ) from None


def _validated(profile: AthleteProfile) -> AthleteProfile:
    for name, (low, high) in PROFILE_RANGES.items():
        value = getattr(profile, name)
        if not low <= value <= high:
            raise InputError(
                f"{name} = {value:g} is outside {low:g}–{high:g}",
                hint="Check the number and its unit.",
            )
    if not profile.resting_hr_bpm < profile.threshold_hr_bpm <= profile.max_hr_bpm:
        raise InputError(
            "heart rates must satisfy resting < threshold ≤ max",
            hint="Enter your resting, threshold and maximum heart rate in that order.",
        )
    if profile.timezone:
        _zone(profile.timezone)
    if profile.age_years is not None:
        AGE_YEARS_RANGE.check(profile.age_years, "age")
    name = profile.name.strip()
    if not 0 < len(name) <= 80:
        raise InputError("the name must be 1–80 characters", hint="Type a shorter name.")
    return replace(profile, name=name)


def _number(fields: Mapping[str, str], key: str, default: float) -> float:
    text = fields.get(key, "").strip()
    if not text:
        return default
    what = key.replace("_bpm", " in bpm").replace("_cm", " in cm").replace("_", " ")
    return parse_number(text, what, "70.5")


def _age(fields: Mapping[str, str], current: int | None) -> int | None:
    if "age_years" not in fields:
        return current
    return parse_age(fields["age_years"])  # empty clears it


def profile_from_form(fields: Mapping[str, str], current: AthleteProfile) -> AthleteProfile:
    """Build a profile from form fields in display units; empty fields keep ``current``.

    Fields: ``name``, ``units`` (km|mi), ``body_mass`` (kg, or lb when units is mi),
    ``height_cm``, ``max_hr_bpm``, ``resting_hr_bpm``, ``threshold_hr_bpm`` and
    ``threshold_pace`` (``m:ss`` per km or per mile), ``timezone`` (IANA name) and
    ``age_years`` (whole years). A time zone or age sent empty clears it; one not sent keeps
    ``current``'s.
    """
    units_text = fields.get("units", "").strip() or current.units.value
    try:
        units = DistanceUnit(units_text)
    except ValueError:
        raise InputError(f"units {units_text!r} is not km or mi", hint="Pick km or mi.") from None
    current_mass = (
        current.body_mass_kg if units is DistanceUnit.KM else lb_from_kg(current.body_mass_kg)
    )
    mass = _number(fields, "body_mass", current_mass)
    pace_text = fields.get("threshold_pace", "").strip()
    pace = current.threshold_pace_s_per_km
    if pace_text:
        pace = parse_pace_s_per_km(pace_text)
        if units is DistanceUnit.MI and "/" not in pace_text:
            pace = pace * M_PER_KM / M_PER_MILE
    return _validated(
        AthleteProfile(
            name=fields.get("name", "").strip() or current.name,
            body_mass_kg=mass if units is DistanceUnit.KM else kg_from_lb(mass),
            height_m=_number(fields, "height_cm", current.height_m * 100) / 100,
            max_hr_bpm=_number(fields, "max_hr_bpm", current.max_hr_bpm),
            resting_hr_bpm=_number(fields, "resting_hr_bpm", current.resting_hr_bpm),
            threshold_hr_bpm=_number(fields, "threshold_hr_bpm", current.threshold_hr_bpm),
            threshold_pace_s_per_km=pace,
            units=units,
            timezone=fields.get("timezone", current.timezone).strip(),
            age_years=_age(fields, current.age_years),
        )
    )


def load_profile(db: Database, athlete_id: int) -> AthleteProfile:
    """The athlete's saved profile, or :data:`DEFAULT_PROFILE` (also for a store the coach
    never opened, which has no profile table: ``stridelab trends`` reads one read-only)."""
    if COACH_MIGRATIONS.applied(db) == 0:
        return DEFAULT_PROFILE
    conn = db.connection
    row = conn.execute(
        "SELECT profile_json FROM coach_profiles WHERE athlete_id = ?", (athlete_id,)
    ).fetchone()
    if row is None:
        return DEFAULT_PROFILE
    data = json.loads(row[0])
    data["units"] = DistanceUnit(data.get("units", "km"))
    known = {k: v for k, v in data.items() if k in AthleteProfile.__dataclass_fields__}
    return AthleteProfile(**known)


def save_profile(db: Database, athlete_id: int, profile: AthleteProfile) -> AthleteProfile:
    """Validate and store the profile (one transaction); returns what was stored."""
    profile = _validated(profile)
    data = asdict(profile)
    data["units"] = profile.units.value
    with db.transaction() as conn:
        conn.execute(
            "INSERT INTO coach_profiles (athlete_id, profile_json, updated_at) VALUES (?, ?, ?) "
            "ON CONFLICT(athlete_id) DO UPDATE SET profile_json = excluded.profile_json, "
            "updated_at = excluded.updated_at",
            (athlete_id, json.dumps(data), utc_now_iso()),
        )
        # The threshold pace and time zone decide loads and days: rebuild them with it.
        from stridelab.coach.daily_load import refresh_daily_load

        refresh_daily_load(db, athlete_id, profile)
    return profile
