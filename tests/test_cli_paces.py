"""CLI: paces, warmup, drills (the JSON contracts and bad input)."""

from __future__ import annotations

import json

import pytest

from stridelab.cli import main


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_paces_json_contract(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "paces", "--race", "10k", "--time", "45:00", "--json")
    assert code == 0
    payload = json.loads(out)
    assert isinstance(payload["vdot"], float)
    assert payload["vdot"] == pytest.approx(45.3, abs=0.1)
    assert set(payload["predictions_s"]) == {"5k", "10k", "half", "marathon"}
    assert payload["predictions_s"]["10k"] == pytest.approx(2700, abs=1)
    paces = payload["paces_s_per_km"]
    lo, hi = paces["easy"]
    assert paces["repetition"] < paces["interval"] < paces["threshold"]
    assert paces["threshold"] < paces["marathon"] < lo < hi


def test_paces_table(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "paces", "--race", "5k", "--time", "20:00")
    assert code == 0
    assert "VDOT 49.8" in out
    assert "/km" in out and "Riegel" in out


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["paces", "--race", "10k", "--time", "4x:00"], "not a valid time"),
        (["paces", "--race", "10 parsecs", "--time", "45:00"], "not a valid distance"),
        (["paces", "--race", "marathon", "--time", "1:00"], "outside the VDOT model"),
        (["paces", "--race", "10k"], "--time"),
        (["warmup", "--race", "10k", "--start", "tomorrow 9am"], "date and time"),
        (["warmup", "--race", "10k", "--start", "2027-04-18T09:00", "--gap", "45:00"], "5–15"),
        (["drills", "moonwalk"], "butt_kicks"),
    ],
)
def test_bad_input_is_one_line_exit_2(
    capsys: pytest.CaptureFixture[str], args: list[str], needle: str
) -> None:
    code, out, err = run(capsys, *args)
    assert code == 2
    assert out == ""
    assert needle in err
    assert "Traceback" not in err


def test_warmup_json_window(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, "warmup", "--race", "10k", "--start", "2027-04-18T09:00+02:00", "--json"
    )
    assert code == 0
    payload = json.loads(out)
    assert payload["start"] == "2027-04-18T09:00:00+02:00"
    assert payload["warmup_ends_at"] == "2027-04-18T08:50:00+02:00"
    assert payload["window_s"]["min"] <= payload["gap_s"] <= payload["window_s"]["max"]
    assert "butt_kicks" in [d["id"] for d in payload["warmup"]["drills"]]


def test_warmup_table_shows_local_times(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "warmup", "--race", "marathon", "--start", "2027-04-18T09:00")
    assert code == 0
    assert "09:00" in out and "08:50" in out and "Butt kicks" in out


def test_drills_list_and_one(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "drills", "--json")
    assert code == 0
    ids = [d["id"] for d in json.loads(out)["drills"]]
    assert ids[0] == "butt_kicks" and "carioca" in ids
    code, out, _ = run(capsys, "drills", "butt-kicks", "--json")
    assert code == 0
    drill = json.loads(out)
    assert drill["name"] == "Butt kicks"
    assert "heel_not_to_buttock" in [f["id"] for f in drill["faults"]]
    code, out, _ = run(capsys, "drills", "butt_kicks")
    assert code == 0
    assert "hamstring" in out and "heel_not_to_buttock" in out
