"""CLI commands of the Analyse job: import, activities, trends, analyze.

``stridelab import`` exit codes: 0 when every file was imported or already stored,
1 when some failed but others were imported or already stored, 2 when nothing could
be imported (every file failed, or no activity file was found).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from stridelab.cli.clock import TodayOption, resolve_today
from stridelab.cli.options import LIMIT_RANGE, chart_option, ranged
from stridelab.cli.root import app, console, err_console, print_json
from stridelab.cli.workers import Scheduler, Workers, compute_from
from stridelab.physiology.limits import BODY_MASS_RANGE_KG, MAX_HR_RANGE_BPM, RESTING_HR_RANGE_BPM
from stridelab.units import (
    format_distance,
    format_duration,
    format_pace,
    pace_s_per_km_from_time,
)

if TYPE_CHECKING:
    from stridelab.activities.analysis import ActivityAnalysis, AnalysisSettings
    from stridelab.activities.readers import DamagedFile
    from stridelab.store import ImportSummary, StoredActivity, Trends

_DB_HELP = "SQLite store file (default: $STRIDELAB_DB, else the user data dir)."
#: ``stridelab trends`` shows this many recent weeks in its table.
TRENDS_DEFAULT_WEEKS = 12


MaxHr = Annotated[float | None, ranged("--max-hr", MAX_HR_RANGE_BPM, "Max HR for zones and load")]
RestHr = Annotated[float | None, ranged("--rest-hr", RESTING_HR_RANGE_BPM, "Resting HR for load")]
MassKg = Annotated[float | None, ranged("--mass-kg", BODY_MASS_RANGE_KG, "Body mass for kcal")]


def _settings(max_hr: float | None, rest_hr: float | None, mass: float | None) -> AnalysisSettings:
    from stridelab.activities.analysis import AnalysisSettings

    defaults = AnalysisSettings()
    return AnalysisSettings(
        max_hr_bpm=max_hr,
        resting_hr_bpm=rest_hr if rest_hr is not None else defaults.resting_hr_bpm,
        body_mass_kg=mass if mass is not None else defaults.body_mass_kg,
    )


Salvage = Annotated[
    bool,
    typer.Option(
        "--salvage",
        help="Keep what a damaged FIT file holds before the damage instead of rejecting it.",
    ),
]


def _damaged(salvage: bool) -> DamagedFile:
    from stridelab.activities.readers import DamagedFile

    return DamagedFile.SALVAGE if salvage else DamagedFile.REJECT


def _fmt(value: float | None, spec: str = ".0f", unit: str = "") -> str:
    return "—" if value is None else f"{value:{spec}}{unit}"


@app.command(name="import")
def import_(
    paths: Annotated[list[Path], typer.Argument(help="Files, folders or export zips to import.")],
    db: Annotated[Path | None, typer.Option("--db", help=_DB_HELP)] = None,
    max_hr: MaxHr = None,
    rest_hr: RestHr = None,
    mass: MassKg = None,
    salvage: Salvage = False,
    workers: Workers = None,
    scheduler: Scheduler = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
) -> int:
    """Import FIT/TCX/GPX files, folders and Strava or Garmin export zips into the store.

    Re-importing adds nothing twice (activities are keyed by content). Bad files are
    listed with a reason and skipped. Decoding runs on every core (--workers) or on a
    Dask cluster (--scheduler); this process alone writes the store.
    Exit code 0: all stored; 1: some failed; 2: none.

    Example: stridelab import ~/Downloads/export_12345.zip --db runs.db --workers 2
    """
    from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn

    from stridelab.store import import_paths, open_store

    compute = compute_from(workers, scheduler)
    with (
        open_store(db) as store,
        Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            BarColumn(),
            TextColumn("{task.completed} files"),
            console=err_console,
            transient=True,
            disable=as_json,
        ) as progress,
    ):
        task = progress.add_task("importing", total=None)
        summary = import_paths(
            store,
            paths,
            progress=lambda r: progress.update(task, advance=1, description=Path(r.name).name),
            settings=_settings(max_hr, rest_hr, mass),
            damaged=_damaged(salvage),
            compute=compute,
        )
    if as_json:
        print_json(summary.to_dict())
    else:
        _render_import(summary)
    stored = summary.imported + summary.duplicates
    if stored == 0:
        return 2
    return 1 if summary.failed else 0


def _render_import(summary: ImportSummary) -> None:
    console.print(
        f"imported {summary.imported}, skipped {summary.duplicates} already stored, "
        f"failed {len(summary.failed)}"
    )
    for failure in summary.failed:
        err_console.print(f"  failed: {failure.reason}", highlight=False, soft_wrap=True)
    if not summary.results:
        err_console.print("no activity files found (FIT, TCX, GPX, .gz or export .zip)")


@app.command()
def activities(
    db: Annotated[Path | None, typer.Option("--db", help=_DB_HELP)] = None,
    limit: Annotated[int | None, ranged("--limit", LIMIT_RANGE, "Show only the newest N")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
) -> None:
    """List the activities in the store, newest first.

    Example: stridelab activities --limit 10
    """
    from stridelab.store import list_activities, open_store

    with open_store(db) as store:
        rows = list_activities(store, limit=limit)
    if as_json:
        print_json([row.to_dict() for row in rows])
        return
    _render_activities(rows)


@app.command()
def delete(
    ids: Annotated[list[int], typer.Argument(help="Activity ids (see stridelab activities).")],
    db: Annotated[Path | None, typer.Option("--db", help=_DB_HELP)] = None,
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask before deleting.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of text.")] = False,
) -> None:
    """Delete activities from the store, with their samples, laps and best efforts.

    All or nothing: an unknown id deletes none. Importing the same file again brings an
    activity back. Loads, fitness and trends follow at once.

    Example: stridelab delete 12 13 --yes
    """
    from stridelab.coach.db import open_coach
    from stridelab.coach.runs import purge_activities

    if not yes and not typer.confirm(
        f"Delete {len(ids)} activit{'y' if len(ids) == 1 else 'ies'}?"
    ):
        raise typer.Abort
    with open_coach(db) as store:
        purge_activities(store, ids)
    if as_json:
        print_json({"deleted": ids})
        return
    console.print(
        f"deleted {len(ids)} activit{'y' if len(ids) == 1 else 'ies'}: {', '.join(map(str, ids))}"
    )


def _render_activities(rows: list[StoredActivity]) -> None:
    from rich.table import Table

    table = Table("id", "start (UTC)", "sport", "distance", "time", "pace", "HR", "cadence")
    for row in rows:
        s = row.summary
        distance, timer = s.get("distance_m"), s.get("timer_time_s")
        moving = s.get("moving_time_s") or timer
        pace = (
            format_pace(pace_s_per_km_from_time(moving, distance)) if distance and moving else "—"
        )
        table.add_row(
            str(row.id),
            (row.start_utc or "")[:16].replace("T", " "),
            row.sport,
            format_distance(distance) if distance else "—",
            format_duration(timer) if timer else "—",
            pace,
            _fmt(s.get("avg_hr_bpm")),
            _fmt(s.get("avg_cadence_spm")),
        )
    console.print(table)


@app.command()
def trends(
    db: Annotated[Path | None, typer.Option("--db", help=_DB_HELP)] = None,
    plot: Annotated[Path | None, chart_option("Also write a chart here")] = None,
    weeks: Annotated[
        int, typer.Option("--weeks", help="Show the last N weeks (0: all).", min=0)
    ] = TRENDS_DEFAULT_WEEKS,
    today_text: TodayOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
) -> None:
    """Weekly running volume, load (CTL/ATL/TSB), cadence, contact time and other sports
    up to today: the same weeks and numbers as the web app's Trends page.

    Example: stridelab trends --weeks 26 --plot trends.png
    """
    from stridelab.coach.db import DEFAULT_ATHLETE_ID
    from stridelab.coach.profile import load_profile
    from stridelab.store import open_store, weekly_trends

    today = resolve_today(today_text)
    with open_store(db) as store:
        profile = load_profile(store, DEFAULT_ATHLETE_ID)  # its time zone and threshold pace
        result = weekly_trends(
            store,
            until=today,
            zone=profile.zone,
            threshold_pace_s_per_km=profile.threshold_pace_s_per_km,
        ).last(weeks)
    if plot is not None:
        from stridelab.store.plot import plot_trends

        plot_trends(result, plot)
    if as_json:
        print_json(result.to_dict())
        return
    _render_trends(result)
    if plot is not None:
        console.print(f"wrote {plot}")


def _render_trends(result: Trends) -> None:
    from rich.table import Table

    table = Table(
        "week", "runs", "distance", "time", "load", "CTL", "ATL", "TSB", "cad", "GCT", "other"
    )
    for week in result.weeks:
        table.add_row(
            week.week_start,
            str(week.runs),
            format_distance(week.distance_m),
            format_duration(week.timer_time_s),
            _fmt(week.training_load),
            _fmt(week.ctl),
            _fmt(week.atl),
            _fmt(week.tsb, "+.0f"),
            _fmt(week.avg_cadence_spm),
            _fmt(week.avg_ground_contact_ms),
            ", ".join(f"{o.sport} {format_duration(o.timer_time_s)}" for o in week.other_sports),
        )
    console.print(table)


@app.command()
def analyze(
    file: Annotated[Path, typer.Argument(help="A FIT, TCX or GPX file (optionally .gz).")],
    plot: Annotated[Path | None, chart_option("Write a pace/HR/cadence/GCT chart here")] = None,
    max_hr: MaxHr = None,
    rest_hr: RestHr = None,
    mass: MassKg = None,
    salvage: Salvage = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON, not a summary.")] = False,
) -> None:
    """Analyse one watch file: metrics per session and lap, splits, insights, device summary.

    Example: stridelab analyze run.fit --json --plot run.png
    """
    from stridelab.activities.analysis import analyse_activity
    from stridelab.activities.readers import read_activity

    activity = read_activity(file, damaged=_damaged(salvage))
    result = analyse_activity(activity, _settings(max_hr, rest_hr, mass))
    if plot is not None and activity.sessions:
        from stridelab.activities.plot import plot_session

        main = max(activity.sessions, key=lambda session: len(session.samples))
        plot_session(main.samples, plot, title=f"{file.name} — {main.sport}")
    if as_json:
        print_json(result.to_dict())
        return
    _render_analysis(result)
    if plot is not None:
        console.print(f"wrote {plot}")


def _render_analysis(result: ActivityAnalysis) -> None:
    from rich.table import Table

    console.print(f"[bold]{result.file}[/] ({result.format}, {result.device or 'unknown device'})")
    warnings = result.metadata.get("decode_warnings")
    if warnings:
        err_console.print(f"[yellow]salvaged:[/] {warnings}", highlight=False, soft_wrap=True)
    for session in result.sessions:
        m = session.metrics
        table = Table(
            "metric", "computed", "device", title=f"{m.sport} from {m.start:%Y-%m-%d %H:%M}Z"
        )
        device = session.device_summary
        rows = [
            ("distance (m)", m.distance_m, "distance_m", ".0f"),
            ("timer time (s)", m.timer_time_s, "timer_time_s", ".0f"),
            ("moving time (s)", m.moving_time_s, None, ".0f"),
            ("avg HR (bpm)", m.avg_hr_bpm, "avg_hr_bpm", ".0f"),
            ("max HR (bpm)", m.max_hr_bpm, "max_hr_bpm", ".0f"),
            ("cadence (steps/min)", m.avg_cadence_spm, "avg_cadence_spm", ".0f"),
            ("contact time (ms)", m.avg_ground_contact_ms, "avg_ground_contact_ms", ".0f"),
            (
                "vertical osc. (mm)",
                m.avg_vertical_oscillation_mm,
                "avg_vertical_oscillation_mm",
                ".0f",
            ),
            ("step length (m)", m.avg_step_length_m, "avg_step_length_m", ".2f"),
            ("power (W)", m.avg_power_w, "avg_power_w", ".0f"),
            ("calories (kcal)", session.calories_kcal, "calories_kcal", ".0f"),
            ("training load", session.training_load, None, ".0f"),
        ]
        for label, value, key, spec in rows:
            theirs = device.get(key) if key else None
            table.add_row(
                label,
                _fmt(value, spec),
                _fmt(theirs if isinstance(theirs, float | int) else None, spec),
            )
        gap = m.grade_adjusted_pace_s_per_km
        table.add_row("pace", format_pace(m.avg_pace_s_per_km) if m.avg_pace_s_per_km else "—", "")
        table.add_row("grade-adjusted pace", format_pace(gap) if gap else "—", "")
        console.print(table)
        for insight in session.insights:
            console.print(f"[bold]{insight.title}[/]: {insight.text}", soft_wrap=True)
