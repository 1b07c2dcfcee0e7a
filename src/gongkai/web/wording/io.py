"""XLSX import and export of the wording dictionary, Chinese column headers, all-or-nothing imports.

Rows are matched to existing entries by 错误写法, so re-importing an edited export updates entries
instead of duplicating them; any bad row rejects the whole file with one message per problem."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import openpyxl
from django import forms
from django.db import transaction
from django.db.models import QuerySet

from gongkai.web.wording.models import Severity, WordingEntry

COLUMNS = [
    ("错误写法", "phrase"),
    ("建议写法", "correct"),
    ("类别", "category"),
    ("严重程度", "severity"),
    ("禁用词", "must_not_use"),
    ("此日期前为正确写法", "until"),
    ("例外写法", "exceptions"),
    ("出处", "source"),
    ("备注", "note"),
    ("启用", "active"),
]
REQUIRED = ("错误写法", "建议写法", "类别", "严重程度", "出处")
SEVERITY_BY_LABEL = {label: value for value, label in Severity.choices}
YES = {"是", "1", "true", "True", "TRUE", "yes", "Y", "y", "√"}
MAX_BYTES = 10 * 1024 * 1024


class ImportRejected(Exception):
    """The file was refused; ``errors`` holds one Chinese message per problem."""

    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


class EntryForm(forms.ModelForm):
    class Meta:
        model = WordingEntry
        fields = [field for _, field in COLUMNS]


def export_xlsx(entries: QuerySet[WordingEntry]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "表述词典"
    sheet.append([header for header, _ in COLUMNS])
    labels = dict(Severity.choices)
    for e in entries:
        sheet.append([
            e.phrase, e.correct, e.category, labels.get(e.severity, e.severity), "是" if e.must_not_use else "否",
            e.until.isoformat() if e.until else "", e.exceptions, e.source, e.note, "是" if e.active else "否",
        ])  # fmt: skip
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
        raise ImportRejected(["文件过大：词典文件不能超过 10 MB"])
    if not filename.lower().endswith(".xlsx"):
        raise ImportRejected([f"不支持的文件类型“{filename}”：请上传 .xlsx 文件"])
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds
        raise ImportRejected([f"文件“{filename}”不是有效的 XLSX 工作簿：{exc}"]) from exc
    return [[_cell(v) for v in row] for row in book.worksheets[0].iter_rows(values_only=True)]


def _form_data(header: list[str], row: list[str]) -> dict[str, str]:
    fields = dict(COLUMNS)
    data = {fields[h]: (row[i] if i < len(row) else "") for i, h in enumerate(header) if h in fields}
    data["severity"] = SEVERITY_BY_LABEL.get(data.get("severity", ""), data.get("severity", ""))
    for flag, default in (("must_not_use", "否"), ("active", "是")):
        value = data.get(flag) or default
        if value in YES:
            data[flag] = "on"
        else:
            data.pop(flag, None)
    return data


def import_xlsx(data: bytes, filename: str) -> tuple[int, int]:
    """Validate every row, then create or update all entries in one transaction: (created, updated)."""
    rows = _rows(data, filename)
    if not rows:
        raise ImportRejected([f"文件“{filename}”是空的"])
    header = rows[0]
    missing = [h for h in REQUIRED if h not in header]
    if missing:
        raise ImportRejected([f"第 1 行（表头）缺少必需的列：{'、'.join(missing)}"])
    existing = {e.phrase: e for e in WordingEntry.objects.all()}
    errors: list[str] = []
    seen: dict[str, int] = {}
    valid: list[EntryForm] = []
    for number, row in enumerate(rows[1:], start=2):
        if not any(row):
            continue
        data = _form_data(header, row)
        phrase = data.get("phrase", "")
        if phrase in seen:
            errors.append(f"第 {number} 行，列“错误写法”：“{phrase}”与第 {seen[phrase]} 行重复")
            continue
        seen[phrase] = number
        form = EntryForm(data=data, instance=existing.get(phrase))
        if form.is_valid():
            valid.append(form)
            continue
        headers = {field: h for h, field in COLUMNS}
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
