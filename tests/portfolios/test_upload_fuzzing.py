"""More upload fuzzing through the upload page: double extensions, a zero-byte image and
polyglots (a file that is two formats at once). Each is refused with a clear message, no
server error, nothing stored (no row, no file, no temporary file), and the form keeps what
was typed (title, date, KSS ticked)."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django_scopes import scopes_disabled

from portfolios import services
from portfolios.models import EvidenceItem
from tests.portfolios.conftest import PDF

TODAY = dt.date(2026, 11, 20)
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64


def _zip() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        archive.writestr("payload.html", "<script>alert(1)</script>")
    return buf.getvalue()


@pytest.fixture
def lincs(load_pack, people, in_scope):
    council = load_pack("lincolnshire")
    p = people(council, team_tags=["fast"], level="level-1",
               registration_date=dt.date(2023, 1, 10))
    with in_scope(council):
        case = services.case_open(actor=p["worker"].user, worker=p["worker"],
                                  route_slug="level-1-to-level-2", today=TODAY)
    return council, p, case


@pytest.mark.parametrize("name,body,message", [
    ("report.exe.pdf", PDF, "hides another file type (.exe)"),
    ("page.html.pdf", PDF, "hides another file type (.html)"),
    ("photo.png.pdf", PNG, "but its content is a PNG image"),
    ("blank.png", b"", "file is empty"),
    ("blank.jpg", b"", "file is empty"),
    ("picture.png", PNG + b"<script>fetch('/x')</script>", "also holds another kind of file"),
    ("picture.jpg", JPEG + b"<?php system($_GET['c']); ?>", "also holds another kind of file"),
    ("report.pdf", PDF + _zip(), "also holds another kind of file"),
    ("picture.jpg", JPEG + _zip(), "also holds another kind of file"),
])
def test_disguised_and_polyglot_uploads_are_refused(lincs, client_for, _media, name, body,
                                                    message):
    council, p, case = lincs
    url = reverse("portfolio_upload", kwargs={"council_slug": council.slug,
                                              "case_id": case.pk})
    response = client_for(p["worker"]).post(url, {
        "requirement": "appraisal", "title": "Typed title kept", "practice_on_0": "3",
        "practice_on_1": "10", "practice_on_2": "2026", "kss": ["4", "7"],
        "file": SimpleUploadedFile(name, body)})
    assert response.status_code == 200
    text = response.content.decode()
    assert message in text and "govuk-error-summary" in text
    assert 'value="Typed title kept"' in text
    assert 'value="2026"' in text
    for kss in (4, 7):  # the ticked KSS stay ticked
        assert re.search(rf'value="{kss}"\s+checked="checked"', text)
    assert not re.search(r'value="5"\s+checked', text)
    with scopes_disabled():
        assert not EvidenceItem.objects.exists()
    assert [f for f in _media.rglob("*") if f.is_file()] == []


def test_plain_images_and_word_documents_are_still_accepted(lincs, in_scope):
    council, p, case = lincs
    with in_scope(council):
        for name, body in (("photo.png", PNG), ("photo.jpg", JPEG),
                           ("my.report.v2.pdf", PDF)):
            item = services.evidence_add_file(
                actor=p["worker"], case=case, upload=SimpleUploadedFile(name, body),
                kind="appraisal", title=name, practice_on=TODAY)
            assert item.original_name == name
