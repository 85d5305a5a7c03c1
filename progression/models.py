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

from councils.models import CouncilOwned, Membership, User, slug_validator

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
