"""The plan as a terminal table (rich): one line per week, fitting a 100-column terminal.

Each row: week, start, phase, km, a compact session string with the long run
(``"Tue thr 8 · Thu int 7 · Sun long 16 · 2 easy 6"``, easy runs by count and mean km)
and a short reason (:attr:`stridelab.plans.model.Week.summary`). The full explanations
are in ``--markdown`` and ``--json``.
"""

from __future__ import annotations

from typing import Final

from rich import box
from rich.table import Table

from stridelab.plans.explain import SUMMARY_MAX_CHARS
from stridelab.plans.export.text import plan_headline
from stridelab.plans.model import Plan, SessionKind, Week
from stridelab.units import M_PER_KM, format_pace

__all__ = ["SESSION_ABBREVIATIONS", "plan_table", "week_sessions_text"]

_K = SessionKind
#: Short names of session kinds in the table.
SESSION_ABBREVIATIONS: Final[dict[SessionKind, str]] = {
    _K.EASY: "easy",
    _K.LONG: "long",
    _K.RECOVERY: "rec",
    _K.TEMPO: "tmp",
    _K.THRESHOLD: "thr",
    _K.INTERVALS: "int",
    _K.RACE_PACE: "rp",
    _K.HILLS: "hill",
    _K.STRIDES: "str",
    _K.RACE: "RACE",
}


def _km(metres: float) -> str:
    return f"{metres / M_PER_KM:.0f}"


def week_sessions_text(week: Week) -> str:
    """Quality sessions, long run and race by day, then the easy runs' count and mean km."""
    parts: list[str] = []
    easy: list[float] = []
    for s in week.sessions:
        if s.kind is _K.REST:
            continue
        if s.kind in (_K.EASY, _K.RECOVERY):
            easy.append(s.distance_m)
            continue
        parts.append(f"{s.date:%a} {SESSION_ABBREVIATIONS[s.kind]} {_km(s.distance_m)}")
    if easy:
        parts.append(f"{len(easy)} easy {_km(sum(easy) / len(easy))}")
    return " · ".join(parts)


def plan_table(plan: Plan) -> Table:
    """A rich table of the plan, one line per week, with the headline as its title."""
    paces = plan.paces_s_per_km
    easy = paces["easy"]
    caption = (
        f"Paces: easy {format_pace(easy[0]) if isinstance(easy, list) else ''}–"
        f"{format_pace(easy[1]) if isinstance(easy, list) else ''}, "
        + ", ".join(
            f"{name} {format_pace(v)}" for name, v in paces.items() if not isinstance(v, list)
        )
        + f", race {format_pace(plan.goal.race_pace_s_per_km)}. "
        "km: the week's total, race included (race week: training at most 60% of peak, "
        "race excluded). Full reasons: --markdown or --json."
    )
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
    table.add_column("km", justify="right", no_wrap=True)
    table.add_column("Sessions", no_wrap=True, overflow="ellipsis")
    table.add_column("Why", no_wrap=True, min_width=SUMMARY_MAX_CHARS)
    for week in plan.weeks:
        phase = "cut" if week.cutback else week.phase.value[:5]
        table.add_row(
            str(week.index + 1),
            f"{week.start:%b %d}",
            phase,
            _km(week.distance_m),
            week_sessions_text(week),
            week.summary,
        )
    return table
