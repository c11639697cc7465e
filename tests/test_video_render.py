"""The report a runner reads: the on-video panel and the summary PNG.

Synthetic butt kicks (the kinematic model, heels kept low so a fault shows) give a
report with a known fault; the panel is drawn on frames of the two sizes runners
film (a 1080 x 1920 phone clip, a 640 x 360 clip), and on a real frame of the shared
treadmill clip when ../shared/data is present.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from numpy.typing import NDArray

from stridelab.video.decode import iter_frames, probe_video
from stridelab.video.events import Foot
from stridelab.video.pose import PoseSequence
from stridelab.video.render import (
    PANEL_MIN_FONT_SCALE,
    PanelLine,
    draw_panel,
    fault_summary,
    leg_angles,
    panel_lines,
    panel_style,
    render_summary,
)
from stridelab.video.report import DrillReport, analyse_pose
from stridelab.video.smooth import smooth_sequence
from stridelab.video.synthetic import SyntheticGait, synthesise

LOW_BUTT_KICKS = SyntheticGait(
    cadence_spm=180,
    contact_s=0.3,
    reach_legs=0.03,
    push_legs=0.03,
    swing_lift_legs=0.45,
    swing_back_legs=0.25,
    strike_angle_deg=0.0,
    trunk_lean_deg=2.0,
    duration_s=5.0,
)
LONG_CUE = PanelLine(
    "Cue: Fold the knee fully; slow down until the heel reaches the buttock.", (60, 220, 255)
)


@pytest.fixture(scope="module")
def kicks() -> tuple[PoseSequence, DrillReport]:
    clip = synthesise(LOW_BUTT_KICKS)
    g = clip.gait
    sequence = smooth_sequence(
        PoseSequence(clip.xy_px, clip.visibility, clip.t_s, g.fps, g.width, g.height)
    )
    return sequence, analyse_pose(sequence)


def on_ground(sequence: PoseSequence, report: DrillReport) -> dict[Foot, NDArray[np.bool_]]:
    out = {foot: np.zeros(sequence.frames, dtype=np.bool_) for foot in Foot}
    for c in report.contacts:
        out[c.foot][c.start_frame : c.end_frame + 1] = True
    return out


def bright_rows_cols(image: NDArray[np.uint8]) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
    rows, cols = np.nonzero(image.max(axis=2) > 100)
    return rows, cols


def test_panel_sizes_follow_the_frame_height() -> None:
    hd, portrait, small = panel_style(720), panel_style(1920), panel_style(360)
    assert portrait.font_scale / hd.font_scale == pytest.approx(1920 / 720, rel=0.01)
    assert portrait.line_px / hd.line_px == pytest.approx(1920 / 720, rel=0.05)
    assert portrait.thickness > hd.thickness >= small.thickness >= 1
    # A small clip keeps a floor: capitals about 10 px tall, still readable.
    assert small.font_scale == PANEL_MIN_FONT_SCALE
    assert small.line_px >= 14


def test_panel_lists_drill_counters_angles_and_the_fault_with_its_cue(
    kicks: tuple[PoseSequence, DrillReport],
) -> None:
    sequence, report = kicks
    assert report.faults, "the low kicks should show a fault"
    fault = report.faults[0]
    assert fault.cue  # the catalogue's fix travels with the fault
    lines = panel_lines(fault.frame, report, leg_angles(sequence), on_ground(sequence, report))
    texts = [line.text for line in lines]
    assert texts[0] == "butt kicks"
    assert texts[1].startswith("steps ") and "reps L" in texts[1]
    legs = [line for line in lines if line.on_ground is not None]
    assert [line.text.split()[0] for line in legs] == ["L", "R"]
    for line in legs:
        assert "knee" in line.text and "hip" in line.text and "ankle" in line.text
        assert "deg" in line.text
    assert fault.message in texts
    assert f"Cue: {fault.cue}" in texts
    # Far from any fault the panel shows no fault line.
    quiet = [i for i in range(sequence.frames) if all(abs(i - f.frame) > 60 for f in report.faults)]
    if quiet:
        quiet_lines = panel_lines(
            quiet[0], report, leg_angles(sequence), on_ground(sequence, report)
        )
        assert len(quiet_lines) == 4


@pytest.mark.parametrize(("width", "height"), [(1080, 1920), (640, 360)])
def test_panel_fits_the_frame_and_scales(width: int, height: int) -> None:
    image = np.zeros((height, width, 3), dtype=np.uint8)
    lines = [
        PanelLine("butt kicks", (255, 255, 255)),
        PanelLine("steps 12   reps L 5  R 6", (255, 255, 255)),
        PanelLine("L knee 120 deg  hip 10 deg  ankle 100 deg", (255, 160, 60), True),
        LONG_CUE,
    ]
    box_w, box_h = draw_panel(image, lines)
    rows, cols = bright_rows_cols(image)
    style = panel_style(height)
    assert cols.max() < width - 1, "text runs off the right edge"
    assert rows.max() < box_h <= height // 2
    assert box_w <= width
    # The first line's ink is about as tall as the font promises at this height.
    first = rows[rows < style.margin_px + style.line_px]
    ink_px = int(first.max() - first.min())
    assert 0.4 * style.line_px <= ink_px <= style.line_px
    assert ink_px >= 8


def test_long_cue_wraps_on_a_portrait_clip() -> None:
    image = np.zeros((1920, 1080, 3), dtype=np.uint8)
    _, box_h = draw_panel(image, [LONG_CUE])
    assert box_h > 2 * panel_style(1920).line_px  # two lines or more, none cut off


def test_summary_lists_each_fault_with_cue_and_rep(
    kicks: tuple[PoseSequence, DrillReport], tmp_path: Path
) -> None:
    sequence, report = kicks
    lines = fault_summary(sequence, report)
    assert len(lines) == len(report.faults)
    for line, fault in zip(lines, report.faults, strict=True):
        assert fault.message in line and f"Cue: {fault.cue}" in line and ", rep " in line
    import matplotlib.image

    one = render_summary(sequence, replace(report, faults=report.faults[:1]), tmp_path / "1.png")
    none = render_summary(sequence, replace(report, faults=()), tmp_path / "0.png")
    assert matplotlib.image.imread(one).shape[0] >= matplotlib.image.imread(none).shape[0]


def test_panel_on_a_real_frame(shared_video: Path, kicks: tuple[PoseSequence, DrillReport]) -> None:
    clip = shared_video / "run-treadmill-side.mp4"
    info = probe_video(clip)
    frame = next(iter(iter_frames(clip, 0, 1)))
    image = frame.image_bgr.copy()
    before = image.copy()
    sequence, report = kicks
    lines = panel_lines(
        report.faults[0].frame, report, leg_angles(sequence), on_ground(sequence, report)
    )
    box_w, box_h = draw_panel(image, lines)
    assert image.shape[:2] == (info.height, info.width)
    assert box_h >= len(lines) * panel_style(info.height).line_px
    changed = np.any(image != before, axis=2)
    assert changed[:box_h, :box_w].mean() > 0.5  # the box is darkened behind the text
    assert not changed[box_h:, :].any() and not changed[:, box_w:].any()
