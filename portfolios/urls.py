"""Portfolio pages under ``/<council_slug>/portfolios/`` (included from config/urls.py)."""

from django.urls import path

from portfolios import views

urlpatterns = [
    path("", views.case_list, name="portfolio_cases"),
    path("start/", views.case_start, name="portfolio_start"),
    path("<int:case_id>/", views.case_detail, name="portfolio_case"),
    path("<int:case_id>/upload/", views.evidence_upload, name="portfolio_upload"),
    path("<int:case_id>/write/", views.evidence_statement, name="portfolio_statement"),
    path("<int:case_id>/sign/", views.signoff, name="portfolio_signoff"),
    path("<int:case_id>/submit/", views.submit, name="portfolio_submit"),
    path("<int:case_id>/booking/", views.booking, name="portfolio_booking"),
    path("<int:case_id>/intent/", views.intent, name="portfolio_intent"),
    path("<int:case_id>/window/", views.window, name="portfolio_window"),
    path("<int:case_id>/lead-assessor/", views.lead_assessor, name="portfolio_lead_assessor"),
    path("<int:case_id>/case-files/", views.case_files, name="portfolio_case_files"),
    path("evidence/<int:item_id>/edit/", views.evidence_edit, name="portfolio_evidence_edit"),
    path("evidence/<int:item_id>/download/", views.evidence_download,
         name="portfolio_download"),
    path("versions/<int:portfolio_id>/", views.portfolio_version, name="portfolio_version"),
]
