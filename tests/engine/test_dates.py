"""Shared conventions CONV-01..CONV-05 with the exact examples of domain.md section 3."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from progression.engine.dates import (
    add_clock_hours,
    add_months,
    add_working_days,
    bank_holidays,
    is_working_day,
    months_between,
    pro_rata_months,
    pro_rata_reached_on,
    recency_cutoff,
    within_first_month,
)

D = dt.date


def test_month_addition_clamps_to_the_last_day_of_a_shorter_month():
    """CONV-01, domain.md section 3: 2026-01-31 + 1 month = 2026-02-28."""
    assert add_months(D(2026, 1, 31), 1) == D(2026, 2, 28)


def test_three_months_from_the_end_of_november_is_the_end_of_february():
    """CONV-01: 2026-11-30 + 3 months = 2027-02-28."""
    assert add_months(D(2026, 11, 30), 3) == D(2027, 2, 28)


def test_leap_year_end_of_february_is_kept():
    """CONV-01: clamping uses the real month length (2028 is a leap year)."""
    assert add_months(D(2028, 1, 31), 1) == D(2028, 2, 29)
    assert add_months(D(2027, 2, 28), 12) == D(2028, 2, 28)


def test_within_the_first_month_ends_one_calendar_month_after_the_start():
    """CONV-01: for S = 2026-09-07 the last day "within the first month" is 2026-10-07."""
    assert within_first_month(D(2026, 9, 7)) == D(2026, 10, 7)


def test_months_between_counts_whole_calendar_months():
    """CONV-01: whole months, consistent with add_months."""
    assert months_between(D(2026, 1, 31), D(2026, 2, 28)) == 1
    assert months_between(D(2026, 1, 31), D(2026, 2, 27)) == 0


def test_ten_working_days_over_christmas_skip_three_bank_holidays():
    """CONV-02: Friday 2026-12-18 + 10 working days = Wednesday 2027-01-06."""
    assert add_working_days(D(2026, 12, 18), 10) == D(2027, 1, 6)


def test_ten_working_days_over_the_early_may_bank_holiday():
    """CONV-02: Wednesday 2026-04-22 + 10 working days = Thursday 2026-05-07."""
    assert add_working_days(D(2026, 4, 22), 10) == D(2026, 5, 7)


def test_good_friday_and_easter_monday_are_not_working_days():
    """CONV-02: England and Wales bank holidays from the holidays package."""
    assert not is_working_day(D(2026, 4, 3))
    assert not is_working_day(D(2026, 4, 6))
    assert D(2026, 12, 28) in bank_holidays("ENG", [2026])


def test_hours_deadline_counts_clock_hours_in_london_time():
    """CONV-03: panel closed 2026-04-21 15:30 + 24 hours = 2026-04-22 15:30 (London)."""
    due = add_clock_hours(dt.datetime(2026, 4, 21, 15, 30), 24)
    assert due.replace(tzinfo=None) == dt.datetime(2026, 4, 22, 15, 30)
    assert due.utcoffset() == dt.timedelta(hours=1)


def test_recency_cutoffs_follow_month_clamping():
    """CONV-04: D = 2026-08-31: 6 months back is 2026-02-28, 9 months back is 2025-11-30."""
    assert recency_cutoff(D(2026, 8, 31), 6) == D(2026, 2, 28)
    assert recency_cutoff(D(2026, 8, 31), 9) == D(2025, 11, 30)


def test_pro_rata_example_reaches_twelve_months_on_first_march_2027():
    """CONV-05: 1.0 FTE from 2025-09-01 then 0.5 from 2026-03-01: 6.0 on 2026-03-01 and
    12 months pro rata on 2027-03-01."""
    hours = [(D(2025, 9, 1), 1.0), (D(2026, 3, 1), 0.5)]
    assert pro_rata_reached_on(hours, D(2025, 9, 1), 6) == D(2026, 3, 1)
    assert pro_rata_reached_on(hours, D(2025, 9, 1), 12) == D(2027, 3, 1)
    assert abs(pro_rata_months(hours, D(2025, 9, 1), D(2026, 3, 1)) - 6.0) < 1e-9


def test_half_time_takes_twice_as_long():
    """CONV-05: at 0.5 FTE, N months pro rata take 2N calendar months."""
    assert pro_rata_reached_on([(D(2025, 9, 1), 0.5)], D(2025, 9, 1), 12) == D(2027, 9, 1)


def test_mid_month_change_is_weighted_by_days():
    """CONV-05: an FTE change mid-month is weighted by days within that month."""
    hours = [(D(2025, 9, 1), 1.0), (D(2025, 9, 16), 0.5)]
    # September: 15 days at 1.0 + 15 at 0.5 of 30 = 0.75; October needs 0.25 at 0.5 of 31 days.
    assert pro_rata_reached_on(hours, D(2025, 9, 1), 1) == D(2025, 10, 17)


def test_no_hours_recorded_counts_as_full_time_and_zero_fte_never_reaches():
    """CONV-05: empty hours = full time; FTE 0 throughout never reaches the total."""
    assert pro_rata_reached_on([], D(2025, 9, 1), 12) == D(2026, 9, 1)
    assert pro_rata_reached_on([(D(2025, 9, 1), 0.0)], D(2025, 9, 1), 12) is None


dates = st.dates(min_value=D(2024, 1, 1), max_value=D(2030, 12, 31))


@settings(max_examples=300, deadline=None)
@given(start=dates, n=st.integers(min_value=1, max_value=30))
def test_working_day_deadline_is_never_a_weekend_or_bank_holiday(start, n):
    """CONV-02 property: the deadline is a working day and strictly after the start."""
    due = add_working_days(start, n)
    assert due.weekday() < 5
    assert due not in bank_holidays("ENG", [due.year])
    assert due > start


@settings(max_examples=300, deadline=None)
@given(a=dates, gap=st.integers(min_value=0, max_value=60),
       n=st.integers(min_value=1, max_value=20))
def test_working_day_deadline_never_moves_earlier_when_the_start_moves_later(a, gap, n):
    """CONV-02 property: monotone in the start date."""
    b = a + dt.timedelta(days=gap)
    assert add_working_days(b, n) >= add_working_days(a, n)


@settings(max_examples=300, deadline=None)
@given(d=dates, m=st.integers(min_value=-36, max_value=36))
def test_month_addition_stays_within_the_target_month(d, m):
    """CONV-01 property: the result is in the target month and never past its last day."""
    r = add_months(d, m)
    total = d.year * 12 + d.month - 1 + m
    assert (r.year, r.month - 1) == divmod(total, 12)
    assert r.day == min(d.day, r.day)


@settings(max_examples=200, deadline=None)
@given(start=dates, fte=st.sampled_from([0.2, 0.4, 0.5, 0.6, 0.8, 1.0]),
       months=st.integers(min_value=1, max_value=24))
def test_part_time_accrual_is_never_faster_than_full_time(start, fte, months):
    """CONV-05 property: pro rata never reaches N earlier than N calendar months."""
    reached = pro_rata_reached_on([(start, fte)], start, months)
    assert reached is not None and reached >= add_months(start, months)


def _brute_force_reached(hours, start, months):
    """Day-by-day CONV-05 accumulation (slow reference implementation)."""
    total = 0.0
    k = 0
    while True:
        p_start, p_end = add_months(start, k), add_months(start, k + 1)
        dip = (p_end - p_start).days
        d = p_start
        while d < p_end:
            if total >= months - 1e-9:
                return d
            f = 0.0
            for h_from, h_fte in hours:
                if h_from <= d:
                    f = h_fte
            total += f / dip
            d += dt.timedelta(days=1)
        k += 1
        if k > 200:
            return None


@settings(max_examples=150, deadline=None)
@given(start=st.dates(min_value=D(2024, 1, 1), max_value=D(2026, 12, 31)),
       changes=st.lists(st.tuples(st.integers(min_value=0, max_value=500),
                                  st.sampled_from([0.25, 0.5, 0.6, 0.8, 1.0])),
                        min_size=1, max_size=3),
       months=st.integers(min_value=1, max_value=12))
def test_pro_rata_fast_path_matches_day_by_day_accumulation(start, changes, months):
    """CONV-05 property: the period-jumping implementation equals day-by-day weighting."""
    hours = sorted({(start + dt.timedelta(days=off), fte) for off, fte in changes})
    hours = [(start, hours[0][1])] + [h for h in hours if h[0] > start]
    assert pro_rata_reached_on(hours, start, months) == _brute_force_reached(hours, start, months)
