"""The plan as a terminal table (rich): one row per week, readable at 80 columns.

Each row: week, start, phase, km, a compact session string with the long run
(``"Tue thr 8 · Thu int 7 · Sun long 16 · 2 easy 6"``, easy runs by count and mean km)
and a short reason (:attr:`stridelab.plans.model.Week.summary`); the sessions and reasons
wrap on narrow terminals and the caption explains the abbreviations. The full
explanations are in ``--markdown`` and ``--json``. Distances and paces in km or miles
(:class:`stridelab.units.DistanceUnit`, display only).
"""

from __future__ import annotations

from typing import Final

from rich import box
from rich.table import Table

from stridelab.plans.explain import SUMMARY_MAX_CHARS
from stridelab.plans.export.text import plan_headline
from stridelab.plans.model import Plan, SessionKind, Week
from stridelab.units import DistanceUnit, format_pace, metres_per_unit

__all__ = ["ABBREVIATIONS_TEXT", "SESSION_ABBREVIATIONS", "plan_table", "week_sessions_text"]

_K = SessionKind
#: Short names of session kinds in the table.
SESSION_ABBREVIATIONS: Final[dict[SessionKind, str]] = {
    _K.EASY: "easy",
    _K.LONG: "long",
    _K.RECOVERY: "rec",
    _K.TEMPO: "tmp",
    _K.THRESHOLD: "thr",
    _K.INTERVALS: "int",
    _K.REPETITIONS: "rep",
    _K.RACE_PACE: "rp",
    _K.HILLS: "hill",
    _K.STRIDES: "str",
    _K.RACE: "RACE",
    _K.RUN_WALK: "rw",
    _K.TIME_TRIAL: "TT",
}


#: What the abbreviations mean, for the caption.
ABBREVIATIONS_TEXT: Final = (
    "rec recovery, tmp tempo, thr threshold, int intervals, rep repetitions, "
    "rp race pace, hill hills, str easy + strides, cut cutback week"
)


def _km(metres: float, unit: DistanceUnit = DistanceUnit.KM) -> str:
    return f"{metres / metres_per_unit(unit):.0f}"


def week_sessions_text(week: Week, unit: DistanceUnit = DistanceUnit.KM) -> str:
    """Quality sessions, long run and race by day, then the easy runs' count and mean
    distance (in ``unit``)."""
    parts: list[str] = []
    easy: list[float] = []
    for s in week.sessions:
        if s.kind is _K.REST:
            continue
        if s.kind in (_K.EASY, _K.RECOVERY):
            easy.append(s.distance_m)
            continue
        parts.append(f"{s.date:%a} {SESSION_ABBREVIATIONS[s.kind]} {_km(s.distance_m, unit)}")
    if easy:
        parts.append(f"{len(easy)} easy {_km(sum(easy) / len(easy), unit)}")
    return " · ".join(parts)


def _caption(plan: Plan, unit: DistanceUnit) -> str:
    paces = plan.paces_s_per_km
    easy = paces.get("easy")
    race = plan.goal.race_pace_s_per_km
    if not isinstance(easy, list) or race is None:  # Couch to 5K: time-based, no paces
        return (
            f"Run/walk by time at a pace you could talk at, no pace targets; {unit.value}: "
            "an estimate of the week's distance. rw run/walk (a walk before and after), "
            "TT 5K time trial. "
            "Full steps: --markdown or --json."
        )

    def pace(v: float) -> str:
        return format_pace(v, unit)

    return (
        f"Paces: easy {pace(easy[0])}–{pace(easy[1])}, "
        + ", ".join(f"{name} {pace(v)}" for name, v in paces.items() if not isinstance(v, list))
        + f", race {pace(race)}. "
        f"{unit.value}: the week's total, race included (race week: training at most 60% of "
        f"peak, race excluded). {ABBREVIATIONS_TEXT}. Full reasons: --markdown or --json."
    )


def plan_table(plan: Plan, unit: DistanceUnit = DistanceUnit.KM) -> Table:
    """A rich table of the plan, one row per week, with the headline as its title."""
    caption = _caption(plan, unit)
    table = Table(
        title=plan_headline(plan),
        caption=caption,
        box=box.SIMPLE_HEAD,
        padding=(0, 1, 0, 0),
        show_edge=False,
    )
    table.add_column("Wk", justify="right", no_wrap=True)
    table.add_column("Start", no_wrap=True)
    table.add_column("Phase", no_wrap=True)
    table.add_column(unit.value, justify="right", no_wrap=True)
    table.add_column("Sessions", overflow="fold", ratio=3)
    table.add_column("Why", overflow="fold", ratio=2, max_width=SUMMARY_MAX_CHARS)
    for week in plan.weeks:
        phase = "cut" if week.cutback else ("lead" if week.lead_in else week.phase.value[:5])
        table.add_row(
            str(week.index + 1),
            f"{week.start:%b %d}",
            phase,
            _km(week.distance_m, unit),
            week_sessions_text(week, unit),
            week.summary,
        )
    return table
