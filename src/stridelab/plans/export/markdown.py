"""The plan as a Markdown document: headline, paces, then each week with its reasons."""

from __future__ import annotations

from pathlib import Path

from stridelab.plans.baseline import comparison_rows
from stridelab.plans.export.text import plan_headline, session_lines, write_export
from stridelab.plans.model import Plan, Program, SessionKind
from stridelab.units import M_PER_KM, format_distance, format_pace

__all__ = ["plan_markdown", "write_markdown"]


def _paces(plan: Plan) -> list[str]:
    lines = ["| Pace | per km |", "|---|---|"]
    for name, value in plan.paces_s_per_km.items():
        if isinstance(value, list):
            text = f"{format_pace(value[0])} – {format_pace(value[1])}"
        else:
            text = format_pace(value)
        lines.append(f"| {name} | {text} |")
    race = plan.goal.race_pace_s_per_km
    if race is not None:
        lines.append(f"| race ({plan.goal.as_dict()['label']}) | {format_pace(race)} |")
    return lines


def _km(value_m: float | None) -> str:
    return "–" if value_m is None else f"{value_m / M_PER_KM:.1f}"


def _comparison(plan: Plan) -> list[str]:
    """The plan's weeks next to the matching published family's (race excluded)."""
    if plan.baseline is None:
        return []
    name = plan.baseline.name
    rows = comparison_rows([w.as_dict() for w in plan.weeks], plan.baseline.as_dict())
    lines = [
        "",
        f"## Compared with {name}",
        "",
        plan.baseline.why,
        "",
        f"| Week | Starts | stridelab km | long run | {name} km | long run |",
        "|---|---|---|---|---|---|",
    ]
    for number, row in enumerate(rows, start=1):
        lines.append(
            f"| {number} | {row.start} | {_km(row.plan_m)} | {_km(row.plan_long_m)} | "
            f"{_km(row.family_m)} | {_km(row.family_long_m)} |"
        )
    lines.append(
        f"| **Total** (race included) | | **{_km(plan.total_distance_m)}** | | "
        f"**{_km(plan.baseline.total_distance_m)}** | |"
    )
    return lines


def plan_markdown(plan: Plan) -> str:
    """Markdown text of the whole plan."""
    title = f"{plan.goal.as_dict()['label']} on {plan.goal.race_date.isoformat()}"
    if plan.program is Program.COUCH_TO_5K:
        title = f"Couch to 5K, 5K time trial on {plan.goal.race_date.isoformat()}"
    out = [f"# Training plan: {title}", "", plan_headline(plan) + "."]
    if plan.paces_s_per_km:
        out += ["", "## Paces", "", *_paces(plan)]
    if plan.notes:
        out += ["", "## Notes", "", *(f"- {note}" for note in plan.notes)]
    out += _comparison(plan)
    for week in plan.weeks:
        out += [
            "",
            f"## Week {week.index + 1} ({week.start.isoformat()}) — {week.phase.value}"
            f"{', cutback' if week.cutback else ''}: {format_distance(week.distance_m)}"
            f"{f' ({week.summary})' if week.summary else ''}",
            "",
            f"*Why:* {week.explanation}",
            "",
        ]
        for session in week.sessions:
            day = session.date.strftime("%a %d %b")
            if session.kind is SessionKind.REST:
                out.append(f"- **{day}** — rest. {session.description}")
                continue
            first, *rest = session_lines(session)
            out.append(f"- **{day}** — {first}")
            out += [f"  {line}" for line in rest]
    return "\n".join(out) + "\n"


def write_markdown(plan: Plan, path: Path) -> Path:
    """Write :func:`plan_markdown` to ``path`` (UTF-8); return the path."""
    return write_export(path, plan_markdown(plan).encode("utf-8"))
