"""Halton end to end: the ASYE with and without a progression request (the Reflective Career
Review then required), level 2 to 3 with the 12-months-after-ASYE observation and case
audit, and level 3 to 4 (the Progression Programme Record); each submitted to a booked
panel, and refused with the precise reason when incomplete or late.
Seed 004_5b66ca4edcf6546b.txt."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from councils.models import Role
from councils.rules import frameworks as fw
from portfolios import services
from portfolios.models import CaseStatus
from tests.portfolios.e2e import TODAY, add, book, refusal, sign_all, staff

RCR_FIELDS = ["candidate", "date-of-qualification", "principal-manager", "team", "panel-date",
              "reflection", "future-learning-needs", "career-pathway",
              "why-the-panel-should-agree"]
OBSERVATION_FIELDS = [
    "section-1-intervention-and-context", "section-1-planning-and-objectives",
    "section-1-service-user-preparation-and-consent", "section-2-service-user-feedback",
    "section-2-observer-assessment", "section-3-critical-reflection",
    "signed-by-social-worker", "signed-by-observing-manager"]


def _halton(load_pack, level, **record):
    council = load_pack("halton")
    p = staff(council, [Role.PRACTICE_LEAD, Role.LINE_MANAGER], [Role.PRINCIPAL_MANAGER],
              [Role.DIVISIONAL_MANAGER], level=level, qualification_date=dt.date(2024, 7, 15),
              registration_date=dt.date(2024, 8, 1), **record)
    return council, p, p["worker"]


def _rcr(case, w, words=900):
    add(case, w, "reflective-career-review", "Reflective Career Review", dt.date(2026, 11, 1),
        by_role="principal-manager", filled_fields=RCR_FIELDS, pcf=list(fw.PCF_DOMAIN_SLUGS),
        statement="reflection " * words)


def test_halton_asye_with_progression_requested_needs_the_rcr(load_pack, in_scope):
    """HALTON-03, HALTON-04, HALTON-14, 004_5b66ca4edcf6546b.txt: the flag switches the RCR
    on; signed by the worker and the Principal Manager; submitted to the booked panel."""
    council, p, w = _halton(load_pack, "level-1", asye_started=dt.date(2025, 12, 1))
    with in_scope(council):
        with pytest.raises(ValidationError) as error:
            services.case_open(actor=w.user, worker=w, route_slug="asye", today=TODAY,
                               flags=["fast-track"])
        assert "does not offer: fast-track" in str(error.value)
        case = services.case_open(actor=w.user, worker=w, route_slug="asye", today=TODAY,
                                  flags=["progression-requested"])
        book(case, p["admin"], "2026-12-15", dt.date(2026, 12, 1))
        text = refusal(case, w, TODAY)
        assert "Reflective Career Review" in text and "(HALTON-03, HALTON-04, HALTON-14)" in text
        _rcr(case, w)
        signed = sign_all(case, {"social-worker": w, "principal-manager": p["m1"]},
                          blocks=("listing",))
        assert signed == ["social-worker signs rcr", "principal-manager signs rcr"]
        submission = services.portfolio_submit(actor=w, case=case, today=TODAY)
    assert submission.submit_for == "2026-12-15" and len(submission.manifest) == 1


def test_halton_asye_without_progression_request_needs_no_rcr(load_pack, in_scope):
    """HALTON-04, HALTON-07, 004_5b66ca4edcf6546b.txt."""
    council, p, w = _halton(load_pack, "level-1", asye_started=dt.date(2025, 12, 1))
    with in_scope(council):
        case = services.case_open(actor=w.user, worker=w, route_slug="asye", today=TODAY)
        assert "No sitting is booked" in refusal(case, w, TODAY)
        book(case, p["admin"], "2026-12-15", dt.date(2026, 12, 1))
        services.portfolio_submit(actor=w, case=case, today=TODAY)
        case.refresh_from_db()
    assert case.status == CaseStatus.SUBMITTED


def test_halton_level_3_more_than_12_months_after_asye_needs_observation_and_audit(
        load_pack, in_scope):
    """HALTON-12, HALTON-13, HALTON-22, 004_5b66ca4edcf6546b.txt: ASYE passed 2025-06-01,
    submission 2027-01-10: the line manager's observation and the case audit are due."""
    council, p, w = _halton(load_pack, "level-2", asye_completed=dt.date(2025, 6, 1))
    with in_scope(council):
        case = services.case_open(actor=w.user, worker=w, route_slug="level-2-to-level-3",
                                  today=TODAY)
        book(case, p["admin"], "2027-01-20", dt.date(2027, 1, 10))
        _rcr(case, w)
        text = refusal(case, w, TODAY)
        assert "(HALTON-12, HALTON-13)" in text and "(HALTON-12, HALTON-22)" in text
        # An observation with a section left out does not count (HALTON-13).
        add(case, w, "direct-observation", "Home visit observed", dt.date(2026, 11, 5),
            by_role="practice-lead", filled_fields=OBSERVATION_FIELDS[:-1])
        text = refusal(case, w, TODAY)
        assert "Complete these parts of the form: signed by observing manager" in text
        add(case, w, "direct-observation", "Second visit observed", dt.date(2026, 11, 12),
            by_role="practice-lead", filled_fields=OBSERVATION_FIELDS)
        add(case, w, "case-file-audit", "Case audit", dt.date(2026, 11, 12),
            by_role="principal-manager")
        sign_all(case, {"social-worker": w, "principal-manager": p["m1"]}, blocks=("listing",))
        submission = services.portfolio_submit(actor=w, case=case, today=TODAY)
    assert submission.submit_for == "2027-01-20"


def test_halton_level_3_within_12_months_of_asye_needs_only_the_rcr(load_pack, in_scope):
    """HALTON-11, HALTON-12, 004_5b66ca4edcf6546b.txt: ASYE passed 2026-06-01."""
    council, p, w = _halton(load_pack, "level-2", asye_completed=dt.date(2026, 6, 1))
    with in_scope(council):
        case = services.case_open(actor=w.user, worker=w, route_slug="level-2-to-level-3",
                                  today=TODAY)
        book(case, p["admin"], "2027-01-20", dt.date(2027, 1, 10))
        _rcr(case, w)
        services.portfolio_submit(actor=w, case=case, today=TODAY)
        case.refresh_from_db()
    assert case.status == CaseStatus.SUBMITTED


def test_halton_level_4_progression_programme_record(load_pack, in_scope):
    """HALTON-19 to HALTON-25, 004_5b66ca4edcf6546b.txt: every item of the record; the
    request covers all nine PCF domains; the Principal Manager confirms and the Divisional
    Manager approves; a late submission is refused."""
    council, p, w = _halton(load_pack, "level-3", asye_completed=dt.date(2025, 6, 1))
    with in_scope(council):
        case = services.case_open(actor=w.user, worker=w, route_slug="level-3-to-level-4",
                                  today=TODAY)
        book(case, p["admin"], "2027-02-20", dt.date(2027, 2, 1))
        on = dt.date(2026, 11, 1)
        add(case, w, "cpd-record", "Record of CPD activity", on,
            filled_fields=["ipp-or-equivalent-completed-on", "entry-date", "activity",
                           "learning-outcome", "kss-pcf"])
        add(case, w, "accredited-learning", "Practice Educator Stage 2", on)
        add(case, w, "direct-observation", "Direct Observation 1", on, by_role="practice-lead",
            filled_fields=OBSERVATION_FIELDS)
        add(case, w, "case-file-audit", "Case audit", on, by_role="principal-manager")
        add(case, w, "critical-career-review", "Critical Career Review", on)
        add(case, w, "progression-request", "Request for a Professional Interview", on,
            by_role="principal-manager", pcf=list(fw.PCF_DOMAIN_SLUGS)[:8],
            filled_fields=["observation-dates", "capability-confirmation-signed"])
        text = refusal(case, w, TODAY)
        assert "(HALTON-25)" in text  # workforce sharing
        assert "(HALTON-24)" in text
        assert "Tag your evidence with these PCF domains: Professional Leadership" in text
        request = case.portfolios.get().items.get(kind="progression-request")
        services.evidence_update(actor=w, item=request,
                                 changes={"pcf": list(fw.PCF_DOMAIN_SLUGS)})
        add(case, w, "workforce-sharing", "Systemic practice briefing for the service", on)
        signed = sign_all(case, {"principal-manager": p["m1"], "divisional-manager": p["m2"]},
                          blocks=("listing",))
        assert len(signed) == 2
        late = refusal(case, w, dt.date(2027, 2, 2))
        assert "The submission date 1 February 2027 has passed" in late
        submission = services.portfolio_submit(actor=w, case=case, today=TODAY)
    assert len(submission.manifest) == 7
