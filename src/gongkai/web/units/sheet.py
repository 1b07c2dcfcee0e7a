"""Reading a unit-list file (CSV or XLSX) into rows: no Django, so it can run in a limited child process.

An XLSX passes `gongkai.safezip` first (zip bombs, deep XML, a sheet spanning millions of cells) and is
streamed read-only; the header is checked before any other row is read, and the rows read are bounded.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import openpyxl

from gongkai import safezip
from gongkai.web.core.isolate import ImportRejected

# Column header -> form field. Export writes them in this order; import accepts them in any order.
COLUMNS = [
    ("单位全称", "name"),
    ("简称", "short_name"),
    ("分组", "group"),
    ("行政层级", "level"),
    ("上级单位", "parent"),
    ("网站首页", "website"),
    ("政府信息公开专栏", "zhuanlan_url"),
    ("所属网址前缀", "url_prefixes"),
    ("联络员", "liaison_name"),
    ("联系电话", "liaison_phone"),
    ("电子邮箱", "liaison_email"),
    ("重点领域", "key_areas_text"),
]
MAX_IMPORT_BYTES = 10 * 1024 * 1024


def _read_rows(data: bytes, filename: str) -> Iterator[list[str]]:
    suffix = Path(filename).suffix.lower()
    if suffix == ".xlsx":
        return _xlsx_rows(data, filename)
    if suffix == ".csv":
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = data.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise ImportRejected([f"文件“{filename}”的编码无法识别：请保存为 UTF-8 或 GBK 编码的 CSV"])
        return iter([[c.strip() for c in row] for row in csv.reader(io.StringIO(text))])
    raise ImportRejected([f"不支持的文件类型“{suffix or filename}”：请上传 .csv 或 .xlsx 文件"])


def _xlsx_rows(data: bytes, filename: str) -> Iterator[list[str]]:
    """Rows of the first sheet, streamed (read-only), after the archive passed the guards."""
    label = f"文件“{filename}”"
    try:
        safezip.check(data, label, kind=" XLSX 工作簿")
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except safezip.UnsafeArchive as exc:
        raise ImportRejected([str(exc)]) from exc
    except Exception as exc:
        raise ImportRejected([f"文件“{filename}”不是有效的 XLSX 工作簿：{exc}"]) from exc
    rows = book.worksheets[0].iter_rows(values_only=True)
    try:
        for row in safezip.bounded_rows(rows, label):
            yield ["" if v is None else str(v).strip() for v in row]
    except safezip.UnsafeArchive as exc:
        raise ImportRejected([str(exc)]) from exc
    finally:
        book.close()


def _header_map(header: list[str]) -> dict[int, str]:
    known = {h: f for h, f in COLUMNS}
    mapping = {i: known[h] for i, h in enumerate(header) if h in known}
    missing = [h for h in ("单位全称", "分组") if h not in header]
    if missing:
        raise ImportRejected(
            [
                f"第 1 行（表头）缺少必需的列：{'、'.join(missing)}。可用的列：{'、'.join(h for h, _ in COLUMNS)}"
            ]
        )
    return mapping


def parse_units(data: bytes, filename: str) -> list[tuple[int, dict[str, str]]]:
    """Rows of the file as (row number, field -> text), header removed, blank rows skipped."""
    if len(data) > MAX_IMPORT_BYTES:
        raise ImportRejected([f"文件过大（{len(data) // 1024 // 1024} MB）：单位名单文件不能超过 10 MB"])
    rows = _read_rows(data, filename)
    header = next(rows, None)
    if header is None:
        raise ImportRejected([f"文件“{filename}”是空的"])
    mapping = _header_map(header)  # a wrong header is refused before the rest of the sheet is read
    parsed = []
    for number, row in enumerate(rows, start=2):
        if not any(cell for cell in row):
            continue
        parsed.append((number, {field: row[i] if i < len(row) else "" for i, field in mapping.items()}))
    return parsed


__all__ = ["COLUMNS", "MAX_IMPORT_BYTES", "ImportRejected", "parse_units"]
