"""ASYE pages under ``/<council_slug>/asye/``. Thin: ``council_view`` checks sign-in and
membership (another council's ids answer 404 through the ``access_*`` selectors), the
``can_view_programme`` predicate gives 403 inside the council, and one service writes (it
checks the pack role of the actor and raises PermissionDenied otherwise)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from councils.models import MANAGER_ROLES, Role
from councils.people_forms import apply_service_errors
from councils.permissions import council_view
from progression.asye import forms as f
from progression.asye import selectors, services
from progression.asye.rules import programme_rules
from progression.models import (
    AsyeProgramme,
    CaseloadBreach,
    ComplexWorkAgreement,
    Observation,
    StudyDay,
)
from progression.permissions import ASYE_OVERSIGHT_ROLES, can_enrol_asye, can_view_programme

FORM = "progression/asye/form.html"


def _programme(request: HttpRequest, programme_id: int) -> AsyeProgramme:
    p = selectors.access_programme(request.council, programme_id)
    if not can_view_programme(request.membership, p):
        raise PermissionDenied("You cannot see this programme.")
    return p


def _detail_url(p: AsyeProgramme, anchor: str = "") -> str:
    url = reverse("asye_programme", kwargs={"council_slug": p.council.slug,
                                            "programme_id": p.pk})
    return f"{url}#{anchor}" if anchor else url


def _form_page(request: HttpRequest, p: AsyeProgramme, form: Form, *, title: str,
               run: Callable[[dict], Any], success: str, anchor: str,
               intro: str = "") -> HttpResponse:
    """GET shows the form; a valid POST calls the service; its refusal is shown in the error
    summary with what was typed kept."""
    if request.method == "POST" and form.is_valid():
        try:
            run(form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, success)
            return redirect(_detail_url(p, anchor))
    return render(request, FORM, {"form": form, "title": title, "programme": p,
                                  "intro": intro, "back": _detail_url(p, anchor)})


def _action(request: HttpRequest, p: AsyeProgramme, run: Callable[[], Any], *, success: str,
            anchor: str) -> HttpResponse:
    """A POST-only action (sign, approve, report): refusals come back as an error message."""
    try:
        run()
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, success)
    return redirect(_detail_url(p, anchor))


def _today():
    return timezone.localdate()


# ------------------------------------------------------------------------------- lists

@council_view(Role.ASYE_LEAD, Role.PRINCIPAL_SOCIAL_WORKER)
@require_http_methods(["GET"])
def cohort(request: HttpRequest, council_slug: str) -> HttpResponse:
    """The whole cohort, filterable and paginated (constant queries whatever its size)."""
    form = f.CohortFilterForm(request.GET or None, council=request.council)
    data = form.cleaned_data if form.is_valid() else {}
    filters = selectors.CohortFilters(q=data.get("q", ""),
                                      team=data["team"].pk if data.get("team") else None,
                                      overdue_only=bool(data.get("overdue")))
    page, rows = selectors.cohort_page(request.council, filters, request.GET.get("page"),
                                       _today())
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "progression/asye/cohort.html", {
        "form": form, "page": page, "rows": rows, "query": query.urlencode(),
        "can_enrol": can_enrol_asye(request.membership)})


@council_view(*sorted(MANAGER_ROLES))
@require_http_methods(["GET"])
def managed(request: HttpRequest, council_slug: str) -> HttpResponse:
    """The manager's NQSWs with overdue items first."""
    return render(request, "progression/asye/managed.html",
                  {"rows": selectors.managed_rows(request.membership, _today())})


@council_view(Role.ASYE_LEAD)
@require_http_methods(["GET", "POST"])
def enrol(request: HttpRequest, council_slug: str) -> HttpResponse:
    form = f.EnrolForm(request.POST or None, council=request.council)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            result = services.programme_enrol(
                actor=request.membership, membership=d["membership"],
                started_on=d["started_on"], part_time=d["working_pattern"] == "part",
                credit_months=d.get("credit_months") or 0,
                credit_evidence=d.get("credit_evidence", ""))
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            for warning in result.warnings:
                messages.warning(request, warning)
            messages.success(request, f"{d['membership'].user} is enrolled on the ASYE.")
            return redirect(_detail_url(result.programme))
    return render(request, FORM, {"form": form, "title": "Enrol a social worker on the ASYE",
                                  "back": reverse("asye_cohort",
                                                  kwargs={"council_slug": council_slug})})


@council_view()
@require_http_methods(["GET"])
def programme(request: HttpRequest, council_slug: str, programme_id: int) -> HttpResponse:
    p = _programme(request, programme_id)
    detail = selectors.programme_detail(p, request.membership, _today())
    return render(request, "progression/asye/programme.html",
                  {"d": detail, "p": p, "today": _today(),
                   "is_lead": Role.ASYE_LEAD in detail.roles,
                   "oversight": bool(detail.roles & ASYE_OVERSIGHT_ROLES)})


# ------------------------------------------------------------------ learning agreement

@council_view()
@require_http_methods(["GET", "POST"])
def learning_agreement(request: HttpRequest, council_slug: str, programme_id: int
                       ) -> HttpResponse:
    p = _programme(request, programme_id)
    la = p.learning_agreement
    form = f.LearningAgreementForm(
        request.POST or None, needs_shadowing=bool(p.flags),
        initial={"supervision_frequency": la.supervision_frequency,
                 "development_plan": la.development_plan,
                 "extra_shadowing_plan": la.extra_shadowing_plan})
    return _form_page(
        request, p, form, title="Learning agreement and development plan",
        intro="Saving a change clears the signatures: everyone signs the changed agreement.",
        run=lambda d: services.learning_agreement_update(
            actor=request.membership, programme=p,
            supervision_frequency=d["supervision_frequency"],
            development_plan=d["development_plan"],
            extra_shadowing_plan=d.get("extra_shadowing_plan", "")),
        success="Learning agreement saved.", anchor="learning-agreement")


@council_view()
@require_POST
def learning_agreement_sign(request: HttpRequest, council_slug: str, programme_id: int
                            ) -> HttpResponse:
    p = _programme(request, programme_id)
    return _action(request, p, lambda: services.learning_agreement_sign(
        actor=request.membership, programme=p, on=_today()),
        success="You signed the learning agreement.", anchor="learning-agreement")


# ------------------------------------------------------------------------------- reviews

def _review(request: HttpRequest, review_id: int):
    review = selectors.access_review(request.council, review_id)
    return review, _programme(request, review.programme_id)


@council_view()
@require_http_methods(["GET", "POST"])
def review_edit(request: HttpRequest, council_slug: str, review_id: int) -> HttpResponse:
    review, p = _review(request, review_id)
    ready = {True: "yes", False: "no", None: ""}[review.complex_work_ready]
    form = f.ReviewForm(request.POST or None, initial={
        "kss_progress": review.kss_progress, "actions": review.actions,
        "concerns": review.concerns, "complex_work_ready": ready,
        "learning_agreement_review": review.learning_agreement_review})
    return _form_page(
        request, p, form, title=f"{review.month}-month review record",
        intro="Saving a change clears the signatures given so far.",
        run=lambda d: services.review_record(
            actor=request.membership, review=review, kss_progress=d["kss_progress"],
            actions=d["actions"], concerns=d["concerns"],
            complex_work_ready=d["complex_work_ready"],
            learning_agreement_review=d["learning_agreement_review"]),
        success="Review record saved.", anchor="reviews")


@council_view()
@require_POST
def review_sign(request: HttpRequest, council_slug: str, review_id: int) -> HttpResponse:
    review, p = _review(request, review_id)
    return _action(request, p, lambda: services.review_sign(
        actor=request.membership, review=review, on=_today()),
        success=f"You signed the {review.month}-month review.", anchor="reviews")


@council_view()
@require_http_methods(["GET", "POST"])
def review_waive(request: HttpRequest, council_slug: str, review_id: int) -> HttpResponse:
    review, p = _review(request, review_id)
    form = f.WaiveForm(request.POST or None)
    return _form_page(request, p, form, title=f"Waive the {review.month}-month review",
                      run=lambda d: services.review_waive(actor=request.membership,
                                                          review=review, reason=d["reason"],
                                                          on=_today()),
                      success="Review waived.", anchor="reviews")


# ---------------------------------------------------------------- supervision, attendance

@council_view()
@require_http_methods(["GET", "POST"])
def supervision_add(request: HttpRequest, council_slug: str, programme_id: int
                    ) -> HttpResponse:
    p = _programme(request, programme_id)
    form = f.SupervisionForm(request.POST or None)
    return _form_page(request, p, form, title="Record a supervision session",
                      run=lambda d: services.supervision_record(
                          actor=request.membership, programme=p, held_on=d["held_on"],
                          kind=d["kind"], note=d["note"]),
                      success="Supervision session recorded.", anchor="supervision")


def _series(p: AsyeProgramme) -> list[tuple[str, str]]:
    prog = programme_rules(p)
    return [(s.slug, s.title or s.slug) for s in (prog.attendance if prog else [])]


@council_view()
@require_http_methods(["GET", "POST"])
def attendance_add(request: HttpRequest, council_slug: str, programme_id: int
                   ) -> HttpResponse:
    p = _programme(request, programme_id)
    form = f.AttendanceForm(request.POST or None, council=request.council,
                            series=[s for s, _ in _series(p)])
    return _form_page(request, p, form, title="Record attendance",
                      run=lambda d: services.attendance_record(
                          actor=request.membership, programme=p, day=d["day"],
                          attended=d["attended"], absence_reason=d["absence_reason"]),
                      success="Attendance recorded.", anchor="attendance")


@council_view(Role.ASYE_LEAD)
@require_http_methods(["GET", "POST"])
def day_add(request: HttpRequest, council_slug: str, programme_id: int) -> HttpResponse:
    """Schedule a session of one of the pack's series (from a programme of that pack)."""
    p = _programme(request, programme_id)
    form = f.DevelopmentDayForm(request.POST or None, series=_series(p))
    return _form_page(request, p, form, title="Add a development day or workshop",
                      run=lambda d: services.development_day_create(
                          actor=request.membership, council=request.council,
                          series=d["series"], held_on=d["held_on"], title=d["title"]),
                      success="Session added.", anchor="attendance")


# --------------------------------------------------------------------------- observations

@council_view()
@require_http_methods(["GET", "POST"])
def observation_add(request: HttpRequest, council_slug: str, programme_id: int
                    ) -> HttpResponse:
    p = _programme(request, programme_id)
    form = f.ObservationForm(request.POST or None, council=request.council,
                             exclude=p.membership_id)
    return _form_page(request, p, form, title="Plan a direct observation",
                      run=lambda d: services.observation_create(
                          actor=request.membership, programme=p, observer=d["observer"],
                          observed_on=d["observed_on"]),
                      success="Observation planned.", anchor="observations")


@council_view()
@require_http_methods(["GET", "POST"])
def observation_section(request: HttpRequest, council_slug: str, observation_id: int,
                        section: str) -> HttpResponse:
    obs = selectors.access_owned(Observation, request.council, observation_id)
    if section not in services.OBSERVATION_SECTIONS:
        raise PermissionDenied("No such section.")
    p = selectors.access_programme(request.council, obs.programme_id)
    if request.membership.pk != obs.observer_id and not can_view_programme(
            request.membership, p):
        raise PermissionDenied("You cannot see this observation.")
    form = f.ObservationSectionForm(request.POST or None, section=section)

    def run(d: dict) -> None:
        field = {"plan": "plan", "feedback": "feedback", "assessment": "assessment",
                 "reflection": "reflection"}[section]
        data = {field: d["text"], "consent_given": d.get("consent_given"),
                "kss": d.get("kss") or [], "pcf": d.get("pcf") or []}
        services.observation_section_complete(actor=request.membership, observation=obs,
                                              section=section, data=data, on=_today())

    return _form_page(request, p, form, title=f.ObservationSectionForm.LABELS[section],
                      run=run, success="Section signed.", anchor="observations")


# ------------------------------------------------------------------------------- caseload

@council_view()
@require_http_methods(["GET", "POST"])
def allocate(request: HttpRequest, council_slug: str, programme_id: int) -> HttpResponse:
    """Allocate a case; a refusal is shown with its reasons and nothing is stored."""
    p = _programme(request, programme_id)
    prog = programme_rules(p)
    cx = prog.complexity if prog else None
    form = f.AllocateForm(request.POST or None, kinds=list(cx.kinds) if cx else [],
                          qualifiers=list(cx.qualifiers) if cx else [])
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        result = services.case_allocate(actor=request.membership, programme=p,
                                        reference=d["reference"], kind=d["kind"],
                                        qualifier=d["qualifier"], role=d["role"], on=_today())
        if not result.allowed:
            form.add_error(None, ["This allocation is refused: " + r for r in result.reasons])
        else:
            for w in result.warnings:
                messages.warning(request, w)
            messages.success(request, f"Case {d['reference']} allocated.")
            return redirect(_detail_url(p, "caseload"))
    # DERBY-29/30: where the pack has an advisory allocation matrix, the worker's own grade
    # row and the complexity questions are shown beside the form; they never block.
    matrix = selectors.allocation_guidance(p)
    return render(request, FORM, {"form": form, "title": "Allocate a case", "programme": p,
                                  "back": _detail_url(p, "caseload"), "guidance": matrix})


@council_view()
@require_POST
def breach_report(request: HttpRequest, council_slug: str, programme_id: int) -> HttpResponse:
    p = _programme(request, programme_id)
    return _action(request, p, lambda: services.caseload_breach_report(
        actor=request.membership, programme=p, on=_today()),
        success="Caseload breach reported to your manager and the ASYE lead.",
        anchor="caseload")


@council_view()
@require_POST
def breach_resolve(request: HttpRequest, council_slug: str, breach_id: int) -> HttpResponse:
    breach = selectors.access_owned(CaseloadBreach, request.council, breach_id)
    p = _programme(request, breach.programme_id)
    return _action(request, p, lambda: services.caseload_breach_resolve(
        actor=request.membership, breach=breach, on=_today()),
        success="Breach marked resolved.", anchor="caseload")


@council_view()
@require_http_methods(["GET", "POST"])
def cwa_add(request: HttpRequest, council_slug: str, programme_id: int) -> HttpResponse:
    p = _programme(request, programme_id)
    prog = programme_rules(p)
    cx = prog.complexity if prog else None
    form = f.CwaForm(request.POST or None, kinds=list(cx.kinds) if cx else [],
                     agreed_at=list(cx.complex_work_agreement.agreed_at)
                     if cx and cx.complex_work_agreement else [])
    return _form_page(request, p, form, title="Complex work agreement",
                      run=lambda d: services.cwa_create(
                          actor=request.membership, programme=p, kinds=d["kinds"],
                          arrangements=d["arrangements"], agreed_at=d["agreed_at"]),
                      success="Agreement drafted: each party signs it.", anchor="caseload")


@council_view()
@require_POST
def cwa_sign(request: HttpRequest, council_slug: str, agreement_id: int) -> HttpResponse:
    cwa = selectors.access_owned(ComplexWorkAgreement, request.council, agreement_id)
    p = _programme(request, cwa.programme_id)
    return _action(request, p, lambda: services.cwa_sign(actor=request.membership,
                                                         agreement=cwa, on=_today()),
                   success="You signed the complex work agreement.", anchor="caseload")


# ------------------------------------------------------- study days, extension, deferral

@council_view()
@require_http_methods(["GET", "POST"])
def study_day_add(request: HttpRequest, council_slug: str, programme_id: int) -> HttpResponse:
    p = _programme(request, programme_id)
    form = f.StudyDayForm(request.POST or None)
    return _form_page(request, p, form, title="Ask for a study day",
                      run=lambda d: services.study_day_request(
                          actor=request.membership, programme=p, on=d["on"],
                          purpose=d["purpose"]),
                      success="Study day asked for.", anchor="study-days")


@council_view()
@require_POST
def study_day_approve(request: HttpRequest, council_slug: str, study_day_id: int
                      ) -> HttpResponse:
    day = selectors.access_owned(StudyDay, request.council, study_day_id)
    p = _programme(request, day.programme_id)
    return _action(request, p, lambda: services.study_day_approve(
        actor=request.membership, study_day=day, on=_today()),
        success="Study day agreed.", anchor="study-days")


@council_view()
@require_http_methods(["GET", "POST"])
def extension(request: HttpRequest, council_slug: str, programme_id: int) -> HttpResponse:
    p = _programme(request, programme_id)
    form = f.ExtensionForm(request.POST or None)
    return _form_page(request, p, form, title="Approve an extension",
                      intro=f"Current end: {p.planned_end:%d %B %Y}. " + (
                          f"Latest possible end: {p.latest_end:%d %B %Y}."
                          if p.latest_end else "No ceiling is stated in policy."),
                      run=lambda d: services.extension_approve(
                          actor=request.membership, programme=p, reason=d["reason"],
                          new_end=d["new_end"], on=_today()),
                      success="Extension approved.", anchor="extensions")


@council_view()
@require_http_methods(["GET", "POST"])
def deferral(request: HttpRequest, council_slug: str, programme_id: int) -> HttpResponse:
    p = _programme(request, programme_id)
    prog = programme_rules(p)
    form = f.DeferralForm(request.POST or None,
                          reasons=list(prog.deferrals.reasons) if prog and prog.deferrals
                          else [])
    return _form_page(request, p, form, title="Defer the final assessment",
                      run=lambda d: services.deferral_record(
                          actor=request.membership, programme=p, reason=d["reason"],
                          new_end=d["new_end"], note=d["note"], on=_today()),
                      success="Assessment deferred.", anchor="extensions")


# --------------------------------------------------------------------------- final report

@council_view()
@require_http_methods(["GET", "POST"])
def final_report(request: HttpRequest, council_slug: str, programme_id: int) -> HttpResponse:
    p = _programme(request, programme_id)
    form = f.FinalReportForm(request.POST or None)
    return _form_page(request, p, form, title="Final report and recommendation",
                      run=lambda d: services.final_report_submit(
                          actor=request.membership, programme=p,
                          recommendation=d["recommendation"], summary=d["summary"],
                          on=_today()),
                      success="Final report submitted.", anchor="final-report")


@council_view()
@require_POST
def final_report_sign(request: HttpRequest, council_slug: str, programme_id: int
                      ) -> HttpResponse:
    p = _programme(request, programme_id)
    report = selectors.final_report_of(p)
    return _action(request, p, lambda: services.final_report_sign(
        actor=request.membership, report=report, on=_today()),
        success="Signed and handed to the panel.", anchor="final-report")



