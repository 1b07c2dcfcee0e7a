"""Excel reports: every sheet, row by row (cached values); merged cells read as blanks.

XLSX through openpyxl (read-only), after `gongkai.safezip` has checked the archive (zip bombs, deep
XML, a sheet spanning millions of cells); the rows read are bounded too. Excel 97-2003 (.xls), still common from older office PCs, through
python-calamine. Both give the same rows to the same table reader.
"""

from __future__ import annotations

import io
from decimal import Decimal

import openpyxl

from gongkai import safezip
from gongkai.annual.model import AnnualReport
from gongkai.annual.parse import ReadError
from gongkai.annual.parse._core import Token, build_report


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else str(Decimal(repr(value)))
    return str(value).strip()


def parse_xlsx(data: bytes, name: str = "") -> AnnualReport:
    label = name or "XLSX"
    try:
        safezip.check(data, label, safezip.REPORT_LIMITS, kind="Excel（XLSX）")
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            every = (row for ws in wb.worksheets for row in ws.iter_rows(values_only=True))
            rows = list(safezip.bounded_rows(every, label, safezip.REPORT_LIMITS))
        finally:
            wb.close()
    except safezip.UnsafeArchive as exc:
        raise ReadError(str(exc)) from exc
    return _report_from_rows(rows, "xlsx", name)


def parse_xls(data: bytes, name: str = "") -> AnnualReport:
    """An Excel 97-2003 workbook (BIFF8 .xls)."""
    from python_calamine import CalamineError, CalamineWorkbook

    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        rows = [row for sheet in book.sheet_names for row in book.get_sheet_by_name(sheet).to_python()]
    except (CalamineError, ValueError) as exc:
        raise ReadError(
            f"{name or 'XLS'}：不是可读取的 Excel 97-2003（.xls）文件，请另存为 XLSX 或 PDF 后再上传"
        ) from exc
    return _report_from_rows(rows, "xls", name)


def _report_from_rows(rows: list[tuple[object, ...] | list[object]], kind: str, name: str) -> AnnualReport:
    lines: list[str] = []
    tokens: list[Token] = []
    row_id = 0
    for row in rows:
        cells = [_cell(v) for v in row]
        while cells and not cells[-1]:
            cells.pop()
        if not cells:
            continue
        row_id += 1
        filled = [c for c in cells if c]
        if len(filled) == 1 and len(filled[0]) > 12:
            lines.append(filled[0])  # a paragraph written into one cell
            tokens.append(Token(filled[0]))
            continue
        lines.append(" | ".join(cells))
        tokens.extend(Token(c, row_id) for c in cells)
    return build_report("\n".join(lines), tokens, kind=kind, source=name)
