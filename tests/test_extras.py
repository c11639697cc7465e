"""Optional parts: each fails with one line naming its extra, and the table matches pyproject.

The "missing" cases run in a child process whose ``sys.modules`` holds ``None`` for the
extra's modules, which is how Python itself marks a module as not importable: the
real import sites then fail exactly as on an install without that extra.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import json
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from stridelab.about import runtime_report
from stridelab.extras import EXTRA_MODULES, Extra

ROOT = Path(__file__).resolve().parents[1]

#: Runs each case with the extra's modules blocked; prints one JSON result per case.
CHILD = r"""
import contextlib, io, json, sys
blocked, cases = json.loads(sys.argv[1])
for module in blocked:
    sys.modules[module] = None
from stridelab.cli import main
from stridelab.errors import MissingExtraError
results = []
for case in cases:
    err = io.StringIO()
    if case[0] == "python":
        try:
            exec(case[1], {})
            results.append({"code": 0, "err": "", "extra": None})
        except MissingExtraError as exc:
            results.append({"code": 2, "err": str(exc), "extra": exc.extra})
        continue
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = main(case)
    results.append({"code": code, "err": err.getvalue(), "extra": None})
print(json.dumps(results))
"""


def _run_without(extra: Extra, cases: list[list[str]], **env: str) -> list[dict[str, object]]:
    result = subprocess.run(
        [sys.executable, "-c", CHILD, json.dumps([list(EXTRA_MODULES[extra]), cases])],
        capture_output=True,
        text=True,
        check=False,
        env={**_base_env(), **env},
    )
    assert result.returncode == 0, result.stderr
    parsed: list[dict[str, object]] = json.loads(result.stdout.strip().splitlines()[-1])
    return parsed


def _base_env() -> dict[str, str]:
    import os

    return {k: v for k, v in os.environ.items() if not k.startswith("STRIDELAB_")}


def _assert_names_extra(result: dict[str, object], extra: Extra) -> None:
    lines = [line for line in str(result["err"]).splitlines() if line.strip()]
    assert result["code"] == 2, result
    assert len(lines) == 1, lines
    assert f"pip install 'stridelab[{extra.value}]'" in lines[0]
    assert "Traceback" not in str(result["err"])


def test_without_web_every_web_entry_names_the_extra(tmp_path: Path) -> None:
    store = tmp_path / "demo.db"
    results = _run_without(
        Extra.WEB,
        [
            ["serve", "--port", "8765", "--db", str(tmp_path / "s.db")],
            ["demo", "--serve", "--db", str(store), "--today", "2027-01-04"],
            ["account", "add", "ada", "--db", str(tmp_path / "a.db")],
            ["python", "from stridelab import create_app"],
            ["paces", "--race", "10k", "--time", "45:00", "--json"],
        ],
        STRIDELAB_PASSWORD="correct horse battery",
    )
    for result in results[:4]:
        _assert_names_extra(result, Extra.WEB)
    assert results[3]["extra"] == "web"
    assert not store.exists(), "demo --serve must refuse before seeding the store"
    assert results[4]["code"] == 0, "the core works without the web extra"


def test_without_video_every_video_entry_names_the_extra(tmp_path: Path) -> None:
    clip = tmp_path / "clip.mp4"
    clip.write_bytes(b"\x00" * 64)
    job = (
        "from pathlib import Path\n"
        "from stridelab.coach.drillchecks import run_drill_check\n"
        f"run_drill_check(Path({str(tmp_path / 'x.db')!r}), Path({str(tmp_path)!r}), 1, 'j',"
        f" Path({str(clip)!r}), 'sha', 'butt_kicks', None, lambda *a: None)"
    )
    results = _run_without(
        Extra.VIDEO,
        [
            ["drill", str(clip), "--json"],
            ["python", "from stridelab import check_drill"],
            ["python", job],
            ["plan", "--help"],
        ],
    )
    for result in results[:3]:
        _assert_names_extra(result, Extra.VIDEO)
    assert results[3]["code"] == 0, "the core works without the video extra"


def _requirement_names(requirements: list[str]) -> set[str]:
    return {_normalise(re.split(r"[\s<>=!~;\[]", r, maxsplit=1)[0]) for r in requirements}


def _normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _closure(names: set[str]) -> set[str]:
    """``names`` and every installed distribution they require, transitively."""
    seen: set[str] = set()
    todo = list(names)
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        try:
            requires = importlib.metadata.requires(name) or []
        except importlib.metadata.PackageNotFoundError:
            continue
        todo.extend(_requirement_names([r for r in requires if "extra ==" not in r]))
    return seen


def test_extras_declared_as_the_table_says() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    extras: dict[str, list[str]] = project["optional-dependencies"]
    assert {e.value for e in Extra} | {"all"} == set(extras)
    assert extras["all"] == [f"stridelab[{','.join(e.value for e in Extra)}]"]
    providers = importlib.metadata.packages_distributions()
    for extra, modules in EXTRA_MODULES.items():
        declared = _closure(_requirement_names(extras[extra.value]))
        for module in modules:
            for dist in providers.get(module, []):
                assert _normalise(dist) in declared, f"{module} ({dist}) is not in [{extra}]"


def test_version_names_the_runtime_pieces() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "stridelab", "--version"],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    report = runtime_report()
    assert result.stdout.splitlines() == report.lines()
    text = result.stdout
    assert text.startswith(f"stridelab {report.version}\n")
    assert f"SQLite {report.sqlite}" in text
    assert f"NumPy {importlib.metadata.version('numpy')}" in text
    if importlib.util.find_spec("mediapipe") is None:
        pytest.skip("MediaPipe is not installed here")
    assert f"MediaPipe {importlib.metadata.version('mediapipe')}" in text
    assert report.models, "an install with MediaPipe has pose model files"
    for model in report.models:
        assert model.size_bytes > 100_000
        assert f"{model.name} (" in text


def test_version_json_is_the_same_report() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "stridelab", "version", "--json"],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    document = json.loads(result.stdout)
    report = runtime_report()
    assert document == json.loads(json.dumps(report.to_dict()))
    assert document["version"] == report.version
    assert document["packages"]["NumPy"] == importlib.metadata.version("numpy")
    assert set(document["extras"]) == {e.value for e in Extra}
    for extra in document["extras"].values():
        assert extra["installed"] == (extra["install"] is None)
