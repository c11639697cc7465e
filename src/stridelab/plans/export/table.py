"""The plan as a terminal table (rich): one row per week, its sessions and its reason."""

from __future__ import annotations

from rich.table import Table

from stridelab.plans.export.text import plan_headline
from stridelab.plans.model import Plan, SessionKind
from stridelab.units import format_pace

__all__ = ["plan_table"]


def _km(metres: float) -> str:
    return f"{metres / 1000:.1f}"


def plan_table(plan: Plan) -> Table:
    """A rich table of the plan with the headline as its title."""
    paces = plan.paces_s_per_km
    easy = paces["easy"]
    caption = (
        f"Paces: easy {format_pace(easy[0]) if isinstance(easy, list) else ''}–"
        f"{format_pace(easy[1]) if isinstance(easy, list) else ''}, "
        + ", ".join(
            f"{name} {format_pace(v)}" for name, v in paces.items() if not isinstance(v, list)
        )
        + f", race {format_pace(plan.goal.race_pace_s_per_km)}"
    )
    table = Table(title=plan_headline(plan), caption=caption, show_lines=True)
    table.add_column("Wk", justify="right")
    table.add_column("Start")
    table.add_column("Phase")
    table.add_column("km", justify="right")
    table.add_column("Long", justify="right")
    table.add_column("Sessions")
    table.add_column("Why")
    for week in plan.weeks:
        runs = [
            f"{s.date:%a} {s.kind.value} {_km(s.distance_m)}"
            for s in week.sessions
            if s.kind is not SessionKind.REST
        ]
        phase = week.phase.value + (" (cutback)" if week.cutback else "")
        table.add_row(
            str(week.index + 1),
            week.start.isoformat(),
            phase,
            _km(week.distance_m),
            _km(week.long_run_m) if week.long_run_m else "–",
            "\n".join(runs),
            week.explanation,
        )
    return table
