"""Layers import downwards only: checked on the source, so a new upward import fails here.

FIT reading is frame → decode → interpret (``fit_frame`` → ``fit_decode`` →
``fit_activity``), with ``fit`` the front door over all three; ``activities`` never
imports ``store`` (the trends chart lives in ``store.plot``).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
READERS = "stridelab.activities.readers"


def _imports(module: str) -> set[str]:
    """Every stridelab module ``module`` imports (top level or inside functions)."""
    path = SRC / (module.replace(".", "/") + ".py")
    if not path.exists():
        path = SRC / module.replace(".", "/") / "__init__.py"
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("stridelab"):
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("stridelab"))
    return found


@pytest.mark.parametrize(
    ("module", "above"),
    [
        (f"{READERS}.fit_frame", {"fit_decode", "fit_activity", "fit"}),
        (f"{READERS}.fit_decode", {"fit_activity", "fit"}),
        (f"{READERS}.fit_activity", {"fit"}),
    ],
)
def test_fit_layers_look_down_only(module: str, above: set[str]) -> None:
    upward = {m for m in _imports(module) if m.rsplit(".", 1)[-1] in above and READERS in m}
    assert upward == set(), f"{module} imports {upward}"


def test_activities_never_import_store() -> None:
    modules = [
        ".".join(p.relative_to(SRC).with_suffix("").parts).removesuffix(".__init__")
        for p in (SRC / "stridelab" / "activities").rglob("*.py")
    ]
    assert len(modules) >= 15, modules  # the walk found the package
    offenders = {m: i for m in modules for i in _imports(m) if i.startswith("stridelab.store")}
    assert offenders == {}


def test_cli_analyse_does_not_import_the_plan_engine_or_scipy() -> None:
    """Start-up (issue 8 §5): each command imports only what it uses, in a fresh process."""
    import subprocess
    import sys

    probe = (
        "import sys, stridelab.cli.analyse; "
        "print(sorted(m for m in ('scipy', 'stridelab.plans.generator', 'stridelab.plans.volume',"
        " 'matplotlib', 'fastapi', 'uvicorn', 'cv2', 'mediapipe') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_plans_package_still_exports_its_names_lazily() -> None:
    import stridelab.plans as plans

    assert plans.MAX_WEEKLY_RAMP == plans.model.MAX_WEEKLY_RAMP
    assert callable(plans.generate_plan)
    assert sorted(dir(plans)) == sorted(plans.__all__)
