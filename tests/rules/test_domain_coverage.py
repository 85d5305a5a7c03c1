"""Every rule of the five councils is in its pack, placed, and asked by a scenario or covered
otherwise (``rulepack coverage``).

The repository does not read domain.md: the rule ID ranges below are the digest's (section 4),
written down once here so a rule dropped from a catalogue fails a test.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from django.core.management import call_command

from councils.rules.loader import load_all_packs, pack_dir
from progression.engine.coverage import id_gaps, pack_coverage
from progression.engine.scenarios import collect_files, parse_scenario_file

PACKS = load_all_packs()
SCENARIOS = [s for f in collect_files([pack_dir() / "scenarios"])
             for s in parse_scenario_file(f, PACKS)]
FIXTURES = Path(__file__).resolve().parent / "fixtures"

# council slug -> (seed file, {prefix: last rule number}) as in domain.md section 4
EXPECTED = {
    "north-east-lincolnshire": ("000_b405b76582c345ce.txt", {"NELC": 47}),
    "stoke-on-trent": ("001_cfd4d7839e7e381c.txt", {"STOKE": 54}),
    "derbyshire": ("002_6df34af9a85cb432.txt", {"DERBY": 31}),
    "lincolnshire": ("003_beca269546173a23.txt", {"LINCS": 26}),
    "halton": ("004_5b66ca4edcf6546b.txt", {"HALTON": 30}),
}
CONV_IDS = {f"CONV-{n:02d}" for n in range(1, 7)}
TEST_REF = re.compile(r"^tests/[\w/]+\.py::test_\w+$")


def _run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = 0
    try:
        call_command("rulepack", "coverage", *args, stdout=out, stderr=err)
    except SystemExit as exc:
        code = int(exc.code or 0)
    return code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("slug", sorted(EXPECTED))
def test_catalogue_holds_the_councils_full_contiguous_rule_id_range(slug):
    """NELC-01..47 (000_b405b76582c345ce.txt), STOKE-01..54 (001_cfd4d7839e7e381c.txt),
    DERBY-01..31 (002_6df34af9a85cb432.txt), LINCS-01..26 (003_beca269546173a23.txt),
    HALTON-01..30 (004_5b66ca4edcf6546b.txt): each catalogue holds exactly its council's IDs,
    plus CONV-01..06 where a pack catalogues a convention."""
    seed, ranges = EXPECTED[slug]
    pack = PACKS[slug]
    assert pack.council.source_seed == seed
    expected = {f"{prefix}-{n:02d}" for prefix, last in ranges.items()
                for n in range(1, last + 1)}
    ids = pack.rule_ids()
    assert len(ids) == len(set(ids)), "duplicate rule IDs"
    own = {i for i in ids if not i.startswith("CONV-")}
    assert own == expected
    assert {i for i in ids if i.startswith("CONV-")} <= CONV_IDS


@pytest.mark.parametrize("slug", sorted(EXPECTED))
def test_every_rule_is_asked_by_a_scenario_or_says_how_it_is_covered(slug):
    """Issue 4 "one test or scenario per rule", seed of each council as in EXPECTED: a rule no
    scenario asks about has a catalogue note (how the product treats it) and names the tests
    (``tested_by: tests/...py::test_...``) that check it, and those tests exist."""
    cov = pack_coverage(PACKS[slug], SCENARIOS)
    assert cov.ok, cov.problems
    root = Path(__file__).resolve().parents[2]
    for rule in cov.without_scenarios:
        assert rule.note, f"{rule.rule}: no scenario and no note"
        assert rule.tested_by, f"{rule.rule}: no scenario and no tested_by"
        for ref in rule.tested_by.split("; "):
            assert TEST_REF.match(ref), f"{rule.rule}: {ref!r}"
            path, name = ref.split("::")
            source = (root / path).read_text(encoding="utf-8")
            assert re.search(rf"def {name}\(", source), f"{rule.rule}: {ref} does not exist"
            body = source.split(f"def {name}(", 1)[1].split("\ndef ", 1)[0]
            assert rule.rule in body, f"{rule.rule}: {ref} does not name the rule"


def test_id_gaps_finds_a_missing_number_per_prefix():
    """Issue 4 "every rule in domain.md is expressed": a gap in a prefix is reported."""
    assert id_gaps(["NELC-01", "NELC-03", "CONV-02", "STOKE-01"]) == [
        "CONV-01", "NELC-02"]
    assert id_gaps(["HALTON-01", "HALTON-02"]) == []


def test_coverage_command_lists_every_rule_of_the_five_packs():
    """``rulepack coverage``: a line per catalogue rule with its scenario count, exit 0."""
    code, out, err = _run()
    assert code == 0, out + err
    for slug, (seed, ranges) in EXPECTED.items():
        assert f"{slug} ({seed}): " in out
        for prefix, last in ranges.items():
            for n in range(1, last + 1):
                assert re.search(rf"^  {prefix}-{n:02d} +scenarios +\d+", out, re.M)
    assert "PROBLEM" not in out


def _pack_variant(tmp_path: Path, old: str, new: str) -> Path:
    text = (FIXTURES / "testshire.yaml").read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "testshire.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def test_coverage_refuses_a_rule_with_no_element_and_no_note(tmp_path):
    """A catalogue rule that nothing places and nothing explains is a gap: exit 1."""
    pack = _pack_variant(tmp_path, "  - {id: TEST-16, title: Notification}\n",
                         "  - {id: TEST-16, title: Notification}\n"
                         "  - {id: TEST-17, title: Orphan}\n")
    folder = tmp_path / "scen"
    folder.mkdir()
    code, out, _ = _run("--pack", str(pack), str(folder))
    assert code == 1
    assert "PROBLEM TEST-17: named by no pack element and has no catalogue note" in out


def test_coverage_accepts_an_unplaced_rule_with_a_note(tmp_path):
    """A rule with no structural home is fine when its catalogue note says how it is treated."""
    pack = _pack_variant(tmp_path, "  - {id: TEST-16, title: Notification}\n",
                         "  - {id: TEST-16, title: Notification}\n"
                         "  - {id: TEST-17, title: Guidance, note: shown to the worker}\n")
    (tmp_path / "scen").mkdir()
    code, out, _ = _run("--pack", str(pack), str(tmp_path / "scen"))
    assert code == 0, out
    assert "note: shown to the worker" in out


def test_coverage_refuses_a_gap_in_the_rule_id_sequence(tmp_path):
    """A missing number (TEST-18 without TEST-17) means the catalogue forgot a rule: exit 1."""
    pack = _pack_variant(tmp_path, "  - {id: TEST-16, title: Notification}\n",
                         "  - {id: TEST-16, title: Notification}\n"
                         "  - {id: TEST-18, title: Later, note: recorded}\n")
    (tmp_path / "scen").mkdir()
    code, out, _ = _run("--pack", str(pack), str(tmp_path / "scen"))
    assert code == 1
    assert "PROBLEM TEST-17: missing from the catalogue" in out


def test_coverage_counts_scenarios_and_refuses_an_unknown_rule_id(tmp_path):
    """Scenario counts per rule; a scenario naming a rule outside the catalogue is refused."""
    folder = tmp_path / "scen"
    folder.mkdir()
    (folder / "s.yaml").write_text(
        "council: testshire\nscenarios:\n"
        "  - {name: a, rule: TEST-12, on: 2026-12-18, ask: appeal_due,\n"
        "     route: level-2-to-level-3, decision_received_on: 2026-12-18,\n"
        "     expect: {due_on: 2027-01-06}}\n"
        "  - {name: b, rule: TEST-99, on: 2026-12-18, ask: appeal_due,\n"
        "     route: level-2-to-level-3, decision_received_on: 2026-12-18,\n"
        "     expect: {due_on: 2027-01-06}}\n", encoding="utf-8")
    code, out, _ = _run("--pack", str(FIXTURES / "testshire.yaml"), str(folder))
    assert code == 1
    assert re.search(r"^  TEST-12 +scenarios +1 ", out, re.M)
    assert "PROBLEM TEST-99: named by a scenario but not in the catalogue" in out


def test_coverage_exits_2_on_a_bad_scenario_file(tmp_path):
    """rule-scenarios.md exit codes: an unreadable or invalid file is 2."""
    (tmp_path / "bad.yaml").write_text("council: testshire\nscenarios: []\n", encoding="utf-8")
    code, _, err = _run("--pack", str(FIXTURES / "testshire.yaml"), str(tmp_path))
    assert code == 2 and "bad.yaml" in err
