"""Browser smoke test: every demo role of every council signs in, sees its own home page,
and axe-core finds no serious or critical accessibility violation on the pages visited.

Runs Debian's Chromium through Playwright's sync API against pytest-django's live server.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from councils.demo import (
    AGENCY_EMAIL,
    COUNCILS,
    DEMO_PASSWORD,
    DEMO_PEOPLE,
    demo_email,
    load_demo,
)
from councils.selectors import SECTION_ROLES
from tests.councils.test_home import SECTION_HEADINGS

# Playwright's sync API runs an event loop in this thread; Django's async-safety check would
# otherwise refuse the ORM calls the live-server tests make from it.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--no-first-run",
]
SCREENSHOT_DIR = os.environ.get("SCREENSHOT_DIR", "/tmp")


@pytest.fixture(scope="module")
def browser() -> Iterator:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def demo(transactional_db) -> None:
    load_demo()


def _assert_accessible(page, what: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    serious = [v for v in results.response["violations"]
               if v["impact"] in ("serious", "critical")]
    assert not serious, f"{what}: {results.generate_report()}"


def _sign_in(page, base_url: str, email: str, password: str = DEMO_PASSWORD) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def _section_for(role: str) -> str:
    return next(SECTION_HEADINGS[key] for key, roles in SECTION_ROLES.items() if role in roles)


@pytest.mark.parametrize("spec", COUNCILS, ids=[spec.slug for spec in COUNCILS])
def test_each_demo_role_signs_in_and_sees_its_own_accessible_home_page(spec, demo, browser,
                                                                       live_server):
    # One page for the council: signing out must leave nothing behind for the next person.
    page = browser.new_page()
    for role, full_name, _ in DEMO_PEOPLE:
        _sign_in(page, live_server.url, demo_email(role, spec.slug))
        assert page.url == f"{live_server.url}/{spec.slug}/", f"{role} landed on {page.url}"
        header = page.locator(".govuk-header").inner_text()
        assert spec.name in header
        assert page.get_by_role("heading", level=1).inner_text() == f"Welcome, {full_name}"
        assert page.get_by_role("heading", level=2, name=_section_for(role)).is_visible()
        _assert_accessible(page, f"{spec.slug} home as {role}")
        if spec.slug == "north-east-lincolnshire" and role == "line-manager":
            page.screenshot(path=f"{SCREENSHOT_DIR}/home-line-manager.png", full_page=True)
        page.get_by_role("button", name="Sign out").click()
        page.wait_for_load_state()
        assert page.url == f"{live_server.url}/accounts/login/"
    page.close()


def test_sign_in_pages_are_accessible_with_and_without_errors(demo, browser, live_server):
    page = browser.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.screenshot(path=f"{SCREENSHOT_DIR}/sign-in.png", full_page=True)
    _assert_accessible(page, "sign-in page")
    _sign_in(page, live_server.url, "hr@halton.demo", "not-the-password")
    assert page.locator(".govuk-error-summary").is_visible()
    page.screenshot(path=f"{SCREENSHOT_DIR}/sign-in-error.png", full_page=True)
    _assert_accessible(page, "sign-in page with an error")
    for path in ("/accounts/password-reset/", "/accessibility/"):
        page.goto(f"{live_server.url}{path}")
        _assert_accessible(page, path)
    page.close()


def test_agency_worker_chooses_a_council_and_switches(demo, browser, live_server):
    page = browser.new_page()
    _sign_in(page, live_server.url, AGENCY_EMAIL)
    assert page.get_by_role("heading", level=1).inner_text() == "Choose a council"
    _assert_accessible(page, "choose a council")
    page.get_by_role("link", name="Halton Borough Council").click()
    assert "Halton Borough Council" in page.locator(".govuk-header").inner_text()
    page.get_by_role("link", name="Switch council").click()
    page.get_by_role("link", name="Stoke-on-Trent City Council").click()
    assert "Stoke-on-Trent City Council" in page.locator(".govuk-header").inner_text()
    page.screenshot(path=f"{SCREENSHOT_DIR}/home-agency.png", full_page=True)
    page.close()
