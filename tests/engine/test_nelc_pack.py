"""North East Lincolnshire's rule pack: the rules no scenario `ask` can reach, and the engine
additions made for them (checklist signatories and the 12-month-review milestone, the
part-time length rule, Expression of Intent timers, evidence retention, appeal-panel
independence).

Seed: 000_b405b76582c345ce.txt. Dates are worked by hand from domain.md section 4.1 and the
shared conventions CONV-01/CONV-02.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from councils.rules.loader import StrictBoolLoader, load_pack_file, parse_pack
from progression.engine import (
    allocation,
    appeal_due,
    appeal_panel_conflicts,
    appeal_panel_setup_due,
    asye_timeline,
    attendance_status,
    checklist,
    decision_effect,
    eoi_schedule,
    evidence_locked,
    in_induction,
    random_case_draw,
    replay,
    route_eligibility,
    supervision_due_on,
)
from progression.engine.checklist import milestone_on, requirement_status
from progression.engine.record import AsyeRecord, EvidenceItem, HoursEntry, PersonRecord
from progression.engine.scenarios import run_files

PACK_PATH = Path(__file__).resolve().parents[2] / "councils/rulepacks/north-east-lincolnshire.yaml"
SCENARIOS = PACK_PATH.parent / "scenarios/north-east-lincolnshire"
L3 = "level-2-to-level-3"
D = dt.date


@pytest.fixture(scope="module")
def pack():
    return load_pack_file(PACK_PATH)


def _variant(**programme_changes):
    """The NELC pack with changes to the asye route's programme (for engine behaviour)."""
    data = yaml.load(PACK_PATH.read_text(), Loader=StrictBoolLoader)  # noqa: S506 (safe loader)
    prog = data["routes"][0]["programme"]
    for dotted, value in programme_changes.items():
        node = prog
        *parents, last = dotted.split("__")
        for key in parents:
            node = node[key]
        node[last] = value
    return parse_pack(data, name="nelc-variant")


def nq(start: dt.date, **kw) -> PersonRecord:
    return PersonRecord(level="level-1", asye=AsyeRecord(started_on=start), **kw)


# --------------------------------------------------------------------------- scenario files


def test_every_nelc_scenario_passes(pack):
    """NELC-01..47 askable rules, 000_b405b76582c345ce.txt: the pack's own scenario files."""
    results, errors = run_files([SCENARIOS], {"north-east-lincolnshire": pack})
    assert errors == []
    assert len(results) >= 100
    assert [r.block() for r in results if not r.passed] == []


def test_scenarios_cover_every_askable_nelc_rule():
    """NELC-01..47, 000_b405b76582c345ce.txt: the scenario files name every NELC rule that an `ask`
    kind can question."""
    named = set()
    for f in SCENARIOS.glob("*.yaml"):
        data = yaml.load(f.read_text(), Loader=StrictBoolLoader)  # noqa: S506 (safe loader)
        named |= {s.get("rule") for s in data["scenarios"]}
    askable = {"NELC-01", "NELC-02", "NELC-04", "NELC-05", "NELC-06", "NELC-07", "NELC-09",
               "NELC-11", "NELC-12", "NELC-13", "NELC-14", "NELC-15", "NELC-18", "NELC-19",
               "NELC-20", "NELC-21", "NELC-22", "NELC-27", "NELC-28", "NELC-29", "NELC-30",
               "NELC-31", "NELC-32", "NELC-33", "NELC-35", "NELC-39", "NELC-40", "NELC-41",
               "NELC-42", "NELC-44"}
    assert askable <= named


def test_pack_catalogues_all_47_rules_and_every_one_has_a_home(pack):
    """NELC-01..47, 000_b405b76582c345ce.txt: each rule ID is named by a pack element."""
    from councils.rules.schema import Ruled, _walk

    assert pack.rule_ids() == [f"NELC-{n:02d}" for n in range(1, 48)]
    used = set()
    for _loc, node in _walk(pack):
        if isinstance(node, Ruled):
            used |= set(node.rules)
    assert set(pack.rule_ids()) <= used


# --------------------------------------------------------------------------- checklist additions


def test_self_assessment_counts_only_when_signed_off_by_an_approved_signatory(pack):
    """NELC-27, 000_b405b76582c345ce.txt: `any_signatory_roles` filters by the signatory."""
    req = next(r for r in pack.route(L3).evidence if r.id == "self-assessment")
    submit = D(2027, 6, 1)

    def status(role):
        person = PersonRecord(level="level-2", evidence=(
            EvidenceItem(kind="self-assessment", dated_on=D(2027, 4, 1), by_role=role),))
        return requirement_status(req, person, submit)

    assert status("team-manager").complete
    assert status("line-manager").complete
    assert not status("social-worker").complete
    assert not status("nqsw").complete


def test_observations_must_be_dated_before_the_twelve_month_review(pack):
    """NELC-14, 000_b405b76582c345ce.txt: 'completed prior to the twelve month review'."""
    req = next(r for r in pack.route("asye").evidence if r.id == "observations")
    start = D(2027, 2, 28)  # 12-month review on 2028-02-28 (not leap day)

    def person(third_on):
        return nq(start, evidence=(
            EvidenceItem(kind="direct-observation", dated_on=D(2027, 6, 1), by_role="asye-lead"),
            EvidenceItem(kind="direct-observation", dated_on=D(2027, 9, 1), by_role="line-manager"),
            EvidenceItem(kind="direct-observation", dated_on=third_on,
                         by_role="senior-social-worker"),
        ))

    on_time, late = person(D(2028, 2, 27)), person(D(2028, 2, 28))
    assert milestone_on(pack, "asye", req, on_time) == D(2028, 2, 28)
    ok = requirement_status(req, on_time, D(2028, 2, 28), before_on=D(2028, 2, 28))
    bad = requirement_status(req, late, D(2028, 2, 28), before_on=D(2028, 2, 28))
    assert ok.complete and ok.satisfied_by == 3
    assert not bad.complete and bad.satisfied_by == 2
    assert any("twelve-month-review" in w for w in bad.warnings)


def test_milestone_is_not_evaluated_without_an_asye_start(pack):
    """NELC-14, 000_b405b76582c345ce.txt: a condition whose input is absent is not evaluated
    (rule-scenarios.md)."""
    req = next(r for r in pack.route("asye").evidence if r.id == "observations")
    assert milestone_on(pack, "asye", req, PersonRecord(level="level-1")) is None


def test_checklist_lists_missing_random_case_file(pack):
    """NELC-28, 000_b405b76582c345ce.txt: four examined case files leave the case-file requirement
    short by one."""
    items = tuple(EvidenceItem(kind="case-file-audit", dated_on=D(2027, 4, 12),
                               by_role="advanced-practitioner") for _ in range(4))
    result = checklist(pack, L3, PersonRecord(level="level-2", evidence=items), D(2027, 6, 1))
    files = next(s for s in result.requirements if s.id == "case-files")
    assert not result.complete
    assert files.satisfied_by == 4 and files.missing


# --------------------------------------------------------------------------- ASYE programme


def test_part_time_asye_still_ends_after_twelve_months(pack):
    """NELC-04, 000_b405b76582c345ce.txt: no part-time length stated; end = start + 12 months."""
    person = nq(D(2026, 9, 7), hours=(HoursEntry(D(2026, 9, 7), 0.6),))
    assert asye_timeline(pack, person).ends_on == D(2027, 9, 7)
    silent = _variant(length__part_time_not_stated="no-end-date")
    assert asye_timeline(silent, person).ends_on is None
    full_time = nq(D(2026, 9, 7), hours=(HoursEntry(D(2026, 9, 7), 1.0),))
    assert asye_timeline(silent, full_time).ends_on == D(2027, 9, 7)


def test_induction_is_the_first_28_days_and_allocation_warns(pack):
    """NELC-05, 000_b405b76582c345ce.txt: [start, start + 28 days), allocation warns."""
    person = nq(D(2026, 9, 7), caseload=0)
    assert in_induction(pack, person, D(2026, 10, 4))
    assert not in_induction(pack, person, D(2026, 10, 5))
    during = allocation(pack, person, D(2026, 10, 4), "child-in-need")
    after = allocation(pack, person, D(2026, 10, 5), "child-in-need")
    assert during.allowed and [w.code for w in during.warnings] == ["during-induction"]
    assert after.allowed and after.warnings == []


def test_caseload_over_ninety_percent_of_the_council_reference_warns_only():
    """NELC-06, 000_b405b76582c345ce.txt: cap floor(0.9 x reference) warns, never refuses."""
    set_pack = _variant(caseload__reference_caseload=19)  # floor(17.1) = 17
    start = D(2026, 9, 7)
    at_cap = allocation(set_pack, nq(start, caseload=16), D(2027, 1, 11), "child-in-need")
    over = allocation(set_pack, nq(start, caseload=17), D(2027, 1, 11), "child-in-need")
    assert at_cap.allowed and at_cap.warnings == []
    assert over.allowed and [w.code for w in over.warnings] == ["caseload-cap"]
    assert "17" in over.warnings[0].message


def test_caseload_cap_is_not_computed_until_the_council_sets_the_reference(pack):
    """NELC-06, 000_b405b76582c345ce.txt: reference_caseload is council-set; unset means no cap and
    no warning."""
    cl = pack.route("asye").programme.caseload
    assert cl.reference_caseload is None and cl.percent_of_reference == 90
    assert cl.effective_cap() is None
    answer = allocation(pack, nq(D(2026, 9, 7), caseload=40), D(2027, 3, 1), "child-in-need")
    assert answer.allowed and answer.warnings == []


def test_next_supervision_is_due_within_the_band_gap(pack):
    """NELC-07, 000_b405b76582c345ce.txt: at most 7 days, 14 days or 1 calendar month."""
    person = nq(D(2026, 9, 7))
    assert supervision_due_on(pack, person, None) == D(2026, 9, 14)
    assert supervision_due_on(pack, person, D(2026, 10, 12)) == D(2026, 10, 19)
    assert supervision_due_on(pack, person, D(2026, 10, 19)) == D(2026, 11, 2)
    assert supervision_due_on(pack, person, D(2027, 1, 31)) == D(2027, 2, 14)
    assert supervision_due_on(pack, person, D(2027, 3, 31)) == D(2027, 4, 30)


def test_development_days_need_ten_counting_approved_absences(pack):
    """NELC-09, NELC-08, 000_b405b76582c345ce.txt: 10 of 12, annual leave/sickness/court
    approved; group supervision attendance is recorded with no threshold."""
    series = next(a for a in pack.route("asye").programme.attendance
                  if a.slug == "development-days")
    met = attendance_status(series, 8, ["annual-leave", "court", "holiday-abroad"])
    short = attendance_status(series, 8, ["sickness", "childcare", "childcare"])
    assert met.met and met.shortfall == 0
    assert not short.met and short.shortfall == 1 and short.override_possible
    group = next(a for a in pack.route("asye").programme.attendance
                 if a.slug == "group-supervision")
    assert attendance_status(group, 0).met is None  # NELC-08: recorded, no threshold


def test_asye_review_panel_membership_and_training_list_are_admin_configured(pack):
    """NELC-10, NELC-11, NELC-17, 000_b405b76582c345ce.txt: what the seed leaves to the council is
    left unset."""
    route = pack.route("asye")
    assert route.programme.mandatory_training.items == []
    assert route.programme.mandatory_training.configured_by == "council-admin"
    assert not route.panel.is_stated("members") and route.panel.chair_designated_by_admin
    assert [(q.slug, q.blocking) for q in route.qa_stages] == [
        ("internal-moderation", False), ("external-moderation", False)]


def test_average_caseload_is_confirmed_by_the_line_manager_in_the_annex_3_record(pack):
    """NELC-16, 000_b405b76582c345ce.txt: the line manager confirms (yes/no with comment) in the
    Annex 3 record that an average NQSW caseload was maintained, before the decision."""
    route = pack.route("asye")
    record = next(r for r in route.evidence if r.id == "support-record")
    assert "NELC-16" in record.rules and record.kind == "manager-report"
    assert record.author_roles == ["line-manager"]
    assert "average-caseload-maintained" in record.mandatory_fields
    confirm = [s for s in route.signoffs if "NELC-16" in s.rules]
    assert [(s.role, s.action, s.subject, s.blocks) for s in confirm] == [
        ("line-manager", "confirms", "average-caseload-maintained", "decision")]


# --------------------------------------------------------------------------- level 2 -> level 3


def test_no_timer_ever_changes_a_level(pack):
    """NELC-01, NELC-02, 000_b405b76582c345ce.txt: no escalations; eligibility has no time test."""
    assert pack.escalations == []
    for route in pack.routes:
        assert {c.type for c in route.eligibility} == {"current-level"}
    ten_years = PersonRecord(level="level-2", qualified_on=D(2016, 6, 30))
    assert route_eligibility(pack, L3, ten_years, D(2031, 1, 6)).eligible


def test_expression_of_intent_due_six_months_after_approval_with_two_reminders(pack):
    """NELC-25, 000_b405b76582c345ce.txt: approval 2026-08-31 -> due 2027-02-28 (CONV-01)."""
    before = eoi_schedule(pack, L3, D(2026, 8, 31), D(2027, 2, 28))
    after = eoi_schedule(pack, L3, D(2026, 8, 31), D(2027, 3, 1))
    assert before.due_on == D(2027, 2, 28)
    assert before.reminders == [D(2027, 1, 28), D(2027, 2, 21)]
    assert not before.overdue and after.overdue
    assert not after.lapsed  # the seed states no consequence


def test_expression_of_intent_order_and_decline(pack):
    """NELC-23, NELC-24, NELC-03, 000_b405b76582c345ce.txt: line manager supports, then the Team
    Manager approves."""
    eoi = pack.route(L3).expression_of_intent
    assert (eoi.author_role, eoi.support_role, eoi.approver_role) == (
        "social-worker", "line-manager", "team-manager")
    assert eoi.decline_allowed
    eoi_signoffs = [(s.order, s.role, s.action) for s in pack.route(L3).signoffs
                    if s.subject == "expression-of-intent"]
    assert sorted(eoi_signoffs) == [(1, "line-manager", "supports"),
                                    (2, "team-manager", "approves")]


def test_lead_assessor_is_an_advanced_practitioner_with_an_initial_meeting(pack):
    """NELC-26, 000_b405b76582c345ce.txt: appointer not stated; first meeting recorded."""
    la = pack.route(L3).lead_assessor
    assert la.eligible_roles == ["advanced-practitioner"]
    assert la.initial_meeting_required and not la.is_stated("appointed_by")


def test_three_random_case_files_exclude_the_workers_two_and_replay(pack):
    """NELC-28, 000_b405b76582c345ce.txt: 2 worker-chosen, 3 drawn at random, audited."""
    caseload = [f"C{i:02d}" for i in range(1, 11)]
    d = random_case_draw(pack, L3, caseload, ["C02", "C05"], seed="case-42")
    assert len(d.chosen) == 3 and not {"C02", "C05"} & set(d.chosen)
    assert "C02" not in d.pool and len(d.pool) == 8
    assert replay(d) == d
    with pytest.raises(ValueError):
        random_case_draw(pack, L3, ["C01", "C02", "C03", "C04"], ["C01", "C02"], seed=1)


def test_service_user_contacts_are_chosen_by_the_lead_assessor(pack):
    """NELC-31, 000_b405b76582c345ce.txt: two contacts, method chosen-by-lead-assessor; the worker
    cannot nominate."""
    sel = next(s for s in pack.route(L3).selections if s.id == "service-user-contacts")
    assert [(p.method, p.count, p.role) for p in sel.parts] == [
        ("chosen-by-lead-assessor", 2, "lead-assessor")]


def test_presentation_panel_is_separate_and_anonymised(pack):
    """NELC-30, NELC-29, 000_b405b76582c345ce.txt: 3-person presentation panel; independent second
    observer."""
    route = pack.route(L3)
    pres = next(r for r in route.evidence if r.id == "presentation")
    assert pres.anonymisation_attestation
    assert [m.role for m in pres.assessed_by_panel] == [
        "lead-assessor", "case-supervisor", "senior-social-worker"]
    obs = next(r for r in route.evidence if r.id == "observations")
    assert obs.excluded == ["case-role-holder"] and obs.consent_recorded


def test_scoring_and_decision_panel(pack):
    """NELC-34, NELC-36, NELC-38, 000_b405b76582c345ce.txt: every element scored before listing; PSW
    chairs."""
    route = pack.route(L3)
    assert route.scoring.all_scored_before_listing and route.scoring.scorer_role == "lead-assessor"
    assert not route.scoring.is_stated("scale") and not route.scoring.is_stated("pass_mark")
    assert route.panel.chair_role == "principal-social-worker"
    assert [m.role for m in route.panel.members] == [
        "principal-social-worker", "team-manager", "lead-assessor"]
    assert any(s.rules == ["NELC-34"] and s.blocks == "listing" for s in route.signoffs)


def test_level_three_pass_waits_for_a_vacancy_with_an_18_month_review(pack):
    """NELC-40, 000_b405b76582c345ce.txt: panel 2026-08-31 + 18 months = 2028-02-29."""
    eff = decision_effect(pack, L3, "pass", D(2026, 8, 31))
    assert eff.vacancy_required and eff.vacancy_review_on == D(2028, 2, 29)
    assert eff.effective_rule == "appointment-date" and eff.effective_on is None


def test_appeal_panel_is_set_up_within_ten_working_days(pack):
    """NELC-45, 000_b405b76582c345ce.txt: appeal received 2027-12-20 -> 2028-01-06."""
    assert appeal_panel_setup_due(pack, L3, D(2027, 12, 20)) == D(2028, 1, 6)
    assert appeal_panel_setup_due(pack, "asye", D(2027, 12, 20)) is None


def test_appeal_panel_must_be_independent_of_every_case_role(pack):
    """NELC-46, 000_b405b76582c345ce.txt: 'none of whom should have been involved'."""
    members = {"p1": "service-manager", "p2": "team-manager", "p3": "advanced-practitioner"}
    involved = {"p2": ["expression-of-intent approver"], "p9": ["lead-assessor"]}
    problems = appeal_panel_conflicts(pack, L3, members, involved)
    assert [p.code for p in problems] == ["not-independent"]
    assert "team-manager" in problems[0].message
    assert appeal_panel_conflicts(pack, L3, members, {"p9": ["lead-assessor"]}) == []
    short = appeal_panel_conflicts(pack, L3, {"p1": "service-manager", "p2": "team-manager"}, {})
    assert [p.code for p in short] == ["member-missing"]


def test_appeal_grounds_and_unknown_parts_stay_unset(pack):
    """NELC-43, NELC-47, 000_b405b76582c345ce.txt: process only; attendance, decision deadline and
    finality unset."""
    appeal = pack.route(L3).appeals[0]
    assert appeal.grounds == "process-only" and appeal.form == "in-writing"
    assert appeal.final is None and not appeal.is_stated("final")
    assert not appeal.panel.is_stated("decision_deadline")
    assert not appeal.panel.is_stated("appellant_attendance")


def test_evidence_stays_locked_through_the_appeal_window(pack):
    """NELC-37, 000_b405b76582c345ce.txt: decision received Fri 2027-06-04, appeal due
    2027-06-18 (CONV-02): locked from submission to the deadline, and while an appeal is pending."""
    kw = {"submitted_on": D(2027, 5, 3), "decision_received_on": D(2027, 6, 4)}
    assert appeal_due(pack, L3, D(2027, 6, 4)) == D(2027, 6, 18)
    assert not evidence_locked(pack, L3, on=D(2027, 4, 30), **kw)
    assert evidence_locked(pack, L3, on=D(2027, 5, 20), submitted_on=D(2027, 5, 3))
    assert evidence_locked(pack, L3, on=D(2027, 6, 18), **kw)
    assert not evidence_locked(pack, L3, on=D(2027, 6, 21), **kw)
    assert evidence_locked(pack, L3, on=D(2027, 7, 1), appeal_pending=True, **kw)
    assert not evidence_locked(pack, "asye", on=D(2027, 6, 1), submitted_on=D(2027, 5, 3))
