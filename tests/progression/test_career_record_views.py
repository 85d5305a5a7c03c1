"""Career-record pages: who sees and who changes what, 404 across councils, form round trips
that keep what was typed, and a constant number of queries."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django_scopes import scope

from progression import services
from progression.models import CareerRecord, ExtendedAbsence, HoursPeriod
from tests.progression.people_setup import client_for, make_council, make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def council():
    return make_council("lincolnshire")


@pytest.fixture
def people(council):
    """A chain: head of service > practice supervisor > worker, plus admin, HR, a peer."""
    head = make_member(council, "head@lincs.example", ["service-manager"])
    supervisor = make_member(council, "sup@lincs.example", ["practice-supervisor"],
                             line_manager=head)
    worker = make_member(council, "worker@lincs.example", ["social-worker"],
                         line_manager=supervisor)
    return {
        "head": head, "supervisor": supervisor, "worker": worker,
        "admin": make_member(council, "admin@lincs.example", ["council-admin"]),
        "hr": make_member(council, "hr@lincs.example", ["hr"]),
        "peer": make_member(council, "peer@lincs.example", ["social-worker"]),
        "other_manager": make_member(council, "om@lincs.example", ["team-manager"]),
    }


def url(name: str, council, membership) -> str:
    return reverse(name, kwargs={"council_slug": council.slug, "membership_id": membership.pk})


EXPECTED = {
    # page: the people who get 200; everyone else among ``people`` gets 403.
    "career_record": {"worker", "supervisor", "head", "admin", "hr"},
    "career_record_edit": {"admin"},
    "career_record_pay": {"admin", "hr"},
    "hours_period_add": {"admin", "supervisor", "head"},
    "absence_add": {"admin", "supervisor", "head"},
}


@pytest.mark.parametrize("page", sorted(EXPECTED))
def test_each_page_answers_200_to_allowed_people_and_403_to_the_rest(council, people, page):
    for who, membership in people.items():
        status = client_for(membership).get(url(page, council, people["worker"])).status_code
        assert status == (200 if who in EXPECTED[page] else 403), (page, who)


@pytest.mark.parametrize("page", sorted(EXPECTED))
def test_another_councils_member_answers_404(council, people, page):
    other = make_council("halton")
    foreign = make_member(other, "f@halton.example")
    response = client_for(people["admin"]).get(url(page, council, foreign))
    assert response.status_code == 404
    response = client_for(people["admin"]).post(url(page, council, foreign), {})
    assert response.status_code == 404


def test_admin_edits_the_record_and_sees_it(council, people):
    client = client_for(people["admin"])
    response = client.post(url("career_record_edit", council, people["worker"]), {
        "swe_registration_number": "sw98765",
        "registration_date_0": "1", "registration_date_1": "8", "registration_date_2": "2025",
        "qualification_date_0": "15", "qualification_date_1": "7", "qualification_date_2": "2025",
        "qualification_country": "England",
        "employment_start_0": "1", "employment_start_1": "9", "employment_start_2": "2025",
        "is_agency": "on", "asye_credit_months": "0",
    })
    assert response.status_code == 302
    with scope(council=council):
        record = CareerRecord.objects.get(membership=people["worker"])
    assert record.swe_registration_number == "SW98765"
    assert record.qualification_date == dt.date(2025, 7, 15) and record.is_agency
    body = client.get(url("career_record", council, people["worker"])).content.decode()
    assert "SW98765" in body and "15 July 2025" in body


def test_invalid_record_input_is_explained_and_kept(council, people):
    response = client_for(people["admin"]).post(
        url("career_record_edit", council, people["worker"]), {
            "swe_registration_number": "AB123",
            "qualification_date_0": "31", "qualification_date_1": "2",
            "qualification_date_2": "2025",
            "qualification_country": "Wales", "asye_credit_months": "0",
        })
    body = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in body
    assert "SW followed by digits, like SW12345" in body
    assert "Enter a real date" in body
    assert 'value="AB123"' in body and 'value="Wales"' in body
    with scope(council=council):
        assert not CareerRecord.objects.exists()


def test_hr_changes_pay_fields(council, people):
    response = client_for(people["hr"]).post(url("career_record_pay", council, people["worker"]),
                                             {"current_level": "level-2", "grade_label": "G9",
                                              "spinal_column_point": "SCP 25",
                                              "payroll_number": "P-1"})
    assert response.status_code == 302
    with scope(council=council):
        record = CareerRecord.objects.get(membership=people["worker"])
    assert (record.current_level, record.spinal_column_point) == ("level-2", "SCP 25")


def test_line_manager_adds_hours_and_an_absence(council, people):
    client = client_for(people["supervisor"])
    response = client.post(url("hours_period_add", council, people["worker"]), {
        "effective_from_0": "1", "effective_from_1": "3", "effective_from_2": "2026",
        "fte": "0.6"})
    assert response.status_code == 302
    response = client.post(url("absence_add", council, people["worker"]), {
        "starts_on_0": "4", "starts_on_1": "5", "starts_on_2": "2026",
        "reason": "long-term-sickness"})
    assert response.status_code == 302
    with scope(council=council):
        period = HoursPeriod.objects.get()
        absence = ExtendedAbsence.objects.get()
    assert period.fte == Decimal("0.6") and period.recorded_by == people["supervisor"].user
    assert absence.marked_extended_by == people["supervisor"].user and absence.ends_on is None
    body = client.get(url("career_record", council, people["worker"])).content.decode()
    assert "1 March 2026" in body and "Long-term sickness" in body and "Continuing" in body


def test_hours_form_explains_an_fte_above_one_and_keeps_it(council, people):
    response = client_for(people["admin"]).post(
        url("hours_period_add", council, people["worker"]),
        {"effective_from_0": "1", "effective_from_1": "3", "effective_from_2": "2026",
         "fte": "1.5"})
    body = response.content.decode()
    assert "cannot be more than 1" in body and 'value="1.5"' in body
    with scope(council=council):
        assert not HoursPeriod.objects.exists()


def test_absence_form_explains_an_end_before_the_start(council, people):
    response = client_for(people["admin"]).post(url("absence_add", council, people["worker"]), {
        "starts_on_0": "4", "starts_on_1": "5", "starts_on_2": "2026",
        "ends_on_0": "1", "ends_on_1": "5", "ends_on_2": "2026", "reason": "other"})
    assert "cannot be before the first day" in response.content.decode()


@pytest.mark.parametrize("periods", [2, 30])
def test_record_page_queries_do_not_grow_with_history(
    council, people, periods, django_assert_max_num_queries
):
    for i in range(periods):
        services.hours_period_add(actor=people["admin"].user, membership=people["worker"],
                                  effective_from=dt.date(2020, 1, 1) + dt.timedelta(days=40 * i),
                                  fte=Decimal("0.5") + Decimal(i % 5) / 10)
        services.absence_record(actor=people["admin"].user, membership=people["worker"],
                                starts_on=dt.date(2020, 1, 2) + dt.timedelta(days=40 * i),
                                ends_on=dt.date(2020, 1, 3) + dt.timedelta(days=40 * i),
                                reason="other")
    client = client_for(people["head"])
    with django_assert_max_num_queries(20):
        response = client.get(url("career_record", council, people["worker"]))
    assert response.status_code == 200
    assert len(response.context["history"].hours) == periods


def test_a_partly_typed_date_is_refused_not_dropped(council, people):
    response = client_for(people["admin"]).post(
        url("career_record_edit", council, people["worker"]),
        {"qualification_date_0": "12", "qualification_date_2": "2025",
         "asye_credit_months": "0"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "The date must include a month" in body
    with scope(council=council):
        assert not CareerRecord.objects.exists()


def _fte_on(client, council, membership, day: str, month: str, year: str):
    return client.get(url("career_record", council, membership),
                      {"on_0": day, "on_1": month, "on_2": year})


def test_record_page_answers_the_fte_on_any_date(council, people):
    """CONV-05: part time is known on any date, before, between and after changes."""
    admin = people["admin"].user
    worker = people["worker"]
    services.hours_period_add(actor=admin, membership=worker, effective_from=dt.date(2024, 1, 1),
                              fte=Decimal("1"))
    services.hours_period_add(actor=admin, membership=worker, effective_from=dt.date(2025, 4, 1),
                              fte=Decimal("0.6"))
    services.absence_record(actor=admin, membership=worker, starts_on=dt.date(2025, 6, 1),
                            ends_on=dt.date(2025, 9, 30), reason="maternity-leave")
    client = client_for(people["supervisor"])

    page = client.get(url("career_record", council, worker))
    assert page.context["asked"] is None and 'id="fte-on-date"' in page.content.decode()

    before = _fte_on(client, council, worker, "31", "12", "2023")
    assert before.context["asked"].fte is None
    assert "On 31 December 2023: <strong>no working hours recorded</strong>" in (
        before.content.decode())
    full_time = _fte_on(client, council, worker, "31", "3", "2025")
    assert full_time.context["asked"].fte == Decimal("1")
    assert "On 31 March 2025: <strong>1 FTE</strong>" in full_time.content.decode()
    part_time = _fte_on(client, council, worker, "1", "7", "2025")
    assert part_time.context["asked"].fte == Decimal("0.6")
    body = part_time.content.decode()
    assert "On 1 July 2025: <strong>0.6 FTE</strong>" in body
    assert "On extended absence that day: Maternity leave" in body
    after = _fte_on(client, council, worker, "1", "10", "2025")
    assert after.context["asked"].absences == []
    # The date asked for stays in the form.
    form = after.content.decode().split('id="fte-on-date"')[1]
    assert re.search(r'name="on_1"[^>]*value="10"', form)
    assert re.search(r'name="on_2"[^>]*value="2025"', form)


def test_fte_on_date_with_a_bad_date_is_explained_and_kept(council, people):
    response = _fte_on(client_for(people["admin"]), council, people["worker"], "31", "2", "2025")
    body = response.content.decode()
    assert response.status_code == 200 and response.context["asked"] is None
    assert "govuk-error-summary" in body and "Enter a real date" in body
    assert "<title>Error: " in body
    assert 'value="31"' in body and 'value="2025"' in body
