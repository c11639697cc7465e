"""The video guide: a drill's reference animation, written and decoded back for real.

Small frames and low frame rates keep each render well under a second.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from stridelab.cli import main
from stridelab.drills.motions import REFERENCE_MOTIONS
from stridelab.errors import InputError
from stridelab.video.decode import iter_frames, probe_video
from stridelab.video.guide import guide_cycles, render_guide


def decoded(path: Path) -> tuple[int, float, tuple[int, int], list[np.ndarray]]:
    info = probe_video(path, min_frames=1)
    frames = [f.image_bgr for f in iter_frames(path)]
    return len(frames), info.fps, (info.width, info.height), frames


@pytest.mark.parametrize("suffix", [".webm", ".mp4"])
def test_guide_decodes_with_the_expected_frames_size_and_rate(tmp_path: Path, suffix: str) -> None:
    guide = render_guide("butt-kicks", tmp_path / f"kicks{suffix}", width=160, height=120, fps=10)
    motion = REFERENCE_MOTIONS["butt_kicks"]
    cycles, _ = guide_cycles(motion)
    assert guide.frames == round(cycles * motion.cycle_s * 10)
    count, fps, size, frames = decoded(guide.path)
    assert (count, fps, size) == (guide.frames, 10.0, (160, 120))
    # The drill's rhythm: 180 kicks/min, two per cycle, a whole number of cycles (a seamless loop).
    assert guide.reps / guide.duration_s * 60 == pytest.approx(180, rel=0.02)
    assert guide.reps == cycles * 2
    # Something is drawn, and it moves.
    assert frames[0].max() > 200
    assert np.abs(frames[0].astype(int) - frames[2].astype(int)).mean() > 0.5


@pytest.mark.parametrize("drill_id", sorted(set(REFERENCE_MOTIONS) - {"butt_kicks"}))
def test_every_drill_renders(tmp_path: Path, drill_id: str) -> None:
    guide = render_guide(drill_id, tmp_path / "g.webm", width=96, height=72, fps=4)
    count, _, size, _ = decoded(guide.path)
    assert count == guide.frames and size == (96, 72)
    assert guide.duration_s >= 4.0 - 1 / 4


def test_bad_drill_and_bad_suffix_are_refused_before_writing(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="Unknown drill"):
        render_guide("moonwalk", tmp_path / "x.webm")
    with pytest.raises(InputError, match=r"\.gif"):
        render_guide("a-skip", tmp_path / "x.gif")
    assert list(tmp_path.iterdir()) == []


def test_cli_writes_the_guide_and_reports_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "carioca.webm"
    assert main(["drills", "carioca", "--video", str(out), "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["id"] == "carioca" and payload["cues"]  # the drill's JSON, as before
    video = payload["video"]
    assert video["path"] == str(out) and "not measured data" in video["note"]
    count, fps, size, _ = decoded(out)
    assert (count, fps, list(size)) == (
        video["frames"],
        video["fps"],
        [video["width"], video["height"]],
    )
    assert main(["drills", "carioca", "--video", str(tmp_path / "c.mp4")]) == 0
    assert "Wrote" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["drills", "moonwalk", "--video", "x.webm"], "Unknown drill 'moonwalk'"),
        (["drills", "a-skip", "--video", "x.avi"], "Name it .webm"),
        (["drills", "--video", "x.webm"], "--video needs a drill"),
        (["drills", "a-skip", "--video", "no/such/folder/x.webm"], "cannot write a video there"),
    ],
)
def test_cli_bad_input_is_one_line_and_exit_2(
    argv: list[str],
    expected: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(argv) == 2
    err = capsys.readouterr().err.strip()
    assert expected in err and len(err.splitlines()) == 1
    assert not (tmp_path / "x.webm").exists()
