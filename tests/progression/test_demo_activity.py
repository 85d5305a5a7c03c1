"""``load_demo``'s activity (progression.demo_activity, portfolios.demo_activity): programmes,
reviews, supervision, caseloads and portfolios made through the real services, dated from the
load date, and unchanged by a second load."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from councils.demo import load_demo
from councils.models import AuditEvent, Council, Membership
from portfolios.anonymisation import personal_identifiers
from portfolios.models import EvidenceItem, ProgressionCase, SignOff
from progression.asye.selectors import programme_detail
from progression.engine import add_months
from progression.models import (
    AsyeProgramme,
    Attendance,
    CareerRecord,
    CaseAllocation,
    Review,
    ReviewSignature,
    StudyDay,
    SupervisionSession,
)

TODAY = dt.date(2026, 11, 25)
COUNTED = (AsyeProgramme, Review, ReviewSignature, SupervisionSession, Attendance,
           CaseAllocation, StudyDay, CareerRecord, ProgressionCase, EvidenceItem, SignOff,
           AuditEvent)


def _counts() -> dict[str, int]:
    with scopes_disabled():
        return {model.__name__: model.objects.count() for model in COUNTED}


def _client(email: str) -> tuple[Client, Membership]:
    with scopes_disabled():
        member = Membership.objects.select_related("user", "council").get(user__email=email)
    client = Client()
    client.force_login(member.user, backend="django.contrib.auth.backends.ModelBackend")
    return client, member


@pytest.mark.django_db
def test_load_demo_twice_changes_no_activity():
    load_demo()
    first = _counts()
    load_demo()
    assert _counts() == first
    # Stoke's two NQSWs and NELC's worker; Lincolnshire's and Derbyshire's cases.
    assert first["AsyeProgramme"] == 3
    assert first["ProgressionCase"] == 2
    assert first["EvidenceItem"] == 4
    assert first["Review"] > 0 and first["SupervisionSession"] > 0


@pytest.mark.django_db
def test_load_demo_on_a_later_day_keeps_the_programmes_it_made():
    """Dates come from the stored start once a programme exists: a later load adds nothing
    for steps already dated, and moves no start."""
    load_demo(today=TODAY)
    with scopes_disabled():
        starts = sorted(AsyeProgramme.objects.values_list("started_on", flat=True))
    load_demo(today=TODAY + dt.timedelta(days=1))
    with scopes_disabled():
        assert sorted(AsyeProgramme.objects.values_list("started_on", flat=True)) == starts
        assert CareerRecord.objects.filter(asye_started__in=starts).count() == 3


@pytest.mark.django_db
def test_stoke_asye_lead_sees_two_programmes_one_overdue():
    """STOKE-15, 001_cfd4d7839e7e381c.txt: the second NQSW's 9-month review is past due."""
    load_demo()
    client, lead = _client("asye-lead@stoke-on-trent.demo")
    response = client.get(reverse("asye_cohort", kwargs={"council_slug": lead.council.slug}))
    assert response.status_code == 200
    rows = response.context["rows"]
    assert {r.programme.membership.user.email for r in rows} == {
        "social-worker@stoke-on-trent.demo", "nqsw2@stoke-on-trent.demo"}
    overdue = {r.programme.membership.user.email: r.overdue for r in rows}
    assert overdue == {"social-worker@stoke-on-trent.demo": [],
                       "nqsw2@stoke-on-trent.demo": ["1 review"]}
    assert response.content.decode().count("govuk-tag--red\">Overdue") == 1


@pytest.mark.django_db
def test_stoke_nqsw_is_five_months_in_with_the_year_so_far():
    """STOKE-09 (agreement signed by three), STOKE-17 (3-month review held, the ASYE lead
    signing last), STOKE-18 (weekly then fortnightly, one late gap), STOKE-19 (one workshop
    missed), STOKE-26 (caseload within the cap of 16), STOKE-21 (a study day agreed);
    001_cfd4d7839e7e381c.txt."""
    load_demo(today=TODAY)
    council = Council.objects.get(slug="stoke-on-trent")
    with scope(council=council):
        worker = Membership.objects.get(user__email="social-worker@stoke-on-trent.demo")
        programme = AsyeProgramme.objects.get(membership=worker)
        assert programme.started_on == add_months(TODAY, -5)
        assert programme.enrolled_by.email == "asye-lead@stoke-on-trent.demo"
        assert not programme.part_time
        detail = programme_detail(programme, worker, TODAY)
        assert programme.learning_agreement.agreed_on is not None
        assert {s.role for s in detail.la_signatures} == {
            "social-worker", "line-manager", "asye-lead"}
        review = next(r for r in detail.reviews if r.month == 3)
        assert review.held_on is not None
        assert [r.month for r in detail.reviews if r.held_on is None] == [6, 9, 11]
        assert detail.supervision.late_gaps == 1 and not detail.supervision.overdue
        workshops = detail.attendance[0].status
        assert (workshops.attended, workshops.missed) == (4, 1)
        assert 0 < detail.caseload <= detail.cap == 16
        assert [d.approved_on is not None for d in detail.study_days] == [True]


@pytest.mark.django_db
def test_nelc_worker_has_development_days_with_an_approved_absence():
    """NELC-09 (annual leave is an approved absence) and NELC-11 (3-month review),
    000_b405b76582c345ce.txt."""
    load_demo(today=TODAY)
    council = Council.objects.get(slug="north-east-lincolnshire")
    with scope(council=council):
        worker = Membership.objects.get(
            user__email="social-worker@north-east-lincolnshire.demo")
        programme = AsyeProgramme.objects.get(membership=worker)
        assert programme.started_on == add_months(TODAY, -4)
        detail = programme_detail(programme, worker, TODAY)
        days = detail.attendance[0].status
        assert (days.attended, days.approved_absences, days.missed) == (3, 1, 0)
        assert next(r for r in detail.reviews if r.month == 3).held_on is not None


@pytest.mark.django_db
def test_lincolnshire_case_is_booked_for_an_eligible_panel_with_the_kss_drawn():
    """LINCS-03/05/06/07/19, 003_beca269546173a23.txt: readiness confirmed by both managers,
    the first April, September or December sitting after registration + 24 months + the
    maternity leave (27 January 2027), KSS 4, 5, 7 and two drawn."""
    load_demo(today=TODAY)
    council = Council.objects.get(slug="lincolnshire")
    with scope(council=council):
        case = ProgressionCase.objects.get(worker__user__email="social-worker@lincolnshire.demo")
        assert case.sitting == "2027-04"
        assert {4, 5, 7} <= set(case.allocated_kss) and len(case.allocated_kss) == 5
        assert set(SignOff.objects.filter(portfolio__case=case, voided_at__isnull=True)
                   .values_list("role", flat=True)) == {"practice-supervisor", "team-manager"}
        assert EvidenceItem.objects.filter(portfolio__case=case).count() == 2


@pytest.mark.django_db
def test_derbyshire_grade_10_case_has_a_statement_with_likely_identifiers():
    """DERBY-14 (grade 10 to 11) and DERBY-16 (anonymised case examples),
    002_6df34af9a85cb432.txt: the anonymisation warning has something to show."""
    load_demo(today=TODAY)
    council = Council.objects.get(slug="derbyshire")
    with scope(council=council):
        case = ProgressionCase.objects.get(
            worker__user__email="grade-10-social-worker@derbyshire.demo")
        assert case.route_slug == "grade-10-to-grade-11"
        assert case.worker.career_record.current_level == "grade-10"
        example = EvidenceItem.objects.get(portfolio__case=case, kind="case-example")
    assert {f.what for f in personal_identifiers(example.statement)} == {
        "name with a title", "postcode"}
