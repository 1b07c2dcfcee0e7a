"""PDF reports with a text layer, read with pypdfium2 (fast text; pdfplumber is 20-50x slower here).

Page numbers such as `- 3 -` are dropped so that tables crossing pages join up; labels wrapped over
lines are re-joined by the label matcher. The text layer loses blank cells, so a short row is read
again from pdfplumber's ruled tables; if that fails too the row stays blank with a precise note.
A PDF without a text layer (a scan) is refused clearly.
"""

from __future__ import annotations

import io
import re

import pypdfium2 as pdfium

from gongkai.annual.model import AnnualReport
from gongkai.annual.parse import ReadError
from gongkai.annual.parse._core import Token, build_report
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


AMBIGUOUS = "无法确定哪一格为空"


def parse_pdf(data: bytes, name: str = "") -> AnnualReport:
    text = pdf_text(data, name)
    report = parse_text_str(text, name, kind="pdf")
    if any(AMBIGUOUS in m for _, m in report.doubts):
        _refine_with_tables(report, data, text, name)
    return report


def _table_tokens(data: bytes) -> list[Token]:
    """Cells of the ruled tables found by pdfplumber; None (span placeholders) dropped, '' kept blank."""
    import pdfplumber

    tokens: list[Token] = []
    row_id = 0
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages[:MAX_PAGES]:
            for table in page.extract_tables():
                for row in table:
                    row_id += 1
                    tokens.extend(Token("".join(c.split()), row_id) for c in row if c is not None)
    return tokens


def _refine_with_tables(report: AnnualReport, data: bytes, text: str, name: str) -> None:
    """A text layer drops blank cells; where a row came out short, read the ruled table instead.

    pdfplumber is 20-50x slower than the text layer, so it only runs for reports that need it.
    """
    try:
        alt = build_report(text, _table_tokens(data), kind="pdf", source=name)
    except Exception:  # the text-layer result stands, with its notes
        return
    for table in ("t2", "t3", "t4"):
        mine = [n for n in report.doubts if n[0].startswith(table) and AMBIGUOUS in n[1]]
        theirs = [n for n in alt.notes + alt.doubts if n[0].startswith(table)]
        if not mine or theirs or not getattr(alt, table):
            continue
        setattr(report, table, getattr(alt, table))
        report.notes = [n for n in report.notes if not n[0].startswith(table)]
        report.doubts = [n for n in report.doubts if not n[0].startswith(table)]
        report.invalid = {k: v for k, v in report.invalid.items() if not k.startswith(table)}
        report.invalid |= {k: v for k, v in alt.invalid.items() if k.startswith(table)}
