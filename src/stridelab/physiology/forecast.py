"""CTL/ATL/TSB projected from real history through a plan's sessions to race day.

Banister's fitness–fatigue model with Coggan's 42/7-day constants, as in
:mod:`stridelab.physiology.load` (``k = 1 − e^(−1/τ)``; TSB = CTL − ATL on the same day).
Loads before ``today`` are what was run (TRIMP where the run had heart rate, rTSS-like
otherwise, as the coach scores runs); loads after it are the plan's sessions (rTSS-like).
The two scales are not the same, so the projection is a picture of the plan's shape —
build, cutbacks, taper — not a measurement. The model describes group responses; its
individual parameters need many races to fit (see docs/science.md).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from stridelab.physiology.load import fitness_fatigue

__all__ = ["LoadForecast", "forecast_load"]


@dataclass(frozen=True)
class LoadForecast:
    """Daily CTL, ATL and TSB from ``today`` to race day (inclusive)."""

    days: tuple[dt.date, ...]
    ctl: tuple[float, ...]
    atl: tuple[float, ...]

    @property
    def tsb(self) -> tuple[float, ...]:
        """Form: CTL − ATL on the same day."""
        return tuple(c - a for c, a in zip(self.ctl, self.atl, strict=True))

    def as_dict(self) -> dict[str, Any]:
        """``{"days": [{"date", "ctl", "atl", "tsb"}], "race_day": {"ctl", "atl", "tsb"}}``."""
        rows = [
            {"date": d.isoformat(), "ctl": round(c, 1), "atl": round(a, 1), "tsb": round(c - a, 1)}
            for d, c, a in zip(self.days, self.ctl, self.atl, strict=True)
        ]
        race = rows[-1] if rows else {"ctl": None, "atl": None, "tsb": None}
        return {
            "days": rows,
            "race_day": {k: race[k] for k in ("ctl", "atl", "tsb")},
            "note": (
                "Banister/Coggan 42/7-day model; past loads as run (TRIMP or rTSS-like), "
                "planned loads rTSS-like: the shape of the plan, not a measurement."
            ),
        }


def forecast_load(
    history: Mapping[dt.date, float],
    planned: Mapping[dt.date, float],
    today: dt.date,
    race_day: dt.date,
) -> LoadForecast:
    """CTL/ATL/TSB each day from ``today`` to ``race_day``: history up to today, plan after.

    The race day's own planned load is left out: ``race_day`` values are the form the
    runner brings to the start line.
    """
    if race_day < today:
        return LoadForecast((), (), ())
    first = min([today, *history.keys()])
    n = (race_day - first).days + 1
    daily = np.zeros(n, dtype=np.float64)
    for day, load in history.items():
        if first <= day <= today:
            daily[(day - first).days] += load
    for day, load in planned.items():
        if today < day < race_day:  # the race itself is what is forecast, not a load
            daily[(day - first).days] += load
    ff = fitness_fatigue(daily)
    start = (today - first).days
    days = tuple(first + dt.timedelta(days=i) for i in range(start, n))
    return LoadForecast(days, tuple(map(float, ff.ctl[start:])), tuple(map(float, ff.atl[start:])))
