"""Stoke-on-Trent end to end: an NQSW's ASYE portfolio (learning agreement, initial
self-assessment, portfolio mapped to all ten KSS and the PCF, three direct observations by
registered non-NQSW observers before the final panel, the Manager's Final Report) is
submitted to a booked Internal Moderation Panel; incomplete and late submissions are
refused with the precise reason. Seed 001_cfd4d7839e7e381c.txt."""

from __future__ import annotations

import datetime as dt

from councils.models import Role
from councils.rules import frameworks as fw
from portfolios import services
from portfolios.models import CaseStatus
from tests.portfolios.e2e import TODAY, add, book, refusal, staff

ALL_KSS = list(fw.KSS_CHILD_FAMILY_ITEMS)
ALL_PCF = list(fw.PCF_DOMAIN_SLUGS)


def _stoke(load_pack, in_scope):
    council = load_pack("stoke-on-trent")
    p = staff(council, [Role.LINE_MANAGER], [Role.ASYE_LEAD, Role.PRINCIPAL_MANAGER],
              level="nqsw", qualification_date=dt.date(2025, 7, 1),
              registration_date=dt.date(2025, 9, 1), asye_started=dt.date(2025, 12, 1))
    w = p["worker"]
    with in_scope(council):
        case = services.case_open(actor=w.user, worker=w, route_slug="asye", today=TODAY)
    return council, p, w, case


def _portfolio(case, w, *, kss=ALL_KSS):
    add(case, w, "learning-agreement", "Learning agreement and PDP", dt.date(2025, 12, 20),
        filled_fields=["supervision-frequency"])
    add(case, w, "self-assessment", "Initial self-assessment", dt.date(2025, 12, 20))
    add(case, w, "asye-portfolio", "ASYE portfolio", dt.date(2026, 11, 1), kss=kss,
        pcf=ALL_PCF)
    for n, who in enumerate(("line-manager", "asye-lead", "senior-social-worker"), 1):
        add(case, w, "direct-observation", f"Observation {n}", dt.date(2026, 3 + n, 10),
            by_role=who)
    add(case, w, "manager-report", "Manager's Final Report", dt.date(2026, 11, 10),
        by_role="line-manager", filled_fields=["recommendation"])


def test_stoke_asye_portfolio_is_submitted_to_the_booked_panel(load_pack, in_scope):
    """STOKE-09, STOKE-23, STOKE-24, STOKE-25, STOKE-46, STOKE-47, 001_cfd4d7839e7e381c.txt."""
    council, p, w, case = _stoke(load_pack, in_scope)
    with in_scope(council):
        assert "No sitting is booked" in refusal(case, w, TODAY)
        book(case, p["admin"], "2026-12-10", dt.date(2026, 12, 1))
        text = refusal(case, w, TODAY)
        for rule in ("STOKE-09", "STOKE-23", "STOKE-24", "STOKE-25", "STOKE-46"):
            assert f"({rule})" in text
        assert "Add 3 more (you have 0 of 3)" in text
        _portfolio(case, w)
        submission = services.portfolio_submit(actor=w, case=case, today=TODAY)
        case.refresh_from_db()
    assert case.status == CaseStatus.SUBMITTED
    assert submission.submit_for == "2026-12-10" and len(submission.manifest) == 7


def test_stoke_portfolio_without_kss_mapping_is_refused(load_pack, in_scope):
    """STOKE-24, 001_cfd4d7839e7e381c.txt: a portfolio mapped to no KSS is not "mapped to
    the KSS": untagged evidence leaves every statement uncovered."""
    council, p, w, case = _stoke(load_pack, in_scope)
    with in_scope(council):
        book(case, p["admin"], "2026-12-10", dt.date(2026, 12, 1))
        _portfolio(case, w, kss=[])
        text = refusal(case, w, TODAY)
    assert "Tag your evidence with KSS 1, 2, 3, 4, 5, 6, 7, 8, 9, 10" in text


def test_stoke_observation_by_an_nqsw_does_not_count(load_pack, in_scope):
    """STOKE-25, 001_cfd4d7839e7e381c.txt: observed by a registered social worker who is not
    another NQSW."""
    council, p, w, case = _stoke(load_pack, in_scope)
    with in_scope(council):
        book(case, p["admin"], "2026-12-10", dt.date(2026, 12, 1))
        _portfolio(case, w)
        item = case.portfolios.get().items.filter(kind="direct-observation").first()
        services.evidence_update(actor=w, item=item, changes={"by_role": "nqsw"})
        text = refusal(case, w, TODAY)
    assert ("Direct observations of practice (STOKE-25): Add 1 more "
            "(you have 2 of 3)") in text


def test_stoke_late_submission_is_refused(load_pack, in_scope):
    """STOKE-47, 001_cfd4d7839e7e381c.txt: submission to the sitting's date set at booking."""
    council, p, w, case = _stoke(load_pack, in_scope)
    with in_scope(council):
        book(case, p["admin"], "2026-12-10", dt.date(2026, 12, 1))
        _portfolio(case, w)
        text = refusal(case, w, dt.date(2026, 12, 2))
    assert "The submission date 1 December 2026 has passed" in text
