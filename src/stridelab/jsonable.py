"""The one NaN-to-JSON cleaner every JSON edge (CLI ``--json``, web ``.json`` routes, stored
reports) uses: JSON has no NaN or infinity, and ``json.dumps`` knows no dates or NumPy."""

from __future__ import annotations

import math
from datetime import date, datetime
from typing import Any

__all__ = ["json_safe"]


def json_safe(value: Any) -> Any:
    """``value`` made JSON-safe, recursively: NaN/inf → ``None``, NumPy scalars → Python,
    dates → ISO text, tuples → lists, mapping keys → text."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_safe(v) for v in value]
    if isinstance(value, datetime | date):
        return value.isoformat()
    if hasattr(value, "item") and callable(value.item):  # a NumPy scalar
        return json_safe(value.item())
    return value
