"""Outcomes and their effects; appeal deadlines; outcome preconditions."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from councils.rules.schema import Appeal, RulePack
from progression.engine._pack import compiled, route_of
from progression.engine.calendar import deadline_due
from progression.engine.dates import add_duration
from progression.engine.eligibility import Reason


@dataclass(frozen=True, slots=True)
class DecisionEffect:
    """What an outcome does. ``pay_point`` as the council writes it ("SCP 25") or None;
    ``effective_on`` None where the rule is ``unset`` or ``appointment-date``."""

    outcome: str
    level: str
    level_changes: bool
    pay_point: str | None
    effective_rule: str
    effective_on: dt.date | None
    reapply_from: dt.date | None
    vacancy_required: bool = False
    vacancy_review_on: dt.date | None = None
    records: list[str] = field(default_factory=list)
    tasks: list[tuple[str, str, list[str]]] = field(default_factory=list)
    rules: list[str] = field(default_factory=list)


def decision_effect(pack: RulePack, route_slug: str, outcome: str, panel_on: dt.date,
                    decided_on: dt.date | None = None) -> DecisionEffect:
    """The effect of ``outcome`` on ``route_slug`` decided at a panel on ``panel_on``.

    KeyError when the route has no such outcome.
    """
    route = route_of(pack, route_slug)
    o = route.outcome(outcome)
    if o is None:
        raise KeyError(f"route {route_slug!r} has no outcome {outcome!r}")
    eff = o.effect
    decided = decided_on or panel_on
    level = eff.to_level or route.from_level
    effective_on = None
    if eff.effective_date == "sitting-date":
        effective_on = panel_on
    elif eff.effective_date == "decision-date":
        effective_on = decided
    reapply = None
    if eff.reapply is not None and eff.reapply.after is not None:
        reapply = add_duration(decided, eff.reapply.after)
    vacancy_review = None
    vacancy_required = False
    if eff.vacancy is not None:
        vacancy_required = eff.vacancy.required
        if eff.vacancy.review_after is not None:
            vacancy_review = add_duration(panel_on, eff.vacancy.review_after)
    return DecisionEffect(
        outcome=outcome,
        level=level,
        level_changes=level != route.from_level,
        pay_point=eff.pay.text() if eff.pay is not None else None,
        effective_rule=eff.effective_date,
        effective_on=effective_on,
        reapply_from=reapply,
        vacancy_required=vacancy_required,
        vacancy_review_on=vacancy_review,
        records=list(eff.records),
        tasks=[(t.slug, t.title, list(t.roles)) for t in eff.tasks],
        rules=list(o.rules),
    )


def appeal_rule(pack: RulePack, route_slug: str,
                trigger: str = "panel-decision", outcome: str | None = None) -> Appeal | None:
    """The route's appeal for ``trigger`` (and ``outcome`` where appeals are per outcome)."""
    route = route_of(pack, route_slug)
    for a in route.appeals:
        if a.trigger != trigger:
            continue
        if outcome is not None and a.against_outcomes and outcome not in a.against_outcomes:
            continue
        return a
    return None


def appeal_due(pack: RulePack, route_slug: str, decision_received_on: dt.date,
               trigger: str = "panel-decision", outcome: str | None = None) -> dt.date | None:
    """The last day to appeal (CONV-02 working days from the anchor), or None where the
    council sets no deadline or no appeal."""
    a = appeal_rule(pack, route_slug, trigger, outcome)
    if a is None or a.deadline is None:
        return None
    due = deadline_due(a.deadline, decision_received_on, compiled(pack).region)
    return due.date() if isinstance(due, dt.datetime) else due


def appeal_panel_setup_due(pack: RulePack, route_slug: str,
                           appeal_received_on: dt.date) -> dt.date | None:
    """NELC-45: the date by which the appeal panel must be set up, or None."""
    a = appeal_rule(pack, route_slug)
    if a is None or a.panel is None or a.panel.setup_deadline is None:
        return None
    due = deadline_due(a.panel.setup_deadline, appeal_received_on, compiled(pack).region)
    return due.date() if isinstance(due, dt.datetime) else due


def outcome_problems(pack: RulePack, route_slug: str, outcome: str, *,
                     flags: set[str] | frozenset[str] = frozenset(),
                     prior_outcomes: set[str] | frozenset[str] = frozenset(),
                     qa_recorded: bool = True, reason_code: str | None = None,
                     reason_text: str = "") -> list[Reason]:
    """Why the panel may not record ``outcome`` now (empty list: it may)."""
    route = route_of(pack, route_slug)
    o = route.outcome(outcome)
    if o is None:
        return [Reason(", ".join(route.rules), "unknown-outcome",
                       f"{outcome!r} is not an outcome of this route")]
    rule = ", ".join(o.rules)
    out: list[Reason] = []
    pre = o.preconditions
    if pre is not None:
        if pre.after_outcome and pre.after_outcome not in prior_outcomes:
            out.append(Reason(rule, "needs-prior-outcome",
                              f"{outcome} needs a recorded {pre.after_outcome} first"))
        if pre.flag and pre.flag not in flags:
            out.append(Reason(rule, "needs-flag", f"{outcome} needs {pre.flag}"))
        if pre.flag_absent and pre.flag_absent in flags:
            out.append(Reason(rule, "flag-present", f"{outcome} is not possible with "
                              f"{pre.flag_absent}"))
        if pre.qa_recorded and not qa_recorded:
            out.append(Reason(rule, "qa-not-recorded", "quality assurance is not recorded"))
    codes = {r.code: r for r in o.reasons}
    if o.reason_required and reason_code is None:
        out.append(Reason(rule, "reason-required", "a reason is required"))
    elif (o.reason_required_when_flag is not None and o.reason_required_when_flag in flags
          and reason_code is None):
        # e.g. HALTON-07: with a progression request, not progressing must be explained
        out.append(Reason(rule, "reason-required",
                          f"a reason is required when {o.reason_required_when_flag} is set"))
    if reason_code is not None:
        r = codes.get(reason_code)
        if r is None:
            out.append(Reason(rule, "unknown-reason", f"unknown reason {reason_code!r}"))
        elif r.text_required and not reason_text.strip():
            out.append(Reason(rule, "reason-text-required", "the reasons must be written"))
    return out
