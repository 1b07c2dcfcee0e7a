"""Import and export of a plan's 任务分解表 (XLSX), with the office's Chinese column headers.

An import is all or nothing, as the unit import: every row is validated first, and a file with any bad row is
rejected whole with one message per problem ("第 N 行，列“X”（值“…”）：原因"). Rows are matched to the plan's
tasks by 序号, so re-importing an edited export updates tasks instead of duplicating them; tasks missing
from the file are kept. A unit that has already reported on a task cannot be dropped from it by an import.

The file is read by `gongkai.web.plans.sheet` in a limited child process (`gongkai.web.core.isolate`).
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field

import openpyxl
from django.db import transaction
from openpyxl.styles import Alignment, Font

from gongkai.plans import area_names, deadline_text, parse_deadline, resolve_area
from gongkai.web.core import isolate
from gongkai.web.plans.models import Assignment, EvidenceKind, Plan, PlanSource, SourceLevel, Task
from gongkai.web.plans.sheet import COLUMNS, ImportRejected
from gongkai.web.plans.sources import ANNUAL_PREFIX, source_code, source_label
from gongkai.web.units.models import Unit

SEPARATORS = re.compile(r"[、,，;；/\n]+")
EVIDENCE_WORDS = {label: value for value, label in EvidenceKind.choices} | {
    "链接": "link",
    "网址": "link",
    "页面链接": "link",
    "文件": "document",
    "文档": "document",
    "数字": "figure",
    "数据": "figure",
    "文字": "text",
    "说明": "text",
}


@dataclass
class ImportResult:
    created: int
    updated: int


@dataclass
class _Row:
    number: int
    values: dict = field(default_factory=dict)
    lead: list[Unit] = field(default_factory=list)
    co: list[Unit] = field(default_factory=list)


class _Checker:
    """Validates rows against the plan, the units and the areas; collects every problem."""

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self.errors: list[str] = []
        units = list(Unit.objects.filter(active=True))
        self.by_name = {u.name: u for u in units}
        shorts: dict[str, list[Unit]] = {}
        for u in units:
            if u.short_name:
                shorts.setdefault(u.short_name, []).append(u)
        self.by_short = shorts
        self.sources = list(plan.sources.all())

    def error(self, row: int, header: str, value: str, reason: str) -> None:
        self.errors.append(f"第 {row} 行，列“{header}”（值“{value}”）：{reason}")

    def units(self, row: int, header: str, text: str) -> list[Unit]:
        out = []
        for name in (n.strip() for n in SEPARATORS.split(text) if n.strip()):
            unit = self.by_name.get(name)
            if unit is None and len(self.by_short.get(name, [])) == 1:
                unit = self.by_short[name][0]
            if unit is None:
                reason = "简称对应多个单位，请写单位全称" if self.by_short.get(name) else "系统中没有这个单位"
                self.error(row, header, name, reason)
            elif unit not in out:
                out.append(unit)
        return out

    def source(self, row: int, text: str) -> PlanSource | None:
        if not text:
            return None
        level = {label: value for value, label in SourceLevel.choices}.get(text.removesuffix("要点"))
        hits = [
            s
            for s in self.sources
            if text in (s.number, s.title, str(s), s.label) or (level and s.level == level)
        ]
        if len(hits) == 1:
            return hits[0]
        known = "、".join(s.label for s in self.sources) or "（本计划尚未登记来源文件）"
        why = "对应本计划的多个来源文件，请写文号" if hits else f"不是本计划的来源文件；已登记：{known}"
        self.error(row, "任务来源", text, why)
        return None

    def row(self, number: int, fields: dict[str, str]) -> _Row:
        out = _Row(number=number)
        raw_number = fields.get("number", "")
        if not raw_number.isdigit() or int(raw_number) < 1:
            self.error(number, "序号", raw_number, "应为正整数")
        else:
            out.values["number"] = int(raw_number)
        content = fields.get("content", "").strip()
        if not content:
            self.error(number, "任务内容", "", "不能为空")
        out.values["content"] = content
        area_text = fields.get("area", "").strip()
        area = resolve_area(area_text)
        if area is None:
            self.error(number, "工作领域", area_text, f"应为以下之一：{'、'.join(area_names())}")
        out.values["area"] = area or ""
        out.values["source"] = self.source(number, fields.get("source", "").strip())
        out.values["clause"] = fields.get("clause", "").strip()[:300]
        out.lead = self.units(number, "牵头单位", fields.get("lead", ""))
        if not fields.get("lead", "").strip():
            self.error(number, "牵头单位", "", "不能为空")
        out.co = self.units(number, "配合单位", fields.get("co", ""))
        for unit in set(out.lead) & set(out.co):
            self.error(number, "配合单位", unit.name, "已是本任务的牵头单位")
        deadline = fields.get("deadline", "")
        try:
            out.values["period"], out.values["due"] = parse_deadline(deadline, self.plan.year)
        except ValueError as exc:
            self.error(number, "完成时限", deadline, str(exc))
        out.values["criteria"] = fields.get("criteria", "").strip()
        kind_text = fields.get("evidence_kind", "").strip()
        kind = EVIDENCE_WORDS.get(kind_text, kind_text) if kind_text else EvidenceKind.LINK
        if kind not in EvidenceKind.values:
            self.error(number, "佐证材料", kind_text, "应为链接、文件、数字或文字说明")
        out.values["evidence_kind"] = kind
        out.values["column"] = fields.get("column", "").strip()[:100]
        out.values["evidence_source"] = self.evidence_source(
            number, fields.get("evidence_source", "").strip()
        )
        return out

    def evidence_source(self, row: int, text: str) -> str:
        from gongkai.checks.registry import UnknownCheckError, get_check

        text = source_code(text.replace("：", ":"))
        if not text:
            return ""
        if text.startswith(ANNUAL_PREFIX):
            if not re.fullmatch(r"t[234]\.[\w.]+", text[len(ANNUAL_PREFIX) :]):
                self.error(
                    row, "对应检查或数据", text, "年报数字应写作“年报:表.项目”，如 年报:t2.regulations.made"
                )
            return text
        try:
            get_check(text)
        except UnknownCheckError:
            self.error(row, "对应检查或数据", text, "不是已登记的检查项编号，也不是“年报:”开头的年报数字")
        return text


def import_tasks(plan: Plan, data: bytes, filename: str) -> ImportResult:
    """Validate every row, then create or update all tasks of the plan in one transaction."""
    try:
        rows = isolate.run("gongkai.web.plans.sheet:parse_tasks", data, filename, label=f"文件“{filename}”")
    except isolate.IsolationFailed as exc:
        raise ImportRejected([str(exc)]) from exc
    if not rows:
        raise ImportRejected([f"文件“{filename}”中没有任务行"])
    checker = _Checker(plan)
    checked = [checker.row(number, fields) for number, fields in rows]
    seen: dict[int, int] = {}
    for r in checked:
        n = r.values.get("number")
        if n is not None and n in seen:
            checker.error(r.number, "序号", str(n), f"与第 {seen[n]} 行重复")
        seen.setdefault(n, r.number)
    existing = {t.number: t for t in plan.tasks.all()}
    for r in checked:
        task = existing.get(r.values.get("number"))
        if task is None:
            continue
        keep = {u.pk for u in r.lead + r.co}
        for a in task.assignments.select_related("unit").exclude(unit_id__in=keep):
            if a.progress.exists():
                checker.error(r.number, "牵头单位", a.unit.name, "该单位已报送本任务的进展，不能通过导入移除")
    if checker.errors:
        raise ImportRejected(checker.errors)
    return _save_all(plan, checked, existing)


@transaction.atomic
def _save_all(plan: Plan, rows: list[_Row], existing: dict[int, Task]) -> ImportResult:
    created = updated = 0
    for r in rows:
        task = existing.get(r.values["number"]) or Task(plan=plan)
        is_new = task.pk is None
        for name, value in r.values.items():
            setattr(task, name, value)
        task.save()
        roles = {u.pk: Assignment.LEAD for u in r.lead} | {u.pk: Assignment.CO for u in r.co}
        task.assignments.exclude(unit_id__in=roles).delete()
        for unit_id, role in roles.items():
            a, made = Assignment.objects.get_or_create(task=task, unit_id=unit_id, defaults={"role": role})
            if not made and a.role != role:
                a.role = role
                a.save(update_fields=["role"])
        created += is_new
        updated += not is_new
    return ImportResult(created=created, updated=updated)


def task_row(task: Task) -> list[str]:
    return [
        str(task.number),
        task.area,
        task.content,
        (task.source.number or task.source.title) if task.source else "",
        task.clause,
        "、".join(task.lead_names()),
        "、".join(task.co_names()),
        deadline_text(task.period, task.due),
        task.criteria,
        task.get_evidence_kind_display(),
        task.column,
        source_label(task.evidence_source),
    ]


def export_tasks(plan: Plan, tasks=None) -> bytes:
    """The 任务分解表 as the office keeps it: a title line, the header, one row per task (import reads it)."""
    tasks = tasks if tasks is not None else plan.tasks.all()
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "任务分解表"
    sheet.append([plan.title])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([header for header, _ in COLUMNS])
    for task in tasks.select_related("source").prefetch_related("assignments__unit"):
        sheet.append(task_row(task))
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for row in sheet.iter_rows(min_row=3):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    for letter, width in zip("ABCDEFGHIJKL", (6, 10, 50, 22, 16, 24, 24, 14, 30, 12, 14, 24), strict=True):
        sheet.column_dimensions[letter].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


__all__ = ["ImportRejected", "ImportResult", "export_tasks", "import_tasks"]
