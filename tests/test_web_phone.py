"""The Plan and Today pages on a phone (390 × 844, an iPhone 12–15) in a real Chromium.

Debian's chromium driven by Playwright, as in ``test_web_browser.py``: the real server on
a store seeded with the sample history and plan. Nothing may scroll sideways (the page
nor any card), the plan reads as a list of days, and Today opens with today's session.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from web_support import TODAY, TestClient, chromium, live_server, make_app

pytestmark = pytest.mark.slow

PHONE: dict[str, int] = {"width": 390, "height": 844}
DESKTOP: dict[str, int] = {"width": 1280, "height": 900}
#: The sample plan has an easy run the day after the tests' "today" (a Thursday rest day).
RUN_DAY = TODAY + dt.timedelta(days=1)

NO_SIDEWAYS_SCROLL = """() => ({
  page: document.scrollingElement.scrollWidth,
  cards: [...document.querySelectorAll('main section.card')]
    .filter(c => c.scrollWidth > c.clientWidth).map(c => c.id || c.className),
})"""


@pytest.fixture()
def browser() -> Iterator[Any]:
    """Debian's chromium under Playwright, or skip when it is not installed."""
    with chromium() as launched:
        yield launched


def _page(browser: Any, viewport: dict[str, int]) -> Any:
    page = browser.new_page(viewport=viewport)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.errors = errors
    return page


def test_plan_and_today_fit_a_phone(tmp_path: Path, browser: Any) -> None:
    app = make_app(tmp_path, today=RUN_DAY, seed_sample_data=True)
    expected = TestClient(app).get("/today.json").json()["today_session"]
    assert expected is not None and expected["kind"] != "rest"  # the case worth checking
    page = _page(browser, PHONE)
    with live_server(app) as base:
        page.goto(base + "/plan")
        assert page.evaluate(NO_SIDEWAYS_SCROLL) == {"page": PHONE["width"], "cards": []}
        days = page.locator("#calendar li.day")
        assert days.count() >= 7 * 10  # one row per day, every week of the plan
        # A list: each day is a full-width row, stacked (not a 7-column table).
        boxes = [days.nth(i).bounding_box() for i in range(7)]
        assert all(b["width"] > 0.8 * (PHONE["width"] - 60) for b in boxes)
        assert all(a["y"] < b["y"] for a, b in itertools.pairwise(boxes))
        today_row = page.locator("#calendar li.day.today")
        assert today_row.count() == 1
        row_text = today_row.inner_text()
        assert expected["title"] in row_text and "/km" in row_text  # title and targets
        assert "Warm-up" in page.locator("#calendar").inner_text()  # warm-up summaries
        page.click("#jump-this-week")  # past weeks come first: one tap to today's week
        assert today_row.bounding_box()["y"] < 2 * PHONE["height"]
        page.screenshot(path=str(tmp_path / "plan-phone.png"), full_page=True)

        page.goto(base + "/")
        assert page.evaluate(NO_SIDEWAYS_SCROLL) == {"page": PHONE["width"], "cards": []}
        first = page.evaluate(
            "() => { const h = document.querySelector('main h1'); return h.nextElementSibling.id; }"
        )
        assert first == "today-session"
        tops = page.evaluate(
            "() => [...document.querySelectorAll('main section.card')]"
            ".map(c => [c.id, c.getBoundingClientRect().top])"
        )
        assert min(tops, key=lambda t: t[1])[0] == "today-session"
        card = page.locator("#today-session").inner_text()
        assert expected["title"] in card and "/km" in card
        page.screenshot(path=str(tmp_path / "today-phone.png"), full_page=True)
    assert page.errors == []


def test_rest_day_says_so_first_on_today(tmp_path: Path, browser: Any) -> None:
    app = make_app(tmp_path, seed_sample_data=True)  # TODAY is a rest day in the sample
    assert TestClient(app).get("/today.json").json()["today_session"]["kind"] == "rest"
    page = _page(browser, PHONE)
    with live_server(app) as base:
        page.goto(base + "/today")
        assert page.evaluate(NO_SIDEWAYS_SCROLL) == {"page": PHONE["width"], "cards": []}
        assert "Rest day" in page.locator("main h1 + section#today-session").inner_text()
    assert page.errors == []


def test_plan_is_a_week_grid_on_a_desktop(tmp_path: Path, browser: Any) -> None:
    app = make_app(tmp_path, seed_sample_data=True)
    page = _page(browser, DESKTOP)
    with live_server(app) as base:
        page.goto(base + "/plan")
        assert page.evaluate(NO_SIDEWAYS_SCROLL) == {"page": DESKTOP["width"], "cards": []}
        week = page.locator("#calendar .plan-week").first.locator("li.day")
        tops = {round(week.nth(i).bounding_box()["y"]) for i in range(7)}
        assert len(tops) == 1  # Monday to Sunday side by side
    assert page.errors == []
