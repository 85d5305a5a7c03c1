"""A council administrator manages people in the browser: invites someone by e-mail, gives
them roles and a line manager, deactivates them, and their history stays.

Debian's Chromium through Playwright against pytest-django's live server, launched as in
``test_smoke``; axe-core checks the people list, the invite form with its errors and the
person's page. Screenshots go to ``SCREENSHOT_DIR`` (default /tmp).
"""

from __future__ import annotations

import pytest
from django.core import mail
from django_scopes import scope

from councils.models import AuditEvent, Council, Membership
from tests.browser.test_smoke import (  # noqa: F401 (browser and demo are fixtures)
    SCREENSHOT_DIR,
    _assert_accessible,
    _sign_in,
    browser,
    demo,
)

pytestmark = pytest.mark.browser

SLUG = "halton"
NEW_EMAIL = "new.starter@halton.example"
NEW_NAME = "Nadia Newstarter"


def test_council_admin_invites_assigns_and_deactivates_and_the_history_stays(
    demo, browser, live_server  # noqa: F811
):
    page = browser.new_page()
    base = live_server.url
    _sign_in(page, base, f"council-admin@{SLUG}.demo")
    page.get_by_role("link", name="People and teams", exact=True).click()
    assert page.get_by_role("heading", level=1).inner_text() == "People"
    _assert_accessible(page, "people list")

    # Invite: an empty form first, to see the error summary, then the real thing.
    page.get_by_role("link", name="Invite a person").click()
    page.get_by_role("button", name="Send invitation").click()
    summary = page.locator(".govuk-error-summary")
    assert summary.is_visible()
    assert "Enter the person's e-mail address" in summary.inner_text()
    assert page.title().startswith("Error: ")
    # Every field in error has the red border, the e-mail input included.
    red = "rgb(212, 53, 28)"
    for name in ("email", "full_name"):
        colour = page.locator(f"input[name={name}]").evaluate(
            "element => getComputedStyle(element).borderTopColor")
        assert colour == red, f"{name} in error has a {colour} border"
    page.screenshot(path=f"{SCREENSHOT_DIR}/people-invite-errors.png", full_page=True)
    _assert_accessible(page, "invite form with errors")
    # The error summary's links take the keyboard to the field.
    summary.get_by_role("link", name="Enter the person's e-mail address").click()
    assert page.evaluate("document.activeElement.name") == "email"

    page.get_by_label("E-mail address").fill(NEW_EMAIL)
    page.get_by_label("Full name").fill(NEW_NAME)
    page.get_by_label("Social worker", exact=True).check()
    page.get_by_role("combobox", name="Line manager").select_option(
        label=f"Ben Carter (line-manager@{SLUG}.demo)")
    page.get_by_role("button", name="Send invitation").click()
    page.wait_for_load_state()
    assert f"Invitation sent to {NEW_EMAIL}" in page.locator("main").inner_text()
    assert [message.to for message in mail.outbox] == [[NEW_EMAIL]]
    assert "/accounts/reset/" in mail.outbox[0].body  # a set-password link

    # Give another role and another line manager.
    page.get_by_role("link", name=NEW_NAME, exact=True).click()
    assert page.get_by_role("heading", level=1).inner_text() == NEW_NAME
    page.get_by_label("Assessor", exact=True).check()
    page.get_by_role("combobox", name="Line manager").select_option(
        label=f"Chloe Davies (team-manager@{SLUG}.demo)")
    page.get_by_role("button", name="Save changes").click()
    page.wait_for_load_state()
    assert f"Changes to {NEW_NAME} saved" in page.locator("main").inner_text()
    row = page.locator("tr", has_text=NEW_NAME)
    assert "Chloe Davies" in row.inner_text() and "Assessor" in row.inner_text()

    # Deactivate, through the confirmation page.
    page.get_by_role("link", name=NEW_NAME, exact=True).click()
    page.get_by_role("link", name=f"Deactivate {NEW_NAME}").click()
    assert page.get_by_role("heading", level=1).inner_text() == f"Deactivate {NEW_NAME}?"
    _assert_accessible(page, "deactivate confirmation")
    page.get_by_role("button", name="Deactivate").click()
    page.wait_for_load_state()
    assert f"{NEW_NAME} has been deactivated" in page.locator("main").inner_text()
    assert page.locator("tr", has_text=NEW_NAME).count() == 0  # the list shows active people

    # Still there: listed among the deactivated, with the whole history on their page.
    page.get_by_role("combobox", name="Status").select_option(label="Deactivated")
    page.get_by_role("button", name="Filter").click()
    page.get_by_role("link", name=NEW_NAME, exact=True).click()
    main = page.locator("main").inner_text()
    assert "Deactivated on" in main
    history = page.locator("table", has=page.locator("th", has_text="What happened"))
    whats = history.locator("tbody tr td:nth-child(2)").all_inner_texts()
    assert [what.splitlines()[0] for what in whats] == [
        "Deactivated", "Roles, team or line manager changed", "Invited to the council"]
    assert "Roles now: Assessor, Social worker" in whats[1]
    assert history.locator("tbody tr td:nth-child(3)").all_inner_texts() == ["Isla Jones"] * 3
    page.screenshot(path=f"{SCREENSHOT_DIR}/people-deactivated-history.png", full_page=True)
    _assert_accessible(page, "deactivated person's page")
    page.close()

    council = Council.objects.get(slug=SLUG)
    with scope(council=council):
        membership = Membership.objects.select_related("line_manager__user").get(
            user__email=NEW_EMAIL)
        assert not membership.is_active and membership.deactivated_at is not None
        assert membership.line_manager.user.email == f"team-manager@{SLUG}.demo"
        assert sorted(a.role for a in membership.roles.all()) == ["assessor", "social-worker"]
        assert AuditEvent.objects.filter(affected_user=membership.user).count() == 3
