"""The eligibility checker page /<council_slug>/eligibility/."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django_scopes import scope

from councils.models import MANAGER_ROLES, Role
from progression.eligibility import eligibility_for, eligibility_workers
from tests.factories import MembershipFactory
from tests.progression.eligibility_setup import council_with_pack, worker

D = dt.date
CHECKER_ROLES = sorted({*MANAGER_ROLES, Role.ASYE_LEAD, Role.PRINCIPAL_SOCIAL_WORKER,
                        Role.COUNCIL_ADMIN})


@pytest.fixture
def halton(db):
    return council_with_pack("halton")


def _url(council, **params) -> str:
    url = reverse("eligibility_checker", kwargs={"council_slug": council.slug})
    if params:
        url += "?" + "&".join(f"{k}={v}" for k, v in params.items())
    return url


def _ask(council, member, on: dt.date) -> str:
    return _url(council, worker=member.pk, on_0=on.day, on_1=on.month, on_2=on.year,
                check="Check+eligibility")


@pytest.mark.parametrize("role", CHECKER_ROLES)
def test_checker_roles_open_the_page(role, halton, client_for):
    assert client_for(MembershipFactory(council=halton, roles=[role])).get(
        _url(halton)).status_code == 200


@pytest.mark.parametrize("role", [Role.SOCIAL_WORKER, Role.HR, Role.ASSESSOR, Role.PANEL_CHAIR])
def test_other_roles_are_refused(role, halton, client_for):
    assert client_for(MembershipFactory(council=halton, roles=[role])).get(
        _url(halton)).status_code == 403


def test_a_member_of_another_council_gets_404(halton, other_council, client_for):
    outsider = MembershipFactory(council=other_council, roles=[Role.COUNCIL_ADMIN])
    assert client_for(outsider).get(_url(halton)).status_code == 404


def test_the_answer_shows_each_route_with_rule_ids_and_dates(halton, client_for):
    """HALTON-01, 004_5b66ca4edcf6546b.txt: the ASYE route is for level 1 only; a level 2
    worker is refused with the rule ID and no date (level is not date-driven)."""
    manager = MembershipFactory(council=halton, roles=[Role.LINE_MANAGER])
    member = worker(halton, actor=manager, line_manager=manager, current_level="level-2",
                    registration_date=D(2024, 8, 1), qualification_date=D(2024, 6, 30))
    page = client_for(manager).get(_ask(halton, member, D(2026, 11, 25))).content.decode()
    assert "Not eligible" in page and "Eligible" in page
    assert "HALTON-01" in page and "Current level is level-2" in page
    with scope(council=halton):
        answers = eligibility_for(council=halton, worker=member, on=D(2026, 11, 25))
    assert len(answers) == 3
    for answer in answers:
        assert answer.title in page
    assert f'value="{member.pk}" selected' in page  # what was asked is kept


def test_a_bad_date_keeps_what_was_typed_and_explains(halton, client_for):
    manager = MembershipFactory(council=halton, roles=[Role.TEAM_MANAGER])
    member = worker(halton, actor=manager, current_level="level-2")
    page = client_for(manager).get(_url(halton, worker=member.pk, on_0=31, on_1=2, on_2=2026,
                                        check="x")).content.decode()
    assert "govuk-error-summary" in page and "Enter a real date" in page
    assert 'value="31"' in page


def test_the_date_defaults_to_today(halton, client_for):
    manager = MembershipFactory(council=halton, roles=[Role.TEAM_MANAGER])
    worker(halton, actor=manager, current_level="level-2")
    page = client_for(manager).get(_url(halton)).content.decode()
    today = dt.date.today()
    assert f'name="on_2" value="{today.year}"' in page
    assert f'name="on_0" value="{today.day}"' in page


def test_line_managers_see_their_chain_and_council_wide_roles_see_social_workers(halton):
    """A line manager sees the people below them (reports of reports too), nobody else; a
    team manager sees every social worker of the council."""
    head = MembershipFactory(council=halton, roles=[Role.LINE_MANAGER])
    middle = MembershipFactory(council=halton, roles=[Role.LINE_MANAGER], line_manager=head)
    below = MembershipFactory(council=halton, roles=[Role.SOCIAL_WORKER], line_manager=middle)
    elsewhere = MembershipFactory(council=halton, roles=[Role.SOCIAL_WORKER])
    team_manager = MembershipFactory(council=halton, roles=[Role.TEAM_MANAGER])
    with scope(council=halton):
        assert {m.pk for m in eligibility_workers(head)} == {middle.pk, below.pk}
        assert {m.pk for m in eligibility_workers(middle)} == {below.pk}
        assert {m.pk for m in eligibility_workers(team_manager)} == {below.pk, elsewhere.pk}


def test_a_worker_outside_the_actors_list_is_refused_as_a_choice(halton, client_for):
    manager = MembershipFactory(council=halton, roles=[Role.LINE_MANAGER])
    stranger = MembershipFactory(council=halton, roles=[Role.SOCIAL_WORKER])
    page = client_for(manager).get(_ask(halton, stranger, D(2026, 11, 25))).content.decode()
    assert "Choose a worker from the list" in page


@pytest.mark.parametrize("people", [1, 12])
def test_the_checker_costs_the_same_queries_whatever_the_number_of_people(
        people, halton, client_for, django_assert_max_num_queries):
    admin = MembershipFactory(council=halton, roles=[Role.COUNCIL_ADMIN])
    members = [worker(halton, actor=admin, current_level="level-2",
                      registration_date=D(2024, 8, 1), hours=((D(2024, 9, 1), "1"),))
               for _ in range(people)]
    client = client_for(admin)
    client.get(_ask(halton, members[0], D(2026, 11, 25)))  # warm the per-digest pack cache
    with django_assert_max_num_queries(16):
        response = client.get(_ask(halton, members[-1], D(2026, 11, 25)))
    assert response.status_code == 200
