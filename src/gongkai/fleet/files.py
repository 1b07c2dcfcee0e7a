"""Small real attachment files for the fleet: PDF (WeasyPrint), DOCX (python-docx), XLSX (openpyxl).

Rendered on first use and cached: a fleet serves the same few bytes many times, and WeasyPrint is the
slow one (about a second), so PDFs are keyed by a short text only.
"""

from __future__ import annotations

import functools
import html
import io


@functools.lru_cache(maxsize=16)
def pdf_bytes(title: str, paragraphs: tuple[str, ...]) -> bytes:
    """A one-page PDF with a text layer (Noto CJK through fontconfig)."""
    import logging

    from weasyprint import HTML

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    body = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    doc = (
        "<html><head><meta charset='utf-8'><style>body{font-family:'Noto Sans CJK SC',sans-serif;"
        f"font-size:12pt}}</style></head><body><h1>{html.escape(title)}</h1>{body}</body></html>"
    )
    return HTML(string=doc).write_pdf()


@functools.lru_cache(maxsize=256)
def docx_bytes(title: str, paragraphs: tuple[str, ...]) -> bytes:
    """A DOCX with a heading and paragraphs."""
    import docx

    document = docx.Document()
    document.add_heading(title, level=1)
    for p in paragraphs:
        document.add_paragraph(p)
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


@functools.lru_cache(maxsize=256)
def xlsx_bytes(title: str, rows: tuple[tuple[str, ...], ...]) -> bytes:
    """An XLSX whose first sheet holds `rows` under a title row."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    ws.append([title])
    for row in rows:
        ws.append(list(row))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


# A 1x1 red PNG for the 党政机关 mark and other images.
PNG_1X1 = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de0000000c4944415408d763f8cfc000"
    "00030101001869e0d60000000049454e44ae426082"
)
