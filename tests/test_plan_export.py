"""Plan exports read back by independent libraries: icalendar, garmin_fit_sdk, json."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pytest
from garmin_fit_sdk import Decoder, Stream
from icalendar import Calendar
from rich.console import Console

from stridelab.plans import Plan, PlanRequest, RecentRace, SessionKind, StepKind, generate_plan
from stridelab.plans.export import (
    fit_workout_bytes,
    plan_markdown,
    plan_table,
    write_fit_workouts,
    write_ics,
    write_markdown,
)
from stridelab.units import speed_from_pace_s_per_km

KINDS = {kind.value for kind in SessionKind}


@pytest.fixture(scope="module")
def plan() -> Plan:
    """A 24-week marathon plan: every phase and most session kinds appear."""
    return generate_plan(
        PlanRequest(
            goal_distance_m=42_195.0,
            race_date=dt.date(2027, 6, 20),
            days_per_week=5,
            current_weekly_m=30_000.0,
            recent_race=RecentRace(10_000.0, 50 * 60),
            start_date=dt.date(2027, 1, 4),
        )
    )


def _decode(data: bytes) -> dict[str, Any]:
    decoder = Decoder(Stream.from_byte_array(bytearray(data)))
    assert decoder.is_fit()
    assert decoder.check_integrity()
    messages, errors = Decoder(Stream.from_byte_array(bytearray(data))).read()
    assert errors == []
    return dict(messages)


def test_json_contract(plan: Plan) -> None:
    data = json.loads(json.dumps(plan.as_dict(), allow_nan=False))
    assert set(data) >= {"goal", "total_distance_m", "weeks"}
    assert data["goal"]["distance_m"] == 42_195.0
    assert isinstance(data["total_distance_m"], float)
    baseline = data["baseline"]  # the matching published family, week by week
    assert data["baseline_total_distance_m"] == baseline["total_distance_m"]
    assert data["saved_distance_m"] == pytest.approx(
        data["baseline_total_distance_m"] - data["total_distance_m"], abs=0.2
    )
    assert [w["start"] for w in baseline["weeks"]] == [w["start"] for w in data["weeks"]]
    seen = set()
    for week in data["weeks"]:
        dt.date.fromisoformat(week["start"])
        assert isinstance(week["phase"], str) and isinstance(week["distance_m"], float)
        assert week["distance_m"] == pytest.approx(
            sum(s["distance_m"] for s in week["sessions"]), abs=1.0
        )
        for s in week["sessions"]:
            dt.date.fromisoformat(s["date"])
            assert s["kind"] in KINDS
            assert isinstance(s["distance_m"], float) and isinstance(s["duration_s"], float)
            assert isinstance(s["steps"], list)
            seen.add(s["kind"])
            if s["warmup"] is not None:
                assert isinstance(s["warmup"]["duration_s"], float)
                drills = {d["id"]: d["name"] for d in s["warmup"]["drills"]}
                assert drills["butt_kicks"] == "Butt kicks"
    assert {"long", "easy", "rest", "race", "race_pace", "threshold"} <= seen
    assert data["weeks"][-1]["sessions"][-1]["kind"] == "race"


def test_fit_workouts_read_back(plan: Plan, tmp_path: Path) -> None:
    paths = write_fit_workouts(plan, tmp_path / "fit")
    assert len(paths) == len(plan.quality_sessions) > 10
    by_name = {p.name: p for p in paths}
    for session in plan.quality_sessions:
        path = by_name[f"{session.date.isoformat()}_{session.kind.value}.fit"]
        messages = _decode(path.read_bytes())
        assert messages["file_id_mesgs"][0]["type"] == "workout"
        (workout,) = messages["workout_mesgs"]
        steps = messages["workout_step_mesgs"]
        assert workout["sport"] == "running"
        assert workout["num_valid_steps"] == len(steps)
        assert [s["message_index"] for s in steps] == list(range(len(steps)))
        flat = [
            (child, step.repeat)
            for step in session.steps
            for child in (step.steps if step.kind is StepKind.REPEAT else (step,))
        ]
        # After the warm-up jog: an open step, drills then the lap button.
        assert steps[1]["duration_type"] == "open" and steps[1]["intensity"] == "warmup"
        assert re.fullmatch(r"\w{3} \d{2} \w{3} · .+", messages["workout_mesgs"][0]["wkt_name"])
        decoded = [
            s for s in steps[:1] + steps[2:] if s["duration_type"] != "repeat_until_steps_cmplt"
        ]
        assert len(decoded) == len(flat)
        for fit_step, (ours, _) in zip(decoded, flat, strict=True):
            assert fit_step["intensity"] == ours.kind.value
            timed = fit_step["duration_type"] == "time"
            if timed:  # whole seconds
                assert fit_step["duration_time"] == round(fit_step["duration_time"])
            by_feel = ours.kind is StepKind.RECOVERY or (timed and ours.duration_s < 60)
            if ours.pace_fast_s_per_km is None or by_feel:
                assert fit_step["target_type"] == "open"
                continue
            assert fit_step["target_type"] == "speed"
            assert fit_step["target_value"] == 0
            high = speed_from_pace_s_per_km(ours.pace_fast_s_per_km)
            low = speed_from_pace_s_per_km(ours.pace_slow_s_per_km or 0.0)
            assert fit_step["custom_target_speed_high"] == pytest.approx(high, abs=1e-3)
            assert fit_step["custom_target_speed_low"] == pytest.approx(low, abs=1e-3)
            assert fit_step["custom_target_speed_low"] < fit_step["custom_target_speed_high"]
            if ours.measure == "distance":
                assert fit_step["duration_distance"] == pytest.approx(ours.distance_m, abs=0.5)
            else:
                assert fit_step["duration_time"] == pytest.approx(ours.duration_s, abs=0.5)
        repeats = [s for s in steps if s["duration_type"] == "repeat_until_steps_cmplt"]
        ours_repeats = [s for s in session.steps if s.kind is StepKind.REPEAT]
        assert [r["repeat_steps"] for r in repeats] == [s.repeat for s in ours_repeats]
        for r in repeats:  # points back to the first repeated step, which comes before it
            assert r["duration_step"] < r["message_index"]
            assert steps[r["duration_step"]]["intensity"] == "active"


def test_fit_five_minute_kilometre_is_3333(plan: Plan) -> None:
    session = next(s for s in plan.quality_sessions if s.kind is SessionKind.RACE_PACE)
    from dataclasses import replace

    step = replace(session.steps[1], pace_fast_s_per_km=300.0, pace_slow_s_per_km=310.0)
    messages = _decode(fit_workout_bytes(replace(session, steps=(step,))))
    (fit_step,) = messages["workout_step_mesgs"]
    assert fit_step["custom_target_value_high"] == 3333
    assert fit_step["custom_target_speed_high"] == pytest.approx(3.333)


def test_ics_read_back(plan: Plan, tmp_path: Path) -> None:
    path = write_ics(plan, tmp_path / "plan.ics")
    cal = Calendar.from_ical(path.read_bytes())
    events = list(cal.walk("VEVENT"))
    runs = [s for s in plan.sessions if s.kind is not SessionKind.REST]
    assert len(events) == len(runs)
    uids = [str(e["UID"]) for e in events]
    assert len(set(uids)) == len(uids)
    again = Calendar.from_ical(write_ics(plan, tmp_path / "again.ics").read_bytes())
    assert [str(e["UID"]) for e in again.walk("VEVENT")] == uids  # stable UIDs
    by_date = {e.decoded("DTSTART"): e for e in events}
    for session in plan.quality_sessions:
        text = str(by_date[session.date]["DESCRIPTION"])
        assert "Butt kicks" in text
        assert "/km" in text
        assert "Steps:" in text
    race = by_date[plan.goal.race_date]
    assert "Race" in str(race["SUMMARY"]) and "Butt kicks" in str(race["DESCRIPTION"])
    interval = next(s for s in plan.quality_sessions if s.kind is SessionKind.RACE_PACE)
    assert "race pace" in str(by_date[interval.date]["DESCRIPTION"])


def test_markdown_and_table(plan: Plan, tmp_path: Path) -> None:
    text = write_markdown(plan, tmp_path / "plan.md").read_text(encoding="utf-8")
    assert text == plan_markdown(plan)
    assert text.count("## Week ") == len(plan.weeks)
    assert "*Why:*" in text and "Butt kicks" in text
    assert "Peak week" in text  # the full explanations live in Markdown (and JSON)


@pytest.mark.parametrize("width", [80, 100, 120])
def test_table_is_readable_at_80_columns(plan: Plan, width: int) -> None:
    """One row per week (wrapping, never cut off) within the terminal width; the caption
    explains the abbreviations."""
    console = Console(width=width, record=True)
    console.print(plan_table(plan))
    lines = console.export_text().splitlines()
    assert max(len(line) for line in lines) <= width
    starts = [n for n, line in enumerate(lines) if line[:4].strip().isdigit()]
    assert [int(lines[n][:4]) for n in starts] == [w.index + 1 for w in plan.weeks]
    ends = [*starts[1:], starts[-1] + 3]
    for week, a, b in zip(plan.weeks, starts, ends, strict=True):
        block = " ".join(line.strip() for line in lines[a:b] if line.strip()[:1] not in "─")
        row = " ".join(block.split())
        assert "…" not in row  # nothing cut off
        assert f"{week.start:%b %d}" in row
        assert " ".join(week.summary.split()) in row or week.index == len(plan.weeks) - 1
    text = " ".join(" ".join(lines).split())
    assert plan.baseline is not None
    assert "thr threshold" in text and f"for {plan.baseline.name}" in text


def test_table_in_miles(plan: Plan) -> None:
    from stridelab.units import DistanceUnit

    console = Console(width=100, record=True)
    console.print(plan_table(plan, DistanceUnit.MI))
    text = console.export_text()
    assert "/mi" in text and "/km" not in text
    assert "mi: the week" in " ".join(text.split())


def test_watch_and_calendar_names_say_what_the_session_is(plan: Plan, tmp_path: Path) -> None:
    """Issue 13: names like ``03-16 race_pace`` become ``Thu 16 Mar · 5 × 1000 m I``."""
    from stridelab.plans.export.fit_workout import workout_name

    intervals = next(s for s in plan.quality_sessions if s.kind is SessionKind.THRESHOLD)
    name = workout_name(intervals)
    assert re.fullmatch(r"\w{3} \d{2} \w{3} · \d+ × \d+ m T", name), name
    assert name.startswith(f"{intervals.date:%a %d %b}")
    assert re.fullmatch(r"Threshold \d+ × \d+ m @ \d:\d{2}/km", intervals.title)
    cal = Calendar.from_ical(write_ics(plan, tmp_path / "plan.ics").read_bytes())
    summaries = {str(e["SUMMARY"]) for e in cal.walk("VEVENT")}
    assert any(s.startswith(intervals.title) for s in summaries)
