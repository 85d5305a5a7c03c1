"""Panel sittings, agendas, quality assurance and scoring, decisions and their records, the
pay-change ledger with its HR export batches, and appeals.

Every row is council-owned and scoped (django-scopes). What a council allows (outcomes,
reasons, QA stages, scoring elements, appeal deadlines, effects) comes from the case's rule
pack version through the engine; nothing here names a council. State changes happen only in
``panels.services`` (locked, validated, audited).
"""

from __future__ import annotations

import datetime as dt

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from councils.models import CouncilOwned, Membership, User, slug_validator
from portfolios.models import ProgressionCase

month_validator = RegexValidator(r"^\d{4}-(0[1-9]|1[0-2])$", "Enter the month as YYYY-MM.")


class PanelSitting(CouncilOwned):
    """One sitting of a council's decision panel for one or more routes.

    A sitting is dated (``sitting_on``) or, while the administrator has not fixed the date,
    named by its month only (``month``: "YYYY-MM", shown "April 2027 (date to be set)",
    CONV-06). ``closed_at`` is when the panel closed: letters run from it (LINCS-23, CONV-03).
    """

    name = models.CharField(max_length=200)
    routes = models.JSONField(default=list, help_text="Route slugs of the pack heard here.")
    sitting_on = models.DateField(null=True, blank=True)
    month = models.CharField(max_length=7, blank=True, validators=[month_validator])
    additional = models.BooleanField(default=False,
                                     help_text="An extra sitting beyond the pack's cadence.")
    chair = models.ForeignKey(Membership, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="chaired_sittings")
    closed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-sitting_on", "-month", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(sitting_on__isnull=True, month=""),
                name="sitting_dated_or_month",
                violation_error_message="Give the sitting a date or at least its month.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}, {self.when_label}"

    @property
    def when_label(self) -> str:
        if self.sitting_on is not None:
            return f"{self.sitting_on:%-d %B %Y}"
        year, month = (int(x) for x in self.month.split("-"))
        return f"{dt.date(year, month, 1):%B %Y} (date to be set)"


class PanelMember(CouncilOwned):
    """A member of a sitting in a panel role of the pack (the chair is a member too)."""

    sitting = models.ForeignKey(PanelSitting, on_delete=models.CASCADE, related_name="members")
    membership = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=40, validators=[slug_validator])

    class Meta:
        ordering = ["role", "id"]
        constraints = [models.UniqueConstraint(fields=["sitting", "membership"],
                                               name="panel_member_once_per_sitting")]

    def __str__(self) -> str:
        return f"{self.role} on {self.sitting_id}"


class AgendaItem(CouncilOwned):
    """A case listed on a sitting (only once submitted and the pack's listing conditions
    hold; ``panels.services.agenda_list_case``)."""

    sitting = models.ForeignKey(PanelSitting, on_delete=models.PROTECT, related_name="agenda")
    case = models.ForeignKey(ProgressionCase, on_delete=models.PROTECT, related_name="+")
    listed_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    listed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["listed_at", "id"]
        constraints = [models.UniqueConstraint(fields=["sitting", "case"],
                                               name="agenda_case_once_per_sitting")]

    def __str__(self) -> str:
        return f"Case {self.case_id} on sitting {self.sitting_id}"


class QARecord(CouncilOwned):
    """A quality-assurance or moderation stage of the pack recorded for a case (DERBY-06:
    ``iqap`` then ``eqap``; NELC-17 moderation, report only)."""

    case = models.ForeignKey(ProgressionCase, on_delete=models.PROTECT, related_name="+")
    stage = models.CharField(max_length=60, validators=[slug_validator])
    note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["recorded_at", "id"]
        constraints = [models.UniqueConstraint(fields=["case", "stage"],
                                               name="qa_stage_once_per_case")]

    def __str__(self) -> str:
        return f"{self.stage} for case {self.case_id}"


class ScoreRecord(CouncilOwned):
    """The lead assessor's score of one scoring element of the pack (NELC-36)."""

    case = models.ForeignKey(ProgressionCase, on_delete=models.PROTECT, related_name="+")
    element = models.CharField(max_length=200)
    score = models.CharField(max_length=40)
    recorded_by = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["recorded_at", "id"]
        constraints = [models.UniqueConstraint(fields=["case", "element"],
                                               name="score_once_per_element")]

    def __str__(self) -> str:
        return f"{self.element}: {self.score}"


class Decision(CouncilOwned):
    """A panel decision, issued once by the sitting's chair and never edited. A correction
    is a new Decision that ``supersedes`` it, with a reason; exactly one decision per case is
    current (database constraint). Effects are copied from the engine at issue time."""

    case = models.ForeignKey(ProgressionCase, on_delete=models.PROTECT, related_name="+")
    sitting = models.ForeignKey(PanelSitting, on_delete=models.PROTECT,
                                related_name="decisions")
    outcome = models.CharField(max_length=40, validators=[slug_validator])
    outcome_label = models.CharField(max_length=200)
    rules = models.CharField(max_length=200, blank=True)
    reason_code = models.CharField(max_length=60, blank=True)
    reason_text = models.TextField(blank=True)
    decided_on = models.DateField()
    received_on = models.DateField(help_text="When the worker received the decision "
                                             "(appeal deadlines run from it).")
    issued_by = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField(default=timezone.now)
    is_current = models.BooleanField(default=True)
    supersedes = models.OneToOneField("self", on_delete=models.PROTECT, null=True, blank=True,
                                      related_name="superseded_by")
    correction_reason = models.TextField(blank=True)
    # The effect, as the engine answered it (decision_effect).
    from_level = models.CharField(max_length=60, blank=True)
    to_level = models.CharField(max_length=60, blank=True)
    pay_point = models.CharField(max_length=60, blank=True)
    effective_rule = models.CharField(max_length=30, blank=True)
    effective_on = models.DateField(null=True, blank=True)
    reapply_from = models.DateField(null=True, blank=True)
    awaiting_vacancy = models.BooleanField(default=False)
    vacancy_review_on = models.DateField(null=True, blank=True)
    tasks = models.JSONField(default=list, blank=True)
    # A referral (STOKE-49) stays open until its conclusion is recorded.
    referral_conclusion = models.TextField(blank=True)
    referral_concluded_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-issued_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["case"], condition=Q(is_current=True),
                                    name="decision_one_current_per_case",
                                    violation_error_message="The case already has a current "
                                                            "decision; correct it instead."),
        ]

    def __str__(self) -> str:
        return f"{self.outcome_label} ({self.decided_on:%-d %B %Y})"


class DecisionRecord(CouncilOwned):
    """The decision's PDF record: the row is created with the decision, a Celery task
    renders the file after commit (pretix's invoice_pdf_task)."""

    decision = models.OneToOneField(Decision, on_delete=models.PROTECT, related_name="record")
    file = models.FileField(max_length=200, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    rendered_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Decision record {self.pk}"

    @property
    def is_rendered(self) -> bool:
        return bool(self.file)


class PayChangeStatus(models.TextChoices):
    AWAITING_VACANCY = "awaiting-vacancy", "Approved, awaiting vacancy"
    AWAITING_DATE = "awaiting-date", "Effective date to be entered"
    READY = "ready", "Ready to export"
    EXPORTED = "exported", "Exported"
    CANCELLED = "cancelled", "Cancelled by a correction"


class ExportFormat(models.TextChoices):
    CSV = "csv", "CSV"
    XLSX = "xlsx", "Excel (XLSX)"


class PayExportBatch(CouncilOwned):
    """One HR export: the rows are frozen in the batch, so downloading it again gives the
    same rows; a pay change belongs to at most one batch."""

    number = models.PositiveIntegerField()
    format = models.CharField(max_length=4, choices=ExportFormat.choices)
    rows = models.JSONField(default=list)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["council", "number"],
                                               name="export_batch_number_per_council")]

    def __str__(self) -> str:
        return f"Batch {self.number}"


class PayChange(CouncilOwned):
    """A line of the pay-change ledger caused by a decision: level, grade and pay point as
    the pack writes them; ``effective_on`` null where the pack's rule is unset (HR enters it
    before export) or the change awaits a vacancy (NELC-40)."""

    worker = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    decision = models.OneToOneField(Decision, on_delete=models.PROTECT,
                                    related_name="pay_change")
    from_level = models.CharField(max_length=60, blank=True)
    to_level = models.CharField(max_length=60)
    grade = models.CharField(max_length=60, blank=True)
    pay_point = models.CharField(max_length=60, blank=True)
    effective_rule = models.CharField(max_length=30, blank=True)
    effective_on = models.DateField(null=True, blank=True)
    assigned_roles = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=20, choices=PayChangeStatus.choices)
    batch = models.ForeignKey(PayExportBatch, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="changes")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["council", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="ready", effective_on__isnull=True),
                name="pay_change_ready_has_date",
                violation_error_message="A pay change is ready only with its effective date.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.from_level} -> {self.to_level}"


class AppealResult(models.TextChoices):
    UPHELD = "upheld", "Upheld"
    DISMISSED = "dismissed", "Dismissed"


class Appeal(CouncilOwned):
    """An appeal of the pack: against a panel decision, or a manager's refusal to support
    (HALTON-29). ``due_on`` is the engine's deadline (null where the pack sets none)."""

    case = models.ForeignKey(ProgressionCase, on_delete=models.PROTECT, related_name="+")
    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="appeals")
    appeal_slug = models.CharField(max_length=60)
    trigger = models.CharField(max_length=30)
    rules = models.CharField(max_length=200, blank=True)
    grounds = models.TextField()
    lodged_on = models.DateField()
    due_on = models.DateField(null=True, blank=True)
    addressee_role = models.CharField(max_length=40, blank=True)
    panel_setup_due_on = models.DateField(null=True, blank=True)
    panel_sitting_on = models.DateField(null=True, blank=True)
    lodged_by = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    result = models.CharField(max_length=20, choices=AppealResult.choices, blank=True)
    result_reason = models.TextField(blank=True)
    decided_on = models.DateField(null=True, blank=True)
    decided_by = models.ForeignKey(Membership, on_delete=models.PROTECT, null=True,
                                   blank=True, related_name="+")
    final = models.BooleanField(null=True, blank=True,
                                help_text="From the pack; unknown (null) where not stated.")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-lodged_on", "-id"]

    def __str__(self) -> str:
        return f"Appeal {self.pk} ({self.trigger})"


class AppealPanelMember(CouncilOwned):
    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="panel_members")
    membership = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=40, validators=[slug_validator])

    class Meta:
        ordering = ["role", "id"]
        constraints = [models.UniqueConstraint(fields=["appeal", "membership"],
                                               name="appeal_member_once")]

    def __str__(self) -> str:
        return f"{self.role} on appeal {self.appeal_id}"
