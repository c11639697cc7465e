"""Start-up: whole-process ``stridelab analyze`` and ``--help`` against fitdecode, same run.

Usage: ``python benchmarks/startup_bench.py [FILE] [--repeat N]``

Issue 8 §5 targets: the whole process ``stridelab analyze FILE --json`` (Python start-up,
imports, decode, analysis, JSON) at least 20× faster than fitdecode only decoding the
same file in an already running interpreter, and ``stridelab --help`` under 0.25 s. The
default file is the long real multisport recording in ``../shared/data`` (found through
its MANIFEST.md); without that folder the bundled sample run is used. Each process is
timed best of ``--repeat`` (the machine is shared); fitdecode runs once (it takes
seconds). Also printed: how long ``import stridelab.cli.analyse`` takes, and whether it
pulled in SciPy or the plan engine (it must not).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from importlib.resources import files
from pathlib import Path

import fitdecode

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "activities"
MULTISPORT = "fit/python-fitparse/activity-large-fenxi2-multisport.fit"
TARGET_RATIO = 20.0
TARGET_HELP_S = 0.25


def _default_file() -> Path:
    manifest = SHARED / "MANIFEST.md"
    if manifest.is_file() and MULTISPORT in manifest.read_text():
        return SHARED / MULTISPORT
    print(f"{SHARED} is absent: using the bundled sample run")
    return Path(str(files("stridelab") / "data" / "samples" / "sample-run.fit"))


def _process_s(args: list[str], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(args, check=True, stdout=subprocess.DEVNULL)
        best = min(best, time.perf_counter() - start)
    return best


def _fitdecode_s(path: Path) -> float:
    data = path.read_bytes()
    start = time.perf_counter()
    with fitdecode.FitReader(data) as reader:
        for _ in reader:
            pass
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", nargs="?", type=Path)
    parser.add_argument("--repeat", type=int, default=5)
    options = parser.parse_args()
    path = options.file or _default_file()
    cli = [sys.executable, "-m", "stridelab"]
    probe = (
        "import sys, time; t = time.perf_counter(); import stridelab.cli.analyse; "
        "print(f'{time.perf_counter() - t:.3f}', 'scipy' in sys.modules, "
        "'stridelab.plans.generator' in sys.modules)"
    )
    imported = subprocess.run(
        [sys.executable, "-c", probe], check=True, capture_output=True, text=True
    ).stdout.split()
    help_s = _process_s([*cli, "--help"], options.repeat)
    analyze_s = _process_s([*cli, "analyze", str(path), "--json"], options.repeat)
    decode_s = _fitdecode_s(path)
    ratio = decode_s / analyze_s
    print(f"file: {path.name} ({path.stat().st_size / 2**20:.2f} MiB)")
    print(f"import stridelab.cli.analyse: {float(imported[0]) * 1000:.0f} ms "
          f"(SciPy loaded: {imported[1]}, plan engine loaded: {imported[2]})")  # fmt: skip
    print(f"stridelab --help (whole process): {help_s:.3f} s (target < {TARGET_HELP_S} s)")
    print(f"stridelab analyze --json (whole process): {analyze_s:.3f} s")
    print(f"fitdecode, decode only (in process): {decode_s:.3f} s")
    print(f"ratio fitdecode / whole-process analyze: {ratio:.1f}x (target >= {TARGET_RATIO:g}x)")


if __name__ == "__main__":
    main()
