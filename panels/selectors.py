"""Reads of sittings, agendas, decisions, appeals and pay changes, starting from the council.

``access_<entity>(council, id)`` answers the row or raises Http404, the same 404 whether the
id does not exist or belongs to another council. Page selectors run a fixed number of
queries whatever the number of rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from councils.models import Council, Membership
from councils.permissions import roles_of
from councils.rules.schema import Route, RulePack
from councils.rules.selectors import pack_of_version
from panels.models import (
    AgendaItem,
    Appeal,
    Decision,
    PanelMember,
    PanelSitting,
    PayChange,
    PayChangeStatus,
    PayExportBatch,
    QARecord,
    ScoreRecord,
)
from portfolios.models import ProgressionCase, SignOff, Submission
from portfolios.selectors import portfolio_overview

RETURN_OUTCOMES = frozenset({"adjourn", "defer"})  # the portfolio goes back to the worker
INTERIM_OUTCOMES = frozenset({"adjourn", "defer", "refer"})  # the case may be heard again


def _first_or_404(qs: QuerySet, pk: int, what: str):
    row = qs.filter(pk=pk).first()
    if row is None:
        raise Http404(f"No such {what}.")
    return row


def access_sitting(council: Council, sitting_id: int) -> PanelSitting:
    return _first_or_404(PanelSitting.objects.filter(council=council)
                         .select_related("chair__user"), sitting_id, "sitting")


def access_decision(council: Council, decision_id: int) -> Decision:
    return _first_or_404(
        Decision.objects.filter(council=council).select_related(
            "case__worker__user", "case__pack_version", "sitting__chair__user",
            "issued_by__user", "record", "supersedes"),
        decision_id, "decision")


def access_appeal(council: Council, appeal_id: int) -> Appeal:
    return _first_or_404(
        Appeal.objects.filter(council=council).select_related(
            "case__worker__user", "case__pack_version", "decision__sitting",
            "lodged_by__user", "decided_by__user").prefetch_related(
            "panel_members__membership__user"),
        appeal_id, "appeal")


def access_pay_change(council: Council, pay_change_id: int) -> PayChange:
    return _first_or_404(PayChange.objects.filter(council=council).select_related(
        "worker__user", "decision"), pay_change_id, "pay change")


def access_batch(council: Council, batch_id: int) -> PayExportBatch:
    return _first_or_404(PayExportBatch.objects.filter(council=council), batch_id, "batch")


def route_of_case(case: ProgressionCase) -> tuple[RulePack, Route]:
    pack = pack_of_version(case.pack_version)
    for route in pack.routes:
        if route.slug == case.route_slug:
            return pack, route
    raise Http404("The case's route is not in its rule pack.")


def sittings_for(membership: Membership, *, manage: bool) -> list[PanelSitting]:
    """Sittings the member chairs or sits on; every sitting for an administrator."""
    qs = PanelSitting.objects.filter(council=membership.council).select_related("chair__user")
    if not manage:
        qs = qs.filter(Q(chair=membership) | Q(members__membership=membership)).distinct()
    return list(qs)


# -- listing conditions ------------------------------------------------------------------

def qa_recorded_stages(case: ProgressionCase) -> set[str]:
    return set(QARecord.objects.filter(council_id=case.council_id, case=case)
               .values_list("stage", flat=True))


def scored_elements(case: ProgressionCase) -> set[str]:
    return set(ScoreRecord.objects.filter(council_id=case.council_id, case=case)
               .values_list("element", flat=True))


def blocking_qa_missing(route: Route, recorded: set[str]) -> list[str]:
    """Blocking QA stages of the route not yet recorded (DERBY-06), as 'slug (rules)'."""
    return [f"{q.title or q.slug} ({', '.join(q.rules)})" for q in route.qa_stages
            if q.blocking and q.slug not in recorded]


def listing_problems(case: ProgressionCase) -> list[str]:
    """Every reason ``case`` may not be listed on a sitting yet (empty: it may): blocking QA
    stages recorded, every scoring element scored when the pack requires it (NELC-36), and
    sign-offs that block listing (HALTON-04)."""
    _, route = route_of_case(case)
    problems = [f"Quality assurance not recorded: {s}"
                for s in blocking_qa_missing(route, qa_recorded_stages(case))]
    scoring = route.scoring
    if scoring is not None and scoring.all_scored_before_listing and scoring.elements:
        missing = [e for e in scoring.elements if e not in scored_elements(case)]
        if missing:
            problems.append(f"Not yet scored ({', '.join(scoring.rules)}): "
                            + "; ".join(missing))
    overview = portfolio_overview(case, timezone.localdate())
    for state in overview.signoffs:
        if state.applies and state.spec.blocks == "listing" and state.current is None:
            problems.append(f"Sign-off missing: the {state.spec.role} {state.spec.action} the "
                            f"{state.spec.subject or 'portfolio'} "
                            f"({', '.join(state.spec.rules)}).")
    return problems


# -- the sitting page ----------------------------------------------------------------------

@dataclass
class AgendaRow:
    item: AgendaItem
    case: ProgressionCase
    submission: Submission | None
    qa: list[str]
    decision: Decision | None
    evidence_count: int = 0


@dataclass
class SittingPage:
    sitting: PanelSitting
    members: list[PanelMember]
    rows: list[AgendaRow] = field(default_factory=list)


def sitting_page(sitting: PanelSitting) -> SittingPage:
    """The sitting with members and its agenda: for each case the latest submission (item
    count of its frozen manifest), QA recorded and the current decision. Fixed number of
    queries whatever the agenda's length."""
    council_id = sitting.council_id
    members = list(PanelMember.objects.filter(council_id=council_id, sitting=sitting)
                   .select_related("membership__user"))
    items = list(AgendaItem.objects.filter(council_id=council_id, sitting=sitting)
                 .select_related("case__worker__user", "case__worker__team"))
    case_ids = [i.case_id for i in items]
    submissions: dict[int, Submission] = {}
    for s in (Submission.objects.filter(council_id=council_id, portfolio__case_id__in=case_ids)
              .select_related("portfolio").order_by("submitted_at")):
        submissions[s.portfolio.case_id] = s  # the latest wins
    qa: dict[int, list[str]] = {}
    for r in QARecord.objects.filter(council_id=council_id, case_id__in=case_ids):
        qa.setdefault(r.case_id, []).append(r.stage)
    decisions = {d.case_id: d for d in Decision.objects.filter(
        council_id=council_id, case_id__in=case_ids, is_current=True)}
    rows = [AgendaRow(item=i, case=i.case, submission=submissions.get(i.case_id),
                      qa=qa.get(i.case_id, []), decision=decisions.get(i.case_id),
                      evidence_count=len(submissions[i.case_id].manifest)
                      if i.case_id in submissions else 0) for i in items]
    return SittingPage(sitting=sitting, members=members, rows=rows)


def decisions_of_case(case: ProgressionCase) -> list[Decision]:
    return list(Decision.objects.filter(council_id=case.council_id, case=case)
                .select_related("sitting", "issued_by__user").order_by("issued_at", "id"))


def current_decision(case: ProgressionCase) -> Decision | None:
    return Decision.objects.filter(council_id=case.council_id, case=case,
                                   is_current=True).first()


def case_roles(case: ProgressionCase) -> dict[str, set[str]]:
    """Every role each person has held in ``case`` so far (membership id as text -> roles),
    for the appeal panel's independence check (NELC-46)."""
    roles: dict[str, set[str]] = {}

    def add(pk: int | None, role: str) -> None:
        if pk is not None:
            roles.setdefault(str(pk), set()).add(role)

    add(case.worker_id, "worker")
    add(case.lead_assessor_id, "lead-assessor")
    eoi = getattr(case, "expression_of_intent", None)
    if eoi is not None:
        add(eoi.supported_by_id, "expression-of-intent support")
        add(eoi.approved_by_id, "expression-of-intent approval")
    for signer, role in SignOff.objects.filter(council_id=case.council_id,
                                               portfolio__case=case).values_list(
            "signer_id", "role"):
        add(signer, f"{role} signatory")
    for pk in QARecord.objects.filter(council_id=case.council_id, case=case).values_list(
            "recorded_by_id", flat=True):
        add(pk, "quality assurance")
    for pk in ScoreRecord.objects.filter(council_id=case.council_id, case=case).values_list(
            "recorded_by_id", flat=True):
        add(pk, "scorer")
    sittings = AgendaItem.objects.filter(council_id=case.council_id, case=case).values(
        "sitting_id")
    for pk in PanelMember.objects.filter(council_id=case.council_id,
                                         sitting_id__in=sittings).values_list(
            "membership_id", flat=True):
        add(pk, "decision panel member")
    for pk in PanelSitting.objects.filter(council_id=case.council_id,
                                          pk__in=sittings).values_list("chair_id", flat=True):
        add(pk, "decision panel chair")
    return roles


def appeals_for(membership: Membership, *, everything: bool) -> list[Appeal]:
    qs = Appeal.objects.filter(council=membership.council).select_related(
        "case__worker__user", "decision")
    if not everything:
        roles = roles_of(membership)
        qs = qs.filter(Q(case__worker=membership) | Q(addressee_role__in=roles)
                       | Q(panel_members__membership=membership)
                       | Q(decision__sitting__chair=membership)).distinct()
    return list(qs)


# -- pay changes -----------------------------------------------------------------------------

def pay_changes(council: Council, *, status: str = "", batch: int | None = None
                ) -> QuerySet[PayChange]:
    """The ledger, newest first, with what the list shows joined in (constant queries)."""
    qs = PayChange.objects.filter(council=council).select_related(
        "worker__user", "decision__sitting", "batch")
    if status:
        qs = qs.filter(status=status)
    if batch is not None:
        qs = qs.filter(batch__number=batch)
    return qs


def exportable_count(council: Council) -> int:
    return PayChange.objects.filter(council=council, status=PayChangeStatus.READY,
                                    batch__isnull=True).count()


def batches(council: Council) -> list[PayExportBatch]:
    return list(PayExportBatch.objects.filter(council=council).select_related("created_by"))
