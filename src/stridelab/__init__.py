"""stridelab: an offline, private, science-honest running coach."""

from __future__ import annotations

from stridelab.errors import StridelabError

__version__ = "0.1.0"

__all__ = [
    "StridelabError",
    "__version__",
]
