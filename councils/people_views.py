"""The council administrator's people and teams pages. Thin: parse, call one service or
selector, render. Every view is a ``council_view`` for council administrators; ids from the
URL go through ``access_<entity>`` (404 for another council's ids)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from councils import services
from councils.models import Role
from councils.people_forms import (
    ConfirmForm,
    InviteForm,
    MembershipEditForm,
    PeopleFilterForm,
    TeamEditForm,
    TeamForm,
    apply_service_errors,
)
from councils.people_permissions import (
    can_deactivate_membership,
    can_edit_membership,
    can_edit_team,
)
from councils.people_selectors import (
    MembershipFilters,
    access_membership,
    access_team,
    membership_history,
    membership_list,
    team_list,
)
from councils.permissions import council_view

PAGE_SIZE = 25
ADMIN = Role.COUNCIL_ADMIN


def _posted(request: HttpRequest) -> QueryDict | None:
    """The POST data to bind a form to, even when empty (a confirm button posts nothing)."""
    return request.POST if request.method == "POST" else None


def _people_url(request: HttpRequest) -> str:
    return reverse("people_list", kwargs={"council_slug": request.council.slug})


@council_view(ADMIN)
def people_list(request: HttpRequest, council_slug: str) -> HttpResponse:
    """The council's people, searchable and filtered, 25 to a page."""
    form = PeopleFilterForm(request.GET or None, council=request.council)
    filters = MembershipFilters()
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        filters = MembershipFilters(
            search=data["q"].strip(), role=data["role"],
            team_id=data["team"].pk if data["team"] else None,
            status=data["status"] or "active",
        )
    page = Paginator(membership_list(request.council, filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "councils/manage/people_list.html", {
        "form": form, "page": page, "filters": filters, "query": query.urlencode(),
    })


@council_view(ADMIN)
@require_http_methods(["GET", "POST"])
def person_invite(request: HttpRequest, council_slug: str) -> HttpResponse:
    """Invite a person by e-mail into this council with roles, team and line manager."""
    form = InviteForm(_posted(request), council=request.council)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            membership = services.membership_invite(
                actor=request.user, council=request.council, email=data["email"],
                full_name=data["full_name"], roles=data["roles"], team=data["team"],
                line_manager=data["line_manager"], job_title=data["job_title"],
                site_url=request.build_absolute_uri("/"),
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, f"Invitation sent to {membership.user.email}.")
            return redirect(_people_url(request))
    return render(request, "councils/manage/person_invite.html", {"form": form})


@council_view(ADMIN)
@require_http_methods(["GET", "POST"])
def person_edit(request: HttpRequest, council_slug: str, membership_id: int) -> HttpResponse:
    """Change a person's roles, team, line manager and job title."""
    membership = access_membership(request.council, membership_id)
    if not can_edit_membership(request.membership, membership):
        raise PermissionDenied
    form = MembershipEditForm(_posted(request), council=request.council, membership=membership)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.membership_update(
                actor=request.user, membership=membership, roles=data["roles"],
                team=data["team"], line_manager=data["line_manager"],
                job_title=data["job_title"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, f"Changes to {membership.user} saved.")
            return redirect(_people_url(request))
    return render(request, "councils/manage/person_edit.html", {
        "form": form, "person": membership,
        "can_deactivate": can_deactivate_membership(request.membership, membership),
        "history": membership_history(request.council, membership),
    })


def _status_change(request: HttpRequest, membership_id: int, *, deactivate: bool) -> HttpResponse:
    membership = access_membership(request.council, membership_id)
    allowed = (can_deactivate_membership if deactivate else can_edit_membership)(
        request.membership, membership)
    if not allowed:
        raise PermissionDenied
    form = ConfirmForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        service = services.membership_deactivate if deactivate else services.membership_reactivate
        try:
            service(actor=request.user, membership=membership)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            verb = "deactivated" if deactivate else "reactivated"
            messages.success(request, f"{membership.user} has been {verb}.")
            return redirect(_people_url(request))
    return render(request, "councils/manage/person_status.html", {
        "form": form, "person": membership, "deactivate": deactivate,
    })


@council_view(ADMIN)
@require_http_methods(["GET", "POST"])
def person_deactivate(request: HttpRequest, council_slug: str, membership_id: int) -> HttpResponse:
    """Confirm, then end a membership (history kept; reactivation possible)."""
    return _status_change(request, membership_id, deactivate=True)


@council_view(ADMIN)
@require_http_methods(["GET", "POST"])
def person_reactivate(request: HttpRequest, council_slug: str, membership_id: int) -> HttpResponse:
    """Confirm, then let a deactivated member use the council again."""
    return _status_change(request, membership_id, deactivate=False)


@council_view(ADMIN)
def teams(request: HttpRequest, council_slug: str) -> HttpResponse:
    """The council's teams with their tags and number of active members."""
    return render(request, "councils/manage/team_list.html",
                  {"teams": list(team_list(request.council))})


@council_view(ADMIN)
@require_http_methods(["GET", "POST"])
def team_create(request: HttpRequest, council_slug: str) -> HttpResponse:
    form = TeamForm(_posted(request), submit_label="Create team")
    if request.method == "POST" and form.is_valid():
        try:
            team = services.team_create(actor=request.user, council=request.council,
                                        name=form.cleaned_data["name"],
                                        tags=form.cleaned_data["tags"])
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, f"Team {team.name} created.")
            return redirect("team_list", council_slug=request.council.slug)
    return render(request, "councils/manage/team_form.html",
                  {"form": form, "title": "Create a team"})


@council_view(ADMIN)
@require_http_methods(["GET", "POST"])
def team_edit(request: HttpRequest, council_slug: str, team_id: int) -> HttpResponse:
    team = access_team(request.council, team_id)
    if not can_edit_team(request.membership, team):
        raise PermissionDenied
    form = TeamEditForm(_posted(request), initial={
        "name": team.name, "tags": ", ".join(team.tags),
        "is_active": "yes" if team.is_active else "no",
    })
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.team_update(actor=request.user, team=team, name=data["name"],
                                 tags=data["tags"], is_active=data["is_active"])
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, f"Team {data['name']} saved.")
            return redirect("team_list", council_slug=request.council.slug)
    return render(request, "councils/manage/team_form.html",
                  {"form": form, "title": f"Edit team: {team.name}", "team": team})
