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


@pytest.mark.parametrize(("old", "new", "expected"), [
    ('version: "2026.1"\n', "", ':2: version: required field is missing'),
    ("to_level: level-3\n", "to_level: level-9\n",
     ":116: routes[1].to_level: unknown level 'level-9'"),
    ("{type: qualified-within, months: 24,", "{type: qualified-within, months: -3,",
     ":49: routes[0].eligibility[0].months: Input should be greater than or equal to 0"),
    ("verified_items: [9, 10]", "verified_items: [9, 11]",
     ":157: routes[1].selections[1].verified_items[1]: KSS statement 11 does not exist"),
    ("  - {id: TEST-02, title: ASYE route}", "  - {id: TEST-01, title: ASYE route}",
     ":13: rules[1].id: duplicate rule ID 'TEST-01'"),
    ("effective_from: 2026-01-01", "effective_from: 2026-02-30",
     ":9: '2026-02-30' is not a real date"),
])
def test_validate_refuses_each_bad_pack_naming_file_line_field_and_problem(tmp_path, old, new,
                                                                           expected):
    """Issue 4 bad packs (missing field, unknown level in a route, negative months, a KSS that
    does not exist, a duplicate rule ID, an impossible date): exit 1 and a message
    ``file:line: field path: problem``."""
    text = PACK.read_text()
    assert old in text
    bad = _write(tmp_path, text.replace(old, new, 1), "bad.yaml")
    code, _, err = _run("validate", str(bad))
    assert code == 1
    assert f"{bad}{expected}" in err


def test_impossible_date_in_a_scenario_file_exits_2_with_its_line(tmp_path):
    """rule-scenarios.md: a file that does not follow the format exits 2 and is named."""
    f = _write(tmp_path, GOOD_SCENARIOS.replace("on: 2026-03-01", "on: 2026-02-30"))
    code, out, err = _run("test", "--pack", str(PACK), str(f))
    assert code == 2
    assert f"{f}: line 5: '2026-02-30' is not a real date" in err
    assert out.strip().endswith("0 passed, 0 failed")
