"""JSON API for HR: ``GET /api/v1/<council_slug>/pay-changes/?batch=N&status=...``.

Session authentication. ``council_view(HR)`` (outermost, on ``dispatch``) answers 404 to
non-members and 403 to members without the HR role. Paginated (page size from settings);
rows start from the council, so another council's batch number simply matches nothing.
"""

from __future__ import annotations

from django.utils.decorators import method_decorator
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.generics import ListAPIView

from councils.models import Role
from councils.permissions import council_view
from panels.models import PayChange, PayChangeStatus
from panels.selectors import pay_changes


class PayChangeSerializer(serializers.ModelSerializer):
    worker = serializers.CharField(source="worker.user.full_name")
    worker_id = serializers.IntegerField()
    batch = serializers.IntegerField(source="batch.number", allow_null=True, default=None)
    decision_date = serializers.DateField(source="decision.decided_on")

    class Meta:
        model = PayChange
        fields = ["id", "worker_id", "worker", "from_level", "to_level", "grade", "pay_point",
                  "effective_rule", "effective_on", "status", "batch", "decision_id",
                  "decision_date", "assigned_roles"]


@method_decorator(council_view(Role.HR), name="dispatch")
class PayChangeListView(ListAPIView):
    serializer_class = PayChangeSerializer

    def get_queryset(self):
        batch = self.request.query_params.get("batch")
        status = self.request.query_params.get("status", "")
        if batch not in (None, "") and not str(batch).isdigit():
            raise ValidationError({"batch": "A batch number."})
        if status and status not in PayChangeStatus.values:
            raise ValidationError({"status": "One of " + ", ".join(PayChangeStatus.values)})
        return pay_changes(self.request.council, status=status,
                           batch=int(batch) if batch else None).order_by("id")
