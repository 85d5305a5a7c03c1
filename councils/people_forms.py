"""Forms of the council administrator's people and teams pages (crispy-forms-gds).

Forms parse and present; the services decide. Choice lists are built from the council's
scoped selectors, so a form never offers another council's teams or people.
"""

from __future__ import annotations

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Fluid, Layout, Submit
from django import forms
from django.core.exceptions import ValidationError

from councils.models import Council, Membership, Role
from councils.people_selectors import active_teams, line_manager_choices

STATUS_CHOICES = [("active", "Active"), ("inactive", "Deactivated"), ("all", "Everyone")]


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Membership) -> str:
        return f"{obj.user.full_name} ({obj.user.email})"


def apply_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Attach a service's ``ValidationError`` to the form: messages keyed by one of the
    form's fields go next to that field, the rest to the top of the form."""
    if hasattr(error, "error_dict"):
        for key, messages in error.message_dict.items():
            form.add_error(key if key in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


class PeopleFilterForm(forms.Form):
    """The search and filters of the people list (a GET form)."""

    q = forms.CharField(label="Name or e-mail", required=False, max_length=200)
    role = forms.ChoiceField(label="Role", required=False,
                             choices=[("", "Any role"), *Role.choices])
    team = forms.ModelChoiceField(label="Team", required=False, queryset=None,
                                  empty_label="Any team")
    status = forms.ChoiceField(label="Status", required=False, choices=STATUS_CHOICES,
                               initial="active")

    def __init__(self, *args, council: Council, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = active_teams(council)
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.layout = Layout(
            Field.text("q", field_width=Fluid.ONE_HALF), Field.select("role"),
            Field.select("team"), Field.select("status"),
            Submit("filter", "Filter", css_class="govuk-button--secondary"),
        )


class _MembershipFields(forms.Form):
    roles = forms.MultipleChoiceField(
        label="Roles", choices=Role.choices, widget=forms.CheckboxSelectMultiple,
        help_text="Select every role the person holds in this council.",
        error_messages={"required": "Select at least one role"},
    )
    team = forms.ModelChoiceField(label="Team", required=False, queryset=None,
                                  empty_label="No team")
    line_manager = MemberChoiceField(
        label="Line manager", required=False, queryset=None, empty_label="No line manager",
        help_text="Only active members with a manager role are listed.",
    )
    job_title = forms.CharField(label="Job title (optional)", required=False, max_length=200)

    def _set_choices(self, council: Council, exclude: Membership | None) -> None:
        self.fields["team"].queryset = active_teams(council)
        self.fields["line_manager"].queryset = line_manager_choices(council, exclude=exclude)


class InviteForm(_MembershipFields):
    email = forms.EmailField(
        label="E-mail address", max_length=254,
        help_text="The invitation is sent to this address.",
        error_messages={"required": "Enter the person's e-mail address",
                        "invalid": "Enter an e-mail address in the correct format, "
                                   "like name@example.org"},
    )
    full_name = forms.CharField(label="Full name", max_length=200,
                                error_messages={"required": "Enter the person's full name"})

    field_order = ["email", "full_name", "roles", "team", "line_manager", "job_title"]

    def __init__(self, *args, council: Council, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._set_choices(council, exclude=None)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.text("email", field_width=Fluid.TWO_THIRDS),
            Field.text("full_name", field_width=Fluid.TWO_THIRDS),
            Field.checkboxes("roles", small=True), Field.select("team"),
            Field.select("line_manager"), Field.text("job_title", field_width=Fluid.TWO_THIRDS),
            Submit("submit", "Send invitation"),
        )


class MembershipEditForm(_MembershipFields):
    def __init__(self, *args, council: Council, membership: Membership, **kwargs) -> None:
        kwargs.setdefault("initial", {
            "roles": [assignment.role for assignment in membership.roles.all()],
            "team": membership.team_id,
            "line_manager": membership.line_manager_id,
            "job_title": membership.job_title,
        })
        super().__init__(*args, **kwargs)
        self._set_choices(council, exclude=membership)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.checkboxes("roles", small=True), Field.select("team"),
            Field.select("line_manager"), Field.text("job_title", field_width=Fluid.TWO_THIRDS),
            Submit("submit", "Save changes"),
        )


class TeamForm(forms.Form):
    name = forms.CharField(label="Team name", max_length=200,
                           error_messages={"required": "Enter the team's name"})
    tags = forms.CharField(
        label="Tags (optional)", required=False, max_length=500,
        help_text="Separate tags with commas. Tags let the council's rules recognise the team, "
                  "for example fast (Family Assessment and Support Team), cwd (Children with "
                  "Disabilities) or asye-unsuitable (not a team for a newly qualified social "
                  "worker). Use lower-case words joined by hyphens.",
    )

    def __init__(self, *args, submit_label: str = "Save team", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.text("name", field_width=Fluid.TWO_THIRDS),
            Field.text("tags", field_width=Fluid.TWO_THIRDS),
            Submit("submit", submit_label),
        )

    def clean_tags(self) -> list[str]:
        return [tag for tag in self.cleaned_data["tags"].split(",") if tag.strip()]


class TeamEditForm(TeamForm):
    is_active = forms.TypedChoiceField(
        label="Is the team open?", choices=[("yes", "Open"), ("no", "Closed")],
        coerce=lambda value: value == "yes", widget=forms.RadioSelect,
        help_text="A closed team keeps its history but nobody can be placed in it.",
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, submit_label="Save changes", **kwargs)
        self.helper.layout = Layout(
            Field.text("name", field_width=Fluid.TWO_THIRDS),
            Field.text("tags", field_width=Fluid.TWO_THIRDS),
            Field.radios("is_active", inline=True),
            Submit("submit", "Save changes"),
        )


class ConfirmForm(forms.Form):
    """An empty form: deactivating or reactivating needs only the button (and CSRF)."""
