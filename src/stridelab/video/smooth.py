"""Smoothing stage: fill short gaps and low-pass the landmark tracks.

Each landmark coordinate is treated as a time series. Samples the model is
unsure of (visibility below :data:`MIN_VISIBILITY`) are dropped and, where the
gap is short (at most :data:`MAX_GAP_S`), re-filled by linear interpolation in
time; the series is then smoothed with a Savitzky–Golay filter (Savitzky &
Golay 1964, Anal. Chem. 36:1627), which keeps peaks (peak knee flexion, the
heel's highest point) better than a moving average of the same width. The
window is set in seconds, so the filter does the same job at 30 or 240 fps.

Visibility weighting is therefore "trust or re-fill": low-visibility samples
never pull the curve, confident ones are kept as measured before filtering.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Final

import numpy as np
from numpy.typing import NDArray
from scipy.signal import savgol_filter

from stridelab.video.pose import FALLBACK_FPS, PoseSequence

__all__ = [
    "MAX_GAP_S",
    "MIN_VISIBILITY",
    "SMOOTH_WINDOW_S",
    "fill_gaps",
    "smooth_sequence",
]

#: Below this visibility a landmark sample is treated as missing.
MIN_VISIBILITY: Final = 0.3
#: Gaps up to this long are interpolated; longer ones stay missing (NaN).
MAX_GAP_S: Final = 0.25
#: Savitzky–Golay window length in seconds (5 frames at 30 fps, 9 at 60), polynomial order 2.
SMOOTH_WINDOW_S: Final = 0.15
SMOOTH_POLYORDER: Final = 2


def fill_gaps(
    values: NDArray[np.float64], t_s: NDArray[np.float64], max_gap_s: float = MAX_GAP_S
) -> NDArray[np.float64]:
    """Linearly interpolate NaN runs no longer than ``max_gap_s``; leave longer runs NaN."""
    out = values.astype(np.float64).copy()
    good = np.isfinite(out)
    if good.sum() < 2:
        return out
    filled = np.interp(t_s, t_s[good], out[good])
    # Which missing samples sit in a short enough gap between two good ones?
    idx = np.arange(len(out))
    prev_good = np.maximum.accumulate(np.where(good, idx, -1))
    next_good = np.minimum.accumulate(np.where(good, idx, len(out))[::-1])[::-1]
    inside = (prev_good >= 0) & (next_good < len(out))
    span = np.full(len(out), np.inf)
    span[inside] = t_s[next_good[inside]] - t_s[prev_good[inside]]
    short = ~good & inside & (span <= max_gap_s + 1e-9)
    out[short] = filled[short]
    return out


def _window_frames(fps: float, n: int) -> int:
    frames = round(SMOOTH_WINDOW_S * fps) | 1  # odd
    frames = max(frames, SMOOTH_POLYORDER + 3)
    if frames > n:
        frames = n if n % 2 else n - 1
    return frames


def _smooth_series(series: NDArray[np.float64], window: int) -> NDArray[np.float64]:
    out = series.copy()
    good = np.isfinite(series)
    if window <= SMOOTH_POLYORDER:
        return out
    # Filter each finite run on its own so NaN gaps do not smear.
    edges = np.flatnonzero(np.diff(np.concatenate([[0], good.astype(np.int8), [0]])))
    for start, stop in zip(edges[::2], edges[1::2], strict=True):
        if stop - start >= window:
            out[start:stop] = savgol_filter(series[start:stop], window, SMOOTH_POLYORDER)
    return out


def smooth_sequence(sequence: PoseSequence) -> PoseSequence:
    """The same sequence with gaps filled and every coordinate smoothed."""
    xy = sequence.xy_px.copy()
    xy[sequence.visibility < MIN_VISIBILITY] = np.nan
    window = _window_frames(sequence.fps or FALLBACK_FPS, sequence.frames)
    for landmark in range(xy.shape[1]):
        for axis in range(2):
            series = fill_gaps(xy[:, landmark, axis], sequence.t_s)
            xy[:, landmark, axis] = _smooth_series(series, window)
    return replace(sequence, xy_px=xy)
