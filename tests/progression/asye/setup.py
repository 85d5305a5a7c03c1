"""ASYE test set-up: a real council pack loaded from councils/rulepacks, a team, an NQSW with
a line manager, an ASYE lead and a principal manager; helpers to enrol and hold reviews."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django_scopes import scope

from councils.models import Council, Membership
from councils.rules.services import rulepack_load
from progression.asye import services
from progression.models import AsyeProgramme, CareerRecord, Review
from tests.progression.people_setup import make_member, make_team

PACKS = settings.BASE_DIR / "councils" / "rulepacks"
STOKE_SEED = "001_cfd4d7839e7e381c.txt"
NELC_SEED = "000_b405b76582c345ce.txt"


@dataclass
class Cast:
    council: Council
    nqsw: Membership
    manager: Membership
    lead: Membership
    principal_manager: Membership
    assessor: Membership
    psw: Membership


def load_council(slug: str) -> Council:
    version, _ = rulepack_load(path=PACKS / f"{slug}.yaml")
    return version.council


def cast(slug: str = "stoke-on-trent", *, team_tags=("css",), qualified: dt.date | None = None,
         level: str | None = None, prefix: str = "") -> Cast:
    council = load_council(slug)
    team = make_team(council, f"{prefix}Team {slug}", tags=team_tags)
    p = prefix or slug[:5]
    manager = make_member(council, f"{p}.manager@example.org", ("line-manager",),
                          full_name=f"{p} Manager", team=team)
    nqsw = make_member(council, f"{p}.nqsw@example.org", ("social-worker",),
                       full_name=f"{p} Newly Qualified", team=team, line_manager=manager)
    lead = make_member(council, f"{p}.lead@example.org", ("asye-lead",), full_name=f"{p} Lead")
    pm = make_member(council, f"{p}.pm@example.org", ("principal-manager",),
                     full_name=f"{p} Principal Manager")
    assessor = make_member(council, f"{p}.assessor@example.org", ("assessor",),
                           full_name=f"{p} Assessor")
    psw = make_member(council, f"{p}.psw@example.org", ("principal-social-worker",),
                      full_name=f"{p} PSW")
    with scope(council=council):
        CareerRecord.objects.create(council=council, membership=nqsw,
                                    qualification_date=qualified or dt.date(2024, 7, 1),
                                    current_level=level or "")
    return Cast(council, nqsw, manager, lead, pm, assessor, psw)


def enrol(c: Cast, start: dt.date = dt.date(2024, 10, 1), **kw) -> AsyeProgramme:
    with scope(council=c.council):
        return services.programme_enrol(actor=c.lead, membership=c.nqsw, started_on=start,
                                        part_time=kw.pop("part_time", False), **kw).programme


def hold_review(c: Cast, programme: AsyeProgramme, month: int, *, ready: bool | None = None,
                on: dt.date | None = None) -> Review:
    """Record and sign a review by every attendee (the ASYE lead last, as STOKE-17 reads)."""
    with scope(council=c.council):
        review = programme.reviews.get(month=month)
        services.review_record(actor=c.manager, review=review, kss_progress="Good progress",
                               actions="Keep going", concerns="", complex_work_ready=ready,
                               learning_agreement_review="Stands as agreed")
        on = on or review.due_on
        attendees, held_by = services.review_parties(programme)
        who = {"social-worker": c.nqsw, "line-manager": c.manager, "asye-lead": c.lead}
        for role in [r for r in attendees if r != held_by] + ([held_by] if held_by else []):
            review.refresh_from_db()
            if review.held_on:
                break
            services.review_sign(actor=who[role], review=review, on=on)
        review.refresh_from_db()
        return review
