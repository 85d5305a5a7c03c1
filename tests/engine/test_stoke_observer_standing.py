"""Checklist: an item counts only when its author/observer's known standing qualifies
(``registration_required``; ``excluded: [on-active-asye]``). Added for STOKE-25, generic for
every pack. Unknown standing (``None``) is not evaluated.
"""

from __future__ import annotations

import datetime as dt

import pytest

from councils.rules.schema import EvidenceRequirement
from progression.engine.checklist import requirement_status
from progression.engine.record import EvidenceItem, PersonRecord, RecordError, person_from_dict

SUBMIT = dt.date(2027, 1, 8)


def _req(**extra) -> EvidenceRequirement:
    return EvidenceRequirement(
        id="observations", kind="direct-observation", min=3, rules=["STOKE-25"], **extra
    )


def _obs(**standing) -> EvidenceItem:
    return EvidenceItem(kind="direct-observation", dated_on=dt.date(2026, 6, 1), **standing)


def _status(req: EvidenceRequirement, *items: EvidenceItem):
    return requirement_status(req, PersonRecord(evidence=items), SUBMIT)


def test_unregistered_observer_is_not_counted_when_registration_is_required():
    """STOKE-25, 001_cfd4d7839e7e381c.txt: observed by a qualified, registered social worker."""
    status = _status(_req(registration_required=True),
                     _obs(registered=True), _obs(registered=True), _obs(registered=False))
    assert status.satisfied_by == 2
    assert not status.complete
    assert any("not registered" in w for w in status.warnings)


def test_registration_is_not_checked_when_the_requirement_does_not_ask():
    """STOKE-25, 001_cfd4d7839e7e381c.txt: the filter applies only with registration_required."""
    status = _status(_req(), _obs(registered=False), _obs(), _obs())
    assert status.satisfied_by == 3 and status.complete


def test_unknown_standing_is_not_evaluated():
    """STOKE-25, 001_cfd4d7839e7e381c.txt: a condition whose input is absent is not evaluated."""
    status = _status(_req(registration_required=True, excluded=["on-active-asye"]),
                     _obs(), _obs(), _obs())
    assert status.complete


def test_observer_on_an_active_asye_is_excluded():
    """STOKE-25, 001_cfd4d7839e7e381c.txt: "not another NQSW"."""
    status = _status(_req(excluded=["on-active-asye"]),
                     _obs(on_active_asye=False), _obs(on_active_asye=False),
                     _obs(on_active_asye=True))
    assert status.satisfied_by == 2
    assert any("active ASYE" in w for w in status.warnings)


def test_scenario_person_reads_the_standing_fields():
    """STOKE-25, 001_cfd4d7839e7e381c.txt: scenario files may state the observer's standing."""
    person = person_from_dict({"evidence": [
        {"kind": "direct-observation", "dated_on": "2026-06-01", "registered": False,
         "on_active_asye": True},
    ]})
    item = person.evidence[0]
    assert (item.registered, item.on_active_asye) == (False, True)
    with pytest.raises(RecordError) as err:
        person_from_dict({"evidence": [{"kind": "direct-observation", "registered": "yes"}]})
    assert err.value.field == "person.evidence[0].registered"
