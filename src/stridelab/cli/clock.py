"""The command line's one reading of the clock: ``--today`` and ``STRIDELAB_TODAY``.

Library functions take ``today`` as a parameter; commands that depend on the date take it
from here, so a test, a demo or a coach looking back can pin the day.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import typer

from stridelab.units import parse_date

__all__ = ["TODAY_ENV", "TodayOption", "resolve_today"]

TODAY_ENV = "STRIDELAB_TODAY"

#: ``--today YYYY-MM-DD``; unset, :data:`TODAY_ENV`, then the computer's clock.
TodayOption = Annotated[
    str | None,
    typer.Option(
        "--today",
        envvar=TODAY_ENV,
        show_envvar=True,
        help="Pretend today is YYYY-MM-DD (default: STRIDELAB_TODAY, else the clock).",
    ),
]


def resolve_today(text: str | None) -> dt.date:
    """The day a command works on: ``text`` (from ``--today`` or the variable), else the clock."""
    return dt.date.today() if not text else parse_date(text, "--today date")
