"""Bulk import of an existing Excel ledger (台账), all or nothing.

Every row is checked first (required cells, dates, labels, the event sequence through the domain
core); a file with any bad row is rejected whole, with one Chinese message per problem naming the
row and the column. Only a clean file is written, inside one transaction. The workbook is read by
`gongkai.web.foi.sheet` in a child process with a memory and time limit (`gongkai.web.core.isolate`).
"""

from __future__ import annotations

import io
import re
from datetime import date, datetime
from typing import Any

import openpyxl
from django.db import transaction

from gongkai.foi import APPLICANT_TYPES, OUTCOMES, Event, FoiError, evaluate
from gongkai.foi.deadlines import CHANNEL_LABELS, Channel
from gongkai.web.core import isolate
from gongkai.web.foi.calendar_source import platform_calendar
from gongkai.web.foi.models import Application
from gongkai.web.foi.services import create_application, statutory_receipt
from gongkai.web.foi.sheet import COLUMNS, ImportRejected

TYPE_BY_LABEL = {label: key for key, label in APPLICANT_TYPES.items()} | {k: k for k in APPLICANT_TYPES}
TYPE_BY_LABEL |= {
    "公民": "natural_person",
    "个人": "natural_person",
    "企业": "commercial",
    "律师事务所": "legal_service",
}
CHANNEL_BY_LABEL = {label: c.value for c, label in CHANNEL_LABELS.items()} | {
    c.value: c.value for c in Channel
}
CHANNEL_BY_LABEL |= {
    "当面": "in_person",
    "现场": "in_person",
    "邮寄": "post_signed",
    "挂号信": "post_signed",
    "EMS": "post_signed",
    "平信": "post_ordinary",
    "网络": "online",
    "网上": "online",
    "在线": "online",
    "互联网": "online",
    "电子邮件": "online",
    "信函": "post_signed",
}
OUTCOME_BY_LABEL = {o.key: o.key for o in OUTCOMES.values()} | {o.label: o.key for o in OUTCOMES.values()}
OUTCOME_BY_LABEL |= {f"{o.group}{o.label}": o.key for o in OUTCOMES.values()}
OUTCOME_BY_LABEL |= {"予以公开": "granted", "部分公开": "partial_grant"}


def _date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    m = re.fullmatch(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?", text)
    if not m:
        raise ValueError(f"“{text}”不是日期，应为 2025-09-26 或 2025年9月26日")
    return date(int(m[1]), int(m[2]), int(m[3]))


def _parse_row(
    number: int, values: dict[str, Any], errors: list[str], today: date | None = None
) -> tuple[dict[str, Any], list[Event]] | None:
    data: dict[str, Any] = {}
    extra: dict[str, Any] = {}
    before = len(errors)

    def err(col: str, msg: str) -> None:
        errors.append(f"第 {number} 行“{col}”：{msg}")

    for header, field, required in COLUMNS:
        value = values.get(header)
        if value is None:
            if required:
                err(header, "必填，不能为空")
            continue
        try:
            if field in ("submitted_on", "signed_on", "confirmed_on", "replied_on"):
                value = _date(value)
            elif field == "applicant_type":
                value = TYPE_BY_LABEL[str(value)]
            elif field == "channel":
                value = CHANNEL_BY_LABEL[str(value)]
            elif field == "outcome":
                value = OUTCOME_BY_LABEL[str(value).replace(" ", "")]
            elif field == "days":
                value = int(value)
            else:
                value = str(value)
        except KeyError:
            err(header, f"无法识别的值“{value}”")
            continue
        except ValueError as exc:
            err(header, str(exc) if "日期" in str(exc) else f"“{value}”不是有效的数字")
            continue
        (extra if field in ("days", "approver", "replied_on", "outcome") else data)[field] = value
    if len(errors) > before:
        return None
    try:
        received = statutory_receipt(data)
    except FoiError as exc:
        err("申请渠道", str(exc))
        return None
    events: list[Event] = []
    if extra.get("days"):
        when = extra.get("replied_on") or received
        events.append(Event("extended", when, days=extra["days"], approver=extra.get("approver", "")))
    if extra.get("replied_on") or extra.get("outcome"):
        if not (extra.get("replied_on") and extra.get("outcome")):
            err("办理结果", "答复日期和办理结果须同时填写")
            return None
        events.append(Event("replied", extra["replied_on"], outcome=extra["outcome"]))
    try:
        evaluate([Event("received", received), *events], platform_calendar(), today=today)
    except FoiError as exc:
        err("答复日期", str(exc))
        return None
    return data, events


def import_ledger(unit: Any, data: bytes, today: date | None = None) -> int:
    """Import every row into ``unit``'s ledger, or nothing; returns the number of applications.
    With ``today``, a row dated after it is refused. The sheet is read in a memory-limited child process."""
    try:
        rows = isolate.run("gongkai.web.foi.sheet:read_rows", data, label="台账文件")
    except isolate.IsolationFailed as exc:
        raise ImportRejected([str(exc)]) from exc
    errors: list[str] = []
    parsed: list[tuple[dict[str, Any], list[Event]]] = []
    seen: dict[str, int] = {}
    existing = set(Application.objects.filter(unit=unit).values_list("number", flat=True))
    for number, values in rows:
        result = _parse_row(number, values, errors, today)
        if result is None:
            continue
        num = result[0]["number"]
        if num in seen:
            errors.append(f"第 {number} 行“申请编号”：{num} 与第 {seen[num]} 行重复")
            continue
        if num in existing:
            errors.append(f"第 {number} 行“申请编号”：{num} 已在本单位台账中")
            continue
        seen[num] = number
        parsed.append(result)
    if errors:
        raise ImportRejected(errors)
    with transaction.atomic():
        for data_, events in parsed:
            create_application(unit, data_, events)
    return len(parsed)


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
