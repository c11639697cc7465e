"""Shared fixtures. Real recordings live in ../shared/data; tests skip cleanly without it."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

from stridelab.coach.db import open_coach
from stridelab.store import Database

# Property tests: no per-example deadline (the 2-core machine is shared and timing is not
# what they test), and in CI a fixed example sequence, so a red CI is a real regression
# that reproduces, not a new random draw. Locally they keep exploring new examples.
settings.register_profile(
    "stridelab", deadline=None, derandomize=bool(os.environ.get("CI")), print_blob=True
)
settings.load_profile("stridelab")

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = REPO_ROOT.parent / "shared" / "data"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """``../shared/data`` (activities/, video/), or skip the test when it is absent."""
    if not SHARED_DATA.is_dir():
        pytest.skip("../shared/data is not beside the checkout")
    return SHARED_DATA


@pytest.fixture(scope="session")
def shared_activities(shared_data: Path) -> Path:
    """The real watch recordings folder."""
    return shared_data / "activities"


@pytest.fixture(scope="session")
def shared_video(shared_data: Path) -> Path:
    """The real human-motion clips folder."""
    return shared_data / "video"


@pytest.fixture()
def coach_db(tmp_path: Path) -> Iterator[Database]:
    """A fresh store with both migration sets applied (``data/stridelab.db``)."""
    with open_coach(tmp_path / "data" / "stridelab.db") as db:
        yield db
