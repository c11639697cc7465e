"""Events stage: foot contacts, toe-offs, steps, cadence and drill repetitions.

Two published ways to find foot contact from kinematics, chosen by the drill:

- **Running** (the body travels relative to the foot, on a treadmill or over
  ground): Zeni, Richards & Higginson 2008 (Gait Posture 27:710–714), adapted to
  a 2-D side view. Foot contact is a maximum of the heel's forward position
  relative to the pelvis, toe-off a minimum of the toe's. Zeni et al. validated it
  for walking (within about 1–2 frames at 120 Hz against a force plate); running
  use is an extrapolation that works because the same fore-aft pendulum exists.
- **Drills on the spot** (butt kicks, high knees, A-skips: little fore-aft motion):
  a height-and-velocity threshold on the lower of heel and toe, after the foot
  velocity algorithm of O'Connor et al. 2007 (Gait Posture 25:469–474). The foot is
  on the ground while it is within :data:`GROUND_TOLERANCE_LEGS` leg lengths of
  the ground line and moves vertically slower than :data:`STILL_SPEED_LEGS_PER_S`.

Resolution is one frame either way: 33 ms at 30 fps.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Final, NamedTuple

import numpy as np
from numpy.typing import NDArray
from scipy.ndimage import maximum_filter1d
from scipy.signal import find_peaks

from stridelab.video.pose import FALLBACK_FPS, Landmark, PoseSequence

__all__ = [
    "LEG",
    "Contact",
    "Foot",
    "LegLandmarks",
    "contacts_by_threshold",
    "contacts_by_zeni",
    "facing_sign",
    "finite_median",
    "heel_rise_legs",
    "leg_length_px",
    "repetitions",
]

#: Consecutive contacts of one foot are at least this far apart (cadence < 240 spm).
MIN_STRIDE_S: Final = 0.5
#: A Zeni extremum must stand out by this many leg lengths.
ZENI_PROMINENCE_LEGS: Final = 0.08
#: On the ground: within this many leg lengths of the ground line …
GROUND_TOLERANCE_LEGS: Final = 0.06
#: … and moving vertically slower than this (leg lengths per second).
STILL_SPEED_LEGS_PER_S: Final = 1.2
#: A repetition lifts the heel at least this many leg lengths above its ground level.
REP_MIN_RISE_LEGS: Final = 0.3
#: The ground line is the foot's lowest point within this rolling window.
GROUND_WINDOW_S: Final = 2.0
#: Two repetitions of one leg are at least this far apart.
REP_MIN_INTERVAL_S: Final = 0.3


class Foot(StrEnum):
    LEFT = "left"
    RIGHT = "right"


class LegLandmarks(NamedTuple):
    """One side's leg landmarks, hip to toe (BlazePose calls the toe ``FOOT_INDEX``)."""

    hip: Landmark
    knee: Landmark
    ankle: Landmark
    heel: Landmark
    toe: Landmark


#: Each side's leg landmarks: the one per-foot lookup for every stage.
LEG: Final[dict[Foot, LegLandmarks]] = {
    Foot.LEFT: LegLandmarks(
        Landmark.LEFT_HIP,
        Landmark.LEFT_KNEE,
        Landmark.LEFT_ANKLE,
        Landmark.LEFT_HEEL,
        Landmark.LEFT_FOOT_INDEX,
    ),
    Foot.RIGHT: LegLandmarks(
        Landmark.RIGHT_HIP,
        Landmark.RIGHT_KNEE,
        Landmark.RIGHT_ANKLE,
        Landmark.RIGHT_HEEL,
        Landmark.RIGHT_FOOT_INDEX,
    ),
}


@dataclass(frozen=True)
class Contact:
    """One foot on the ground from ``start_frame`` to ``end_frame`` (toe-off)."""

    foot: Foot
    start_frame: int
    end_frame: int
    start_s: float
    end_s: float

    @property
    def duration_s(self) -> float:
        return self.end_s - self.start_s


def finite_median(values: NDArray[np.float64] | list[float]) -> float | None:
    """Median of the finite values; ``None`` when there are none (``nanmedian`` would warn)."""
    arr = np.asarray(values, dtype=np.float64).ravel()
    arr = arr[np.isfinite(arr)]
    return float(np.median(arr)) if arr.size else None


def leg_length_px(sequence: PoseSequence) -> float:
    """Median hip-to-ankle distance over both legs (the scale for every threshold)."""
    lengths = []
    for leg in LEG.values():
        thigh = np.linalg.norm(sequence.point(leg.hip) - sequence.point(leg.knee), axis=1)
        shank = np.linalg.norm(sequence.point(leg.knee) - sequence.point(leg.ankle), axis=1)
        lengths.append(thigh + shank)
    value = finite_median(np.concatenate(lengths))
    return value if value is not None and value > 0 else float(sequence.height) / 2.0


def facing_sign(sequence: PoseSequence) -> int:
    """+1 when the runner faces image-right, -1 when image-left (toes ahead of heels)."""
    ahead = []
    for foot in Foot:
        ahead.append(sequence.point(LEG[foot].toe)[:, 0] - sequence.point(LEG[foot].heel)[:, 0])
    median = finite_median(np.concatenate(ahead))
    if median is None or abs(median) < 1e-9:
        nose = sequence.point(Landmark.NOSE)[:, 0]
        hips = sequence.midpoint(Landmark.LEFT_HIP, Landmark.RIGHT_HIP)[:, 0]
        median = finite_median(nose - hips)
    return 1 if median is None or median >= 0 else -1


def _peaks(signal: NDArray[np.float64], distance: int, prominence: float) -> NDArray[np.intp]:
    filled = np.where(
        np.isfinite(signal), signal, np.nanmin(signal) if np.isfinite(signal).any() else 0
    )
    peaks, _ = find_peaks(filled, distance=max(1, distance), prominence=prominence)
    return np.asarray([p for p in peaks if np.isfinite(signal[p])], dtype=np.intp)


def _first_minimum(signal: NDArray[np.float64], start: int, stop: int) -> int | None:
    """The first local minimum of ``signal`` in ``(start, stop)`` (the toe's rearmost point).

    The first, not the deepest: a swing foot can pass behind the pelvis again
    while it rises, which is not a second toe-off.
    """
    for i in range(start + 1, min(stop, len(signal) - 1)):
        if not np.isfinite(signal[i - 1 : i + 2]).all():
            return None
        if signal[i] <= signal[i - 1] and signal[i] < signal[i + 1]:
            return i
    return None


def contacts_by_zeni(sequence: PoseSequence) -> tuple[Contact, ...]:
    """Contacts for running: heel-strike and toe-off from pelvis-relative foot position.

    Zeni et al. 2008 (coordinate-based algorithm), in 2-D: heel strike at each
    maximum of ``(heel_x - pelvis_x) * facing``, toe-off at each minimum of
    ``(toe_x - pelvis_x) * facing``. Each strike pairs with the first toe minimum
    after it, before that foot's next strike; toe-off moves earlier to the last
    frame before the toe, once down, rises off its ground line, where that comes first
    (rearmost-toe lags the lift-off in 2-D, where the toe landmark keeps sliding
    back with the belt or the swing).
    """
    facing = facing_sign(sequence)
    pelvis_x = sequence.midpoint(Landmark.LEFT_HIP, Landmark.RIGHT_HIP)[:, 0]
    leg = leg_length_px(sequence)
    distance = int(MIN_STRIDE_S * (sequence.fps or FALLBACK_FPS))
    contacts: list[Contact] = []
    for foot in Foot:
        heel_rel = (sequence.point(LEG[foot].heel)[:, 0] - pelvis_x) * float(facing)
        toe_rel = (sequence.point(LEG[foot].toe)[:, 0] - pelvis_x) * float(facing)
        strikes = _peaks(heel_rel, distance, ZENI_PROMINENCE_LEGS * leg)
        toe_up = (_ground_y(sequence, foot) - sequence.point(LEG[foot].toe)[:, 1]) > (
            GROUND_TOLERANCE_LEGS * leg
        )
        for i, strike in enumerate(strikes):
            limit = int(strikes[i + 1]) if i + 1 < len(strikes) else sequence.frames - 1
            end = _first_minimum(toe_rel, int(strike), limit)
            if end is None:
                continue
            # The toe may leave the ground before it is at its rearmost point.
            down = np.flatnonzero(~toe_up[strike : end + 1])
            if len(down):
                flat = int(strike + down[0])
                lifted = np.flatnonzero(toe_up[flat : end + 1])
                if len(lifted):
                    end = max(flat, flat + int(lifted[0]) - 1)
            contacts.append(
                Contact(
                    foot, int(strike), end, float(sequence.t_s[strike]), float(sequence.t_s[end])
                )
            )
    return tuple(sorted(contacts, key=lambda c: c.start_frame))


def _foot_low_y(sequence: PoseSequence, foot: Foot) -> NDArray[np.float64]:
    return np.asarray(
        np.fmax(sequence.point(LEG[foot].heel)[:, 1], sequence.point(LEG[foot].toe)[:, 1]),
        dtype=np.float64,
    )


def _ground_y(sequence: PoseSequence, foot: Foot) -> NDArray[np.float64]:
    """The foot's ground line per frame: its lowest point over a rolling window.

    Rolling, so a runner drifting towards or away from the camera (the ground
    line moves in the picture) keeps a right ground line.
    """
    low = _foot_low_y(sequence, foot)
    if not np.isfinite(low).any():
        return np.full(sequence.frames, float(sequence.height))
    filled = np.where(np.isfinite(low), low, np.nanmin(low))
    window = max(3, round(GROUND_WINDOW_S * (sequence.fps or FALLBACK_FPS)))
    return np.asarray(maximum_filter1d(filled, size=window, mode="nearest"), dtype=np.float64)


def heel_rise_legs(sequence: PoseSequence, foot: Foot) -> NDArray[np.float64]:
    """Height of the heel above the foot's ground line, in leg lengths (y grows downwards)."""
    heel_y = sequence.point(LEG[foot].heel)[:, 1]
    rise = (_ground_y(sequence, foot) - heel_y) / leg_length_px(sequence)
    return np.asarray(rise, dtype=np.float64)


def contacts_by_threshold(sequence: PoseSequence) -> tuple[Contact, ...]:
    """Contacts for drills on the spot: foot low and still (after O'Connor et al. 2007)."""
    leg = leg_length_px(sequence)
    min_frames = max(1, round(0.04 * (sequence.fps or FALLBACK_FPS)))
    contacts: list[Contact] = []
    for foot in Foot:
        low = _foot_low_y(sequence, foot)
        ground = _ground_y(sequence, foot)
        speed = np.abs(np.gradient(low, sequence.t_s)) if sequence.frames > 1 else np.zeros(1)
        on = (
            np.isfinite(low)
            & (ground - low <= GROUND_TOLERANCE_LEGS * leg)
            & (speed <= STILL_SPEED_LEGS_PER_S * leg)
        )
        edges = np.flatnonzero(np.diff(np.concatenate([[0], on.astype(np.int8), [0]])))
        for start, stop in zip(edges[::2], edges[1::2], strict=True):
            # A contact cut by the clip's start or end has unknown duration: skip it.
            if start == 0 or stop >= sequence.frames or stop - start < min_frames:
                continue
            end = int(stop - 1)
            contacts.append(
                Contact(foot, int(start), end, float(sequence.t_s[start]), float(sequence.t_s[end]))
            )
    return tuple(sorted(contacts, key=lambda c: c.start_frame))


def repetitions(sequence: PoseSequence) -> dict[Foot, tuple[int, ...]]:
    """Frames of each leg's repetition peaks: the heel's highest points above the ground.

    The heel-rise signal works from the side and from the front (knee angles
    do not: seen from the front the folded shank is foreshortened).
    """
    distance = int(REP_MIN_INTERVAL_S * (sequence.fps or FALLBACK_FPS))
    return {
        foot: tuple(
            int(p) for p in _peaks(heel_rise_legs(sequence, foot), distance, REP_MIN_RISE_LEGS)
        )
        for foot in Foot
    }


def cadence_spm(contacts: tuple[Contact, ...]) -> float:
    """Steps per minute from each foot's contact times, with sub-frame precision.

    Per foot, strike times are regressed on their stride number (a missed strike
    skips a number rather than doubling an interval), giving the stride time;
    cadence is 120 over the stride time, averaged over the feet weighted by their
    strides. Working per foot keeps cadence right when one foot is hidden for
    part of the clip (the far leg behind a treadmill console).
    """
    slopes: list[float] = []
    weights: list[int] = []
    for foot in Foot:
        starts = np.array([c.start_s for c in contacts if c.foot is foot])
        if len(starts) < 2:
            continue
        typical = float(np.median(np.diff(starts)))
        if typical <= 0:
            continue
        index = np.round((starts - starts[0]) / typical)
        if index[-1] < 1:
            continue
        slope = float(np.polyfit(index, starts, 1)[0])
        slopes.append(slope)
        weights.append(int(index[-1]))
    if not slopes:
        # Too short for a stride of either foot: fall back on step-to-step times.
        starts = np.sort([c.start_s for c in contacts])
        steps = np.diff(starts)
        return 60.0 / float(np.median(steps)) if len(steps) and np.median(steps) > 0 else 0.0
    stride_s = float(np.average(slopes, weights=weights))
    return 120.0 / stride_s if stride_s > 0 else 0.0
