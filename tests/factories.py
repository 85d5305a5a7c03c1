"""factory_boy factories that keep related rows in one council.

Council-owned rows are created with scopes disabled (django-scopes refuses manager queries
outside a scope, and factories run outside requests); every SubFactory takes its council
from the row being built, so a ``MembershipFactory(council=b)`` has its team, line manager
and roles in ``b`` too.

``URL_KWARG_FACTORIES`` maps each URL keyword (other than ``council_slug``) to a function
that creates an object of that kind in a given council and returns the value for the URL.
The isolation and role tests fill every council URL from it; a new URL keyword without an
entry here fails those tests with a message naming it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import factory
from django_scopes import scopes_disabled

from councils.models import Council, Membership, Role, RoleAssignment, ServiceArea, Team, User

TEST_PASSWORD = "a-test-password-9"


class ScopedFactory(factory.django.DjangoModelFactory):
    """Creates council-owned rows with scopes disabled (the factory is the only caller)."""

    class Meta:
        abstract = True

    @classmethod
    def _create(cls, model_class: type, *args: Any, **kwargs: Any) -> Any:
        with scopes_disabled():
            return super()._create(model_class, *args, **kwargs)


class CouncilFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Council
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Testshire Council {n}")
    slug = factory.Sequence(lambda n: f"testshire-{n}")
    short_name = factory.Sequence(lambda n: f"Testshire {n}")
    service_area = ServiceArea.CHILDREN


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["email"]

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Sequence(lambda n: f"Test Person {n}")
    password = factory.django.Password(TEST_PASSWORD)


class TeamFactory(ScopedFactory):
    class Meta:
        model = Team

    council = factory.SubFactory(CouncilFactory)
    name = factory.Sequence(lambda n: f"Team {n}")
    tags = factory.LazyFunction(list)


class MembershipFactory(ScopedFactory):
    """A member of ``council``; ``roles=[...]`` adds role assignments in the same council."""

    class Meta:
        model = Membership
        skip_postgeneration_save = True

    council = factory.SubFactory(CouncilFactory)
    user = factory.SubFactory(UserFactory)
    team = factory.SubFactory(TeamFactory, council=factory.SelfAttribute("..council"))
    job_title = "Social worker"

    @factory.post_generation
    def roles(obj: Membership, create: bool, extracted: Iterable[str] | None,
              **kwargs: Any) -> None:
        if create and extracted:
            with scopes_disabled():
                RoleAssignment.objects.bulk_create(
                    [RoleAssignment(council=obj.council, membership=obj, role=r)
                     for r in extracted]
                )


class RoleAssignmentFactory(ScopedFactory):
    class Meta:
        model = RoleAssignment

    membership = factory.SubFactory(MembershipFactory)
    council = factory.SelfAttribute("membership.council")
    role = Role.SOCIAL_WORKER


def _membership_id(council: Council) -> int:
    return MembershipFactory(council=council, roles=[Role.SOCIAL_WORKER]).pk


def _team_id(council: Council) -> int:
    return TeamFactory(council=council).pk


# URL keyword -> creates an object of that kind in the council and returns its URL value.
# Add a line here when a view takes a new keyword (the isolation test tells you).
URL_KWARG_FACTORIES: dict[str, Callable[[Council], Any]] = {
    "membership_id": _membership_id,
    "team_id": _team_id,
}
