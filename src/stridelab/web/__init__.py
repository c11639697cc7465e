"""stridelab.web: the Coach web app (FastAPI, Jinja2 + htmx, SVG charts, no CDN).

``create_app(WebConfig(db_path=...))`` builds it; ``stridelab serve`` runs it. Names load on
first use (PEP 562), so the CLI can read :mod:`stridelab.web.config` defaults without
importing FastAPI.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from stridelab.web.app import create_app
    from stridelab.web.config import WebConfig

_LAZY: dict[str, str] = {"create_app": "app", "WebConfig": "config"}

__all__ = ["WebConfig", "create_app"]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        from stridelab.extras import needs

        with needs("The web app"):
            return getattr(importlib.import_module(f"stridelab.web.{_LAZY[name]}"), name)
    raise AttributeError(f"module 'stridelab.web' has no attribute {name!r}")
