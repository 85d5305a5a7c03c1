"""Progression tasks (thin: they find the councils and call one service each)."""

from __future__ import annotations

import datetime as dt

from celery import shared_task
from django.utils import timezone
from django_scopes import scope

from councils.models import Council
from progression.asye.services import caseload_breaches_escalate


@shared_task(name="progression.tasks.escalate_caseload_breaches")
def escalate_caseload_breaches(on: str | None = None) -> int:
    """STOKE-27: escalate every unresolved caseload breach past its timer, in every active
    council. Safe to run twice a day (an escalated breach is never escalated again).
    ``on`` (ISO date) defaults to today in Europe/London; returns how many were escalated."""
    day = dt.date.fromisoformat(on) if on else timezone.localdate()
    total = 0
    for council in Council.objects.filter(is_active=True):
        with scope(council=council):
            total += caseload_breaches_escalate(council=council, on=day)
    return total
