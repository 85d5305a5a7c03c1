"""ASYE forms (crispy-forms-gds). They parse; the services validate against the pack."""

from __future__ import annotations

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Layout, Submit
from django import forms

from councils.models import Council, Membership, Role
from councils.rules.frameworks import PCF_DOMAINS
from progression.forms import DateField
from progression.models import (
    AbsenceFromDay,
    AllocationRole,
    DevelopmentDay,
    Recommendation,
    SupervisionKind,
)


class AsyeForm(forms.Form):
    """Adds the GOV.UK layout: every field, then one submit button."""

    submit_label = "Save"

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(*self.fields, Submit("submit", self.submit_label))


class EnrolForm(AsyeForm):
    submit_label = "Enrol"
    membership = forms.ModelChoiceField(label="Social worker", queryset=None,
                                        empty_label="Choose a social worker")
    started_on = DateField(label="Start date", required=True)
    working_pattern = forms.ChoiceField(
        label="Working pattern", widget=forms.RadioSelect,
        choices=[("full", "Full time"), ("part", "Part time (below 1.0 FTE at the start)")])
    credit_months = forms.IntegerField(
        label="Credit for an earlier, partly completed ASYE (months)", min_value=0,
        max_value=12, initial=0, required=False,
        help_text="Leave 0 unless the manager accepted evidence of an earlier ASYE.")
    credit_evidence = forms.CharField(label="Evidence the manager accepted", required=False,
                                      widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, council: Council, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["membership"].queryset = (
            Membership.objects.filter(council=council, is_active=True,
                                      roles__role=Role.SOCIAL_WORKER)
            .select_related("user").order_by("user__full_name").distinct())
        self.fields["membership"].label_from_instance = (
            lambda m: m.user.full_name or m.user.email)


class LearningAgreementForm(AsyeForm):
    submit_label = "Save the learning agreement"
    supervision_frequency = forms.CharField(label="Agreed supervision frequency",
                                            max_length=200, required=False)
    development_plan = forms.CharField(label="Development plan", required=False,
                                       widget=forms.Textarea(attrs={"rows": 6}))
    extra_shadowing_plan = forms.CharField(label="Extra shadowing and co-working plan",
                                           required=False,
                                           widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, needs_shadowing: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not needs_shadowing:
            del self.fields["extra_shadowing_plan"]
            self.helper.layout = Layout(*self.fields, Submit("submit", self.submit_label))


class ReviewForm(AsyeForm):
    submit_label = "Save the review record"
    kss_progress = forms.CharField(label="Progress against the KSS", required=True,
                                   widget=forms.Textarea(attrs={"rows": 5}))
    actions = forms.CharField(label="Actions and targets for the next period", required=True,
                              widget=forms.Textarea(attrs={"rows": 4}))
    concerns = forms.CharField(label="Concerns", required=False,
                               widget=forms.Textarea(attrs={"rows": 3}))
    learning_agreement_review = forms.CharField(
        label="Learning agreement revisited", required=True,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What this review agreed about the learning agreement and development plan: "
                  "what changes, or that it stands as agreed.")
    complex_work_ready = forms.TypedChoiceField(
        label="Ready for complex work?", required=False, widget=forms.RadioSelect,
        coerce=lambda v: {"yes": True, "no": False}.get(v), empty_value=None,
        choices=[("yes", "Yes"), ("no", "No"), ("", "Not assessed at this review")])


class WaiveForm(AsyeForm):
    submit_label = "Waive the review"
    reason = forms.CharField(label="Why the review is not needed", required=False,
                             widget=forms.Textarea(attrs={"rows": 3}))


class SupervisionForm(AsyeForm):
    submit_label = "Record the session"
    held_on = DateField(label="Date of the session", required=True)
    kind = forms.ChoiceField(label="Kind of supervision", choices=SupervisionKind.choices,
                             widget=forms.RadioSelect, initial=SupervisionKind.INDIVIDUAL)
    note = forms.CharField(label="Note (optional)", required=False, max_length=300)


class DevelopmentDayForm(AsyeForm):
    submit_label = "Add the session"
    series = forms.ChoiceField(label="Series")
    held_on = DateField(label="Date", required=True)
    title = forms.CharField(label="Title (optional)", required=False, max_length=200)

    def __init__(self, *args, series: list[tuple[str, str]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["series"].choices = series


class AttendanceForm(AsyeForm):
    submit_label = "Record attendance"
    day = forms.ModelChoiceField(label="Session", queryset=None, empty_label="Choose a session")
    attended = forms.TypedChoiceField(label="Did they attend?", widget=forms.RadioSelect,
                                      coerce=lambda v: v == "yes",
                                      choices=[("yes", "Attended"), ("no", "Absent")])
    absence_reason = forms.ChoiceField(label="Reason for the absence", required=False,
                                       choices=[("", "Not absent"), *AbsenceFromDay.choices])

    def __init__(self, *args, council: Council, series: list[str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["day"].queryset = DevelopmentDay.objects.filter(council=council,
                                                                    series__in=series)


class ObservationForm(AsyeForm):
    submit_label = "Plan the observation"
    observer = forms.ModelChoiceField(label="Observer", queryset=None,
                                      empty_label="Choose the observer")
    observed_on = DateField(label="Date of the observation", required=True)

    def __init__(self, *args, council: Council, exclude: int, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["observer"].queryset = (
            Membership.objects.filter(council=council, is_active=True).exclude(pk=exclude)
            .select_related("user").order_by("user__full_name"))
        self.fields["observer"].label_from_instance = lambda m: m.user.full_name or m.user.email


class ObservationSectionForm(AsyeForm):
    submit_label = "Sign this section"
    text = forms.CharField(label="", required=True, widget=forms.Textarea(attrs={"rows": 6}))
    consent_given = forms.BooleanField(label="The person gave consent to the observation",
                                       required=False)
    kss = forms.TypedMultipleChoiceField(label="KSS statements evidenced", required=False,
                                         coerce=int, widget=forms.CheckboxSelectMultiple,
                                         choices=[(i, f"KSS {i}") for i in range(1, 11)])
    pcf = forms.MultipleChoiceField(label="PCF domains evidenced", required=False,
                                    widget=forms.CheckboxSelectMultiple,
                                    choices=list(PCF_DOMAINS.items()))

    LABELS = {"plan": "The worker's plan", "feedback": "Feedback from the person observed",
              "assessment": "The observer's assessment against the PCF and KSS",
              "reflection": "The worker's reflection"}

    def __init__(self, *args, section: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["text"].label = self.LABELS[section]
        if section != "feedback":
            del self.fields["consent_given"]
        if section != "assessment":
            del self.fields["kss"]
            del self.fields["pcf"]
        self.helper.layout = Layout(*self.fields, Submit("submit", self.submit_label))


class AllocateForm(AsyeForm):
    submit_label = "Allocate"
    reference = forms.CharField(label="Child's case reference", max_length=40,
                                help_text="The council's reference, never a name.")
    kind = forms.ChoiceField(label="Kind of case")
    qualifier = forms.ChoiceField(label="Qualifier", required=False)
    role = forms.ChoiceField(label="Allocated as", choices=AllocationRole.choices,
                             widget=forms.RadioSelect, initial=AllocationRole.ALLOCATED)

    def __init__(self, *args, kinds: list[str], qualifiers: list[str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", "Choose the kind")] + [
            (k, k.replace("-", " ").capitalize()) for k in kinds or ["child-in-need"]]
        self.fields["qualifier"].choices = [("", "None")] + [
            (q, q.replace("-", " ").capitalize()) for q in qualifiers]


class CwaForm(AsyeForm):
    submit_label = "Draft the agreement"
    kinds = forms.MultipleChoiceField(label="Kinds of work covered",
                                      widget=forms.CheckboxSelectMultiple)
    agreed_at = forms.ChoiceField(label="Agreed at", widget=forms.RadioSelect)
    arrangements = forms.CharField(label="Co-working, extra supervision and the manager's "
                                         "oversight", widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, kinds: list[str], agreed_at: list[str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kinds"].choices = [(k, k.replace("-", " ").capitalize()) for k in kinds]
        self.fields["agreed_at"].choices = [(a, a.replace("-", " ").capitalize())
                                            for a in agreed_at or ["asye-review"]]


class StudyDayForm(AsyeForm):
    submit_label = "Ask for the study day"
    on = DateField(label="Date", required=True)
    purpose = forms.CharField(label="What the day is for", max_length=200)


class ExtensionForm(AsyeForm):
    submit_label = "Approve the extension"
    reason = forms.CharField(label="Reason", required=False,
                             widget=forms.Textarea(attrs={"rows": 3}))
    new_end = DateField(label="New end date", required=True)


class DeferralForm(AsyeForm):
    submit_label = "Defer the assessment"
    reason = forms.ChoiceField(label="Reason")
    new_end = DateField(label="New end date", required=True)
    note = forms.CharField(label="Note (optional)", required=False,
                           widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, reasons: list[str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].choices = [("", "Choose the reason")] + [
            (r, r.replace("-", " ").capitalize()) for r in reasons]


class FinalReportForm(AsyeForm):
    submit_label = "Sign and submit the report"
    recommendation = forms.ChoiceField(label="Recommendation", choices=Recommendation.choices,
                                       widget=forms.RadioSelect)
    summary = forms.CharField(label="Final report", widget=forms.Textarea(attrs={"rows": 8}))


class CohortFilterForm(forms.Form):
    q = forms.CharField(label="Name or e-mail", required=False, max_length=200)
    team = forms.ModelChoiceField(label="Team", required=False, queryset=None,
                                  empty_label="Any team")
    overdue = forms.BooleanField(label="Only those with overdue items", required=False)

    def __init__(self, *args, council: Council, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        from councils.people_selectors import active_teams

        self.fields["team"].queryset = active_teams(council)
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.layout = Layout("q", "team", "overdue", Submit("submit", "Filter"))
