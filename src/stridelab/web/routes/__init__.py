"""The app's routers, one module per page (each HTML page has a ``.json`` twin)."""

from __future__ import annotations

from typing import Final

from fastapi import APIRouter

from stridelab.web.routes.account import router as account_router
from stridelab.web.routes.drills import router as drills_router
from stridelab.web.routes.fitness import router as fitness_router
from stridelab.web.routes.jobs import router as jobs_router
from stridelab.web.routes.plan import router as plan_router
from stridelab.web.routes.runs import router as runs_router
from stridelab.web.routes.settings import router as settings_router
from stridelab.web.routes.today import router as today_router
from stridelab.web.routes.trends import router as trends_router

__all__ = ["ROUTERS"]

ROUTERS: Final[tuple[APIRouter, ...]] = (
    today_router,
    plan_router,
    runs_router,
    drills_router,
    trends_router,
    fitness_router,
    settings_router,
    jobs_router,
    account_router,
)
