"""Browser journeys through the portfolio pages (Debian's Chromium via Playwright):
a Lincolnshire worker books, sees their five KSS, uploads, fills the grid and submits; a
Derbyshire grade 10 to 11 portfolio shows its checklist and anonymisation warnings."""

from __future__ import annotations

import datetime as dt
import os
import re

import pytest
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from councils.models import Role
from portfolios import services
from portfolios.models import CaseStatus, ProgressionCase
from tests.browser.test_smoke import CHROMIUM, CHROMIUM_ARGS, SCREENSHOT_DIR, _assert_accessible
from tests.factories import TEST_PASSWORD, MembershipFactory, TeamFactory
from tests.portfolios.conftest import PDF, CareerRecordFactory

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {**settings.STORAGES,
                         "default": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                                     "OPTIONS": {"location": tmp_path / "media",
                                                 "base_url": None}}}


def _people(council, tags, level, **record):
    team = TeamFactory(council=council, tags=tags)
    tm = MembershipFactory(council=council, team=team, roles=[Role.TEAM_MANAGER],
                           user__full_name="Tara Manager")
    ps = MembershipFactory(council=council, team=team, line_manager=tm,
                           roles=[Role.PRACTICE_SUPERVISOR, Role.LINE_MANAGER],
                           user__full_name="Pat Supervisor")
    worker = MembershipFactory(council=council, team=team, line_manager=ps,
                               roles=[Role.SOCIAL_WORKER], user__full_name="Sam Worker")
    admin = MembershipFactory(council=council, team=team, roles=[Role.COUNCIL_ADMIN],
                              user__full_name="Alex Admin")
    CareerRecordFactory(council=council, membership=worker, current_level=level, **record)
    return {"worker": worker, "ps": ps, "tm": tm, "admin": admin}


def _sign_in(page, base, membership):
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Email address").fill(membership.user.email)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def _fill_date(page, on: dt.date) -> None:
    page.get_by_label("Day", exact=True).fill(str(on.day))
    page.get_by_label("Month", exact=True).fill(str(on.month))
    page.get_by_label("Year", exact=True).fill(str(on.year))


def _load(slug):
    from councils.models import Council
    from councils.rules.loader import pack_dir
    from councils.rules.services import rulepack_load

    version, _ = rulepack_load(path=pack_dir() / f"{slug}.yaml")
    return Council.objects.get(pk=version.council_id)


def test_lincolnshire_worker_books_sees_kss_uploads_fills_grid_and_submits(
        transactional_db, browser, live_server, tmp_path):
    council = _load("lincolnshire")
    p = _people(council, ["fast"], "level-1", registration_date=dt.date(2023, 1, 10))
    base = live_server.url
    page = browser.new_page()

    # The worker starts the route (open to FAST/CWD teams only).
    _sign_in(page, base, p["worker"])
    page.goto(f"{base}/{council.slug}/portfolios/start/")
    _assert_accessible(page, "start a route")
    page.get_by_label("Level 1 to Level 2 Social Worker (FAST and CWD)").check()
    page.get_by_role("button", name="Start this route").click()
    assert page.get_by_role("heading", level=2, name="What I still need").is_visible()
    case_url = page.url
    case_id = int(re.search(r"/portfolios/(\d+)/", case_url).group(1))

    # Practice supervisor and team manager confirm readiness (LINCS-05) in the browser.
    for who, option in (("ps", "As practice supervisor: confirms the readiness"),
                        ("tm", "As team manager: confirms the readiness")):
        _sign_in(page, base, p[who])
        page.goto(f"{case_url}sign/")
        if who == "ps":
            _assert_accessible(page, "sign-off page")
        page.get_by_label(re.compile(re.escape(option))).check()
        page.get_by_label(re.compile("I have read the content")).check()
        page.get_by_role("button", name="Record sign-off").click()
        assert "Signed." in page.content()

    # The administrator confirms the booking: sitting month and submission date.
    _sign_in(page, base, p["admin"])
    page.goto(f"{base}/{council.slug}/portfolios/{case_id}/booking/")
    _assert_accessible(page, "booking")
    page.get_by_label("Sitting").fill("2027-04")
    _fill_date(page, dt.date(2027, 3, 19))
    page.get_by_role("button", name="Confirm booking").click()
    with scopes_disabled():
        case = ProgressionCase.objects.get(pk=case_id)
    allocated = case.allocated_kss
    assert len(allocated) == 5 and {4, 5, 7} <= set(allocated)

    # The worker sees their five KSS, uploads an observation and writes a KSS statement.
    _sign_in(page, base, p["worker"])
    page.goto(case_url)
    kss_text = page.locator(".govuk-summary-list").inner_text()
    assert ", ".join(f"KSS {k}" for k in allocated) in kss_text
    assert page.locator(".app-kss-grid .govuk-tag--purple").count() == 5
    page.goto(f"{case_url}upload/")
    page.get_by_label("What this evidence is for").select_option("observations")
    page.get_by_label("Title").fill("Observation of a home visit")
    _fill_date(page, dt.date(2026, 10, 1))
    page.get_by_label(f"KSS {allocated[0]}:", exact=False).check()
    fake = tmp_path / "not-a-pdf.pdf"
    fake.write_bytes(b"plain text pretending to be a PDF")
    page.get_by_label("File", exact=True).set_input_files(str(fake))
    page.get_by_role("button", name="Upload evidence").click()
    assert page.locator(".govuk-error-summary").is_visible()
    assert page.get_by_label("Title").input_value() == "Observation of a home visit"
    page.screenshot(path=f"{SCREENSHOT_DIR}/portfolio-upload-error.png", full_page=True)
    _assert_accessible(page, "upload with an error")
    real = tmp_path / "observation.pdf"
    real.write_bytes(PDF)
    page.get_by_label("File", exact=True).set_input_files(str(real))
    page.get_by_role("button", name="Upload evidence").click()
    assert "Added: Observation of a home visit" in page.content()

    page.goto(f"{case_url}write/")
    page.get_by_label("What this evidence is for").select_option("kss-statements")
    page.get_by_label("Title").fill("How I meet my allocated KSS")
    _fill_date(page, dt.date(2026, 11, 1))
    for k in allocated:
        page.get_by_label(f"KSS {k}:", exact=False).check()
    page.get_by_label("Your statement").fill("I assess risk with families every week.")
    page.get_by_role("button", name="Save statement").click()
    assert "(7 words)" in page.content()

    # The rest of the portfolio, through the same services the pages call.
    with scope(council=council):
        worker = p["worker"]
        add = services.evidence_add_statement
        on = dt.date(2026, 11, 2)
        add(actor=worker, case=case, kind="written-statement", topic="role-summary",
            title="Role summary", practice_on=on, statement="I work in FAST.")
        for n in range(2):
            add(actor=worker, case=case, kind="case-example", title=f"Case example {n}",
                practice_on=on, statement="Mosaic 1234.", kss=allocated)
        add(actor=worker, case=case, kind="cpd-record", title="Workshop", practice_on=on,
            statement="Practice workshop.", kss=allocated)
        add(actor=worker, case=case, kind="direct-observation", title="Second observation",
            practice_on=dt.date(2026, 7, 1), statement="Observed.")
        add(actor=worker, case=case, kind="appraisal", title="Appraisal", practice_on=on,
            statement="Appraisal 2026.")
        for d in (dt.date(2026, 7, 1), dt.date(2026, 10, 1)):
            add(actor=worker, case=case, kind="supervision-record", title=f"Supervision {d}",
                practice_on=d, statement="Supervision.")
        for n in range(2):
            add(actor=worker, case=case, kind="service-user-feedback", title=f"Feedback {n}",
                practice_on=on, statement="Helpful.", kss=allocated)
        add(actor=worker, case=case, kind="manager-report", title="D. Line manager report",
            practice_on=on, statement="Ready.", by_role="practice-supervisor",
            filled_fields=["date-read-and-approved", "capability-procedures",
                           "two-years-since-registration", "expert-in-safeguarding",
                           "all-10-kss-met", "good-reflection-of-practice"])

    page.goto(f"{base}/{council.slug}/")
    needs = page.locator("main").inner_text()
    assert "What I still need" in needs and "Sign-off: your team manager endorses" in needs
    page.screenshot(path=f"{SCREENSHOT_DIR}/portfolio-lincs-home-needs.png", full_page=True)
    page.goto(case_url)
    page.screenshot(path=f"{SCREENSHOT_DIR}/portfolio-lincs-grid.png", full_page=True)
    _assert_accessible(page, "portfolio page")
    page.goto(f"{case_url}submit/")
    page.get_by_role("button", name="Submit portfolio").click()
    summary = page.locator(".govuk-error-summary").inner_text()
    assert "Sign-off missing: your team manager endorses the portfolio" in summary
    page.screenshot(path=f"{SCREENSHOT_DIR}/portfolio-lincs-submit-refused.png", full_page=True)
    _assert_accessible(page, "submit page with the refusal")

    # Practice supervisor verifies and approves, team manager endorses (LINCS-08, 15, 16).
    for who, options in (("ps", ["verifies the all-10-kss-met", "approves the portfolio"]),
                         ("tm", ["endorses the portfolio"])):
        _sign_in(page, base, p[who])
        for option in options:
            page.goto(f"{case_url}sign/")
            if option == "approves the portfolio":
                page.screenshot(path=f"{SCREENSHOT_DIR}/portfolio-lincs-signoff.png",
                                full_page=True)
                _assert_accessible(page, "sign-off page with content listed")
            page.get_by_label(re.compile(re.escape(option))).check()
            page.get_by_label(re.compile("I have read the content")).check()
            page.get_by_role("button", name="Record sign-off").click()

    _sign_in(page, base, p["worker"])
    page.goto(f"{case_url}submit/")
    page.screenshot(path=f"{SCREENSHOT_DIR}/portfolio-lincs-submit.png", full_page=True)
    page.get_by_role("button", name="Submit portfolio").click()
    assert "Your portfolio is submitted." in page.content()
    with scopes_disabled():
        case.refresh_from_db()
        assert case.status == CaseStatus.SUBMITTED
        assert len(case.portfolios.get().submission.manifest) == 13
    page.screenshot(path=f"{SCREENSHOT_DIR}/portfolio-lincs-submitted.png", full_page=True)
    page.close()


def test_derbyshire_grade_10_to_11_portfolio_with_its_checklist(transactional_db, browser,
                                                                live_server):
    council = _load("derbyshire")
    p = _people(council, [], "grade-10")
    base = live_server.url
    page = browser.new_page()
    _sign_in(page, base, p["worker"])
    page.goto(f"{base}/{council.slug}/portfolios/start/")
    page.get_by_label("Grade 10 to Grade 11", exact=False).check()
    page.get_by_role("button", name="Start this route").click()
    case_url = page.url
    page.get_by_role("link", name="Choose window").click()
    windows = page.get_by_role("radio")
    windows.first.check()
    page.get_by_role("button", name="Choose window").click()
    text = page.locator("main").inner_text()
    for rule in ("DERBY-17", "DERBY-16, DERBY-18", "DERBY-19, CONV-04", "DERBY-20"):
        assert rule in text
    assert "Still needed" in text and "If applicable" in text
    page.goto(f"{case_url}write/")
    page.get_by_label("What this evidence is for").select_option("enabling-learning")
    page.get_by_label("Title").fill("Enabling others' learning")
    _fill_date(page, timezone.localdate() - dt.timedelta(days=10))
    page.get_by_label("Your statement").fill(
        "I mentored a student who worked with Mrs Jones at DE1 3AA.")
    page.get_by_role("button", name="Save statement").click()
    page.goto(f"{case_url}submit/")
    warning = page.locator("main").inner_text()
    assert "name with a title" in warning and "postcode" in warning
    page.screenshot(path=f"{SCREENSHOT_DIR}/portfolio-derby-checklist.png", full_page=True)
    _assert_accessible(page, "derbyshire submit page")
    page.get_by_role("button", name="Submit portfolio").click()
    summary = page.locator(".govuk-error-summary").inner_text()
    assert "fully anonymised" in summary and "DERBY-19" in summary
    page.close()
