"""Charts as server-rendered SVG: no JavaScript, no CDN, works offline and in any browser.

Each function returns an SVG string. Every piece of text in it goes through
:func:`html.escape`, so names from files cannot inject markup. Long series are thinned to
at most :data:`MAX_POINTS` by taking every n-th sample (min/max envelopes are not needed
at the chart widths used); NaN breaks a line instead of drawing through the gap.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from html import escape
from typing import Any, Final

import numpy as np
from numpy.typing import NDArray

from stridelab.units import DistanceUnit, format_duration, metres_per_unit

__all__ = [
    "MAX_POINTS",
    "PALETTE",
    "Series",
    "bar_chart",
    "line_chart",
    "range_bar",
    "route_svg",
    "run_charts",
]

MAX_POINTS: Final = 600
WIDTH: Final = 640
HEIGHT: Final = 200
MARGIN: Final = (44, 12, 26, 30)  # left, right, top, bottom
LEGEND_ROW: Final = 16
PALETTE: Final = ("#2563eb", "#dc2626", "#16a34a", "#9333ea", "#ea580c")
#: Samples in the rolling median that smooths pace (about 15 s at 1 Hz recording).
PACE_SMOOTHING_SAMPLES: Final = 15
#: Slower than this (m/s) is standing, not a pace worth drawing.
MIN_CHART_SPEED_M_S: Final = 0.5


@dataclass(frozen=True)
class Series:
    """One line of a chart."""

    name: str
    values: Sequence[float | None]
    color: str = PALETTE[0]


def _finite(values: Sequence[float | None]) -> list[float]:
    return [v for v in values if v is not None and math.isfinite(v)]


def _ticks(low: float, high: float, count: int = 4) -> list[float]:
    if high <= low:
        return [low]
    raw = (high - low) / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = min((m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw), default=raw)
    first = math.ceil(low / step) * step
    return [first + i * step for i in range(int((high - first) / step) + 1)]


def _text(x: float, y: float, text: str, anchor: str = "middle", size: int = 11) -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{size}" '
        f'fill="#475569">{escape(text)}</text>'
    )


def line_chart(
    x: Sequence[float | None],
    series: Sequence[Series],
    *,
    title: str,
    x_format: Callable[[float], str] = lambda v: f"{v:g}",
    y_format: Callable[[float], str] = lambda v: f"{v:g}",
    invert_y: bool = False,
) -> str:
    """A line chart of one or more series against ``x`` (same length as each series)."""
    left, right, top, bottom = MARGIN
    if len(series) > 1:
        top += LEGEND_ROW  # the legend gets its own row under the title
    plot_w, plot_h = WIDTH - left - right, HEIGHT - top - bottom
    xs = _finite(x)
    ys = [v for s in series for v in _finite(s.values)]
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'class="chart" role="img" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
        _text(left, 16, title, anchor="start", size=13),
    ]
    if not xs or not ys:
        parts.append(_text(WIDTH / 2, HEIGHT / 2, "no data for this chart"))
        return "".join(parts) + "</svg>"
    x_lo, x_hi = min(xs), max(xs)
    y_lo, y_hi = min(ys), max(ys)
    pad = (y_hi - y_lo) * 0.05 or 1.0
    y_lo, y_hi = y_lo - pad, y_hi + pad
    x_span = (x_hi - x_lo) or 1.0

    def px(value: float) -> float:
        return left + (value - x_lo) / x_span * plot_w

    def py(value: float) -> float:
        frac = (value - y_lo) / (y_hi - y_lo)
        return top + (frac if invert_y else 1 - frac) * plot_h

    for tick in _ticks(y_lo, y_hi):
        y = py(tick)
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{WIDTH - right}" y2="{y:.1f}" stroke="#e2e8f0"/>'
        )
        parts.append(_text(left - 4, y + 4, y_format(tick), anchor="end", size=10))
    for tick in _ticks(x_lo, x_hi, 6):
        parts.append(_text(px(tick), HEIGHT - 10, x_format(tick), size=10))
    stride = max(1, math.ceil(len(x) / MAX_POINTS))
    for number, line in enumerate(series):
        segments: list[list[str]] = [[]]
        for i in range(0, len(x), stride):
            xv, yv = x[i], line.values[i]
            if xv is None or yv is None or not (math.isfinite(xv) and math.isfinite(yv)):
                if segments[-1]:
                    segments.append([])
                continue
            segments[-1].append(f"{px(xv):.1f},{py(yv):.1f}")
        for segment in segments:
            if len(segment) > 1:
                parts.append(
                    f'<polyline fill="none" stroke="{escape(line.color)}" stroke-width="1.6" '
                    f'points="{" ".join(segment)}"/>'
                )
            elif segment:  # a lone value between gaps: a dot, or it would not show
                cx, cy = segment[0].split(",")
                parts.append(f'<circle cx="{cx}" cy="{cy}" r="2.5" fill="{escape(line.color)}"/>')
        if len(series) > 1:
            legend_x = left + 120 * number
            parts.append(
                f'<rect x="{legend_x}" y="23" width="10" height="10" fill="{escape(line.color)}"/>'
            )
            parts.append(_text(legend_x + 14, 32, line.name, anchor="start", size=10))
    return "".join(parts) + "</svg>"


def bar_chart(
    labels: Sequence[str],
    planned: Sequence[float | None],
    done: Sequence[float | None],
    *,
    title: str,
    y_format: Callable[[float], str] = lambda v: f"{v:g}",
) -> str:
    """Grouped bars: planned (light) and done (dark) per label, e.g. km per week."""
    left, right, top, bottom = MARGIN
    plot_w, plot_h = WIDTH - left - right, HEIGHT - top - bottom
    high = max([*_finite(planned), *_finite(done), 0.0]) * 1.1 or 1.0
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'class="chart" role="img" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
        _text(left, 16, title, anchor="start", size=13),
        f'<rect x="{WIDTH - 170}" y="6" width="10" height="10" fill="#bfdbfe"/>',
        _text(WIDTH - 156, 15, "planned", anchor="start", size=10),
        f'<rect x="{WIDTH - 90}" y="6" width="10" height="10" fill="#1d4ed8"/>',
        _text(WIDTH - 76, 15, "done", anchor="start", size=10),
    ]
    for tick in _ticks(0.0, high):
        y = top + (1 - tick / high) * plot_h
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{WIDTH - right}" y2="{y:.1f}" stroke="#e2e8f0"/>'
        )
        parts.append(_text(left - 4, y + 4, y_format(tick), anchor="end", size=10))
    n = max(len(labels), 1)
    slot = plot_w / n
    label_every = max(1, math.ceil(n / 12))
    for i, label in enumerate(labels):
        x0 = left + i * slot
        for offset, values, color in ((0.1, planned, "#bfdbfe"), (0.5, done, "#1d4ed8")):
            value = values[i] if i < len(values) else 0.0
            if value is None or not math.isfinite(value) or value <= 0:
                continue
            h = value / high * plot_h
            parts.append(
                f'<rect x="{x0 + offset * slot:.1f}" y="{top + plot_h - h:.1f}" '
                f'width="{slot * 0.4:.1f}" height="{h:.1f}" fill="{color}">'
                f"<title>{escape(label)}: {escape(y_format(value))}</title></rect>"
            )
        if i % label_every == 0:
            parts.append(_text(x0 + slot / 2, HEIGHT - 10, label, size=10))
    return "".join(parts) + "</svg>"


def range_bar(
    low: float,
    middle: float,
    high: float,
    *,
    title: str,
    value_format: Callable[[float], str] = lambda v: f"{v:g}",
    marks: Sequence[tuple[str, float]] = (),
) -> str:
    """A band from ``low`` to ``high`` with a tick at ``middle`` (e.g. a predicted race time
    and its range), and optional labelled ``marks`` (e.g. the goal time) on the same axis."""
    left, right = MARGIN[0], MARGIN[1]
    height = 78
    values = [v for v in (low, middle, high, *(m for _, m in marks)) if math.isfinite(v)]
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'class="chart band" role="img" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
        _text(left, 16, title, anchor="start", size=13),
    ]
    if len(values) < 3 or not low <= middle <= high:
        parts.append(_text(WIDTH / 2, height / 2, "no prediction"))
        return "".join(parts) + "</svg>"
    lo, hi = min(values), max(values)
    pad = (hi - lo) * 0.15 or 1.0
    lo, hi = lo - pad, hi + pad

    def px(value: float) -> float:
        return left + (value - lo) / (hi - lo) * (WIDTH - left - right)

    y = 40
    parts.append(
        f'<line x1="{left}" y1="{y}" x2="{WIDTH - right}" y2="{y}" stroke="#e2e8f0" '
        'stroke-width="2"/>'
    )
    parts.append(
        f'<rect x="{px(low):.1f}" y="{y - 8}" width="{max(px(high) - px(low), 2):.1f}" '
        f'height="16" rx="4" fill="#bfdbfe"><title>{escape(value_format(low))}–'
        f"{escape(value_format(high))}</title></rect>"
    )
    parts.append(
        f'<line x1="{px(middle):.1f}" y1="{y - 11}" x2="{px(middle):.1f}" y2="{y + 11}" '
        f'stroke="{PALETTE[0]}" stroke-width="3"/>'
    )
    parts.append(_text(px(low), y + 26, value_format(low), size=10))
    parts.append(_text(px(high), y + 26, value_format(high), size=10))
    parts.append(_text(px(middle), y - 14, value_format(middle), size=11))
    for label, value in marks:
        if math.isfinite(value):
            parts.append(
                f'<line x1="{px(value):.1f}" y1="{y - 9}" x2="{px(value):.1f}" y2="{y + 9}" '
                f'stroke="{PALETTE[1]}" stroke-width="2" stroke-dasharray="3 2"/>'
            )
            parts.append(_text(px(value), y + 26, f"{label} {value_format(value)}", size=10))
    return "".join(parts) + "</svg>"


def route_svg(latitude_deg: Sequence[float | None], longitude_deg: Sequence[float | None]) -> str:
    """The route as a line, north up, in an equirectangular projection scaled by cos(lat)
    (accurate to well under 1% over a run's extent); green start, red finish."""
    points = [
        (lat, lon)
        for lat, lon in zip(latitude_deg, longitude_deg, strict=False)
        if lat is not None and lon is not None and math.isfinite(lat) and math.isfinite(lon)
    ]
    size = 320
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" class="route" '
        'role="img" aria-label="route map"><title>route</title>'
    )
    if len(points) < 2:
        return head + _text(size / 2, size / 2, "no GPS track in this run") + "</svg>"
    stride = max(1, math.ceil(len(points) / (MAX_POINTS * 2)))
    points = [*points[::stride], points[-1]]
    mean_lat = math.radians(sum(p[0] for p in points) / len(points))
    xs = [p[1] * math.cos(mean_lat) for p in points]
    ys = [p[0] for p in points]
    span = max(max(xs) - min(xs), max(ys) - min(ys)) or 1e-9
    pad = 16
    scale = (size - 2 * pad) / span
    x_off = pad + ((size - 2 * pad) - (max(xs) - min(xs)) * scale) / 2
    y_off = pad + ((size - 2 * pad) - (max(ys) - min(ys)) * scale) / 2
    coords = [
        (x_off + (x - min(xs)) * scale, size - (y_off + (y - min(ys)) * scale))
        for x, y in zip(xs, ys, strict=True)
    ]
    line = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
    (sx, sy), (ex, ey) = coords[0], coords[-1]
    return (
        head
        + f'<rect width="{size}" height="{size}" fill="#f8fafc"/>'
        + f'<polyline fill="none" stroke="#2563eb" stroke-width="2.5" stroke-linejoin="round" '
        f'points="{line}"/>'
        + f'<circle cx="{sx:.1f}" cy="{sy:.1f}" r="5" fill="#16a34a"><title>start</title></circle>'
        + f'<circle cx="{ex:.1f}" cy="{ey:.1f}" r="5" fill="#dc2626"><title>finish</title></circle>'
        + "</svg>"
    )


def run_charts(columns: Mapping[str, Any], units: DistanceUnit) -> dict[str, str]:
    """A run's charts over distance (or time without distance), and its route.

    ``columns`` maps channel names (:class:`stridelab.activities.model.Samples` fields) to
    NumPy arrays. Pace is a rolling median over :data:`PACE_SMOOTHING_SAMPLES` samples,
    because instantaneous GPS speed is noisy; other channels are drawn as recorded.
    """
    per = metres_per_unit(units)
    distance = columns.get("distance_m")
    times = np.asarray(columns.get("timestamp_s", ()), dtype=np.float64)
    if distance is not None and np.isfinite(distance).any():
        x = np.asarray(distance, dtype=np.float64) / per
        x_label: Callable[[float], str] = lambda v: f"{v:.1f} {units.value}"  # noqa: E731
    else:
        x = (times - (times[0] if times.size else 0.0)) / 60
        x_label = lambda v: f"{v:.0f} min"  # noqa: E731
    charts: dict[str, str] = {}
    speed = columns.get("speed_m_s")
    if speed is not None:
        smooth = _rolling_median(np.asarray(speed, dtype=np.float64), PACE_SMOOTHING_SAMPLES)
        with np.errstate(divide="ignore", invalid="ignore"):
            pace = np.where(smooth > MIN_CHART_SPEED_M_S, per / smooth, np.nan)
        charts["pace"] = line_chart(
            x.tolist(), [Series("pace", pace.tolist(), PALETTE[0])],
            title=f"Pace (per {units.value})", x_format=x_label, y_format=format_duration,
            invert_y=True,
        )  # fmt: skip
    for key, title, color in (
        ("heart_rate_bpm", "Heart rate (bpm)", PALETTE[1]),
        ("cadence_spm", "Cadence (steps/min)", PALETTE[2]),
        ("ground_contact_ms", "Ground contact time (ms)", PALETTE[4]),
    ):
        values = columns.get(key)
        if values is not None:
            charts[key] = line_chart(
                x.tolist(), [Series(title, np.asarray(values).tolist(), color)],
                title=title, x_format=x_label,
            )  # fmt: skip
    lat, lon = columns.get("latitude_deg"), columns.get("longitude_deg")
    charts["route"] = route_svg(
        [] if lat is None else np.asarray(lat).tolist(),
        [] if lon is None else np.asarray(lon).tolist(),
    )
    return charts


def _rolling_median(values: NDArray[np.float64], window: int) -> NDArray[np.float64]:
    if values.size < window:
        return values
    half = window // 2
    padded = np.pad(values, (half, window - 1 - half), mode="edge")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN windows stay NaN
        return np.asarray(
            np.nanmedian(np.lib.stride_tricks.sliding_window_view(padded, window), axis=1),
            dtype=np.float64,
        )
