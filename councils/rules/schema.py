"""The rule-pack schema: one council's career-progression policy as validated data.

Every model forbids unknown keys. Every rule-bearing element names the domain.md rule IDs it
implements in ``rules: [ID, ...]`` (``rule: ID`` is accepted as shorthand). Any optional field
may be listed in the element's ``not_stated: [field, ...]``: the field must then be empty, the
engine treats it as unset and the UI shows "not stated in policy".

Cross-field checks (``RulePack`` validators): unique slugs and rule IDs, every level named by a
route / condition / outcome exists, framework items exist (KSS 1-10, PCF domain slugs or 1-9),
every referenced rule ID is in the pack's ``rules`` catalogue (``CONV-nn`` always allowed).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    NonNegativeInt,
    PositiveInt,
    ValidationInfo,
    field_validator,
    model_validator,
)

from councils.rules import frameworks as fw

RULE_ID_RE = re.compile(r"^[A-Z][A-Z0-9]*-\d{2,}$")
SLUG_RE = r"^[a-z0-9]+(-[a-z0-9]+)*$"

Slug = Annotated[str, Field(pattern=SLUG_RE, min_length=1, max_length=80)]
RuleId = Annotated[str, Field(pattern=RULE_ID_RE.pattern)]
Text = Annotated[str, Field(min_length=1)]
Months = NonNegativeInt

ROLE_SLUGS = frozenset(
    """social-worker line-manager practice-supervisor practice-lead case-supervisor team-manager
    service-manager group-manager principal-manager divisional-manager operational-director
    head-of-service assistant-director strategic-manager principal-social-worker asye-lead
    assessor lead-assessor advanced-practitioner senior-social-worker practice-manager-swpd
    university-representative learning-and-development hr council-admin quality-team
    payroll nqsw""".split()
)


def _check_role(value: str) -> str:
    if value not in ROLE_SLUGS:
        raise ValueError(f"unknown role {value!r}; expected one of domain.md section 5 roles")
    return value


Role = Annotated[str, Field(pattern=SLUG_RE)]


class Node(BaseModel):
    """Base of every schema element: unknown keys refused; optional ``not_stated`` list."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    not_stated: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _check_not_stated(self) -> Node:
        for name in self.not_stated:
            if name not in type(self).model_fields or name in ("not_stated", "rules"):
                raise ValueError(f"not_stated names {name!r}, which is not a field here")
            value = getattr(self, name)
            if value not in (None, [], {}, False):
                raise ValueError(f"{name!r} is listed in not_stated but has a value")
        return self

    def is_stated(self, name: str) -> bool:
        """False when the policy is silent on ``name`` (UI: "not stated in policy")."""
        return name not in self.not_stated and getattr(self, name, None) not in (None, [], {})


class Ruled(Node):
    """A rule-bearing element: names the rule IDs it implements."""

    rules: list[RuleId] = Field(default_factory=list)

    @model_validator(mode="before")
    @classmethod
    def _rule_shorthand(cls, data: Any) -> Any:
        if isinstance(data, dict) and "rule" in data:
            data = dict(data)
            one = data.pop("rule")
            data["rules"] = [one, *data.get("rules", [])]
        return data

    @model_validator(mode="after")
    def _require_rules(self) -> Ruled:
        if not self.rules:
            raise ValueError("a rule-bearing element must name its rule ID(s) in 'rules'")
        return self


class Duration(Node):
    """A span: any of days, weeks, months, years (months/years are calendar months, CONV-01)."""

    days: NonNegativeInt = 0
    weeks: NonNegativeInt = 0
    months: NonNegativeInt = 0
    years: NonNegativeInt = 0

    @property
    def total_months(self) -> int:
        return self.months + 12 * self.years

    @property
    def total_days(self) -> int:
        return self.days + 7 * self.weeks


# --------------------------------------------------------------------------- metadata, rules


class RuleEntry(Node):
    """One rule of domain.md as the pack records it (the "Our rules" page lists these)."""

    id: RuleId
    title: Text
    source: str | None = None
    reading: str | None = None
    note: str | None = None  # where/how the rule is enforced when it has no structural home
    # the tests that check a rule no scenario can ask about (``rulepack coverage``; not shown
    # on the rules page)
    tested_by: str | None = None


class CouncilMeta(Node):
    slug: Slug
    name: Text
    short_name: str | None = None
    service_area: Literal["children", "adults"]
    region: str = "ENG"  # holidays package UK subdivision (CONV-02)
    source_seed: str | None = None


# --------------------------------------------------------------------------- levels and pay


class Pay(Node):
    """A pay point or band as the council writes it.

    ``scheme``: ``scp``, ``je`` or ``grade``. Either ``point`` or ``min``/``max`` (band).
    ``label`` overrides the rendered label (default "SCP 25", "JE 31", "Grade 10", "SCP 25-27").
    """

    scheme: Literal["scp", "je", "grade"]
    point: str | None = None
    min: str | None = None
    max: str | None = None
    label: str | None = None

    @field_validator("point", "min", "max", mode="before")
    @classmethod
    def _as_text(cls, v: Any) -> Any:
        return str(v) if isinstance(v, int) and not isinstance(v, bool) else v

    @model_validator(mode="after")
    def _point_or_band(self) -> Pay:
        if self.point is None and (self.min is None or self.max is None):
            raise ValueError("pay needs either 'point' or both 'min' and 'max'")
        if self.point is not None and (self.min is not None or self.max is not None):
            raise ValueError("pay has 'point' and a band; give one or the other")
        return self

    def text(self) -> str:
        if self.label:
            return self.label
        prefix = {"scp": "SCP", "je": "JE", "grade": "Grade"}[self.scheme]
        if self.point is not None:
            return f"{prefix} {self.point}"
        return f"{prefix} {self.min}-{self.max}"


class Level(Ruled):
    slug: Slug
    order: int
    title: Text
    pcf_level: Literal["asye", "social-worker", "experienced", "advanced"] | None = None
    grade_label: str | None = None  # e.g. "HBC 7", "G9"
    pay: Pay | None = None


# --------------------------------------------------------------------------- eligibility


class CurrentLevel(Ruled):
    type: Literal["current-level"]
    levels: list[Slug] = Field(min_length=1)


class AsyeCompleted(Ruled):
    type: Literal["asye-completed"]
    required: bool = True


class QualifiedWithin(Ruled):
    """Qualification on or after ``anchor`` − ``months`` (anchor: ASYE start, else ``on``)."""

    type: Literal["qualified-within"]
    months: Months
    anchor: Literal["asye-start", "on"] = "asye-start"


class PriorAsye(Ruled):
    """An ASYE completed elsewhere refuses; a partial one is credited (not refused)."""

    type: Literal["prior-asye"]
    completed: Literal["refuse", "allow"] = "refuse"
    partial: Literal["credit", "refuse", "allow"] = "credit"


class Agency(Ruled):
    type: Literal["agency"]
    allowed: bool


class TeamTags(Ruled):
    """Team allow/deny/flag lists. ``unlisted``: what happens for a team on neither list."""

    type: Literal["team-tags"]
    allow_any: list[Slug] = Field(default_factory=list)
    deny_any: list[Slug] = Field(default_factory=list)
    flag_any: list[Slug] = Field(default_factory=list)
    unlisted: Literal["allow", "warn", "refuse"] = "allow"


class TimeSince(Ruled):
    """Time since registration/qualification, checked on the date asked (``at`` says which
    workflow date that is: submission or sitting).

    ``measure``: ``calendar`` (months, CONV-01, plus extended absences in days when
    ``add_extended_absences``) or ``pro-rata`` (FTE-weighted, CONV-05).
    ``from``: ``registration``, ``qualification`` or ``later-of-registration-and-practice-start``.
    ``unscheduled_sitting``: for month-only sittings, check against the last day of the month.
    """

    type: Literal["time-since"]
    from_: Literal[
        "registration", "qualification", "later-of-registration-and-practice-start"
    ] = Field(alias="from")
    months: Months
    measure: Literal["calendar", "pro-rata"] = "calendar"
    add_extended_absences: bool = False
    at: Literal["submission-date", "sitting-date", "on"] = "on"
    unscheduled_sitting: Literal["last-day-of-month"] | None = None


class RegistrationCurrent(Ruled):
    """SWE registration must not have lapsed on the date asked (person.registration_expires_on)."""

    type: Literal["registration-current"]


EligibilityCondition = Annotated[
    CurrentLevel
    | AsyeCompleted
    | QualifiedWithin
    | PriorAsye
    | Agency
    | TeamTags
    | TimeSince
    | RegistrationCurrent,
    Field(discriminator="type"),
]


class RouteOpening(Ruled):
    """Conditions to open a case on the route at all."""

    reason_required: bool = False
    reason_label: str | None = None  # e.g. "exceptional circumstances"
    team_tags_any: list[Slug] = Field(default_factory=list)


# --------------------------------------------------------------------------- ASYE programme


class ProgrammeLength(Ruled):
    full_time_months: PositiveInt | None = None
    part_time_months: PositiveInt | None = None
    # part time is decided by the FTE in force at the start (STOKE-10 reading)
    part_time_when: Literal["fte-below-1-at-start"] = "fte-below-1-at-start"
    # When ``part_time_months`` is not stated: ``no-end-date`` (ends_on unset, section 7) or
    # ``full-time-length`` (a part-time programme ends at start + full_time_months, the
    # NELC-04 reading).
    part_time_not_stated: Literal["full-time-length", "no-end-date"] = "no-end-date"


class Ceiling(Ruled):
    months: PositiveInt
    counts_credit: bool = True
    escalate_to: list[Role] = Field(default_factory=list)


class Credit(Ruled):
    allowed: bool = True
    minimum_total_months: PositiveInt | None = None
    decided_by: Role | None = None


class Extensions(Ruled):
    allowed: bool = True
    reason: str | None = None  # the policy's ground, as written
    approver_role: Role | None = None
    consulted_roles: list[Role] = Field(default_factory=list)
    within_ceiling: bool = True


class Deferrals(Ruled):
    reasons: list[Slug] = Field(default_factory=list)
    decided_by: Role | None = None
    consulted_roles: list[Role] = Field(default_factory=list)
    moves_ceiling: bool = False


class Induction(Ruled):
    length: Duration | None = None
    with_roles: list[Role] = Field(default_factory=list)
    allocation_warning: bool = False
    completion_recorded: bool = True
    deadline: Duration | None = None


class LearningAgreement(Ruled):
    due_within: Duration | None = None  # from the ASYE start; "within the first month" = 1 month
    signatories: list[Role] = Field(default_factory=list)
    convened_by: Role | None = None
    fields: list[Slug] = Field(default_factory=list)  # mandatory content
    conditional_fields: dict[Slug, list[Slug]] = Field(default_factory=dict)  # team tag -> fields


class OptionalReview(Node):
    month: PositiveInt
    waivable_by: Role
    reason_required: bool = True


class FinalReview(Node):
    """The final review or panel. ``month``: held at S + month; ``included_in_reviews``: the
    ``reviews`` answer lists it (NELC's 12-month review panel)."""

    month: PositiveInt | None = None
    kind: Literal["review", "panel"] = "review"
    included_in_reviews: bool = True
    last_review_held: bool = False  # "the final review is the last review held" (STOKE-15)


class Reviews(Ruled):
    full_time_months: list[PositiveInt] = Field(default_factory=list)
    part_time_months: list[PositiveInt] | None = None
    optional: list[OptionalReview] = Field(default_factory=list)
    attendees: list[Role] = Field(default_factory=list)
    held_when_signed_by: Role | None = None
    final: FinalReview | None = None
    during_extension: Literal["added-by-hand"] | None = None


class SupervisionBand(Node):
    start: Duration
    end: Duration | None = None  # None: open-ended
    frequency: Literal["weekly", "fortnightly", "monthly"]
    max_gap: Duration
    supervisor_roles: list[Role] = Field(default_factory=list)


class Supervision(Ruled):
    bands: list[SupervisionBand] = Field(min_length=1)
    after_last: Literal["weekly", "fortnightly", "monthly"] | None = None
    measured_on: Literal["calendar"] = "calendar"


class AttendanceSeries(Ruled):
    slug: Slug
    title: Text
    cadence: Literal["monthly", "weekly", "ad-hoc"] = "monthly"
    sessions: PositiveInt | None = None
    required: NonNegativeInt | None = None  # None with report_only: true
    approved_absence_reasons: list[Slug] = Field(default_factory=list)
    panel_override: bool = False  # extenuating circumstances, recorded reason
    report_only: bool = False
    run_by: list[Role] = Field(default_factory=list)

    @model_validator(mode="after")
    def _threshold(self) -> AttendanceSeries:
        if not self.report_only and self.required is None:
            raise ValueError("attendance needs 'required' unless 'report_only: true'")
        if (self.sessions is not None and self.required is not None
                and self.required > self.sessions):
            raise ValueError("'required' is more than 'sessions'")
        return self


class StudyDays(Ruled):
    max: PositiveInt
    approver_role: Role | None = None
    per: Literal["programme"] = "programme"


class MandatoryTraining(Ruled):
    items: list[Text] = Field(default_factory=list)
    configured_by: Role | None = None
    within: Duration | None = None
    monitored_at_reviews: bool = False


class CaseloadBreach(Ruled):
    report_to: list[Role] = Field(default_factory=list)
    timer_days: PositiveInt | None = None
    escalate_to: list[Role] = Field(default_factory=list)
    reported_by: Role | None = None


class Caseload(Ruled):
    """Absolute cap (``cap``) or relative (``percent_of_reference`` x ``reference_caseload``,
    floored); ``enforcement``: ``refuse`` blocks the allocation over the cap, ``warn`` warns."""

    cap: PositiveInt | None = None
    percent_of_reference: PositiveInt | None = None
    reference_caseload: PositiveInt | None = None  # council-set; None: not yet set
    unit: Literal["children", "families", "cases"] = "children"
    counts: Literal["allocated-worker"] = "allocated-worker"
    enforcement: Literal["refuse", "warn"] = "refuse"
    warn_roles: list[Role] = Field(default_factory=list)
    breach: CaseloadBreach | None = None

    @model_validator(mode="after")
    def _absolute_or_relative(self) -> Caseload:
        if (self.cap is None) == (self.percent_of_reference is None):
            raise ValueError("caseload needs exactly one of 'cap' or 'percent_of_reference'")
        return self

    def effective_cap(self) -> int | None:
        if self.cap is not None:
            return self.cap
        if self.reference_caseload is None or self.percent_of_reference is None:
            return None
        return (self.reference_caseload * self.percent_of_reference) // 100


GateMode = Literal[
    "refused", "co-work-only", "allowed-with-conditions", "allowed-with-agreement",
    "manager-decision", "allowed",
]


class GateStep(Node):
    """Applies while the review at ``before_review`` months is not held (None: until the gates
    lift). ``overridable``: a manager may allocate "outside of this policy" with a CWA."""

    before_review: PositiveInt | None = None
    mode: GateMode
    co_work_allowed: bool = True
    overridable: bool = False
    conditions: list[Text] = Field(default_factory=list)


class ComplexityGate(Ruled):
    kind: Slug
    qualifier: Slug | None = None
    steps: list[GateStep] = Field(min_length=1)
    conditions: list[Text] = Field(default_factory=list)  # shown on the allocation screen


class GatesLift(Node):
    review_month: PositiveInt
    requires_readiness: bool = True


class ComplexWorkAgreement(Ruled):
    parties: list[Role] = Field(default_factory=list)
    agreed_at: list[Literal["asye-review", "formal-meeting"]] = Field(default_factory=list)
    covers_kinds: bool = True
    records: list[Text] = Field(default_factory=list)
    ends_when: Literal["gates-lift"] = "gates-lift"


class Complexity(Ruled):
    kinds: list[Slug] = Field(default_factory=list)
    qualifiers: list[Slug] = Field(default_factory=list)
    lifts_when: GatesLift | None = None
    gates: list[ComplexityGate] = Field(default_factory=list)
    reallocation_on_change_to: list[Slug] = Field(default_factory=list)
    reallocation_task_role: Role | None = None
    complex_work_agreement: ComplexWorkAgreement | None = None
    unlisted_kind: Literal["allowed", "refused"] = "allowed"


class Programme(Ruled):
    """The ASYE programme of an ``asye`` route. Absent parts: not stated."""

    length: ProgrammeLength | None = None
    ceiling: Ceiling | None = None
    credit: Credit | None = None
    extensions: Extensions | None = None
    deferrals: Deferrals | None = None
    induction: Induction | None = None
    learning_agreement: LearningAgreement | None = None
    reviews: Reviews | None = None
    supervision: Supervision | None = None
    attendance: list[AttendanceSeries] = Field(default_factory=list)
    study_days: StudyDays | None = None
    mandatory_training: MandatoryTraining | None = None
    caseload: Caseload | None = None
    complexity: Complexity | None = None


# --------------------------------------------------------------------------- evidence


class RecencyTier(Node):
    within: Duration
    min: PositiveInt


class Words(Node):
    limit: PositiveInt
    hard: bool = False  # False: suggested (over it warns); True: hard maximum (over it refuses)
    per_item: bool = True


class Coverage(Node):
    """Framework coverage by the requirement's items together.

    ``items``: explicit item list, or ``allocated`` (the KSS allocated by a selection).
    ``severity``: ``block`` (checklist incomplete) or ``warn``.
    ``min_per_item``: how many of the requirement's evidence items must be tagged with each
    covered item (LINCS-09: at least 2 case examples per allocated KSS); default 1 (union).
    """

    framework: Literal["kss-child-family", "kss-adults", "pcf", "swe-standards"]
    items: list[int | str] | Literal["all", "allocated"] | None = None
    levels: list[Literal["asye", "social-worker", "experienced", "advanced"]] = Field(
        default_factory=list
    )
    severity: Literal["block", "warn"] = "block"
    min_per_item: PositiveInt = 1


class EvidenceCondition(Node):
    """When a requirement applies. Absent inputs: the condition is not evaluated (applies)."""

    after_asye_pass_months: PositiveInt | None = None  # submission later than pass + N months
    if_applicable: bool = False  # optional: never blocks
    qualified_before: dt.date | None = None
    qualified_on_or_after: dt.date | None = None
    flag: Slug | None = None  # a case flag, e.g. progression-requested


class EvidenceRequirement(Ruled):
    id: Slug
    kind: Slug
    title: str | None = None
    min: NonNegativeInt = 1
    max: PositiveInt | None = None
    author_roles: list[Role] = Field(default_factory=list)  # alternatives
    observer_roles: list[Role] = Field(default_factory=list)  # alternatives
    per_item_roles: list[list[Role]] = Field(default_factory=list)  # distinct role per item
    signatory_roles: list[Role] = Field(default_factory=list)  # all must sign
    # One of these roles signs each item off (alternatives, e.g. NELC-27's "approved
    # signatory"); an evidence item's ``by_role`` then names its signatory.
    any_signatory_roles: list[Role] = Field(default_factory=list)
    excluded_roles: list[Role] = Field(default_factory=list)
    excluded: list[Literal["on-active-asye", "case-role-holder"]] = Field(default_factory=list)
    registration_required: bool = False
    recency: list[RecencyTier] = Field(default_factory=list)
    before: Literal["submission", "final-panel", "twelve-month-review"] | None = None
    words: Words | None = None
    coverage: list[Coverage] = Field(default_factory=list)
    anonymisation_attestation: bool = False
    template: str | None = None
    mandatory_fields: list[Slug] = Field(default_factory=list)
    # Tags offered when an item is recorded ("including but not limited to": any other text
    # is allowed, HALTON-19). Display and workflow only; the checklist ignores them.
    suggested_tags: list[Text] = Field(default_factory=list)
    topic: str | None = None
    condition: EvidenceCondition | None = None
    consent_recorded: bool = False
    # A panel that assesses the item itself (NELC-30's 3-person presentation panel), separate
    # from the route's decision panel. Display and workflow only; the checklist ignores it.
    assessed_by_panel: list[PanelMember] = Field(default_factory=list)

    @model_validator(mode="after")
    def _counts(self) -> EvidenceRequirement:
        if self.max is not None and self.max < self.min:
            raise ValueError("'max' is less than 'min'")
        if self.per_item_roles and len(self.per_item_roles) > max(self.min, 1):
            raise ValueError("'per_item_roles' lists more items than 'min'")
        return self


class SelectionPart(Node):
    method: Literal["worker-choice", "random-by-role", "chosen-by-lead-assessor", "chosen-by-role"]
    count: PositiveInt
    role: Role | None = None


class Selection(Ruled):
    """Which items a requirement uses.

    Case selections: ``parts`` (worker-choice then random-by-role excluding those chosen ...).
    Framework allocation (method ``allocated``): ``mandatory`` + ``count`` drawn from ``pool``.
    ``verified_items``: framework items verified by ``verified_by`` roles instead of evidenced.
    """

    id: Slug
    subject: Literal["case-files", "cases", "framework-items"]
    pool: Literal["current-caseload", "framework"] = "current-caseload"
    parts: list[SelectionPart] = Field(default_factory=list)
    method: Literal["allocated"] | None = None
    framework: Literal["kss-child-family", "pcf"] | None = None
    mandatory: list[int | str] = Field(default_factory=list)
    from_pool: list[int | str] = Field(default_factory=list)
    count: NonNegativeInt | None = None
    chosen_by: Role | None = None
    may_draw_randomly: bool = False
    worker_excluded: bool = False
    verified_items: list[int | str] = Field(default_factory=list)
    verified_by: list[Role] = Field(default_factory=list)
    not_allocated_marked: Literal["n/a"] | None = None
    audited: bool = True


class Signoff(Ruled):
    role: Role
    alternatives: list[Role] = Field(default_factory=list)
    action: Literal[
        "signs", "supports", "approves", "endorses", "verifies", "recommends", "acknowledges",
        "checks", "confirms",
    ]
    subject: str | None = None  # e.g. "portfolio", "expression-of-intent", "rcr"
    order: PositiveInt | None = None
    blocks: Literal["booking", "submission", "listing", "decision", "approval", "eoi"]
    condition: EvidenceCondition | None = None


class Reminder(Node):
    before: Duration


class ExpressionOfIntent(Ruled):
    author_role: Role = "social-worker"
    support_role: Role | None = None
    approver_role: Role | None = None
    decline_allowed: bool = True
    commitment: Duration | None = None  # from approval
    reminders: list[Reminder] = Field(default_factory=list)
    overdue_flag: bool = True
    lapses: bool = False


class LeadAssessor(Ruled):
    eligible_roles: list[Role] = Field(min_length=1)
    appointed_by: Role | None = None
    initial_meeting_required: bool = True
    initial_meeting_attendees: list[Role] = Field(default_factory=list)
    initial_meeting_covers: list[Text] = Field(default_factory=list)
    meeting_frequency: str | None = None


# --------------------------------------------------------------------------- calendar, QA, panels


class DayMonth(Node):
    month: int = Field(ge=1, le=12)
    day: int = Field(ge=1, le=31)


class NthWeekday(Node):
    n: int = Field(ge=1, le=5)
    weekday: Literal["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
    months: list[int] = Field(min_length=1)


class SoftDeadline(Ruled):
    before: Duration
    to_role: Role
    blocking: bool = False


class Calendar(Ruled):
    """When portfolios are submitted or panels sit.

    ``kind``: ``fixed-dates`` (``dates``), ``nth-weekday`` (``nth_weekday``), ``month-only``
    (``months``; CONV-06), ``admin-scheduled`` (``per_year`` e.g. quarterly: 4), ``after-qa``
    or ``none``. ``what``: whether the dates are submission dates or panel sittings.
    """

    kind: Literal["fixed-dates", "nth-weekday", "month-only", "admin-scheduled", "after-qa",
                  "end-of-programme", "none"]
    what: Literal["submission", "panel"] = "submission"
    dates: list[DayMonth] = Field(default_factory=list)
    nth_weekday: NthWeekday | None = None
    months: list[int] = Field(default_factory=list)
    per_year: PositiveInt | None = None
    additional_sittings: bool = False
    weekend_policy: Literal["as-written"] | None = "as-written"
    soft_deadline: SoftDeadline | None = None
    submission_date: Literal["calendar", "per-booking"] = "calendar"
    submission_late: Literal["refused-unless-reopened", "next-window"] | None = None
    timing_agreed_by: Role | None = None

    @model_validator(mode="after")
    def _kind_fields(self) -> Calendar:
        if self.kind == "fixed-dates" and not self.dates:
            raise ValueError("kind fixed-dates needs 'dates'")
        if self.kind == "nth-weekday" and self.nth_weekday is None:
            raise ValueError("kind nth-weekday needs 'nth_weekday'")
        if self.kind == "month-only" and not self.months:
            raise ValueError("kind month-only needs 'months'")
        for m in self.months + (self.nth_weekday.months if self.nth_weekday else []):
            if not 1 <= m <= 12:
                raise ValueError(f"month {m} does not exist (1-12)")
        return self


class QaStage(Ruled):
    slug: Slug
    title: str | None = None
    order: PositiveInt
    roles: list[Role] = Field(default_factory=list)
    blocking: bool = True  # False: report only
    partner: str | None = None


class Scoring(Ruled):
    elements: list[Text] = Field(default_factory=list)
    scale: list[str] | None = None
    pass_mark: str | None = None
    scorer_role: Role | None = None
    all_scored_before_listing: bool = True
    report_and_recommendation: bool = True


class PanelMember(Node):
    role: Role
    count: PositiveInt = 1
    optional: bool = False
    note: str | None = None


class Panel(Ruled):
    name: Text
    members: list[PanelMember] = Field(default_factory=list)
    chair_role: Role | None = None
    chair_designated_by_admin: bool = False
    co_optable: list[Role] = Field(default_factory=list)
    independence: Literal["none", "case-roles"] = "none"
    format: Literal["virtual", "in-person"] | None = None
    worker_attends: Literal["expected", "presents", "optional", "not-stated"] | None = None
    listing_requires: list[Text] = Field(default_factory=list)


# --------------------------------------------------------------------------- outcomes, appeals


class OutcomeReason(Node):
    code: Slug
    text_required: bool = False
    label: str | None = None


class Task(Node):
    slug: Slug
    title: Text
    roles: list[Role] = Field(min_length=1)


class Vacancy(Node):
    required: bool = True
    review_after: Duration | None = None  # from the panel date


class Reapply(Node):
    after: Duration | None = None  # None: no wait (or not stated)
    from_: Literal["decision-date"] = Field(default="decision-date", alias="from")


class Effect(Node):
    """What an outcome does. ``to_level`` None: the level does not change."""

    to_level: Slug | None = None
    pay: Pay | None = None
    effective_date: Literal["sitting-date", "decision-date", "appointment-date", "unset"] = "unset"
    records: list[Literal["asye-completed", "certificate"]] = Field(default_factory=list)
    vacancy: Vacancy | None = None
    reapply: Reapply | None = None
    tasks: list[Task] = Field(default_factory=list)
    pay_change_assigned_to: list[Role] = Field(default_factory=list)


class OutcomePrecondition(Node):
    after_outcome: Slug | None = None  # e.g. fail only after a refer conclusion
    flag: Slug | None = None  # e.g. progression-requested
    flag_absent: Slug | None = None
    qa_recorded: bool = False


class Outcome(Ruled):
    slug: Slug
    label: str | None = None
    reasons: list[OutcomeReason] = Field(default_factory=list)
    reason_required: bool = False
    # a reason is required only when this case flag is set (HALTON-07: without
    # progression-requested, pass-asye-only needs no reason)
    reason_required_when_flag: Slug | None = None
    preconditions: OutcomePrecondition | None = None
    effect: Effect = Field(default_factory=Effect)
    decided_by: Role | None = None


class Deadline(Node):
    """``hours`` (clock hours, CONV-03), ``working_days`` (CONV-02) or ``days`` (calendar)."""

    hours: PositiveInt | None = None
    working_days: PositiveInt | None = None
    days: PositiveInt | None = None
    anchor: str | None = None  # e.g. decision-received, letter-sent, panel-close, appeal-received

    @model_validator(mode="after")
    def _one(self) -> Deadline:
        if sum(x is not None for x in (self.hours, self.working_days, self.days)) != 1:
            raise ValueError("a deadline needs exactly one of hours, working_days, days")
        return self


class Notification(Ruled):
    event: Slug
    notifier_role: Role | None = None
    recipients: list[Role] = Field(default_factory=list)
    channel: Literal["email", "letter", "letter-by-email", "in-app"] | None = None
    address: str | None = None  # where the message goes, as written (a mailbox)
    deadline: Deadline | None = None
    fallback_role: Role | None = None


class AppealPanel(Ruled):
    setup_deadline: Deadline | None = None
    set_up_by: Role | None = None
    members: list[PanelMember] = Field(default_factory=list)
    chair_role: Role | None = None
    independent_of_case: bool = False
    appellant_attendance: str | None = None
    decision_deadline: Deadline | None = None


class Appeal(Ruled):
    slug: Slug
    trigger: Literal["panel-decision", "manager-refusal"]
    against_outcomes: list[Slug] = Field(default_factory=list)  # empty: any outcome
    grounds: Literal["process-only", "any"] | None = None
    reasons_required: bool = True
    form: Literal["in-writing"] | None = "in-writing"
    deadline: Deadline | None = None
    addressee_role: Role | None = None
    final: bool | None = None
    results: list[Slug] = Field(default_factory=lambda: ["upheld", "dismissed"])
    panel: AppealPanel | None = None


class Escalation(Ruled):
    """A timer. ``trigger``: ``after-qualification`` (N after qualification without a panel
    hearing), ``programme-ceiling``, ``rolling`` (PE currency), ``caseload-breach``,
    ``reasonable-period`` (unset duration: report only)."""

    slug: Slug
    trigger: Literal[
        "after-qualification", "programme-ceiling", "rolling", "caseload-breach",
        "reasonable-period", "eoi-commitment",
    ]
    after: Duration | None = None
    anchor: str | None = None
    unless: str | None = None
    below_level: Slug | None = None
    notify_roles: list[Role] = Field(default_factory=list)
    task_title: str | None = None
    reminder_before: Duration | None = None
    route: Slug | None = None


class EvidenceRetention(Ruled):
    """Who keeps the case evidence and when it is locked (NELC-37 "in case of appeal").

    ``locked_at``: the event after which evidence cannot be changed; ``keep_while``: states in
    which it cannot be deleted (``appeal-window-open``: before the route's appeal deadline;
    ``appeal-pending``: an appeal lodged and not yet decided).
    """

    kept_by_role: Role | None = None
    locked_at: Literal["submission"] = "submission"
    keep_while: list[Literal["appeal-window-open", "appeal-pending"]] = Field(default_factory=list)


class Route(Ruled):
    slug: Slug
    title: Text
    kind: Literal["asye", "progression"] = "progression"
    from_level: Slug
    to_level: Slug | None = None  # None: no level change (or chosen per outcome)
    target_levels: list[Slug] = Field(default_factory=list)  # outcome-dependent targets
    opening: RouteOpening | None = None
    eligibility: list[EligibilityCondition] = Field(default_factory=list)
    programme: Programme | None = None
    expression_of_intent: ExpressionOfIntent | None = None
    lead_assessor: LeadAssessor | None = None
    evidence: list[EvidenceRequirement] = Field(default_factory=list)
    selections: list[Selection] = Field(default_factory=list)
    signoffs: list[Signoff] = Field(default_factory=list)
    calendar: Calendar | None = None
    qa_stages: list[QaStage] = Field(default_factory=list)
    scoring: Scoring | None = None
    panel: Panel | None = None
    outcomes: list[Outcome] = Field(default_factory=list)
    appeals: list[Appeal] = Field(default_factory=list)
    notifications: list[Notification] = Field(default_factory=list)
    flags: list[Slug] = Field(default_factory=list)  # case flags, e.g. progression-requested
    guidance: list[Text] = Field(default_factory=list)
    evidence_retention: EvidenceRetention | None = None

    @model_validator(mode="after")
    def _unique_children(self) -> Route:
        _unique([e.id for e in self.evidence], "evidence id")
        _unique([o.slug for o in self.outcomes], "outcome slug")
        _unique([a.slug for a in self.appeals], "appeal slug")
        _unique([s.id for s in self.selections], "selection id")
        _unique([q.slug for q in self.qa_stages], "QA stage slug")
        return self

    def outcome(self, slug: str) -> Outcome | None:
        for o in self.outcomes:
            if o.slug == slug:
                return o
        return None


class MatrixCategory(Node):
    slug: Slug
    levels: dict[Slug, list[str]]


class AllocationMatrix(Ruled):
    advisory: bool = True
    categories: list[MatrixCategory] = Field(default_factory=list)
    complexity_questions: list[Text] = Field(default_factory=list)
    shows: Literal["own-level-row"] = "own-level-row"


def _unique(values: list[str], what: str) -> None:
    seen: set[str] = set()
    for v in values:
        if v in seen:
            raise ValueError(f"duplicate {what} {v!r}")
        seen.add(v)


class RulePack(Node):
    """A council's rule pack (the root of the YAML file)."""

    council: CouncilMeta
    version: Annotated[str, Field(min_length=1, max_length=40)]
    effective_from: dt.date
    frameworks: list[Literal["kss-child-family", "kss-adults", "pcf", "swe-standards"]] = Field(
        default_factory=list
    )
    rules: list[RuleEntry] = Field(min_length=1)
    levels: list[Level] = Field(min_length=1)
    routes: list[Route] = Field(default_factory=list)
    escalations: list[Escalation] = Field(default_factory=list)
    allocation_matrix: AllocationMatrix | None = None
    roles: list[Role] = Field(default_factory=list)  # extra council-specific role slugs


    @model_validator(mode="after")
    def _cross_checks(self, info: ValidationInfo) -> RulePack:
        # The loader defers these to map each problem to its own line (check_pack).
        if not (info.context or {}).get("defer_cross_checks"):
            problems = check_pack(self)
            if problems:
                raise ValueError("; ".join(f"{_dotted(p.loc)}: {p.message}" for p in problems))
        return self

    # Lookups used by the engine (plain attribute access; no validation on the hot path).
    def route(self, slug: str) -> Route:
        for r in self.routes:
            if r.slug == slug:
                return r
        raise KeyError(f"{self.council.slug} has no route {slug!r}")

    def level(self, slug: str) -> Level:
        for lv in self.levels:
            if lv.slug == slug:
                return lv
        raise KeyError(f"{self.council.slug} has no level {slug!r}")

    def rule_ids(self) -> list[str]:
        return [r.id for r in self.rules]


class PackCheckError(ValueError):
    """A cross-field problem, with the field path (tuple) it concerns."""

    def __init__(self, loc: tuple[Any, ...], message: str) -> None:
        super().__init__(message)
        self.loc = loc
        self.message = message


def _walk(obj: Any, loc: tuple[Any, ...] = ()):
    """Yield (loc, node) for every schema node under ``obj``."""
    if isinstance(obj, BaseModel):
        yield loc, obj
        for name in type(obj).model_fields:
            value = getattr(obj, name)
            field = type(obj).model_fields[name]
            key = field.alias or name
            yield from _walk(value, (*loc, key))
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            yield from _walk(v, (*loc, i))
    elif isinstance(obj, dict):
        for k, v in obj.items():
            yield from _walk(v, (*loc, k))


def _dotted(loc: tuple[Any, ...]) -> str:
    return ".".join(str(x) for x in loc)


def check_pack(pack: RulePack) -> list[PackCheckError]:
    """Cross-field checks; returns every problem with the field path it concerns."""
    problems: list[PackCheckError] = []
    # rule catalogue
    seen: dict[str, int] = {}
    for i, entry in enumerate(pack.rules):
        if entry.id in seen:
            problems.append(PackCheckError(
                ("rules", i, "id"),
                f"duplicate rule ID {entry.id!r} (also rules[{seen[entry.id]}])"))
        seen.setdefault(entry.id, i)
    known_rules = set(seen)
    levels = {lv.slug for lv in pack.levels}
    seen_levels: set[str] = set()
    for i, lv in enumerate(pack.levels):
        if lv.slug in seen_levels:
            problems.append(PackCheckError(("levels", i, "slug"), f"duplicate level {lv.slug!r}"))
        seen_levels.add(lv.slug)
    route_slugs: set[str] = set()
    for i, r in enumerate(pack.routes):
        if r.slug in route_slugs:
            problems.append(PackCheckError(("routes", i, "slug"), f"duplicate route {r.slug!r}"))
        route_slugs.add(r.slug)
    extra_roles = set(pack.roles)
    for loc, node in _walk(pack):
        if isinstance(node, Ruled):
            for j, rid in enumerate(node.rules):
                if rid not in known_rules and not rid.startswith("CONV-"):
                    problems.append(PackCheckError(
                        (*loc, "rules", j),
                        f"rule ID {rid!r} is not in the pack's 'rules' catalogue"))
        for name, field in type(node).model_fields.items():
            key = field.alias or name
            value = getattr(node, name)
            if name.endswith("role") or name.endswith("roles") or name in (
                "alternatives", "chosen_by", "approver_role", "decided_by", "appointed_by",
                "verified_by", "to_role", "set_up_by", "escalate_to", "report_to",
                "reported_by", "run_by", "with_roles", "parties", "signatories", "attendees",
                "convened_by", "waivable_by", "held_when_signed_by", "co_optable",
                "notify_roles", "recipients", "pay_change_assigned_to", "eligible_roles",
                "initial_meeting_attendees", "per_item_roles", "excluded_roles",
            ):
                flat: list[Any] = []
                if isinstance(value, str):
                    flat = [value]
                elif isinstance(value, list):
                    for v in value:
                        flat.extend(v if isinstance(v, list) else [v])
                for role in flat:
                    if isinstance(role, str) and role not in ROLE_SLUGS and role not in extra_roles:
                        problems.append(PackCheckError(
                            (*loc, key),
                            f"unknown role {role!r}; use a domain.md section 5 role slug "
                            "or declare it in the pack's 'roles'"))
        if isinstance(node, Route):
            for name in ("from_level", "to_level"):
                v = getattr(node, name)
                if v is not None and v not in levels:
                    problems.append(PackCheckError((*loc, name), f"unknown level {v!r} in route "
                                                   f"{node.slug!r}; levels are {sorted(levels)}"))
            for j, v in enumerate(node.target_levels):
                if v not in levels:
                    problems.append(PackCheckError((*loc, "target_levels", j),
                                                   f"unknown level {v!r}"))
        if isinstance(node, CurrentLevel):
            for j, v in enumerate(node.levels):
                if v not in levels:
                    problems.append(PackCheckError((*loc, "levels", j), f"unknown level {v!r}"))
        if isinstance(node, Effect) and node.to_level is not None and node.to_level not in levels:
            problems.append(PackCheckError((*loc, "to_level"), f"unknown level {node.to_level!r}"))
        if isinstance(node, Escalation) and node.below_level and node.below_level not in levels:
            problems.append(PackCheckError((*loc, "below_level"),
                                           f"unknown level {node.below_level!r}"))
        if isinstance(node, Escalation) and node.route and node.route not in route_slugs:
            problems.append(PackCheckError((*loc, "route"), f"unknown route {node.route!r}"))
        if isinstance(node, MatrixCategory):
            for lv in node.levels:
                if lv not in levels:
                    problems.append(PackCheckError((*loc, "levels", lv), f"unknown level {lv!r}"))
        if isinstance(node, Coverage) and isinstance(node.items, list):
            for j, item in enumerate(node.items):
                try:
                    fw.check_framework_item(node.framework, item)
                except ValueError as exc:
                    problems.append(PackCheckError((*loc, "items", j), str(exc)))
        if isinstance(node, Selection) and node.framework:
            for key in ("mandatory", "from_pool", "verified_items"):
                for j, item in enumerate(getattr(node, key)):
                    try:
                        fw.check_framework_item(node.framework, item)
                    except ValueError as exc:
                        problems.append(PackCheckError((*loc, key, j), str(exc)))
        if isinstance(node, Selection) and node.method == "allocated":
            if node.count is not None and node.count > len(node.from_pool):
                problems.append(PackCheckError((*loc, "count"),
                                               "count is larger than the pool 'from_pool'"))
    return problems
