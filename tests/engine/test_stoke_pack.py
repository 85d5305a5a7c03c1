"""Stoke-on-Trent's rule pack: the rules no scenario `ask` can reach, checked on the loaded pack
and through the engine functions the workflows call.

Seed: 001_cfd4d7839e7e381c.txt. Extensions, deferrals, study days, attendance, the caseload
breach timer, reallocation to CP, the Complex Work Agreement, the panel, notifications and the
absent appeal are workflow configuration: the workflows read them from the pack, so these tests
pin what the pack says against domain.md section 4.2 and exercise the engine helpers on it.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from councils.rules.loader import load_pack_file
from progression.engine.record import AsyeRecord, HoursEntry, PersonRecord
from progression.engine.timeline import (
    asye_timeline,
    attendance_status,
    check_end_date,
    deferral_allowed,
    study_day_allowed,
    supervision_due_on,
)

PACK_PATH = Path(__file__).resolve().parents[2] / "councils" / "rulepacks" / "stoke-on-trent.yaml"
D = dt.date


@pytest.fixture(scope="module")
def pack():
    return load_pack_file(PACK_PATH)


@pytest.fixture(scope="module")
def route(pack):
    return pack.route("asye")


@pytest.fixture(scope="module")
def programme(route):
    return route.programme


def _nqsw(start: dt.date, fte: float = 1.0, credit: int = 0) -> PersonRecord:
    return PersonRecord(
        level="nqsw",
        asye=AsyeRecord(started_on=start, credit_months=credit),
        hours=(HoursEntry(start, fte),),
    )


def _gate(programme, kind: str, qualifier: str | None = None):
    matches = [
        g for g in programme.complexity.gates if g.kind == kind and g.qualifier == qualifier
    ]
    assert len(matches) == 1, (kind, qualifier)
    return matches[0]


def _rules_used(node) -> set[str]:
    """Every rule ID named anywhere under ``node`` (a pydantic model, list or dict)."""
    from pydantic import BaseModel

    found: set[str] = set()
    if isinstance(node, BaseModel):
        found.update(getattr(node, "rules", []) or [])
        for name in type(node).model_fields:
            found |= _rules_used(getattr(node, name))
    elif isinstance(node, (list, tuple)):
        for item in node:
            found |= _rules_used(item)
    elif isinstance(node, dict):
        for item in node.values():
            found |= _rules_used(item)
    return found


def test_every_stoke_rule_is_catalogued_once(pack):
    """STOKE-01..54, 001_cfd4d7839e7e381c.txt: the catalogue lists each rule exactly once."""
    assert pack.rule_ids() == [f"STOKE-{n:02d}" for n in range(1, 55)]


def test_rules_without_a_structural_home_say_how_they_are_treated(pack):
    """STOKE-22, STOKE-43, STOKE-44, STOKE-45, 001_cfd4d7839e7e381c.txt: catalogue-only rules."""
    placed = _rules_used(pack.levels) | _rules_used(pack.routes) | _rules_used(pack.escalations)
    unplaced = {entry.id: entry for entry in pack.rules if entry.id not in placed}
    assert set(unplaced) == {"STOKE-22", "STOKE-43", "STOKE-44", "STOKE-45"}
    for entry in unplaced.values():
        assert entry.note, f"{entry.id} has no structural home and no note"


def test_levels_carry_no_pay(pack):
    """STOKE-51 and section 7, 001_cfd4d7839e7e381c.txt: Stoke states no pay points."""
    assert [(lv.slug, lv.order, lv.pay) for lv in pack.levels] == [
        ("nqsw", 1, None),
        ("social-worker", 2, None),
    ]
    assert all("pay" in lv.not_stated for lv in pack.levels)


def test_qualification_window_applies_to_every_country(route):
    """STOKE-02, STOKE-03, 001_cfd4d7839e7e381c.txt: one two-year window from the ASYE start."""
    cond = next(c for c in route.eligibility if c.type == "qualified-within")
    assert (cond.months, cond.anchor) == (24, "asye-start")
    assert {"STOKE-02", "STOKE-03"} <= set(cond.rules)


def test_fostering_and_adoption_flags_an_extra_shadowing_plan(route, programme):
    """STOKE-06, 001_cfd4d7839e7e381c.txt: enrolment allowed, the learning agreement gains a
    mandatory extra shadowing and co-working plan."""
    tags = next(c for c in route.eligibility if c.type == "team-tags")
    assert "fostering-adoption" in tags.flag_any
    assert "fostering-adoption" not in tags.deny_any
    assert programme.learning_agreement.conditional_fields == {
        "fostering-adoption": ["extra-shadowing-and-co-working-plan"]
    }


def test_induction_is_recorded_without_a_deadline(programme):
    """STOKE-08, 001_cfd4d7839e7e381c.txt: completion recorded, no deadline invented."""
    induction = programme.induction
    assert induction.completion_recorded is True
    assert induction.deadline is None and induction.length is None
    assert {"deadline", "length"} <= set(induction.not_stated)


def test_learning_agreement_needs_three_signatures_and_the_supervision_frequency(programme):
    """STOKE-09, 001_cfd4d7839e7e381c.txt: NQSW, Manager and ASYE Lead sign; the ASYE Lead
    convenes; supervision frequency is agreed in it."""
    la = programme.learning_agreement
    assert la.signatories == ["social-worker", "line-manager", "asye-lead"]
    assert la.convened_by == "asye-lead"
    assert la.fields == ["supervision-frequency"]


def test_extension_is_approved_by_the_principal_manager_within_the_ceiling(pack, programme):
    """STOKE-11, STOKE-13, 001_cfd4d7839e7e381c.txt: an extension may reach the two-year ceiling
    but never pass it."""
    ext = programme.extensions
    assert ext.approver_role == "principal-manager"
    assert set(ext.consulted_roles) == {"principal-social-worker", "strategic-manager", "hr"}
    assert ext.within_ceiling is True
    person = _nqsw(D(2026, 8, 31))
    assert check_end_date(pack, person, D(2028, 8, 31)) == []
    refused = check_end_date(pack, person, D(2028, 9, 1))
    assert [r.code for r in refused] == ["beyond-ceiling"]
    assert "STOKE-13" in refused[0].rule


def test_extension_ceiling_counts_credited_months(pack):
    """STOKE-13, STOKE-14, 001_cfd4d7839e7e381c.txt: with 4 months credited the latest end is
    start + 20 months."""
    person = _nqsw(D(2026, 9, 1), credit=4)
    assert check_end_date(pack, person, D(2028, 5, 1)) == []
    assert [r.code for r in check_end_date(pack, person, D(2028, 5, 2))] == ["beyond-ceiling"]


def test_deferral_reasons_are_maternity_and_long_term_sickness_only(pack, programme):
    """STOKE-12, 001_cfd4d7839e7e381c.txt: a deferral moves the final panel, not the ceiling."""
    assert deferral_allowed(pack, "maternity-leave")
    assert deferral_allowed(pack, "long-term-sickness")
    assert not deferral_allowed(pack, "annual-leave")
    assert programme.deferrals.moves_ceiling is False
    assert programme.deferrals.consulted_roles == ["hr"]


def test_ceiling_escalates_to_the_pcfsw_and_hr(pack, programme):
    """STOKE-13, 001_cfd4d7839e7e381c.txt: at the ceiling next steps are reviewed with HR under
    the PCFSW."""
    esc = next(e for e in pack.escalations if e.trigger == "programme-ceiling")
    assert esc.route == "asye"
    assert set(esc.notify_roles) == {"principal-social-worker", "hr"}
    assert programme.ceiling.months == 24 and programme.ceiling.counts_credit is True


def test_extended_programme_end_stays_inside_the_ceiling_in_the_timeline(pack):
    """STOKE-10, STOKE-13, 001_cfd4d7839e7e381c.txt: part time ends before the ceiling."""
    tl = asye_timeline(pack, _nqsw(D(2027, 2, 28), fte=0.5))
    assert (tl.ends_on, tl.latest_end_on) == (D(2028, 8, 28), D(2029, 2, 28))


def test_eleven_month_review_may_be_waived_by_the_asye_lead(programme):
    """STOKE-15, STOKE-17, 001_cfd4d7839e7e381c.txt: "eleven months (if necessary)"; a review is
    held when the ASYE Lead signs it with the three attendees."""
    reviews = programme.reviews
    assert [(o.month, o.waivable_by, o.reason_required) for o in reviews.optional] == [
        (11, "asye-lead", True)
    ]
    assert reviews.attendees == ["social-worker", "line-manager", "asye-lead"]
    assert reviews.held_when_signed_by == "asye-lead"
    assert reviews.final.last_review_held is True
    assert reviews.during_extension == "added-by-hand"


def test_supervision_due_dates_follow_the_band_gaps(pack):
    """STOKE-18, 001_cfd4d7839e7e381c.txt (gaps as NELC-07): 7 days, 14 days, then a month."""
    person = _nqsw(D(2026, 1, 31))
    assert supervision_due_on(pack, person, None) == D(2026, 2, 7)
    assert supervision_due_on(pack, person, D(2026, 3, 14)) == D(2026, 3, 28)
    assert supervision_due_on(pack, person, D(2026, 8, 31)) == D(2026, 9, 30)


def test_workshops_and_group_supervision_are_report_only(programme):
    """STOKE-19, STOKE-20, 001_cfd4d7839e7e381c.txt: mandatory, but no threshold is computed."""
    series = {s.slug: s for s in programme.attendance}
    assert set(series) == {"asye-workshops", "group-reflective-supervision"}
    for s in series.values():
        assert s.report_only is True and s.required is None
    status = attendance_status(series["asye-workshops"], attended=9, absence_reasons=["sickness"])
    assert status.met is None
    assert status.missed == 1


def test_a_seventh_study_day_is_refused(pack, programme):
    """STOKE-21, 001_cfd4d7839e7e381c.txt: up to six per ASYE, each agreed by the line manager."""
    assert programme.study_days.approver_role == "line-manager"
    assert study_day_allowed(pack, used=5) is True
    assert study_day_allowed(pack, used=6) is False


def test_caseload_breach_escalates_to_the_pcfsw_after_fourteen_days(pack, programme):
    """STOKE-26, STOKE-27, 001_cfd4d7839e7e381c.txt: cap 16 children, refused; a reported breach
    unresolved after two weeks goes to the PCFSW."""
    caseload = programme.caseload
    assert (caseload.cap, caseload.unit, caseload.counts, caseload.enforcement) == (
        16, "children", "allocated-worker", "refuse"
    )
    breach = caseload.breach
    assert breach.report_to == ["asye-lead", "line-manager"]
    assert breach.timer_days == 14
    assert breach.escalate_to == ["principal-social-worker"]
    esc = next(e for e in pack.escalations if e.trigger == "caseload-breach")
    assert esc.after.days == 14 and esc.notify_roles == ["principal-social-worker"]


def test_cp_co_working_and_visit_conditions_are_shown(programme):
    """STOKE-30, 001_cfd4d7839e7e381c.txt: co-working allowed under the gate; visits and chairing
    only accompanied."""
    cp = _gate(programme, "child-protection")
    assert all(step.co_work_allowed for step in cp.steps)
    text = " ".join(cp.conditions)
    assert "visits" in text and "chairing" in text


def test_a_case_progressing_to_cp_raises_a_reallocation_task(programme):
    """STOKE-31, 001_cfd4d7839e7e381c.txt: no exception for a worker with a CWA."""
    complexity = programme.complexity
    assert complexity.reallocation_on_change_to == ["child-protection"]
    assert complexity.reallocation_task_role == "line-manager"


def test_court_and_multi_agency_conditions_are_shown_not_enforced(programme):
    """STOKE-34, STOKE-39, STOKE-40, 001_cfd4d7839e7e381c.txt."""
    private_law = _gate(programme, "private-law")
    after = private_law.steps[-1]
    assert after.mode == "allowed-with-conditions"
    assert [c[:3] for c in after.conditions] == ["(a)", "(b)", "(c)", "(d)"]
    assert "STOKE-39" in private_law.rules
    assert any("court" in c for c in private_law.conditions)
    assert "STOKE-40" in programme.complexity.rules


def test_complex_work_agreement_parties_and_lifetime(programme):
    """STOKE-41, 001_cfd4d7839e7e381c.txt: NQSW, Manager and ASYE Lead; ends when the gates lift
    at a nine-month review recording readiness."""
    cwa = programme.complexity.complex_work_agreement
    assert cwa.parties == ["social-worker", "line-manager", "asye-lead"]
    assert set(cwa.agreed_at) == {"asye-review", "formal-meeting"}
    assert cwa.ends_when == "gates-lift"
    lift = programme.complexity.lifts_when
    assert (lift.review_month, lift.requires_readiness) == (9, True)


def test_manager_discretion_never_lifts_a_not_allocated_gate(programme):
    """STOKE-42, 001_cfd4d7839e7e381c.txt: CP before six months, care proceedings before nine,
    private law and ICO before three are never overridable."""
    for kind, before in [
        ("child-protection", 6), ("private-law", 3), ("interim-care-order", 3),
    ]:
        first = _gate(programme, kind).steps[0]
        assert (first.before_review, first.mode, first.overridable) == (before, "refused", False)
    care = _gate(programme, "care-proceedings").steps
    assert [(s.before_review, s.mode, s.overridable) for s in care] == [(None, "refused", False)]


def test_internal_moderation_panel_is_chaired_by_the_pcfsw(route):
    """STOKE-47, 001_cfd4d7839e7e381c.txt: listed after the final review with the portfolio,
    three observations and the Manager's Final Report; cadence set by the administrator."""
    assert route.panel.name == "Internal Moderation Panel"
    assert route.panel.chair_role == "principal-social-worker"
    assert len(route.panel.listing_requires) == 4
    assert route.calendar.kind == "admin-scheduled"


def test_manager_report_carries_the_recommendation(route):
    """STOKE-46, 001_cfd4d7839e7e381c.txt: written by the Manager with a pass/fail
    recommendation."""
    req = next(e for e in route.evidence if e.kind == "manager-report")
    assert req.author_roles == ["line-manager"]
    assert req.mandatory_fields == ["recommendation"]


def test_observers_are_registered_and_not_on_an_asye(route):
    """STOKE-25, 001_cfd4d7839e7e381c.txt: registration required; not another NQSW."""
    req = next(e for e in route.evidence if e.kind == "direct-observation")
    assert req.min == 3
    assert req.registration_required is True
    assert req.excluded == ["on-active-asye"]
    assert req.before == "final-panel"


def test_fail_only_after_a_referral_and_opens_hr_tasks(route):
    """STOKE-49, STOKE-52, 001_cfd4d7839e7e381c.txt."""
    fail = route.outcome("fail")
    assert fail.preconditions.after_outcome == "refer"
    assert [t.slug for t in fail.effect.tasks] == [
        "capability-procedure", "consider-regulator-referral"
    ]
    assert all(set(t.roles) == {"hr", "principal-social-worker"} for t in fail.effect.tasks)
    assert [o.slug for o in route.outcomes] == ["pass", "adjourn", "refer", "fail"]


def test_decision_is_sent_in_writing_without_an_invented_deadline(route):
    """STOKE-50, 001_cfd4d7839e7e381c.txt."""
    note = next(n for n in route.notifications if n.event == "decision")
    assert note.channel == "letter"
    assert "social-worker" in note.recipients
    assert note.deadline is None and "deadline" in note.not_stated


def test_pass_records_a_certificate_and_no_appeal_is_described(route):
    """STOKE-51, STOKE-54, 001_cfd4d7839e7e381c.txt."""
    effect = route.outcome("pass").effect
    assert effect.to_level == "social-worker"
    assert effect.effective_date == "unset" and effect.pay is None
    assert set(effect.records) == {"asye-completed", "certificate"}
    assert route.appeals == [] and "appeals" in route.not_stated


def test_reallocation_is_required_only_while_the_gates_apply(pack):
    """STOKE-31, STOKE-28, 001_cfd4d7839e7e381c.txt: a case becoming CP before the nine-month
    review is reallocated even with a CWA; after readiness is recorded it is not."""
    from progression.engine.allocation import reallocation_required
    from progression.engine.record import ReviewHeld

    start = D(2026, 1, 5)
    with_cwa = PersonRecord(
        asye=AsyeRecord(started_on=start),
        reviews_held=(ReviewHeld(3, D(2026, 4, 7)), ReviewHeld(6, D(2026, 7, 6))),
        complex_work_agreement_on=D(2026, 7, 6),
    )
    assert reallocation_required(pack, with_cwa, D(2026, 8, 3), "child-protection") is True
    assert reallocation_required(pack, with_cwa, D(2026, 8, 3), "child-in-need") is False
    ready = PersonRecord(
        asye=AsyeRecord(started_on=start),
        reviews_held=(ReviewHeld(9, D(2026, 10, 6), complex_work_ready=True),),
    )
    assert reallocation_required(pack, ready, D(2026, 10, 6), "child-protection") is False


def test_caseload_breach_timer_runs_fourteen_calendar_days(pack):
    """STOKE-27, 001_cfd4d7839e7e381c.txt: a breach reported on Christmas Eve escalates on
    7 January, counted in calendar days (bank holidays are not skipped)."""
    from progression.engine.calendar import breach_escalation_due

    assert breach_escalation_due(pack, D(2026, 12, 24)) == D(2027, 1, 7)


def test_ceiling_escalation_fires_on_the_ceiling_without_a_decision(pack):
    """STOKE-13, 001_cfd4d7839e7e381c.txt: not completed by start + 24 months -> PCFSW and HR."""
    from progression.engine.calendar import escalations_due

    person = _nqsw(D(2026, 8, 31), fte=0.5)
    due = {e.slug: e for e in escalations_due(pack, person, D(2028, 8, 30))}
    assert due["asye-ceiling"].due_on == D(2028, 8, 31)
    assert due["asye-ceiling"].fired is False
    due = {e.slug: e for e in escalations_due(pack, person, D(2028, 8, 31))}
    assert due["asye-ceiling"].fired is True
    assert set(due["asye-ceiling"].notify_roles) == {"principal-social-worker", "hr"}


def test_fail_cannot_be_recorded_before_a_referral(pack):
    """STOKE-49, 001_cfd4d7839e7e381c.txt: the referral's conclusion comes first."""
    from progression.engine.outcomes import outcome_problems

    assert [r.code for r in outcome_problems(pack, "asye", "fail")] == ["needs-prior-outcome"]
    assert outcome_problems(pack, "asye", "fail", prior_outcomes={"refer"}) == []
    assert outcome_problems(pack, "asye", "pass") == []


def test_minimum_quality_standard_lines_are_the_rules_they_name(pack, programme):
    """STOKE-53, 001_cfd4d7839e7e381c.txt: the per-NQSW compliance report's lines (induction,
    learning agreement in month 1, reviews at 3/6/9/11 months or 3-monthly part time, KSS/PCF
    portfolio, three observations, caseload of 16) each read a rule the pack places."""
    assert "STOKE-53" in programme.rules
    placed = _rules_used(pack.routes)
    for line in ("STOKE-08", "STOKE-09", "STOKE-15", "STOKE-16", "STOKE-24", "STOKE-25",
                 "STOKE-26"):
        assert line in placed, line
    assert programme.caseload.cap == 16
    assert programme.learning_agreement.due_within.months == 1
