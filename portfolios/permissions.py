"""Who may see and act on a progression case and its portfolio (after ``council_view``).

Seeing a portfolio (and downloading its files): the worker, anyone up their line-management
chain, the case's lead assessor, and panel members for cases on their sitting (predicates in
``PANEL_ACCESS``, which the panels app extends). HR never sees evidence through its role.
Council administrators manage bookings and appointments but do not read evidence.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from councils.models import Membership, Role
from councils.people_selectors import line_manager_chain
from councils.permissions import roles_of
from portfolios.models import CaseStatus, ProgressionCase

#: Extra "may see this case" predicates (actor, case) -> bool, e.g. panel membership of the
#: sitting the case is listed on. The panels app appends to this list.
PANEL_ACCESS: list[Callable[[Membership, ProgressionCase], bool]] = []

#: Extra "may return this submitted portfolio" predicates (actor, case) -> bool: the chair
#: of the sitting that adjourned or deferred it (panels app).
PANEL_RETURN: list[Callable[[Membership, ProgressionCase], bool]] = []


@dataclass(frozen=True)
class CaseAccess:
    view: bool = False
    is_worker: bool = False
    in_chain: bool = False
    is_lead_assessor: bool = False
    manage: bool = False  # bookings, lead assessor appointment (council administrators)
    roles: frozenset[str] = field(default_factory=frozenset)

    @property
    def edit_evidence(self) -> bool:
        return self.is_worker

    def may_sign_as(self, role: str) -> bool:
        """Whether the actor may sign in ``role`` for this case: they hold the role and are
        the worker (for the worker's own signature) or someone with sight of the case."""
        if role == Role.SOCIAL_WORKER:
            return self.is_worker
        if role == Role.LEAD_ASSESSOR:
            # The case's lead assessor is appointed to the case (NELC-26); the role is held
            # through that appointment, not as a standing role of the member.
            return self.is_lead_assessor
        return (role in self.roles and not self.is_worker
                and (self.in_chain or self.is_lead_assessor))


def case_access(actor: Membership | None, case: ProgressionCase) -> CaseAccess:
    """Every right of ``actor`` over ``case``, computed once (one walk up the chain)."""
    if actor is None or not actor.is_active or actor.council_id != case.council_id:
        return CaseAccess()
    roles = roles_of(actor)
    is_worker = actor.pk == case.worker_id
    in_chain = not is_worker and actor.pk in line_manager_chain(case.worker)
    is_lead = case.lead_assessor_id is not None and actor.pk == case.lead_assessor_id
    # HR never sees evidence (architecture.md): an HR member co-opted onto a panel
    # (LINCS-20) sees the decision, not the portfolio.
    on_panel = (not is_worker and not in_chain and not is_lead and Role.HR not in roles
                and any(check(actor, case) for check in PANEL_ACCESS))
    return CaseAccess(
        view=is_worker or in_chain or is_lead or on_panel,
        is_worker=is_worker, in_chain=in_chain, is_lead_assessor=is_lead,
        manage=Role.COUNCIL_ADMIN in roles, roles=roles,
    )


def can_view_portfolio(actor: Membership | None, case: ProgressionCase) -> bool:
    return case_access(actor, case).view


def can_download_evidence(actor: Membership | None, case: ProgressionCase) -> bool:
    return case_access(actor, case).view


def can_edit_portfolio(actor: Membership | None, case: ProgressionCase) -> bool:
    """The worker, while the portfolio is being built."""
    return case_access(actor, case).is_worker and case.status == CaseStatus.BUILDING


def can_manage_case(actor: Membership | None, case: ProgressionCase) -> bool:
    return case_access(actor, case).manage
