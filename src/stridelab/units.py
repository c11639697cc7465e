"""Units: the one place stridelab parses, converts and formats quantities.

Inside the library everything is SI (m, s, m/s, kg) with the unit in the name.
Text from people ("25:30", "1:32:10", "5k", "half", "4:30/km") becomes numbers
here, and numbers become text here, value and label together.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Final, TypeVar

from stridelab.errors import InputError, UnitParseError

__all__ = [
    "MAX_DATE",
    "MIN_DATE",
    "M_PER_KM",
    "M_PER_MILE",
    "RACE_DISTANCES_M",
    "SEMICIRCLES_PER_DEGREE",
    "DistanceUnit",
    "Range",
    "check_date",
    "distance_label",
    "format_distance",
    "format_duration",
    "format_pace",
    "kg_from_lb",
    "km_per_h_from_speed",
    "lb_from_kg",
    "metres_per_unit",
    "pace_s_per_km_from_speed",
    "pace_s_per_km_from_time",
    "parse_date",
    "parse_distance_m",
    "parse_duration_s",
    "parse_local_datetime",
    "parse_number",
    "parse_pace_s_per_km",
    "semicircles_to_degrees",
    "speed_from_pace_s_per_km",
]

M_PER_KM: Final = 1000.0
M_PER_MILE: Final = 1609.344
KG_PER_LB: Final = 0.45359237
SEMICIRCLES_PER_DEGREE: Final = 2**31 / 180.0
#: The calendar stridelab plans and reports on: FIT timestamps start in 1989, and a date
#: far outside this range is a typing mistake, not a training day.
MIN_DATE: Final = date(1990, 1, 1)
MAX_DATE: Final = date(2199, 12, 31)


_N = TypeVar("_N", int, float)


@dataclass(frozen=True)
class Range:
    """A closed valid range for a number, with its unit: the one check every edge uses.

    The library validates its inputs with :meth:`check` (``AnalysisSettings``,
    ``PlanRequest``), and the CLI attaches the same ranges to its options, so NaN,
    infinity and out-of-range values get one message naming the valid range wherever
    they come from. Integral ranges (``integer=True``) also refuse fractions.
    """

    low: float
    high: float
    unit: str = ""
    integer: bool = False

    def describe(self) -> str:
        """``"100–240 bpm"``: the range as shown in errors and help."""
        unit = f" {self.unit}" if self.unit else ""
        return f"{_number(self.low)}–{_number(self.high)}{unit}"

    def refusal(self, name: str, shown: str) -> InputError:
        """The error for ``name`` given as ``shown`` (NaN, infinite, outside the range)."""
        kind = "a whole number" if self.integer else "a number"
        unit = f" {self.unit}" if self.unit else ""
        return InputError(
            f"{name} {shown} is not valid",
            hint=f"Give {kind} from {_number(self.low)} to {_number(self.high)}{unit}.",
        )

    def check(self, value: _N, name: str) -> _N:
        """``value`` when it is a finite number in range, else :class:`InputError`."""
        number = float(value)
        integral = not self.integer or number.is_integer()
        if not (math.isfinite(number) and self.low <= number <= self.high and integral):
            raise self.refusal(name, f"{value:g}" if isinstance(value, float) else str(value))
        return value


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() and abs(value) < 2**63 else f"{value:g}"


class DistanceUnit(StrEnum):
    """How distances and paces are shown to a person."""

    KM = "km"
    MI = "mi"


#: Standard race distances in metres, keyed by their canonical short name.
RACE_DISTANCES_M: Final[dict[str, float]] = {
    "1500m": 1500.0,
    "mile": M_PER_MILE,
    "3k": 3000.0,
    "5k": 5000.0,
    "10k": 10000.0,
    "15k": 15000.0,
    "half": 21097.5,
    "marathon": 42195.0,
}

_DISTANCE_ALIASES: Final[dict[str, str]] = {
    "1500": "1500m",
    "1.5k": "1500m",
    "1mi": "mile",
    "5km": "5k",
    "10km": "10k",
    "15km": "15k",
    "hm": "half",
    "halfmarathon": "half",
    "half-marathon": "half",
    "half_marathon": "half",
    "21k": "half",
    "21.1k": "half",
    "mara": "marathon",
    "full": "marathon",
    "42k": "marathon",
    "42.2k": "marathon",
}

_DISTANCE_RE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(m|km|k|mi|miles?)?\s*$", re.IGNORECASE)
_DURATION_COLON_RE = re.compile(r"^\s*(?:(\d+):)?(\d{1,2}):(\d{1,2}(?:\.\d+)?)\s*$")
_DURATION_UNITS_RE = re.compile(
    r"^\s*(?:(\d+(?:\.\d+)?)\s*h)?\s*(?:(\d+(?:\.\d+)?)\s*(?:m|min))?\s*(?:(\d+(?:\.\d+)?)\s*s)?\s*$",
    re.IGNORECASE,
)
_PACE_RE = re.compile(r"^\s*(\d{1,2}):(\d{2}(?:\.\d+)?)\s*(?:/\s*(km|mi|mile))?\s*$", re.IGNORECASE)


def parse_distance_m(text: str) -> float:
    """Parse a distance: ``5k``, ``10K``, ``half``, ``marathon``, ``1500m``, ``13.1mi``, ``8000``.

    A bare number is metres. Returns metres (> 0).
    """
    key = text.strip().lower().replace(" ", "")
    key = _DISTANCE_ALIASES.get(key, key)
    if key in RACE_DISTANCES_M:
        return RACE_DISTANCES_M[key]
    match = _DISTANCE_RE.match(key)
    if match is None:
        raise UnitParseError(text, "distance", "5k, 10k, half, marathon, 1500m or 13.1mi")
    value = float(match.group(1))
    unit = (match.group(2) or "m").lower()
    if unit in ("km", "k"):
        value *= M_PER_KM
    elif unit.startswith("mi"):
        value *= M_PER_MILE
    if not value > 0:
        raise UnitParseError(text, "distance (it must be more than zero)", "5k or 1500m")
    return value


def distance_label(distance_m: float) -> str:
    """The canonical race name for a standard distance (``"10k"``), else e.g. ``"8.0 km"``."""
    for name, metres in RACE_DISTANCES_M.items():
        if math.isclose(distance_m, metres, rel_tol=1e-6):
            return name
    return format_distance(distance_m)


def parse_duration_s(text: str) -> float:
    """Parse a duration: ``25:30`` (mm:ss), ``1:32:10`` (h:mm:ss), ``45min``, ``1h20m``, ``90s``.

    Returns seconds (> 0).
    """
    match = _DURATION_COLON_RE.match(text)
    if match is not None:
        hours = int(match.group(1)) if match.group(1) else 0
        minutes = int(match.group(2))
        seconds = float(match.group(3))
        if seconds >= 60 or (hours and minutes >= 60):
            raise UnitParseError(text, "time", "25:30 or 1:32:10")
        total = hours * 3600 + minutes * 60 + seconds
    else:
        match = _DURATION_UNITS_RE.match(text)
        if match is None or not any(match.groups()):
            raise UnitParseError(text, "time", "25:30, 1:32:10 or 45min")
        h, m, s = (float(g) if g else 0.0 for g in match.groups())
        total = h * 3600 + m * 60 + s
    if not total > 0:
        raise UnitParseError(text, "time (it must be more than zero)", "25:30")
    return total


def format_duration(duration_s: float) -> str:
    """``1530`` → ``"25:30"``; ``5530`` → ``"1:32:10"``. Rounds to whole seconds."""
    total = round(duration_s)
    sign = "-" if total < 0 else ""
    total = abs(total)
    hours, rest = divmod(total, 3600)
    minutes, seconds = divmod(rest, 60)
    if hours:
        return f"{sign}{hours}:{minutes:02d}:{seconds:02d}"
    return f"{sign}{minutes}:{seconds:02d}"


def parse_pace_s_per_km(text: str) -> float:
    """Parse a pace: ``4:30`` or ``4:30/km`` (per km), ``7:15/mi``. Returns s per km."""
    match = _PACE_RE.match(text)
    if match is None:
        raise UnitParseError(text, "pace", "4:30/km or 7:15/mi")
    seconds = int(match.group(1)) * 60 + float(match.group(2))
    if float(match.group(2)) >= 60 or seconds <= 0:
        raise UnitParseError(text, "pace", "4:30/km or 7:15/mi")
    unit = (match.group(3) or "km").lower()
    if unit.startswith("mi"):
        return seconds * M_PER_KM / M_PER_MILE
    return seconds


def format_pace(pace_s_per_km: float, unit: DistanceUnit = DistanceUnit.KM) -> str:
    """``270`` → ``"4:30/km"``; with ``DistanceUnit.MI`` → ``"7:15/mi"``."""
    per_unit = pace_s_per_km * (M_PER_MILE / M_PER_KM if unit is DistanceUnit.MI else 1.0)
    return f"{format_duration(per_unit)}/{unit.value}"


def metres_per_unit(unit: DistanceUnit) -> float:
    """Metres in one ``unit``: 1000 for km, 1609.344 for mi (divide metres by it)."""
    return M_PER_MILE if unit is DistanceUnit.MI else M_PER_KM


def format_distance(distance_m: float, unit: DistanceUnit = DistanceUnit.KM) -> str:
    """``21097.5`` → ``"21.1 km"``; with ``DistanceUnit.MI`` → ``"13.1 mi"``."""
    return f"{distance_m / metres_per_unit(unit):.1f} {unit.value}"


def speed_from_pace_s_per_km(pace_s_per_km: float) -> float:
    """Pace in s/km → speed in m/s."""
    return M_PER_KM / pace_s_per_km


def pace_s_per_km_from_speed(speed_m_s: float) -> float:
    """Speed in m/s → pace in s/km (``inf`` when standing still)."""
    return math.inf if speed_m_s <= 0 else M_PER_KM / speed_m_s


def pace_s_per_km_from_time(duration_s: float, distance_m: float) -> float:
    """Time taken over a distance → pace in s/km (``distance_m`` must be > 0)."""
    return duration_s / distance_m * M_PER_KM


def km_per_h_from_speed(speed_m_s: float) -> float:
    """Speed in m/s → km/h."""
    return speed_m_s * 3.6


def kg_from_lb(mass_lb: float) -> float:
    """Pounds → kilograms."""
    return mass_lb * KG_PER_LB


def lb_from_kg(mass_kg: float) -> float:
    """Kilograms → pounds."""
    return mass_kg / KG_PER_LB


def semicircles_to_degrees(semicircles: float) -> float:
    """FIT position (semicircles, 2^31 per 180°) → degrees."""
    return semicircles / SEMICIRCLES_PER_DEGREE


def parse_local_datetime(text: str) -> datetime:
    """Parse an ISO 8601 date-time: ``2027-04-18T09:00`` or ``2027-04-18 09:00+02:00``.

    Without an offset the time is taken as this computer's local time zone. Returns an
    aware datetime in the zone it was given in (shown back to the person as typed).
    """
    try:
        value = datetime.fromisoformat(text.strip())
    except ValueError:
        raise UnitParseError(text, "date and time", "2027-04-18T09:00") from None
    check_date(value.date(), "date and time")
    return value if value.tzinfo is not None else value.astimezone()


def parse_number(text: str, what: str, example: str = "25") -> float:
    """A finite number as people type it: ``25``, ``25.5`` or ``25,5`` (a decimal comma).

    Ranges are checked where the value is used (:class:`Range`); this refuses text that is
    not a number, and NaN and infinities, saying ``what`` it was meant to be."""
    try:
        value = float(text.strip().replace(",", "."))
    except ValueError:
        raise UnitParseError(text, what, example) from None
    if not math.isfinite(value):
        raise UnitParseError(text, what, example)
    return value


def parse_date(text: str, what: str = "date") -> date:
    """Parse ``YYYY-MM-DD`` within :data:`MIN_DATE`–:data:`MAX_DATE` (``what`` names it)."""
    try:
        value = date.fromisoformat(text.strip())
    except ValueError:
        raise UnitParseError(text, what, "2027-04-18") from None
    return check_date(value, what)


def check_date(value: date, what: str = "date") -> date:
    """``value`` when it lies within :data:`MIN_DATE`–:data:`MAX_DATE`, else UnitParseError."""
    if not MIN_DATE <= value <= MAX_DATE:
        raise UnitParseError(
            value.isoformat(),
            f"{what} (stridelab works with {MIN_DATE.isoformat()} to {MAX_DATE.isoformat()})",
            "2027-04-18",
        )
    return value
