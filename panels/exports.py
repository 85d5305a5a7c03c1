"""HR export files of a pay-change batch, built from the rows frozen in the batch, so a
re-download gives the same rows (pay_export_create froze them)."""

from __future__ import annotations

import csv
import io

from openpyxl import Workbook

from panels.models import PayExportBatch
from panels.services import EXPORT_COLUMNS

HEADERS = {"pay_change": "Pay change", "payroll_number": "Payroll number", "worker": "Worker",
           "email": "E-mail", "from_level": "From level", "to_level": "To level",
           "grade": "Grade", "spinal_column_point": "Spinal column point",
           "effective_on": "Effective date", "decision_date": "Decision date",
           "assigned_to": "Assigned to"}


def batch_csv(batch: PayExportBatch) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([HEADERS[c] for c in EXPORT_COLUMNS])
    for row in batch.rows:
        writer.writerow([row.get(c, "") for c in EXPORT_COLUMNS])
    return out.getvalue().encode("utf-8-sig")  # BOM: Excel opens UTF-8 names correctly


def batch_xlsx(batch: PayExportBatch) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = f"Batch {batch.number}"
    ws.append([HEADERS[c] for c in EXPORT_COLUMNS])
    for row in batch.rows:
        ws.append([row.get(c, "") for c in EXPORT_COLUMNS])
    # Fixed document times: the same batch gives the same file.
    created = batch.created_at.replace(tzinfo=None, microsecond=0)
    wb.properties.created = wb.properties.modified = created
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
