"""Demo portfolios, so ``make run`` shows cases with evidence (called by
``progression.demo_activity.demo_activity_ensure``).

Lincolnshire: the demo social worker's level 1 to level 2 case, readiness confirmed by the
Practice Supervisor and the Team Manager (LINCS-05), a booking confirmed for the next panel
month the worker is eligible for with the KSS drawn (LINCS-06, LINCS-07, seeded so the draw is
the same on every installation), and two written statements. Derbyshire: a grade 10 worker's
grade 10 to grade 11 case with a case example whose text holds a name and a postcode, so the
anonymisation warning shows (DERBY-16), and a written statement.

Real services only, each as the person who acts; every step looks for what it would write
first, so running ``load_demo`` twice changes nothing.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django_scopes import scope

from councils.models import Council, Membership, Role
from councils.rules.selectors import pack_of_version
from portfolios import services
from portfolios.models import CaseStatus, EvidenceItem, Portfolio, ProgressionCase, SignOff
from progression import engine
from progression.demo_records import record_ensure
from progression.engine_inputs import person_record_for

LINCS = "lincolnshire"
DERBY = "derbyshire"
LINCS_ROUTE = "level-1-to-level-2"
DERBY_ROUTE = "grade-10-to-grade-11"
GRADE_10_EMAIL = f"grade-10-social-worker@{DERBY}.demo"
KSS_DRAW_SEED = "demo-lincolnshire"

LINCS_STATEMENTS = (
    ("role-summary", "B. My current role, strengths and development areas", [],
     "I am a Level 1 social worker in the Children with Disabilities team, holding a caseload "
     "of children in need and children in care. My strengths are direct work with children "
     "who communicate without words and building trust with parents. I want to develop my "
     "analysis in complex assessments and my confidence in court."),
    ("kss-statement", "C. KSS 4: adult mental ill health, substance misuse and domestic abuse",
     [4],
     "In Mosaic case 2231457 I assessed the impact of a parent's depression on two children, "
     "worked with the adult mental health team on a joint plan and reviewed it in "
     "supervision. The plan reduced missed school days and the family stepped down to early "
     "help."),
)
DERBY_STATEMENTS = (
    ("case-example", "", "Case example: a carer's assessment under the Care Act",
     ["professionalism", "values-and-ethics", "knowledge"],
     "I supported Mrs Joan Hartley, who cares for her husband after his stroke, at their home "
     "in DE4 3AG. I completed a carer's assessment, arranged respite and reviewed the plan "
     "with the family and the GP. I reflected in supervision on balancing the couple's wishes "
     "with the risks."),
    ("written-statement", "enabling-learning", "How I have enabled others' learning", [],
     "I supervised a second-year student on placement for 70 days, led a team session on "
     "the Mental Capacity Act and mentor a newly qualified colleague."),
)


def _member(council: Council, email: str) -> Membership | None:
    return (Membership.objects.filter(council=council, user__email=email)
            .select_related("council", "user", "team").first())


def _demo(council: Council, role: str) -> Membership | None:
    return _member(council, f"{role}@{council.slug}.demo")


def _case(worker: Membership, route: str, today: dt.date) -> ProgressionCase:
    """The worker's open case on ``route``, opened by the worker if there is none."""
    case = (ProgressionCase.objects.filter(council=worker.council, worker=worker,
                                           route_slug=route)
            .exclude(status=CaseStatus.CLOSED).first())
    if case is None:
        case = services.case_open(actor=worker.user, worker=worker, route_slug=route,
                                  today=today)
    return case


def _titles(case: ProgressionCase) -> set[str]:
    return set(EvidenceItem.objects.filter(portfolio__case=case, portfolio__is_current=True,
                                           removed_at__isnull=True)
               .values_list("title", flat=True))


def _signed(case: ProgressionCase, role: str, action: str) -> bool:
    return SignOff.objects.filter(portfolio__case=case, portfolio__is_current=True, role=role,
                                  action=action, voided_at__isnull=True).exists()


def demo_portfolios_ensure(*, today: dt.date) -> None:
    lincs = Council.objects.filter(slug=LINCS).first()
    if lincs is not None:
        lincolnshire_case_ensure(lincs, today=today)
    derby = Council.objects.filter(slug=DERBY).first()
    if derby is not None:
        derbyshire_case_ensure(derby, today=today)


def next_eligible_sitting(case: ProgressionCase, today: dt.date, years: int = 3) -> str | None:
    """The first panel month of the pack's calendar after ``today`` for which the worker is
    eligible (LINCS-03 counts to the sitting, LINCS-19 months), as ``YYYY-MM``."""
    pack = pack_of_version(case.pack_version)
    route = next(r for r in pack.routes if r.slug == case.route_slug)
    months = sorted(route.calendar.months or []) if route.calendar else []
    person = person_record_for(case.worker, on=today, flags=tuple(case.flags))
    for year in range(today.year, today.year + years + 1):
        for month in months:
            if (year, month) <= (today.year, today.month):
                continue
            sitting = f"{year:04d}-{month:02d}"
            if engine.sitting_eligibility(pack, route.slug, person, sitting).eligible:
                return sitting
    return None


@transaction.atomic
def lincolnshire_case_ensure(council: Council, *, today: dt.date) -> None:
    with scope(council=council):
        worker = _demo(council, Role.SOCIAL_WORKER)
        supervisor = _demo(council, Role.LINE_MANAGER)
        team_manager = _demo(council, Role.TEAM_MANAGER)
        admin = _demo(council, Role.COUNCIL_ADMIN)
        if None in (worker, supervisor, team_manager, admin):
            return
        case = _case(worker, LINCS_ROUTE, today)
        if case.status != CaseStatus.BUILDING:
            return
        # LINCS-05: both managers confirm readiness before the booking (sign-offs 0 and 1).
        for index, signer, role in ((0, supervisor, Role.PRACTICE_SUPERVISOR),
                                    (1, team_manager, Role.TEAM_MANAGER)):
            if not _signed(case, role, "confirms"):
                services.signoff_record(actor=signer, case=case, index=index, role=role,
                                        comment="Ready to book a panel place.")
        case.refresh_from_db()
        if not case.sitting:
            sitting = next_eligible_sitting(case, today)
            if sitting is not None:
                first = dt.date.fromisoformat(f"{sitting}-01")
                services.booking_confirm(actor=admin, case=case, sitting=sitting,
                                         submission_due_on=first - dt.timedelta(days=14),
                                         seed=KSS_DRAW_SEED)
        have = _titles(case)
        for topic, title, kss, text in LINCS_STATEMENTS:
            if title not in have:
                services.evidence_add_statement(
                    actor=worker, case=case, kind="written-statement", topic=topic,
                    title=title, practice_on=today, statement=text, kss=kss)


@transaction.atomic
def derbyshire_case_ensure(council: Council, *, today: dt.date) -> None:
    with scope(council=council):
        worker = _member(council, GRADE_10_EMAIL)
        admin = _demo(council, Role.COUNCIL_ADMIN)
        if worker is None or admin is None:
            return
        # Grade 10 since 2024, registered since 2019: the grade 10 to 11 route (DERBY-14).
        record_ensure(worker, actor=admin.user, fields={
            "qualification_date": dt.date(2019, 6, 28),
            "registration_date": dt.date(2019, 8, 1),
            "employment_start": dt.date(2019, 9, 2), "asye_started": dt.date(2019, 9, 2),
            "asye_completed": dt.date(2020, 9, 1), "current_level": "grade-10",
            "grade_label": "Grade 10", "swe_registration_number": "SW900013"},
            hours=[(dt.date(2019, 9, 2), "1")], absences=[])
        case = _case(worker, DERBY_ROUTE, today)
        if not Portfolio.objects.filter(case=case, is_current=True).exists():
            return
        have = _titles(case)
        for kind, topic, title, pcf, text in DERBY_STATEMENTS:
            if title not in have:
                services.evidence_add_statement(
                    actor=worker, case=case, kind=kind, topic=topic, title=title,
                    practice_on=today - dt.timedelta(days=30), statement=text, pcf=pcf)
