"""Career-record pages under ``/<council_slug>/people/<membership_id>/record/``.

Thin views: ``council_view`` checks sign-in, membership and role; ``access_career_record``
turns the id into a record (404 for another council's); ``progression.permissions`` decides
the object-level rights (403 inside one's own council); one service writes.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from councils.models import MANAGER_ROLES, Role
from councils.people_forms import apply_service_errors
from councils.permissions import council_view
from progression import services
from progression.forms import AbsenceForm, CareerDetailsForm, FteOnDateForm, HoursForm, PayForm
from progression.models import CareerRecord
from progression.permissions import RecordAccess, record_access
from progression.selectors import (
    access_career_record,
    career_record_history,
    fte_on,
    record_on,
)

HOURS_ROLES = (Role.COUNCIL_ADMIN, *sorted(MANAGER_ROLES))


def _load(request: HttpRequest, membership_id: int, right: Callable[[RecordAccess], bool]
          ) -> tuple[CareerRecord, RecordAccess]:
    record = access_career_record(request.council, membership_id)
    access = record_access(request.membership, record.membership)
    if not right(access):
        raise PermissionDenied("Your role does not allow this for this person.")
    return record, access


def _back(request: HttpRequest, record: CareerRecord) -> HttpResponse:
    return redirect("career_record", council_slug=request.council.slug,
                    membership_id=record.membership.pk)


@council_view()
def career_record(request: HttpRequest, council_slug: str, membership_id: int) -> HttpResponse:
    """The record with its hours and absence history: the person, their line-management
    chain, council administrators and HR."""
    record, access = _load(request, membership_id, lambda a: a.view)
    history = career_record_history(record)
    today = timezone.localdate()
    # "FTE on a date": a GET form, bound only once asked (``?on_0=&on_1=&on_2=``).
    fte_form = FteOnDateForm(request.GET if "on_0" in request.GET else None)
    asked = record_on(history, fte_form.cleaned_data["on"]) if fte_form.is_valid() else None
    return render(request, "progression/career_record.html", {
        "record": record, "person": record.membership, "access": access,
        "history": history, "fte_today": fte_on(history.hours, today), "today": today,
        "fte_form": fte_form, "asked": asked,
    })


def _edit(request: HttpRequest, membership_id: int, *, form_class: type,
          right: Callable[[RecordAccess], bool], title: str) -> HttpResponse:
    record, _ = _load(request, membership_id, right)
    form = form_class(request.POST if request.method == "POST" else None, record=record)
    if request.method == "POST" and form.is_valid():
        try:
            services.career_record_update(actor=request.user, membership=record.membership,
                                          changes=form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, f"{title} of {record.membership.user} saved.")
            return _back(request, record)
    return render(request, "progression/record_form.html", {
        "form": form, "person": record.membership, "title": title,
    })


@council_view(Role.COUNCIL_ADMIN)
@require_http_methods(["GET", "POST"])
def career_record_edit(request: HttpRequest, council_slug: str, membership_id: int
                       ) -> HttpResponse:
    """Registration, qualification, employment and ASYE dates (council administrators)."""
    return _edit(request, membership_id, form_class=CareerDetailsForm,
                 right=lambda a: a.edit_details, title="Career record")


@council_view(Role.COUNCIL_ADMIN, Role.HR)
@require_http_methods(["GET", "POST"])
def career_record_pay(request: HttpRequest, council_slug: str, membership_id: int
                      ) -> HttpResponse:
    """Current level, grade, spinal column point and payroll number (administrators, HR)."""
    return _edit(request, membership_id, form_class=PayForm,
                 right=lambda a: a.edit_pay, title="Level and pay")


@council_view(*HOURS_ROLES)
@require_http_methods(["GET", "POST"])
def hours_add(request: HttpRequest, council_slug: str, membership_id: int) -> HttpResponse:
    """Add a working-hours period (administrators and the person's line-management chain)."""
    record, _ = _load(request, membership_id, lambda a: a.edit_hours)
    form = HoursForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.hours_period_add(actor=request.user, membership=record.membership,
                                      **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, f"Hours of {record.membership.user} added.")
            return _back(request, record)
    return render(request, "progression/record_form.html", {
        "form": form, "person": record.membership, "title": "Add working hours",
    })


@council_view(*HOURS_ROLES)
@require_http_methods(["GET", "POST"])
def absence_add(request: HttpRequest, council_slug: str, membership_id: int) -> HttpResponse:
    """Mark an absence as extended (administrators and the line-management chain)."""
    record, _ = _load(request, membership_id, lambda a: a.record_absences)
    form = AbsenceForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.absence_record(actor=request.user, membership=record.membership,
                                    **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, f"Extended absence of {record.membership.user} recorded.")
            return _back(request, record)
    return render(request, "progression/record_form.html", {
        "form": form, "person": record.membership, "title": "Record an extended absence",
    })
