"""Each request's :class:`~stridelab.store.Database`: opened when a route needs it, closed
after the response (FastAPI caches it per request, so every dependency shares one)."""

from __future__ import annotations

from collections.abc import Iterator

from fastapi import Request

from stridelab.store.database import Database
from stridelab.web.config import WebConfig

__all__ = ["get_database"]


def get_database(request: Request) -> Iterator[Database]:
    """Dependency: one connection to the store for this request."""
    config: WebConfig = request.app.state.config
    with Database.open(config.db_path) as db:
        yield db
