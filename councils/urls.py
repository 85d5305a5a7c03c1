"""Foundation URLs. Council pages live under ``/<council_slug>/`` (see ``council_patterns``)
and every council view is wrapped in ``councils.permissions.council_view``."""

from django.urls import include, path

from councils import views

council_patterns = [
    path("", views.home, name="home"),
]

urlpatterns = [
    path("", views.landing, name="landing"),
    path("councils/", views.council_switch, name="council_switch"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("accounts/login/", views.SignInView.as_view(), name="login"),
    path("accounts/logout/", views.SignOutView.as_view(), name="logout"),
    path("accounts/password-reset/", views.ResetRequestView.as_view(), name="password_reset"),
    path(
        "accounts/password-reset/sent/",
        views.ResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "accounts/reset/<uidb64>/<token>/",
        views.ResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/reset/done/",
        views.ResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("<slug:council_slug>/", include(council_patterns)),
]
