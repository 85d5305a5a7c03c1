"""Case, evidence, sign-off and submission services against the councils' real packs."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from councils.models import AuditEvent
from portfolios import services
from portfolios.models import CaseStatus, EvidenceItem, Portfolio, SignOff, Submission
from portfolios.selectors import portfolio_overview
from progression.engine import Draw, replay
from tests.portfolios.conftest import pdf_upload

TODAY = dt.date(2026, 11, 20)


def _lincs_case(load_pack, people, in_scope, **record):
    council = load_pack("lincolnshire")
    p = people(council, team_tags=["fast"], level="level-1",
               registration_date=dt.date(2023, 1, 10), **record)
    with in_scope(council):
        case = services.case_open(actor=p["worker"].user, worker=p["worker"],
                                  route_slug="level-1-to-level-2", today=TODAY)
    return council, p, case


def test_lincolnshire_route_refused_outside_fast_or_cwd_teams(load_pack, people, in_scope):
    """LINCS-04, 003_beca269546173a23.txt: only FAST and CWD teams open the route."""
    council = load_pack("lincolnshire")
    p = people(council, team_tags=["cin"], level="level-1")
    with in_scope(council), pytest.raises(ValidationError) as error:
        services.case_open(actor=p["worker"].user, worker=p["worker"],
                           route_slug="level-1-to-level-2", today=TODAY)
    assert "FAST or CWD" in str(error.value)


def test_derbyshire_without_asye_needs_a_reason(load_pack, people, in_scope):
    """DERBY-09, 002_6df34af9a85cb432.txt: exceptional circumstances must be given."""
    council = load_pack("derbyshire")
    p = people(council, level="grade-9")
    with in_scope(council):
        with pytest.raises(ValidationError) as error:
            services.case_open(actor=p["worker"].user, worker=p["worker"],
                               route_slug="grade-9-to-grade-10-without-asye", today=TODAY)
        assert "exceptional circumstances" in str(error.value)
        case = services.case_open(actor=p["worker"].user, worker=p["worker"],
                                  route_slug="grade-9-to-grade-10-without-asye", today=TODAY,
                                  reason="External recruit with no ASYE available")
        assert case.status == CaseStatus.BUILDING
        assert case.opening_reason.startswith("External recruit")


def test_case_keeps_the_pack_version_it_started_under(load_pack, people, in_scope):
    council, p, case = _lincs_case(load_pack, people, in_scope)
    with in_scope(council):
        assert case.pack_version.council_id == council.pk
        assert case.pack_version.effective_from <= TODAY


def test_booking_draws_two_extra_kss_with_a_replayable_seed(load_pack, people, in_scope):
    """LINCS-06, LINCS-07, 003_beca269546173a23.txt: KSS 4, 5, 7 plus two of 1, 2, 3, 6, 8,
    drawn with a recorded seed; the booking needs LINCS-05's confirmations first."""
    council, p, case = _lincs_case(load_pack, people, in_scope)
    with in_scope(council):
        with pytest.raises(ValidationError) as error:
            services.booking_confirm(actor=p["admin"], case=case, sitting="2027-04",
                                     submission_due_on=dt.date(2027, 3, 19), seed="s1")
        assert "LINCS-05" in str(error.value)
        services.signoff_record(actor=p["line_manager"], case=case, index=0,
                                role="practice-supervisor")
        services.signoff_record(actor=p["team_manager"], case=case, index=1,
                                role="team-manager")
        with pytest.raises(PermissionDenied):
            services.booking_confirm(actor=p["worker"], case=case, sitting="2027-04",
                                     submission_due_on=dt.date(2027, 3, 19))
        services.booking_confirm(actor=p["admin"], case=case, sitting="2027-04",
                                 submission_due_on=dt.date(2027, 3, 19), seed="s1")
        case.refresh_from_db()
        assert {4, 5, 7} <= set(case.allocated_kss) and len(case.allocated_kss) == 5
        extra = set(case.allocated_kss) - {4, 5, 7}
        assert extra <= {1, 2, 3, 6, 8}
        d = case.kss_draw
        assert replay(Draw(tuple(d["pool"]), d["seed"], tuple(d["chosen"]))).chosen == tuple(
            d["chosen"])
        assert AuditEvent.objects.filter(action="case.booking_confirmed").exists()


def test_booking_refused_before_two_years_since_registration(load_pack, people, in_scope):
    """LINCS-03, 003_beca269546173a23.txt: registration + 24 months by the sitting."""
    council, p, case = _lincs_case(load_pack, people, in_scope)
    with in_scope(council):
        rec = p["worker"].career_record
        rec.registration_date = dt.date(2026, 1, 10)
        rec.save()
        services.signoff_record(actor=p["line_manager"], case=case, index=0,
                                role="practice-supervisor")
        services.signoff_record(actor=p["team_manager"], case=case, index=1,
                                role="team-manager")
        with pytest.raises(ValidationError) as error:
            services.booking_confirm(actor=p["admin"], case=case, sitting="2027-04",
                                     submission_due_on=dt.date(2027, 3, 19))
        assert "LINCS-03" in str(error.value)


def test_signoff_is_voided_when_signed_content_changes(load_pack, people, in_scope):
    council, p, case = _lincs_case(load_pack, people, in_scope)
    with in_scope(council):
        item = services.evidence_add_statement(
            actor=p["worker"], case=case, kind="written-statement", topic="role-summary",
            title="Role summary", practice_on=TODAY, statement="I lead on complex cases.")
        signoff = services.signoff_record(actor=p["line_manager"], case=case, index=3,
                                          role="practice-supervisor")
        assert signoff.voided_at is None
        voided = services.evidence_update(actor=p["worker"], item=item,
                                          changes={"statement": "Changed words."})
        signoff.refresh_from_db()
        assert [v.pk for v in voided] == [signoff.pk]
        assert signoff.voided_at is not None and "Role summary" in signoff.void_reason
        assert AuditEvent.objects.filter(action="signoff.voided").count() == 1


def test_unchanged_update_keeps_the_signoff(load_pack, people, in_scope):
    council, p, case = _lincs_case(load_pack, people, in_scope)
    with in_scope(council):
        item = services.evidence_add_statement(
            actor=p["worker"], case=case, kind="written-statement", topic="role-summary",
            title="Role summary", practice_on=TODAY, statement="Same words.")
        signoff = services.signoff_record(actor=p["line_manager"], case=case, index=3,
                                          role="practice-supervisor")
        assert services.evidence_update(actor=p["worker"], item=item,
                                        changes={"statement": "Same words."}) == []
        signoff.refresh_from_db()
        assert signoff.voided_at is None


def test_hr_and_strangers_cannot_sign(load_pack, people, in_scope):
    council, p, case = _lincs_case(load_pack, people, in_scope)
    with in_scope(council):
        for who in ("hr", "stranger", "worker"):
            with pytest.raises(PermissionDenied):
                services.signoff_record(actor=p[who], case=case, index=0,
                                        role="practice-supervisor")


def test_statement_words_are_counted(load_pack, people, in_scope):
    council, p, case = _lincs_case(load_pack, people, in_scope)
    with in_scope(council):
        item = services.evidence_add_statement(
            actor=p["worker"], case=case, kind="written-statement", topic="role-summary",
            title="Role", practice_on=TODAY, statement="One two three — four.")
        assert item.words == 4


def test_evidence_kind_must_be_one_the_route_asks_for(load_pack, people, in_scope):
    council, p, case = _lincs_case(load_pack, people, in_scope)
    with in_scope(council), pytest.raises(ValidationError) as error:
        services.evidence_add_statement(actor=p["worker"], case=case, kind="presentation",
                                        title="x", practice_on=TODAY, statement="x")
    assert "kind" in error.value.message_dict


def test_submission_refused_without_a_booking_and_incomplete(load_pack, people, in_scope):
    """LINCS-17, 003_beca269546173a23.txt: submission to a booked sitting, complete."""
    council, p, case = _lincs_case(load_pack, people, in_scope)
    with in_scope(council), pytest.raises(ValidationError) as error:
        services.portfolio_submit(actor=p["worker"], case=case, today=TODAY)
    text = " ".join(error.value.messages)
    assert "No sitting is booked" in text
    assert "Practice observations on the standard practice observation form (LINCS-11, " in text
    assert "Sign-off missing: your team manager endorses the portfolio" in text
    assert not Submission.objects.exists()


def test_derbyshire_submission_after_window_is_refused(load_pack, people, in_scope):
    """DERBY-22, 002_6df34af9a85cb432.txt: 15 January, 15 May, 15 September."""
    council = load_pack("derbyshire")
    p = people(council, level="grade-10")
    with in_scope(council):
        case = services.case_open(actor=p["worker"].user, worker=p["worker"],
                                  route_slug="grade-10-to-grade-11", today=TODAY)
        services.intended_submission_set(actor=p["worker"], case=case,
                                         on=dt.date(2027, 1, 15), today=TODAY)
        case.refresh_from_db()
        with pytest.raises(ValidationError) as error:
            services.portfolio_submit(actor=p["worker"], case=case, today=dt.date(2027, 1, 16))
        text = " ".join(error.value.messages)
        assert "15 January 2027 has passed; the next is 15 May 2027" in text
        assert "DERBY-05" in text or "anonymised" in text


def test_intended_window_must_be_a_pack_window(load_pack, people, in_scope):
    council = load_pack("derbyshire")
    p = people(council, level="grade-10")
    with in_scope(council):
        case = services.case_open(actor=p["worker"].user, worker=p["worker"],
                                  route_slug="grade-10-to-grade-11", today=TODAY)
        with pytest.raises(ValidationError):
            services.intended_submission_set(actor=p["worker"], case=case,
                                             on=dt.date(2027, 1, 16), today=TODAY)


def test_nelc_expression_of_intent_in_order(load_pack, people, in_scope):
    """NELC-23, NELC-24, NELC-25, 000_b405b76582c345ce.txt: worker writes, line manager
    supports (or declines with reasons), team manager approves; due in 6 months."""
    council = load_pack("north-east-lincolnshire")
    p = people(council, level="level-2", qualification_date=dt.date(2020, 6, 1))
    with in_scope(council):
        with pytest.raises(ValidationError):
            services.case_open(actor=p["worker"].user, worker=p["worker"],
                               route_slug="level-2-to-level-3", today=TODAY)
        case = services.case_open(actor=p["worker"].user, worker=p["worker"],
                                  route_slug="level-2-to-level-3", today=TODAY,
                                  statement="I am ready to progress.")
        assert case.status == CaseStatus.AWAITING_SUPPORT
        assert not Portfolio.objects.filter(case=case).exists()
        with pytest.raises(ValidationError, match="awaiting support"):
            services.eoi_approve(actor=p["team_manager"], case=case, today=TODAY)  # order
        with pytest.raises(PermissionDenied):
            services.eoi_support(actor=p["stranger"], case=case)
        with pytest.raises(ValidationError):
            services.eoi_decline(actor=p["line_manager"], case=case, reasons=" ")
        services.eoi_decline(actor=p["line_manager"], case=case,
                             reasons="More complex casework first.")
        case.refresh_from_db()
        assert case.status == CaseStatus.DECLINED
        services.eoi_submit(actor=p["worker"], case=case, statement="Ready now.")
        services.eoi_support(actor=p["line_manager"], case=case, reasons="Agreed.")
        services.eoi_approve(actor=p["team_manager"], case=case, today=TODAY)
        case.refresh_from_db()
        assert case.status == CaseStatus.BUILDING
        assert case.expression_of_intent.portfolio_due_on == dt.date(2027, 5, 20)
        assert Portfolio.objects.filter(case=case, number=1, is_current=True).exists()


def test_nelc_lead_assessor_and_random_case_files(load_pack, people, in_scope):
    """NELC-26, NELC-28, 000_b405b76582c345ce.txt: an advanced practitioner leads and draws
    three case files at random, excluding the worker's two."""
    council = load_pack("north-east-lincolnshire")
    p = people(council, level="level-2")
    with in_scope(council):
        case = services.case_open(actor=p["worker"].user, worker=p["worker"],
                                  route_slug="level-2-to-level-3", today=TODAY, statement="x")
        with pytest.raises(ValidationError):
            services.lead_assessor_appoint(actor=p["admin"], case=case,
                                           assessor=p["line_manager"])
        services.lead_assessor_appoint(actor=p["admin"], case=case, assessor=p["ap"])
        case.refresh_from_db()
        with pytest.raises(PermissionDenied):
            services.case_files_draw(actor=p["line_manager"], case=case,
                                     caseload=["A", "B"], worker_chosen=["A", "B"])
        caseload = [f"M{n}" for n in range(10)]
        d = services.case_files_draw(actor=p["ap"], case=case, caseload=caseload,
                                     worker_chosen=["M1", "M2"], seed="abc")
        assert len(d.chosen) == 3 and not {"M1", "M2"} & set(d.chosen)
        assert replay(d).chosen == d.chosen


def test_return_opens_a_new_version_and_keeps_the_old(load_pack, people, in_scope):
    council = load_pack("halton")
    p = people(council, level="level-2")
    with in_scope(council):
        case = services.case_open(actor=p["worker"].user, worker=p["worker"],
                                  route_slug="level-3-to-level-4", today=TODAY)
        case.status = CaseStatus.SUBMITTED  # set directly: the Halton L3->L4 pack needs many
        case.save()                        # principal-manager items this test is not about
        old = Portfolio.objects.get(case=case)
        Submission.objects.create(council=council, portfolio=old, number=1, manifest=[],
                                  manifest_digest="0" * 64, submit_for="2027-01",
                                  submitted_by=p["worker"].user)
        with pytest.raises(PermissionDenied):
            services.portfolio_return(actor=p["worker"], case=case, reason="x")
        new = services.portfolio_return(actor=p["admin"], case=case, reason="Adjourned")
        assert new.number == 2 and new.is_current
        old.refresh_from_db()
        assert not old.is_current and old.submission.return_reason == "Adjourned"


def test_removed_items_are_not_counted(load_pack, people, in_scope):
    council, p, case = _lincs_case(load_pack, people, in_scope)
    with in_scope(council):
        item = services.evidence_add_file(actor=p["worker"], case=case, upload=pdf_upload(),
                                          kind="appraisal", title="Appraisal",
                                          practice_on=TODAY)
        services.evidence_remove(actor=p["worker"], item=item)
        overview = portfolio_overview(case, TODAY)
        assert overview.items == []
        assert EvidenceItem.objects.filter(pk=item.pk, removed_at__isnull=False).exists()
        assert SignOff.objects.count() == 0


def test_readiness_before_booking_is_not_voided_by_later_evidence(load_pack, people, in_scope):
    """LINCS-05, 003_beca269546173a23.txt: the readiness confirmations are about the worker,
    given before the portfolio exists; adding evidence later does not void them."""
    council, p, case = _lincs_case(load_pack, people, in_scope)
    with in_scope(council):
        readiness = services.signoff_record(actor=p["team_manager"], case=case, index=1,
                                            role="team-manager")
        services.evidence_add_statement(
            actor=p["worker"], case=case, kind="appraisal", title="Appraisal",
            practice_on=TODAY, statement="Appraisal text.")
        readiness.refresh_from_db()
        assert readiness.voided_at is None and not readiness.covers_content
