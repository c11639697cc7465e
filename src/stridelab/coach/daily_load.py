"""The athlete's daily load and CTL/ATL/TSB, stored, so a dashboard reads instead of recomputes.

One row per day from the athlete's first activity to their last (``coach_daily_load``):
the day's load (the sum of its activities' loads, :func:`stridelab.store.trends.activity_load`:
TRIMP from heart rate, else rTSS-like from pace against the profile's threshold pace) and
CTL/ATL from :func:`stridelab.physiology.load.fitness_fatigue` (42- and 7-day exponentially
weighted, Banister's impulse-response model as used by TrainingPeaks and GoldenCheetah's
PMC; see ``docs/science.md`` for its limits). Days after the last activity decay with zero
load when read.

The table is rebuilt whole (a few milliseconds for five years of runs) in the same
transaction as every change to what it is made of: an import (:func:`stridelab.coach.runs.
import_file`), a deletion (:func:`stridelab.coach.runs.delete_run`) and a profile change
(:func:`stridelab.coach.profile.save_profile`). A fingerprint of those inputs is stored with
it and checked on every read, so a change made another way (``stridelab import`` into the
same file, an older version of stridelab) is picked up, never served stale.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import time
from dataclasses import dataclass
from typing import Final

import numpy as np

from stridelab.coach.profile import AthleteProfile
from stridelab.physiology.load import fitness_fatigue
from stridelab.store.database import Database

__all__ = [
    "DailyFitness",
    "daily_fitness",
    "daily_loads",
    "refresh_daily_load",
]

#: The inputs the table is built from: the athlete's activities (rows, ids, stored loads,
#: distances, times, starts) and who owns them. Unowned activities are the default athlete's.
_FINGERPRINT_SQL: Final = (
    "SELECT COUNT(*), TOTAL(a.id), TOTAL(a.training_load), TOTAL(a.distance_m), "
    "TOTAL(COALESCE(a.moving_time_s, a.timer_time_s)), MAX(a.start_utc), MIN(a.start_utc) "
    "FROM activities a LEFT JOIN coach_activity_owners o ON o.activity_id = a.id "
    "WHERE COALESCE(o.athlete_id, ?) = ?"
)


@dataclass(frozen=True, slots=True)
class DailyFitness:
    """Daily load and CTL/ATL/TSB for consecutive days ending on ``days[-1]``."""

    days: tuple[dt.date, ...]
    load: tuple[float, ...]
    ctl: tuple[float, ...]
    atl: tuple[float, ...]

    @property
    def tsb(self) -> tuple[float, ...]:
        """Form: CTL − ATL on the same day."""
        return tuple(c - a for c, a in zip(self.ctl, self.atl, strict=True))

    def as_dict(self) -> dict[str, list[str] | list[float]]:
        """The dashboard's ``{"days", "load", "ctl", "atl", "tsb"}`` lists (one decimal)."""
        return {
            "days": [d.isoformat() for d in self.days],
            "load": [round(v, 1) for v in self.load],
            "ctl": [round(v, 1) for v in self.ctl],
            "atl": [round(v, 1) for v in self.atl],
            "tsb": [round(v, 1) for v in self.tsb],
        }


def _local_zone_key() -> str:
    return f"{time.tzname}|{time.timezone}|{time.altzone}"


def _fingerprint(conn: sqlite3.Connection, athlete_id: int, profile: AthleteProfile) -> str:
    from stridelab.coach.db import DEFAULT_ATHLETE_ID

    row = conn.execute(_FINGERPRINT_SQL, (DEFAULT_ATHLETE_ID, athlete_id)).fetchone()
    zone = profile.timezone or _local_zone_key()
    return "|".join(str(v) for v in (*tuple(row), profile.threshold_pace_s_per_km, zone))


def _daily_loads(
    db: Database, athlete_id: int, profile: AthleteProfile
) -> tuple[dt.date, np.ndarray] | None:
    """(first day, load per day to the last activity), or ``None`` without dated activities."""
    from stridelab.coach.runs import list_runs

    runs = list_runs(db, athlete_id, profile.threshold_pace_s_per_km, zone=profile.zone)
    dated = [(d, r.training_load or 0.0) for r in runs if (d := r.day) is not None]
    if not dated:
        return None
    first = min(d for d, _ in dated)
    last = max(d for d, _ in dated)
    daily = np.zeros((last - first).days + 1)
    for day, load in dated:
        daily[(day - first).days] += load
    return first, daily


def refresh_daily_load(db: Database, athlete_id: int, profile: AthleteProfile) -> int:
    """Rebuild the athlete's stored daily series from their activities; returns its days.

    Runs inside the caller's transaction when there is one (a savepoint), so the table
    changes together with the import, deletion or profile change that made it stale.
    """
    with db.transaction() as conn:
        conn.execute("DELETE FROM coach_daily_load WHERE athlete_id = ?", (athlete_id,))
        built = _daily_loads(db, athlete_id, profile)
        n = 0
        if built is not None:
            first, daily = built
            ff = fitness_fatigue(daily)
            rows = [
                (
                    athlete_id,
                    (first + dt.timedelta(days=i)).isoformat(),
                    float(daily[i]),
                    float(ff.ctl[i]),
                    float(ff.atl[i]),
                )
                for i in range(len(daily))
            ]
            conn.executemany(
                "INSERT INTO coach_daily_load (athlete_id, day, load, ctl, atl) "
                "VALUES (?, ?, ?, ?, ?)",
                rows,
            )
            n = len(rows)
        conn.execute(
            "INSERT INTO coach_daily_load_state (athlete_id, fingerprint) VALUES (?, ?) "
            "ON CONFLICT(athlete_id) DO UPDATE SET fingerprint = excluded.fingerprint",
            (athlete_id, _fingerprint(conn, athlete_id, profile)),
        )
    return n


def _is_current(db: Database, athlete_id: int, profile: AthleteProfile) -> bool:
    conn = db.connection
    row = conn.execute(
        "SELECT fingerprint FROM coach_daily_load_state WHERE athlete_id = ?", (athlete_id,)
    ).fetchone()
    return row is not None and row[0] == _fingerprint(conn, athlete_id, profile)


def _computed(
    db: Database, athlete_id: int, profile: AthleteProfile, until: dt.date, days: int
) -> DailyFitness:
    """The series computed from the activities (a read-only store cannot keep the table)."""
    built = _daily_loads(db, athlete_id, profile)
    if built is None:
        return DailyFitness((), (), (), ())
    first, daily = built
    start = min(first, until - dt.timedelta(days=days - 1))
    n = (until - start).days + 1
    full = np.zeros(n)
    offset = (first - start).days
    kept = daily[: max(0, n - offset)]
    full[offset : offset + len(kept)] = kept
    ff = fitness_fatigue(full)
    return _window(start, full, ff.ctl, ff.atl, until, days)


def _window(
    start: dt.date,
    load: np.ndarray,
    ctl: np.ndarray,
    atl: np.ndarray,
    until: dt.date,
    days: int,
) -> DailyFitness:
    k = max(0, len(load) - days)
    return DailyFitness(
        tuple(start + dt.timedelta(days=i) for i in range(k, len(load))),
        tuple(float(v) for v in load[k:]),
        tuple(float(v) for v in ctl[k:]),
        tuple(float(v) for v in atl[k:]),
    )


def daily_fitness(
    db: Database, athlete_id: int, profile: AthleteProfile, until: dt.date, days: int
) -> DailyFitness:
    """The last ``days`` days of load and CTL/ATL/TSB up to ``until`` (empty without runs).

    Reads the stored table (rebuilding it first when its fingerprint shows it is stale);
    matches computing the series from every activity (``coach.dashboard.fitness_series``)
    to the stored precision. Activities after ``until`` are not counted.
    """
    if db.read_only:
        return _computed(db, athlete_id, profile, until, days)
    if not _is_current(db, athlete_id, profile):
        refresh_daily_load(db, athlete_id, profile)
    conn = db.connection
    first_row = conn.execute(
        "SELECT MIN(day) FROM coach_daily_load WHERE athlete_id = ?", (athlete_id,)
    ).fetchone()
    if first_row[0] is None or dt.date.fromisoformat(first_row[0]) > until:
        return DailyFitness((), (), (), ())
    window_start = until - dt.timedelta(days=days - 1)
    # The day before the window carries the state into it; days before the first run are 0.
    rows = conn.execute(
        "SELECT day, load, ctl, atl FROM coach_daily_load "
        "WHERE athlete_id = ? AND day >= ? AND day <= ? ORDER BY day",
        (athlete_id, (window_start - dt.timedelta(days=1)).isoformat(), until.isoformat()),
    ).fetchall()
    before = conn.execute(
        "SELECT day, ctl, atl FROM coach_daily_load "
        "WHERE athlete_id = ? AND day < ? ORDER BY day DESC LIMIT 1",
        (athlete_id, window_start.isoformat()),
    ).fetchone()
    start = window_start
    n = days
    load = np.zeros(n)
    for day, value, _, _ in rows:
        i = (dt.date.fromisoformat(day) - start).days
        if i >= 0:
            load[i] = value
    # Recompute the EWMA only over the window, seeded with the stored state before it.
    seed_day = start - dt.timedelta(days=1)
    ctl0 = atl0 = 0.0
    if before is not None:
        seed_day = dt.date.fromisoformat(before[0])
        ctl0, atl0 = float(before[1]), float(before[2])
    gap = (start - seed_day).days - 1  # zero-load days between the seed and the window
    if gap > 0:
        decay = fitness_fatigue(np.zeros(gap), ctl0, atl0)
        ctl0, atl0 = float(decay.ctl[-1]), float(decay.atl[-1])
    ff = fitness_fatigue(load, ctl0, atl0)
    return _window(start, load, ff.ctl, ff.atl, until, days)


def daily_loads(
    db: Database, athlete_id: int, profile: AthleteProfile, until: dt.date
) -> dict[dt.date, float]:
    """Each day's load up to ``until`` (days with activities only), from the stored table."""
    if db.read_only:
        built = _daily_loads(db, athlete_id, profile)
        if built is None:
            return {}
        first, daily = built
        return {
            day: float(v)
            for i, v in enumerate(daily)
            if v and (day := first + dt.timedelta(days=i)) <= until
        }
    if not _is_current(db, athlete_id, profile):
        refresh_daily_load(db, athlete_id, profile)
    rows = db.connection.execute(
        "SELECT day, load FROM coach_daily_load WHERE athlete_id = ? AND day <= ? AND load != 0",
        (athlete_id, until.isoformat()),
    ).fetchall()
    return {dt.date.fromisoformat(day): float(load) for day, load in rows}
