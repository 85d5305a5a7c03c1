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


TESTBOROUGH_PACK = """\
council: {slug: testborough, name: Testborough Council, service_area: children, region: ENG}
version: "2027.1"
effective_from: 2027-01-01
frameworks: [kss-child-family]
rules:
  - {id: TESTB-01, title: Levels and pay, source: "Testborough progression policy, Levels"}
  - {id: TESTB-02, title: "Two years since registration, absences added, at the panel"}
  - {id: TESTB-03, title: Panels in March and September (month only)}
levels:
  - {slug: practitioner, order: 1, title: Practitioner, pay: {scheme: scp, point: 24},
     rules: [TESTB-01]}
  - {slug: senior-practitioner, order: 2, title: Senior Practitioner,
     pay: {scheme: scp, min: 28, max: 31}, rules: [TESTB-01]}
routes:
  - slug: practitioner-to-senior
    title: Practitioner to Senior Practitioner
    from_level: practitioner
    to_level: senior-practitioner
    rules: [TESTB-02]
    eligibility:
      - {type: current-level, levels: [practitioner], rules: [TESTB-02]}
      - {type: time-since, from: registration, months: 24, measure: calendar,
         add_extended_absences: true, at: sitting-date, rules: [TESTB-02]}
    calendar: {kind: month-only, what: panel, months: [3, 9], rules: [TESTB-03]}
    outcomes:
      - {slug: pass, effect: {to_level: senior-practitioner, effective_date: sitting-date},
         rules: [TESTB-01]}
    not_stated: [appeals]
"""

TESTBOROUGH_SCENARIOS = """\
council: testborough
scenarios:
  - name: an absence pushes the two years back
    rule: TESTB-02
    on: 2027-08-01
    person:
      registered_on: 2025-08-01
      level: practitioner
      absences: [{from: 2026-01-01, to: 2026-01-31, reason: sickness}]
    ask: eligibility
    route: practitioner-to-senior
    expect: {eligible: false, earliest_on: 2027-09-01}
  - name: the next panel is named by month only
    rule: TESTB-03
    on: 2027-04-02
    ask: next_submission
    route: practitioner-to-senior
    expect: {next_on: 2027-09}
"""


@pytest.mark.django_db
def test_testborough_is_added_with_files_only_and_answers_through_the_product(tmp_path,
                                                                              client_for):
    """Issue 4 item 6 end to end: pack + scenarios in a temporary folder, validated, tested
    and loaded with the command; then a worker's eligibility through ``eligibility_for`` and
    the JSON API, with no code change."""
    from decimal import Decimal

    from django.urls import reverse

    from councils.models import Role
    from progression.eligibility import eligibility_for
    from progression.services import absence_record, career_record_update, hours_period_add
    from tests.factories import MembershipFactory

    pack_file = tmp_path / "testborough.yaml"
    pack_file.write_text(TESTBOROUGH_PACK, encoding="utf-8")
    scen_dir = tmp_path / "scenarios" / "testborough"
    scen_dir.mkdir(parents=True)
    (scen_dir / "rules.yaml").write_text(TESTBOROUGH_SCENARIOS, encoding="utf-8")

    call_command("rulepack", "validate", str(pack_file), stdout=io.StringIO())
    out = io.StringIO()
    call_command("rulepack", "test", "--pack", str(pack_file), str(scen_dir), stdout=out)
    assert out.getvalue().strip() == "2 passed, 0 failed"
    call_command("rulepack", "load", str(pack_file), stdout=io.StringIO())
    call_command("rulepack", "load", str(pack_file), stdout=io.StringIO())  # idempotent
    with scopes_disabled():
        council = Council.objects.get(slug="testborough")
        assert RulePackVersion.objects.filter(council=council).count() == 1

    admin = MembershipFactory(council=council, roles=[Role.COUNCIL_ADMIN])
    worker = MembershipFactory(council=council, roles=[Role.SOCIAL_WORKER])
    career_record_update(actor=admin.user, membership=worker,
                         changes={"registration_date": dt.date(2025, 8, 1),
                                  "current_level": "practitioner"})
    hours_period_add(actor=admin.user, membership=worker, effective_from=dt.date(2025, 8, 1),
                     fte=Decimal("1"))
    absence_record(actor=admin.user, membership=worker, starts_on=dt.date(2026, 1, 1),
                   ends_on=dt.date(2026, 1, 31), reason="long-term-sickness")

    with scope(council=council):
        [answer] = eligibility_for(council=council, worker=worker, on=dt.date(2027, 8, 1))
    assert answer.route == "practitioner-to-senior"
    assert (answer.eligible, answer.earliest_on) == (False, dt.date(2027, 9, 1))
    assert answer.reasons[0].rule == "TESTB-02"

    url = reverse("api_worker_eligibility",
                  kwargs={"council_slug": "testborough", "membership_id": worker.pk})
    body = client_for(admin).get(url + "?on=2027-09-01").json()
    assert body["pack_version"] == "2027.1"
    assert body["routes"][0]["eligible"] is True
    rules_page = client_for(admin).get(reverse("council_rules",
                                               kwargs={"council_slug": "testborough"}))
    # The pack starts in 2027: until then the rules page says nothing is in force today.
    assert rules_page.status_code == 200
    page = rules_page.content.decode()
    assert ("TESTB-02" in page) == (dt.date.today() >= dt.date(2027, 1, 1))
