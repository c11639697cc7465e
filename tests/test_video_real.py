"""Real clips through MediaPipe (slow: a few seconds each). Skipped without ../shared/data.

Expectations, verified by eye before they were written down:
- treadmill run: cadence 168.9 ± 0.5 steps/min measured from raw pixels (MANIFEST);
- butt kicks (AI-generated, front view): 7 kicks per leg, counted on the heel-height
  plot and frame by frame (left heel peaks near frames 53, 75, 98, 120, 143, 164, 187;
  right near 65, 87, 109, 132, 154, 175, 198); the small right-heel lift near frame
  45 is a weight shift before the first kick, not a kick;
- park scene: the side-on walker crosses right to left during frames ~40–140 while a
  man jumps on a roof; the roof is what MediaPipe picks on the full frame.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from stridelab.cli import main
from stridelab.video.events import Foot
from stridelab.video.form import DrillType
from stridelab.video.native import PoseModel
from stridelab.video.pipeline import check_drill
from stridelab.video.pose import Landmark, PoseSequence
from stridelab.video.report import DrillReport

pytestmark = pytest.mark.slow

TREADMILL_CADENCE_SPM = 168.9


def test_treadmill_cadence_within_two_percent(
    shared_video: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    clip = shared_video / "run-treadmill-side.mp4"
    truth = json.loads((shared_video / "run-treadmill-side.groundtruth.json").read_text())
    assert main(["drill", str(clip), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["drill"] == "running"
    assert report["cadence_spm"] == pytest.approx(TREADMILL_CADENCE_SPM, rel=0.02)
    assert report["frames"] == 360
    assert report["person_detected_ratio"] > 0.95
    low, high = truth["physiological_bands"]["contact_time_ms"]
    assert low <= report["ground_contact_ms"] <= high
    assert report["metrics"]["contact_time_resolution_ms"] == pytest.approx(33.3, abs=0.1)
    assert report["foot_strike"] in {"heel", "midfoot", "forefoot"}
    assert report["reps"] is None
    assert {c["foot"] for c in report["contacts"]} == {"left", "right"}


def test_butt_kick_reps_and_parallel_matches_sequential(shared_video: Path) -> None:
    clip = shared_video / "butt-kicks-front-ai-generated.mp4"
    parallel, seq_parallel = check_drill(clip, workers=2)
    sequential, seq_sequential = check_drill(clip, workers=1)
    for report in (parallel, sequential):
        assert report.drill is DrillType.BUTT_KICKS
        assert report.reps is not None
        assert abs(report.reps[Foot.LEFT] - 7) <= 1
        assert abs(report.reps[Foot.RIGHT] - 7) <= 1
        assert any("not side-on" in w for w in report.metrics["warnings"])
    assert parallel.reps == sequential.reps
    assert parallel.cadence_spm == pytest.approx(sequential.cadence_spm, rel=0.02)
    # Tracking restarts at the chunk boundary; after the warm-up frames the
    # landmarks agree with the sequential run to within a few pixels.
    diff = np.abs(seq_parallel.xy_px - seq_sequential.xy_px)
    assert np.nanpercentile(diff, 99) < 5.0


def test_walker_is_tracked_not_the_man_on_the_roof(shared_video: Path) -> None:
    clip = shared_video / "sports2d-demo-walking.mp4"
    report, sequence = check_drill(clip, DrillType.RUNNING)
    assert report.metrics["subject_cropped"] is True
    hips = sequence.midpoint(Landmark.LEFT_HIP, Landmark.RIGHT_HIP)
    window = hips[40:141]
    assert np.isfinite(window[:, 0]).mean() > 0.9
    # The walker crosses most of the frame, right to left, in the lower half.
    travel = np.nanmax(window[:, 0]) - np.nanmin(window[:, 0])
    assert travel > 0.4 * sequence.width
    assert np.nanmean(window[-10:, 0]) < np.nanmean(window[:10, 0])
    assert np.nanmedian(window[:, 1]) > 0.5 * sequence.height


#: RTMPose Halpe-26 names of the foot points compared, by BlazePose landmark.
RTMPOSE_POINTS = {
    "ankle": ((Landmark.LEFT_ANKLE, "l_ankle"), (Landmark.RIGHT_ANKLE, "r_ankle")),
    "heel": ((Landmark.LEFT_HEEL, "l_heel"), (Landmark.RIGHT_HEEL, "r_heel")),
    "toe": ((Landmark.LEFT_FOOT_INDEX, "l_big_toe"), (Landmark.RIGHT_FOOT_INDEX, "r_big_toe")),
}


def foot_disagreement_px(sequence: PoseSequence, reference: dict[str, Any]) -> dict[str, float]:
    """Median pixel distance per foot point between our landmarks and RTMPose's, both legs."""
    names = reference["keypoint_names"]
    theirs = np.asarray(reference["frames"], dtype=np.float64)
    frames = min(len(theirs), sequence.frames)
    out: dict[str, float] = {}
    for point, pairs in RTMPOSE_POINTS.items():
        distances = [
            np.linalg.norm(
                sequence.point(ours)[:frames] - theirs[:frames, names.index(name), :2], axis=1
            )
            for ours, name in pairs
        ]
        out[point] = float(np.nanmedian(np.concatenate(distances)))
    return out


@pytest.fixture(scope="module")
def treadmill_by_model(
    shared_video: Path,
) -> dict[PoseModel, tuple[DrillReport, PoseSequence]]:
    clip = shared_video / "run-treadmill-side.mp4"
    return {model: check_drill(clip, DrillType.RUNNING, model=model) for model in PoseModel}


@pytest.mark.parametrize("model", [PoseModel.FULL, PoseModel.HEAVY])
def test_treadmill_cadence_per_model(
    treadmill_by_model: dict[PoseModel, tuple[DrillReport, PoseSequence]], model: PoseModel
) -> None:
    report, _ = treadmill_by_model[model]
    assert report.metrics["pose_model"] == model.value
    assert report.cadence_spm == pytest.approx(TREADMILL_CADENCE_SPM, rel=0.02)


def test_foot_landmarks_against_rtmpose(
    shared_video: Path,
    treadmill_by_model: dict[PoseModel, tuple[DrillReport, PoseSequence]],
) -> None:
    """Against a second model (RTMPose Halpe-26: a reference, not ground truth), the heavy
    model's foot points are at least as close as full's; every model stays within a
    fraction of the ~300 px leg (figures per model in docs/drill-check.md)."""
    reference = json.loads((shared_video / "run-treadmill-side.rtmpose-halpe26.json").read_text())
    medians = {
        model: foot_disagreement_px(sequence, reference)
        for model, (_, sequence) in treadmill_by_model.items()
    }
    for model, by_point in medians.items():
        for point, median in by_point.items():
            assert median < 40.0, (model, point, median)
    heavy, full = medians[PoseModel.HEAVY], medians[PoseModel.FULL]
    for point in RTMPOSE_POINTS:
        assert heavy[point] <= full[point], (point, heavy, full)
