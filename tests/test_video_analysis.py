"""Drill analysis against synthetic ground truth (a kinematic model, no video, no model).

Tolerances, stated once: cadence within 1 %; contact time within two frames
plus 40 ms (one frame of resolution at each end, plus the toe-off threshold's
lag: the toe must rise 6 % of a leg length, so contact time is over-estimated
by 20–40 ms whatever the frame rate);
peak knee flexion within 5°; repetitions within one per leg (the clip may cut
a repetition at either end).
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stridelab.errors import ClipTooShort, NoPersonDetected
from stridelab.video.events import Foot
from stridelab.video.form import CameraView, DrillType, FootStrike, camera_view, foot_strike
from stridelab.video.pose import LANDMARK_COUNT, Landmark, PoseSequence
from stridelab.video.report import MIN_CONTACT_TIME_FPS, analyse_pose
from stridelab.video.smooth import fill_gaps, smooth_sequence
from stridelab.video.synthetic import TORSO_SHARE, SyntheticClip, SyntheticGait, synthesise

BUTT_KICKS = SyntheticGait(
    cadence_spm=180,
    contact_s=0.3,
    reach_legs=0.03,
    push_legs=0.03,
    swing_lift_legs=0.85,
    swing_back_legs=0.25,
    strike_angle_deg=0.0,
    trunk_lean_deg=2.0,
)


def sequence_of(clip: SyntheticClip) -> PoseSequence:
    g = clip.gait
    return smooth_sequence(
        PoseSequence(clip.xy_px, clip.visibility, clip.t_s, g.fps, g.width, g.height)
    )


def truth_reps(clip: SyntheticClip, foot: str) -> int:
    return len(clip.swing_peaks_s[foot])


def test_running_recovers_cadence_contact_and_strike() -> None:
    clip = synthesise(SyntheticGait())
    report = analyse_pose(sequence_of(clip))
    assert report.drill is DrillType.RUNNING  # auto-classified
    assert report.cadence_spm == pytest.approx(170.0, rel=0.01)
    truth_steps = sum(len(v) for v in clip.contact_starts_s.values())
    assert abs(report.steps - truth_steps) <= 2
    assert report.ground_contact_ms is not None
    assert abs(report.ground_contact_ms - 250.0) <= 2 * 1000 / 30
    assert report.foot_strike is FootStrike.HEEL
    assert report.metrics["overstride_legs"] == pytest.approx(0.3, abs=0.1)
    assert report.metrics["trunk_lean_deg"] == pytest.approx(5.0, abs=1.0)
    assert report.metrics["camera_view"] == "side"
    assert report.reps is None


@settings(max_examples=12, deadline=None)
@given(
    cadence=st.floats(150, 200),
    contact_s=st.floats(0.18, 0.3),
    fps=st.sampled_from([30.0, 60.0, 120.0]),
)
def test_running_cadence_and_contact_property(cadence: float, contact_s: float, fps: float) -> None:
    clip = synthesise(SyntheticGait(cadence_spm=cadence, contact_s=contact_s, fps=fps))
    report = analyse_pose(sequence_of(clip), DrillType.RUNNING)
    assert report.cadence_spm == pytest.approx(cadence, rel=0.01)
    assert report.ground_contact_ms is not None
    assert abs(report.ground_contact_ms - contact_s * 1000) <= 2 * 1000 / fps + 40


def test_forefoot_and_midfoot_strikes() -> None:
    forefoot = analyse_pose(sequence_of(synthesise(SyntheticGait(strike_angle_deg=-10.0))))
    assert forefoot.foot_strike is FootStrike.FOREFOOT
    assert foot_strike(3.0) is FootStrike.MIDFOOT
    assert foot_strike(12.0) is FootStrike.HEEL


def test_butt_kicks_reps_and_knee_flexion() -> None:
    clip = synthesise(BUTT_KICKS)
    report = analyse_pose(sequence_of(clip), height_cm=175)
    assert report.drill is DrillType.BUTT_KICKS  # auto-classified
    assert report.reps is not None
    for foot in Foot:
        assert abs(report.reps[foot] - truth_reps(clip, foot.value)) <= 1
    peaks = report.metrics["peak_knee_flexion_deg"]
    assert max(peaks.values()) == pytest.approx(clip.peak_knee_flexion_deg, abs=5.0)
    assert report.cadence_spm == pytest.approx(180.0, rel=0.01)
    assert report.metrics["heel_buttock_gap_cm"] > 0
    assert report.metrics["thigh_angle_at_peak_deg"] < 25
    assert not any(f.id == "heel_not_to_buttock" for f in report.faults)


@settings(max_examples=10, deadline=None)
@given(cadence=st.floats(150, 200), contact_s=st.floats(0.2, 0.32))
def test_butt_kick_reps_and_cadence_property(cadence: float, contact_s: float) -> None:
    gait = SyntheticGait(
        cadence_spm=cadence,
        contact_s=contact_s,
        reach_legs=0.03,
        push_legs=0.03,
        swing_lift_legs=0.85,
        swing_back_legs=0.25,
        strike_angle_deg=0.0,
    )
    clip = synthesise(gait)
    report = analyse_pose(sequence_of(clip), DrillType.BUTT_KICKS)
    assert report.reps is not None
    for foot in Foot:
        assert abs(report.reps[foot] - truth_reps(clip, foot.value)) <= 1
    assert report.cadence_spm == pytest.approx(cadence, rel=0.01)


def test_lazy_butt_kicks_and_leaning_back_are_faults_with_frames() -> None:
    lazy = synthesise(
        replace(BUTT_KICKS, swing_lift_legs=0.35, swing_back_legs=0.0, trunk_lean_deg=-8.0)
    )
    report = analyse_pose(sequence_of(lazy), DrillType.BUTT_KICKS)
    ids = {f.id: f for f in report.faults}
    assert "heel_not_to_buttock" in ids
    assert "leaning_back" in ids
    assert all(0 <= f.frame < report.frames for f in report.faults)
    assert all(f.message for f in report.faults)


def high_knees(lift_legs: float, forward_legs: float) -> SyntheticGait:
    """On the spot, the ankle carried up and forward in swing (knee lifted)."""
    return SyntheticGait(
        cadence_spm=200,
        contact_s=0.2,
        reach_legs=0.05,
        push_legs=0.03,
        swing_lift_legs=lift_legs,
        swing_back_legs=-forward_legs,
        strike_angle_deg=0.0,
        trunk_lean_deg=0.0,
    )


def test_high_knees_thigh_angle_and_fault() -> None:
    good = analyse_pose(sequence_of(synthesise(high_knees(0.6, 0.2))))
    assert good.drill is DrillType.HIGH_KNEES  # auto-classified
    assert min(good.metrics["thigh_angle_at_peak_deg"].values()) > 75
    assert not any(f.id == "knee_below_hip" for f in good.faults)
    low = analyse_pose(sequence_of(synthesise(high_knees(0.3, 0.1))), DrillType.HIGH_KNEES)
    assert max(low.metrics["thigh_angle_at_peak_deg"].values()) < 75
    assert [f.id for f in low.faults] == ["knee_below_hip"]
    assert low.reps is not None
    assert abs(low.reps[Foot.LEFT] - 13) <= 1


def test_contact_time_refused_below_min_fps() -> None:
    fps = MIN_CONTACT_TIME_FPS - 5
    report = analyse_pose(sequence_of(synthesise(SyntheticGait(fps=fps))), DrillType.RUNNING)
    assert report.ground_contact_ms is None
    assert any("not reported" in w for w in report.metrics["warnings"])
    assert report.metrics["contact_time_resolution_ms"] == pytest.approx(1000 / fps, abs=0.1)


def test_front_view_is_flagged() -> None:
    clip = synthesise(BUTT_KICKS)
    xy = clip.xy_px.copy()
    torso = TORSO_SHARE * clip.gait.height_px
    for left, right in (
        (Landmark.LEFT_SHOULDER, Landmark.RIGHT_SHOULDER),
        (Landmark.LEFT_HIP, Landmark.RIGHT_HIP),
    ):
        xy[:, left, 0] -= 0.4 * torso
        xy[:, right, 0] += 0.4 * torso
    g = clip.gait
    sequence = PoseSequence(xy, clip.visibility, clip.t_s, g.fps, g.width, g.height)
    assert camera_view(sequence) is CameraView.FRONT
    report = analyse_pose(smooth_sequence(sequence), DrillType.BUTT_KICKS)
    assert any("not side-on" in w for w in report.metrics["warnings"])


def test_no_person_and_too_few_frames() -> None:
    empty = PoseSequence(
        np.full((90, LANDMARK_COUNT, 2), np.nan),
        np.zeros((90, LANDMARK_COUNT)),
        np.arange(90) / 30,
        30.0,
        640,
        480,
    )
    with pytest.raises(NoPersonDetected):
        analyse_pose(empty)
    clip = synthesise(SyntheticGait(duration_s=0.5))
    with pytest.raises(ClipTooShort):
        analyse_pose(sequence_of(clip))


def test_fill_gaps_only_bridges_short_gaps() -> None:
    t = np.arange(20) / 30
    values = np.arange(20, dtype=float)
    values[3:5] = np.nan  # 2 frames: bridged
    values[8:18] = np.nan  # 10 frames (0.33 s): left open
    filled = fill_gaps(values, t, max_gap_s=0.25)
    assert filled[3:5] == pytest.approx([3.0, 4.0])
    assert np.isnan(filled[8:18]).all()


def test_json_shape_is_the_documented_one() -> None:
    report = analyse_pose(sequence_of(synthesise(BUTT_KICKS)))
    payload = report.to_dict()
    assert list(payload) == [
        "drill",
        "frames",
        "fps",
        "duration_s",
        "person_detected_ratio",
        "steps",
        "cadence_spm",
        "reps",
        "contacts",
        "ground_contact_ms",
        "foot_strike",
        "metrics",
        "faults",
        "processing_fps",
        "rep_frames",
    ]
    assert set(payload["reps"]) == {"left", "right"}
    assert set(payload["contacts"][0]) == {"foot", "start_s", "end_s"}
    assert set(payload["rep_frames"]) == {"left", "right"}  # the frame of each rep's peak
    assert len(payload["rep_frames"]["left"]) == payload["reps"]["left"]
