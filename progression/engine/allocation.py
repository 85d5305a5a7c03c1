"""Allocation: caseload caps, induction warning, complexity gates with the Complex Work
Agreement, and the advisory allocation matrix."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from councils.rules.schema import ComplexityGate, GateStep, Programme, RulePack
from progression.engine._pack import programme_of
from progression.engine.dates import add_duration
from progression.engine.eligibility import Reason
from progression.engine.record import PersonRecord
from progression.engine.timeline import on_programme

ALLOWING_MODES = frozenset({"allowed", "allowed-with-conditions", "manager-decision"})


@dataclass(frozen=True, slots=True)
class AllocationAnswer:
    """``allowed``: may one more case of the kind be allocated in ``role`` on the date.
    ``mode``: the gate mode that applied (``allowed`` when no gate applies)."""

    allowed: bool
    mode: str
    reasons: list[Reason] = field(default_factory=list)
    warnings: list[Reason] = field(default_factory=list)
    conditions: list[str] = field(default_factory=list)
    overridable: bool = False
    rules: list[str] = field(default_factory=list)


def _held(person: PersonRecord, month: int, on: dt.date) -> list:
    return [r for r in (person.reviews_held or ())
            if r.month == month and (r.held_on is None or r.held_on <= on)]


def gates_lifted(prog: Programme, person: PersonRecord, on: dt.date) -> bool:
    """STOKE-28: the gates lift once the ``lifts_when`` review is held with readiness recorded."""
    cx = prog.complexity
    if cx is None or cx.lifts_when is None:
        return False
    held = _held(person, cx.lifts_when.review_month, on)
    if not cx.lifts_when.requires_readiness:
        return bool(held)
    return any(r.complex_work_ready for r in held)


def find_gate(prog: Programme, kind: str, qualifier: str | None) -> ComplexityGate | None:
    """The gate for kind + qualifier (an exact qualifier match wins over the kind's default)."""
    cx = prog.complexity
    if cx is None:
        return None
    default = None
    for g in cx.gates:
        if g.kind != kind:
            continue
        if g.qualifier is not None and g.qualifier == qualifier:
            return g
        if g.qualifier is None and default is None:
            default = g
    return default


def current_step(gate: ComplexityGate, person: PersonRecord, on: dt.date) -> GateStep:
    """The first step whose review is not yet held (a step without review: until lift)."""
    for step in gate.steps:
        if step.before_review is None or not _held(person, step.before_review, on):
            return step
    return gate.steps[-1]


def allocation(pack: RulePack, person: PersonRecord, on: dt.date, case_kind: str | None,
               qualifier: str | None = None, role: str = "allocated-worker",
               route_slug: str | None = None) -> AllocationAnswer:
    """May one more case of ``case_kind`` be allocated to ``person`` on ``on`` in ``role``?"""
    prog = programme_of(pack, route_slug)
    if prog is None or not on_programme(pack, person, on):
        return AllocationAnswer(True, "allowed")
    reasons: list[Reason] = []
    warnings: list[Reason] = []
    conditions: list[str] = []
    rules: list[str] = []
    allowed = True
    mode = "allowed"
    overridable = False

    cl = prog.caseload
    if cl is not None and person.caseload is not None and role == "allocated-worker":
        cap = cl.effective_cap()
        if cap is not None and person.caseload + 1 > cap:
            r = Reason(", ".join(cl.rules), "caseload-cap",
                       f"the caseload would be {person.caseload + 1}, over the cap of {cap} "
                       f"{cl.unit}")
            rules.extend(cl.rules)
            if cl.enforcement == "refuse":
                reasons.append(r)
                allowed = False
            else:
                warnings.append(r)

    ind = prog.induction
    if (ind is not None and ind.length is not None and ind.allocation_warning
            and role == "allocated-worker" and person.asye and person.asye.started_on):
        if on < add_duration(person.asye.started_on, ind.length):
            warnings.append(Reason(", ".join(ind.rules), "during-induction",
                                   "allocation as the allocated worker during induction"))

    cx = prog.complexity
    if cx is not None and case_kind is not None and not gates_lifted(prog, person, on):
        gate = find_gate(prog, case_kind, qualifier)
        if gate is None:
            if cx.kinds and case_kind in cx.kinds and cx.unlisted_kind == "refused":
                allowed = False
                mode = "refused"
                reasons.append(Reason(", ".join(cx.rules), "kind-refused",
                                      f"{case_kind} is not allocated during the programme"))
        else:
            step = current_step(gate, person, on)
            mode = step.mode
            overridable = step.overridable
            rules.extend(gate.rules)
            conditions.extend(gate.conditions)
            conditions.extend(step.conditions)
            rule = ", ".join(gate.rules)
            if role == "co-worker":
                if not step.co_work_allowed:
                    allowed = False
                    reasons.append(Reason(rule, "co-work-refused",
                                          f"co-working {case_kind} is not allowed yet"))
            elif mode in ("refused", "co-work-only"):
                allowed = False
                reasons.append(Reason(rule, mode, f"{case_kind} cannot be allocated yet"
                                      + (" (co-working only)" if mode == "co-work-only" else "")))
            elif mode == "allowed-with-agreement":
                cwa = person.complex_work_agreement_on
                if cwa is None or cwa > on:
                    allowed = False
                    reasons.append(Reason(rule, "agreement-required",
                                          f"{case_kind} needs a Complex Work Agreement"))
            elif mode == "manager-decision":
                warnings.append(Reason(rule, "manager-decision",
                                       "the manager's decision must be recorded with a reason"))
            elif mode == "allowed-with-conditions":
                warnings.append(Reason(rule, "conditions",
                                       "the manager must record the conditions"))
    return AllocationAnswer(allowed, mode, reasons, warnings, conditions, overridable, rules)


def reallocation_required(pack: RulePack, person: PersonRecord, on: dt.date,
                          new_kind: str) -> bool:
    """STOKE-31: a case changing to a listed kind while the gates apply must be reallocated."""
    prog = programme_of(pack)
    if prog is None or prog.complexity is None or not on_programme(pack, person, on):
        return False
    return (new_kind in prog.complexity.reallocation_on_change_to
            and not gates_lifted(prog, person, on))


def matrix_row(pack: RulePack, level: str) -> dict[str, list[str]]:
    """DERBY-29: the advisory matrix descriptors of the worker's own level, by category."""
    m = pack.allocation_matrix
    if m is None:
        return {}
    return {c.slug: list(c.levels[level]) for c in m.categories if level in c.levels}
