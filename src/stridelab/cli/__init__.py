"""The ``stridelab`` command line: thin adapters over the library.

Each command parses its arguments, makes one library call and renders the
result (a rich table, or JSON with ``--json``). A :class:`StridelabError`
becomes one line on stderr and exit code 2; nothing else should reach a user.

Commands live in one module per job (``plan``, ``analyse``, ``drill``, ``coach``…),
each registering on the shared app of :mod:`stridelab.cli.root` (the root options,
``version``, the consoles and JSON output). ``stridelab CMD`` imports only CMD's module
(:data:`COMMAND_MODULES`), so ``analyze`` never loads the plan engine or the web app;
``--help``, and :data:`app` read from here, load them all.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from importlib import import_module
from typing import TYPE_CHECKING, Any, Final

import typer

from stridelab.cli.root import console, err_console, print_json
from stridelab.errors import StridelabError

if TYPE_CHECKING:
    from stridelab.cli.root import app

#: Exit code of a bug (an exception that is not a StridelabError): distinct from 0/1/2,
#: so a crash is never read as "some files failed" (sysexits' EX_SOFTWARE).
EXIT_INTERNAL_ERROR = 70

#: The job modules in ``--help`` order (the order they register their commands).
JOB_MODULES: Final = ("analyse", "coach", "dataset", "drill", "fitness", "plan")
#: Each top-level command or group → the job module that registers it (``root``: the
#: root module itself). tests/test_startup.py checks it against the registered commands.
COMMAND_MODULES: Final = {
    "version": "root",
    "import": "analyse",
    "activities": "analyse",
    "delete": "analyse",
    "trends": "analyse",
    "analyze": "analyse",
    "serve": "coach",
    "replan": "coach",
    "demo": "coach",
    "account": "coach",
    "dataset": "dataset",
    "drill": "drill",
    "fitness": "fitness",
    "plan": "plan",
    "today": "plan",
    "paces": "plan",
    "warmup": "plan",
    "drills": "plan",
}

__all__ = [
    "COMMAND_MODULES",
    "EXIT_INTERNAL_ERROR",
    "JOB_MODULES",
    "app",
    "console",
    "err_console",
    "load_commands",
    "main",
    "print_json",
]


def load_commands(args: Sequence[str] = ()) -> typer.Typer:
    """The app with what ``args`` runs registered: the one job module of ``stridelab CMD``,
    every job module otherwise (``--help``, no command, a mistyped one: its suggestions)."""
    from stridelab.cli import root

    command = next((arg for arg in args if not arg.startswith("-")), None)
    job = COMMAND_MODULES.get(command or "")
    if job is not None:
        import_module(f"stridelab.cli.{job}")
        return root.app
    for module in JOB_MODULES:
        import_module(f"stridelab.cli.{module}")
    # In --help order even when one job's commands were registered first (in one process).
    order = {f"stridelab.cli.{module}": i for i, module in enumerate(("root", *JOB_MODULES))}
    root.app.registered_commands.sort(
        key=lambda info: order.get(getattr(info.callback, "__module__", ""), len(order))
    )
    return root.app


def __getattr__(name: str) -> Any:
    if name == "app":  # the whole command line, as tests and the docs checker see it
        return load_commands()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def main(argv: list[str] | None = None) -> int:
    """Console-script entry point: run the app, turning stridelab errors into one line."""
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        result = load_commands(args)(args=args, standalone_mode=False)
    except StridelabError as exc:
        from rich.markup import escape

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
