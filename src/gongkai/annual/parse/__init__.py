"""Readers of published annual reports: HTML, plain text, PDF (text layer), DOCX, XLSX and XLS.

Public API: `read_report(path)` and `parse_bytes(data, name)` return an `AnnualReport`; a file that
cannot be read raises `ReadError` with a Chinese message naming the file and the cause. Files larger
than `MAX_BYTES` are refused by size before any byte is read.
"""

from __future__ import annotations

import os
from pathlib import Path

from gongkai.annual.model import AnnualReport

MAX_BYTES = int(os.environ.get("GONGKAI_ANNUAL_MAX_BYTES", str(50 * 1024 * 1024)))
KINDS = {
    ".html": "html",
    ".htm": "html",
    ".shtml": "html",
    ".xhtml": "html",
    ".txt": "text",
    ".text": "text",
    ".md": "text",
    ".pdf": "pdf",
    ".docx": "docx",
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
}
# .xls is read by content: an OLE2 workbook, or the HTML table that many systems save under that name
SUFFIXES = (*KINDS, ".xls")
OLD_OFFICE = (".doc", ".wps", ".et", ".ppt")  # OLE2 files other than Excel 97-2003 workbooks
_OLE2 = b"\xd0\xcf\x11\xe0"


class ReadError(Exception):
    """A file could not be read as an annual report; the message is Chinese and names the file."""


def sniff(data: bytes, name: str) -> str:
    """The reader to use: by content first (PDF, ZIP, HTML), then by file suffix."""
    head = data[:2048].lstrip()
    suffix = Path(name).suffix.lower()
    if suffix in OLD_OFFICE:
        return "old-office"
    if data.startswith(_OLE2):
        # an OLE2 container: an .xls workbook holds a "Workbook" (or "Book") stream, a .doc "WordDocument"
        return "xls" if suffix == ".xls" or "Workbook".encode("utf-16-le") in data[:65536] else "old-office"
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        lower = name.lower()
        if lower.endswith((".xlsx", ".xlsm")):
            return "xlsx"
        if lower.endswith(".docx"):
            return "docx"
        return "xlsx" if b"xl/" in data[:4096] else "docx"
    if suffix in KINDS:
        return KINDS[suffix]
    low = head[:512].lower()
    if b"<html" in low or b"<!doctype" in low or b"<table" in low or b"<body" in low:
        return "html"
    return "text"


def parse_bytes(data: bytes, name: str = "", kind: str | None = None) -> AnnualReport:
    """Parse one report held in memory; `name` is used in messages and for the year hint."""
    label = name or "上传文件"
    if len(data) > MAX_BYTES:
        raise ReadError(
            f"{label}：文件大小 {len(data) // 1024 // 1024} MB 超过上限 {MAX_BYTES // 1024 // 1024} MB，未读取"
        )
    if not data.strip():
        raise ReadError(f"{label}：文件为空")
    kind = kind or sniff(data, name)
    if kind == "old-office":
        raise ReadError(f"{label}：旧版 Office 格式（.doc/WPS）暂不支持，请另存为 DOCX 或 PDF 后再上传")
    try:
        if kind == "pdf":
            from gongkai.annual.parse.pdf import parse_pdf

            return parse_pdf(data, name)
        if kind == "docx":
            from gongkai.annual.parse.docx import parse_docx

            return parse_docx(data, name)
        if kind == "xlsx":
            from gongkai.annual.parse.xlsx import parse_xlsx

            return parse_xlsx(data, name)
        if kind == "xls":
            from gongkai.annual.parse.xlsx import parse_xls

            return parse_xls(data, name)
        if kind == "html":
            from gongkai.annual.parse.html import parse_html

            return parse_html(data, name)
        from gongkai.annual.parse.text import parse_text

        return parse_text(data, name)
    except ReadError:
        raise
    except RecursionError as exc:
        raise ReadError(f"{label}：文档结构嵌套过深，无法读取") from exc
    except Exception as exc:  # any library failure on bad input becomes a clear message
        raise ReadError(
            f"{label}：无法作为{_KIND_NAMES.get(kind, kind)}读取（{type(exc).__name__}: {exc}）"
        ) from exc


_KIND_NAMES = {
    "pdf": "PDF",
    "docx": "Word（DOCX）",
    "xlsx": "Excel（XLSX）",
    "xls": "Excel 97-2003（XLS）",
    "html": "网页（HTML）",
    "text": "文本",
}


def read_report(path: str | os.PathLike[str]) -> AnnualReport:
    """Read and parse one file, refusing it by size before reading."""
    p = Path(path)
    try:
        size = p.stat().st_size
    except OSError as exc:
        raise ReadError(f"{p}：文件不存在或无法访问（{exc.strerror}）") from exc
    if not p.is_file():
        raise ReadError(f"{p}：不是文件")
    if size > MAX_BYTES:
        raise ReadError(
            f"{p}：文件大小 {size // 1024 // 1024} MB 超过上限 {MAX_BYTES // 1024 // 1024} MB，未读取"
        )
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise ReadError(f"{p}：无法读取（{exc.strerror}）") from exc
    report = parse_bytes(data, str(p))
    report.source = str(p)
    return report


__all__ = ["MAX_BYTES", "ReadError", "SUFFIXES", "parse_bytes", "read_report", "sniff"]
