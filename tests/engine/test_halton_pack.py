"""Halton's rule pack: the rules that no scenario `ask` can reach, checked on the loaded pack.

Seed: 004_5b66ca4edcf6546b.txt. Panels, sign-offs, outcome reasons and preconditions,
notifications and appeal routes are workflow configuration: the workflows read them from the
pack, so these tests pin what the pack says against domain.md section 4.5.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from councils.rules.loader import load_pack_file

PACK_PATH = Path(__file__).resolve().parents[2] / "councils" / "rulepacks" / "halton.yaml"


@pytest.fixture(scope="module")
def pack():
    return load_pack_file(PACK_PATH)


def _panel_roles(pack, route: str) -> list[str]:
    return [m.role for m in pack.route(route).panel.members]


def test_every_halton_rule_is_catalogued_once_and_placed(pack):
    """HALTON-01..30, 004_5b66ca4edcf6546b.txt: the catalogue lists each rule exactly once."""
    ids = pack.rule_ids()
    assert ids == [f"HALTON-{n:02d}" for n in range(1, 31)]


def test_levels_carry_hbc_grades_and_scp_bands(pack):
    """HALTON-01, HALTON-10, HALTON-18, HALTON-25, 004_5b66ca4edcf6546b.txt (Appendix 1)."""
    got = {
        lv.slug: (lv.order, lv.grade_label, lv.pay.text(), lv.pcf_level) for lv in pack.levels
    }
    assert got == {
        "level-1": (1, "HBC 7", "SCP 24", "asye"),
        "level-2": (2, "HBC 7", "SCP 25-27", "social-worker"),
        "level-3": (3, "HBC 8", "SCP 28-31", "experienced"),
        "level-4": (4, "HBC 9", "SCP 32-35", "advanced"),
    }


def test_asye_route_has_two_targets_chosen_by_outcome(pack):
    """HALTON-04, HALTON-06, HALTON-07, 004_5b66ca4edcf6546b.txt: one panel, two passes."""
    route = pack.route("asye")
    assert route.to_level is None
    assert route.target_levels == ["level-2", "level-3"]
    assert route.flags == ["progression-requested"]
    assert route.outcome("pass").effect.to_level == "level-3"
    assert route.outcome("pass-asye-only").effect.to_level == "level-2"


def test_full_progression_pass_needs_the_progression_request_flag(pack):
    """HALTON-06, 004_5b66ca4edcf6546b.txt: `pass` only when progression was requested."""
    pre = pack.route("asye").outcome("pass").preconditions
    assert pre is not None and pre.flag == "progression-requested"
    assert pack.route("asye").outcome("pass-asye-only").preconditions is None


def test_pass_asye_only_reasons_need_text_and_are_required_only_with_a_request(pack):
    """HALTON-07, HALTON-08, 004_5b66ca4edcf6546b.txt: consolidation or worker-request."""
    outcome = pack.route("asye").outcome("pass-asye-only")
    assert {r.code: r.text_required for r in outcome.reasons} == {
        "consolidation": True,
        "worker-request": True,
    }
    assert outcome.reason_required is False
    assert outcome.reason_required_when_flag == "progression-requested"


def test_asye_fail_creates_only_an_hr_task(pack):
    """HALTON-09, 004_5b66ca4edcf6546b.txt: no automatic employment effect."""
    effect = pack.route("asye").outcome("fail").effect
    assert effect.to_level is None and effect.pay is None
    assert [(t.slug, t.roles) for t in effect.tasks] == [("hr-employment-consequence", ["hr"])]


def test_university_representative_sits_on_the_asye_panel_only(pack):
    """HALTON-05, HALTON-15, HALTON-26, 004_5b66ca4edcf6546b.txt: panel members per route."""
    common = ["divisional-manager", "practice-manager-swpd", "practice-lead", "principal-manager"]
    assert sorted(_panel_roles(pack, "asye")) == sorted([*common, "university-representative"])
    assert sorted(_panel_roles(pack, "level-2-to-level-3")) == sorted(common)
    assert sorted(_panel_roles(pack, "level-3-to-level-4")) == sorted(common)


@pytest.mark.parametrize("route", ["asye", "level-2-to-level-3", "level-3-to-level-4"])
def test_panel_chair_is_designated_by_the_administrator(pack, route):
    """HALTON-05, HALTON-15, HALTON-26, 004_5b66ca4edcf6546b.txt: the chair is not stated."""
    panel = pack.route(route).panel
    assert panel.chair_role is None
    assert panel.chair_designated_by_admin is True


@pytest.mark.parametrize("route", ["asye", "level-2-to-level-3", "level-3-to-level-4"])
def test_hr_is_told_by_the_divisional_manager_with_the_operational_director_as_fallback(
    pack, route
):
    """HALTON-28, 004_5b66ca4edcf6546b.txt (Notification to Human Resources)."""
    (note,) = pack.route(route).notifications
    assert (note.event, note.notifier_role, note.fallback_role) == (
        "pay-change", "divisional-manager", "operational-director",
    )
    assert note.recipients == ["hr"] and note.channel == "email"
    assert note.address == "payandpensions@halton.gov.uk"
    assert note.deadline is None and not note.is_stated("deadline")
    for outcome in pack.route(route).outcomes:
        if outcome.effect.pay is not None:
            assert outcome.effect.pay_change_assigned_to == ["divisional-manager"]
            assert outcome.effect.effective_date == "unset"


@pytest.mark.parametrize("route", ["asye", "level-2-to-level-3", "level-3-to-level-4"])
def test_two_final_appeal_routes_without_deadlines(pack, route):
    """HALTON-29, HALTON-30, 004_5b66ca4edcf6546b.txt (Appeals Process)."""
    appeals = {a.trigger: a for a in pack.route(route).appeals}
    assert set(appeals) == {"manager-refusal", "panel-decision"}
    assert appeals["manager-refusal"].addressee_role == "divisional-manager"
    assert appeals["panel-decision"].addressee_role == "operational-director"
    for appeal in appeals.values():
        assert appeal.final is True
        assert appeal.form == "in-writing" and appeal.reasons_required is True
        assert appeal.deadline is None and "deadline" in appeal.not_stated


def test_rcr_needs_the_principal_managers_signature_before_listing(pack):
    """HALTON-03, HALTON-04, HALTON-11, 004_5b66ca4edcf6546b.txt (Appendix 2 signatures)."""
    asye = [s for s in pack.route("asye").signoffs if s.role == "principal-manager"]
    assert len(asye) == 1 and asye[0].blocks == "listing"
    assert asye[0].condition.flag == "progression-requested"
    l3 = [s for s in pack.route("level-2-to-level-3").signoffs if s.role == "principal-manager"]
    assert len(l3) == 1 and l3[0].blocks == "listing" and l3[0].condition is None


def test_divisional_manager_approves_the_advanced_request_before_listing(pack):
    """HALTON-24, 004_5b66ca4edcf6546b.txt (Request for a Professional Interview)."""
    signoffs = {(s.role, s.action, s.blocks) for s in pack.route("level-3-to-level-4").signoffs}
    assert ("principal-manager", "confirms", "listing") in signoffs
    assert ("divisional-manager", "approves", "listing") in signoffs


def test_direct_observation_form_sections_are_mandatory(pack):
    """HALTON-13, 004_5b66ca4edcf6546b.txt (Appendix 3): three sections, both sign."""
    for route in ("level-2-to-level-3", "level-3-to-level-4"):
        (req,) = [e for e in pack.route(route).evidence if e.kind == "direct-observation"]
        signatures = {"signed-by-social-worker", "signed-by-observing-manager"}
        assert signatures <= set(req.mandatory_fields)
        assert {f.split("-")[1] for f in req.mandatory_fields if f.startswith("section")} == {
            "1", "2", "3"}
        assert req.consent_recorded is True


def test_asye_programme_states_only_the_panel_at_twelve_months(pack):
    """HALTON-02, 004_5b66ca4edcf6546b.txt: part time, ceiling and the rest are not stated."""
    programme = pack.route("asye").programme
    assert programme.length.full_time_months == 12
    assert programme.length.part_time_months is None
    assert "part_time_months" in programme.length.not_stated
    assert programme.reviews.final.month == 12 and programme.reviews.final.kind == "panel"
    for name in ("ceiling", "learning_agreement", "supervision", "caseload", "complexity"):
        assert getattr(programme, name) is None and name in programme.not_stated


def test_further_training_and_specialisms_offer_the_named_programmes_as_tags(pack):
    """HALTON-19, HALTON-25, 004_5b66ca4edcf6546b.txt: "including but not limited to"."""
    evidence = {e.id: e for e in pack.route("level-3-to-level-4").evidence}
    assert evidence["further-training"].kind == "accredited-learning"
    assert evidence["further-training"].min == 1
    assert len(evidence["further-training"].suggested_tags) == 5
    assert "Systemic Family Social Worker" in evidence["workforce-sharing"].suggested_tags


def test_escalation_timers_are_configured(pack):
    """HALTON-17, HALTON-27, 004_5b66ca4edcf6546b.txt: referral at 3 years; PE currency."""
    timers = {e.slug: e for e in pack.escalations}
    three = timers["three-years-post-qualifying"]
    assert (three.trigger, three.after.years, three.below_level) == (
        "after-qualification", 3, "level-3",
    )
    assert three.notify_roles == ["divisional-manager"]
    pe = timers["pe-currency"]
    assert (pe.trigger, pe.after.years, pe.reminder_before.months) == ("rolling", 2, 6)
