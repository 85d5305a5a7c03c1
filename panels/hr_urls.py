"""HR pages under ``/<council_slug>/hr/`` (included from config/urls.py)."""

from django.urls import path

from panels import views

urlpatterns = [
    path("pay-changes/", views.pay_change_list, name="hr_pay_changes"),
    path("pay-changes/export/", views.pay_export, name="hr_pay_export"),
    path("pay-changes/<int:pay_change_id>/date/", views.pay_change_date,
         name="hr_pay_change_date"),
    path("pay-changes/batches/<int:batch_id>/csv/", views.batch_csv, name="hr_batch_csv"),
    path("pay-changes/batches/<int:batch_id>/xlsx/", views.batch_xlsx, name="hr_batch_xlsx"),
]
