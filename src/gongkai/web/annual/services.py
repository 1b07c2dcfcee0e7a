"""Between the pages and the domain core: parse an upload, store it, rebuild reports for the rules; compose,
check, save and archive a unit's own report (编制年报)."""

from __future__ import annotations

import hashlib
import re
from typing import Any

from gongkai.annual import AnnualReport, ReadError, validate
from gongkai.annual.check import encode_summary, report_json, summary_rows
from gongkai.annual.rules import cross_year_problems, rule_name
from gongkai.annual.write import report_bytes
from gongkai.web.annual.models import ReportDraft, ReportRecord, ReportVersion
from gongkai.web.core import isolate
from gongkai.web.core.http import XLSX

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


def parse_isolated(data: bytes, name: str) -> AnnualReport:
    """Parse an upload in a child process with a memory and time limit (the web worker stays flat)."""
    try:
        return isolate.run("gongkai.annual.parse:parse_bytes", data, name, label=name)
    except isolate.IsolationFailed as exc:
        raise ReadError(str(exc)) from exc


_UNIT_NOISE = re.compile(r"[\s（）()·]|人民政府|政府")


def _same_unit(detected: str, filed: str) -> bool:
    """The report's own unit names the unit it is filed under (洪泽区人民政府 ~ 淮安市洪泽区人民政府)."""
    a, b = _UNIT_NOISE.sub("", detected), _UNIT_NOISE.sub("", filed)
    return not a or not b or a in b or b in a


def identity_notices(report: AnnualReport, unit: Any, year: int | None) -> list[str]:
    """Warnings (Chinese) when the report's own unit or year differs from the one it is filed under."""
    out = []
    if year and report.year and report.year != year:
        where = report.sources.get("year", "报告")
        out.append(
            f"报告自身的年度为 {report.year} 年（读自{where}），与归档年度 {year} 年不一致，请确认是否传错文件"
        )
    if report.unit and not _same_unit(report.unit, unit.name):
        where = report.sources.get("unit", "报告")
        out.append(
            f"报告自身的单位为「{report.unit}」（读自{where}），与归档单位「{unit.name}」不一致，请确认是否传错文件"
        )
    return out + list(report.info)


def store_upload(unit: Any, name: str, data: bytes, user: Any, year: int | None = None) -> ReportRecord:
    """Parse, check (in-year rules) and store one file; ReadError (Chinese) when it cannot be used.

    Every upload is kept as a `ReportVersion`: the newest is the record's current report, the earlier
    ones stay listed and downloadable. A report naming another unit or year than it is filed under is
    stored with a notice saying so.
    """
    report = parse_isolated(data, name)
    detected_year = report.year
    notices = identity_notices(report, unit, year)
    if year:
        report.year = year
    if report.year is None:
        raise ReadError(f"{name}：无法从报告中识别年度，请在表单中填写报告年度后重新上传")
    report.level = level_of(unit) or report.level
    problems = [p for p in validate(report) if p.rule not in CROSS_RULES]
    data_json = report_json(report, problems, name)
    uploader = user if getattr(user, "is_authenticated", False) else None
    errors = sum(p.severity == "error" for p in problems)
    warnings = sum(p.severity == "warning" for p in problems)
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
        "notices": notices,
        "sources": report.sources,
        "errors": errors,
        "warnings": warnings,
        "uploaded_by": uploader,
    }
    record, _ = ReportRecord.objects.update_or_create(unit=unit, year=report.year, defaults=defaults)
    digest = hashlib.sha256(data).hexdigest()
    current = record.versions.only("sha256").first()
    record.new_version = current is None or current.sha256 != digest  # the same file again: no new version
    if not record.new_version:
        return record
    ReportVersion.objects.create(
        record=record,
        source_name=name[:255],
        kind=report.kind,
        size=len(data),
        data=data,
        sha256=digest,
        detected_unit=report.unit[:200],
        detected_year=detected_year,
        errors=errors,
        warnings=warnings,
        uploaded_by=uploader,
    )
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
                "format": r.fmt_label,
                "problems": all_problems(r),
            }
        )
    header, rows = summary_rows(results)
    header = ["上传文件", *(rule_name(h) for h in header[1:])]
    data = encode_summary(header, rows, fmt)
    if fmt == "xlsx":
        return data, XLSX, "年报校验汇总.xlsx"
    return data, "text/csv; charset=utf-8", "年报校验汇总.csv"


# --- building a unit's own report -----------------------------------------------------------------------
def ledger_tables(unit: Any, year: int) -> dict[str, Any]:
    """Tables 三/四 counted from the unit's application ledger (行政复议/诉讼 of its applications)."""
    from gongkai.web.foi.services import tables_for

    return tables_for([unit], year)


def compose(unit: Any, year: int, tables: dict[str, Any], chapters: dict[str, str]) -> AnnualReport:
    """The report as written on the build page (ValueError, in Chinese, only for a wrong table shape)."""
    return AnnualReport.from_tables(
        tables, unit=unit.name, year=year, chapters=chapters, level=level_of(unit)
    )


def check_composed(report: AnnualReport, unit: Any) -> list[dict[str, str]]:
    """All rules on a composed report, with last year's stored report (if any) for X-CARRY/X-VALID."""
    prev = ReportRecord.objects.filter(unit=unit, year=(report.year or 0) - 1).select_related("unit").first()
    previous = rebuild(prev) if prev is not None else None
    return [p.as_dict() for p in validate(report, previous)]


def save_draft(
    unit: Any, year: int, tables: dict[str, Any], chapters: dict[str, str], user: Any
) -> ReportDraft:
    """Create or update the unit's draft for the year; every save is a version in the audit trail."""
    draft, _ = ReportDraft.objects.update_or_create(
        unit=unit,
        year=year,
        defaults={
            "tables": tables,
            "chapters": chapters,
            "author": user if getattr(user, "is_authenticated", False) else None,
        },
    )
    return draft


def archive_draft(draft: ReportDraft, report: AnnualReport, user: Any) -> ReportRecord:
    """Record the composed report in the unit's report history exactly as an upload is: the generated DOCX
    goes through the same reader and checks (store_upload), so the record holds what a reader of the
    published file would see."""
    data, _ctype, name = report_bytes(report, "docx")
    record = store_upload(draft.unit, name, data, user, draft.year)
    draft.record = record
    draft.save(update_fields=["record", "updated_at"])
    return record
