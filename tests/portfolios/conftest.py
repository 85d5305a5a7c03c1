"""Fixtures for portfolio tests: a council with its real rule pack loaded, a worker with a
line manager chain, and helpers that build evidence through the real services."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_scopes import scope

from councils.models import Council, Membership, Role
from councils.rules.loader import pack_dir
from councils.rules.services import rulepack_load
from progression.models import CareerRecord
from tests.factories import MembershipFactory, ScopedFactory, TeamFactory

PDF = (b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
       b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")


def pdf_upload(name: str = "evidence.pdf", body: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, body, content_type="application/pdf")


class CareerRecordFactory(ScopedFactory):
    class Meta:
        model = CareerRecord


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {**settings.STORAGES,
                         "default": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                                     "OPTIONS": {"location": tmp_path / "media",
                                                 "base_url": None}}}
    return tmp_path / "media"


@pytest.fixture
def load_pack(db) -> Callable[[str], Council]:
    def load(slug: str) -> Council:
        version, _ = rulepack_load(path=pack_dir() / f"{slug}.yaml")
        return Council.objects.get(pk=version.council_id)

    return load


@pytest.fixture
def people(db) -> Callable[..., dict[str, Membership]]:
    """``people(council, team_tags=[...])``: worker, line manager (practice supervisor,
    line manager), team manager above them, a group manager above, an HR member, an
    administrator, an advanced practitioner, a stranger social worker; the worker's career
    record with ``record`` fields."""

    def make(council: Council, *, team_tags: list[str] | None = None,
             level: str = "", **record) -> dict[str, Membership]:
        team = TeamFactory(council=council, tags=team_tags or [])
        group = MembershipFactory(council=council, team=team,
                                  roles=[Role.GROUP_MANAGER, Role.SERVICE_MANAGER])
        tm = MembershipFactory(council=council, team=team, line_manager=group,
                               roles=[Role.TEAM_MANAGER])
        lm = MembershipFactory(council=council, team=team, line_manager=tm,
                               roles=[Role.LINE_MANAGER, Role.PRACTICE_SUPERVISOR,
                                      Role.ASSESSOR])
        worker = MembershipFactory(council=council, team=team, line_manager=lm,
                                   roles=[Role.SOCIAL_WORKER])
        out = {
            "worker": worker, "line_manager": lm, "team_manager": tm, "group_manager": group,
            "hr": MembershipFactory(council=council, team=team, roles=[Role.HR]),
            "admin": MembershipFactory(council=council, team=team,
                                       roles=[Role.COUNCIL_ADMIN]),
            "ap": MembershipFactory(council=council, team=team,
                                    roles=[Role.ADVANCED_PRACTITIONER]),
            "stranger": MembershipFactory(council=council, team=team,
                                          roles=[Role.SOCIAL_WORKER, Role.LINE_MANAGER]),
        }
        CareerRecordFactory(council=council, membership=worker, current_level=level,
                            **record)
        return out

    return make


@pytest.fixture
def in_scope():
    """Run a block in a council's scope: ``with in_scope(council): ...``."""
    return lambda council: scope(council=council)


TODAY = dt.date(2026, 11, 20)
