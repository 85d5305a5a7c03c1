"""Portfolio pages: uploads (fuzzed), downloads, permissions per role, query counts."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from django_scopes import scopes_disabled

from councils.models import AuditEvent
from portfolios import services
from portfolios.models import EvidenceItem
from tests.factories import MembershipFactory, progression_case_for
from tests.portfolios.conftest import PDF, pdf_upload

TODAY = dt.date(2026, 11, 20)


@pytest.fixture
def lincs(load_pack, people, in_scope):
    council = load_pack("lincolnshire")
    p = people(council, team_tags=["fast"], level="level-1",
               registration_date=dt.date(2023, 1, 10))
    with in_scope(council):
        case = services.case_open(actor=p["worker"].user, worker=p["worker"],
                                  route_slug="level-1-to-level-2", today=TODAY)
    return council, p, case


def _url(name, council, **kw):
    return reverse(name, kwargs={"council_slug": council.slug, **kw})


def _form(**extra):
    data = {"requirement": "appraisal", "title": "My appraisal", "practice_on_0": "3",
            "practice_on_1": "10", "practice_on_2": "2026"}
    data.update(extra)
    return data


def _stored_files(media):
    return [p for p in media.rglob("*") if p.is_file()]


def test_upload_stores_file_with_digest_and_type_from_content(lincs, client_for, _media):
    council, p, case = lincs
    response = client_for(p["worker"]).post(
        _url("portfolio_upload", council, case_id=case.pk),
        _form(file=SimpleUploadedFile("appraisal.pdf", PDF, "application/octet-stream")))
    assert response.status_code == 302
    with scopes_disabled():
        item = EvidenceItem.objects.get()
    import hashlib
    assert item.sha256 == hashlib.sha256(PDF).hexdigest()
    assert item.content_type == "application/pdf" and item.size == len(PDF)
    assert len(_stored_files(_media)) == 1


def _docx() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    return buf.getvalue()


def test_docx_is_recognised_from_content(lincs, client_for, _media):
    council, p, case = lincs
    response = client_for(p["worker"]).post(
        _url("portfolio_upload", council, case_id=case.pk),
        _form(file=SimpleUploadedFile("appraisal.docx", _docx())))
    assert response.status_code == 302
    with scopes_disabled():
        assert EvidenceItem.objects.get().content_type.endswith("wordprocessingml.document")


@pytest.mark.parametrize("name,body,message", [
    ("empty.pdf", b"", "empty"),
    ("report.pdf", b"MZ\x90\x00 this is an executable" * 20, "not a PDF"),
    ("report.pdf", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "content is a PNG"),
    ("script.pdf", PDF.replace(b"/Type /Catalog", b"/Type /Catalog /OpenAction << /S "
                                                   b"/JavaScript /JS (app.alert(1)) >>"),
     "JavaScript"),
])
def test_bad_uploads_are_refused_clearly_keeping_what_was_typed(lincs, client_for, _media,
                                                                 name, body, message):
    council, p, case = lincs
    response = client_for(p["worker"]).post(
        _url("portfolio_upload", council, case_id=case.pk),
        _form(title="Typed title kept", file=SimpleUploadedFile(name, body)))
    assert response.status_code == 200
    text = response.content.decode()
    assert message in text
    assert "govuk-error-summary" in text
    assert 'value="Typed title kept"' in text
    with scopes_disabled():
        assert not EvidenceItem.objects.exists()
    assert _stored_files(_media) == []


@override_settings(EVIDENCE_MAX_BYTES=100)
def test_oversize_upload_is_refused_and_nothing_stored(lincs, client_for, _media):
    council, p, case = lincs
    response = client_for(p["worker"]).post(
        _url("portfolio_upload", council, case_id=case.pk),
        _form(file=SimpleUploadedFile("big.pdf", PDF + b"%" * 200)))
    assert response.status_code == 200
    assert "larger than the limit" in response.content.decode()
    with scopes_disabled():
        assert not EvidenceItem.objects.exists()
    assert _stored_files(_media) == []


def test_path_in_the_name_is_refused():
    """Django's upload handling already drops folders from a posted name; the check keeps
    a name with a path out even when a caller passes one directly."""
    from django.core.exceptions import ValidationError

    from portfolios.files import clean_original_name
    for name in ("../../etc/passwd.pdf", "folder/evidence.pdf", "..\\x.pdf", ".hidden.pdf"):
        with pytest.raises(ValidationError) as error:
            clean_original_name(name)
        assert "folder path" in str(error.value)
    assert clean_original_name("My report (v2).pdf") == "My report (v2).pdf"


def test_path_in_a_posted_name_never_escapes_the_storage(lincs, client_for, _media, tmp_path):
    council, p, case = lincs
    response = client_for(p["worker"]).post(
        _url("portfolio_upload", council, case_id=case.pk),
        _form(file=SimpleUploadedFile("../../outside.pdf", PDF)))
    assert response.status_code in (200, 302)
    assert not (tmp_path / "outside.pdf").exists()
    with scopes_disabled():
        for item in EvidenceItem.objects.all():
            assert "/" not in item.original_name and item.file.name.startswith("evidence/")


def test_video_of_an_observation_needs_both_consents(lincs, client_for, _media):
    council, p, case = lincs
    mp4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 100
    url = _url("portfolio_upload", council, case_id=case.pk)
    client = client_for(p["worker"])
    refused = client.post(url, _form(requirement="observations",
                                     file=SimpleUploadedFile("obs.mp4", mp4)))
    assert "consent" in refused.content.decode()
    with scopes_disabled():
        assert not EvidenceItem.objects.exists()
    ok = client.post(url, _form(requirement="observations", consent_worker="on",
                                consent_observed="on",
                                file=SimpleUploadedFile("obs.mp4", mp4)))
    assert ok.status_code == 302
    with scopes_disabled():
        item = EvidenceItem.objects.get()
    assert item.content_type == "video/mp4" and item.consent_worker and item.consent_observed


def test_download_is_an_audited_nosniff_attachment(lincs, client_for, in_scope):
    council, p, case = lincs
    with in_scope(council):
        item = services.evidence_add_file(actor=p["worker"], case=case,
                                          upload=pdf_upload("appraisal.pdf"), kind="appraisal",
                                          title="Appraisal", practice_on=TODAY)
    response = client_for(p["line_manager"]).get(
        _url("portfolio_download", council, item_id=item.pk))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="appraisal.pdf"')
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF
    with scopes_disabled():
        event = AuditEvent.objects.get(action="evidence.downloaded")
    assert event.actor == p["line_manager"].user and event.object_id == str(item.pk)


@pytest.mark.parametrize("who,status", [
    ("worker", 200), ("line_manager", 200), ("team_manager", 200), ("group_manager", 200),
    ("hr", 403), ("admin", 403), ("ap", 403), ("stranger", 403),
])
def test_who_sees_the_portfolio_and_its_files(lincs, client_for, in_scope, who, status):
    council, p, case = lincs
    with in_scope(council):
        item = services.evidence_add_file(actor=p["worker"], case=case, upload=pdf_upload(),
                                          kind="appraisal", title="A", practice_on=TODAY)
    client = client_for(p[who])
    assert client.get(_url("portfolio_case", council, case_id=case.pk)).status_code == status
    assert client.get(_url("portfolio_download", council,
                           item_id=item.pk)).status_code == status


def test_lead_assessor_sees_the_case(load_pack, people, in_scope, client_for):
    council = load_pack("north-east-lincolnshire")
    p = people(council, level="level-2")
    with in_scope(council):
        case = services.case_open(actor=p["worker"].user, worker=p["worker"],
                                  route_slug="level-2-to-level-3", today=TODAY, statement="x")
        url = _url("portfolio_case", council, case_id=case.pk)
        assert client_for(p["ap"]).get(url).status_code == 403
        services.lead_assessor_appoint(actor=p["admin"], case=case, assessor=p["ap"])
    assert client_for(p["ap"]).get(url).status_code == 200


def test_panel_access_predicate_extends_access(lincs, client_for, monkeypatch):
    council, p, case = lincs
    from portfolios import permissions
    monkeypatch.setattr(permissions, "PANEL_ACCESS", [lambda actor, c: actor.pk == p["ap"].pk])
    assert client_for(p["ap"]).get(_url("portfolio_case", council,
                                        case_id=case.pk)).status_code == 200


def test_only_the_worker_uploads(lincs, client_for):
    council, p, case = lincs
    url = _url("portfolio_upload", council, case_id=case.pk)
    assert client_for(p["line_manager"]).get(url).status_code == 403
    assert client_for(p["worker"]).get(url).status_code == 200


def test_another_councils_case_answers_404(lincs, other_council, client_for):
    council, p, case = lincs
    foreign = progression_case_for(other_council)
    client = client_for(p["worker"])
    assert client.get(_url("portfolio_case", council, case_id=foreign.pk)).status_code == 404
    assert client.get(_url("portfolio_case", other_council,
                           case_id=case.pk)).status_code == 404


def _bulk_items(case, worker, n):
    from django_scopes import scopes_disabled

    from portfolios.models import Portfolio
    with scopes_disabled():
        portfolio = Portfolio.objects.get(case=case, is_current=True)
        EvidenceItem.objects.bulk_create([
            EvidenceItem(council=case.council, portfolio=portfolio,
                         kind=("case-example", "cpd-record", "direct-observation")[i % 3],
                         title=f"Item {i}", practice_on=TODAY - dt.timedelta(days=i),
                         kss=[1 + i % 10, 1 + (i + 3) % 10], statement=f"Text {i}", words=2,
                         created_by=worker.user) for i in range(n)])


@pytest.mark.parametrize("n", [10, 300])
def test_portfolio_page_queries_do_not_grow_with_items(lincs, client_for, n,
                                                       django_assert_max_num_queries):
    council, p, case = lincs
    _bulk_items(case, p["worker"], n)
    client = client_for(p["worker"])
    with django_assert_max_num_queries(22):
        response = client.get(_url("portfolio_case", council, case_id=case.pk))
    assert response.status_code == 200
    assert f"Evidence ({n})" in response.content.decode()


def test_submit_page_shows_the_precise_refusal(lincs, client_for):
    council, p, case = lincs
    response = client_for(p["worker"]).post(_url("portfolio_submit", council, case_id=case.pk))
    text = response.content.decode()
    assert response.status_code == 200
    assert "No sitting is booked for this case yet" in text
    assert "LINCS-13" in text


def test_statement_page_counts_words_after_save(lincs, client_for):
    council, p, case = lincs
    client = client_for(p["worker"])
    response = client.post(_url("portfolio_statement", council, case_id=case.pk),
                           _form(requirement="role-summary", title="Role",
                                 statement="I manage a caseload of complex cases."),
                           follow=True)
    assert "(7 words)" in response.content.decode()


def test_anonymisation_warnings_on_derbyshire_submit_page(load_pack, people, in_scope,
                                                          client_for):
    council = load_pack("derbyshire")
    p = people(council, level="grade-10")
    with in_scope(council):
        case = services.case_open(actor=p["worker"].user, worker=p["worker"],
                                  route_slug="grade-10-to-grade-11", today=TODAY)
        services.evidence_add_statement(
            actor=p["worker"], case=case, kind="written-statement", topic="enabling-learning",
            title="Enabling", practice_on=TODAY,
            statement="I supported Mrs Jones Smith at DE1 3AA, date of birth 01/02/2010.")
    text = client_for(p["worker"]).get(_url("portfolio_submit", council,
                                            case_id=case.pk)).content.decode()
    assert "name with a title" in text and "postcode" in text and "date of birth" in text
    assert "fully anonymised" in text


def test_signoff_page_voided_signature_is_visible(lincs, client_for, in_scope):
    council, p, case = lincs
    with in_scope(council):
        item = services.evidence_add_statement(
            actor=p["worker"], case=case, kind="written-statement", topic="role-summary",
            title="Role", practice_on=TODAY, statement="First words.")
    lm = client_for(p["line_manager"])
    page = lm.get(_url("portfolio_signoff", council, case_id=case.pk)).content.decode()
    assert "3:practice-supervisor" in page
    lm.post(_url("portfolio_signoff", council, case_id=case.pk),
            {"choice": "3:practice-supervisor", "confirm": "on"})
    client_for(p["worker"]).post(_url("portfolio_evidence_edit", council, item_id=item.pk),
                                 {"title": "Role", "statement": "Other words."})
    text = client_for(p["worker"]).get(_url("portfolio_case", council,
                                            case_id=case.pk)).content.decode()
    assert "Voided" in text and "Evidence changed: Role" in text


def test_hr_member_who_is_not_in_the_chain_cannot_download(lincs, client_for, in_scope):
    council, p, case = lincs
    hr = MembershipFactory(council=council, roles=["hr", "line-manager"])
    with in_scope(council):
        item = services.evidence_add_file(actor=p["worker"], case=case, upload=pdf_upload(),
                                          kind="appraisal", title="A", practice_on=TODAY)
    assert client_for(hr).get(_url("portfolio_download", council,
                                   item_id=item.pk)).status_code == 403


def test_derbyshire_page_shows_the_group_manager_deadline(load_pack, people, in_scope,
                                                         client_for):
    """DERBY-21, 002_6df34af9a85cb432.txt: to the group manager two weeks before."""
    council = load_pack("derbyshire")
    p = people(council, level="grade-10")
    with in_scope(council):
        case = services.case_open(actor=p["worker"].user, worker=p["worker"],
                                  route_slug="grade-10-to-grade-11", today=TODAY)
        services.intended_submission_set(actor=p["worker"], case=case,
                                         on=dt.date(2027, 1, 15), today=TODAY)
    client = client_for(p["worker"])
    text = client.get(_url("portfolio_case", council, case_id=case.pk)).content.decode()
    assert "1 January 2027: to the group-manager (DERBY-21)" in text
    window = client.get(_url("portfolio_window", council, case_id=case.pk)).content.decode()
    assert "15 January 2027" in window and "15 May 2027" in window


def test_nelc_expression_of_intent_pages(load_pack, people, in_scope, client_for):
    """NELC-23, NELC-24, 000_b405b76582c345ce.txt: through the pages, in order."""
    council = load_pack("north-east-lincolnshire")
    p = people(council, level="level-2")
    start = client_for(p["worker"]).post(_url("portfolio_start", council),
                                         {"route_slug": "level-2-to-level-3",
                                          "statement": "I am ready."})
    assert start.status_code == 302
    from portfolios.selectors import cases_of_worker
    with in_scope(council):
        case = cases_of_worker(p["worker"])[0]
    url = _url("portfolio_intent", council, case_id=case.pk)
    tm = client_for(p["team_manager"])
    assert "Approve" not in tm.get(url).content.decode()
    lm = client_for(p["line_manager"])
    refused = lm.post(url, {"decision": "decline", "reasons": ""})
    assert "development areas" in refused.content.decode()
    assert lm.post(url, {"decision": "support", "reasons": "Agreed"}).status_code == 302
    assert tm.post(url, {"decision": "approve"}).status_code == 302
    case.refresh_from_db()
    assert case.status == "building"
    page = client_for(p["worker"]).get(_url("portfolio_case", council, case_id=case.pk))
    assert "What I still need" in page.content.decode()


def test_admin_and_lead_assessor_pages(load_pack, people, in_scope, client_for):
    """NELC-26, NELC-28, 000_b405b76582c345ce.txt: appointment and the random draw."""
    council = load_pack("north-east-lincolnshire")
    p = people(council, level="level-2")
    with in_scope(council):
        case = services.case_open(actor=p["worker"].user, worker=p["worker"],
                                  route_slug="level-2-to-level-3", today=TODAY, statement="x")
    admin = client_for(p["admin"])
    listing = admin.get(_url("portfolio_cases", council)).content.decode()
    assert "Lead assessor" in listing
    url = _url("portfolio_lead_assessor", council, case_id=case.pk)
    assert admin.post(url, {"assessor": str(p["ap"].pk)}).status_code == 302
    ap = client_for(p["ap"])
    draw = ap.post(_url("portfolio_case_files", council, case_id=case.pk),
                   {"caseload": "\n".join(f"M{n}" for n in range(8)),
                    "worker_chosen": "M1\nM2"})
    assert draw.status_code == 302
    case.refresh_from_db()
    assert len(case.case_file_draw["chosen"]) == 3
    assert client_for(p["line_manager"]).get(
        _url("portfolio_case_files", council, case_id=case.pk)).status_code == 403


def test_returned_portfolio_versions_stay_readable(lincs, client_for, in_scope):
    council, p, case = lincs
    from portfolios.models import CaseStatus, Portfolio, Submission
    with in_scope(council):
        services.evidence_add_file(actor=p["worker"], case=case, upload=pdf_upload(),
                                   kind="appraisal", title="Appraisal v1", practice_on=TODAY)
        old = Portfolio.objects.get(case=case)
        Submission.objects.create(council=council, portfolio=old, number=1, manifest=[],
                                  manifest_digest="0" * 64, submit_for="2027-04",
                                  submitted_by=p["worker"].user)
        case.status = CaseStatus.SUBMITTED
        case.save()
        services.portfolio_return(actor=p["admin"], case=case, reason="Deferred")
    page = client_for(p["worker"]).get(_url("portfolio_version", council, portfolio_id=old.pk))
    assert page.status_code == 200 and "Appraisal v1" in page.content.decode()


def test_checklist_and_grid_queries_are_the_same_for_10_and_300_items(lincs, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from portfolios.models import Portfolio
    council, p, case = lincs
    client = client_for(p["worker"])
    url = _url("portfolio_case", council, case_id=case.pk)
    counts = {}
    for n in (10, 300):
        with scopes_disabled():
            EvidenceItem.objects.filter(portfolio=Portfolio.objects.get(case=case)).delete()
        _bulk_items(case, p["worker"], n)
        client.get(url)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        counts[n] = len(ctx.captured_queries)
    assert counts[10] == counts[300]
