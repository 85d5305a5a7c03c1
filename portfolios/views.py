"""Portfolio pages under ``/<council_slug>/portfolios/``.

Thin views: ``council_view`` (sign-in, membership) outermost; ``access_*`` turn ids into
objects of this council (404 otherwise); ``portfolios.permissions`` decides (403 inside one's
own council); one service writes. Files are served only here, as streamed attachments.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from councils.audit import audit_log
from councils.models import Membership, Role
from councils.people_forms import apply_service_errors
from councils.permissions import council_view, roles_of
from councils.rules.selectors import pack_in_force
from portfolios import forms, services
from portfolios.anonymisation import personal_identifiers
from portfolios.models import CaseStatus, ProgressionCase
from portfolios.permissions import CaseAccess, case_access
from portfolios.selectors import (
    access_case,
    access_evidence_item,
    access_portfolio,
    case_pack,
    cases_of_worker,
    portfolio_overview,
    portfolios_of_case,
)


def _case(request: HttpRequest, case_id: int, *, need: str = "view"
          ) -> tuple[ProgressionCase, CaseAccess]:
    case = access_case(request.council, case_id)
    access = case_access(request.membership, case)
    if not getattr(access, need):
        raise PermissionDenied("You do not have access to this case.")
    return case, access


def _posted(request: HttpRequest):
    """The POST data on a POST (even when empty, so the form is bound), else None."""
    return request.POST if request.method == "POST" else None


def _to_case(request: HttpRequest, case: ProgressionCase) -> HttpResponse:
    return redirect("portfolio_case", council_slug=request.council.slug, case_id=case.pk)


@council_view()
@require_GET
def case_list(request: HttpRequest, council_slug: str) -> HttpResponse:
    """The worker's own cases; for administrators, every case of the council (bookings)."""
    mine = cases_of_worker(request.membership)
    managed: list[ProgressionCase] = []
    if Role.COUNCIL_ADMIN in roles_of(request.membership):
        managed = list(ProgressionCase.objects.filter(council=request.council)
                       .select_related("worker__user").exclude(status=CaseStatus.CLOSED))
    return render(request, "portfolios/case_list.html", {"cases": mine, "managed": managed})


@council_view(Role.SOCIAL_WORKER)
@require_http_methods(["GET", "POST"])
def case_start(request: HttpRequest, council_slug: str) -> HttpResponse:
    """Start a route of the pack in force, with its opening conditions."""
    today = timezone.localdate()
    pack = pack_in_force(council=request.council, on=today)
    if pack is None:
        return render(request, "portfolios/no_pack.html")
    form = forms.StartForm(_posted(request), pack=pack)
    if request.method == "POST" and form.is_valid():
        try:
            case = services.case_open(actor=request.user, worker=request.membership,
                                      route_slug=form.cleaned_data["route_slug"], today=today,
                                      reason=form.cleaned_data.get("reason") or "",
                                      statement=form.cleaned_data.get("statement") or "",
                                      flags=form.chosen_flags())
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Your case has started.")
            return _to_case(request, case)
    return render(request, "portfolios/case_start.html", {"form": form, "pack": pack})


@council_view()
@require_GET
def case_detail(request: HttpRequest, council_slug: str, case_id: int) -> HttpResponse:
    """The portfolio page: what I still need first, then the KSS grid, evidence, sign-offs."""
    case, access = _case(request, case_id)
    overview = portfolio_overview(case, timezone.localdate())
    findings = []
    if any(e.anonymisation_attestation for e in overview.route.evidence):
        findings = [(i, personal_identifiers(i.statement)) for i in overview.items
                    if i.statement]
        findings = [(i, f) for i, f in findings if f]
    return render(request, "portfolios/case_detail.html", {
        "case": case, "access": access, "o": overview, "findings": findings,
    })


@council_view()
@require_GET
def portfolio_version(request: HttpRequest, council_slug: str, portfolio_id: int
                      ) -> HttpResponse:
    """An earlier (or the current) version of a portfolio, read only."""
    portfolio = access_portfolio(request.council, portfolio_id)
    case, access = _case(request, portfolio.case_id)
    versions = portfolios_of_case(case)
    this = next(v for v in versions if v.pk == portfolio.pk)
    return render(request, "portfolios/version.html", {"case": case, "portfolio": this,
                                                       "versions": versions})


def _evidence_page(request: HttpRequest, case_id: int, form_class: type, template: str
                   ) -> HttpResponse:
    case, access = _case(request, case_id, need="edit_evidence")
    pack, route = case_pack(case)
    kwargs = {"pack": pack, "route": route, "allocated": case.allocated_kss}
    if request.method == "POST":
        form = form_class(request.POST, request.FILES, **kwargs)
    else:
        form = form_class(initial={"requirement": request.GET.get("requirement", "")}, **kwargs)
    if request.method == "POST" and form.is_valid():
        try:
            if form_class is forms.EvidenceFileForm:
                item = services.evidence_add_file(
                    actor=request.membership, case=case, upload=form.cleaned_data["file"],
                    consent_worker=form.cleaned_data["consent_worker"],
                    consent_observed=form.cleaned_data["consent_observed"],
                    **form.service_kwargs())
            else:
                item = services.evidence_add_statement(actor=request.membership, case=case,
                                                       **form.service_kwargs())
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            extra = f" ({item.words} words)" if item.words is not None else ""
            messages.success(request, f"Added: {item.title}{extra}.")
            return _to_case(request, case)
    return render(request, template, {"case": case, "form": form, "route": route})


@council_view(Role.SOCIAL_WORKER)
@require_http_methods(["GET", "POST"])
def evidence_upload(request: HttpRequest, council_slug: str, case_id: int) -> HttpResponse:
    """Upload a file. A refused upload re-shows the form with everything else typed kept."""
    return _evidence_page(request, case_id, forms.EvidenceFileForm,
                          "portfolios/evidence_upload.html")


@council_view(Role.SOCIAL_WORKER)
@require_http_methods(["GET", "POST"])
def evidence_statement(request: HttpRequest, council_slug: str, case_id: int) -> HttpResponse:
    """Write a statement in the browser; its words are counted when saved."""
    return _evidence_page(request, case_id, forms.StatementForm,
                          "portfolios/evidence_statement.html")


@council_view(Role.SOCIAL_WORKER)
@require_http_methods(["GET", "POST"])
def evidence_edit(request: HttpRequest, council_slug: str, item_id: int) -> HttpResponse:
    """Change a written statement; sign-offs that saw the old words are voided."""
    item = access_evidence_item(request.council, item_id)
    case, _ = _case(request, item.portfolio.case_id, need="edit_evidence")
    if item.is_file:
        raise PermissionDenied("A file is replaced by uploading a new one.")
    form = forms.StatementEditForm(_posted(request),
                                   initial={"title": item.title, "statement": item.statement})
    if request.method == "POST" and form.is_valid():
        try:
            voided = services.evidence_update(actor=request.membership, item=item,
                                              changes=form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            note = (f" {len(voided)} sign-off(s) were voided because the content changed."
                    if voided else "")
            messages.success(request, f"Saved.{note}")
            return _to_case(request, case)
    return render(request, "portfolios/evidence_edit.html", {"case": case, "item": item,
                                                             "form": form})


@council_view()
@require_GET
def evidence_download(request: HttpRequest, council_slug: str, item_id: int) -> FileResponse:
    """Stream a file to someone allowed to see the case, as an attachment, and audit it."""
    item = access_evidence_item(request.council, item_id)
    case, _ = _case(request, item.portfolio.case_id)
    if not item.is_file:
        raise PermissionDenied("This item is a written statement, not a file.")
    audit_log(council=request.council, actor=request.user, action="evidence.downloaded",
              obj=item, affected_user=case.worker.user,
              data={"sha256": item.sha256, "size": item.size})
    response = FileResponse(default_storage.open(item.file.name, "rb"), as_attachment=True,
                            filename=item.original_name, content_type=item.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@council_view()
@require_http_methods(["GET", "POST"])
def signoff(request: HttpRequest, council_slug: str, case_id: int) -> HttpResponse:
    """The sign-offs of the pack this person may give on this case, with the content seen."""
    case, access = _case(request, case_id)
    overview = portfolio_overview(case, timezone.localdate())
    options = []
    for state in overview.signoffs:
        if not state.applies:
            continue
        for role in (state.spec.role, *state.spec.alternatives):
            if access.may_sign_as(role):
                options.append((f"{state.index}:{role}",
                                f"As {forms.ROLE_LABELS.get(role, role).lower()}: "
                                f"{state.spec.action} the {state.spec.subject or 'portfolio'} "
                                f"({', '.join(state.spec.rules)})"))
    form = forms.SignoffForm(_posted(request), options=options)
    if request.method == "POST" and form.is_valid():
        index, role = form.cleaned_data["choice"].split(":", 1)
        try:
            services.signoff_record(actor=request.membership, case=case, index=int(index),
                                    role=role, comment=form.cleaned_data["comment"])
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Signed.")
            return _to_case(request, case)
    return render(request, "portfolios/signoff.html", {"case": case, "o": overview,
                                                       "form": form, "options": options})


@council_view(Role.SOCIAL_WORKER)
@require_http_methods(["GET", "POST"])
def submit(request: HttpRequest, council_slug: str, case_id: int) -> HttpResponse:
    """The checklist, the attestation where the pack asks for it, and the submit button."""
    case, access = _case(request, case_id, need="is_worker")
    today = timezone.localdate()
    overview = portfolio_overview(case, today)
    attestation = any(e.anonymisation_attestation for e in overview.route.evidence)
    form = forms.SubmitForm(_posted(request), attestation=attestation)
    if request.method == "POST" and form.is_valid():
        try:
            services.portfolio_submit(
                actor=request.membership, case=case, today=today,
                anonymisation_attested=bool(form.cleaned_data.get("anonymisation_attested")))
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, "Your portfolio is submitted.")
            return _to_case(request, case)
    findings = [(i, personal_identifiers(i.statement)) for i in overview.items
                if attestation and i.statement]
    return render(request, "portfolios/submit.html", {
        "case": case, "o": overview, "form": form,
        "findings": [(i, f) for i, f in findings if f],
    })


@council_view(Role.COUNCIL_ADMIN)
@require_http_methods(["GET", "POST"])
def booking(request: HttpRequest, council_slug: str, case_id: int) -> HttpResponse:
    """A council administrator confirms a booking: sitting, submission date, KSS draw."""
    case, _ = _case(request, case_id, need="manage")
    form = forms.BookingForm(_posted(request), initial={
        "sitting": case.sitting, "submission_due_on": case.submission_due_on})
    if request.method == "POST" and form.is_valid():
        try:
            services.booking_confirm(actor=request.membership, case=case,
                                     sitting=form.cleaned_data["sitting"].strip(),
                                     submission_due_on=form.cleaned_data["submission_due_on"])
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, f"Booking confirmed for {case.worker.user}.")
            return redirect("portfolio_cases", council_slug=request.council.slug)
    return render(request, "portfolios/booking.html", {"case": case, "form": form})


@council_view()
@require_http_methods(["GET", "POST"])
def intent(request: HttpRequest, council_slug: str, case_id: int) -> HttpResponse:
    """The expression of intent: the line manager supports or declines, then the team
    manager approves (roles from the pack); the worker rewrites a declined one."""
    case, access = _case(request, case_id)
    _, route = case_pack(case)
    eoi = route.expression_of_intent
    if eoi is None or not hasattr(case, "expression_of_intent"):
        raise PermissionDenied("This route has no expression of intent.")
    choices = []
    if case.status == CaseStatus.AWAITING_SUPPORT and access.may_sign_as(eoi.support_role):
        choices = [("support", "Support"), ("decline", "Decline, with development areas")]
    elif case.status == CaseStatus.AWAITING_APPROVAL and access.may_sign_as(eoi.approver_role):
        choices = [("approve", "Approve")]
    elif case.status == CaseStatus.DECLINED and access.is_worker:
        choices = [("resubmit", "Send my expression of intent again")]
    form = forms.EoiDecisionForm(_posted(request), choices=choices)
    if request.method == "POST" and form.is_valid():
        decision, reasons = form.cleaned_data["decision"], form.cleaned_data["reasons"]
        try:
            if decision == "support":
                services.eoi_support(actor=request.membership, case=case, reasons=reasons)
            elif decision == "decline":
                services.eoi_decline(actor=request.membership, case=case, reasons=reasons)
            elif decision == "approve":
                services.eoi_approve(actor=request.membership, case=case,
                                     today=timezone.localdate())
            else:
                services.eoi_submit(actor=request.membership, case=case,
                                    statement=reasons or case.expression_of_intent.statement)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Recorded.")
            return _to_case(request, case)
    return render(request, "portfolios/intent.html", {"case": case, "eoi_rules": eoi.rules,
                                                      "form": form, "choices": choices})


@council_view(Role.SOCIAL_WORKER)
@require_http_methods(["GET", "POST"])
def window(request: HttpRequest, council_slug: str, case_id: int) -> HttpResponse:
    """The worker chooses the submission window they aim for."""
    case, _ = _case(request, case_id, need="is_worker")
    pack, route = case_pack(case)
    today = timezone.localdate()
    form = forms.WindowForm(_posted(request),
                            windows=services.upcoming_windows(pack, route, today))
    if request.method == "POST" and form.is_valid():
        try:
            services.intended_submission_set(actor=request.membership, case=case,
                                             on=form.cleaned_data["on"], today=today)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            return _to_case(request, case)
    return render(request, "portfolios/simple_form.html", {
        "case": case, "form": form, "title": "Choose your submission window"})


@council_view(Role.COUNCIL_ADMIN)
@require_http_methods(["GET", "POST"])
def lead_assessor(request: HttpRequest, council_slug: str, case_id: int) -> HttpResponse:
    """Appoint the lead assessor from the pack's eligible roles."""
    case, _ = _case(request, case_id, need="manage")
    _, route = case_pack(case)
    if route.lead_assessor is None:
        raise PermissionDenied("This route has no lead assessor.")
    eligible = (Membership.objects.filter(council=request.council, is_active=True,
                                          roles__role__in=route.lead_assessor.eligible_roles)
                .exclude(pk=case.worker_id).select_related("user").distinct())
    form = forms.LeadAssessorForm(_posted(request),
                                  choices=[(m.pk, m.user.full_name) for m in eligible])
    if request.method == "POST" and form.is_valid():
        chosen = next(m for m in eligible if str(m.pk) == form.cleaned_data["assessor"])
        try:
            services.lead_assessor_appoint(actor=request.membership, case=case,
                                           assessor=chosen)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            return redirect("portfolio_cases", council_slug=request.council.slug)
    return render(request, "portfolios/simple_form.html", {
        "case": case, "form": form, "title": "Appoint the lead assessor"})


@council_view()
@require_http_methods(["GET", "POST"])
def case_files(request: HttpRequest, council_slug: str, case_id: int) -> HttpResponse:
    """The lead assessor draws the random case files (seeded, recorded, replayable)."""
    case, _ = _case(request, case_id, need="is_lead_assessor")
    form = forms.CaseFilesForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.case_files_draw(
                actor=request.membership, case=case,
                caseload=form.cleaned_data["caseload"].splitlines(),
                worker_chosen=form.cleaned_data["worker_chosen"].splitlines())
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            return _to_case(request, case)
    return render(request, "portfolios/simple_form.html", {
        "case": case, "form": form, "title": "Draw the case files"})
