"""The ASYE timeline: end dates, ceiling, reviews, learning agreement, supervision bands,
attendance, induction, study days, extensions and deferrals."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from councils.rules.schema import AttendanceSeries, Programme, RulePack
from progression.engine._pack import compiled, programme_of
from progression.engine.dates import add_duration, add_months, fte_at
from progression.engine.eligibility import Reason
from progression.engine.record import PersonRecord


@dataclass(frozen=True, slots=True)
class Timeline:
    """``None`` values mean "not stated in policy" (or no input)."""

    started_on: dt.date | None
    part_time: bool
    ends_on: dt.date | None
    latest_end_on: dt.date | None
    reviews: list[dt.date] = field(default_factory=list)
    learning_agreement_due_on: dt.date | None = None
    final_on: dt.date | None = None
    induction_ends_on: dt.date | None = None
    rules: list[str] = field(default_factory=list)


def _rules(*nodes) -> list[str]:
    out: list[str] = []
    for n in nodes:
        if n is not None:
            out.extend(x for x in n.rules if x not in out)
    return out


def is_part_time(person: PersonRecord, start: dt.date) -> bool:
    """STOKE-10 reading: part time when the FTE in force at the start is below 1.0."""
    hours = person.hours_pairs()
    if not hours:
        return False
    fte = fte_at(hours, start)
    if fte is None:
        fte = hours[0][1]
    return fte < 1.0


def asye_timeline(pack: RulePack, person: PersonRecord, route_slug: str | None = None) -> Timeline:
    """The ASYE timeline of ``person`` under ``pack`` (the pack's asye route by default)."""
    prog = programme_of(pack, route_slug)
    start = person.asye.started_on if person.asye else None
    if prog is None or start is None:
        return Timeline(start, False, None, None)
    credit = person.asye.credit_months if person.asye else 0
    part_time = is_part_time(person, start)
    ends_on = latest = la_due = final_on = induction_end = None
    length_months = None
    if prog.length is not None:
        # Part time with no stated part-time length: the end is not stated (section 7).
        length_months = (prog.length.part_time_months if part_time
                         else prog.length.full_time_months)
        if (part_time and prog.length.part_time_months is None
                and prog.length.part_time_not_stated == "full-time-length"):
            length_months = prog.length.full_time_months
    if length_months is not None:
        local = length_months - credit
        if prog.credit is not None and prog.credit.minimum_total_months is not None:
            local = max(local, prog.credit.minimum_total_months - credit)
        ends_on = add_months(start, max(local, 0))
    if prog.ceiling is not None:
        ceiling = prog.ceiling.months - (credit if prog.ceiling.counts_credit else 0)
        latest = add_months(start, max(ceiling, 0))
    if prog.learning_agreement is not None and prog.learning_agreement.due_within is not None:
        la_due = add_duration(start, prog.learning_agreement.due_within)
    if prog.induction is not None and prog.induction.length is not None:
        induction_end = add_duration(start, prog.induction.length)
    reviews: list[dt.date] = []
    if prog.reviews is not None:
        months = prog.reviews.full_time_months
        if part_time and prog.reviews.part_time_months is not None:
            months = prog.reviews.part_time_months
        months = list(months)
        final = prog.reviews.final
        if final is not None and final.month is not None:
            final_on = add_months(start, max(final.month - credit, 0))
            if final.included_in_reviews and final.month not in months:
                months.append(final.month)
        reviews = [add_months(start, m - credit) for m in sorted(months) if m - credit > 0]
    return Timeline(start, part_time, ends_on, latest, reviews, la_due, final_on, induction_end,
                    _rules(prog.length, prog.ceiling, prog.credit, prog.reviews,
                           prog.learning_agreement))


def check_end_date(pack: RulePack, person: PersonRecord, new_end: dt.date,
                   route_slug: str | None = None) -> list[Reason]:
    """Reasons an extension's new end date is refused (beyond the ceiling; not allowed)."""
    prog = programme_of(pack, route_slug)
    out: list[Reason] = []
    if prog is None:
        return out
    if prog.extensions is not None and not prog.extensions.allowed:
        out.append(Reason(", ".join(prog.extensions.rules), "extension-not-allowed",
                          "the policy allows no extension"))
    tl = asye_timeline(pack, person, route_slug)
    if tl.latest_end_on is not None and new_end > tl.latest_end_on:
        rule = ", ".join(prog.ceiling.rules) if prog.ceiling else ""
        out.append(Reason(rule, "beyond-ceiling",
                          f"the end date cannot pass the ceiling {tl.latest_end_on}"))
    return out


def deferral_allowed(pack: RulePack, reason: str, route_slug: str | None = None) -> bool:
    """Whether an assessment deferral may be recorded with ``reason``."""
    prog = programme_of(pack, route_slug)
    return bool(prog and prog.deferrals and reason in prog.deferrals.reasons)


def _band_bounds(prog: Programme, start: dt.date):
    for band in prog.supervision.bands:
        b_start = add_duration(start, band.start)
        b_end = add_duration(start, band.end) if band.end is not None else None
        yield band, b_start, b_end


def supervision_frequency(pack: RulePack, person: PersonRecord, on: dt.date,
                          route_slug: str | None = None) -> str | None:
    """The supervision frequency in force on ``on`` (weekly, fortnightly, monthly) or None."""
    prog = programme_of(pack, route_slug)
    if prog is None or prog.supervision is None or not person.asye or not person.asye.started_on:
        return None
    start = person.asye.started_on
    if on < start:
        return None
    for band, b_start, b_end in _band_bounds(prog, start):
        if b_start <= on and (b_end is None or on < b_end):
            return band.frequency
    return prog.supervision.after_last


def supervision_due_on(pack: RulePack, person: PersonRecord, last_on: dt.date | None,
                       route_slug: str | None = None) -> dt.date | None:
    """NELC-07 reading: next supervision due at most the band's ``max_gap`` after the previous
    one (or after the start when none is recorded); the band is the one in force then."""
    prog = programme_of(pack, route_slug)
    if prog is None or prog.supervision is None or not person.asye or not person.asye.started_on:
        return None
    base = last_on or person.asye.started_on
    for band, b_start, b_end in _band_bounds(prog, person.asye.started_on):
        if b_start <= base and (b_end is None or base < b_end):
            return add_duration(base, band.max_gap)
    if prog.supervision.after_last == "monthly":
        return add_months(base, 1)
    if prog.supervision.after_last == "fortnightly":
        return base + dt.timedelta(days=14)
    if prog.supervision.after_last == "weekly":
        return base + dt.timedelta(days=7)
    return None


@dataclass(frozen=True, slots=True)
class AttendanceStatus:
    series: str
    attended: int
    approved_absences: int
    missed: int
    required: int | None
    met: bool | None  # None: report only
    shortfall: int
    override_possible: bool
    rules: list[str]


def attendance_status(series: AttendanceSeries, attended: int,
                      absence_reasons: list[str] | tuple[str, ...] = ()) -> AttendanceStatus:
    """NELC-09: met when attended + approved absences reach ``required``. Report-only series
    (STOKE-19) return ``met=None`` and list every miss."""
    approved = sum(1 for r in absence_reasons if r in series.approved_absence_reasons)
    missed = len(absence_reasons) - approved
    if series.report_only or series.required is None:
        return AttendanceStatus(series.slug, attended, approved, len(absence_reasons), None,
                                None, 0, False, list(series.rules))
    counted = attended + approved
    short = max(series.required - counted, 0)
    return AttendanceStatus(series.slug, attended, approved, missed, series.required,
                            short == 0, short, series.panel_override and short > 0,
                            list(series.rules))


def in_induction(pack: RulePack, person: PersonRecord, on: dt.date,
                 route_slug: str | None = None) -> bool:
    """NELC-05 reading: the induction phase is [start, start + length)."""
    prog = programme_of(pack, route_slug)
    if prog is None or prog.induction is None or prog.induction.length is None:
        return False
    if not person.asye or not person.asye.started_on:
        return False
    start = person.asye.started_on
    return start <= on < add_duration(start, prog.induction.length)


def study_day_allowed(pack: RulePack, used: int, route_slug: str | None = None) -> bool:
    """STOKE-21: another study day is allowed while fewer than ``max`` have been used."""
    prog = programme_of(pack, route_slug)
    if prog is None or prog.study_days is None:
        return True
    return used < prog.study_days.max


def on_programme(pack: RulePack, person: PersonRecord, on: dt.date) -> bool:
    """Whether the person is on the ASYE on ``on`` (started, not yet completed)."""
    del pack
    a = person.asye
    return bool(a and a.started_on and a.started_on <= on
                and (a.completed_on is None or a.completed_on > on))


__all__ = [
    "AttendanceStatus", "Timeline", "asye_timeline", "attendance_status", "check_end_date",
    "compiled", "deferral_allowed", "in_induction", "is_part_time", "on_programme",
    "study_day_allowed", "supervision_due_on", "supervision_frequency",
]
