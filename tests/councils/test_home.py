"""Landing page, council switcher, navigation by role and the home page per role."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_scopes import scope

from councils.models import Role
from councils.selectors import SECTION_ROLES, home_sections
from tests.factories import MembershipFactory, TeamFactory, UserFactory

SECTION_HEADINGS = {
    "social_worker": "Your progression",
    "line_manager": "People you manage",
    "asye_lead": "ASYE programme",
    "assessor": "Assessments",
    "panel": "Panels",
    "hr": "Pay and decisions",
    "council_admin": "Council administration",
    "principal_social_worker": "Practice overview",
}


@pytest.mark.parametrize("section", sorted(SECTION_ROLES))
def test_each_role_group_sees_its_own_section_and_no_other(section, council, member_client):
    role = sorted(SECTION_ROLES[section])[0]
    client, _ = member_client(council, role)
    html = client.get(f"/{council.slug}/").content.decode()
    # Section headings only: the navigation may carry a link with the same words.
    headings = set(re.findall(r'<h2 class="govuk-heading-m"[^>]*>([^<]+)</h2>', html))
    assert SECTION_HEADINGS[section] in headings
    for other, heading in SECTION_HEADINGS.items():
        if other != section:
            assert heading not in headings, f"{role} sees {heading}"


def test_person_with_several_roles_sees_a_section_for_each(council, member_client):
    client, membership = member_client(council, Role.SOCIAL_WORKER, Role.ASSESSOR, Role.HR)
    with scope(council=council):
        assert home_sections(membership) == ["social_worker", "assessor", "hr"]
    html = client.get(f"/{council.slug}/").content.decode()
    assert html.count("<h1") == 1
    for key in ("social_worker", "assessor", "hr"):
        assert SECTION_HEADINGS[key] in html


def test_member_without_roles_is_told_plainly(council, member_client):
    client, _ = member_client(council)
    html = client.get(f"/{council.slug}/").content.decode()
    assert "hold no role here yet" in html


def test_empty_states_say_what_the_section_will_show(council, member_client):
    client, _ = member_client(council, Role.SOCIAL_WORKER)
    html = client.get(f"/{council.slug}/").content.decode()
    assert "No portfolios yet" in html
    assert "coming soon" not in html.lower()


def test_line_manager_sees_their_reports_and_not_other_councils(council, other_council,
                                                                member_client):
    client, manager = member_client(council, Role.LINE_MANAGER)
    MembershipFactory(council=council, line_manager=manager, user__full_name="Ada Report")
    MembershipFactory(council=council, user__full_name="Someone Else")
    MembershipFactory(council=other_council, user__full_name="Foreign Person")
    html = client.get(f"/{council.slug}/").content.decode()
    assert "Ada Report" in html
    assert "Someone Else" not in html
    assert "Foreign Person" not in html


def test_asye_lead_lists_only_this_councils_social_workers(council, other_council,
                                                          member_client):
    client, _ = member_client(council, Role.ASYE_LEAD)
    MembershipFactory(council=council, roles=[Role.SOCIAL_WORKER], user__full_name="Nia Own")
    MembershipFactory(council=other_council, roles=[Role.SOCIAL_WORKER],
                      user__full_name="Other Council Worker")
    html = client.get(f"/{council.slug}/").content.decode()
    assert "Nia Own" in html
    assert "Other Council Worker" not in html


def test_council_admin_sees_counts_of_this_council_only(council, other_council, member_client):
    client, _ = member_client(council, Role.COUNCIL_ADMIN, team=None)
    TeamFactory(council=council, name="Own Team")
    TeamFactory(council=other_council, name="Foreign Team")
    html = client.get(f"/{council.slug}/").content.decode()
    assert "Own Team" in html
    assert "Foreign Team" not in html


def test_home_page_query_count_does_not_grow_with_the_council(council, member_client,
                                                              django_assert_max_num_queries):
    client, manager = member_client(council, *[r.value for r in Role])
    for _ in range(15):
        MembershipFactory(council=council, line_manager=manager, roles=[Role.SOCIAL_WORKER])
    # 15 = 14 + one query for the ASYE section (own and managed programmes, progression.asye);
    # 16 with one for the "what I still need" section (own cases, portfolios); 19 with the
    # panels sections (sittings, pay changes, decisions). That the count does not grow with
    # the council is asserted exactly by test_home_page_costs_the_same_queries_for_2_and_40.
    with django_assert_max_num_queries(19):
        assert client.get(f"/{council.slug}/").status_code == 200


def test_navigation_shows_people_link_to_council_admins_only(council, member_client):
    admin_client, _ = member_client(council, Role.COUNCIL_ADMIN)
    worker_client, _ = member_client(council, Role.SOCIAL_WORKER)
    people_url = f"/{council.slug}/manage/people/"
    assert f'href="{people_url}"' in admin_client.get(f"/{council.slug}/").content.decode()
    assert f'href="{people_url}"' not in worker_client.get(f"/{council.slug}/").content.decode()


def test_home_link_is_marked_current_and_sign_out_is_a_form(council, member_client):
    client, _ = member_client(council, Role.SOCIAL_WORKER)
    html = client.get(f"/{council.slug}/").content.decode()
    assert 'aria-current="page"' in html
    assert 'action="/accounts/logout/"' in html


def test_person_in_two_councils_chooses_between_them(council, other_council, client_for):
    user = UserFactory()
    first = MembershipFactory(council=council, user=user, roles=[Role.SOCIAL_WORKER])
    MembershipFactory(council=other_council, user=user, roles=[Role.SOCIAL_WORKER])
    client = client_for(first)
    html = client.get("/").content.decode()
    assert "Choose a council" in html
    assert f'href="/{council.slug}/"' in html and f'href="/{other_council.slug}/"' in html
    home = client.get(f"/{other_council.slug}/").content.decode()
    assert "Switch council" in home
    assert other_council.name in home
    assert client.get("/councils/").status_code == 200


def test_switcher_leaves_out_ended_memberships(council, other_council, client_for):
    user = UserFactory()
    first = MembershipFactory(council=council, user=user)
    MembershipFactory(council=other_council, user=user, is_active=False,
                      deactivated_at=timezone.now())
    client = client_for(first)
    assert client.get("/")["Location"] == f"/{council.slug}/"
    assert client.get(f"/{other_council.slug}/").status_code == 404


def test_signed_in_person_without_a_council_is_told_so(client, db):
    client.force_login(UserFactory(), backend="django.contrib.auth.backends.ModelBackend")
    assert "You are not a member of any council" in client.get("/").content.decode()


def test_accessibility_statement_is_public(client, db):
    html = client.get("/accessibility/").content.decode()
    assert "<h1 class=\"govuk-heading-l\">Accessibility statement</h1>" in html


def test_not_found_and_refused_pages_use_the_service_layout(council, member_client):
    client, _ = member_client(council)
    not_found = client.get("/no-such-council/")
    assert not_found.status_code == 404
    assert "Page not found" in not_found.content.decode()
    assert "govuk-header" in not_found.content.decode()


def test_server_error_page_renders_without_a_request_context(db):
    from django.template.loader import render_to_string

    html = render_to_string("500.html")
    assert "Sorry, there is a problem with the service" in html


def test_home_page_costs_the_same_queries_for_2_and_40_people(council, member_client):
    """Every section on (all roles): the same count whether the council has 2 or 40 more
    people reporting to this manager, so no section loads row by row."""
    client, manager = member_client(council, *[r.value for r in Role])
    team = TeamFactory(council=council)
    home = f"/{council.slug}/"
    client.get(home)  # warm the session

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(home).status_code == 200
        return len(captured)

    for _ in range(2):
        MembershipFactory(council=council, team=team, line_manager=manager,
                          roles=[Role.SOCIAL_WORKER])
    few = queries()
    for _ in range(38):
        MembershipFactory(council=council, team=team, line_manager=manager,
                          roles=[Role.SOCIAL_WORKER])
    assert queries() == few
