"""The career record of a person in a council: registration, employment, pay and hours.

One ``CareerRecord`` per ``Membership`` (team and line manager live on the membership).
``HoursPeriod`` rows give the FTE from an effective date, so the FTE on any date is known
(CONV-05 pro rata). ``ExtendedAbsence`` rows are the absences a manager marked as extended;
they pause or stretch programmes. All three are council-owned and scoped (django-scopes).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from councils.models import CouncilOwned, Membership, RulePackVersion, User, slug_validator

swe_number_validator = RegexValidator(
    r"^SW[0-9]+$",
    "Enter a Social Work England registration number: SW followed by digits, like SW12345.",
)


class CareerRecord(CouncilOwned):
    """Registration, qualification, employment and pay facts of one membership.

    Dates may be unknown (blank) while HR fills the record in; the engine reads what is set.
    Grade and spinal column point are kept as the council writes them (``SCP 25``, ``JE 31``,
    ``HBC 8``): the councils' schemes differ and the rule pack interprets them.
    """

    membership = models.OneToOneField(Membership, on_delete=models.PROTECT,
                                      related_name="career_record")
    swe_registration_number = models.CharField(
        "Social Work England registration number", max_length=20, blank=True,
        validators=[swe_number_validator], help_text="SW followed by digits, for example SW12345.",
    )
    registration_renewal_date = models.DateField("registration renewal date", null=True,
                                                 blank=True)
    qualification_date = models.DateField("date of qualification", null=True, blank=True)
    qualification_country = models.CharField("country of qualification", max_length=100,
                                             blank=True)
    registration_date = models.DateField("date of registration", null=True, blank=True)
    employment_start = models.DateField("employment start date", null=True, blank=True)
    is_agency = models.BooleanField("agency worker", default=False)
    current_level = models.CharField(
        "current level", max_length=60, blank=True, validators=[slug_validator],
        help_text="The level slug of the council's rule pack, for example level-2 or grade-10.",
    )
    grade_label = models.CharField("grade", max_length=60, blank=True,
                                   help_text="As the council writes it, for example HBC 8 or G9.")
    spinal_column_point = models.CharField(
        "spinal column point", max_length=60, blank=True,
        help_text="As the council writes it, for example SCP 25 or JE 31.",
    )
    payroll_number = models.CharField("payroll number", max_length=40, blank=True)
    asye_started = models.DateField("ASYE start date", null=True, blank=True)
    asye_completed = models.DateField("ASYE completion date", null=True, blank=True)
    asye_credit_months = models.PositiveSmallIntegerField(
        "ASYE credit (months)", default=0, validators=[MaxValueValidator(12)],
        help_text="Months credited from an earlier, interrupted ASYE.",
    )
    probation_end = models.DateField("probation end date", null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["membership__user__full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["council", "swe_registration_number"],
                condition=~Q(swe_registration_number=""),
                name="career_record_unique_swe_number_per_council",
                violation_error_message="Another person in this council has this Social Work "
                                        "England registration number.",
            ),
            models.CheckConstraint(
                condition=Q(asye_completed__isnull=True) | Q(asye_started__isnull=True)
                | Q(asye_completed__gte=models.F("asye_started")),
                name="career_record_asye_completed_after_start",
                violation_error_message="The ASYE cannot be completed before it started.",
            ),
        ]

    def __str__(self) -> str:
        return f"Career record of {self.membership.user}"


class HoursPeriod(CouncilOwned):
    """The FTE in force from ``effective_from`` until the next period starts."""

    record = models.ForeignKey(CareerRecord, on_delete=models.PROTECT,
                               related_name="hours_periods")
    effective_from = models.DateField("effective from")
    fte = models.DecimalField(
        "full-time equivalent", max_digits=4, decimal_places=3,
        validators=[MinValueValidator(Decimal("0.001")), MaxValueValidator(Decimal("1"))],
        help_text="1 is full time; 0.5 is half time.",
    )
    note = models.CharField(max_length=200, blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["record", "effective_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(fte__gt=0) & Q(fte__lte=1), name="hours_period_fte_in_range",
                violation_error_message="The FTE must be more than 0 and at most 1.",
            ),
            models.UniqueConstraint(
                fields=["record", "effective_from"], name="hours_period_unique_date",
                violation_error_message="Hours already start on this date for this person.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.fte} FTE from {self.effective_from:%d %B %Y}"


class AbsenceReason(models.TextChoices):
    """Why an absence is extended; the first two are the engine's deferral reasons."""

    MATERNITY_LEAVE = "maternity-leave", "Maternity leave"
    LONG_TERM_SICKNESS = "long-term-sickness", "Long-term sickness"
    ADOPTION_LEAVE = "adoption-leave", "Adoption leave"
    SHARED_PARENTAL_LEAVE = "shared-parental-leave", "Shared parental leave"
    OTHER = "other", "Other"


class ExtendedAbsence(CouncilOwned):
    """An absence a manager marked as extended. ``ends_on`` empty means it has not ended."""

    record = models.ForeignKey(CareerRecord, on_delete=models.PROTECT, related_name="absences")
    starts_on = models.DateField("first day of absence")
    ends_on = models.DateField("last day of absence", null=True, blank=True,
                               help_text="Leave empty while the absence continues.")
    reason = models.CharField(max_length=40, choices=AbsenceReason.choices)
    note = models.CharField(max_length=200, blank=True)
    marked_extended_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["record", "starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="extended_absence_ends_after_start",
                violation_error_message="The last day cannot be before the first day.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} from {self.starts_on:%d %B %Y}"

    def covers(self, on: dt.date) -> bool:
        """True when ``on`` falls inside the absence (an open absence covers every later day)."""
        return self.starts_on <= on and (self.ends_on is None or on <= self.ends_on)


# ---------------------------------------------------------------------------------------------
# The ASYE year (issue 5). Every date and limit comes from the rule pack version the programme
# started under (``AsyeProgramme.pack_version``); these rows only record what happened.
# ---------------------------------------------------------------------------------------------

class ProgrammeStatus(models.TextChoices):
    ACTIVE = "active", "In progress"
    EXTENDED = "extended", "Extended"
    DEFERRED = "deferred", "Assessment deferred"
    FINAL_REPORT = "final-report", "Final report signed"
    WITH_PANEL = "with-panel", "Handed to the panel"
    WITHDRAWN = "withdrawn", "Withdrawn"


# Allowed status changes; services refuse any other (``programme_transition``).
PROGRAMME_TRANSITIONS: dict[str, frozenset[str]] = {
    ProgrammeStatus.ACTIVE: frozenset({ProgrammeStatus.EXTENDED, ProgrammeStatus.DEFERRED,
                                       ProgrammeStatus.FINAL_REPORT, ProgrammeStatus.WITHDRAWN}),
    ProgrammeStatus.EXTENDED: frozenset({ProgrammeStatus.EXTENDED, ProgrammeStatus.DEFERRED,
                                         ProgrammeStatus.FINAL_REPORT,
                                         ProgrammeStatus.WITHDRAWN}),
    ProgrammeStatus.DEFERRED: frozenset({ProgrammeStatus.ACTIVE, ProgrammeStatus.EXTENDED,
                                         ProgrammeStatus.FINAL_REPORT,
                                         ProgrammeStatus.WITHDRAWN}),
    ProgrammeStatus.FINAL_REPORT: frozenset({ProgrammeStatus.WITH_PANEL}),
    ProgrammeStatus.WITH_PANEL: frozenset(),
    ProgrammeStatus.WITHDRAWN: frozenset(),
}
OPEN_PROGRAMME_STATUSES = (ProgrammeStatus.ACTIVE, ProgrammeStatus.EXTENDED,
                           ProgrammeStatus.DEFERRED, ProgrammeStatus.FINAL_REPORT)


class AsyeProgramme(CouncilOwned):
    """One NQSW's ASYE. ``pack_version`` is the version in force at the start; the case keeps it.

    ``planned_end`` and ``latest_end`` (the ceiling, empty when the pack states none) are
    computed by the engine at enrolment and moved only by extensions and deferrals."""

    membership = models.ForeignKey(Membership, on_delete=models.PROTECT,
                                   related_name="asye_programmes")
    pack_version = models.ForeignKey(RulePackVersion, on_delete=models.PROTECT, related_name="+")
    route_slug = models.CharField(max_length=60, default="asye")
    started_on = models.DateField("start date")
    part_time = models.BooleanField("part time", default=False)
    credit_months = models.PositiveSmallIntegerField("credit (months)", default=0,
                                                     validators=[MaxValueValidator(12)])
    credit_evidence = models.TextField("evidence accepted for the credit", blank=True)
    status = models.CharField(max_length=20, choices=ProgrammeStatus.choices,
                              default=ProgrammeStatus.ACTIVE)
    planned_end = models.DateField("planned end date")
    latest_end = models.DateField("latest end date (ceiling)", null=True, blank=True)
    flags = models.JSONField(default=list, blank=True)
    enrolled_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    # STOKE-13: the ceiling passed with no decision; escalated once to the pack's roles.
    ceiling_escalated_on = models.DateField(null=True, blank=True)
    ceiling_escalated_to = models.JSONField(default=list, blank=True)
    # When the escalation e-mails went (the mail task sends them once).
    ceiling_notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["membership"], condition=Q(status__in=OPEN_PROGRAMME_STATUSES),
                name="asye_one_open_programme_per_worker",
                violation_error_message="This person already has an ASYE programme in progress.",
            ),
            models.CheckConstraint(
                condition=Q(planned_end__gt=models.F("started_on")),
                name="asye_planned_end_after_start",
                violation_error_message="The planned end must be after the start date.",
            ),
            models.CheckConstraint(
                condition=Q(latest_end__isnull=True) | Q(latest_end__gte=models.F("planned_end")),
                name="asye_planned_end_within_ceiling",
                violation_error_message="The planned end cannot pass the ceiling.",
            ),
            models.CheckConstraint(
                condition=~Q(credit_months__gt=0) | ~Q(credit_evidence=""),
                name="asye_credit_needs_evidence",
                violation_error_message="Record the evidence accepted for the credit.",
            ),
        ]

    def __str__(self) -> str:
        return f"ASYE of {self.membership.user} from {self.started_on:%d %B %Y}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_PROGRAMME_STATUSES


class Signature(CouncilOwned):
    """Abstract: one role's signature on a record (one per role, kept with who and when)."""

    role = models.CharField(max_length=40)
    signed_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    signed_on = models.DateField()

    class Meta:
        abstract = True


class LearningAgreement(CouncilOwned):
    """Learning agreement and development plan (STOKE-09); agreed when every signatory signed."""

    programme = models.OneToOneField(AsyeProgramme, on_delete=models.PROTECT,
                                     related_name="learning_agreement")
    supervision_frequency = models.CharField("agreed supervision frequency", max_length=200,
                                             blank=True)
    development_plan = models.TextField("development plan", blank=True)
    extra_shadowing_plan = models.TextField("extra shadowing and co-working plan", blank=True)
    # From the pack at enrolment (STOKE-09 "within the first month"); empty: not stated.
    due_on = models.DateField(null=True, blank=True)
    agreed_on = models.DateField(null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Learning agreement of {self.programme}"


class LearningAgreementSignature(Signature):
    agreement = models.ForeignKey(LearningAgreement, on_delete=models.CASCADE,
                                  related_name="signatures")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agreement", "role"],
                                               name="la_signature_one_per_role")]


class Review(CouncilOwned):
    """A review at a pack month. Held when the pack's ``held_when_signed_by`` role signs with
    every attendee's signature recorded (STOKE-17); optional ones may be waived with a reason."""

    programme = models.ForeignKey(AsyeProgramme, on_delete=models.PROTECT, related_name="reviews")
    month = models.PositiveSmallIntegerField()
    due_on = models.DateField()
    is_final = models.BooleanField(default=False)
    waivable = models.BooleanField(default=False)
    kss_progress = models.TextField("progress against the KSS", blank=True)
    actions = models.TextField("actions and targets for the next period", blank=True)
    concerns = models.TextField(blank=True)
    complex_work_ready = models.BooleanField("ready for complex work", null=True, blank=True)
    # STOKE-15 "each one also reviews the Learning Agreement": what the review agreed about it.
    learning_agreement_review = models.TextField("learning agreement revisited", blank=True)
    held_on = models.DateField(null=True, blank=True)
    waived_reason = models.TextField(blank=True)
    waived_on = models.DateField(null=True, blank=True)
    added_by_hand = models.BooleanField(default=False)

    class Meta:
        ordering = ["programme", "month"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "month"],
                                    name="asye_review_unique_month",
                                    violation_error_message="There is already a review at this "
                                                            "month."),
            models.CheckConstraint(
                condition=Q(waived_on__isnull=True) | ~Q(waived_reason=""),
                name="asye_review_waiver_has_reason",
                violation_error_message="Give the reason the review is waived.",
            ),
            models.CheckConstraint(
                condition=Q(waived_on__isnull=True) | Q(held_on__isnull=True),
                name="asye_review_not_held_and_waived",
                violation_error_message="A held review cannot be waived.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.month}-month review"


class ReviewSignature(Signature):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="signatures")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["review", "role"],
                                               name="review_signature_one_per_role")]


class SupervisionKind(models.TextChoices):
    INDIVIDUAL = "individual", "Individual"
    GROUP = "group", "Group"


class SupervisionSession(CouncilOwned):
    programme = models.ForeignKey(AsyeProgramme, on_delete=models.PROTECT,
                                  related_name="supervision_sessions")
    held_on = models.DateField("date of the session")
    supervisor = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=SupervisionKind.choices,
                            default=SupervisionKind.INDIVIDUAL)
    note = models.CharField(max_length=300, blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["programme", "-held_on"]


class DevelopmentDay(CouncilOwned):
    """A session of one of the pack's attendance series (development days, workshops)."""

    series = models.CharField(max_length=60)
    held_on = models.DateField()
    title = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["held_on"]
        constraints = [models.UniqueConstraint(fields=["council", "series", "held_on"],
                                               name="development_day_unique_date")]

    def __str__(self) -> str:
        return f"{self.title or self.series} on {self.held_on:%d %B %Y}"


class AbsenceFromDay(models.TextChoices):
    ANNUAL_LEAVE = "annual-leave", "Annual leave"
    SICKNESS = "sickness", "Sickness"
    COURT = "court", "Required in court"
    OTHER = "other", "Other reason"


class Attendance(CouncilOwned):
    programme = models.ForeignKey(AsyeProgramme, on_delete=models.PROTECT,
                                  related_name="attendances")
    day = models.ForeignKey(DevelopmentDay, on_delete=models.PROTECT, related_name="attendances")
    attended = models.BooleanField()
    absence_reason = models.CharField(max_length=20, choices=AbsenceFromDay.choices, blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["programme", "day"], name="attendance_once_per_day",
                                    violation_error_message="Attendance on this day is already "
                                                            "recorded."),
            models.CheckConstraint(
                condition=Q(attended=True, absence_reason="") | Q(attended=False),
                name="attendance_reason_only_when_absent",
                violation_error_message="An absence reason is only recorded for an absence.",
            ),
        ]


class Observation(CouncilOwned):
    """A direct observation: each section is signed by its author (plan, consent and feedback
    and reflection by the worker; assessment by the observer). The observer's standing at the
    time is kept for the checklist (STOKE-25)."""

    programme = models.ForeignKey(AsyeProgramme, on_delete=models.PROTECT,
                                  related_name="observations")
    observer = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    observer_role = models.CharField(max_length=40)
    observer_registered = models.BooleanField(null=True)
    observer_on_asye = models.BooleanField(default=False)
    observed_on = models.DateField()
    plan = models.TextField(blank=True)
    plan_signed_on = models.DateField(null=True, blank=True)
    consent_given = models.BooleanField(default=False)
    feedback = models.TextField("feedback from the person", blank=True)
    feedback_signed_on = models.DateField(null=True, blank=True)
    assessment = models.TextField(blank=True)
    kss = models.JSONField(default=list, blank=True)
    pcf = models.JSONField(default=list, blank=True)
    assessment_signed_on = models.DateField(null=True, blank=True)
    reflection = models.TextField(blank=True)
    reflection_signed_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["programme", "observed_on"]


class Case(CouncilOwned):
    """A child's case (the unit is children, not families). ``reference`` is the council's case
    reference, never a name."""

    reference = models.CharField(max_length=40)
    kind = models.CharField(max_length=60)
    qualifier = models.CharField(max_length=60, blank=True)

    class Meta:
        ordering = ["reference"]
        constraints = [models.UniqueConstraint(fields=["council", "reference"],
                                               name="case_unique_reference",
                                               violation_error_message="A case with this "
                                                                       "reference exists.")]

    def __str__(self) -> str:
        return self.reference


class AllocationRole(models.TextChoices):
    ALLOCATED = "allocated-worker", "Allocated worker"
    CO_WORKER = "co-worker", "Co-worker"


class ComplexWorkAgreement(CouncilOwned):
    """STOKE-41: the kinds of complex work agreed, signed by every party; agreed when all signed,
    ends when the readiness review is held."""

    programme = models.ForeignKey(AsyeProgramme, on_delete=models.PROTECT,
                                  related_name="complex_work_agreements")
    kinds = models.JSONField(default=list)
    agreed_at = models.CharField(max_length=40, default="asye-review")
    arrangements = models.TextField("co-working, extra supervision and oversight")
    agreed_on = models.DateField(null=True, blank=True)
    ended_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["programme", "-created_at"]
        constraints = [models.CheckConstraint(
            condition=Q(ended_on__isnull=True) | Q(agreed_on__isnull=False),
            name="cwa_ends_after_agreement")]


class CwaSignature(Signature):
    agreement = models.ForeignKey(ComplexWorkAgreement, on_delete=models.CASCADE,
                                  related_name="signatures")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agreement", "role"],
                                               name="cwa_signature_one_per_role")]


class CaseAllocation(CouncilOwned):
    """An allocation the engine allowed (refusals are shown, never stored)."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="allocations")
    programme = models.ForeignKey(AsyeProgramme, on_delete=models.PROTECT,
                                  related_name="allocations")
    role = models.CharField(max_length=20, choices=AllocationRole.choices)
    allocated_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    mode = models.CharField(max_length=40, default="allowed")
    under_agreement = models.ForeignKey(ComplexWorkAgreement, on_delete=models.PROTECT,
                                        null=True, blank=True, related_name="+")
    allocated_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["programme", "-allocated_on"]
        constraints = [
            models.UniqueConstraint(fields=["case", "programme"],
                                    condition=Q(ended_on__isnull=True),
                                    name="allocation_once_open",
                                    violation_error_message="This case is already on the "
                                                            "worker's caseload."),
            models.CheckConstraint(condition=Q(ended_on__isnull=True)
                                   | Q(ended_on__gte=models.F("allocated_on")),
                                   name="allocation_ends_after_start"),
        ]


class CaseloadBreach(CouncilOwned):
    """STOKE-27: a cap breach reported by the NQSW; escalated after the pack's timer."""

    programme = models.ForeignKey(AsyeProgramme, on_delete=models.PROTECT,
                                  related_name="caseload_breaches")
    reported_on = models.DateField()
    reported_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    caseload = models.PositiveSmallIntegerField()
    cap = models.PositiveSmallIntegerField(null=True, blank=True)
    escalate_on = models.DateField(null=True, blank=True)
    escalated_on = models.DateField(null=True, blank=True)
    escalated_to = models.JSONField(default=list, blank=True)
    # When the escalation e-mails went (the mail task sends them once).
    notified_at = models.DateTimeField(null=True, blank=True)
    resolved_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["programme", "-reported_on"]
        constraints = [
            models.CheckConstraint(condition=Q(escalated_on__isnull=True)
                                   | Q(escalated_on__gte=models.F("reported_on")),
                                   name="breach_escalated_after_report"),
            models.CheckConstraint(condition=Q(resolved_on__isnull=True)
                                   | Q(resolved_on__gte=models.F("reported_on")),
                                   name="breach_resolved_after_report"),
        ]


class StudyDay(CouncilOwned):
    programme = models.ForeignKey(AsyeProgramme, on_delete=models.PROTECT,
                                  related_name="study_days")
    on = models.DateField("date")
    purpose = models.CharField(max_length=200)
    requested_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    approved_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")
    approved_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["programme", "on"]
        constraints = [models.UniqueConstraint(fields=["programme", "on"],
                                               name="study_day_unique_date",
                                               violation_error_message="A study day is already "
                                                                       "booked on this date.")]


class Extension(CouncilOwned):
    """STOKE-11: new end date approved by the pack's approver role, never past the ceiling."""

    programme = models.ForeignKey(AsyeProgramme, on_delete=models.PROTECT,
                                  related_name="extensions")
    reason = models.TextField()
    approver_role = models.CharField(max_length=40)
    approved_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    approved_on = models.DateField()
    previous_end = models.DateField()
    new_end = models.DateField()

    class Meta:
        ordering = ["programme", "approved_on"]
        constraints = [models.CheckConstraint(condition=Q(new_end__gt=models.F("previous_end")),
                                              name="extension_moves_end_later",
                                              violation_error_message="The new end date must be "
                                                                      "after the current one.")]


class AssessmentDeferral(CouncilOwned):
    """STOKE-12: final assessment deferred for a pack reason (maternity, long-term sickness)."""

    programme = models.ForeignKey(AsyeProgramme, on_delete=models.PROTECT,
                                  related_name="deferrals")
    reason = models.CharField(max_length=40)
    decided_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    decider_role = models.CharField(max_length=40)
    decided_on = models.DateField()
    previous_end = models.DateField()
    new_end = models.DateField()
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["programme", "decided_on"]
        constraints = [models.CheckConstraint(condition=Q(new_end__gte=models.F("previous_end")),
                                              name="deferral_not_earlier")]


class Recommendation(models.TextChoices):
    PASS = "pass", "Pass"
    FAIL = "fail", "Fail"


class FinalReport(CouncilOwned):
    """The manager's final report and recommendation, signed by the manager and the assessor,
    then handed to the council's panel or moderation process."""

    programme = models.OneToOneField(AsyeProgramme, on_delete=models.PROTECT,
                                     related_name="final_report")
    recommendation = models.CharField(max_length=10, choices=Recommendation.choices)
    summary = models.TextField("report")
    submitted_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    submitted_on = models.DateField()
    manager_signed_on = models.DateField(null=True, blank=True)
    assessor_signed_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True,
                                           related_name="+")
    assessor_signed_on = models.DateField(null=True, blank=True)
    handed_to_panel_on = models.DateField(null=True, blank=True)
