"""Browser: each council's "Our rules" page lists every rule of its pack with its ID and reads as
policy (levels and pay, routes, panels, appeals), without the pack's internal test references.

Seeds: NELC 000_b405b76582c345ce.txt, Stoke 001_cfd4d7839e7e381c.txt, Derbyshire
002_6df34af9a85cb432.txt, Lincolnshire 003_beca269546173a23.txt, Halton
004_5b66ca4edcf6546b.txt. Screenshots go to ``SCREENSHOT_DIR`` (rules-<council>.png).
"""

from __future__ import annotations

import pytest

from councils.demo import demo_email
from councils.rules.loader import load_all_packs
from tests.browser.test_smoke import (  # noqa: F401 (fixtures)
    SCREENSHOT_DIR,
    _assert_accessible,
    _sign_in,
    browser,
    demo,
)

pytestmark = pytest.mark.browser
PACKS = load_all_packs()


@pytest.mark.parametrize("slug", sorted(PACKS))
def test_rules_page_shows_every_rule_id_of_the_pack(slug, demo, browser, live_server):  # noqa: F811
    """Issue 4 "each rule with its ID": every catalogue ID has its row (#rule-ID) on the page,
    the page has one h1, and the catalogue's ``tested_by`` references are not shown."""
    pack = PACKS[slug]
    page = browser.new_page()
    _sign_in(page, live_server.url, demo_email("social-worker", slug))
    page.goto(f"{live_server.url}/{slug}/rules/")
    assert page.get_by_role("heading", level=1).inner_text() == "Our rules"
    for entry in pack.rules:
        row = page.locator(f"#rule-{entry.id}")
        assert row.count() == 1, entry.id
        assert entry.id in row.inner_text()
    body = page.locator("main").inner_text()
    assert "tests/engine/" not in body and "::test_" not in body
    for level in pack.levels:
        assert level.title in body
    page.screenshot(path=f"{SCREENSHOT_DIR}/rules-{slug}.png", full_page=True)
    _assert_accessible(page, f"{slug} rules page")
    page.close()
