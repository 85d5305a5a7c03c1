"""Services that manage a council's people and teams: invite, update, deactivate,
reactivate, team create and update. Each writes an audit event, refuses bad input with a
message keyed by field, and writes nothing when it refuses."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django_scopes import scope, scopes_disabled

from councils import services
from councils.models import AuditEvent, Membership, Team, User
from tests.progression.people_setup import make_council, make_member, make_team

pytestmark = pytest.mark.django_db

SITE = "http://testserver/"


@pytest.fixture
def council():
    return make_council("halton")


@pytest.fixture
def other_council():
    return make_council("derbyshire")


@pytest.fixture
def admin(council):
    return make_member(council, "admin@halton.example", ["council-admin"])


def audit_actions(council) -> list[str]:
    with scope(council=council):
        return list(AuditEvent.objects.filter(council=council).values_list("action", flat=True))


def test_invite_new_person_creates_user_without_password_membership_roles_and_audit(
    council, admin, django_capture_on_commit_callbacks
):
    team = make_team(council)
    manager = make_member(council, "lm@halton.example", ["practice-lead"])
    with django_capture_on_commit_callbacks(execute=True):
        membership = services.membership_invite(
            actor=admin.user, council=council, email=" New.Worker@Halton.example ",
            full_name="New Worker", roles=["social-worker"], team=team, line_manager=manager,
            site_url=SITE,
        )
    user = User.objects.get(email="new.worker@halton.example")
    assert membership.user == user
    assert not user.has_usable_password()
    with scope(council=council):
        assert list(membership.roles.values_list("role", flat=True)) == ["social-worker"]
        assert membership.team == team and membership.line_manager == manager
        event = AuditEvent.objects.get(action="membership.invited")
    assert event.actor == admin.user and event.affected_user == user
    assert event.data["after"]["roles"] == ["social-worker"]
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["new.worker@halton.example"]
    assert "Halton Council" in message.subject
    assert "http://testserver/accounts/reset/" in message.body


def test_invitation_link_lets_the_person_set_a_password(
    council, admin, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.membership_invite(actor=admin.user, council=council, email="nq@halton.example",
                                   full_name="Nq Worker", roles=["social-worker"], site_url=SITE)
    link = next(line for line in mail.outbox[0].body.splitlines() if "/accounts/reset/" in line)
    response = client.get(link.strip().removeprefix("http://testserver"), follow=True)
    assert response.status_code == 200
    response = client.post(response.redirect_chain[-1][0], {
        "new_password1": "a-long-new-passphrase", "new_password2": "a-long-new-passphrase"})
    assert response.status_code == 302
    assert User.objects.get(email="nq@halton.example").check_password("a-long-new-passphrase")


def test_invite_existing_user_of_other_council_keeps_their_name_and_says_nothing_of_it(
    council, other_council, admin, django_capture_on_commit_callbacks
):
    elsewhere = make_member(other_council, "agency@example.com", ["social-worker"],
                            full_name="Agency Worker")
    with django_capture_on_commit_callbacks(execute=True):
        membership = services.membership_invite(
            actor=admin.user, council=council, email="AGENCY@example.com",
            full_name="Typed Differently", roles=["social-worker"], site_url=SITE)
    assert membership.user == elsewhere.user
    assert membership.user.full_name == "Agency Worker"
    body = mail.outbox[0].body
    assert "Derbyshire" not in body and "/accounts/login/" in body
    with scopes_disabled():
        assert Membership.objects.filter(user=elsewhere.user).count() == 2


def test_invite_refuses_a_person_already_in_the_council_and_writes_nothing(council, admin):
    make_member(council, "twice@halton.example")
    with pytest.raises(ValidationError) as caught:
        services.membership_invite(actor=admin.user, council=council, email="twice@halton.example",
                                   full_name="Twice", roles=["hr"], site_url=SITE)
    assert "already belongs" in caught.value.message_dict["email"][0]
    assert audit_actions(council) == []


def test_invite_refuses_no_roles_unknown_roles_and_other_councils_team(
    council, other_council, admin
):
    foreign_team = make_team(other_council, "Foreign")
    for kwargs, field in [({"roles": []}, "roles"), ({"roles": ["wizard"]}, "roles"),
                          ({"roles": ["hr"], "team": foreign_team}, "team")]:
        with pytest.raises(ValidationError) as caught:
            services.membership_invite(actor=admin.user, council=council,
                                       email="x@halton.example", full_name="X",
                                       site_url=SITE, **kwargs)
        assert field in caught.value.message_dict
    assert not User.objects.filter(email="x@halton.example").exists()


def test_invite_refuses_a_line_manager_without_a_manager_role(council, admin):
    colleague = make_member(council, "peer@halton.example", ["social-worker"])
    with pytest.raises(ValidationError) as caught:
        services.membership_invite(actor=admin.user, council=council, email="y@halton.example",
                                   full_name="Y", roles=["social-worker"],
                                   line_manager=colleague, site_url=SITE)
    assert "manager role" in caught.value.message_dict["line_manager"][0]
    assert not User.objects.filter(email="y@halton.example").exists()


def test_update_changes_roles_team_and_line_manager_with_before_and_after(council, admin):
    worker = make_member(council, "w@halton.example", ["social-worker"])
    manager = make_member(council, "m@halton.example", ["team-manager"])
    team = make_team(council, "Runcorn CIN", ["cwd"])
    services.membership_update(actor=admin.user, membership=worker,
                               roles=["social-worker", "assessor"], team=team,
                               line_manager=manager)
    with scope(council=council):
        worker = Membership.objects.get(pk=worker.pk)
        assert sorted(worker.roles.values_list("role", flat=True)) == [
            "assessor", "social-worker"]
        event = AuditEvent.objects.get(action="membership.updated")
    assert worker.team == team and worker.line_manager == manager
    assert event.data["before"]["roles"] == ["social-worker"]
    assert event.data["after"]["line_manager"] == manager.pk


def test_update_refuses_self_as_line_manager_and_management_cycles(council, admin):
    top = make_member(council, "top@halton.example", ["service-manager"])
    middle = make_member(council, "mid@halton.example", ["team-manager"], line_manager=top)
    bottom = make_member(council, "low@halton.example", ["line-manager"], line_manager=middle)
    with pytest.raises(ValidationError) as caught:
        services.membership_update(actor=admin.user, membership=top, line_manager=top)
    assert "own line manager" in caught.value.message_dict["line_manager"][0]
    with pytest.raises(ValidationError) as caught:
        services.membership_update(actor=admin.user, membership=top, line_manager=bottom)
    assert "cycle" in caught.value.message_dict["line_manager"][0]
    with scope(council=council):
        assert Membership.objects.get(pk=top.pk).line_manager_id is None
    assert "membership.updated" not in audit_actions(council)


def test_update_refuses_inactive_or_foreign_line_manager(council, other_council, admin):
    worker = make_member(council, "w@halton.example")
    gone = make_member(council, "gone@halton.example", ["team-manager"], is_active=False)
    foreign = make_member(other_council, "f@derbyshire.example", ["team-manager"])
    for candidate in (gone, foreign):
        with pytest.raises(ValidationError) as caught:
            services.membership_update(actor=admin.user, membership=worker,
                                       line_manager=candidate)
        assert "active member of this council" in caught.value.message_dict["line_manager"][0]


def test_update_refuses_removing_ones_own_admin_role_and_keeps_roles(council, admin):
    with pytest.raises(ValidationError) as caught:
        services.membership_update(actor=admin.user, membership=admin, roles=["hr"])
    assert "own council administrator" in caught.value.message_dict["roles"][0]
    with scope(council=council):
        assert list(admin.roles.values_list("role", flat=True)) == ["council-admin"]


def test_deactivate_keeps_the_membership_and_reactivate_restores_it(council, admin):
    worker = make_member(council, "w@halton.example")
    services.membership_deactivate(actor=admin.user, membership=worker)
    with scope(council=council):
        stored = Membership.objects.get(pk=worker.pk)
    assert not stored.is_active and stored.deactivated_at is not None
    services.membership_reactivate(actor=admin.user, membership=worker)
    with scope(council=council):
        stored = Membership.objects.get(pk=worker.pk)
    assert stored.is_active and stored.deactivated_at is None
    assert audit_actions(council) == ["membership.reactivated", "membership.deactivated"]


def test_deactivate_refuses_oneself_twice_and_managers_of_active_people(council, admin):
    manager = make_member(council, "m@halton.example", ["team-manager"])
    make_member(council, "w@halton.example", line_manager=manager)
    with pytest.raises(ValidationError, match="yourself"):
        services.membership_deactivate(actor=admin.user, membership=admin)
    with pytest.raises(ValidationError, match="another line manager"):
        services.membership_deactivate(actor=admin.user, membership=manager)
    with scope(council=council):
        assert Membership.objects.get(pk=manager.pk).is_active
    with pytest.raises(ValidationError, match="already active"):
        services.membership_reactivate(actor=admin.user, membership=manager)
    assert audit_actions(council) == []


def test_team_create_normalises_tags_and_audits(council, admin):
    team = services.team_create(actor=admin.user, council=council, name=" Widnes FAST ",
                                tags=["FAST", " cwd", "fast", ""])
    assert team.name == "Widnes FAST" and team.tags == ["cwd", "fast"]
    with scope(council=council):
        event = AuditEvent.objects.get(action="team.created")
    assert event.data["after"]["tags"] == ["cwd", "fast"]


def test_team_create_refuses_bad_tags_and_duplicate_names(council, admin):
    make_team(council, "Widnes FAST")
    with pytest.raises(ValidationError) as caught:
        services.team_create(actor=admin.user, council=council, name="widnes fast")
    assert "already has a team" in caught.value.message_dict["name"][0]
    with pytest.raises(ValidationError) as caught:
        services.team_create(actor=admin.user, council=council, name="New", tags=["not ok!"])
    assert "tags" in caught.value.message_dict
    with scope(council=council):
        assert Team.objects.count() == 1


def test_team_update_renames_retags_and_refuses_closing_with_active_members(council, admin):
    team = make_team(council, "Old name")
    make_member(council, "w@halton.example", team=team)
    services.team_update(actor=admin.user, team=team, name="New name", tags=["asye-unsuitable"])
    with pytest.raises(ValidationError) as caught:
        services.team_update(actor=admin.user, team=team, is_active=False)
    assert "is_active" in caught.value.message_dict
    with scope(council=council):
        team = Team.objects.get(pk=team.pk)
    assert (team.name, team.tags, team.is_active) == ("New name", ["asye-unsuitable"], True)
    assert audit_actions(council) == ["team.updated"]
