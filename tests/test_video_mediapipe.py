"""The MediaPipe Tasks backend for real: the model files, the tracker's clock, a quiet stderr.

These run the real BlazePose models built by ``tools/build_pose_models.py`` (``make``)
on small clips written here; the accuracy checks on real footage are in test_video_real.py.
"""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import cv2
import numpy as np
import pytest

from stridelab.errors import PoseError
from stridelab.video.native import MODELS_ENV, PoseModel, model_path
from stridelab.video.pose import LANDMARK_COUNT, MediaPipePoseEstimator


def write_clip(path: Path, frames: int, size: tuple[int, int] = (320, 360)) -> Path:
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter.fourcc(*"mp4v"), 30.0, size)
    for i in range(frames):
        image = np.full((size[1], size[0], 3), 40 + i % 20, dtype=np.uint8)
        writer.write(image)
    writer.release()
    return path


@pytest.mark.parametrize("model", list(PoseModel))
def test_each_model_is_a_task_bundle(model: PoseModel) -> None:
    path = model_path(model)
    with zipfile.ZipFile(path) as bundle:
        assert sorted(bundle.namelist()) == [
            "pose_detector.tflite",
            "pose_landmarks_detector.tflite",
        ]
        for name in bundle.namelist():
            assert bundle.read(name)[4:8] == b"TFL3"
    assert (path.parent / "NOTICE").is_file()


def test_missing_model_names_the_build_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(MODELS_ENV, str(tmp_path))
    (tmp_path / "pose_landmarker_heavy.task").write_bytes(b"stand-in")
    assert model_path(PoseModel.HEAVY) == tmp_path / "pose_landmarker_heavy.task"
    monkeypatch.setattr("stridelab.video.native.PACKAGE_MODELS", tmp_path / "none")
    with pytest.raises(PoseError, match=r"pose_landmarker_lite\.task is not installed") as caught:
        model_path(PoseModel.LITE)
    assert "build_pose_models.py" in str(caught.value.hint)


def test_frames_going_back_continue_the_clock() -> None:
    """A second pass over the clip (the subject's crop) restarts at frame 0: VIDEO mode
    needs rising timestamps, so the estimator keeps its clock running."""
    estimator = MediaPipePoseEstimator(PoseModel.LITE, fps=30.0)
    try:
        image = np.full((256, 256, 3), 90, dtype=np.uint8)
        for index in [0, 1, 2, 0, 1, 2]:
            points = estimator.estimate(image, index)
            assert points.shape == (LANDMARK_COUNT, 3)
            assert np.isnan(points).all()  # nobody in a grey square
    finally:
        estimator.close()


def test_drill_check_stderr_carries_only_stridelab(tmp_path: Path) -> None:
    """TensorFlow Lite, LiteRT and absl log lines never reach stderr (nor the web log):
    a clip with nobody in it ends with stridelab's one line and nothing else."""
    clip = write_clip(tmp_path / "nobody.mp4", 130)
    script = "import sys; from stridelab.cli import main; sys.exit(main(sys.argv[1:]))"
    result = subprocess.run(
        [sys.executable, "-c", script, "drill", str(clip), "--json"],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "COLUMNS": "200"},
    )
    assert result.returncode == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert "person" in lines[0].lower()
    assert "INFO" not in result.stderr
    assert "W0000" not in result.stderr
