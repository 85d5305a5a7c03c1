"""Small presentation filters for council pages."""

from __future__ import annotations

from datetime import timedelta

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
