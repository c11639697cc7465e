"""The reference motion of each catalogue drill does what the drill's cues say, numerically.

The model is a convention-based illustration (stridelab.drills.motions); these tests are
the contract between its keyframes and the catalogue's cues, plus the project's own drill
check run on the reference figure (it must find no fault in correct form).
"""

from __future__ import annotations

import numpy as np
import pytest
from numpy.typing import NDArray

from stridelab.drills.catalogue import DRILLS
from stridelab.drills.kinematics import WINTER_2009, BodyPose, Curve, Joint, Side, joint
from stridelab.drills.motions import FAULT_PARTS, MIDLINE, REFERENCE_MOTIONS, reference_motion
from stridelab.errors import InputError

GRID = np.arange(720) / 720
THIGH = WINTER_2009.thigh
LEG = WINTER_2009.thigh + WINTER_2009.shank
L, R = Side.LEFT, Side.RIGHT
PARTS = {"hip", "knee", "ankle", "heel", "toe", "shoulder", "elbow", "wrist", "hand"}


def pose(drill_id: str, cycles: NDArray[np.float64] = GRID) -> BodyPose:
    return REFERENCE_MOTIONS[drill_id].pose(cycles)


def p(body: BodyPose, part: str, side: Side) -> NDArray[np.float64]:
    return body.point(joint(part, side))


def touchdowns(body: BodyPose, side: Side) -> NDArray[np.intp]:
    on = body.contact[side]
    return np.flatnonzero(on & ~np.roll(on, 1))


def thigh_deg(body: BodyPose, side: Side) -> NDArray[np.float64]:
    """Thigh angle from the downward vertical, positive forward (as the drill check measures)."""
    d = p(body, "knee", side) - p(body, "hip", side)
    return np.degrees(np.arctan2(d[:, 0], -d[:, 1]))


def corr(a: NDArray[np.float64], b: NDArray[np.float64]) -> float:
    return float(np.corrcoef(a, b)[0, 1])


# ---- the catalogue and the model agree ---------------------------------------------------


def test_every_catalogue_drill_has_a_motion_whose_windows_cover_every_cue() -> None:
    assert set(REFERENCE_MOTIONS) == set(DRILLS)
    for drill_id, motion in REFERENCE_MOTIONS.items():
        cues = DRILLS[drill_id].cues
        assert {w.cue for w in motion.cue_windows} == set(range(len(cues))), drill_id
        for w in motion.cue_windows:
            assert 0 < w.end - w.start <= 1.0
            assert w.part is None or w.part in MIDLINE | PARTS, (drill_id, w)
        assert motion.reps_per_min > 0 and motion.cycle_s > 0
    assert reference_motion("Butt kicks") is REFERENCE_MOTIONS["butt_kicks"]
    with pytest.raises(InputError, match="Unknown drill"):
        reference_motion("moonwalk")


def test_every_catalogue_fault_names_a_body_part() -> None:
    faults = {f.id for d in DRILLS.values() for f in d.faults}
    assert faults <= set(FAULT_PARTS)
    assert set(FAULT_PARTS.values()) <= MIDLINE | PARTS


def test_curves_pass_through_keyframes_without_overshoot() -> None:
    curve = Curve(((0.0, 10.0), (0.3, 145.0), (0.6, 20.0), (0.8, 25.0)))
    assert curve.at([0.0, 0.3, 0.6, 0.8, 1.3]) == pytest.approx([10, 145, 20, 25, 145])
    dense = curve.at(np.linspace(0, 3, 3001))
    assert dense.max() == pytest.approx(145.0) and dense.min() == pytest.approx(10.0)
    assert np.abs(np.diff(dense)).max() < 2.0  # smooth, and periodic across the wrap
    assert curve.shifted(0.5).at([0.8]) == pytest.approx(curve.at([0.3]))
    with pytest.raises(InputError):
        Curve(((0.5, 1.0), (0.2, 2.0)))


@pytest.mark.parametrize("drill_id", list(REFERENCE_MOTIONS))
def test_segments_keep_winter_lengths_and_the_figure_stands_on_the_ground(drill_id: str) -> None:
    body = pose(drill_id, np.arange(0, 4, 1 / 90))  # four cycles (leg swings grow)
    for side in Side:
        thigh = np.linalg.norm(p(body, "knee", side) - p(body, "hip", side), axis=1)
        shank = np.linalg.norm(p(body, "ankle", side) - p(body, "knee", side), axis=1)
        assert thigh == pytest.approx(0.245) and shank == pytest.approx(0.246)
    assert body.xyz[..., 1].min() > -0.005  # nothing sinks more than ~1 cm into the ground
    lows = [
        np.where(
            body.contact[s],
            body.xyz[:, [joint(q, s) for q in ("knee", "heel", "toe")], 1].min(1),
            np.inf,
        )
        for s in body.contact
    ]
    grounded = np.min(lows, axis=0)
    on = np.isfinite(grounded)
    assert on.any() and np.abs(grounded[on]).max() < 1e-9  # the support touches the ground
    assert not np.isnan(body.xyz).any()


# ---- cue by cue ------------------------------------------------------------------------


def test_butt_kicks_heel_to_buttock_knee_down_toes_up_landing_under_the_hips() -> None:
    body = pose("butt_kicks")
    for side in Side:
        gap = np.linalg.norm(p(body, "heel", side) - p(body, "hip", side), axis=1) / THIGH
        peak = int(np.argmin(gap))
        assert gap[peak] < 0.6  # "heel to buttock": within 0.6 thigh lengths of the hip joint
        assert body.angles[f"{side}_knee_flexion"][peak] >= 140
        assert abs(thigh_deg(body, side)[peak]) < 10  # "knee points down"
        assert body.angles[f"{side}_ankle_plantarflexion"][peak] <= 0  # foot dorsiflexed
        for i in touchdowns(body, side):  # "land under the hips"
            hips_x = body.point(Joint.PELVIS)[i, 0]
            assert abs(p(body, "ankle", side)[i, 0] - hips_x) < 0.1 * LEG
            assert p(body, "heel", side)[i, 0] - hips_x < 0.15 * LEG  # the drill check's limit
            assert p(body, "heel", side)[i, 1] > p(body, "toe", side)[i, 1]  # ball of the foot
    lean = body.angles["trunk_lean"]
    assert lean.min() >= 3 and lean.max() <= 8  # "tall body, slight forward lean"


@pytest.mark.parametrize("drill_id", ["butt_kicks", "high_knees", "a_skip", "b_skip", "strides"])
def test_arms_swing_opposite_the_legs(drill_id: str) -> None:
    body = pose(drill_id)
    for arm, leg in ((R, L), (L, R)):
        shoulder = body.angles[f"{arm}_shoulder_flexion"]
        assert corr(shoulder, body.angles[f"{leg}_hip_flexion"]) > 0.6
        assert corr(shoulder, body.angles[f"{arm}_hip_flexion"]) < -0.4


def test_high_knees_thigh_to_horizontal_on_a_tall_support_leg() -> None:
    body = pose("high_knees")
    for side in Side:
        peak = int(np.argmax(thigh_deg(body, side)))
        assert thigh_deg(body, side)[peak] >= 90  # thigh at or above horizontal
        assert p(body, "knee", side)[peak, 1] >= p(body, "hip", side)[peak, 1] - 1e-6
        stance = body.contact[side]
        assert body.angles[f"{side}_knee_flexion"][stance].max() <= 20  # not sitting low
        assert body.angles[f"{side}_ankle_plantarflexion"][peak] < 0  # "toes up"
    assert body.angles["trunk_lean"].min() >= 2


@pytest.mark.parametrize("drill_id", ["a_skip", "b_skip"])
def test_skips_hop_twice_per_foot_and_strike_down_and_back_under_the_hip(drill_id: str) -> None:
    body = pose(drill_id)
    airborne = ~(body.contact[L] | body.contact[R])
    pelvis_y = body.point(Joint.PELVIS)[:, 1]
    assert pelvis_y[airborne].max() - pelvis_y[~airborne].max() > 0.005  # a real hop
    for side in Side:
        assert len(touchdowns(body, side)) == 2  # step, then hop landing
        first = int(touchdowns(body, side)[0])
        foot_x = p(body, "ankle", side)[:, 0] - body.point(Joint.PELVIS)[:, 0]
        assert abs(foot_x[first]) < 0.1 * LEG  # under the hip
        assert foot_x[first + 1] - foot_x[first - 1] < 0  # moving back: "paw" / strike down
        assert thigh_deg(body, side).max() >= 75  # knee drive to about hip height
    if drill_id == "b_skip":
        for side in Side:
            thigh, knee = thigh_deg(body, side), body.angles[f"{side}_knee_flexion"]
            out = thigh > 55
            assert knee[out].min() <= 35  # the lower leg extends ("out") ...
            assert knee.min() >= 5  # ... but never kicks out straight


def test_carioca_hips_turn_shoulders_stay_and_the_trail_foot_crosses_front_then_back() -> None:
    body = pose("carioca")
    yaw = body.angles["pelvis_yaw"]
    assert yaw.max() >= 25 and yaw.min() <= -25
    shoulders = body.point(Joint.RIGHT_SHOULDER) - body.point(Joint.LEFT_SHOULDER)
    assert np.abs(shoulders[:, 0]).max() < 1e-9  # square to the front all the time
    crossed = p(body, "ankle", R)[:, 2] < p(body, "ankle", L)[:, 2]  # right foot left of the left
    assert (crossed & (p(body, "ankle", R)[:, 0] > 0.05)).any()  # in front
    assert (crossed & (p(body, "ankle", R)[:, 0] < -0.05)).any()  # behind
    for side in Side:  # light, on the balls of the feet
        on = body.contact[side]
        assert (p(body, "heel", side)[on, 1] > p(body, "toe", side)[on, 1]).all()


def test_strides_land_close_under_the_hips_not_on_the_toes() -> None:
    body = pose("strides")
    for side in Side:
        for i in touchdowns(body, side):
            reach = p(body, "heel", side)[i, 0] - body.point(Joint.PELVIS)[i, 0]
            assert 0 < reach < 0.3 * LEG
            foot = p(body, "toe", side)[i] - p(body, "heel", side)[i]
            assert np.degrees(np.arctan2(foot[1], foot[0])) > -1.6  # not a forefoot strike


def test_leg_swings_range_grows_with_a_still_trunk_and_stance_foot() -> None:
    motion = REFERENCE_MOTIONS["leg_swings"]
    body = motion.pose(np.arange(0, motion.growth_cycles + 1, 1 / 180))
    hip = body.angles["right_hip_flexion"].reshape(motion.growth_cycles + 1, -1)
    ranges = np.ptp(hip, axis=1)
    assert (np.diff(ranges) >= 0).all() and ranges[0] < 0.6 * ranges[-1]
    assert np.ptp(body.angles["trunk_lean"]) < 0.5
    assert np.ptp(p(body, "toe", L), axis=0).max() < 1e-9


def test_hip_flexor_rock_opens_the_back_hip_over_a_planted_front_foot() -> None:
    body = pose("hip_flexor_mobility")
    assert np.ptp(p(body, "heel", L)[:, 0]) < 1e-6  # the front foot stays put
    assert body.angles["right_hip_flexion"].min() <= -25  # the back hip extends
    assert np.ptp(body.point(Joint.PELVIS)[:, 0]) > 0.03  # the hips shift forward and back
    assert body.angles["trunk_lean"].min() >= -1 and body.angles["trunk_lean"].max() <= 3
    assert p(body, "knee", R)[:, 1].max() < 0.1  # the back knee down or hovering


def test_quad_mobility_holds_the_ankle_heel_to_buttock_knees_together() -> None:
    body = pose("quadriceps_mobility")
    for side in Side:
        gap = np.linalg.norm(p(body, "heel", side) - p(body, "hip", side), axis=1) / THIGH
        hold = gap < 0.6
        assert hold.sum() > 0.2 * len(GRID)  # held for a while, both legs
        hand = np.linalg.norm(p(body, "wrist", side) - p(body, "ankle", side), axis=1)
        assert hand[hold].max() < WINTER_2009.hand / 2  # the hand holds the ankle
        other = thigh_deg(body, side.other)
        assert np.abs(thigh_deg(body, side)[hold] - other[hold]).max() < 12  # knees together
    assert np.abs(body.angles["trunk_lean"]).max() <= 3  # tall, not tipping forward


# ---- the project's own drill check finds correct form in the reference -------------------


@pytest.mark.parametrize("drill_id", ["butt_kicks", "high_knees", "a_skip", "strides"])
def test_the_drill_check_finds_no_fault_in_the_reference(drill_id: str) -> None:
    from stridelab.video.guide import reference_sequence
    from stridelab.video.kinds import CATALOGUE_IDS
    from stridelab.video.report import analyse_pose
    from stridelab.video.smooth import smooth_sequence

    kind = next(k for k, v in CATALOGUE_IDS.items() if v == drill_id)
    motion = REFERENCE_MOTIONS[drill_id]
    report = analyse_pose(smooth_sequence(reference_sequence(drill_id, 6.0)), kind)
    assert [f.id for f in report.faults] == []
    steps_per_min = motion.reps_per_min  # one rep per step in these drills
    assert report.cadence_spm == pytest.approx(steps_per_min, rel=0.01)
