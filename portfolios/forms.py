"""Forms of the portfolio pages (crispy-forms-gds). They parse and present; choices come from
the case's rule pack; ``portfolios.services`` validates against the database and saves."""

from __future__ import annotations

import datetime as dt

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size, Submit
from django import forms

from councils.models import Role
from councils.rules import frameworks as fw
from councils.rules.schema import EvidenceRequirement, Route, RulePack
from progression.forms import DateField

ROLE_LABELS = dict(Role.choices)


def requirement_label(req: EvidenceRequirement) -> str:
    words = f" (about {req.words.limit} words)" if req.words else ""
    return f"{req.title or req.kind}{words}"


def _uses(route: Route, framework: str) -> bool:
    return any(c.framework == framework for e in route.evidence for c in e.coverage) or any(
        s.framework == framework for s in route.selections)


class _EvidenceForm(forms.Form):
    requirement = forms.ChoiceField(label="What this evidence is for")
    title = forms.CharField(label="Title", max_length=200)
    practice_on = DateField(label="Date of the practice it shows", required=True,
                            help_text="The date of the observation, supervision, feedback or "
                                      "event, not today's date. For example, 27 3 2026")
    kss = forms.TypedMultipleChoiceField(
        label="Knowledge and skills statements it evidences", required=False, coerce=int,
        choices=[(n, f"KSS {n}: {t}") for n, t in fw.KSS_CHILD_FAMILY_ITEMS.items()],
        widget=forms.CheckboxSelectMultiple)
    pcf = forms.MultipleChoiceField(
        label="PCF domains it evidences", required=False,
        choices=list(fw.PCF_DOMAINS.items()), widget=forms.CheckboxSelectMultiple)
    by_role = forms.ChoiceField(label="Role of the author, observer or signatory",
                                required=False)
    filled_fields = forms.MultipleChoiceField(
        label="Sections this evidence completes", required=False,
        widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, pack: RulePack, route: Route, allocated: list[int] | None = None,
                 **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.route = route
        self.fields["requirement"].choices = [("", "Choose")] + [
            (e.id, requirement_label(e)) for e in route.evidence]
        roles = sorted({r for e in route.evidence for r in (
            *e.author_roles, *e.observer_roles, *e.any_signatory_roles,
            *[x for g in e.per_item_roles for x in g])})
        self.fields["by_role"].choices = [("", "Myself")] + [
            (r, ROLE_LABELS.get(r, r)) for r in roles]
        mandatory = sorted({f for e in route.evidence for f in e.mandatory_fields})
        self.fields["filled_fields"].choices = [(f, f.replace("-", " ").capitalize())
                                                for f in mandatory]
        if allocated:
            self.fields["kss"].help_text = ("Your allocated KSS: "
                                            + ", ".join(str(k) for k in allocated) + ".")
        if not _uses(route, fw.KSS_CHILD_FAMILY):
            del self.fields["kss"]
        if not _uses(route, fw.PCF):
            del self.fields["pcf"]
        if not roles:
            del self.fields["by_role"]
        if not mandatory:
            del self.fields["filled_fields"]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(*[Field(name) for name in self.fields])

    def requirement_spec(self) -> EvidenceRequirement:
        wanted = self.cleaned_data["requirement"]
        return next(e for e in self.route.evidence if e.id == wanted)

    def service_kwargs(self) -> dict:
        req = self.requirement_spec()
        data = self.cleaned_data
        return {"kind": req.kind, "topic": req.topic or "", "title": data["title"],
                "practice_on": data["practice_on"], "kss": data.get("kss") or [],
                "pcf": data.get("pcf") or [], "by_role": data.get("by_role") or "",
                "filled_fields": data.get("filled_fields") or []}

    def clean_practice_on(self) -> dt.date:
        value = self.cleaned_data["practice_on"]
        if value is None:
            raise forms.ValidationError("Enter the date of the practice it shows")
        return value


class EvidenceFileForm(_EvidenceForm):
    file = forms.FileField(label="File", help_text="PDF, Word (.docx), JPEG or PNG. Video or "
                           "audio of an observation only with consent recorded below.")
    consent_worker = forms.BooleanField(label="I consent to this recording being kept",
                                        required=False)
    consent_observed = forms.BooleanField(
        label="The person observed consented to this recording being kept", required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(*[Field(name) for name in self.fields])
        self.helper.add_input(Submit("upload", "Upload evidence"))
        self.helper.form_tag = True
        self.helper.attrs = {"enctype": "multipart/form-data", "novalidate": ""}


class StatementForm(_EvidenceForm):
    statement = forms.CharField(label="Your statement", widget=forms.Textarea(attrs={"rows": 12}))
    anonymised = forms.BooleanField(label="This statement is anonymised", required=False)

    def __init__(self, *args, word_limit_hint: str = "", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["statement"].help_text = word_limit_hint or (
            "Word guidance for each kind is shown in the list above; the count is shown "
            "after you save.")
        if not any(e.anonymisation_attestation for e in self.route.evidence):
            del self.fields["anonymised"]
        self.helper.layout = Layout(
            *[Field(n) if n != "statement" else Field.textarea(n, rows=12)
              for n in self.fields])
        self.helper.form_tag = True
        self.helper.attrs = {"novalidate": ""}
        self.helper.add_input(Submit("save", "Save statement"))

    def service_kwargs(self) -> dict:
        out = super().service_kwargs()
        out["statement"] = self.cleaned_data["statement"]
        if "anonymised" in self.fields:
            out["anonymised"] = bool(self.cleaned_data.get("anonymised"))
        return out


class StatementEditForm(forms.Form):
    title = forms.CharField(label="Title", max_length=200)
    statement = forms.CharField(label="Your statement", widget=forms.Textarea(attrs={"rows": 12}))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.attrs = {"novalidate": ""}
        self.helper.layout = Layout(Field("title"), Field.textarea("statement", rows=12))
        self.helper.add_input(Submit("save", "Save changes"))


class StartForm(forms.Form):
    route_slug = forms.ChoiceField(label="Route", widget=forms.RadioSelect)
    reason = forms.CharField(label="Reason", required=False,
                             widget=forms.Textarea(attrs={"rows": 4}))
    statement = forms.CharField(label="Expression of intent", required=False,
                                widget=forms.Textarea(attrs={"rows": 6}))
    flags = forms.MultipleChoiceField(
        label="Requests for this route", required=False, widget=forms.CheckboxSelectMultiple,
        help_text="Tick only what applies to the route you chose.")

    def __init__(self, *args, pack: RulePack, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["route_slug"].choices = [(r.slug, r.title) for r in pack.routes]
        # Route flags (e.g. progression-requested, HALTON-04) as "<route>:<flag>" choices.
        self.fields["flags"].choices = [
            (f"{r.slug}:{f}", f"{r.title}: {f.replace('-', ' ')}")
            for r in pack.routes for f in r.flags]
        if not self.fields["flags"].choices:
            del self.fields["flags"]
        reasons = [r.opening.reason_label for r in pack.routes
                   if r.opening and r.opening.reason_required]
        if reasons:
            self.fields["reason"].help_text = "Needed for: " + "; ".join(
                f"{r.title}: {r.opening.reason_label}" for r in pack.routes
                if r.opening and r.opening.reason_required)
        else:
            del self.fields["reason"]
        if not any(r.expression_of_intent for r in pack.routes):
            del self.fields["statement"]
        else:
            self.fields["statement"].help_text = (
                "Needed where the route starts with an expression of intent: why you are "
                "ready. Your line manager supports it, then the team manager approves it.")
        self.helper = FormHelper()
        self.helper.attrs = {"novalidate": ""}
        self.helper.layout = Layout(*[Field(n) for n in self.fields])
        self.helper.add_input(Submit("start", "Start this route"))

    def chosen_flags(self) -> list[str]:
        """The ticked flags of the chosen route (flags of other routes are ignored)."""
        route = self.cleaned_data["route_slug"]
        return [value.split(":", 1)[1] for value in self.cleaned_data.get("flags") or []
                if value.split(":", 1)[0] == route]


class SignoffForm(forms.Form):
    choice = forms.ChoiceField(label="Sign-off", widget=forms.RadioSelect)
    comment = forms.CharField(label="Comment (optional)", required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))
    confirm = forms.BooleanField(label="I have read the content listed on this page and sign "
                                       "it as it stands")

    def __init__(self, *args, options: list[tuple[str, str]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["choice"].choices = options
        self.helper = FormHelper()
        self.helper.attrs = {"novalidate": ""}
        self.helper.layout = Layout(Field.radios("choice", legend_size=Size.MEDIUM),
                                    Field.textarea("comment", rows=3), Field("confirm"))
        self.helper.add_input(Submit("sign", "Record sign-off"))


class SubmitForm(forms.Form):
    anonymisation_attested = forms.BooleanField(
        label="I confirm the portfolio is fully anonymised: all personal and identifiable "
              "information is removed", required=False)

    def __init__(self, *args, attestation: bool, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not attestation:
            del self.fields["anonymisation_attested"]
        self.helper = FormHelper()
        self.helper.attrs = {"novalidate": ""}
        self.helper.layout = Layout(*[Field(n) for n in self.fields])
        self.helper.add_input(Submit("submit", "Submit portfolio"))


class BookingForm(forms.Form):
    sitting = forms.CharField(label="Sitting", max_length=10,
                              help_text="A date (2027-04-21) or, until it is set, a month "
                                        "(2027-04).")
    submission_due_on = DateField(label="Portfolio submission date", required=True)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.attrs = {"novalidate": ""}
        self.helper.layout = Layout(Field.text("sitting", field_width=10),
                                    Field("submission_due_on"))
        self.helper.add_input(Submit("confirm", "Confirm booking"))


class EoiDecisionForm(forms.Form):
    decision = forms.ChoiceField(label="Your decision", widget=forms.RadioSelect)
    reasons = forms.CharField(label="Reasons", required=False,
                              widget=forms.Textarea(attrs={"rows": 4}),
                              help_text="Needed when you decline: the development areas "
                                        "supervision will set.")

    def __init__(self, *args, choices: list[tuple[str, str]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["decision"].choices = choices
        self.helper = FormHelper()
        self.helper.attrs = {"novalidate": ""}
        self.helper.layout = Layout(Field.radios("decision", legend_size=Size.MEDIUM),
                                    Field.textarea("reasons", rows=4))
        self.helper.add_input(Submit("record", "Record decision"))


class WindowForm(forms.Form):
    on = forms.TypedChoiceField(label="Submission window you are aiming for",
                                coerce=dt.date.fromisoformat, widget=forms.RadioSelect)

    def __init__(self, *args, windows: list[dt.date], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["on"].choices = [(d.isoformat(), f"{d:%-d %B %Y}") for d in windows]
        self.helper = FormHelper()
        self.helper.attrs = {"novalidate": ""}
        self.helper.add_input(Submit("choose", "Choose window"))


class LeadAssessorForm(forms.Form):
    assessor = forms.ChoiceField(label="Lead assessor")

    def __init__(self, *args, choices: list[tuple[int, str]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assessor"].choices = [("", "Choose")] + choices
        self.helper = FormHelper()
        self.helper.attrs = {"novalidate": ""}
        self.helper.add_input(Submit("appoint", "Appoint"))


class CaseFilesForm(forms.Form):
    caseload = forms.CharField(label="Current caseload (one case reference a line)",
                               widget=forms.Textarea(attrs={"rows": 8}))
    worker_chosen = forms.CharField(label="The worker's own choices (one a line)",
                                    widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.attrs = {"novalidate": ""}
        self.helper.add_input(Submit("draw", "Draw case files at random"))
