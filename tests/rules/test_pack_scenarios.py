"""Every scenario of every council pack (councils/rulepacks/scenarios/**), one test each.

The test id names the council, the rule ID, the rule's seed file and the scenario
(``lincolnshire:LINCS-03:003_beca269546173a23.txt:<name>``); a failure message starts with the
same and then shows the ``rulepack test`` block. The seed file is the catalogue entry's
``source`` file when it names one, else the pack's ``council.source_seed``; ``CONV-nn`` rules
are the shared conventions of domain.md section 3.
"""

from __future__ import annotations

import re

import pytest

from councils.rules.loader import load_all_packs, pack_dir
from councils.rules.schema import RulePack
from progression.engine.scenarios import (
    Scenario,
    ScenarioFormatError,
    collect_files,
    parse_scenario_file,
    run_scenario,
)

PACKS = load_all_packs()
FILES = collect_files([pack_dir() / "scenarios"])
SEED_FILE = re.compile(r"\b\d{3}_[0-9a-f]{16}\.txt\b")


def seed_of(pack: RulePack, rule: str | None) -> str:
    """The seed file a scenario's rule comes from (see the module docstring)."""
    if rule and rule.startswith("CONV-"):
        return "domain.md-conventions"
    for entry in pack.rules:
        if entry.id == rule and entry.source:
            m = SEED_FILE.search(entry.source)
            if m:
                return m.group(0)
    return pack.council.source_seed or "no-seed"


def label(s: Scenario) -> str:
    """``council:RULE-ID:seed-file:scenario name``."""
    return f"{s.council}:{s.rule or 'no-rule'}:{seed_of(PACKS[s.council], s.rule)}:{s.name}"


def _params():
    out = []
    for f in FILES:
        try:
            scenarios = parse_scenario_file(f, PACKS)
        except ScenarioFormatError as exc:
            out.append(pytest.param(None, str(exc), id=f"format-error:{f.name}"))
            continue
        for s in scenarios:
            out.append(pytest.param(s, None, id=label(s)))
    return out


@pytest.mark.parametrize(("scenario", "format_error"), _params())
def test_pack_scenario(scenario, format_error):
    """Each scenario answers as the council's policy says (council, rule ID and seed file in
    the test id and the failure message)."""
    assert format_error is None, format_error
    result = run_scenario(PACKS[scenario.council], scenario)
    assert result.passed, f"{label(scenario)}\n{result.block()}"


def test_every_scenario_names_its_rule_and_every_pack_a_seed():
    """Issue 4: "one test or scenario per rule, naming its rule ID and seed file"."""
    for f in FILES:
        for s in parse_scenario_file(f, PACKS):
            assert s.rule, f"{f}: {s.name!r} names no rule ID"
            assert seed_of(PACKS[s.council], s.rule) != "no-seed", (f, s.name)


def test_every_pack_has_scenarios():
    """rule-scenarios.md: each pack has its scenario files beside it."""
    councils_with_files = {f.parent.name for f in FILES}
    assert set(PACKS) <= councils_with_files
