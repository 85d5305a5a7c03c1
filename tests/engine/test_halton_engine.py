"""Halton rules answered by the engine outside the scenario `ask` kinds.

Seed: 004_5b66ca4edcf6546b.txt. Covers the outcome rules a panel must respect (which outcome
it may record and what reasons it must give), the Practice Educator reminder date, and the
generic ``reason_required_when_flag`` outcome field added for HALTON-07.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from councils.rules.loader import load_pack_file
from councils.rules.schema import Outcome, RulePack
from progression.engine import escalations_due, outcome_problems
from progression.engine.record import Attempt, PersonRecord

PACK_PATH = Path(__file__).resolve().parents[2] / "councils" / "rulepacks" / "halton.yaml"
REQUESTED = frozenset({"progression-requested"})


@pytest.fixture(scope="module")
def pack() -> RulePack:
    return load_pack_file(PACK_PATH)


def _codes(problems) -> list[str]:
    return [p.code for p in problems]


def test_full_progression_pass_is_refused_without_a_progression_request(pack):
    """HALTON-06, 004_5b66ca4edcf6546b.txt: `pass` only when progression was requested."""
    assert _codes(outcome_problems(pack, "asye", "pass")) == ["needs-flag"]
    assert outcome_problems(pack, "asye", "pass", flags=REQUESTED) == []


def test_asye_only_pass_without_a_request_needs_no_reason(pack):
    """HALTON-07, 004_5b66ca4edcf6546b.txt: the only passing outcome without a request."""
    assert outcome_problems(pack, "asye", "pass-asye-only") == []


def test_asye_only_pass_after_a_request_needs_a_reason(pack):
    """HALTON-07, 004_5b66ca4edcf6546b.txt: not progressing must be stated and recorded."""
    problems = outcome_problems(pack, "asye", "pass-asye-only", flags=REQUESTED)
    assert _codes(problems) == ["reason-required"]
    assert "HALTON-07" in problems[0].rule


def test_consolidation_reason_needs_the_areas_for_development(pack):
    """HALTON-07, 004_5b66ca4edcf6546b.txt: areas for development clearly identified."""
    assert _codes(outcome_problems(pack, "asye", "pass-asye-only", flags=REQUESTED,
                                   reason_code="consolidation")) == ["reason-text-required"]
    assert outcome_problems(pack, "asye", "pass-asye-only", flags=REQUESTED,
                            reason_code="consolidation",
                            reason_text="Court skills; chairing meetings") == []


def test_worker_request_to_defer_progression_needs_its_reasons_recorded(pack):
    """HALTON-08, 004_5b66ca4edcf6546b.txt: the reasons are discussed and clearly recorded."""
    assert _codes(outcome_problems(pack, "asye", "pass-asye-only", flags=REQUESTED,
                                   reason_code="worker-request", reason_text="  ")) == [
        "reason-text-required"]
    assert outcome_problems(pack, "asye", "pass-asye-only", flags=REQUESTED,
                            reason_code="worker-request",
                            reason_text="Wants another year on a long-term team") == []


def test_unknown_reason_is_refused(pack):
    """HALTON-07, 004_5b66ca4edcf6546b.txt: only consolidation or worker-request."""
    assert _codes(outcome_problems(pack, "asye", "pass-asye-only", flags=REQUESTED,
                                   reason_code="capability", reason_text="x")) == [
        "unknown-reason"]


def test_asye_fail_may_be_recorded_and_defer_is_not_an_asye_outcome(pack):
    """HALTON-09, HALTON-16, 004_5b66ca4edcf6546b.txt: fail on asye; defer on progression."""
    assert outcome_problems(pack, "asye", "fail") == []
    assert _codes(outcome_problems(pack, "asye", "defer")) == ["unknown-outcome"]
    assert outcome_problems(pack, "level-2-to-level-3", "defer") == []
    assert outcome_problems(pack, "level-3-to-level-4", "defer") == []


def test_reason_required_when_flag_is_generic():
    """Schema/engine addition for HALTON-07: any outcome may require a reason under a flag."""
    o = Outcome.model_validate({
        "slug": "hold", "rules": ["CONV-01"], "reasons": [{"code": "why"}],
        "reason_required_when_flag": "some-flag",
    })
    assert o.reason_required_when_flag == "some-flag"
    assert Outcome.model_validate({"slug": "x", "rules": ["CONV-01"]}).reason_required_when_flag \
        is None


def _timer(pack, person, on, slug):
    (due,) = [e for e in escalations_due(pack, person, on) if e.slug == slug]
    return due


def test_pe_currency_reminder_six_months_before_expiry(pack):
    """HALTON-27, 004_5b66ca4edcf6546b.txt: reminder 6 months before; month-end clamp."""
    person = PersonRecord(level="level-4", anchors={"pe-stage-2-or-last-student":
                                                     dt.date(2024, 2, 29)})
    due = _timer(pack, person, dt.date(2025, 8, 28), "pe-currency")
    # 2024-02-29 + 2 years = 2026-02-28 (CONV-01); 6 months back = 2025-08-28
    assert (due.due_on, due.reminder_on, due.fired) == (
        dt.date(2026, 2, 28), dt.date(2025, 8, 28), False)
    assert due.rules == ["HALTON-27"]


def test_pe_currency_without_a_pe_date_is_not_computed(pack):
    """HALTON-27, 004_5b66ca4edcf6546b.txt: only workers with PE Stage 2 have the timer."""
    due = _timer(pack, PersonRecord(level="level-4"), dt.date(2030, 1, 1), "pe-currency")
    assert (due.due_on, due.fired, due.reminder_on) == (None, False, None)


def test_three_year_referral_goes_to_the_divisional_manager(pack):
    """HALTON-17, 004_5b66ca4edcf6546b.txt: qualified 2024-07-15 -> referral 2027-07-15."""
    person = PersonRecord(qualified_on=dt.date(2024, 7, 15), level="level-2",
                          attempts=(Attempt("asye", "pass-asye-only", dt.date(2025, 9, 30)),))
    due = _timer(pack, person, dt.date(2027, 7, 15), "three-years-post-qualifying")
    assert (due.due_on, due.fired, due.notify_roles) == (
        dt.date(2027, 7, 15), True, ["divisional-manager"])
    assert due.reminder_on is None
