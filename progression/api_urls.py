"""API v1 under ``/api/v1/<council_slug>/`` (the kwarg name lets the council scope
middleware resolve the council, as for the pages)."""

from django.urls import path

from progression import api

urlpatterns = [
    path("workers/<int:membership_id>/eligibility", api.WorkerEligibilityView.as_view(),
         name="api_worker_eligibility"),
]
