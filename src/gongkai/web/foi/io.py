"""Bulk import of an existing Excel ledger (台账), all or nothing, and the ledger's export.

The workbook — our own export or an office's own sheets — is read and every row checked by
`gongkai.web.foi.sheet` in a child process with a memory and time limit (`gongkai.web.core.isolate`);
here each row's event sequence is checked against the platform calendar and numbers against the unit's
ledger. A file with any bad row is rejected whole, with one Chinese message per problem naming the
sheet, row, column and value, and the column mapping; only a clean file is written, in one transaction.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import openpyxl
from django.db import transaction

from gongkai.foi import APPLICANT_TYPES, OUTCOMES, Event, FoiError, evaluate
from gongkai.foi.deadlines import CHANNEL_LABELS
from gongkai.web.core import isolate
from gongkai.web.foi.calendar_source import platform_calendar
from gongkai.web.foi.models import Application
from gongkai.web.foi.services import create_application, statutory_receipt
from gongkai.web.foi.sheet import COLUMNS, ImportRejected, LedgerRead, ParsedRow


class LedgerRejected(ImportRejected):
    """A refused ledger, with the column mapping the import read (shown beside the errors)."""

    def __init__(self, errors: list[str], mapping: list[str] | None = None):
        super().__init__(errors)
        self.mapping = mapping or []


@dataclass
class ImportResult:
    """What an import did (or, previewed, would do): the count and which column became which field."""

    count: int
    mapping: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # sheets left out, for the result message


def _check(
    parsed: ParsedRow, existing: set[str], seen: dict[str, ParsedRow], today: date | None
) -> str | None:
    where = f"工作表“{parsed.sheet}”第 {parsed.row} 行"

    def line(fld: str, name: str, msg: str) -> str:
        cell = parsed.headers.get(fld)
        return f"{where}“{cell.header if cell else name}”：{msg}" + (f"（{cell.letter} 列）" if cell else "")

    num = parsed.data["number"]
    if num in seen:
        first = seen[num]
        other = (
            f"第 {first.row} 行" if first.sheet == parsed.sheet else f"工作表“{first.sheet}”第 {first.row} 行"
        )
        return line("number", "申请编号", f"{num} 与{other}重复")
    if num in existing:
        return line("number", "申请编号", f"{num} 已在本单位台账中")
    try:
        received = statutory_receipt(parsed.data)
        evaluate([Event("received", received), *parsed.events], platform_calendar(), today=today)
    except FoiError as exc:
        return line("replied_on", "答复日期", str(exc))
    seen[num] = parsed
    return None


def import_ledger_report(
    unit: Any, data: bytes, today: date | None = None, commit: bool = True
) -> ImportResult:
    """Import every row of every ledger sheet into ``unit``'s ledger, or nothing (ImportRejected lists every
    problem); with ``commit=False`` only check and report. With ``today``, a row dated after it is refused.
    The workbook is read in a memory-limited child process."""
    try:
        read: LedgerRead = isolate.run("gongkai.web.foi.sheet:read_ledger", data, label="台账文件")
    except isolate.IsolationFailed as exc:
        raise ImportRejected([str(exc)]) from exc
    errors = list(read.errors)
    seen: dict[str, ParsedRow] = {}
    existing = set(Application.objects.filter(unit=unit).values_list("number", flat=True))
    for parsed in read.rows:
        problem = _check(parsed, existing, seen, today)
        if problem:
            errors.append(problem)
    if errors:
        raise LedgerRejected(errors, read.mapping())
    if commit:
        with transaction.atomic():
            for parsed in read.rows:
                create_application(unit, parsed.data, parsed.events)
    return ImportResult(len(read.rows), read.mapping(), list(read.notes))


def import_ledger(unit: Any, data: bytes, today: date | None = None) -> int:
    """Import every row into ``unit``'s ledger, or nothing; returns the number of applications."""
    return import_ledger_report(unit, data, today).count


def template_workbook() -> bytes:
    """An empty ledger with the expected header, for download."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "依申请公开台账"
    ws.append([h for h, _f, _r in COLUMNS])
    ws.append(
        [
            "2025-001",
            "自然人",
            "张三",
            "",
            "13800000000",
            "当面提交",
            "2025-09-26",
            "",
            "",
            "某路段改造项目批复文件",
            "",
            "",
            "2025-10-20",
            "予以公开",
        ]
    )
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


# Columns the export adds after the import's own (the import ignores them).
EXPORT_EXTRA = ["单位", "收到日期", "状态", "答复期限", "期限说明", "期限暂定"]
_TYPE_LABEL = dict(APPLICANT_TYPES)
_CHANNEL_LABEL = {c.value: label for c, label in CHANNEL_LABELS.items()}


def _export_row(app: Application) -> list[Any]:
    extended = [e for e in app.events.all() if e.kind == "extended"]
    outcome = OUTCOMES.get(app.outcome)
    by_field: dict[str, Any] = {
        "number": app.number,
        "applicant_type": _TYPE_LABEL.get(app.applicant_type, app.applicant_type),
        "applicant_name": app.applicant_name,
        "id_document": app.id_document,
        "phone": app.phone,
        "channel": _CHANNEL_LABEL.get(app.channel, app.channel),
        "submitted_on": app.submitted_on,
        "signed_on": app.signed_on,
        "confirmed_on": app.confirmed_on,
        "content": app.content,
        "days": sum(e.days for e in extended) or None,
        "approver": extended[-1].approver if extended else "",
        "replied_on": app.replied_on,
        "outcome": f"{outcome.group}{outcome.label}" if outcome else "",
    }
    row = [by_field[f] for _h, f, _r in COLUMNS]
    row += [
        app.unit.name,
        app.received_on,
        app.get_state_display(),
        app.due_on,
        app.due_note,
        "是" if app.due_provisional else "",
    ]
    return row


def export_workbook(apps: Any) -> bytes:
    """The applications as a ledger workbook whose first columns are exactly the import's."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "依申请公开台账"
    ws.append([h for h, _f, _r in COLUMNS] + EXPORT_EXTRA)
    for app in apps.select_related("unit").prefetch_related("events"):
        ws.append(_export_row(app))
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, date):
                cell.number_format = "yyyy-mm-dd"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
