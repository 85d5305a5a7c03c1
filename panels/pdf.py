"""Rendering of the decision record as PDF: the only code that imports WeasyPrint.

The record says what was decided, by whom, why, and with what effect, and the appeal route;
it never includes evidence (HR and the worker may read it). The HTML comes from a Django
template so the wording lives with the other pages.
"""

from __future__ import annotations

from django.template.loader import render_to_string
from weasyprint import HTML

from panels.models import Decision
from panels.selectors import route_of_case
from progression import engine


def decision_record_context(decision: Decision) -> dict:
    """What the record shows: decision, effect and the appeal deadline from the engine."""
    pack, route = route_of_case(decision.case)
    appeal = next((a for a in route.appeals if a.trigger == "panel-decision"), None)
    due = engine.appeal_due(pack, route.slug, decision.received_on, "panel-decision",
                            decision.outcome) if appeal else None
    return {"decision": decision, "case": decision.case, "route": route, "pack": pack,
            "appeal": appeal, "appeal_due": due, "council": decision.council}


def render_decision_pdf(decision: Decision) -> bytes:
    """The decision record as PDF bytes."""
    html = render_to_string("panels/decision_record.html", decision_record_context(decision))
    return HTML(string=html).write_pdf()
