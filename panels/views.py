"""Panel pages under ``/<council_slug>/panels/`` and HR pages under ``/<council_slug>/hr/``.

Thin views: ``council_view`` outermost (404 to non-members, 403 without a role); ``access_*``
turn ids into rows of this council (404 otherwise); ``panels.permissions`` decide (403 inside
one's own council); one service writes. Decision records and export batches are served only
here, as attachments, and every download is audited. Nothing here serves evidence files.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from councils.audit import audit_log
from councils.models import Membership, Role
from councils.people_forms import apply_service_errors
from councils.permissions import council_view
from councils.rules.selectors import pack_in_force
from panels import exports, forms, selectors, services
from panels import permissions as perms
from panels.models import AgendaItem, PanelSitting
from portfolios.models import CaseStatus, ProgressionCase
from portfolios.selectors import access_case
from progression import engine
from progression.engine.outcomes import appeal_rule

PANEL_ROLES = (Role.COUNCIL_ADMIN, Role.PANEL_CHAIR, Role.PANEL_MEMBER, Role.HEAD_OF_SERVICE,
               Role.PRINCIPAL_SOCIAL_WORKER, Role.ASSISTANT_DIRECTOR, Role.STRATEGIC_MANAGER,
               Role.OPERATIONAL_DIRECTOR, Role.PRACTICE_MANAGER_SWPD,
               Role.UNIVERSITY_REPRESENTATIVE, Role.DIVISIONAL_MANAGER, Role.TEAM_MANAGER,
               Role.SERVICE_MANAGER, Role.GROUP_MANAGER, Role.PRINCIPAL_MANAGER,
               Role.PRACTICE_LEAD, Role.LEAD_ASSESSOR, Role.ADVANCED_PRACTITIONER,
               Role.LEARNING_AND_DEVELOPMENT)
QA_ROLES = tuple(services.QA_ROLES)


def _posted(request: HttpRequest):
    return request.POST if request.method == "POST" else None


def _people(council) -> list[Membership]:
    return list(Membership.objects.filter(council=council, is_active=True)
                .select_related("user").prefetch_related("roles").order_by("user__full_name"))


def _sitting(request: HttpRequest, sitting_id: int) -> PanelSitting:
    sitting = selectors.access_sitting(request.council, sitting_id)
    if not perms.can_view_sitting(request.membership, sitting):
        raise PermissionDenied("You are not on this sitting.")
    return sitting


def _form_page(request: HttpRequest, form, *, title: str, caption: str = "",
               intro: str = "", back: str = "", extra: dict | None = None) -> HttpResponse:
    return render(request, "panels/form.html", {"form": form, "title": title,
                                                "caption": caption, "intro": intro,
                                                "back": back, **(extra or {})})


# -- sittings --------------------------------------------------------------------------------

@council_view(*PANEL_ROLES)
@require_GET
def sitting_list(request: HttpRequest, council_slug: str) -> HttpResponse:
    """Sittings the member chairs or sits on; every sitting for administrators."""
    manage = perms.can_manage_sittings(request.membership)
    return render(request, "panels/sitting_list.html", {
        "sittings": selectors.sittings_for(request.membership, manage=manage),
        "manage": manage})


@council_view(Role.COUNCIL_ADMIN)
@require_http_methods(["GET", "POST"])
def sitting_new(request: HttpRequest, council_slug: str) -> HttpResponse:
    today = timezone.localdate()
    pack = pack_in_force(council=request.council, on=today)
    if pack is None:
        return render(request, "portfolios/no_pack.html")
    form = forms.SittingForm(_posted(request), pack=pack, people=_people(request.council))
    if request.method == "POST" and form.is_valid():
        member_roles, _ = services._panel_roles(pack, form.cleaned_data["routes"])
        try:
            sitting = services.sitting_schedule(actor=request.membership,
                                                council=request.council, today=today,
                                                **form.service_kwargs(member_roles))
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "The sitting is scheduled.")
            return redirect("panels_sitting", council_slug=council_slug,
                            sitting_id=sitting.pk)
    return _form_page(request, form, title="Schedule a sitting",
                      intro="Where the policy names only a month, enter the month and set "
                            "the date later (CONV-06).")


def _listable(sitting: PanelSitting) -> list[ProgressionCase]:
    listed = AgendaItem.objects.filter(council=sitting.council, sitting=sitting).values(
        "case_id")
    return list(ProgressionCase.objects.filter(
        council=sitting.council, status=CaseStatus.SUBMITTED, route_slug__in=sitting.routes)
        .exclude(pk__in=listed).select_related("worker__user"))


@council_view(*PANEL_ROLES)
@require_http_methods(["GET", "POST"])
def sitting_detail(request: HttpRequest, council_slug: str, sitting_id: int) -> HttpResponse:
    """The sitting: members and agenda (each case's submission, QA and decision), with links
    to the portfolios for members; administrators list cases here (POST)."""
    sitting = _sitting(request, sitting_id)
    manage = perms.can_manage_sittings(request.membership)
    list_form = None
    if manage and sitting.closed_at is None:
        list_form = forms.ListCaseForm(_posted(request), cases=_listable(sitting))
        if request.method == "POST" and list_form.is_valid():
            case = access_case(request.council, list_form.cleaned_data["case"])
            try:
                services.agenda_list_case(actor=request.membership, sitting=sitting, case=case)
            except ValidationError as error:
                apply_service_errors(list_form, error)
            else:
                messages.success(request, f"{case.worker.user.full_name} is listed.")
                return redirect("panels_sitting", council_slug=council_slug,
                                sitting_id=sitting.pk)
    elif request.method == "POST":
        raise PermissionDenied("Only an administrator lists cases.")
    page = selectors.sitting_page(sitting)
    return render(request, "panels/sitting_detail.html", {
        "page": page, "sitting": sitting, "manage": manage, "list_form": list_form,
        "is_chair": perms.can_decide_sitting(request.membership, sitting),
        "letters": services.sitting_letter_deadlines(sitting)})


@council_view(Role.COUNCIL_ADMIN)
@require_http_methods(["GET", "POST"])
def sitting_date(request: HttpRequest, council_slug: str, sitting_id: int) -> HttpResponse:
    sitting = selectors.access_sitting(request.council, sitting_id)
    form = forms.SittingDateForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.sitting_set_date(actor=request.membership, sitting=sitting,
                                      on=form.cleaned_data["on"])
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "The sitting date is set.")
            return redirect("panels_sitting", council_slug=council_slug,
                            sitting_id=sitting.pk)
    return _form_page(request, form, title="Set the sitting date", caption=str(sitting))


@council_view(*PANEL_ROLES)
@require_POST
def sitting_close(request: HttpRequest, council_slug: str, sitting_id: int) -> HttpResponse:
    sitting = _sitting(request, sitting_id)
    try:
        services.sitting_close(actor=request.membership, sitting=sitting)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "The sitting is closed; outcome letters are now due.")
    return redirect("panels_sitting", council_slug=council_slug, sitting_id=sitting.pk)


# -- decisions -------------------------------------------------------------------------------

@council_view(*PANEL_ROLES)
@require_http_methods(["GET", "POST"])
def decision_new(request: HttpRequest, council_slug: str, sitting_id: int,
                 case_id: int) -> HttpResponse:
    """The chair's decision form: the route's outcomes, with their reasons."""
    sitting = _sitting(request, sitting_id)
    case = access_case(request.council, case_id)
    if not perms.can_decide_sitting(request.membership, sitting):
        raise PermissionDenied("Only the chair issues decisions.")
    if not AgendaItem.objects.filter(council=request.council, sitting=sitting,
                                     case=case).exists():
        raise Http404("The case is not on this sitting.")
    _, route = selectors.route_of_case(case)
    initial = {"decided_on": sitting.sitting_on or timezone.localdate()}
    form = forms.DecisionForm(_posted(request), route=route, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            decision = services.decision_issue(
                actor=request.membership, sitting=sitting, case=case, outcome=data["outcome"],
                reason_code=data["reason_code"], reason_text=data["reason_text"],
                decided_on=data["decided_on"], received_on=data["received_on"])
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, f"Decision issued: {decision.outcome_label}.")
            return redirect("panels_decision", council_slug=council_slug,
                            decision_id=decision.pk)
    return _form_page(request, form, title="Record the decision",
                      caption=f"{case.worker.user.full_name} · {route.title or route.slug}",
                      back=f"/{council_slug}/panels/{sitting.pk}/",
                      extra={"route": route, "sitting": sitting})


def _decision(request: HttpRequest, decision_id: int):
    decision = selectors.access_decision(request.council, decision_id)
    if not perms.can_view_decision(request.membership, decision):
        raise PermissionDenied("You may not see this decision.")
    return decision


@council_view()
@require_GET
def decision_detail(request: HttpRequest, council_slug: str, decision_id: int) -> HttpResponse:
    decision = _decision(request, decision_id)
    pack, route = selectors.route_of_case(decision.case)
    rule = appeal_rule(pack, route.slug, "panel-decision", decision.outcome)
    return render(request, "panels/decision_detail.html", {
        "decision": decision, "route": route, "appeal_rule": rule,
        "history": selectors.decisions_of_case(decision.case),
        "appeals": list(decision.appeals.all()),
        "is_chair": perms.can_decide_sitting(request.membership, decision.sitting),
        "is_worker": request.membership.pk == decision.case.worker_id,
        "pay_change": getattr(decision, "pay_change", None)})


@council_view(*PANEL_ROLES)
@require_http_methods(["GET", "POST"])
def decision_correct(request: HttpRequest, council_slug: str, decision_id: int
                     ) -> HttpResponse:
    decision = _decision(request, decision_id)
    if not perms.can_decide_sitting(request.membership, decision.sitting):
        raise PermissionDenied("Only the chair corrects decisions.")
    _, route = selectors.route_of_case(decision.case)
    form = forms.DecisionForm(_posted(request), route=route, correcting=True,
                              initial={"decided_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            new = services.decision_correct(
                actor=request.membership, decision=decision, outcome=data["outcome"],
                reason_code=data["reason_code"], reason_text=data["reason_text"],
                correction_reason=data["correction_reason"], decided_on=data["decided_on"])
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "The decision is corrected.")
            return redirect("panels_decision", council_slug=council_slug, decision_id=new.pk)
    return _form_page(request, form, title="Correct the decision",
                      caption=f"{decision.case.worker.user.full_name} · {decision}",
                      intro="The issued decision is kept unchanged; the correction supersedes "
                            "it and gets its own decision record.")


@council_view(*PANEL_ROLES)
@require_http_methods(["GET", "POST"])
def referral_conclude(request: HttpRequest, council_slug: str, decision_id: int
                      ) -> HttpResponse:
    decision = _decision(request, decision_id)
    form = forms.ReferralForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.referral_conclude(actor=request.membership, decision=decision,
                                       **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "The referral's conclusion is recorded.")
            return redirect("panels_decision", council_slug=council_slug,
                            decision_id=decision.pk)
    return _form_page(request, form, title="Record the referral's conclusion",
                      caption=str(decision))


@council_view()
@require_GET
def decision_record(request: HttpRequest, council_slug: str, decision_id: int
                    ) -> HttpResponse:
    """The decision record PDF, as an attachment, audited."""
    decision = _decision(request, decision_id)
    record = decision.record
    if not record.is_rendered:
        raise Http404("The decision record is still being prepared.")
    audit_log(council=request.council, actor=request.user, action="decision.record_downloaded",
              obj=record, affected_user=decision.case.worker.user)
    response = FileResponse(record.file.open("rb"), as_attachment=True,
                            filename=f"decision-{decision.pk}.pdf",
                            content_type="application/pdf")
    response["X-Content-Type-Options"] = "nosniff"
    return response


@council_view(*QA_ROLES)
@require_http_methods(["GET", "POST"])
def case_qa(request: HttpRequest, council_slug: str, case_id: int) -> HttpResponse:
    """Record the route's QA and moderation stages for a submitted case (DERBY-06)."""
    case = access_case(request.council, case_id)
    _, route = selectors.route_of_case(case)
    form = forms.QAForm(_posted(request), route=route)
    if request.method == "POST" and form.is_valid():
        try:
            services.qa_record(actor=request.membership, case=case, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "The stage is recorded.")
            return redirect("panels_case_qa", council_slug=council_slug, case_id=case.pk)
    recorded = selectors.qa_recorded_stages(case)
    return _form_page(request, form, title="Quality assurance",
                      caption=f"{case.worker.user.full_name} · {route.title or route.slug}",
                      extra={"stages": [(q, q.slug in recorded) for q in route.qa_stages]})


# -- appeals ---------------------------------------------------------------------------------

@council_view()
@require_http_methods(["GET", "POST"])
def appeal_new(request: HttpRequest, council_slug: str, decision_id: int) -> HttpResponse:
    decision = _decision(request, decision_id)
    if not perms.can_lodge_appeal(request.membership, decision.case):
        raise PermissionDenied("Only the worker lodges an appeal.")
    form = forms.AppealForm(_posted(request), initial={"lodged_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            appeal = services.appeal_lodge(actor=request.membership, case=decision.case,
                                           decision=decision, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Your appeal is lodged.")
            return redirect("panels_appeal", council_slug=council_slug, appeal_id=appeal.pk)
    pack, route = selectors.route_of_case(decision.case)
    rule = appeal_rule(pack, route.slug, "panel-decision", decision.outcome)
    due = engine.appeal_due(pack, route.slug, decision.received_on, "panel-decision",
                                     decision.outcome)
    intro = ("The council's policy states no appeal against this decision."
             if rule is None else
             f"Appeal in writing to the {rule.addressee_role or 'panel'}"
             + (" on the process only, not the decision itself"
                if rule.grounds == "process-only" else "")
             + (f", by {due:%-d %B %Y}" if due else " (the policy states no deadline)")
             + f" ({', '.join(rule.rules)}).")
    return _form_page(request, form, title="Appeal against the decision",
                      caption=str(decision), intro=intro)


@council_view()
@require_GET
def appeal_list(request: HttpRequest, council_slug: str) -> HttpResponse:
    everything = perms.can_manage_sittings(request.membership)
    return render(request, "panels/appeal_list.html", {
        "appeals": selectors.appeals_for(request.membership, everything=everything)})


def _appeal(request: HttpRequest, appeal_id: int):
    appeal = selectors.access_appeal(request.council, appeal_id)
    if not perms.can_view_appeal(request.membership, appeal):
        raise PermissionDenied("You may not see this appeal.")
    return appeal


@council_view()
@require_http_methods(["GET", "POST"])
def appeal_detail(request: HttpRequest, council_slug: str, appeal_id: int) -> HttpResponse:
    """The appeal; its addressee or panel records the result here."""
    appeal = _appeal(request, appeal_id)
    decide = perms.can_decide_appeal(request.membership, appeal) and not appeal.result
    form = forms.AppealDecideForm(_posted(request),
                                  initial={"decided_on": timezone.localdate()}) if decide \
        else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied("You may not record this appeal's result.")
        if form.is_valid():
            try:
                services.appeal_decide(actor=request.membership, appeal=appeal,
                                       **form.cleaned_data)
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, "The appeal result is recorded.")
                return redirect("panels_appeal", council_slug=council_slug,
                                appeal_id=appeal.pk)
    pack, route = selectors.route_of_case(appeal.case)
    rule = appeal_rule(pack, route.slug, appeal.trigger)
    return render(request, "panels/appeal_detail.html", {
        "appeal": appeal, "form": form, "rule": rule,
        "can_set_panel": rule is not None and rule.panel is not None and not appeal.result
        and perms.can_set_appeal_panel(request.membership, appeal, rule.panel.set_up_by)})


@council_view()
@require_http_methods(["GET", "POST"])
def appeal_panel(request: HttpRequest, council_slug: str, appeal_id: int) -> HttpResponse:
    appeal = _appeal(request, appeal_id)
    pack, route = selectors.route_of_case(appeal.case)
    rule = appeal_rule(pack, route.slug, appeal.trigger)
    if rule is None or rule.panel is None:
        raise Http404("The policy names no appeal panel.")
    if not perms.can_set_appeal_panel(request.membership, appeal, rule.panel.set_up_by):
        raise PermissionDenied("You may not set up this appeal panel.")
    form = forms.AppealPanelForm(_posted(request), people=_people(request.council))
    if request.method == "POST" and form.is_valid():
        try:
            services.appeal_panel_set(
                actor=request.membership, appeal=appeal,
                members=form.members_with_roles([m.role for m in rule.panel.members]),
                sitting_on=form.cleaned_data["sitting_on"])
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "The appeal panel is set up.")
            return redirect("panels_appeal", council_slug=council_slug, appeal_id=appeal.pk)
    roles = ", ".join(m.role for m in rule.panel.members)
    due = appeal.panel_setup_due_on
    return _form_page(request, form, title="Set up the appeal panel", caption=str(appeal),
                      intro=f"The panel needs: {roles}, none of whom has been involved in the "
                            f"case ({', '.join(rule.panel.rules)})."
                            + (f" Set it up by {due:%-d %B %Y}." if due else ""))


# -- HR: pay changes -------------------------------------------------------------------------

@council_view(Role.HR)
@require_GET
def pay_change_list(request: HttpRequest, council_slug: str) -> HttpResponse:
    """The pay-change ledger, filterable by status, paginated; ready changes are exported
    in batches; every batch can be downloaded again."""
    filters = forms.PayChangeFilterForm(request.GET or None)
    status = filters.cleaned_data["status"] if filters.is_valid() else ""
    page = Paginator(selectors.pay_changes(request.council, status=status), 25).get_page(
        request.GET.get("page"))
    return render(request, "panels/pay_change_list.html", {
        "filters": filters, "page": page, "status": status,
        "ready": selectors.exportable_count(request.council),
        "export_form": forms.ExportForm(), "batches": selectors.batches(request.council)})


@council_view(Role.HR)
@require_http_methods(["GET", "POST"])
def pay_change_date(request: HttpRequest, council_slug: str, pay_change_id: int
                    ) -> HttpResponse:
    change = selectors.access_pay_change(request.council, pay_change_id)
    form = forms.EffectiveDateForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.pay_change_set_effective_date(actor=request.membership, pay_change=change,
                                                   on=form.cleaned_data["on"])
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "The effective date is set.")
            return redirect("hr_pay_changes", council_slug=council_slug)
    intro = ("Enter the date the worker was appointed to the vacancy (NELC-40)."
             if change.status == "awaiting-vacancy" else
             "The council's policy does not state the effective date; enter it before export.")
    return _form_page(request, form, title="Set the effective date",
                      caption=f"{change.worker.user.full_name}: {change.from_level} to "
                              f"{change.to_level} {change.pay_point}", intro=intro)


@council_view(Role.HR)
@require_POST
def pay_export(request: HttpRequest, council_slug: str) -> HttpResponse:
    form = forms.ExportForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose CSV or XLSX.")
        return redirect("hr_pay_changes", council_slug=council_slug)
    try:
        batch = services.pay_export_create(actor=request.membership, council=request.council,
                                           fmt=form.cleaned_data["format"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("hr_pay_changes", council_slug=council_slug)
    messages.success(request, f"Batch {batch.number} exported with {len(batch.rows)} "
                              "pay change(s). Download it below.")
    return redirect("hr_pay_changes", council_slug=council_slug)


def _batch_download(request: HttpRequest, batch_id: int, fmt: str) -> HttpResponse:
    batch = selectors.access_batch(request.council, batch_id)
    services.pay_export_downloaded(actor=request.membership, batch=batch, fmt=fmt)
    if fmt == "csv":
        body, ctype = exports.batch_csv(batch), "text/csv; charset=utf-8"
    else:
        body = exports.batch_xlsx(batch)
        ctype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    response = HttpResponse(body, content_type=ctype)
    response["Content-Disposition"] = (f'attachment; filename="pay-changes-batch-'
                                       f'{batch.number}.{fmt}"')
    response["X-Content-Type-Options"] = "nosniff"
    return response


@council_view(Role.HR)
@require_GET
def batch_csv(request: HttpRequest, council_slug: str, batch_id: int) -> HttpResponse:
    return _batch_download(request, batch_id, "csv")


@council_view(Role.HR)
@require_GET
def batch_xlsx(request: HttpRequest, council_slug: str, batch_id: int) -> HttpResponse:
    return _batch_download(request, batch_id, "xlsx")
