"""Who may see and act on sittings, decisions, appeals and pay changes (after
``council_view``, which already answers 404 to non-members).

- Council administrators schedule sittings, name members, list cases, record QA.
- The sitting's designated chair issues and corrects its decisions; members see its agenda.
- Panel members see the portfolios of the cases on their sitting (``PANEL_ACCESS``).
- The worker, the sitting's chair and members, HR and administrators see a decision and its
  record. HR never gains sight of evidence files through any of this.
- HR manages the pay-change ledger and its exports.
"""

from __future__ import annotations

from councils.models import Membership, Role
from councils.permissions import roles_of
from panels.models import AgendaItem, Appeal, Decision, PanelMember, PanelSitting
from portfolios.models import ProgressionCase
from portfolios.permissions import PANEL_ACCESS, PANEL_RETURN

HR_ROLES = frozenset({Role.HR})
ADMIN_ROLES = frozenset({Role.COUNCIL_ADMIN})


def _on_sitting(actor: Membership, sitting: PanelSitting) -> bool:
    if sitting.chair_id == actor.pk:
        return True
    return PanelMember.objects.filter(council_id=sitting.council_id, sitting=sitting,
                                      membership=actor).exists()


def can_manage_sittings(actor: Membership | None) -> bool:
    return actor is not None and Role.COUNCIL_ADMIN in roles_of(actor)


def can_view_sitting(actor: Membership | None, sitting: PanelSitting) -> bool:
    if actor is None or actor.council_id != sitting.council_id:
        return False
    return can_manage_sittings(actor) or _on_sitting(actor, sitting)


def can_decide_sitting(actor: Membership | None, sitting: PanelSitting) -> bool:
    """Only the sitting's designated chair issues its decisions."""
    return (actor is not None and actor.council_id == sitting.council_id
            and sitting.chair_id == actor.pk)


def can_view_decision(actor: Membership | None, decision: Decision) -> bool:
    """The worker, the sitting's chair and members, HR and administrators."""
    if actor is None or actor.council_id != decision.council_id:
        return False
    if actor.pk == decision.case.worker_id:
        return True
    if roles_of(actor) & (HR_ROLES | ADMIN_ROLES):
        return True
    return _on_sitting(actor, decision.sitting)


def can_manage_pay_changes(actor: Membership | None) -> bool:
    return actor is not None and Role.HR in roles_of(actor)


def can_lodge_appeal(actor: Membership | None, case: ProgressionCase) -> bool:
    """The worker appeals (in writing); an administrator may record it on their behalf."""
    return actor is not None and (actor.pk == case.worker_id or can_manage_sittings(actor))


def can_set_appeal_panel(actor: Membership | None, appeal: Appeal, set_up_by: str | None
                         ) -> bool:
    """The pack's ``set_up_by`` role (NELC-45: the chair of the original panel, a PSW) or an
    administrator."""
    if actor is None:
        return False
    roles = roles_of(actor)
    if Role.COUNCIL_ADMIN in roles:
        return True
    if appeal.decision is not None and appeal.decision.sitting.chair_id == actor.pk:
        return True
    return set_up_by is not None and set_up_by in roles


def can_decide_appeal(actor: Membership | None, appeal: Appeal) -> bool:
    """The addressee of the appeal (LINCS-26 assistant director, HALTON-29/30) or, where
    the pack names an appeal panel, one of its members; administrators record results."""
    if actor is None or actor.pk == appeal.case.worker_id:
        return False
    roles = roles_of(actor)
    if Role.COUNCIL_ADMIN in roles:
        return True
    if appeal.addressee_role and appeal.addressee_role in roles:
        return True
    return any(m.membership_id == actor.pk for m in appeal.panel_members.all())


def can_view_appeal(actor: Membership | None, appeal: Appeal) -> bool:
    if actor is None or actor.council_id != appeal.council_id:
        return False
    return (actor.pk == appeal.case.worker_id or can_decide_appeal(actor, appeal)
            or (appeal.decision is not None and can_view_decision(actor, appeal.decision)))


def panel_sees_case(actor: Membership, case: ProgressionCase) -> bool:
    """A chair or member of a sitting on whose agenda ``case`` is listed (PANEL_ACCESS)."""
    sittings = AgendaItem.objects.filter(council_id=case.council_id, case=case).values(
        "sitting_id")
    if PanelSitting.objects.filter(council_id=case.council_id, pk__in=sittings,
                                   chair=actor).exists():
        return True
    return PanelMember.objects.filter(council_id=case.council_id, sitting_id__in=sittings,
                                      membership=actor).exists()


def chair_may_return(actor: Membership, case: ProgressionCase) -> bool:
    """The chair of a sitting whose current decision on ``case`` adjourns or defers it."""
    return Decision.objects.filter(council_id=case.council_id, case=case, is_current=True,
                                   sitting__chair=actor).exists()


if panel_sees_case not in PANEL_ACCESS:
    PANEL_ACCESS.append(panel_sees_case)
if chair_may_return not in PANEL_RETURN:
    PANEL_RETURN.append(chair_may_return)
