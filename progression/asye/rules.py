"""Reading the pack of a programme: who acts in which pack role, and the pack's lists.

Pack roles are of two kinds: relationship roles (``social-worker`` is the programme's worker,
``line-manager`` is anyone up the worker's line-management chain) and held roles
(``asye-lead``, ``principal-manager``...), which the actor must hold in the council.
"""

from __future__ import annotations

import datetime as dt

from councils.models import MANAGER_ROLES, Membership, Role
from councils.people_selectors import line_manager_chain
from councils.permissions import roles_of
from councils.rules.schema import Programme, Route, RulePack
from councils.rules.selectors import pack_of_version
from progression.engine import AsyeRecord, HoursEntry, PersonRecord, ReviewHeld
from progression.engine._pack import compiled
from progression.engine_inputs import person_record_for
from progression.models import AsyeProgramme

# Where the pack states no signatories / attendees, the product's reading: the worker and
# their line manager (the two parties every ASYE document names), never an invented third role.
DEFAULT_PARTIES: tuple[str, ...] = (Role.SOCIAL_WORKER.value, Role.LINE_MANAGER.value)


def pack_of(programme: AsyeProgramme) -> RulePack:
    """The pack version the programme started under (it keeps it)."""
    return pack_of_version(programme.pack_version)


def route_of(pack: RulePack, slug: str) -> Route | None:
    return compiled(pack).routes.get(slug)


def programme_rules(programme: AsyeProgramme) -> Programme | None:
    route = route_of(pack_of(programme), programme.route_slug)
    return route.programme if route is not None else None


def acting_roles(actor: Membership | None, programme: AsyeProgramme,
                 chain: list[int] | None = None) -> frozenset[str]:
    """The pack roles ``actor`` may act in on ``programme``.

    Manager roles count only for the worker's own line-management chain (a team manager of
    another team is not this worker's manager)."""
    if actor is None or actor.council_id != programme.council_id or not actor.is_active:
        return frozenset()
    held = set(roles_of(actor))
    out = {r for r in held if r not in MANAGER_ROLES and r != Role.SOCIAL_WORKER}
    if actor.pk == programme.membership_id:
        out.add(Role.SOCIAL_WORKER.value)
        return frozenset(out)
    if chain is None:
        chain = line_manager_chain(programme.membership)
    if actor.pk in chain:
        out.add(Role.LINE_MANAGER.value)
        out.update(r for r in held if r in MANAGER_ROLES)
    return frozenset(out)


def worker_person(programme: AsyeProgramme, on: dt.date, **extra) -> PersonRecord:
    """The engine's view of the programme's worker on ``on`` (held reviews, agreement and
    caseload come from ``extra`` when the caller has them)."""
    fte = 0.5 if programme.part_time else 1.0
    return person_record_for(
        programme.membership, on=on,
        asye=AsyeRecord(started_on=programme.started_on, credit_months=programme.credit_months,
                        extended_to=programme.planned_end),
        hours=(HoursEntry(programme.started_on, fte),),
        **extra,
    )


def reviews_held_of(programme: AsyeProgramme) -> tuple[ReviewHeld, ...]:
    return tuple(ReviewHeld(r.month, r.held_on, r.complex_work_ready)
                 for r in programme.reviews.all() if r.held_on is not None)
