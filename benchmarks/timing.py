"""What the benchmarks share: the best of several timed runs (the least disturbed one)."""

from __future__ import annotations

import time
from collections.abc import Callable


def best_s(run: Callable[[], object], repeat: int) -> float:
    """The fastest of ``repeat`` wall-clock runs of ``run``, in seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)
