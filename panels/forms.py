"""Forms of the panel and HR pages (crispy-forms-gds). They parse and present; choices come
from the rule pack; ``panels.services`` validates against the database and saves."""

from __future__ import annotations

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size, Submit
from django import forms

from councils.models import Membership, Role
from councils.rules.schema import Route, RulePack
from panels.models import AppealResult, ExportFormat, PayChangeStatus
from portfolios.models import ProgressionCase
from progression.forms import DateField

ROLE_LABELS = dict(Role.choices)


def _helper(button: str, *fields) -> FormHelper:
    helper = FormHelper()
    helper.layout = Layout(*fields, Submit("submit", button))
    return helper


def _people_choices(people: list[Membership]) -> list[tuple[int, str]]:
    def roles(m: Membership) -> str:
        return ", ".join(ROLE_LABELS.get(r.role, r.role) for r in m.roles.all())

    return [(m.pk, f"{m.user.full_name} ({roles(m)})") for m in people]


class SittingForm(forms.Form):
    name = forms.CharField(label="Name of the panel", max_length=200)
    routes = forms.MultipleChoiceField(label="Routes heard", widget=forms.CheckboxSelectMultiple)
    sitting_on = DateField(label="Sitting date",
                           help_text="Leave blank while only the month is known. "
                                     "For example, 15 9 2026")
    month = forms.RegexField(label="Month (if the date is not yet set)", required=False,
                             regex=r"^\d{4}-(0[1-9]|1[0-2])$", max_length=7,
                             help_text="As YYYY-MM, for example 2026-12",
                             error_messages={"invalid": "Enter the month as YYYY-MM"})
    additional = forms.BooleanField(label="This is an additional sitting", required=False)
    chair = forms.TypedChoiceField(label="Chair", coerce=int)
    members = forms.TypedMultipleChoiceField(label="Members", coerce=int, required=False,
                                             widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, pack: RulePack, people: list[Membership], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.people = {m.pk: m for m in people}
        self.fields["routes"].choices = [(r.slug, r.title or r.slug) for r in pack.routes]
        choices = _people_choices(people)
        self.fields["chair"].choices = [("", "Choose")] + choices
        self.fields["members"].choices = choices
        self.helper = _helper("Schedule sitting", Field.text("name"), "routes", "sitting_on",
                              Field.text("month", field_width=10), "additional", "chair",
                              "members")

    def service_kwargs(self, member_roles: set[str]) -> dict:
        data = self.cleaned_data
        members = []
        for pk in data["members"]:
            m = self.people[pk]
            held = [r.role for r in m.roles.all()]
            role = next((r for r in held if r in member_roles), held[0] if held else "")
            members.append((m, role))
        return {"name": data["name"], "routes": data["routes"],
                "sitting_on": data["sitting_on"], "month": data["month"] or "",
                "additional": data["additional"], "chair": self.people[data["chair"]],
                "members": members}


class SittingDateForm(forms.Form):
    on = DateField(label="Sitting date", required=True)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper("Set date", "on")


class ListCaseForm(forms.Form):
    case = forms.TypedChoiceField(label="Submitted case", coerce=int)

    def __init__(self, *args, cases: list[ProgressionCase], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["case"].choices = [("", "Choose")] + [
            (c.pk, f"{c.worker.user.full_name}: {c.route_slug}") for c in cases]
        self.helper = _helper("List case", "case")


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(label="Outcome", widget=forms.RadioSelect)
    reason_code = forms.ChoiceField(label="Reason", required=False)
    reason_text = forms.CharField(label="Reasons", required=False, widget=forms.Textarea,
                                  help_text="Required where the outcome needs written reasons.")
    decided_on = DateField(label="Date of the decision", required=True)
    received_on = DateField(label="Date the worker receives the decision",
                            help_text="Leave blank if it is the date of the decision. "
                                      "Appeal deadlines run from it.")

    def __init__(self, *args, route: Route, correcting: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["outcome"].choices = [
            (o.slug, f"{o.label or o.slug} ({', '.join(o.rules)})") for o in route.outcomes]
        reasons = [(r.code, f"{r.label or r.code}") for o in route.outcomes for r in o.reasons]
        self.fields["reason_code"].choices = [("", "No reason code")] + list(dict(reasons).items())
        fields = ["outcome", "reason_code", Field.textarea("reason_text", rows=4), "decided_on"]
        if correcting:
            self.fields["correction_reason"] = forms.CharField(
                label="Why the decision is corrected", widget=forms.Textarea)
            del self.fields["received_on"]
            fields.append(Field.textarea("correction_reason", rows=3))
        else:
            fields.append("received_on")
        self.helper = _helper("Correct decision" if correcting else "Issue decision", *fields)


class ReferralForm(forms.Form):
    conclusion = forms.CharField(label="The reviewer's conclusion", widget=forms.Textarea)
    concluded_on = DateField(label="Date of the conclusion", required=True)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper("Record conclusion", Field.textarea("conclusion", rows=4),
                              "concluded_on")


class QAForm(forms.Form):
    stage = forms.ChoiceField(label="Stage")
    note = forms.CharField(label="Note", required=False, widget=forms.Textarea)

    def __init__(self, *args, route: Route, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["stage"].choices = [("", "Choose")] + [
            (q.slug, f"{q.title or q.slug} ({', '.join(q.rules)})") for q in route.qa_stages]
        self.helper = _helper("Record stage", "stage", Field.textarea("note", rows=3))


class AppealForm(forms.Form):
    grounds = forms.CharField(label="Grounds of the appeal", widget=forms.Textarea)
    lodged_on = DateField(label="Date the appeal is lodged", required=True)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper("Lodge appeal", Field.textarea("grounds", rows=6), "lodged_on")


class AppealPanelForm(forms.Form):
    members = forms.TypedMultipleChoiceField(label="Appeal panel members", coerce=int,
                                             widget=forms.CheckboxSelectMultiple)
    sitting_on = DateField(label="Date the appeal panel sits", required=True)

    def __init__(self, *args, people: list[Membership], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.people = {m.pk: m for m in people}
        self.fields["members"].choices = _people_choices(people)
        self.helper = _helper("Set up appeal panel", "members", "sitting_on")

    def members_with_roles(self, roles: list[str]) -> list[tuple[Membership, str]]:
        out = []
        for pk in self.cleaned_data["members"]:
            m = self.people[pk]
            held = [r.role for r in m.roles.all()]
            out.append((m, next((r for r in roles if r in held), held[0] if held else "")))
        return out


class AppealDecideForm(forms.Form):
    result = forms.ChoiceField(label="Result", choices=AppealResult.choices,
                               widget=forms.RadioSelect)
    reason = forms.CharField(label="Reasons", widget=forms.Textarea)
    decided_on = DateField(label="Date of the result", required=True)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper("Record result", "result", Field.textarea("reason", rows=4),
                              "decided_on")


class EffectiveDateForm(forms.Form):
    on = DateField(label="Effective date", required=True)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper("Set effective date", "on")


class ExportForm(forms.Form):
    format = forms.ChoiceField(label="File format", choices=ExportFormat.choices,
                               widget=forms.RadioSelect, initial=ExportFormat.CSV)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper("Export ready pay changes", Field.radios("format", inline=True,
                                                                       legend_size=Size.SMALL))
        self.helper.form_tag = False  # the page wraps it in a form posting to the export URL


class PayChangeFilterForm(forms.Form):
    status = forms.ChoiceField(label="Status", required=False,
                               choices=[("", "Any status"), *PayChangeStatus.choices])

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.layout = Layout("status", Submit("filter", "Filter",
                                                     css_class="govuk-button--secondary"))
