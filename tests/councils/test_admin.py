"""The Django admin works for platform operators across councils (scopes disabled there)."""

from __future__ import annotations

import pytest
from django_scopes import scopes_disabled

from councils.models import AuditEvent, Council, Membership, Role, Team
from tests.factories import MembershipFactory, TeamFactory, UserFactory


@pytest.fixture
def operator_client(client, db):
    client.force_login(UserFactory(is_staff=True, is_superuser=True),
                       backend="django.contrib.auth.backends.ModelBackend")
    return client


@pytest.mark.parametrize("model", [Council, Team, Membership, AuditEvent])
def test_operator_lists_council_owned_rows_of_every_council(model, operator_client, council,
                                                           other_council):
    MembershipFactory(council=council, roles=[Role.HR])
    MembershipFactory(council=other_council)
    url = f"/admin/councils/{model._meta.model_name}/"
    assert operator_client.get(url).status_code == 200


def test_operator_opens_and_saves_a_team(operator_client, council):
    team = TeamFactory(council=council, name="Old name")
    url = f"/admin/councils/team/{team.pk}/change/"
    assert operator_client.get(url).status_code == 200
    response = operator_client.post(url, {"council": council.pk, "name": "New name",
                                          "tags": '["fast"]', "is_active": "on"})
    assert response.status_code == 302
    with scopes_disabled():
        team.refresh_from_db()
    assert (team.name, team.tags) == ("New name", ["fast"])


def test_operator_opens_a_membership_with_its_roles(operator_client, council):
    membership = MembershipFactory(council=council, roles=[Role.ASSESSOR])
    html = operator_client.get(f"/admin/councils/membership/{membership.pk}/change/")
    assert html.status_code == 200
    assert "assessor" in html.content.decode()


def test_audit_events_cannot_be_changed_in_the_admin(operator_client, council):
    assert operator_client.get("/admin/councils/auditevent/add/").status_code == 403
