"""Schema and loader: good packs load; bad packs are refused with file, field path, line and
the problem named (issue 4: missing field, unknown level, negative months, KSS that does not
exist, duplicate rule ID)."""

from __future__ import annotations

from pathlib import Path

import pytest

from councils.rules.loader import (
    PackError,
    PackValidationError,
    canonical_digest,
    load_all_packs,
    load_pack_file,
    pack_dir,
)
from councils.rules.schema import RulePack

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "testshire.yaml"
GOOD = FIXTURE.read_text(encoding="utf-8")


def _bad(tmp_path: Path, old: str, new: str) -> PackValidationError:
    assert old in GOOD, old
    f = tmp_path / "bad.yaml"
    f.write_text(GOOD.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(PackValidationError) as info:
        load_pack_file(f)
    return info.value


def _line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def test_fixture_pack_loads_and_keeps_on_as_text():
    pack = load_pack_file(FIXTURE)
    assert pack.council.slug == "testshire"
    assert pack.route("asye").not_stated == ["appeals"]


def test_project_packs_all_validate():
    """rulepack validate passes the five councils' packs."""
    packs = load_all_packs(pack_dir())
    assert set(packs) >= {"north-east-lincolnshire", "stoke-on-trent", "derbyshire",
                          "lincolnshire", "halton"}


def test_missing_field_is_named_with_its_line(tmp_path):
    err = _bad(tmp_path, "    title: Level 2 to Level 3\n", "")
    issue = err.errors[0]
    assert issue.loc == "routes[1].title"
    assert issue.message == "required field is missing"
    assert issue.file.endswith("bad.yaml") and issue.line is not None
    assert "bad.yaml" in str(err) and "routes[1].title" in str(err)


def test_unknown_level_in_a_route_is_refused(tmp_path):
    err = _bad(tmp_path, "    to_level: level-3\n", "    to_level: level-9\n")
    issue = err.errors[0]
    assert issue.loc == "routes[1].to_level"
    assert "unknown level 'level-9'" in issue.message
    text = GOOD.replace("    to_level: level-3\n", "    to_level: level-9\n", 1)
    assert issue.line == _line_of(text, "to_level: level-9")


def test_negative_months_are_refused(tmp_path):
    err = _bad(tmp_path, "after: {months: 3}", "after: {months: -3}")
    issue = err.errors[0]
    assert issue.loc.endswith("effect.reapply.after.months")
    assert "greater than or equal to 0" in issue.message and "-3" in issue.message


def test_kss_that_does_not_exist_is_refused(tmp_path):
    err = _bad(tmp_path, "mandatory: [4, 5, 7]", "mandatory: [4, 5, 11]")
    issue = err.errors[0]
    assert issue.loc.endswith("selections[1].mandatory[2]")
    assert "KSS statement 11 does not exist" in issue.message
    assert issue.line == _line_of(GOOD, "mandatory: [4, 5, 7]")


def test_duplicate_rule_id_is_refused(tmp_path):
    err = _bad(tmp_path, "{id: TEST-16, title: Notification}", "{id: TEST-15, title: Again}")
    messages = [str(i) for i in err.errors]
    assert any("duplicate rule ID 'TEST-15'" in m for m in messages)
    assert any("TEST-16" in m and "not in the pack's 'rules' catalogue" in m for m in messages)


def test_unknown_field_is_refused(tmp_path):
    err = _bad(tmp_path, "    kind: asye\n", "    kind: asye\n    colour: blue\n")
    assert err.errors[0].loc == "routes[0].colour"
    assert err.errors[0].message == "unknown field (not in the schema)"


def test_rule_bearing_element_without_rules_is_refused(tmp_path):
    err = _bad(tmp_path, "{type: agency, allowed: false, rules: [TEST-02]}",
               "{type: agency, allowed: false}")
    assert "must name its rule ID" in err.errors[0].message
    assert err.errors[0].loc == "routes[0].eligibility[2]"


def test_not_stated_field_must_be_empty(tmp_path):
    err = _bad(tmp_path, "{slug: level-1, order: 1, title: Level 1, rules: [TEST-01], "
                         "not_stated: [pay]}",
               "{slug: level-1, order: 1, title: Level 1, rules: [TEST-01], "
               "not_stated: [pay], pay: {scheme: scp, point: 24}}")
    assert "listed in not_stated but has a value" in err.errors[0].message


def test_unreadable_yaml_names_the_line(tmp_path):
    f = tmp_path / "broken.yaml"
    f.write_text("council:\n  slug: [unclosed\n", encoding="utf-8")
    with pytest.raises(PackError) as info:
        load_pack_file(f)
    assert "not valid YAML" in str(info.value) and info.value.errors[0].line is not None


def test_digest_ignores_formatting_and_comments(tmp_path):
    f = tmp_path / "same.yaml"
    f.write_text("# a comment\n" + GOOD.replace("  - {id: TEST-01, title: Levels and pay}",
                                                "  - id: TEST-01\n    title: Levels and pay"),
                 encoding="utf-8")
    assert canonical_digest(load_pack_file(f)) == canonical_digest(load_pack_file(FIXTURE))


def test_direct_model_validation_also_runs_cross_checks():
    import yaml

    from councils.rules.loader import StrictBoolLoader

    data = yaml.load(GOOD.replace("    to_level: level-3\n", "    to_level: level-9\n", 1),
                     Loader=StrictBoolLoader)
    with pytest.raises(ValueError, match="unknown level 'level-9'"):
        RulePack.model_validate(data)
