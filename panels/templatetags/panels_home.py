"""Home-page sections of the panels app: a chair's or member's sittings, HR's pay changes."""

from __future__ import annotations

from django import template

from councils.models import Membership
from panels import selectors
from panels.models import Decision, PayChange, PayChangeStatus

register = template.Library()


@register.inclusion_tag("panels/_home_panel.html")
def panel_home(membership: Membership) -> dict:
    """Open sittings the member chairs or sits on (three queries)."""
    sittings = [s for s in selectors.sittings_for(membership, manage=False)
                if s.closed_at is None]
    return {"sittings": sittings, "council": membership.council, "membership": membership}


@register.inclusion_tag("panels/_home_hr.html")
def hr_home(membership: Membership) -> dict:
    """Counts of pay changes needing a date or ready to export, and the latest decisions."""
    council = membership.council
    counts = {status: 0 for status in PayChangeStatus.values}
    for status in PayChange.objects.filter(council=council).values_list("status", flat=True):
        counts[status] += 1
    decisions = list(Decision.objects.filter(council=council, is_current=True)
                     .select_related("case__worker__user")[:5])
    return {"ready": counts[PayChangeStatus.READY],
            "awaiting_date": counts[PayChangeStatus.AWAITING_DATE],
            "awaiting_vacancy": counts[PayChangeStatus.AWAITING_VACANCY],
            "decisions": decisions, "council": council}
