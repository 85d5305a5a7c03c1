"""Who may see and change a career record (object checks after ``council_view``).

Viewing: the person themself, anyone up their line-management chain, council administrators
and HR. Changing: council administrators everything; HR the level and pay fields; the
person's line-management chain their hours and extended absences.
"""

from __future__ import annotations

from dataclasses import dataclass

from councils.models import MANAGER_ROLES, Membership, Role
from councils.people_selectors import line_manager_chain
from councils.permissions import roles_of


@dataclass(frozen=True)
class RecordAccess:
    """What one actor may do with one person's career record."""

    view: bool = False
    edit_details: bool = False
    edit_pay: bool = False
    edit_hours: bool = False

    @property
    def record_absences(self) -> bool:
        return self.edit_hours


def record_access(actor: Membership | None, membership: Membership) -> RecordAccess:
    """Compute every career-record permission of ``actor`` over ``membership`` at once
    (one walk up the line-management chain)."""
    if actor is None or actor.council_id != membership.council_id or not actor.is_active:
        return RecordAccess()
    roles = roles_of(actor)
    is_admin = Role.COUNCIL_ADMIN in roles
    is_hr = Role.HR in roles
    is_self = actor.pk == membership.pk
    # The person themself never manages their own hours: even a manager's own hours are set
    # by their manager or an administrator.
    in_chain = not is_self and actor.pk in line_manager_chain(membership)
    return RecordAccess(
        view=is_self or in_chain or is_admin or is_hr,
        edit_details=is_admin,
        edit_pay=is_admin or is_hr,
        edit_hours=is_admin or in_chain,
    )


def can_view_career_record(actor: Membership | None, membership: Membership) -> bool:
    return record_access(actor, membership).view


def can_edit_career_record(actor: Membership | None, membership: Membership) -> bool:
    """Registration, qualification, employment and ASYE dates."""
    return record_access(actor, membership).edit_details


def can_edit_pay(actor: Membership | None, membership: Membership) -> bool:
    """Current level, grade, spinal column point and payroll number."""
    return record_access(actor, membership).edit_pay


def can_edit_hours(actor: Membership | None, membership: Membership) -> bool:
    return record_access(actor, membership).edit_hours


def can_record_absence(actor: Membership | None, membership: Membership) -> bool:
    return record_access(actor, membership).record_absences


# --------------------------------------------------------------------------- eligibility checker

# Who may open the eligibility checker at all (the view's council_view roles).
ELIGIBILITY_CHECKER_ROLES = frozenset(
    {*MANAGER_ROLES, Role.ASYE_LEAD, Role.PRINCIPAL_SOCIAL_WORKER, Role.COUNCIL_ADMIN}
)
# Roles that see every social worker of the council; other manager roles see the people
# below them in the line-management chain.
ELIGIBILITY_COUNCIL_WIDE_ROLES = frozenset(
    {Role.COUNCIL_ADMIN, Role.ASYE_LEAD, Role.PRINCIPAL_SOCIAL_WORKER, Role.TEAM_MANAGER,
     Role.GROUP_MANAGER, Role.SERVICE_MANAGER}
)
# Whom the council-wide roles see.
WORKER_ROLES = frozenset({Role.SOCIAL_WORKER, Role.SENIOR_SOCIAL_WORKER})


def can_check_eligibility(actor: Membership | None, worker: Membership) -> bool:
    """May ``actor`` see ``worker``'s eligibility answers?

    Both active members of the same council, not the same person; the actor holds a
    council-wide role (and the worker is a social worker) or the worker is below the actor in
    the line-management chain."""
    if (actor is None or worker is None or actor.council_id != worker.council_id
            or not actor.is_active or not worker.is_active or actor.pk == worker.pk):
        return False
    roles = roles_of(actor)
    if roles & ELIGIBILITY_COUNCIL_WIDE_ROLES and roles_of(worker) & WORKER_ROLES:
        return True
    return bool(roles & MANAGER_ROLES) and actor.pk in line_manager_chain(worker)


# ----------------------------------------------------------------------------- ASYE (issue 5)

# Roles that see every programme of their council (oversight of the cohort).
ASYE_OVERSIGHT_ROLES = frozenset({Role.ASYE_LEAD, Role.PRINCIPAL_SOCIAL_WORKER,
                                  Role.PRINCIPAL_MANAGER, Role.ASSESSOR, Role.LEAD_ASSESSOR,
                                  Role.COUNCIL_ADMIN})


def can_view_programme(actor: Membership | None, programme) -> bool:
    """The worker, their line-management chain, and the oversight roles."""
    if actor is None or actor.council_id != programme.council_id or not actor.is_active:
        return False
    if actor.pk == programme.membership_id or roles_of(actor) & ASYE_OVERSIGHT_ROLES:
        return True
    return actor.pk in line_manager_chain(programme.membership)


def can_enrol_asye(actor: Membership | None) -> bool:
    return Role.ASYE_LEAD in roles_of(actor)
