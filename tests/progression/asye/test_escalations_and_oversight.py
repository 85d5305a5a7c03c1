"""ASYE gaps closed in review: the learning agreement revisited at each review, e-mails for
escalated caseload breaches, the two-year ceiling escalation, NELC's observer slots, overdue
reviews shown to everyone concerned, the social worker's home section and the advisory
allocation matrix on the allocation form."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django_scopes import scope

from councils.rules.loader import load_pack_file
from progression.asye import selectors, services
from progression.models import AsyeProgramme, CareerRecord, CaseloadBreach
from progression.tasks import escalate_asye_ceilings, escalate_caseload_breaches
from tests.progression.asye.setup import PACKS, cast, enrol
from tests.progression.people_setup import client_for, make_member

pytestmark = pytest.mark.django_db

START = dt.date(2024, 10, 1)


def _url(c, name: str, **kw) -> str:
    return reverse(name, kwargs={"council_slug": c.council.slug, **kw})


def test_a_review_is_not_signed_until_it_revisits_the_learning_agreement():
    """STOKE-15, 001_cfd4d7839e7e381c.txt: each review also reviews the Learning Agreement."""
    c = cast()
    p = enrol(c, START)
    with scope(council=c.council):
        review = p.reviews.get(month=3)
        services.review_record(actor=c.manager, review=review, kss_progress="KSS 1-3",
                               actions="Targets", concerns="", complex_work_ready=None)
        with pytest.raises(ValidationError) as err:
            services.review_sign(actor=c.nqsw, review=review, on=review.due_on)
        assert "learning agreement" in err.value.messages[0]
        services.review_record(actor=c.manager, review=review, kss_progress="KSS 1-3",
                               actions="Targets", concerns="", complex_work_ready=None,
                               learning_agreement_review="Add court skills to the plan")
        services.review_sign(actor=c.nqsw, review=review, on=review.due_on)
        review.refresh_from_db()
        assert review.learning_agreement_review == "Add court skills to the plan"
    html = client_for(c.nqsw).get(_url(c, "asye_programme", programme_id=p.pk)).content
    assert b"Learning agreement: Add court skills to the plan" in html


def test_review_form_asks_for_the_learning_agreement_and_keeps_input():
    """STOKE-15, 001_cfd4d7839e7e381c.txt."""
    c = cast()
    p = enrol(c, START)
    with scope(council=c.council):
        review = p.reviews.get(month=3)
    url = _url(c, "asye_review", review_id=review.pk)
    response = client_for(c.manager).post(url, {"kss_progress": "Typed progress",
                                                "actions": "Typed actions"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Learning agreement revisited" in html and "Typed progress" in html
    assert "govuk-error-summary" in html


def test_escalated_breach_emails_the_pcfsw_and_prompts_the_nqsw_once(
        django_capture_on_commit_callbacks):
    """STOKE-27, 001_cfd4d7839e7e381c.txt: at expiry the product notifies the PCFSW and
    prompts the NQSW; a second run sends nothing."""
    c = cast()
    p = enrol(c, START)
    with scope(council=c.council):
        services.caseload_breach_report(actor=c.nqsw, programme=p, on=dt.date(2025, 2, 1))
    with django_capture_on_commit_callbacks(execute=True):
        assert escalate_caseload_breaches(on="2025-02-15") == 1
    assert len(mail.outbox) == 2
    to_psw, to_nqsw = mail.outbox
    assert to_psw.to == [c.psw.user.email]
    assert "STOKE-27" in to_psw.body and f"/asye/{p.pk}/" in to_psw.body
    assert to_nqsw.to == [c.nqsw.user.email]
    assert "principal social worker" in to_nqsw.body
    with scope(council=c.council):
        breach = CaseloadBreach.objects.get()
        assert breach.notified_at is not None
        # The mail task run again (a retry) sends nothing more.
        assert services.escalation_notify(council=c.council, kind="breach",
                                          object_id=breach.pk) == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert escalate_caseload_breaches(on="2025-02-20") == 0
    assert len(mail.outbox) == 2


def test_a_rolled_back_escalation_sends_no_mail(django_capture_on_commit_callbacks):
    """STOKE-27, 001_cfd4d7839e7e381c.txt: the mail goes only after the escalation commits."""
    c = cast()
    p = enrol(c, START)
    with scope(council=c.council):
        services.caseload_breach_report(actor=c.nqsw, programme=p, on=dt.date(2025, 2, 1))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        escalate_caseload_breaches(on="2025-02-15")
    assert len(callbacks) == 1 and mail.outbox == []


def test_ceiling_reached_without_a_decision_escalates_to_pcfsw_and_hr_once(
        django_capture_on_commit_callbacks):
    """STOKE-13, 001_cfd4d7839e7e381c.txt: at the two-year ceiling with no decision, an
    escalation opens to the PCFSW and HR (each programme once)."""
    c = cast()
    hr = make_member(c.council, "stoke.hr@example.org", ("hr",), full_name="Stoke HR")
    p = enrol(c, START)
    assert p.latest_end == dt.date(2026, 10, 1)
    with django_capture_on_commit_callbacks(execute=True):
        assert escalate_asye_ceilings(on="2026-09-30") == 0
        assert escalate_asye_ceilings(on="2026-10-01") == 1
        assert escalate_asye_ceilings(on="2026-10-02") == 0
    with scope(council=c.council):
        p = AsyeProgramme.objects.get(pk=p.pk)
    assert p.ceiling_escalated_on == dt.date(2026, 10, 1)
    assert p.ceiling_escalated_to == ["principal-social-worker", "hr"]
    assert p.ceiling_notified_at is not None
    assert len(mail.outbox) == 2
    assert sorted(mail.outbox[0].to) == sorted([c.psw.user.email, hr.user.email])
    assert "STOKE-13" in mail.outbox[0].body
    assert sorted(mail.outbox[1].to) == sorted([c.nqsw.user.email, c.manager.user.email])
    html = client_for(c.lead).get(_url(c, "asye_programme", programme_id=p.pk)).content
    assert b"Ceiling reached" in html


def test_a_programme_handed_to_the_panel_or_without_a_ceiling_is_not_escalated():
    """STOKE-13, 001_cfd4d7839e7e381c.txt; NELC-04, 000_b405b76582c345ce.txt (no ceiling)."""
    nelc = cast("north-east-lincolnshire", team_tags=())
    p = enrol(nelc, START)
    assert p.latest_end is None
    assert escalate_asye_ceilings(on="2030-01-01") == 0
    c = cast()
    p = enrol(c, START)
    with scope(council=c.council):
        AsyeProgramme.objects.filter(pk=p.pk).update(status="with-panel")
    assert escalate_asye_ceilings(on="2030-01-01") == 0


def test_nelc_observers_fill_one_slot_each():
    """NELC-14, 000_b405b76582c345ce.txt: one by the ASYE co-ordinator, one by the line
    manager, the third by the line manager or a senior social worker."""
    c = cast("north-east-lincolnshire", team_tags=())
    p = enrol(c, START)
    senior = make_member(c.council, "nelc.senior@example.org", ("senior-social-worker",),
                         full_name="Nelc Senior")
    peer = make_member(c.council, "nelc.peer@example.org", ("social-worker",),
                       full_name="Nelc Peer")
    on = dt.date(2025, 3, 1)
    with scope(council=c.council):
        with pytest.raises(ValidationError) as err:
            services.observation_create(actor=c.nqsw, programme=p, observer=peer,
                                        observed_on=on)
        assert "NELC-14" in str(err.value)
        first = services.observation_create(actor=c.nqsw, programme=p, observer=c.lead,
                                            observed_on=on)
        second = services.observation_create(actor=c.nqsw, programme=p, observer=c.manager,
                                             observed_on=on)
        with pytest.raises(ValidationError):  # the co-ordinator's slot is already taken
            services.observation_create(actor=c.nqsw, programme=p, observer=c.lead,
                                        observed_on=on)
        third = services.observation_create(actor=c.nqsw, programme=p, observer=senior,
                                            observed_on=on)
        assert [first.observer_role, second.observer_role, third.observer_role] == [
            "asye-lead", "line-manager", "senior-social-worker"]
        with pytest.raises(ValidationError):  # all three slots are filled
            services.observation_create(actor=c.nqsw, programme=p, observer=c.manager,
                                        observed_on=on)


def test_stoke_observer_must_be_registered_and_not_on_an_asye():
    """STOKE-25, 001_cfd4d7839e7e381c.txt."""
    c = cast()
    p = enrol(c, START)
    other = make_member(c.council, "stoke.sw@example.org", ("social-worker",),
                        full_name="Stoke Registered")
    with scope(council=c.council):
        with pytest.raises(ValidationError) as err:
            services.observation_create(actor=c.nqsw, programme=p, observer=other,
                                        observed_on=dt.date(2025, 1, 10))
        assert "registered" in str(err.value)
        CareerRecord.objects.create(council=c.council, membership=other,
                                    swe_registration_number="SW123")
        obs = services.observation_create(actor=c.nqsw, programme=p, observer=other,
                                          observed_on=dt.date(2025, 1, 10))
        assert obs.observer_registered is True


def test_observers_assessment_records_pcf_domains_and_kss():
    """STOKE-24, 001_cfd4d7839e7e381c.txt: assessment against the KSS with reference to the
    PCF, signed by the observer only."""
    c = cast()
    p = enrol(c, START)
    with scope(council=c.council):
        CareerRecord.objects.create(council=c.council, membership=c.manager,
                                    swe_registration_number="SW999")
        obs = services.observation_create(actor=c.nqsw, programme=p, observer=c.manager,
                                          observed_on=dt.date(2025, 1, 10))
    url = _url(c, "asye_observation_section", observation_id=obs.pk, section="assessment")
    assert client_for(c.nqsw).post(url, {"text": "x"}).status_code == 403
    response = client_for(c.manager).post(url, {"text": "Clear analysis", "kss": ["3"],
                                                 "pcf": ["knowledge"]})
    assert response.status_code == 302
    with scope(council=c.council):
        obs.refresh_from_db()
    assert obs.kss == [3] and obs.pcf == ["knowledge"] and obs.assessment_signed_on


def test_overdue_reviews_show_to_the_nqsw_the_manager_and_the_lead():
    """STOKE-15, 001_cfd4d7839e7e381c.txt: reviews past their date show as overdue."""
    c = cast()
    p = enrol(c, START)  # every review date is long past
    pages = {
        "nqsw home": client_for(c.nqsw).get(_url(c, "home")),
        "manager list": client_for(c.manager).get(_url(c, "asye_managed")),
        "manager home": client_for(c.manager).get(_url(c, "home")),
        "cohort": client_for(c.lead).get(_url(c, "asye_cohort")),
        "programme": client_for(c.lead).get(_url(c, "asye_programme", programme_id=p.pk)),
    }
    for name, response in pages.items():
        html = response.content.decode()
        assert response.status_code == 200, name
        assert "Overdue" in html, name
        if name != "programme":
            assert "4 reviews" in html, name


def test_social_worker_home_is_truthful_with_and_without_a_programme():
    """STOKE-09, 001_cfd4d7839e7e381c.txt: the home page lists what is due once enrolled."""
    c = cast()
    html = client_for(c.nqsw).get(_url(c, "home")).content.decode()
    assert "No ASYE programme is recorded for you" in html
    enrol(c, START)
    html = client_for(c.nqsw).get(_url(c, "home")).content.decode()
    assert "No ASYE programme is recorded for you" not in html
    assert "once your programme starts" not in html
    assert "See your ASYE year" in html


def test_allocation_form_shows_the_advisory_matrix_row_of_the_workers_grade(monkeypatch):
    """DERBY-29, DERBY-30, 002_6df34af9a85cb432.txt: shown for the worker's own grade,
    advisory (the form still allocates)."""
    c = cast()
    p = enrol(c, START)
    with scope(council=c.council):
        CareerRecord.objects.filter(membership=c.nqsw).update(current_level="grade-9")
    derbyshire = load_pack_file(PACKS / "derbyshire.yaml")
    monkeypatch.setattr(selectors, "pack_of", lambda programme: derbyshire)
    html = client_for(c.manager).get(_url(c, "asye_allocate", programme_id=p.pk)).content
    html = html.decode()
    assert "Case allocation matrix (advisory, DERBY-29" in html
    assert "contributing to enquiries" in html
    assert "leading on enquiries" not in html  # grade 10 and 11 rows are not shown
    assert "How stable is the situation?" in html


def test_a_credit_of_the_whole_year_is_refused_with_a_reason():
    """STOKE-14, STOKE-02, 001_cfd4d7839e7e381c.txt: credit is for a partly completed ASYE."""
    c = cast()
    with pytest.raises(ValidationError) as err:
        enrol(c, START, credit_months=12, credit_evidence="Statement")
    assert "STOKE-14" in err.value.message_dict["credit_months"][0]
    p = enrol(c, START, credit_months=11, credit_evidence="Statement")
    assert p.planned_end == dt.date(2024, 11, 1)  # 11 credited + 1 here = one year in all


def test_an_overdue_review_does_not_hide_the_next_one_in_the_lists():
    """STOKE-15, 001_cfd4d7839e7e381c.txt: the 3-month review is overdue and the 6-month one
    is next; the manager's list shows both."""
    c = cast()
    p = enrol(c, START)
    today = dt.date(2025, 2, 1)  # the 3-month review (1 January) is past, not held
    with scope(council=c.council):
        (row,) = selectors.managed_rows(c.manager, today)
    assert row.overdue == ["Learning agreement", "1 review", "Supervision"]
    assert row.next_due == ("Review", dt.date(2025, 4, 1))
    assert p.pk == row.programme.pk
