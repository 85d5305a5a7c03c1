"""Browser journeys through the ASYE year (Playwright, Debian's Chromium): an NQSW and a
manager at Stoke-on-Trent and at North East Lincolnshire, including a child-protection
allocation refused at month five (STOKE-29) and an attendance warning below threshold
(NELC-09). Screenshots go to SCREENSHOT_DIR."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator

import pytest
from django.utils import timezone
from django_scopes import scope

from progression.asye import services
from progression.engine import add_months
from tests.browser.test_smoke import CHROMIUM, CHROMIUM_ARGS, SCREENSHOT_DIR, _assert_accessible
from tests.progression.asye.setup import cast, enrol, hold_review

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
pytestmark = pytest.mark.browser
PASSWORD = "correct-horse-battery"


@pytest.fixture(scope="module")
def browser() -> Iterator:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _sign_in(page, base: str, email: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def _month_five(slug: str, tags=("css",)):
    """A cast whose programme started five months ago (the 3-month review held)."""
    start = add_months(timezone.localdate(), -5)
    c = cast(slug, team_tags=tags, qualified=start - dt.timedelta(days=60))
    p = enrol(c, start)
    hold_review(c, p, 3)
    return c, p


def test_stoke_manager_is_refused_child_protection_at_month_five(transactional_db, browser,
                                                                 live_server):
    """STOKE-29, STOKE-26, 001_cfd4d7839e7e381c.txt."""
    c, p = _month_five("stoke-on-trent")
    page = browser.new_page()
    _sign_in(page, live_server.url, c.manager.user.email)
    assert page.get_by_role("heading", name="NQSWs you manage").is_visible()
    page.get_by_role("link", name=c.nqsw.user.full_name).first.click()
    page.get_by_role("link", name="Allocate a case").click()
    page.get_by_label("Child's case reference").fill("CP-0001")
    page.get_by_label("Kind of case").select_option("child-protection")
    page.get_by_role("button", name="Allocate").click()
    summary = page.locator(".govuk-error-summary")
    assert summary.is_visible() and "STOKE-29" in summary.inner_text()
    assert page.get_by_label("Child's case reference").input_value() == "CP-0001"
    page.screenshot(path=f"{SCREENSHOT_DIR}/asye-stoke-cp-refused.png", full_page=True)
    _assert_accessible(page, "allocation refused")
    page.get_by_label("Child's case reference").fill("CIN-0001")
    page.get_by_label("Kind of case").select_option("child-in-need")
    page.get_by_role("button", name="Allocate").click()
    assert "Case CIN-0001 allocated" in page.content()
    page.get_by_role("link", name="Record a supervision session").click()
    today = timezone.localdate()
    page.get_by_label("Day", exact=True).fill(str(today.day))
    page.get_by_label("Month", exact=True).fill(str(today.month))
    page.get_by_label("Year", exact=True).fill(str(today.year))
    page.get_by_role("button", name="Record the session").click()
    assert "Supervision session recorded" in page.content()
    page.screenshot(path=f"{SCREENSHOT_DIR}/asye-stoke-programme-manager.png", full_page=True)
    _assert_accessible(page, "programme page (manager)")
    page.close()


def test_stoke_nqsw_sees_the_year_and_escalates_the_caseload(transactional_db, browser,
                                                             live_server):
    """STOKE-09, STOKE-21, STOKE-27, 001_cfd4d7839e7e381c.txt."""
    c, p = _month_five("stoke-on-trent")
    page = browser.new_page()
    _sign_in(page, live_server.url, c.nqsw.user.email)
    assert page.get_by_role("heading", name="Your ASYE year").is_visible()
    assert page.get_by_text("Signed learning agreement").is_visible()  # missing, overdue
    page.screenshot(path=f"{SCREENSHOT_DIR}/asye-stoke-nqsw-home.png", full_page=True)
    _assert_accessible(page, "NQSW home")
    page.get_by_role("button", name="Escalate my caseload").first.click()
    assert "Caseload breach reported" in page.content()
    page.get_by_role("link", name="Ask for a study day").click()
    page.get_by_role("button", name="Ask for the study day").click()
    assert page.locator(".govuk-error-summary").is_visible()
    page.get_by_label("What the day is for").fill("Portfolio writing")
    page.get_by_label("Day", exact=True).fill("2")
    page.get_by_label("Month", exact=True).fill("3")
    page.get_by_label("Year", exact=True).fill(str(timezone.localdate().year + 1))
    page.get_by_role("button", name="Ask for the study day").click()
    assert "Study day asked for" in page.content()
    assert "1 of 6 used" in page.content()
    page.close()


def test_nelc_nqsw_sees_the_attendance_warning(transactional_db, browser, live_server):
    """NELC-09, 000_b405b76582c345ce.txt: below 10 of 12 with unapproved absences."""
    c, p = _month_five("north-east-lincolnshire", tags=())
    with scope(council=c.council):
        for i in range(3):
            day = services.development_day_create(
                actor=c.lead, council=c.council, series="development-days",
                held_on=p.started_on + dt.timedelta(days=20 + 30 * i))
            services.attendance_record(actor=c.lead, programme=p, day=day, attended=False,
                                       absence_reason="other")
    page = browser.new_page()
    _sign_in(page, live_server.url, c.nqsw.user.email)
    warning = page.locator(".govuk-warning-text").first
    assert "below the threshold" in warning.inner_text() and "NELC-09" in warning.inner_text()
    page.screenshot(path=f"{SCREENSHOT_DIR}/asye-nelc-nqsw-home.png", full_page=True)
    _assert_accessible(page, "NELC NQSW home")
    page.close()


def test_nelc_manager_records_attendance_and_the_six_month_review(transactional_db, browser,
                                                                   live_server):
    """NELC-09, NELC-11, 000_b405b76582c345ce.txt."""
    c, p = _month_five("north-east-lincolnshire", tags=())
    with scope(council=c.council):
        services.development_day_create(actor=c.lead, council=c.council,
                                        series="development-days",
                                        held_on=p.started_on + dt.timedelta(days=30))
    page = browser.new_page()
    _sign_in(page, live_server.url, c.manager.user.email)
    page.get_by_role("link", name=c.nqsw.user.full_name).first.click()
    page.get_by_role("link", name="Record attendance").click()
    page.get_by_label("Session").select_option(index=1)
    page.get_by_label("Absent").check()
    page.get_by_label("Reason for the absence").select_option("court")
    page.get_by_role("button", name="Record attendance").click()
    assert "1 approved absence" in page.content()
    page.get_by_role("link", name="Record the 6-month review").click()
    page.get_by_label("Progress against the KSS").fill("Good progress on KSS 1 to 5")
    page.get_by_label("Actions and targets for the next period").fill("Lead a CIN plan")
    page.get_by_label("Learning agreement revisited").fill("Stands; add court skills")
    page.get_by_role("button", name="Save the review record").click()
    page.get_by_role("button", name="Sign the 6-month review").click()
    assert "You signed the 6-month review" in page.content()
    page.screenshot(path=f"{SCREENSHOT_DIR}/asye-nelc-programme-manager.png", full_page=True)
    _assert_accessible(page, "NELC programme page (manager)")
    page.close()


def _date(page, on: dt.date) -> None:
    page.get_by_label("Day", exact=True).fill(str(on.day))
    page.get_by_label("Month", exact=True).fill(str(on.month))
    page.get_by_label("Year", exact=True).fill(str(on.year))


def test_stoke_year_from_enrolment_to_the_panel(transactional_db, browser, live_server):
    """STOKE-09, STOKE-10, STOKE-17, 001_cfd4d7839e7e381c.txt: the ASYE lead enrols, the
    three sign the learning agreement, the manager recommends, the assessor hands over."""
    start = add_months(timezone.localdate(), -11)
    c = cast("stoke-on-trent", qualified=start - dt.timedelta(days=60))
    base = live_server.url

    lead = browser.new_context().new_page()
    _sign_in(lead, base, c.lead.user.email)
    lead.get_by_role("link", name="enrol a social worker").click()
    lead.get_by_label("Social worker").select_option(label=c.nqsw.user.full_name)
    _date(lead, start)
    lead.get_by_label("Full time").check()
    lead.get_by_role("button", name="Enrol").click()
    assert "is enrolled on the ASYE" in lead.content()
    assert f"{add_months(start, 12):%-d %B %Y}" in lead.content()  # STOKE-10 end
    programme_url = lead.url.split("#")[0]
    lead.get_by_role("link", name="Edit the learning agreement").click()
    lead.get_by_label("Agreed supervision frequency").fill("Weekly, then fortnightly, "
                                                           "then monthly")
    lead.get_by_label("Development plan").fill("Court skills; direct work with children")
    lead.get_by_role("button", name="Save the learning agreement").click()

    for member in (c.nqsw, c.manager, c.lead):
        page = lead if member == c.lead else browser.new_context().new_page()
        if member != c.lead:
            _sign_in(page, base, member.user.email)
        page.goto(programme_url)
        page.get_by_role("button", name="Sign the learning agreement").click()
        assert "You signed the learning agreement" in page.content()
    assert "Agreed" in lead.content()
    lead.screenshot(path=f"{SCREENSHOT_DIR}/asye-stoke-la-agreed.png", full_page=True)

    lead.goto(f"{base}/{c.council.slug}/asye/")
    assert lead.get_by_role("heading", name="ASYE cohort").is_visible()
    assert "Overdue" in lead.content()  # the reviews of an 11-month-old start are overdue
    lead.screenshot(path=f"{SCREENSHOT_DIR}/asye-stoke-cohort.png", full_page=True)
    _assert_accessible(lead, "cohort page")

    manager = browser.new_context().new_page()
    _sign_in(manager, base, c.manager.user.email)
    manager.goto(f"{base}/{c.council.slug}/asye/my-nqsws/")
    assert "Overdue" in manager.content()
    manager.screenshot(path=f"{SCREENSHOT_DIR}/asye-stoke-managed.png", full_page=True)
    _assert_accessible(manager, "manager's NQSW list")
    # The 3-month review: recorded with the learning agreement revisited, signed by the
    # NQSW and the manager, and held when the ASYE lead signs last (STOKE-15, STOKE-17).
    manager.goto(programme_url)
    manager.get_by_role("link", name="Record the 3-month review").click()
    manager.get_by_label("Progress against the KSS").fill("KSS 1 to 4 evidenced")
    manager.get_by_label("Actions and targets for the next period").fill("Lead a CIN plan")
    manager.get_by_label("Learning agreement revisited").fill("Stands as agreed")
    manager.get_by_role("button", name="Save the review record").click()
    for page in (manager, lead):
        if page is lead:
            nqsw = browser.new_context().new_page()
            _sign_in(nqsw, base, c.nqsw.user.email)
            nqsw.goto(programme_url)
            nqsw.get_by_role("button", name="Sign the 3-month review").click()
            assert "You signed the 3-month review" in nqsw.content()
            page.goto(programme_url)
        page.get_by_role("button", name="Sign the 3-month review").click()
        assert "You signed the 3-month review" in page.content()
    assert "Learning agreement: Stands as agreed" in lead.content()
    assert lead.locator("#reviews + table").get_by_text("Held").is_visible()

    manager.goto(programme_url)
    manager.get_by_role("link", name="Write the final report").click()
    manager.get_by_role("button", name="Sign and submit the report").click()
    assert manager.locator(".govuk-error-summary").is_visible()
    manager.get_by_label("Pass").check()
    manager.get_by_label("Final report").fill("Meets the KSS at ASYE level.")
    manager.get_by_role("button", name="Sign and submit the report").click()
    assert "Final report submitted" in manager.content()

    assessor = browser.new_context().new_page()
    _sign_in(assessor, base, c.assessor.user.email)
    assessor.goto(programme_url)
    assessor.get_by_role("button", name="Sign as assessor and hand to the panel").click()
    assert "Handed to the panel" in assessor.content()
    assessor.screenshot(path=f"{SCREENSHOT_DIR}/asye-stoke-handed-to-panel.png",
                        full_page=True)
    _assert_accessible(assessor, "programme handed to the panel")


def test_nelc_year_from_enrolment_to_the_panel(transactional_db, browser, live_server):
    """NELC-04, NELC-11, NELC-14, 000_b405b76582c345ce.txt: the ASYE co-ordinator enrols,
    the learning agreement is signed, the 3-month review is held with the agreement
    revisited, the co-ordinator's observation is planned and assessed, the manager
    recommends and the assessor hands over to the 12-month review panel."""
    start = add_months(timezone.localdate(), -11)
    c = cast("north-east-lincolnshire", team_tags=(), qualified=start - dt.timedelta(days=60))
    base = live_server.url

    lead = browser.new_context().new_page()
    _sign_in(lead, base, c.lead.user.email)
    lead.get_by_role("link", name="enrol a social worker").click()
    lead.get_by_label("Social worker").select_option(label=c.nqsw.user.full_name)
    _date(lead, start)
    lead.get_by_label("Full time").check()
    lead.get_by_role("button", name="Enrol").click()
    assert "is enrolled on the ASYE" in lead.content()
    assert f"{add_months(start, 12):%-d %B %Y}" in lead.content()  # NELC-04: 12 months
    programme_url = lead.url.split("#")[0]

    manager = browser.new_context().new_page()
    _sign_in(manager, base, c.manager.user.email)
    manager.goto(programme_url)
    manager.get_by_role("link", name="Edit the learning agreement").click()
    manager.get_by_label("Development plan").fill("Court skills; direct work with children")
    manager.get_by_role("button", name="Save the learning agreement").click()
    nqsw = browser.new_context().new_page()
    _sign_in(nqsw, base, c.nqsw.user.email)
    for page in (manager, nqsw):
        page.goto(programme_url)
        page.get_by_role("button", name="Sign the learning agreement").click()
        assert "You signed the learning agreement" in page.content()

    manager.goto(programme_url)
    manager.get_by_role("link", name="Record the 3-month review").click()
    manager.get_by_label("Progress against the KSS").fill("KSS 1 to 4 evidenced")
    manager.get_by_label("Actions and targets for the next period").fill("Lead a CIN plan")
    manager.get_by_label("Learning agreement revisited").fill("Add court skills")
    manager.get_by_role("button", name="Save the review record").click()
    for page in (manager, nqsw):
        page.goto(programme_url)
        page.get_by_role("button", name="Sign the 3-month review").click()
        assert "You signed the 3-month review" in page.content()
    assert nqsw.locator("#reviews + table").get_by_text("Held").is_visible()

    # NELC-14: the first observation is the ASYE co-ordinator's; the worker plans it.
    nqsw.get_by_role("link", name="Plan an observation").click()
    nqsw.get_by_label("Observer").select_option(label=c.lead.user.full_name)
    _date(nqsw, timezone.localdate())
    nqsw.get_by_role("button", name="Plan the observation").click()
    assert "Observation planned" in nqsw.content() and "(as asye-lead)" in nqsw.content()

    manager.goto(programme_url)
    manager.get_by_role("link", name="Write the final report").click()
    manager.get_by_label("Pass").check()
    manager.get_by_label("Final report").fill("Meets the KSS at ASYE level.")
    manager.get_by_role("button", name="Sign and submit the report").click()
    assert "Final report submitted" in manager.content()
    manager.screenshot(path=f"{SCREENSHOT_DIR}/asye-nelc-final-report.png", full_page=True)
    _assert_accessible(manager, "NELC programme with the final report")

    assessor = browser.new_context().new_page()
    _sign_in(assessor, base, c.assessor.user.email)
    assessor.goto(programme_url)
    assessor.get_by_role("button", name="Sign as assessor and hand to the panel").click()
    assert "Handed to the panel" in assessor.content()
