"""Reads for the council administrator's people and teams pages.

Every read starts from the council; ``access_<entity>`` turns an id from a URL into the
object or raises ``Http404``, the same 404 whether the id is missing or another council's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404

from councils.models import (
    MANAGER_ROLES,
    AuditEvent,
    Council,
    Membership,
    Role,
    RoleAssignment,
    Team,
)


@dataclass(frozen=True)
class MembershipFilters:
    """What the people list is narrowed by; empty values mean "any"."""

    search: str = ""
    role: str = ""
    team_id: int | None = None
    status: str = "active"  # "active", "inactive" or "all"


def membership_list(council: Council, filters: MembershipFilters) -> QuerySet[Membership]:
    """The council's memberships matching ``filters``, ordered by name, with user, team, line
    manager and roles loaded: a page of it costs the same few queries whatever its length."""
    qs = (
        Membership.objects.filter(council=council)
        .select_related("user", "team", "line_manager__user")
        .prefetch_related("roles")
        .order_by("user__full_name", "user__email", "pk")
    )
    if filters.search:
        qs = qs.filter(Q(user__full_name__icontains=filters.search)
                       | Q(user__email__icontains=filters.search))
    if filters.role:
        # Exists, not a join: a person holding several roles must appear once.
        qs = qs.filter(Exists(RoleAssignment.objects.filter(
            council=council, membership=OuterRef("pk"), role=filters.role)))
    if filters.team_id is not None:
        qs = qs.filter(team_id=filters.team_id)
    if filters.status == "active":
        qs = qs.filter(is_active=True)
    elif filters.status == "inactive":
        qs = qs.filter(is_active=False)
    return qs


def access_membership(council: Council, membership_id: int) -> Membership:
    """The membership ``membership_id`` of ``council`` (active or not), or ``Http404``."""
    membership = (
        Membership.objects.filter(council=council, pk=membership_id)
        .select_related("user", "team", "line_manager__user", "council")
        .prefetch_related("roles")
        .first()
    )
    if membership is None:
        raise Http404("No such person in this council.")
    return membership


def access_team(council: Council, team_id: int) -> Team:
    """The team ``team_id`` of ``council``, or ``Http404``."""
    team = Team.objects.filter(council=council, pk=team_id).select_related("council").first()
    if team is None:
        raise Http404("No such team in this council.")
    return team


def team_list(council: Council) -> QuerySet[Team]:
    """The council's teams, open first, with their active member counts."""
    return (
        Team.objects.filter(council=council)
        .annotate(active_members=Count("memberships", filter=Q(memberships__is_active=True)))
        .order_by("-is_active", "name")
    )


def active_teams(council: Council) -> QuerySet[Team]:
    """Teams a person can be placed in."""
    return Team.objects.filter(council=council, is_active=True).order_by("name")


def line_manager_choices(
    council: Council, exclude: Membership | None = None
) -> QuerySet[Membership]:
    """Active members holding a manager role, who may be chosen as someone's line manager.

    Cycles are checked by the service when saving, not by narrowing this list.
    """
    qs = (
        Membership.objects.filter(council=council, is_active=True)
        .filter(Exists(RoleAssignment.objects.filter(
            council=council, membership=OuterRef("pk"), role__in=list(MANAGER_ROLES))))
        .select_related("user")
        .order_by("user__full_name")
    )
    if exclude is not None:
        qs = qs.exclude(pk=exclude.pk)
    return qs


def line_manager_chain(membership: Membership) -> list[int]:
    """The ids of ``membership``'s line manager, their line manager, and so on upwards."""
    chain: list[int] = []
    current_id = membership.line_manager_id
    while current_id is not None and current_id not in chain:
        chain.append(current_id)
        current_id = (
            Membership.objects.filter(council_id=membership.council_id, pk=current_id)
            .values_list("line_manager_id", flat=True)
            .first()
        )
    return chain


# How the person's history names the foundation's own actions; other apps' actions are shown
# by their dotted name made readable ("career_record.hours_added" -> "Career record: hours
# added").
HISTORY_LABELS: dict[str, str] = {
    "membership.invited": "Invited to the council",
    "membership.created": "Added to the council",
    "membership.updated": "Roles, team or line manager changed",
    "membership.deactivated": "Deactivated",
    "membership.reactivated": "Reactivated",
}
_CHANGE_NAMES = {"roles": "roles", "team": "team", "line_manager": "line manager",
                 "job_title": "job title"}


@dataclass(frozen=True)
class HistoryEntry:
    """One line of a person's history in a council, ready to show."""

    at: datetime
    what: str
    detail: str
    actor: str


_WORDS = {"asye": "ASYE", "eoi": "expression of interest", "la": "learning agreement",
          "cwa": "complex work agreement"}


def _history_label(action: str) -> str:
    if action in HISTORY_LABELS:
        return HISTORY_LABELS[action]
    subject, _, verb = action.rpartition(".")
    words = [_WORDS.get(word, word) for word in subject.replace(".", "_").split("_") if word]
    subject = " ".join(words)
    subject = subject[:1].upper() + subject[1:]
    verb = verb.replace("_", " ")
    return f"{subject}: {verb}" if subject else verb.capitalize()


def _history_detail(event: AuditEvent) -> str:
    """For a membership change, what changed (roles by name); empty for other events."""
    if event.action not in {"membership.updated", "membership.invited"}:
        return ""
    before = event.data.get("before") or {}
    after = event.data.get("after") or {}
    roles = ", ".join(Role(r).label for r in after.get("roles", []) if r in Role.values)
    if event.action == "membership.invited":
        return f"Roles: {roles}" if roles else ""
    changed = [label for key, label in _CHANGE_NAMES.items() if before.get(key) != after.get(key)]
    detail = "Changed: " + ", ".join(changed) if changed else ""
    if "roles" in changed and roles:
        detail += f". Roles now: {roles}"
    return detail


def membership_history(council: Council, membership: Membership,
                       limit: int = 100) -> list[HistoryEntry]:
    """The audit trail of ``membership`` in ``council``, newest first, in one query: events
    about the membership itself and events of this council affecting its person. Never
    anything of another council (the scope and the council filter both say so)."""
    events = (
        AuditEvent.objects.filter(council=council)
        .filter(Q(affected_user_id=membership.user_id)
                | Q(object_type=Membership._meta.label_lower, object_id=str(membership.pk)))
        .select_related("actor")
        .order_by("-created_at", "-id")[:limit]
    )
    return [
        HistoryEntry(at=event.created_at, what=_history_label(event.action),
                     detail=_history_detail(event),
                     actor=str(event.actor) if event.actor else "The system")
        for event in events
    ]
