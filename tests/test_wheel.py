"""The built wheel holds everything an install from it needs (``python -m build``).

Built once per run with the lock's ``build`` and ``hatchling`` (no isolation, so no
index is needed); a plain ``pip install stridelab[...]`` gets exactly this file.
"""

from __future__ import annotations

import email
import fnmatch
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

from stridelab import __version__
from stridelab.extras import Extra

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "stridelab"

#: Files a working install cannot do without, named so a packaging change that drops
#: one fails here by name (the sample run, templates, static files, vendored htmx).
MUST_CONTAIN = (
    "stridelab/__init__.py",
    "stridelab/__main__.py",
    "stridelab/py.typed",
    "stridelab/cli/__init__.py",
    "stridelab/data/samples/sample-run.fit",
    "stridelab/data/samples/README.md",
    "stridelab/web/templates/base.html",
    "stridelab/web/templates/today.html",
    "stridelab/web/templates/drill_check.html",
    "stridelab/web/templates/partials/job.html",
    "stridelab/web/static/style.css",
    "stridelab/web/static/app.js",
    "stridelab/web/static/favicon.svg",
    "stridelab/web/static/vendor/htmx.min.js",
    "stridelab/web/static/vendor/htmx.LICENSE",
)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "build",
            "--wheel",
            "--no-isolation",
            "--outdir",
            str(out),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    (built,) = out.glob("stridelab-*.whl")
    return built


def _names(wheel: Path) -> set[str]:
    with zipfile.ZipFile(wheel) as archive:
        return set(archive.namelist())


def _source_files() -> set[str]:
    return {
        path.relative_to(PACKAGE.parent).as_posix()
        for path in PACKAGE.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc"
    }


def test_wheel_contains_the_files_an_install_needs(wheel: Path) -> None:
    names = _names(wheel)
    assert [name for name in MUST_CONTAIN if name not in names] == []


def test_every_package_file_is_in_the_wheel_and_nothing_else(wheel: Path) -> None:
    names = _names(wheel)
    package_files = {name for name in names if not name.startswith("stridelab-")}
    assert sorted(_source_files() - package_files) == []  # templates, static, models, data
    assert sorted(package_files - _source_files()) == []  # no tests, caches or stray files
    assert not any(name.endswith(".pyc") for name in names)


def test_build_artifacts_are_in_the_wheel(wheel: Path) -> None:
    """Files built at set-up and shipped as hatch artifacts (the pose models) reach the wheel."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    target = project["tool"]["hatch"]["build"]["targets"]["wheel"]
    names = _names(wheel)
    for pattern in target.get("artifacts", []):
        inside = pattern.removeprefix("src/")
        assert fnmatch.filter(names, inside), f"{pattern}: nothing of it in the wheel (make models)"


def test_wheel_metadata_declares_python_extras_and_the_command(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        metadata = email.message_from_bytes(
            archive.read(f"stridelab-{__version__}.dist-info/METADATA")
        )
        entry_points = archive.read(f"stridelab-{__version__}.dist-info/entry_points.txt").decode()
    assert metadata["Requires-Python"] == ">=3.11"
    extras = {extra.value for extra in Extra} | {"all"}
    assert set(metadata.get_all("Provides-Extra") or []) == extras
    assert "stridelab = stridelab.cli:main" in entry_points
    assert wheel.name == f"stridelab-{__version__}-py3-none-any.whl"  # pure Python: any 3.11+
