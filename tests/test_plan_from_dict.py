"""``Plan.from_dict`` reads ``Plan.as_dict`` back exactly (the coach's storage edge), for
race plans and Couch to 5K, and loads plans stored by older versions with defaults."""

from __future__ import annotations

import datetime as dt
import json

from hypothesis import given, settings
from hypothesis import strategies as st

from stridelab.plans import BeginnerRequest, Plan, PlanRequest, SessionKind, Weekday, generate_plan
from stridelab.plans.model import Phase, Program
from test_plan_rules import runners

START = dt.date(2027, 1, 4)


def _round_trip(plan: Plan) -> None:
    data = json.loads(json.dumps(plan.as_dict(), allow_nan=False))
    loaded = Plan.from_dict(data)
    assert loaded.as_dict() == data
    assert Plan.from_dict(loaded.as_dict()) == loaded  # a fixed point: typed values equal
    assert [s.kind for s in loaded.sessions] == [s.kind for s in plan.sessions]
    assert [s.date for s in loaded.sessions] == [s.date for s in plan.sessions]


@settings(max_examples=30)
@given(runners())
def test_race_plans_round_trip(request: PlanRequest) -> None:
    _round_trip(generate_plan(request))


@settings(max_examples=15)
@given(
    minutes=st.floats(0, 30),
    offset=st.integers(0, 6),
    unavailable=st.sets(st.sampled_from(list(Weekday)), max_size=4),
)
def test_couch_to_5k_plans_round_trip(
    minutes: float, offset: int, unavailable: set[Weekday]
) -> None:
    request = BeginnerRequest(
        minutes, START + dt.timedelta(days=offset), unavailable_weekdays=frozenset(unavailable)
    )
    plan = generate_plan(request)
    assert plan.program is Program.COUCH_TO_5K
    _round_trip(plan)


def test_json_totals_add_up() -> None:
    plan = generate_plan(
        PlanRequest(10_000.0, dt.date(2027, 4, 25), 4, 30_000.0, vdot=45.0, start_date=START)
    )
    data = plan.as_dict()
    for week in data["weeks"]:
        assert week["distance_m"] == round(sum(s["distance_m"] for s in week["sessions"]), 1)
    assert data["total_distance_m"] == round(sum(w["distance_m"] for w in data["weeks"]), 1)
    assert data["saved_distance_m"] == round(
        data["baseline_total_distance_m"] - data["total_distance_m"], 1
    )


def test_a_plan_stored_by_an_older_version_loads_with_defaults() -> None:
    old = {
        "goal": {"distance_m": 10000.0, "race_date": "2027-03-07", "vdot": 45.0,
                 "predicted_time_s": 2900.0, "goal_time_s": None},
        "total_distance_m": 28000.0,
        "weeks": [
            {"start": "2027-03-01", "phase": "race", "distance_m": 28000.0,
             "sessions": [
                 {"date": "2027-03-03", "kind": "easy", "distance_m": 8000.0,
                  "duration_s": 2800.0, "title": "Easy 8 km", "description": "",
                  "warmup": None, "steps": []},
                 {"date": "2027-03-05", "kind": "long", "distance_m": 10000.0,
                  "duration_s": 3500.0, "title": "Long", "description": "",
                  "warmup": None, "steps": []},
                 {"date": "2027-03-07", "kind": "race", "distance_m": 10000.0,
                  "duration_s": 2900.0, "title": "Race", "description": "",
                  "warmup": None, "steps": []},
             ]},
        ],
        "notes": [],
    }  # fmt: skip
    plan = Plan.from_dict(old)
    assert plan.program is Program.RACE and plan.baseline is None
    assert plan.goal.feasibility is None and plan.goal.race_date == dt.date(2027, 3, 7)
    (week,) = plan.weeks
    assert week.phase is Phase.RACE and week.index == 0 and not week.lead_in
    assert week.training_distance_m == 18_000.0  # everything but the race
    assert week.long_run_m == 10_000.0
    assert [s.kind for s in week.sessions] == [SessionKind.EASY, SessionKind.LONG, SessionKind.RACE]
    assert plan.sessions[0].total_duration_s == 2800.0 and plan.sessions[0].load_rtss == 0.0
    assert plan.total_distance_m == 28_000.0 and plan.baseline_total_distance_m == 28_000.0
    assert plan.as_dict()["saved_distance_m"] == 0.0
