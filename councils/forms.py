"""Sign-in and password forms with GOV.UK markup (crispy-forms-gds).

They subclass Django's own auth forms, so the security behaviour (timing-safe checks,
inactive accounts, token handling) stays Django's; only wording and layout change.
"""

from __future__ import annotations

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Submit
from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm


def _helper(*fields: Field, submit: str) -> FormHelper:
    helper = FormHelper()
    # The server validates; the browser's own messages would bypass the error summary.
    helper.attrs = {"novalidate": ""}
    helper.layout = Layout(*fields, Submit("submit", submit))
    return helper


class SignInForm(AuthenticationForm):
    """E-mail and password. The field keeps Django's name ``username`` (django-axes reads it)."""

    username = forms.EmailField(
        label="Email address",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.org",
        },
    )
    password = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "Enter your password"},
    )

    error_messages = {
        "invalid_login": (
            "The email address or password is not right. Check them and try again. "
            "After 5 failed attempts your account is locked for 30 minutes."
        ),
        "inactive": "This account has been closed. Ask your council administrator.",
    }

    def __init__(self, request=None, *args, **kwargs) -> None:
        super().__init__(request, *args, **kwargs)
        self.helper = _helper(
            Field.text("username", field_width=20),
            Field.text("password", field_width=20),
            submit="Sign in",
        )

    def clean_username(self) -> str:
        # Accounts are stored with lower-case addresses; people type them in any case.
        return self.cleaned_data["username"].strip().lower()


class ResetRequestForm(PasswordResetForm):
    """Ask for a password reset link by e-mail."""

    email = forms.EmailField(
        label="Email address",
        max_length=254,
        help_text="We will send a link to reset your password if this address has an account.",
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.org",
        },
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(Field.text("email", field_width=20), submit="Send reset link")

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()


class NewPasswordForm(SetPasswordForm):
    """Choose a new password after following a reset link."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = "New password"
        self.fields["new_password1"].help_text = (
            "At least 10 characters. Avoid common passwords and your name or email address."
        )
        self.fields["new_password1"].error_messages["required"] = "Enter a new password"
        self.fields["new_password2"].label = "Confirm new password"
        self.fields["new_password2"].error_messages["required"] = "Enter the new password again"
        self.error_messages = {
            **self.error_messages,
            "password_mismatch": "The two passwords do not match. Enter the same password twice.",
        }
        self.helper = _helper(
            Field.text("new_password1", field_width=20),
            Field.text("new_password2", field_width=20),
            submit="Change password",
        )

