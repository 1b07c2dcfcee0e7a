"""The annual-report engine (政府信息公开工作年度报告): model, readers, validator, writers.

Public API:
- `AnnualReport` and `AnnualReport.from_tables(tables, unit=..., year=...)`: build from the contracts shape.
- `read_report(path)` / `parse_bytes(data, name)`: parse HTML, text, PDF, DOCX, XLSX; `ReadError` on failure.
- `validate(report, previous=None, deadlines=Deadlines())`: the contracts.md rules as `Problem`s.
- `check_file(path, previous=None)`: read + validate, returns the contracts JSON object.
- `write_docx`, `write_xlsx`, `write_html`: our report in the national layout.
"""

from __future__ import annotations

from gongkai.annual.check import check_file, check_report, report_json
from gongkai.annual.model import AnnualReport
from gongkai.annual.parse import MAX_BYTES, ReadError, parse_bytes, read_report
from gongkai.annual.rules import RULES, Deadlines, validate

__all__ = [
    "MAX_BYTES",
    "RULES",
    "AnnualReport",
    "Deadlines",
    "ReadError",
    "check_file",
    "check_report",
    "parse_bytes",
    "read_report",
    "report_json",
    "validate",
]
