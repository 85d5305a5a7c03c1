"""Lincolnshire's rule pack: rules that no scenario `ask` reaches, and the engine pieces added
for them (coverage ``min_per_item``, booking checks against a month-only sitting).

Seed: 003_beca269546173a23.txt. The scenario files under
councils/rulepacks/scenarios/lincolnshire/ cover eligibility, the panel calendar, decision
effects, appeal deadlines and the checklist; these tests pin the workflow configuration
(booking, KSS allocation, sign-offs, panel, letter, BWON tasks) against domain.md section 4.4.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from pydantic import BaseModel

from councils.rules.loader import load_pack_file
from councils.rules.schema import Coverage, EvidenceRequirement, Ruled
from progression.engine.calendar import notification_deadlines
from progression.engine.checklist import requirement_status
from progression.engine.eligibility import sitting_check_date, sitting_eligibility
from progression.engine.record import EvidenceItem, PersonRecord
from progression.engine.sampling import framework_allocation, replay

PACK_PATH = Path(__file__).resolve().parents[2] / "councils" / "rulepacks" / "lincolnshire.yaml"
ROUTE = "level-1-to-level-2"
LONDON = ZoneInfo("Europe/London")


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


def test_every_lincolnshire_rule_is_catalogued_once(pack):
    """LINCS-01..26, 003_beca269546173a23.txt: the catalogue lists each rule exactly once."""
    assert pack.rule_ids() == [f"LINCS-{n:02d}" for n in range(1, 27)]


def test_every_rule_but_the_guidance_one_has_a_structural_home(pack):
    """LINCS-01..26, 003_beca269546173a23.txt: each rule is named by a pack element, except
    LINCS-18 (guidance only), which is shown as route guidance text."""
    placed = _referenced_rule_ids(pack.model_copy(update={"rules": []}), set())
    missing = {f"LINCS-{n:02d}" for n in range(1, 27)} - placed
    assert missing == {"LINCS-18"}
    assert any("LINCS-18" in g for g in pack.route(ROUTE).guidance)


def test_levels_level_2_is_scp_25_g9_and_level_1_pay_is_not_stated(pack):
    """LINCS-24 and section 7 (level 1 pay), 003_beca269546173a23.txt."""
    l1, l2 = pack.level("level-1"), pack.level("level-2")
    assert l1.pay is None and "pay" in l1.not_stated
    assert (l2.pay.text(), l2.grade_label) == ("SCP 25", "G9")


def test_asye_route_changes_no_level_and_records_completion(pack):
    """LINCS-01, LINCS-02, 003_beca269546173a23.txt: the ASYE sits within level 1."""
    route = pack.route("asye")
    assert route.from_level == "level-1" and route.to_level is None
    assert {o.slug for o in route.outcomes} == {"pass", "fail"}
    assert route.outcome("pass").effect.records == ["asye-completed", "certificate"]
    assert route.outcome("pass").effect.to_level is None
    assert [(s.role, s.action) for s in route.signoffs] == [("assessor", "signs")]


def test_kss_allocation_is_4_5_7_plus_two_of_1_2_3_6_8_and_replayable(pack):
    """LINCS-07, 003_beca269546173a23.txt: KSS 4, 5 and 7 always, plus two drawn from
    1, 2, 3, 6 and 8; the worker cannot choose; the draw records pool and seed."""
    sel = next(s for s in pack.route(ROUTE).selections if s.id == "kss-allocation")
    assert (sel.mandatory, sel.from_pool, sel.count) == ([4, 5, 7], [1, 2, 3, 6, 8], 2)
    assert sel.worker_excluded and sel.audited and sel.chosen_by == "council-admin"
    for seed in ("booking-17", "booking-18", 42):
        allocated, draw = framework_allocation(pack, ROUTE, seed)
        assert len(allocated) == 5
        assert {4, 5, 7} <= set(allocated)
        assert set(allocated) - {4, 5, 7} == set(draw.chosen) <= {1, 2, 3, 6, 8}
        assert draw.pool == (1, 2, 3, 6, 8)
        assert replay(draw) == draw


def test_kss_9_and_10_are_verified_by_supervisor_and_team_manager(pack):
    """LINCS-08, 003_beca269546173a23.txt: KSS 9 and 10 are verified, not evidenced; the
    line manager report's "all 10 KSS met" and the Team Manager's endorsement block submission."""
    route = pack.route(ROUTE)
    sel = next(s for s in route.selections if s.id == "kss-allocation")
    assert sel.verified_items == [9, 10]
    assert sel.verified_by == ["practice-supervisor", "team-manager"]
    before_submission = {(s.role, s.action, s.subject) for s in route.signoffs
                         if s.blocks == "submission"}
    assert ("practice-supervisor", "verifies", "all-10-kss-met") in before_submission
    assert ("team-manager", "endorses", "portfolio") in before_submission


def test_both_managers_agree_readiness_before_booking(pack):
    """LINCS-05, 003_beca269546173a23.txt, Booking career progression panel."""
    booking = {(s.role, s.action) for s in pack.route(ROUTE).signoffs if s.blocks == "booking"}
    assert booking == {("practice-supervisor", "confirms"), ("team-manager", "confirms")}


def test_supervisor_approves_the_final_document_and_team_manager_endorses(pack):
    """LINCS-15, LINCS-16, 003_beca269546173a23.txt: the report is by the Practice Supervisor,
    who approves the portfolio before the Team Manager endorses attendance."""
    route = pack.route(ROUTE)
    report = next(e for e in route.evidence if e.id == "line-manager-report")
    assert report.author_roles == ["practice-supervisor"]
    assert "all-10-kss-met" in report.mandatory_fields
    order = {(s.role, s.action): s.order for s in route.signoffs}
    assert order[("practice-supervisor", "approves")] < order[("team-manager", "endorses")]


def test_submission_date_is_set_per_booking_and_late_submission_is_refused(pack):
    """LINCS-06, LINCS-17, 003_beca269546173a23.txt: the administrator fixes the submission
    date at booking; after it, submission is refused unless the case is reopened."""
    cal = pack.route(ROUTE).calendar
    assert cal.submission_date == "per-booking"
    assert cal.submission_late == "refused-unless-reopened"
    assert cal.additional_sittings is True  # LINCS-19: a fourth panel may be convened


def test_panel_is_two_heads_of_service_virtual_chair_designated_hr_co_optable(pack):
    """LINCS-20, LINCS-21, 003_beca269546173a23.txt, Attending career progression panel."""
    panel = pack.route(ROUTE).panel
    assert [(m.role, m.count) for m in panel.members] == [("head-of-service", 2)]
    assert panel.chair_designated_by_admin and panel.format == "virtual"
    assert panel.co_optable == ["hr"] and panel.worker_attends == "presents"


def test_outcome_letter_is_due_24_clock_hours_after_the_panel_closes(pack):
    """LINCS-23 (CONV-03), 003_beca269546173a23.txt: a panel closing 2026-04-21 15:30 must
    send its letter by 2026-04-22 15:30 London time."""
    closed = dt.datetime(2026, 4, 21, 15, 30, tzinfo=LONDON)
    (letter,) = notification_deadlines(pack, ROUTE, "outcome-letter", closed)
    assert letter.recipients == ["social-worker"]
    assert letter.due == dt.datetime(2026, 4, 22, 15, 30, tzinfo=LONDON)


def test_endorsement_creates_chair_notice_and_two_bwon_tasks(pack):
    """LINCS-24, 003_beca269546173a23.txt: the chair notifies the Team Manager, who completes
    "Amend existing position" and "Contractual change" in BWON."""
    effect = pack.route(ROUTE).outcome("pass").effect
    tasks = {t.slug: t.roles for t in effect.tasks}
    assert tasks == {"notify-team-manager": ["head-of-service"],
                     "bwon-amend-position": ["team-manager"],
                     "bwon-contractual-change": ["team-manager"]}
    assert effect.pay_change_assigned_to == ["team-manager"]


def test_deferral_records_recommended_further_work(pack):
    """LINCS-22, 003_beca269546173a23.txt: a deferral records the recommended work; no fail."""
    route = pack.route(ROUTE)
    defer = route.outcome("defer")
    assert defer.reason_required and defer.reasons[0].text_required
    assert route.outcome("fail") is None


def test_appeal_is_process_only_to_the_assistant_director_and_final(pack):
    """LINCS-26, 003_beca269546173a23.txt: in writing, procedure grounds, final."""
    (appeal,) = pack.route(ROUTE).appeals
    assert (appeal.grounds, appeal.form, appeal.addressee_role, appeal.final) == (
        "process-only", "in-writing", "assistant-director", True)
    assert (appeal.deadline.working_days, appeal.deadline.anchor) == (10, "letter-sent")


def test_no_anonymisation_attestation_is_asked(pack):
    """LINCS-09, 003_beca269546173a23.txt: Mosaic numbers are fine; no redaction required."""
    assert not any(e.anonymisation_attestation for e in pack.route(ROUTE).evidence)


def test_booking_for_a_month_only_sitting_is_checked_on_the_last_day_of_the_month(pack):
    """LINCS-03, 003_beca269546173a23.txt: before the sitting date is set, a booking is
    accepted if two years (+ absences) are reached by the last day of the panel month."""
    person = PersonRecord(registered_on=dt.date(2024, 9, 20), level="level-1")
    assert sitting_check_date(pack, ROUTE, "2026-09") == dt.date(2026, 9, 30)
    assert sitting_eligibility(pack, ROUTE, person, "2026-09").eligible is True
    assert sitting_eligibility(pack, ROUTE, person, dt.date(2026, 9, 15)).eligible is False
    assert sitting_eligibility(pack, ROUTE, person, "2026-04").earliest_on == dt.date(2026, 9, 20)


def test_month_only_check_date_is_the_first_day_without_an_unscheduled_rule(pack):
    """LINCS-03, 003_beca269546173a23.txt: the reading applies only where the pack says so: the asye
    route has no such condition, so a month is checked from its first day."""
    assert sitting_check_date(pack, "asye", "2028-02") == dt.date(2028, 2, 1)
    assert sitting_check_date(pack, ROUTE, "2028-02") == dt.date(2028, 2, 29)
    with pytest.raises(ValueError, match="YYYY-MM"):
        sitting_check_date(pack, ROUTE, "February")


def _case_examples(min_per_item: int) -> EvidenceRequirement:
    return EvidenceRequirement(
        id="case-examples", kind="case-example", min=2, rules=["LINCS-09"],
        coverage=[Coverage(framework="kss-child-family", items="allocated",
                           min_per_item=min_per_item)])


def test_min_per_item_needs_that_many_items_tagged_with_each_allocated_kss():
    """LINCS-09, 003_beca269546173a23.txt: at least two case examples for each allocated KSS;
    coverage ``min_per_item: 2`` refuses a KSS tagged on only one item."""
    person = PersonRecord(allocated_kss=(1, 4, 5, 7, 8), evidence=(
        EvidenceItem(kind="case-example", dated_on=dt.date(2026, 3, 1), kss=(1, 4, 5, 7, 8)),
        EvidenceItem(kind="case-example", dated_on=dt.date(2026, 5, 1), kss=(1, 4, 5, 8)),
    ))
    status = requirement_status(_case_examples(2), person, dt.date(2026, 8, 31))
    assert not status.complete
    assert status.missing == ["kss-child-family not covered: 7 (each needs 2 items)"]
    union = requirement_status(_case_examples(1), person, dt.date(2026, 8, 31))
    assert union.complete


def test_min_per_item_is_met_when_each_kss_has_two_items_spread_over_many():
    """LINCS-09, 003_beca269546173a23.txt: items may each carry a few of the KSS."""
    person = PersonRecord(allocated_kss=(2, 4), evidence=tuple(
        EvidenceItem(kind="case-example", dated_on=dt.date(2026, 1, d), kss=kss)
        for d, kss in ((5, (2,)), (6, (4,)), (7, (2, 4)))
    ))
    assert requirement_status(_case_examples(2), person, dt.date(2026, 8, 31)).complete


def test_min_per_item_defaults_to_one():
    """LINCS-09, 003_beca269546173a23.txt: schema default: coverage without ``min_per_item`` is
    plain union coverage."""
    assert Coverage(framework="pcf", items="all").min_per_item == 1
