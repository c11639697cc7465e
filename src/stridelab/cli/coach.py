"""CLI commands of the Coach job: serve, replan, demo, account."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path
from typing import Annotated, Any

import typer

from stridelab.cli.clock import TodayOption, resolve_today
from stridelab.cli.options import ATHLETE_ID_RANGE, PORT_RANGE, ranged
from stridelab.cli.root import app, console, print_json
from stridelab.cli.workers import Scheduler, Workers, compute_from
from stridelab.coach.db import DEFAULT_ATHLETE_ID
from stridelab.extras import Extra, needs, require
from stridelab.web.config import DEFAULT_HOST, DEFAULT_PORT

_DB_HELP = "SQLite store (default: STRIDELAB_DB or the user data folder)."
PASSWORD_ENV = "STRIDELAB_PASSWORD"

account_app = typer.Typer(help="Accounts for serving beyond this computer.", no_args_is_help=True)
app.add_typer(account_app, name="account")


@app.command()
def serve(
    host: Annotated[str, typer.Option("--host", help="Interface to bind.")] = DEFAULT_HOST,
    port: Annotated[int, ranged("--port", PORT_RANGE, "TCP port")] = DEFAULT_PORT,
    db: Annotated[Path | None, typer.Option("--db", help=_DB_HELP)] = None,
    no_sample: Annotated[
        bool, typer.Option("--no-sample", help="Do not add the sample run and plan on first run.")
    ] = False,
    today_text: TodayOption = None,
    workers: Workers = None,
    scheduler: Scheduler = None,
) -> None:
    """Open the coach web app (Today, Plan, Runs, Drills, Trends, Settings).

    Binds to 127.0.0.1; any other --host needs accounts (`stridelab account add`).
    Archive imports decode on every core (--workers); --scheduler sends imports and
    drill checks to a Dask cluster (which must see the data folder).

    Example: stridelab serve --port 8000
    """
    from stridelab.store import resolve_db_path

    with needs("stridelab serve"):
        import uvicorn

        from stridelab.web import WebConfig, create_app

    config = WebConfig(
        db_path=resolve_db_path(db),
        host=host,
        seed_sample_data=not no_sample,
        compute=compute_from(workers, scheduler),
    )
    if today_text:
        pinned = resolve_today(today_text)
        config = dataclasses.replace(config, today=lambda _zone: pinned)
    web = create_app(config)
    console.print(f"stridelab coach on http://{host}:{port}/  (Ctrl+C stops it)")
    uvicorn.run(web, host=host, port=port, log_level="warning")


@app.command()
def replan(
    db: Annotated[Path | None, typer.Option("--db", help=_DB_HELP)] = None,
    race: Annotated[
        str | None, typer.Option("--race", help="A new race result, distance=time: 5k=23:10.")
    ] = None,
    athlete: Annotated[
        int, ranged("--athlete", ATHLETE_ID_RANGE, "Athlete id")
    ] = DEFAULT_ATHLETE_ID,
    from_fitness: Annotated[
        bool,
        typer.Option("--from-fitness", help="Take paces from `stridelab fitness`'s VDOT."),
    ] = False,
    today_text: TodayOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Regenerate the plan's remaining weeks from what you actually ran, and say why.

    Example: stridelab replan --race 5k=23:10 --json
    """
    from stridelab.coach.db import open_coach
    from stridelab.coach.profile import load_profile
    from stridelab.coach.replan import replan as replan_plan
    from stridelab.plans.parse import parse_recent_race
    from stridelab.units import M_PER_KM

    result_race = None if race is None else parse_recent_race(race)
    today = resolve_today(today_text)
    with open_coach(db) as database:
        profile = load_profile(database, athlete)
        estimate = None
        if from_fitness and result_race is None:
            from stridelab.coach.fitness import fitness_summary
            from stridelab.errors import InputError

            summary = fitness_summary(database, athlete, profile, today)
            if summary["vdot"] is None:
                raise InputError("there is no fitness estimate yet", hint="Import some runs first.")
            estimate = (float(summary["vdot"]), str(summary["vdot_basis"]))
        result = replan_plan(
            database, athlete, profile, today, race_result=result_race, vdot=estimate
        )
    if as_json:
        print_json(result.as_dict())
        return
    from rich.table import Table

    console.print(f"[bold]Replanned from {result.start}[/] (plan {result.plan.id})")
    for line in (*result.reasons, *result.changes):
        console.print(f"• {line}")
    table = Table("week", "phase", "was km", "now km")
    for week in result.weeks:
        old = week["old_distance_m"]
        table.add_row(
            week["start"],
            week["phase"],
            "–" if old is None else f"{old / M_PER_KM:.1f}",
            f"{week['new_distance_m'] / M_PER_KM:.1f}",
        )
    console.print(table)


def _demo_text(overview: dict[str, Any], path: Path, url: str) -> list[str]:
    """The demo's terminal overview, as rich-markup lines."""
    from stridelab.units import format_distance, format_duration, format_pace

    def km(value: float | None) -> str:
        return "–" if value is None else format_distance(value)

    lines = [f"[bold]stridelab demo[/] · today {overview['today']} · store {path}"]
    session = overview["next_session"]
    if session:
        lines.append(
            f"[bold]Next session[/]: {session['date']} {session['title']} "
            f"({km(session['distance_m'])}, about {format_duration(session['duration_s'])})"
        )
    quality = overview["next_session_with_warmup"]
    if quality:
        warmup = quality["warmup"]
        where = "" if session and quality["id"] == session["id"] else f" (for {quality['date']})"
        lines.append(f"  Warm-up{where}: {warmup['name']}, {warmup['duration_s'] / 60:.0f} min")
        lines += [f"  • {d['name']}: {' '.join(d['cues'][:2])}" for d in quality["drill_cards"]]
    plan = overview["plan"]
    if plan:
        goal = plan["goal"] or {}
        predicted = goal.get("predicted_time_s")
        lines.append(
            f"[bold]Plan[/]: {goal.get('label', '?')} on {goal.get('race_date', '?')}"
            + (f", predicted {format_duration(predicted)}" if predicted else "")
            + f" · {plan['weeks']} weeks from {plan['start']} · {km(plan['total_distance_m'])} "
            f"in all (template {km(plan['template_distance_m'])}), peak week "
            f"{km(plan['peak_week_m'])}"
        )
    run = overview["last_run"]
    if run:
        pace = run["pace_s_per_km"]
        lines.append(
            f"[bold]Last run[/]: {run['name']} ({(run['start'] or '')[:10]}): "
            f"{km(run['distance_m'])} at {format_pace(pace) if pace else '–'}, "
            f"HR {_num(run['avg_hr_bpm'])} bpm, cadence {_num(run['avg_cadence_spm'])} spm, "
            f"contact {_num(run['avg_ground_contact_ms'])} ms"
        )
        if run["insight"]:
            first = str(run["insight"]["text"]).split(". ")[0].rstrip(".")
            lines.append(f"  Insight: {run['insight']['title']}: {first}.")
    week, fitness = overview["week"], overview["fitness"]
    planned = (week.get("compliance") or {}).get("planned_m")
    lines.append(
        f"[bold]This week[/]: {week['runs']} run(s), {km(week['distance_m'])}"
        + (f" of {km(planned)} planned" if planned else "")
        + f" · fitness (CTL) {_num(fitness['ctl'])}, fatigue (ATL) {_num(fitness['atl'])}, "
        f"form (TSB) {_num(fitness['tsb'])}"
    )
    if overview["advice"]:
        lines.append(f"[bold]Advice[/]: {overview['advice']}")
    lines.append(f"Dashboard: {url}")
    return lines


def _num(value: float | None) -> str:
    return "–" if value is None else f"{value:.0f}"


@app.command()
def demo(
    db: Annotated[
        Path | None, typer.Option("--db", help="Store for the demo (default: a demo file).")
    ] = None,
    serve_app: Annotated[bool, typer.Option("--serve", help="Then open the web app.")] = False,
    port: Annotated[int, ranged("--port", PORT_RANGE, "TCP port for --serve")] = DEFAULT_PORT,
    today_text: TodayOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Show the coach on sample data: eight weeks of runs, a 10K plan, today's session.

    The first run on a store writes the sample runs (FIT files made by stridelab's own
    encoder) and the plan; later runs show the same store.

    Example: stridelab demo --serve --port 8000
    """
    import platformdirs

    if serve_app:  # before seeding the store, not half-way
        require(Extra.WEB, "stridelab demo --serve")
    from stridelab.coach.db import open_coach
    from stridelab.coach.overview import coach_overview
    from stridelab.coach.profile import load_profile
    from stridelab.coach.sample import seed_sample_data

    today = resolve_today(today_text)
    path = db or Path(platformdirs.user_data_dir("stridelab")) / "demo.db"
    with open_coach(path) as database:
        seed_sample_data(database, path.parent, today)
        profile = load_profile(database, DEFAULT_ATHLETE_ID)
        overview = coach_overview(database, DEFAULT_ATHLETE_ID, profile, today)
    url = f"http://{DEFAULT_HOST}:{port}/"
    if as_json:
        print_json({**overview, "db": str(path), "url": url})
    else:
        for line in _demo_text(overview, path, url):
            console.print(line, highlight=False)
    if serve_app:
        serve(host=DEFAULT_HOST, port=port, db=path, no_sample=False, today_text=today_text)
    elif not as_json:
        console.print(f"Open it: stridelab demo --serve  (or stridelab serve --db {path})")


@account_app.command("add")
def account_add(
    username: Annotated[str, typer.Argument(help="Sign-in name.")],
    role: Annotated[str, typer.Option("--role", help="athlete or coach.")] = "athlete",
    coach: Annotated[
        str | None, typer.Option("--coach", help="Coach who sees this athlete.")
    ] = None,
    db: Annotated[Path | None, typer.Option("--db", help=_DB_HELP)] = None,
) -> None:
    """Create an account (password from STRIDELAB_PASSWORD or a prompt).

    The first athlete account takes over the single-user data; once any account exists,
    the web app asks everyone to sign in.

    Example: stridelab account add ada --role athlete --coach sam
    """
    from stridelab.coach.db import open_coach
    from stridelab.errors import InputError

    with needs("stridelab account add"):
        from stridelab.coach.accounts import Role, create_account
    try:
        chosen = Role(role)
    except ValueError:
        raise InputError(
            f"role {role!r} is not athlete or coach", hint="Use --role athlete."
        ) from None
    password = os.environ.get(PASSWORD_ENV) or typer.prompt(
        "Password", hide_input=True, confirmation_prompt=True
    )
    with open_coach(db) as database:
        account = create_account(database, username, password, chosen, coach_username=coach)
    console.print(f"created {account.role.value} account {account.username!r}")
