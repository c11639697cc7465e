"""Plain-text wording of sessions, steps and warm-ups, shared by the Markdown and ICS exports."""

from __future__ import annotations

from pathlib import Path

from stridelab.errors import ExportError
from stridelab.plans.model import Measure, Plan, Program, Session, Step, StepKind
from stridelab.units import format_distance, format_duration, format_pace

__all__ = ["plan_headline", "session_lines", "step_text", "warmup_lines", "write_export"]

_STEP_LABEL = {
    StepKind.WARMUP: "Warm-up",
    StepKind.ACTIVE: "Run",
    StepKind.RECOVERY: "Recover",
    StepKind.COOLDOWN: "Cool-down",
}


def _amount(step: Step) -> str:
    if step.measure is Measure.TIME:
        return format_duration(step.duration_s)
    if step.distance_m < 1000:
        return f"{step.distance_m:.0f} m"
    return format_distance(step.distance_m)


def _pace(step: Step) -> str:
    if step.pace_fast_s_per_km is None or step.pace_slow_s_per_km is None:
        return ""
    fast = format_pace(step.pace_fast_s_per_km).removesuffix("/km")
    return f" at {fast}–{format_pace(step.pace_slow_s_per_km)}"


def step_text(step: Step) -> str:
    """``"Run 800 m at 4:27–4:38/km (interval pace)"``; repeats in brackets."""
    if step.kind is StepKind.REPEAT:
        inner = ", ".join(step_text(s) for s in step.steps)
        return f"{step.repeat} × [{inner}]"
    note = f" ({step.note})" if step.note else ""
    return f"{_STEP_LABEL[step.kind]} {_amount(step)}{_pace(step)}{note}"


def warmup_lines(session: Session) -> list[str]:
    """The warm-up routine, one line per block (jog, mobility, drills, strides)."""
    if session.warmup is None:
        return []
    data = session.warmup.as_dict()
    lines = [f"Warm-up routine ({format_duration(float(data['duration_s']))}):"]
    blocks = data.get("blocks") or [{"name": d["name"]} for d in data.get("drills", [])]
    for block in blocks:
        reps = f" — {block['reps']}" if block.get("reps") else ""
        secs = f" ({format_duration(float(block['duration_s']))})" if "duration_s" in block else ""
        lines.append(f"- {block['name']}{secs}{reps}")
    return lines


def session_lines(session: Session) -> list[str]:
    """Everything about a session as text: what, why, steps, paces, warm-up drills."""
    lines = [
        f"{session.title}: {format_distance(session.distance_m)}, "
        f"about {format_duration(session.duration_s)}",
        session.description,
    ]
    if session.steps:
        lines.append("Steps:")
        lines += [f"{k}. {step_text(s)}" for k, s in enumerate(session.steps, start=1)]
    lines += warmup_lines(session)
    return lines


def plan_headline(plan: Plan) -> str:
    """One line: goal, prediction, total distance next to the matching published plan's."""
    g = plan.goal.as_dict()
    if plan.program is Program.COUCH_TO_5K:
        return (
            f"Couch to 5K: {len(plan.weeks)} week{'s' if len(plan.weeks) > 1 else ''} of "
            "run/walk, 3 runs a week, "
            f"{format_distance(plan.total_distance_m)} in total (estimated), ending with a "
            f"5K time trial on {g['race_date']}"
        )
    saved = plan.baseline_total_distance_m - plan.total_distance_m
    vdot = "" if plan.goal.vdot is None else f"VDOT {plan.goal.vdot:.1f}, "
    target = plan.goal.target_time_s
    aim = "" if target is None else f"target {format_duration(target)}"
    name = plan.baseline.name if plan.baseline is not None else "a fixed template"
    return (
        f"{g['label']} on {g['race_date']} ({vdot}{aim}): {len(plan.weeks)} weeks, "
        f"{format_distance(plan.total_distance_m)} in total vs "
        f"{format_distance(plan.baseline_total_distance_m)} for {name} "
        f"({format_distance(abs(saved))} {'less' if saved >= 0 else 'more'})"
    )


def write_export(path: Path, data: bytes) -> Path:
    """Write an exported plan file, turning an OS error into :class:`ExportError`."""
    try:
        path.write_bytes(data)
    except OSError as exc:
        raise ExportError(
            f"Could not write {path}: {exc.strerror}",
            hint="Check the folder exists and is writable.",
        ) from exc
    return path
