"""A believable recent training history for the sample runner, as real FIT files.

The first-run demo (:mod:`stridelab.coach.sample`) needs runs *near today*, or "this
week", fitness/fatigue and trends are flat. :func:`history_runs` lays out about eight
weeks: a few base weeks of 4 runs (easy, easy, a tempo session whose warm-up has butt
kicks and strides, a long run) and then the sample plan's own sessions, mostly run as
planned, with one missed, one cut short and one run long, so plan-vs-done shows every
status. :func:`encode_run` writes each as FIT bytes with the project's encoder
(:func:`~stridelab.activities.readers.fit_encode.encode_activity`): 5-second records with
GPS, heart rate (lagged, with drift), cadence, ground contact, vertical oscillation and
step length, laps per km or per workout block, and the watch's session summary.

Everything is drawn from a seeded generator: the same ``today`` gives the same bytes.
The physiology is illustrative (plausible values for a ~VDOT 40 runner), not a model.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

import numpy as np
import numpy.typing as npt
from scipy.signal import lfilter

from stridelab.activities.readers.fit_encode import (
    encode_activity,
    fit_cadence_fields,
    summarise_records,
)
from stridelab.plans.model import Plan, SessionKind
from stridelab.units import format_distance

__all__ = [
    "BASE_WEEKS",
    "RECORD_INTERVAL_S",
    "SampleRun",
    "encode_run",
    "history_runs",
]

#: Seconds between records (watches' "smart recording" is similar); keeps files compact.
RECORD_INTERVAL_S: Final = 5
#: Weeks of base training before the sample plan starts.
BASE_WEEKS: Final = 5
EARTH_RADIUS_M: Final = 6_371_008.8
SEMICIRCLES_PER_DEGREE: Final = 2**31 / 180.0
MASS_KG: Final = 68.0
#: Where the sample runner lives: a lakeside park (the bundled sample run's loop).
HOME_DEG: Final = (46.5190, 6.6320)
#: Plan sessions run deliberately off the plan (index among past sessions → factor;
#: 0 = missed), so plan-vs-done shows shorter, longer and missed as well as done.
DEVIATIONS: Final = {1: 0.7, 4: 0.0, 7: 1.3}

Array = npt.NDArray[np.float64]


@dataclass(frozen=True)
class SampleRun:
    """One run of the history: its day, kind (easy, long, tempo, hills, intervals,
    strides) and distance."""

    day: dt.date
    kind: str
    distance_m: float
    name: str


@dataclass(frozen=True)
class _Block:
    """A stretch of a run at one effort."""

    name: str
    seconds: int
    speed_m_s: float
    cadence_spm: float
    contact_ms: float
    hr_bpm: float
    intensity: str
    climb: float = 0.0  # metres up per metre run (hills)
    joins_lap: bool = False  # continues the previous block's lap (drills and recoveries)


_EASY: Final = (2.74, 164.0, 266.0, 142.0)  # ~6:05/km
_LONG: Final = (2.68, 163.0, 268.0, 145.0)  # ~6:13/km
_JOG: Final = (2.45, 160.0, 276.0, 135.0)
_TITLES: Final = {
    "easy": "Easy run",
    "long": "Long run",
    "tempo": "Tempo run",
    "hills": "Hill repeats",
    "intervals": "Intervals",
    "strides": "Easy run + strides",
    "threshold": "Threshold run",
    "race_pace": "Race-pace run",
}


def _steady(name: str, distance_m: float, effort: tuple[float, ...], intensity: str) -> _Block:
    speed, spm, gct, hr = effort
    return _Block(name, _seconds(distance_m / speed), speed, spm, gct, hr, intensity)


def _seconds(value: float) -> int:
    return max(RECORD_INTERVAL_S, round(value / RECORD_INTERVAL_S) * RECORD_INTERVAL_S)


def _drill_warmup() -> list[_Block]:
    """5 min jog, 4 × 20 s butt kicks and 4 × 20 s strides with 30 s jog recoveries (all
    in the run's first third, where the analysis looks for warm-up bursts)."""
    blocks = [_Block("warm-up jog", 300, *_JOG, "warmup")]
    drills = (("butt kicks", 1.6, 196.0, 205.0), ("strides", 4.6, 186.0, 208.0))
    for drill, speed, spm, gct in drills:
        for rep in range(4):
            blocks.append(_Block(drill, 20, speed, spm, gct, 146.0, "warmup", joins_lap=rep > 0))
            blocks.append(_Block("jog recovery", 30, *_JOG, "warmup", joins_lap=True))
    return blocks


def _blocks(run: SampleRun) -> list[_Block]:
    """The run's blocks; warm-up and cool-down jogs fill the distance around the main set."""
    if run.kind in ("easy", "long"):
        effort = _EASY if run.kind == "easy" else _LONG
        whole_km = int(run.distance_m // 1000)
        blocks = [_steady(f"km {i + 1}", 1000.0, effort, "active") for i in range(whole_km)]
        rest = run.distance_m - 1000.0 * whole_km
        return blocks + ([_steady("last part", rest, effort, "active")] if rest > 50 else [])
    if run.kind == "strides":
        easy = [_steady("easy", max(run.distance_m - 600.0, 1000.0), _EASY, "active")]
        for _ in range(4):
            easy += [
                _Block("stride", 20, 4.6, 186.0, 208.0, 150.0, "active"),
                _Block("walk back", 60, 1.3, 110.0, 320.0, 132.0, "rest"),
            ]
        return easy
    main: list[_Block]
    if run.kind == "hills":
        main = [
            block
            for _ in range(6)
            for block in (
                _Block("hill", 60, 3.3, 182.0, 225.0, 168.0, "active", 0.06),
                _Block("jog down", 90, 2.3, 158.0, 280.0, 140.0, "recovery", -0.04),
            )
        ]
    elif run.kind == "intervals":
        main = [
            block
            for _ in range(5)
            for block in (
                _Block("800 m", _seconds(800 / 3.55), 3.55, 180.0, 222.0, 172.0, "interval"),
                _Block("jog", 120, *_JOG, "recovery"),
            )
        ]
    else:  # tempo, threshold, race pace: a continuous block at ~5:10/km
        tempo_m = min(max(0.45 * run.distance_m, 2000.0), 6000.0)
        main = [_steady("tempo", tempo_m, (3.23, 174.0, 235.0, 166.0), "active")]
    warmup = _drill_warmup()
    used = sum(b.seconds * b.speed_m_s for b in (*warmup, *main))
    cooldown = max(run.distance_m - used, 800.0)
    return [*warmup, *main, _steady("cool-down jog", cooldown, _JOG, "cooldown")]


def _lag(target: Array, tau_s: float) -> Array:
    """First-order lag (time constant ``tau_s``) at the record interval, starting settled."""
    alpha = 1.0 - math.exp(-RECORD_INTERVAL_S / tau_s)
    out, _ = lfilter([alpha], [1.0, alpha - 1.0], target, zi=[(1.0 - alpha) * target[0]])
    return np.asarray(out, dtype=np.float64)


def _route(distance_m: Array, rng: np.random.Generator) -> tuple[Array, Array]:
    """A loop near home in semicircles: an ellipse whose radius wobbles like paths do,
    different for each run (its size, shape, start and offset)."""
    a, b = rng.uniform(250.0, 900.0), rng.uniform(180.0, 600.0)
    wobble = rng.uniform(0.03, 0.1, 3)
    turns = rng.uniform(0, 2 * math.pi, 3)
    perimeter = 1.06 * math.pi * (3 * (a + b) - math.sqrt((3 * a + b) * (a + 3 * b)))  # Ramanujan
    phase = rng.uniform(0, 2 * math.pi)
    angle = phase + 2 * math.pi * distance_m / perimeter
    radius = (
        1.0
        + wobble[0] * np.sin(2 * angle + turns[0])
        + wobble[1] * np.sin(3 * angle + turns[1])
        + wobble[2] * np.sin(5 * angle + turns[2])
    )
    north = b * (radius * np.sin(angle))
    east = a * (radius * np.cos(angle))
    north, east = north - north[0], east - east[0]  # start (and finish) at home
    lat = HOME_DEG[0] + rng.uniform(-0.004, 0.004) + np.degrees(north / EARTH_RADIUS_M)
    scale = EARTH_RADIUS_M * math.cos(math.radians(HOME_DEG[0]))
    lon = HOME_DEG[1] + rng.uniform(-0.006, 0.006) + np.degrees(east / scale)
    return np.round(lat * SEMICIRCLES_PER_DEGREE), np.round(lon * SEMICIRCLES_PER_DEGREE)


def _records(run: SampleRun, start: dt.datetime, rng: np.random.Generator) -> tuple[
    dict[str, Array], list[tuple[int, int, str]]
]:  # fmt: skip
    blocks = _blocks(run)
    counts = [b.seconds // RECORD_INTERVAL_S for b in blocks]
    n = sum(counts)

    def column(values: Sequence[float]) -> Array:
        return np.repeat(np.asarray(values, dtype=np.float64), counts)

    form = rng.normal(0.0, 1.0)  # a day's form: a little faster or slower
    speed = column([b.speed_m_s for b in blocks]) * (1 + 0.015 * form)
    speed = np.clip(_lag(speed, 3.0) + rng.normal(0, 0.07, n), 0.6, None)
    spm = _lag(column([b.cadence_spm for b in blocks]), 4.0) + rng.normal(0, 1.5, n)
    gct = _lag(column([b.contact_ms for b in blocks]), 4.0) + rng.normal(0, 4.0, n)
    drift = np.linspace(0.0, 0.0012 * n * RECORD_INTERVAL_S / 60, n)  # ~+7 bpm an hour
    hr = _lag(column([b.hr_bpm for b in blocks]) + drift - 2 * form, 30.0) + rng.normal(0, 1, n)
    step = speed * RECORD_INTERVAL_S
    distance = np.cumsum(step)
    climb = np.cumsum(column([b.climb for b in blocks]) * step)
    altitude = 380.0 + 6.0 * np.sin(2 * math.pi * distance / 1800.0) + climb
    lat, lon = _route(distance, rng)
    step_length_m = speed * 60.0 / spm
    vo_mm = 62.0 + 7.0 * speed + rng.normal(0, 1.5, n)
    records = {
        "timestamp": start.timestamp() + RECORD_INTERVAL_S * np.arange(n, dtype=np.float64),
        "position_lat": lat,
        "position_long": lon,
        "distance": np.round(distance, 2),
        "enhanced_speed": np.round(speed, 3),
        "enhanced_altitude": np.round(altitude * 5) / 5,
        "heart_rate": np.round(hr),
        **fit_cadence_fields(spm),
        "stance_time": np.round(gct, 1),
        "vertical_oscillation": np.round(vo_mm, 1),
        "step_length": np.round(step_length_m * 1000.0, 1),
    }
    laps: list[tuple[int, int, str]] = []
    first = 0
    for block, count in zip(blocks, counts, strict=True):
        if block.joins_lap and laps:
            laps[-1] = (laps[-1][0], first + count, laps[-1][2])
        else:
            laps.append((first, first + count, block.intensity))
        first += count
    return records, laps


def encode_run(run: SampleRun, seed: int) -> bytes:
    """The run as a FIT activity file (deterministic for a given ``seed``)."""
    rng = np.random.default_rng(seed)
    weekend = run.day.weekday() >= 5
    minutes = int(rng.integers(0, 50)) + (8 * 60 + 30 if weekend else 6 * 60 + 40)
    start = dt.datetime.combine(run.day, dt.time(minutes // 60, minutes % 60), tzinfo=dt.UTC)
    records, bounds = _records(run, start, rng)
    laps = []
    for first, stop, intensity in bounds:
        lap = summarise_records(records, first, stop, interval_s=RECORD_INTERVAL_S, mass_kg=MASS_KG)
        lap.update({"lap_trigger": "distance" if run.kind in ("easy", "long") else "manual"})
        lap["intensity"] = "active" if intensity == "interval" else intensity
        laps.append(lap)
    session = summarise_records(
        records, 0, len(records["timestamp"]), interval_s=RECORD_INTERVAL_S, mass_kg=MASS_KG
    )
    session.update({"num_laps": len(laps), "first_lap_index": 0, "trigger": "activity_end"})
    return encode_activity(records, laps=laps, sessions=[session], product=1)


def _base_weeks(first_monday: dt.date, rng: np.random.Generator) -> list[SampleRun]:
    """Base training: Tue easy, Thu tempo (drill warm-up), Sat easy, Sun long, slowly growing."""
    runs = []
    for week in range(BASE_WEEKS):
        monday = first_monday + dt.timedelta(weeks=week)
        grow = 1.0 + 0.02 * week
        plan = [
            (1, "easy", 6000.0),
            (3, "tempo", 7000.0),
            (5, "easy", 5000.0),
            (6, "long", 7000.0 + 250.0 * week),
        ]
        for weekday, kind, distance in plan:
            if week == 2 and weekday == 5:  # a busy Saturday: 3 runs that week
                continue
            jitter = float(rng.uniform(0.95, 1.05))
            distance_m = round(distance * grow * jitter / 10) * 10
            day = monday + dt.timedelta(days=weekday)
            runs.append(SampleRun(day, kind, distance_m, _name(kind, distance_m)))
    return runs


def _name(kind: str, distance_m: float) -> str:
    return f"{_TITLES.get(kind, 'Run')} {format_distance(distance_m)}"


def history_runs(plan: Plan, plan_start: dt.date, today: dt.date) -> list[SampleRun]:
    """:data:`BASE_WEEKS` of base training before ``plan_start``, then the plan's sessions
    dated before ``today``, mostly as planned (see :data:`DEVIATIONS`)."""
    rng = np.random.default_rng(plan_start.toordinal())
    runs = _base_weeks(plan_start - dt.timedelta(weeks=BASE_WEEKS), rng)
    past = [
        session
        for session in plan.sessions
        if session.kind not in (SessionKind.REST, SessionKind.RACE)
        and plan_start <= session.date < today
    ]
    for index, session in enumerate(past):
        factor = DEVIATIONS.get(index, float(rng.uniform(0.94, 1.06)))
        if factor == 0.0:
            continue
        distance_m = round(round(session.distance_m, 1) * factor / 10) * 10
        kind = session.kind.value
        runs.append(SampleRun(session.date, kind, distance_m, _name(kind, distance_m)))
    return runs
