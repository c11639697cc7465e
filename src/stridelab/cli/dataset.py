"""CLI commands of the research dataset: ``stridelab dataset build``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from stridelab.cli.root import app, console, err_console, print_json
from stridelab.cli.workers import Scheduler, Workers, compute_from

dataset_app = typer.Typer(help="A Parquet research dataset for DuckDB or Polars.")
app.add_typer(dataset_app, name="dataset", no_args_is_help=True)


@dataset_app.command("build")
def build(
    paths: Annotated[list[Path], typer.Argument(help="Files, folders or export zips.")],
    out: Annotated[Path, typer.Option("--out", help="Dataset folder (created or added to).")],
    keep_names: Annotated[
        bool,
        typer.Option("--keep-names", help="Athlete column is the export's name, not a key."),
    ] = False,
    workers: Workers = None,
    scheduler: Scheduler = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
) -> int:
    """Write activities/, laps/, samples/ and best_efforts/ as partitioned Parquet.

    Re-running adds only activities not yet in the dataset (content keys). Athletes are
    pseudonymous keys unless --keep-names. Exit code 0: all added or present; 1: some
    files failed.

    Example: stridelab dataset build ~/exports/club/ --out club-dataset --workers 2
    """
    from stridelab.dataset import build_dataset

    summary = build_dataset(
        paths, out, compute=compute_from(workers, scheduler), keep_names=keep_names
    )
    if as_json:
        print_json(summary.to_dict())
    else:
        console.print(
            f"added {summary.added}, skipped {summary.skipped} already in {summary.out}, "
            f"failed {len(summary.failed)}"
        )
        for name, reason in summary.failed:
            err_console.print(f"  failed: {reason or name}", highlight=False, soft_wrap=True)
    return 1 if summary.failed else 0
