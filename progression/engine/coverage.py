"""Rule coverage of a pack: for each catalogue rule ID, the scenarios and pack elements naming it.

``rulepack coverage`` prints this per council. A rule is *covered* when a scenario asks about
it, or else when the catalogue says how it is treated instead (``note``, and ``tested_by`` for
the tests that check it). Problems (the command exits 1):

- a catalogue rule ID that no pack element names and that has no ``note`` (the rule has no home);
- a gap in a council prefix's ID sequence (``NELC-01`` .. ``NELC-47`` must all be present: a
  missing number is a rule of the source digest the pack forgot);
- a scenario naming a rule ID that is not in its pack's catalogue (``CONV-nn`` always allowed).

Pure: no Django, no clock. Compares against the catalogue only, never against domain.md text.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from councils.rules.schema import Ruled, RulePack, _walk
from progression.engine.scenarios import Scenario

_ID_PARTS = re.compile(r"^(?P<prefix>[A-Z][A-Z0-9]*)-(?P<number>\d{2,})$")


@dataclass(frozen=True, slots=True)
class RuleCoverage:
    """One catalogue rule: how many scenarios ask about it and which elements name it."""

    rule: str
    title: str
    scenarios: int
    elements: tuple[str, ...]
    note: str | None
    tested_by: str | None

    @property
    def problem(self) -> str | None:
        if not self.elements and not self.note:
            return "named by no pack element and has no catalogue note"
        return None


@dataclass(frozen=True, slots=True)
class PackCoverage:
    """Coverage of one council's pack by its scenarios."""

    council: str
    source_seed: str | None
    rules: tuple[RuleCoverage, ...]
    missing_ids: tuple[str, ...] = ()
    unknown_scenario_rules: tuple[str, ...] = ()
    problems: tuple[str, ...] = field(default=())

    @property
    def with_scenarios(self) -> int:
        return sum(1 for r in self.rules if r.scenarios)

    @property
    def without_scenarios(self) -> tuple[RuleCoverage, ...]:
        return tuple(r for r in self.rules if not r.scenarios)

    @property
    def ok(self) -> bool:
        return not self.problems


def _label(obj: Any, key: Any) -> str:
    """A readable path step: ``routes[asye]`` for items with a slug/id, else ``[i]``."""
    for attr in ("slug", "id", "event", "role", "kind"):
        value = getattr(obj, attr, None)
        if isinstance(value, str):
            return f"[{value}]"
    return f"[{key}]"


def element_paths(pack: RulePack) -> dict[str, list[str]]:
    """Rule ID -> readable paths of the pack elements naming it (in pack order)."""
    out: dict[str, list[str]] = defaultdict(list)
    for loc, node in _walk(pack):
        if not isinstance(node, Ruled):
            continue
        parts: list[str] = []
        cursor: Any = pack
        for step in loc:
            if isinstance(step, int):
                cursor = cursor[step]
                parts[-1] += _label(cursor, step)
            elif isinstance(cursor, dict):
                parts.append(str(step))
                cursor = cursor[step]
            else:
                parts.append(str(step))
                cursor = getattr(cursor, "from_" if step == "from" else step)
        path = ".".join(parts) or "(pack)"
        for rid in node.rules:
            if path not in out[rid]:
                out[rid].append(path)
    return out


def id_gaps(rule_ids: Iterable[str]) -> list[str]:
    """IDs missing from each prefix's sequence 01..max (``NELC-01, NELC-03`` -> ``NELC-02``)."""
    numbers: dict[str, set[int]] = defaultdict(set)
    widths: dict[str, int] = {}
    for rid in rule_ids:
        m = _ID_PARTS.match(rid)
        if m is None:
            continue
        numbers[m["prefix"]].add(int(m["number"]))
        widths[m["prefix"]] = max(widths.get(m["prefix"], 2), len(m["number"]))
    gaps: list[str] = []
    for prefix, present in sorted(numbers.items()):
        width = widths[prefix]
        gaps.extend(f"{prefix}-{n:0{width}d}" for n in range(1, max(present) + 1)
                    if n not in present)
    return gaps


def pack_coverage(pack: RulePack, scenarios: Iterable[Scenario]) -> PackCoverage:
    """Coverage of ``pack`` by the given scenarios (those of other councils are ignored)."""
    counts: Counter[str] = Counter(s.rule for s in scenarios
                                   if s.council == pack.council.slug and s.rule)
    paths = element_paths(pack)
    catalogue = {e.id for e in pack.rules}
    rules = tuple(
        RuleCoverage(rule=e.id, title=e.title, scenarios=counts.get(e.id, 0),
                     elements=tuple(paths.get(e.id, ())), note=e.note,
                     tested_by=e.tested_by)
        for e in pack.rules
    )
    missing = tuple(id_gaps(catalogue))
    unknown = tuple(sorted(r for r in counts if r not in catalogue and not r.startswith("CONV-")))
    problems = [f"{r.rule}: {r.problem}" for r in rules if r.problem]
    problems += [f"{rid}: missing from the catalogue (gap in the rule ID sequence)"
                 for rid in missing]
    problems += [f"{rid}: named by a scenario but not in the catalogue" for rid in unknown]
    return PackCoverage(council=pack.council.slug, source_seed=pack.council.source_seed,
                        rules=rules, missing_ids=missing, unknown_scenario_rules=unknown,
                        problems=tuple(problems))


def coverage_report(cov: PackCoverage) -> list[str]:
    """The lines ``rulepack coverage`` prints for one council."""
    seed = f" ({cov.source_seed})" if cov.source_seed else ""
    without = cov.without_scenarios
    lines = [
        f"{cov.council}{seed}: {len(cov.rules)} rules, {cov.with_scenarios} with scenarios, "
        f"{len(without)} without ({sum(1 for r in without if r.note)} with a note)",
    ]
    width = max((len(r.rule) for r in cov.rules), default=8)
    for r in cov.rules:
        elements = ", ".join(r.elements) if r.elements else "-"
        lines.append(f"  {r.rule:<{width}}  scenarios {r.scenarios:>2}  elements: {elements}")
        if not r.scenarios:
            lines.append(f"  {'':<{width}}  note: {r.note or '(none)'}")
            if r.tested_by:
                lines.append(f"  {'':<{width}}  tested by: {r.tested_by}")
    for problem in cov.problems:
        lines.append(f"  PROBLEM {problem}")
    return lines
