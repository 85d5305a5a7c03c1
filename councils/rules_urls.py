"""The "Our rules" page and the eligibility checker (included under ``/<council_slug>/``)."""

from django.urls import path

from councils import rules_views

urlpatterns = [
    path("rules/", rules_views.council_rules, name="council_rules"),
    path("eligibility/", rules_views.eligibility_checker, name="eligibility_checker"),
]
