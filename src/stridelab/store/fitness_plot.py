"""The effective VDOT week by week as a chart (``stridelab fitness --history --plot``).

Drawing and saving reuse :mod:`stridelab.activities.plot`, a layer down.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from stridelab.activities.plot import chart_path, pyplot, save_figure
from stridelab.errors import InputError
from stridelab.physiology.fitness import VdotEstimate

__all__ = ["plot_vdot_history"]


def plot_vdot_history(history: list[tuple[dt.date, VdotEstimate | None]], out: str | Path) -> Path:
    """The effective VDOT week by week, its range shaded; PNG, SVG or PDF by the name."""
    out = chart_path(out)
    known = [(day, v) for day, v in history if v is not None]
    if not known:
        raise InputError("no VDOT estimate to plot yet", hint="Import runs with `stridelab import`")
    plt = pyplot()
    figure, axis = plt.subplots(figsize=(10, 4))
    days = [day for day, _ in known]
    axis.fill_between(
        days, [v.low for _, v in known], [v.high for _, v in known], alpha=0.25, label="range"
    )
    axis.plot(days, [v.vdot for _, v in known], marker="o", label="effective VDOT")
    axis.set_ylabel("VDOT")
    axis.legend(loc="upper left", fontsize="small")
    axis.grid(alpha=0.3)
    figure.autofmt_xdate()
    figure.tight_layout()
    save_figure(figure, out)
    plt.close(figure)
    return out
