"""Start-up (issue 8 §5): each command imports only what it uses, in a fresh process.

Nothing here is timed (the machine may be busy): a probe runs ``stridelab ARGS`` the way
``python -m stridelab`` does and writes ``sys.modules`` as the process exits, so a module
imported late, inside the command, counts too. ``benchmarks/startup_bench.py`` times it.
"""

from __future__ import annotations

import json
import subprocess
import sys
from importlib.resources import files
from pathlib import Path

import pytest

#: Never needed to show help or analyse one file.
HEAVY = (
    "scipy",
    "pandas",
    "polars",
    "pyarrow",
    "duckdb",
    "matplotlib",
    "cv2",
    "mediapipe",
    "fastapi",
    "starlette",
    "uvicorn",
    "dask",
    "stridelab.plans.generator",
    "stridelab.plans.volume",
)
JOBS = ("analyse", "coach", "dataset", "drill", "fitness", "plan")
SAMPLE_FIT = str(files("stridelab") / "data" / "samples" / "sample-run.fit")
_PROBE = """
import atexit, json, runpy, sys
out, sys.argv = sys.argv[1], ["stridelab", *sys.argv[2:]]
atexit.register(lambda: open(out, "w").write(json.dumps(sorted(sys.modules))))
runpy.run_module("stridelab", run_name="__main__")
"""


def loaded_by(tmp_path: Path, *args: str) -> set[str]:
    """The modules a fresh ``stridelab *args`` process has loaded when it exits (rc 0)."""
    out = tmp_path / "modules.json"
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, str(out), *args], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    return set(json.loads(out.read_text()))


def starting_with(modules: set[str], prefixes: tuple[str, ...]) -> list[str]:
    return sorted(m for m in modules if m.startswith(prefixes))


def test_analyze_json_loads_only_the_readers_and_the_analysis(tmp_path: Path) -> None:
    loaded = loaded_by(tmp_path, "analyze", SAMPLE_FIT, "--json")
    assert {"numpy", "stridelab.activities.analysis", "stridelab.cli.analyse"} <= loaded
    others = tuple(f"stridelab.cli.{job}" for job in JOBS if job != "analyse")
    layers = ("stridelab.plans", "stridelab.store", "stridelab.coach", "stridelab.web")
    # JSON output needs no rich; a FIT file no XML or archive reader; the plan engine,
    # store, coach and web app are not used.
    readers = ("lxml", "stridelab.activities.readers.archive", "stridelab.activities.readers.gpx")
    unused = (*HEAVY, *others, *layers, *readers, "stridelab.video", "stridelab.compute", "rich")
    assert starting_with(loaded, unused) == []


def test_help_loads_every_command_but_no_library_work(tmp_path: Path) -> None:
    loaded = loaded_by(tmp_path, "--help")
    assert {f"stridelab.cli.{job}" for job in JOBS} <= loaded  # every command is listed
    work = ("numpy", "pydantic", "stridelab.activities", "stridelab.store.importer")
    assert starting_with(loaded, (*HEAVY, *work, "stridelab.web.app")) == []


@pytest.mark.parametrize(
    ("command", "job"),
    [
        (["version", "--help"], None),
        (["analyze", "--help"], "analyse"),
        (["replan", "--help"], "coach"),
        (["dataset", "build", "--help"], "dataset"),
        (["drill", "--help"], "drill"),
        (["fitness", "--help"], "fitness"),
        (["paces", "--race", "10k", "--time", "45:00", "--json"], "plan"),
    ],
)
def test_a_command_loads_only_its_job_module(
    tmp_path: Path, command: list[str], job: str | None
) -> None:
    loaded = loaded_by(tmp_path, *command)
    jobs = {m.removeprefix("stridelab.cli.") for m in starting_with(loaded, ("stridelab.cli.",))}
    assert jobs & set(JOBS) == ({job} if job else set())


def test_command_modules_names_where_each_command_is_registered() -> None:
    from stridelab.cli import COMMAND_MODULES, JOB_MODULES, app

    registered = {
        info.name or getattr(info.callback, "__name__", "").replace("_", "-"): getattr(
            info.callback, "__module__", ""
        )
        for info in app.registered_commands
    }
    for group in app.registered_groups:
        assert group.typer_instance is not None
        callbacks = [c.callback for c in group.typer_instance.registered_commands]
        registered[str(group.name)] = getattr(callbacks[0], "__module__", "")
    expected = {name: f"stridelab.cli.{job}" for name, job in COMMAND_MODULES.items()}
    assert registered == expected
    assert len(registered) >= 18  # the walk found the commands
    assert tuple(sorted(JOB_MODULES)) == JOBS


def test_import_of_the_analyse_commands_loads_no_numerics() -> None:
    code = "import json, sys, stridelab.cli.analyse; print(json.dumps(sorted(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = set(json.loads(done.stdout))
    assert "stridelab.cli.analyse" in loaded
    assert starting_with(loaded, (*HEAVY, "numpy", "stridelab.plans", "stridelab.store")) == []
