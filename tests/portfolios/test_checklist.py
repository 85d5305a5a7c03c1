"""Each requirement kind and recency rule, from stored evidence through the engine's checklist
(the portfolio page's "what I still need"), against the councils' real packs."""

from __future__ import annotations

import datetime as dt

import pytest
from django_scopes import scopes_disabled

from portfolios import services
from portfolios.models import ProgressionCase
from portfolios.selectors import portfolio_overview

TODAY = dt.date(2026, 11, 20)


def _status(overview, requirement_id):
    for req, status, *_ in overview.requirements:
        if req.id == requirement_id:
            return status
    raise KeyError(requirement_id)


@pytest.fixture
def case_on(load_pack, people, in_scope):
    """``case_on(council_slug, route, **record)`` -> (council, people, case) ready to build."""

    def make(slug, route, *, team_tags=None, level="", statement="", **record):
        council = load_pack(slug)
        p = people(council, team_tags=team_tags, level=level, **record)
        with in_scope(council):
            case = services.case_open(actor=p["worker"].user, worker=p["worker"],
                                      route_slug=route, today=TODAY, statement=statement)
            if case.status != "building":
                services.eoi_support(actor=p["line_manager"], case=case)
                services.eoi_approve(actor=p["team_manager"], case=case, today=TODAY)
                case.refresh_from_db()
        return council, p, case

    return make


def _statement(p, case, kind, on, **kw):
    kw.setdefault("title", kind)
    kw.setdefault("statement", "Some words here.")
    return services.evidence_add_statement(actor=p["worker"], case=case, kind=kind,
                                           practice_on=on, **kw)


def _booked(case, sitting="2027-04", due=dt.date(2027, 3, 19), kss=(1, 4, 5, 6, 7)):
    with scopes_disabled():
        ProgressionCase.objects.filter(pk=case.pk).update(
            sitting=sitting, submission_due_on=due, allocated_kss=list(kss))
        case.refresh_from_db()


def test_observation_recency_tiers_and_expiry(case_on, in_scope):
    """LINCS-11, CONV-04, 003_beca269546173a23.txt: two observations within 9 months, one of
    them within 6, before the submission date; an older one is reported as falling out."""
    council, p, case = case_on("lincolnshire", "level-1-to-level-2", team_tags=["cwd"],
                               level="level-1")
    _booked(case)
    due = dt.date(2027, 3, 19)
    with in_scope(council):
        _statement(p, case, "direct-observation", dt.date(2026, 7, 1))   # within 9, not 6
        _statement(p, case, "direct-observation", dt.date(2026, 5, 1))   # older than 9
        status = _status(portfolio_overview(case, TODAY), "observations")
        assert status.rule == "LINCS-11, CONV-04"
        assert any("dated on or after 2026-09-19" in m for m in status.missing)
        assert status.expiring_before_submission == 2  # both older than the 6-month tier
        _statement(p, case, "direct-observation", dt.date(2026, 10, 1))
        status = _status(portfolio_overview(case, TODAY), "observations")
        assert status.missing == []
        assert portfolio_overview(case, TODAY).submit_on == due


def test_supervision_records_two_tier_recency(case_on, in_scope):
    """LINCS-13, CONV-04, 003_beca269546173a23.txt: the same two-tier check as LINCS-11."""
    council, p, case = case_on("lincolnshire", "level-1-to-level-2", team_tags=["fast"],
                               level="level-1")
    _booked(case)
    with in_scope(council):
        _statement(p, case, "supervision-record", dt.date(2026, 10, 1))
        assert _status(portfolio_overview(case, TODAY), "supervision-records").missing
        _statement(p, case, "supervision-record", dt.date(2026, 8, 1))
        assert _status(portfolio_overview(case, TODAY), "supervision-records").missing == []


def test_service_user_feedback_within_six_months(case_on, in_scope):
    """LINCS-14, CONV-04, 003_beca269546173a23.txt: two pieces within the last 6 months."""
    council, p, case = case_on("lincolnshire", "level-1-to-level-2", team_tags=["fast"],
                               level="level-1")
    _booked(case)
    with in_scope(council):
        _statement(p, case, "service-user-feedback", dt.date(2026, 12, 1), kss=[4])
        _statement(p, case, "service-user-feedback", dt.date(2026, 8, 1), kss=[5])
        status = _status(portfolio_overview(case, TODAY), "service-user-feedback")
        assert any("2026-09-19" in m for m in status.missing)
        assert any("not covered" in w for w in status.warnings)  # severity warn


def test_case_examples_two_per_allocated_kss(case_on, in_scope):
    """LINCS-09, 003_beca269546173a23.txt: at least 2 case examples per allocated KSS."""
    council, p, case = case_on("lincolnshire", "level-1-to-level-2", team_tags=["fast"],
                               level="level-1")
    _booked(case, kss=(1, 4, 5, 6, 7))
    with in_scope(council):
        _statement(p, case, "case-example", TODAY, kss=[1, 4, 5, 6, 7])
        status = _status(portfolio_overview(case, TODAY), "case-examples")
        assert any("each needs 2 items" in m for m in status.missing)
        _statement(p, case, "case-example", TODAY, kss=[1, 4, 5, 6])
        status = _status(portfolio_overview(case, TODAY), "case-examples")
        assert any("not covered: 7" in m for m in status.missing)
        _statement(p, case, "case-example", TODAY, kss=[7])
        assert _status(portfolio_overview(case, TODAY), "case-examples").missing == []
        grid = {row.number: row for row in portfolio_overview(case, TODAY).grid}
        assert grid[7].allocated and grid[7].total == 2
        assert grid[9].verified_by == ["practice-supervisor", "team-manager"]


def test_role_summary_hard_word_limit(case_on, in_scope):
    """LINCS-10, 003_beca269546173a23.txt: the role summary is at most 200 words."""
    council, p, case = case_on("lincolnshire", "level-1-to-level-2", team_tags=["fast"],
                               level="level-1")
    _booked(case)
    with in_scope(council):
        item = _statement(p, case, "written-statement", TODAY, topic="role-summary",
                          statement="word " * 201)
        status = _status(portfolio_overview(case, TODAY), "role-summary")
        assert any("over the 200-word maximum" in m for m in status.missing)
        services.evidence_update(actor=p["worker"], item=item,
                                 changes={"statement": "word " * 200})
        assert _status(portfolio_overview(case, TODAY), "role-summary").missing == []


def test_derbyshire_grade_11_checklist(case_on, in_scope):
    """DERBY-17, DERBY-18, DERBY-19, DERBY-20, 002_6df34af9a85cb432.txt: certificate with
    SWE number, payroll number, two case examples (1000 words guidance, nine PCF domains),
    one observation within 6 months with feedback from the adult, two 500-word statements;
    accredited learning only if applicable."""
    council, p, case = case_on("derbyshire", "grade-10-to-grade-11", level="grade-10")
    with in_scope(council):
        services.intended_submission_set(actor=p["worker"], case=case,
                                         on=dt.date(2027, 1, 15), today=TODAY)
        case.refresh_from_db()
        o = portfolio_overview(case, TODAY)
        assert o.submit_on == dt.date(2027, 1, 15)
        assert not _status(o, "accredited-learning").blocking
        _statement(p, case, "qualification-certificate", dt.date(2015, 7, 1))
        assert any("mandatory" in m for m in _status(portfolio_overview(case, TODAY),
                                                     "qualification-certificate").missing)
        _statement(p, case, "qualification-certificate", dt.date(2015, 7, 1),
                   filled_fields=["swe-registration-number"])
        _statement(p, case, "direct-observation", dt.date(2026, 6, 1),
                   filled_fields=["feedback-from-adult"])
        status = _status(portfolio_overview(case, TODAY), "direct-observation")
        assert status.rule == "DERBY-19, CONV-04"
        assert any("2026-07-15" in m for m in status.missing)
        _statement(p, case, "case-example", TODAY, pcf=["knowledge"], statement="w " * 1001)
        status = _status(portfolio_overview(case, TODAY), "case-examples")
        assert any("suggested 1000 words" in w for w in status.warnings)
        _statement(p, case, "written-statement", TODAY, topic="enabling-learning",
                   statement="w " * 501)
        assert _status(portfolio_overview(case, TODAY), "enabling-learning").warnings
        assert _status(portfolio_overview(case, TODAY), "ongoing-development").missing


def test_nelc_observations_one_per_role_before_twelve_month_review(case_on, in_scope):
    """NELC-14, 000_b405b76582c345ce.txt: three observations, one by the ASYE co-ordinator,
    one by the line manager, one by the line manager or a senior social worker."""
    council, p, case = case_on("north-east-lincolnshire", "asye", level="level-1",
                               asye_started=dt.date(2025, 9, 1))
    with in_scope(council):
        for role in ("line-manager", "line-manager", "senior-social-worker"):
            _statement(p, case, "direct-observation", dt.date(2026, 6, 1), by_role=role)
        status = _status(portfolio_overview(case, TODAY), "observations")
        assert any("asye-lead" in m for m in status.missing)
        _statement(p, case, "direct-observation", dt.date(2026, 10, 1), by_role="asye-lead")
        status = _status(portfolio_overview(case, TODAY), "observations")
        assert any("twelve-month-review" in w for w in status.warnings)
        assert status.missing


def test_nelc_case_files_exactly_five_and_condition_on_qualification(case_on, in_scope):
    """NELC-22, NELC-28, 000_b405b76582c345ce.txt: five case files; ASYE completion for
    those qualified from 2012, an equivalent qualification before."""
    council, p, case = case_on("north-east-lincolnshire", "level-2-to-level-3",
                               level="level-2", statement="Ready.",
                               qualification_date=dt.date(2010, 6, 1))
    with in_scope(council):
        o = portfolio_overview(case, TODAY)
        assert not _status(o, "asye-completion").applies
        assert _status(o, "equivalent-qualification").applies
        for n in range(4):
            _statement(p, case, "case-file-audit", TODAY, by_role="lead-assessor",
                       title=f"File {n}")
        assert _status(portfolio_overview(case, TODAY), "case-files").missing


def test_halton_rcr_only_when_progression_requested(case_on, in_scope):
    """HALTON-04, HALTON-14, 004_5b66ca4edcf6546b.txt: the RCR applies to the ASYE panel
    only when progression is requested."""
    council, p, case = case_on("halton", "asye", level="level-1")
    with in_scope(council):
        assert not _status(portfolio_overview(case, TODAY), "reflective-career-review").applies
        with scopes_disabled():
            ProgressionCase.objects.filter(pk=case.pk).update(flags=["progression-requested"])
        case.refresh_from_db()
        assert _status(portfolio_overview(case, TODAY), "reflective-career-review").applies


def test_halton_observation_after_twelve_months_from_asye_pass(case_on, in_scope):
    """HALTON-12, 004_5b66ca4edcf6546b.txt: a direct observation and case audit only when
    progression is requested more than 12 months after the ASYE pass."""
    council, p, case = case_on("halton", "level-2-to-level-3", level="level-2",
                               asye_started=dt.date(2025, 1, 1),
                               asye_completed=dt.date(2026, 1, 1))
    with in_scope(council):
        o = portfolio_overview(case, TODAY)
        assert not _status(o, "direct-observation").applies
    council2, p2, case2 = case_on("halton", "level-2-to-level-3", level="level-2",
                                  asye_started=dt.date(2024, 1, 1),
                                  asye_completed=dt.date(2025, 1, 1))
    with in_scope(council2):
        assert _status(portfolio_overview(case2, TODAY), "direct-observation").applies


def test_stoke_asye_portfolio_covers_all_kss(case_on, in_scope):
    """STOKE-24, 001_cfd4d7839e7e381c.txt: the ASYE portfolio maps to all the KSS."""
    council, p, case = case_on("stoke-on-trent", "asye", level="nqsw")
    with in_scope(council):
        _statement(p, case, "asye-portfolio", TODAY, kss=[1, 2, 3])
        status = _status(portfolio_overview(case, TODAY), "asye-portfolio")
        gap = next(m for m in status.missing if "kss-child-family not covered" in m)
        assert all(str(n) in gap for n in range(4, 11)) and "1," not in gap
