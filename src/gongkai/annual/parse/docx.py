"""DOCX reports (national template and filled copies): paragraphs and tables in body order.

Horizontally merged cells come back from python-docx once per grid column: repeats of the same cell are
dropped. Vertically merged labels repeat on each row, which the label matcher tolerates.
"""

from __future__ import annotations

import io

import docx
from docx.table import Table
from docx.text.paragraph import Paragraph

from gongkai.annual.model import AnnualReport
from gongkai.annual.parse._core import Token, build_report

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def docx_blocks(data: bytes) -> tuple[list[str], list[Token]]:
    document = docx.Document(io.BytesIO(data))
    lines: list[str] = []
    tokens: list[Token] = []
    row_id = 0
    for el in document.element.body.iterchildren():
        if el.tag == _W + "p":
            text = Paragraph(el, document).text.strip()
            if text:
                lines.append(text)
                tokens.append(Token(text))
        elif el.tag == _W + "tbl":
            for row in Table(el, document).rows:
                row_id += 1
                cells: list[str] = []
                last = None
                for cell in row.cells:
                    if cell._tc is last:
                        continue
                    last = cell._tc
                    cells.append("".join(cell.text.split()))
                lines.append(" | ".join(cells))
                tokens.extend(Token(c, row_id) for c in cells)
    return lines, tokens


def parse_docx(data: bytes, name: str = "") -> AnnualReport:
    lines, tokens = docx_blocks(data)
    return build_report("\n".join(lines), tokens, kind="docx", source=name)
