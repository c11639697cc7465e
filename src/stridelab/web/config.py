"""Settings of the Coach web app, with units in the names and documented defaults.

| setting | default | meaning |
|---|---|---|
| ``db_path`` | the store's default | SQLite file (``--db`` or ``STRIDELAB_DB``) |
| ``data_dir`` | folder of ``db_path`` | uploads, annotated videos, the session key |
| ``host`` | ``127.0.0.1`` | interface to bind; anything but loopback needs accounts |
| ``max_activity_bytes`` | 512 MiB | largest watch file or export archive |
| ``max_video_bytes`` | 300 MiB | largest drill video |
| ``session_max_age_s`` | 14 days | how long a sign-in lasts |
| ``seed_sample_data`` | ``True`` | first run imports the bundled sample run and plan |
| ``job_workers`` | 2 | background job threads |
| ``compute`` | in-process | where jobs decode and analyse: local processes or a Dask cluster |
| ``today`` | ``clock_today`` | injectable "today" in a zone (tests, demos) |
| ``pose_estimator_factory`` | MediaPipe | pose backend of drill checks (tests: a fake) |
"""

from __future__ import annotations

import ipaddress
import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo
from pathlib import Path
from typing import Any, Final

from stridelab.coach.jobs import DEFAULT_JOB_WORKERS
from stridelab.coach.uploads import DEFAULT_MAX_ACTIVITY_BYTES, DEFAULT_MAX_VIDEO_BYTES
from stridelab.compute import IN_PROCESS, Compute

__all__ = [
    "DEFAULT_HOST",
    "DEFAULT_PORT",
    "DEFAULT_SESSION_MAX_AGE_S",
    "SECRET_FILE_NAME",
    "WebConfig",
    "is_loopback",
    "load_or_create_secret",
]

DEFAULT_HOST: Final = "127.0.0.1"
DEFAULT_PORT: Final = 8000
DEFAULT_SESSION_MAX_AGE_S: Final = 14 * 24 * 3600
SECRET_FILE_NAME: Final = "web-session.key"
SECRET_ENV: Final = "STRIDELAB_SECRET_KEY"


def is_loopback(host: str) -> bool:
    """Whether ``host`` only accepts connections from this machine."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def load_or_create_secret(data_dir: Path) -> str:
    """The key that signs session cookies: ``STRIDELAB_SECRET_KEY``, or a random key kept
    in ``<data_dir>/web-session.key`` (mode 0600) so sign-ins survive a restart."""
    from_env = os.environ.get(SECRET_ENV)
    if from_env:
        return from_env
    path = data_dir / SECRET_FILE_NAME
    if path.is_file():
        return path.read_text(encoding="ascii").strip()
    data_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as out:
        out.write(key)
    return key


def clock_today(zone: tzinfo | None) -> date:
    """The calendar day now in ``zone`` (``None``: this computer's): the web edge's clock."""
    return datetime.now(zone).date()


@dataclass(frozen=True)
class WebConfig:
    """Everything :func:`stridelab.web.create_app` needs."""

    db_path: Path
    data_dir: Path | None = None
    host: str = DEFAULT_HOST
    max_activity_bytes: int = DEFAULT_MAX_ACTIVITY_BYTES
    max_video_bytes: int = DEFAULT_MAX_VIDEO_BYTES
    session_max_age_s: int = DEFAULT_SESSION_MAX_AGE_S
    seed_sample_data: bool = True
    job_workers: int = DEFAULT_JOB_WORKERS
    #: Where background jobs (archive imports, drill checks) run (``serve --scheduler``).
    compute: Compute = IN_PROCESS
    secret_key: str | None = None
    #: Today in a time zone (``None``: this computer's); the runner's zone is passed in.
    today: Callable[[tzinfo | None], date] = field(default=clock_today)
    #: Pose backend for drill checks (``None``: MediaPipe); tests pass a fake.
    pose_estimator_factory: Callable[[], Any] | None = None

    @property
    def data_folder(self) -> Path:
        """Where uploads and derived files live (never outside it)."""
        return (self.data_dir or self.db_path.parent).resolve()
