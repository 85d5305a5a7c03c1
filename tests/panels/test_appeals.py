"""Appeals through the services: deadlines from the engine, independence of the appeal
panel, results and finality from the pack."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django_scopes import scope

from councils.models import Role
from panels import services
from tests.factories import MembershipFactory
from tests.panels.conftest import sign_for_listing

SITTING = dt.date(2026, 12, 18)  # a Friday before Christmas (CONV-02 example)


def _decide(p, outcome="pass", **kw):
    with scope(council=p.council):
        return services.decision_issue(actor=p.chair, sitting=p.sitting, case=p.case,
                                       outcome=outcome, decided_on=SITTING, **kw)


def test_lincolnshire_appeal_is_due_within_10_working_days_and_refused_after(panel):
    """LINCS-26, CONV-02, 003_beca269546173a23.txt: appeal in writing to the Assistant
    Director within 10 working days of the letter (received Friday 2026-12-18 -> due
    Wednesday 2027-01-06 over the bank holidays); the result is final."""
    p = panel("lincolnshire", "level-1-to-level-2", level="level-1", sitting_on=SITTING)
    decision = _decide(p, "defer", reason_code="further-work", reason_text="Training.")
    with scope(council=p.council):
        with pytest.raises(ValidationError) as error:
            services.appeal_lodge(actor=p.worker, case=p.case, decision=decision,
                                  grounds="The panel did not hear my evidence.",
                                  lodged_on=dt.date(2027, 1, 7))
        assert "6 January 2027" in str(error.value)
        appeal = services.appeal_lodge(actor=p.worker, case=p.case, decision=decision,
                                       grounds="The panel did not hear my evidence.",
                                       lodged_on=dt.date(2027, 1, 6))
        assert appeal.due_on == dt.date(2027, 1, 6)
        assert appeal.addressee_role == "assistant-director" and appeal.final is True
        director = MembershipFactory(council=p.council, roles=[Role.ASSISTANT_DIRECTOR])
        with pytest.raises(PermissionDenied):
            services.appeal_decide(actor=p.member, appeal=appeal, result="upheld",
                                   reason="x", decided_on=dt.date(2027, 1, 20))
        services.appeal_decide(actor=director, appeal=appeal, result="dismissed",
                               reason="The procedure was followed.",
                               decided_on=dt.date(2027, 1, 20))
        appeal.refresh_from_db()
        assert appeal.result == "dismissed"


def test_halton_panel_decision_appeal_has_no_deadline(panel):
    """HALTON-30, 004_5b66ca4edcf6546b.txt: appeal to the Operational Director, any grounds,
    no deadline stated and none invented."""
    p = panel("halton", "level-2-to-level-3", member_role=Role.DIVISIONAL_MANAGER,
              level="level-2", sitting_on=SITTING)
    decision = _decide(p, "defer")
    with scope(council=p.council):
        appeal = services.appeal_lodge(actor=p.worker, case=p.case, decision=decision,
                                       grounds="I disagree.", lodged_on=dt.date(2028, 6, 1))
    assert appeal.due_on is None
    assert (appeal.addressee_role, appeal.final) == ("operational-director", True)


def test_halton_manager_refusal_appeal_has_no_deadline(panel):
    """HALTON-29, 004_5b66ca4edcf6546b.txt: the worker may appeal a Principal Manager's
    refusal to the Divisional Manager, with no deadline."""
    p = panel("halton", "level-2-to-level-3", member_role=Role.DIVISIONAL_MANAGER,
              level="level-2", listed=False)
    with scope(council=p.council):
        appeal = services.appeal_lodge(actor=p.worker, case=p.case, trigger="manager-refusal",
                                       refused_on=dt.date(2026, 3, 2), grounds="Ready now.",
                                       lodged_on=dt.date(2027, 3, 2))
    assert appeal.due_on is None and appeal.decision is None
    assert appeal.addressee_role == "divisional-manager"


def test_stoke_has_no_appeal_in_policy(panel):
    """STOKE-54, 001_cfd4d7839e7e381c.txt: no appeal against the panel's decision."""
    p = panel("stoke-on-trent", "asye", chair_role=Role.PRINCIPAL_SOCIAL_WORKER,
              member_role=Role.PRINCIPAL_SOCIAL_WORKER, level="nqsw")
    decision = _decide(p, "pass")
    with scope(council=p.council), pytest.raises(ValidationError, match="not stated"):
        services.appeal_lodge(actor=p.worker, case=p.case, decision=decision,
                              grounds="x", lodged_on=SITTING)


def _nelc_decided(panel):
    p = panel("north-east-lincolnshire", "level-2-to-level-3",
              chair_role=Role.PRINCIPAL_SOCIAL_WORKER, member_role=Role.TEAM_MANAGER,
              level="level-2", listed=False, sitting_on=SITTING)
    with scope(council=p.council):
        p.case.lead_assessor = MembershipFactory(council=p.council,
                                                 roles=[Role.ADVANCED_PRACTITIONER])
        p.case.save(update_fields=["lead_assessor"])
        for element in services.route_of_case(p.case)[1].scoring.elements:
            services.score_record(actor=p.case.lead_assessor, case=p.case, element=element,
                                  score="3")
        sign_for_listing(p.case, p.case.lead_assessor)
        services.agenda_list_case(actor=p.admin, sitting=p.sitting, case=p.case)
    decision = _decide(p, "defer", reason_code="standards-not-met", reason_text="Feedback.")
    return p, decision


def test_nelc_appeal_panel_must_be_independent_of_the_case(panel):
    """NELC-44, NELC-45, NELC-46, 000_b405b76582c345ce.txt: appeal within 10 working days of
    receipt; the chair sets up a panel of a service manager, a team manager and an advanced
    practitioner within 10 working days, none involved in the case so far."""
    p, decision = _nelc_decided(panel)
    sm = MembershipFactory(council=p.council, roles=[Role.SERVICE_MANAGER])
    tm = MembershipFactory(council=p.council, roles=[Role.TEAM_MANAGER])
    ap = MembershipFactory(council=p.council, roles=[Role.ADVANCED_PRACTITIONER])
    with scope(council=p.council):
        appeal = services.appeal_lodge(actor=p.worker, case=p.case, decision=decision,
                                       grounds="The case files were not drawn at random.",
                                       lodged_on=dt.date(2027, 1, 4))
        assert appeal.due_on == dt.date(2027, 1, 6)
        assert appeal.panel_setup_due_on == dt.date(2027, 1, 18)
        assert appeal.final is None  # NELC-47: not stated
        with pytest.raises(ValidationError) as error:
            services.appeal_panel_set(actor=p.chair, appeal=appeal,
                                      members=[(sm, "service-manager"),
                                               (p.member, "team-manager"),
                                               (p.case.lead_assessor,
                                                "advanced-practitioner")],
                                      sitting_on=dt.date(2027, 1, 25))
        text = str(error.value)
        assert "NELC-46" in text and "decision panel member" in text and "lead-assessor" in text
        services.appeal_panel_set(actor=p.chair, appeal=appeal,
                                  members=[(sm, "service-manager"), (tm, "team-manager"),
                                           (ap, "advanced-practitioner")],
                                  sitting_on=dt.date(2027, 1, 25))
        services.appeal_decide(actor=sm, appeal=appeal, result="upheld",
                               reason="The draw was not random.",
                               decided_on=dt.date(2027, 1, 25))
        appeal.refresh_from_db()
        assert appeal.result == "upheld" and appeal.final is None


def test_appeal_needs_written_grounds(panel):
    p = panel("lincolnshire", "level-1-to-level-2", level="level-1", sitting_on=SITTING)
    decision = _decide(p)
    with scope(council=p.council), pytest.raises(ValidationError) as error:
        services.appeal_lodge(actor=p.worker, case=p.case, decision=decision, grounds=" ",
                              lodged_on=SITTING)
    assert "grounds" in error.value.message_dict
