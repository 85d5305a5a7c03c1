"""Calendar properties on the five council packs (hypothesis), not only the engine's test pack.

- CONV-02 (domain.md section 3): every working-day appeal deadline of every pack
  (NELC-44, 000_b405b76582c345ce.txt; LINCS-26, 003_beca269546173a23.txt) falls on a working
  day and never moves earlier when the decision is received later.
- STOKE-10 (001_cfd4d7839e7e381c.txt) and the other packs' ASYE lengths: a part-time ASYE never
  ends before the full-time one started the same day, and never passes its ceiling.
"""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from councils.rules.loader import load_all_packs
from progression.engine import appeal_due, asye_timeline
from progression.engine.dates import bank_holidays
from progression.engine.record import AsyeRecord, HoursEntry, PersonRecord

PACKS = load_all_packs()
APPEAL_ROUTES = sorted(
    (slug, route.slug) for slug, pack in PACKS.items() for route in pack.routes
    if any(a.deadline is not None and a.deadline.working_days for a in route.appeals)
)
ASYE_PACKS = sorted(slug for slug, pack in PACKS.items()
                    if any(r.slug == "asye" for r in pack.routes))
dates = st.dates(min_value=dt.date(2024, 1, 1), max_value=dt.date(2031, 12, 31))


def test_the_packs_have_working_day_appeal_deadlines_to_check():
    """NELC-44, LINCS-26: the property below has routes to run on."""
    assert ("north-east-lincolnshire", "level-2-to-level-3") in APPEAL_ROUTES
    assert ("lincolnshire", "level-1-to-level-2") in APPEAL_ROUTES


@settings(max_examples=300, deadline=None)
@given(route=st.sampled_from(APPEAL_ROUTES), received=dates,
       later=st.integers(min_value=0, max_value=45))
def test_appeal_deadline_is_a_working_day_and_monotone_in_the_received_date(route, received,
                                                                             later):
    """CONV-02, NELC-44 (000_b405b76582c345ce.txt), LINCS-26 (003_beca269546173a23.txt)."""
    pack = PACKS[route[0]]
    due = appeal_due(pack, route[1], received)
    assert due.weekday() < 5 and due not in bank_holidays("ENG", [due.year])
    assert due > received
    assert appeal_due(pack, route[1], received + dt.timedelta(days=later)) >= due


@settings(max_examples=300, deadline=None)
@given(slug=st.sampled_from(ASYE_PACKS), start=dates,
       fte=st.sampled_from([0.2, 0.5, 0.6, 0.8, 0.99]), credit=st.integers(0, 11))
def test_part_time_asye_never_ends_before_full_time(slug, start, fte, credit):
    """STOKE-10, STOKE-13, STOKE-14 (001_cfd4d7839e7e381c.txt), NELC-04
    (000_b405b76582c345ce.txt), HALTON-02 (004_5b66ca4edcf6546b.txt): where both ends are
    known, part time ends on or after full time and within the ceiling."""
    pack = PACKS[slug]
    asye = AsyeRecord(started_on=start, credit_months=credit)
    ft = asye_timeline(pack, PersonRecord(asye=asye, hours=(HoursEntry(start, 1.0),)))
    pt = asye_timeline(pack, PersonRecord(asye=asye, hours=(HoursEntry(start, fte),)))
    if ft.ends_on is not None and pt.ends_on is not None:
        assert pt.ends_on >= ft.ends_on
    for t in (ft, pt):
        if t.ends_on is not None and t.latest_end_on is not None:
            assert t.ends_on <= t.latest_end_on
