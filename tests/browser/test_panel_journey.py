"""Browser journey through the panel and HR pages (Debian's Chromium via Playwright): a
Lincolnshire chair records a pass, downloads the decision record, and HR exports the pay
change for payroll (LINCS-24, LINCS-25, 003_beca269546173a23.txt)."""

from __future__ import annotations

import datetime as dt
import os

import pytest
from django_scopes import scope, scopes_disabled

from councils.models import Role
from panels import services
from panels.models import PayChange
from tests.browser.test_smoke import CHROMIUM, CHROMIUM_ARGS, SCREENSHOT_DIR, _assert_accessible
from tests.factories import TEST_PASSWORD, MembershipFactory
from tests.panels.conftest import submitted_case

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


def _sign_in(page, base, membership):
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Email address").fill(membership.user.email)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def _shot(page, name: str) -> None:
    page.screenshot(path=os.path.join(SCREENSHOT_DIR, f"panels-{name}.png"), full_page=True)


def test_lincolnshire_chair_records_a_pass_and_hr_exports_the_pay_change(
        transactional_db, browser, live_server, tmp_path):
    from councils.models import Council
    from councils.rules.loader import pack_dir
    from councils.rules.services import rulepack_load

    version, _ = rulepack_load(path=pack_dir() / "lincolnshire.yaml")
    council = Council.objects.get(pk=version.council_id)
    chair = MembershipFactory(council=council, roles=[Role.HEAD_OF_SERVICE, Role.PANEL_CHAIR],
                              user__full_name="Helen Chair")
    second = MembershipFactory(council=council, roles=[Role.HEAD_OF_SERVICE],
                               user__full_name="Harry Head")
    admin = MembershipFactory(council=council, roles=[Role.COUNCIL_ADMIN])
    hr = MembershipFactory(council=council, roles=[Role.HR], user__full_name="Hannah HR")
    worker = MembershipFactory(council=council, roles=[Role.SOCIAL_WORKER],
                               user__full_name="Sam Worker")
    case = submitted_case(council, "level-1-to-level-2", level="level-1", worker=worker)
    with scope(council=council):
        sitting = services.sitting_schedule(
            actor=admin, council=council, name="Career Progression Panel",
            routes=["level-1-to-level-2"], sitting_on=dt.date(2026, 9, 15), month="",
            chair=chair, members=[(second, Role.HEAD_OF_SERVICE)], today=dt.date(2026, 9, 1))
        services.agenda_list_case(actor=admin, sitting=sitting, case=case)
    base = live_server.url
    page = browser.new_page()

    # The chair finds the sitting from the home page and records the pass.
    _sign_in(page, base, chair)
    page.get_by_role("link", name="Career Progression Panel, 15 September 2026").click()
    _assert_accessible(page, "sitting")
    _shot(page, "1-sitting")
    page.get_by_role("link", name="Record decision for Sam Worker").click()
    _assert_accessible(page, "decision form")
    _shot(page, "2-decision-form")
    page.get_by_label("Endorsed (LINCS-21, LINCS-24, LINCS-25)").check()
    page.get_by_role("button", name="Issue decision").click()
    assert page.get_by_role("heading", level=1, name="Decision: Endorsed").is_visible()
    summary = page.locator(".govuk-summary-list").inner_text()
    assert "level-1 to level-2 at SCP 25" in summary and "15 September 2026" in summary
    _assert_accessible(page, "decision")
    _shot(page, "3-decision")
    with page.expect_download() as info:
        page.get_by_role("link", name="Download the decision record (PDF)").click()
    pdf = tmp_path / "record.pdf"
    info.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF")

    # HR exports the pay change and downloads the batch.
    _sign_in(page, base, hr)
    assert "1 pay change ready to export" in page.content()
    page.get_by_role("link", name="Pay changes and exports").click()
    _assert_accessible(page, "pay changes")
    _shot(page, "4-pay-changes")
    page.get_by_label("CSV").check()
    page.get_by_role("button", name="Export ready pay changes").click()
    assert "Batch 1 exported with 1 pay change(s)" in page.content()
    _shot(page, "5-exported")
    with page.expect_download() as info:
        page.get_by_role("link", name="CSV of batch 1").click()
    csv_file = tmp_path / "batch.csv"
    info.value.save_as(csv_file)
    text = csv_file.read_text(encoding="utf-8-sig")
    assert "Sam Worker" in text and "SCP 25" in text and "2026-09-15" in text
    with scopes_disabled():
        assert PayChange.objects.get().batch.number == 1
