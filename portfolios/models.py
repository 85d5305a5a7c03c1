"""Progression cases, their portfolios, evidence, sign-offs and submissions.

Every requirement comes from the case's rule pack version (``ProgressionCase.pack_version``:
a case keeps the version it started under) through the pure engine; nothing here names a
council. All rows are council-owned and scoped (django-scopes). State changes happen only in
``portfolios.services`` (locked, validated, audited); models hold data and its constraints.
"""

from __future__ import annotations

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from councils.models import CouncilOwned, Membership, RulePackVersion, User, slug_validator

sitting_validator = RegexValidator(
    r"^\d{4}-(0[1-9]|1[0-2])(-\d{2})?$",
    "Enter the sitting as a date (YYYY-MM-DD) or a month (YYYY-MM).",
)


class CaseStatus(models.TextChoices):
    """Where a case stands. ``TRANSITIONS`` is the one table of allowed moves."""

    AWAITING_SUPPORT = "awaiting-support", "Expression of intent awaiting support"
    AWAITING_APPROVAL = "awaiting-approval", "Expression of intent awaiting approval"
    DECLINED = "declined", "Support declined"
    BUILDING = "building", "Building the portfolio"
    SUBMITTED = "submitted", "Submitted"
    RETURNED = "returned", "Returned for more work"
    CLOSED = "closed", "Closed"


TRANSITIONS: dict[str, frozenset[str]] = {
    CaseStatus.AWAITING_SUPPORT: frozenset({CaseStatus.AWAITING_APPROVAL, CaseStatus.DECLINED,
                                            CaseStatus.CLOSED}),
    CaseStatus.AWAITING_APPROVAL: frozenset({CaseStatus.BUILDING, CaseStatus.CLOSED}),
    CaseStatus.DECLINED: frozenset({CaseStatus.AWAITING_SUPPORT, CaseStatus.CLOSED}),
    CaseStatus.BUILDING: frozenset({CaseStatus.SUBMITTED, CaseStatus.CLOSED}),
    CaseStatus.SUBMITTED: frozenset({CaseStatus.RETURNED, CaseStatus.CLOSED}),
    CaseStatus.RETURNED: frozenset({CaseStatus.BUILDING, CaseStatus.CLOSED}),
    CaseStatus.CLOSED: frozenset(),
}


def can_transition(current: str, new: str) -> bool:
    return new in TRANSITIONS.get(current, frozenset())


class ProgressionCase(CouncilOwned):
    """One worker's journey along one route of the council's pack."""

    worker = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="cases")
    route_slug = models.CharField(max_length=80, validators=[slug_validator])
    pack_version = models.ForeignKey(RulePackVersion, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=30, choices=CaseStatus.choices)
    flags = models.JSONField(default=list, blank=True,
                             help_text="Case flags of the route, e.g. progression-requested.")
    opening_reason = models.TextField(blank=True)
    allocated_kss = models.JSONField(default=list, blank=True)
    kss_draw = models.JSONField(default=dict, blank=True,
                                help_text="pool, seed, chosen, by (user id), at (ISO time).")
    case_file_draw = models.JSONField(default=dict, blank=True)
    intended_submission_on = models.DateField(null=True, blank=True)
    sitting = models.CharField(max_length=10, blank=True, validators=[sitting_validator],
                               help_text="Booked sitting: a date or a month (YYYY-MM).")
    submission_due_on = models.DateField(null=True, blank=True)
    lead_assessor = models.ForeignKey(Membership, on_delete=models.PROTECT, null=True,
                                      blank=True, related_name="assessed_cases")
    opened_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-opened_at"]
        indexes = [models.Index(fields=["council", "worker"])]

    def __str__(self) -> str:
        return f"{self.route_slug} case of {self.worker.user}"


class SupportDecision(models.TextChoices):
    SUPPORTED = "supported", "Supported"
    DECLINED = "declined", "Declined"


class ExpressionOfIntent(CouncilOwned):
    """Written by the worker, supported (or declined) by the line manager with reasons, then
    approved by the team manager, in that order (roles from the pack)."""

    case = models.OneToOneField(ProgressionCase, on_delete=models.PROTECT,
                                related_name="expression_of_intent")
    statement = models.TextField()
    written_at = models.DateTimeField(default=timezone.now)
    support_decision = models.CharField(max_length=20, choices=SupportDecision.choices,
                                        blank=True)
    support_reasons = models.TextField(blank=True)
    supported_by = models.ForeignKey(Membership, on_delete=models.PROTECT, null=True,
                                     blank=True, related_name="+")
    supported_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(Membership, on_delete=models.PROTECT, null=True,
                                    blank=True, related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)
    portfolio_due_on = models.DateField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Expression of intent for {self.case}"


class Portfolio(CouncilOwned):
    """A numbered version of a case's portfolio. A returned portfolio gets a new version; old
    versions stay readable."""

    case = models.ForeignKey(ProgressionCase, on_delete=models.PROTECT, related_name="portfolios")
    number = models.PositiveSmallIntegerField()
    opened_at = models.DateTimeField(default=timezone.now)
    is_current = models.BooleanField(default=True)

    class Meta:
        ordering = ["case", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["case", "number"], name="portfolio_unique_number"),
            models.UniqueConstraint(fields=["case"], condition=Q(is_current=True),
                                    name="portfolio_one_current_per_case"),
        ]

    def __str__(self) -> str:
        return f"Portfolio version {self.number}"


class EvidenceItem(CouncilOwned):
    """A file or a written statement in one portfolio version."""

    portfolio = models.ForeignKey(Portfolio, on_delete=models.PROTECT, related_name="items")
    kind = models.CharField(max_length=60, validators=[slug_validator])
    topic = models.CharField(max_length=60, blank=True)
    title = models.CharField(max_length=200)
    practice_on = models.DateField("date of the practice it shows")
    kss = models.JSONField(default=list, blank=True)
    pcf = models.JSONField(default=list, blank=True)
    framework_versions = models.JSONField(default=dict, blank=True,
                                          help_text="Framework slug -> version mapped against.")
    by_role = models.CharField(max_length=40, blank=True,
                               help_text="Role of the author, observer or signatory.")
    filled_fields = models.JSONField(default=list, blank=True)
    anonymised = models.BooleanField(null=True, blank=True)
    statement = models.TextField(blank=True)
    words = models.PositiveIntegerField(null=True, blank=True)
    file = models.FileField(max_length=200, blank=True)
    original_name = models.CharField(max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveBigIntegerField(null=True, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    consent_worker = models.BooleanField(default=False)
    consent_observed = models.BooleanField(default=False)
    consent_note = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["kind", "practice_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(file="") & ~Q(statement="")) | (~Q(file="") & Q(statement="")),
                name="evidence_file_xor_statement",
                violation_error_message="An item is either a file or a written statement.",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_file(self) -> bool:
        return bool(self.file)


class SignOff(CouncilOwned):
    """A signature given to the exact content seen (``digest``). Changing that content voids
    the sign-off, visibly (``voided_at`` and ``void_reason``)."""

    portfolio = models.ForeignKey(Portfolio, on_delete=models.PROTECT, related_name="signoffs")
    role = models.CharField(max_length=40)
    action = models.CharField(max_length=30)
    subject = models.CharField(max_length=80)
    rules = models.CharField(max_length=200, blank=True)
    signer = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    digest = models.CharField(max_length=64)
    covers_content = models.BooleanField(
        default=True, help_text="False for decisions taken before the portfolio exists "
                                "(readiness before booking): later evidence does not void them.")
    comment = models.TextField(blank=True)
    signed_at = models.DateTimeField(default=timezone.now)
    voided_at = models.DateTimeField(null=True, blank=True)
    void_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["signed_at", "id"]

    def __str__(self) -> str:
        return f"{self.role} {self.action} {self.subject}"


class Submission(CouncilOwned):
    """A frozen manifest of a portfolio version: items and their digests."""

    portfolio = models.OneToOneField(Portfolio, on_delete=models.PROTECT,
                                     related_name="submission")
    number = models.PositiveSmallIntegerField()
    manifest = models.JSONField()
    manifest_digest = models.CharField(max_length=64)
    submit_for = models.CharField(max_length=10, help_text="Window date or booked sitting.")
    submitted_at = models.DateTimeField(default=timezone.now)
    submitted_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    anonymisation_attested = models.BooleanField(default=False)
    returned_at = models.DateTimeField(null=True, blank=True)
    return_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-submitted_at"]

    def __str__(self) -> str:
        return f"Submission {self.number}"
