"""Panel tasks: thin, take ids, run in the council's scope, safe to run twice."""

from __future__ import annotations

from config.celery import app
from config.tasks import CouncilTask
from councils.models import Council
from panels.models import Decision
from panels.services import decision_record_render as render_service


@app.task(base=CouncilTask, name="panels.tasks.decision_record_render")
def decision_record_render(*, council: Council, decision_id: int) -> None:
    """Render the decision's PDF record (pretix's invoice_pdf_task). Queued after commit by
    ``decision_issue``/``decision_correct``; an already rendered record is left as it is."""
    decision = (Decision.objects.filter(council=council, pk=decision_id)
                .select_related("case__worker__user", "case__pack_version", "sitting",
                                "issued_by__user", "supersedes", "council").first())
    if decision is not None:
        render_service(decision=decision)
