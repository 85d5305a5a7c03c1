"""Service navigation: one "ASYE" link, to the cohort for those who run the programme and to
the manager's own NQSWs for managers."""

from __future__ import annotations

from django.urls import reverse
from django_scopes import scope

from councils.models import Role
from councils.selectors import navigation_for


def _asye_links(membership) -> list[str]:
    with scope(council=membership.council):
        items = navigation_for(membership, current_url_name=None, several_councils=False)
    return [item.url for item in items if item.label == "ASYE"]


def test_asye_lead_and_principal_social_worker_link_to_the_cohort(council, make_member):
    cohort = reverse("asye_cohort", kwargs={"council_slug": council.slug})
    assert _asye_links(make_member(council, Role.ASYE_LEAD)) == [cohort]
    assert _asye_links(make_member(council, Role.PRINCIPAL_SOCIAL_WORKER)) == [cohort]


def test_managers_link_to_their_nqsws(council, make_member):
    managed = reverse("asye_managed", kwargs={"council_slug": council.slug})
    assert _asye_links(make_member(council, Role.LINE_MANAGER)) == [managed]
    assert _asye_links(make_member(council, Role.TEAM_MANAGER)) == [managed]


def test_one_asye_link_for_a_lead_who_also_manages(council, make_member):
    member = make_member(council, Role.ASYE_LEAD, Role.LINE_MANAGER)
    assert _asye_links(member) == [reverse("asye_cohort", kwargs={"council_slug": council.slug})]


def test_social_workers_and_hr_get_no_asye_link(council, make_member):
    assert _asye_links(make_member(council, Role.SOCIAL_WORKER)) == []
    assert _asye_links(make_member(council, Role.HR)) == []


def test_the_asye_link_is_in_the_page_navigation(council, member_client):
    client, _ = member_client(council, Role.ASYE_LEAD)
    page = client.get(reverse("home", kwargs={"council_slug": council.slug})).content.decode()
    assert f'href="{reverse("asye_cohort", kwargs={"council_slug": council.slug})}"' in page
