"""Users and safety: accounts, coach and athlete visibility, sessions, CSRF, binding."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from stridelab.coach.accounts import Role, authenticate, create_account
from stridelab.errors import AuthError, InputError
from stridelab.store import Database
from web_support import TODAY, TestClient, csrf_headers, make_app, run_fit, upload

PASSWORD = "correct horse battery"


@pytest.fixture()
def db(coach_db: Database) -> Database:
    """A store with a coach and two athletes."""
    path = coach_db
    create_account(path, "sam", PASSWORD, Role.COACH)
    create_account(path, "ada", PASSWORD, Role.ATHLETE, coach_username="sam")
    create_account(path, "bob", PASSWORD, Role.ATHLETE, coach_username="sam")
    create_account(path, "eve", PASSWORD, Role.ATHLETE)
    return path


@pytest.fixture()
def app_client(tmp_path: Path, db: Database) -> Iterator[TestClient]:
    """A client of the app with accounts configured (sign-in required)."""
    with TestClient(make_app(tmp_path)) as client:
        yield client


def _login(client: TestClient, username: str, password: str = PASSWORD) -> int:
    token = client.get("/login").text.split('name="csrf_token" value="')[1].split('"')[0]
    response = client.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": token, "next": "/runs"},
        follow_redirects=False,
    )
    return response.status_code


def test_passwords_are_hashed_with_argon2(db: Database) -> None:
    import sqlite3

    with sqlite3.connect(db.path) as conn:
        stored = conn.execute("SELECT password_hash FROM coach_accounts").fetchall()
    assert all(h.startswith("$argon2id$") and PASSWORD not in h for (h,) in stored)
    assert authenticate(db, "ada", PASSWORD).role is Role.ATHLETE
    with pytest.raises(AuthError):
        authenticate(db, "ada", "wrong password")
    with pytest.raises(AuthError):
        authenticate(db, "nobody", PASSWORD)


def test_account_rules(db: Database) -> None:
    with pytest.raises(InputError, match="shorter"):
        create_account(db, "zed", "short", Role.ATHLETE)
    with pytest.raises(InputError, match="taken"):
        create_account(db, "ada", PASSWORD, Role.ATHLETE)
    with pytest.raises(InputError, match="not allowed"):
        create_account(db, "../x", PASSWORD, Role.ATHLETE)


def test_sign_in_is_required(app_client: TestClient) -> None:
    assert app_client.get("/today.json").status_code == 401
    page = app_client.get("/plan", follow_redirects=False)
    assert page.status_code == 303
    assert page.headers["location"] == "/login?next=/plan"
    assert _login(app_client, "ada", "wrong password") == 401
    assert app_client.get("/runs.json").status_code == 401


def test_login_needs_the_csrf_token(app_client: TestClient) -> None:
    response = app_client.post("/login", data={"username": "ada", "password": PASSWORD})
    assert response.status_code == 403


def test_athletes_see_only_themselves(app_client: TestClient) -> None:
    assert _login(app_client, "ada") == 303
    me = app_client.get("/session.json").json()
    assert me["account"] == {"username": "ada", "role": "athlete"}
    assert [a["name"] for a in me["athletes"]] == ["ada"]
    start = dt.datetime.combine(TODAY - dt.timedelta(days=1), dt.time(7), tzinfo=dt.UTC)
    upload(app_client, run_fit(start), "ada.fit")
    # athletes: 1 = ada (took over the single-user athlete), 2 = bob, 3 = eve
    assert app_client.get("/runs.json", params={"athlete": 2}).status_code == 403
    assert app_client.get("/runs.json", params={"athlete": 3}).status_code == 403
    response = app_client.post(
        "/athletes/select", data={"athlete_id": "2"}, headers=csrf_headers(app_client)
    )
    assert response.status_code == 403
    assert len(app_client.get("/runs.json").json()["runs"]) == 1


def test_coach_sees_their_athletes_and_switches(app_client: TestClient) -> None:
    assert _login(app_client, "ada") == 303
    start = dt.datetime.combine(TODAY - dt.timedelta(days=1), dt.time(7), tzinfo=dt.UTC)
    upload(app_client, run_fit(start), "ada.fit")
    run_id = app_client.get("/runs.json").json()["runs"][0]["id"]
    app_client.post("/logout", headers=csrf_headers(app_client))
    assert app_client.get("/runs.json").status_code == 401

    assert _login(app_client, "sam") == 303
    me = app_client.get("/session.json").json()
    assert [a["name"] for a in me["athletes"]] == ["ada", "bob"]  # not eve
    assert len(app_client.get("/runs.json", params={"athlete": 1}).json()["runs"]) == 1
    assert app_client.get("/runs.json", params={"athlete": 2}).json()["runs"] == []
    assert app_client.get("/runs.json", params={"athlete": 3}).status_code == 403
    response = app_client.post(
        "/athletes/select", data={"athlete_id": "2"}, headers=csrf_headers(app_client)
    )
    assert response.status_code == 200
    assert app_client.get("/session.json").json()["athlete"]["name"] == "bob"
    assert app_client.get(f"/runs/{run_id}.json").status_code == 404  # ada's run, bob in view


def test_session_cookie_is_signed_and_http_only(app_client: TestClient) -> None:
    assert _login(app_client, "ada") == 303
    cookie = app_client.cookies.get("stridelab_session")
    assert cookie
    app_client.cookies.set("stridelab_session", cookie[:-3] + "xyz")
    assert app_client.get("/today.json").status_code == 401  # tampered: signed out
    response = app_client.get("/login")
    assert "httponly" in response.headers["set-cookie"].lower()
    assert "samesite=lax" in response.headers["set-cookie"].lower()


def test_open_redirects_are_refused(app_client: TestClient) -> None:
    token = app_client.get("/login").text.split('name="csrf_token" value="')[1].split('"')[0]
    response = app_client.post(
        "/login",
        data={
            "username": "ada",
            "password": PASSWORD,
            "csrf_token": token,
            "next": "//evil.example/",
        },
        follow_redirects=False,
    )
    assert response.headers["location"] == "/"


def test_refuses_to_bind_beyond_loopback_without_accounts(tmp_path: Path) -> None:
    with pytest.raises(AuthError, match=r"refusing to serve on 0\.0\.0\.0"):
        make_app(tmp_path, host="0.0.0.0")
    make_app(tmp_path, host="127.0.0.1")
    make_app(tmp_path, host="localhost")


def test_binds_beyond_loopback_with_accounts(tmp_path: Path, db: Database) -> None:
    with TestClient(make_app(tmp_path, host="0.0.0.0")) as client:
        assert client.get("/today.json").status_code == 401


def test_single_user_mode_needs_no_login(tmp_path: Path) -> None:
    with TestClient(make_app(tmp_path)) as client:
        assert client.get("/login", follow_redirects=False).status_code == 303
        assert client.get("/session.json").json()["account"] is None
        assert client.get("/today.json").status_code == 200
