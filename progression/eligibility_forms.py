"""The eligibility checker's form: whom to check and on which date (sent by GET, it writes
nothing, so the answer page can be bookmarked and works without JavaScript)."""

from __future__ import annotations

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Submit
from django import forms

from councils.models import Membership
from progression.forms import DateField


class EligibilityCheckForm(forms.Form):
    """``workers``: the people the actor may check (``eligibility_workers``)."""

    worker = forms.TypedChoiceField(
        label="Worker", coerce=int, empty_value=None,
        error_messages={"required": "Choose the worker to check",
                        "invalid_choice": "Choose a worker from the list"},
    )
    on = DateField(label="Date to check", required=True,
                   help_text="The answer is for this date. For example, 27 3 2026")

    def __init__(self, data=None, *, workers: list[Membership]) -> None:
        super().__init__(data)
        self.workers = {m.pk: m for m in workers}
        self.fields["worker"].choices = [("", "Choose a worker")] + [
            (m.pk, _worker_label(m)) for m in workers
        ]
        self.fields["on"].error_messages["required"] = "Enter the date to check"
        self.fields["on"].error_messages["incomplete"] = "Enter the date to check"
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.layout = Layout(Field.select("worker"), Field("on"),
                                    Submit("check", "Check eligibility"))

    def clean_worker(self) -> Membership:
        pk = self.cleaned_data["worker"]
        if pk not in self.workers:
            raise forms.ValidationError("Choose a worker from the list")
        return self.workers[pk]


def _worker_label(m: Membership) -> str:
    name = m.user.full_name or m.user.email
    return f"{name} ({m.team.name})" if m.team_id and m.team else name
