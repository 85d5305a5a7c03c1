"""Shared set-up for the people and career-record tests: councils and members built inside
their council's scope, each row kept in one council."""

from __future__ import annotations

from collections.abc import Iterable

from django.test import Client
from django.utils import timezone
from django_scopes import scope

from councils.models import Council, Membership, RoleAssignment, ServiceArea, Team, User


def make_council(slug: str = "halton", name: str | None = None) -> Council:
    return Council.objects.create(
        name=name or slug.replace("-", " ").title() + " Council", slug=slug,
        service_area=ServiceArea.CHILDREN,
    )


def make_team(council: Council, name: str = "Widnes Children in Care",
              tags: Iterable[str] = ()) -> Team:
    with scope(council=council):
        return Team.objects.create(council=council, name=name, tags=list(tags))


def make_member(
    council: Council,
    email: str,
    roles: Iterable[str] = ("social-worker",),
    *,
    full_name: str | None = None,
    team: Team | None = None,
    line_manager: Membership | None = None,
    user: User | None = None,
    is_active: bool = True,
) -> Membership:
    """A member of ``council`` (the user is created unless given) holding ``roles``."""
    if user is None:
        user = User.objects.create_user(
            email=email, password="correct-horse-battery",
            full_name=full_name or email.split("@")[0].replace(".", " ").title(),
        )
    with scope(council=council):
        membership = Membership.objects.create(
            council=council, user=user, team=team, line_manager=line_manager,
            is_active=is_active,
            deactivated_at=None if is_active else timezone.now(),
        )
        RoleAssignment.objects.bulk_create(
            [RoleAssignment(council=council, membership=membership, role=r) for r in roles])
        return Membership.objects.select_related("user", "council").get(pk=membership.pk)


def client_for(membership: Membership) -> Client:
    client = Client()
    client.force_login(membership.user, backend="django.contrib.auth.backends.ModelBackend")
    return client
