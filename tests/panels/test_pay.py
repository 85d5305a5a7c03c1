"""The pay-change ledger and HR exports: dates, batches, idempotent re-downloads, API."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django_scopes import scope
from openpyxl import load_workbook

from councils.models import AuditEvent
from panels import exports, services
from panels.models import PayChange, PayChangeStatus

SITTING = dt.date(2026, 9, 15)


def _pass(p):
    with scope(council=p.council):
        return services.decision_issue(actor=p.chair, sitting=p.sitting, case=p.case,
                                       outcome="pass", decided_on=SITTING)


def test_export_batches_ready_changes_once_and_redownload_gives_the_same_rows(panel):
    p = panel("lincolnshire", "level-1-to-level-2", level="level-1")
    _pass(p)
    with scope(council=p.council):
        batch = services.pay_export_create(actor=p.hr, council=p.council, fmt="csv")
        first = exports.batch_csv(batch)
        assert exports.batch_csv(batch) == first
        rows = list(csv.reader(io.StringIO(first.decode("utf-8-sig"))))
        assert rows[0][:3] == ["Pay change", "Payroll number", "Worker"]
        assert rows[1][5:9] == ["level-2", "G9", "SCP 25", "2026-09-15"]
        assert PayChange.objects.get().status == PayChangeStatus.EXPORTED
        with pytest.raises(ValidationError, match="no pay changes ready"):
            services.pay_export_create(actor=p.hr, council=p.council, fmt="xlsx")
        sheet = load_workbook(io.BytesIO(exports.batch_xlsx(batch))).active
        assert [c.value for c in sheet[2]][5:9] == ["level-2", "G9", "SCP 25", "2026-09-15"]
        assert exports.batch_xlsx(batch) == exports.batch_xlsx(batch)
        assert AuditEvent.objects.filter(action="pay_export.created").count() == 1


def test_a_change_without_a_date_is_not_exported_until_hr_enters_it(panel):
    """HALTON-28, 004_5b66ca4edcf6546b.txt: the effective date is not stated; HR enters it
    before export, and the career record then moves."""
    p = panel("halton", "level-2-to-level-3", member_role="divisional-manager",
              level="level-2")
    _pass(p)
    with scope(council=p.council):
        change = PayChange.objects.get()
        with pytest.raises(ValidationError):
            services.pay_export_create(actor=p.hr, council=p.council, fmt="csv")
        with pytest.raises(PermissionDenied):
            services.pay_change_set_effective_date(actor=p.chair, pay_change=change,
                                                   on=dt.date(2026, 10, 1))
        with pytest.raises(ValidationError):
            services.pay_change_set_effective_date(actor=p.hr, pay_change=change,
                                                   on=dt.date(2026, 9, 1))
        services.pay_change_set_effective_date(actor=p.hr, pay_change=change,
                                               on=dt.date(2026, 10, 1))
        batch = services.pay_export_create(actor=p.hr, council=p.council, fmt="xlsx")
        assert [r["spinal_column_point"] for r in batch.rows] == ["SCP 28"]
        assert batch.rows[0]["effective_on"] == "2026-10-01"


def test_only_hr_exports(panel):
    p = panel("lincolnshire", "level-1-to-level-2", level="level-1")
    _pass(p)
    with scope(council=p.council), pytest.raises(PermissionDenied):
        services.pay_export_create(actor=p.chair, council=p.council, fmt="csv")
