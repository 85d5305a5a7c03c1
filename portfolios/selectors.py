"""Reads of cases and portfolios, and the bridge from stored evidence to the engine.

Every page read starts from the council (``access_*`` answer 404 for another council's id,
the same as a missing one). ``portfolio_overview`` computes everything a portfolio page shows
with a fixed number of queries, whatever the number of items.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from councils.models import Council, Membership
from councils.rules import frameworks as fw
from councils.rules.schema import Route, RulePack, Signoff
from councils.rules.selectors import pack_of_version
from portfolios.models import EvidenceItem, Portfolio, ProgressionCase, SignOff, Submission
from portfolios.wording import role_words, slug_words
from progression import engine
from progression.engine.checklist import condition_applies
from progression.engine.dates import add_duration
from progression.engine_inputs import person_record_for
from progression.models import CareerRecord


def _case_qs(council: Council) -> QuerySet[ProgressionCase]:
    return ProgressionCase.objects.filter(council=council).select_related(
        "worker__user", "worker__team", "worker__line_manager__user", "pack_version",
        "lead_assessor__user", "expression_of_intent",
    )


def access_case(council: Council, case_id: int) -> ProgressionCase:
    case = _case_qs(council).filter(pk=case_id).first()
    if case is None:
        raise Http404("No such case.")
    return case


def access_evidence_item(council: Council, item_id: int) -> EvidenceItem:
    item = (EvidenceItem.objects.filter(council=council, pk=item_id, removed_at__isnull=True)
            .select_related("portfolio__case__worker__user", "portfolio__case__pack_version")
            .first())
    if item is None:
        raise Http404("No such evidence.")
    return item


def access_portfolio(council: Council, portfolio_id: int) -> Portfolio:
    portfolio = (Portfolio.objects.filter(council=council, pk=portfolio_id)
                 .select_related("case").first())
    if portfolio is None:
        raise Http404("No such portfolio.")
    return portfolio


def cases_of_worker(membership: Membership) -> list[ProgressionCase]:
    return list(_case_qs(membership.council).filter(worker=membership))


def current_portfolio(case: ProgressionCase) -> Portfolio | None:
    return Portfolio.objects.filter(council_id=case.council_id, case=case,
                                    is_current=True).first()


def case_pack(case: ProgressionCase) -> tuple[RulePack, Route]:
    pack = pack_of_version(case.pack_version)
    for route in pack.routes:
        if route.slug == case.route_slug:
            return pack, route
    raise Http404("The case's route is not in its rule pack.")


def live_items(portfolio: Portfolio) -> list[EvidenceItem]:
    return list(EvidenceItem.objects.filter(council_id=portfolio.council_id,
                                            portfolio=portfolio, removed_at__isnull=True))


# -- content digests -------------------------------------------------------------------

def item_digest(item: EvidenceItem) -> str:
    """SHA-256 of what a reader sees in an item: its content and how it is described."""
    payload = {
        "kind": item.kind, "topic": item.topic, "title": item.title,
        "practice_on": item.practice_on.isoformat() if item.practice_on else None,
        "kss": sorted(item.kss), "pcf": sorted(item.pcf), "by_role": item.by_role,
        "fields": sorted(item.filled_fields), "content": item.sha256 or
        hashlib.sha256(item.statement.encode()).hexdigest(),
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


def signoff_scope(subject: str, items: Iterable[EvidenceItem]) -> list[EvidenceItem]:
    """The items a sign-off on ``subject`` covers: the items of that evidence kind when there
    are any, else the whole portfolio."""
    items = list(items)
    of_kind = [i for i in items if i.kind == subject]
    return of_kind or items


def content_digest(subject: str, items: Iterable[EvidenceItem]) -> str:
    scope = sorted((i.pk, item_digest(i)) for i in signoff_scope(subject, items))
    return hashlib.sha256(json.dumps([subject, scope]).encode()).hexdigest()


# -- engine bridge ---------------------------------------------------------------------

NO_SECTIONS = "no-sections-completed"


def engine_evidence(items: Iterable[EvidenceItem]) -> tuple[engine.EvidenceItem, ...]:
    return tuple(
        engine.EvidenceItem(
            kind=i.kind, dated_on=i.practice_on, kss=tuple(i.kss), pcf=tuple(i.pcf),
            by_role=i.by_role or None, words=i.words,
            # The forms always ask which sections an item completes, so an empty list means
            # "none": a marker keeps the engine from reading it as "not known".
            fields=tuple(i.filled_fields) or (NO_SECTIONS,),
            anonymised=i.anonymised, topic=i.topic or None,
        )
        for i in items
    )


def allocated_kss(pack: RulePack, route: Route, case: ProgressionCase) -> tuple[int, ...] | None:
    """The case's allocated KSS when the route allocates them (None: not an allocating route
    or not yet allocated)."""
    if not any(s.method == "allocated" for s in route.selections):
        return None
    return tuple(case.allocated_kss) if case.allocated_kss else None


def submission_target(pack: RulePack, route: Route, case: ProgressionCase,
                      today: dt.date) -> tuple[dt.date | None, str]:
    """The date the checklist is evaluated for and what it is, in words.

    Calendar windows (fixed dates, nth weekday, for submissions): the case's intended window
    or the next one. Booked sittings: the submission date set at booking, else the sitting.
    """
    cal = route.calendar
    if cal is not None and cal.what == "submission" and cal.kind in ("fixed-dates",
                                                                     "nth-weekday"):
        if case.intended_submission_on and case.intended_submission_on >= today:
            return case.intended_submission_on, "submission window"
        nxt = engine.next_submission(pack, route.slug, today).next_on
        return (nxt if isinstance(nxt, dt.date) else None), "next submission window"
    if case.submission_due_on:
        return case.submission_due_on, "submission date set at booking"
    if case.sitting:
        return sitting_date(case.sitting), "booked sitting"
    return None, "no sitting booked yet"


def sitting_date(sitting: str) -> dt.date:
    """A booked sitting as a date; a month-only sitting (CONV-06) is evaluated on its first
    day."""
    if len(sitting) == 7:
        return dt.date.fromisoformat(sitting + "-01")
    return dt.date.fromisoformat(sitting)


@dataclass
class SignoffState:
    index: int
    spec: Signoff
    applies: bool
    current: SignOff | None
    voided: list[SignOff] = field(default_factory=list)


@dataclass
class GridRow:
    number: int
    title: str
    allocated: bool
    verified_by: list[str]
    counts: dict[str, int]
    total: int


@dataclass
class Overview:
    case: ProgressionCase
    pack: RulePack
    route: Route
    portfolio: Portfolio | None
    items: list[EvidenceItem]
    submit_on: dt.date | None
    submit_what: str
    checklist: engine.Checklist | None
    requirements: list[tuple[object, engine.RequirementStatus]]
    signoffs: list[SignoffState]
    grid: list[GridRow]
    grid_kinds: list[str]
    submissions: list[Submission]
    soft_deadline: dt.date | None = None  # e.g. to the group manager 14 days before (DERBY-21)
    soft_deadline_to: str = ""

    @property
    def blocking_signoffs_missing(self) -> list[SignoffState]:
        return [s for s in self.signoffs
                if s.applies and s.spec.blocks == "submission" and s.current is None]


def _duration(d) -> str:
    parts = [(d.years, "year"), (d.months, "month"), (d.weeks, "week"), (d.days, "day")]
    return " ".join(f"{n} {unit}{'s' if n != 1 else ''}" for n, unit in parts if n)


def describe_requirement(req) -> str:
    """What satisfies a pack requirement, in plain words (from the pack, never per council)."""
    what = slug_words(req.kind)
    count = f"at least {req.min} items ({what})" if req.min > 1 else f"one item ({what})"
    text = [count]
    if req.topic:
        text.append(f"on “{slug_words(req.topic)}”")
    for tier in req.recency:
        text.append(f"{tier.min} dated within the {_duration(tier.within)} before you submit")
    if req.words:
        text.append(f"{'at most' if req.words.hard else 'about'} {req.words.limit} words")
    roles = req.author_roles or req.observer_roles or req.any_signatory_roles
    if req.per_item_roles:
        text.append("one each by your " + "; your ".join(
            " or ".join(role_words(r) for r in g) for g in req.per_item_roles))
    elif roles:
        text.append("by your " + " or ".join(role_words(r) for r in roles))
    for cov in req.coverage:
        name = "KSS" if cov.framework == fw.KSS_CHILD_FAMILY else (
            "PCF domains" if cov.framework == fw.PCF else slug_words(cov.framework))
        covered = f"your allocated {name}" if cov.items == "allocated" else (
            f"all the {name}" if cov.items == "all" else f"{name} {cov.items}")
        each = f", each on {cov.min_per_item} items" if cov.min_per_item > 1 else ""
        text.append(f"tagged to cover {covered}{each}"
                    + (" (advised)" if cov.severity == "warn" else ""))
    if req.mandatory_fields:
        text.append("completing " + ", ".join(slug_words(f) for f in req.mandatory_fields))
    if req.template:
        text.append(f"on the form “{req.template}”")
    if req.anonymisation_attestation:
        text.append("anonymised")
    if req.consent_recorded:
        text.append("with consent recorded")
    return ", ".join(text) + "."


def falling_out(req, items: list[EvidenceItem], today: dt.date,
                submit_on: dt.date | None) -> list[str]:
    """Per recency window of ``req``: items inside it today that will be outside it on the
    submission date (CONV-04), in plain words. Items already too old today are not "falling
    out"; the checklist's missing lines cover them."""
    if not req.recency or submit_on is None or submit_on <= today:
        return []
    mine = [i for i in items if i.kind == req.kind
            and (req.topic is None or not i.topic or i.topic == req.topic)]
    out = []
    for tier in req.recency:
        now_cut = add_duration(today, tier.within, sign=-1)
        then_cut = add_duration(submit_on, tier.within, sign=-1)
        n = sum(1 for i in mine if now_cut <= i.practice_on < then_cut)
        if n:
            out.append(f"{n} item{'s' if n != 1 else ''} within the last "
                       f"{_duration(tier.within)} today will be older than that by "
                       f"{submit_on:%-d %B %Y} (dated before {then_cut:%-d %B %Y}).")
    return out


def _kss_grid(route: Route, items: list[EvidenceItem], allocated: tuple[int, ...] | None
              ) -> tuple[list[GridRow], list[str]]:
    uses_kss = any(c.framework == fw.KSS_CHILD_FAMILY for e in route.evidence
                   for c in e.coverage) or any(s.framework == fw.KSS_CHILD_FAMILY
                                               for s in route.selections)
    if not uses_kss:
        return [], []
    kinds = sorted({i.kind for i in items if i.kss})
    verified: dict[int, list[str]] = {}
    for sel in route.selections:
        for v in sel.verified_items:
            if isinstance(v, int):
                verified[v] = list(sel.verified_by)
    rows = []
    for number, title in fw.KSS_CHILD_FAMILY_ITEMS.items():
        counts = {k: sum(1 for i in items if i.kind == k and number in i.kss) for k in kinds}
        rows.append(GridRow(number, title, bool(allocated and number in allocated),
                            verified.get(number, []), counts, sum(counts.values())))
    return rows, kinds


def portfolio_overview(case: ProgressionCase, today: dt.date,
                       portfolio: Portfolio | None = None) -> Overview:
    """Everything the portfolio page shows: the engine checklist on the submission target,
    sign-off states against current content, the KSS grid and earlier submissions.
    Query count does not depend on the number of items."""
    pack, route = case_pack(case)
    portfolio = portfolio or current_portfolio(case)
    items = live_items(portfolio) if portfolio else []
    submit_on, what = submission_target(pack, route, case, today)
    record = (CareerRecord.objects.filter(council_id=case.council_id, membership=case.worker)
              .prefetch_related("hours_periods", "absences").first())
    allocated = allocated_kss(pack, route, case)
    checklist = None
    requirements: list = []
    person = person_record_for(case.worker, on=submit_on or today, record=record,
                               evidence=engine_evidence(items), allocated_kss=allocated,
                               flags=tuple(case.flags))
    if route.evidence:
        checklist = engine.checklist(pack, route.slug, person, submit_on or today)
        requirements = [(req, status, describe_requirement(req),
                         falling_out(req, items, today, submit_on))
                        for req, status in zip(route.evidence, checklist.requirements,
                                               strict=True)]
    signed = list(SignOff.objects.filter(council_id=case.council_id, portfolio=portfolio)
                  .select_related("signer__user")) if portfolio else []
    states = []
    for index, spec in enumerate(route.signoffs):
        if spec.blocks == "eoi":
            continue
        mine = [s for s in signed if s.role in (spec.role, *spec.alternatives)
                and s.action == spec.action and s.subject == (spec.subject or "portfolio")]
        current = next((s for s in reversed(mine) if s.voided_at is None), None)
        states.append(SignoffState(index, spec,
                                   condition_applies(spec.condition, person,
                                                     submit_on or today),
                                   current, [s for s in mine if s.voided_at is not None]))
    grid, kinds = _kss_grid(route, items, allocated)
    submissions = list(Submission.objects.filter(council_id=case.council_id,
                                                 portfolio__case=case)
                       .select_related("portfolio", "submitted_by"))
    soft = route.calendar.soft_deadline if route.calendar else None
    soft_on = add_duration(submit_on, soft.before, sign=-1) if soft and submit_on else None
    return Overview(case, pack, route, portfolio, items, submit_on, what, checklist,
                    requirements, states, grid, kinds, submissions, soft_on,
                    f"{soft.to_role} ({', '.join(soft.rules)})" if soft else "")


def portfolios_of_case(case: ProgressionCase) -> list[Portfolio]:
    return list(Portfolio.objects.filter(council_id=case.council_id, case=case)
                .prefetch_related(Prefetch("items", queryset=EvidenceItem.objects.filter(
                    removed_at__isnull=True))))
