"""XLSX import and export of the wording dictionary and the leaders list, Chinese column headers.

Imports are all or nothing: every row is validated (the model's own rules), and a file with any bad row
is rejected whole with one message per problem (row, column, reason). Rows are matched to existing
records by their key (错误写法 / 姓名), so re-importing an edited export updates instead of duplicating."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import openpyxl
from django import forms
from django.db import models, transaction

from gongkai.web.core.isolate import ImportRejected
from gongkai.web.wording.models import LeaderEntry, Severity, WordingEntry

YES = {"是", "1", "true", "True", "TRUE", "yes", "Y", "y", "√"}
MAX_BYTES = 10 * 1024 * 1024
SEVERITY_LABELS = dict(Severity.choices)
SEVERITY_BY_LABEL = {label: value for value, label in Severity.choices}


@dataclass(frozen=True)
class Sheet:
    """How one model is written to and read from a worksheet."""

    model: type[models.Model]
    title: str
    columns: tuple[tuple[str, str], ...]  # (header, field)
    required: tuple[str, ...]
    key: str
    flags: dict[str, str]  # boolean field -> default label (是 / 否)
    to_cell: dict[str, Callable[[Any], str]]
    from_cell: dict[str, Callable[[str], str]]

    def form(self) -> type[forms.ModelForm]:
        meta = type("Meta", (), {"model": self.model, "fields": [f for _, f in self.columns]})
        return type(f"{self.model.__name__}ImportForm", (forms.ModelForm,), {"Meta": meta})


def _yes(value: object) -> str:
    return "是" if value else "否"


ENTRIES = Sheet(
    WordingEntry,
    "表述词典",
    (("错误写法", "phrase"), ("建议写法", "correct"), ("类别", "category"), ("严重程度", "severity"),
     ("禁用词", "must_not_use"), ("此日期前为正确写法", "until"), ("例外写法", "exceptions"), ("出处", "source"),
     ("备注", "note"), ("启用", "active")),
    ("错误写法", "建议写法", "类别", "严重程度", "出处"),
    "phrase",
    {"must_not_use": "否", "active": "是"},
    {"severity": lambda v: SEVERITY_LABELS.get(v, v)},
    {"severity": lambda v: SEVERITY_BY_LABEL.get(v, v)},
)  # fmt: skip
LEADERS = Sheet(
    LeaderEntry,
    "领导人",
    (("姓名", "name"), ("分组", "group"), ("排序", "order"), ("现任职务", "titles"), ("本地唯一职务", "unique_titles"),
     ("曾任职务", "past"), ("已核实", "confirmed"), ("出处", "source"), ("启用", "active")),
    ("姓名", "分组", "现任职务", "出处"),
    "name",
    {"confirmed": "是", "active": "是"},
    {},
    {},
)  # fmt: skip


def export_xlsx(sheet: Sheet, records: Any) -> bytes:
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = sheet.title
    ws.append([header for header, _ in sheet.columns])
    for record in records:
        row = []
        for _, field in sheet.columns:
            value = getattr(record, field)
            if field in sheet.flags:
                row.append(_yes(value))
            elif field in sheet.to_cell:
                row.append(sheet.to_cell[field](value))
            else:
                row.append(_cell(value))
        ws.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def _rows(data: bytes, filename: str) -> list[list[str]]:
    if len(data) > MAX_BYTES:
        raise ImportRejected(["文件过大：不能超过 10 MB"])
    if not filename.lower().endswith(".xlsx"):
        raise ImportRejected([f"不支持的文件类型“{filename}”：请上传 .xlsx 文件"])
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds
        raise ImportRejected([f"文件“{filename}”不是有效的 XLSX 工作簿：{exc}"]) from exc
    return [[_cell(v) for v in row] for row in book.worksheets[0].iter_rows(values_only=True)]


def _form_data(sheet: Sheet, header: list[str], row: list[str]) -> dict[str, str]:
    fields = dict(sheet.columns)
    data = {fields[h]: (row[i] if i < len(row) else "") for i, h in enumerate(header) if h in fields}
    for field, convert in sheet.from_cell.items():
        data[field] = convert(data.get(field, ""))
    for flag, default in sheet.flags.items():
        if (data.get(flag) or default) in YES:
            data[flag] = "on"
        else:
            data.pop(flag, None)
    return data


def import_xlsx(sheet: Sheet, data: bytes, filename: str) -> tuple[int, int]:
    """Validate every row, then create or update all records in one transaction: (created, updated)."""
    rows = _rows(data, filename)
    if not rows:
        raise ImportRejected([f"文件“{filename}”是空的"])
    header = rows[0]
    missing = [h for h in sheet.required if h not in header]
    if missing:
        raise ImportRejected([f"第 1 行（表头）缺少必需的列：{'、'.join(missing)}"])
    existing = {getattr(r, sheet.key): r for r in sheet.model.objects.all()}
    headers = {field: h for h, field in sheet.columns}
    form_class = sheet.form()
    errors: list[str] = []
    seen: dict[str, int] = {}
    valid: list[forms.ModelForm] = []
    for number, row in enumerate(rows[1:], start=2):
        if not any(row):
            continue
        data = _form_data(sheet, header, row)
        key = data.get(sheet.key, "")
        if key in seen:
            errors.append(f"第 {number} 行，列“{headers[sheet.key]}”：“{key}”与第 {seen[key]} 行重复")
            continue
        seen[key] = number
        form = form_class(data=data, instance=existing.get(key))
        if form.is_valid():
            valid.append(form)
            continue
        for field, messages in form.errors.items():
            where = f"列“{headers[field]}”" if field in headers else "本行"
            errors.extend(f"第 {number} 行，{where}：{m}" for m in messages)
    if errors:
        raise ImportRejected(errors)
    with transaction.atomic():
        created = sum(form.instance.pk is None for form in valid)
        for form in valid:
            form.save()
    return created, len(valid) - created
