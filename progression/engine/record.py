"""A person's career record as plain frozen dataclasses (the engine's only input besides a pack).

Services build these from models; scenario files build them from YAML (``person_from_dict``).
Every field is optional: a condition whose input is absent is not evaluated.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class HoursEntry:
    """FTE from a date until the next entry (0 < fte <= 1)."""

    from_on: dt.date
    fte: float


@dataclass(frozen=True, slots=True)
class Absence:
    """An absence; ``extended`` ones (manager-marked) are added to time-based conditions."""

    from_on: dt.date
    to_on: dt.date
    reason: str = ""
    extended: bool = True

    @property
    def days(self) -> int:
        return (self.to_on - self.from_on).days + 1


@dataclass(frozen=True, slots=True)
class AsyeRecord:
    started_on: dt.date | None = None
    completed_on: dt.date | None = None  # the pass decision date
    credit_months: int = 0
    extended_to: dt.date | None = None  # end date after an approved extension


@dataclass(frozen=True, slots=True)
class ReviewHeld:
    month: int
    held_on: dt.date | None = None
    complex_work_ready: bool | None = None


@dataclass(frozen=True, slots=True)
class Attempt:
    route: str
    outcome: str
    decided_on: dt.date
    progression_requested: bool = False


@dataclass(frozen=True, slots=True)
class EvidenceItem:
    kind: str
    dated_on: dt.date | None = None
    kss: tuple[int, ...] = ()
    pcf: tuple[str, ...] = ()  # PCF domain slugs (numbers are converted on input)
    by_role: str | None = None
    words: int | None = None
    fields: tuple[str, ...] = ()  # filled mandatory fields, when known
    anonymised: bool | None = None
    topic: str | None = None
    # The author/observer's standing, when known: SWE registration held, and whether they are
    # themselves on an active ASYE (requirement ``registration_required`` / ``excluded``).
    registered: bool | None = None
    on_active_asye: bool | None = None


@dataclass(frozen=True, slots=True)
class PersonRecord:
    qualified_on: dt.date | None = None
    registered_on: dt.date | None = None
    registration_expires_on: dt.date | None = None
    level: str | None = None
    hours: tuple[HoursEntry, ...] | None = None
    absences: tuple[Absence, ...] | None = None
    asye: AsyeRecord | None = None
    prior_asye: str | None = None  # "completed" | "partial" | None
    reviews_held: tuple[ReviewHeld, ...] | None = None
    complex_work_agreement_on: dt.date | None = None
    caseload: int | None = None
    attempts: tuple[Attempt, ...] | None = None
    evidence: tuple[EvidenceItem, ...] | None = None
    team_tags: tuple[str, ...] | None = None
    agency: bool | None = None
    allocated_kss: tuple[int, ...] | None = None
    flags: tuple[str, ...] | None = None
    opening_reasons: tuple[str, ...] | None = None  # routes whose opening reason is recorded
    anchors: dict[str, dt.date] = field(default_factory=dict)  # named dates for timers

    def hours_pairs(self) -> tuple[tuple[dt.date, float], ...]:
        """Hours as sorted (from, fte) pairs (empty when unknown)."""
        if not self.hours:
            return ()
        return tuple(sorted((h.from_on, h.fte) for h in self.hours))


PERSON_FIELDS = frozenset(
    """qualified_on registered_on registration_expires_on level hours absences asye prior_asye
    reviews_held complex_work_agreement_on caseload attempts evidence team_tags agency
    allocated_kss flags opening_reasons anchors""".split()
)


class RecordError(ValueError):
    """A person mapping does not follow the format; ``field`` names the offending key."""

    def __init__(self, field_name: str, message: str) -> None:
        super().__init__(f"{field_name}: {message}")
        self.field = field_name
        self.message = message


def _date(value: Any, name: str, *, optional: bool = True) -> dt.date | None:
    if value is None and optional:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise RecordError(name, f"expected a date YYYY-MM-DD, got {value!r}")


def _mapping(value: Any, name: str, allowed: set[str], required: set[str] = frozenset()) -> dict:
    if not isinstance(value, dict):
        raise RecordError(name, f"expected a mapping, got {value!r}")
    unknown = set(map(str, value)) - allowed
    if unknown:
        raise RecordError(name, f"unknown field(s) {sorted(unknown)}; expected {sorted(allowed)}")
    missing = required - set(value)
    if missing:
        raise RecordError(name, f"missing field(s) {sorted(missing)}")
    return value


def _list(value: Any, name: str) -> list:
    if not isinstance(value, list):
        raise RecordError(name, f"expected a list, got {value!r}")
    return value


def _int(value: Any, name: str, *, minimum: int | None = None) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise RecordError(name, f"expected a whole number, got {value!r}")
    if minimum is not None and value < minimum:
        raise RecordError(name, f"must be >= {minimum}, got {value}")
    return value


def _bool(value: Any, name: str) -> bool:
    if not isinstance(value, bool):
        raise RecordError(name, f"expected true or false, got {value!r}")
    return value


def _str_list(value: Any, name: str) -> tuple[str, ...]:
    return tuple(str(x) for x in _list(value, name))


def _pcf(value: Any, name: str) -> str:
    from councils.rules.frameworks import pcf_domain_slug

    try:
        return pcf_domain_slug(value)
    except ValueError as exc:
        raise RecordError(name, str(exc)) from exc


def person_from_dict(data: Any) -> PersonRecord:
    """Build a PersonRecord from scenario-style plain data (rule-scenarios.md ``person``)."""
    if data is None:
        return PersonRecord()
    d = _mapping(data, "person", set(PERSON_FIELDS))
    kw: dict[str, Any] = {}
    for name in ("qualified_on", "registered_on", "registration_expires_on",
                 "complex_work_agreement_on"):
        if name in d:
            kw[name] = _date(d[name], f"person.{name}")
    if "level" in d and d["level"] is not None:
        kw["level"] = str(d["level"])
    if "hours" in d:
        items = []
        for i, h in enumerate(_list(d["hours"], "person.hours")):
            n = f"person.hours[{i}]"
            h = _mapping(h, n, {"from", "fte"}, {"from", "fte"})
            fte = h["fte"]
            if isinstance(fte, bool) or not isinstance(fte, (int, float)) or not 0 < fte <= 1:
                raise RecordError(f"{n}.fte", f"expected 0 < fte <= 1, got {fte!r}")
            items.append(HoursEntry(_date(h["from"], f"{n}.from", optional=False), float(fte)))
        kw["hours"] = tuple(sorted(items, key=lambda x: x.from_on))
    if "absences" in d:
        items = []
        for i, a in enumerate(_list(d["absences"], "person.absences")):
            n = f"person.absences[{i}]"
            a = _mapping(a, n, {"from", "to", "reason", "extended"}, {"from", "to"})
            start = _date(a["from"], f"{n}.from", optional=False)
            end = _date(a["to"], f"{n}.to", optional=False)
            if end < start:
                raise RecordError(f"{n}.to", "ends before it starts")
            items.append(Absence(start, end, str(a.get("reason", "")),
                                 _bool(a.get("extended", True), f"{n}.extended")))
        kw["absences"] = tuple(items)
    if "asye" in d and d["asye"] is not None:
        a = _mapping(d["asye"], "person.asye",
                     {"started_on", "completed_on", "credit_months", "extended_to"})
        kw["asye"] = AsyeRecord(
            started_on=_date(a.get("started_on"), "person.asye.started_on"),
            completed_on=_date(a.get("completed_on"), "person.asye.completed_on"),
            credit_months=_int(a.get("credit_months", 0) or 0, "person.asye.credit_months",
                               minimum=0),
            extended_to=_date(a.get("extended_to"), "person.asye.extended_to"),
        )
    if "prior_asye" in d and d["prior_asye"] is not None:
        if d["prior_asye"] not in ("completed", "partial", "none"):
            raise RecordError("person.prior_asye", "expected completed, partial or none")
        kw["prior_asye"] = None if d["prior_asye"] == "none" else d["prior_asye"]
    if "reviews_held" in d:
        items = []
        for i, r in enumerate(_list(d["reviews_held"], "person.reviews_held")):
            n = f"person.reviews_held[{i}]"
            r = _mapping(r, n, {"month", "held_on", "complex_work_ready"}, {"month"})
            ready = r.get("complex_work_ready")
            items.append(ReviewHeld(
                _int(r["month"], f"{n}.month", minimum=1),
                _date(r.get("held_on"), f"{n}.held_on"),
                None if ready is None else _bool(ready, f"{n}.complex_work_ready"),
            ))
        kw["reviews_held"] = tuple(items)
    if "caseload" in d and d["caseload"] is not None:
        kw["caseload"] = _int(d["caseload"], "person.caseload", minimum=0)
    if "attempts" in d:
        items = []
        for i, a in enumerate(_list(d["attempts"], "person.attempts")):
            n = f"person.attempts[{i}]"
            a = _mapping(a, n, {"route", "outcome", "decided_on", "progression_requested"},
                         {"route", "outcome", "decided_on"})
            items.append(Attempt(str(a["route"]), str(a["outcome"]),
                                 _date(a["decided_on"], f"{n}.decided_on", optional=False),
                                 _bool(a.get("progression_requested", False),
                                       f"{n}.progression_requested")))
        kw["attempts"] = tuple(items)
    if "evidence" in d:
        items = []
        for i, e in enumerate(_list(d["evidence"], "person.evidence")):
            n = f"person.evidence[{i}]"
            e = _mapping(e, n, {"kind", "dated_on", "kss", "pcf", "by_role", "words", "fields",
                                "anonymised", "topic", "registered", "on_active_asye"},
                         {"kind"})
            kss = tuple(_int(k, f"{n}.kss", minimum=1) for k in _list(e.get("kss", []),
                                                                         f"{n}.kss"))
            for k in kss:
                if k > 10:
                    raise RecordError(f"{n}.kss", f"KSS statement {k} does not exist (1-10)")
            pcf = tuple(_pcf(p, f"{n}.pcf") for p in _list(e.get("pcf", []), f"{n}.pcf"))
            words = e.get("words")
            items.append(EvidenceItem(
                kind=str(e["kind"]),
                dated_on=_date(e.get("dated_on"), f"{n}.dated_on"),
                kss=kss, pcf=pcf,
                by_role=None if e.get("by_role") is None else str(e["by_role"]),
                words=None if words is None else _int(words, f"{n}.words", minimum=0),
                fields=_str_list(e.get("fields", []), f"{n}.fields"),
                anonymised=None if e.get("anonymised") is None
                else _bool(e["anonymised"], f"{n}.anonymised"),
                topic=None if e.get("topic") is None else str(e["topic"]),
                registered=None if e.get("registered") is None
                else _bool(e["registered"], f"{n}.registered"),
                on_active_asye=None if e.get("on_active_asye") is None
                else _bool(e["on_active_asye"], f"{n}.on_active_asye"),
            ))
        kw["evidence"] = tuple(items)
    for name in ("team_tags", "flags", "opening_reasons"):
        if name in d and d[name] is not None:
            kw[name] = _str_list(d[name], f"person.{name}")
    if "agency" in d and d["agency"] is not None:
        kw["agency"] = _bool(d["agency"], "person.agency")
    if "allocated_kss" in d and d["allocated_kss"] is not None:
        kw["allocated_kss"] = tuple(_int(k, "person.allocated_kss", minimum=1)
                                    for k in _list(d["allocated_kss"], "person.allocated_kss"))
    if "anchors" in d and d["anchors"] is not None:
        anchors = d["anchors"]
        if not isinstance(anchors, dict):
            raise RecordError("person.anchors", "expected a mapping of name: date")
        kw["anchors"] = {str(k): _date(v, f"person.anchors.{k}", optional=False)
                         for k, v in anchors.items()}
    return PersonRecord(**kw)
