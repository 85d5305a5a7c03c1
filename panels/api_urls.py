"""HR API under ``/api/v1/<council_slug>/``."""

from django.urls import path

from panels import api

urlpatterns = [
    path("pay-changes/", api.PayChangeListView.as_view(), name="api_pay_changes"),
]
