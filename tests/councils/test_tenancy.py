"""Tenant scoping at the query layer, for EVERY council-owned model (found, not listed).

Each model inheriting ``councils.models.CouncilOwned`` must refuse a query outside
``scope(council=...)`` (django-scopes raises ``ScopeError``), through each of its managers,
and inside one council's scope must see that council's rows only. A model with a ``council``
foreign key that does not inherit ``CouncilOwned`` fails here by name, so a new tenant model
cannot slip past the scoping by forgetting the base class.
"""

from __future__ import annotations

import pytest
from django.apps import apps
from django.db import models
from django_scopes import scope, scopes_disabled
from django_scopes.exceptions import ScopeError

from councils.models import Council, CouncilOwned, Team
from tests.factories import MembershipFactory, TeamFactory

COUNCIL_OWNED = sorted(
    (model for model in apps.get_models() if issubclass(model, CouncilOwned)),
    key=lambda model: model._meta.label,
)


def _label(model: type[models.Model]) -> str:
    return model._meta.label


def test_the_scan_finds_the_foundations_council_owned_models():
    labels = {_label(model) for model in COUNCIL_OWNED}
    assert {"councils.Team", "councils.Membership", "councils.RoleAssignment",
            "councils.AuditEvent", "councils.RulePackVersion", "progression.CareerRecord",
            "progression.HoursPeriod", "progression.ExtendedAbsence"} <= labels


def test_every_model_with_a_council_key_is_council_owned():
    """A tenant row (a foreign key to Council) must inherit CouncilOwned, hence be scoped."""
    unscoped = [
        _label(model)
        for model in apps.get_models()
        if not issubclass(model, CouncilOwned)
        and any(
            field.concrete and getattr(field, "related_model", None) is Council
            for field in model._meta.get_fields()
        )
    ]
    assert not unscoped, f"Tenant models that do not inherit CouncilOwned: {unscoped}"


@pytest.mark.parametrize("model", COUNCIL_OWNED, ids=_label)
def test_an_unscoped_query_raises(model, db):
    for manager in model._meta.managers:
        with pytest.raises(ScopeError):
            list(manager.all())
        with pytest.raises(ScopeError):
            manager.count()
        with pytest.raises(ScopeError):
            manager.filter(pk=1).exists()


@pytest.mark.parametrize("model", COUNCIL_OWNED, ids=_label)
def test_a_query_inside_a_council_scope_is_allowed(model, council):
    with scope(council=council):
        assert list(model._default_manager.all()) == []


def test_a_council_scope_sees_only_its_own_rows(council, other_council):
    TeamFactory(council=council, name="Ours")
    TeamFactory(council=other_council, name="Theirs")
    with scope(council=council):
        assert [team.name for team in Team.objects.all()] == ["Ours"]
    with scope(council=other_council):
        assert [team.name for team in Team.objects.all()] == ["Theirs"]


def test_related_managers_are_scoped_too(council):
    """``membership.roles`` and the like go through the scoped manager as well."""
    membership = MembershipFactory(council=council, roles=["social-worker"])
    with pytest.raises(ScopeError):
        list(membership.roles.all())
    with scope(council=council):
        assert [a.role for a in membership.roles.all()] == ["social-worker"]
    with scopes_disabled():
        assert membership.roles.count() == 1
