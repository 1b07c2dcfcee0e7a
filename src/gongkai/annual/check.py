"""Read + validate one file and render the contracts JSON object; batch checking on all cores.

`check_file` never raises on bad input: an unreadable file gives an object with `error` set (Chinese)
and the format "unknown". `check_many` runs files in a process pool and pairs each report with the
previous year's report of the same unit when both are in the batch (X-CARRY, X-VALID).
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from gongkai.annual.model import AnnualReport
from gongkai.annual.parse import SUFFIXES, ReadError, read_report
from gongkai.annual.rules import RULES, Deadlines, cross_year_problems, has_errors, validate
from gongkai.model import Problem


def report_json(report: AnnualReport, problems: list, path: str = "") -> dict[str, Any]:
    """The contracts.md object for one report (plus `published`, `url`, `recovered`, `formats`,
    `sources`: where the unit and year were read, `info`: remarks said once such as a tables-only workbook)."""
    return {
        "path": path or report.source,
        "unit": report.unit,
        "year": report.year,
        "format": report.format,
        "formats": dict(report.formats),
        "published": report.published.isoformat() if report.published else None,
        "url": report.url,
        "recovered": list(report.recovered),
        "sources": dict(report.sources),
        "info": list(report.info),
        "tables": report.tables(),
        "problems": [p.as_dict() for p in problems],
    }


def error_json(path: str, message: str) -> dict[str, Any]:
    return {
        "path": path,
        "unit": "",
        "year": None,
        "format": "unknown",
        "tables": {"t2": {}, "t3": {}, "t4": []},
        "problems": [],
        "error": message,
    }


def check_report(
    report: AnnualReport, previous: AnnualReport | None = None, deadlines: Deadlines | None = None
) -> dict[str, Any]:
    return report_json(report, validate(report, previous, deadlines=deadlines))


def check_file(
    path: str | os.PathLike[str],
    previous: str | os.PathLike[str] | AnnualReport | None = None,
    deadlines: Deadlines | None = None,
) -> dict[str, Any]:
    """Read and validate one file; never raises for a bad file (see `error`)."""
    try:
        report = read_report(path)
    except ReadError as exc:
        return error_json(str(path), str(exc))
    prev = None
    if isinstance(previous, AnnualReport):
        prev = previous
    elif previous is not None:
        try:
            prev = read_report(previous)
        except ReadError as exc:
            result = report_json(report, validate(report, None, deadlines=deadlines), str(path))
            result["previous_error"] = str(exc)
            return result
    return report_json(report, validate(report, prev, deadlines=deadlines), str(path))


def expand(paths: Iterable[str | os.PathLike[str]]) -> list[Path]:
    """Files named plus the report files found under folders (sorted)."""
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            out += sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in SUFFIXES)
        else:
            out.append(p)
    return out


def _parse_one(args: tuple[str, Deadlines | None]) -> tuple[str, AnnualReport | None, list[Problem], str]:
    """Worker: read and apply the in-year rules; the full text stays in the worker (less to pickle)."""
    path, deadlines = args
    try:
        report = read_report(path)
    except ReadError as exc:
        return path, None, [], str(exc)
    problems = validate(report, deadlines=deadlines)
    report.text = ""
    return path, report, problems, ""


def _preload_readers() -> None:
    """Import every reader before the pool forks, so workers do not each pay for it (openpyxl: 0.6 s)."""
    import importlib

    for kind in ("html", "text", "pdf", "docx", "xlsx"):
        importlib.import_module(f"gongkai.annual.parse.{kind}")


def check_many(
    paths: list[Path],
    previous: str | None = None,
    workers: int | None = None,
    progress: Callable[[int], None] | None = None,
    deadlines: Deadlines | None = None,
) -> Iterator[dict[str, Any]]:
    """Check many files; yields one contracts object per file in input order.

    Reading and the in-year rules run in a process pool; the cross-year rules run afterwards, pairing
    each report with `previous` or else with the same unit's report of the year before in the batch.
    """
    names = [str(p) for p in paths]
    workers = workers or os.cpu_count() or 1
    jobs = [(name, deadlines) for name in names]
    parsed: dict[str, tuple[AnnualReport | None, list[Problem], str]] = {}
    if workers > 1 and len(names) > 8:
        _preload_readers()
        chunk = max(1, min(32, len(names) // (workers * 8)))
        with ProcessPoolExecutor(max_workers=workers) as pool:
            for name, report, problems, err in pool.map(_parse_one, jobs, chunksize=chunk):
                parsed[name] = (report, problems, err)
                if progress:
                    progress(1)
    else:
        for job in jobs:
            name, report, problems, err = _parse_one(job)
            parsed[name] = (report, problems, err)
            if progress:
                progress(1)
    prev_report: AnnualReport | None = None
    prev_error = ""
    if previous:
        try:
            prev_report = read_report(previous)
        except ReadError as exc:
            prev_error = str(exc)
    by_unit_year = {(r.unit, r.year): r for r, _, _ in parsed.values() if r is not None and r.unit and r.year}
    for name in names:
        report, problems, err = parsed[name]
        if report is None:
            yield error_json(name, err)
            continue
        prev = prev_report or by_unit_year.get((report.unit, (report.year or 0) - 1))
        if prev is not None:
            problems = problems + cross_year_problems(report, prev)
        result = report_json(report, problems, name)
        if prev_error:
            result["previous_error"] = prev_error
        yield result


def summary_rows(results: list[dict[str, Any]]) -> tuple[list[str], list[list[Any]]]:
    """One row per report, one column per rule (count of problems), for CSV/XLSX summaries."""
    header = ["文件", "单位", "年度", "格式", "错误数", "警告数", *RULES, "读取错误"]
    rows = []
    for r in results:
        counts = dict.fromkeys(RULES, 0)
        for p in r["problems"]:
            counts[p["rule"]] = counts.get(p["rule"], 0) + 1
        errors = sum(1 for p in r["problems"] if p["severity"] == "error")
        warnings = sum(1 for p in r["problems"] if p["severity"] == "warning")
        rows.append(
            [
                r["path"],
                r["unit"],
                r["year"] or "",
                r["format"],
                errors,
                warnings,
                *counts.values(),
                r.get("error", ""),
            ]
        )
    return header, rows


def encode_summary(header: list[str], rows: list[list[Any]], fmt: str) -> bytes:
    """The summary as XLSX, or as CSV in UTF-8 with a BOM (so Excel opens it) for any other `fmt`."""
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
        return buf.getvalue()
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(header)
    writer.writerows(rows)
    return ("\ufeff" + text.getvalue()).encode("utf-8")


def write_summary(results: list[dict[str, Any]], target: str | os.PathLike[str]) -> Path:
    """Write the summary as CSV or XLSX by the file suffix."""
    header, rows = summary_rows(results)
    target = Path(target)
    target.write_bytes(encode_summary(header, rows, target.suffix.lower().lstrip(".")))
    return target


def result_has_errors(result: dict[str, Any]) -> bool:
    return any(p["severity"] == "error" for p in result["problems"])


__all__ = [
    "check_file",
    "check_many",
    "check_report",
    "expand",
    "report_json",
    "encode_summary",
    "write_summary",
    "has_errors",
]
