"""Lincolnshire end to end: level 1 to level 2. Readiness confirmed, the booking allocates
five KSS and fixes the submission date; the portfolio evidences each allocated KSS (a
statement, two case examples, a learning event), observations and supervision records in
their 6 and 9 month tiers, feedback, appraisal and the line manager's report; verified,
approved and endorsed; submitted by the date. Late and incomplete submissions are refused
with the precise reason. Seed 003_beca269546173a23.txt."""

from __future__ import annotations

import datetime as dt

from councils.models import Role
from portfolios import services
from portfolios.models import CaseStatus
from tests.portfolios.e2e import TODAY, add, book, refusal, sign_all, staff

REPORT_FIELDS = ["date-read-and-approved", "capability-procedures",
                 "two-years-since-registration", "expert-in-safeguarding", "all-10-kss-met",
                 "good-reflection-of-practice"]


def _lincs(load_pack, in_scope):
    council = load_pack("lincolnshire")
    p = staff(council, [Role.PRACTICE_SUPERVISOR, Role.LINE_MANAGER], [Role.TEAM_MANAGER],
              tags=["cwd"], level="level-1", registration_date=dt.date(2024, 1, 10))
    w = p["worker"]
    signers = {"practice-supervisor": p["m0"], "team-manager": p["m1"]}
    with in_scope(council):
        case = services.case_open(actor=w.user, worker=w, route_slug="level-1-to-level-2",
                                  today=TODAY)
        sign_all(case, signers, blocks=("booking",))
        book(case, p["admin"], "2027-04", dt.date(2027, 3, 19))
    return council, p, w, case, signers


def _portfolio(case, w, *, second_case_example=True):
    kss = case.allocated_kss
    on = dt.date(2027, 2, 1)
    add(case, w, "written-statement", "B. Role summary", on, topic="role-summary",
        statement="I work in the children with disabilities team. " * 4)
    add(case, w, "written-statement", "C. How I meet my KSS", on, topic="kss-statement",
        kss=kss)
    add(case, w, "case-example", "Case example A (Mosaic 1001)", on, kss=kss)
    if second_case_example:
        add(case, w, "case-example", "Case example B (Mosaic 1002)", on, kss=kss)
    add(case, w, "cpd-record", "Child protection workshop", on, kss=kss)
    # Observations and supervision: both within 9 months of 19 March 2027, one within 6.
    for kind in ("direct-observation", "supervision-record"):
        add(case, w, kind, f"{kind} in July", dt.date(2026, 7, 1))
        add(case, w, kind, f"{kind} in January", dt.date(2027, 1, 10))
    for n in (1, 2):
        add(case, w, "service-user-feedback", f"Feedback {n}", dt.date(2027, 1, n), kss=kss)
    add(case, w, "appraisal", "Appraisal 2026", dt.date(2026, 6, 1))
    add(case, w, "manager-report", "D. Report by Line Manager", on,
        by_role="practice-supervisor", filled_fields=REPORT_FIELDS)


def test_lincolnshire_level_2_booked_built_endorsed_and_submitted(load_pack, in_scope):
    """LINCS-05 to LINCS-17, 003_beca269546173a23.txt."""
    council, p, w, case, signers = _lincs(load_pack, in_scope)
    kss = case.allocated_kss
    assert len(kss) == 5 and {4, 5, 7} <= set(kss) and set(kss) - {4, 5, 7} <= {1, 2, 3, 6, 8}
    assert case.submission_due_on == dt.date(2027, 3, 19)
    with in_scope(council):
        _portfolio(case, w)
        text = refusal(case, w, TODAY)
        assert "your practice supervisor verifies the all 10 KSS met (LINCS-08, LINCS-15)" in text
        assert "your team manager endorses the portfolio (LINCS-08, LINCS-16)" in text
        assert len(sign_all(case, signers)) == 3
        submission = services.portfolio_submit(actor=w, case=case, today=TODAY)
        case.refresh_from_db()
    assert case.status == CaseStatus.SUBMITTED
    assert submission.submit_for == "2027-04" and len(submission.manifest) == 13


def test_lincolnshire_each_allocated_kss_needs_two_case_examples(load_pack, in_scope):
    """LINCS-09, 003_beca269546173a23.txt."""
    council, p, w, case, signers = _lincs(load_pack, in_scope)
    with in_scope(council):
        _portfolio(case, w, second_case_example=False)
        sign_all(case, signers)
        text = refusal(case, w, TODAY)
    assert "Add 1 more (you have 1 of 2)" in text
    assert "(2 items for each)" in text and "(LINCS-09)" in text


def test_lincolnshire_observations_outside_the_recency_tiers(load_pack, in_scope):
    """LINCS-11, LINCS-13, CONV-04, 003_beca269546173a23.txt: 19 March 2027 less 6 months
    is 2026-09-19; an observation of 2026-05-01 is older than 9 months (2026-06-19)."""
    council, p, w, case, signers = _lincs(load_pack, in_scope)
    with in_scope(council):
        _portfolio(case, w)
        sign_all(case, signers)
        item = case.portfolios.get().items.get(title="direct-observation in January")
        services.evidence_update(actor=w, item=item,
                                 changes={"practice_on": dt.date(2026, 5, 1)})
        # Changing the item voided the sign-offs that saw it.
        text = refusal(case, w, TODAY)
    assert "2 must be dated on or after 19 June 2026 (you have 1)" in text
    assert "1 must be dated on or after 19 September 2026 (you have 0)" in text
    assert "(LINCS-11, CONV-04)" in text
    assert "an earlier sign-off was voided by a content change" in text


def test_lincolnshire_role_summary_over_200_words_is_refused(load_pack, in_scope):
    """LINCS-10, 003_beca269546173a23.txt: 200 words is a hard maximum."""
    council, p, w, case, signers = _lincs(load_pack, in_scope)
    with in_scope(council):
        _portfolio(case, w)
        item = case.portfolios.get().items.get(topic="role-summary")
        services.evidence_update(actor=w, item=item, changes={"statement": "word " * 201})
        sign_all(case, signers)
        text = refusal(case, w, TODAY)
    assert "1 item(s) over the 200-word limit: shorten it" in text


def test_lincolnshire_late_submission_names_the_next_sitting(load_pack, in_scope):
    """LINCS-17, LINCS-19, 003_beca269546173a23.txt: after the submission date the
    portfolio is refused unless the case is reopened; the next sitting is September."""
    council, p, w, case, signers = _lincs(load_pack, in_scope)
    with in_scope(council):
        _portfolio(case, w)
        sign_all(case, signers)
        text = refusal(case, w, dt.date(2027, 3, 20))
    assert "The submission date 19 March 2027 has passed" in text
    assert "LINCS-17" in text and "the next sitting, September 2027" in text


def test_lincolnshire_page_warns_what_falls_out_before_the_submission_date(load_pack,
                                                                          in_scope):
    """LINCS-11, CONV-04, 003_beca269546173a23.txt: an observation of 2026-06-01 is within
    nine months on 20 November 2026 but older than that by 19 March 2027."""
    from portfolios.selectors import portfolio_overview

    council, p, w, case, signers = _lincs(load_pack, in_scope)
    with in_scope(council):
        add(case, w, "direct-observation", "June observation", dt.date(2026, 6, 1))
        add(case, w, "direct-observation", "October observation", dt.date(2026, 10, 1))
        overview = portfolio_overview(case, TODAY)
    falls = next(f for req, _, _, f in overview.requirements if req.id == "observations")
    assert ("1 item within the last 9 months today will be older than that by 19 March 2027 "
            "(dated before 19 June 2026).") in falls
    assert not any("October" in f for f in falls)
    assert len(falls) == 2  # also out of the 6-month window by then
