"""Small presentation filters for council pages."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def duration_words(value: timedelta | None) -> str:
    """``timedelta(minutes=30)`` -> ``"30 minutes"``; hours when whole, e.g. ``"2 hours"``."""
    if not value:
        return ""
    minutes = int(value.total_seconds() // 60)
    if minutes and minutes % 60 == 0:
        hours = minutes // 60
        return f"{hours} hour{'s' if hours != 1 else ''}"
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


@register.filter
def fte(value: Decimal | None) -> str:
    """A full-time equivalent as people write it: ``Decimal("0.600")`` -> ``"0.6"``,
    ``Decimal("1.000")`` -> ``"1"``; empty for None."""
    if value is None:
        return ""
    return f"{Decimal(value).normalize():f}"
