"""The SQLite store: activities, their sessions, laps and samples, with migrations.

Open it with :func:`open_store` (``--db`` / ``STRIDELAB_DB`` / the user data dir): a
:class:`Database`, the one connection layer the coach uses too; fill it with
:func:`import_paths` (decoding on the compute seam, one writer), read it with
:func:`list_activities`, :func:`get_activity`, :func:`load_samples` and
:func:`weekly_trends`.

Names load on first use (as in :mod:`stridelab`): opening a database
(``stridelab.store.database``) does not import the importer, the FIT readers and NumPy.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
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

#: Public name → the module that defines it.
_MODULES: dict[str, str] = {
    "DB_ENV_VAR": "stridelab.store.database",
    "Database": "stridelab.store.database",
    "ImportOutcome": "stridelab.store.repository",
    "ImportResult": "stridelab.store.repository",
    "ImportSummary": "stridelab.store.repository",
    "Migration": "stridelab.store.migrations",
    "Migrations": "stridelab.store.migrations",
    "STORE_MIGRATIONS": "stridelab.store.database",
    "StoredActivity": "stridelab.store.repository",
    "Trends": "stridelab.store.trends",
    "WeekTrend": "stridelab.store.trends",
    "default_db_path": "stridelab.store.database",
    "delete_activity": "stridelab.store.repository",
    "get_activity": "stridelab.store.repository",
    "import_paths": "stridelab.store.importer",
    "iter_sources": "stridelab.store.repository",
    "list_activities": "stridelab.store.repository",
    "load_samples": "stridelab.store.repository",
    "open_store": "stridelab.store.database",
    "resolve_db_path": "stridelab.store.database",
    "weekly_trends": "stridelab.store.trends",
}

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


def __getattr__(name: str) -> Any:
    module = _MODULES.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
