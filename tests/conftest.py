"""Fixtures for every test: two councils, members with roles, signed-in clients.

- ``council`` and ``other_council``: two councils, so a cross-council test costs one line.
- ``make_member(council, *roles, **fields)``: an active member holding ``roles``.
- ``client_for(membership)``: a Django test client signed in as that member's user.
- ``member_client(council, *roles)``: both at once; returns ``(client, membership)``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from councils.models import Council, Membership
from tests.factories import CouncilFactory, MembershipFactory


@pytest.fixture
def council(db) -> Council:
    return CouncilFactory(slug="council-a", name="Council A")


@pytest.fixture
def other_council(db) -> Council:
    return CouncilFactory(slug="council-b", name="Council B")


@pytest.fixture
def make_member(db) -> Callable[..., Membership]:
    def make(council: Council, *roles: str, **fields: Any) -> Membership:
        return MembershipFactory(council=council, roles=list(roles), **fields)

    return make


@pytest.fixture
def client_for(db) -> Callable[[Membership], Client]:
    def sign_in(membership: Membership) -> Client:
        client = Client()
        client.force_login(membership.user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return sign_in


@pytest.fixture
def member_client(make_member, client_for) -> Callable[..., tuple[Client, Membership]]:
    def make(council: Council, *roles: str, **fields: Any) -> tuple[Client, Membership]:
        membership = make_member(council, *roles, **fields)
        return client_for(membership), membership

    return make
