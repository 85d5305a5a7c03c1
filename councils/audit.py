"""The one writer of audit events. Every service that changes state calls ``audit_log``."""

from __future__ import annotations

from typing import Any

from django.db import models

from councils.models import AuditEvent, Council, User


def audit_log(
    *,
    council: Council,
    actor: User | None,
    action: str,
    obj: models.Model | None = None,
    affected_user: User | None = None,
    data: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append an audit event: ``action`` is dotted (``portfolio.submitted``); ``data`` is JSON
    (by convention ``{"before": ..., "after": ...}`` for changes)."""
    return AuditEvent.objects.create(
        council=council,
        actor=actor,
        action=action,
        affected_user=affected_user,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        data=data or {},
    )
