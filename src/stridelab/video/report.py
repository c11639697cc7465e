"""Report stage: from a smoothed pose sequence to a :class:`DrillReport`.

Pure analysis (no video, no model): the tests drive it with synthetic keypoints.
Faults carry the coaching cue of the drill catalogue
(:mod:`stridelab.drills.catalogue`) and the frame where they show most.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Final

import numpy as np
from numpy.typing import NDArray

from stridelab.errors import ClipTooShort, NoPersonDetected
from stridelab.video import form
from stridelab.video.events import (
    LEG,
    Contact,
    Foot,
    cadence_spm,
    contacts_by_threshold,
    contacts_by_zeni,
    facing_sign,
    finite_median,
    leg_length_px,
    repetitions,
)
from stridelab.video.form import CameraView, DrillType, FootStrike
from stridelab.video.kinds import CATALOGUE_IDS
from stridelab.video.pose import Landmark, PoseSequence

__all__ = [
    "MIN_CONTACT_TIME_FPS",
    "MIN_PERSON_RATIO",
    "DrillReport",
    "Fault",
    "analyse_pose",
    "classify_drill",
    "fault_thumbnail_suffix",
]

#: Below this frame rate one frame (40 ms at 25 fps) is over 20 % of a 180-ms contact:
#: contact time is not reported. Between this and COARSE_CONTACT_FPS it is reported as coarse.
MIN_CONTACT_TIME_FPS: Final = 25.0
COARSE_CONTACT_FPS: Final = 100.0
#: Fewer frames with a person than this share: nobody to analyse.
MIN_PERSON_RATIO: Final = 0.2
#: Fewer frames than this with a person: too short for any cycle.
MIN_DETECTED_FRAMES: Final = 20
#: Auto classification: heel swings fore-aft more than this many leg lengths = running.
RUNNING_SWING_LEGS: Final = 0.5
HIGH_KNEE_THIGH_DEG: Final = 60.0
A_SKIP_THIGH_DEG: Final = 35.0
# Fault thresholds (2-D side view; see docs/drill-check.md for their reasoning).
HEEL_GAP_MAX_THIGHS: Final = 0.9
KNEE_FORWARD_MAX_DEG: Final = 25.0
DRILL_LANDING_MAX_LEGS: Final = 0.15
RUN_OVERSTRIDE_MAX_LEGS: Final = 0.3
LEAN_BACK_MIN_DEG: Final = -3.0
ANKLE_PLANTARFLEXED_DEG: Final = 125.0
ARM_LEG_MIN_CORRELATION: Final = 0.3
HIGH_KNEE_MIN_THIGH_DEG: Final = 75.0
RHYTHM_MAX_CV_PCT: Final = 25.0


@dataclass(frozen=True)
class Fault:
    """A fault id of the drill catalogue, what is wrong, the cue that fixes it, and its frame."""

    id: str
    message: str
    frame: int
    cue: str = ""


@dataclass(frozen=True)
class DrillReport:
    """Everything the drill check found; :meth:`to_dict` is the ``--json`` shape."""

    drill: DrillType
    frames: int
    fps: float
    duration_s: float
    person_detected_ratio: float
    steps: int
    cadence_spm: float
    reps: dict[Foot, int] | None
    contacts: tuple[Contact, ...]
    ground_contact_ms: float | None
    foot_strike: FootStrike | None
    metrics: dict[str, Any]
    faults: tuple[Fault, ...]
    processing_fps: float = 0.0
    rep_frames: dict[Foot, tuple[int, ...]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "drill": self.drill.value,
            "frames": self.frames,
            "fps": round(self.fps, 3),
            "duration_s": round(self.duration_s, 3),
            "person_detected_ratio": round(self.person_detected_ratio, 3),
            "steps": self.steps,
            "cadence_spm": round(self.cadence_spm, 1),
            "reps": None
            if self.reps is None
            else {"left": self.reps[Foot.LEFT], "right": self.reps[Foot.RIGHT]},
            "contacts": [
                {"foot": c.foot.value, "start_s": round(c.start_s, 3), "end_s": round(c.end_s, 3)}
                for c in self.contacts
            ],
            "ground_contact_ms": None
            if self.ground_contact_ms is None
            else round(self.ground_contact_ms, 1),
            "foot_strike": None if self.foot_strike is None else self.foot_strike.value,
            "metrics": self.metrics,
            "faults": [
                {"id": f.id, "message": f.message, "cue": f.cue, "frame": f.frame}
                for f in self.faults
            ],
            "processing_fps": round(self.processing_fps, 1),
            "rep_frames": {foot.value: list(frames) for foot, frames in self.rep_frames.items()},
        }


def fault_thumbnail_suffix(index: int) -> str:
    """File-name suffix of the thumbnail of fault number ``index`` (0-based) of a report."""
    return f".fault{index}.jpg"


def _fault(drill: DrillType, fault_id: str, frame: int) -> Fault:
    """The catalogue's cue for ``fault_id`` (the drill's own entry first, then any drill)."""
    from stridelab.drills.catalogue import DRILLS

    candidates = [DRILLS.get(CATALOGUE_IDS[drill])] if drill in CATALOGUE_IDS else []
    candidates += list(DRILLS.values())
    for entry in candidates:
        for fault in entry.faults if entry is not None else ():
            if fault.id == fault_id:
                return Fault(fault_id, fault.message, frame, fault.fix)
    return Fault(fault_id, fault_id.replace("_", " ").capitalize() + ".", frame)


def _r(value: float | None, digits: int = 2) -> float | None:
    return None if value is None else round(value, digits)


def _at(signal: NDArray[np.float64], frames: list[int]) -> list[float]:
    return [float(signal[f]) for f in frames if np.isfinite(signal[f])]


def _contact_position_legs(sequence: PoseSequence, foot: Foot) -> NDArray[np.float64]:
    """Heel ahead of the hips, in leg lengths (positive = ahead, in the running direction)."""
    heel = sequence.point(LEG[foot].heel)
    hips = sequence.midpoint(Landmark.LEFT_HIP, Landmark.RIGHT_HIP)
    return np.asarray(
        (heel[:, 0] - hips[:, 0]) * facing_sign(sequence) / leg_length_px(sequence),
        dtype=np.float64,
    )


def classify_drill(sequence: PoseSequence) -> DrillType:
    """A heuristic guess of the drill from how the legs move (see docs/drill-check.md).

    Running swings the heel far fore and aft of the hips; on-the-spot drills do
    not. Among those, the thigh's angle when the heel is highest separates high
    knees (thigh near horizontal), A-skips (in between) and butt kicks (thigh
    near vertical).
    """
    rep_frames = repetitions(sequence)
    swings = []
    thigh_peaks: list[float] = []
    for foot in Foot:
        rel = _contact_position_legs(sequence, foot)
        if np.isfinite(rel).sum() > 10:
            swings.append(float(np.nanpercentile(rel, 95) - np.nanpercentile(rel, 5)))
        thigh = form.thigh_angle_deg(sequence, foot)
        thigh_peaks.extend(_at(thigh, list(rep_frames[foot])))
    if (
        swings
        and max(swings) > RUNNING_SWING_LEGS
        and form.camera_view(sequence) is not CameraView.FRONT
    ):
        return DrillType.RUNNING
    peak = float(np.median(thigh_peaks)) if thigh_peaks else 0.0
    if peak >= HIGH_KNEE_THIGH_DEG:
        return DrillType.HIGH_KNEES
    if peak >= A_SKIP_THIGH_DEG:
        return DrillType.A_SKIP
    return DrillType.BUTT_KICKS


def _arm_leg_correlation(sequence: PoseSequence) -> float | None:
    """Correlation of each arm's fore-aft swing with the opposite thigh's (+1 = in time)."""
    facing = facing_sign(sequence)
    pairs = (
        (Landmark.LEFT_WRIST, Landmark.LEFT_SHOULDER, Landmark.RIGHT_KNEE, Landmark.RIGHT_HIP),
        (Landmark.RIGHT_WRIST, Landmark.RIGHT_SHOULDER, Landmark.LEFT_KNEE, Landmark.LEFT_HIP),
    )
    values = []
    for wrist, shoulder, knee, hip in pairs:
        arm = (sequence.point(wrist)[:, 0] - sequence.point(shoulder)[:, 0]) * facing
        leg = (sequence.point(knee)[:, 0] - sequence.point(hip)[:, 0]) * facing
        good = np.isfinite(arm) & np.isfinite(leg)
        if good.sum() > 10 and np.std(arm[good]) > 0 and np.std(leg[good]) > 0:
            values.append(float(np.corrcoef(arm[good], leg[good])[0, 1]))
    return float(np.mean(values)) if values else None


def _rhythm_cv_pct(
    rep_frames: dict[Foot, tuple[int, ...]], t_s: NDArray[np.float64]
) -> float | None:
    intervals = [np.diff(t_s[list(frames)]) for frames in rep_frames.values() if len(frames) > 2]
    if not intervals:
        return None
    joined = np.concatenate(intervals)
    return float(np.std(joined) / np.mean(joined) * 100.0)


def _drill_metrics(
    sequence: PoseSequence,
    drill: DrillType,
    rep_frames: dict[Foot, tuple[int, ...]],
    contacts: tuple[Contact, ...],
    height_cm: float | None,
) -> tuple[dict[str, Any], list[Fault]]:
    metrics: dict[str, Any] = {}
    faults: list[Fault] = []
    thigh_px = form.thigh_length_px(sequence)
    peaks_all: list[tuple[Foot, int]] = [(f, p) for f, ps in rep_frames.items() for p in ps]
    flex = {f: form.knee_flexion_deg(sequence, f) for f in Foot}
    thigh = {f: form.thigh_angle_deg(sequence, f) for f in Foot}

    # Per-leg peak values at each repetition.
    peak_flex = {f: _at(flex[f], list(rep_frames[f])) for f in Foot}
    metrics["peak_knee_flexion_deg"] = {f.value: _r(finite_median(peak_flex[f]), 1) for f in Foot}
    if peak_flex[Foot.LEFT] and peak_flex[Foot.RIGHT]:
        metrics["knee_flexion_symmetry_index_pct"] = _r(
            form.symmetry_index_pct(
                finite_median(peak_flex[Foot.LEFT]) or 0, finite_median(peak_flex[Foot.RIGHT]) or 0
            ),
            1,
        )
    metrics["rhythm_cv_pct"] = _r(_rhythm_cv_pct(rep_frames, sequence.t_s), 1)
    position = {f: _contact_position_legs(sequence, f) for f in Foot}
    contact_pos = [float(position[c.foot][c.start_frame]) for c in contacts]
    metrics["contact_position_legs"] = _r(finite_median(contact_pos))
    lean = form.trunk_lean_deg(sequence)
    metrics["trunk_lean_deg"] = _r(finite_median(lean), 1)

    if drill is DrillType.BUTT_KICKS and peaks_all:
        gaps = np.array(
            [
                np.linalg.norm(sequence.point(LEG[f].heel)[p] - sequence.point(LEG[f].hip)[p])
                / thigh_px
                for f, p in peaks_all
            ]
        )
        gap = finite_median(gaps)
        metrics["heel_buttock_gap_thighs"] = _r(gap)
        if gap is not None and height_cm is not None:
            metrics["heel_buttock_gap_cm"] = _r(gap * form.THIGH_SHARE_OF_HEIGHT * height_cm, 1)
        thigh_at_peak = [float(thigh[f][p]) for f, p in peaks_all]
        metrics["thigh_angle_at_peak_deg"] = _r(finite_median(thigh_at_peak), 1)
        ankle_deg = {f: form.ankle_angle_deg(sequence, f) for f in Foot}
        ankle = [float(ankle_deg[f][p]) for f, p in peaks_all]
        metrics["ankle_angle_in_swing_deg"] = _r(finite_median(ankle), 1)
        corr = _arm_leg_correlation(sequence)
        metrics["arm_leg_correlation"] = _r(corr)
        if gap is not None and gap > HEEL_GAP_MAX_THIGHS:
            frame = peaks_all[int(np.nanargmax(gaps))][1]
            faults.append(_fault(drill, "heel_not_to_buttock", frame))
        if (m := finite_median(thigh_at_peak)) is not None and m > KNEE_FORWARD_MAX_DEG:
            faults.append(
                _fault(drill, "knee_driven_forward", peaks_all[int(np.nanargmax(thigh_at_peak))][1])
            )
        if (m := finite_median(ankle)) is not None and m > ANKLE_PLANTARFLEXED_DEG:
            faults.append(
                _fault(drill, "foot_not_dorsiflexed", peaks_all[int(np.nanargmax(ankle))][1])
            )
        if corr is not None and corr < ARM_LEG_MIN_CORRELATION:
            faults.append(_fault(drill, "arms_not_following", peaks_all[0][1]))
    if drill in (DrillType.HIGH_KNEES, DrillType.A_SKIP) and peaks_all:
        thigh_peak = {f: _at(thigh[f], list(rep_frames[f])) for f in Foot}
        metrics["thigh_angle_at_peak_deg"] = {
            f.value: _r(finite_median(thigh_peak[f]), 1) for f in Foot
        }
        joined = thigh_peak[Foot.LEFT] + thigh_peak[Foot.RIGHT]
        if (
            drill is DrillType.HIGH_KNEES
            and (m := finite_median(joined)) is not None
            and m < HIGH_KNEE_MIN_THIGH_DEG
        ):
            frames = [p for f in Foot for p in rep_frames[f] if np.isfinite(thigh[f][p])]
            faults.append(_fault(drill, "knee_below_hip", frames[int(np.argmin(joined))]))
        if (
            drill is DrillType.A_SKIP
            and (cv := metrics["rhythm_cv_pct"]) is not None
            and cv > RHYTHM_MAX_CV_PCT
        ):
            faults.append(_fault(drill, "no_rhythm", peaks_all[0][1]))
    if drill is DrillType.RUNNING and contacts:
        metrics["knee_flexion_at_contact_deg"] = _r(
            finite_median([float(flex[c.foot][c.start_frame]) for c in contacts]), 1
        )
        metrics["overstride_legs"] = metrics["contact_position_legs"]
    landing_max = RUN_OVERSTRIDE_MAX_LEGS if drill is DrillType.RUNNING else DRILL_LANDING_MAX_LEGS
    if contacts and (m := finite_median(contact_pos)) is not None and m > landing_max:
        fault_id = "foot_reaching_forward" if drill is DrillType.A_SKIP else "landing_ahead_of_hips"
        faults.append(_fault(drill, fault_id, contacts[int(np.nanargmax(contact_pos))].start_frame))
    if (m := finite_median(lean)) is not None and m < LEAN_BACK_MIN_DEG:
        faults.append(_fault(drill, "leaning_back", int(np.nanargmin(lean))))
    return metrics, faults


def analyse_pose(
    sequence: PoseSequence,
    drill: DrillType = DrillType.AUTO,
    *,
    height_cm: float | None = None,
) -> DrillReport:
    """Analyse a smoothed pose sequence: events, metrics, faults.

    Raises :class:`NoPersonDetected` when a person is in too few frames and
    :class:`ClipTooShort` when too few frames hold one.
    """
    drill = DrillType(drill)
    detected = sequence.detected
    ratio = float(detected.mean()) if sequence.frames else 0.0
    if ratio < MIN_PERSON_RATIO or not detected.any():
        raise NoPersonDetected(
            f"A person was found in {ratio:.0%} of the frames",
            hint="Film the whole body from the side, level with the hip, in good light.",
        )
    shown = int(detected.sum())
    if shown < MIN_DETECTED_FRAMES:
        raise ClipTooShort(
            f"Only {shown} frames show a person (at least {MIN_DETECTED_FRAMES} are needed)",
            hint="Film at least 5 seconds of the drill.",
        )
    if drill is DrillType.AUTO:
        drill = classify_drill(sequence)
    view = form.camera_view(sequence)
    contacts = (
        contacts_by_zeni(sequence)
        if drill is DrillType.RUNNING
        else contacts_by_threshold(sequence)
    )
    rep_frames = repetitions(sequence)
    metrics, faults = _drill_metrics(sequence, drill, rep_frames, contacts, height_cm)
    warnings: list[str] = []
    if view is not CameraView.SIDE:
        warnings.append(
            f"The camera is not side-on ({view.value} view): joint angles, foot strike and "
            "faults from angles are unreliable or left out. Film from the side, level with the hip."
        )
        faults = [f for f in faults if f.id not in {"knee_driven_forward", "foot_not_dorsiflexed"}]
    out_share = form.feet_out_of_frame_share(sequence)
    if out_share > 0.1:
        warnings.append(
            f"The feet leave the frame or are hidden in {out_share:.0%} of the frames: "
            "contacts there are missed. Keep the whole body in the picture."
        )
    fps = sequence.fps
    resolution_ms = 1000.0 / fps if fps > 0 else None
    durations = [c.duration_s * 1000.0 for c in contacts]
    ground_ms: float | None = None
    if durations and fps >= MIN_CONTACT_TIME_FPS:
        ground_ms = finite_median(durations)
        if fps < COARSE_CONTACT_FPS:
            warnings.append(
                f"Contact time at {fps:.0f} fps is coarse: ±{resolution_ms:.0f} ms (one frame) "
                "at each end."
            )
    elif durations:
        warnings.append(
            f"Contact time is not reported below {MIN_CONTACT_TIME_FPS:.0f} fps (this clip: "
            f"{fps:.0f} fps). Film in slow motion for contact times."
        )
    strike: FootStrike | None = None
    if drill is DrillType.RUNNING and contacts and view is CameraView.SIDE:
        foot_deg = {f: form.foot_angle_deg(sequence, f) for f in Foot}
        angles = [float(foot_deg[c.foot][c.start_frame]) for c in contacts]
        if (m := finite_median(angles)) is not None:
            strike = form.foot_strike(m)
            metrics["foot_angle_at_contact_deg"] = _r(m, 1)
    metrics.update(
        camera_view=view.value,
        contact_time_resolution_ms=_r(resolution_ms, 1),
        feet_out_of_frame_ratio=_r(out_share, 3),
        warnings=warnings,
    )
    reps = None if drill is DrillType.RUNNING else {f: len(rep_frames[f]) for f in Foot}
    duration = float(sequence.t_s[-1] - sequence.t_s[0]) + (1.0 / fps if fps > 0 else 0.0)
    return DrillReport(
        drill=drill,
        frames=sequence.frames,
        fps=fps,
        duration_s=duration,
        person_detected_ratio=ratio,
        steps=len(contacts),
        cadence_spm=cadence_spm(contacts),
        reps=reps,
        contacts=contacts,
        ground_contact_ms=ground_ms,
        foot_strike=strike,
        metrics=metrics,
        faults=tuple(sorted(faults, key=lambda f: f.frame)),
        rep_frames=rep_frames,
    )
