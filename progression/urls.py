"""Progression pages under ``/<council_slug>/`` (included from config/urls.py).

URL names are global, like the rest of the council pages.
"""

from django.urls import path

from progression import views

urlpatterns = [
    path("people/<int:membership_id>/record/", views.career_record, name="career_record"),
    path("people/<int:membership_id>/record/edit/", views.career_record_edit,
         name="career_record_edit"),
    path("people/<int:membership_id>/record/pay/", views.career_record_pay,
         name="career_record_pay"),
    path("people/<int:membership_id>/record/hours/add/", views.hours_add,
         name="hours_period_add"),
    path("people/<int:membership_id>/record/absences/add/", views.absence_add,
         name="absence_add"),
]
