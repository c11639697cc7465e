"""The weekly trends chart: volume, CTL/ATL/TSB, cadence and contact time.

It lives in :mod:`stridelab.store` because the weeks come from the store
(:func:`~stridelab.store.trends.weekly_trends`); drawing and saving reuse
:mod:`stridelab.activities.plot`, a layer down.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from stridelab.activities.plot import chart_path, pyplot, save_figure
from stridelab.errors import InputError
from stridelab.store.trends import Trends
from stridelab.units import M_PER_KM

__all__ = ["plot_trends"]


def plot_trends(trends: Trends, out: str | Path) -> Path:
    """Weekly volume, CTL/ATL/TSB, cadence and contact time as a chart; returns the path."""
    out = chart_path(out)
    if not trends.weeks:
        raise InputError("no activities to plot", hint="Import some with `stridelab import`")
    plt = pyplot()
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
    save_figure(figure, out)
    plt.close(figure)
    return out
