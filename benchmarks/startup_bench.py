"""Start-up: whole-process ``stridelab analyze`` and ``--help`` against fitdecode, same run.

Usage: ``python benchmarks/startup_bench.py [FILE] [--repeat N] [--no-bytecode-cache]``

Issue 8 §5 targets: the whole process ``stridelab analyze FILE --json`` (Python start-up,
imports, decode, analysis, JSON) at least 20× faster than fitdecode only decoding the
same file in an already running interpreter, and ``stridelab --help`` under 0.25 s. The
default file is the long real multisport recording in ``../shared/data`` (found through
its MANIFEST.md); without that folder the bundled sample run is used.

The processes run as an installed stridelab does: with compiled bytecode (pip writes it
at install), kept in a temporary ``PYTHONPYCACHEPREFIX`` and filled by one warm-up run,
so a ``PYTHONDONTWRITEBYTECODE`` environment does not time the compiler;
``--no-bytecode-cache`` times that case instead. The rounds interleave the processes
(``python -c pass``, the interpreter's own floor, among them) and each is the best of
``--repeat`` (the machine is shared); fitdecode is the best of three in-process decodes.
Also timed: the library alone doing what ``analyze --json`` does (no typer, no rich), the
most a command line can reach; and printed: which of some heavy modules each command loads.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from importlib.resources import files
from pathlib import Path

import fitdecode
from timing import best_s

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "activities"
MULTISPORT = "fit/python-fitparse/activity-large-fenxi2-multisport.fit"
TARGET_RATIO = 20.0
TARGET_HELP_S = 0.25
#: Modules worth knowing about: which of them a command loads is printed.
WATCHED = (
    "numpy",
    "pydantic",
    "rich",
    "lxml",
    "scipy",
    "pandas",
    "matplotlib",
    "fastapi",
    "stridelab.plans.generator",
    "stridelab.store.importer",
    "stridelab.web.app",
)
#: What ``analyze --json`` does, through the library only (no typer, no rich).
_LIBRARY = (
    "import json, sys; from stridelab import analyse_activity, read_activity; "
    "print(json.dumps(analyse_activity(read_activity(sys.argv[1])).to_dict(), indent=2))"
)
#: ``stridelab ARGS`` as ``python -m stridelab`` runs it; prints the watched modules it
#: has loaded when it exits.
_PROBE = (
    "import atexit, runpy, sys\n"
    "watched = {watched!r}\n"
    "atexit.register(lambda: print([w for w in watched if any(m == w or m.startswith(w + '.') "
    "for m in sys.modules)], file=sys.stderr))\n"
    "sys.argv = ['stridelab', *{args!r}]\n"
    "runpy.run_module('stridelab', run_name='__main__')\n"
)


def _default_file() -> Path:
    manifest = SHARED / "MANIFEST.md"
    if manifest.is_file() and MULTISPORT in manifest.read_text():
        return SHARED / MULTISPORT
    print(f"{SHARED} is absent: using the bundled sample run")
    return Path(str(files("stridelab") / "data" / "samples" / "sample-run.fit"))


def _environment(bytecode_cache: bool, cache_dir: str) -> dict[str, str]:
    env = dict(os.environ)
    if bytecode_cache:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = cache_dir
    return env


def _loaded(args: list[str], env: dict[str, str]) -> str:
    code = _PROBE.format(watched=WATCHED, args=args)
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    return done.stderr.decode().strip().splitlines()[-1]


def _fitdecode(data: bytes) -> None:
    with fitdecode.FitReader(data) as reader:
        for _ in reader:
            pass


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", nargs="?", type=Path)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--no-bytecode-cache", action="store_true")
    options = parser.parse_args()
    path = options.file or _default_file()
    cli = [sys.executable, "-m", "stridelab"]
    commands = {
        "python -c pass (the floor)": [sys.executable, "-c", "pass"],
        "library alone (python -c, no CLI)": [sys.executable, "-c", _LIBRARY, str(path)],
        "stridelab --help": [*cli, "--help"],
        "stridelab analyze --json": [*cli, "analyze", str(path), "--json"],
    }
    best = dict.fromkeys(commands, float("inf"))
    with tempfile.TemporaryDirectory(prefix="stridelab-pycache-") as cache_dir:
        env = _environment(not options.no_bytecode_cache, cache_dir)
        for args in commands.values():  # warm-up: the bytecode cache and the page cache
            subprocess.run(args, env=env, check=True, stdout=subprocess.DEVNULL)
        for _ in range(options.repeat):
            for name, args in commands.items():
                start = time.perf_counter()
                subprocess.run(args, env=env, check=True, stdout=subprocess.DEVNULL)
                best[name] = min(best[name], time.perf_counter() - start)
        loaded = {
            "--help": _loaded(["--help"], env),
            "analyze --json": _loaded(["analyze", str(path), "--json"], env),
        }
    decode_s = best_s(lambda: _fitdecode(path.read_bytes()), 3)
    cache = "without" if options.no_bytecode_cache else "with"
    print(f"file: {path.name} ({path.stat().st_size / 2**20:.2f} MiB), {cache} bytecode cache")
    print(f"fitdecode, decode only (in process): {decode_s * 1000:.0f} ms")
    for name, seconds in best.items():
        ratio = "" if "--help" in name else f"; fitdecode / it: {decode_s / seconds:.1f}x"
        print(f"{name}: {seconds * 1000:.0f} ms{ratio}")
    for arg, modules in loaded.items():
        print(f"stridelab {arg} loads, of those watched: {modules}")
    library, help_s, analyze_s = list(best.values())[1:]
    print(f"analyze / the library alone: {analyze_s / library:.2f}x")
    print(f"targets: fitdecode / analyze >= {TARGET_RATIO:g}x "
          f"({'met' if decode_s / analyze_s >= TARGET_RATIO else 'not met'}), "
          f"--help < {TARGET_HELP_S * 1000:.0f} ms "
          f"({'met' if help_s < TARGET_HELP_S else 'not met'})")  # fmt: skip


if __name__ == "__main__":
    main()
