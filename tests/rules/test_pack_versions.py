"""Pack versions: ``rulepack load`` stores a new version with its ``effective_from``; a case keeps
the version it started under and a new version applies only to cases started after it
(issue 4 "What to build" 1; councils.rules.selectors)."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django_scopes import scope, scopes_disabled

from councils.models import Council, RulePackVersion
from councils.rules.selectors import pack_in_force, pack_of_version, pack_version_in_force

PACK = Path(__file__).resolve().parent / "fixtures" / "testshire.yaml"
D = dt.date


def _load(path: Path) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = 0
    try:
        call_command("rulepack", "load", str(path), stdout=out, stderr=err)
    except SystemExit as exc:
        code = int(exc.code or 0)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def two_versions(tmp_path):
    """Testshire 2026.1 from 2026-01-01 (level 2 pays SCP 25) and 2027.1 from 2027-04-01
    (level 2 pays SCP 26)."""
    text = PACK.read_text(encoding="utf-8")
    assert 'version: "2026.1"' in text and "effective_from: 2026-01-01" in text
    assert "pay: {scheme: scp, point: 25}" in text
    newer = tmp_path / "testshire-2027.yaml"
    newer.write_text(
        text.replace('version: "2026.1"', 'version: "2027.1"')
        .replace("effective_from: 2026-01-01", "effective_from: 2027-04-01")
        .replace("pay: {scheme: scp, point: 25}", "pay: {scheme: scp, point: 26}", 1),
        encoding="utf-8")
    assert _load(PACK)[0] == 0
    code, out, _ = _load(newer)
    assert code == 0 and "stored" in out and "2027.1 from 2027-04-01" in out
    with scopes_disabled():
        return Council.objects.get(slug="testshire")


def _level_2_pay(pack) -> str:
    return pack.level("level-2").pay.text()


@pytest.mark.django_db
def test_version_in_force_is_chosen_by_the_case_start_date(two_versions):
    """A case started before the new version's effective_from gets the old one; a case started
    on or after it gets the new one; before the first version there is none."""
    council = two_versions
    with scope(council=council):
        assert pack_version_in_force(council=council, on=D(2025, 12, 31)) is None
        old = pack_version_in_force(council=council, on=D(2027, 3, 31))
        new = pack_version_in_force(council=council, on=D(2027, 4, 1))
        assert (old.version, old.effective_from) == ("2026.1", D(2026, 1, 1))
        assert (new.version, new.effective_from) == ("2027.1", D(2027, 4, 1))
        assert _level_2_pay(pack_in_force(council=council, on=D(2028, 1, 1))) == "SCP 26"


@pytest.mark.django_db
def test_a_case_keeps_the_rules_of_the_version_it_started_under(two_versions):
    """``pack_of_version`` returns the stored version's own rules, whatever is in force now."""
    council = two_versions
    with scope(council=council):
        started_under = pack_version_in_force(council=council, on=D(2026, 9, 1))
        # Later, the new version is in force, but the case's stored version is unchanged.
        assert pack_version_in_force(council=council, on=D(2027, 9, 1)).version == "2027.1"
        kept = pack_of_version(RulePackVersion.objects.get(pk=started_under.pk))
        assert kept.version == "2026.1" and _level_2_pay(kept) == "SCP 25"
        newer = pack_of_version(pack_version_in_force(council=council, on=D(2027, 9, 1)))
        assert newer.version == "2027.1" and _level_2_pay(newer) == "SCP 26"


@pytest.mark.django_db
def test_loading_identical_content_again_changes_nothing(two_versions):
    """``rulepack load`` of an already stored pack leaves the versions as they were."""
    council = two_versions
    code, out, _ = _load(PACK)
    assert code == 0 and "unchanged" in out
    with scope(council=council):
        assert sorted(RulePackVersion.objects.values_list("version", flat=True)) == [
            "2026.1", "2027.1"]
