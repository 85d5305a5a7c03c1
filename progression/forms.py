"""Forms of the career-record pages (crispy-forms-gds). They parse and present; the services
in ``progression.services`` validate against the database and save."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Fieldset, Fixed, Fluid, Layout, Size, Submit
from django import forms
from django.core.exceptions import ValidationError

from progression.models import AbsenceReason, CareerRecord, swe_number_validator
from progression.services import DETAIL_FIELDS, PAY_FIELDS


class DateField(DateInputField):
    """The GOV.UK date input (day, month, year) with plain-English errors."""

    def __init__(self, *, label: str, required: bool = False, help_text: str = "") -> None:
        super().__init__(label=label, required=required,
                         help_text=help_text or "For example, 27 3 2026")

    def compress(self, data_list: list[str]) -> dt.date | None:
        day, month, year = data_list
        if not (day or month or year):
            return None
        if not (day and month and year):
            # A partly typed date is a mistake to point out, never a blank to drop silently.
            missing = [name for name, part in (("day", day), ("month", month), ("year", year))
                       if not part]
            raise ValidationError(f"The date must include a {' and a '.join(missing)}")
        try:
            value = dt.date(int(year), int(month), int(day))
        except ValueError as error:
            raise ValidationError("Enter a real date") from error
        if value.year < 1900:
            raise ValidationError("Enter a year after 1900")
        return value


def _initial(record: CareerRecord, names: tuple[str, ...]) -> dict:
    return {name: getattr(record, name) for name in names}


class CareerDetailsForm(forms.Form):
    """Registration, qualification, employment and ASYE (council administrators)."""

    swe_registration_number = forms.CharField(
        label="Social Work England registration number", required=False, max_length=20,
        help_text="SW followed by digits, for example SW12345.",
    )
    registration_date = DateField(label="Date of registration")
    registration_renewal_date = DateField(label="Registration renewal date")
    qualification_date = DateField(label="Date of qualification")
    qualification_country = forms.CharField(label="Country of qualification", required=False,
                                            max_length=100)
    employment_start = DateField(label="Employment start date",
                                 help_text="The first day with this council. For example, 1 9 2025")
    is_agency = forms.BooleanField(label="Agency worker", required=False)
    probation_end = DateField(label="Probation end date")
    asye_started = DateField(label="ASYE start date")
    asye_completed = DateField(label="ASYE completion date")
    asye_credit_months = forms.IntegerField(
        label="ASYE credit in months", min_value=0, max_value=12, initial=0,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        help_text="Months credited from an earlier, interrupted ASYE. 0 if none.",
        error_messages={"required": "Enter the ASYE credit in months (0 if none)",
                        "invalid": "Enter the ASYE credit as a whole number of months"},
    )

    def __init__(self, *args, record: CareerRecord, **kwargs) -> None:
        kwargs.setdefault("initial", _initial(record, DETAIL_FIELDS))
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Fieldset(Field.text("swe_registration_number", field_width=10),
                     Field("registration_date"), Field("registration_renewal_date"),
                     legend="Registration", legend_size=Size.MEDIUM),
            Fieldset(Field("qualification_date"),
                     Field.text("qualification_country", field_width=Fluid.ONE_HALF),
                     legend="Qualification", legend_size=Size.MEDIUM),
            Fieldset(Field("employment_start"), Field.checkbox("is_agency"),
                     Field("probation_end"), legend="Employment", legend_size=Size.MEDIUM),
            Fieldset(Field("asye_started"), Field("asye_completed"),
                     Field.text("asye_credit_months", field_width=Fixed.TWO),
                     legend="ASYE", legend_size=Size.MEDIUM),
            Submit("submit", "Save record"),
        )

    def clean_swe_registration_number(self) -> str:
        number = self.cleaned_data["swe_registration_number"].strip().upper().replace(" ", "")
        if number:
            swe_number_validator(number)
        return number

    def clean(self) -> dict:
        data = super().clean()
        started, completed = data.get("asye_started"), data.get("asye_completed")
        if started and completed and completed < started:
            self.add_error("asye_completed", "The ASYE completion date must be on or after "
                                             "its start date")
        return data


class PayForm(forms.Form):
    """Level and pay (council administrators and HR)."""

    current_level = forms.SlugField(
        label="Current level", required=False, max_length=60,
        help_text="The level as the council's policy names it, for example level-2 or grade-10.",
        error_messages={"invalid": "Enter the level in lower-case words joined by hyphens, "
                                   "for example level-2"},
    )
    grade_label = forms.CharField(label="Grade", required=False, max_length=60,
                                  help_text="As the council writes it, for example HBC 8.")
    spinal_column_point = forms.CharField(
        label="Spinal column point", required=False, max_length=60,
        help_text="As the council writes it, for example SCP 25 or JE 31.",
    )
    payroll_number = forms.CharField(label="Payroll number", required=False, max_length=40)

    def __init__(self, *args, record: CareerRecord, **kwargs) -> None:
        kwargs.setdefault("initial", _initial(record, PAY_FIELDS))
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.text("current_level", field_width=20), Field.text("grade_label", field_width=10),
            Field.text("spinal_column_point", field_width=10),
            Field.text("payroll_number", field_width=20),
            Submit("submit", "Save level and pay"),
        )


class HoursForm(forms.Form):
    effective_from = DateField(label="Working these hours from", required=True)
    fte = forms.DecimalField(
        label="Full-time equivalent (FTE)", max_digits=4, decimal_places=3,
        min_value=Decimal("0.001"), max_value=Decimal("1"),
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        help_text="1 is full time, 0.5 is half time, 0.6 is three days a week.",
        error_messages={"required": "Enter the full-time equivalent, for example 0.8",
                        "invalid": "Enter the full-time equivalent as a number, "
                                   "for example 0.8",
                        "min_value": "The full-time equivalent must be more than 0",
                        "max_value": "The full-time equivalent cannot be more than 1"},
    )
    note = forms.CharField(label="Note (optional)", required=False, max_length=200)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["effective_from"].error_messages["required"] = (
            "Enter the date these hours start")
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field("effective_from"), Field.text("fte", field_width=Fixed.FIVE),
            Field.text("note", field_width=Fluid.TWO_THIRDS), Submit("submit", "Add hours"),
        )


class FteOnDateForm(forms.Form):
    """Ask the record for the FTE on any date (a GET form on the career record page)."""

    on = DateField(label="Date", required=True)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["on"].error_messages["required"] = "Enter the date to show the FTE on"
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.form_id = "fte-on-date"
        self.helper.form_action = "#working-hours"  # the answer is in that section
        self.helper.layout = Layout(
            Field("on"),
            Submit("show", "Show FTE on this date", css_class="govuk-button--secondary"),
        )


class AbsenceForm(forms.Form):
    starts_on = DateField(label="First day of absence", required=True)
    ends_on = DateField(label="Last day of absence (optional)",
                        help_text="Leave empty while the absence continues. "
                                  "For example, 27 3 2026")
    reason = forms.ChoiceField(label="Reason", choices=AbsenceReason.choices,
                               widget=forms.RadioSelect,
                               error_messages={"required": "Select the reason for the absence"})
    note = forms.CharField(label="Note (optional)", required=False, max_length=200)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["starts_on"].error_messages["required"] = "Enter the first day of absence"
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field("starts_on"), Field("ends_on"), Field.radios("reason", small=True),
            Field.text("note", field_width=Fluid.TWO_THIRDS),
            Submit("submit", "Record extended absence"),
        )

    def clean(self) -> dict:
        data = super().clean()
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", "The last day cannot be before the first day")
        return data
