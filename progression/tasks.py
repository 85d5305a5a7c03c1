"""Progression tasks (thin: they find the councils and call one service each; safe to run
twice)."""

from __future__ import annotations

import datetime as dt

from celery import shared_task
from django.conf import settings
from django.utils import timezone
from django_scopes import scope

from config.celery import app
from config.tasks import CouncilTask
from councils.models import Council


@shared_task(name="progression.tasks.escalate_caseload_breaches")
def escalate_caseload_breaches(on: str | None = None) -> int:
    """STOKE-27: escalate every unresolved caseload breach past its timer, in every active
    council. Safe to run twice a day (an escalated breach is never escalated again).
    ``on`` (ISO date) defaults to today in Europe/London; returns how many were escalated."""
    from progression.asye.services import caseload_breaches_escalate

    day = dt.date.fromisoformat(on) if on else timezone.localdate()
    total = 0
    for council in Council.objects.filter(is_active=True):
        with scope(council=council):
            total += caseload_breaches_escalate(council=council, on=day)
    return total


@shared_task(name="progression.tasks.escalate_asye_ceilings")
def escalate_asye_ceilings(on: str | None = None) -> int:
    """STOKE-13: escalate every open programme that reached its ceiling with no decision, in
    every active council (each programme once). Returns how many were escalated."""
    from progression.asye.services import programme_ceilings_escalate

    day = dt.date.fromisoformat(on) if on else timezone.localdate()
    total = 0
    for council in Council.objects.filter(is_active=True):
        with scope(council=council):
            total += programme_ceilings_escalate(council=council, on=day)
    return total


@app.task(base=CouncilTask, name="progression.tasks.send_asye_escalation")
def send_asye_escalation(*, council: Council, kind: str, object_id: int) -> int:
    """E-mail one escalation (``breach`` or ``ceiling``); queued after the escalation commits.
    The service stamps the row, so a retry sends nothing twice."""
    from progression.asye.services import escalation_notify

    return escalation_notify(council=council, kind=kind, object_id=object_id,
                             site_url=settings.SITE_URL)
