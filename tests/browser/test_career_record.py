"""The career record in the browser: the record page, the FTE on a chosen date, and the
edit form with errors that keeps what was typed. axe-core finds no serious or critical
violation on any of them. Screenshots go to ``SCREENSHOT_DIR`` (default /tmp)."""

from __future__ import annotations

import pytest

from tests.browser.test_smoke import (  # noqa: F401 (browser and demo are fixtures)
    SCREENSHOT_DIR,
    _assert_accessible,
    _sign_in,
    browser,
    demo,
)

pytestmark = pytest.mark.browser

SLUG = "lincolnshire"


def test_career_record_page_and_edit_form_are_accessible_and_keep_input(
    demo, browser, live_server  # noqa: F811
):
    page = browser.new_page()
    _sign_in(page, live_server.url, f"council-admin@{SLUG}.demo")
    page.goto(f"{live_server.url}/{SLUG}/manage/people/")
    page.get_by_role("link", name="Career record of Amira Khan").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Amira Khan"
    _assert_accessible(page, "career record")

    # FTE on a date: a bad date is explained and kept; a real one is answered.
    form = page.locator("#fte-on-date")
    form.get_by_label("Day").fill("31")
    form.get_by_label("Month").fill("2")
    form.get_by_label("Year").fill("2025")
    form.get_by_role("button", name="Show FTE on this date").click()
    page.wait_for_load_state()
    assert "Enter a real date" in page.locator(".govuk-error-summary").inner_text()
    assert page.locator("#fte-on-date").get_by_label("Day").input_value() == "31"
    _assert_accessible(page, "career record, FTE date in error")
    form = page.locator("#fte-on-date")
    form.get_by_label("Day").fill("1")
    form.get_by_role("button", name="Show FTE on this date").click()
    page.wait_for_load_state()
    answer = page.locator("#fte-on-date-answer").inner_text()
    assert answer.startswith("On 1 February 2025: ")
    page.screenshot(path=f"{SCREENSHOT_DIR}/career-record-fte-on-date.png", full_page=True)
    _assert_accessible(page, "career record with an FTE answer")

    # The edit form: a malformed registration number and a half-typed date.
    page.get_by_role("link", name="Change registration, qualification and employment").click()
    page.get_by_label("Social Work England registration number").fill("12345")
    qualification = page.get_by_role("group", name="Date of qualification")
    qualification.get_by_label("Day").fill("12")
    qualification.get_by_label("Month").fill("")
    qualification.get_by_label("Year").fill("2025")
    page.get_by_role("button", name="Save record").click()
    page.wait_for_load_state()
    summary = page.locator(".govuk-error-summary")
    summary.wait_for()
    assert page.title().startswith("Error: ")
    assert "SW12345" in summary.inner_text()
    assert "The date must include a month" in summary.inner_text()
    assert page.get_by_label("Social Work England registration number").input_value() == "12345"
    assert page.get_by_role("group", name="Date of qualification").get_by_label(
        "Day").input_value() == "12"
    page.screenshot(path=f"{SCREENSHOT_DIR}/career-record-edit-errors.png", full_page=True)
    _assert_accessible(page, "career record edit form with errors")
    page.close()
