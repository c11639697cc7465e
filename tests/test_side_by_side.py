"""Side by side after a drill check: the time warp, and the video decoded back for real.

Synthetic butt kicks (the kinematic model, heels kept low so faults show) give a report
with known faults; the runner's clip is written by OpenCV in the test (tiny, flat frames,
so any difference between two of its frames is what the side-by-side drew).
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import cv2
import numpy as np
import pytest
from numpy.typing import NDArray

from stridelab.cli import main
from stridelab.drills.kinematics import Side
from stridelab.drills.motions import REFERENCE_MOTIONS
from stridelab.video.decode import iter_frames
from stridelab.video.events import Foot
from stridelab.video.guide import figure_track
from stridelab.video.pose import PoseSequence
from stridelab.video.render import FAULT_CALLOUT_S
from stridelab.video.report import DrillReport, analyse_pose
from stridelab.video.side_by_side import CheckedClip, reference_cycles, render_side_by_side
from stridelab.video.smooth import smooth_sequence
from stridelab.video.synthetic import synthesise
from test_video_render import LOW_BUTT_KICKS

LOW_KICKS = replace(LOW_BUTT_KICKS, duration_s=4.0, width=160, height=180, height_px=150.0)
KICKS = REFERENCE_MOTIONS["butt_kicks"]


@pytest.fixture(scope="module")
def checked() -> tuple[PoseSequence, DrillReport]:
    clip = synthesise(LOW_KICKS)
    g = clip.gait
    sequence = smooth_sequence(
        PoseSequence(clip.xy_px, clip.visibility, clip.t_s, g.fps, g.width, g.height)
    )
    return sequence, analyse_pose(sequence)


def flat_clip(path: Path, frames: int, size: tuple[int, int] = (160, 180)) -> Path:
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter.fourcc(*"mp4v"), 30.0, size)
    for _ in range(frames):
        writer.write(np.full((size[1], size[0], 3), 70, dtype=np.uint8))
    writer.release()
    return path


def yellow(image: NDArray[np.uint8]) -> int:
    b, g, r = (image[..., i].astype(int) for i in range(3))
    return int(((b < 130) & (g > 160) & (r > 190)).sum())


def clip_of(reps: dict[Foot, tuple[int, ...]], frames: int = 120) -> CheckedClip:
    return CheckedClip("butt_kicks", frames, 30.0, reps, ())


def test_each_detected_rep_meets_the_reference_rep_of_the_same_leg() -> None:
    reps = {Foot.LEFT: (10, 31, 50, 73), Foot.RIGHT: (20, 40, 62, 84)}  # uneven, as runners are
    cycles = reference_cycles(clip_of(reps), KICKS, 120)
    phases = KICKS.rep_phases()
    for foot, frames in reps.items():
        for f in frames:
            assert cycles[f] % 1.0 == pytest.approx(phases[Side(foot.value)], abs=1e-9)
    assert (np.diff(cycles) > 0).all()  # never runs backwards
    # One reference cycle per left-right pair: 7 intervals between 8 reps = 3.5 cycles.
    assert cycles[84] - cycles[10] == pytest.approx(3.5)
    # Outside the reps, the runner's mean rhythm: (3.5 cycles / 74 frames).
    assert cycles[100] - cycles[84] == pytest.approx(16 * 3.5 / 74)


def test_a_missed_rep_costs_a_whole_cycle_not_a_reversal() -> None:
    cycles = reference_cycles(clip_of({Foot.LEFT: (10, 30, 50), Foot.RIGHT: (20,)}), KICKS, 60)
    assert cycles[30] - cycles[20] == pytest.approx(0.5)
    assert cycles[50] - cycles[30] == pytest.approx(1.0)  # left, left: the right was missed


def test_without_reps_the_reference_keeps_its_own_rhythm() -> None:
    cycles = reference_cycles(clip_of({Foot.LEFT: (), Foot.RIGHT: ()}), KICKS, 90)
    assert cycles[-1] - cycles[0] == pytest.approx(89 / 30 / KICKS.cycle_s)


def test_stored_report_reads_back_as_the_fresh_one(
    checked: tuple[PoseSequence, DrillReport],
) -> None:
    sequence, report = checked
    fresh = CheckedClip.from_report(report, sequence)
    stored = CheckedClip.from_dict(json.loads(json.dumps(report.to_dict())))
    assert replace(fresh, keypoints_px=None, size=None) == stored
    assert fresh.drill_id == "butt_kicks" and fresh.faults


def test_the_reference_faces_the_way_the_runner_does(
    checked: tuple[PoseSequence, DrillReport],
) -> None:
    sequence, report = checked
    assert CheckedClip.from_report(report, sequence).facing == 1
    mirrored = sequence.xy_px.copy()
    mirrored[..., 0] = sequence.width - mirrored[..., 0]
    left = replace(sequence, xy_px=mirrored)
    assert CheckedClip.from_report(report, left).facing == -1
    stored = CheckedClip.from_dict(report.to_dict(), mirrored, (sequence.width, sequence.height))
    assert stored.facing == -1
    cycles = np.linspace(0, 1, 7)
    right_px = figure_track(KICKS, cycles, 160, 180).xy_px
    left_px = figure_track(KICKS, cycles, 160, 180, facing=-1).xy_px
    assert left_px[..., 0] == pytest.approx(160 - right_px[..., 0])
    assert left_px[..., 1] == pytest.approx(right_px[..., 1])


def test_side_by_side_has_the_clips_frames_both_halves_and_marks_faults(
    tmp_path: Path, checked: tuple[PoseSequence, DrillReport]
) -> None:
    sequence, report = checked
    clip = flat_clip(tmp_path / "me.mp4", sequence.frames)
    out = render_side_by_side(
        clip, CheckedClip.from_report(report, sequence), tmp_path / "sbs.webm"
    )
    frames = [f.image_bgr for f in iter_frames(out.path)]
    assert len(frames) == sequence.frames == out.frames
    assert frames[0].shape == (180, 2 * 160, 3) and out.width == 2 * out.half_width == 320
    window = FAULT_CALLOUT_S * report.fps
    fault = report.faults[0].frame
    quiet = next(
        i
        for i in range(sequence.frames)
        if all(abs(i - f.frame) > window + 2 for f in report.faults)
    )
    runner_fault, runner_quiet = frames[fault][:, :160], frames[quiet][:, :160]
    assert np.abs(runner_fault.astype(int) - runner_quiet.astype(int)).max() > 100  # captioned
    assert yellow(frames[fault][:, 160:]) > 20  # the cue that fixes it, on the reference
    assert yellow(frames[quiet][:, 160:]) == 0


def test_without_landmarks_faults_are_still_captioned(
    tmp_path: Path, checked: tuple[PoseSequence, DrillReport]
) -> None:
    _, report = checked
    stored = CheckedClip.from_dict(report.to_dict())  # an old check: no landmarks kept
    out = render_side_by_side(
        flat_clip(tmp_path / "me.mp4", 40),
        replace(stored, faults=stored.faults[:1]),
        tmp_path / "s.mp4",
    )
    assert out.frames == 40 and out.path.suffix == ".mp4"


def test_cli_refuses_a_bad_side_by_side_name_before_any_work(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["drill", str(tmp_path / "none.mp4"), "--side-by-side", str(tmp_path / "x.gif")])
    assert code == 2
    assert "Name it .webm" in capsys.readouterr().err


@pytest.mark.slow
def test_cli_side_by_side_on_the_real_treadmill_clip(
    shared_video: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    clip = shared_video / "run-treadmill-side.mp4"
    out = tmp_path / "compare.webm"
    argv = [
        "drill",
        str(clip),
        "--drill",
        "running",
        "--model",
        "lite",
        "--side-by-side",
        str(out),
        "--json",
    ]
    assert main(argv) == 0
    report = json.loads(capsys.readouterr().out)
    frames = [f.image_bgr for f in iter_frames(out)]
    assert len(frames) == report["frames"] == 360
    height, width = frames[0].shape[:2]
    assert (height, width) == (720, 2 * 404)  # halves 720 tall at the clip's 9:16 (405 → even)
