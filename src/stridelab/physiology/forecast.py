"""CTL/ATL/TSB projected from real history through a plan's sessions to race day.

Banister's fitness–fatigue model with Coggan's 42/7-day constants, as in
:mod:`stridelab.physiology.load` (``k = 1 − e^(−1/τ)``; TSB = CTL − ATL on the same day).
Loads before ``today`` are what was run (TRIMP where the run had heart rate, rTSS-like
otherwise, as the coach scores runs); loads after it are the plan's sessions (rTSS-like).
The two scales are not the same, so the projection is a picture of the plan's shape —
build, cutbacks, taper — not a measurement. The model describes group responses; its
individual parameters need many races to fit (see docs/science.md).

Where to start: from the real history when there is one (``StartBasis.HISTORY``); for a
runner with no stored runs, from the steady state of the weekly volume they say they run
now (``StartBasis.STEADY_STATE``): the same load every day gives CTL = ATL = that load
(the fixed point of both averages), so that is where a runner who has run ``V`` km a week
at easy pace for months sits. That start is an assumption (*convention*), named in the
JSON; the band around the predicted race time (:func:`race_time_band_s`,
:data:`DEFAULT_VDOT_SPREAD`) is a *convention* too when no fitness estimate gives a range.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Final

import numpy as np

from stridelab.physiology.load import fitness_fatigue, rtss
from stridelab.physiology.vdot import MAX_VDOT, MIN_VDOT, predict_race_time_s

__all__ = [
    "DEFAULT_VDOT_SPREAD",
    "LoadForecast",
    "StartBasis",
    "forecast_load",
    "race_time_band_s",
    "steady_state_daily_load",
]

#: VDOT points below and above the plan's VDOT that bound the predicted race time when no
#: fitness estimate gives a range (*convention*: about the spread of VDOT estimates from
#: different race distances for one runner).
DEFAULT_VDOT_SPREAD: Final = (-1.0, 1.0)


class StartBasis(StrEnum):
    """Where the forecast starts: the runs stored, or the steady state of a stated volume."""

    HISTORY = "history"
    STEADY_STATE = "steady_state"
    NONE = "none"  # no history and no volume: CTL and ATL start at zero


@dataclass(frozen=True)
class LoadForecast:
    """Daily CTL, ATL and TSB from ``today`` to race day (inclusive)."""

    days: tuple[dt.date, ...]
    ctl: tuple[float, ...]
    atl: tuple[float, ...]
    start_basis: StartBasis = StartBasis.HISTORY
    start_daily_load: float | None = None

    @property
    def tsb(self) -> tuple[float, ...]:
        """Form: CTL − ATL on the same day."""
        return tuple(c - a for c, a in zip(self.ctl, self.atl, strict=True))

    def as_dict(self) -> dict[str, Any]:
        """``{"days": [{"date", "ctl", "atl", "tsb"}], "race_day": {"ctl", "atl", "tsb"},
        "start_basis": "history" | "steady_state" | "none", "note": str}``."""
        rows = [
            {"date": d.isoformat(), "ctl": round(c, 1), "atl": round(a, 1), "tsb": round(c - a, 1)}
            for d, c, a in zip(self.days, self.ctl, self.atl, strict=True)
        ]
        race = rows[-1] if rows else {"ctl": None, "atl": None, "tsb": None}
        start = {
            StartBasis.HISTORY: "starts from the runs stored (TRIMP or rTSS-like)",
            StartBasis.STEADY_STATE: (
                f"starts from the steady state of your current weekly volume at easy pace "
                f"({self.start_daily_load or 0.0:.0f} a day), as no runs are stored"
            ),
            StartBasis.NONE: "starts from zero: no runs stored and no weekly volume given",
        }[self.start_basis]
        return {
            "days": rows,
            "race_day": {k: race[k] for k in ("ctl", "atl", "tsb")},
            "start_basis": self.start_basis.value,
            "note": (
                f"Banister/Coggan 42/7-day model; {start}; planned loads rTSS-like: "
                "the shape of the plan, not a measurement."
            ),
        }


def forecast_load(
    history: Mapping[dt.date, float],
    planned: Mapping[dt.date, float],
    today: dt.date,
    race_day: dt.date,
    *,
    steady_daily_load: float | None = None,
) -> LoadForecast:
    """CTL/ATL/TSB each day from ``today`` to ``race_day``: history up to today, plan after.

    The race day's own planned load is left out: ``race_day`` values are the form the
    runner brings to the start line. Without any load in ``history`` up to ``today``,
    CTL and ATL start at ``steady_daily_load`` (see :func:`steady_state_daily_load`).
    """
    past = {d: v for d, v in history.items() if d <= today and v > 0}
    if past:
        basis, initial = StartBasis.HISTORY, 0.0
    elif steady_daily_load is not None and steady_daily_load > 0:
        basis, initial = StartBasis.STEADY_STATE, float(steady_daily_load)
    else:
        basis, initial = StartBasis.NONE, 0.0
    if race_day < today:
        return LoadForecast(
            (), (), (), basis, initial if basis is StartBasis.STEADY_STATE else None
        )
    first = min([today, *past.keys()])
    n = (race_day - first).days + 1
    daily = np.zeros(n, dtype=np.float64)
    for day, load in past.items():
        daily[(day - first).days] += load
    for day, load in planned.items():
        if today < day < race_day:  # the race itself is what is forecast, not a load
            daily[(day - first).days] += load
    if basis is StartBasis.STEADY_STATE:
        daily[0] = initial  # today itself is one more day of the usual running
    ff = fitness_fatigue(daily, initial_ctl=initial, initial_atl=initial)
    start = (today - first).days
    days = tuple(first + dt.timedelta(days=i) for i in range(start, n))
    return LoadForecast(
        days,
        tuple(map(float, ff.ctl[start:])),
        tuple(map(float, ff.atl[start:])),
        basis,
        initial if basis is StartBasis.STEADY_STATE else None,
    )


def steady_state_daily_load(
    weekly_distance_m: float, easy_pace_s_per_km: float, threshold_pace_s_per_km: float
) -> float:
    """Daily rTSS-like load of running ``weekly_distance_m`` a week, all at easy pace.

    Spread evenly over 7 days this is the CTL = ATL fixed point of a runner who has kept
    that volume for months (a *convention*: real weeks hold quality sessions, which score
    higher, and rest days, which only reshape ATL). Valid for any volume ≥ 0 and paces
    in the rTSS range (:func:`stridelab.physiology.load.rtss`).
    """
    if weekly_distance_m <= 0:
        return 0.0
    week_s = weekly_distance_m / 1000.0 * easy_pace_s_per_km
    return rtss(week_s, easy_pace_s_per_km, threshold_pace_s_per_km) / 7.0


def race_time_band_s(
    vdot: float,
    distance_m: float,
    spread: tuple[float, float] = DEFAULT_VDOT_SPREAD,
) -> tuple[float, float]:
    """``(fast, slow)`` race times for ``vdot + spread[1]`` and ``vdot + spread[0]``.

    Daniels–Gilbert predictions (:func:`stridelab.physiology.vdot.predict_race_time_s`,
    valid for about 1500 m to the marathon), VDOT clamped to the model's range.
    """
    low, high = spread
    return (
        predict_race_time_s(min(vdot + high, MAX_VDOT), distance_m),
        predict_race_time_s(max(vdot + low, MIN_VDOT), distance_m),
    )
