"""Scenario files (rule-scenarios.md): parse, validate and run them against rule packs.

Format errors name the file, the scenario and the field. Extensions beyond rule-scenarios.md
(all optional): ``ask: notification_due`` (``route``, ``event``, ``at``; expect ``due``),
``ask: escalation`` (``escalation``; expect ``due_on``, ``fired``), ``case_qualifier`` and
``allocation_role`` on ``allocation`` (expect may add ``mode``), and the extra ``person`` fields
of ``progression.engine.record``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from councils.rules.loader import PackError, read_yaml
from councils.rules.schema import RULE_ID_RE, RulePack
from progression.engine.allocation import allocation
from progression.engine.calendar import escalations_due, next_submission, notification_deadlines
from progression.engine.checklist import checklist
from progression.engine.eligibility import route_eligibility
from progression.engine.outcomes import appeal_due, decision_effect
from progression.engine.record import PersonRecord, RecordError, person_from_dict
from progression.engine.timeline import asye_timeline, supervision_frequency

COMMON_KEYS = {"name", "rule", "on", "person", "ask", "expect", "notes"}

# ask -> (required inputs, optional inputs, allowed expect keys)
ASKS: dict[str, tuple[set[str], set[str], set[str]]] = {
    "eligibility": ({"route"}, set(), {"eligible", "earliest_on"}),
    "asye_timeline": (set(), set(), {"ends_on", "reviews", "latest_end_on",
                                     "learning_agreement_due_on"}),
    "supervision_frequency": (set(), set(), {"frequency"}),
    "allocation": ({"case_kind"}, {"case_qualifier", "allocation_role"}, {"allowed", "mode"}),
    "next_submission": ({"route"}, set(), {"next_on", "to_group_manager_by"}),
    "appeal_due": ({"route", "decision_received_on"}, {"trigger", "outcome"}, {"due_on"}),
    "decision_effect": ({"route", "outcome", "panel_on"}, set(),
                        {"level", "pay_point", "effective_on", "reapply_from"}),
    "checklist": ({"route", "submit_on"}, set(), {"complete"}),
    "notification_due": ({"route", "event", "at"}, set(), {"due"}),
    "escalation": ({"escalation"}, set(), {"due_on", "fired"}),
}
DATE_INPUTS = {"decision_received_on", "panel_on", "submit_on"}


class ScenarioFormatError(Exception):
    """A scenario file cannot be read or does not follow the format."""

    def __init__(self, file: str, scenario: str | None, field_name: str | None,
                 message: str) -> None:
        self.file = file
        self.scenario = scenario
        self.field = field_name
        self.message = message
        where = file
        if scenario is not None:
            where += f": scenario {scenario!r}"
        if field_name:
            where += f": {field_name}"
        super().__init__(f"{where}: {message}")


@dataclass(frozen=True, slots=True)
class Scenario:
    file: str
    index: int
    name: str
    rule: str | None
    council: str
    on: dt.date
    person: PersonRecord
    ask: str
    inputs: dict[str, Any]
    expect: dict[str, Any]

    @property
    def test_id(self) -> str:
        rule = self.rule or "no-rule"
        return f"{self.council}:{rule}:{self.name}"


@dataclass(frozen=True, slots=True)
class ScenarioResult:
    scenario: Scenario
    passed: bool
    actual: dict[str, Any] = field(default_factory=dict)
    error: str | None = None

    def block(self) -> str:
        """The failure block printed by ``rulepack test``."""
        s = self.scenario
        lines = [
            f"FAIL {s.file} :: {s.name}",
            f"  rule:     {s.rule or '-'}",
            f"  question: {question_text(s)}",
            f"  expected: {_fmt_map(s.expect)}",
        ]
        if self.error:
            lines.append(f"  engine:   error: {self.error}")
        else:
            lines.append(f"  engine:   {_fmt_map(self.actual)}")
        return "\n".join(lines)


def _fmt(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_fmt(v) for v in value) + "]"
    return str(value)


def _fmt_map(d: dict[str, Any]) -> str:
    return ", ".join(f"{k}={_fmt(v)}" for k, v in d.items())


def question_text(s: Scenario) -> str:
    extra = " ".join(f"{k}={_fmt(v)}" for k, v in s.inputs.items())
    return f"{s.ask}{' ' + extra if extra else ''} on {s.on.isoformat()}"


def _as_date(value: Any, file: str, scen: str, name: str) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise ScenarioFormatError(file, scen, name, f"expected a date YYYY-MM-DD, got {value!r}")


def parse_scenario_file(path: str | Path,
                        packs: dict[str, RulePack] | None = None) -> list[Scenario]:
    """Read and validate a scenario file. With ``packs``, the council, routes and outcomes are
    checked against its pack. Raises ScenarioFormatError."""
    name = str(path)
    try:
        data, _, _ = read_yaml(Path(path))
    except PackError as exc:
        issue = exc.errors[0]
        where = f"line {issue.line}: " if issue.line is not None else ""
        raise ScenarioFormatError(name, None, None, where + issue.message) from exc
    if not isinstance(data, dict):
        raise ScenarioFormatError(name, None, None, "a scenario file must be a mapping")
    unknown = set(map(str, data)) - {"council", "scenarios"}
    if unknown:
        raise ScenarioFormatError(name, None, ",".join(sorted(unknown)), "unknown field")
    council = data.get("council")
    if not isinstance(council, str) or not council:
        raise ScenarioFormatError(name, None, "council", "required: the council slug")
    pack = None
    if packs is not None:
        pack = packs.get(council)
        if pack is None:
            raise ScenarioFormatError(name, None, "council",
                                      f"no rule pack for council {council!r}")
    items = data.get("scenarios")
    if not isinstance(items, list) or not items:
        raise ScenarioFormatError(name, None, "scenarios", "required: a non-empty list")
    out: list[Scenario] = []
    seen: set[str] = set()
    for i, raw in enumerate(items):
        label = f"#{i + 1}"
        if not isinstance(raw, dict):
            raise ScenarioFormatError(name, label, None, "a scenario must be a mapping")
        sname = raw.get("name")
        if not isinstance(sname, str) or not sname.strip():
            raise ScenarioFormatError(name, label, "name", "required: a non-empty text")
        label = sname
        if sname in seen:
            raise ScenarioFormatError(name, label, "name", "duplicate scenario name in file")
        seen.add(sname)
        ask = raw.get("ask")
        if ask not in ASKS:
            raise ScenarioFormatError(name, label, "ask",
                                      f"expected one of {sorted(ASKS)}, got {ask!r}")
        required, optional, expect_keys = ASKS[ask]
        unknown = set(map(str, raw)) - COMMON_KEYS - required - optional
        if unknown:
            raise ScenarioFormatError(name, label, ",".join(sorted(unknown)),
                                      f"unknown field for ask {ask}")
        for key in required:
            if key not in raw or raw[key] is None:
                raise ScenarioFormatError(name, label, key, f"required for ask {ask}")
        rule = raw.get("rule")
        if rule is not None and (not isinstance(rule, str) or not RULE_ID_RE.match(rule)):
            raise ScenarioFormatError(name, label, "rule", f"expected a rule ID, got {rule!r}")
        if "on" not in raw:
            raise ScenarioFormatError(name, label, "on", "required: the date asked")
        on = _as_date(raw["on"], name, label, "on")
        try:
            person = person_from_dict(raw.get("person"))
        except RecordError as exc:
            raise ScenarioFormatError(name, label, exc.field, exc.message) from exc
        expect = raw.get("expect")
        if not isinstance(expect, dict) or not expect:
            raise ScenarioFormatError(name, label, "expect", "required: a non-empty mapping")
        bad = set(map(str, expect)) - expect_keys
        if bad:
            raise ScenarioFormatError(name, label, "expect." + ",".join(sorted(bad)),
                                      f"not an answer of ask {ask}; expected {sorted(expect_keys)}")
        inputs: dict[str, Any] = {}
        for key in sorted(required | optional):
            if key in raw:
                v = raw[key]
                if key in DATE_INPUTS:
                    v = _as_date(v, name, label, key)
                inputs[key] = v
        if pack is not None:
            _check_against_pack(pack, name, label, ask, inputs)
        out.append(Scenario(name, i, sname, rule, council, on, person, ask, inputs, expect))
    return out


def _check_against_pack(pack: RulePack, file: str, label: str, ask: str,
                        inputs: dict[str, Any]) -> None:
    routes = {r.slug: r for r in pack.routes}
    route = inputs.get("route")
    if route is not None and route not in routes:
        raise ScenarioFormatError(file, label, "route",
                                  f"{pack.council.slug} has no route {route!r}; "
                                  f"routes are {sorted(routes)}")
    if ask == "decision_effect" and routes[route].outcome(str(inputs["outcome"])) is None:
        raise ScenarioFormatError(file, label, "outcome",
                                  f"route {route!r} has no outcome {inputs['outcome']!r}")
    if ask == "escalation" and inputs["escalation"] not in {e.slug for e in pack.escalations}:
        raise ScenarioFormatError(file, label, "escalation",
                                  f"no escalation {inputs['escalation']!r} in the pack")


def answer(pack: RulePack, s: Scenario) -> dict[str, Any]:
    """The engine's answer to a scenario's question (keys as in ``expect``)."""
    p, on, q = s.person, s.on, s.inputs
    if s.ask == "eligibility":
        e = route_eligibility(pack, q["route"], p, on)
        return {"eligible": e.eligible, "earliest_on": e.earliest_on,
                "reasons": [f"{r.rule}: {r.message}" for r in e.reasons]}
    if s.ask == "asye_timeline":
        t = asye_timeline(pack, p)
        return {"ends_on": t.ends_on, "reviews": t.reviews, "latest_end_on": t.latest_end_on,
                "learning_agreement_due_on": t.learning_agreement_due_on}
    if s.ask == "supervision_frequency":
        return {"frequency": supervision_frequency(pack, p, on)}
    if s.ask == "allocation":
        a = allocation(pack, p, on, str(q["case_kind"]), q.get("case_qualifier"),
                       q.get("allocation_role", "allocated-worker"))
        return {"allowed": a.allowed, "mode": a.mode,
                "reasons": [f"{r.rule}: {r.message}" for r in a.reasons]}
    if s.ask == "next_submission":
        n = next_submission(pack, q["route"], on)
        return {"next_on": n.next_on, "to_group_manager_by": n.to_group_manager_by}
    if s.ask == "appeal_due":
        return {"due_on": appeal_due(pack, q["route"], q["decision_received_on"],
                                     q.get("trigger", "panel-decision"), q.get("outcome"))}
    if s.ask == "decision_effect":
        d = decision_effect(pack, q["route"], str(q["outcome"]), q["panel_on"])
        return {"level": d.level, "pay_point": d.pay_point, "effective_on": d.effective_on,
                "reapply_from": d.reapply_from}
    if s.ask == "checklist":
        c = checklist(pack, q["route"], p, q["submit_on"])
        return {"complete": c.complete,
                "missing": [f"{r.rule} {r.id}: {m}" for r in c.requirements for m in r.missing
                            if r.applies and r.blocking]}
    if s.ask == "notification_due":
        at = q["at"]
        if isinstance(at, str):
            at = dt.datetime.fromisoformat(at)
        dues = notification_deadlines(pack, q["route"], str(q["event"]), at)
        due = dues[0].due if dues else None
        return {"due": due}
    if s.ask == "escalation":
        for e in escalations_due(pack, p, on):
            if e.slug == q["escalation"]:
                return {"due_on": e.due_on, "fired": e.fired}
    raise ValueError(f"unsupported ask {s.ask!r}")


def _same(expected: Any, actual: Any) -> bool:
    if isinstance(expected, list) or isinstance(actual, (list, tuple)):
        if not isinstance(expected, list) or not isinstance(actual, (list, tuple)):
            return False
        return len(expected) == len(actual) and all(_same(e, a) for e, a in
                                                    zip(expected, actual, strict=False))
    if isinstance(actual, dt.datetime):
        if isinstance(expected, dt.datetime):
            exp = expected if expected.tzinfo else expected.replace(tzinfo=actual.tzinfo)
            return exp == actual
        if isinstance(expected, str):
            try:
                return _same(dt.datetime.fromisoformat(expected), actual)
            except ValueError:
                return False
        return False
    if isinstance(actual, dt.date) and isinstance(expected, str):
        return expected == actual.isoformat()
    if isinstance(expected, dt.date) and isinstance(actual, str):
        return expected.isoformat() == actual
    if isinstance(expected, bool) or isinstance(actual, bool):
        return expected is actual
    if isinstance(expected, (int, float)) and isinstance(actual, str):
        return str(expected) == actual
    return expected == actual


def run_scenario(pack: RulePack, s: Scenario) -> ScenarioResult:
    """Answer one scenario and compare every expected key."""
    try:
        got = answer(pack, s)
    except Exception as exc:  # an engine failure is reported as the scenario's failure
        return ScenarioResult(s, False, {}, f"{type(exc).__name__}: {exc}")
    shown = {k: got.get(k) for k in s.expect}
    passed = all(_same(v, got.get(k)) for k, v in s.expect.items())
    if not passed:
        for extra in ("reasons", "missing"):
            if got.get(extra):
                shown[extra] = got[extra]
    return ScenarioResult(s, passed, shown)


def collect_files(paths: Iterable[str | Path]) -> list[Path]:
    """Files named, plus every ``*.yaml``/``*.yml`` under folders named (sorted)."""
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            out.extend(sorted(x for x in p.rglob("*") if x.suffix in (".yaml", ".yml")))
        else:
            out.append(p)
    return out


def run_files(paths: Iterable[str | Path],
              packs: dict[str, RulePack]) -> tuple[list[ScenarioResult], list[ScenarioFormatError]]:
    """Parse and run every scenario file; returns (results, format errors)."""
    results: list[ScenarioResult] = []
    errors: list[ScenarioFormatError] = []
    for f in collect_files(paths):
        if not f.exists():
            errors.append(ScenarioFormatError(str(f), None, None, "file not found"))
            continue
        try:
            scenarios = parse_scenario_file(f, packs)
        except ScenarioFormatError as exc:
            errors.append(exc)
            continue
        for s in scenarios:
            results.append(run_scenario(packs[s.council], s))
    return results, errors
