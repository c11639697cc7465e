"""``--workers`` and ``--scheduler``: where a command's heavy work runs (the compute seam)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from stridelab.compute import Compute

__all__ = ["Scheduler", "Workers", "compute_from"]

Workers = Annotated[
    int | None,
    typer.Option(
        "--workers",
        help="Local worker processes (default: one per core; 1 works in this process).",
    ),
]
Scheduler = Annotated[
    str | None,
    typer.Option(
        "--scheduler",
        help="Dask scheduler, tcp://HOST:PORT (default: $STRIDELAB_SCHEDULER); "
        'needs pip install "stridelab\\[cluster]".',
    ),
]


def compute_from(workers: int | None, scheduler: str | None) -> Compute:
    """The :class:`~stridelab.compute.Compute` for the two options."""
    from stridelab.compute import resolve_compute

    return resolve_compute(workers=workers, scheduler=scheduler)
