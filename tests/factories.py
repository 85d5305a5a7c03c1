"""factory_boy factories that keep related rows in one council.

Council-owned rows are created with scopes disabled (django-scopes refuses manager queries
outside a scope, and factories run outside requests); every SubFactory takes its council
from the row being built, so a ``MembershipFactory(council=b)`` has its team, line manager
and roles in ``b`` too.

``URL_KWARG_FACTORIES`` maps each URL keyword (other than ``council_slug``) to a function
that creates an object of that kind in a given council and returns the value for the URL.
The isolation and role tests fill every council URL from it; a new URL keyword without an
entry here fails those tests with a message naming it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import factory
from django_scopes import scopes_disabled

from councils.models import Council, Membership, Role, RoleAssignment, ServiceArea, Team, User

TEST_PASSWORD = "a-test-password-9"


class ScopedFactory(factory.django.DjangoModelFactory):
    """Creates council-owned rows with scopes disabled (the factory is the only caller)."""

    class Meta:
        abstract = True

    @classmethod
    def _create(cls, model_class: type, *args: Any, **kwargs: Any) -> Any:
        with scopes_disabled():
            return super()._create(model_class, *args, **kwargs)


class CouncilFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Council
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Testshire Council {n}")
    slug = factory.Sequence(lambda n: f"testshire-{n}")
    short_name = factory.Sequence(lambda n: f"Testshire {n}")
    service_area = ServiceArea.CHILDREN


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["email"]

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Sequence(lambda n: f"Test Person {n}")
    password = factory.django.Password(TEST_PASSWORD)


class TeamFactory(ScopedFactory):
    class Meta:
        model = Team

    council = factory.SubFactory(CouncilFactory)
    name = factory.Sequence(lambda n: f"Team {n}")
    tags = factory.LazyFunction(list)


class MembershipFactory(ScopedFactory):
    """A member of ``council``; ``roles=[...]`` adds role assignments in the same council."""

    class Meta:
        model = Membership
        skip_postgeneration_save = True

    council = factory.SubFactory(CouncilFactory)
    user = factory.SubFactory(UserFactory)
    team = factory.SubFactory(TeamFactory, council=factory.SelfAttribute("..council"))
    job_title = "Social worker"

    @factory.post_generation
    def roles(obj: Membership, create: bool, extracted: Iterable[str] | None,
              **kwargs: Any) -> None:
        if create and extracted:
            with scopes_disabled():
                RoleAssignment.objects.bulk_create(
                    [RoleAssignment(council=obj.council, membership=obj, role=r)
                     for r in extracted]
                )


class RoleAssignmentFactory(ScopedFactory):
    class Meta:
        model = RoleAssignment

    membership = factory.SubFactory(MembershipFactory)
    council = factory.SelfAttribute("membership.council")
    role = Role.SOCIAL_WORKER


def _membership_id(council: Council) -> int:
    return MembershipFactory(council=council, roles=[Role.SOCIAL_WORKER]).pk


def _team_id(council: Council) -> int:
    return TeamFactory(council=council).pk


def pack_version_for(council: Council, pack_slug: str = "lincolnshire"):
    """A stored RulePackVersion in ``council`` holding the content of a real pack file."""
    import datetime as dt

    from councils.models import RulePackVersion
    from councils.rules.loader import canonical_digest, load_pack_file, pack_content, pack_dir

    pack = load_pack_file(pack_dir() / f"{pack_slug}.yaml")
    with scopes_disabled():
        row, _ = RulePackVersion.objects.get_or_create(
            council=council, digest=canonical_digest(pack),
            defaults={"version": pack.version, "effective_from": dt.date(2020, 1, 1),
                      "content": pack_content(pack), "source": ""})
    return row


def progression_case_for(council: Council, route_slug: str = "level-1-to-level-2"):
    """A case with a current portfolio holding one written statement (portfolios app)."""
    import datetime as dt

    from portfolios.models import CaseStatus, EvidenceItem, Portfolio, ProgressionCase

    worker = MembershipFactory(council=council, roles=[Role.SOCIAL_WORKER])
    with scopes_disabled():
        case = ProgressionCase.objects.create(
            council=council, worker=worker, route_slug=route_slug,
            pack_version=pack_version_for(council), status=CaseStatus.BUILDING,
            opened_by=worker.user)
        portfolio = Portfolio.objects.create(council=council, case=case, number=1)
        EvidenceItem.objects.create(
            council=council, portfolio=portfolio, kind="written-statement", title="Statement",
            practice_on=dt.date(2026, 6, 1), statement="Words.", words=1, created_by=worker.user)
    return case


def _case_id(council: Council) -> int:
    return progression_case_for(council).pk


def _item_id(council: Council) -> int:
    from portfolios.models import EvidenceItem

    case = progression_case_for(council)
    with scopes_disabled():
        return EvidenceItem.objects.filter(portfolio__case=case).values_list("pk", flat=True)[0]


def _portfolio_id(council: Council) -> int:
    from portfolios.models import Portfolio

    case = progression_case_for(council)
    with scopes_disabled():
        return Portfolio.objects.filter(case=case).values_list("pk", flat=True)[0]


def _asye_programme(council: Council):
    """An ASYE programme in ``council`` under a copy of Stoke-on-Trent's pack (stored for this
    council, so the pages render with real rules)."""
    import datetime as dt

    from django.conf import settings

    from councils.models import RulePackVersion
    from councils.rules.loader import canonical_digest, load_pack_file, pack_content
    from progression.models import AsyeProgramme, LearningAgreement

    with scopes_disabled():
        version = RulePackVersion.objects.filter(council=council).first()
        if version is None:
            pack = load_pack_file(settings.BASE_DIR / "councils/rulepacks/stoke-on-trent.yaml")
            version = RulePackVersion.objects.create(
                council=council, version=pack.version, effective_from=pack.effective_from,
                digest=canonical_digest(pack), content=pack_content(pack), source="")
        worker = MembershipFactory(council=council, roles=[Role.SOCIAL_WORKER])
        programme = AsyeProgramme.objects.create(
            council=council, membership=worker, pack_version=version,
            started_on=dt.date(2025, 1, 6), planned_end=dt.date(2026, 1, 6),
            enrolled_by=worker.user)
        LearningAgreement.objects.create(council=council, programme=programme)
        return programme


def _asye_child(council: Council, kind: str) -> int:
    import datetime as dt

    from progression import models as pm

    p = _asye_programme(council)
    user = p.membership.user
    with scopes_disabled():
        if kind == "review":
            return pm.Review.objects.create(council=council, programme=p, month=3,
                                            due_on=dt.date(2025, 4, 6)).pk
        if kind == "observation":
            return pm.Observation.objects.create(council=council, programme=p,
                                                 observer=p.membership, observer_role="x",
                                                 observed_on=dt.date(2025, 2, 1)).pk
        if kind == "breach":
            return pm.CaseloadBreach.objects.create(council=council, programme=p,
                                                    reported_on=dt.date(2025, 2, 1),
                                                    reported_by=user, caseload=17).pk
        if kind == "agreement":
            return pm.ComplexWorkAgreement.objects.create(council=council, programme=p,
                                                          kinds=["child-protection"],
                                                          arrangements="x").pk
        return pm.StudyDay.objects.create(council=council, programme=p,
                                          on=dt.date(2025, 3, 3), purpose="x",
                                          requested_by=user).pk


def _panel_decision(council: Council):
    """A dated sitting chaired in ``council`` with a decision (and its record) on a case."""
    import datetime as dt

    from panels.models import AgendaItem, Decision, DecisionRecord, PanelSitting

    case = progression_case_for(council)
    chair = MembershipFactory(council=council, roles=[Role.PANEL_CHAIR])
    with scopes_disabled():
        sitting = PanelSitting.objects.create(
            council=council, name="Panel", routes=[case.route_slug],
            sitting_on=dt.date(2026, 9, 15), month="2026-09", chair=chair,
            created_by=chair.user)
        AgendaItem.objects.create(council=council, sitting=sitting, case=case,
                                  listed_by=chair.user)
        decision = Decision.objects.create(
            council=council, case=case, sitting=sitting, outcome="pass", outcome_label="Pass",
            decided_on=dt.date(2026, 9, 15), received_on=dt.date(2026, 9, 15),
            issued_by=chair, from_level="level-1", to_level="level-2")
        DecisionRecord.objects.create(council=council, decision=decision)
    return decision


def _pay_change_id(council: Council) -> int:
    from panels.models import PayChange

    decision = _panel_decision(council)
    with scopes_disabled():
        return PayChange.objects.create(
            council=council, worker=decision.case.worker, decision=decision,
            from_level="level-1", to_level="level-2", status="awaiting-date").pk


def _appeal_id(council: Council) -> int:
    import datetime as dt

    from panels.models import Appeal

    decision = _panel_decision(council)
    with scopes_disabled():
        return Appeal.objects.create(
            council=council, case=decision.case, decision=decision, appeal_slug="a",
            trigger="panel-decision", grounds="Process.", lodged_on=dt.date(2026, 9, 16),
            lodged_by=decision.case.worker).pk


def _batch_id(council: Council) -> int:
    from panels.models import PayExportBatch

    user = MembershipFactory(council=council, roles=[Role.HR]).user
    with scopes_disabled():
        number = PayExportBatch.objects.filter(council=council).count() + 1
        return PayExportBatch.objects.create(council=council, number=number, format="csv",
                                             rows=[], created_by=user).pk


# URL keyword -> creates an object of that kind in the council and returns its URL value.
# Add a line here when a view takes a new keyword (the isolation test tells you).
URL_KWARG_FACTORIES: dict[str, Callable[[Council], Any]] = {
    "membership_id": _membership_id,
    "team_id": _team_id,
    "case_id": _case_id,
    "item_id": _item_id,
    "portfolio_id": _portfolio_id,
    # ASYE (progression.asye)
    "programme_id": lambda council: _asye_programme(council).pk,
    "review_id": lambda council: _asye_child(council, "review"),
    "observation_id": lambda council: _asye_child(council, "observation"),
    "section": lambda council: "plan",
    "breach_id": lambda council: _asye_child(council, "breach"),
    "agreement_id": lambda council: _asye_child(council, "agreement"),
    "study_day_id": lambda council: _asye_child(council, "study_day"),
    # panels
    "sitting_id": lambda council: _panel_decision(council).sitting_id,
    "decision_id": lambda council: _panel_decision(council).pk,
    "appeal_id": _appeal_id,
    "pay_change_id": _pay_change_id,
    "batch_id": _batch_id,
}
