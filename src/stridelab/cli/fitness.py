"""``stridelab fitness``: what the stored runs say about the runner's fitness."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from stridelab.cli.clock import TodayOption, resolve_today
from stridelab.cli.root import app, console, print_json
from stridelab.units import DistanceUnit, format_distance, format_duration, format_pace

if TYPE_CHECKING:
    from stridelab.physiology.fitness import FitnessEstimate

_DB_HELP = "SQLite store file (default: $STRIDELAB_DB, else the user data dir)."


@app.command()
def fitness(
    db: Annotated[Path | None, typer.Option("--db", help=_DB_HELP)] = None,
    today_text: TodayOption = None,
    units: Annotated[
        DistanceUnit, typer.Option("--units", help="Distances and paces in km or mi.")
    ] = DistanceUnit.KM,
    age: Annotated[
        float | None,
        typer.Option(
            "--age", min=10, max=100, help="Age in years, for Tanaka's max HR (else the profile's)."
        ),
    ] = None,
    history: Annotated[
        bool, typer.Option("--history", help="Show the VDOT estimate week by week.")
    ] = False,
    plot: Annotated[
        Path | None, typer.Option("--plot", help="With --history: write a PNG chart here.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")] = False,
) -> None:
    """Effective VDOT, best efforts, critical speed, zones and predictions from your runs.

    Example: stridelab fitness --today 2027-03-01 --units mi
    """
    from stridelab.coach.db import DEFAULT_ATHLETE_ID
    from stridelab.coach.fitness import (
        athlete_fitness,
        athlete_fitness_history,
        history_rows,
        saved_profile,
    )
    from stridelab.store import open_store

    today = resolve_today(today_text)
    with open_store(db) as store:
        profile = saved_profile(store)
        if history or plot is not None:
            weeks = athlete_fitness_history(store, DEFAULT_ATHLETE_ID, profile, today, age)
        else:
            estimate = athlete_fitness(store, DEFAULT_ATHLETE_ID, profile, today, age)
    if history or plot is not None:
        rows = history_rows(weeks)
        if plot is not None:
            from stridelab.store.fitness_plot import plot_vdot_history

            plot_vdot_history(weeks, plot)
        if as_json:
            print_json({"today": today.isoformat(), "weeks": rows})
            return
        _render_history(rows)
        if plot is not None:
            console.print(f"wrote {plot}")
        return
    if as_json:
        print_json(estimate.as_dict())
        return
    _render(estimate, units)


def _render_history(rows: list[dict[str, Any]]) -> None:
    from rich.table import Table

    table = Table("week ending", "VDOT", "range", "basis")
    for row in rows:
        if row["vdot"] is None:
            table.add_row(row["week_end"], "–", "", "no runs with distance yet")
            continue
        lo, hi = row["vdot_range"]
        table.add_row(
            row["week_end"], f"{row['vdot']:.1f}", f"{lo:.1f}–{hi:.1f}", row["vdot_basis"]
        )
    console.print(table)


def _render(estimate: FitnessEstimate, units: DistanceUnit) -> None:
    from rich.table import Table

    data = estimate.as_dict()
    if data["vdot"] is None:
        console.print(f"VDOT: unknown ({data['vdot_basis']})")
    else:
        lo, hi = data["vdot_range"]
        console.print(
            f"VDOT [bold]{data['vdot']:.1f}[/] ({lo:.1f}–{hi:.1f}) from {data['vdot_basis']}"
        )
    max_hr = data["max_hr_bpm"]
    console.print(
        f"Max HR {max_hr:.0f} bpm: {data['max_hr_source']}"
        if max_hr is not None
        else f"Max HR: {data['max_hr_source']} (or give --age)"
    )
    lthr = data["lthr_bpm"]
    console.print(
        f"LTHR {lthr:.0f} bpm: {data['lthr_source']}" if lthr else f"LTHR: {data['lthr_source']}"
    )
    cs = estimate.critical_speed
    if cs is not None:
        console.print(
            f"Critical speed {format_pace(1000 / cs.speed_m_s, units)}, D′ {cs.d_prime_m:.0f} m "
            f"(R² {cs.r_squared:.3f}, {len(cs.points)} efforts)"
        )
    else:
        console.print("Critical speed: needs all-out 2–12 min efforts from at least two runs")
    console.print(
        f"Last 4 weeks: {format_distance(data['weekly_km'] * 1000, units)}/week, "
        f"{data['readiness']['runs_per_week']:.1f} runs/week, longest run in 30 days "
        f"{format_distance(data['long_run_km'] * 1000, units)}, "
        f"{len(data['readiness']['quality_sessions'])} quality sessions"
    )
    if data["predictions_s"]:
        table = Table("race", "predicted", "range")
        for name, (lo_s, hi_s) in data["prediction_ranges_s"].items():
            table.add_row(
                name,
                format_duration(data["predictions_s"][name]),
                f"{format_duration(lo_s)}–{format_duration(hi_s)}",
            )
        if "marathon_critical_speed" in data["predictions_s"]:
            cs_time = data["predictions_s"]["marathon_critical_speed"]
            table.add_row("marathon (85 % of CS)", format_duration(cs_time), "")
        console.print(table)
    if estimate.best_efforts:
        table = Table("effort", "best ever", "date", "last 90 days", "date")
        for name, best in estimate.best_efforts.items():
            recent = estimate.recent_best_efforts.get(name)
            table.add_row(
                name,
                _effort_text(best.effort.kind, best.effort.time_s, best.effort.distance_m, units),
                best.day.isoformat(),
                ""
                if recent is None
                else _effort_text(
                    recent.effort.kind, recent.effort.time_s, recent.effort.distance_m, units
                ),
                "" if recent is None else recent.day.isoformat(),
            )
        console.print(table)
    if data["pace_zones_s_per_km"]:
        paces = data["pace_zones_s_per_km"]
        easy = paces["easy"]
        console.print(
            f"Paces: easy {format_pace(easy[0], units)}–{format_pace(easy[1], units)}, "
            + ", ".join(
                f"{k} {format_pace(paces[k], units)}"
                for k in ("marathon", "threshold", "interval", "repetition")
            )
        )
    if estimate.hr_zones:
        console.print(
            "HR zones (Friel): "
            + ", ".join(
                f"{z.name.split()[0]} {z.low_bpm:.0f}"
                + ("+" if z.high_bpm is None else f"–{z.high_bpm:.0f}")
                for z in estimate.hr_zones
            )
        )
    for note in data["notes"]:
        console.print(f"[dim]{note}[/]")


def _effort_text(kind: str, time_s: float, distance_m: float, units: DistanceUnit) -> str:
    if kind == "distance":
        return format_duration(time_s)
    return (
        f"{format_distance(distance_m, units)} ({format_pace(time_s / distance_m * 1000, units)})"
    )
