"""The decoded shapes: :class:`FitMessages` (columns of one message kind) and friends."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from stridelab.activities.readers.fit_profile import BaseType

__all__ = [
    "Column",
    "DevKey",
    "DeveloperField",
    "FitField",
    "FitMessages",
    "RawTable",
    "widen",
]

#: A column's key while raw: a field number, or (developer data index, field number).
DevKey = tuple[int, int]
Column = npt.NDArray[Any]


@dataclass(frozen=True)
class FitField:
    """What a column of a :class:`FitMessages` is: its profile name, number and units."""

    name: str
    number: int
    units: str
    type: str
    developer_index: int | None = None


@dataclass(frozen=True)
class DeveloperField:
    """A developer (Connect IQ) field as declared by a ``field_description`` message."""

    developer_index: int
    number: int
    name: str
    units: str
    base_type: int
    scale: float
    offset: float


class FitMessages:
    """All messages of one kind as columns: ``fit.messages["record"]["heart_rate"]``.

    Numbers are float64 arrays (scale and offset applied, NaN where invalid or absent);
    ``date_time`` fields are POSIX seconds (UTC); enum fields are object arrays of names
    (the raw number where the profile has no name); strings are objects (None when empty);
    array fields are 2-D. Developer fields appear under their declared names.
    """

    def __init__(
        self,
        name: str,
        number: int,
        rows: int,
        columns: dict[str, Column],
        fields: dict[str, FitField],
    ) -> None:
        self.name = name
        self.number = number
        self.rows = rows
        self.columns = columns
        self.fields = fields

    def __getitem__(self, name: str) -> Column:
        return self.columns[name]

    def __contains__(self, name: object) -> bool:
        return name in self.columns

    def __iter__(self) -> Iterator[str]:
        return iter(self.columns)

    def __len__(self) -> int:
        return self.rows

    def get(self, name: str) -> Column | None:
        """The column, or None when no message of this kind carries the field."""
        return self.columns.get(name)

    def keys(self) -> list[str]:
        return list(self.columns)

    def row(self, index: int) -> dict[str, Any]:
        """One message as a dict of its valid values (NaN and None left out)."""
        out: dict[str, Any] = {}
        for name, column in self.columns.items():
            value = column[index]
            if value is None or (isinstance(value, float) and value != value):
                continue
            out[name] = value.tolist() if isinstance(value, np.ndarray) else value
        return out

    def __repr__(self) -> str:
        return f"FitMessages({self.name!r}, rows={self.rows}, columns={len(self.columns)})"


@dataclass(eq=False)
class RawTable:
    """Raw columns of one global message (field number or developer key → column)."""

    positions: npt.NDArray[np.int64]
    columns: dict[int | DevKey, Column]
    base_types: dict[int | DevKey, BaseType]


def widen(a: Column, b: Column) -> tuple[Column, Column]:
    """Two numeric columns padded with NaN to the same 2-D width."""
    width = max(a.shape[1] if a.ndim == 2 else 1, b.shape[1] if b.ndim == 2 else 1)
    out = []
    for c in (a, b):
        c2 = c.reshape(len(c), -1)
        padded = np.full((len(c), width), np.nan)
        padded[:, : c2.shape[1]] = c2
        out.append(padded)
    return out[0], out[1]
