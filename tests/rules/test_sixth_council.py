"""Issue 4, item 6: a sixth council without code. A new pack and its scenarios are written to
a temporary folder, validated, loaded and tested with the command, and a worker is run
through eligibility from the stored version."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django_scopes import scope, scopes_disabled

from councils.models import Council, RulePackVersion
from councils.rules.services import rulepack_from_version
from progression.engine import PersonRecord, route_eligibility

PACK = """\
council: {slug: westshire, name: Westshire Council, service_area: adults, region: ENG}
version: "1"
effective_from: 2027-01-01
frameworks: [pcf]
rules:
  - {id: WEST-01, title: Grades}
  - {id: WEST-02, title: Eighteen months pro rata since registration at submission}
  - {id: WEST-03, title: Submissions on the second Tuesday of March and October}
  - {id: WEST-04, title: Pass moves to grade 6}
levels:
  - {slug: grade-5, order: 5, title: Grade 5, pay: {scheme: grade, point: 5}, rules: [WEST-01]}
  - {slug: grade-6, order: 6, title: Grade 6, pay: {scheme: grade, point: 6}, rules: [WEST-01]}
routes:
  - slug: grade-5-to-grade-6
    title: Grade 5 to grade 6
    from_level: grade-5
    to_level: grade-6
    rules: [WEST-02]
    eligibility:
      - {type: current-level, levels: [grade-5], rules: [WEST-02]}
      - {type: time-since, from: registration, months: 18, measure: pro-rata,
         at: submission-date, rules: [WEST-02]}
    calendar:
      kind: nth-weekday
      nth_weekday: {n: 2, weekday: tuesday, months: [3, 10]}
      rules: [WEST-03]
    outcomes:
      - slug: pass
        effect: {to_level: grade-6, pay: {scheme: grade, point: 6}, effective_date: decision-date}
        rules: [WEST-04]
    not_stated: [appeals]
"""

SCENARIOS = """\
council: westshire
scenarios:
  - name: half time doubles the wait
    rule: WEST-02
    on: 2027-06-01
    person:
      registered_on: 2026-01-01
      level: grade-5
      hours: [{from: 2026-01-01, fte: 0.5}]
    ask: eligibility
    route: grade-5-to-grade-6
    expect: {eligible: false, earliest_on: 2029-01-01}
  - name: next window is the second Tuesday of October
    rule: WEST-03
    on: 2027-03-10
    ask: next_submission
    route: grade-5-to-grade-6
    expect: {next_on: 2027-10-12}
  - name: pass takes effect on the decision date
    rule: WEST-04
    on: 2027-10-20
    ask: decision_effect
    route: grade-5-to-grade-6
    outcome: pass
    panel_on: 2027-10-20
    expect: {level: grade-6, pay_point: Grade 6, effective_on: 2027-10-20, reapply_from: null}
  - name: no appeal is stated
    on: 2027-10-20
    ask: appeal_due
    route: grade-5-to-grade-6
    decision_received_on: 2027-10-21
    expect: {due_on: null}
"""


@pytest.mark.django_db
def test_a_sixth_council_needs_no_code(tmp_path):
    pack_file = tmp_path / "westshire.yaml"
    pack_file.write_text(PACK, encoding="utf-8")
    scen_dir = tmp_path / "scenarios" / "westshire"
    scen_dir.mkdir(parents=True)
    (scen_dir / "basics.yaml").write_text(SCENARIOS, encoding="utf-8")

    out = io.StringIO()
    call_command("rulepack", "validate", str(pack_file), stdout=out)
    assert "ok" in out.getvalue()

    out = io.StringIO()
    call_command("rulepack", "test", "--pack", str(pack_file), str(scen_dir), stdout=out)
    assert out.getvalue().strip() == "4 passed, 0 failed"

    call_command("rulepack", "load", str(pack_file), stdout=io.StringIO())
    with scopes_disabled():
        council = Council.objects.get(slug="westshire")
    assert council.service_area == "adults"
    with scope(council=council):
        version = RulePackVersion.objects.get(council=council)
    pack = rulepack_from_version(version)
    worker = PersonRecord(registered_on=dt.date(2026, 1, 1), level="grade-5",
                          hours=())
    answer = route_eligibility(pack, "grade-5-to-grade-6", worker, dt.date(2027, 7, 1))
    assert answer.eligible and answer.earliest_on == dt.date(2027, 7, 1)
