"""Derbyshire end to end: a grade 9 ASYE portfolio and a grade 10 to 11 portfolio are built,
signed off, attested anonymised and submitted in their windows; incomplete, unattested,
ineligible and out-of-window submissions are refused with the precise reason.
Seed 002_6df34af9a85cb432.txt."""

from __future__ import annotations

import datetime as dt

from councils.models import AuditEvent, Role
from portfolios import services
from portfolios.models import CaseStatus
from tests.portfolios.e2e import TODAY, add, refusal, sign_all, staff

PCF_ALL = ["professionalism", "values-and-ethics", "diversity-and-equality",
           "rights-justice-economic-wellbeing", "knowledge", "critical-reflection-and-analysis",
           "intervention-and-skills", "contexts-and-organisations", "professional-leadership"]


def _derby(load_pack, level, **record):
    council = load_pack("derbyshire")
    p = staff(council, [Role.LINE_MANAGER, Role.ASSESSOR],
              [Role.SERVICE_MANAGER, Role.GROUP_MANAGER], level=level, **record)
    return council, p


def test_grade_9_asye_is_submitted_on_the_first_friday_with_four_signoffs(
        load_pack, in_scope):
    """DERBY-01, DERBY-03, DERBY-04, DERBY-05, 002_6df34af9a85cb432.txt."""
    council, p = _derby(load_pack, "grade-9", registration_date=dt.date(2025, 6, 1),
                        employment_start=dt.date(2025, 6, 1))
    w = p["worker"]
    with in_scope(council):
        case = services.case_open(actor=w.user, worker=w, route_slug="asye", today=TODAY)
        # Nothing yet: the portfolio, the four sign-offs and the attestation are named.
        text = refusal(case, w, TODAY)
        assert "Add 1 more (you have 0 of 1)" in text and "DERBY-01, DERBY-05" in text
        assert "your line manager recommends the readiness (DERBY-01)" in text
        assert "your assessor signs the portfolio (DERBY-03)" in text
        assert "your group manager acknowledges the portfolio (DERBY-03)" in text
        assert "fully anonymised (DERBY-01, DERBY-05)" in text
        add(case, w, "asye-portfolio", "My ASYE portfolio", dt.date(2026, 11, 1))
        signed = sign_all(case, {"line-manager": p["m0"], "assessor": p["m0"],
                                 "group-manager": p["m1"]})
        assert len(signed) == 4
        assert "fully anonymised" in refusal(case, w, TODAY)
        submission = services.portfolio_submit(actor=w, case=case, today=TODAY,
                                               anonymisation_attested=True)
        case.refresh_from_db()
        assert case.status == CaseStatus.SUBMITTED
        # The next window on or after the day it is made: the first Friday of December.
        assert submission.submit_for == "2026-12-04"
        assert submission.anonymisation_attested and len(submission.manifest) == 1
        assert AuditEvent.objects.filter(action="portfolio.submitted").exists()


def test_grade_9_asye_refused_before_twelve_months_pro_rata(load_pack, in_scope):
    """DERBY-01, CONV-05, 002_6df34af9a85cb432.txt: 12 months pro rata by the submission
    date (registered 2026-03-01: not by 4 December 2026)."""
    council, p = _derby(load_pack, "grade-9", registration_date=dt.date(2026, 3, 1),
                        employment_start=dt.date(2026, 3, 1))
    w = p["worker"]
    with in_scope(council):
        case = services.case_open(actor=w.user, worker=w, route_slug="asye", today=TODAY)
        add(case, w, "asye-portfolio", "My ASYE portfolio", dt.date(2026, 11, 1))
        sign_all(case, {"line-manager": p["m0"], "assessor": p["m0"],
                        "group-manager": p["m1"]})
        text = refusal(case, w, TODAY, anonymisation_attested=True)
    assert "Not eligible for this route" in text and "DERBY-01" in text


def _grade_10_portfolio(case, w, *, observed_on=dt.date(2026, 10, 1)):
    add(case, w, "qualification-certificate", "Degree certificate and SWE number",
        dt.date(2019, 7, 1), filled_fields=["swe-registration-number"])
    add(case, w, "payroll-number", "Payroll number", TODAY)
    for n in (1, 2):
        add(case, w, "case-example", f"Case example {n}", dt.date(2026, 9, n),
            pcf=PCF_ALL, anonymised=True)
    add(case, w, "direct-observation", "Observation with feedback from the adult",
        observed_on, filled_fields=["feedback-from-adult"])
    add(case, w, "written-statement", "Enabling others' learning", TODAY,
        topic="enabling-learning")
    add(case, w, "written-statement", "My ongoing development", TODAY,
        topic="ongoing-development")


def test_grade_10_to_11_in_the_january_window(load_pack, in_scope):
    """DERBY-16 to DERBY-22, 002_6df34af9a85cb432.txt: every checklist item, the service
    and group managers' checks, attestation, submitted for 15 January 2027."""
    council, p = _derby(load_pack, "grade-10", registration_date=dt.date(2019, 8, 1))
    w = p["worker"]
    with in_scope(council):
        case = services.case_open(actor=w.user, worker=w, route_slug="grade-10-to-grade-11",
                                  today=TODAY)
        services.intended_submission_set(actor=w, case=case, on=dt.date(2027, 1, 15),
                                         today=TODAY)
        # An observation older than six months before 15 January 2027 does not count.
        _grade_10_portfolio(case, w, observed_on=dt.date(2026, 6, 30))
        text = refusal(case, w, TODAY, anonymisation_attested=True)
        assert "DERBY-19, CONV-04" in text and "dated on or after 15 July 2026" in text
        assert "your service manager checks the portfolio (DERBY-21)" in text
        add(case, w, "direct-observation", "Recent observation", dt.date(2026, 10, 1),
            filled_fields=["feedback-from-adult"])
        # The two managers check; one person may hold both roles.
        assert len(sign_all(case, {"service-manager": p["m1"], "group-manager": p["m1"]})) == 2
        submission = services.portfolio_submit(actor=w, case=case, today=TODAY,
                                               anonymisation_attested=True)
    assert submission.submit_for == "2027-01-15"
    assert len(submission.manifest) == 8


def test_grade_10_to_11_case_examples_must_cover_the_nine_pcf_domains(load_pack, in_scope):
    """DERBY-16, DERBY-18, 002_6df34af9a85cb432.txt."""
    council, p = _derby(load_pack, "grade-10", registration_date=dt.date(2019, 8, 1))
    w = p["worker"]
    with in_scope(council):
        case = services.case_open(actor=w.user, worker=w, route_slug="grade-10-to-grade-11",
                                  today=TODAY)
        _grade_10_portfolio(case, w)
        item = case.portfolios.get().items.filter(kind="case-example").first()
        services.evidence_update(actor=w, item=item, changes={"pcf": PCF_ALL[:8]})
        other = case.portfolios.get().items.filter(kind="case-example").last()
        services.evidence_update(actor=w, item=other, changes={"pcf": PCF_ALL[:8]})
        text = refusal(case, w, TODAY, anonymisation_attested=True)
    assert "Tag your evidence with these PCF domains: Professional Leadership" in text


def test_grade_10_to_11_out_of_window_names_the_next_window(load_pack, in_scope):
    """DERBY-22, 002_6df34af9a85cb432.txt: after 15 January 2027 the next is 15 May 2027."""
    council, p = _derby(load_pack, "grade-10", registration_date=dt.date(2019, 8, 1))
    w = p["worker"]
    with in_scope(council):
        case = services.case_open(actor=w.user, worker=w, route_slug="grade-10-to-grade-11",
                                  today=TODAY)
        services.intended_submission_set(actor=w, case=case, on=dt.date(2027, 1, 15),
                                         today=TODAY)
        _grade_10_portfolio(case, w)
        sign_all(case, {"service-manager": p["m1"], "group-manager": p["m1"]})
        text = refusal(case, w, dt.date(2027, 1, 16), anonymisation_attested=True)
    assert ("The submission window of 15 January 2027 has passed; the next is 15 May 2027 "
            "(DERBY-22)") in text
