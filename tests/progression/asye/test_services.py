"""ASYE services, each rule through the service layer with its pack (real packs from
councils/rulepacks)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django_scopes import scope

from councils.models import AuditEvent
from progression.asye import services
from progression.models import (
    AsyeProgramme,
    CaseAllocation,
    CaseloadBreach,
    DevelopmentDay,
    ProgrammeStatus,
    Review,
)
from progression.tasks import escalate_caseload_breaches
from tests.progression.asye.setup import cast, enrol, hold_review, make_team

pytestmark = pytest.mark.django_db
START = dt.date(2024, 10, 1)


def test_enrolment_builds_the_stoke_timeline_from_the_pack():
    """STOKE-10, STOKE-13, STOKE-15, 001_cfd4d7839e7e381c.txt: 12 months, ceiling 24,
    reviews at 3, 6, 9 and 11 (11 waivable)."""
    c = cast()
    p = enrol(c)
    with scope(council=c.council):
        assert (p.planned_end, p.latest_end) == (dt.date(2025, 10, 1), dt.date(2026, 10, 1))
        rows = list(p.reviews.values_list("month", "due_on", "waivable"))
        assert rows == [(3, dt.date(2025, 1, 1), False), (6, dt.date(2025, 4, 1), False),
                        (9, dt.date(2025, 7, 1), False), (11, dt.date(2025, 9, 1), True)]
        assert p.pack_version.version == "2024.09-1"
        assert AuditEvent.objects.filter(action="asye.enrolled", object_id=str(p.pk)).exists()


def test_part_time_enrolment_has_eighteen_months_and_three_monthly_reviews():
    """STOKE-10, STOKE-16, 001_cfd4d7839e7e381c.txt."""
    c = cast()
    p = enrol(c, part_time=True)
    with scope(council=c.council):
        assert p.planned_end == dt.date(2026, 4, 1)
        assert list(p.reviews.values_list("month", flat=True)) == [3, 6, 9, 12, 15]


def test_credit_shortens_the_year_but_never_below_one_year_in_all():
    """STOKE-14, 001_cfd4d7839e7e381c.txt."""
    c = cast()
    p = enrol(c, credit_months=4, credit_evidence="Statement from previous employer")
    with scope(council=c.council):
        assert p.planned_end == dt.date(2025, 6, 1)  # 12 - 4 months; 4 + 8 = one year in all
        assert p.latest_end == dt.date(2026, 6, 1)


def test_credit_without_the_accepted_evidence_is_refused():
    """STOKE-14, 001_cfd4d7839e7e381c.txt."""
    c = cast()
    with pytest.raises(ValidationError) as err:
        enrol(c, credit_months=4)
    assert "credit_evidence" in err.value.message_dict


def test_nelc_gives_no_credit_because_its_policy_states_none():
    """NELC-04, 000_b405b76582c345ce.txt (credit not stated in policy)."""
    c = cast("north-east-lincolnshire", team_tags=())
    with pytest.raises(ValidationError) as err:
        enrol(c, credit_months=3, credit_evidence="x")
    assert "credit_months" in err.value.message_dict


def test_enrolment_into_early_help_is_refused():
    """STOKE-07, 001_cfd4d7839e7e381c.txt."""
    c = cast(team_tags=("early-help",))
    with pytest.raises(ValidationError) as err:
        enrol(c)
    assert "STOKE-07" in " ".join(err.value.messages)
    with scope(council=c.council):
        assert not AsyeProgramme.objects.exists()


def test_enrolment_into_an_unlisted_team_warns():
    """STOKE-05, STOKE-07, 001_cfd4d7839e7e381c.txt: teams on neither list warn."""
    c = cast(team_tags=("duty",))
    with scope(council=c.council):
        result = services.programme_enrol(actor=c.lead, membership=c.nqsw, started_on=START,
                                          part_time=False)
    assert result.programme.pk and result.warnings


def test_qualified_more_than_two_years_before_the_start_is_refused():
    """STOKE-02, 001_cfd4d7839e7e381c.txt."""
    c = cast(qualified=dt.date(2022, 9, 1))
    with pytest.raises(ValidationError) as err:
        enrol(c)
    assert "STOKE-02" in " ".join(err.value.messages)


def test_agency_worker_is_refused_at_stoke():
    """STOKE-04, 001_cfd4d7839e7e381c.txt."""
    c = cast()
    with scope(council=c.council):
        c.nqsw.career_record.is_agency = True
        c.nqsw.career_record.save()
    with pytest.raises(ValidationError) as err:
        enrol(c)
    assert "STOKE-04" in " ".join(err.value.messages)


def test_completed_asye_elsewhere_is_refused():
    """STOKE-02, 001_cfd4d7839e7e381c.txt."""
    c = cast()
    with scope(council=c.council):
        r = c.nqsw.career_record
        r.asye_started, r.asye_completed = dt.date(2023, 1, 1), dt.date(2024, 1, 1)
        r.save()
    with pytest.raises(ValidationError):
        enrol(c)


def test_only_the_asye_lead_enrols_and_a_second_open_programme_is_refused():
    c = cast()
    with scope(council=c.council), pytest.raises(PermissionDenied):
        services.programme_enrol(actor=c.manager, membership=c.nqsw, started_on=START,
                                 part_time=False)
    enrol(c)
    with pytest.raises(ValidationError):
        enrol(c)


def test_learning_agreement_needs_the_supervision_frequency_and_three_signatures():
    """STOKE-09, 001_cfd4d7839e7e381c.txt: due within a month, signed by worker, manager and
    ASYE lead, with the agreed supervision frequency."""
    c = cast()
    p = enrol(c)
    with scope(council=c.council):
        with pytest.raises(ValidationError):
            services.learning_agreement_sign(actor=c.nqsw, programme=p, on=START)
        services.learning_agreement_update(actor=c.lead, programme=p,
                                           supervision_frequency="Weekly to six weeks",
                                           development_plan="Plan")
        for who in (c.nqsw, c.manager):
            la = services.learning_agreement_sign(actor=who, programme=p, on=START)
            assert la.agreed_on is None
        with pytest.raises(PermissionDenied):
            services.learning_agreement_sign(actor=c.nqsw, programme=p, on=START)
        la = services.learning_agreement_sign(actor=c.lead, programme=p,
                                              on=dt.date(2024, 10, 20))
        assert la.agreed_on == dt.date(2024, 10, 20)


def test_fostering_team_needs_the_extra_shadowing_plan():
    """STOKE-06, 001_cfd4d7839e7e381c.txt."""
    c = cast(team_tags=("fostering-adoption",))
    p = enrol(c)
    with scope(council=c.council):
        assert p.flags == ["extra-shadowing-and-co-working-plan"]
        services.learning_agreement_update(actor=c.lead, programme=p,
                                           supervision_frequency="Weekly",
                                           development_plan="Plan")
        with pytest.raises(ValidationError) as err:
            services.learning_agreement_sign(actor=c.nqsw, programme=p, on=START)
        assert "shadowing" in err.value.messages[0]


def test_review_is_held_when_the_asye_lead_signs_last():
    """STOKE-17, 001_cfd4d7839e7e381c.txt."""
    c = cast()
    p = enrol(c)
    with scope(council=c.council):
        review = p.reviews.get(month=3)
        services.review_record(actor=c.manager, review=review, kss_progress="KSS 1-3",
                               actions="Targets", concerns="", complex_work_ready=None,
                               learning_agreement_review="Stands as agreed")
        with pytest.raises(ValidationError) as err:
            services.review_sign(actor=c.lead, review=review, on=review.due_on)
        assert "STOKE-15" in err.value.messages[0]
        services.review_sign(actor=c.nqsw, review=review, on=review.due_on)
        services.review_sign(actor=c.manager, review=review, on=review.due_on)
        assert services.review_sign(actor=c.lead, review=review, on=review.due_on).held_on


def test_someone_without_an_attendee_role_cannot_sign_a_review():
    """STOKE-17, 001_cfd4d7839e7e381c.txt."""
    c = cast()
    p = enrol(c)
    with scope(council=c.council):
        review = p.reviews.get(month=3)
        services.review_record(actor=c.manager, review=review, kss_progress="x", actions="y",
                               concerns="", complex_work_ready=None,
                               learning_agreement_review="Stands as agreed")
        with pytest.raises(PermissionDenied):
            services.review_sign(actor=c.assessor, review=review, on=review.due_on)


def test_eleven_month_review_is_waived_only_by_the_asye_lead_with_a_reason():
    """STOKE-15, 001_cfd4d7839e7e381c.txt ("eleven months (if necessary)")."""
    c = cast()
    p = enrol(c)
    with scope(council=c.council):
        eleven, nine = p.reviews.get(month=11), p.reviews.get(month=9)
        with pytest.raises(PermissionDenied):
            services.review_waive(actor=c.manager, review=eleven, reason="x", on=START)
        with pytest.raises(ValidationError):
            services.review_waive(actor=c.lead, review=eleven, reason=" ", on=START)
        with pytest.raises(ValidationError):
            services.review_waive(actor=c.lead, review=nine, reason="x", on=START)
        assert services.review_waive(actor=c.lead, review=eleven, reason="Ready",
                                     on=START).waived_on


def test_nelc_reviews_are_three_six_nine_and_the_twelve_month_panel():
    """NELC-11, 000_b405b76582c345ce.txt."""
    c = cast("north-east-lincolnshire", team_tags=())
    p = enrol(c)
    with scope(council=c.council):
        assert list(p.reviews.values_list("month", "is_final")) == [
            (3, False), (6, False), (9, False), (12, True)]
        assert p.latest_end is None  # ceiling not stated in policy


def _allocate(c, p, kind, on, *, ref=None, role="allocated-worker", qualifier=""):
    with scope(council=c.council):
        return services.case_allocate(actor=c.manager, programme=p, reference=ref or f"C-{kind}",
                                      kind=kind, qualifier=qualifier, role=role, on=on)


def test_child_protection_is_refused_at_month_five():
    """STOKE-29, 001_cfd4d7839e7e381c.txt: no CP before the six-month review; nothing stored."""
    c = cast()
    p = enrol(c)
    hold_review(c, p, 3)
    result = _allocate(c, p, "child-protection", dt.date(2025, 3, 1))
    assert not result.allowed and "STOKE-29" in result.reasons[0]
    with scope(council=c.council):
        assert not CaseAllocation.objects.exists()


def test_child_protection_co_working_is_allowed_at_month_five():
    """STOKE-29, 001_cfd4d7839e7e381c.txt (co-working allowed)."""
    c = cast()
    p = enrol(c)
    assert _allocate(c, p, "child-protection", dt.date(2025, 3, 1), role="co-worker").allowed


def test_child_protection_after_the_six_month_review_needs_a_signed_agreement():
    """STOKE-29, STOKE-41, 001_cfd4d7839e7e381c.txt."""
    c = cast()
    p = enrol(c)
    hold_review(c, p, 3)
    hold_review(c, p, 6)
    on = dt.date(2025, 5, 1)
    result = _allocate(c, p, "child-protection", on)
    assert not result.allowed and "Complex Work Agreement" in result.reasons[0]
    with scope(council=c.council):
        cwa = services.cwa_create(actor=c.manager, programme=p, kinds=["child-protection"],
                                  arrangements="Co-work with senior", agreed_at="asye-review")
        for who in (c.nqsw, c.manager, c.lead):
            cwa = services.cwa_sign(actor=who, agreement=cwa, on=on)
        assert cwa.agreed_on == on
    result = _allocate(c, p, "child-protection", on)
    assert result.allowed and result.allocation.under_agreement == cwa


def test_care_proceedings_are_refused_before_nine_months_and_private_law_before_three():
    """STOKE-32, STOKE-34, 001_cfd4d7839e7e381c.txt."""
    c = cast()
    p = enrol(c)
    assert not _allocate(c, p, "care-proceedings", dt.date(2025, 6, 1)).allowed
    assert not _allocate(c, p, "private-law", dt.date(2024, 12, 1)).allowed
    hold_review(c, p, 3)
    assert _allocate(c, p, "private-law", dt.date(2025, 1, 5)).allowed


def test_readiness_at_the_nine_month_review_lifts_the_gates_and_ends_agreements():
    """STOKE-28, STOKE-41, 001_cfd4d7839e7e381c.txt."""
    c = cast()
    p = enrol(c)
    for m in (3, 6):
        hold_review(c, p, m)
    hold_review(c, p, 9, ready=True)
    assert _allocate(c, p, "care-proceedings", dt.date(2025, 7, 2)).allowed


def test_the_seventeenth_child_is_refused_at_stoke():
    """STOKE-26, 001_cfd4d7839e7e381c.txt: cap of 16 children."""
    c = cast()
    p = enrol(c)
    on = dt.date(2025, 1, 10)
    for i in range(16):
        assert _allocate(c, p, "child-in-need", on, ref=f"CIN-{i}").allowed
    result = _allocate(c, p, "child-in-need", on, ref="CIN-16")
    assert not result.allowed and "STOKE-26" in result.reasons[0] and "16" in result.reasons[0]


def test_nelc_allocation_in_induction_warns():
    """NELC-05, 000_b405b76582c345ce.txt: allocation in the first four weeks warns."""
    c = cast("north-east-lincolnshire", team_tags=())
    p = enrol(c)
    result = _allocate(c, p, "child-in-need", dt.date(2024, 10, 10))
    assert result.allowed and any("NELC-05" in w for w in result.warnings)


def test_caseload_breach_escalates_after_fourteen_days_once():
    """STOKE-27, 001_cfd4d7839e7e381c.txt."""
    c = cast()
    p = enrol(c)
    with scope(council=c.council):
        with pytest.raises(PermissionDenied):
            services.caseload_breach_report(actor=c.manager, programme=p, on=START)
        breach = services.caseload_breach_report(actor=c.nqsw, programme=p,
                                                 on=dt.date(2025, 2, 1))
        assert breach.escalate_on == dt.date(2025, 2, 15)
    assert escalate_caseload_breaches(on="2025-02-14") == 0
    assert escalate_caseload_breaches(on="2025-02-15") == 1
    assert escalate_caseload_breaches(on="2025-02-16") == 0
    with scope(council=c.council):
        breach = CaseloadBreach.objects.get()
        assert breach.escalated_on == dt.date(2025, 2, 15)
        assert breach.escalated_to == ["principal-social-worker"]


def test_seventh_study_day_is_refused():
    """STOKE-21, 001_cfd4d7839e7e381c.txt: up to six."""
    c = cast()
    p = enrol(c)
    with scope(council=c.council):
        for i in range(6):
            day = services.study_day_request(actor=c.nqsw, programme=p,
                                             on=dt.date(2025, 1, 6 + i), purpose="Portfolio")
        services.study_day_approve(actor=c.manager, study_day=day, on=START)
        with pytest.raises(ValidationError) as err:
            services.study_day_request(actor=c.nqsw, programme=p, on=dt.date(2025, 2, 3),
                                       purpose="Portfolio")
        assert "STOKE-21" in err.value.messages[0]


def test_extension_beyond_the_ceiling_is_refused():
    """STOKE-11, STOKE-13, 001_cfd4d7839e7e381c.txt."""
    c = cast()
    p = enrol(c)
    with scope(council=c.council):
        with pytest.raises(PermissionDenied):
            services.extension_approve(actor=c.manager, programme=p, reason="Illness",
                                       new_end=dt.date(2026, 1, 1), on=START)
        with pytest.raises(ValidationError) as err:
            services.extension_approve(actor=c.principal_manager, programme=p, reason="Illness",
                                       new_end=dt.date(2026, 10, 2), on=START)
        assert "STOKE-13" in " ".join(err.value.message_dict["new_end"])
        ext = services.extension_approve(actor=c.principal_manager, programme=p,
                                         reason="Illness", new_end=dt.date(2026, 10, 1),
                                         on=START)
        p.refresh_from_db()
        assert (p.planned_end, p.status, ext.previous_end) == (
            dt.date(2026, 10, 1), ProgrammeStatus.EXTENDED, dt.date(2025, 10, 1))


def test_deferral_only_for_the_packs_reasons_and_within_the_ceiling():
    """STOKE-12, STOKE-13, 001_cfd4d7839e7e381c.txt."""
    c = cast()
    p = enrol(c)
    with scope(council=c.council):
        with pytest.raises(ValidationError) as err:
            services.deferral_record(actor=c.manager, programme=p, reason="holiday",
                                     new_end=dt.date(2026, 1, 1), on=START)
        assert "STOKE-12" in err.value.message_dict["reason"][0]
        with pytest.raises(ValidationError):
            services.deferral_record(actor=c.manager, programme=p, reason="maternity-leave",
                                     new_end=dt.date(2027, 1, 1), on=START)
        d = services.deferral_record(actor=c.manager, programme=p, reason="maternity-leave",
                                     new_end=dt.date(2026, 6, 1), on=START)
        assert d.new_end == dt.date(2026, 6, 1)


def test_nelc_attendance_threshold_is_ten_of_twelve():
    """NELC-09, 000_b405b76582c345ce.txt: court and sickness are approved absences."""
    from progression.asye.selectors import attendance_summary

    c = cast("north-east-lincolnshire", team_tags=())
    p = enrol(c)
    with scope(council=c.council):
        for i in range(12):
            day = services.development_day_create(actor=c.lead, council=c.council,
                                                  series="development-days",
                                                  held_on=dt.date(2024, 10 + i % 3, 1 + i))
            reason = {0: "court", 1: "sickness", 2: "other", 3: "other"}.get(i, "")
            services.attendance_record(actor=c.lead, programme=p, day=day, attended=not reason,
                                       absence_reason=reason)
        dev = attendance_summary(p, list(p.attendances.select_related("day")))[0]
        assert (dev.status.attended, dev.status.approved_absences, dev.status.required) == (
            8, 2, 10)
        assert dev.status.met and not dev.below
        day = DevelopmentDay.objects.create(council=c.council, series="development-days",
                                            held_on=dt.date(2025, 9, 1))
        services.attendance_record(actor=c.lead, programme=p, day=day, attended=False,
                                   absence_reason="other")
        dev = attendance_summary(p, list(p.attendances.select_related("day")))[0]
        assert dev.below


def test_supervision_by_someone_outside_the_chain_is_refused():
    """NELC-07 / STOKE-18, 001_cfd4d7839e7e381c.txt: the manager supervises."""
    c = cast()
    p = enrol(c)
    with scope(council=c.council):
        with pytest.raises(PermissionDenied):
            services.supervision_record(actor=c.assessor, programme=p, held_on=START)
        s = services.supervision_record(actor=c.manager, programme=p, held_on=START)
        assert s.supervisor == c.manager


def test_observation_sections_are_signed_by_their_authors():
    """STOKE-25, 001_cfd4d7839e7e381c.txt: registered observer, not an NQSW."""
    c = cast()
    p = enrol(c)
    other_team = make_team(c.council, "Other")
    del other_team
    with scope(council=c.council):
        with pytest.raises(ValidationError):  # the manager has no SWE registration recorded
            services.observation_create(actor=c.nqsw, programme=p, observer=c.manager,
                                        observed_on=dt.date(2025, 2, 1))
        from progression.models import CareerRecord
        CareerRecord.objects.create(council=c.council, membership=c.manager,
                                    swe_registration_number="SW123")
        obs = services.observation_create(actor=c.nqsw, programme=p, observer=c.manager,
                                          observed_on=dt.date(2025, 2, 1))
        with pytest.raises(PermissionDenied):
            services.observation_section_complete(actor=c.nqsw, observation=obs,
                                                  section="assessment",
                                                  data={"assessment": "x"}, on=START)
        with pytest.raises(ValidationError):
            services.observation_section_complete(actor=c.nqsw, observation=obs,
                                                  section="reflection",
                                                  data={"reflection": "x"}, on=START)
        services.observation_section_complete(actor=c.manager, observation=obs,
                                              section="assessment",
                                              data={"assessment": "Good", "kss": [1, 2]},
                                              on=START)
        obs = services.observation_section_complete(actor=c.nqsw, observation=obs,
                                                    section="reflection",
                                                    data={"reflection": "Learnt"}, on=START)
        assert obs.assessment_signed_on and obs.reflection_signed_on


def test_final_report_goes_to_the_panel_after_the_assessors_sign_off():
    c = cast()
    p = enrol(c)
    with scope(council=c.council):
        with pytest.raises(PermissionDenied):
            services.final_report_submit(actor=c.nqsw, programme=p, recommendation="pass",
                                         summary="x", on=START)
        report = services.final_report_submit(actor=c.manager, programme=p,
                                              recommendation="pass", summary="Met the KSS",
                                              on=dt.date(2025, 9, 20))
        with pytest.raises(PermissionDenied):
            services.final_report_sign(actor=c.nqsw, report=report, on=START)
        report = services.final_report_sign(actor=c.assessor, report=report,
                                            on=dt.date(2025, 9, 25))
        p.refresh_from_db()
        assert report.handed_to_panel_on and p.status == ProgrammeStatus.WITH_PANEL
        with pytest.raises(ValidationError):
            services.supervision_record(actor=c.manager, programme=p, held_on=START)
        assert Review.objects.filter(programme=p).count() == 4
