"""Display filters of the panel pages."""

from __future__ import annotations

from django import template

from councils.models import Role

register = template.Library()
ROLE_LABELS = dict(Role.choices)


@register.filter
def role_label(slug: str) -> str:
    """A pack role slug in plain words ("assistant-director" -> "Assistant director")."""
    return str(ROLE_LABELS.get(slug, slug.replace("-", " ").capitalize())) if slug else ""


@register.filter
def role_labels(slugs) -> str:
    return ", ".join(role_label(s) for s in slugs or [])
