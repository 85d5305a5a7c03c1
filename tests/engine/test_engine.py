"""Engine behaviour on the generic test pack (tests/rules/fixtures/testshire.yaml).

Council rules are tested by the packs' scenario files (tests/rules/test_pack_scenarios.py);
these tests pin the generic mechanics each pack relies on.
"""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from progression.engine import (
    Absence,
    AsyeRecord,
    Attempt,
    EvidenceItem,
    HoursEntry,
    PersonRecord,
    ReviewHeld,
    allocation,
    appeal_due,
    asye_timeline,
    attendance_status,
    check_end_date,
    checklist,
    decision_effect,
    draw,
    escalations_due,
    framework_allocation,
    next_submission,
    notification_deadlines,
    random_case_draw,
    replay,
    route_eligibility,
    supervision_due_on,
    supervision_frequency,
)
from progression.engine.calendar import nth_weekday

D = dt.date


def test_time_since_registration_adds_extended_absence_days(pack):
    """LINCS-03 mechanics: registered 2024-09-20 + 24 months + 30 days = 2026-10-20."""
    person = PersonRecord(registered_on=D(2024, 9, 20), level="level-2",
                          absences=(Absence(D(2025, 1, 1), D(2025, 1, 30)),))
    e = route_eligibility(pack, "level-2-to-level-3", person, D(2026, 9, 30))
    assert not e.eligible
    assert e.earliest_on == D(2026, 10, 20)
    assert [r.code for r in e.reasons] == ["time-not-reached"]
    assert route_eligibility(pack, "level-2-to-level-3", person, D(2026, 12, 1)).eligible


def test_wrong_level_has_no_earliest_date(pack):
    """A failure the record cannot outgrow by waiting gives earliest_on None."""
    person = PersonRecord(registered_on=D(2020, 1, 1), level="level-1")
    e = route_eligibility(pack, "level-2-to-level-3", person, D(2026, 1, 1))
    assert not e.eligible and e.earliest_on is None
    assert e.reasons[0].rule == "TEST-08"


def test_absent_inputs_are_not_evaluated(pack):
    """rule-scenarios.md: a condition whose input is absent is skipped."""
    assert route_eligibility(pack, "level-2-to-level-3", PersonRecord(), D(2026, 1, 1)).eligible


def test_reapply_wait_runs_from_the_decision_date(pack):
    """NELC-42 mechanics: defer decided 2026-11-30 + 3 months -> eligible from 2027-02-28."""
    person = PersonRecord(level="level-2", attempts=(
        Attempt("level-2-to-level-3", "defer", D(2026, 11, 30)),))
    e = route_eligibility(pack, "level-2-to-level-3", person, D(2027, 1, 15))
    assert not e.eligible and e.earliest_on == D(2027, 2, 28)
    assert route_eligibility(pack, "level-2-to-level-3", person, D(2027, 2, 28)).eligible


def test_asye_entry_conditions_refuse_each_with_its_reason(pack):
    """STOKE-02/04/07 mechanics: too long qualified, agency, unsuitable team all reported."""
    person = PersonRecord(qualified_on=D(2022, 1, 1), agency=True,
                          team_tags=("asye-unsuitable",),
                          asye=AsyeRecord(started_on=D(2026, 9, 1)))
    e = route_eligibility(pack, "asye", person, D(2026, 9, 1))
    assert {r.code for r in e.reasons} == {"qualified-too-long-ago", "agency-worker",
                                          "team-unsuitable"}
    ok = PersonRecord(qualified_on=D(2025, 7, 1), team_tags=("other",),
                      asye=AsyeRecord(started_on=D(2026, 9, 1)))
    e2 = route_eligibility(pack, "asye", ok, D(2026, 9, 1))
    assert e2.eligible and [w.code for w in e2.warnings] == ["team-not-listed"]


def test_full_time_timeline(pack):
    """STOKE-10/13/15 mechanics: 12 months, ceiling 24, reviews 3/6/9/11, LA within a month."""
    p = PersonRecord(asye=AsyeRecord(started_on=D(2026, 9, 1)), hours=(HoursEntry(D(2026, 9, 1),
                                                                                1.0),))
    t = asye_timeline(pack, p)
    assert t.ends_on == D(2027, 9, 1)
    assert t.latest_end_on == D(2028, 9, 1)
    assert t.reviews == [D(2026, 12, 1), D(2027, 3, 1), D(2027, 6, 1), D(2027, 8, 1)]
    assert t.learning_agreement_due_on == D(2026, 10, 1)


def test_part_time_timeline_and_credit(pack):
    """STOKE-10/14/16 mechanics: part time 18 months; credit shortens end and ceiling."""
    p = PersonRecord(asye=AsyeRecord(started_on=D(2026, 9, 1), credit_months=4),
                     hours=(HoursEntry(D(2026, 9, 1), 0.6),))
    t = asye_timeline(pack, p)
    assert t.part_time
    assert t.ends_on == D(2027, 11, 1)  # 18 - 4 months
    assert t.latest_end_on == D(2028, 5, 1)  # 24 - 4 months
    assert check_end_date(pack, p, D(2028, 5, 2))[0].code == "beyond-ceiling"
    assert check_end_date(pack, p, D(2028, 5, 1)) == []


@settings(max_examples=200, deadline=None)
@given(start=st.dates(min_value=D(2024, 1, 1), max_value=D(2030, 12, 31)),
       fte=st.sampled_from([0.3, 0.5, 0.8, 0.99]), credit=st.integers(min_value=0, max_value=11))
def test_part_time_end_is_never_earlier_than_full_time(pack, start, fte, credit):
    """STOKE-10 property: a part-time ASYE never ends before the full-time one."""
    ft = asye_timeline(pack, PersonRecord(asye=AsyeRecord(started_on=start, credit_months=credit)))
    pt = asye_timeline(pack, PersonRecord(asye=AsyeRecord(started_on=start, credit_months=credit),
                                          hours=(HoursEntry(start, fte),)))
    assert pt.ends_on >= ft.ends_on
    assert pt.ends_on <= pt.latest_end_on


def test_supervision_bands_and_due_dates(pack):
    """NELC-07 mechanics: weekly < 42 days, fortnightly < 6 months, then monthly."""
    p = PersonRecord(asye=AsyeRecord(started_on=D(2026, 9, 7)))
    assert supervision_frequency(pack, p, D(2026, 10, 18)) == "weekly"
    assert supervision_frequency(pack, p, D(2026, 10, 19)) == "fortnightly"
    assert supervision_frequency(pack, p, D(2027, 3, 7)) == "monthly"
    assert supervision_frequency(pack, p, D(2026, 9, 6)) is None
    assert supervision_due_on(pack, p, None) == D(2026, 9, 14)
    assert supervision_due_on(pack, p, D(2027, 3, 31)) == D(2027, 4, 30)


def _nqsw(**kw) -> PersonRecord:
    return PersonRecord(asye=AsyeRecord(started_on=D(2026, 9, 1)), **kw)


def test_child_protection_gate_steps_and_agreement(pack):
    """STOKE-29 mechanics: refused before the 6-month review, then only with a CWA."""
    on = D(2027, 4, 1)
    assert not allocation(pack, _nqsw(), on, "child-protection").allowed
    six = (ReviewHeld(6, D(2027, 3, 1)),)
    a = allocation(pack, _nqsw(reviews_held=six), on, "child-protection")
    assert not a.allowed and a.mode == "allowed-with-agreement"
    a = allocation(pack, _nqsw(reviews_held=six, complex_work_agreement_on=D(2027, 3, 15)),
                   on, "child-protection")
    assert a.allowed
    lifted = six + (ReviewHeld(9, D(2027, 6, 1), True),)
    assert allocation(pack, _nqsw(reviews_held=lifted), D(2027, 6, 2), "care-proceedings").allowed


def test_not_ready_nine_month_review_keeps_gates(pack):
    """STOKE-28 mechanics: a 9-month review recording not ready keeps every gate."""
    held = (ReviewHeld(6, D(2027, 3, 1)), ReviewHeld(9, D(2027, 6, 1), False))
    assert not allocation(pack, _nqsw(reviews_held=held), D(2027, 6, 2), "care-proceedings").allowed


def test_qualifier_gate_wins_and_co_working_is_allowed(pack):
    """STOKE-35 mechanics: settled placements allowed; other child-in-care co-work only."""
    on = D(2026, 10, 1)
    assert allocation(pack, _nqsw(), on, "child-in-care", "settled-placement").allowed
    assert not allocation(pack, _nqsw(), on, "child-in-care").allowed
    assert allocation(pack, _nqsw(), on, "child-in-care", role="co-worker").allowed


def test_caseload_cap_refuses_the_seventeenth_and_induction_warns(pack):
    """STOKE-26 / NELC-05 mechanics."""
    a = allocation(pack, _nqsw(caseload=16), D(2026, 12, 1), "child-in-need")
    assert not a.allowed and a.reasons[0].code == "caseload-cap"
    b = allocation(pack, _nqsw(caseload=3), D(2026, 9, 10), "child-in-need")
    assert b.allowed and [w.code for w in b.warnings] == ["during-induction"]
    assert allocation(pack, PersonRecord(caseload=40), D(2026, 9, 10), "care-proceedings").allowed


def _obs(d: dt.date, role: str = "line-manager") -> EvidenceItem:
    return EvidenceItem("direct-observation", d, by_role=role)


def test_recency_tiers_two_within_nine_one_within_six(pack):
    """LINCS-11 mechanics on D = 2026-08-31 (cut-offs 2025-11-30 and 2026-02-28)."""
    base = (EvidenceItem("written-statement", D(2026, 8, 1), words=150),
            EvidenceItem("service-user-feedback", D(2026, 5, 1)),
            EvidenceItem("service-user-feedback", D(2026, 6, 1)))
    good = PersonRecord(evidence=base + (_obs(D(2025, 11, 30)), _obs(D(2026, 2, 28))))
    assert checklist(pack, "level-2-to-level-3", good, D(2026, 8, 31)).complete
    old = PersonRecord(evidence=base + (_obs(D(2025, 11, 29)), _obs(D(2026, 2, 28))))
    assert not checklist(pack, "level-2-to-level-3", old, D(2026, 8, 31)).complete
    none_recent = PersonRecord(evidence=base + (_obs(D(2025, 12, 1)), _obs(D(2026, 2, 27))))
    assert not checklist(pack, "level-2-to-level-3", none_recent, D(2026, 8, 31)).complete
    wrong_role = PersonRecord(evidence=base + (_obs(D(2026, 3, 1), "social-worker"),
                                               _obs(D(2026, 4, 1))))
    assert not checklist(pack, "level-2-to-level-3", wrong_role, D(2026, 8, 31)).complete


def test_hard_word_limit_blocks_and_coverage_warning_does_not(pack):
    """LINCS-10 / LINCS-14 mechanics."""
    ev = (_obs(D(2026, 3, 1)), _obs(D(2026, 4, 1)),
          EvidenceItem("service-user-feedback", D(2026, 5, 1), kss=(4,)),
          EvidenceItem("service-user-feedback", D(2026, 6, 1), kss=(5,)))
    over = PersonRecord(evidence=ev + (EvidenceItem("written-statement", D(2026, 8, 1),
                                                    words=201),), allocated_kss=(4, 5, 7, 1, 2))
    c = checklist(pack, "level-2-to-level-3", over, D(2026, 8, 31))
    assert not c.complete
    ok = PersonRecord(evidence=ev + (EvidenceItem("written-statement", D(2026, 8, 1),
                                                  words=200),), allocated_kss=(4, 5, 7, 1, 2))
    c = checklist(pack, "level-2-to-level-3", ok, D(2026, 8, 31))
    assert c.complete
    fb = next(r for r in c.requirements if r.id == "feedback")
    assert fb.warnings and "1, 2, 7" in fb.warnings[0]


def test_nth_weekday_and_month_only_calendars(pack):
    """DERBY-04 / LINCS-19 mechanics and CONV-06."""
    assert nth_weekday(2026, 4, 1, "friday") == D(2026, 4, 3)
    assert next_submission(pack, "level-2-to-level-3", D(2026, 4, 30)).next_on == "2026-04"
    assert next_submission(pack, "level-2-to-level-3", D(2026, 5, 1)).next_on == "2026-09"
    assert next_submission(pack, "level-2-to-level-3", D(2026, 12, 31)).next_on == "2026-12"
    assert next_submission(pack, "level-2-to-level-3", D(2027, 1, 1)).next_on == "2027-04"
    assert next_submission(pack, "asye", D(2027, 1, 1)).next_on is None


def test_decision_effects(pack):
    """LINCS-25 / NELC-42 mechanics: sitting-date effect, reapply wait, unchanged level."""
    e = decision_effect(pack, "level-2-to-level-3", "pass", D(2026, 9, 15))
    assert (e.level, e.pay_point, e.effective_on) == ("level-3", "SCP 28", D(2026, 9, 15))
    d = decision_effect(pack, "level-2-to-level-3", "defer", D(2026, 11, 30))
    assert (d.level, d.pay_point, d.effective_on, d.reapply_from) == (
        "level-2", None, None, D(2027, 2, 28))
    f = decision_effect(pack, "asye", "fail", D(2027, 9, 1))
    assert f.level == "level-1" and f.reapply_from is None


def test_appeal_due_in_working_days_and_none_when_unset(pack):
    """CONV-02 / NELC-44 mechanics; no appeal rule gives None (NELC-20)."""
    assert appeal_due(pack, "level-2-to-level-3", D(2026, 12, 18)) == D(2027, 1, 6)
    assert appeal_due(pack, "asye", D(2026, 12, 18)) is None


def test_notification_deadline_in_clock_hours(pack):
    """LINCS-23 mechanics: letter within 24 hours of the panel's close."""
    n = notification_deadlines(pack, "level-2-to-level-3", "panel-closed",
                               dt.datetime(2026, 4, 21, 15, 30))
    assert n[0].due.replace(tzinfo=None) == dt.datetime(2026, 4, 22, 15, 30)


def test_escalation_after_qualification(pack):
    """HALTON-17 mechanics: qualified 2024-07-15 -> referral on 2027-07-15 unless heard."""
    p = PersonRecord(qualified_on=D(2024, 7, 15), level="level-2")
    e = escalations_due(pack, p, D(2027, 7, 15))[0]
    assert e.due_on == D(2027, 7, 15) and e.fired
    assert not escalations_due(pack, p, D(2027, 7, 14))[0].fired
    heard = PersonRecord(qualified_on=D(2024, 7, 15), level="level-2", attempts=(
        Attempt("level-2-to-level-3", "defer", D(2027, 1, 10)),))
    assert not escalations_due(pack, heard, D(2027, 8, 1))[0].fired


def test_attendance_threshold_counts_approved_absences(pack):
    """NELC-09 mechanics: attended + approved absences must reach 10 of 12."""
    series = pack.route("asye").programme.attendance[0]
    s = attendance_status(series, 8, ["annual-leave", "court", "holiday"])
    assert s.met and s.shortfall == 0
    s = attendance_status(series, 8, ["other", "holiday"])
    assert not s.met and s.shortfall == 2 and s.override_possible


def test_draws_are_replayable_and_exclude_worker_choices(pack):
    """NELC-28 / LINCS-07 mechanics: seeded draws from a sorted pool, replayable."""
    cases = random_case_draw(pack, "level-2-to-level-3", ["a", "b", "c", "d", "e", "f"],
                             ["a", "b"], seed=3)
    assert len(cases.chosen) == 3 and not {"a", "b"} & set(cases.chosen)
    items, kss_draw = framework_allocation(pack, "level-2-to-level-3", seed=42)
    assert {4, 5, 7} <= set(items) and len(items) == 5
    assert set(kss_draw.chosen) <= {1, 2, 3, 6, 8}
    assert replay(kss_draw) == kss_draw
    d = draw(["c9", "c1", "c5", "c3", "c7"], 3, seed="audit-1", exclude=["c1", "c9"])
    assert d.pool == ("c3", "c5", "c7") and sorted(d.chosen) == ["c3", "c5", "c7"]
    assert draw(range(100), 3, seed=7) == draw(reversed(range(100)), 3, seed=7)
