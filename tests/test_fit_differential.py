"""Differential test: our vectorised FIT decoder against ``garmin_fit_sdk.Decoder`` (the oracle).

For every FIT file under ``../shared/data/activities/fit`` the SDK decodes the file the
slow, per-field way and we assert that our columns hold the same values, message by
message and field by field (floats to 1e-9 relative). Justified differences, each
asserted rather than skipped:

* the SDK cannot decode compressed timestamp headers and stops there with an error; we
  compare the messages it did decode (a prefix) and check the rest against fitdecode;
* an invalid developer-field value is NaN here, the raw sentinel (e.g. 65535) there;
* ``merge_heart_rates`` is off in the oracle (it rewrites records from ``hr`` messages);
* the SDK ignores a ``field_description`` whose ``developer_data_id`` is missing; we
  keep it (so we may have developer columns the SDK lacks, never the reverse).
"""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path
from typing import Any

import fitdecode
import numpy as np
import pytest
from garmin_fit_sdk import Decoder, Stream

from stridelab.activities.readers.fit import BadRecord, FitFile, decode_fit
from stridelab.activities.readers.fit_profile import BASE_TYPES

REL_TOL = 1e-9


def _fit_files(root: Path) -> list[Path]:
    return sorted((root / "fit").rglob("*.fit"))


def sdk_decode(path: Path) -> tuple[dict[str, list[dict[Any, Any]]], list[Exception]]:
    """The oracle: the official SDK with heart-rate merging off."""
    decoder = Decoder(Stream.from_byte_array(bytearray(path.read_bytes())))
    messages, errors = decoder.read(merge_heart_rates=False)
    return messages, errors


def _same(ours: Any, theirs: Any) -> bool:
    if isinstance(ours, np.ndarray):
        ours = ours.tolist()
    if theirs is None:
        if isinstance(ours, list):
            return all(_same(v, None) for v in ours)
        return ours is None or (isinstance(ours, float) and math.isnan(ours))
    if isinstance(theirs, dt.datetime):
        return isinstance(ours, float) and ours == theirs.timestamp()
    if isinstance(theirs, list | tuple):
        values = list(ours) if isinstance(ours, np.ndarray | list | tuple) else [ours]
        values = values[: len(theirs)]
        extra = list(ours)[len(theirs) :] if isinstance(ours, np.ndarray | list) else []
        return (
            len(values) == len(theirs)
            and all(_same(a, b) for a, b in zip(values, theirs, strict=True))
            and all(_same(a, None) for a in extra)
        )
    if isinstance(ours, list):
        # a 2-D column whose other rows are wider: this row has one value and NaN padding
        return bool(ours) and _same(ours[0], theirs) and all(_same(v, None) for v in ours[1:])
    if isinstance(theirs, str) or isinstance(ours, str):
        return ours == theirs
    if isinstance(theirs, float) and math.isnan(theirs):
        return isinstance(ours, float) and math.isnan(ours)
    return isinstance(ours, float | int) and math.isclose(
        ours, theirs, rel_tol=REL_TOL, abs_tol=1e-12
    )


def compare(fit: FitFile, oracle: dict[str, list[dict[Any, Any]]], *, prefix: bool) -> list[str]:
    """Every difference between our columns and the SDK's messages (empty when equal)."""
    problems: list[str] = []
    descriptions = oracle.get("field_description_mesgs", [])
    for key, rows in oracle.items():
        name = key[: -len("_mesgs")] if key.endswith("_mesgs") else f"unknown_{key}"
        if name in ("field_description", "developer_data_id") or not rows:
            continue
        table = fit.get(name)
        if table is None:
            problems.append(f"{name}: missing ({len(rows)} in the SDK)")
            continue
        if len(rows) != len(table) and not (prefix and len(rows) <= len(table)):
            problems.append(f"{name}: {len(table)} messages, SDK {len(rows)}")
            continue
        for i, row in enumerate(rows):
            seen = set()
            for field, value in row.items():
                if field == "developer_fields":
                    for dev_key, dev_value in value.items():
                        desc = descriptions[dev_key]
                        col = _dev_column(table, desc)
                        if col is None:
                            problems.append(
                                f"{name}[{i}] developer {desc.get('field_name')}: missing"
                            )
                            continue
                        seen.add(col)
                        expected = _scrub_dev(dev_value, desc)
                        if not _same(table[col][i], expected):
                            problems.append(f"{name}[{i}].{col}: {table[col][i]!r} != {expected!r}")
                    continue
                col = field if isinstance(field, str) else f"unknown_{field}"
                seen.add(col)
                if col not in table:
                    problems.append(f"{name}[{i}].{col}: missing (SDK {value!r})")
                    continue
                ours = table[col][i]
                if not _same(ours, value):
                    problems.append(f"{name}[{i}].{col}: {ours!r} != {value!r}")
            for col in table:
                if col in seen or table.fields[col].developer_index is not None:
                    continue
                if not _same(table[col][i], None):
                    problems.append(f"{name}[{i}].{col}: {table[col][i]!r}, SDK has none")
            if len(problems) > 20:
                return problems
    return problems


def _dev_column(table: Any, desc: dict[str, Any]) -> str | None:
    for col, field in table.fields.items():
        if (field.developer_index, field.number) == (
            desc.get("developer_data_index"),
            desc.get("field_definition_number"),
        ):
            return str(col)
    return None


def _scrub_dev(value: Any, desc: dict[str, Any]) -> Any:
    """The SDK keeps invalid developer values raw; we hold NaN (see the module docstring)."""
    base = desc.get("fit_base_type_id")  # raw: the SDK does not apply the profile here
    code = base & 0x1F if isinstance(base, int) else None
    if code not in BASE_TYPES or isinstance(value, str):
        return value
    invalid = BASE_TYPES[code].invalid
    if isinstance(value, list | tuple):
        return [None if v == invalid else v for v in value]
    return None if value == invalid else value


@pytest.fixture(scope="module")
def fit_files(shared_activities: Path) -> list[Path]:
    files = _fit_files(shared_activities)
    if not files:
        pytest.skip("no FIT files in ../shared/data/activities/fit")
    return files


#: Shared FIT files (32 today): the loops below must have compared this many, so a moved
#: folder or a filter gone wrong cannot pass by comparing nothing.
MIN_SMALL_FILES = 25
MIN_LARGE_FILES = 2


def test_every_shared_fit_file_matches_the_sdk(fit_files: list[Path]) -> None:
    failures = {}
    checked = 0
    for path in fit_files:
        if path.stat().st_size > 1_500_000:
            continue  # the SDK takes ~10 s per MB; the big files run in test_large_files below
        checked += 1
        oracle, errors = sdk_decode(path)
        ours = decode_fit(path, bad_record=BadRecord.IGNORE)
        problems = compare(ours, oracle, prefix=bool(errors))
        if problems:
            failures[path.name] = problems[:5]
    assert not failures, failures
    assert checked >= MIN_SMALL_FILES, checked


@pytest.mark.slow
def test_large_shared_files_match_the_sdk(fit_files: list[Path]) -> None:
    """The files over 1.5 MB (the SDK needs ~10 s each)."""
    failures = {}
    checked = 0
    for path in fit_files:
        if path.stat().st_size <= 1_500_000:
            continue
        checked += 1
        oracle, errors = sdk_decode(path)
        problems = compare(decode_fit(path), oracle, prefix=bool(errors))
        if problems:
            failures[path.name] = problems[:5]
    assert not failures, failures
    assert checked >= MIN_LARGE_FILES, checked


def test_compressed_timestamp_files_match_fitdecode(fit_files: list[Path]) -> None:
    """Where the SDK stops (compressed timestamp headers), fitdecode is the oracle for records."""
    checked = 0
    for path in fit_files:
        _, errors = sdk_decode(path) if path.stat().st_size < 50_000 else ({}, [])
        if not any("Compressed timestamp" in str(e) for e in errors):
            continue
        rows = []
        with fitdecode.FitReader(str(path)) as reader:
            for frame in reader:
                if isinstance(frame, fitdecode.FitDataMessage) and frame.name == "record":
                    rows.append({f.name: f.value for f in frame.fields})
        ours = decode_fit(path).messages["record"]
        assert len(ours) == len(rows), path.name
        for name in ("timestamp", "heart_rate", "cadence", "speed", "distance"):
            if name not in ours:
                continue
            expected = [
                None
                if row.get(name) is None
                else (
                    row[name].timestamp()
                    if isinstance(row[name], dt.datetime)
                    else row[name] + 631_065_600
                    if name == "timestamp"
                    else row[name]
                )
                for row in rows
            ]
            np.testing.assert_allclose(
                ours[name], np.array(expected, dtype=float), rtol=1e-9, err_msg=name
            )
        checked += 1
    assert checked >= 2
