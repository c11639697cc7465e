"""Install the built wheel into a clean venv of a second Python and use it as a runner would.

``make test`` runs this after lint: it builds the wheel (``python -m build``), makes a
fresh venv of another Python than the one ``.venv`` uses (3.13 when that is 3.11),
installs ``stridelab[web,video]`` from binary wheels only (``--only-binary :all:``)
with the lock's pins as constraints, checks ``pip check``, then runs ``--version``,
``paces``, ``plan --json``, ``analyze`` of the bundled sample run, ``drill`` on a clip
made by ``tools/make_smoke_clip.py``, and ``serve`` answering ``/today.json``.

A lock pin with no wheel for the second Python (NumPy 1.26 on 3.13) is dropped from the
constraints and named; when the declared ranges themselves have no wheel there, the
next Python is tried and the reason said. ``drill`` runs only where the ``video`` extra
installs a pose runtime (MediaPipe); until then it is skipped with the reason.

Usage: python tools/install_smoke.py   (SMOKE_PYTHON=/path/to/python3.13 to choose)
Ends with a plain "smoke: N passed, N failed, N skipped" line; exit 1 on any failure.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORK = ROOT / ".cache" / "smoke"
LOCK = ROOT / "requirements" / "lock.txt"
EXTRAS = "web,video"
TODAY = "2027-01-04"
#: The clip's runner: tools/make_smoke_clip.py draws the kinematic model at 170 steps/min.
CLIP_CADENCE_SPM = 170.0
SERVE_TIMEOUT_S = 90.0
#: Pip's words when no file fits a requirement (binary only, this Python), and when a
#: lock pin (a constraint) is what stands in the way.
_NO_MATCH = re.compile(r"No matching distribution found for (\S+)")
_CONSTRAINT = re.compile(r"The user requested \(constraint\) ([A-Za-z0-9_.\-]+)==")


def say(message: str) -> None:
    print(f"smoke: {message}", flush=True)


def run(
    args: list[str], *, env: dict[str, str] | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, capture_output=True, text=True, env=env, cwd=cwd, check=False)


# --- the second Python ----------------------------------------------------------------


def _minor(python: str) -> tuple[int, int] | None:
    try:
        out = run([python, "-c", "import sys; print(*sys.version_info[:2])"])
    except OSError:
        return None
    if out.returncode != 0:
        return None
    major, minor = out.stdout.split()
    return int(major), int(minor)


def _locate(minor: int) -> str | None:
    """``python3.MINOR`` that runs: on PATH, else in pyenv's versions folder."""
    on_path = shutil.which(f"python3.{minor}")
    if on_path and _minor(on_path) == (3, minor):
        return on_path
    pyenv_root = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv"))
    for candidate in sorted(pyenv_root.glob(f"versions/3.{minor}.*/bin/python3.{minor}")):
        if _minor(str(candidate)) == (3, minor):
            return str(candidate)
    return None


def second_pythons() -> list[str]:
    """Interpreters to try, best first: SMOKE_PYTHON, else 3.13, 3.12, 3.11 other than ours."""
    if os.environ.get("SMOKE_PYTHON"):
        return [os.environ["SMOKE_PYTHON"]]
    ours = sys.version_info[:2]
    found = []
    for minor in (13, 12, 11):
        if (3, minor) != ours and (path := _locate(minor)):
            found.append(path)
    return found


# --- wheel and install ----------------------------------------------------------------


def build_wheel() -> Path:
    dist = WORK / "dist"
    shutil.rmtree(dist, ignore_errors=True)
    out = run([sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(dist)])
    if out.returncode != 0:
        raise SystemExit(f"smoke: python -m build failed:\n{out.stdout}\n{out.stderr}")
    (wheel,) = dist.glob("stridelab-*.whl")
    return wheel


def lock_pins() -> dict[str, str]:
    """Lock file pins by normalised name (stridelab's own line left out)."""
    pins = {}
    for line in LOCK.read_text().splitlines():
        name, sep, _ = line.partition("==")
        if sep and not line.startswith("#") and name.lower() != "stridelab":
            pins[_normalise(name)] = line.strip()
    return pins


@dataclass
class Install:
    python: str
    venv: Path
    seconds: float
    dropped: list[str] = field(default_factory=list)

    @property
    def bin(self) -> Path:
        return self.venv / "bin"


def install(python: str, wheel: Path) -> Install | str:
    """A fresh venv of ``python`` with the wheel's ``[web,video]`` from binary wheels only.

    Returns the install, or why this Python cannot have one.
    """
    minor = _minor(python)
    venv = WORK / f"venv-{minor[0]}.{minor[1]}" if minor else WORK / "venv"
    shutil.rmtree(venv, ignore_errors=True)
    made = run([python, "-m", "venv", str(venv)])
    if made.returncode != 0:
        return f"{python} -m venv failed: {made.stderr.strip()}"
    pins = lock_pins()
    dropped: list[str] = []
    constraints = WORK / "constraints.txt"
    started = time.perf_counter()
    while True:
        constraints.write_text("\n".join(pins.values()) + "\n")
        out = run(
            [
                str(venv / "bin" / "python"),
                "-m",
                "pip",
                "install",
                "--disable-pip-version-check",
                "--only-binary",
                ":all:",
                "-c",
                str(constraints),
                f"{wheel}[{EXTRAS}]",
            ]
        )
        if out.returncode == 0:
            return Install(python, venv, time.perf_counter() - started, dropped)
        said = out.stdout + out.stderr  # pip prints the conflict's causes on stdout
        missing = _NO_MATCH.search(said)
        named = [m.group(1) for m in _CONSTRAINT.finditer(said)]
        if missing:
            named.append(re.split(r"[<>=!~;\[ ]", missing.group(1), maxsplit=1)[0])
        blocking = [n for n in map(_normalise, named) if n in pins]
        if blocking:
            for name in blocking:
                if _has_wheel(venv, pins[name]):
                    return f"the lock's {pins[name]} conflicts with what the wheel declares"
                dropped.append(pins.pop(name))  # the lock's version has no wheel here
            continue
        line = missing.group(0) if missing else out.stderr.strip().splitlines()[-1]
        left = f" (lock pins without a wheel there: {', '.join(dropped)})" if dropped else ""
        return f"no binary-only install on {python}: {line}{left}"


def _normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _has_wheel(venv: Path, pin: str) -> bool:
    """Whether ``pin`` (name==version) has a wheel for the venv's Python."""
    out = run(
        [
            str(venv / "bin" / "python"),
            "-m",
            "pip",
            "install",
            "--dry-run",
            "--no-deps",
            "--disable-pip-version-check",
            "--only-binary",
            ":all:",
            pin,
        ]
    )
    return out.returncode == 0


# --- the checks -----------------------------------------------------------------------


@dataclass
class Tally:
    passed: int = 0
    failed: int = 0
    skipped: int = 0
    failures: list[str] = field(default_factory=list)

    def check(self, name: str, body: Callable[[], str]) -> None:
        started = time.perf_counter()
        try:
            detail = body()
        except Skip as skip:
            self.skipped += 1
            say(f"SKIP {name}: {skip}")
            return
        except Exception as exc:  # a failed check, reported with what it saw
            self.failed += 1
            self.failures.append(name)
            say(f"FAIL {name}: {exc}")
            return
        self.passed += 1
        say(f"ok   {name} ({time.perf_counter() - started:.1f} s) {detail}")


class Skip(Exception):
    """A check that cannot run on this main, with the reason."""


class Runner:
    """Runs the installed ``stridelab`` in a scratch home, one store, a fixed today."""

    def __init__(self, setup: Install) -> None:
        self.setup = setup
        self.home = WORK / "home"
        shutil.rmtree(self.home, ignore_errors=True)
        self.home.mkdir(parents=True)
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("STRIDELAB_", "PYTHON"))},
            "HOME": str(self.home),
            "XDG_DATA_HOME": str(self.home / "data"),
            "STRIDELAB_DB": str(self.home / "stridelab.db"),
            "STRIDELAB_TODAY": TODAY,
            "VIRTUAL_ENV": str(setup.venv),
            "PATH": f"{setup.bin}{os.pathsep}{os.environ.get('PATH', '')}",
        }

    def __call__(self, *args: str) -> subprocess.CompletedProcess[str]:
        out = run([str(self.setup.bin / "stridelab"), *args], env=self.env, cwd=self.home)
        if out.returncode != 0:
            raise AssertionError(
                f"stridelab {' '.join(args)} exited {out.returncode}: {out.stderr}"
            )
        return out

    def json(self, *args: str) -> object:
        return json.loads(self(*args).stdout)

    def python(self, code: str) -> str:
        out = run([str(self.setup.bin / "python"), "-c", code], env=self.env, cwd=self.home)
        if out.returncode != 0:
            raise AssertionError(out.stderr.strip())
        return out.stdout.strip()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def _serving(stridelab: Runner, port: int) -> Iterator[subprocess.Popen[str]]:
    process = subprocess.Popen(
        [str(stridelab.setup.bin / "stridelab"), "serve", "--port", str(port)],
        env=stridelab.env,
        cwd=stridelab.home,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def checks(stridelab: Runner, tally: Tally) -> None:
    def pip_check() -> str:
        out = run([str(stridelab.setup.bin / "python"), "-m", "pip", "check"], env=stridelab.env)
        assert out.returncode == 0, out.stdout + out.stderr
        return out.stdout.strip()

    def version() -> str:
        lines = stridelab("--version").stdout.splitlines()
        same = run(
            [str(stridelab.setup.bin / "python"), "-m", "stridelab", "--version"],
            env=stridelab.env,
        ).stdout.splitlines()
        assert lines == same, "python -m stridelab differs from stridelab"
        assert lines[0].startswith("stridelab "), lines
        assert "NumPy" in lines[1] and "SQLite" in lines[1], lines
        if "MediaPipe" in lines[1]:  # the wheel carries the pose models the runtime needs
            assert any(line.startswith("pose models:") and ".task" in line for line in lines), lines
        return " | ".join(lines[:2])

    def paces() -> str:
        report = stridelab.json("paces", "--race", "10k", "--time", "45:00", "--json")
        assert isinstance(report, dict)
        vdot = float(report["vdot"])
        assert 45.0 < vdot < 45.6, vdot
        return f"VDOT {vdot:.1f}"

    def plan() -> str:
        plan = stridelab.json(
            "plan",
            "--goal",
            "10k",
            "--race-date",
            "2027-04-18",
            "--recent",
            "5k=24:30",
            "--days-per-week",
            "4",
            "--start",
            TODAY,
            "--current-weekly-km",
            "25",
            "--json",
        )
        assert isinstance(plan, dict)
        weeks = plan["weeks"]
        assert len(weeks) >= 10, len(weeks)
        return f"{len(weeks)} weeks"

    def analyze() -> str:
        sample = stridelab.python(
            "import importlib.resources as r; "
            "print(r.files('stridelab') / 'data' / 'samples' / 'sample-run.fit')"
        )
        assert "site-packages" in sample, f"sample not from the install: {sample}"
        report = stridelab.json("analyze", sample, "--json")
        assert isinstance(report, dict)
        distance = report["sessions"][0]["distance_m"]
        assert float(distance) > 1000, distance
        return f"{float(distance) / 1000:.2f} km"

    def drill() -> str:
        if (
            stridelab.python("import importlib.util as u; print(u.find_spec('mediapipe'))")
            == "None"
        ):
            raise Skip(
                "this main's 'video' extra installs no pose runtime (MediaPipe 0.10.21 needs "
                "numpy<2 and pip install --no-deps; issue 10 moves it to a plain install)"
            )
        clip = stridelab.home / "smoke-run.mp4"
        out = run(
            [
                str(stridelab.setup.bin / "python"),
                str(ROOT / "tools" / "make_smoke_clip.py"),
                str(clip),
            ],
            env=stridelab.env,
        )
        assert out.returncode == 0, out.stderr
        report = stridelab.json("drill", str(clip), "--json")
        assert isinstance(report, dict)
        cadence = float(report["cadence_spm"])
        assert abs(cadence - CLIP_CADENCE_SPM) < 0.1 * CLIP_CADENCE_SPM, cadence
        return f"cadence {cadence:.1f} steps/min (clip: {CLIP_CADENCE_SPM:.0f})"

    def serve() -> str:
        port = _free_port()
        url = f"http://127.0.0.1:{port}/today.json"
        deadline = time.monotonic() + SERVE_TIMEOUT_S
        with _serving(stridelab, port) as process:
            while True:
                if process.poll() is not None:
                    said = process.stderr.read() if process.stderr else ""
                    raise AssertionError(f"serve exited {process.returncode}: {said}")
                try:
                    with urllib.request.urlopen(url, timeout=5) as response:
                        body = json.loads(response.read())
                        status = response.status
                    break
                except OSError:
                    if time.monotonic() > deadline:
                        raise AssertionError(
                            f"{url} did not answer in {SERVE_TIMEOUT_S:.0f} s"
                        ) from None
                    time.sleep(0.5)
        assert status == 200, status
        assert isinstance(body, dict) and body, body
        return f"GET /today.json 200, keys {', '.join(sorted(body)[:4])}…"

    for name, body in (
        ("pip check", pip_check),
        ("--version", version),
        ("paces", paces),
        ("plan --json", plan),
        ("analyze sample", analyze),
        ("drill", drill),
        ("serve /today.json", serve),
    ):
        tally.check(name, body)


def main() -> int:
    started = time.perf_counter()
    WORK.mkdir(parents=True, exist_ok=True)
    pythons = second_pythons()
    if not pythons:
        say("SKIP install smoke: no second Python (3.11-3.13) here; set SMOKE_PYTHON to one")
        say("0 passed, 0 failed, 1 skipped")
        return 0
    wheel = build_wheel()
    say(f"built {wheel.name}")
    setup: Install | None = None
    for python in pythons:
        result = install(python, wheel)
        if isinstance(result, str):
            say(f"passed over {python}: {result}")
            continue
        setup = result
        break
    tally = Tally()
    if setup is None:
        tally.failed += 1
        say("FAIL install: no second Python could install the wheel from binary wheels")
    else:
        say(
            f"installed {wheel.name}[{EXTRAS}] on {setup.python} from binary wheels only"
            f" in {setup.seconds:.0f} s"
        )
        if setup.dropped:
            say(f"lock pins with no wheel there, left to pip: {', '.join(setup.dropped)}")
        checks(Runner(setup), tally)
    say(f"whole smoke {time.perf_counter() - started:.0f} s")
    say(f"{tally.passed} passed, {tally.failed} failed, {tally.skipped} skipped")
    return 1 if tally.failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
