"""Every council view declares its roles with ``council_view(...)``; the declaration holds.

Walks every council URL. With declared roles: a member without any of them is refused by
the role check (403), and a member holding any one of them passes the role check (the view
may still refuse a particular object with its own 403, which is not the role check's).
Views open to every member must not refuse a member without roles at the role check.
"""

from __future__ import annotations

import logging

import pytest

from tests.factories import URL_KWARG_FACTORIES, MembershipFactory
from tests.urlwalk import CouncilRoute, council_routes

ROUTES = council_routes()
ROLE_CHECK_MESSAGE = "Your role in this council does not allow this."


def _ids(route: CouncilRoute) -> str:
    return route.name or route.route


def _url(route: CouncilRoute, council) -> str:
    values: dict[str, object] = {"council_slug": council.slug}
    for kwarg in route.kwargs:
        if kwarg != "council_slug":
            if kwarg not in URL_KWARG_FACTORIES:
                pytest.fail(f"No factory for {kwarg} of {route}; see URL_KWARG_FACTORIES.")
            values[kwarg] = URL_KWARG_FACTORIES[kwarg](council)
    return route.url(values)


def _request(client, url: str, caplog) -> tuple[int, bool]:
    """GET ``url`` (POST when the view refuses GET): the status, and whether the refusal came
    from ``council_view``'s role check (read from the exception Django logs for a 403)."""
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client.get(url)
        if response.status_code == 405:
            caplog.clear()
            response = client.post(url)
    by_role_check = any(
        record.exc_info and str(record.exc_info[1]) == ROLE_CHECK_MESSAGE
        for record in caplog.records
    )
    return response.status_code, by_role_check


def test_every_council_view_declares_its_roles_with_council_view():
    undeclared = [str(route) for route in ROUTES if route.council_roles is None]
    assert not undeclared, (
        "Council views must be wrapped in councils.permissions.council_view(...): "
        + ", ".join(undeclared)
    )


@pytest.mark.parametrize("route", [r for r in ROUTES if r.council_roles], ids=_ids)
def test_member_without_the_views_roles_is_refused(route, council, client_for, caplog):
    url = _url(route, council)
    status, by_role_check = _request(
        client_for(MembershipFactory(council=council, roles=[])), url, caplog
    )
    assert (status, by_role_check) == (403, True), f"{url} without a role answered {status}"


@pytest.mark.parametrize("route", [r for r in ROUTES if r.council_roles], ids=_ids)
def test_member_with_any_declared_role_passes_the_role_check(route, council, client_for,
                                                             caplog):
    for role in sorted(route.council_roles):
        url = _url(route, council)
        status, by_role_check = _request(
            client_for(MembershipFactory(council=council, roles=[role])), url, caplog
        )
        assert not by_role_check, f"{url} refused a {role} at the role check"
        assert status not in {404, 500}, f"{url} as {role} answered {status}"


@pytest.mark.parametrize("route", [r for r in ROUTES if not r.council_roles], ids=_ids)
def test_view_open_to_every_member_lets_a_member_without_roles_in(route, council, client_for,
                                                                  caplog):
    url = _url(route, council)
    status, by_role_check = _request(
        client_for(MembershipFactory(council=council, roles=[])), url, caplog
    )
    assert not by_role_check
    assert status not in {404, 500}, f"{url} answered {status}"


def test_home_page_lets_every_member_in_with_200(council, client_for):
    client = client_for(MembershipFactory(council=council, roles=[]))
    assert client.get(f"/{council.slug}/").status_code == 200


@pytest.mark.parametrize("route", ROUTES, ids=_ids)
def test_signed_out_visitor_is_sent_to_sign_in(route, council, client):
    url = _url(route, council)
    response = client.get(url)
    if response.status_code == 405:
        response = client.post(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
