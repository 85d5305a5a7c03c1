"""Who sees a portfolio and its files, per role and across councils; recordings of direct
observations (consent recorded, streamed to those allowed, never public); and a sign-off
voided visibly when an upload changes the content it saw."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import FileResponse
from django.urls import reverse
from django_scopes import scopes_disabled

from councils.models import AuditEvent, Role
from portfolios import permissions, services
from portfolios.models import EvidenceItem
from tests.factories import MembershipFactory, progression_case_for
from tests.portfolios.conftest import PDF, pdf_upload

TODAY = dt.date(2026, 11, 20)
MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 4096


@pytest.fixture
def lincs(load_pack, people, in_scope):
    council = load_pack("lincolnshire")
    p = people(council, team_tags=["fast"], level="level-1",
               registration_date=dt.date(2023, 1, 10))
    with in_scope(council):
        case = services.case_open(actor=p["worker"].user, worker=p["worker"],
                                  route_slug="level-1-to-level-2", today=TODAY)
        item = services.evidence_add_file(actor=p["worker"], case=case, upload=pdf_upload(),
                                          kind="appraisal", title="Appraisal",
                                          practice_on=TODAY)
    return council, p, case, item


def _url(name, council, **kw):
    return reverse(name, kwargs={"council_slug": council.slug, **kw})


def test_lead_assessor_and_panel_member_download_as_audited_attachments(
        lincs, client_for, in_scope, monkeypatch):
    council, p, case, item = lincs
    panel = MembershipFactory(council=council, roles=[Role.PANEL_MEMBER])
    monkeypatch.setattr(permissions, "PANEL_ACCESS",
                        [lambda actor, c: actor.pk == panel.pk and c.pk == case.pk])
    with in_scope(council):
        case.lead_assessor = p["ap"]
        case.save(update_fields=["lead_assessor"])
    for who in (p["ap"], panel):
        response = client_for(who).get(_url("portfolio_download", council, item_id=item.pk))
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment;")
        assert response["X-Content-Type-Options"] == "nosniff"
        assert b"".join(response.streaming_content) == PDF
    with scopes_disabled():
        actors = set(AuditEvent.objects.filter(action="evidence.downloaded")
                     .values_list("actor_id", flat=True))
    assert actors == {p["ap"].user_id, panel.user_id}


def test_hr_never_sees_evidence_even_when_co_opted_on_a_panel(lincs, client_for,
                                                              monkeypatch):
    """LINCS-20 co-opts HR onto panels; HR sees decisions, never evidence files."""
    council, p, case, item = lincs
    monkeypatch.setattr(permissions, "PANEL_ACCESS", [lambda actor, c: True])
    client = client_for(p["hr"])
    assert client.get(_url("portfolio_download", council, item_id=item.pk)).status_code == 403
    assert client.get(_url("portfolio_case", council, case_id=case.pk)).status_code == 403
    with scopes_disabled():
        assert not AuditEvent.objects.filter(action="evidence.downloaded").exists()


def test_another_councils_ids_answer_404_on_every_portfolio_url(lincs, other_council,
                                                                client_for):
    council, p, case, item = lincs
    foreign = progression_case_for(other_council)
    with scopes_disabled():
        foreign_item = EvidenceItem.objects.get(portfolio__case=foreign)
        foreign_portfolio = foreign_item.portfolio
    # A social worker and line manager: past every role gate, so only the id decides.
    client = client_for(p["stranger"])
    for name, kw in (("portfolio_case", {"case_id": foreign.pk}),
                     ("portfolio_signoff", {"case_id": foreign.pk}),
                     ("portfolio_submit", {"case_id": foreign.pk}),
                     ("portfolio_upload", {"case_id": foreign.pk}),
                     ("portfolio_download", {"item_id": foreign_item.pk}),
                     ("portfolio_evidence_edit", {"item_id": foreign_item.pk}),
                     ("portfolio_version", {"portfolio_id": foreign_portfolio.pk})):
        assert client.get(_url(name, council, **kw)).status_code == 404, name
    # This council's ids under the other council's address: not a member there.
    assert client.get(_url("portfolio_download", other_council,
                           item_id=item.pk)).status_code == 404


def test_observation_recording_streams_to_those_allowed_and_is_never_public(
        lincs, client_for):
    council, p, case, _ = lincs
    url = _url("portfolio_upload", council, case_id=case.pk)
    form = {"requirement": "observations", "title": "Home visit recording",
            "practice_on_0": "1", "practice_on_1": "11", "practice_on_2": "2026",
            "consent_worker": "on", "consent_observed": "on"}
    assert client_for(p["worker"]).post(
        url, {**form, "file": SimpleUploadedFile("visit.mp4", MP4)}).status_code == 302
    with scopes_disabled():
        item = EvidenceItem.objects.get(title="Home visit recording")
    assert item.consent_worker and item.consent_observed and item.consent_note
    page = client_for(p["worker"]).get(_url("portfolio_case", council, case_id=case.pk))
    assert "consent recorded" in page.content.decode()

    response = client_for(p["team_manager"]).get(
        _url("portfolio_download", council, item_id=item.pk))
    assert isinstance(response, FileResponse) and response.streaming
    assert response["Content-Type"] == "video/mp4"
    assert response["Content-Disposition"] == 'attachment; filename="visit.mp4"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == MP4
    for who in ("hr", "admin", "stranger"):
        assert client_for(p[who]).get(
            _url("portfolio_download", council, item_id=item.pk)).status_code == 403
    # No public media route: the stored name is not reachable by URL.
    assert client_for(p["worker"]).get(f"/media/{item.file.name}").status_code == 404
    assert client_for(p["worker"]).get(f"{settings.MEDIA_URL}{item.file.name}"
                                       ).status_code == 404
    assert settings.STORAGES["default"]["OPTIONS"].get("base_url") is None


def test_upload_after_signing_voids_the_signoff_visibly(lincs, client_for):
    """LINCS-15: the practice supervisor's approval is tied to the content it saw."""
    council, p, case, _ = lincs
    lm = client_for(p["line_manager"])
    sign = _url("portfolio_signoff", council, case_id=case.pk)
    page = lm.get(sign).content.decode()
    assert "Appraisal" in page and "SHA-256" in page  # the content being signed is listed
    lm.post(sign, {"choice": "3:practice-supervisor", "confirm": "on"})
    worker = client_for(p["worker"])
    before = worker.get(_url("portfolio_case", council, case_id=case.pk)).content.decode()
    assert "Signed" in before and "Voided" not in before
    worker.post(_url("portfolio_upload", council, case_id=case.pk), {
        "requirement": "appraisal", "title": "Newer appraisal", "practice_on_0": "1",
        "practice_on_1": "11", "practice_on_2": "2026",
        "file": SimpleUploadedFile("newer.pdf", PDF)})
    after = worker.get(_url("portfolio_case", council, case_id=case.pk)).content.decode()
    assert "Voided" in after and "Evidence added: Newer appraisal" in after
    submit = worker.post(_url("portfolio_submit", council, case_id=case.pk)).content.decode()
    assert "an earlier sign-off was voided by a content change" in submit
    with scopes_disabled():
        assert AuditEvent.objects.filter(action="signoff.voided").count() == 1
