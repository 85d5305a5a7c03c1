"""Demo data for the rules: the five councils' rule packs and career records for the demo
social workers that make the eligibility checker worth trying.

Called by ``councils.demo.load_demo``. Idempotent: packs load by digest (identical content
changes nothing); records go through the career-record services, which write nothing when
nothing changes, and hours or absences already recorded are not added again.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_scopes import scope

from councils.models import Council, Membership, Role, User
from councils.rules.services import rulepack_load
from progression.engine import add_months
from progression.models import AsyeProgramme, CareerRecord, ExtendedAbsence, HoursPeriod
from progression.services import absence_record, career_record_update, hours_period_add

D = dt.date

# How long ago the demo social worker's ASYE started, by council: their career record and
# programme (progression.demo_activity) are dated from that start so the demo always looks
# current. Once the programme exists its start is kept (``asye_start_of``), so running
# ``load_demo`` again on a later day changes nothing.
ASYE_MONTHS_AGO: dict[str, int] = {"stoke-on-trent": 5, "north-east-lincolnshire": 4}


def asye_start_of(worker: Membership | None, today: dt.date, months_ago: int) -> dt.date:
    """The start of ``worker``'s demo ASYE: their programme's, else ``months_ago`` before
    ``today``."""
    if worker is not None:
        started = (AsyeProgramme.objects.filter(membership=worker).order_by("started_on")
                   .values_list("started_on", flat=True).first())
        if started is not None:
            return started
    return add_months(today, -months_ago)


def relative_record(slug: str, start: dt.date) -> tuple[dict, list[tuple[dt.date, str]], list]:
    """The career record of a demo NQSW whose ASYE starts on ``start`` in council ``slug``."""
    if slug == "north-east-lincolnshire":
        # Level 1 on the ASYE: eligible for the ASYE route (NELC-21 level, NELC-22 ASYE).
        fields = {"qualification_date": add_months(start, -3),
                  "registration_date": add_months(start, -1), "current_level": "level-1"}
    else:
        # NQSW who started the ASYE within 24 months of qualifying (STOKE-02).
        fields = {"qualification_date": add_months(start, -2),
                  "registration_date": add_months(start, -1), "current_level": "nqsw"}
    fields |= {"employment_start": start, "asye_started": start}
    return fields, [(start, "1")], []


# council slug -> (career record fields, hours [(from, fte)], absences [(from, to, reason)]).
# Chosen so each council's checker shows passes and refusals with dates (domain.md 4.x).
# Stoke's and NELC's are dated from their ASYE start (``relative_record``).
DEMO_RECORDS: dict[str, tuple[dict, list[tuple[dt.date, str]], list[tuple]]] = {
    # Grade 9, half time since March 2026: 12 months pro rata from registration (DERBY-01,
    # CONV-05) are reached on 2027-03-01, not 2026-09-01.
    "derbyshire": (
        {"qualification_date": D(2025, 6, 30), "registration_date": D(2025, 9, 1),
         "employment_start": D(2025, 9, 1), "asye_started": D(2025, 9, 1),
         "current_level": "grade-9", "grade_label": "Grade 9",
         "swe_registration_number": "SW900003"},
        [(D(2025, 9, 1), "1"), (D(2026, 3, 1), "0.5")], [],
    ),
    # Level 1 with a maternity leave: two years since registration plus the absence
    # (LINCS-03) is reached later than the plain two years.
    "lincolnshire": (
        {"qualification_date": D(2024, 6, 28), "registration_date": D(2024, 8, 1),
         "employment_start": D(2024, 9, 2), "asye_started": D(2024, 9, 2),
         "asye_completed": D(2025, 9, 1), "current_level": "level-1",
         "swe_registration_number": "SW900004"},
        [(D(2024, 9, 2), "1")], [(D(2025, 11, 3), D(2026, 4, 30), "maternity-leave")],
    ),
    # Level 2 (Social Worker) since the ASYE: level 2 -> level 3 depends on time in practice.
    "halton": (
        {"qualification_date": D(2024, 6, 30), "registration_date": D(2024, 8, 1),
         "employment_start": D(2024, 9, 2), "asye_started": D(2024, 9, 2),
         "asye_completed": D(2025, 9, 1), "current_level": "level-2",
         "grade_label": "HBC 8", "spinal_column_point": "SCP 25",
         "swe_registration_number": "SW900005"},
        [(D(2024, 9, 2), "1")], [],
    ),
}


def demo_rulepacks_ensure(directory: Path | None = None) -> list[str]:
    """Load every ``*.yaml`` pack of the pack folder (``settings.RULEPACK_DIR``); returns the
    council slugs loaded. Identical content again changes nothing."""
    folder = Path(directory or settings.RULEPACK_DIR)
    slugs = []
    for path in sorted(folder.glob("*.yaml")):
        version, _ = rulepack_load(path=path)
        slugs.append(version.council.slug)
    return slugs


SWE_NUMBERS = {"north-east-lincolnshire": "SW900001", "stoke-on-trent": "SW900002"}


@transaction.atomic
def demo_career_records_ensure(council: Council, *, worker_email: str, actor: User,
                               today: dt.date | None = None) -> None:
    """The demo social worker's career record in ``council`` (``DEMO_RECORDS``, or
    ``relative_record`` for the councils of ``ASYE_MONTHS_AGO``)."""
    with scope(council=council):
        worker = (Membership.objects.filter(council=council, user__email=worker_email)
                  .select_related("council", "user").first())
        if worker is None:
            return
        if council.slug in ASYE_MONTHS_AGO:
            start = asye_start_of(worker, today or timezone.localdate(),
                                  ASYE_MONTHS_AGO[council.slug])
            fields, hours, absences = relative_record(council.slug, start)
            fields["swe_registration_number"] = SWE_NUMBERS[council.slug]
        elif council.slug in DEMO_RECORDS:
            fields, hours, absences = DEMO_RECORDS[council.slug]
        else:
            return
        record_ensure(worker, actor=actor, fields=fields, hours=hours, absences=absences)


def record_ensure(worker: Membership, *, actor: User, fields: dict,
                  hours: list[tuple[dt.date, str]], absences: list[tuple]) -> CareerRecord:
    """``worker``'s career record with ``fields``, and these hours and absences, through the
    career-record services (call inside the council's scope). What is already recorded is not
    recorded again."""
    career_record_update(actor=actor, membership=worker, changes=dict(fields))
    record = CareerRecord.objects.get(membership=worker)
    for start, fte in hours:
        if not HoursPeriod.objects.filter(record=record, effective_from=start).exists():
            hours_period_add(actor=actor, membership=worker, effective_from=start,
                             fte=Decimal(fte), note="Demo data")
    for start, end, reason in absences:
        if not ExtendedAbsence.objects.filter(record=record, starts_on=start).exists():
            absence_record(actor=actor, membership=worker, starts_on=start, ends_on=end,
                           reason=reason, note="Demo data")
    return record


def demo_rules_ensure(*, demo_email, today: dt.date | None = None) -> None:
    """Packs for every council, then the demo social workers' records (``demo_email(role,
    slug)`` gives the demo addresses; the council administrator is the recording actor;
    ``today`` dates the relative records)."""
    demo_rulepacks_ensure()
    for slug in (*DEMO_RECORDS, *ASYE_MONTHS_AGO):
        council = Council.objects.filter(slug=slug).first()
        if council is None:
            continue
        actor = User.objects.filter(email=demo_email(Role.COUNCIL_ADMIN, slug)).first()
        if actor is None:
            continue
        demo_career_records_ensure(council, worker_email=demo_email(Role.SOCIAL_WORKER, slug),
                                   actor=actor, today=today)
