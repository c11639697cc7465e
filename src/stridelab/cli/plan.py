"""CLI commands of the Plan job: paces, plan, warmup, drills."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from stridelab.cli.clock import TodayOption, resolve_today
from stridelab.cli.options import ranged
from stridelab.cli.root import app, console, print_json
from stridelab.errors import InputError
from stridelab.plans.model import AGE_YEARS_RANGE, MAX_WEEKLY_RAMP
from stridelab.units import DistanceUnit

#: ``--units km|mi`` (display only: JSON stays SI).
UnitsOption = Annotated[
    DistanceUnit,
    typer.Option("--units", help="Show distances and paces in km or mi (JSON stays SI)."),
]

if TYPE_CHECKING:
    from stridelab.coach.fitness import PlanFitness
    from stridelab.physiology.vdot import RaceReport
    from stridelab.plans.beginner import BeginnerRequest
    from stridelab.plans.model import Plan, PlanRequest

# ---- plan -------------------------------------------------------------------------------
# Thin adapter over stridelab.plans.generate_plan and stridelab.plans.export.


@app.command()
def plan(
    goal: str | None = typer.Option(
        None, "--goal", help="Goal race: 5k, 10k, half, marathon or metres."
    ),
    race_date: str | None = typer.Option(None, "--race-date", help="Race day, YYYY-MM-DD."),
    days_per_week: int | None = typer.Option(None, "--days-per-week", help="Running days, 3–7."),
    can_run_minutes: float | None = typer.Option(
        None,
        "--can-run-minutes",
        help="Beginner: minutes you can run without stopping now (0–30); gives Couch to 5K.",
    ),
    current_weekly_km: float | None = typer.Option(
        None, "--current-weekly-km", help="What you run per week now (km); or from --db."
    ),
    db: str | None = typer.Option(
        None, "--db", help="Take fitness and volume from this store's runs when not given."
    ),
    recent: str | None = typer.Option(
        None, "--recent", help="A recent all-out race, distance=time, e.g. 5k=24:30."
    ),
    vdot: float | None = typer.Option(None, "--vdot", help="Current fitness as VDOT instead."),
    goal_time: str | None = typer.Option(None, "--goal-time", help="Target time, e.g. 49:00."),
    start: str | None = typer.Option(
        None, "--start", help="First day of the plan (default: next Monday)."
    ),
    long_run_day: str = typer.Option("sun", "--long-run-day", help="Weekday of the long run."),
    unavailable: str | None = typer.Option(
        None, "--unavailable", help="Weekdays you cannot run, e.g. mon,wed."
    ),
    max_ramp: float = typer.Option(
        MAX_WEEKLY_RAMP, "--max-ramp", help="Largest week-over-week volume increase (0.10 = 10%)."
    ),
    long_run_km: float | None = typer.Option(
        None,
        "--current-long-run-km",
        "--long-run-km",
        help="Your longest run of the last 30 days (km); default 30% of the week, ≤ 20 km.",
    ),
    current_quality: int = typer.Option(
        0,
        "--current-quality-per-week",
        help="Hard sessions (intervals, tempo, hills) in a usual week now; kept as a floor.",
    ),
    age: Annotated[
        int | None,
        ranged(
            "--age",
            AGE_YEARS_RANGE,
            "Your age: from 50, a cutback every 3rd week; or the profile's, with --db",
        ),
    ] = None,
    returning: bool = typer.Option(
        False,
        "--returning",
        help="Back after a break or injury: cutback every 3rd week, no hard fast work at first.",
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the plan as JSON."),
    units: UnitsOption = DistanceUnit.KM,
    ics: str | None = typer.Option(None, "--ics", help="Write an iCalendar file here."),
    fit_dir: str | None = typer.Option(
        None, "--fit-dir", help="Write one FIT workout per quality session here."
    ),
    markdown: str | None = typer.Option(None, "--markdown", help="Write Markdown here."),
    save: bool = typer.Option(
        False,
        "--save",
        help="Store it as your current plan in the web app's store (--db, else the default).",
    ),
    today_text: TodayOption = None,
) -> None:
    """A least-mileage training plan for a race, with warm-ups and watch/calendar exports.

    Example: stridelab plan --goal 10k --race-date 2027-04-18 --recent 5k=24:30
    --days-per-week 4 --start 2027-01-04 --current-weekly-km 25

    Beginners: stridelab plan --can-run-minutes 0 (Couch to 5K, no race needed).
    """
    from stridelab.plans import generate_plan
    from stridelab.plans.export import plan_table, write_fit_workouts, write_ics, write_markdown
    from stridelab.plans.parse import beginner_request, plan_request

    today = resolve_today(today_text)
    if can_run_minutes is not None:
        given = {
            "--race-date": race_date,
            "--recent": recent,
            "--vdot": vdot,
            "--goal-time": goal_time,
            "--current-weekly-km": current_weekly_km,
            "--db without --save": None if save else db,  # with --save: where it is stored
            "--age": age,
            "--returning": returning or None,
        }
        beginner = beginner_request(
            can_run_minutes=can_run_minutes,
            goal=goal,
            days_per_week=days_per_week,
            start=start,
            long_run_day=long_run_day,
            unavailable=unavailable,
            also_given=[name for name, value in given.items() if value is not None],
        )
        c25k = generate_plan(beginner, today=today)
        saved_to = _save_plan(beginner, c25k, _path(db), today) if save else None
        _render_plan(c25k, as_json, units, ics, markdown, fit_dir)
        if saved_to is not None and not as_json:
            console.print(
                f"saved as your current plan in {saved_to}; see a day with: stridelab today"
            )
        return
    if goal is None or race_date is None or days_per_week is None:
        missing = [
            name
            for name, value in (
                ("--goal", goal),
                ("--race-date", race_date),
                ("--days-per-week", days_per_week),
            )
            if value is None
        ]
        raise InputError(
            f"A race plan needs {', '.join(missing)}",
            hint="Give them, or --can-run-minutes N for a Couch to 5K plan without a race.",
        )
    source = "options given on the command line"
    store = None
    if db is not None:
        from stridelab.coach.fitness import plan_fitness
        from stridelab.store import open_store

        with open_store(db) as database:
            store = plan_fitness(database, today)
        use_vdot = recent is None and vdot is None and store.vdot is not None
        use_weekly = current_weekly_km is None
        use_long = long_run_km is None and store.long_run_km is not None
        use_age = age is None and store.age_years is not None
        source = store.source(
            vdot_used=use_vdot, weekly_used=use_weekly, long_run_used=use_long, age_used=use_age
        )
        age = store.age_years if use_age else age
        vdot = round(store.vdot, 1) if use_vdot and store.vdot is not None else vdot
        current_weekly_km = store.weekly_km if use_weekly else current_weekly_km
        long_run_km = store.long_run_km if use_long else long_run_km
    if current_weekly_km is None:
        raise InputError(
            "the plan needs your current weekly distance",
            hint="Give --current-weekly-km, or --db to take it from your imported runs.",
        )
    request = plan_request(
        goal=goal,
        race_date=race_date,
        days_per_week=days_per_week,
        current_weekly_km=current_weekly_km,
        recent=recent,
        vdot=vdot,
        goal_time=goal_time,
        start=start,
        long_run_day=long_run_day,
        unavailable=unavailable,
        max_ramp=max_ramp,
        long_run_km=long_run_km,
        current_quality=current_quality,
        age=age,
        returning=returning,
    )
    result = generate_plan(request, today=today)
    saved = _save_plan(request, result, _path(db), today) if save else None
    written = [write_ics(result, Path(ics))] if ics else []
    written += [write_markdown(result, Path(markdown))] if markdown else []
    written += write_fit_workouts(result, Path(fit_dir)) if fit_dir else []
    data = result.as_dict()
    data["goal"]["fitness_source"] = source
    _add_forecast(data, store, today, request.current_weekly_m)
    if as_json:
        print_json(data)
        return
    console.print(f"Fitness: {source}")
    if data["forecast"]["days"]:
        from stridelab.units import format_duration

        lo, hi = data["goal"]["predicted_range_s"]
        race = data["forecast"]["race_day"]
        console.print(
            f"Predicted {format_duration(lo)}–{format_duration(hi)}; on race day fitness (CTL) "
            f"{race['ctl']}, fatigue (ATL) {race['atl']}, form (TSB) {race['tsb']}"
        )
    console.print(plan_table(result, units))
    for note in result.notes:
        console.print(note)
    for path in written:
        console.print(f"wrote {path}")
    if saved is not None:
        console.print(f"saved as your current plan in {saved}; see a day with: stridelab today")


def _render_plan(
    result: Plan,
    as_json: bool,
    units: DistanceUnit,
    ics: str | None,
    markdown: str | None,
    fit_dir: str | None,
) -> None:
    """Write the exports asked for, then print the plan as JSON or as a table."""
    from stridelab.plans.export import plan_table, write_fit_workouts, write_ics, write_markdown

    written = [write_ics(result, Path(ics))] if ics else []
    written += [write_markdown(result, Path(markdown))] if markdown else []
    written += write_fit_workouts(result, Path(fit_dir)) if fit_dir else []
    if as_json:
        print_json(result.as_dict())
        return
    console.print(plan_table(result, units))
    for note in result.notes:
        console.print(note)
    for path in written:
        console.print(f"wrote {path}")


def _path(db: str | None) -> Path | None:
    return None if db is None else Path(db)


def _save_plan(
    request: PlanRequest | BeginnerRequest, result: Plan, db: Path | None, day: dt.date
) -> Path:
    """Store ``result`` as the single user's current plan (coach.planning.save_plan); the
    request is stored with it (a Couch to 5K one with its ``program`` marker)."""
    from stridelab.coach.db import DEFAULT_ATHLETE_ID, open_coach
    from stridelab.coach.planning import PlanOrigin, save_plan

    with open_coach(db) as database:
        save_plan(
            database,
            DEFAULT_ATHLETE_ID,
            request,
            result,
            PlanOrigin.GENERATED,
            due_from=day,
        )
    return database.path


@app.command()
def today(
    date: str | None = typer.Option(
        None, "--date", help="The day, YYYY-MM-DD (default: STRIDELAB_TODAY, else the clock)."
    ),
    db: Annotated[
        Path | None,
        typer.Option("--db", help="SQLite store (default: STRIDELAB_DB or the data folder)."),
    ] = None,
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of text."),
    units: UnitsOption = DistanceUnit.KM,
) -> None:
    """What to run on a day of your current plan: the session, its warm-up, steps, targets.

    Example: stridelab today --date 2027-01-12 --json
    """
    import os

    from stridelab.cli.clock import TODAY_ENV
    from stridelab.coach.today import today_from_store
    from stridelab.store import resolve_db_path

    day = resolve_today(date or os.environ.get(TODAY_ENV))
    view = today_from_store(resolve_db_path(db), day)
    if as_json:
        print_json(view)
        return
    session = view["session"]
    if session is None:
        console.print(f"{view['date']}: your plan has no session on this day.")
        return
    week = view["week"] or {}
    minutes = session.get("total_duration_s", session["duration_s"]) / 60
    console.print(f"[bold]{view['date']} · {session['title']}[/] (about {minutes:.0f} min)")
    console.print(f"Week of {week.get('start')}, {week.get('phase')}: {week.get('summary')}")
    console.print(session["description"])
    warm = session.get("warmup")
    if warm:
        drills = ", ".join(d["name"] for d in warm.get("drills", []))
        console.print(f"Warm-up ({warm['duration_s'] / 60:.0f} min): {drills}")
    for step in session.get("steps", []):
        console.print(f"  • {_step_line(step, units)}")


def _step_line(step: dict[str, object], unit: DistanceUnit = DistanceUnit.KM) -> str:
    from stridelab.units import format_distance, format_duration, format_pace

    if step.get("kind") == "repeat":
        inner = "; ".join(_step_line(s, unit) for s in step.get("steps", []))  # type: ignore[attr-defined]
        return f"{step.get('repeat')} × ({inner})"
    size = (
        format_distance(float(step["distance_m"]), unit)  # type: ignore[arg-type]
        if step.get("measure") == "distance"
        else format_duration(float(step["duration_s"]))  # type: ignore[arg-type]
    )
    pace = step.get("pace_s_per_km")
    target = ""
    if isinstance(pace, list) and len(pace) == 2:
        target = f" at {format_pace(float(pace[0]), unit)}–{format_pace(float(pace[1]), unit)}"
    note = f" ({step['note']})" if step.get("note") else ""
    return f"{step.get('kind')} {size}{target}{note}"


def _add_forecast(
    data: dict[str, Any], store: PlanFitness | None, today: dt.date, weekly_m: float
) -> None:
    """``forecast`` and ``goal.predicted_range_s`` (coach.plan_forecast), from the store's
    runs when ``--db`` was given, else from the stated weekly volume."""
    from stridelab.coach.plan_forecast import add_plan_forecast

    band = None
    if store is not None:
        band = store.predicted_range_s(float(data["goal"]["vdot"]), data["goal"]["distance_m"])
    history = None if store is None else store.daily_load
    add_plan_forecast(
        data, today, current_weekly_m=weekly_m, history=history, predicted_range_s=band
    )


# The `plan` command goes above this line (helper B); paces/warmup/drills live below.

# ---- paces, warmup, drills ---------------------------------------------------------------
# Thin adapters over stridelab.physiology.vdot.race_report, stridelab.drills.warmup and
# stridelab.drills.catalogue. Library imports are local so `stridelab --help` stays fast.


@app.command()
def paces(
    race: str = typer.Option(..., "--race", help="Race distance: 5k, 10k, half, marathon, 1500m."),
    time: str = typer.Option(..., "--time", help="Finish time, e.g. 45:00 or 1:32:10."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a table."),
    units: UnitsOption = DistanceUnit.KM,
) -> None:
    """VDOT, race predictions and training paces from one all-out race.

    Example: stridelab paces --race 10k --time 45:00 --json
    """
    from stridelab.physiology.vdot import race_report
    from stridelab.units import parse_distance_m, parse_duration_s

    report = race_report(parse_distance_m(race), parse_duration_s(time))
    if as_json:
        print_json(report.as_dict())
        return
    _render_paces(report, units)


@app.command()
def warmup(
    race: str = typer.Option(..., "--race", help="Race distance: 5k, 10k, half, marathon."),
    start: str = typer.Option(
        ..., "--start", help="Start time, ISO 8601; without an offset it is local time."
    ),
    gap: str = typer.Option("10:00", "--gap", help="Warm-up end to start, 5–15 min (mm:ss)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a table."),
) -> None:
    """Race-morning timeline: the warm-up ends 5–15 min before the gun (default 10).

    Example: stridelab warmup --race 10k --start 2027-04-18T09:00
    """
    from rich.table import Table

    from stridelab.drills.warmup import race_day_timeline
    from stridelab.units import parse_distance_m, parse_duration_s, parse_local_datetime

    timeline = race_day_timeline(
        parse_distance_m(race), parse_local_datetime(start), parse_duration_s(gap)
    )
    if as_json:
        print_json(timeline.as_dict())
        return
    table = Table(title=f"Race morning: start {timeline.start:%Y-%m-%d %H:%M %Z}".strip())
    for column in ("from", "to", "what", "how"):
        table.add_column(column)
    for step in timeline.steps:
        table.add_row(f"{step.starts_at:%H:%M}", f"{step.ends_at:%H:%M}", step.what, step.notes)
    console.print(table)
    console.print(
        f"Active warm-up ends {timeline.gap_s / 60:.0f} min before the start: muscle "
        "temperature falls ~0.1 °C/min once you stop (Kapnia et al. 2022; West et al. 2013). "
        "Keep moving until the gun."
    )


@app.command()
def drills(
    drill_id: str | None = typer.Argument(None, metavar="[ID]", help="A drill, e.g. butt_kicks."),
    video: Annotated[
        Path | None,
        typer.Option(
            "--video",
            metavar="FILE",
            help="Write the drill's reference animation (.webm for browsers, or .mp4).",
        ),
    ] = None,
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of text."),
) -> None:
    """The drill catalogue, or one drill's full how-to, cues and common faults.

    Example: stridelab drills butt-kicks --video butt-kicks.webm
    """
    from rich.table import Table

    from stridelab.drills.catalogue import DRILLS, get_drill

    if video is not None:
        if drill_id is None:
            raise InputError(
                "--video needs a drill", hint="Example: stridelab drills a-skip --video a.webm"
            )
        _drill_video(get_drill(drill_id).id, video, as_json)
        return
    if drill_id is None:
        if as_json:
            print_json({"drills": [d.as_dict() for d in DRILLS.values()]})
            return
        table = Table(title="Drills")
        for column in ("id", "name", "kind", "dose", "purpose"):
            table.add_column(column)
        for d in DRILLS.values():
            table.add_row(d.id, d.name, d.kind.value, d.dose, d.purpose)
        console.print(table)
        return
    drill = get_drill(drill_id)
    if as_json:
        print_json(drill.as_dict())
        return
    console.print(f"[bold]{drill.name}[/] ({drill.id}) — {drill.purpose}")
    for number, step in enumerate(drill.steps, 1):
        console.print(f"  {number}. {step}")
    console.print(f"[bold]Cues:[/] {' · '.join(drill.cues)}")
    console.print(f"[bold]Dose:[/] {drill.dose}")
    faults = Table("fault", "what it looks like", "fix", title="Common faults")
    for fault in drill.faults:
        faults.add_row(fault.id, fault.message, fault.fix)
    console.print(faults)
    met = drill.met
    proxy = " (proxy: no Compendium code for this drill)" if met.is_proxy else ""
    console.print(f"[bold]MET:[/] {met.met:g}, {met.code} {met.description}{proxy}; {met.edition}")
    console.print(f"[bold]Evidence:[/] {drill.evidence}")


def _drill_video(drill_id: str, video: Path, as_json: bool) -> None:
    """Render the reference animation; print the drill with it (JSON) or one line."""
    from stridelab.extras import needs

    with needs("stridelab drills --video"):
        from stridelab.drills.motions import REFERENCE_NOTE
        from stridelab.video.guide import render_guide
        from stridelab.video.render import check_video_suffix
    check_video_suffix(video)  # refused before any work
    guide = render_guide(drill_id, video)
    if as_json:
        from stridelab.drills.catalogue import get_drill

        print_json({**get_drill(drill_id).as_dict(), "video": guide.as_dict()})
        return
    console.print(
        f"Wrote {guide.path}: {guide.drill_id}, {guide.frames} frames, {guide.width}x{guide.height}"
        f" at {guide.fps:g} fps ({guide.duration_s:.1f} s, {guide.reps} reps at"
        f" {guide.reps_per_min:g} {guide.rep_unit}). {REFERENCE_NOTE}.",
        markup=False,
        highlight=False,
        soft_wrap=True,
    )


def _render_paces(report: RaceReport, unit: DistanceUnit = DistanceUnit.KM) -> None:
    from rich.table import Table

    from stridelab.physiology.vdot import RIEGEL_NOTE
    from stridelab.units import format_duration, format_pace

    console.print(f"[bold]VDOT {report.vdot:.1f}[/]")
    races = Table("race", "VDOT prediction", "Riegel (second opinion)", title="Predictions")
    for name, time_s in report.predictions_s.items():
        races.add_row(
            name, format_duration(time_s), format_duration(report.riegel_predictions_s[name])
        )
    console.print(races)
    p = report.paces
    table = Table("intensity", "pace", title="Training paces")
    easy_fast, easy_slow = p.easy_s_per_km
    table.add_row("easy", f"{format_pace(easy_fast, unit)} – {format_pace(easy_slow, unit)}")
    table.add_row("marathon", format_pace(p.marathon_s_per_km, unit))
    table.add_row("threshold", format_pace(p.threshold_s_per_km, unit))
    table.add_row("interval", format_pace(p.interval_s_per_km, unit))
    table.add_row("repetition", format_pace(p.repetition_s_per_km, unit))
    console.print(table)
    console.print(RIEGEL_NOTE)


# ---- end of paces, warmup, drills --------------------------------------------------------
