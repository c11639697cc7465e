"""Rendering: one Jinja2 environment (autoescape always on) and the HTML/JSON twin helpers.

Every page is built as a JSON-ready dict by a library call; the HTML route renders it
with a template and the ``.json`` route returns the same dict. Names and notes that came
from files or people are therefore escaped by Jinja everywhere, and never marked safe.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any, Final

import jinja2
from fastapi import Request
from fastapi.responses import HTMLResponse, JSONResponse
from markupsafe import Markup

from stridelab.jsonable import json_safe
from stridelab.units import (
    DistanceUnit,
    format_distance,
    format_duration,
    format_pace,
    metres_per_unit,
)

__all__ = ["TEMPLATES_DIR", "clean_json", "environment", "render", "render_json"]

TEMPLATES_DIR: Final = Path(__file__).parent / "templates"


clean_json = json_safe  # the web edge's name for the one cleaner


def _units(value: Any) -> DistanceUnit:
    return value if isinstance(value, DistanceUnit) else DistanceUnit(str(value or "km"))


def _distance(value: Any, units: Any = "km") -> str:
    if value is None:
        return "–"
    return format_distance(float(value), _units(units))


def _in_units(value: Any, units: Any = "km") -> float:
    """Metres as a number of km or mi (for form fields; :func:`_distance` adds the unit)."""
    return float(value) / metres_per_unit(_units(units))


def _duration(value: Any) -> str:
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "–"
    return format_duration(float(value))


def _pace(value: Any, units: Any = "km") -> str:
    if value is None or not math.isfinite(float(value)) or float(value) <= 0:
        return "–"
    return format_pace(float(value), _units(units))


def _pace_range(value: Any, units: Any = "km") -> str:
    """``[fast, slow]`` s/km as ``"4:40–4:52/km"`` (one unit label for the pair)."""
    if not value or len(value) != 2:
        return "–"
    fast, slow = (_pace(v, units) for v in value)
    return f"{fast.rsplit('/', 1)[0]}–{slow}"


def _number(value: Any, digits: int = 0) -> str:
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "–"
    return f"{float(value):.{digits}f}"


def _pretty(value: Any) -> str:
    """A measurement as text: mappings as ``key value`` pairs, lists joined, floats rounded."""
    if isinstance(value, dict):
        return ", ".join(f"{k} {_pretty(v)}" for k, v in value.items())
    if isinstance(value, list | tuple):
        return "; ".join(_pretty(v) for v in value)
    if isinstance(value, float):
        return f"{value:.3g}" if abs(value) < 100 else f"{value:.0f}"
    return "–" if value is None else str(value)


def _svg(value: Any) -> Markup:
    """Charts are SVG built by :mod:`stridelab.web.charts`, which escapes every text node."""
    return Markup(str(value)) if value else Markup("")


def environment() -> jinja2.Environment:
    """The one template environment: autoescape on for everything."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        distance=_distance,
        in_units=_in_units,
        duration=_duration,
        pace=_pace,
        pace_range=_pace_range,
        number=_number,
        pretty=_pretty,
        svg=_svg,
    )
    return env


_ENV: Final = environment()


def render(
    request: Request,
    template: str,
    data: dict[str, Any],
    *,
    ctx: Any = None,
    status_code: int = 200,
) -> HTMLResponse:
    """Render ``template`` with the page's ``data`` (the same dict as its ``.json`` twin)."""
    session = getattr(request.state, "session", None)
    html = _ENV.get_template(template).render(
        request=request,
        data=data,
        ctx=ctx,
        csrf_token=session.csrf if session is not None else "",
        units=ctx.profile.units.value if ctx is not None else "km",
        path=request.url.path,
    )
    return HTMLResponse(html, status_code=status_code)


def render_json(data: dict[str, Any], status_code: int = 200) -> JSONResponse:
    """The ``.json`` twin of a page."""
    return JSONResponse(clean_json(data), status_code=status_code)
