"""The stored plan: ids and statuses, move and skip rules, request round trip, profile."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stridelab.coach.planning import (
    PlanOrigin,
    SessionStatus,
    TrackedSession,
    active_plan,
    create_plan,
    move_session,
    plan_changes,
    skip_session,
)
from stridelab.coach.profile import DEFAULT_PROFILE, load_profile, profile_from_form, save_profile
from stridelab.coach.sample import sample_plan_request
from stridelab.errors import InputError, NotFoundError
from stridelab.plans import PlanRequest, SessionKind
from stridelab.store import Database
from stridelab.units import DistanceUnit

TODAY = dt.date(2026, 11, 26)  # a Thursday


@pytest.fixture()
def db(coach_db: Database) -> Database:
    """A coach database with the sample plan for athlete 1."""
    create_plan(coach_db, 1, sample_plan_request(TODAY), TODAY, PlanOrigin.SAMPLE)
    return coach_db


def _week_after(db: Database) -> list[TrackedSession]:
    """The sessions of the first week that starts after TODAY."""
    stored = active_plan(db, 1)
    assert stored is not None
    index = next(i for i, w in enumerate(stored.plan.weeks) if w.start > TODAY)
    return list(stored.tracked.week_sessions(index))


def test_sessions_get_stable_ids_and_slim_warmups(db: Database) -> None:
    stored = active_plan(db, 1)
    assert stored is not None and stored.origin is PlanOrigin.SAMPLE
    ids = [s.id for s in stored.sessions()]
    assert len(ids) == len(set(ids)) and ids[0] == "w1-s1"
    assert all(s.status is SessionStatus.PLANNED for s in stored.sessions())
    warmups = [s.as_dict()["warmup"] for s in stored.sessions() if s.session.warmup]
    assert warmups and all(set(d) == {"id", "name"} for w in warmups for d in w["drills"])
    assert stored.plan.weeks[0].start == dt.date(2026, 11, 23)  # this week's Monday


def test_move_swaps_with_a_rest_day_and_is_logged(db: Database) -> None:
    sessions = _week_after(db)
    run = next(s for s in sessions if s.kind not in (SessionKind.REST, SessionKind.RACE))
    rest = next(s for s in sessions if s.kind is SessionKind.REST)
    stored = move_session(db, 1, run.id, rest.date, TODAY)
    by_id = {s.id: s for s in stored.sessions()}
    assert by_id[run.id].date == rest.date
    assert by_id[rest.id].date == run.date
    assert by_id[run.id].mark.moved_from == run.date
    assert active_plan(db, 1) == stored  # what was stored is what loads
    log = plan_changes(db, stored.id)
    assert log[0]["kind"] == "move" and log[0]["to"] == rest.date.isoformat()


def test_move_rules(db: Database) -> None:
    sessions = _week_after(db)
    runs = [s for s in sessions if s.kind not in (SessionKind.REST, SessionKind.RACE)]
    with pytest.raises(InputError, match="already holds"):
        move_session(db, 1, runs[0].id, runs[1].date, TODAY)
    with pytest.raises(InputError, match="outside the session's week"):
        move_session(db, 1, runs[0].id, TODAY + dt.timedelta(days=40), TODAY)
    stored = active_plan(db, 1)
    assert stored is not None
    past = next(s for s in stored.sessions() if s.date < TODAY)
    with pytest.raises(InputError, match="in the past"):
        skip_session(db, 1, past.id, TODAY)
    race = next(s for s in stored.sessions() if s.kind is SessionKind.RACE)
    with pytest.raises(InputError, match="race cannot be moved"):
        move_session(db, 1, race.id, race.date, TODAY)
    with pytest.raises(NotFoundError):
        skip_session(db, 1, "w99-s1", TODAY)
    with pytest.raises(NotFoundError):
        skip_session(db, 2, runs[0].id, TODAY)  # athlete 2 has no plan


def test_skip_and_plan_again(db: Database) -> None:
    run = next(s for s in _week_after(db) if s.kind is not SessionKind.REST)
    stored = skip_session(db, 1, run.id, TODAY)
    assert {s.id: s for s in stored.sessions()}[run.id].status is SessionStatus.SKIPPED
    stored = skip_session(db, 1, run.id, TODAY, skip=False)
    assert {s.id: s for s in stored.sessions()}[run.id].status is SessionStatus.PLANNED


def test_request_round_trip() -> None:
    request = sample_plan_request(TODAY)
    assert PlanRequest.from_dict(request.as_dict()) == request
    # the quality floor travels too: a replan never drops the runner's hard sessions
    busy = PlanRequest.from_dict({**request.as_dict(), "current_quality_per_week": 2})
    assert busy.current_quality_per_week == 2
    assert PlanRequest.from_dict(busy.as_dict()) == busy
    older = {k: v for k, v in request.as_dict().items() if k != "current_quality_per_week"}
    assert PlanRequest.from_dict(older).current_quality_per_week == 0  # stored before it


@settings(max_examples=40, deadline=None)
@given(
    mass=st.floats(30, 200),
    height_cm=st.floats(120, 220),
    rest=st.integers(35, 80),
    units=st.sampled_from(["km", "mi"]),
    pace_s=st.integers(200, 500),
)
def test_profile_form_round_trip(
    mass: float, height_cm: float, rest: int, units: str, pace_s: int
) -> None:
    pace_text = f"{pace_s // 60}:{pace_s % 60:02d}"
    typed_mass = mass if units == "km" else mass / 0.45359237  # kg, or lb for miles
    profile = profile_from_form(
        {
            "units": units,
            "body_mass": f"{typed_mass:.3f}",
            "height_cm": f"{height_cm:.2f}",
            "resting_hr_bpm": str(rest),
            "threshold_pace": pace_text,
        },
        DEFAULT_PROFILE,
    )
    assert profile.body_mass_kg == pytest.approx(mass, abs=0.01)
    assert profile.units is DistanceUnit(units)
    shown = profile.as_dict()["threshold_pace"]
    assert shown == f"{pace_text}/{units}"


def test_profile_persists_and_validates(coach_db: Database) -> None:
    path = coach_db
    assert load_profile(path, 1) == DEFAULT_PROFILE
    saved = save_profile(
        path, 1, profile_from_form({"name": " Ada ", "max_hr_bpm": "185"}, DEFAULT_PROFILE)
    )
    assert load_profile(path, 1) == saved and saved.name == "Ada"
    with pytest.raises(InputError, match="resting < threshold"):
        profile_from_form({"resting_hr_bpm": "100", "threshold_hr_bpm": "95"}, DEFAULT_PROFILE)
    with pytest.raises(InputError, match="'tall' is not a valid height in cm"):
        profile_from_form({"height_cm": "tall"}, DEFAULT_PROFILE)
    with pytest.raises(InputError, match="max hr in bpm"):
        profile_from_form({"max_hr_bpm": "nan"}, DEFAULT_PROFILE)


def test_profile_age_round_trip(coach_db: Database) -> None:
    saved = save_profile(coach_db, 1, profile_from_form({"age_years": "45"}, DEFAULT_PROFILE))
    assert saved.age_years == 45 and load_profile(coach_db, 1) == saved
    assert saved.as_dict()["age_years"] == 45
    assert profile_from_form({"name": "Ada"}, saved).age_years == 45  # not sent: kept
    assert profile_from_form({"age_years": " "}, saved).age_years is None  # sent empty: cleared
    # a profile stored before ages were asked for loads without one
    coach_db.connection.execute(
        "UPDATE coach_profiles SET profile_json = json_remove(profile_json, '$.age_years')"
    )
    assert load_profile(coach_db, 1).age_years is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("9", "age 9 is not valid"),
        ("45.5", "not valid"),
        ("old", "not a valid age"),
        ("nan", "not a valid age"),
    ],
)
def test_profile_refuses_a_bad_age(coach_db: Database, text: str, message: str) -> None:
    with pytest.raises(InputError, match=message) as raised:
        profile_from_form({"age_years": text}, DEFAULT_PROFILE)
    assert "whole" in str(raised.value) and raised.value.hint
    with pytest.raises(InputError):
        save_profile(coach_db, 1, replace(DEFAULT_PROFILE, age_years=101))
    assert load_profile(coach_db, 1) == DEFAULT_PROFILE  # nothing stored


def test_a_plan_made_midweek_does_not_flag_its_first_days_missed(coach_db: Database) -> None:
    from stridelab.coach.dashboard import plan_view

    path = coach_db
    stored = create_plan(path, 1, sample_plan_request(TODAY), TODAY)  # Thursday, from Monday
    assert stored.due_from == TODAY
    view = plan_view(path, 1, DEFAULT_PROFILE, TODAY + dt.timedelta(days=1))
    first = view["weeks"][0]
    before = [s for d in first["days"] if d["date"] < TODAY.isoformat() for s in d["sessions"]]
    assert [s["status"] for s in before if s["kind"] != "rest"]  # Tue/Wed sessions exist
    assert all(s["status"] in ("not_due", "rest") for s in before)
    assert first["compliance"]["sessions_due"] <= 1  # only from Thursday on
