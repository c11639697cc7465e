"""The root of the command line: the Typer app, ``--version``, the consoles, JSON output.

Every job module (``analyse``, ``coach``, ``dataset``, ``drill``, ``fitness``, ``plan``)
registers its commands on :data:`app` when imported; :mod:`stridelab.cli` imports only
the module of the command being run. The consoles make their rich ``Console`` on first
use, so a command that prints JSON never imports rich.
"""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING, Any, cast

import typer

if TYPE_CHECKING:
    from rich.console import Console

__all__ = ["app", "console", "err_console", "print_json"]

app = typer.Typer(
    name="stridelab",
    help="An offline running coach: plans, watch-file analysis, drill checks from video.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)


class _LazyConsole:
    """Stands for a rich ``Console(**options)``, made when first used.

    Attributes are the console's; ``with`` (rich's ``Live`` and progress bars enter the
    console they are given) is forwarded too, as Python looks special methods up on the
    type.
    """

    def __init__(self, **options: Any) -> None:
        self._options = options
        self._console: Console | None = None

    def _real(self) -> Console:
        if self._console is None:
            from rich.console import Console

            self._console = Console(**self._options)
        return self._console

    def __getattr__(self, name: str) -> Any:
        return getattr(self._real(), name)

    def __enter__(self) -> Console:
        return self._real().__enter__()

    def __exit__(self, *exc_info: Any) -> None:
        self._real().__exit__(*exc_info)


console = cast("Console", _LazyConsole())
err_console = cast("Console", _LazyConsole(stderr=True))


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
