"""Who may manage a council's people and teams (object checks after ``council_view``)."""

from __future__ import annotations

from councils.models import Membership, Role, Team
from councils.permissions import has_any_role


def can_manage_people(actor: Membership | None) -> bool:
    """Council administrators invite, edit, deactivate and reactivate people."""
    return has_any_role(actor, {Role.COUNCIL_ADMIN})


def can_edit_membership(actor: Membership | None, membership: Membership) -> bool:
    """A council administrator edits any membership of their own council."""
    return (
        actor is not None
        and membership.council_id == actor.council_id
        and can_manage_people(actor)
    )


def can_deactivate_membership(actor: Membership | None, membership: Membership) -> bool:
    """As editing, but never one's own membership (it would lock the administrator out)."""
    return can_edit_membership(actor, membership) and membership.pk != actor.pk


def can_edit_team(actor: Membership | None, team: Team) -> bool:
    return actor is not None and team.council_id == actor.council_id and can_manage_people(actor)
