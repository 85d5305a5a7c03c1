"""Set-up for the eligibility checker and API tests: a council with its real rule pack
loaded, and workers with career records written through the career-record services."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django_scopes import scopes_disabled

from councils.models import Council, Membership, Role
from councils.rules.services import rulepack_load
from progression.services import absence_record, career_record_update, hours_period_add
from tests.factories import MembershipFactory, TeamFactory


def council_with_pack(slug: str) -> Council:
    """The council ``slug`` created by loading ``councils/rulepacks/<slug>.yaml``."""
    version, _ = rulepack_load(path=settings.RULEPACK_DIR / f"{slug}.yaml")
    with scopes_disabled():
        return Council.objects.get(pk=version.council_id)


def worker(council: Council, *, actor: Membership, line_manager: Membership | None = None,
           tags: tuple[str, ...] = (), hours: tuple[tuple[dt.date, str], ...] = (),
           absences: tuple[tuple[dt.date, dt.date, str], ...] = (), **record) -> Membership:
    """An active social worker of ``council`` with the career-record fields ``record``."""
    team = TeamFactory(council=council, tags=list(tags))
    member = MembershipFactory(council=council, team=team, line_manager=line_manager,
                               roles=[Role.SOCIAL_WORKER])
    if record:
        career_record_update(actor=actor.user, membership=member, changes=record)
    for start, fte in hours:
        hours_period_add(actor=actor.user, membership=member, effective_from=start,
                         fte=Decimal(fte))
    for start, end, reason in absences:
        absence_record(actor=actor.user, membership=member, starts_on=start, ends_on=end,
                       reason=reason)
    return member
