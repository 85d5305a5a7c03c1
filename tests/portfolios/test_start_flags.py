"""Starting a route with the flags its pack offers, in the browser's form."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from portfolios.selectors import cases_of_worker


def test_halton_worker_requests_progression_when_starting_the_asye(load_pack, people,
                                                                   in_scope, client_for):
    """HALTON-04, 004_5b66ca4edcf6546b.txt: the progression request is the worker's choice at
    the start; it switches the Reflective Career Review on. A flag of another route is
    ignored."""
    council = load_pack("halton")
    p = people(council, level="level-1", asye_started=dt.date(2025, 12, 1))
    client = client_for(p["worker"])
    url = reverse("portfolio_start", kwargs={"council_slug": council.slug})
    form = client.get(url).content.decode()
    assert "ASYE and Progression Panel: progression requested" in form
    response = client.post(url, {"route_slug": "asye",
                                 "flags": ["asye:progression-requested"]})
    assert response.status_code == 302
    with in_scope(council):
        case = cases_of_worker(p["worker"])[0]
    assert case.flags == ["progression-requested"]
    page = client.get(response["Location"]).content.decode()
    assert "Reflective Career Review" in page and "Still needed" in page


def test_flags_of_another_route_are_not_applied(load_pack, people, in_scope, client_for):
    council = load_pack("halton")
    p = people(council, level="level-2")
    client = client_for(p["worker"])
    url = reverse("portfolio_start", kwargs={"council_slug": council.slug})
    client.post(url, {"route_slug": "level-2-to-level-3",
                      "flags": ["asye:progression-requested"]})
    with in_scope(council):
        assert cases_of_worker(p["worker"])[0].flags == []
