"""Charts of one activity (matplotlib, Agg backend, no display needed).

:func:`plot_session` draws pace, heart rate, cadence and ground contact time against
distance, one panel per channel the session has. The weekly trends chart is
:func:`stridelab.store.plot.plot_trends` (trends are read from the store, a layer up).
A chart is written as PNG, SVG or PDF, chosen by the file name (:func:`chart_path`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Final

import numpy as np

from stridelab.activities.metrics import MIN_STEP_CADENCE_SPM, MOVING_SPEED_M_S, speed_series
from stridelab.activities.model import FloatArray, Samples
from stridelab.errors import InputError
from stridelab.units import M_PER_KM

__all__ = ["CHART_SUFFIXES", "chart_path", "plot_session", "save_figure"]

#: File types a chart can be written as (matplotlib's Agg, SVG and PDF backends).
CHART_SUFFIXES: Final = (".png", ".svg", ".pdf")

#: Slowest pace drawn (s/km); standing still would otherwise squash the axis.
SLOWEST_PLOTTED_PACE_S_PER_KM: Final = 900.0
_SMOOTH_SAMPLES: Final = 15


def chart_path(out: str | Path) -> Path:
    """``out`` as a path when its suffix is one of :data:`CHART_SUFFIXES`, else InputError."""
    path = Path(out)
    if path.suffix.lower() not in CHART_SUFFIXES:
        raise InputError(
            f"cannot write a chart as {path.name!r}: the type is chosen by the file name",
            hint="Name the file .png, .svg or .pdf.",
        )
    return path


def pyplot() -> Any:
    """matplotlib.pyplot on the Agg backend (imported on first use: it is slow)."""
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


def save_figure(figure: Any, out: Path) -> None:
    """Write ``figure`` to ``out`` (PNG, SVG or PDF), refusing other names first."""
    chart_path(out)
    try:
        figure.savefig(out, dpi=110)
    except OSError as exc:
        raise InputError(
            f"cannot write the plot to {out}: {exc.strerror}", hint="Choose a writable path"
        ) from None


def plot_session(samples: Samples, out: str | Path, title: str = "") -> Path:
    """Pace, HR, cadence and contact time over distance as a chart; returns the path."""
    out = chart_path(out)
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
    plt = pyplot()
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
    save_figure(figure, out)
    plt.close(figure)
    return out
