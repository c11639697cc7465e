"""The ``stridelab`` command line: thin adapters over the library.

Each command parses its arguments, makes one library call and renders the
result (a rich table, or JSON with ``--json``). A :class:`StridelabError`
becomes one line on stderr and exit code 2; nothing else should reach a user.

Commands live in one module per job (``plan``, ``analyse``, ``drill``, ``coach``),
each registering on the shared :data:`app`; this module holds the app, JSON output
and the error boundary.
"""

from __future__ import annotations

import json
import os
import sys
from typing import Any

import typer
from rich.console import Console
from rich.markup import escape

from stridelab.errors import StridelabError

#: Exit code of a bug (an exception that is not a StridelabError): distinct from 0/1/2,
#: so a crash is never read as "some files failed" (sysexits' EX_SOFTWARE).
EXIT_INTERNAL_ERROR = 70

app = typer.Typer(
    name="stridelab",
    help="An offline running coach: plans, watch-file analysis, drill checks from video.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
console = Console()
err_console = Console(stderr=True)


def print_json(payload: Any) -> None:
    """Write ``payload`` as indented JSON to stdout (for ``--json``)."""
    sys.stdout.write(json.dumps(payload, indent=2, ensure_ascii=False, allow_nan=False) + "\n")


def _show_version(value: bool) -> None:
    if value:
        version_command(as_json=False)
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False,
        "--version",
        callback=_show_version,
        is_eager=True,
        help="Show the version and those of MediaPipe, its model files, NumPy and SQLite.",
    ),
) -> None:
    """stridelab: plan, analyse, drill check, coach — offline and private."""


@app.command("version")
def version_command(
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
) -> None:
    """The version and what results depend on: Python, SQLite, NumPy, MediaPipe, models.

    Example: stridelab version --json
    """
    from stridelab.about import runtime_report

    report = runtime_report()
    if as_json:
        print_json(report.to_dict())
        return
    for line in report.lines():
        console.print(line, markup=False, highlight=False, soft_wrap=True)


# Each job's commands register themselves on `app` when imported.
from stridelab.cli import analyse, coach, dataset, drill, fitness, plan  # noqa: E402

__all__ = ["analyse", "app", "coach", "dataset", "drill", "fitness", "main", "plan", "print_json"]


def main(argv: list[str] | None = None) -> int:
    """Console-script entry point: run the app, turning stridelab errors into one line."""
    try:
        result = app(args=argv, standalone_mode=False)
    except StridelabError as exc:
        # escape: a message may hold brackets, e.g. pip install 'stridelab[video]'
        err_console.print(
            f"[bold red]error:[/] {escape(str(exc))}", highlight=False, soft_wrap=True
        )
        return exc.exit_code
    except typer.Abort:
        err_console.print("aborted")
        return 130
    except Exception as exc:  # click usage errors arrive here in standalone_mode=False
        import click

        # typer >= 0.22 vendors click: its usage errors derive from typer.TyperException.
        if isinstance(exc, click.ClickException | typer.TyperException):
            show = getattr(exc, "show", None)
            if callable(show):
                show()
            else:
                err_console.print(f"error: {exc}", highlight=False)
            return int(exc.exit_code)
        if os.environ.get("STRIDELAB_DEBUG"):
            raise
        err_console.print(
            f"[bold red]internal error:[/] {type(exc).__name__}: {exc}. This is a bug in "
            "stridelab: please report it (set STRIDELAB_DEBUG=1 to see the traceback)",
            highlight=False,
            soft_wrap=True,
        )
        return EXIT_INTERNAL_ERROR
    # A command may return its exit code (e.g. `import`: 1 when some files failed).
    return result if isinstance(result, int) else 0


if __name__ == "__main__":
    raise SystemExit(main())
