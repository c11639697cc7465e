"""The whole pipeline on real (synthetic) video files with the public fake pose backend.

The clips are written here with OpenCV; the keypoints come from the kinematic
model and reach the analysis through ``FakePoseEstimator``: decode, chunking,
parallel workers, smoothing, analysis and rendering all run for real.
"""

from __future__ import annotations

import copy
import functools
import itertools
import struct
from pathlib import Path

import cv2
import numpy as np
import pytest

from stridelab.cli import main
from stridelab.errors import ClipTooShort, NoPersonDetected, VideoFileError
from stridelab.video.decode import iter_frames, probe_video
from stridelab.video.form import DrillType
from stridelab.video.pipeline import _chunks, check_drill
from stridelab.video.pose import FakePoseEstimator
from stridelab.video.render import render_annotated, render_summary
from stridelab.video.synthetic import SyntheticGait, synthesise

GAIT = SyntheticGait(duration_s=6.0, width=320, height=360, height_px=300.0)


def write_clip(
    path: Path, frames: int, size: tuple[int, int] = (320, 360), fps: float = 30.0
) -> Path:
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter.fourcc(*"mp4v"), fps, size)
    for i in range(frames):
        image = np.full((size[1], size[0], 3), 40, dtype=np.uint8)
        cv2.putText(image, str(i), (10, 30), cv2.FONT_HERSHEY_SIMPLEX, 1, (200, 200, 200), 2)
        writer.write(image)
    writer.release()
    return path


@pytest.fixture()
def running_clip(tmp_path: Path) -> tuple[Path, FakePoseEstimator]:
    clip = synthesise(GAIT)
    path = write_clip(tmp_path / "run.mp4", len(clip.t_s))
    fake = FakePoseEstimator.from_pixels(clip.xy_px, clip.visibility, GAIT.width, GAIT.height)
    return path, fake


def test_fake_backend_through_the_pipeline(running_clip: tuple[Path, FakePoseEstimator]) -> None:
    path, fake = running_clip
    seen: list[tuple[int, int]] = []
    report, sequence = check_drill(
        path,
        DrillType.AUTO,
        estimator_factory=lambda: fake,
        workers=1,
        progress=lambda done, total: seen.append((done, total)),
    )
    assert report.drill is DrillType.RUNNING
    assert report.frames == 180
    assert report.person_detected_ratio == 1.0
    assert report.cadence_spm == pytest.approx(GAIT.cadence_spm, rel=0.01)
    assert report.processing_fps > 0
    assert seen[-1] == (180, 180)
    assert sequence.fps == pytest.approx(30.0)


def test_parallel_chunks_match_the_sequential_run(
    running_clip: tuple[Path, FakePoseEstimator],
) -> None:
    path, fake = running_clip
    # A picklable factory: workers may be started by a fork server.
    factory = functools.partial(copy.copy, fake)
    one, seq_one = check_drill(path, estimator_factory=factory, workers=1)
    two, seq_two = check_drill(path, estimator_factory=factory, workers=2)
    np.testing.assert_allclose(seq_one.xy_px, seq_two.xy_px)
    np.testing.assert_allclose(seq_one.t_s, seq_two.t_s)
    assert one.contacts == two.contacts


def test_renders_video_and_summary(
    running_clip: tuple[Path, FakePoseEstimator], tmp_path: Path
) -> None:
    path, fake = running_clip
    report, sequence = check_drill(path, estimator_factory=lambda: fake, workers=1)
    out = render_annotated(path, sequence, report, tmp_path / "annotated.mp4")
    info = probe_video(out)
    assert info.frame_count == report.frames
    assert (info.width, info.height) == (320, 360)
    png = render_summary(sequence, report, tmp_path / "summary.png")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_frames_stream_with_times(tmp_path: Path) -> None:
    path = write_clip(tmp_path / "c.mp4", 40, fps=25.0)
    frames = list(iter_frames(path, 10, 20))
    assert [f.index for f in frames] == list(range(10, 20))
    assert frames[0].t_s == pytest.approx(0.4, abs=1e-3)
    assert probe_video(path).fps == pytest.approx(25.0)


def rotate_metadata_90(path: Path) -> None:
    """Set the track header's display matrix to a 90° rotation, as phones do."""
    data = bytearray(path.read_bytes())
    tkhd = data.find(b"tkhd")
    assert tkhd > 0 and data[tkhd + 4] == 0  # version-0 header from OpenCV's writer
    matrix = tkhd + 4 + 40
    data[matrix : matrix + 36] = struct.pack(
        ">9I", 0, 0x00010000, 0, 0xFFFF0000, 0, 0, 0, 0, 0x40000000
    )
    path.write_bytes(bytes(data))


def test_rotation_metadata_is_applied(tmp_path: Path) -> None:
    path = write_clip(tmp_path / "portrait.mp4", 40, size=(320, 180))
    rotate_metadata_90(path)
    info = probe_video(path)
    assert info.rotation_deg == 90
    assert (info.width, info.height) == (180, 320)
    assert next(iter(iter_frames(path))).image_bgr.shape[:2] == (320, 180)


def _boxes(data: bytearray, start: int, end: int) -> list[tuple[int, int, str]]:
    out = []
    while start < end:
        size, kind = struct.unpack(">I4s", data[start : start + 8])
        out.append((start, size, kind.decode()))
        start += size
    return out


def make_variable_rate(path: Path) -> None:
    """Rewrite the sample table: first half of the frames 1/30 s apart, second half 1/60 s."""
    data = bytearray(path.read_bytes())
    parents, start, end = [], 0, len(data)
    for name in ("moov", "trak", "mdia", "minf", "stbl", "stts"):
        box = next(b for b in _boxes(data, start, end) if b[2] == name)
        parents.append(box[0])
        start, end = box[0] + 8, box[0] + box[1]
    stts = parents[-1]
    size = struct.unpack(">I", data[stts : stts + 4])[0]
    flags, count, frames, delta = struct.unpack(">IIII", data[stts + 8 : stts + 24])
    assert count == 1  # OpenCV writes a constant rate
    table = struct.pack(">IIII", frames // 2, delta, frames - frames // 2, delta // 2)
    data[stts : stts + size] = struct.pack(">I4sII", 16 + len(table), b"stts", flags, 2) + table
    for parent in parents[:-1]:  # the boxes above grew by one entry (8 bytes)
        grown = struct.unpack(">I", data[parent : parent + 4])[0] + 8
        data[parent : parent + 4] = struct.pack(">I", grown)
    path.write_bytes(bytes(data))


def test_variable_frame_rate_keeps_true_times(tmp_path: Path) -> None:
    path = write_clip(tmp_path / "vfr.mp4", 60)
    make_variable_rate(path)
    times = np.array([f.t_s for f in iter_frames(path)])
    steps = np.diff(times)
    assert steps[:25] == pytest.approx(1 / 30, abs=1e-3)
    assert steps[-25:] == pytest.approx(1 / 60, abs=1e-3)


def test_not_a_video(tmp_path: Path) -> None:
    bogus = tmp_path / "notes.mp4"
    bogus.write_text("this is not a video\n")
    with pytest.raises(VideoFileError):
        probe_video(bogus)
    with pytest.raises(VideoFileError):
        probe_video(tmp_path / "missing.mp4")


def test_corrupt_video(tmp_path: Path) -> None:
    good = write_clip(tmp_path / "good.mp4", 60)
    corrupt = tmp_path / "corrupt.mp4"
    data = bytearray(good.read_bytes())
    corrupt.write_bytes(bytes(data[: len(data) // 3]) + b"\x00" * 100)
    with pytest.raises((VideoFileError, ClipTooShort)):
        probe_video(corrupt)


def test_clip_too_short(tmp_path: Path) -> None:
    with pytest.raises(ClipTooShort):
        probe_video(write_clip(tmp_path / "short.mp4", 10))


def test_nobody_in_view(tmp_path: Path) -> None:
    path = write_clip(tmp_path / "empty.mp4", 60)
    nobody = FakePoseEstimator(np.full((60, 33, 3), np.nan))
    with pytest.raises(NoPersonDetected):
        check_drill(path, estimator_factory=lambda: nobody, workers=1)


@pytest.mark.parametrize("content", [b"", b"not a video at all"])
def test_cli_bad_input_is_one_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes
) -> None:
    bogus = tmp_path / "clip.mp4"
    bogus.write_bytes(content)
    assert main(["drill", str(bogus), "--json"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = [line for line in captured.err.splitlines() if line.strip()]
    assert len(lines) == 1
    assert "error" in lines[0]
    assert "Traceback" not in captured.err


def test_chunks_cover_the_clip_and_favour_the_first_worker() -> None:
    for frames, workers in ((360, 2), (121, 2), (1000, 3), (5000, 2)):
        chunks = _chunks(frames, workers)
        assert chunks[0][0] == 0 and chunks[-1][1] == frames
        assert all(a[1] == b[0] for a, b in itertools.pairwise(chunks))
        sizes = [b - a for a, b in chunks]
        assert sizes == sorted(sizes, reverse=True)  # later chunks also skip and warm up
