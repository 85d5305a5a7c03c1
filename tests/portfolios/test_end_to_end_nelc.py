"""North East Lincolnshire end to end: the ASYE portfolio to the final 12-month panel, and
the level 2 to level 3 application from the expression of intent (supported, approved),
through the lead assessor's appointment and random case-file draw, to a submission at a
booked quarterly panel; refusals name what is missing. Seed 000_b405b76582c345ce.txt."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from councils.models import AuditEvent, Role
from portfolios import services
from portfolios.models import CaseStatus
from tests.portfolios.e2e import TODAY, add, book, refusal, sign_all, staff


def _asye(load_pack, in_scope):
    council = load_pack("north-east-lincolnshire")
    p = staff(council, [Role.LINE_MANAGER], [Role.TEAM_MANAGER], level="level-1",
              qualification_date=dt.date(2025, 7, 1), registration_date=dt.date(2025, 9, 1),
              asye_started=dt.date(2025, 12, 1))
    w = p["worker"]
    with in_scope(council):
        case = services.case_open(actor=w.user, worker=w, route_slug="asye", today=TODAY)
    return council, p, w, case


def _asye_portfolio(case, w, third_observed_on=dt.date(2026, 9, 1)):
    add(case, w, "reflective-log", "Critical reflective log", dt.date(2026, 10, 1))
    add(case, w, "development-plan", "PDP", dt.date(2026, 10, 1))
    add(case, w, "self-assessment", "Self-assessment (Annex 1)", dt.date(2026, 10, 1))
    for who, on in (("asye-lead", dt.date(2026, 3, 1)), ("line-manager", dt.date(2026, 6, 1)),
                    ("senior-social-worker", third_observed_on)):
        add(case, w, "direct-observation", f"Observation by {who}", on, by_role=who)
    add(case, w, "manager-report", "Annex 3 record", dt.date(2026, 10, 15),
        by_role="line-manager", filled_fields=["kss-references", "examples",
                                               "areas-for-development",
                                               "average-caseload-maintained"])
    add(case, w, "attendance-record", "Development days attended", dt.date(2026, 11, 1))


def test_nelc_asye_portfolio_to_the_twelve_month_panel(load_pack, in_scope):
    """NELC-09, NELC-12 to NELC-16, 000_b405b76582c345ce.txt."""
    council, p, w, case = _asye(load_pack, in_scope)
    with in_scope(council):
        book(case, p["admin"], "2026-12-01", dt.date(2026, 11, 24))
        text = refusal(case, w, TODAY)
        assert "One by your ASYE lead or co-ordinator" in text and "(NELC-14)" in text
        assert "your line manager signs the self assessment (NELC-13)" in text
        _asye_portfolio(case, w)
        sign_all(case, {"line-manager": p["m0"]})
        submission = services.portfolio_submit(actor=w, case=case, today=TODAY)
    assert submission.submit_for == "2026-12-01" and len(submission.manifest) == 8


def test_nelc_asye_observation_after_the_twelve_month_review_does_not_count(
        load_pack, in_scope):
    """NELC-14, 000_b405b76582c345ce.txt: observations completed before the 12-month review
    (ASYE started 2025-12-01: before 2026-12-01)."""
    council, p, w, case = _asye(load_pack, in_scope)
    with in_scope(council):
        book(case, p["admin"], "2026-12-10", dt.date(2026, 12, 10))
        _asye_portfolio(case, w, third_observed_on=dt.date(2026, 12, 2))
        sign_all(case, {"line-manager": p["m0"]})
        text = refusal(case, w, dt.date(2026, 12, 3))
    assert "Add 1 more (you have 2 of 3)" in text
    assert "One by your line manager or senior social worker" in text


def _l3(load_pack, in_scope, qualified=dt.date(2015, 7, 1)):
    council = load_pack("north-east-lincolnshire")
    p = staff(council, [Role.LINE_MANAGER, Role.CASE_SUPERVISOR], [Role.TEAM_MANAGER],
              level="level-2", qualification_date=qualified,
              registration_date=dt.date(2015, 9, 1))
    return council, p, p["worker"]


def test_nelc_level_3_from_expression_of_intent_to_submission(load_pack, in_scope):
    """NELC-22 to NELC-34, 000_b405b76582c345ce.txt: EoI supported then approved; the lead
    assessor draws three case files at random excluding the worker's two; every element of
    the application; attested anonymised presentation; submitted to a quarterly panel."""
    council, p, w = _l3(load_pack, in_scope)
    lm, tm, ap = p["m0"], p["m1"], p["ap"]
    with in_scope(council):
        case = services.case_open(actor=w.user, worker=w, route_slug="level-2-to-level-3",
                                  today=TODAY, statement="I lead complex child protection work.")
        assert case.status == CaseStatus.AWAITING_SUPPORT
        with pytest.raises(ValidationError) as error:  # approval only after support
            services.eoi_approve(actor=tm, case=case, today=TODAY)
        assert "awaiting support' cannot become" in str(error.value)
        with pytest.raises(PermissionDenied):  # support is the line manager's
            services.eoi_support(actor=p["ap"], case=case)
        services.eoi_support(actor=lm, case=case, reasons="Ready.")
        services.eoi_approve(actor=tm, case=case, today=TODAY)
        case.refresh_from_db()
        assert case.status == CaseStatus.BUILDING
        assert case.expression_of_intent.portfolio_due_on == dt.date(2027, 5, 20)  # NELC-25
        services.lead_assessor_appoint(actor=p["admin"], case=case, assessor=ap)
        case.refresh_from_db()
        draw = services.case_files_draw(actor=ap, case=case,
                                        caseload=[f"M{n}" for n in range(10)],
                                        worker_chosen=["M1", "M2"], seed="nelc")
        assert len(draw.chosen) == 3 and not {"M1", "M2"} & set(draw.chosen)
        assert AuditEvent.objects.filter(action="case.case_files_drawn").exists()

        book(case, p["admin"], "2027-03-15", dt.date(2027, 3, 1))
        text = refusal(case, w, TODAY)
        assert "Add 5 more (you have 0 of 5)" in text
        assert "One by your lead assessor" in text and "(NELC-29)" in text
        assert "fully anonymised" in text

        on = dt.date(2026, 11, 1)
        add(case, w, "asye-completion", "ASYE certificate", dt.date(2016, 9, 1))
        add(case, w, "self-assessment", "Self-assessment (Appendix 3(3))", on,
            by_role="line-manager")
        for ref in ["M1", "M2", *draw.chosen]:
            add(case, w, "case-file-audit", f"Audit of {ref}", on, by_role="lead-assessor")
        add(case, w, "direct-observation", "Case mapping observed", on, by_role="lead-assessor")
        add(case, w, "direct-observation", "CIN meeting observed", on,
            by_role="case-supervisor")
        add(case, w, "presentation", "Presentation report", on, by_role="social-worker",
            filled_fields=["presenting-challenges", "objectives-and-outcomes",
                           "theory-methods-and-law", "risk-assessment", "increasing-autonomy",
                           "evaluation"])
        for n in (1, 2):
            add(case, w, "service-user-feedback", f"Family views {n}", on,
                by_role="lead-assessor")
        add(case, w, "mentoring-evidence", "Mentoring an NQSW", on)
        add(case, w, "development-plan", "Individualised development plan", on)
        add(case, w, "cpd-record", "Training record", on)
        # The approved signatory signs the self-assessment; the appointed lead assessor
        # confirms the caseload (NELC-34), holding the role through the appointment.
        signed = sign_all(case, {"line-manager": lm, "lead-assessor": ap},
                          blocks=("submission", "listing"))
        assert any(s.startswith("lead-assessor confirms") for s in signed)
        text = refusal(case, w, TODAY)
        assert text == "Confirm that the portfolio is fully anonymised (NELC-30)."
        submission = services.portfolio_submit(actor=w, case=case, today=TODAY,
                                               anonymisation_attested=True)
    assert submission.submit_for == "2027-03-15" and len(submission.manifest) == 15


def test_nelc_level_3_declined_support_stops_the_application(load_pack, in_scope):
    """NELC-24, 000_b405b76582c345ce.txt: declined with development areas; the team manager
    cannot approve and no portfolio opens."""
    council, p, w = _l3(load_pack, in_scope)
    with in_scope(council):
        case = services.case_open(actor=w.user, worker=w, route_slug="level-2-to-level-3",
                                  today=TODAY, statement="Ready.")
        services.eoi_decline(actor=p["m0"], case=case, reasons="More court work first.")
        with pytest.raises(ValidationError) as error:
            services.eoi_approve(actor=p["m1"], case=case, today=TODAY)
        assert "'Support declined' cannot become" in str(error.value)
        case.refresh_from_db()
        assert case.status == CaseStatus.DECLINED and not case.portfolios.exists()
        assert "not being built" in refusal(case, w, TODAY)


def test_nelc_level_3_qualified_before_2012_needs_the_equivalent_qualification(
        load_pack, in_scope):
    """NELC-22, 000_b405b76582c345ce.txt: the branch follows the qualification year."""
    council, p, w = _l3(load_pack, in_scope, qualified=dt.date(2009, 7, 1))
    with in_scope(council):
        case = services.case_open(actor=w.user, worker=w, route_slug="level-2-to-level-3",
                                  today=TODAY, statement="Ready.")
        services.eoi_support(actor=p["m0"], case=case)
        services.eoi_approve(actor=p["m1"], case=case, today=TODAY)
        book(case, p["admin"], "2027-03-15", dt.date(2027, 3, 1))
        text = refusal(case, w, TODAY)
    assert "An equivalent qualification" in text
    assert "Evidence of successful completion of an ASYE" not in text
