"""Translate a person's stored records into the engine's plain input (``PersonRecord``).

The engine is pure and knows nothing of models; this module is the only bridge. Apps that
hold more facts (ASYE reviews, evidence, attempts) pass them in as keyword arguments, already
converted to engine dataclasses, so this module does not import those apps.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from councils.models import Membership
from progression.engine import Absence, AsyeRecord, HoursEntry, PersonRecord
from progression.models import CareerRecord


def _team_tags(membership: Membership) -> tuple[str, ...]:
    return tuple(membership.team.tags) if membership.team_id and membership.team else ()


def person_record_for(
    membership: Membership,
    *,
    on: dt.date,
    record: CareerRecord | None = None,
    **extra: Any,
) -> PersonRecord:
    """The engine's view of ``membership`` on ``on``.

    ``record`` may be passed when already loaded (``hours_periods`` and ``absences``
    prefetched), to keep page query counts constant. An open-ended absence counts up to
    ``on``. ``extra`` sets further PersonRecord fields (``reviews_held``, ``evidence``,
    ``attempts``, ``caseload``, ``flags``...) that other apps compute.
    """
    if record is None:
        record = (
            CareerRecord.objects.filter(membership=membership)
            .prefetch_related("hours_periods", "absences")
            .first()
        )
    fields: dict[str, Any] = {"team_tags": _team_tags(membership)}
    if record is not None:
        hours = tuple(
            HoursEntry(h.effective_from, float(h.fte)) for h in record.hours_periods.all()
        )
        absences = tuple(
            Absence(a.starts_on, min(a.ends_on or on, on), a.reason)
            for a in record.absences.all()
            if a.starts_on <= on
        )
        asye = None
        if record.asye_started or record.asye_completed:
            asye = AsyeRecord(started_on=record.asye_started, completed_on=record.asye_completed,
                              credit_months=record.asye_credit_months)
        fields.update(
            qualified_on=record.qualification_date,
            registered_on=record.registration_date,
            registration_expires_on=record.registration_renewal_date,
            level=record.current_level or None,
            hours=hours or None,
            absences=absences,
            asye=asye,
            agency=record.is_agency,
        )
    known = {f.name for f in dataclasses.fields(PersonRecord)}
    unknown = set(extra) - known
    if unknown:
        raise TypeError(f"Unknown PersonRecord fields: {sorted(unknown)}")
    fields.update(extra)
    return PersonRecord(**fields)
