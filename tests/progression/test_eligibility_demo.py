"""Demo data for the rules: ``load_demo`` loads the five packs and gives each demo social
worker a career record the eligibility checker has something to say about."""

from __future__ import annotations

import datetime as dt

import pytest
from django_scopes import scope, scopes_disabled

from councils.demo import demo_email, load_demo
from councils.models import Council, Membership, Role, RulePackVersion
from progression.eligibility import eligibility_report

ON = dt.date(2026, 12, 1)
# Stoke's and NELC's records are dated from the load date (progression.demo_records).
LOADED_ON = dt.date(2026, 11, 25)


def _answers(slug: str) -> dict:
    council = Council.objects.get(slug=slug)
    with scope(council=council):
        worker = Membership.objects.select_related("user", "team").get(
            council=council, user__email=demo_email(Role.SOCIAL_WORKER, slug))
        report = eligibility_report(council=council, worker=worker, on=ON)
    assert report.version is not None
    return {a.route: a for a in report.answers}


@pytest.mark.django_db
def test_load_demo_loads_every_pack_once_and_is_idempotent():
    load_demo()
    load_demo()
    with scopes_disabled():
        assert RulePackVersion.objects.count() == 5
        assert set(RulePackVersion.objects.values_list("council__slug", flat=True)) == {
            "north-east-lincolnshire", "stoke-on-trent", "derbyshire", "lincolnshire", "halton"}


@pytest.mark.django_db
def test_demo_workers_get_dated_answers():
    """LINCS-03 (003_beca269546173a23.txt): registered 2024-08-01 plus 179 days of maternity
    leave gives 2027-01-27. DERBY-01 (002_6df34af9a85cb432.txt, CONV-05): half time from
    2026-03-01 moves 12 months pro rata to 2027-03-01."""
    load_demo()
    lincs = _answers("lincolnshire")["level-1-to-level-2"]
    assert (lincs.eligible, lincs.earliest_on) == (False, dt.date(2027, 1, 27))
    derby = _answers("derbyshire")["grade-9-to-grade-10-without-asye"]
    assert (derby.eligible, derby.earliest_on) == (False, dt.date(2027, 3, 1))
    assert _answers("north-east-lincolnshire")["asye"].eligible
    assert _answers("stoke-on-trent")["asye"].eligible
    assert _answers("halton")["level-2-to-level-3"].eligible
