"""``stridelab import | activities | trends | analyze`` through ``stridelab.cli.main``."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from activity_writers import synthetic_run, write_gpx, write_tcx
from stridelab.cli import main

SESSION_KEYS = {
    "sport",
    "start",
    "distance_m",
    "elapsed_time_s",
    "timer_time_s",
    "avg_hr_bpm",
    "max_hr_bpm",
    "avg_cadence_spm",
    "avg_ground_contact_ms",
    "avg_vertical_oscillation_mm",
    "avg_step_length_m",
    "calories_kcal",
    "training_load",
    "laps",
    "insights",
    "device_summary",
}


@pytest.fixture
def run_tcx(tmp_path: Path) -> Path:
    path = tmp_path / "run.tcx"
    path.write_bytes(write_tcx(synthetic_run(seconds=1200, strides_at=(120, 200, 280))))
    return path


def test_analyze_json_has_the_documented_shape(
    run_tcx: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["analyze", str(run_tcx), "--json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["file"] == str(run_tcx)
    assert document["format"] == "tcx"
    (session,) = document["sessions"]
    assert set(session) >= SESSION_KEYS
    assert session["sport"] == "running"
    assert session["distance_m"] == pytest.approx(3600, rel=0.05)
    assert session["avg_ground_contact_ms"] is None  # a TCX has no running dynamics
    assert session["avg_vertical_oscillation_mm"] is None
    assert len(session["laps"]) == 2
    assert {i["kind"] for i in session["insights"]} >= {"cadence", "warmup_bursts"}
    assert session["device_summary"]["calories_kcal"] == 200.0


def test_analyze_real_fit_and_plot(
    shared_activities: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fit = shared_activities / "fit/goldencheetah/FR955v18_14211916346_ACTIVITY.fit"
    png = tmp_path / "run.png"
    assert main(["analyze", str(fit), "--json", "--plot", str(png)]) == 0
    session = json.loads(capsys.readouterr().out)["sessions"][0]
    assert session["avg_ground_contact_ms"] == pytest.approx(279, abs=2)
    assert {i["kind"] for i in session["insights"]} >= {"cadence", "contact_time"}
    assert png.read_bytes().startswith(b"\x89PNG")


def test_analyze_multisport_gives_one_entry_per_session(
    shared_activities: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fit = shared_activities / "fit/python-fitparse/sample_mulitple_header.fit"
    assert main(["analyze", str(fit), "--json"]) == 0
    sports = [s["sport"] for s in json.loads(capsys.readouterr().out)["sessions"]]
    assert sports == ["swimming", "transition", "cycling", "transition", "running"]


@pytest.mark.parametrize(
    ("name", "data", "words"),
    [
        ("empty.fit", b"", "empty"),
        ("random.fit", bytes(range(256)) * 4, "FIT"),
        ("broken.tcx", b"<TrainingCenterDatabase><Activities>", "malformed TCX"),
        ("notes.txt", b"just some notes", "not a FIT, TCX or GPX"),
    ],
)
def test_bad_input_is_one_line_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, data: bytes, words: str
) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    assert main(["analyze", str(path)]) == 2
    captured = capsys.readouterr()
    error = captured.err.strip()
    assert str(path) in error.replace("\n", "")
    assert words in error.replace("\n", "")
    assert "Traceback" not in captured.err + captured.out


def test_truncated_and_corrupted_fit_exit_2(
    shared_activities: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = (shared_activities / "fit/heartandsole/testdata.fit").read_bytes()
    truncated = tmp_path / "truncated.fit"
    truncated.write_bytes(data[: len(data) // 2])
    corrupted = tmp_path / "corrupted.fit"
    corrupted.write_bytes(data[:-40] + bytes([data[-40] ^ 0xFF]) + data[-39:])
    for path in (truncated, corrupted):
        assert main(["analyze", str(path)]) == 2
        err = capsys.readouterr().err
        assert str(path.name) in err and "Traceback" not in err


def test_import_list_trends_and_exit_codes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "runs.db"
    folder = tmp_path / "runs"
    folder.mkdir()
    (folder / "a.tcx").write_bytes(write_tcx(synthetic_run(seconds=600)))
    (folder / "b.gpx.gz").write_bytes(gzip.compress(write_gpx(synthetic_run(seconds=700))))
    bad = tmp_path / "bad.gpx"
    bad.write_bytes(b"<gpx><trk>")

    assert main(["import", str(folder), "--db", str(db)]) == 0
    assert "imported 2" in capsys.readouterr().out
    assert main(["import", str(folder), str(bad), "--db", str(db), "--json"]) == 1
    summary = json.loads(capsys.readouterr().out)
    assert (summary["imported"], summary["duplicates"]) == (0, 2)
    assert summary["failed"][0]["name"] == str(bad)
    assert main(["import", str(bad), "--db", str(db)]) == 2
    capsys.readouterr()

    assert main(["activities", "--db", str(db), "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert sorted(r["format"] for r in rows) == ["gpx", "tcx"]
    png = tmp_path / "trends.png"
    args = ["trends", "--db", str(db), "--json", "--weeks", "0", "--plot", str(png)]
    assert main([*args, "--today", "2024-06-12"]) == 0
    weeks = json.loads(capsys.readouterr().out)["weeks"]
    assert sum(w["activities"] for w in weeks) == 2
    assert weeks[-1]["week_start"] == "2024-06-10"  # the weeks run up to "today"
    assert weeks[-1]["ctl"] < max(w["ctl"] for w in weeks)  # fitness decays without runs
    assert png.exists()


def test_db_from_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("STRIDELAB_DB", str(tmp_path / "env.db"))
    run = tmp_path / "r.tcx"
    run.write_bytes(write_tcx(synthetic_run(seconds=300)))
    assert main(["import", str(run)]) == 0
    assert (tmp_path / "env.db").exists()
    capsys.readouterr()
    assert main(["activities"]) == 0
    assert "running" in capsys.readouterr().out


def test_salvage_keeps_what_a_damaged_fit_holds(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A truncated FIT is rejected by default; --salvage analyses what came before the cut."""
    from importlib.resources import files

    data = files("stridelab.data.samples").joinpath("sample-run.fit").read_bytes()
    damaged = tmp_path / "cut.fit"
    damaged.write_bytes(data[: len(data) * 2 // 3])
    assert main(["analyze", str(damaged)]) == 2
    assert "--salvage" in capsys.readouterr().err
    assert main(["analyze", str(damaged), "--salvage", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["metadata"]["decode_warnings"]
    assert 0 < out["sessions"][0]["elapsed_time_s"] < 41 * 60
