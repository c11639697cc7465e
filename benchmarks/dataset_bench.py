"""The research dataset: its size per 1,000 activities, and build speed on 1 and 2 workers.

Usage: ``python benchmarks/dataset_bench.py [--runs 1000] [--seconds 3600]``

Writes the same kind of Strava-like export as ``import_bench.py`` (``--runs`` distinct
one-hour runs at 1 Hz, stridelab's own FIT encoder), builds the Parquet dataset from it in
this process and again on 2 local worker processes, checks both hold the same rows, and
prints each build's time, the speed-up, and the size of each table on disk, also scaled
to 1,000 activities. Timing is wall clock on a machine that may be shared: compare the
ratio measured in one run, not the absolute numbers.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from import_bench import _write_archive

from stridelab.compute import Compute
from stridelab.dataset import build_dataset

TABLES = ("activities", "laps", "samples", "best_efforts")


def _size_bytes(folder: Path) -> int:
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file())


def _build(archive: Path, out: Path, compute: Compute) -> float:
    start = time.perf_counter()
    summary = build_dataset([archive], out, compute=compute)
    elapsed = time.perf_counter() - start
    if summary.failed:
        raise SystemExit(f"{len(summary.failed)} files failed: {summary.failed[0]}")
    return elapsed


def _rows(out: Path) -> dict[str, int]:
    import pyarrow.dataset as ds

    return {
        table: ds.dataset(out / table, format="parquet", partitioning="hive").count_rows()
        for table in TABLES
        if (out / table).is_dir()
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1000)
    parser.add_argument("--seconds", type=int, default=3600)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        start = time.perf_counter()
        archive = _write_archive(folder / "export.zip", args.runs, args.seconds, 2)
        print(
            f"archive: {args.runs} runs of {args.seconds} s, "
            f"{archive.stat().st_size / 1e6:.1f} MB, written in {time.perf_counter() - start:.1f} s"
        )
        one = _build(archive, folder / "one", Compute(workers=1))
        two = _build(archive, folder / "two", Compute(workers=2))
        rows = _rows(folder / "one")
        if rows != _rows(folder / "two"):
            raise SystemExit("the 1- and 2-worker datasets differ")
        print(f"1 worker   : {one:7.1f} s  {args.runs / one:7.1f} activities/s")
        print(f"2 workers  : {two:7.1f} s  {args.runs / two:7.1f} activities/s")
        print(f"speed-up 2 workers vs 1: {one / two:.2f}x")
        total = 0
        for table in TABLES:
            path = folder / "one" / table
            if not path.is_dir():
                continue
            size = _size_bytes(path)
            total += size
            per_k = size / args.runs * 1000 / 1e6
            print(
                f"{table:13s}: {rows[table]:9d} rows  {size / 1e6:8.1f} MB  "
                f"{per_k:7.1f} MB per 1,000"
            )
        print(
            f"{'dataset':13s}:                 {total / 1e6:8.1f} MB  "
            f"{total / args.runs * 1000 / 1e6:7.1f} MB per 1,000 activities "
            f"(archive: {archive.stat().st_size / args.runs * 1000 / 1e6:.1f} MB per 1,000)"
        )


if __name__ == "__main__":
    main()
