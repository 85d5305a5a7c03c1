"""Every scenario of every council pack (councils/rulepacks/scenarios/**), one test each.

The id names the council, the rule ID and the scenario; the rule's seed file is in the
scenario file's council pack (``council.source_seed``).
"""

from __future__ import annotations

import pytest

from councils.rules.loader import load_all_packs, pack_dir
from progression.engine.scenarios import (
    ScenarioFormatError,
    collect_files,
    parse_scenario_file,
    run_scenario,
)

PACKS = load_all_packs()
FILES = collect_files([pack_dir() / "scenarios"])


def _params():
    out = []
    for f in FILES:
        try:
            scenarios = parse_scenario_file(f, PACKS)
        except ScenarioFormatError as exc:
            out.append(pytest.param(None, str(exc), id=f"format-error:{f.name}"))
            continue
        for s in scenarios:
            out.append(pytest.param(s, None, id=s.test_id))
    return out


@pytest.mark.parametrize(("scenario", "format_error"), _params())
def test_pack_scenario(scenario, format_error):
    """Each scenario answers as the council's policy says (rule ID in the test id)."""
    assert format_error is None, format_error
    result = run_scenario(PACKS[scenario.council], scenario)
    assert result.passed, result.block()


def test_every_pack_has_scenarios():
    """rule-scenarios.md: each pack has its scenario files beside it."""
    councils_with_files = {f.parent.name for f in FILES}
    assert set(PACKS) <= councils_with_files
