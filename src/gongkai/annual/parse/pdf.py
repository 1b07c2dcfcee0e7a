"""PDF reports with a text layer, read with pypdfium2 (fast text; pdfplumber is 20-50x slower here).

Page numbers such as `- 3 -` are dropped so that tables crossing pages join up; labels wrapped over
lines are re-joined by the label matcher. A PDF without a text layer (a scan) is refused clearly.
"""

from __future__ import annotations

import re

import pypdfium2 as pdfium

from gongkai.annual.model import AnnualReport
from gongkai.annual.parse import ReadError
from gongkai.annual.parse.text import parse_text_str

_PAGE_NO = re.compile(
    r"^\s*(?:[-—–]\s*\d+\s*[-—–]|第\s*\d+\s*页(?:\s*共\s*\d+\s*页)?|\d+\s*/\s*\d+)\s*$", re.M
)
MAX_PAGES = 200


def pdf_text(data: bytes, name: str = "") -> str:
    label = name or "PDF"
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise ReadError(f"{label}：PDF 文件损坏或不完整，无法打开（{exc}）") from exc
    try:
        if len(pdf) > MAX_PAGES:
            raise ReadError(f"{label}：PDF 共 {len(pdf)} 页，超过年报上限 {MAX_PAGES} 页，未读取")
        pages = []
        for page in pdf:
            textpage = page.get_textpage()
            pages.append(textpage.get_text_range())
            textpage.close()
            page.close()
    finally:
        pdf.close()
    text = "\n".join(pages).replace("\r\n", "\n").replace("\r", "\n")
    text = _PAGE_NO.sub("", text)
    if len(re.sub(r"\s", "", text)) < 20:
        raise ReadError(f"{label}：PDF 没有文字层（可能是扫描件），无法读取表格")
    return text


def parse_pdf(data: bytes, name: str = "") -> AnnualReport:
    report = parse_text_str(pdf_text(data, name), name, kind="pdf")
    return report
