"""Fixtures for panel tests: real councils with their real rule packs, a submitted case on
a route, a scheduled sitting with a designated chair (through the real services)."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django_scopes import scope, scopes_disabled

from councils.models import Council, Membership, Role, RulePackVersion
from councils.rules.loader import pack_dir
from councils.rules.services import rulepack_load
from panels import services
from panels.models import PanelSitting
from portfolios.models import CaseStatus, EvidenceItem, Portfolio, ProgressionCase, Submission
from progression.models import CareerRecord
from tests.factories import MembershipFactory

TODAY = dt.date(2026, 9, 1)


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


@dataclass
class Panel:
    council: Council
    case: ProgressionCase
    sitting: PanelSitting
    chair: Membership
    member: Membership
    admin: Membership
    hr: Membership
    worker: Membership


def submitted_case(council: Council, route_slug: str, *, flags: tuple[str, ...] = (),
                   level: str = "", worker: Membership | None = None,
                   with_file: bool = False) -> ProgressionCase:
    """A case whose portfolio (one statement) was submitted, under the council's pack."""
    with scopes_disabled():
        version = RulePackVersion.objects.filter(council=council).latest("loaded_at")
        worker = worker or MembershipFactory(council=council, roles=[Role.SOCIAL_WORKER])
        CareerRecord.objects.get_or_create(council=council, membership=worker,
                                           defaults={"current_level": level,
                                                     "payroll_number": f"P{worker.pk:05d}"})
        case = ProgressionCase.objects.create(
            council=council, worker=worker, route_slug=route_slug, pack_version=version,
            status=CaseStatus.SUBMITTED, flags=list(flags), opened_by=worker.user)
        portfolio = Portfolio.objects.create(council=council, case=case, number=1)
        item = EvidenceItem.objects.create(
            council=council, portfolio=portfolio, kind="written-statement", title="Statement",
            practice_on=dt.date(2026, 6, 1), statement="Words.", words=1,
            created_by=worker.user)
        Submission.objects.create(
            council=council, portfolio=portfolio, number=1,
            manifest=[{"id": item.pk, "kind": item.kind, "title": item.title}],
            manifest_digest=hashlib.sha256(b"m").hexdigest(), submit_for="2026-09",
            submitted_by=worker.user)
    return case


@pytest.fixture
def panel(load_pack) -> Callable[..., Panel]:
    """``panel(pack_slug, route_slug, chair_role=..., member_role=..., flags=..., level=...,
    sitting_on=...)``: a submitted case listed on a dated sitting (unless ``listed=False``)."""

    def make(pack_slug: str, route_slug: str, *, chair_role: str = Role.HEAD_OF_SERVICE,
             member_role: str = Role.HEAD_OF_SERVICE, flags: tuple[str, ...] = (),
             level: str = "", sitting_on: dt.date | None = dt.date(2026, 9, 15),
             listed: bool = True) -> Panel:
        council = load_pack(pack_slug)
        chair = MembershipFactory(council=council, roles=[chair_role, Role.PANEL_CHAIR])
        member = MembershipFactory(council=council, roles=[member_role])
        admin = MembershipFactory(council=council, roles=[Role.COUNCIL_ADMIN])
        hr = MembershipFactory(council=council, roles=[Role.HR])
        case = submitted_case(council, route_slug, flags=flags, level=level)
        with scope(council=council):
            sitting = services.sitting_schedule(
                actor=admin, council=council, name="Progression panel", routes=[route_slug],
                sitting_on=sitting_on, month="" if sitting_on else "2026-12", chair=chair,
                members=[(member, member_role)], today=TODAY)
            if listed:
                sign_for_listing(case, member)
                services.agenda_list_case(actor=admin, sitting=sitting, case=case)
        return Panel(council, case, sitting, chair, member, admin, hr, case.worker)

    return make


def sign_for_listing(case: ProgressionCase, signer: Membership) -> None:
    """Record every sign-off of the route that blocks listing (as the portfolio's signer
    would have, while building)."""
    from councils.rules.selectors import pack_of_version
    from portfolios.models import SignOff

    with scopes_disabled():
        pack = pack_of_version(case.pack_version)
        route = next(r for r in pack.routes if r.slug == case.route_slug)
        portfolio = Portfolio.objects.get(case=case, is_current=True)
        for spec in route.signoffs:
            if spec.blocks == "listing":
                SignOff.objects.create(council=case.council, portfolio=portfolio,
                                       role=spec.role, action=spec.action,
                                       subject=spec.subject or "portfolio", signer=signer,
                                       digest="0" * 64, covers_content=False)
