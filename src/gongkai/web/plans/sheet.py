"""Reading a 任务分解表 (XLSX) into rows: no Django, so it runs in a limited child process
(`gongkai.web.core.isolate`). The workbook passes `gongkai.safezip` first and is streamed read-only; the
header row is found among the first rows (the office's tables carry a title line above it) and checked before
the rest is read."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import openpyxl

from gongkai import safezip
from gongkai.web.core.isolate import ImportRejected

# Column header -> field. Export writes them in this order; import accepts them in any order and accepts the
# other spellings of ALIASES.
COLUMNS = [
    ("序号", "number"),
    ("工作领域", "area"),
    ("任务内容", "content"),
    ("任务来源", "source"),
    ("条款", "clause"),
    ("牵头单位", "lead"),
    ("配合单位", "co"),
    ("完成时限", "deadline"),
    ("完成标准", "criteria"),
    ("佐证材料", "evidence_kind"),
    ("对应栏目", "column"),
    ("对应检查或数据", "evidence_source"),
]
ALIASES = {
    "领域": "area",
    "工作任务": "content",
    "任务": "content",
    "重点任务": "content",
    "来源": "source",
    "依据": "source",
    "条目": "clause",
    "责任单位": "lead",
    "牵头部门": "lead",
    "配合部门": "co",
    "协办单位": "co",
    "时间节点": "deadline",
    "完成时间": "deadline",
    "工作要求": "criteria",
    "佐证材料类型": "evidence_kind",
}
REQUIRED = ("序号", "任务内容", "牵头单位")
MAX_IMPORT_BYTES = 10 * 1024 * 1024
HEADER_SEARCH_ROWS = 5


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _field_of(header: str) -> str | None:
    header = header.replace(" ", "").replace("\n", "")
    known = dict(COLUMNS)
    return known.get(header) or ALIASES.get(header)


def parse_tasks(data: bytes, filename: str) -> list[tuple[int, dict[str, str]]]:
    """Rows of the first sheet as (row number, field -> text), header and blank rows skipped."""
    if len(data) > MAX_IMPORT_BYTES:
        raise ImportRejected([f"文件过大（{len(data) // 1024 // 1024} MB）：任务分解表不能超过 10 MB"])
    if Path(filename).suffix.lower() != ".xlsx":
        raise ImportRejected([f"不支持的文件类型“{Path(filename).suffix or filename}”：请上传 .xlsx 文件"])
    label = f"文件“{filename}”"
    try:
        safezip.check(data, label, kind=" XLSX 工作簿")
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except safezip.UnsafeArchive as exc:
        raise ImportRejected([str(exc)]) from exc
    except Exception as exc:
        raise ImportRejected([f"文件“{filename}”不是有效的 XLSX 工作簿：{exc}"]) from exc
    try:
        return _rows(book.worksheets[0].iter_rows(values_only=True), label)
    except safezip.UnsafeArchive as exc:
        raise ImportRejected([str(exc)]) from exc
    finally:
        book.close()


def _rows(rows, label: str) -> list[tuple[int, dict[str, str]]]:
    mapping: dict[int, str] | None = None
    parsed = []
    for number, raw in enumerate(safezip.bounded_rows(rows, label), start=1):
        cells = [_cell(v) for v in raw]
        if mapping is None:
            if number > HEADER_SEARCH_ROWS:
                break
            found = {i: f for i, h in enumerate(cells) if (f := _field_of(h))}
            if "content" in found.values() and "number" in found.values():
                mapping = found
                header = set(found.values())
                missing = [h for h in REQUIRED if dict(COLUMNS)[h] not in header]
                if missing:
                    raise ImportRejected([f"第 {number} 行（表头）缺少必需的列：{'、'.join(missing)}"])
            continue
        if not any(cells):
            continue
        parsed.append((number, {f: cells[i] if i < len(cells) else "" for i, f in mapping.items()}))
    if mapping is None:
        raise ImportRejected(
            [
                f"{label}的前 {HEADER_SEARCH_ROWS} 行中没有找到表头（须含“序号”“任务内容”“牵头单位”列）。"
                f"可用的列：{'、'.join(h for h, _ in COLUMNS)}"
            ]
        )
    return parsed


__all__ = ["COLUMNS", "MAX_IMPORT_BYTES", "ImportRejected", "parse_tasks"]
