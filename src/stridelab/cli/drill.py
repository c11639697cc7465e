"""CLI commands of the Drill-check job: drill."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from stridelab.cli.root import app, console, err_console, print_json
from stridelab.extras import needs
from stridelab.video.kinds import DrillType
from stridelab.video.native import DEFAULT_POSE_MODEL, PoseModel

if TYPE_CHECKING:
    from rich.progress import Progress
    from rich.table import Table

    from stridelab.video.report import DrillReport


def _bar() -> Progress:
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=err_console,
        transient=True,
        disable=not err_console.is_terminal,  # no bar, no stray newline, in a pipe
        auto_refresh=False,  # no refresh thread: pose workers may then start with fork
    )


def _table(report: DrillReport) -> Table:
    from rich.table import Table

    table = Table(title=f"Drill check: {report.drill.value}", show_header=False)
    table.add_row("frames", f"{report.frames} at {report.fps:.1f} fps ({report.duration_s:.1f} s)")
    table.add_row("person in view", f"{report.person_detected_ratio:.0%}")
    table.add_row("steps · cadence", f"{report.steps} · {report.cadence_spm:.1f} steps/min")
    if report.reps is not None:
        table.add_row("reps", " · ".join(f"{foot.value} {n}" for foot, n in report.reps.items()))
    if report.ground_contact_ms is not None:
        resolution = report.metrics.get("contact_time_resolution_ms")
        table.add_row("ground contact", f"{report.ground_contact_ms:.0f} ms (±{resolution} ms)")
    if report.foot_strike is not None:
        table.add_row("foot strike", report.foot_strike.value)
    for key, value in report.metrics.items():
        if key != "warnings" and value is not None:
            shown = (
                " · ".join(f"{k} {v}" for k, v in value.items())
                if isinstance(value, dict)
                else str(value)
            )
            table.add_row(key.replace("_", " "), shown)
    for fault in report.faults:
        table.add_row(f"[red]fault @ frame {fault.frame}[/]", fault.message)
    for warning in report.metrics.get("warnings", []):
        table.add_row("[yellow]note[/]", warning)
    return table


@app.command()
def drill(
    video: Annotated[Path, typer.Argument(help="The clip: from the side, whole body in view.")],
    drill_type: Annotated[
        DrillType, typer.Option("--drill", help="What the clip shows.")
    ] = DrillType.AUTO,
    height_cm: Annotated[
        float | None,
        typer.Option("--height-cm", min=100, max=230, help="Your height: gaps in cm."),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Write an annotated video (.mp4, or .webm for browsers)."),
    ] = None,
    summary: Annotated[
        Path | None, typer.Option("--summary", help="Write a one-page summary PNG.")
    ] = None,
    side_by_side: Annotated[
        Path | None,
        typer.Option(
            "--side-by-side",
            metavar="FILE",
            help="Write your clip beside the drill's reference at your rep rhythm, faults"
            " marked on both (.webm or .mp4).",
        ),
    ] = None,
    model: Annotated[
        PoseModel,
        typer.Option(
            "--model",
            help="Pose model: lite (fastest), full, heavy (best at the foot, ~3x slower).",
        ),
    ] = DEFAULT_POSE_MODEL,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """Check a drill (butt kicks, high knees, A-skips) or running form from a phone video.

    Example: stridelab drill butt_kicks.mp4 --drill butt-kicks --height-cm 172 --out checked.mp4

    Example: stridelab drill butt_kicks.mp4 --side-by-side compare.webm
    """
    with needs("stridelab drill"):
        from stridelab.video.pipeline import check_drill
        from stridelab.video.render import check_video_suffix, render_annotated, render_summary
        from stridelab.video.side_by_side import CheckedClip, render_side_by_side

    if side_by_side is not None:
        check_video_suffix(side_by_side)  # refused before the pose run

    with _bar() as bar:
        task = bar.add_task("pose", total=None)
        report, sequence = check_drill(
            video,
            drill_type,
            height_cm=height_cm,
            model=model,
            progress=lambda done, total: bar.update(
                task, completed=done, total=total, refresh=True
            ),
        )
        if out is not None:
            bar.update(task, description="video", completed=0, total=sequence.frames)
            render_annotated(
                video,
                sequence,
                report,
                out,
                progress=lambda d, t: bar.update(task, completed=d, refresh=d % 10 == 0),
            )
        if side_by_side is not None:
            bar.update(task, description="side by side", completed=0, total=sequence.frames)
            render_side_by_side(
                video,
                CheckedClip.from_report(report, sequence),
                side_by_side,
                progress=lambda d, t: bar.update(task, completed=d, refresh=d % 10 == 0),
            )
    if summary is not None:
        render_summary(sequence, report, summary)
    if as_json:
        print_json(report.to_dict())
        return
    console.print(_table(report))
