"""Demo activity: what the demo people have done, so ``make run`` shows the product working.

Stoke-on-Trent: the demo NQSW about five months into the ASYE (learning agreement signed by
all three parties, 3-month review held, weekly then fortnightly supervision with one late gap,
monthly workshops with one missed, a caseload of children, a study day agreed) and a second
NQSW ten months in whose 9-month review is overdue. North East Lincolnshire: the demo worker
four months in, with development days (one approved absence) and the 3-month review held.
Portfolios (Lincolnshire, Derbyshire) are in ``portfolios.demo_activity``.

Everything goes through the real services, as the people concerned (the ASYE lead enrols,
the line manager records supervision...). Dates are offsets from the programme's start, and
the start is ``today`` minus a few months on the first run and the stored start afterwards,
so the demo looks current and running ``load_demo`` again changes nothing: every step first
looks for what it would write and skips it when present. Only steps dated on or before
``today`` are recorded.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django_scopes import scope

from councils.models import Council, Membership, Role
from progression.asye import services as asye
from progression.demo_records import ASYE_MONTHS_AGO, asye_start_of, record_ensure
from progression.engine import add_months
from progression.models import (
    AllocationRole,
    AsyeProgramme,
    Attendance,
    CaseAllocation,
    DevelopmentDay,
    Review,
    StudyDay,
    SupervisionSession,
)

STOKE = "stoke-on-trent"
NELC = "north-east-lincolnshire"
SECOND_NQSW_EMAIL = f"nqsw2@{STOKE}.demo"
SECOND_NQSW_MONTHS_AGO = 10

# Supervision, in days from the start (STOKE-18: weekly for six weeks, then fortnightly,
# then monthly). Day 84 is missing, so the session on day 105 comes late: one late gap.
SUPERVISION_WITH_GAP = (7, 14, 21, 28, 35, 42, 56, 70, 105, 119, 133, 147)
# On time throughout: weekly, fortnightly to day 182 (six months), then monthly.
SUPERVISION_ON_TIME = (7, 14, 21, 28, 35, 42, 56, 70, 84, 98, 112, 126, 140, 154, 168, 182,
                       210, 238, 266, 294, 322)
# Stoke's monthly ASYE workshops (STOKE-19) in days from the demo NQSW's start; the second is
# missed. NELC's development days (NELC-09) likewise; the third is an approved absence.
WORKSHOP_DAYS = (-100, -70, -40, -10, 20, 50, 80, 110, 140)
WORKSHOP_MISSED = 50
NELC_DAY_OFFSETS = (10, 40, 70, 100)
NELC_ABSENCE = (70, "annual-leave")

# (reference, kind, qualifier, day allocated): children on the caseload (STOKE-26 cap 16).
STOKE_CASES = (
    ("CIN-204817", "child-in-need", "", 20),
    ("CIN-204902", "child-in-need", "", 27),
    ("CIN-205133", "child-in-need", "", 48),
    ("CIC-118420", "child-in-care", "settled-placement", 62),
    ("CIN-205688", "child-in-need", "", 98),
    ("CIC-118577", "child-in-care", "settled-placement", 104),
)
SECOND_NQSW_CASES = (
    ("CIN-201245", "child-in-need", "", 30),
    ("CIN-201377", "child-in-need", "", 60),
    ("CIC-117902", "child-in-care", "settled-placement", 90),
    ("CIN-202010", "child-in-need", "", 150),
    ("CIN-202764", "child-in-need", "", 210),
)


@dataclass
class Cast:
    """The demo people of one council who act on a programme."""

    council: Council
    lead: Membership
    manager: Membership
    admin: Membership


def _member(council: Council, email: str) -> Membership | None:
    return (Membership.objects.filter(council=council, user__email=email)
            .select_related("council", "user", "team").first())


def _cast(council: Council) -> Cast | None:
    def demo(role: str) -> Membership | None:
        return _member(council, f"{role}@{council.slug}.demo")

    lead, manager, admin = demo(Role.ASYE_LEAD), demo(Role.LINE_MANAGER), demo(
        Role.COUNCIL_ADMIN)
    if lead is None or manager is None or admin is None:
        return None
    return Cast(council, lead, manager, admin)


def demo_activity_ensure(*, today: dt.date) -> None:
    """The ASYE activity of Stoke and NELC, then the portfolios (Lincolnshire, Derbyshire).
    Councils or people missing (a partial load) are skipped."""
    stoke = Council.objects.filter(slug=STOKE).first()
    if stoke is not None:
        stoke_activity_ensure(stoke, today=today)
    nelc = Council.objects.filter(slug=NELC).first()
    if nelc is not None:
        nelc_activity_ensure(nelc, today=today)
    from portfolios.demo_activity import demo_portfolios_ensure

    demo_portfolios_ensure(today=today)


# ------------------------------------------------------------------------------ building blocks

def _programme(cast: Cast, worker: Membership, start: dt.date) -> AsyeProgramme:
    """The worker's programme, enrolled full time by the ASYE lead on ``start`` if none."""
    existing = AsyeProgramme.objects.filter(membership=worker).order_by("started_on").first()
    if existing is not None:
        return existing
    return asye.programme_enrol(actor=cast.lead, membership=worker, started_on=start,
                                part_time=False).programme


def _agreement(cast: Cast, programme: AsyeProgramme, worker: Membership, on: dt.date,
               plan: str) -> None:
    """Fill in the learning agreement, then each signatory signs (the ASYE lead last)."""
    la = programme.learning_agreement
    if la.agreed_on is not None:
        return
    if not la.supervision_frequency:
        asye.learning_agreement_update(
            actor=cast.manager, programme=programme,
            supervision_frequency="Weekly for the first six weeks, fortnightly to six months, "
                                  "then monthly",
            development_plan=plan)
    signed = set(la.signatures.values_list("role", flat=True))
    for actor, role in ((worker, Role.SOCIAL_WORKER), (cast.manager, Role.LINE_MANAGER),
                        (cast.lead, Role.ASYE_LEAD)):
        if role in asye.la_signatories(programme) and role not in signed:
            asye.learning_agreement_sign(actor=actor, programme=programme, on=on)


def _review_held(cast: Cast, programme: AsyeProgramme, worker: Membership, month: int,
                 today: dt.date, *, progress: str, actions: str, concerns: str = "") -> None:
    """Write the ``month`` review and have every attendee sign, the pack's ``held when``
    role last (STOKE-17); a few days after it falls due, if that is not after ``today``."""
    review = Review.objects.filter(programme=programme, month=month).first()
    if review is None or review.held_on or review.waived_on:
        return
    on = review.due_on + dt.timedelta(days=3)
    if on > today:
        return
    if not (review.kss_progress and review.actions and review.learning_agreement_review):
        asye.review_record(actor=cast.manager, review=review, kss_progress=progress,
                           actions=actions, concerns=concerns, complex_work_ready=None,
                           learning_agreement_review="Reviewed together: the agreement still "
                                                     "fits; development plan updated.")
    attendees, held_by = asye.review_parties(programme)
    people = {Role.SOCIAL_WORKER.value: worker, Role.LINE_MANAGER.value: cast.manager,
              Role.ASYE_LEAD.value: cast.lead}
    order = [r for r in attendees if r != held_by] + ([held_by] if held_by in attendees else [])
    for role in order:
        review.refresh_from_db()
        if review.held_on:
            break
        if not review.signatures.filter(role=role).exists() and role in people:
            asye.review_sign(actor=people[role], review=review, on=on)


def _supervision(cast: Cast, programme: AsyeProgramme, offsets: tuple[int, ...],
                 today: dt.date) -> None:
    done = set(SupervisionSession.objects.filter(programme=programme)
               .values_list("held_on", flat=True))
    for offset in offsets:
        held_on = programme.started_on + dt.timedelta(days=offset)
        if held_on <= today and held_on not in done:
            asye.supervision_record(actor=cast.manager, programme=programme, held_on=held_on,
                                    note="Case discussion and reflection on practice")


def _day(cast: Cast, series: str, held_on: dt.date, title: str) -> DevelopmentDay:
    day = DevelopmentDay.objects.filter(council=cast.council, series=series,
                                        held_on=held_on).first()
    if day is None:
        day = asye.development_day_create(actor=cast.lead, council=cast.council, series=series,
                                          held_on=held_on, title=title)
    return day


def _attendance(cast: Cast, programme: AsyeProgramme, day: DevelopmentDay, attended: bool,
                reason: str = "") -> None:
    if not Attendance.objects.filter(programme=programme, day=day).exists():
        asye.attendance_record(actor=cast.lead, programme=programme, day=day,
                               attended=attended, absence_reason=reason)


def _cases(cast: Cast, programme: AsyeProgramme, cases: tuple, today: dt.date) -> None:
    """Allocate each child's case as the manager; a refusal by the rules is a bug in this
    demo data, so it stops the load with the engine's reasons."""
    held = set(CaseAllocation.objects.filter(programme=programme)
               .values_list("case__reference", flat=True))
    for reference, kind, qualifier, offset in cases:
        on = programme.started_on + dt.timedelta(days=offset)
        if reference in held or on > today:
            continue
        result = asye.case_allocate(actor=cast.manager, programme=programme,
                                    reference=reference, kind=kind, qualifier=qualifier,
                                    role=AllocationRole.ALLOCATED, on=on)
        if not result.allowed:
            raise ValueError(f"Demo case {reference} refused: {'; '.join(result.reasons)}")


# ------------------------------------------------------------------------------- the councils

@transaction.atomic
def stoke_activity_ensure(council: Council, *, today: dt.date) -> None:
    """The demo NQSW about five months in, and a second NQSW ten months in (overdue review)."""
    with scope(council=council):
        cast = _cast(council)
        worker = _member(council, f"{Role.SOCIAL_WORKER}@{STOKE}.demo")
        if cast is None or worker is None:
            return
        start = asye_start_of(worker, today, ASYE_MONTHS_AGO[STOKE])
        programme = _programme(cast, worker, start)
        _agreement(cast, programme, worker, min(start + dt.timedelta(days=14), today),
                   "Build confidence in child and family assessment (KSS 6) and in analysis "
                   "and planning (KSS 7); shadow a child protection conference before the "
                   "6-month review.")
        _review_held(cast, programme, worker, 3, today,
                     progress="Good progress against KSS 1, 2 and 6: warm, clear direct work "
                              "with children; assessments are timely.",
                     actions="Co-work a child protection case with an experienced worker; "
                             "complete the first direct observation before the 6-month "
                             "review.")
        _supervision(cast, programme, SUPERVISION_WITH_GAP, today)
        for offset in WORKSHOP_DAYS:
            held_on = start + dt.timedelta(days=offset)
            if held_on > today:
                continue
            day = _day(cast, "asye-workshops", held_on, "Monthly ASYE workshop")
            if held_on >= start:
                missed = offset == WORKSHOP_MISSED
                _attendance(cast, programme, day, not missed, "sickness" if missed else "")
        _cases(cast, programme, STOKE_CASES, today)
        study_on = start + dt.timedelta(days=130)
        if study_on <= today and not StudyDay.objects.filter(programme=programme,
                                                             on=study_on).exists():
            day = asye.study_day_request(actor=worker, programme=programme, on=study_on,
                                         purpose="Research in practice: neglect and "
                                                 "cumulative harm")
            asye.study_day_approve(actor=cast.manager, study_day=day,
                                   on=study_on - dt.timedelta(days=10))
        second_nqsw_ensure(cast, today=today)


def second_nqsw_ensure(cast: Cast, *, today: dt.date) -> None:
    """Stoke's second NQSW: ten months in, reviews at 3 and 6 months held, the 9-month review
    overdue (STOKE-15), so the manager's and the cohort pages show something overdue."""
    worker = _member(cast.council, SECOND_NQSW_EMAIL)
    if worker is None:
        return
    start = asye_start_of(worker, today, SECOND_NQSW_MONTHS_AGO)
    record_ensure(worker, actor=cast.admin.user, fields={
        "qualification_date": add_months(start, -3), "registration_date": add_months(start, -2),
        "employment_start": start, "asye_started": start, "current_level": "nqsw",
        "swe_registration_number": "SW900012"}, hours=[(start, "1")], absences=[])
    programme = _programme(cast, worker, start)
    _agreement(cast, programme, worker, min(start + dt.timedelta(days=20), today),
               "Court skills (KSS 8) and recording; shadow care proceedings.")
    for month, progress in ((3, "Settled well; direct work with children is a strength."),
                            (6, "Assessments are analytical; recording is up to date.")):
        _review_held(cast, programme, worker, month, today, progress=progress,
                     actions="Continue the development plan; next observation booked.")
    _supervision(cast, programme, SUPERVISION_ON_TIME, today)
    for day in DevelopmentDay.objects.filter(council=cast.council, series="asye-workshops",
                                             held_on__gte=start, held_on__lte=today):
        _attendance(cast, programme, day, True)
    _cases(cast, programme, SECOND_NQSW_CASES, today)


@transaction.atomic
def nelc_activity_ensure(council: Council, *, today: dt.date) -> None:
    """The demo worker about four months in: development days with one approved absence
    (NELC-09), supervision (NELC-07) and the 3-month review held (NELC-11)."""
    with scope(council=council):
        cast = _cast(council)
        worker = _member(council, f"{Role.SOCIAL_WORKER}@{NELC}.demo")
        if cast is None or worker is None:
            return
        start = asye_start_of(worker, today, ASYE_MONTHS_AGO[NELC])
        programme = _programme(cast, worker, start)
        _agreement(cast, programme, worker, min(start + dt.timedelta(days=21), today),
                   "Strengthen assessment and analysis; complete the 28-day induction with "
                   "the advanced practitioner.")
        _review_held(cast, programme, worker, 3, today,
                     progress="Meeting expectations for this stage; reflective in "
                              "supervision.",
                     actions="Attend the remaining development days; first observation "
                             "next month.")
        _supervision(cast, programme, SUPERVISION_ON_TIME, today)
        for offset in NELC_DAY_OFFSETS:
            held_on = start + dt.timedelta(days=offset)
            if held_on > today:
                continue
            day = _day(cast, "development-days", held_on, "ASYE development day")
            absent = offset == NELC_ABSENCE[0]
            _attendance(cast, programme, day, not absent, NELC_ABSENCE[1] if absent else "")
