"""Panel pages under ``/<council_slug>/panels/`` (included from config/urls.py)."""

from django.urls import path

from panels import views

urlpatterns = [
    path("", views.sitting_list, name="panels_sittings"),
    path("new/", views.sitting_new, name="panels_sitting_new"),
    path("<int:sitting_id>/", views.sitting_detail, name="panels_sitting"),
    path("<int:sitting_id>/date/", views.sitting_date, name="panels_sitting_date"),
    path("<int:sitting_id>/close/", views.sitting_close, name="panels_sitting_close"),
    path("<int:sitting_id>/cases/<int:case_id>/decide/", views.decision_new,
         name="panels_decide"),
    path("cases/<int:case_id>/qa/", views.case_qa, name="panels_case_qa"),
    path("decisions/<int:decision_id>/", views.decision_detail, name="panels_decision"),
    path("decisions/<int:decision_id>/correct/", views.decision_correct,
         name="panels_decision_correct"),
    path("decisions/<int:decision_id>/referral/", views.referral_conclude,
         name="panels_referral_conclude"),
    path("decisions/<int:decision_id>/record/", views.decision_record,
         name="panels_decision_record"),
    path("decisions/<int:decision_id>/appeal/", views.appeal_new, name="panels_appeal_new"),
    path("appeals/", views.appeal_list, name="panels_appeals"),
    path("appeals/<int:appeal_id>/", views.appeal_detail, name="panels_appeal"),
    path("appeals/<int:appeal_id>/panel/", views.appeal_panel, name="panels_appeal_panel"),
]
