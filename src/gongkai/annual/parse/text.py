"""Plain-text reports: web copies with ` |` cell ends, markdown pipes, tabs, one cell per line, flattened.

Lines holding `|` are split into cells at each `|` (a line of only `|` is an empty cell); tab lines into
tab cells; other lines into whitespace-separated words. Decoding: UTF-8, then GB18030, then a guess.
"""

from __future__ import annotations

import re

from gongkai.annual.model import AnnualReport
from gongkai.annual.parse._core import Token, build_report


def decode(data: bytes) -> str:
    """Decode text bytes: BOM/UTF-8, then GB18030 (covers GBK/GB2312), then charset-normalizer."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    return str(best) if best is not None else data.decode("utf-8", errors="replace")


_PAGE_NO = re.compile(
    r"[-—–]\s*\d{1,3}\s*[-—–]|第\s*\d{1,3}\s*页(?:\s*[,，/]?\s*共\s*\d{1,3}\s*页)?"
)  # page numbers


# In a piped file, a line outside the pipes that ends in a number is a row a PDF converter printed as
# text (`行政许可 97`): its words are cells, as in unpiped text.
_LABEL_NUMBER = re.compile(r"[^\d|]*[\u4e00-\u9fff）)][ \t\u3000]+-?\d[\d,.]*(?:件|个|条|万元|元)?")


def tokens_of_text(text: str) -> list[Token]:
    """Split text into cell tokens (see module docstring)."""
    tokens: list[Token] = []
    piped = "|" in text
    for n, raw in enumerate(text.splitlines()):
        line = raw.strip()
        if not line or _PAGE_NO.fullmatch(line):
            continue
        if "|" in line:
            cells = line.split("|")
            if cells and not cells[-1].strip():
                cells.pop()  # text after the last separator belongs to no cell
            if line.startswith("|") and line.strip("| ") and cells and not cells[0].strip():
                cells.pop(0)  # markdown row opener
            # Several cells on one line form a row; one cell per line is a stream (row unknown).
            row = n if len(cells) > 1 and any(c.strip() for c in cells) else -1
            tokens.extend(Token(c.strip(), row) for c in cells)
        elif "\t" in raw:
            tokens.extend(Token(c.strip(), n) for c in raw.split("\t"))
        elif piped and not _LABEL_NUMBER.fullmatch(line):
            tokens.append(Token(line))
        else:
            tokens.extend(Token(w, -1, n) for w in line.split())
    return tokens


def parse_text(data: bytes, name: str = "") -> AnnualReport:
    text = decode(data)
    return parse_text_str(text, name, kind="text")


def parse_text_str(text: str, name: str = "", kind: str = "text") -> AnnualReport:
    # Whitespace-split words lose blank cells, so short rows are reported as ambiguous.
    stream_blanks = "|" in text
    return build_report(text, tokens_of_text(text), kind=kind, source=name, stream_blanks=stream_blanks)
