"""Foundation pages: landing, council switcher, sign-in, password reset, home, accessibility.

Views are thin: parse the request, call one selector, render.
"""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.views.decorators.http import require_GET

from councils.forms import NewPasswordForm, ResetRequestForm, SignInForm
from councils.permissions import council_view
from councils.selectors import home_page, memberships_of_user
from progression.asye.selectors import asye_home


@require_GET
def landing(request: HttpRequest) -> HttpResponse:
    """Signed out: the sign-in page. Signed in: straight to the only council, else a choice."""
    if not request.user.is_authenticated:
        return redirect("login")
    memberships = memberships_of_user(request.user)
    if len(memberships) == 1:
        return redirect("home", council_slug=memberships[0].council.slug)
    return render(request, "councils/choose_council.html", {"memberships": memberships})


@require_GET
@login_required
def council_switch(request: HttpRequest) -> HttpResponse:
    """The councils a person belongs to, to move between them (agency staff)."""
    return render(
        request, "councils/choose_council.html", {"memberships": memberships_of_user(request.user)}
    )


@require_GET
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "accessibility.html")


@council_view()
@require_GET
def home(request: HttpRequest, council_slug: str) -> HttpResponse:
    """The member's home page: one section for each group of roles they hold."""
    page = home_page(request.council, request.membership)
    # The ASYE year (progression.asye): NQSW, manager and ASYE lead parts of the home page.
    asye = asye_home(request.membership, timezone.localdate())
    return render(request, "councils/home.html", {"page": page, "asye": asye})


class SignInView(auth_views.LoginView):
    form_class = SignInForm
    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def get_default_redirect_url(self) -> str:
        # The landing page knows whether to go to one council or offer a choice.
        return reverse("landing")


class SignOutView(auth_views.LogoutView):
    """POST only (Django 5): a link cannot sign someone out behind their back."""

    next_page = reverse_lazy("login")


class ResetRequestView(auth_views.PasswordResetView):
    form_class = ResetRequestForm
    template_name = "registration/password_reset_form.html"
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"
    success_url = reverse_lazy("password_reset_done")


class ResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "registration/password_reset_done.html"


class ResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = NewPasswordForm
    template_name = "registration/password_reset_confirm.html"
    success_url = reverse_lazy("password_reset_complete")


class ResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "registration/password_reset_complete.html"
