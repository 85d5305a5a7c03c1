"""JSON API: ``GET /api/v1/<council_slug>/workers/<membership_id>/eligibility?on=YYYY-MM-DD``.

Session authentication (the signed-in user's browser session). The same rules as the
eligibility checker: ``council_view`` (outermost, on ``dispatch``) answers 404 to anyone
who is not a member of the council and 403 to a member without a checker role; another
council's worker id is 404 like an id that does not exist; a worker of this council whom
the actor may not check is 403 (``can_check_eligibility``).
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.decorators import method_decorator
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from councils.permissions import council_view
from progression.eligibility import (
    EligibilityReport,
    access_worker_for_eligibility,
    eligibility_report,
)
from progression.permissions import ELIGIBILITY_CHECKER_ROLES


class ReasonSerializer(serializers.Serializer):
    rule = serializers.CharField()
    code = serializers.CharField()
    message = serializers.CharField()


class RouteAnswerSerializer(serializers.Serializer):
    route = serializers.CharField()
    title = serializers.CharField()
    eligible = serializers.BooleanField()
    earliest_on = serializers.DateField(allow_null=True)
    reasons = ReasonSerializer(many=True)
    warnings = ReasonSerializer(many=True)


def report_json(report: EligibilityReport) -> dict:
    """The API's JSON for a report (also its documentation: field by field)."""
    return {
        "worker": report.worker.pk,
        "on": report.on.isoformat(),
        "pack_version": report.version,
        "pack_effective_from": (report.effective_from.isoformat()
                                if report.effective_from else None),
        "routes": RouteAnswerSerializer(report.answers, many=True).data,
    }


def parse_on(raw: str | None) -> dt.date:
    """``on`` from the query string: absent means today; otherwise exactly YYYY-MM-DD."""
    if raw is None or raw == "":
        return timezone.localdate()
    try:
        if len(raw) != 10:
            raise ValueError
        return dt.date.fromisoformat(raw)
    except ValueError as exc:
        raise serializers.ValidationError(
            {"on": f"{raw!r} is not a date; give a real date as YYYY-MM-DD, "
                   "for example 2026-04-30"}) from exc


@method_decorator(council_view(*sorted(ELIGIBILITY_CHECKER_ROLES)), name="dispatch")
class WorkerEligibilityView(APIView):
    """Each route's eligibility for one worker on one date (default today).

    200: ``{worker, on, pack_version, pack_effective_from, routes: [{route, title, eligible,
    earliest_on, reasons: [{rule, code, message}], warnings: [...]}]}``; ``pack_version`` is
    null and ``routes`` empty when the council has no rule pack in force on that date.
    400: ``{"on": message}`` for a bad date. 403 / 404 as described in the module docstring.
    """

    def get(self, request: Request, council_slug: str, membership_id: int) -> Response:
        worker = access_worker_for_eligibility(request.membership, request.council,
                                               membership_id)
        on = parse_on(request.query_params.get("on"))
        report = eligibility_report(council=request.council, worker=worker, on=on)
        return Response(report_json(report))
