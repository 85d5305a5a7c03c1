"""Celery application. Embedded mode runs tasks eagerly in-process (see settings)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("progression")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
