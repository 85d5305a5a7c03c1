"""Case workflow timers and checks read from a route's pack configuration.

Expression of Intent commitment window and reminders (``route.expression_of_intent``),
evidence retention "in case of appeal" (``route.evidence_retention``) and the independence of
an appeal panel from every role recorded in the case (``appeal.panel.independent_of_case``).
Pure functions of (pack, dates, role records); no ORM, no clock.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from councils.rules.schema import RulePack
from progression.engine._pack import route_of
from progression.engine.dates import add_duration
from progression.engine.eligibility import Reason
from progression.engine.outcomes import appeal_due, appeal_rule


@dataclass(frozen=True, slots=True)
class EoiSchedule:
    """The portfolio due date set by an approved Expression of Intent.

    ``due_on`` None: the route sets no commitment window. ``reminders``: dates, earliest first.
    ``overdue``: the case is flagged overdue on ``on`` (after ``due_on``) when the pack flags it;
    ``lapsed``: the case lapses (only when the pack says it does).
    """

    due_on: dt.date | None
    reminders: list[dt.date] = field(default_factory=list)
    overdue: bool = False
    lapsed: bool = False
    rules: list[str] = field(default_factory=list)


def eoi_schedule(pack: RulePack, route_slug: str, approved_on: dt.date,
                 on: dt.date) -> EoiSchedule:
    """Due date, reminder dates and overdue state of an Expression of Intent approved on
    ``approved_on``, as seen on ``on`` (NELC-25: approval + 6 months, reminders 1 month and 1
    week before, flagged overdue after, never lapses)."""
    eoi = route_of(pack, route_slug).expression_of_intent
    if eoi is None or eoi.commitment is None:
        return EoiSchedule(None, rules=list(eoi.rules) if eoi else [])
    due = add_duration(approved_on, eoi.commitment)
    reminders = sorted(add_duration(due, r.before, sign=-1) for r in eoi.reminders)
    late = on > due
    return EoiSchedule(due, reminders, late and eoi.overdue_flag, late and eoi.lapses,
                       list(eoi.rules))


def evidence_locked(pack: RulePack, route_slug: str, *, on: dt.date,
                    submitted_on: dt.date | None, decision_received_on: dt.date | None = None,
                    appeal_pending: bool = False) -> bool:
    """Whether the case evidence may not be changed or deleted on ``on``.

    Without ``route.evidence_retention`` nothing is locked. Otherwise evidence is locked from
    submission; ``keep_while`` keeps it locked until the decision is received, then while the
    route's appeal window is open (up to and including the appeal deadline; an appeal rule
    with no deadline keeps it open) and while an appeal is pending (NELC-37).
    """
    keep = route_of(pack, route_slug).evidence_retention
    if keep is None or submitted_on is None or on < submitted_on:
        return False
    if appeal_pending and "appeal-pending" in keep.keep_while:
        return True
    if decision_received_on is None or on < decision_received_on:
        return True  # submitted, not yet decided
    if "appeal-window-open" in keep.keep_while and appeal_rule(pack, route_slug) is not None:
        due = appeal_due(pack, route_slug, decision_received_on)
        return due is None or on <= due
    return False


def appeal_panel_conflicts(pack: RulePack, route_slug: str, members: Mapping[str, str],
                           case_roles: Mapping[str, Iterable[str]]) -> list[Reason]:
    """Why the proposed appeal panel is not independent (empty list: it is).

    ``members``: person id -> panel role proposed; ``case_roles``: person id -> roles that
    person has held in the case so far (EoI support/approval, lead assessor, observer, examiner,
    signatory, presentation panel, decision panel...). When the appeal panel must be
    ``independent_of_case`` (NELC-46) anyone with a recorded case role is refused; missing
    member roles are reported too.
    """
    appeal = appeal_rule(pack, route_slug)
    if appeal is None or appeal.panel is None:
        return []
    panel = appeal.panel
    rule = ", ".join(panel.rules)
    out: list[Reason] = []
    if panel.independent_of_case:
        for person, role in sorted(members.items()):
            held = sorted(set(case_roles.get(person, ())))
            if held:
                out.append(Reason(rule, "not-independent",
                                  f"the proposed {role} has been involved in the case as "
                                  + ", ".join(held)))
    proposed = list(members.values())
    for m in panel.members:
        if not m.optional and proposed.count(m.role) < m.count:
            out.append(Reason(rule, "member-missing", f"the appeal panel needs a {m.role}"))
    return out
