"""``manage.py rulepack validate|load|test`` (rule-scenarios.md output and exit codes) and the
scenario-file format checks."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django_scopes import scopes_disabled

from councils.models import Council, RulePackVersion
from councils.rules.services import rulepack_load
from progression.engine.scenarios import ScenarioFormatError, parse_scenario_file

FIXTURES = Path(__file__).resolve().parent / "fixtures"
PACK = FIXTURES / "testshire.yaml"

GOOD_SCENARIOS = """\
council: testshire
scenarios:
  - name: two years since registration not reached
    rule: TEST-08
    on: 2026-03-01
    person: {registered_on: 2024-08-01, level: level-2}
    ask: eligibility
    route: level-2-to-level-3
    expect: {eligible: false, earliest_on: 2026-08-01}
  - name: appeal over Christmas
    rule: TEST-12
    on: 2026-12-18
    ask: appeal_due
    route: level-2-to-level-3
    decision_received_on: 2026-12-18
    expect: {due_on: 2027-01-06}
"""


def _run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = 0
    try:
        call_command("rulepack", *args, stdout=out, stderr=err)
    except SystemExit as exc:
        code = int(exc.code or 0)
    return code, out.getvalue(), err.getvalue()


def _write(tmp_path: Path, text: str, name: str = "s.yaml") -> Path:
    f = tmp_path / name
    f.write_text(text, encoding="utf-8")
    return f


def test_validate_passes_a_good_pack_and_fails_a_bad_one(tmp_path):
    code, out, _ = _run("validate", str(PACK))
    assert code == 0 and "ok" in out
    bad = _write(tmp_path, PACK.read_text().replace("to_level: level-3\n", "to_level: nope\n", 1),
                 "bad.yaml")
    code, _, err = _run("validate", str(bad))
    assert code == 1
    assert "bad.yaml:" in err and "routes[1].to_level" in err and "unknown level 'nope'" in err


def test_test_prints_nothing_but_the_total_when_all_pass(tmp_path):
    f = _write(tmp_path, GOOD_SCENARIOS)
    code, out, err = _run("test", "--pack", str(PACK), str(f))
    assert code == 0 and err == ""
    assert out.strip() == "2 passed, 0 failed"


def test_test_prints_a_block_per_failure_and_exits_1(tmp_path):
    f = _write(tmp_path, GOOD_SCENARIOS.replace("earliest_on: 2026-08-01",
                                                "earliest_on: 2026-09-01"))
    code, out, _ = _run("test", "--pack", str(PACK), str(tmp_path))
    assert code == 1
    assert f"FAIL {f} :: two years since registration not reached" in out
    assert "rule:     TEST-08" in out
    assert "question: eligibility route=level-2-to-level-3 on 2026-03-01" in out
    assert "expected: eligible=false, earliest_on=2026-09-01" in out
    assert "engine:   eligible=false, earliest_on=2026-08-01" in out
    assert out.strip().endswith("1 passed, 1 failed")


@pytest.mark.parametrize(("old", "new", "field"), [
    ("ask: appeal_due", "ask: when_is_lunch", "ask"),
    ("    route: level-2-to-level-3\n    decision", "    route: nowhere\n    decision", "route"),
    ("expect: {due_on: 2027-01-06}", "expect: {due: 2027-01-06}", "expect.due"),
    ("decision_received_on: 2026-12-18", "decision_received_on: soon", "decision_received_on"),
    ("person: {registered_on: 2024-08-01, level: level-2}",
     "person: {registered_on: 2024-08-01, favourite: tea}", "person"),
    ("    on: 2026-12-18\n", "", "on"),
])
def test_bad_scenario_files_name_file_scenario_and_field(tmp_path, old, new, field):
    """rule-scenarios.md: exit 2 with the file, the scenario and the field that is wrong."""
    assert old in GOOD_SCENARIOS
    f = _write(tmp_path, GOOD_SCENARIOS.replace(old, new, 1))
    code, out, err = _run("test", "--pack", str(PACK), str(f))
    assert code == 2
    assert str(f) in err and "scenario '" in err and field in err


def test_unreadable_scenario_file_exits_2(tmp_path):
    f = _write(tmp_path, "council: testshire\nscenarios: [\n")
    code, _, err = _run("test", "--pack", str(PACK), str(f))
    assert code == 2 and str(f) in err
    code, _, err = _run("test", "--pack", str(PACK), str(tmp_path / "missing.yaml"))
    assert code == 2 and "file not found" in err


def test_scenario_for_unknown_council_is_refused(tmp_path):
    f = _write(tmp_path, GOOD_SCENARIOS.replace("council: testshire", "council: atlantis"))
    from councils.rules.loader import load_pack_file

    with pytest.raises(ScenarioFormatError, match="no rule pack for council 'atlantis'"):
        parse_scenario_file(f, {"testshire": load_pack_file(PACK)})


@pytest.mark.django_db
def test_load_twice_stores_one_version_and_creates_the_council(tmp_path):
    code, out, _ = _run("load", str(PACK))
    assert code == 0 and "stored" in out
    code, out, _ = _run("load", str(PACK))
    assert code == 0 and "unchanged" in out
    with scopes_disabled():
        council = Council.objects.get(slug="testshire")
        assert council.name == "Testshire County Council"
        assert council.service_area == "children"
        assert RulePackVersion.objects.filter(council=council).count() == 1
    # Formatting-only changes keep the same digest: still one version.
    reformatted = _write(tmp_path, "# comment\n" + PACK.read_text(), "testshire.yaml")
    row, created = rulepack_load(path=reformatted)
    assert not created
    with scopes_disabled():
        assert RulePackVersion.objects.filter(council=council).count() == 1
        assert row.version == "2026.1"


@pytest.mark.django_db
def test_load_refuses_changed_content_under_the_same_version(tmp_path):
    changed = _write(tmp_path, PACK.read_text().replace("title: Level 2\n", "title: Level Two\n"),
                     "changed.yaml")
    assert _run("load", str(PACK))[0] == 0
    code, _, err = _run("load", str(changed))
    assert code == 1 and "already stored with different content" in err
