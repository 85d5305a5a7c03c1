"""Calendars and timers: next submission window or panel, soft deadlines, notification
deadlines and escalation timers."""

from __future__ import annotations

import calendar as _cal
import datetime as dt
from dataclasses import dataclass, field

from councils.rules.schema import Calendar, Deadline, RulePack
from progression.engine._pack import compiled, route_of
from progression.engine.dates import (
    DEFAULT_REGION,
    add_clock_hours,
    add_duration,
    add_working_days,
)
from progression.engine.record import PersonRecord
from progression.engine.timeline import asye_timeline

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


@dataclass(frozen=True, slots=True)
class NextSubmission:
    """``next_on``: a date, ``"YYYY-MM"`` for month-only sittings (CONV-06), or None."""

    next_on: dt.date | str | None
    to_group_manager_by: dt.date | None = None
    what: str | None = None
    rules: list[str] = field(default_factory=list)


def nth_weekday(year: int, month: int, n: int, weekday: str) -> dt.date | None:
    """The n-th ``weekday`` of the month (None when the month has fewer)."""
    wd = WEEKDAYS.index(weekday)
    first = dt.date(year, month, 1)
    offset = (wd - first.weekday()) % 7
    day = 1 + offset + 7 * (n - 1)
    if day > _cal.monthrange(year, month)[1]:
        return None
    return dt.date(year, month, day)


def calendar_dates(cal: Calendar, years: range) -> list[dt.date]:
    """Every dated window of ``cal`` in ``years`` (as written: no weekend shift)."""
    out: list[dt.date] = []
    for y in years:
        if cal.kind == "fixed-dates":
            for dm in cal.dates:
                last = _cal.monthrange(y, dm.month)[1]
                out.append(dt.date(y, dm.month, min(dm.day, last)))
        elif cal.kind == "nth-weekday" and cal.nth_weekday is not None:
            for m in cal.nth_weekday.months:
                d = nth_weekday(y, m, cal.nth_weekday.n, cal.nth_weekday.weekday)
                if d is not None:
                    out.append(d)
    return sorted(out)


def next_submission(pack: RulePack, route_slug: str, on: dt.date) -> NextSubmission:
    """The next submission date or panel on or after ``on`` for the route."""
    route = route_of(pack, route_slug)
    cal = route.calendar
    if cal is None:
        return NextSubmission(None)
    rules = list(cal.rules)
    if cal.kind in ("fixed-dates", "nth-weekday"):
        nxt = next((d for d in calendar_dates(cal, range(on.year, on.year + 2)) if d >= on), None)
        soft = None
        if nxt is not None and cal.soft_deadline is not None:
            soft = add_duration(nxt, cal.soft_deadline.before, sign=-1)
            rules.extend(r for r in cal.soft_deadline.rules if r not in rules)
        return NextSubmission(nxt, soft, cal.what, rules)
    if cal.kind == "month-only":
        for y in (on.year, on.year + 1):
            for m in sorted(cal.months):
                if (y, m) >= (on.year, on.month):
                    return NextSubmission(f"{y:04d}-{m:02d}", None, cal.what, rules)
    return NextSubmission(None, None, cal.what, rules)


def deadline_due(deadline: Deadline, event: dt.date | dt.datetime,
                 region: str = DEFAULT_REGION) -> dt.date | dt.datetime:
    """A deadline from ``event``: clock hours (CONV-03, returns a London datetime), working
    days (CONV-02) or calendar days (dates)."""
    if deadline.hours is not None:
        at = event if isinstance(event, dt.datetime) else dt.datetime.combine(event, dt.time())
        return add_clock_hours(at, deadline.hours)
    day = event.date() if isinstance(event, dt.datetime) else event
    if deadline.working_days is not None:
        return add_working_days(day, deadline.working_days, region)
    return day + dt.timedelta(days=deadline.days or 0)


@dataclass(frozen=True, slots=True)
class NotificationDue:
    event: str
    notifier_role: str | None
    recipients: list[str]
    due: dt.date | dt.datetime | None
    rules: list[str]


def notification_deadlines(pack: RulePack, route_slug: str, event: str,
                           at: dt.date | dt.datetime) -> list[NotificationDue]:
    """Notifications of ``route_slug`` for ``event`` with their deadlines (None: no deadline)."""
    route = route_of(pack, route_slug)
    region = compiled(pack).region
    out = []
    for n in route.notifications:
        if n.event != event:
            continue
        due = deadline_due(n.deadline, at, region) if n.deadline is not None else None
        out.append(NotificationDue(n.event, n.notifier_role, list(n.recipients), due,
                                   list(n.rules)))
    return out


@dataclass(frozen=True, slots=True)
class EscalationDue:
    slug: str
    due_on: dt.date | None
    fired: bool
    reminder_on: dt.date | None
    notify_roles: list[str]
    rules: list[str]


def escalations_due(pack: RulePack, person: PersonRecord, on: dt.date) -> list[EscalationDue]:
    """Every pack-level escalation timer for ``person`` with its due date and whether it has
    fired on ``on`` (None due date: not computable or not stated)."""
    c = compiled(pack)
    out: list[EscalationDue] = []
    for esc in pack.escalations:
        due: dt.date | None = None
        fired = False
        if esc.trigger == "after-qualification" and esc.after and person.qualified_on:
            due = add_duration(person.qualified_on, esc.after)
            below = True
            if esc.below_level and person.level in c.level_order:
                below = c.level_order[person.level] < c.level_order[esc.below_level]
            heard = False
            for a in person.attempts or ():
                if a.decided_on > due:
                    continue
                r = c.routes.get(a.route)
                if a.progression_requested or (r is not None and r.kind != "asye"
                                               and r.to_level == esc.below_level):
                    heard = True
            fired = on >= due and below and not heard
        elif esc.trigger == "programme-ceiling":
            tl = asye_timeline(pack, person, esc.route)
            due = tl.latest_end_on
            done = person.asye is not None and person.asye.completed_on is not None
            fired = due is not None and on >= due and not done
        elif esc.after is not None and esc.anchor and esc.anchor in person.anchors:
            due = add_duration(person.anchors[esc.anchor], esc.after)
            fired = on >= due
        reminder = (add_duration(due, esc.reminder_before, sign=-1)
                    if due is not None and esc.reminder_before is not None else None)
        out.append(EscalationDue(esc.slug, due, fired, reminder, list(esc.notify_roles),
                                 list(esc.rules)))
    return out


def breach_escalation_due(pack: RulePack, reported_on: dt.date) -> dt.date | None:
    """STOKE-27: caseload-breach report + ``timer_days`` calendar days (None: no timer)."""
    prog = compiled(pack).asye_route
    cl = prog.programme.caseload if prog is not None and prog.programme else None
    if cl is None or cl.breach is None or cl.breach.timer_days is None:
        return None
    return reported_on + dt.timedelta(days=cl.breach.timer_days)
