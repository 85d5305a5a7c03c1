"""Helpers for the per-council end-to-end portfolio tests: build a worker with a management
chain holding the roles a pack names, add evidence through the real services, collect every
sign-off the route's pack lists, and read refusals as plain text."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import pytest
from django.core.exceptions import ValidationError

from councils.models import Council, Membership, Role
from portfolios import services
from portfolios.models import ProgressionCase
from portfolios.selectors import portfolio_overview
from tests.factories import MembershipFactory, TeamFactory
from tests.portfolios.conftest import CareerRecordFactory

TODAY = dt.date(2026, 11, 20)


def staff(council: Council, *chain: Iterable[str], tags: Iterable[str] = (), level: str = "",
          **record) -> dict[str, Membership]:
    """A worker whose line manager holds ``chain[0]`` roles, whose manager holds
    ``chain[1]``... (``m0``, ``m1``...), plus an administrator, HR and an advanced
    practitioner outside the chain; the worker's career record gets ``record``."""
    team = TeamFactory(council=council, tags=list(tags))
    above = None
    managers: list[Membership] = []
    for roles in reversed(chain):
        above = MembershipFactory(council=council, team=team, line_manager=above,
                                  roles=list(roles))
        managers.insert(0, above)
    worker = MembershipFactory(council=council, team=team, line_manager=above,
                               roles=[Role.SOCIAL_WORKER])
    out = {f"m{i}": m for i, m in enumerate(managers)}
    out.update(worker=worker,
               admin=MembershipFactory(council=council, team=team, roles=[Role.COUNCIL_ADMIN]),
               hr=MembershipFactory(council=council, team=team, roles=[Role.HR]),
               ap=MembershipFactory(council=council, team=team,
                                    roles=[Role.ADVANCED_PRACTITIONER]))
    CareerRecordFactory(council=council, membership=worker, current_level=level, **record)
    return out


def add(case: ProgressionCase, worker: Membership, kind: str, title: str, on: dt.date,
        **kwargs):
    """A written statement of ``kind`` through the real service."""
    return services.evidence_add_statement(actor=worker, case=case, kind=kind, title=title,
                                           practice_on=on, statement=kwargs.pop(
                                               "statement", f"{title}: what I did."),
                                           **kwargs)


def sign_all(case: ProgressionCase, signers: dict[str, Membership], *,
             blocks: Iterable[str] = ("submission",)) -> list[str]:
    """Record every applicable sign-off of the route that blocks one of ``blocks``, each by
    the member ``signers[role]`` (pack role or an alternative). Returns what was signed."""
    done = []
    overview = portfolio_overview(case, TODAY)
    for state in overview.signoffs:
        if not state.applies or state.spec.blocks not in blocks:
            continue
        role = next(r for r in (state.spec.role, *state.spec.alternatives) if r in signers)
        services.signoff_record(actor=signers[role], case=case, index=state.index, role=role)
        done.append(f"{role} {state.spec.action} {state.spec.subject}")
    return done


def refusal(case: ProgressionCase, worker: Membership, today: dt.date, **kwargs) -> str:
    """The refusal text of a submission that must fail (fails the test if it succeeds)."""
    with pytest.raises(ValidationError) as error:
        services.portfolio_submit(actor=worker, case=case, today=today, **kwargs)
    return " | ".join(error.value.messages)


def book(case: ProgressionCase, admin: Membership, sitting: str, due: dt.date | None) -> None:
    services.booking_confirm(actor=admin, case=case, sitting=sitting, submission_due_on=due,
                             seed="e2e")
    case.refresh_from_db()
