"""Optional parts of stridelab and the extra that installs each.

The core (plans, paces, watch-file analysis, the store, trends) needs only the base
dependencies. Three parts are extras, named for what they add::

    web      the coach web app and accounts: FastAPI, Uvicorn, Jinja2, Argon2 …
    video    the drill check from video: OpenCV and the pose runtime
    cluster  imports, dataset builds and web jobs on a Dask cluster
    dataset  the Parquet research dataset (``stridelab dataset build``): pyarrow
    all      all four (the pipx install for a laptop)

An import of an optional part goes through :func:`needs`, which turns the
``ModuleNotFoundError`` of a missing extra into one :class:`MissingExtraError`
line naming the extra to install; :func:`require` checks up front, before work
that would otherwise fail half-way (seeding a store, then serving it).
"""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from typing import Final

from stridelab.errors import MissingExtraError

__all__ = ["EXTRA_MODULES", "Extra", "missing_modules", "needs", "require"]


class Extra(StrEnum):
    """An optional part, by the name of its extra in ``pyproject.toml``."""

    WEB = "web"
    VIDEO = "video"
    CLUSTER = "cluster"
    DATASET = "dataset"


#: Top-level modules stridelab imports from each extra's packages (tests keep this in
#: step with the extras declared in ``pyproject.toml``).
EXTRA_MODULES: Final[dict[Extra, tuple[str, ...]]] = {
    Extra.WEB: (
        "fastapi",
        "starlette",
        "uvicorn",
        "jinja2",
        "multipart",
        "python_multipart",
        "argon2",
        "itsdangerous",
    ),
    Extra.VIDEO: ("cv2", "mediapipe"),
    Extra.CLUSTER: ("dask", "distributed"),
    Extra.DATASET: ("pyarrow",),
}

_EXTRA_OF: Final[dict[str, Extra]] = {
    module: extra for extra, modules in EXTRA_MODULES.items() for module in modules
}


def install_command(extra: Extra) -> str:
    """The one command that adds ``extra`` to a pip install of stridelab."""
    return f"pip install 'stridelab[{extra.value}]'"


def _error(what: str, extra: Extra, module: str) -> MissingExtraError:
    return MissingExtraError(
        f"{what} needs the '{extra.value}' extra ({module} is not installed)",
        extra=extra.value,
        hint=f"Run: {install_command(extra)} (or pipx install 'stridelab[all]').",
    )


def missing_modules(extra: Extra) -> tuple[str, ...]:
    """The modules of ``extra`` that cannot be imported here, without importing any."""
    return tuple(m for m in EXTRA_MODULES[extra] if importlib.util.find_spec(m) is None)


def require(extra: Extra, what: str, modules: tuple[str, ...] | None = None) -> None:
    """Raise :class:`MissingExtraError` unless ``extra`` (or its ``modules``) is installed."""
    for module in modules if modules is not None else EXTRA_MODULES[extra]:
        if importlib.util.find_spec(module) is None:
            raise _error(what, extra, module)


@contextmanager
def needs(what: str) -> Iterator[None]:
    """Imports inside this block that fail for a missing extra raise :class:`MissingExtraError`.

    ``what`` names the part for the message: ``with needs("The drill check"): import …``.
    A missing module that belongs to no extra is a broken install: it propagates.
    """
    try:
        yield
    except ModuleNotFoundError as exc:
        module = (exc.name or "").partition(".")[0]
        extra = _EXTRA_OF.get(module)
        if extra is None:
            raise
        raise _error(what, extra, module) from exc
