"""The evidence checklist of a route on a submission date."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from councils.rules import frameworks as fw
from councils.rules.schema import EvidenceCondition, EvidenceRequirement, Route, RulePack
from progression.engine._pack import route_of
from progression.engine.dates import add_duration, add_months
from progression.engine.record import EvidenceItem, PersonRecord


@dataclass(frozen=True, slots=True)
class RequirementStatus:
    rule: str
    id: str
    kind: str
    needed: int
    satisfied_by: int
    missing: list[str] = field(default_factory=list)  # blocking problems
    expiring_before_submission: int = 0  # items that fall out of a recency window
    warnings: list[str] = field(default_factory=list)
    applies: bool = True
    blocking: bool = True

    @property
    def complete(self) -> bool:
        return not self.applies or not self.blocking or not self.missing


@dataclass(frozen=True, slots=True)
class Checklist:
    complete: bool
    requirements: list[RequirementStatus]
    kss_coverage: dict[int, int] = field(default_factory=dict)  # statement -> items


def condition_applies(cond: EvidenceCondition | None, person: PersonRecord,
                      submit_on: dt.date) -> bool:
    """Whether a requirement's condition applies (absent inputs: applies)."""
    if cond is None:
        return True
    if cond.after_asye_pass_months is not None:
        if person.asye is not None and person.asye.completed_on is not None:
            if submit_on <= add_months(person.asye.completed_on, cond.after_asye_pass_months):
                return False
    if cond.qualified_before is not None and person.qualified_on is not None:
        if not person.qualified_on < cond.qualified_before:
            return False
    if cond.qualified_on_or_after is not None and person.qualified_on is not None:
        if not person.qualified_on >= cond.qualified_on_or_after:
            return False
    if cond.flag is not None and person.flags is not None and cond.flag not in person.flags:
        return False
    return True


def _role_ok(req: EvidenceRequirement, item: EvidenceItem) -> bool:
    if item.by_role is None:
        return True
    if item.by_role in req.excluded_roles:
        return False
    # For a signed-off item (``any_signatory_roles``, NELC-27) ``by_role`` names the signatory.
    # Without those lists, by_role is the (non-worker) signatory of signatory_roles (HALTON-11).
    alternatives = (req.author_roles or req.observer_roles or req.any_signatory_roles
                    or [r for r in req.signatory_roles if r != "social-worker"])
    if req.per_item_roles:
        alternatives = [r for group in req.per_item_roles for r in group]
    return not alternatives or item.by_role in alternatives


def _standing_excluded(req: EvidenceRequirement,
                       items: list[EvidenceItem]) -> list[tuple[EvidenceItem, str]]:
    """Items whose author/observer is known not to qualify (STOKE-25: registered, not on an
    active ASYE). Unknown standing (None) is not evaluated."""
    out: list[tuple[EvidenceItem, str]] = []
    for e in items:
        if req.registration_required and e.registered is False:
            out.append((e, "the author or observer is not registered"))
        elif "on-active-asye" in req.excluded and e.on_active_asye is True:
            out.append((e, "the author or observer is on an active ASYE"))
    return out


def _assign_per_item(req: EvidenceRequirement, items: list[EvidenceItem]) -> list[str]:
    """Each ``per_item_roles`` entry needs its own item (simple bipartite matching)."""
    slots = req.per_item_roles
    match: dict[int, int] = {}

    def try_slot(s: int, seen: set[int]) -> bool:
        for i, it in enumerate(items):
            if i in seen or (it.by_role is not None and it.by_role not in slots[s]):
                continue
            seen.add(i)
            if i not in match or try_slot(match[i], seen):
                match[i] = s
                return True
        return False

    missing = []
    for s in range(len(slots)):
        if not try_slot(s, set()):
            missing.append("an item by " + " or ".join(slots[s]))
    return missing


def milestone_on(pack: RulePack, route_slug: str, req: EvidenceRequirement,
                 person: PersonRecord) -> dt.date | None:
    """The date an item must be dated before under ``req.before`` (None: not evaluated).

    ``twelve-month-review``: ASYE start + 12 months less credit (NELC-14 "prior to the twelve
    month review"); ``final-panel``: the programme's final review/panel date when the pack
    fixes its month. ``submission`` is the ``submit_on`` filter itself.
    """
    if req.before in (None, "submission") or person.asye is None:
        return None
    if req.before == "twelve-month-review":
        return add_months(person.asye.started_on, max(12 - person.asye.credit_months, 0))
    from progression.engine.timeline import asye_timeline  # timeline imports eligibility

    route = route_of(pack, route_slug)
    return asye_timeline(pack, person, route_slug if route.programme else None).final_on


def requirement_status(req: EvidenceRequirement, person: PersonRecord,
                       submit_on: dt.date, *, before_on: dt.date | None = None,
                       ) -> RequirementStatus:
    """One requirement's status; ``before_on``: items must be dated strictly before it."""
    rule = ", ".join(req.rules)
    applies = condition_applies(req.condition, person, submit_on)
    blocking = not (req.condition is not None and req.condition.if_applicable)
    needed = req.min
    if not applies:
        return RequirementStatus(rule, req.id, req.kind, needed, 0, applies=False)
    warnings: list[str] = []
    missing: list[str] = []
    items = [e for e in (person.evidence or ()) if e.kind == req.kind
             and (e.dated_on is None or e.dated_on <= submit_on)]
    if req.topic is not None:
        items = [e for e in items if e.topic is None or e.topic == req.topic]
    if before_on is not None:
        late = [e for e in items if e.dated_on is not None and e.dated_on >= before_on]
        if late:
            warnings.append(f"{len(late)} item(s) dated on or after {before_on} "
                            f"({req.before}) do not count")
            items = [e for e in items if e not in late]
    items = [e for e in items if _role_ok(req, e)]
    standing = _standing_excluded(req, items)
    if standing:
        warnings.append(f"{len(standing)} item(s) not counted: "
                        + "; ".join(sorted({why for _, why in standing})))
        dropped = {id(e) for e, _ in standing}
        items = [e for e in items if id(e) not in dropped]
    not_counted: list[str] = []  # why items of this kind do not count
    if req.words is not None:
        over = [e for e in items if e.words is not None and e.words > req.words.limit]
        if over:
            if req.words.hard:
                not_counted.append(f"{len(over)} item(s) over the {req.words.limit}-word "
                                   "maximum")
                items = [e for e in items if e not in over]
            else:
                warnings.append(f"{len(over)} item(s) over the suggested "
                                f"{req.words.limit} words")
    if req.mandatory_fields:
        incomplete = [e for e in items if e.fields and
                      not set(req.mandatory_fields) <= set(e.fields)]
        if incomplete:
            absent = {f for e in incomplete for f in req.mandatory_fields if f not in e.fields}
            not_counted.append("mandatory field(s) missing: " + ", ".join(
                f for f in req.mandatory_fields if f in absent))
            items = [e for e in items if e not in incomplete]
    if req.anonymisation_attestation:
        not_anon = [e for e in items if e.anonymised is False]
        if not_anon:
            not_counted.append("anonymisation not attested")
            items = [e for e in items if e not in not_anon]
    count = len(items)
    # Items that do not count block only when the rest fall short; otherwise the worker is
    # told (a warning) why an extra item was left out.
    (missing if count < req.min else warnings).extend(not_counted)
    if count < req.min:
        missing.append(f"{req.min - count} more {req.kind} needed ({count} of {req.min})")
    if req.max is not None and count > req.max:
        warnings.append(f"more than the maximum of {req.max}")
    if req.per_item_roles:
        missing.extend(_assign_per_item(req, items))
    expiring = 0
    for tier in req.recency:
        cutoff = add_duration(submit_on, tier.within, sign=-1)
        recent = [e for e in items if e.dated_on is None or e.dated_on >= cutoff]
        if len(recent) < tier.min:
            missing.append(f"{tier.min} needed dated on or after {cutoff} "
                           f"(have {len(recent)})")
        expiring = max(expiring, len(items) - len(recent))
    for cov in req.coverage:
        needed_items: set = set()
        if cov.items == "all":
            if cov.framework == fw.KSS_CHILD_FAMILY:
                needed_items = set(fw.KSS_CHILD_FAMILY_ITEMS)
            elif cov.framework == fw.PCF:
                needed_items = set(fw.PCF_DOMAIN_SLUGS)
        elif cov.items == "allocated":
            if person.allocated_kss is not None:
                needed_items = set(person.allocated_kss)
        elif isinstance(cov.items, list):
            needed_items = {fw.pcf_domain_slug(i) if cov.framework == fw.PCF else i
                            for i in cov.items}
        if not needed_items:
            continue
        # Without items the count already reports what is missing; items without tags
        # cover nothing (an untagged portfolio is not "mapped to the KSS", STOKE-24).
        if cov.framework == fw.KSS_CHILD_FAMILY:
            if not items:
                continue
            tags = [set(e.kss) for e in items]
        elif cov.framework == fw.PCF:
            if not items:
                continue
            tags = [set(e.pcf) for e in items]
        else:
            continue
        # min_per_item: each needed framework item must be tagged on that many evidence items
        # (LINCS-09: two case examples per allocated KSS); 1 is plain union coverage.
        gap = {x for x in needed_items
               if sum(1 for t in tags if x in t) < cov.min_per_item}
        if gap:
            msg = f"{cov.framework} not covered: " + ", ".join(str(g) for g in sorted(gap))
            if cov.min_per_item > 1:
                msg += f" (each needs {cov.min_per_item} items)"
            (missing if cov.severity == "block" else warnings).append(msg)
    return RequirementStatus(rule, req.id, req.kind, needed, count, missing, expiring, warnings,
                             True, blocking)


def checklist(pack: RulePack, route_slug: str, person: PersonRecord,
              submit_on: dt.date) -> Checklist:
    """The evidence checklist for ``route_slug`` on ``submit_on`` from ``person.evidence``."""
    route: Route = route_of(pack, route_slug)
    statuses = [requirement_status(req, person, submit_on,
                                   before_on=milestone_on(pack, route_slug, req, person))
                for req in route.evidence]
    coverage: dict[int, int] = {}
    for e in person.evidence or ():
        if e.dated_on is None or e.dated_on <= submit_on:
            for k in e.kss:
                coverage[k] = coverage.get(k, 0) + 1
    return Checklist(all(s.complete for s in statuses), statuses, coverage)
