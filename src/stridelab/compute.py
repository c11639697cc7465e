"""The compute seam: map a pure function over work items, results streamed back in order.

Every heavy job (importing archives, building the research dataset, the web app's
background jobs) hands its CPU work to a :class:`Compute`, which runs it

* in this process (``workers=1``),
* on a pool of local worker processes (``--workers N``; the default is the machine's
  cores), or
* on a Dask distributed cluster (``--scheduler tcp://HOST:PORT`` or the
  ``STRIDELAB_SCHEDULER`` environment variable; needs the ``cluster`` extra).

The rules for a function given to :meth:`Compute.map`: it is defined at module level (it
travels by reference, so the workers must have stridelab installed), it is pure (the
same item gives the same result wherever it runs), its items are bytes, paths or small
frozen dataclasses, and its result is plain serialisable data. An expected per-item
failure (a damaged file) is *returned* as a value, so one bad item never stops the rest;
an exception that escapes the function (a bug) stops the map and is raised as it is.
Results come back in the order of the items while later items are still being worked
on; at most a few items per worker are in flight, so an archive of any size streams in
bounded memory (a single item runs in this process: no pool to start).

Nothing here writes anywhere: callers keep one writer (SQLite's rule) that stores the
results as they arrive. A worker process that dies (killed, out of memory) ends a local
map with :class:`ComputeError`; on a cluster Dask re-runs the lost tasks on the workers
left (and raises :class:`ComputeError` once a task has killed too many workers).
"""

from __future__ import annotations

import itertools
import multiprocessing
import os
import re
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Final, TypeVar

from stridelab.errors import ComputeError, InputError

__all__ = [
    "IN_FLIGHT_PER_WORKER",
    "IN_PROCESS",
    "SCHEDULER_ENV_VAR",
    "Backend",
    "Compute",
    "default_workers",
    "resolve_compute",
]

T = TypeVar("T")
R = TypeVar("R")

#: Environment variable naming the Dask scheduler (``--scheduler`` wins over it).
SCHEDULER_ENV_VAR: Final = "STRIDELAB_SCHEDULER"
#: Items submitted ahead per worker: enough to keep every worker busy, few enough to
#: keep memory bounded on an archive of any size.
IN_FLIGHT_PER_WORKER: Final = 4
#: How often Dask re-runs a task whose function raised (a lost worker is re-run by the
#: scheduler itself, up to its ``allowed-failures``).
DASK_RETRIES: Final = 2
#: How long to wait for the scheduler to answer.
CONNECT_TIMEOUT_S: Final = 10.0
_SCHEDULER_RE: Final = re.compile(r"^(tcp|tls|ws|wss|inproc)://[^\s/]+(:\d+)?/?$")


class Backend(StrEnum):
    """Where the work runs."""

    IN_PROCESS = "in-process"
    PROCESSES = "processes"
    DASK = "dask"


def default_workers() -> int:
    """The cores this process may use (its CPU affinity where the OS tells it)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


@dataclass(frozen=True)
class Compute:
    """Where to run work: ``workers`` local processes, or the Dask ``scheduler`` if set."""

    workers: int = 1
    scheduler: str | None = None

    @property
    def backend(self) -> Backend:
        """Which backend :meth:`map` uses."""
        if self.scheduler is not None:
            return Backend.DASK
        return Backend.IN_PROCESS if self.workers <= 1 else Backend.PROCESSES

    def describe(self) -> str:
        """One line for logs and ``--json``: ``4 local processes``, ``dask tcp://…``."""
        if self.backend is Backend.DASK:
            return f"dask {self.scheduler}"
        if self.backend is Backend.PROCESSES:
            return f"{self.workers} local processes"
        return "in-process"

    def map(self, function: Callable[[T], R], items: Iterable[T]) -> Iterator[R]:
        """``function(item)`` for every item, yielded in item order as results arrive."""
        if self.scheduler is not None:
            return _map_dask(function, items, self.scheduler)
        if self.backend is Backend.PROCESSES:
            return _map_processes(function, items, self.workers)
        return map(function, items)

    def run(self, function: Callable[[T], R], item: T) -> R:
        """One item: in this process locally (no pool to start), on the cluster with Dask."""
        if self.backend is Backend.DASK:
            return next(iter(self.map(function, [item])))
        return function(item)


#: Work in the calling process (tests, the library's default).
IN_PROCESS: Final = Compute(workers=1)


def resolve_compute(workers: int | None = None, scheduler: str | None = None) -> Compute:
    """The :class:`Compute` for ``--workers`` / ``--scheduler`` (and ``STRIDELAB_SCHEDULER``).

    ``--workers`` and ``--scheduler`` exclude each other; neither given means the
    scheduler from the environment if set, else one process per core.
    """
    if workers is not None and scheduler is not None:
        raise InputError(
            "--workers and --scheduler exclude each other",
            hint="Give --workers N for local processes or --scheduler URL for a Dask cluster",
        )
    if workers is not None and workers < 1:
        raise InputError(f"--workers {workers} is not a count", hint="Give 1 or more")
    if workers is None and scheduler is None:
        scheduler = os.environ.get(SCHEDULER_ENV_VAR) or None
    if scheduler is not None:
        if not _SCHEDULER_RE.match(scheduler.strip()):
            raise InputError(
                f"{scheduler!r} is not a Dask scheduler address",
                hint="Write it like tcp://127.0.0.1:8786 (what `dask scheduler` prints)",
            )
        _require_distributed()
        return Compute(workers=1, scheduler=scheduler.strip())
    return Compute(workers=workers if workers is not None else default_workers())


def _require_distributed() -> None:
    from stridelab.extras import needs

    with needs("--scheduler (a Dask cluster)"):
        import distributed  # noqa: F401


def _mp_context() -> Any:
    # Never fork the caller (the web server has threads): forkserver where it exists.
    method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
    return multiprocessing.get_context(method)


def _map_processes(function: Callable[[T], R], items: Iterable[T], workers: int) -> Iterator[R]:
    iterator = iter(items)
    head = list(itertools.islice(iterator, 2))
    if len(head) < 2:  # one item: no pool to start
        yield from map(function, head)
        return
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=_mp_context())
    pending: deque[Future[R]] = deque()
    window = workers * IN_FLIGHT_PER_WORKER
    try:
        for item in itertools.chain(head, iterator):
            pending.append(pool.submit(function, item))
            while len(pending) >= window:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    except BrokenProcessPool:  # from result() or from submit() once the pool is broken
        raise ComputeError(
            "a worker process died (killed, or out of memory) before finishing its work",
            hint="Everything stored before it is kept; run the same command again, "
            "or with --workers 1",
        ) from None
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _connect(scheduler: str) -> Any:
    _require_distributed()
    from distributed import Client

    try:
        return Client(scheduler, timeout=CONNECT_TIMEOUT_S, set_as_default=False)  # type: ignore[no-untyped-call]
    except (OSError, TimeoutError) as exc:
        raise ComputeError(
            f"cannot reach the Dask scheduler at {scheduler} ({exc})",
            hint="Start one with `dask scheduler` and workers with `dask worker ADDRESS`, "
            f"or unset {SCHEDULER_ENV_VAR} to work on this machine",
        ) from None


def _map_dask(function: Callable[[T], R], items: Iterable[T], scheduler: str) -> Iterator[R]:
    client = _connect(scheduler)
    pending: deque[Any] = deque()
    try:
        threads = sum(client.nthreads().values()) or 1
        window = max(threads, 2) * IN_FLIGHT_PER_WORKER
        for item in items:
            pending.append(client.submit(function, item, pure=False, retries=DASK_RETRIES))
            while len(pending) >= window:
                yield _dask_result(pending.popleft(), scheduler)
        while pending:
            yield _dask_result(pending.popleft(), scheduler)
    finally:
        for future in pending:
            future.cancel()
        client.close()


def _dask_result(future: Any, scheduler: str) -> Any:
    from distributed import KilledWorker

    try:
        return future.result()
    except KilledWorker as exc:
        raise ComputeError(
            f"the Dask cluster at {scheduler} lost its workers on one item ({exc})",
            hint="Everything stored before it is kept; check the workers' memory and logs, "
            "then run the same command again",
        ) from None
    except (OSError, TimeoutError) as exc:
        raise ComputeError(
            f"lost the Dask scheduler at {scheduler} ({exc})",
            hint="Everything stored before it is kept; restart the scheduler and run again",
        ) from None
