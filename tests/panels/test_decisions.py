"""Decisions through the services: each council's outcome rules, effects, immutability,
corrections and the PDF record."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django_scopes import scope

from councils.models import AuditEvent, Role
from panels import services
from panels.models import Decision, DecisionRecord, PayChange, PayChangeStatus
from portfolios.models import CaseStatus, ProgressionCase
from progression.models import CareerRecord
from tests.factories import MembershipFactory
from tests.panels.conftest import sign_for_listing

SITTING = dt.date(2026, 9, 15)


def _issue(p, outcome, **kw):
    with scope(council=p.council):
        return services.decision_issue(actor=p.chair, sitting=p.sitting, case=p.case,
                                       outcome=outcome, decided_on=SITTING, **kw)


def test_lincolnshire_pass_moves_to_level_2_at_scp_25_from_the_sitting_date(panel):
    """LINCS-24, LINCS-25, 003_beca269546173a23.txt: endorsement moves the worker to a level 2
    post at SCP 25 (G9), effective on the date the evidence was presented at the panel."""
    p = panel("lincolnshire", "level-1-to-level-2", level="level-1")
    decision = _issue(p, "pass")
    with scope(council=p.council):
        change = PayChange.objects.get(decision=decision)
        record = CareerRecord.objects.get(membership=p.worker)
        assert (change.to_level, change.pay_point, change.grade) == ("level-2", "SCP 25", "G9")
        assert change.effective_on == SITTING
        assert change.status == PayChangeStatus.READY
        assert (record.current_level, record.spinal_column_point, record.grade_label) == (
            "level-2", "SCP 25", "G9")
        assert AuditEvent.objects.filter(action="decision.issued",
                                         object_id=str(decision.pk)).exists()
        assert [t["slug"] for t in decision.tasks] == [
            "notify-team-manager", "bwon-amend-position", "bwon-contractual-change"]


def test_lincolnshire_defer_needs_the_recommended_further_work_and_returns_the_portfolio(
        panel):
    """LINCS-22, 003_beca269546173a23.txt: a deferral records the recommended further work;
    the portfolio goes back to the worker for a later sitting."""
    p = panel("lincolnshire", "level-1-to-level-2", level="level-1")
    with pytest.raises(ValidationError) as error:
        _issue(p, "defer")
    assert "reason_code" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        _issue(p, "defer", reason_code="further-work")
    assert "reason_text" in error.value.message_dict
    _issue(p, "defer", reason_code="further-work", reason_text="Shadow a CP conference.")
    with scope(council=p.council):
        case = ProgressionCase.objects.get(pk=p.case.pk)
        assert case.status == CaseStatus.BUILDING
        assert not PayChange.objects.exists()
        assert CareerRecord.objects.get(membership=p.worker).current_level == "level-1"


def test_nelc_pass_is_approved_awaiting_a_vacancy_with_review_after_18_months(panel):
    """NELC-40, 000_b405b76582c345ce.txt: level 3 is entered only into a vacancy; the pass
    creates "approved, awaiting vacancy", reviewed if unplaced 18 months after the panel."""
    p = panel("north-east-lincolnshire", "level-2-to-level-3",
              chair_role=Role.PRINCIPAL_SOCIAL_WORKER, member_role=Role.TEAM_MANAGER,
              level="level-2", listed=False)
    with scope(council=p.council):
        p.case.lead_assessor = p.member
        p.case.save(update_fields=["lead_assessor"])
        route = services.route_of_case(p.case)[1]
        for element in route.scoring.elements:
            services.score_record(actor=p.member, case=p.case, element=element, score="3")
        sign_for_listing(p.case, p.member)
        services.agenda_list_case(actor=p.admin, sitting=p.sitting, case=p.case)
    decision = _issue(p, "pass")
    with scope(council=p.council):
        change = PayChange.objects.get(decision=decision)
        assert change.status == PayChangeStatus.AWAITING_VACANCY
        assert change.effective_on is None and change.pay_point == "JE 37"
        assert decision.awaiting_vacancy and decision.vacancy_review_on == dt.date(2028, 3, 15)
        assert CareerRecord.objects.get(membership=p.worker).current_level == "level-2"
        services.pay_change_set_effective_date(actor=p.hr, pay_change=change,
                                               on=dt.date(2027, 1, 4))
        assert CareerRecord.objects.get(membership=p.worker).current_level == "level-3"


def test_nelc_case_is_not_listed_before_every_element_is_scored(panel):
    """NELC-36, 000_b405b76582c345ce.txt: the lead assessor scores every element before the
    case can be listed."""
    p = panel("north-east-lincolnshire", "level-2-to-level-3",
              chair_role=Role.PRINCIPAL_SOCIAL_WORKER, member_role=Role.TEAM_MANAGER,
              level="level-2", listed=False)
    with scope(council=p.council), pytest.raises(ValidationError) as error:
        services.agenda_list_case(actor=p.admin, sitting=p.sitting, case=p.case)
    assert "Not yet scored (NELC-36)" in error.value.messages[0]


def test_nelc_defer_allows_a_new_application_three_months_after_the_decision(panel):
    """NELC-42, 000_b405b76582c345ce.txt: the worker may apply again once three months have
    elapsed from the decision (2026-11-30 -> 2027-02-28, CONV-01)."""
    p = panel("north-east-lincolnshire", "level-2-to-level-3",
              chair_role=Role.PRINCIPAL_SOCIAL_WORKER, member_role=Role.TEAM_MANAGER,
              level="level-2", listed=False, sitting_on=dt.date(2026, 11, 30))
    with scope(council=p.council):
        p.case.lead_assessor = p.member
        p.case.save(update_fields=["lead_assessor"])
        for element in services.route_of_case(p.case)[1].scoring.elements:
            services.score_record(actor=p.member, case=p.case, element=element, score="2")
        sign_for_listing(p.case, p.member)
        services.agenda_list_case(actor=p.admin, sitting=p.sitting, case=p.case)
        decision = services.decision_issue(
            actor=p.chair, sitting=p.sitting, case=p.case, outcome="defer",
            reason_code="standards-not-met", reason_text="Observation 2 not at level 3.",
            decided_on=dt.date(2026, 11, 30))
    assert decision.reapply_from == dt.date(2027, 2, 28)


def test_halton_pass_needs_a_progression_request(panel):
    """HALTON-06, 004_5b66ca4edcf6546b.txt: the full pass (level 3, SCP 28) is only possible
    when progression was requested."""
    p = panel("halton", "asye", member_role=Role.DIVISIONAL_MANAGER, level="level-1")
    with pytest.raises(ValidationError) as error:
        _issue(p, "pass")
    assert "HALTON-06" in str(error.value)


def test_halton_pass_with_progression_request_goes_to_level_3_at_scp_28(panel):
    """HALTON-06, HALTON-28, 004_5b66ca4edcf6546b.txt: pass -> level 3 at SCP 28; the
    effective date is not stated, so HR must enter it before export."""
    p = panel("halton", "asye", member_role=Role.DIVISIONAL_MANAGER, level="level-1",
              flags=("progression-requested",))
    decision = _issue(p, "pass")
    with scope(council=p.council):
        change = PayChange.objects.get(decision=decision)
        assert (change.to_level, change.pay_point, change.grade) == ("level-3", "SCP 28",
                                                                     "HBC 8")
        assert change.status == PayChangeStatus.AWAITING_DATE and change.effective_on is None
        assert change.assigned_roles == ["divisional-manager"]
        assert CareerRecord.objects.get(membership=p.worker).asye_completed == SITTING


def test_halton_pass_asye_only_needs_a_reason_only_with_a_progression_request(panel):
    """HALTON-07, HALTON-08, 004_5b66ca4edcf6546b.txt: without a progression request
    pass-asye-only (level 2, SCP 25) needs no reason; with one, consolidation or the
    worker's request must be given with the reasons written."""
    plain = panel("halton", "asye", member_role=Role.DIVISIONAL_MANAGER, level="level-1")
    decision = _issue(plain, "pass-asye-only")
    assert (decision.to_level, decision.pay_point) == ("level-2", "SCP 25")
    requested = panel("halton", "asye", member_role=Role.DIVISIONAL_MANAGER, level="level-1",
                      flags=("progression-requested",))
    with pytest.raises(ValidationError) as error:
        _issue(requested, "pass-asye-only")
    assert "HALTON-07" in str(error.value)
    decision = _issue(requested, "pass-asye-only", reason_code="consolidation",
                      reason_text="Areas for development: court work.")
    assert decision.reason_code == "consolidation"


def test_stoke_fail_refused_before_the_referral_concludes(panel):
    """STOKE-49, 001_cfd4d7839e7e381c.txt: a fail cannot be issued until the independent
    Strategic Manager's conclusion on a referral is recorded."""
    p = panel("stoke-on-trent", "asye", chair_role=Role.PRINCIPAL_SOCIAL_WORKER,
              member_role=Role.PRINCIPAL_SOCIAL_WORKER, level="nqsw")
    with pytest.raises(ValidationError) as error:
        _issue(p, "fail")
    assert "STOKE-49" in str(error.value)
    referral = _issue(p, "refer")
    with pytest.raises(ValidationError) as error:
        _issue(p, "fail")
    assert "conclusion" in str(error.value)
    with scope(council=p.council):
        services.referral_conclude(actor=p.chair, decision=referral,
                                   conclusion="Standards not met.",
                                   concluded_on=dt.date(2026, 10, 1))
    decision = _issue(p, "fail")
    assert [t["slug"] for t in decision.tasks] == ["capability-procedure",
                                                  "consider-regulator-referral"]
    with scope(council=p.council):
        assert list(Decision.objects.filter(case=p.case, is_current=True)) == [decision]


def test_stoke_pass_changes_the_level_without_a_pay_change(panel):
    """STOKE-51, 001_cfd4d7839e7e381c.txt: pass moves the worker to social-worker; pay is not
    stated, so no pay change is created."""
    p = panel("stoke-on-trent", "asye", chair_role=Role.PRINCIPAL_SOCIAL_WORKER,
              member_role=Role.PRINCIPAL_SOCIAL_WORKER, level="nqsw")
    _issue(p, "pass")
    with scope(council=p.council):
        assert not PayChange.objects.exists()
        assert CareerRecord.objects.get(membership=p.worker).current_level == "social-worker"


def test_derbyshire_decision_refused_before_iqap_and_eqap(panel):
    """DERBY-06, 002_6df34af9a85cb432.txt: a decision is issued only after both IQAP and
    then EQAP are recorded; EQAP cannot be recorded before IQAP."""
    p = panel("derbyshire", "asye", member_role=Role.LEARNING_AND_DEVELOPMENT,
              chair_role=Role.LEARNING_AND_DEVELOPMENT, level="grade-9", listed=False)
    qa = MembershipFactory(council=p.council, roles=[Role.LEARNING_AND_DEVELOPMENT])
    with scope(council=p.council):
        with pytest.raises(ValidationError) as error:
            services.agenda_list_case(actor=p.admin, sitting=p.sitting, case=p.case)
        assert "DERBY-06" in error.value.messages[0]
        with pytest.raises(ValidationError) as error:
            services.qa_record(actor=qa, case=p.case, stage="eqap")
        assert "iqap" in str(error.value)
        services.qa_record(actor=qa, case=p.case, stage="iqap")
        services.qa_record(actor=qa, case=p.case, stage="eqap")
        services.agenda_list_case(actor=p.admin, sitting=p.sitting, case=p.case)
    decision = _issue(p, "pass")
    with scope(council=p.council):
        change = PayChange.objects.get(decision=decision)
        assert (change.grade, change.pay_point, change.status) == (
            "Grade 10", "Grade 10", PayChangeStatus.AWAITING_DATE)
        assert change.assigned_roles == ["service-manager"]


def test_only_the_chair_issues_decisions(panel):
    p = panel("lincolnshire", "level-1-to-level-2", level="level-1")
    with scope(council=p.council), pytest.raises(PermissionDenied):
        services.decision_issue(actor=p.member, sitting=p.sitting, case=p.case,
                                outcome="pass", decided_on=SITTING)


def test_an_issued_decision_is_not_issued_twice_and_a_correction_supersedes_it(panel):
    p = panel("lincolnshire", "level-1-to-level-2", level="level-1")
    first = _issue(p, "pass")
    with pytest.raises(ValidationError, match="correct it instead"):
        _issue(p, "pass")
    with scope(council=p.council):
        with pytest.raises(ValidationError):
            services.decision_correct(actor=p.chair, decision=first, outcome="defer",
                                      reason_code="further-work", reason_text="x",
                                      correction_reason="", decided_on=SITTING)
        new = services.decision_correct(
            actor=p.chair, decision=first, outcome="defer", reason_code="further-work",
            reason_text="Shadowing.", correction_reason="Recorded against the wrong case.",
            decided_on=SITTING)
        first.refresh_from_db()
        assert not first.is_current and first.outcome == "pass"
        assert new.supersedes == first and new.is_current
        assert PayChange.objects.get(decision=first).status == PayChangeStatus.CANCELLED
        assert CareerRecord.objects.get(membership=p.worker).current_level == "level-1"
        assert AuditEvent.objects.filter(action="decision.corrected").count() == 1


def test_the_database_allows_one_current_decision_per_case(panel):
    p = panel("lincolnshire", "level-1-to-level-2", level="level-1")
    first = _issue(p, "pass")
    with scope(council=p.council), pytest.raises(IntegrityError), transaction.atomic():
        first.pk = None
        first.save()


def test_the_decision_record_is_rendered_as_pdf_after_commit(panel,
                                                              django_capture_on_commit_callbacks):
    p = panel("lincolnshire", "level-1-to-level-2", level="level-1")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        decision = _issue(p, "pass")
        with scope(council=p.council):
            assert not DecisionRecord.objects.get(decision=decision).is_rendered
    assert callbacks  # queued, not run, until commit
    for callback in callbacks:
        callback()
    with scope(council=p.council):
        record = DecisionRecord.objects.get(decision=decision)
        data = record.file.read()
    assert data.startswith(b"%PDF")
    assert len(record.sha256) == 64
