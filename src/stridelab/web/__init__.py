"""stridelab.web: the Coach web app (FastAPI, Jinja2 + htmx, SVG charts, no CDN).

``create_app(WebConfig(db_path=...))`` builds it; ``stridelab serve`` runs it.
"""

from stridelab.web.app import create_app
from stridelab.web.config import WebConfig

__all__ = ["WebConfig", "create_app"]
