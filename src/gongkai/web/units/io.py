"""Import and export of the unit list as CSV or XLSX, with Chinese column headers.

An import is all or nothing: every row is validated first, and a file with any bad row is rejected whole
with one message per problem (row number, column, reason). Rows are matched to existing units by 单位全称,
so re-importing an edited export updates units instead of duplicating them.

The file is read by `gongkai.web.units.sheet` in a child process with a memory and time limit
(`gongkai.web.core.isolate`); validation and writing happen here.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

import openpyxl
from django.db import transaction

from gongkai.web.core import isolate
from gongkai.web.units.forms import UnitForm
from gongkai.web.units.models import Unit, UnitGroup, UnitLevel
from gongkai.web.units.sheet import COLUMNS, ImportRejected

HEADER_OF = {field: header for header, field in COLUMNS}
GROUP_BY_LABEL = {label: value for value, label in UnitGroup.choices} | {
    "乡镇": "township",
    "街道": "township",
    "村": "village",
    "社区": "village",
}
LEVEL_BY_LABEL = {label: value for value, label in UnitLevel.choices} | {
    "市": "city",
    "县": "county",
    "区": "county",
    "乡镇": "township",
}


@dataclass
class ImportResult:
    created: int
    updated: int


def _choice(value: str, by_label: dict[str, str], values: set[str]) -> str:
    value = value.strip()
    return by_label.get(value, value) if value not in values else value


def import_units(data: bytes, filename: str) -> ImportResult:
    """Validate every row, then create or update all units in one transaction.

    The file is read in a limited child process; validation and writing happen here."""
    try:
        rows = isolate.run("gongkai.web.units.sheet:parse_units", data, filename, label=f"文件“{filename}”")
    except isolate.IsolationFailed as exc:
        raise ImportRejected([str(exc)]) from exc
    errors: list[str] = []
    names_in_file: dict[str, int] = {}
    for number, fields in rows:
        name = fields.get("name", "")
        if name in names_in_file:
            errors.append(f"第 {number} 行，列“单位全称”：“{name}”与第 {names_in_file[name]} 行重复")
        names_in_file[name] = number
    existing = {u.name: u for u in Unit.objects.all()}
    known_names = set(existing) | set(names_in_file)
    for number, fields in rows:
        parent = fields.get("parent", "")
        if parent and parent not in known_names:
            errors.append(f"第 {number} 行，列“上级单位”：“{parent}”既不在系统中，也不在本文件中")
        if parent and parent == fields.get("name"):
            errors.append(f"第 {number} 行，列“上级单位”：上级单位不能是本单位")
    forms_by_row: list[tuple[int, UnitForm, str]] = []
    for number, fields in rows:
        form = _row_form(fields, existing.get(fields.get("name", "")))
        if not form.is_valid():
            errors.extend(_form_errors(number, form))
        forms_by_row.append((number, form, fields.get("parent", "")))
    if errors:
        raise ImportRejected(errors)
    return _save_all(forms_by_row, existing)


def _row_form(fields: dict[str, str], instance: Unit | None) -> UnitForm:
    data = dict(fields)
    data["group"] = _choice(data.get("group", ""), GROUP_BY_LABEL, set(UnitGroup.values))
    data["level"] = _choice(data.get("level", ""), LEVEL_BY_LABEL, set(UnitLevel.values)) or (
        instance.level if instance else UnitLevel.CITY
    )
    data["parent"] = ""  # linked after every unit of the file exists
    data["active"] = "on"
    return UnitForm(data=data, instance=instance)


def _form_errors(number: int, form: UnitForm) -> list[str]:
    messages = []
    for field, errs in form.errors.items():
        header = HEADER_OF.get(field, field)
        value = form.data.get(field, "")
        for err in errs:
            messages.append(f"第 {number} 行，列“{header}”（值“{value}”）：{err}")
    return messages


@transaction.atomic
def _save_all(forms_by_row: list[tuple[int, UnitForm, str]], existing: dict[str, Unit]) -> ImportResult:
    created = updated = 0
    saved: dict[str, Unit] = {}
    for _number, form, _parent in forms_by_row:
        is_new = form.instance.pk is None
        unit = form.save()
        saved[unit.name] = unit
        created += is_new
        updated += not is_new
    for _number, form, parent_name in forms_by_row:
        parent = saved.get(parent_name) or existing.get(parent_name)
        unit = saved[form.instance.name]
        if (unit.parent_id or None) != (parent.pk if parent else None):
            unit.parent = parent
            unit.save(update_fields=["parent"])
    return ImportResult(created=created, updated=updated)


def unit_rows(units) -> list[list[str]]:
    group_labels, level_labels = dict(UnitGroup.choices), dict(UnitLevel.choices)
    rows = [[header for header, _ in COLUMNS]]
    for u in units.select_related("parent"):
        rows.append(
            [
                u.name,
                u.short_name,
                group_labels[u.group],
                level_labels[u.level],
                u.parent.name if u.parent else "",
                u.website,
                u.zhuanlan_url,
                u.url_prefixes,
                u.liaison_name,
                u.liaison_phone,
                u.liaison_email,
                "、".join(u.key_areas or []),
            ]
        )
    return rows


def export_units(units, filename: str) -> bytes:
    rows = unit_rows(units)
    suffix = Path(filename).suffix.lower()
    if suffix == ".csv":
        buffer = io.StringIO()
        csv.writer(buffer).writerows(rows)
        return buffer.getvalue().encode("utf-8-sig")  # with BOM so Excel and WPS open it as UTF-8
    if suffix == ".xlsx":
        book = openpyxl.Workbook()
        sheet = book.active
        sheet.title = "单位名单"
        for row in rows:
            sheet.append(row)
        for column, width in zip(
            "ABCDEFGHIJKL", (30, 12, 12, 12, 24, 32, 36, 36, 10, 16, 24, 30), strict=True
        ):
            sheet.column_dimensions[column].width = width
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()
    raise ImportRejected([f"不支持的导出类型“{suffix}”：请使用 .csv 或 .xlsx"])
