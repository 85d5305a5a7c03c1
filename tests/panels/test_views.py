"""Panel and HR pages: who sees what, forms, downloads, constant query counts, API."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django_scopes import scope, scopes_disabled

from councils.models import AuditEvent, Role
from panels import services
from panels.models import Decision, DecisionRecord, PayChange
from portfolios.models import EvidenceItem, Portfolio
from tests.factories import MembershipFactory
from tests.panels.conftest import submitted_case

SITTING = dt.date(2026, 9, 15)


def _date(prefix: str, d: dt.date) -> dict[str, str]:
    return {f"{prefix}_0": str(d.day), f"{prefix}_1": str(d.month), f"{prefix}_2": str(d.year)}


def _pass(p):
    with scope(council=p.council):
        return services.decision_issue(actor=p.chair, sitting=p.sitting, case=p.case,
                                       outcome="pass", decided_on=SITTING)


def test_chair_records_a_pass_through_the_form_and_sees_the_record(panel, client_for,
                                                                   django_capture_on_commit_callbacks):
    p = panel("lincolnshire", "level-1-to-level-2", level="level-1")
    client = client_for(p.chair)
    url = f"/{p.council.slug}/panels/{p.sitting.pk}/cases/{p.case.pk}/decide/"
    page = client.get(url)
    assert page.status_code == 200 and b"Endorsed (LINCS-21, LINCS-24, LINCS-25)" in page.content
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"outcome": "pass", **_date("decided_on", SITTING),
                                     "received_on_0": "", "received_on_1": "",
                                     "received_on_2": ""})
    assert response.status_code == 302, response.content.decode()[:2000]
    with scopes_disabled():
        decision = Decision.objects.get()
    detail = client.get(response["Location"])
    assert b"SCP 25" in detail.content and b"15 September 2026" in detail.content
    pdf = client.get(f"/{p.council.slug}/panels/decisions/{decision.pk}/record/")
    assert pdf.status_code == 200
    assert pdf["Content-Disposition"].startswith("attachment")
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")
    with scopes_disabled():
        assert AuditEvent.objects.filter(action="decision.record_downloaded").count() == 1


def test_a_missing_reason_is_shown_next_to_the_field_and_keeps_what_was_typed(panel,
                                                                              client_for):
    p = panel("lincolnshire", "level-1-to-level-2", level="level-1")
    url = f"/{p.council.slug}/panels/{p.sitting.pk}/cases/{p.case.pk}/decide/"
    response = client_for(p.chair).post(url, {"outcome": "defer", "reason_code": "further-work",
                                              **_date("decided_on", SITTING)})
    assert response.status_code == 200
    body = response.content.decode()
    assert "govuk-error-summary" in body and "The reasons must be written (LINCS-22)" in body
    with scopes_disabled():
        assert not Decision.objects.exists()


def test_a_member_cannot_decide_and_a_stranger_cannot_see_the_sitting(panel, client_for):
    p = panel("lincolnshire", "level-1-to-level-2", level="level-1")
    url = f"/{p.council.slug}/panels/{p.sitting.pk}/"
    assert client_for(p.member).get(url).status_code == 200
    decide = f"{url}cases/{p.case.pk}/decide/"
    assert client_for(p.member).get(decide).status_code == 403
    stranger = MembershipFactory(council=p.council, roles=[Role.HEAD_OF_SERVICE])
    assert client_for(stranger).get(url).status_code == 403


def test_panel_member_reads_the_portfolio_of_a_listed_case_only(panel, client_for):
    p = panel("lincolnshire", "level-1-to-level-2", level="level-1")
    other = submitted_case(p.council, "level-1-to-level-2", level="level-1")
    client = client_for(p.member)
    assert client.get(f"/{p.council.slug}/portfolios/{p.case.pk}/").status_code == 200
    assert client.get(f"/{p.council.slug}/portfolios/{other.pk}/").status_code == 403


def test_hr_sees_decisions_but_never_evidence_files(panel, client_for, settings):
    p = panel("lincolnshire", "level-1-to-level-2", level="level-1")
    decision = _pass(p)
    with scopes_disabled():
        portfolio = Portfolio.objects.get(case=p.case)
        item = EvidenceItem(council=p.council, portfolio=portfolio, kind="appraisal",
                            title="Appraisal", practice_on=SITTING, created_by=p.worker.user,
                            sha256="0" * 64, original_name="a.pdf", size=4,
                            content_type="application/pdf")
        item.file.save("evidence/a.pdf", SimpleUploadedFile("a.pdf", b"%PDF"), save=False)
        item.save()
    client = client_for(p.hr)
    assert client.get(f"/{p.council.slug}/panels/decisions/{decision.pk}/").status_code == 200
    download = f"/{p.council.slug}/portfolios/evidence/{item.pk}/download/"
    assert client.get(download).status_code == 403
    assert client.get(f"/{p.council.slug}/portfolios/{p.case.pk}/").status_code == 403


def test_another_councils_decision_answers_404(panel, client_for):
    p = panel("lincolnshire", "level-1-to-level-2", level="level-1")
    decision = _pass(p)
    q = panel("halton", "level-2-to-level-3", member_role=Role.DIVISIONAL_MANAGER,
              level="level-2")
    hr_elsewhere = MembershipFactory(council=q.council, roles=[Role.HR])
    client = client_for(hr_elsewhere)
    assert client.get(f"/{q.council.slug}/panels/decisions/{decision.pk}/").status_code == 404
    assert client.get(f"/{p.council.slug}/panels/decisions/{decision.pk}/").status_code == 404


def test_sitting_page_queries_do_not_grow_with_the_agenda(panel, client_for,
                                                          django_assert_max_num_queries):
    p = panel("lincolnshire", "level-1-to-level-2", level="level-1")
    client = client_for(p.member)
    url = f"/{p.council.slug}/panels/{p.sitting.pk}/"
    client.get(url)
    with django_assert_max_num_queries(20) as small:
        assert client.get(url).status_code == 200
    with scopes_disabled():
        from panels.models import AgendaItem
        for _ in range(6):
            case = submitted_case(p.council, "level-1-to-level-2", level="level-1")
            AgendaItem.objects.create(council=p.council, sitting=p.sitting, case=case,
                                      listed_by=p.admin.user)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(url)
    assert response.content.count(b"/portfolios/") >= 7


def test_pay_change_list_filters_paginates_and_keeps_queries_constant(
        panel, client_for, django_assert_max_num_queries):
    p = panel("lincolnshire", "level-1-to-level-2", level="level-1")
    _pass(p)
    client = client_for(p.hr)
    url = f"/{p.council.slug}/hr/pay-changes/"
    client.get(url)
    with django_assert_max_num_queries(20) as small:
        assert b"SCP 25" in client.get(url).content
    with scopes_disabled():
        change = PayChange.objects.get()
        for _ in range(30):
            copy = Decision.objects.get(pk=change.decision_id)
            copy.pk, copy.is_current = None, False
            copy.save()
            PayChange.objects.create(council=p.council, worker=change.worker, decision=copy,
                                     from_level="level-1", to_level="level-2",
                                     pay_point="SCP 25", status="awaiting-date")
    with django_assert_max_num_queries(len(small.captured_queries)):
        page = client.get(url)
    assert b"Page 1 of 2" in page.content
    filtered = client.get(url, {"status": "ready"})
    assert filtered.content.count(b"Enter date") == 0


def test_hr_exports_a_batch_and_downloads_it_again(panel, client_for):
    p = panel("lincolnshire", "level-1-to-level-2", level="level-1")
    _pass(p)
    client = client_for(p.hr)
    response = client.post(f"/{p.council.slug}/hr/pay-changes/export/", {"format": "csv"})
    assert response.status_code == 302
    with scopes_disabled():
        from panels.models import PayExportBatch
        batch = PayExportBatch.objects.get()
    url = f"/{p.council.slug}/hr/pay-changes/batches/{batch.pk}/csv/"
    first, second = client.get(url), client.get(url)
    assert first.content == second.content and b"SCP 25" in first.content
    assert first["Content-Disposition"] == 'attachment; filename="pay-changes-batch-1.csv"'
    again = client.post(f"/{p.council.slug}/hr/pay-changes/export/", {"format": "csv"})
    assert again.status_code == 302
    with scopes_disabled():
        assert PayExportBatch.objects.count() == 1
    assert client_for(p.chair).get(url).status_code == 403


def test_api_lists_pay_changes_of_a_batch_for_hr_only(panel, client_for):
    p = panel("lincolnshire", "level-1-to-level-2", level="level-1")
    _pass(p)
    with scope(council=p.council):
        services.pay_export_create(actor=p.hr, council=p.council, fmt="csv")
    url = f"/api/v1/{p.council.slug}/pay-changes/"
    data = client_for(p.hr).get(url, {"batch": 1}).json()
    assert [(r["to_level"], r["pay_point"], r["effective_on"], r["batch"])
            for r in data["results"]] == [("level-2", "SCP 25", "2026-09-15", 1)]
    assert client_for(p.hr).get(url, {"batch": 2}).json()["results"] == []
    assert client_for(p.hr).get(url, {"batch": "x"}).status_code == 400
    assert client_for(p.chair).get(url).status_code == 403


def test_decision_record_waits_for_the_task(panel, client_for):
    p = panel("lincolnshire", "level-1-to-level-2", level="level-1")
    decision = _pass(p)  # on_commit callbacks are not run in this test
    with scopes_disabled():
        assert not DecisionRecord.objects.get(decision=decision).is_rendered
    client = client_for(p.worker)
    assert b"being prepared" in client.get(
        f"/{p.council.slug}/panels/decisions/{decision.pk}/").content
    assert client.get(f"/{p.council.slug}/panels/decisions/{decision.pk}/record/"
                      ).status_code == 404


def test_home_page_shows_the_chairs_sitting_and_hr_counts(panel, client_for):
    p = panel("lincolnshire", "level-1-to-level-2", level="level-1")
    _pass(p)
    chair_home = client_for(p.chair).get(f"/{p.council.slug}/").content.decode()
    assert "Progression panel, 15 September 2026" in chair_home and "(you chair)" in chair_home
    hr_home = client_for(p.hr).get(f"/{p.council.slug}/").content.decode()
    assert "1 pay change ready to export" in hr_home


def test_month_only_sitting_shows_date_to_be_set_and_refuses_decisions(panel, client_for):
    """CONV-06, LINCS-19, 003_beca269546173a23.txt: a sitting named by month shows
    "December 2026 (date to be set)" until the administrator sets the date."""
    p = panel("lincolnshire", "level-1-to-level-2", level="level-1", sitting_on=None)
    page = client_for(p.member).get(f"/{p.council.slug}/panels/{p.sitting.pk}/")
    assert b"December 2026 (date to be set)" in page.content
    url = f"/{p.council.slug}/panels/{p.sitting.pk}/cases/{p.case.pk}/decide/"
    response = client_for(p.chair).post(url, {"outcome": "pass",
                                              **_date("decided_on", SITTING)})
    assert b"Set the sitting&#x27;s date" in response.content
    bad = client_for(p.admin).post(f"/{p.council.slug}/panels/{p.sitting.pk}/date/",
                                   _date("on", dt.date(2026, 11, 3)))
    assert b"must be in the sitting" in bad.content
    client_for(p.admin).post(f"/{p.council.slug}/panels/{p.sitting.pk}/date/",
                             _date("on", dt.date(2026, 12, 9)))
    p.sitting.refresh_from_db()
    assert p.sitting.sitting_on == dt.date(2026, 12, 9)


def test_admin_schedules_a_sitting_with_a_designated_chair(panel, client_for):
    """LINCS-20, 003_beca269546173a23.txt: two Heads of Service; one is designated chair."""
    p = panel("lincolnshire", "level-1-to-level-2", level="level-1")
    hos = MembershipFactory(council=p.council, roles=[Role.HEAD_OF_SERVICE])
    response = client_for(p.admin).post(f"/{p.council.slug}/panels/new/", {
        "name": "Career Progression Panel", "routes": ["level-1-to-level-2"],
        "sitting_on_0": "", "sitting_on_1": "", "sitting_on_2": "", "month": "2027-04",
        "additional": "on", "chair": str(p.chair.pk), "members": [str(hos.pk)]})
    assert response.status_code == 302
    page = client_for(p.chair).get(response["Location"]).content.decode()
    assert "April 2027 (date to be set)" in page and hos.user.full_name in page
