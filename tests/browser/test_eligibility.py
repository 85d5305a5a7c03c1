"""Browser: a line manager checks their worker's eligibility; the "Our rules" page of Halton.

Demo data (``load_demo``) loads the five packs and gives each demo social worker a career
record; the Lincolnshire worker has a maternity leave that pushes LINCS-03's two years
(003_beca269546173a23.txt). Screenshots go to ``SCREENSHOT_DIR``.
"""

from __future__ import annotations

import pytest

from councils.demo import demo_email
from tests.browser.test_smoke import (  # noqa: F401 (fixtures)
    SCREENSHOT_DIR,
    _assert_accessible,
    _sign_in,
    browser,
    demo,
)

pytestmark = pytest.mark.browser


def test_line_manager_checks_a_workers_eligibility(demo, browser, live_server):  # noqa: F811
    """LINCS-03, 003_beca269546173a23.txt: the demo worker registered on 2024-08-01 with
    179 days of maternity leave reaches two years on 2027-01-27."""
    page = browser.new_page()
    _sign_in(page, live_server.url, demo_email("line-manager", "lincolnshire"))
    page.get_by_role("link", name="Eligibility checker").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Eligibility checker"
    _assert_accessible(page, "eligibility checker")
    page.get_by_label("Worker").select_option(label="Amira Khan (Children with Disabilities (CWD))")
    page.get_by_label("Day").fill("1")
    page.get_by_label("Month").fill("12")
    page.get_by_label("Year").fill("2026")
    page.get_by_role("button", name="Check eligibility").click()
    page.wait_for_load_state()
    answer = page.locator("#answer").inner_text()
    assert "Amira Khan on 1 December 2026" in answer
    card = page.locator(".govuk-summary-card", has_text="Level 1 to Level 2").inner_text()
    assert "Not eligible" in card and "LINCS-03" in card and "27 January 2027" in card
    page.screenshot(path=f"{SCREENSHOT_DIR}/eligibility-checker.png", full_page=True)
    _assert_accessible(page, "eligibility answer")
    page.close()


def test_halton_rules_page_reads_as_policy(demo, browser, live_server):  # noqa: F811
    """HALTON-06, 004_5b66ca4edcf6546b.txt: level 3 at SCP 28, shown with its rule ID."""
    page = browser.new_page()
    _sign_in(page, live_server.url, demo_email("social-worker", "halton"))
    page.get_by_role("link", name="Our rules").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Our rules"
    assert "SCP 28" in page.locator("#rule-HALTON-06").inner_text()
    page.get_by_role("link", name="Levels and pay").click()
    assert "SCP 28" in page.locator("table").first.inner_text()
    page.screenshot(path=f"{SCREENSHOT_DIR}/rules-halton.png", full_page=True)
    _assert_accessible(page, "Halton rules page")
    page.close()
