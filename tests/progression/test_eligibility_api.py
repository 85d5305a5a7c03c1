"""GET /api/v1/<council_slug>/workers/<membership_id>/eligibility?on=YYYY-MM-DD."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from councils.models import Role
from tests.factories import MembershipFactory
from tests.progression.eligibility_setup import council_with_pack, worker

D = dt.date


def _url(council, member, on: str | None = None) -> str:
    url = reverse("api_worker_eligibility",
                  kwargs={"council_slug": council.slug, "membership_id": member.pk})
    return f"{url}?on={on}" if on is not None else url


@pytest.fixture
def lincs(db):
    return council_with_pack("lincolnshire")


@pytest.fixture
def lincs_admin(lincs):
    return MembershipFactory(council=lincs, roles=[Role.COUNCIL_ADMIN])


def test_lincolnshire_absence_pushes_the_two_years_since_registration(lincs, lincs_admin,
                                                                      client_for):
    """LINCS-03, 003_beca269546173a23.txt: registration + 24 months + extended absence days.
    Registered 2024-08-01; 61 days of maternity leave (2025-03-01 to 2025-04-30): the two
    years are reached on 2026-08-01 + 61 days = 2026-10-01."""
    member = worker(lincs, actor=lincs_admin, tags=("fast",), current_level="level-1",
                    registration_date=D(2024, 8, 1), qualification_date=D(2024, 6, 30),
                    asye_started=D(2024, 8, 7), asye_completed=D(2025, 8, 6),
                    hours=((D(2024, 8, 7), "1"),),
                    absences=((D(2025, 3, 1), D(2025, 4, 30), "maternity-leave"),))
    response = client_for(lincs_admin).get(_url(lincs, member, "2026-09-01"))
    assert response.status_code == 200
    body = response.json()
    assert body["worker"] == member.pk and body["on"] == "2026-09-01"
    assert body["pack_version"]
    route = {r["route"]: r for r in body["routes"]}["level-1-to-level-2"]
    assert route["eligible"] is False
    assert route["earliest_on"] == "2026-10-01"
    assert [r["code"] for r in route["reasons"]] == ["time-not-reached"]
    assert "LINCS-03" in route["reasons"][0]["rule"]
    assert "2026-10-01" in route["reasons"][0]["message"]
    later = client_for(lincs_admin).get(_url(lincs, member, "2026-10-01")).json()
    assert {r["route"]: r for r in later["routes"]}["level-1-to-level-2"]["eligible"] is True


def test_derbyshire_part_time_counts_pro_rata(db, client_for):
    """DERBY-01, 002_6df34af9a85cb432.txt (CONV-05): 12 months pro rata from the later of
    registration and practice start. Full time from 2025-09-01, half time from 2026-03-01:
    6 FTE months on 2026-03-01, 12 on 2027-03-01."""
    derby = council_with_pack("derbyshire")
    manager = MembershipFactory(council=derby, roles=[Role.LINE_MANAGER])
    member = worker(derby, actor=manager, line_manager=manager, current_level="grade-9",
                    registration_date=D(2025, 9, 1), qualification_date=D(2025, 6, 30),
                    hours=((D(2025, 9, 1), "1"), (D(2026, 3, 1), "0.5")))
    body = client_for(manager).get(_url(derby, member, "2026-11-25")).json()
    route = {r["route"]: r for r in body["routes"]}["grade-9-to-grade-10-without-asye"]
    assert route == {
        "route": "grade-9-to-grade-10-without-asye", "title": route["title"],
        "eligible": False, "earliest_on": "2027-03-01", "warnings": [],
        "reasons": [{"rule": "DERBY-11, DERBY-01, CONV-05", "code": "time-not-reached",
                     "message": route["reasons"][0]["message"]}],
    }
    assert "pro rata" in route["reasons"][0]["message"]
    wrong_level = {r["route"]: r for r in body["routes"]}["grade-10-to-grade-11"]
    assert wrong_level["eligible"] is False and wrong_level["earliest_on"] is None
    assert wrong_level["reasons"][0]["rule"] == "DERBY-14"


def test_on_defaults_to_today(lincs, lincs_admin, client_for):
    member = worker(lincs, actor=lincs_admin, current_level="level-1")
    body = client_for(lincs_admin).get(_url(lincs, member)).json()
    assert body["on"] == dt.date.today().isoformat()


@pytest.mark.parametrize("bad", ["2025-02-30", "tomorrow", "2025-9-1", "01/09/2025"])
def test_a_bad_date_is_400_with_a_clear_message(bad, lincs, lincs_admin, client_for):
    member = worker(lincs, actor=lincs_admin, current_level="level-1")
    response = client_for(lincs_admin).get(_url(lincs, member, bad))
    assert response.status_code == 400
    assert "YYYY-MM-DD" in response.json()["on"][0] or "YYYY-MM-DD" in str(response.json())


def test_another_councils_worker_is_404(lincs, lincs_admin, client_for, other_council):
    stranger = MembershipFactory(council=other_council, roles=[Role.SOCIAL_WORKER])
    response = client_for(lincs_admin).get(_url(lincs, stranger, "2026-09-01"))
    assert response.status_code == 404


def test_a_member_of_another_council_gets_404(lincs, lincs_admin, client_for, other_council):
    member = worker(lincs, actor=lincs_admin, current_level="level-1")
    outsider = MembershipFactory(council=other_council, roles=[Role.COUNCIL_ADMIN])
    assert client_for(outsider).get(_url(lincs, member, "2026-09-01")).status_code == 404


def test_a_line_manager_outside_the_chain_is_refused(lincs, lincs_admin, client_for):
    """Same council, not in the worker's line-management chain: 403 (the role check passes,
    the object check refuses; another council's ids are 404)."""
    boss = MembershipFactory(council=lincs, roles=[Role.LINE_MANAGER])
    other_boss = MembershipFactory(council=lincs, roles=[Role.LINE_MANAGER])
    member = worker(lincs, actor=lincs_admin, line_manager=boss, current_level="level-1")
    assert client_for(boss).get(_url(lincs, member, "2026-09-01")).status_code == 200
    assert client_for(other_boss).get(_url(lincs, member, "2026-09-01")).status_code == 403


def test_a_social_worker_cannot_use_the_api(lincs, lincs_admin, client_for):
    member = worker(lincs, actor=lincs_admin, current_level="level-1")
    peer = MembershipFactory(council=lincs, roles=[Role.SOCIAL_WORKER])
    assert client_for(peer).get(_url(lincs, member, "2026-09-01")).status_code == 403


def test_no_pack_in_force_answers_no_routes(lincs, lincs_admin, client_for):
    """Before the pack's effective_from nothing is in force: no routes, no version."""
    member = worker(lincs, actor=lincs_admin, current_level="level-1")
    body = client_for(lincs_admin).get(_url(lincs, member, "2001-01-01")).json()
    assert body["pack_version"] is None and body["routes"] == []


def test_the_api_costs_a_bounded_number_of_queries(lincs, lincs_admin, client_for,
                                                   django_assert_max_num_queries):
    member = worker(lincs, actor=lincs_admin, current_level="level-1",
                    hours=((D(2023, 8, 7), "1"), (D(2024, 8, 7), "0.8")),
                    absences=((D(2024, 3, 1), D(2024, 4, 30), "maternity-leave"),))
    client = client_for(lincs_admin)
    client.get(_url(lincs, member, "2026-09-01"))  # warm the per-digest pack cache
    with django_assert_max_num_queries(14):
        assert client.get(_url(lincs, member, "2026-09-01")).status_code == 200
