"""Sign-in, sign-out, lockout, password reset and session expiry (issue 3, item 6)."""

from __future__ import annotations

import re

from django.conf import settings
from django.core import mail

from councils.models import Role
from tests.factories import TEST_PASSWORD, MembershipFactory, UserFactory


def _sign_in(client, email: str, password: str):
    return client.post("/accounts/login/", {"username": email, "password": password})


def test_sign_in_page_has_labelled_fields_and_one_heading(client, db):
    html = client.get("/accounts/login/").content.decode()
    assert html.count("<h1") == 1
    assert 'for="id_username" class="govuk-label"' in html
    assert 'autocomplete="current-password"' in html


def test_member_of_one_council_signs_in_and_lands_on_its_home_page(client, council):
    membership = MembershipFactory(council=council, roles=[Role.SOCIAL_WORKER])
    response = _sign_in(client, membership.user.email, TEST_PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == "/"
    response = client.get("/")
    assert response["Location"] == f"/{council.slug}/"


def test_email_is_matched_whatever_its_case(client, council):
    membership = MembershipFactory(council=council, user__email="mixed@example.org")
    response = _sign_in(client, "  Mixed@Example.ORG ", TEST_PASSWORD)
    assert response.status_code == 302
    assert client.get(f"/{council.slug}/").status_code == 200
    assert membership.user.email == "mixed@example.org"


def test_wrong_password_shows_a_clear_error_summary_and_keeps_the_email(client, council):
    MembershipFactory(council=council, user__email="sw@example.org")
    response = _sign_in(client, "sw@example.org", "not-the-password")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: Sign in" in html
    assert "govuk-error-summary" in html
    assert "The email address or password is not right" in html
    assert 'value="sw@example.org"' in html


def test_empty_form_names_each_missing_field(client, db):
    html = client.post("/accounts/login/", {}).content.decode()
    assert 'href="#id_username">Enter your email address' in html
    assert 'href="#id_password">Enter your password' in html


def test_account_locks_after_five_failures_even_for_the_right_password(client, council):
    membership = MembershipFactory(council=council, user__email="target@example.org")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _sign_in(client, "target@example.org", "wrong-password").status_code == 200
    locked = _sign_in(client, "target@example.org", "wrong-password")
    assert locked.status_code == 429
    assert "Your account is locked" in locked.content.decode()
    assert "30 minutes" in locked.content.decode()
    again = _sign_in(client, membership.user.email, TEST_PASSWORD)
    assert again.status_code == 429
    assert "_auth_user_id" not in client.session


def test_sign_out_is_a_post_and_ends_the_session(client, council):
    membership = MembershipFactory(council=council)
    client.force_login(membership.user, backend="django.contrib.auth.backends.ModelBackend")
    assert client.get("/accounts/logout/").status_code == 405
    response = client.post("/accounts/logout/")
    assert response["Location"] == "/accounts/login/"
    assert client.get(f"/{council.slug}/").status_code == 302


def test_signed_out_visitor_at_the_root_is_sent_to_sign_in(client, db):
    assert client.get("/")["Location"] == "/accounts/login/"


def test_password_reset_sends_a_working_link(client, council):
    MembershipFactory(council=council, user__email="forgot@example.org")
    response = client.post("/accounts/password-reset/", {"email": "Forgot@example.org"})
    assert response["Location"] == "/accounts/password-reset/sent/"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["forgot@example.org"]
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    assert "Choose a new password" in form_page.content.decode()
    changed = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "a-brand-new-pass-77", "new_password2": "a-brand-new-pass-77"},
    )
    assert changed["Location"] == "/accounts/reset/done/"
    assert _sign_in(client, "forgot@example.org", "a-brand-new-pass-77").status_code == 302


def test_password_reset_for_an_unknown_address_says_the_same_and_sends_nothing(client, db):
    response = client.post("/accounts/password-reset/", {"email": "nobody@example.org"})
    assert response["Location"] == "/accounts/password-reset/sent/"
    assert mail.outbox == []


def test_password_reset_mismatch_is_explained(client, council):
    MembershipFactory(council=council, user__email="mismatch@example.org")
    client.post("/accounts/password-reset/", {"email": "mismatch@example.org"})
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", mail.outbox[0].body).group(1)
    page = client.get(link, follow=True).redirect_chain[-1][0]
    html = client.post(page, {"new_password1": "a-brand-new-pass-77",
                              "new_password2": "another-pass-88"}).content.decode()
    assert "The two passwords do not match" in html
    assert "govuk-error-summary" in html


def test_used_reset_link_says_it_does_not_work(client, db):
    html = client.get("/accounts/reset/MQ/not-a-token/").content.decode()
    assert "This link does not work" in html


def test_session_ends_after_two_hours_idle_and_at_browser_close(client, council):
    membership = MembershipFactory(council=council)
    _sign_in(client, membership.user.email, TEST_PASSWORD)
    assert client.session.get_expiry_age() == 2 * 60 * 60
    assert client.session.get_expire_at_browser_close() is True
    assert settings.SESSION_SAVE_EVERY_REQUEST is True


def test_admin_is_for_platform_operators_only(client, council):
    member = MembershipFactory(council=council, roles=[Role.COUNCIL_ADMIN])
    client.force_login(member.user, backend="django.contrib.auth.backends.ModelBackend")
    assert client.get("/admin/")["Location"].startswith("/admin/login/")
    operator = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(operator, backend="django.contrib.auth.backends.ModelBackend")
    assert client.get("/admin/").status_code == 200


def test_email_and_password_fields_in_error_are_marked_invalid_and_styled(client, db):
    """crispy-forms-gds puts govuk-input--error only on text inputs; e-mail and password
    inputs in error carry aria-invalid, which app.css gives the same red border."""
    html = client.post("/accounts/login/", {"username": "not-an-address", "password": ""}
                       ).content.decode()
    email = re.search(r'<input[^>]*name="username"[^>]*>', html).group(0)
    password = re.search(r'<input[^>]*name="password"[^>]*>', html).group(0)
    assert 'aria-invalid="true"' in email and 'type="email"' in email
    assert 'aria-invalid="true"' in password and 'type="password"' in password
    assert 'aria-invalid' not in client.get("/accounts/login/").content.decode()
    css = (settings.BASE_DIR / "static" / "css" / "app.css").read_text()
    assert '.govuk-input[aria-invalid="true"] { border-color: #d4351c; }' in css
