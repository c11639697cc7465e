"""The SQLite store: activities, their sessions, laps and samples, with migrations.

Open it with :func:`open_store` (``--db`` / ``STRIDELAB_DB`` / the user data dir): a
:class:`Database`, the one connection layer the coach uses too; fill it with
:func:`import_paths` (decoding on the compute seam, one writer), read it with
:func:`list_activities`, :func:`get_activity`, :func:`load_samples` and
:func:`weekly_trends`.
"""

from stridelab.store.database import (
    DB_ENV_VAR,
    STORE_MIGRATIONS,
    Database,
    default_db_path,
    open_store,
    resolve_db_path,
)
from stridelab.store.importer import import_paths
from stridelab.store.migrations import Migration, Migrations
from stridelab.store.repository import (
    ImportOutcome,
    ImportResult,
    ImportSummary,
    StoredActivity,
    delete_activity,
    get_activity,
    iter_sources,
    list_activities,
    load_samples,
)
from stridelab.store.trends import Trends, WeekTrend, weekly_trends

__all__ = [
    "DB_ENV_VAR",
    "STORE_MIGRATIONS",
    "Database",
    "ImportOutcome",
    "ImportResult",
    "ImportSummary",
    "Migration",
    "Migrations",
    "StoredActivity",
    "Trends",
    "WeekTrend",
    "default_db_path",
    "delete_activity",
    "get_activity",
    "import_paths",
    "iter_sources",
    "list_activities",
    "load_samples",
    "open_store",
    "resolve_db_path",
    "weekly_trends",
]
