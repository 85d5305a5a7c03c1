"""Writes on a council's people and teams. The only code that changes memberships and teams.

Every service is keyword-only, takes the acting ``User``, runs in one transaction, locks what
it changes, validates with ``full_clean`` and writes an audit event. Invalid input raises
``ValidationError`` with messages keyed by form field, and nothing is written.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_scopes import scope

from councils.audit import audit_log
from councils.models import (
    MANAGER_ROLES,
    Council,
    Membership,
    Role,
    RoleAssignment,
    Team,
    User,
)

TAG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


# ---------------------------------------------------------------- memberships


def _membership_snapshot(membership: Membership) -> dict[str, Any]:
    """The audited fields of a membership, as JSON."""
    return {
        "team": membership.team_id,
        "line_manager": membership.line_manager_id,
        "job_title": membership.job_title,
        "is_active": membership.is_active,
        "roles": sorted(a.role for a in membership.roles.all()),
    }


def _clean_roles(roles: Iterable[str]) -> list[str]:
    valid = set(Role.values)
    cleaned = sorted(set(roles))
    unknown = [role for role in cleaned if role not in valid]
    if unknown:
        raise ValidationError({"roles": f"Unknown role: {', '.join(unknown)}."})
    if not cleaned:
        raise ValidationError({"roles": "Select at least one role."})
    return cleaned


def _check_team(council: Council, team: Team | None) -> None:
    if team is not None and (team.council_id != council.pk or not team.is_active):
        raise ValidationError({"team": "Select an active team of this council."})


def _check_line_manager(
    council: Council, membership: Membership | None, line_manager: Membership | None
) -> None:
    """A line manager is an active member of the same council holding a manager role, is not
    the person themself and is not (directly or indirectly) managed by them."""
    if line_manager is None:
        return
    if line_manager.council_id != council.pk or not line_manager.is_active:
        raise ValidationError({"line_manager": "Select an active member of this council."})
    held = set(
        RoleAssignment.objects.filter(membership=line_manager).values_list("role", flat=True)
    )
    if not held & set(MANAGER_ROLES):
        raise ValidationError(
            {"line_manager": f"{line_manager.user} does not hold a manager role in this council."}
        )
    if membership is None or membership.pk is None:
        return
    if line_manager.pk == membership.pk:
        raise ValidationError({"line_manager": "A person cannot be their own line manager."})
    # Walk up from the proposed manager: meeting the person means a management cycle.
    seen: set[int] = set()
    current_id = line_manager.line_manager_id
    while current_id is not None and current_id not in seen:
        if current_id == membership.pk:
            raise ValidationError(
                {"line_manager": f"{line_manager.user} is managed, directly or indirectly, by "
                                 f"{membership.user}: that would make a cycle."}
            )
        seen.add(current_id)
        current_id = (
            Membership.objects.filter(council=council, pk=current_id)
            .values_list("line_manager_id", flat=True)
            .first()
        )


def _set_roles(council: Council, membership: Membership, roles: list[str]) -> None:
    held = set(membership.roles.values_list("role", flat=True))
    membership.roles.filter(role__in=held - set(roles)).delete()
    RoleAssignment.objects.bulk_create(
        [RoleAssignment(council=council, membership=membership, role=role)
         for role in sorted(set(roles) - held)]
    )


def _send_invitation(*, membership_id: int, council_id: int, site_url: str) -> None:
    """E-mail the invited person: a set-password link when they have never set a password,
    otherwise a sign-in link. Runs after the transaction commits."""
    council = Council.objects.get(pk=council_id)
    with scope(council=council):
        membership = Membership.objects.select_related("user").get(pk=membership_id)
    user = membership.user
    base = site_url.rstrip("/")
    if user.has_usable_password():
        link = base + reverse("login")
    else:
        link = base + reverse(
            "password_reset_confirm",
            kwargs={"uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
                    "token": default_token_generator.make_token(user)},
        )
    context = {"council": council, "user": user, "link": link,
               "needs_password": not user.has_usable_password()}
    send_mail(
        subject=f"You have been invited to {council.name}'s social work career progression",
        message=render_to_string("councils/manage/email/invitation.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[user.email],
    )


@transaction.atomic
def membership_invite(
    *,
    actor: User,
    council: Council,
    email: str,
    full_name: str,
    roles: Iterable[str],
    team: Team | None = None,
    line_manager: Membership | None = None,
    job_title: str = "",
    site_url: str,
) -> Membership:
    """Add the person with ``email`` to ``council`` and e-mail them an invitation.

    A new e-mail creates a ``User`` with an unusable password (the invitation carries a
    set-password link). A person already known from another council is added as they are:
    their name is not changed and nothing about their other councils is read or shown.
    Raises ``ValidationError`` if they already belong to this council.
    ``site_url`` is the scheme and host the links in the e-mail point at.
    """
    email = User.objects.normalize_email(email.strip()).lower()
    cleaned_roles = _clean_roles(roles)
    with scope(council=council):
        _check_team(council, team)
        _check_line_manager(council, None, line_manager)
        user = User.objects.select_for_update(of=("self",)).filter(email__iexact=email).first()
        if user is None:
            user = User(email=email, full_name=full_name.strip())
            user.set_unusable_password()
            user.full_clean()
            user.save()
        elif Membership.objects.filter(council=council, user=user).exists():
            raise ValidationError(
                {"email": "This person already belongs to this council. Find them in the "
                          "list of people (reactivate them there if they were deactivated)."}
            )
        membership = Membership(
            council=council, user=user, team=team, line_manager=line_manager,
            job_title=job_title.strip(), invited_at=timezone.now(),
        )
        membership.full_clean()
        membership.save()
        _set_roles(council, membership, cleaned_roles)
        audit_log(
            council=council, actor=actor, action="membership.invited", obj=membership,
            affected_user=user, data={"after": _membership_snapshot(membership)},
        )
    transaction.on_commit(
        lambda: _send_invitation(membership_id=membership.pk, council_id=council.pk,
                                 site_url=site_url)
    )
    return membership


_UNSET: Any = object()


@transaction.atomic
def membership_update(
    *,
    actor: User,
    membership: Membership,
    roles: Iterable[str] | None = None,
    team: Team | None = _UNSET,
    line_manager: Membership | None = _UNSET,
    job_title: str | None = None,
) -> Membership:
    """Change the roles, team, line manager or job title of a membership.

    Arguments left out stay as they are (``team=None`` removes the team). The line manager
    must be an active manager of the same council, not the person, and not someone they
    manage. A council administrator cannot remove their own administrator role, so a council
    is never left without one by accident.
    """
    council = membership.council
    with scope(council=council):
        locked = Membership.objects.select_for_update(of=("self",)).get(pk=membership.pk)
        before = _membership_snapshot(locked)
        if team is not _UNSET:
            _check_team(council, team)
            locked.team = team
        if line_manager is not _UNSET:
            _check_line_manager(council, locked, line_manager)
            locked.line_manager = line_manager
        if job_title is not None:
            locked.job_title = job_title.strip()
        if roles is not None:
            cleaned_roles = _clean_roles(roles)
            if locked.user_id == actor.pk and Role.COUNCIL_ADMIN in before["roles"] \
                    and Role.COUNCIL_ADMIN not in cleaned_roles:
                raise ValidationError(
                    {"roles": "You cannot remove your own council administrator role."})
        locked.full_clean()
        locked.save(update_fields=["team", "line_manager", "job_title"])
        if roles is not None:
            _set_roles(council, locked, cleaned_roles)
        after = _membership_snapshot(locked)
        if after != before:
            audit_log(
                council=council, actor=actor, action="membership.updated", obj=locked,
                affected_user=locked.user, data={"before": before, "after": after},
            )
    return locked


@transaction.atomic
def membership_deactivate(*, actor: User, membership: Membership) -> Membership:
    """End a membership: the person can no longer use this council. Nothing is deleted.

    Refused for oneself, and while the person line-manages active members (give those
    people another line manager first, so nobody is left unmanaged without anyone noticing).
    """
    council = membership.council
    with scope(council=council):
        locked = Membership.objects.select_for_update(of=("self",)).get(pk=membership.pk)
        if not locked.is_active:
            raise ValidationError("This person is already deactivated.")
        if locked.user_id == actor.pk:
            raise ValidationError("You cannot deactivate yourself.")
        reports = locked.reports.filter(is_active=True).count()
        if reports:
            raise ValidationError(
                f"{locked.user} line-manages {reports} active "
                f"{'person' if reports == 1 else 'people'}. Give them another line manager "
                "first."
            )
        locked.is_active = False
        locked.deactivated_at = timezone.now()
        locked.full_clean()
        locked.save(update_fields=["is_active", "deactivated_at"])
        audit_log(council=council, actor=actor, action="membership.deactivated", obj=locked,
                  affected_user=locked.user,
                  data={"before": {"is_active": True}, "after": {"is_active": False}})
    return locked


@transaction.atomic
def membership_reactivate(*, actor: User, membership: Membership) -> Membership:
    """Let a deactivated member use the council again, with their history as it was."""
    council = membership.council
    with scope(council=council):
        locked = Membership.objects.select_for_update(of=("self",)).get(pk=membership.pk)
        if locked.is_active:
            raise ValidationError("This person is already active.")
        deactivated_at = locked.deactivated_at
        locked.is_active = True
        locked.deactivated_at = None
        locked.full_clean()
        locked.save(update_fields=["is_active", "deactivated_at"])
        audit_log(council=council, actor=actor, action="membership.reactivated", obj=locked,
                  affected_user=locked.user,
                  data={"before": {"is_active": False,
                                   "deactivated_at": deactivated_at.isoformat()
                                   if deactivated_at else None},
                        "after": {"is_active": True}})
    return locked


# ---------------------------------------------------------------- teams


def clean_tags(tags: Iterable[str]) -> list[str]:
    """Lower-case, hyphenated, unique, sorted tags; raises ``ValidationError`` otherwise."""
    cleaned = sorted({tag.strip().lower() for tag in tags if tag.strip()})
    bad = [tag for tag in cleaned if not TAG_PATTERN.match(tag)]
    if bad:
        raise ValidationError(
            {"tags": f"Tags are lower-case words joined by hyphens; check: {', '.join(bad)}."})
    return cleaned


def _check_team_name(council: Council, name: str, team: Team | None = None) -> None:
    others = Team.objects.filter(council=council, name__iexact=name)
    if team is not None:
        others = others.exclude(pk=team.pk)
    if others.exists():
        raise ValidationError({"name": f"This council already has a team called {name}."})


def _team_snapshot(team: Team) -> dict[str, Any]:
    return {"name": team.name, "tags": list(team.tags), "is_active": team.is_active}


@transaction.atomic
def team_create(*, actor: User, council: Council, name: str, tags: Iterable[str] = ()) -> Team:
    """Create a team; names are unique within the council."""
    with scope(council=council):
        _check_team_name(council, name.strip())
        team = Team(council=council, name=name.strip(), tags=clean_tags(tags))
        team.full_clean()
        team.save()
        audit_log(council=council, actor=actor, action="team.created", obj=team,
                  data={"after": _team_snapshot(team)})
    return team


@transaction.atomic
def team_update(
    *,
    actor: User,
    team: Team,
    name: str | None = None,
    tags: Iterable[str] | None = None,
    is_active: bool | None = None,
) -> Team:
    """Rename a team, change its tags or close it. A team with active members stays open."""
    council = team.council
    with scope(council=council):
        locked = Team.objects.select_for_update(of=("self",)).get(pk=team.pk)
        before = _team_snapshot(locked)
        if name is not None:
            _check_team_name(council, name.strip(), locked)
            locked.name = name.strip()
        if tags is not None:
            locked.tags = clean_tags(tags)
        if is_active is not None:
            if not is_active and locked.memberships.filter(is_active=True).exists():
                raise ValidationError(
                    {"is_active": "Move the team's active members to another team before "
                                  "closing it."})
            locked.is_active = is_active
        locked.full_clean()
        locked.save(update_fields=["name", "tags", "is_active"])
        after = _team_snapshot(locked)
        if after != before:
            audit_log(council=council, actor=actor, action="team.updated", obj=locked,
                      data={"before": before, "after": after})
    return locked
