"""Non-finite and out-of-range numbers at every CLI edge: one line naming the valid range.

Each case is a reproducer from the reliability audit (issue 8 §4); before, they gave a
traceback, a hung server or were silently accepted.
"""

from __future__ import annotations

import math
import os
import stat
from pathlib import Path

import pytest

from cli_support import PLAN_ARGS
from stridelab.activities.analysis import AnalysisSettings
from stridelab.activities.readers import read_activity
from stridelab.cli import main
from stridelab.errors import InputError, UnsupportedFormatError
from stridelab.units import MIN_DATE, Range

SAMPLE = Path(__file__).resolve().parents[1] / "src/stridelab/data/samples/sample-run.fit"


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        ([*PLAN_ARGS, "--current-weekly-km", "nan"], "Give a number from 5 to 300 km"),
        ([*PLAN_ARGS, "--current-weekly-km", "inf"], "Give a number from 5 to 300 km"),
        ([*PLAN_ARGS, "--current-weekly-km", "1e308"], "Give a number from 5 to 300 km"),
        (["analyze", str(SAMPLE), "--max-hr", "nan"], "--max-hr nan is not valid"),
        (["analyze", str(SAMPLE), "--max-hr", "0"], "Give a number from 100 to 240 bpm"),
        (["analyze", str(SAMPLE), "--max-hr", "-10"], "--max-hr -10 is not valid"),
        (["analyze", str(SAMPLE), "--mass-kg", "0"], "Give a number from 20 to 250 kg"),
        (["analyze", str(SAMPLE), "--mass-kg", "inf"], "--mass-kg inf is not valid"),
        (["analyze", str(SAMPLE), "--rest-hr", "300"], "Give a number from 25 to 120 bpm"),
        (["analyze", str(SAMPLE), "--plot", "x.xyz"], "Name the file .png, .svg or .pdf"),
        (["activities", "--limit", "1e23"], "Give a whole number from 1 to 1000000"),
        (["activities", "--limit", "100000000000000000000000"], "--limit"),
        (["replan", "--athlete", "1e23"], "Give a whole number from 1 to 9223372036854775807"),
        (["serve", "--port", "99999"], "Give a whole number from 1 to 65535"),
        (["warmup", "--race", "10k", "--start", "0001-01-01T00:01"], f"works with {MIN_DATE}"),
        (["demo", "--today", "0001-01-01"], f"works with {MIN_DATE}"),
    ],
)
def test_bad_number_is_one_line_with_the_range(
    argv: list[str], expected: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    if argv[0] in ("activities", "replan", "demo"):
        argv = [*argv, "--db", str(tmp_path / "runs.db")]
    assert main(argv) == 2
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1, captured.err
    assert lines[0].startswith("error: ")
    assert expected in lines[0]
    assert not (tmp_path / "x.xyz").exists()


def test_a_number_in_range_is_accepted(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["analyze", str(SAMPLE), "--max-hr", "185", "--rest-hr", "48", "--json"]) == 0
    assert '"training_load"' in capsys.readouterr().out


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"max_hr_bpm": math.nan}, "max HR nan is not valid. Give a number from 100 to 240 bpm"),
        ({"max_hr_bpm": 0.0}, "max HR 0 is not valid"),
        ({"resting_hr_bpm": 300.0}, "resting HR 300 is not valid. Give a number from 25 to 120"),
        ({"body_mass_kg": math.inf}, "body mass inf is not valid. Give a number from 20 to 250 kg"),
        ({"max_hr_bpm": 110.0, "resting_hr_bpm": 115.0}, "resting HR 115 bpm is not below max"),
    ],
)
def test_library_refuses_the_same_settings(settings: dict[str, float], message: str) -> None:
    with pytest.raises(InputError) as raised:
        AnalysisSettings(**settings)
    assert message in str(raised.value)


def test_range_checks_whole_numbers_and_names_the_unit() -> None:
    port = Range(1, 65535, integer=True)
    assert port.check(8000, "--port") == 8000
    with pytest.raises(InputError, match=r"--port 1\.5 is not valid"):
        port.check(1.5, "--port")
    assert Range(25, 120, "bpm").describe() == "25–120 bpm"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_a_fifo_is_refused_instead_of_blocking(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fifo = tmp_path / "run.fit"
    os.mkfifo(fifo)
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    with pytest.raises(UnsupportedFormatError, match="is a FIFO"):
        read_activity(fifo)
    assert main(["analyze", str(fifo)]) == 2
    assert "is a FIFO (named pipe), not a regular file" in capsys.readouterr().err
    db = tmp_path / "runs.db"
    assert main(["import", str(fifo), "--db", str(db), "--json"]) == 2
    assert "is a FIFO" in capsys.readouterr().out


def test_a_device_file_is_refused() -> None:
    with pytest.raises(UnsupportedFormatError, match="is a character device"):
        read_activity("/dev/zero")
