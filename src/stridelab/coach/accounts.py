"""Accounts: hashed passwords, coaches who see several athletes, athletes who see themselves.

Passwords are hashed with Argon2id (``argon2-cffi``'s defaults, RFC 9106). A single-user
install has no account at all and works as :data:`~stridelab.coach.db.DEFAULT_ATHLETE_ID`;
creating the first account turns sign-in on.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from stridelab.coach.db import DEFAULT_ATHLETE_ID, utc_now_iso
from stridelab.errors import AuthError, ForbiddenError, InputError
from stridelab.store.database import Database

__all__ = [
    "MIN_PASSWORD_LENGTH",
    "Account",
    "Athlete",
    "Role",
    "accounts_exist",
    "authenticate",
    "create_account",
    "end_sessions",
    "get_account",
    "pick_athlete",
    "require_athlete",
    "visible_athletes",
]

#: Shortest password accepted (NIST SP 800-63B asks for at least 8).
MIN_PASSWORD_LENGTH: Final = 8
_USERNAME_RE: Final = re.compile(r"^[A-Za-z0-9_.-]{2,40}$")
_HASHER: Final = PasswordHasher()


class Role(StrEnum):
    """What an account may see."""

    COACH = "coach"
    ATHLETE = "athlete"


@dataclass(frozen=True)
class Account:
    """A person who signs in. An athlete account is tied to exactly one athlete."""

    id: int
    username: str
    role: Role
    athlete_id: int | None
    #: Sessions carry the version they were signed in under; :func:`end_sessions` bumps it.
    session_version: int = 0


@dataclass(frozen=True)
class Athlete:
    """A runner whose data the app holds."""

    id: int
    name: str


def accounts_exist(db: Database) -> bool:
    """Whether any account is configured (then sign-in is required)."""
    conn = db.connection
    return conn.execute("SELECT 1 FROM coach_accounts LIMIT 1").fetchone() is not None


def create_account(
    db: Database,
    username: str,
    password: str,
    role: Role,
    *,
    coach_username: str | None = None,
) -> Account:
    """Create an account; an athlete account gets its own athlete row.

    The first athlete account takes over the single-user athlete (and its data).
    ``coach_username`` links a new athlete to an existing coach.
    """
    if not _USERNAME_RE.match(username):
        raise InputError(
            f"username {username!r} is not allowed",
            hint="Use 2–40 letters, digits, '.', '_' or '-'.",
        )
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InputError(
            f"the password is shorter than {MIN_PASSWORD_LENGTH} characters",
            hint="Choose a longer password.",
        )
    password_hash = _HASHER.hash(password)
    now = utc_now_iso()
    with db.transaction() as conn:
        athlete_id: int | None = None
        if role is Role.ATHLETE:
            default_taken = conn.execute(
                "SELECT 1 FROM coach_accounts WHERE athlete_id = ?", (DEFAULT_ATHLETE_ID,)
            ).fetchone()
            if default_taken is None:
                athlete_id = DEFAULT_ATHLETE_ID
                conn.execute(
                    "UPDATE coach_athletes SET name = ? WHERE id = ?", (username, athlete_id)
                )
            else:
                cursor = conn.execute(
                    "INSERT INTO coach_athletes (name, created_at) VALUES (?, ?)", (username, now)
                )
                athlete_id = int(cursor.lastrowid or 0)
        try:
            cursor = conn.execute(
                "INSERT INTO coach_accounts (username, password_hash, role, athlete_id, created_at)"
                " VALUES (?, ?, ?, ?, ?)",
                (username, password_hash, role.value, athlete_id, now),
            )
        except sqlite3.IntegrityError:
            raise InputError(
                f"the username {username!r} is taken", hint="Pick another username."
            ) from None
        account = Account(int(cursor.lastrowid or 0), username, role, athlete_id)
        if coach_username is not None and athlete_id is not None:
            coach = conn.execute(
                "SELECT id FROM coach_accounts WHERE username = ? AND role = 'coach'",
                (coach_username,),
            ).fetchone()
            if coach is None:
                raise InputError(
                    f"no coach account named {coach_username!r}",
                    hint="Create the coach account first.",
                )
            conn.execute(
                "INSERT INTO coach_coached (coach_account_id, athlete_id) VALUES (?, ?)",
                (int(coach[0]), athlete_id),
            )
    return account


def _account_from_row(row: sqlite3.Row) -> Account:
    athlete = row["athlete_id"]
    version = int(row["session_version"])
    return Account(int(row["id"]), str(row["username"]), Role(row["role"]), athlete, version)


def get_account(db: Database, account_id: int) -> Account | None:
    """The account with this id, if it still exists."""
    conn = db.connection
    row = conn.execute("SELECT * FROM coach_accounts WHERE id = ?", (account_id,)).fetchone()
    return None if row is None else _account_from_row(row)


def end_sessions(db: Database, account_id: int) -> None:
    """Sign the account out everywhere: every session cookie issued before now stops working."""
    with db.transaction() as conn:
        conn.execute(
            "UPDATE coach_accounts SET session_version = session_version + 1 WHERE id = ?",
            (account_id,),
        )


def authenticate(db: Database, username: str, password: str) -> Account:
    """Check a username and password; raises :class:`AuthError` on any mismatch."""
    conn = db.connection
    row = conn.execute("SELECT * FROM coach_accounts WHERE username = ?", (username,)).fetchone()
    failure = AuthError("wrong username or password", hint="Check both and try again.")
    if row is None:
        # Spend the same time as a real check so usernames cannot be probed by timing.
        _HASHER.hash(password)
        raise failure
    try:
        _HASHER.verify(str(row["password_hash"]), password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        raise failure from None
    return _account_from_row(row)


def visible_athletes(db: Database, account: Account | None) -> list[Athlete]:
    """The athletes an account may see: a coach their athletes (and own), an athlete only
    themselves; ``None`` (single-user mode) sees the default athlete."""
    conn = db.connection
    if account is None:
        rows = conn.execute(
            "SELECT id, name FROM coach_athletes WHERE id = ?", (DEFAULT_ATHLETE_ID,)
        ).fetchall()
    elif account.role is Role.COACH:
        rows = conn.execute(
            "SELECT a.id, a.name FROM coach_athletes a JOIN coach_coached c "
            "ON c.athlete_id = a.id WHERE c.coach_account_id = ? ORDER BY a.id",
            (account.id,),
        ).fetchall()
    else:
        rows = conn.execute(
            "SELECT id, name FROM coach_athletes WHERE id = ?", (account.athlete_id,)
        ).fetchall()
    return [Athlete(int(r[0]), str(r[1])) for r in rows]


def require_athlete(db: Database, account: Account | None, athlete_id: int) -> Athlete:
    """The athlete, if ``account`` may see them; else :class:`ForbiddenError`."""
    return pick_athlete(visible_athletes(db, account), athlete_id)


def pick_athlete(visible: Sequence[Athlete], athlete_id: int) -> Athlete:
    """The athlete with ``athlete_id`` among ``visible`` (from :func:`visible_athletes`);
    else :class:`ForbiddenError`."""
    for athlete in visible:
        if athlete.id == athlete_id:
            return athlete
    raise ForbiddenError(
        f"you may not see athlete {athlete_id}",
        hint="Pick one of your own athletes.",
    )
