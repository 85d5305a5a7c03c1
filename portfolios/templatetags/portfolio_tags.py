"""``{% portfolio_needs membership as needs %}``: the member's open cases with the engine's
checklist, for the home page's "what I still need" section."""

from __future__ import annotations

from django import template
from django.utils import timezone

from councils.models import Membership
from portfolios import wording
from portfolios.models import CaseStatus
from portfolios.selectors import Overview, cases_of_worker, portfolio_overview

register = template.Library()


@register.simple_tag
def portfolio_needs(membership: Membership | None) -> list[Overview]:
    if membership is None:
        return []
    today = timezone.localdate()
    return [portfolio_overview(case, today) for case in cases_of_worker(membership)
            if case.status not in (CaseStatus.CLOSED,)]


@register.filter
def plain(message: str) -> str:
    """An engine checklist message in plain words (``portfolios.wording``)."""
    return wording.plain(str(message))


@register.filter
def role_words(role: str) -> str:
    return wording.role_words(str(role))


@register.filter
def slug_words(slug: str) -> str:
    return wording.slug_words(str(slug))
