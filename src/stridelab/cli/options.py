"""Numeric command-line options checked against the library's own :class:`Range`.

:func:`ranged` builds a typer option whose parser refuses NaN, infinity, fractions
where a whole number is meant and anything outside the range, with one line that names
the flag and the valid range (``--max-hr must be a number from 100–240 bpm, not 'nan'``).
The ranges themselves live beside the models that need them
(:mod:`stridelab.physiology.limits`, :func:`stridelab.units.check_date`, …) and the
library checks them again, so Python callers get the same refusal.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path
from typing import Any, Final

import typer

from stridelab.errors import InputError, UnitParseError
from stridelab.units import Range, parse_number

__all__ = ["ATHLETE_ID_RANGE", "LIMIT_RANGE", "PORT_RANGE", "chart_option", "ranged"]

#: TCP ports a server can bind (0 would pick a random one, which nobody could open).
PORT_RANGE: Final = Range(1, 65535, integer=True)
#: Row ids in SQLite are signed 64-bit integers.
ATHLETE_ID_RANGE: Final = Range(1, 2**63 - 1, integer=True)
#: ``--limit``: how many rows to show.
LIMIT_RANGE: Final = Range(1, 1_000_000, integer=True)


def _parser(flag: str, bounds: Range) -> Callable[[Any], float | int]:
    def parse(value: Any) -> float | int:
        if isinstance(value, int | float):
            number: float | int = value
        else:
            try:
                number = parse_number(str(value), flag)
            except UnitParseError:
                number = math.nan  # refused below with the valid range
            if bounds.integer and math.isfinite(number) and number.is_integer():
                number = int(number)
        try:
            return bounds.check(number, flag)
        except InputError:
            raise bounds.refusal(flag, str(value).strip()) from None

    return parse


def ranged(flag: str, bounds: Range, help_text: str, *extra_flags: str) -> Any:
    """A ``typer.Option`` for ``flag`` that only accepts numbers within ``bounds``."""
    return typer.Option(
        flag,
        *extra_flags,
        help=f"{help_text} ({bounds.describe()}).",
        parser=_parser(flag, bounds),
        metavar="INTEGER" if bounds.integer else "FLOAT",
    )


def _chart(value: Path | None) -> Path | None:
    if value is None:
        return None
    from stridelab.activities.plot import chart_path

    return chart_path(value)


def chart_option(help_text: str) -> Any:
    """``--plot PATH``: refused up front unless it ends in .png, .svg or .pdf."""
    return typer.Option("--plot", help=f"{help_text} (.png, .svg or .pdf).", callback=_chart)
