"""Import speed on the compute seam: one worker against two, same archive, same run.

Usage: ``python benchmarks/import_bench.py [--runs 2000] [--seconds 3600] [--workers 2]``

Writes a Strava-like export zip of ``--runs`` distinct one-hour runs (1 Hz records,
``.fit.gz`` members) with stridelab's own FIT encoder, then imports it into a fresh
store twice: in this process (``--workers 1``) and on ``--workers`` local processes. It
prints each time, activities per second, and the speed-up (target on the project's
2-core machine: at least 1.6x with 2 workers). The two stores are checked to hold the
same activities. Timing is wall clock on a machine that may be shared: compare the
ratio, measured in one run, not the absolute numbers.
"""

from __future__ import annotations

import argparse
import gzip
import sqlite3
import sys
import tempfile
import time
import zipfile
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from fit_fixtures import START_S, easy_run_bytes
from stridelab.compute import Compute
from stridelab.store import import_paths, open_store

DAY_S = 86_400.0


def _write_archive(path: Path, runs: int, seconds: int, workers: int) -> Path:
    """``runs`` distinct runs, one a day, encoded on the seam (the encoder is the slow part)."""
    encode = partial(easy_run_bytes, seconds)
    starts = [START_S + DAY_S * day for day in range(runs)]
    with zipfile.ZipFile(path, "w") as archive:
        for day, data in enumerate(Compute(workers=workers).map(encode, starts)):
            archive.writestr(f"activities/{day + 1}.fit.gz", gzip.compress(data, mtime=0))
    return path


def _time_import(archive: Path, db: Path, compute: Compute) -> float:
    start = time.perf_counter()
    with open_store(db) as store:
        summary = import_paths(store, [archive], compute=compute)
    elapsed = time.perf_counter() - start
    if summary.failed:
        raise SystemExit(f"{len(summary.failed)} files failed: {summary.failed[0].reason}")
    return elapsed


def _rows(db: Path) -> list[tuple[object, ...]]:
    with sqlite3.connect(db) as connection:
        return connection.execute(
            "SELECT content_sha256, distance_m, summary_json FROM activities ORDER BY id"
        ).fetchall()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=2000)
    parser.add_argument("--seconds", type=int, default=3600, help="records per run (1 Hz)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--archive", type=Path, help="keep the archive here and reuse it when it exists"
    )
    parser.add_argument("--rounds", type=int, default=1, help="alternate 1 and N this often")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        start = time.perf_counter()
        archive = args.archive or root / "export.zip"
        if not archive.exists():
            _write_archive(archive, args.runs, args.seconds, args.workers)
        size_mb = archive.stat().st_size / 1e6
        print(
            f"archive: {args.runs} runs of {args.seconds} s, {size_mb:.1f} MB, "
            f"ready in {time.perf_counter() - start:.1f} s"
        )
        ones, manys = [], []
        for k in range(args.rounds):  # alternated, so a busy spell hits both alike
            ones.append(_time_import(archive, root / f"one{k}.db", Compute(workers=1)))
            print(f"1 worker   : {ones[-1]:7.1f} s  {args.runs / ones[-1]:6.1f} activities/s")
            manys.append(_time_import(archive, root / f"many{k}.db", Compute(workers=args.workers)))
            print(
                f"{args.workers} workers  : {manys[-1]:7.1f} s  "
                f"{args.runs / manys[-1]:6.1f} activities/s"
            )
            if _rows(root / f"one{k}.db") != _rows(root / f"many{k}.db"):
                raise SystemExit("the two stores differ")
        one, many = min(ones), min(manys)
        print(
            f"speed-up {args.workers} workers vs 1 (best of {args.rounds}): "
            f"{one / many:.2f}x (target >= 1.6x)"
        )


if __name__ == "__main__":
    main()
