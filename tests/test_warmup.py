from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stridelab.drills.warmup import (
    MAX_WARMUP_GAP_S,
    MIN_WARMUP_GAP_S,
    BlockKind,
    RaceCategory,
    TimelineStepKind,
    race_category,
    race_day_timeline,
    warmup_for_session,
)
from stridelab.errors import InputError
from stridelab.session_kinds import QUALITY_KINDS, SessionKind

RACES_M = [5000.0, 10000.0, 21097.5, 42195.0]


@pytest.mark.parametrize("kind", sorted(QUALITY_KINDS | {SessionKind.RACE}))
@pytest.mark.parametrize("race_m", [*RACES_M, None])
def test_quality_and_race_warmups_include_butt_kicks(kind: str, race_m: float | None) -> None:
    warmup = warmup_for_session(kind, race_m)
    assert warmup is not None
    assert "butt_kicks" in [d.id for d in warmup.drills]
    assert warmup.duration_s == pytest.approx(sum(b.duration_s for b in warmup.blocks))
    assert warmup.blocks[0].kind is BlockKind.JOG
    payload = warmup.as_dict()
    assert payload["duration_s"] == warmup.duration_s
    assert payload["drills"][0]["id"]
    assert json.loads(json.dumps(payload)) == payload


@pytest.mark.parametrize("kind", ["easy", "long", "recovery", "rest"])
def test_easy_days_have_no_warmup(kind: str) -> None:
    assert warmup_for_session(kind, 10000.0) is None


def test_every_session_kind_and_its_string_accepted() -> None:
    for kind in SessionKind:
        routine = warmup_for_session(kind)
        assert routine is warmup_for_session(kind.value.replace("_", "-").upper())
        warmed = QUALITY_KINDS | {SessionKind.RACE, SessionKind.TIME_TRIAL}
        assert (routine is not None) == (kind in warmed)
    assert warmup_for_session("time_trial") is warmup_for_session("intervals")  # race-like


def test_warmups_sized_to_the_session() -> None:
    """Short before easy + strides, fuller before intervals than before hills or threshold."""
    strides, hills, threshold, intervals = (
        warmup_for_session(k, 10_000.0) for k in ("strides", "hills", "threshold", "intervals")
    )
    assert strides is not None and hills is not None and threshold is not None
    assert intervals is not None
    assert 8 * 60 <= strides.duration_s <= 12 * 60
    assert strides.duration_s < hills.duration_s == threshold.duration_s < intervals.duration_s
    assert warmup_for_session("repetitions") is intervals
    assert 0 < strides.jog_s < strides.duration_s


def test_unknown_kind() -> None:
    with pytest.raises(InputError, match="tempo"):
        warmup_for_session("fartlek-ish")


def test_short_race_warmup_is_longer_and_has_strides() -> None:
    short = warmup_for_session("race", 10000.0)
    marathon = warmup_for_session("race", 42195.0)
    assert short is not None and marathon is not None
    assert short.duration_s > marathon.duration_s
    assert any(b.kind is BlockKind.STRIDES for b in short.blocks)
    assert not any(b.kind is BlockKind.STRIDES for b in marathon.blocks)


def test_strides_session_does_not_warm_up_with_strides() -> None:
    warmup = warmup_for_session("strides", 5000.0)
    assert warmup is not None
    assert not any(b.kind is BlockKind.STRIDES for b in warmup.blocks)


def test_race_category() -> None:
    assert race_category(None) is RaceCategory.SHORT
    assert race_category(5000) is RaceCategory.SHORT
    assert race_category(21097.5) is RaceCategory.HALF
    assert race_category(42195) is RaceCategory.MARATHON


@given(
    race_m=st.sampled_from(RACES_M),
    start=st.datetimes(
        min_value=datetime(2020, 1, 1), max_value=datetime(2040, 1, 1), timezones=st.just(UTC)
    ),
    gap_s=st.floats(min_value=MIN_WARMUP_GAP_S, max_value=MAX_WARMUP_GAP_S),
)
def test_timeline_ends_warmup_inside_window(race_m: float, start: datetime, gap_s: float) -> None:
    timeline = race_day_timeline(race_m, start, gap_s)
    assert MIN_WARMUP_GAP_S <= timeline.gap_s <= MAX_WARMUP_GAP_S
    steps = timeline.steps
    # contiguous, ordered, and the last step is the start
    for a, b in pairwise(steps):
        assert a.ends_at == b.starts_at
        assert a.duration_s >= 0
    assert steps[-1].kind is TimelineStepKind.START and steps[-1].starts_at == start
    active = [
        s
        for s in steps
        if s.kind in {TimelineStepKind.JOG, TimelineStepKind.DRILL, TimelineStepKind.STRIDES}
    ]
    assert max(s.ends_at for s in active) == timeline.warmup_ends_at
    assert any(s.drill_id == "butt_kicks" for s in steps)


def test_timeline_10k_default_gap_is_ten_minutes() -> None:
    start = datetime(2027, 4, 18, 9, 0, tzinfo=timezone(timedelta(hours=2)))
    timeline = race_day_timeline(10000.0, start)
    assert timeline.gap_s == 600
    assert timeline.warmup_ends_at == start - timedelta(minutes=10)
    assert timeline.start.utcoffset() == timedelta(hours=2)
    payload = timeline.as_dict()
    assert payload["window_s"] == {"min": MIN_WARMUP_GAP_S, "max": MAX_WARMUP_GAP_S}
    assert "not supported" in payload["window_source"]
    assert payload["steps"][-1]["starts_at"] == "2027-04-18T09:00:00+02:00"
    assert json.loads(json.dumps(payload)) == payload


def test_naive_start_is_local_time() -> None:
    timeline = race_day_timeline(5000.0, datetime(2027, 4, 18, 9, 0))
    assert timeline.start.tzinfo is not None
    assert timeline.start.hour == 9


@pytest.mark.parametrize("gap_s", [0.0, 60.0, 20 * 60.0, 45 * 60.0])
def test_gap_outside_window_refused(gap_s: float) -> None:
    with pytest.raises(InputError, match="5–15 min"):
        race_day_timeline(10000.0, datetime(2027, 4, 18, 9, 0, tzinfo=UTC), gap_s)


def test_summary_detail_is_short() -> None:
    from stridelab.drills.warmup import DrillDetail

    warmup = warmup_for_session("intervals", 5000.0)
    assert warmup is not None
    summary = warmup.as_dict(DrillDetail.SUMMARY)
    full = warmup.as_dict()
    assert [d["id"] for d in summary["drills"]] == [d["id"] for d in full["drills"]]
    assert summary["drills"][0].keys() >= {"id", "name", "dose", "cues"}
    assert "faults" not in summary["drills"][0] and "faults" in full["drills"][0]
    assert len(json.dumps(summary)) < len(json.dumps(full)) / 2


def test_same_routine_is_shared() -> None:
    assert warmup_for_session("tempo", 10000.0) is warmup_for_session("threshold", 8000.0)


def test_warmup_kcal_adds_up_blocks() -> None:
    from stridelab.physiology.energy import EnergyBasis, met_kcal

    warmup = warmup_for_session("race", 42195.0)
    assert warmup is not None
    jog, *_ = warmup.blocks
    # 5 min "jogging, general" (7.0 MET, Compendium 2011 code 12020) at 70 kg
    assert jog.kcal(70.0) == pytest.approx(met_kcal(7.0, 70.0, 300.0))
    butt_kicks = next(b for b in warmup.blocks if b.drill_id == "butt_kicks")
    # 30 s of work at 8.0 MET, 30 s walking back at 3.5 MET
    assert butt_kicks.kcal(70.0) == pytest.approx(
        met_kcal(8.0, 70.0, 30.0) + met_kcal(3.5, 70.0, 30.0)
    )
    total = warmup.kcal(70.0)
    assert total == pytest.approx(sum(b.kcal(70.0) for b in warmup.blocks))
    assert warmup.kcal(70.0, EnergyBasis.NET) < total
    assert 30 < total < 80  # a 7-minute gentle routine
