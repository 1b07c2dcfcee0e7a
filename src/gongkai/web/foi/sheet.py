"""Reading a ledger workbook (台账) into applications: no Django, so it runs in a limited child process.

Offices keep their ledgers in sheets of their own making, so every sheet of the workbook is read: the
header is found among the first rows (`gongkai.foi.ledger_layout`), its columns are named by the
vocabulary (`gongkai.foi.ledger_vocab`, extendable by the administrator), and each row is turned into an
application (`gongkai.foi.ledger_values`) or Chinese errors naming the sheet, row, column and value.

.xlsx passes `gongkai.safezip` first (zip bombs, deep XML, a sheet spanning millions of cells) and is
streamed read-only; Excel 97-2003 .xls (and WPS .et saved in that format) is read by python-calamine;
the cells read are bounded.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Any

import openpyxl

from gongkai import safezip
from gongkai.foi.ledger_layout import Cell, SheetLayout, read_sheet
from gongkai.foi.ledger_values import parse_row
from gongkai.foi.ledger_vocab import load_vocab
from gongkai.foi.timeline import Event
from gongkai.frameworks.schema import FrameworkError
from gongkai.web.core.isolate import ImportRejected

MAX_IMPORT_BYTES = 10 * 1024 * 1024
# The platform's own columns, in export order (header, field, required).
COLUMNS: list[tuple[str, str, bool]] = [
    ("申请编号", "number", True),
    ("申请人类型", "applicant_type", True),
    ("申请人", "applicant_name", True),
    ("证件号码", "id_document", False),
    ("联系电话", "phone", False),
    ("申请渠道", "channel", True),
    ("提交日期", "submitted_on", True),
    ("签收日期", "signed_on", False),
    ("确认日期", "confirmed_on", False),
    ("申请内容", "content", True),
    ("延期天数", "days", False),
    ("延期批准人", "approver", False),
    ("答复日期", "replied_on", False),
    ("办理结果", "outcome", False),
]
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass
class ParsedRow:
    sheet: str
    row: int
    data: dict[str, Any]
    events: list[Event]
    headers: dict[str, Cell]  # field -> its column (for messages)


@dataclass
class LedgerRead:
    layouts: list[SheetLayout] = field(default_factory=list)
    rows: list[ParsedRow] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # sheets left out

    def mapping(self) -> list[str]:
        """One line per sheet and column: which column became which field."""
        out = []
        for lay in self.layouts:
            head = "、".join(map(str, lay.header_rows))
            out.append(f"工作表“{lay.name}”：表头在第 {head} 行，数据 {lay.rows} 行")
            out += [f"　{line}" for line in lay.mapping()]
            out += [f"　{line}" for line in lay.skipped]
        return out + self.notes


def _sheets(data: bytes) -> list[tuple[str, list[list[Any]]]]:
    if data[:2] == b"PK":
        return _xlsx_sheets(data)
    if data[:8] == _OLE:
        return _xls_sheets(data)
    raise ImportRejected(
        ["无法读取文件：不是有效的 .xlsx 工作簿，也不是 Excel 97-2003 的 .xls（WPS 表格请另存为 .xlsx）"]
    )


def _xlsx_sheets(data: bytes) -> list[tuple[str, list[list[Any]]]]:
    try:
        safezip.check(data, "台账文件", kind=" .xlsx 工作簿")
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except safezip.UnsafeArchive as exc:
        raise ImportRejected([str(exc)]) from exc
    except Exception as exc:  # openpyxl raises many kinds on a non-xlsx file
        raise ImportRejected([f"无法读取文件：不是有效的 .xlsx 工作簿（{type(exc).__name__}）"]) from exc
    try:
        for ws in wb.worksheets:
            ws.reset_dimensions()  # WPS and older tools often write a wrong <dimension>
        every = ((ws.title, list(row)) for ws in wb.worksheets for row in ws.iter_rows(values_only=True))
        out: dict[str, list[list[Any]]] = {ws.title: [] for ws in wb.worksheets}
        for title, row in safezip.bounded_rows(every, "台账文件"):
            out[title].append(row)
        return list(out.items())
    except safezip.UnsafeArchive as exc:
        raise ImportRejected([str(exc)]) from exc
    finally:
        wb.close()


def _xls_sheets(data: bytes) -> list[tuple[str, list[list[Any]]]]:
    from python_calamine import CalamineError, CalamineWorkbook

    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        out = []
        for name in book.sheet_names:
            rows = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
            bounded = list(
                safezip.bounded_rows(([v if v != "" else None for v in r] for r in rows), "台账文件")
            )
            out.append((name, bounded))
        return out
    except safezip.UnsafeArchive as exc:
        raise ImportRejected([str(exc)]) from exc
    except (CalamineError, ValueError) as exc:
        raise ImportRejected(
            ["无法读取文件：不是可读取的 Excel 97-2003（.xls）工作簿；WPS 表格（.et）请另存为 .xlsx 后再导入"]
        ) from exc


def read_ledger(data: bytes) -> LedgerRead:
    """Every sheet with a ledger header, read into applications; a file that cannot be read raises ImportRejected."""
    if len(data) > MAX_IMPORT_BYTES:
        raise ImportRejected([f"文件超过 {MAX_IMPORT_BYTES // 1024 // 1024} MB，请拆分后导入"])
    try:
        vocab = load_vocab()
    except FrameworkError as exc:
        raise ImportRejected([f"台账列名词表有误，请管理员修正：{exc}"]) from exc
    result = LedgerRead()
    for name, rows in _sheets(data):
        layout, ledger_rows, problems = read_sheet(name, rows, vocab)
        if layout is None:
            if any(v not in (None, "") for row in rows for v in row):
                result.notes.append(f"工作表“{name}”：前 15 行没有可识别的台账表头，未导入")
            continue
        result.layouts.append(layout)
        result.errors += problems
        headers = {c.field: Cell(None, c.header, c.letter) for c in layout.columns if c.field and not c.flag}
        headers |= {c.field: Cell(None, c.header.split("/")[0], c.letter) for c in layout.columns if c.flag}
        for row in ledger_rows:
            parsed, errors = parse_row(row, vocab, headers, name)
            result.errors += errors
            if parsed:
                result.rows.append(ParsedRow(name, row.row, parsed[0], parsed[1], headers))
    if not result.layouts:
        known = "、".join(h for h, _f, req in COLUMNS if req)
        raise ImportRejected(
            [f"没有找到台账表头：任何工作表的前 15 行都没有至少三个可识别的列名（如 {known}）", *result.notes]
        )
    if not result.rows and not result.errors:
        raise ImportRejected(["文件中没有数据行"])
    return result


def read_rows(data: bytes) -> list[ParsedRow]:
    """The applications read from the workbook (for callers that need only the rows, e.g. bench/bombs_bench.py)."""
    return read_ledger(data).rows


__all__ = [
    "read_rows",
    "COLUMNS",
    "MAX_IMPORT_BYTES",
    "ImportRejected",
    "LedgerRead",
    "ParsedRow",
    "read_ledger",
]
