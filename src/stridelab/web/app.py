"""The Coach web app factory.

``create_app(WebConfig(db_path=...))`` gives a FastAPI app: server-rendered pages (Jinja2
+ htmx, SVG charts, no CDN), each with a ``.json`` twin, over the SQLite store. Binding
to anything but loopback without accounts is refused here, not only in the CLI.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Annotated, Final

from fastapi import Depends, FastAPI, Request
from fastapi.responses import Response
from fastapi.staticfiles import StaticFiles
from itsdangerous import URLSafeTimedSerializer

from stridelab.coach.accounts import accounts_exist
from stridelab.coach.jobs import JobRunner
from stridelab.coach.runs import prepare_store
from stridelab.coach.sample import seed_sample_data
from stridelab.errors import AuthError
from stridelab.store.database import Database
from stridelab.web.config import WebConfig, is_loopback, load_or_create_secret
from stridelab.web.database import get_database
from stridelab.web.error_pages import install_error_handlers, security_headers_middleware
from stridelab.web.rendering import render_json
from stridelab.web.routes import ROUTERS
from stridelab.web.security import LoginThrottle, session_middleware, signed_in_account

__all__ = ["STATIC_DIR", "create_app"]

STATIC_DIR: Final = Path(__file__).parent / "static"


def create_app(config: WebConfig) -> FastAPI:
    """Build the app. Raises :class:`AuthError` for a non-loopback host without accounts."""
    config.data_folder.mkdir(parents=True, exist_ok=True)
    with Database.open(config.db_path) as db:
        prepare_store(db)
        accounts_required = accounts_exist(db)
        if not is_loopback(config.host) and not accounts_required:
            raise AuthError(
                f"refusing to serve on {config.host} without accounts: anyone on the network "
                "could read and change your data",
                hint="Create one first with `stridelab account add NAME --role athlete`, "
                "or serve on 127.0.0.1.",
            )
        if config.seed_sample_data:
            seed_sample_data(db, config.data_folder, today=config.today(None))
        runner = JobRunner(db, workers=config.job_workers)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        runner.shutdown()

    app = FastAPI(
        title="stridelab coach",
        summary="Offline running coach: today, plan, runs, drills, trends, settings.",
        version="1",
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        openapi_url=None,  # served below, behind sign-in when accounts exist
    )
    app.state.config = config
    app.state.jobs = runner
    app.state.login_throttle = LoginThrottle()
    app.state.session_serializer = URLSafeTimedSerializer(
        config.secret_key or load_or_create_secret(config.data_folder), salt="stridelab-session"
    )
    app.middleware("http")(session_middleware)
    app.middleware("http")(security_headers_middleware)  # added last: outermost
    install_error_handlers(app)

    @app.get("/openapi.json", include_in_schema=False)
    def openapi(request: Request, db: Annotated[Database, Depends(get_database)]) -> Response:
        """The API schema, for signed-in users once accounts exist."""
        signed_in_account(request, db)
        return render_json(app.openapi())

    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    for router in ROUTERS:
        app.include_router(router)
    return app
