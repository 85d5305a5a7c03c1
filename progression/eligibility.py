"""Eligibility answers for a worker on a date: the council's rule pack run on their record.

Selectors only (nothing is written). The pack is the council's version in force on the date
asked (``pack_version_in_force``); a case that started under an older version passes that
``version`` instead, so its answers keep the rules it started under. The person's facts come
from ``person_record_for`` (career record, hours, extended absences, team tags); the engine
(``progression.engine.route_eligibility``) decides, with every reason and the earliest date.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q

from councils.models import MANAGER_ROLES, Council, Membership, RoleAssignment
from councils.people_selectors import access_membership
from councils.permissions import roles_of
from councils.rules.selectors import pack_of_version, pack_version_in_force
from progression.engine import Reason, route_eligibility
from progression.engine_inputs import person_record_for
from progression.models import CareerRecord
from progression.permissions import (
    ELIGIBILITY_COUNCIL_WIDE_ROLES,
    WORKER_ROLES,
    can_check_eligibility,
)


@dataclass(frozen=True)
class RouteAnswer:
    """One route's answer: eligible or not, every failing reason (rule ID + message), the
    earliest date the record alone makes it pass (None when a reason is not date-driven),
    and warnings that do not refuse (a team that needs extra arrangements)."""

    route: str
    title: str
    eligible: bool
    earliest_on: dt.date | None
    reasons: list[Reason] = field(default_factory=list)
    warnings: list[Reason] = field(default_factory=list)


@dataclass(frozen=True)
class EligibilityReport:
    """All routes' answers for ``worker`` on ``on`` under pack ``version`` (None: the council
    has no pack in force on that date, and ``answers`` is empty)."""

    worker: Membership
    on: dt.date
    version: str | None
    effective_from: dt.date | None
    answers: list[RouteAnswer]


def eligibility_report(*, council: Council, worker: Membership, on: dt.date,
                       version=None, record: CareerRecord | None = None) -> EligibilityReport:
    """Every route of the council's pack for ``worker`` on ``on``.

    ``version``: a stored ``RulePackVersion`` to use instead of the one in force on ``on``
    (a case's own version). ``record``: the worker's career record when already loaded
    (hours and absences prefetched). Raises ValueError for a worker of another council.
    """
    if worker.council_id != council.pk:
        raise ValueError("the worker is not a member of this council")
    if version is None:
        version = pack_version_in_force(council=council, on=on)
    if version is None:
        return EligibilityReport(worker, on, None, None, [])
    pack = pack_of_version(version)
    person = person_record_for(worker, on=on, record=record)
    answers = []
    for route in pack.routes:
        result = route_eligibility(pack, route.slug, person, on)
        answers.append(RouteAnswer(route.slug, route.title, result.eligible, result.earliest_on,
                                   list(result.reasons), list(result.warnings)))
    return EligibilityReport(worker, on, version.version, version.effective_from, answers)


def eligibility_for(*, council: Council, worker: Membership, on: dt.date) -> list[RouteAnswer]:
    """Each route's answer for ``worker`` on ``on`` under the pack in force on ``on``."""
    return eligibility_report(council=council, worker=worker, on=on).answers


def eligibility_workers(actor: Membership) -> list[Membership]:
    """The people ``actor`` may check, by name (``can_check_eligibility`` in bulk): the active
    people below a manager in the line-management chain, and for council-wide roles every
    active social worker of the council. At most two queries whatever the council's size."""
    council_id = actor.council_id
    roles = roles_of(actor)
    below: set[int] = set()
    if roles & MANAGER_ROLES:
        # Everyone's line manager in one query, then walk down from the actor in Python.
        managers = dict(Membership.objects.filter(council_id=council_id)
                        .values_list("pk", "line_manager_id"))
        frontier = {actor.pk}
        while frontier:
            frontier = {pk for pk, manager in managers.items()
                        if manager in frontier and pk not in below and pk != actor.pk}
            below |= frontier
    visible = Q(pk__in=below)
    if roles & ELIGIBILITY_COUNCIL_WIDE_ROLES:
        visible |= Q(Exists(RoleAssignment.objects.filter(
            council_id=council_id, membership=OuterRef("pk"), role__in=list(WORKER_ROLES))))
    return list(
        Membership.objects.filter(council_id=council_id, is_active=True)
        .filter(visible).exclude(pk=actor.pk).select_related("user", "team")
        .order_by("user__full_name", "user__email")
    )


def access_worker_for_eligibility(actor: Membership, council: Council,
                                  membership_id: int) -> Membership:
    """The worker ``membership_id`` whom ``actor`` may check, or Http404 when they are not a
    member of ``council``; PermissionDenied when they are but the actor may not check them."""
    worker = access_membership(council, membership_id)
    if not can_check_eligibility(actor, worker):
        raise PermissionDenied("You may not check this person's eligibility.")
    return worker
