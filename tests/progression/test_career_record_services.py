"""Career-record services: record update, hours periods and extended absences. Each audits,
refuses bad input with a message keyed by field, and leaves nothing half-written."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django_scopes import scope

from councils.models import AuditEvent
from progression import services
from progression.models import AbsenceReason, CareerRecord, ExtendedAbsence, HoursPeriod
from progression.selectors import access_career_record, career_record_history, fte_on
from tests.progression.people_setup import make_council, make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def council():
    return make_council("north-east-lincolnshire")


@pytest.fixture
def admin(council):
    return make_member(council, "admin@nelc.example", ["council-admin"])


@pytest.fixture
def worker(council):
    return make_member(council, "worker@nelc.example", ["social-worker"])


def test_first_update_creates_the_record_and_audits_only_changes(council, admin, worker):
    record = services.career_record_update(actor=admin.user, membership=worker, changes={
        "swe_registration_number": " sw 12345 ", "qualification_date": dt.date(2025, 7, 1),
        "employment_start": dt.date(2025, 9, 1), "is_agency": False,
        "spinal_column_point": "JE 31",
    })
    assert record.pk is not None
    assert record.swe_registration_number == "SW12345"
    with scope(council=council):
        event = AuditEvent.objects.get(action="career_record.updated")
    assert event.affected_user == worker.user
    assert event.data["after"] == {"swe_registration_number": "SW12345",
                                   "qualification_date": "2025-07-01",
                                   "employment_start": "2025-09-01",
                                   "spinal_column_point": "JE 31"}
    assert "is_agency" not in event.data["before"]  # unchanged values are not audited
    # Saving the same values again writes no second event.
    services.career_record_update(actor=admin.user, membership=worker,
                                  changes={"spinal_column_point": "JE 31"})
    with scope(council=council):
        assert AuditEvent.objects.filter(action="career_record.updated").count() == 1


@pytest.mark.parametrize("number", ["12345", "SW", "SW12A45", "XX12345"])
def test_swe_number_must_be_sw_followed_by_digits(council, admin, worker, number):
    with pytest.raises(ValidationError) as caught:
        services.career_record_update(actor=admin.user, membership=worker,
                                      changes={"swe_registration_number": number})
    assert "SW followed by digits" in caught.value.message_dict["swe_registration_number"][0]
    with scope(council=council):
        assert not AuditEvent.objects.exists()


def test_swe_number_is_unique_within_a_council_but_not_across(council, admin, worker):
    other = make_council("halton")
    services.career_record_update(actor=admin.user, membership=worker,
                                  changes={"swe_registration_number": "SW1"})
    colleague = make_member(council, "colleague@nelc.example")
    with pytest.raises(ValidationError) as caught:
        services.career_record_update(actor=admin.user, membership=colleague,
                                      changes={"swe_registration_number": "SW1"})
    assert "Another person" in caught.value.message_dict["swe_registration_number"][0]
    other_admin = make_member(other, "admin@halton.example", ["council-admin"])
    elsewhere = make_member(other, "x@halton.example")
    services.career_record_update(actor=other_admin.user, membership=elsewhere,
                                  changes={"swe_registration_number": "SW1"})


def test_asye_completion_before_start_is_refused(council, admin, worker):
    with pytest.raises(ValidationError):
        services.career_record_update(actor=admin.user, membership=worker, changes={
            "asye_started": dt.date(2026, 9, 1), "asye_completed": dt.date(2026, 8, 1)})
    with scope(council=council):
        assert not CareerRecord.objects.filter(asye_started__isnull=False).exists()


def test_unknown_fields_are_a_programming_error(admin, worker):
    with pytest.raises(ValueError, match="membership"):
        services.career_record_update(actor=admin.user, membership=worker,
                                      changes={"membership": None})


def test_hours_history_gives_the_fte_on_any_date(council, admin, worker):
    """CONV-05 (domain.md section 3): the FTE in force on any date is known from the history."""
    services.hours_period_add(actor=admin.user, membership=worker,
                              effective_from=dt.date(2025, 9, 1), fte=Decimal("1"))
    services.hours_period_add(actor=admin.user, membership=worker,
                              effective_from=dt.date(2026, 3, 1), fte=Decimal("0.5"),
                              note="Flexible working request")
    with scope(council=council):
        record = access_career_record(council, worker.pk)
        hours = career_record_history(record).hours
        assert AuditEvent.objects.filter(action="career_record.hours_added").count() == 2
    assert fte_on(hours, dt.date(2025, 8, 31)) is None
    assert fte_on(hours, dt.date(2025, 9, 1)) == Decimal("1")
    assert fte_on(hours, dt.date(2026, 2, 28)) == Decimal("1")
    assert fte_on(hours, dt.date(2026, 3, 1)) == Decimal("0.5")
    assert fte_on(hours, dt.date(2030, 1, 1)) == Decimal("0.5")


@pytest.mark.parametrize("fte", [Decimal("0"), Decimal("-0.5"), Decimal("1.01")])
def test_hours_outside_zero_to_one_are_refused(council, admin, worker, fte):
    with pytest.raises(ValidationError) as caught:
        services.hours_period_add(actor=admin.user, membership=worker,
                                  effective_from=dt.date(2026, 1, 1), fte=fte)
    assert "fte" in caught.value.message_dict
    with scope(council=council):
        assert not HoursPeriod.objects.exists()
        assert not AuditEvent.objects.exists()


def test_database_refuses_out_of_range_fte_even_without_the_service(council, admin, worker):
    services.hours_period_add(actor=admin.user, membership=worker,
                              effective_from=dt.date(2026, 1, 1), fte=Decimal("1"))
    with scope(council=council):
        record = CareerRecord.objects.get(membership=worker)
        with pytest.raises(IntegrityError), transaction.atomic():
            HoursPeriod.objects.create(council=council, record=record,
                                       effective_from=dt.date(2026, 2, 1), fte=Decimal("1.5"))


def test_two_hours_periods_on_one_date_are_refused(council, admin, worker):
    services.hours_period_add(actor=admin.user, membership=worker,
                              effective_from=dt.date(2026, 1, 1), fte=Decimal("1"))
    with pytest.raises(ValidationError) as caught:
        services.hours_period_add(actor=admin.user, membership=worker,
                                  effective_from=dt.date(2026, 1, 1), fte=Decimal("0.6"))
    assert "already start on this date" in caught.value.message_dict["effective_from"][0]


def test_absence_is_recorded_with_the_manager_who_marked_it(council, admin, worker):
    absence = services.absence_record(
        actor=admin.user, membership=worker, starts_on=dt.date(2026, 1, 5), ends_on=None,
        reason=AbsenceReason.MATERNITY_LEAVE)
    assert absence.marked_extended_by == admin.user
    assert absence.covers(dt.date(2027, 1, 1)) and not absence.covers(dt.date(2026, 1, 4))
    with scope(council=council):
        event = AuditEvent.objects.get(action="career_record.absence_recorded")
    assert event.data["after"] == {"starts_on": "2026-01-05", "ends_on": None,
                                   "reason": "maternity-leave"}


def test_absence_ending_before_it_starts_or_overlapping_is_refused(council, admin, worker):
    with pytest.raises(ValidationError) as caught:
        services.absence_record(actor=admin.user, membership=worker,
                                starts_on=dt.date(2026, 3, 1), ends_on=dt.date(2026, 2, 1),
                                reason=AbsenceReason.LONG_TERM_SICKNESS)
    assert "ends_on" in caught.value.message_dict
    services.absence_record(actor=admin.user, membership=worker, starts_on=dt.date(2026, 3, 1),
                            ends_on=dt.date(2026, 5, 31), reason=AbsenceReason.LONG_TERM_SICKNESS)
    with pytest.raises(ValidationError) as caught:
        services.absence_record(actor=admin.user, membership=worker,
                                starts_on=dt.date(2026, 5, 31), ends_on=None,
                                reason=AbsenceReason.OTHER)
    assert "overlaps" in caught.value.message_dict["starts_on"][0]
    services.absence_record(actor=admin.user, membership=worker, starts_on=dt.date(2026, 6, 1),
                            ends_on=None, reason=AbsenceReason.OTHER)
    with scope(council=council):
        assert ExtendedAbsence.objects.count() == 2


def test_database_refuses_an_absence_ending_before_it_starts(council, admin, worker):
    services.hours_period_add(actor=admin.user, membership=worker,
                              effective_from=dt.date(2026, 1, 1), fte=Decimal("1"))
    with scope(council=council):
        record = CareerRecord.objects.get(membership=worker)
        with pytest.raises(IntegrityError), transaction.atomic():
            ExtendedAbsence.objects.create(
                council=council, record=record, starts_on=dt.date(2026, 2, 1),
                ends_on=dt.date(2026, 1, 1), reason="other", marked_extended_by=admin.user)


def test_access_career_record_answers_404_for_another_councils_member(council, worker):
    other = make_council("derbyshire")
    with scope(council=other), pytest.raises(Http404):
        access_career_record(other, worker.pk)
    with scope(council=council):
        record = access_career_record(council, worker.pk)
    assert record.pk is None and record.membership == worker
