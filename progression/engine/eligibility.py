"""Route eligibility from a person's record (what the record alone decides).

Sign-offs made inside the workflow (a manager's recommendation) are not part of it
(rule-scenarios.md). A condition whose input is absent from the record is not evaluated.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from councils.rules.schema import (
    Agency,
    AsyeCompleted,
    CurrentLevel,
    PriorAsye,
    QualifiedWithin,
    RegistrationCurrent,
    RulePack,
    TeamTags,
    TimeSince,
)
from progression.engine._pack import compiled, route_of
from progression.engine.dates import add_duration, add_months, pro_rata_reached_on
from progression.engine.record import PersonRecord


@dataclass(frozen=True, slots=True)
class Reason:
    """Why a check failed (or warns): the rule ID(s), a stable code and a readable message."""

    rule: str
    code: str
    message: str


@dataclass(frozen=True, slots=True)
class Eligibility:
    """``earliest_on``: when not eligible and every failing check is date-driven, the first date
    all of them hold; when eligible, the date from which the date-driven checks hold; else None."""

    eligible: bool
    reasons: list[Reason] = field(default_factory=list)
    earliest_on: dt.date | None = None
    warnings: list[Reason] = field(default_factory=list)


def _rule(node) -> str:
    return ", ".join(node.rules)


def time_condition_met_on(cond: TimeSince, person: PersonRecord) -> dt.date | None:
    """The first date on which a time-since condition holds, or None when its input is absent."""
    if cond.from_ == "registration":
        anchor = person.registered_on
    elif cond.from_ == "qualification":
        anchor = person.qualified_on
    else:
        anchor = person.registered_on
        hours = person.hours_pairs()
        if hours:
            practice_start = hours[0][0]
            anchor = practice_start if anchor is None else max(anchor, practice_start)
    if anchor is None:
        return None
    if cond.measure == "pro-rata":
        return pro_rata_reached_on(person.hours_pairs(), anchor, cond.months)
    reached = add_months(anchor, cond.months)
    if cond.add_extended_absences and person.absences:
        extra = sum(a.days for a in person.absences if a.extended)
        reached = reached + dt.timedelta(days=extra)
    return reached


def route_eligibility(pack: RulePack, route_slug: str, person: PersonRecord,
                      on: dt.date) -> Eligibility:
    """Is ``person`` eligible for ``route_slug`` on ``on``? Every failing reason is returned."""
    route = route_of(pack, route_slug)
    c = compiled(pack)
    reasons: list[Reason] = []
    warnings: list[Reason] = []
    dated: list[dt.date] = []  # dates of date-driven checks (met or not)
    undated_failure = False
    date_failure = False

    opening = route.opening
    if opening is not None:
        if opening.team_tags_any and person.team_tags is not None:
            if not set(opening.team_tags_any) & set(person.team_tags):
                reasons.append(Reason(_rule(opening), "team-not-eligible",
                                      "the route is open only to teams tagged "
                                      + " or ".join(opening.team_tags_any)))
                undated_failure = True
        if opening.reason_required and person.opening_reasons is not None:
            if route.slug not in person.opening_reasons:
                label = opening.reason_label or "a reason"
                reasons.append(Reason(_rule(opening), "opening-reason-missing",
                                      f"opening this route needs a recorded {label}"))
                undated_failure = True

    for cond in route.eligibility:
        if isinstance(cond, CurrentLevel):
            if person.level is not None and person.level not in cond.levels:
                reasons.append(Reason(_rule(cond), "wrong-level",
                                      f"current level is {person.level}; the route needs "
                                      + " or ".join(cond.levels)))
                undated_failure = True
        elif isinstance(cond, AsyeCompleted):
            if person.asye is not None or person.prior_asye is not None:
                done = (person.asye is not None and person.asye.completed_on is not None
                        and person.asye.completed_on <= on) or person.prior_asye == "completed"
                if cond.required and not done:
                    reasons.append(Reason(_rule(cond), "asye-not-completed",
                                          "the ASYE has not been completed"))
                    undated_failure = True
                elif not cond.required and done:
                    reasons.append(Reason(_rule(cond), "asye-already-completed",
                                          "the ASYE has already been completed"))
                    undated_failure = True
        elif isinstance(cond, QualifiedWithin):
            if person.qualified_on is not None:
                anchor = on
                if cond.anchor == "asye-start" and person.asye and person.asye.started_on:
                    anchor = person.asye.started_on
                earliest_q = add_months(anchor, -cond.months)
                if person.qualified_on < earliest_q:
                    reasons.append(Reason(_rule(cond), "qualified-too-long-ago",
                                          f"qualified on {person.qualified_on}, more than "
                                          f"{cond.months} months before {anchor}"))
                    undated_failure = True
        elif isinstance(cond, PriorAsye):
            if person.prior_asye == "completed" and cond.completed == "refuse":
                reasons.append(Reason(_rule(cond), "asye-completed-elsewhere",
                                      "an ASYE has already been completed"))
                undated_failure = True
            elif person.prior_asye == "partial" and cond.partial == "refuse":
                reasons.append(Reason(_rule(cond), "asye-partly-completed",
                                      "an ASYE has already been started"))
                undated_failure = True
        elif isinstance(cond, Agency):
            if person.agency and not cond.allowed:
                reasons.append(Reason(_rule(cond), "agency-worker",
                                      "agency workers cannot be enrolled on this route"))
                undated_failure = True
        elif isinstance(cond, TeamTags):
            if person.team_tags is not None:
                tags = set(person.team_tags)
                denied = tags & set(cond.deny_any)
                if denied:
                    reasons.append(Reason(_rule(cond), "team-unsuitable",
                                          "the team is unsuitable: " + ", ".join(sorted(denied))))
                    undated_failure = True
                else:
                    flagged = tags & set(cond.flag_any)
                    if flagged:
                        warnings.append(Reason(_rule(cond), "team-flagged",
                                               "the team needs extra arrangements: "
                                               + ", ".join(sorted(flagged))))
                    if cond.allow_any and not tags & set(cond.allow_any) and not flagged:
                        if cond.unlisted == "refuse":
                            reasons.append(Reason(_rule(cond), "team-not-listed",
                                                  "the team is not on the route's list"))
                            undated_failure = True
                        elif cond.unlisted == "warn":
                            warnings.append(Reason(_rule(cond), "team-not-listed",
                                                   "the team is not on the route's usual list"))
        elif isinstance(cond, TimeSince):
            met_on = time_condition_met_on(cond, person)
            if met_on is None:
                if cond.measure == "pro-rata" and person.hours and (
                        person.registered_on or person.qualified_on):
                    reasons.append(Reason(_rule(cond), "time-never-reached",
                                          "the required time can never be reached at FTE 0"))
                    undated_failure = True
                continue
            dated.append(met_on)
            if met_on > on:
                what = {"registration": "registration", "qualification": "qualification"}.get(
                    cond.from_, "registration and starting in practice")
                kind = "pro rata" if cond.measure == "pro-rata" else "calendar"
                reasons.append(Reason(_rule(cond), "time-not-reached",
                                      f"{cond.months} months ({kind}) since {what} are reached "
                                      f"on {met_on}"))
                date_failure = True
        elif isinstance(cond, RegistrationCurrent):
            if person.registration_expires_on is not None and person.registration_expires_on < on:
                reasons.append(Reason(
                    _rule(cond), "registration-lapsed",
                    f"SWE registration lapsed on {person.registration_expires_on}"))
                undated_failure = True

    waits = c.reapply.get(route.slug)
    if waits and person.attempts:
        for attempt in person.attempts:
            if attempt.route != route.slug or attempt.outcome not in waits:
                continue
            if attempt.decided_on > on:
                continue
            again = add_duration(attempt.decided_on, waits[attempt.outcome])
            dated.append(again)
            if again > on:
                outcome = route.outcome(attempt.outcome)
                reasons.append(Reason(_rule(outcome) if outcome else route.slug,
                                      "reapply-wait",
                                      f"after the {attempt.outcome} decided on "
                                      f"{attempt.decided_on} a new application is possible "
                                      f"from {again}"))
                date_failure = True

    eligible = not reasons
    earliest: dt.date | None
    if eligible:
        earliest = max(dated) if dated else None
    elif date_failure and not undated_failure:
        earliest = max(dated)
    else:
        earliest = None
    return Eligibility(eligible, reasons, earliest, warnings)


def all_route_eligibility(pack: RulePack, person: PersonRecord,
                          on: dt.date) -> dict[str, Eligibility]:
    """Eligibility for every route of the pack."""
    return {r.slug: route_eligibility(pack, r.slug, person, on) for r in pack.routes}


def sitting_check_date(pack: RulePack, route_slug: str, sitting: dt.date | str) -> dt.date:
    """The date a booking for ``sitting`` is checked against.

    ``sitting`` is the fixed sitting date, or ``"YYYY-MM"`` for a sitting named by month only
    (CONV-06) whose date is not yet set. For a month-only sitting, a time-since condition with
    ``unscheduled_sitting: last-day-of-month`` is checked on the last day of that month
    (LINCS-03 reading); the booking is re-checked with the real date once it is fixed.
    Without such a condition the first day of the month is used (nothing is assumed later).
    """
    if isinstance(sitting, dt.date):
        return sitting
    try:
        year, month = (int(x) for x in str(sitting).split("-"))
        first = dt.date(year, month, 1)
    except ValueError as exc:
        raise ValueError(f"sitting must be a date or 'YYYY-MM', got {sitting!r}") from exc
    route = route_of(pack, route_slug)
    if any(isinstance(c, TimeSince) and c.unscheduled_sitting == "last-day-of-month"
           for c in route.eligibility):
        return add_months(first, 1) - dt.timedelta(days=1)
    return first


def sitting_eligibility(pack: RulePack, route_slug: str, person: PersonRecord,
                        sitting: dt.date | str) -> Eligibility:
    """Eligibility for a booking on ``sitting`` (a date, or ``"YYYY-MM"`` before it is set)."""
    return route_eligibility(pack, route_slug, person,
                             sitting_check_date(pack, route_slug, sitting))
