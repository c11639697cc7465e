"""Web hardening from the audit (issue 8 §4): headers on every response, sign-in throttling,
logout that ends the session, sign-in decided per request, the schema behind sign-in, and
hostile numbers in the plan form.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from stridelab.coach.accounts import Role, create_account
from stridelab.errors import TooManyAttemptsError
from stridelab.store import Database
from stridelab.web.security import LOGIN_FAILURE_LIMIT, SECURITY_HEADERS, LoginThrottle
from web_support import TODAY, TestClient, csrf_headers, make_app, run_fit

PASSWORD = "correct horse battery"


@pytest.fixture()
def app_path(tmp_path: Path) -> Path:
    return tmp_path


@pytest.fixture()
def client(tmp_path: Path) -> Iterator[TestClient]:
    """Single-user mode at first; tests add accounts while it runs."""
    app = make_app(tmp_path)

    @app.get("/boom.json")
    def boom() -> None:
        raise RuntimeError("a bug")

    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


def _create(tmp_path: Path, username: str) -> None:
    with Database.open(_db(tmp_path)) as db:
        create_account(db, username, PASSWORD, Role.ATHLETE)


def _db(tmp_path: Path) -> Path:
    return tmp_path / "data" / "stridelab.db"


def _login(client: TestClient, username: str, password: str = PASSWORD) -> int:
    token = client.get("/login").text.split('name="csrf_token" value="')[1].split('"')[0]
    data = {"username": username, "password": password, "csrf_token": token, "next": "/"}
    return client.post("/login", data=data, follow_redirects=False).status_code


@pytest.mark.parametrize("path", ["/boom.json", "/no-such-page", "/no-such-page.json", "/"])
def test_every_response_carries_the_security_headers(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == {"/boom.json": 500, "/": 200}.get(path, 404)
    for name, value in SECURITY_HEADERS.items():
        assert response.headers[name] == value
    if path == "/boom.json":
        assert "a bug" not in response.text  # no internals leak
        assert response.json()["status"] == 500


def test_an_account_added_while_serving_requires_sign_in_at_once(
    client: TestClient, tmp_path: Path
) -> None:
    assert client.get("/today.json").status_code == 200
    assert client.get("/openapi.json").status_code == 200
    _create(tmp_path, "ada")
    assert client.get("/today.json").status_code == 401
    assert client.get("/openapi.json").status_code == 401  # the schema is behind sign-in
    assert _login(client, "ada") == 303
    assert client.get("/today.json").status_code == 200
    assert "/plan" in client.get("/openapi.json").json()["paths"]


def test_logout_ends_the_session_even_for_a_replayed_cookie(
    client: TestClient, tmp_path: Path
) -> None:
    _create(tmp_path, "ada")
    assert _login(client, "ada") == 303
    stolen = client.cookies.get("stridelab_session")
    assert client.get("/today.json").status_code == 200
    client.post("/logout", headers=csrf_headers(client))
    client.cookies.clear()
    client.cookies.set("stridelab_session", stolen)
    assert client.get("/today.json").status_code == 401
    client.cookies.clear()
    assert _login(client, "ada") == 303  # a new sign-in works again
    assert client.get("/today.json").status_code == 200


def test_wrong_passwords_are_throttled_per_client(client: TestClient, tmp_path: Path) -> None:
    _create(tmp_path, "ada")
    _create(tmp_path, "bob")
    codes = [_login(client, "ada", "wrong password") for _ in range(LOGIN_FAILURE_LIMIT)]
    assert codes == [401] * LOGIN_FAILURE_LIMIT
    assert _login(client, "ada") == 429  # even the right password waits now
    assert _login(client, "bob") == 429  # and this client may not try other accounts


def test_throttle_counts_per_account_and_per_client_within_its_window() -> None:
    now = [0.0]
    throttle = LoginThrottle(limit=3, window_s=60.0, clock=lambda: now[0])
    for client in ("client:a", "client:b", "client:c"):  # one account, three clients
        throttle.check(["account:ada", client])
        throttle.failed(["account:ada", client])
    with pytest.raises(TooManyAttemptsError, match="for this account"):
        throttle.check(["account:ada", "client:d"])
    throttle.check(["account:bob", "client:d"])  # other accounts are not locked out
    now[0] = 61.0
    throttle.check(["account:ada", "client:d"])  # the window has passed


@pytest.mark.parametrize("weekly", ["nan", "1e400", "inf", "-5"])
def test_plan_form_with_hostile_numbers_is_a_clear_error_not_500(
    client: TestClient, weekly: str
) -> None:
    fields = {
        "goal": "10k",
        "race_date": (TODAY.replace(year=TODAY.year + 1)).isoformat(),
        "days_per_week": "4",
        "current_weekly": weekly,
        "recent_distance": "5k",
        "recent_time": "24:30",
    }
    response = client.post(
        "/plan/generate",
        data=fields,
        headers={**csrf_headers(client), "accept": "application/json"},
    )
    assert response.status_code == 400, response.text
    error = response.json()["error"]
    assert any(words in error for words in ("weekly volume", "current weekly km", "below"))


def test_a_file_another_athlete_owns_is_stored_for_the_uploader(tmp_path: Path) -> None:
    """Duplicates are per athlete: bob uploading ada's file gets it as his run; telling him
    it was "skipped" would say ada has it and lose his run."""
    import datetime as dt

    from stridelab.coach.runs import import_file, list_runs

    make_app(tmp_path)  # migrates the store
    db = Database.open(_db(tmp_path))
    ada = create_account(db, "ada", PASSWORD, Role.ATHLETE).athlete_id
    bob = create_account(db, "bob", PASSWORD, Role.ATHLETE).athlete_id
    assert ada is not None and bob is not None
    start = dt.datetime.combine(TODAY, dt.time(7), tzinfo=dt.UTC)
    fit = tmp_path / "run.fit"
    fit.write_bytes(run_fit(start))
    first = import_file(db, ada, fit, name="ada.fit")
    second = import_file(db, bob, fit, name="bob.fit")
    again = import_file(db, bob, fit, name="bob.fit")
    assert (first["imported"], second["imported"], second["skipped"]) == (1, 1, 0)
    assert (again["imported"], again["skipped"]) == (0, 1)
    (ada_run,) = list_runs(db, ada, 270.0)
    (bob_run,) = list_runs(db, bob, 270.0)
    assert ada_run.id == bob_run.id  # one stored activity, two owners
    assert (ada_run.name, bob_run.name) == ("ada.fit", "bob.fit")
    db.close()
