"""Tenant isolation for EVERY council URL, found by walking the URLconf.

A member of council A, holding every role there, asks for each council URL
1. with council B's slug and B's object ids: 404 (the council itself is hidden), and
2. with A's slug and B's object ids: 404 (``access_<entity>`` hides B's rows), for every
   method the view accepts (a 405 for a method the view refuses tells nothing about B).
Put ``council_view`` outermost (above ``require_POST`` and the like) so a stranger gets 404
whatever the method. URL keywords are filled from ``tests.factories.URL_KWARG_FACTORIES``;
a view with a keyword missing there fails ``test_every_council_url_keyword_has_a_factory``
with its name.
"""

from __future__ import annotations

import pytest

from councils.models import Role
from tests.factories import URL_KWARG_FACTORIES, MembershipFactory
from tests.urlwalk import CouncilRoute, council_routes

ROUTES = council_routes()
ALL_ROLES = [role.value for role in Role]


def _ids(route: CouncilRoute) -> str:
    return route.name or route.route


def test_the_walk_finds_the_council_home_page():
    assert "home" in {route.name for route in ROUTES}


def test_every_council_url_keyword_has_a_factory():
    missing = {
        f"{kwarg} (in {route})"
        for route in ROUTES
        for kwarg in route.kwargs
        if kwarg != "council_slug" and kwarg not in URL_KWARG_FACTORIES
    }
    assert not missing, (
        "These URL keywords have no entry in tests.factories.URL_KWARG_FACTORIES, so the "
        "isolation test cannot fill them with another council's ids. Add a factory for each: "
        + ", ".join(sorted(missing))
    )


def _values(route: CouncilRoute, slug: str, object_council) -> dict[str, object]:
    values: dict[str, object] = {"council_slug": slug}
    for kwarg in route.kwargs:
        if kwarg != "council_slug":
            values[kwarg] = URL_KWARG_FACTORIES[kwarg](object_council)
    return values


@pytest.mark.parametrize("route", ROUTES, ids=_ids)
def test_member_of_another_council_gets_404_on_its_urls(route, council, other_council,
                                                        client_for):
    """Council B's URL, with B's ids, asked for by a member of A holding every role."""
    if any(k != "council_slug" and k not in URL_KWARG_FACTORIES for k in route.kwargs):
        pytest.fail(f"No factory for a keyword of {route}; see URL_KWARG_FACTORIES.")
    client = client_for(MembershipFactory(council=council, roles=ALL_ROLES))
    url = route.url(_values(route, other_council.slug, other_council))
    statuses = {method: getattr(client, method)(url).status_code for method in ("get", "post")}
    # council_view is the outermost decorator, so even a refused method answers 404 here.
    assert statuses == {"get": 404, "post": 404}, f"{url} answered {statuses}"


@pytest.mark.parametrize(
    "route", [r for r in ROUTES if len(r.kwargs) > 1], ids=_ids
)
def test_another_councils_ids_under_own_council_slug_answer_404(route, council, other_council,
                                                                client_for):
    """A's slug with B's object ids: the same 404 as an id that does not exist."""
    if any(k != "council_slug" and k not in URL_KWARG_FACTORIES for k in route.kwargs):
        pytest.fail(f"No factory for a keyword of {route}; see URL_KWARG_FACTORIES.")
    client = client_for(MembershipFactory(council=council, roles=ALL_ROLES))
    url = route.url(_values(route, council.slug, other_council))
    statuses = {method: getattr(client, method)(url).status_code for method in ("get", "post")}
    assert set(statuses.values()) <= {404, 405}, f"{url} answered {statuses}"
    assert 404 in statuses.values(), f"{url} refused every method: {statuses}"


def test_council_that_does_not_exist_answers_404_like_a_foreign_one(council, client_for):
    client = client_for(MembershipFactory(council=council, roles=ALL_ROLES))
    assert client.get("/no-such-council/").status_code == 404
