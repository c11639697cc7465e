"""Mutated TCX/GPX bytes raise only typed ActivityFileErrors (never another exception)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from activity_writers import synthetic_run, write_gpx, write_tcx
from stridelab.activities.readers import read_activity_bytes
from stridelab.errors import ActivityFileError

SEEDS = {
    "tcx": write_tcx(synthetic_run(seconds=40), laps=2),
    "gpx": write_gpx(synthetic_run(seconds=40)),
}


@pytest.mark.parametrize("kind", sorted(SEEDS))
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_mutated_xml_raises_only_typed_errors(kind: str, data: st.DataObject) -> None:
    seed = bytearray(SEEDS[kind])
    edits = data.draw(
        st.lists(
            st.tuples(st.integers(0, len(seed) - 1), st.integers(0, 255), st.booleans()),
            min_size=1,
            max_size=8,
        )
    )
    for position, value, delete in edits:
        if position >= len(seed):
            continue
        if delete:
            del seed[position : position + value % 40]
        else:
            seed[position] = value
    try:
        read_activity_bytes(bytes(seed), f"mutant.{kind}")
    except ActivityFileError as exc:
        assert "mutant" in str(exc)


TEXT_BYTES = b"0123456789.-+:TZeE abcxyzNaninf"


def _in_text_or_attribute(seed: bytearray, i: int) -> bool:
    """Inside text between tags, or inside a quoted attribute value."""
    if seed[i] in b"<>&\"'/=":
        return False
    between_tags = seed.rfind(b">", 0, i) > seed.rfind(b"<", 0, i)
    in_quotes = seed.count(b'"', seed.rfind(b"<", 0, i), i) % 2 == 1
    return between_tags or in_quotes


@pytest.mark.parametrize("kind", sorted(SEEDS))
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_mutated_values_in_wellformed_xml(kind: str, data: st.DataObject) -> None:
    """Edits that keep the XML well-formed: only text between tags changes."""
    seed = bytearray(SEEDS[kind])
    text_positions = [
        i
        for i in range(1, len(seed))
        if seed[i] not in b"<>&\"'/"
        and seed[i - 1 : i] != b"<"
        and seed.rfind(b">", 0, i) > seed.rfind(b"<", 0, i)
    ]
    picks = data.draw(st.lists(st.sampled_from(text_positions), min_size=1, max_size=12))
    for position in picks:
        seed[position] = TEXT_BYTES[data.draw(st.integers(0, len(TEXT_BYTES) - 1))]
    try:
        activity = read_activity_bytes(bytes(seed), f"mutant.{kind}")
    except ActivityFileError as exc:
        assert "mutant" in str(exc)
        return
    from stridelab.activities.analysis import analyse_activity

    analyse_activity(activity).to_dict()
