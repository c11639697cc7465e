"""`stridelab plan`: the JSON contract, file exports, and one-line errors with exit 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cli_support import PLAN_ARGS
from stridelab.cli import main

EXAMPLE = [*PLAN_ARGS, "--current-weekly-km", "25"]


def _with(option: str, value: str) -> list[str]:
    args = list(EXAMPLE)
    if option in args:
        args[args.index(option) + 1] = value
    else:
        args += [option, value]
    return args


def test_plan_json_and_exports(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ics, fit_dir, md = tmp_path / "plan.ics", tmp_path / "fit", tmp_path / "plan.md"
    args = [*EXAMPLE, "--json", "--ics", str(ics), "--fit-dir", str(fit_dir)]
    assert main([*args, "--markdown", str(md)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["goal"]["race_date"] == "2027-04-18"
    assert data["weeks"][0]["start"] == "2027-01-04"
    assert (
        data["weeks"][-1]["sessions"][-1] | {"kind": "race", "date": "2027-04-18"}
        == (data["weeks"][-1]["sessions"][-1])
    )
    assert ics.read_bytes().startswith(b"BEGIN:VCALENDAR")
    assert md.read_text(encoding="utf-8").startswith("# Training plan")
    assert len(list(fit_dir.glob("*.fit"))) == sum(
        1
        for w in data["weeks"]
        for s in w["sessions"]
        if s["warmup"] is not None and s["kind"] != "race"
    )


def test_plan_table_by_default(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([*EXAMPLE, "--long-run-day", "sat", "--unavailable", "mon,wed"]) == 0
    out = capsys.readouterr().out
    assert "peak:" in out and "for Hal Higdon Intermediate 10K" in " ".join(out.split())


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (_with("--race-date", "2026-12-01"), "not after"),
        (_with("--race-date", "2027-13-01"), "race date"),
        (_with("--recent", "5k=24:3x"), "not a valid time"),
        (_with("--recent", "5k"), "distance=time"),
        ([*_with("--goal", "marathon"), "--days-per-week", "1"], "days per week"),
        (_with("--goal", "marathon"), "weeks"),
        (_with("--unavailable", "mon,someday"), "weekday"),
        (_with("--max-ramp", "3"), "ramp"),
    ],
)
def test_bad_input_is_one_line_exit_2(
    args: list[str], words: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(args) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1, captured.err
    assert words in lines[0]
    assert "Traceback" not in captured.err


def test_plan_without_start_begins_the_monday_after_today(
    capsys: pytest.CaptureFixture[str],
) -> None:
    args = ["plan", "--goal", "10k", "--race-date", "2027-04-18", "--recent", "5k=24:30"]
    args += ["--days-per-week", "4", "--current-weekly-km", "25", "--json"]
    assert main([*args, "--today", "2027-01-06"]) == 0  # a Wednesday
    assert json.loads(capsys.readouterr().out)["weeks"][0]["start"] == "2027-01-11"
    assert main([*args, "--today", "2027-13-01"]) == 2
    assert "--today date" in capsys.readouterr().err


def test_saved_plan_says_what_to_run_today(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`plan --save` stores the current plan where the web app and `replan` look;
    `today --date D --json` gives that day's session, the same shape as in the plan."""
    db = tmp_path / "coach.db"
    assert main(["today", "--db", str(db), "--date", "2027-01-05"]) == 2
    assert "--save" in capsys.readouterr().err
    assert main([*EXAMPLE, "--json", "--save", "--db", str(db)]) == 0
    planned = json.loads(capsys.readouterr().out)
    by_date = {s["date"]: s for w in planned["weeks"] for s in w["sessions"]}
    for day in ("2027-01-05", "2027-01-10", "2027-04-18"):
        assert main(["today", "--db", str(db), "--date", day, "--json"]) == 0
        view = json.loads(capsys.readouterr().out)
        assert view["date"] == day
        assert view["session"]["kind"] == by_date[day]["kind"]
        assert view["session"]["steps"] == by_date[day]["steps"]
        assert view["session"]["total_duration_s"] == by_date[day]["total_duration_s"]
        assert view["week"]["start"] <= day and "sessions" not in view["week"]
    assert main(["today", "--db", str(db), "--date", "2027-04-18"]) == 0
    assert "Race: 10k" in capsys.readouterr().out
    assert main(["today", "--db", str(db), "--date", "2030-01-01", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {
        "date": "2030-01-01",
        "session": None,
        "week": None,
    }
