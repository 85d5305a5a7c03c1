"""Derbyshire's rule pack: rules that no scenario `ask` reaches, checked on the loaded pack.

Seed: 002_6df34af9a85cb432.txt. The scenario files under
councils/rulepacks/scenarios/derbyshire/ cover eligibility (12 months pro rata, lapsed
registration, exceptional-circumstance reason, grade 10), the submission dates and soft
deadline, decision effects, the absence of an appeal rule and the checklists. These tests pin
the workflow configuration (sign-offs, QA stages, validation meeting, notifications, payroll
tasks, timers, the advisory allocation matrix) against domain.md section 4.3.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from pydantic import BaseModel

from councils.rules.loader import load_pack_file
from councils.rules.schema import Ruled
from progression.engine.allocation import matrix_row
from progression.engine.calendar import escalations_due, notification_deadlines
from progression.engine.outcomes import appeal_due, outcome_problems
from progression.engine.record import PersonRecord

PACK_PATH = Path(__file__).resolve().parents[2] / "councils" / "rulepacks" / "derbyshire.yaml"
ASYE, WITHOUT, G11 = "asye", "grade-9-to-grade-10-without-asye", "grade-10-to-grade-11"


@pytest.fixture(scope="module")
def pack():
    return load_pack_file(PACK_PATH)


def _referenced_rule_ids(node, seen: set[str]) -> set[str]:
    if isinstance(node, Ruled):
        seen.update(node.rules)
    if isinstance(node, BaseModel):
        for name in type(node).model_fields:
            _referenced_rule_ids(getattr(node, name), seen)
    elif isinstance(node, list):
        for v in node:
            _referenced_rule_ids(v, seen)
    elif isinstance(node, dict):
        for v in node.values():
            _referenced_rule_ids(v, seen)
    return seen


def test_every_derbyshire_rule_is_catalogued_once_and_placed(pack):
    """DERBY-01..31, 002_6df34af9a85cb432.txt: each rule is in the catalogue once and named
    by at least one pack element (DERBY-15 also appears as guidance text)."""
    expected = [f"DERBY-{n:02d}" for n in range(1, 32)]
    assert pack.rule_ids() == expected
    placed = _referenced_rule_ids(pack.model_copy(update={"rules": []}), set())
    assert set(expected) - placed == {"DERBY-15"}
    assert sum("DERBY-15" in g for g in pack.route(G11).guidance) == 3


def test_levels_are_grades_8_to_12_with_pcf_levels_and_grade_pay(pack):
    """DERBY-29, 002_6df34af9a85cb432.txt (Appendix 2): grade 9 ASYE, 10 Social worker,
    11 Experienced, 12 Advanced; the seed gives no SCPs, so pay is the grade."""
    got = {lv.slug: (lv.pcf_level, lv.pay.text()) for lv in pack.levels}
    assert got == {
        "grade-8": (None, "Grade 8"),
        "grade-9": ("asye", "Grade 9"),
        "grade-10": ("social-worker", "Grade 10"),
        "grade-11": ("experienced", "Grade 11"),
        "grade-12": ("advanced", "Grade 12"),
    }
    assert [(r.slug, r.from_level, r.to_level) for r in pack.routes] == [
        (ASYE, "grade-9", "grade-10"), (WITHOUT, "grade-9", "grade-10"),
        (G11, "grade-10", "grade-11")]


def test_asye_submission_needs_assessor_line_manager_and_group_manager(pack):
    """DERBY-01, DERBY-03, 002_6df34af9a85cb432.txt, ASYE Submission: the line manager
    recommends; assessor and line manager sign; the group manager acknowledges."""
    got = {(s.role, s.action) for s in pack.route(ASYE).signoffs if s.blocks == "submission"}
    assert got == {("line-manager", "recommends"), ("assessor", "signs"),
                   ("line-manager", "signs"), ("group-manager", "acknowledges")}


def test_asye_portfolio_needs_the_anonymisation_attestation(pack):
    """DERBY-05, 002_6df34af9a85cb432.txt: portfolios must be fully anonymised."""
    (portfolio,) = pack.route(ASYE).evidence
    assert portfolio.kind == "asye-portfolio" and portfolio.anonymisation_attestation


def test_asye_qa_is_iqap_then_eqap_and_pass_waits_for_it(pack):
    """DERBY-06, 002_6df34af9a85cb432.txt: IQAP then EQAP; a decision only after QA."""
    route = pack.route(ASYE)
    assert [(q.slug, q.order, q.blocking) for q in route.qa_stages] == [
        ("iqap", 1, True), ("eqap", 2, True)]
    assert outcome_problems(pack, ASYE, "pass", qa_recorded=False)[0].code == "qa-not-recorded"
    assert outcome_problems(pack, ASYE, "pass", qa_recorded=True) == []


def test_asye_pass_emails_three_roles_and_service_manager_adjusts_payroll(pack):
    """DERBY-07, DERBY-08, 002_6df34af9a85cb432.txt: L&D e-mails the worker, service manager
    and group manager; the service manager adjusts payroll; L&D updates Skills for Care."""
    (note,) = notification_deadlines(pack, ASYE, "decision-pass", dt.date(2026, 6, 10))
    assert note.notifier_role == "learning-and-development"
    assert note.recipients == ["social-worker", "service-manager", "group-manager"]
    assert note.due is None
    effect = pack.route(ASYE).outcome("pass").effect
    assert effect.pay_change_assigned_to == ["service-manager"]
    assert {t.slug: t.roles for t in effect.tasks} == {
        "payroll-adjustment": ["service-manager"],
        "skills-for-care-portal": ["learning-and-development"]}
    assert effect.records == ["asye-completed", "certificate"]


def test_route_without_asye_needs_a_reason_cpd_record_and_two_verifications(pack):
    """DERBY-09, DERBY-10, DERBY-12, 002_6df34af9a85cb432.txt: exceptional circumstances
    (e.g. Return to Social Work); the CPD Record; group and line managers verify it."""
    route = pack.route(WITHOUT)
    assert route.opening.reason_required
    assert "exceptional circumstances" in route.opening.reason_label
    assert "Return to Social Work" in route.opening.reason_label
    assert [e.kind for e in route.evidence] == ["cpd-record"]
    verifies = {s.role for s in route.signoffs if s.action == "verifies"}
    assert verifies == {"group-manager", "line-manager"}


def test_route_without_asye_has_one_internal_qa_meeting_and_no_eqap(pack):
    """DERBY-11, 002_6df34af9a85cb432.txt: internal QA by L&D at a QA meeting."""
    route = pack.route(WITHOUT)
    assert [q.slug for q in route.qa_stages] == ["internal-qa-meeting"]
    assert route.qa_stages[0].roles == ["learning-and-development"]
    assert route.outcome("pass").effect.pay_change_assigned_to == ["service-manager"]


def test_grade_11_portfolio_checked_by_service_and_group_managers(pack):
    """DERBY-21, 002_6df34af9a85cb432.txt: both check it; the two-week soft deadline warns."""
    route = pack.route(G11)
    assert {(s.role, s.action) for s in route.signoffs} == {
        ("service-manager", "checks"), ("group-manager", "checks")}
    soft = route.calendar.soft_deadline
    assert (soft.before.days, soft.to_role, soft.blocking) == (14, "group-manager", False)


def test_grade_11_submission_goes_to_service_manager_group_manager_and_psw(pack):
    """DERBY-23, 002_6df34af9a85cb432.txt, Appendix 1."""
    (note,) = notification_deadlines(pack, G11, "submitted", dt.date(2027, 1, 15))
    assert note.recipients == ["service-manager", "group-manager", "principal-social-worker"]


def test_grade_11_qa_by_psw_learning_and_development_or_quality_team(pack):
    """DERBY-24, 002_6df34af9a85cb432.txt: one QA stage, recorded by any of the three."""
    (qa,) = pack.route(G11).qa_stages
    assert qa.slug == "psw-qa"
    assert qa.roles == ["principal-social-worker", "learning-and-development", "quality-team"]


def test_validation_meeting_after_qa_with_optional_service_manager(pack):
    """DERBY-25, 002_6df34af9a85cb432.txt: after QA, "not an interview"; the social worker,
    PSW and group manager, plus the service manager if the worker wishes."""
    panel = pack.route(G11).panel
    members = {(m.role, m.optional) for m in panel.members}
    assert members == {("social-worker", False), ("principal-social-worker", False),
                       ("group-manager", False), ("service-manager", True)}
    assert "not an interview" in panel.name
    assert any("QA recorded" in x for x in panel.listing_requires)


def test_psw_approves_grade_11_and_service_manager_makes_sap_change_and_stores_file(pack):
    """DERBY-26, DERBY-27, 002_6df34af9a85cb432.txt."""
    o = pack.route(G11).outcome("pass")
    assert o.decided_by == "principal-social-worker"
    assert o.effect.pay_change_assigned_to == ["service-manager"]
    assert {t.slug for t in o.effect.tasks} == {"sap-adjustment", "store-portfolio"}
    assert outcome_problems(pack, G11, "pass", qa_recorded=False)[0].code == "qa-not-recorded"


def test_no_route_has_an_appeal(pack):
    """DERBY-07, DERBY-26 (section 7 gap), 002_6df34af9a85cb432.txt: no appeal rule is stated."""
    for route in pack.routes:
        assert route.appeals == [] and "appeals" in route.not_stated
        assert appeal_due(pack, route.slug, dt.date(2026, 12, 18)) is None


def test_reasonable_period_timers_are_unset_and_never_fire(pack):
    """DERBY-13, DERBY-28, 002_6df34af9a85cb432.txt: "a reasonable period" is not stated, so
    time at grade is reported and no escalation fires."""
    by_slug = {e.slug: e for e in pack.escalations}
    assert set(by_slug) == {"grade-9-reasonable-period", "grade-10-reasonable-period"}
    for esc in by_slug.values():
        assert esc.trigger == "reasonable-period" and esc.after is None
        assert "after" in esc.not_stated
    person = PersonRecord(qualified_on=dt.date(2015, 7, 1), level="grade-9")
    assert all(not e.fired and e.due_on is None
               for e in escalations_due(pack, person, dt.date(2030, 1, 1)))


def test_grade_11_guidance_lists_the_indicative_skills(pack):
    """DERBY-15, 002_6df34af9a85cb432.txt: the indicative skills are guidance, not evidence."""
    text = " ".join(pack.route(G11).guidance)
    for skill in ("leadership", "court work", "AMHP", "BIA", "shadowing"):
        assert skill in text
    assert all(e.kind != "guidance" for e in pack.route(G11).evidence)


def test_allocation_matrix_is_advisory_and_shows_the_own_grade_row(pack):
    """DERBY-29, DERBY-30, 002_6df34af9a85cb432.txt, Appendix 2: advisory, six categories,
    grades 8-11 only (grade 12 has no row); an empty cell stays empty."""
    m = pack.allocation_matrix
    assert m.advisory and m.shows == "own-level-row"
    assert [c.slug for c in m.categories] == [
        "safeguarding", "mental-capacity", "funding", "risk-assessments",
        "assessment-and-planning", "specialist-roles"]
    for c in m.categories:
        assert list(c.levels) == ["grade-11", "grade-10", "grade-9", "grade-8"]
    row9 = matrix_row(pack, "grade-9")
    assert row9["safeguarding"] == ["contributing to enquiries", "predictable risk"]
    assert row9["assessment-and-planning"] == []
    assert row9["funding"] == ["medium cost stable"]
    assert matrix_row(pack, "grade-12") == {}
    assert matrix_row(pack, "grade-11")["specialist-roles"] == [
        "NRPF: Human Rights Assessment", "BIA", "AMHP", "prisons", "sensory", "MARAC",
        "mental health hospitals"]
    assert len(m.complexity_questions) == 7


def test_grade_8_scp_in_the_matrix_means_social_care_practitioner(pack):
    """DERBY-29, 002_6df34af9a85cb432.txt: "Grade 8 SCP" is Social Care Practitioner, not a
    spinal column point."""
    assert pack.level("grade-8").title == "Grade 8 Social Care Practitioner"
    assert pack.level("grade-8").pay.scheme == "grade"


def test_concerns_are_escalated_at_once_and_recorded_without_a_timer(pack):
    """DERBY-31, 002_6df34af9a85cb432.txt: advice through supervision and reviews; concerns are
    "escalated immediately" and recorded in supervision notes. The rule sits with the advisory
    allocation matrix and no escalation timer is invented for it."""
    matrix = pack.allocation_matrix
    assert "DERBY-31" in matrix.rules and matrix.advisory
    assert not any("DERBY-31" in e.rules for e in pack.escalations)
    entry = next(e for e in pack.rules if e.id == "DERBY-31")
    assert "no timer" in entry.note
