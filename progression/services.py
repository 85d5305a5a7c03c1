"""Writes on career records: the only code that changes a ``CareerRecord``, its hours history
and its extended absences. Each service is atomic, locks the membership it writes under,
validates with ``full_clean`` and writes an audit event. Invalid input raises
``ValidationError`` keyed by field and writes nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django_scopes import scope

from councils.audit import audit_log
from councils.models import Membership, User
from progression.models import AbsenceReason, CareerRecord, ExtendedAbsence, HoursPeriod

# Fields ``career_record_update`` may change; the rest (membership, council) never move.
DETAIL_FIELDS = (
    "swe_registration_number", "registration_renewal_date", "qualification_date",
    "qualification_country", "registration_date", "employment_start", "is_agency",
    "asye_started", "asye_completed", "asye_credit_months", "probation_end",
)
PAY_FIELDS = ("current_level", "grade_label", "spinal_column_point", "payroll_number")
EDITABLE_FIELDS = frozenset(DETAIL_FIELDS + PAY_FIELDS)
DATE_FIELDS = frozenset({
    "registration_renewal_date", "qualification_date", "registration_date", "employment_start",
    "asye_started", "asye_completed", "probation_end",
})


def _json(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _record_for_update(membership: Membership) -> CareerRecord:
    """Lock the membership (so two first writes cannot create two records) and return its
    record, creating a blank one if none exists yet."""
    locked = Membership.objects.select_for_update(of=("self",)).select_related("user").get(
        council=membership.council, pk=membership.pk)
    record = CareerRecord.objects.select_for_update(of=("self",)).filter(membership=locked).first()
    if record is None:
        record = CareerRecord(council=locked.council, membership=locked)
        record.full_clean()
        record.save()
    record.membership = locked
    return record


@transaction.atomic
def career_record_update(
    *, actor: User, membership: Membership, changes: dict[str, Any]
) -> CareerRecord:
    """Apply ``changes`` (field name to new value, from ``EDITABLE_FIELDS``) to the career
    record of ``membership``, creating the record on first write.

    The Social Work England number is stored upper-case and must be unique in the council.
    Unchanged values are not audited; a call that changes nothing writes nothing.
    """
    unknown = set(changes) - EDITABLE_FIELDS
    if unknown:
        raise ValueError(f"Not editable on a career record: {', '.join(sorted(unknown))}")
    council = membership.council
    with scope(council=council):
        record = _record_for_update(membership)
        if "swe_registration_number" in changes:
            number = (changes["swe_registration_number"] or "").strip().upper().replace(" ", "")
            changes = {**changes, "swe_registration_number": number}
            if number and CareerRecord.objects.filter(
                council=council, swe_registration_number=number
            ).exclude(pk=record.pk).exists():
                raise ValidationError({"swe_registration_number":
                                       "Another person in this council has this Social Work "
                                       "England registration number."})
        before: dict[str, Any] = {}
        after: dict[str, Any] = {}
        for name, value in changes.items():
            if value is None and name not in DATE_FIELDS:
                # Only dates are nullable; an emptied text or number field means "not set".
                value = 0 if name == "asye_credit_months" else ""
            if getattr(record, name) != value:
                before[name] = _json(getattr(record, name))
                after[name] = _json(value)
                setattr(record, name, value)
        if not after:
            return record
        record.updated_at = timezone.now()
        record.full_clean()
        record.save(update_fields=[*after, "updated_at"])
        audit_log(council=council, actor=actor, action="career_record.updated", obj=record,
                  affected_user=record.membership.user,
                  data={"before": before, "after": after})
    return record


@transaction.atomic
def hours_period_add(
    *, actor: User, membership: Membership, effective_from: dt.date, fte: Decimal, note: str = ""
) -> HoursPeriod:
    """Record that ``membership`` works ``fte`` (0 < fte <= 1) from ``effective_from`` until
    the next period. One period per start date: a second one on the same date is refused."""
    council = membership.council
    with scope(council=council):
        record = _record_for_update(membership)
        if HoursPeriod.objects.filter(record=record, effective_from=effective_from).exists():
            raise ValidationError({"effective_from": "Hours already start on this date for this "
                                                     "person. Choose another date."})
        period = HoursPeriod(council=council, record=record, effective_from=effective_from,
                             fte=fte, note=note.strip(), recorded_by=actor)
        period.full_clean()
        period.save()
        audit_log(council=council, actor=actor, action="career_record.hours_added", obj=period,
                  affected_user=record.membership.user,
                  data={"after": {"effective_from": effective_from.isoformat(),
                                  "fte": str(period.fte), "note": period.note}})
    return period


@transaction.atomic
def absence_record(
    *,
    actor: User,
    membership: Membership,
    starts_on: dt.date,
    ends_on: dt.date | None,
    reason: str,
    note: str = "",
) -> ExtendedAbsence:
    """Mark an absence of ``membership`` as extended (``ends_on`` None while it continues).

    Refused when it ends before it starts or overlaps an absence already recorded.
    """
    if reason not in AbsenceReason.values:
        raise ValidationError({"reason": "Select the reason for the absence."})
    if ends_on is not None and ends_on < starts_on:
        raise ValidationError({"ends_on": "The last day cannot be before the first day."})
    council = membership.council
    with scope(council=council):
        record = _record_for_update(membership)
        # Two ranges overlap when each starts before the other ends (open ends never end).
        overlapping = ExtendedAbsence.objects.filter(record=record).filter(
            Q(ends_on__isnull=True) | Q(ends_on__gte=starts_on))
        if ends_on is not None:
            overlapping = overlapping.filter(starts_on__lte=ends_on)
        if overlapping.exists():
            raise ValidationError({"starts_on": "This overlaps an extended absence already "
                                                "recorded for this person."})
        absence = ExtendedAbsence(council=council, record=record, starts_on=starts_on,
                                  ends_on=ends_on, reason=reason, note=note.strip(),
                                  marked_extended_by=actor)
        absence.full_clean()
        absence.save()
        audit_log(council=council, actor=actor, action="career_record.absence_recorded",
                  obj=absence, affected_user=record.membership.user,
                  data={"after": {"starts_on": starts_on.isoformat(),
                                  "ends_on": ends_on.isoformat() if ends_on else None,
                                  "reason": reason}})
    return absence
