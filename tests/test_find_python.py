"""scripts/find-python: which interpreter `make` builds .venv with, and why.

Each case lays out a PATH of small executables that answer the script's version
query like the named Python would (or fail, like a pyenv shim for an inactive
version), so the choice is checked without needing those versions installed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "find-python"


def _fake_python(folder: Path, name: str, version: str | None) -> None:
    """An executable ``name`` that reports ``version`` (or exits 127 when ``None``)."""
    body = f'echo "{version} {folder / name}"' if version else "exit 127"
    path = folder / name
    path.write_text(f"#!/bin/sh\n{body}\n")
    path.chmod(0o755)


def _run(tmp_path: Path, pythons: dict[str, str | None], **env: str) -> tuple[int, str, str]:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for name, version in pythons.items():
        _fake_python(bin_dir, name, version)
    bash = shutil.which("bash")
    assert bash is not None
    result = subprocess.run(
        [bash, str(SCRIPT)],
        env={"PATH": str(bin_dir), "HOME": str(tmp_path), **env},  # only the fakes
        capture_output=True,
        text=True,
        check=False,
    )
    return result.returncode, result.stdout.strip(), result.stderr.strip()


def test_newest_that_runs_wins_and_the_rest_are_named(tmp_path: Path) -> None:
    code, out, err = _run(
        tmp_path, {"python3.13": None, "python3.12": "3.12.1", "python3.11": "3.11.7"}
    )
    assert (code, out) == (0, "python3.12")
    assert "using python3.12 (Python 3.12.1" in err
    assert "python3.13 found but does not run" in err


def test_plain_python3_when_it_is_new_enough(tmp_path: Path) -> None:
    code, out, _ = _run(tmp_path, {"python3": "3.13.0"})
    assert (code, out) == (0, "python3")


def test_none_fits_says_why_for_each(tmp_path: Path) -> None:
    code, out, err = _run(tmp_path, {"python3": "3.10.13"})
    assert code == 1 and out == ""
    assert "no Python 3.11 or newer" in err
    assert "python3 is 3.10.13" in err
    assert "make PYTHON=" in err


@pytest.mark.parametrize(
    ("version", "code", "says"),
    [
        ("3.12.1", 0, "using PYTHON=mine"),
        ("3.9.18", 1, "needs 3.11 or newer"),
        (None, 1, "does not run"),
    ],
)
def test_python_given_is_checked_not_replaced(
    tmp_path: Path, version: str | None, code: int, says: str
) -> None:
    got, out, err = _run(tmp_path, {"mine": version, "python3.13": "3.13.0"}, PYTHON="mine")
    assert got == code
    assert out == ("mine" if code == 0 else "")
    assert says in err


@pytest.mark.skipif(os.name != "posix", reason="POSIX shell script")
def test_real_interpreter_here(tmp_path: Path) -> None:
    result = subprocess.run([str(SCRIPT)], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    picked = result.stdout.strip()
    version = subprocess.run(
        [picked, "-c", "import sys; print(sys.version_info >= (3, 11))"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert version == "True"
