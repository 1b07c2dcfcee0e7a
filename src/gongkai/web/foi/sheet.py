"""Reading a ledger workbook (台账) into rows: no Django, so it can run in a limited child process.

The workbook passes `gongkai.safezip` first (zip bombs, deep XML, a sheet spanning millions of cells) and is
streamed read-only; the header is checked before any other row is read, and the rows read are bounded.
"""

from __future__ import annotations

import io
from typing import Any

import openpyxl

from gongkai import safezip
from gongkai.web.core.isolate import ImportRejected

MAX_IMPORT_BYTES = 10 * 1024 * 1024
# Header -> (field, required). Import accepts the columns in any order.
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


def _cell(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def read_rows(data: bytes) -> list[tuple[int, dict[str, Any]]]:
    """(row number, header -> value) for every non-empty row; a bad file raises ImportRejected."""
    if len(data) > MAX_IMPORT_BYTES:
        raise ImportRejected([f"文件超过 {MAX_IMPORT_BYTES // 1024 // 1024} MB，请拆分后导入"])
    try:
        safezip.check(data, "台账文件", kind=" .xlsx 工作簿")
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except safezip.UnsafeArchive as exc:
        raise ImportRejected([str(exc)]) from exc
    except Exception as exc:  # openpyxl raises many kinds on a non-xlsx file
        raise ImportRejected([f"无法读取文件：不是有效的 .xlsx 工作簿（{type(exc).__name__}）"]) from exc
    try:
        return _sheet_rows(wb.worksheets[0].iter_rows(values_only=True))
    except safezip.UnsafeArchive as exc:
        raise ImportRejected([str(exc)]) from exc
    finally:
        wb.close()


def _sheet_rows(rows: Any) -> list[tuple[int, dict[str, Any]]]:
    rows = safezip.bounded_rows(rows, "台账文件")
    header = next(rows, None)
    if header is None:
        raise ImportRejected(["工作表为空：第 1 行应为表头"])
    names = [str(h).strip() if h is not None else "" for h in header]
    missing = [h for h, _f, req in COLUMNS if req and h not in names]
    if missing:
        raise ImportRejected([f"第 1 行表头缺少必填列：{'、'.join(missing)}"])
    out = []
    for number, row in enumerate(rows, start=2):
        values = {names[i]: _cell(v) for i, v in enumerate(row) if i < len(names) and names[i]}
        if any(v is not None for v in values.values()):
            out.append((number, values))
    if not out:
        raise ImportRejected(["文件中没有数据行"])
    return out


__all__ = ["COLUMNS", "MAX_IMPORT_BYTES", "ImportRejected", "read_rows"]
