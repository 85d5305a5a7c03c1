"""Date arithmetic of the shared conventions (domain.md section 3).

CONV-01 calendar months with day clamping; CONV-02 working days (England and Wales bank
holidays by default, via the ``holidays`` package); CONV-03 clock hours in Europe/London;
CONV-04 recency cut-offs; CONV-05 FTE-weighted (pro rata) accumulation.

Pure functions: no clock, no ORM. Bank-holiday sets are cached per (region, year).
"""

from __future__ import annotations

import calendar as _cal
import datetime as dt
import math
from collections.abc import Iterable, Sequence
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

LONDON = ZoneInfo("Europe/London")
_MONTH_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
DEFAULT_REGION = "ENG"


def add_months(d: dt.date, months: int) -> dt.date:
    """CONV-01: ``d`` + ``months`` calendar months, clamping the day to the month's end.

    2026-01-31 + 1 = 2026-02-28; 2026-11-30 + 3 = 2027-02-28. Negative months go back.
    """
    total = d.year * 12 + (d.month - 1) + months
    year, month0 = divmod(total, 12)
    day = d.day
    if day > 28:  # only late days can need clamping
        last = _MONTH_DAYS[month0]
        if month0 == 1 and (year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)):
            last = 29
        if day > last:
            day = last
    return dt.date(year, month0 + 1, day)


def add_span(d: dt.date, *, days: int = 0, weeks: int = 0, months: int = 0,
             years: int = 0) -> dt.date:
    """``d`` + a span: months/years first (CONV-01), then days and weeks."""
    out = add_months(d, months + 12 * years) if (months or years) else d
    if days or weeks:
        out = out + dt.timedelta(days=days + 7 * weeks)
    return out


def sub_span(d: dt.date, *, days: int = 0, weeks: int = 0, months: int = 0,
             years: int = 0) -> dt.date:
    """``d`` − a span (CONV-01 clamping for months)."""
    out = add_months(d, -(months + 12 * years)) if (months or years) else d
    if days or weeks:
        out = out - dt.timedelta(days=days + 7 * weeks)
    return out


def add_duration(d: dt.date, duration: object, sign: int = 1) -> dt.date:
    """Add (sign=1) or subtract (sign=-1) a schema ``Duration``-like object."""
    kw = {
        "days": getattr(duration, "days", 0) or 0,
        "weeks": getattr(duration, "weeks", 0) or 0,
        "months": getattr(duration, "months", 0) or 0,
        "years": getattr(duration, "years", 0) or 0,
    }
    return add_span(d, **kw) if sign >= 0 else sub_span(d, **kw)


def months_between(start: dt.date, end: dt.date) -> int:
    """Whole calendar months from ``start`` to ``end``: the largest n with start + n <= end."""
    n = (end.year - start.year) * 12 + (end.month - start.month)
    if n > 0 and add_months(start, n) > end:
        n -= 1
    elif n < 0 and add_months(start, n) > end:
        n -= 1
    return n


def within_first_month(start: dt.date) -> dt.date:
    """CONV-01: the last day "within the first month" of ``start`` (start + 1 month)."""
    return add_months(start, 1)


def last_day_of_month(year: int, month: int) -> dt.date:
    return dt.date(year, month, _cal.monthrange(year, month)[1])


# ----------------------------------------------------------------------------- working days


@lru_cache(maxsize=512)
def _holidays_for_year(region: str, year: int) -> frozenset[dt.date]:
    return frozenset(holidays.country_holidays("GB", subdiv=region, years=year).keys())


def bank_holidays(region: str, years: Iterable[int]) -> frozenset[dt.date]:
    """Bank holidays of ``region`` (``ENG`` = England and Wales) in the given years (cached)."""
    out: set[dt.date] = set()
    for y in years:
        out |= _holidays_for_year(region, y)
    return frozenset(out)


def is_working_day(d: dt.date, region: str = DEFAULT_REGION) -> bool:
    """CONV-02: Monday to Friday and not a bank holiday of ``region``."""
    return d.weekday() < 5 and d not in _holidays_for_year(region, d.year)


def add_working_days(start: dt.date, n: int, region: str = DEFAULT_REGION) -> dt.date:
    """CONV-02: the n-th working day after ``start`` (start is day 0, counting from the next day).

    Friday 2026-12-18 + 10 = Wednesday 2027-01-06; Wednesday 2026-04-22 + 10 = 2026-05-07.
    """
    if n < 0:
        raise ValueError("n must be >= 0")
    d = start
    left = n
    while left:
        d += dt.timedelta(days=1)
        if is_working_day(d, region):
            left -= 1
    return d


# ----------------------------------------------------------------------------- clock hours


def add_clock_hours(at: dt.datetime, hours: int) -> dt.datetime:
    """CONV-03: ``at`` + N elapsed hours, returned in Europe/London local time.

    A naive ``at`` is taken as London local time. 2026-04-21 15:30 + 24 h = 2026-04-22 15:30.
    """
    aware = at.replace(tzinfo=LONDON) if at.tzinfo is None else at
    return (aware.astimezone(dt.UTC) + dt.timedelta(hours=hours)).astimezone(LONDON)


# ----------------------------------------------------------------------------- recency


def recency_cutoff(submitted_on: dt.date, months: int) -> dt.date:
    """CONV-04: evidence "within the last N months" of D is dated on or after D − N months.

    D = 2026-08-31: 6 months back is 2026-02-28, 9 months back is 2025-11-30.
    """
    return add_months(submitted_on, -months)


# ----------------------------------------------------------------------------- pro rata


def fte_at(hours: Sequence[tuple[dt.date, float]], on: dt.date) -> float | None:
    """The FTE in force on ``on`` from (from, fte) entries sorted by date; None before the first."""
    value: float | None = None
    for start, fte in hours:
        if start <= on:
            value = fte
        else:
            break
    return value


def pro_rata_reached_on(hours: Sequence[tuple[dt.date, float]], start: dt.date,
                        months: int) -> dt.date | None:
    """CONV-05: the first date on which FTE-weighted time from ``start`` reaches ``months``.

    Each calendar month from ``start`` (start + k .. start + k + 1, CONV-01) contributes the
    FTE in force, weighted by days where it changes within that month. ``hours`` lists
    (from, fte) sorted by date; each applies until the next. Before the first entry, nothing
    accrues. Empty ``hours`` means full time. Returns None if the total can never be reached
    (last FTE is 0). Example: 1.0 from 2025-09-01, 0.5 from 2026-03-01, 12 months -> 2027-03-01.
    """
    if months <= 0:
        return start
    if not hours:
        return add_months(start, months)
    if all(f <= 0 for _, f in hours):
        return None
    # Fast path: one FTE throughout and a whole number of calendar months.
    first_from, first_fte = hours[0]
    if len(hours) == 1 and first_from <= start and first_fte > 0:
        needed = months / first_fte
        if abs(needed - round(needed)) < 1e-9:
            return add_months(start, round(needed))
    remaining = float(months)
    eps = 1e-9
    changes = [d for d, _ in hours]
    k = 0
    while True:
        p_start = add_months(start, k)
        cur = fte_at(hours, p_start) or 0.0
        nxt = next((c for c in changes if c > p_start), None)
        # Whole periods before the next FTE change accrue ``cur`` each: jump over them.
        whole = (months_between(start, nxt) - k) if nxt is not None else None
        if whole is None or whole > 0:
            if cur <= 0:
                if whole is None:
                    return None
                k += whole
                continue
            need = remaining / cur
            if whole is None or need <= whole + eps:
                n = round(need)
                if abs(need - n) < eps:
                    return add_months(start, k + n)
                jump = int(need)
            else:
                jump = whole
            remaining -= jump * cur
            k += jump
            if jump == whole:
                continue
            p_start = add_months(start, k)
        # One period with an FTE change inside it (or the final fraction): day-weighted.
        p_end = add_months(start, k + 1)
        dip = (p_end - p_start).days
        points = [p_start, *[c for c in changes if p_start < c < p_end], p_end]
        for seg_start, seg_end in zip(points, points[1:], strict=False):
            f = fte_at(hours, seg_start) or 0.0
            gain = f * (seg_end - seg_start).days / dip
            if f > 0 and gain >= remaining - eps:
                days = math.ceil(remaining * dip / f - eps)
                return seg_start + dt.timedelta(days=max(days, 0))
            remaining -= gain
        k += 1


def pro_rata_months(hours: Sequence[tuple[dt.date, float]], start: dt.date,
                    on: dt.date) -> float:
    """CONV-05: FTE-weighted months accrued from ``start`` up to (not including) ``on``."""
    if on <= start:
        return 0.0
    total = 0.0
    k = 0
    while True:
        p_start = add_months(start, k)
        if p_start >= on:
            break
        p_end = add_months(start, k + 1)
        dip = (p_end - p_start).days
        d = p_start
        stop = min(p_end, on)
        while d < stop:
            f = fte_at(hours, d) if hours else 1.0
            total += (f or 0.0) / dip
            d += dt.timedelta(days=1)
        k += 1
    return total
