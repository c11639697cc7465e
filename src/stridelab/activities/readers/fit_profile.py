"""FIT base types, the CRC, and a compiled view of the official Garmin FIT profile.

Message and field definitions (names, units, scales, offsets, components, sub-fields,
enum names) come from ``garmin_fit_sdk.Profile``; nothing of the profile is retyped
here. :func:`message_profile` compiles one message's entry into small frozen
dataclasses once and caches it, so the decoder's hot path never touches the SDK dicts.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

import numpy as np
import numpy.typing as npt
from garmin_fit_sdk import Profile

__all__ = [
    "BASE_TYPES",
    "FIT_EPOCH_POSIX_S",
    "NUMERIC_TYPES",
    "BaseType",
    "FieldProfile",
    "MessageProfile",
    "SubFieldProfile",
    "crc16",
    "enum_names",
    "message_number",
    "message_profile",
]

#: POSIX time of the FIT epoch, 1989-12-31T00:00:00Z.
FIT_EPOCH_POSIX_S: Final = 631_065_600
#: Profile field types that are plain numbers (scale and offset apply to these only).
NUMERIC_TYPES: Final = frozenset(
    [
        "sint8",
        "uint8",
        "sint16",
        "uint16",
        "sint32",
        "uint32",
        "float32",
        "float64",
        "uint8z",
        "uint16z",
        "uint32z",
        "byte",
        "sint64",
        "uint64",
        "uint64z",
    ]
)


@dataclass(frozen=True)
class BaseType:
    """One FIT base type: its NumPy kind (without byte order), size and invalid bit pattern."""

    number: int
    name: str
    kind: str
    size: int
    invalid: int

    def dtype(self, big_endian: bool) -> np.dtype[Any]:
        """The NumPy dtype of one element in the given byte order."""
        return np.dtype(("<", ">")[big_endian] + self.kind)

    @property
    def is_float(self) -> bool:
        return self.kind in ("f4", "f8")

    @property
    def raw_kind(self) -> str:
        """Integer kind with the same bytes (floats compare their invalid pattern as ints)."""
        return {"f4": "u4", "f8": "u8"}.get(self.kind, self.kind)


#: The 17 FIT base types by number (the low five bits of a field definition's base type).
BASE_TYPES: Final[Mapping[int, BaseType]] = {
    t.number: t
    for t in (
        BaseType(0x00, "enum", "u1", 1, 0xFF),
        BaseType(0x01, "sint8", "i1", 1, 0x7F),
        BaseType(0x02, "uint8", "u1", 1, 0xFF),
        BaseType(0x03, "sint16", "i2", 2, 0x7FFF),
        BaseType(0x04, "uint16", "u2", 2, 0xFFFF),
        BaseType(0x05, "sint32", "i4", 4, 0x7FFF_FFFF),
        BaseType(0x06, "uint32", "u4", 4, 0xFFFF_FFFF),
        BaseType(0x07, "string", "u1", 1, 0x00),
        BaseType(0x08, "float32", "f4", 4, 0xFFFF_FFFF),
        BaseType(0x09, "float64", "f8", 8, 0xFFFF_FFFF_FFFF_FFFF),
        BaseType(0x0A, "uint8z", "u1", 1, 0x00),
        BaseType(0x0B, "uint16z", "u2", 2, 0x0000),
        BaseType(0x0C, "uint32z", "u4", 4, 0x0000_0000),
        BaseType(0x0D, "byte", "u1", 1, 0xFF),
        BaseType(0x0E, "sint64", "i8", 8, 0x7FFF_FFFF_FFFF_FFFF),
        BaseType(0x0F, "uint64", "u8", 8, 0xFFFF_FFFF_FFFF_FFFF),
        BaseType(0x10, "uint64z", "u8", 8, 0x0000_0000_0000_0000),
    )
}
BASE_TYPE_BY_NAME: Final[Mapping[str, BaseType]] = {t.name: t for t in BASE_TYPES.values()}


@dataclass(frozen=True)
class SubFieldProfile:
    """A field's alternative meaning, selected by the raw value of another field."""

    name: str
    type: str
    scale: float
    offset: float
    units: str
    has_scale: bool
    #: (reference field number, raw value) pairs; any match selects this sub-field.
    selectors: tuple[tuple[int, int], ...]
    components: tuple[int, ...]
    bits: tuple[int, ...]
    comp_scales: tuple[float, ...]
    comp_offsets: tuple[float, ...]


@dataclass(frozen=True)
class FieldProfile:
    """One profile field of a message."""

    number: int
    name: str
    type: str
    base_type: str
    scale: float
    offset: float
    #: False where the profile lists several scales (the SDK leaves such fields raw).
    has_scale: bool
    units: str
    accumulate: bool
    components: tuple[int, ...]
    bits: tuple[int, ...]
    comp_scales: tuple[float, ...]
    comp_offsets: tuple[float, ...]
    sub_fields: tuple[SubFieldProfile, ...]


@dataclass(frozen=True)
class MessageProfile:
    """One global message of the profile (or a placeholder for an unknown number)."""

    number: int
    name: str
    fields: Mapping[int, FieldProfile]


def _units(value: object) -> str:
    if isinstance(value, list):
        return str(value[0]) if value else ""
    return str(value or "")


def _compile_field(raw: Mapping[str, Any]) -> FieldProfile:
    scales = [float(s) for s in raw["scale"]] or [1.0]
    offsets = [float(o) for o in raw["offset"]] or [0.0]
    subs: list[SubFieldProfile] = []
    name_to_num = {}
    for sub in raw["sub_fields"]:
        sub_scales = [float(s) for s in sub["scale"]] or [1.0]
        sub_offsets = [float(o) for o in sub["offset"]] or [0.0]
        for item in sub["map"]:
            name_to_num[item["name"]] = item["num"]
        subs.append(
            SubFieldProfile(
                name=sub["name"],
                type=sub["type"],
                scale=sub_scales[0],
                offset=sub_offsets[0],
                units=_units(sub["units"]),
                has_scale=len(sub_scales) == 1,
                selectors=tuple((int(m["num"]), int(m["raw_value"])) for m in sub["map"]),
                components=tuple(int(c) for c in sub["components"]),
                bits=tuple(int(b) for b in sub["bits"]),
                comp_scales=tuple(sub_scales) if sub["components"] else (),
                comp_offsets=tuple(sub_offsets) if sub["components"] else (),
            )
        )
    return FieldProfile(
        number=int(raw["num"]),
        name=str(raw["name"]),
        type=str(raw["type"]),
        base_type=str(raw["base_type"]),
        scale=scales[0],
        offset=offsets[0],
        has_scale=len(scales) == 1,
        units=_units(raw["units"]),
        accumulate=bool(raw["is_accumulated"]),
        components=tuple(int(c) for c in raw["components"]),
        bits=tuple(int(b) for b in raw["bits"]),
        comp_scales=tuple(scales) if raw["components"] else (),
        comp_offsets=tuple(offsets) if raw["components"] else (),
        sub_fields=tuple(subs),
    )


@functools.cache
def message_profile(number: int) -> MessageProfile:
    """The compiled profile of global message ``number`` (unknown ones are named ``unknown_N``)."""
    raw = Profile["messages"].get(number)
    if raw is None:
        return MessageProfile(number, f"unknown_{number}", {})
    fields = {int(num): _compile_field(f) for num, f in raw["fields"].items()}
    return MessageProfile(number, str(raw["name"]), fields)


@functools.cache
def message_number(name: str) -> int:
    """Global message number of a profile message name (``"record"`` → 20)."""
    for number, raw in Profile["messages"].items():
        if raw["name"] == name:
            return int(number)
    raise KeyError(name)


def enum_names(type_name: str) -> Mapping[int, str] | None:
    """Value → name of a profile type (``"sport"``: 1 → ``"running"``), or None."""
    names: Mapping[int, str] | None = Profile["types"].get(type_name)
    return names


def _crc_word_table() -> npt.NDArray[np.uint32]:
    """CRC-16/ARC (the FIT CRC, reflected poly 0xA001) advanced by one little-endian word."""
    byte_table = np.zeros(256, dtype=np.uint32)
    for i in range(256):
        crc = i
        for _ in range(8):
            crc = (crc >> 1) ^ 0xA001 if crc & 1 else crc >> 1
        byte_table[i] = crc
    y = np.arange(65536, dtype=np.uint32)
    first = byte_table[y & 0xFF]
    word: npt.NDArray[np.uint32] = (first >> 8) ^ byte_table[((y >> 8) ^ first) & 0xFF]
    return word


_CRC_WORD: Final = _crc_word_table()
#: Bytes per lane: the data is cut into lanes that are run through the table side by side.
_CRC_LANE: Final = 256


def _advance_tables() -> tuple[list[int], list[int]]:
    """The CRC state after one lane of zero bytes, as tables for its low and high byte."""
    low = np.arange(256, dtype=np.uint32)
    high = low << 8
    for _ in range(_CRC_LANE // 2):
        low, high = _CRC_WORD[low], _CRC_WORD[high]
    return [int(v) for v in low], [int(v) for v in high]


_ADVANCE_LOW, _ADVANCE_HIGH = _advance_tables()
#: The FIT CRC polynomial (x+1)(x^15+x+1) gives x an order of 32767, so a byte's share
#: of the CRC depends on its distance from the end only modulo 32767 bytes.
_CRC_PERIOD: Final = 32767


def crc16(data: npt.NDArray[np.uint8]) -> int:
    """The FIT CRC-16 of ``data``, fast for megabytes.

    The CRC (init 0, no final xor) is linear over GF(2) and periodic in a byte's distance
    from the end with period 32767, so the bytes are first folded into one 32767-byte
    block by XOR (leading zeros do not change it). The block is cut into 256-byte lanes
    run through a 65536-entry word table side by side, and the lane CRCs are combined
    with ``crc(a + b) = advance(crc(a), len(b)) ^ crc(b)``.
    """
    n = int(data.shape[0])
    if n > 2 * _CRC_PERIOD:
        rows = -(-n // _CRC_PERIOD)
        padded = np.zeros(rows * _CRC_PERIOD, dtype=np.uint8)
        padded[rows * _CRC_PERIOD - n :] = data
        data = np.bitwise_xor.reduce(padded.reshape(rows, _CRC_PERIOD), axis=0)
        n = _CRC_PERIOD
    if n <= _CRC_LANE:  # a header: one lane, word by word
        padded = np.zeros(n + n % 2, dtype=np.uint8)
        padded[n % 2 :] = data
        crc = 0
        table = _CRC_WORD
        for word in padded.view("<u2").tolist():
            crc = int(table[crc ^ word])
        return crc
    lanes = -(-n // _CRC_LANE)
    padded = np.zeros(lanes * _CRC_LANE, dtype=np.uint8)
    padded[lanes * _CRC_LANE - n :] = data
    words = np.ascontiguousarray(padded.view("<u2").reshape(lanes, _CRC_LANE // 2).T)
    state = np.zeros(lanes, dtype=np.uint32)
    for column in words:
        state = _CRC_WORD[state ^ column]
    crc = 0
    low, high = _ADVANCE_LOW, _ADVANCE_HIGH
    for lane in state.tolist():
        crc = low[crc & 0xFF] ^ high[crc >> 8] ^ lane
    return crc
