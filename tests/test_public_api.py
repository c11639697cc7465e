"""The public API: every advertised name resolves, and importing it stays cheap."""

from __future__ import annotations

import subprocess
import sys

import stridelab


def test_every_public_name_resolves() -> None:
    assert stridelab.__all__ == sorted(stridelab.__all__, key=lambda n: (not n.isupper(), n))
    for name in stridelab.__all__:
        assert getattr(stridelab, name) is not None


def test_import_does_not_load_scipy_or_opencv() -> None:
    code = (
        "import sys, stridelab, stridelab.cli; print(sorted({'scipy', 'cv2'} & set(sys.modules)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_readme_python_example_runs(tmp_path: object) -> None:
    import datetime as dt
    from importlib.resources import files

    from stridelab import PlanRequest, RecentRace, analyse_activity, generate_plan, read_activity

    plan = generate_plan(
        PlanRequest(
            goal_distance_m=10_000,
            race_date=dt.date(2027, 4, 18),
            recent_race=RecentRace(distance_m=5_000, time_s=24 * 60 + 30),
            days_per_week=4,
            current_weekly_m=25_000,
            start_date=dt.date(2027, 1, 4),
        )
    )
    assert plan.total_distance_m < plan.baseline_total_distance_m
    assert plan.weeks[0].explanation
    sample = files("stridelab.data.samples").joinpath("sample-run.fit")
    analysis = analyse_activity(read_activity(str(sample)))
    assert 150 < (analysis.sessions[0].metrics.avg_cadence_spm or 0) < 200
