"""Between the pages and the domain core: parse an upload, store it, rebuild reports for the rules."""

from __future__ import annotations

import io
from typing import Any

from gongkai.annual import AnnualReport, ReadError, parse_bytes, validate
from gongkai.annual.check import report_json, summary_rows
from gongkai.annual.rules import cross_year_problems
from gongkai.web.annual.models import ReportRecord

CROSS_RULES = ("X-CARRY", "X-VALID")
LEVELS = {"department": "department", "county": "government", "zone": "government"}


def level_of(unit: Any) -> str:
    """Statutory date class of a unit: 市直部门 -> department; 县区政府/管委会 -> government."""
    return LEVELS.get(unit.group, "")


def rebuild(record: ReportRecord) -> AnnualReport:
    """An AnnualReport from a stored record (for the cross-year rules)."""
    tables = dict(record.tables or {})
    if not tables.get("t4"):
        tables["t4"] = None
    try:
        report = AnnualReport.from_tables(
            tables,
            unit=record.unit.name,
            year=record.year,
            chapters=record.chapters,
            published=record.published,
        )
    except ValueError:
        report = AnnualReport(unit=record.unit.name, year=record.year)
    if not record.tables.get("t2"):
        report.t2 = {}
    return report


def cross_year(record: ReportRecord) -> list[dict[str, str]]:
    prev = ReportRecord.objects.filter(unit=record.unit, year=record.year - 1).first()
    if prev is None:
        return []
    return [p.as_dict() for p in cross_year_problems(rebuild(record), rebuild(prev))]


def all_problems(record: ReportRecord) -> list[dict[str, str]]:
    return list(record.problems) + cross_year(record)


def store_upload(unit: Any, name: str, data: bytes, user: Any, year: int | None = None) -> ReportRecord:
    """Parse, check (in-year rules) and store one file; ReadError (Chinese) when it cannot be used."""
    report = parse_bytes(data, name)
    if year:
        report.year = year
    if report.year is None:
        raise ReadError(f"{name}：无法从报告中识别年度，请在表单中填写报告年度后重新上传")
    report.level = level_of(unit) or report.level
    problems = [p for p in validate(report) if p.rule not in CROSS_RULES]
    data_json = report_json(report, problems, name)
    defaults = {
        "source_name": name[:255],
        "kind": report.kind,
        "size": len(data),
        "fmt": report.format,
        "formats": report.formats,
        "detected_unit": report.unit[:200],
        "published": report.published,
        "url": report.url[:500],
        "tables": data_json["tables"],
        "chapters": report.chapters,
        "problems": data_json["problems"],
        "recovered": report.recovered,
        "errors": sum(p.severity == "error" for p in problems),
        "warnings": sum(p.severity == "warning" for p in problems),
        "uploaded_by": user if getattr(user, "is_authenticated", False) else None,
    }
    record, _ = ReportRecord.objects.update_or_create(unit=unit, year=report.year, defaults=defaults)
    return record


def summary_bytes(records: list[ReportRecord], fmt: str) -> tuple[bytes, str, str]:
    """The summary (one row per report, one column per rule) as CSV or XLSX bytes."""
    results = []
    for r in records:
        results.append(
            {
                "path": r.source_name,
                "unit": r.unit.name,
                "year": r.year,
                "format": r.fmt,
                "problems": all_problems(r),
            }
        )
    header, rows = summary_rows(results)
    header[0] = "上传文件"
    if fmt == "xlsx":
        import openpyxl

        wb = openpyxl.Workbook()
        ws = wb.active
        ws.title = "年报校验汇总"
        ws.append(header)
        for row in rows:
            ws.append(row)
        buf = io.BytesIO()
        wb.save(buf)
        ctype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        return buf.getvalue(), ctype, "年报校验汇总.xlsx"
    import csv

    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(header)
    writer.writerows(rows)
    return ("\ufeff" + text.getvalue()).encode("utf-8"), "text/csv; charset=utf-8", "年报校验汇总.csv"
