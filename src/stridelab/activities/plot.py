"""PNG charts (matplotlib, Agg backend, no display needed).

:func:`plot_session` draws pace, heart rate, cadence and ground contact time against
distance, one panel per channel the session has; :func:`plot_trends` draws weekly
volume, CTL/ATL/TSB, cadence and contact time.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Final

import numpy as np

from stridelab.activities.metrics import MIN_STEP_CADENCE_SPM, MOVING_SPEED_M_S, speed_series
from stridelab.activities.model import FloatArray, Samples
from stridelab.errors import InputError
from stridelab.store.trends import Trends
from stridelab.units import M_PER_KM

__all__ = ["plot_session", "plot_trends"]

#: Slowest pace drawn (s/km); standing still would otherwise squash the axis.
SLOWEST_PLOTTED_PACE_S_PER_KM: Final = 900.0
_SMOOTH_SAMPLES: Final = 15


def _pyplot() -> Any:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _smooth(values: FloatArray) -> FloatArray:
    finite = np.isfinite(values)
    if finite.sum() < _SMOOTH_SAMPLES:
        return values
    filled = np.interp(np.arange(len(values)), np.flatnonzero(finite), values[finite])
    kernel = np.ones(_SMOOTH_SAMPLES) / _SMOOTH_SAMPLES
    smoothed: FloatArray = np.convolve(filled, kernel, mode="same")
    return np.where(finite, smoothed, np.nan)


def _save(figure: Any, out: Path) -> None:
    try:
        figure.savefig(out, dpi=110)
    except OSError as exc:
        raise InputError(
            f"cannot write the plot to {out}: {exc.strerror}", hint="Choose a writable path"
        ) from None


def plot_session(samples: Samples, out: str | Path, title: str = "") -> Path:
    """Pace, HR, cadence and contact time over distance as a PNG; returns the path."""
    out = Path(out)
    speed = speed_series(samples)
    x = (
        np.nan_to_num(samples.distance_m, nan=0.0) / M_PER_KM
        if samples.distance_m is not None
        else (samples.timestamp_s - samples.timestamp_s[0]) / 60.0
    )
    x_label = "distance (km)" if samples.distance_m is not None else "time (min)"
    panels: list[tuple[str, FloatArray, bool]] = []
    if speed is not None:
        pace = np.where(speed > MOVING_SPEED_M_S, M_PER_KM / np.maximum(speed, 1e-6) / 60, np.nan)
        pace = np.where(pace * 60 <= SLOWEST_PLOTTED_PACE_S_PER_KM, pace, np.nan)
        panels.append(("pace (min/km)", _smooth(pace), True))
    if samples.heart_rate_bpm is not None:
        hr = np.where(samples.heart_rate_bpm > 0, samples.heart_rate_bpm, np.nan)
        panels.append(("heart rate (bpm)", hr, False))
    if samples.cadence_spm is not None:
        cadence = np.where(samples.cadence_spm > MIN_STEP_CADENCE_SPM, samples.cadence_spm, np.nan)
        panels.append(("cadence (steps/min)", _smooth(cadence), False))
    if samples.ground_contact_ms is not None:
        contact = np.where(samples.ground_contact_ms > 0, samples.ground_contact_ms, np.nan)
        panels.append(("ground contact (ms)", _smooth(contact), False))
    if not panels:
        raise InputError("this session has no channel to plot", hint="Try another file")
    plt = _pyplot()
    figure, axes = plt.subplots(len(panels), 1, sharex=True, figsize=(10, 2.2 * len(panels)))
    axes = np.atleast_1d(axes)
    for axis, (label, values, invert) in zip(axes, panels, strict=True):
        axis.plot(x, values, linewidth=0.9)
        axis.set_ylabel(label)
        axis.grid(alpha=0.3)
        if invert:
            axis.invert_yaxis()
    axes[-1].set_xlabel(x_label)
    if title:
        axes[0].set_title(title)
    figure.tight_layout()
    _save(figure, out)
    plt.close(figure)
    return out


def plot_trends(trends: Trends, out: str | Path) -> Path:
    """Weekly volume, CTL/ATL/TSB, cadence and contact time as a PNG; returns the path."""
    out = Path(out)
    if not trends.weeks:
        raise InputError("no activities to plot", hint="Import some with `stridelab import`")
    plt = _pyplot()
    weeks = list(range(len(trends.weeks)))
    labels = [w.week_start for w in trends.weeks]
    figure, axes = plt.subplots(4, 1, sharex=True, figsize=(10, 9))
    axes[0].bar(weeks, [w.distance_m / M_PER_KM for w in trends.weeks])
    axes[0].set_ylabel("km / week")
    axes[1].plot(weeks, [w.ctl for w in trends.weeks], label="CTL (fitness)")
    axes[1].plot(weeks, [w.atl for w in trends.weeks], label="ATL (fatigue)")
    axes[1].plot(weeks, [w.tsb for w in trends.weeks], label="TSB (form)")
    axes[1].legend(loc="upper left", fontsize="small")
    axes[1].set_ylabel("load")
    cadence = [np.nan if w.avg_cadence_spm is None else w.avg_cadence_spm for w in trends.weeks]
    contact = [
        np.nan if w.avg_ground_contact_ms is None else w.avg_ground_contact_ms for w in trends.weeks
    ]
    axes[2].plot(weeks, cadence, marker="o")
    axes[2].set_ylabel("cadence (spm)")
    axes[3].plot(weeks, contact, marker="o")
    axes[3].set_ylabel("contact (ms)")
    step = max(1, len(weeks) // 12)
    axes[3].set_xticks(weeks[::step], labels[::step], rotation=45, ha="right")
    for axis in axes:
        axis.grid(alpha=0.3)
    figure.tight_layout()
    _save(figure, out)
    plt.close(figure)
    return out
