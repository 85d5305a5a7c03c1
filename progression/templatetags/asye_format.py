"""Presentation filters for the ASYE pages."""

from __future__ import annotations

from collections.abc import Iterable

from django import template

from councils.models import Role

register = template.Library()


@register.filter
def role_names(roles: Iterable[str] | None) -> str:
    """Pack role slugs as words in a sentence: ``["asye-lead", "line-manager"]`` ->
    ``"the ASYE lead or co-ordinator and the line manager"``; ``["hr"]`` -> ``"HR"`` (the
    council's role labels, lower case unless an acronym starts them)."""
    labels = dict(Role.choices)
    names = [_in_sentence(str(labels.get(r, r.replace("-", " ")))) for r in (roles or [])]
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def _in_sentence(label: str) -> str:
    if label.isupper():
        return label
    if len(label) > 1 and label[1].isupper():
        return f"the {label}"
    return f"the {label[:1].lower()}{label[1:]}"
