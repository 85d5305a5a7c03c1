"""ASYE pages: right and wrong roles, refusals shown with kept input, constant query counts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_scopes import scope

from progression.asye import services
from progression.models import AsyeProgramme, CareerRecord, CaseAllocation
from tests.progression.asye.setup import cast, enrol, hold_review
from tests.progression.people_setup import client_for, make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def stoke():
    c = cast()
    return c, enrol(c, dt.date(2024, 10, 1))


def _url(c, name: str, **kw) -> str:
    from django.urls import reverse

    return reverse(name, kwargs={"council_slug": c.council.slug, **kw})


def test_programme_page_is_for_the_worker_their_manager_and_the_lead(stoke):
    c, p = stoke
    url = _url(c, "asye_programme", programme_id=p.pk)
    for who in (c.nqsw, c.manager, c.lead, c.assessor):
        assert client_for(who).get(url).status_code == 200
    stranger = make_member(c.council, "other.sw@example.org", ("social-worker",))
    assert client_for(stranger).get(url).status_code == 403


def test_cohort_page_refuses_a_social_worker(stoke):
    c, _ = stoke
    assert client_for(c.nqsw).get(_url(c, "asye_cohort")).status_code == 403
    html = client_for(c.lead).get(_url(c, "asye_cohort")).content.decode()
    assert "Stoke Newly Qualified" in html.replace("stoke", "Stoke")


def test_enrolment_page_shows_the_early_help_refusal_and_keeps_input():
    """STOKE-07, 001_cfd4d7839e7e381c.txt."""
    c = cast(team_tags=("early-help",))
    client = client_for(c.lead)
    response = client.post(_url(c, "asye_enrol"), {
        "membership": c.nqsw.pk, "started_on_0": "1", "started_on_1": "10",
        "started_on_2": "2024", "working_pattern": "full", "credit_months": "0"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in html and "STOKE-07" in html
    assert 'value="2024"' in html
    with scope(council=c.council):
        assert not AsyeProgramme.objects.exists()


def test_enrolment_page_enrols_and_shows_the_timeline():
    c = cast()
    response = client_for(c.lead).post(_url(c, "asye_enrol"), {
        "membership": c.nqsw.pk, "started_on_0": "1", "started_on_1": "10",
        "started_on_2": "2024", "working_pattern": "full", "credit_months": "0"}, follow=True)
    html = response.content.decode()
    assert "11-month review" in html and "1 Oct 2025" in html  # planned end from the pack


def test_manager_sees_a_refused_child_protection_allocation_at_month_five(stoke, monkeypatch):
    """STOKE-29, 001_cfd4d7839e7e381c.txt."""
    c, p = stoke
    hold_review(c, p, 3)
    monkeypatch.setattr("progression.asye.views._today", lambda: dt.date(2025, 3, 1))
    response = client_for(c.manager).post(_url(c, "asye_allocate", programme_id=p.pk), {
        "reference": "CP-1", "kind": "child-protection", "qualifier": "",
        "role": "allocated-worker"})
    html = response.content.decode()
    assert response.status_code == 200 and "refused" in html and "STOKE-29" in html
    assert 'value="CP-1"' in html
    with scope(council=c.council):
        assert not CaseAllocation.objects.exists()


def test_worker_cannot_allocate_cases_to_themself(stoke):
    c, p = stoke
    response = client_for(c.nqsw).post(_url(c, "asye_allocate", programme_id=p.pk), {
        "reference": "C-1", "kind": "child-in-need", "role": "allocated-worker"})
    assert response.status_code == 403


def test_nelc_home_shows_the_attendance_warning_below_threshold():
    """NELC-09, 000_b405b76582c345ce.txt."""
    c = cast("north-east-lincolnshire", team_tags=())
    p = enrol(c)
    with scope(council=c.council):
        for i in range(3):
            day = services.development_day_create(actor=c.lead, council=c.council,
                                                  series="development-days",
                                                  held_on=dt.date(2024, 10 + i, 3))
            services.attendance_record(actor=c.lead, programme=p, day=day, attended=False,
                                       absence_reason="other")
    html = client_for(c.nqsw).get(f"/{c.council.slug}/").content.decode()
    assert "Your attendance is below the threshold" in html and "NELC-09" in html


def test_manager_home_lists_overdue_nqsws_first(stoke):
    c, p = stoke
    html = client_for(c.manager).get(f"/{c.council.slug}/").content.decode()
    assert "NQSWs you manage" in html and "Overdue" in html  # the LA was due in Nov 2024


def test_nqsw_can_escalate_a_caseload_breach_from_home(stoke):
    """STOKE-27, 001_cfd4d7839e7e381c.txt."""
    c, p = stoke
    client = client_for(c.nqsw)
    assert "Escalate my caseload" in client.get(f"/{c.council.slug}/").content.decode()
    response = client.post(_url(c, "asye_breach_report", programme_id=p.pk), follow=True)
    assert "Caseload breach reported" in response.content.decode()
    assert client_for(c.manager).post(
        _url(c, "asye_breach_report", programme_id=p.pk)).status_code == 403


def _cohort(c, n: int, prefix: str) -> None:
    """``n`` more NQSWs managed by the cast's manager, each with a supervision session."""
    with scope(council=c.council):
        for i in range(n):
            worker = make_member(c.council, f"{prefix}{i}@example.org", ("social-worker",),
                                 team=c.nqsw.team, line_manager=c.manager)
            CareerRecord.objects.create(council=c.council, membership=worker,
                                        qualification_date=dt.date(2024, 7, 1))
            prog = services.programme_enrol(actor=c.lead, membership=worker,
                                            started_on=dt.date(2024, 10, 1),
                                            part_time=False).programme
            services.supervision_record(actor=c.manager, programme=prog,
                                        held_on=dt.date(2024, 10, 8))


def _queries(client, url: str) -> int:
    client.get(url)  # warm the per-process pack cache
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_cohort_manager_and_home_pages_use_the_same_queries_for_5_and_50():
    c = cast()
    lead, manager = client_for(c.lead), client_for(c.manager)
    pages = [(lead, _url(c, "asye_cohort")), (lead, _url(c, "asye_cohort") + "?overdue=on"),
             (manager, _url(c, "asye_managed")), (manager, f"/{c.council.slug}/")]
    _cohort(c, 5, "small")
    small = [_queries(client, url) for client, url in pages]
    _cohort(c, 45, "large")
    large = [_queries(client, url) for client, url in pages]
    assert small == large
    assert 0 < min(small) and max(large) <= 15


def test_nqsw_home_and_programme_page_queries_do_not_grow_with_the_record(stoke):
    c, p = stoke
    client = client_for(c.nqsw)
    before = (_queries(client, f"/{c.council.slug}/"),
              _queries(client, _url(c, "asye_programme", programme_id=p.pk)))
    with scope(council=c.council):
        for i in range(8):
            services.supervision_record(actor=c.manager, programme=p,
                                        held_on=dt.date(2024, 10, 2 + i))
            services.case_allocate(actor=c.manager, programme=p, reference=f"CIN-{i}",
                                   kind="child-in-need", on=dt.date(2024, 11, 1))
            services.study_day_request(actor=c.nqsw, programme=p, on=dt.date(2025, 1, 6 + i),
                                       purpose="x") if i < 6 else None
    after = (_queries(client, f"/{c.council.slug}/"),
             _queries(client, _url(c, "asye_programme", programme_id=p.pk)))
    assert before == after and min(before) > 0


def test_review_sign_by_someone_without_the_role_is_refused(stoke):
    """STOKE-17, 001_cfd4d7839e7e381c.txt."""
    c, p = stoke
    with scope(council=c.council):
        review = p.reviews.get(month=3)
        services.review_record(actor=c.manager, review=review, kss_progress="x", actions="y",
                               concerns="", complex_work_ready=None,
                               learning_agreement_review="Stands as agreed")
    assert client_for(c.assessor).post(
        _url(c, "asye_review_sign", review_id=review.pk)).status_code == 403
    response = client_for(c.lead).post(_url(c, "asye_review_sign", review_id=review.pk),
                                       follow=True)
    assert "signs last" in response.content.decode()


def test_extension_form_refuses_beyond_the_ceiling_and_keeps_input(stoke):
    """STOKE-13, 001_cfd4d7839e7e381c.txt."""
    c, p = stoke
    response = client_for(c.principal_manager).post(
        _url(c, "asye_extension", programme_id=p.pk),
        {"reason": "Long illness", "new_end_0": "2", "new_end_1": "10", "new_end_2": "2026"})
    html = response.content.decode()
    assert "STOKE-13" in html and "Long illness" in html
    assert client_for(c.manager).get(
        _url(c, "asye_extension", programme_id=p.pk)).status_code == 200  # the form shows
    assert client_for(c.manager).post(
        _url(c, "asye_extension", programme_id=p.pk),
        {"reason": "x", "new_end_0": "2", "new_end_1": "1", "new_end_2": "2026"}
    ).status_code == 403
