"""Reads of career records. Every read starts from the council; ``access_career_record``
turns a membership id from a URL into a record or raises ``Http404``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.http import Http404

from councils.models import Council, Membership
from progression.models import CareerRecord, ExtendedAbsence, HoursPeriod


def access_career_record(council: Council, membership_id: int) -> CareerRecord:
    """The career record of membership ``membership_id`` of ``council``, or ``Http404``
    (the same whether the membership is missing or another council's).

    A member whose record nobody has filled in yet gets a blank, unsaved ``CareerRecord``
    (``pk`` is None) attached to their membership; the services create it on first write.
    """
    membership = (
        Membership.objects.filter(council=council, pk=membership_id)
        .select_related("user", "team", "line_manager__user", "council")
        .prefetch_related("roles")
        .first()
    )
    if membership is None:
        raise Http404("No such person in this council.")
    record = CareerRecord.objects.filter(council=council, membership=membership).first()
    if record is None:
        record = CareerRecord(council=council, membership=membership)
    else:
        record.membership = membership  # keep the loaded user, team and line manager
    return record


@dataclass(frozen=True)
class RecordHistory:
    """The hours periods (oldest first) and extended absences (newest first) of a record."""

    hours: list[HoursPeriod]
    absences: list[ExtendedAbsence]


def career_record_history(record: CareerRecord) -> RecordHistory:
    """Hours and absences of ``record`` in two queries; empty for an unsaved record."""
    if record.pk is None:
        return RecordHistory(hours=[], absences=[])
    hours = list(
        HoursPeriod.objects.filter(council_id=record.council_id, record=record)
        .select_related("recorded_by").order_by("effective_from")
    )
    absences = list(
        ExtendedAbsence.objects.filter(council_id=record.council_id, record=record)
        .select_related("marked_extended_by").order_by("-starts_on")
    )
    return RecordHistory(hours=hours, absences=absences)


def fte_on(hours: list[HoursPeriod], on: dt.date) -> Decimal | None:
    """The FTE in force on ``on``: the latest period starting on or before it; None before the
    first period. ``hours`` must be ordered by ``effective_from`` (as the history gives it)."""
    current: Decimal | None = None
    for period in hours:
        if period.effective_from > on:
            break
        current = period.fte
    return current


@dataclass(frozen=True)
class RecordOnDate:
    """What the record says about one date: the FTE in force and the extended absences
    covering it (CONV-05: part-time work is known on any date)."""

    on: dt.date
    fte: Decimal | None
    absences: list[ExtendedAbsence]


def record_on(history: RecordHistory, on: dt.date) -> RecordOnDate:
    """The FTE in force and the extended absences covering ``on``, from a loaded history
    (no query)."""
    return RecordOnDate(
        on=on,
        fte=fte_on(history.hours, on),
        absences=[absence for absence in history.absences if absence.covers(on)],
    )
