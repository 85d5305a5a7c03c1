"""The council administrator's people and teams pages: right role 200, wrong role 403,
another council's ids 404, constant query counts, and the forms' round trips."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_scopes import scope

from councils.models import AuditEvent, Membership, Team
from tests.progression.people_setup import client_for, make_council, make_member, make_team

pytestmark = pytest.mark.django_db


@pytest.fixture
def council():
    return make_council("halton")


@pytest.fixture
def other_council():
    return make_council("stoke-on-trent")


@pytest.fixture
def admin(council):
    return make_member(council, "admin@halton.example", ["council-admin"],
                       full_name="Ada Admin")


def url(name: str, council, **kwargs) -> str:
    return reverse(name, kwargs={"council_slug": council.slug, **kwargs})


def test_admin_pages_answer_200_for_a_council_admin(council, admin):
    worker = make_member(council, "w@halton.example")
    team = make_team(council)
    client = client_for(admin)
    for name, kwargs in [("people_list", {}), ("person_invite", {}),
                         ("person_edit", {"membership_id": worker.pk}),
                         ("person_deactivate", {"membership_id": worker.pk}),
                         ("team_list", {}), ("team_create", {}),
                         ("team_edit", {"team_id": team.pk})]:
        assert client.get(url(name, council, **kwargs)).status_code == 200, name


@pytest.mark.parametrize("role", ["social-worker", "hr", "team-manager", "asye-lead"])
def test_admin_pages_answer_403_for_other_roles(council, role):
    worker = make_member(council, "w@halton.example")
    team = make_team(council)
    client = client_for(make_member(council, "x@halton.example", [role]))
    for name, kwargs in [("people_list", {}), ("person_invite", {}),
                         ("person_edit", {"membership_id": worker.pk}),
                         ("person_reactivate", {"membership_id": worker.pk}),
                         ("team_list", {}), ("team_edit", {"team_id": team.pk})]:
        assert client.get(url(name, council, **kwargs)).status_code == 403, name


def test_another_councils_people_and_teams_answer_404(council, other_council, admin):
    foreign = make_member(other_council, "f@stoke.example")
    foreign_team = make_team(other_council, "Stoke FAST")
    client = client_for(admin)
    for name, kwargs in [("person_edit", {"membership_id": foreign.pk}),
                         ("person_deactivate", {"membership_id": foreign.pk}),
                         ("person_reactivate", {"membership_id": foreign.pk}),
                         ("team_edit", {"team_id": foreign_team.pk})]:
        assert client.get(url(name, council, **kwargs)).status_code == 404, name
        assert client.post(url(name, council, **kwargs), {}).status_code == 404, name
    # And the admin of one council is a stranger in the other.
    assert client.get(url("people_list", other_council)).status_code == 404


def _fill(council, count: int, team: Team, manager: Membership) -> None:
    for i in range(count):
        make_member(council, f"person{i}@halton.example", ["social-worker", "assessor"],
                    team=team, line_manager=manager)


@pytest.mark.parametrize("count", [5, 50])
def test_people_list_query_count_does_not_grow_with_the_council(
    council, admin, count, django_assert_max_num_queries
):
    team = make_team(council)
    manager = make_member(council, "m@halton.example", ["team-manager"], team=team)
    _fill(council, count, team, manager)
    client = client_for(admin)
    # Sign-in, scope and navigation take about ten; the list itself three (count, page, roles).
    with django_assert_max_num_queries(16):
        response = client.get(url("people_list", council))
    assert response.status_code == 200
    assert min(count + 2, 25) == len(response.context["page"].object_list)


def test_people_list_costs_the_same_queries_for_5_and_50_people(council, admin):
    team = make_team(council)
    manager = make_member(council, "m@halton.example", ["team-manager"], team=team)
    client = client_for(admin)
    client.get(url("people_list", council))  # warm the session

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url("people_list", council)).status_code == 200
        return len(captured)

    _fill(council, 5, team, manager)
    few = queries()
    for i in range(5, 50):
        make_member(council, f"person{i}@halton.example", ["social-worker"], team=team,
                    line_manager=manager)
    assert queries() == few


def test_people_list_searches_and_filters_and_pages(council, admin):
    team = make_team(council, "Runcorn")
    make_member(council, "sam.smith@halton.example", full_name="Sam Smith", team=team)
    make_member(council, "jo.jones@halton.example", ["hr"], full_name="Jo Jones")
    make_member(council, "gone@halton.example", full_name="Gone Person", is_active=False)
    client = client_for(admin)

    def names(**params) -> list[str]:
        page = client.get(url("people_list", council), params).context["page"]
        return [m.user.full_name for m in page.object_list]

    assert names(q="smith") == ["Sam Smith"]
    assert names(q="JO.JONES@") == ["Jo Jones"]
    assert names(role="hr") == ["Jo Jones"]
    assert names(team=team.pk) == ["Sam Smith"]
    assert names(status="inactive") == ["Gone Person"]
    assert "Gone Person" not in names()
    for i in range(30):
        make_member(council, f"p{i:02}@halton.example", full_name=f"Zed {i:02}")
    response = client.get(url("people_list", council), {"page": 2})
    assert response.context["page"].number == 2
    assert 'rel="prev"' in response.content.decode()


def test_invite_form_sends_the_invitation_and_redirects(
    council, admin, django_capture_on_commit_callbacks
):
    team = make_team(council)
    client = client_for(admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("person_invite", council), {
            "email": "new@halton.example", "full_name": "New Person",
            "roles": ["social-worker"], "team": team.pk, "line_manager": "", "job_title": "",
        })
    assert response.status_code == 302
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["new@halton.example"]
    with scope(council=council):
        assert Membership.objects.filter(user__email="new@halton.example", team=team).exists()


def test_invite_form_shows_errors_and_keeps_what_was_typed(council, admin):
    make_member(council, "taken@halton.example")
    response = client_for(admin).post(url("person_invite", council), {
        "email": "taken@halton.example", "full_name": "Typed Name", "roles": ["hr"],
    })
    body = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in body and "already belongs to this council" in body
    assert 'value="Typed Name"' in body
    response = client_for(admin).post(url("person_invite", council), {"email": "bad"})
    body = response.content.decode()
    assert "Enter an e-mail address in the correct format" in body
    assert 'aria-invalid="true"' in re.search(r'<input[^>]*name="email"[^>]*>', body).group(0)
    assert "Enter the person&#x27;s full name" in body and "Select at least one role" in body


def test_edit_form_offers_only_this_councils_managers_and_saves(council, other_council, admin):
    worker = make_member(council, "w@halton.example")
    manager = make_member(council, "m@halton.example", ["practice-lead"], full_name="Pat Lead")
    make_member(other_council, "f@stoke.example", ["practice-lead"], full_name="Foreign Lead")
    client = client_for(admin)
    body = client.get(url("person_edit", council, membership_id=worker.pk)).content.decode()
    assert "Pat Lead" in body and "Foreign Lead" not in body
    response = client.post(url("person_edit", council, membership_id=worker.pk), {
        "roles": ["social-worker"], "team": "", "line_manager": manager.pk, "job_title": "SW",
    })
    assert response.status_code == 302
    with scope(council=council):
        assert Membership.objects.get(pk=worker.pk).line_manager == manager


def test_edit_form_reports_a_management_cycle(council, admin):
    top = make_member(council, "top@halton.example", ["team-manager"])
    below = make_member(council, "below@halton.example", ["line-manager"], line_manager=top)
    response = client_for(admin).post(url("person_edit", council, membership_id=top.pk), {
        "roles": ["team-manager"], "line_manager": below.pk})
    assert response.status_code == 200
    assert "cycle" in response.content.decode()


def test_deactivated_member_cannot_use_the_council_until_reactivated(council, admin):
    worker = make_member(council, "w@halton.example")
    worker_client = client_for(worker)
    home = url("home", council)
    assert worker_client.get(home).status_code == 200
    response = client_for(admin).post(url("person_deactivate", council, membership_id=worker.pk))
    assert response.status_code == 302
    assert worker_client.get(home).status_code == 404
    client_for(admin).post(url("person_reactivate", council, membership_id=worker.pk))
    assert worker_client.get(home).status_code == 200
    with scope(council=council):
        assert list(AuditEvent.objects.values_list("action", flat=True)) == [
            "membership.reactivated", "membership.deactivated"]


def test_deactivate_page_shows_the_refusal(council, admin):
    manager = make_member(council, "m@halton.example", ["team-manager"])
    make_member(council, "w@halton.example", line_manager=manager)
    response = client_for(admin).post(url("person_deactivate", council,
                                          membership_id=manager.pk))
    assert response.status_code == 200
    assert "another line manager" in response.content.decode()


def test_team_pages_create_and_edit_with_tags(council, admin):
    client = client_for(admin)
    response = client.post(url("team_create", council),
                           {"name": "Widnes FAST", "tags": "fast, CWD"})
    assert response.status_code == 302
    with scope(council=council):
        team = Team.objects.get(name="Widnes FAST")
    assert team.tags == ["cwd", "fast"]
    body = client.get(url("team_list", council)).content.decode()
    assert "Widnes FAST" in body and "cwd" in body
    response = client.post(url("team_edit", council, team_id=team.pk),
                           {"name": "Widnes FAST", "tags": "bad tag!", "is_active": "yes"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "govuk-error-summary" in body and 'value="bad tag!"' in body


def test_person_page_shows_their_history_kept_after_deactivation(council, other_council, admin):
    manager = make_member(council, "m@halton.example", ["team-manager"], full_name="Max Manager")
    client = client_for(admin)
    client.post(url("person_invite", council), {
        "email": "hist@halton.example", "full_name": "Hester History",
        "roles": ["social-worker"], "team": "", "line_manager": "", "job_title": ""})
    with scope(council=council):
        person = Membership.objects.get(user__email="hist@halton.example")
    client.post(url("person_edit", council, membership_id=person.pk), {
        "roles": ["social-worker", "assessor"], "team": "", "line_manager": manager.pk,
        "job_title": ""})
    client.post(url("person_deactivate", council, membership_id=person.pk))
    # The same person in another council: nothing of it shows here.
    foreign_admin = make_member(other_council, "fa@stoke.example", ["council-admin"])
    client_for(foreign_admin).post(url("person_invite", other_council), {
        "email": "hist@halton.example", "full_name": "Hester History", "roles": ["hr"],
        "team": "", "line_manager": "", "job_title": ""})

    page = client.get(url("person_edit", council, membership_id=person.pk))
    history = page.context["history"]
    assert [entry.what for entry in history] == [
        "Deactivated", "Roles, team or line manager changed", "Invited to the council"]
    assert all(entry.actor == "Ada Admin" for entry in history)
    assert history[1].detail == ("Changed: roles, line manager. "
                                 "Roles now: Assessor, Social worker")
    section = page.content.decode().split('id="history"')[1]
    assert "Roles: Social worker" in section and "HR" not in section


def test_person_page_queries_do_not_grow_with_their_history(council, admin):
    person = make_member(council, "p@halton.example", ["social-worker"])
    client = client_for(admin)
    page = url("person_edit", council, membership_id=person.pk)
    client.get(page)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(page).status_code == 200
        return len(captured)

    few = queries()
    for role in ["assessor", "hr", "panel-member", "line-manager", "team-manager"]:
        client.post(page, {"roles": ["social-worker", role], "team": "", "line_manager": "",
                           "job_title": role})
    assert len(client.get(page).context["history"]) == 5
    assert queries() == few
