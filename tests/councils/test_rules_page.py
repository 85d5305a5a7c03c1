"""The "Our rules" page /<council_slug>/rules/: the pack in force as readable policy."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse
from django_scopes import scopes_disabled

from councils.models import Council, Role
from councils.rules.loader import load_pack_file
from councils.rules.presenters import NOT_STATED, present_pack
from councils.rules.services import rulepack_load
from tests.factories import MembershipFactory, TeamFactory

PACKS = ["north-east-lincolnshire", "stoke-on-trent", "derbyshire", "lincolnshire", "halton"]


def _council(slug: str) -> Council:
    version, _ = rulepack_load(path=settings.RULEPACK_DIR / f"{slug}.yaml")
    with scopes_disabled():
        return Council.objects.get(pk=version.council_id)


def _url(council: Council) -> str:
    return reverse("council_rules", kwargs={"council_slug": council.slug})


@pytest.mark.parametrize("slug", PACKS)
def test_each_pack_renders_with_every_catalogue_rule_id(slug, db, client_for):
    """Every rule ID of the pack's catalogue (domain.md section 4) is on the page, with the
    version, the effective date and each route."""
    council = _council(slug)
    pack = load_pack_file(settings.RULEPACK_DIR / f"{slug}.yaml")
    response = client_for(MembershipFactory(council=council, roles=[])).get(_url(council))
    assert response.status_code == 200
    page = response.content.decode()
    for rule in pack.rules:
        assert f'id="rule-{rule.id}"' in page, rule.id
    assert pack.version in page
    for route in pack.routes:
        assert f'id="route-{route.slug}"' in page
    for level in pack.levels:
        assert level.title in page
    assert page.count("<h1") == 1


def test_halton_shows_pay_points_and_not_stated_fields(db, client_for):
    """HALTON-06 (SCP 28) and HALTON-30 (appeal deadline not stated), 004_5b66ca4edcf6546b.txt."""
    council = _council("halton")
    page = client_for(MembershipFactory(council=council, roles=[Role.SOCIAL_WORKER])).get(
        _url(council)).content.decode()
    assert "SCP 28" in page and "SCP 25" in page
    assert NOT_STATED in page
    assert 'href="#route-asye-eligibility"' in page  # contents list with anchors


def test_derbyshire_shows_its_allocation_matrix(db, client_for):
    """DERBY-29, 002_6df34af9a85cb432.txt: the advisory matrix of work by grade."""
    council = _council("derbyshire")
    page = client_for(MembershipFactory(council=council, roles=[])).get(
        _url(council)).content.decode()
    assert 'id="allocation-matrix"' in page and "DERBY-29" in page


def test_every_rule_bearing_element_carries_its_rule_ids():
    """Each block the presenter builds names at least one rule ID, or is a not-stated note."""
    for slug in PACKS:
        view = present_pack(load_pack_file(settings.RULEPACK_DIR / f"{slug}.yaml"))
        for route in view.routes:
            assert route.rules
            for section in route.sections:
                for block in section.blocks:
                    assert block.rules or all(r.not_stated for r in block.rows) or \
                        block.title in ("Guidance", "Case flags"), (slug, block.title)


def test_a_council_without_a_pack_says_so(council, client_for):
    response = client_for(MembershipFactory(council=council, roles=[])).get(_url(council))
    assert response.status_code == 200
    assert "No rule pack is in force" in response.content.decode()


def test_a_member_of_another_council_gets_404(db, other_council, client_for):
    council = _council("halton")
    outsider = MembershipFactory(council=other_council, roles=[Role.COUNCIL_ADMIN])
    assert client_for(outsider).get(_url(council)).status_code == 404


def test_the_page_costs_a_bounded_number_of_queries(db, client_for,
                                                    django_assert_max_num_queries):
    """The same few queries for the biggest pack, however many people the council has."""
    council = _council("north-east-lincolnshire")
    for _ in range(5):
        MembershipFactory(council=council, team=TeamFactory(council=council),
                          roles=[Role.SOCIAL_WORKER])
    client = client_for(MembershipFactory(council=council, roles=[]))
    client.get(_url(council))  # warm the per-digest pack cache
    with django_assert_max_num_queries(12):
        assert client.get(_url(council)).status_code == 200


def test_part_time_fallback_is_shown_only_where_no_part_time_length_is_stated():
    """STOKE-10, 001_cfd4d7839e7e381c.txt (18 months part time: no fallback row) and NELC-04,
    000_b405b76582c345ce.txt (no part-time length: the end falls back to full time)."""
    label = "Part-time end date when no part-time length is stated"

    def length_rows(slug: str) -> list[str]:
        view = present_pack(load_pack_file(settings.RULEPACK_DIR / f"{slug}.yaml"))
        route = next(r for r in view.routes if r.slug == "asye")
        return [row.label for section in route.sections for block in section.blocks
                if block.title == "Length" for row in block.rows]

    assert "Part time" in length_rows("stoke-on-trent")
    assert label not in length_rows("stoke-on-trent")
    assert label in length_rows("north-east-lincolnshire")


def test_catalogue_test_references_are_not_shown_on_the_page(db, client_for):
    """The catalogue's ``tested_by`` (for ``rulepack coverage``) is not policy text; the note
    is (NELC-45, 000_b405b76582c345ce.txt)."""
    council = _council("north-east-lincolnshire")
    page = client_for(MembershipFactory(council=council, roles=[])).get(
        _url(council)).content.decode()
    assert "tests/engine/" not in page and "::test_" not in page
    assert "Applied when an appeal is received." in page
