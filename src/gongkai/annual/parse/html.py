"""HTML reports from government sites: leaf tables become cell rows, the rest running text.

Decoding follows DESIGN.md: BOM, then `<meta charset>`, then UTF-8, then GB18030 (gbk/gb2312 read as
gb18030), then charset-normalizer. Cells split by `<p>`/`<br>` are joined; colspan/rowspan need no
expansion because rows are matched by their labels.
"""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser, LexborNode

from gongkai.annual.model import AnnualReport
from gongkai.annual.parse._core import Token, build_report, fill_meta

_META_CHARSET = re.compile(rb"""charset\s*=\s*["']?([A-Za-z0-9_\-]+)""", re.I)
_BLOCK = frozenset(
    [
        "p",
        "div",
        "br",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "li",
        "ul",
        "ol",
        "section",
        "article",
        "header",
        "footer",
        "tr",
        "table",
        "title",
        "blockquote",
        "pre",
        "dd",
        "dt",
    ]
)
_SKIP = frozenset({"script", "style", "noscript", "head", "template", "svg"})


def decode_html(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    m = _META_CHARSET.search(data[:4096])
    if m:
        enc = m.group(1).decode("ascii").lower()
        if enc in ("gbk", "gb2312", "gb_2312", "x-gbk", "cp936"):
            enc = "gb18030"
        try:
            return data.decode(enc)
        except (LookupError, UnicodeDecodeError):
            pass
    from gongkai.annual.parse.text import decode

    return decode(data)


def _cell_text(node: LexborNode) -> str:
    return "".join(node.text(deep=True, separator="", strip=False).split())


def _walk(root: LexborNode, lines: list[str], tokens: list[Token], rows: list[int]) -> None:
    buf: list[str] = []

    def flush() -> None:
        text = "".join(buf).strip()
        buf.clear()
        if text:
            lines.append(text)
            tokens.append(Token(text))

    stack: list[tuple[LexborNode, bool]] = [(root, False)]
    while stack:
        node, closing = stack.pop()
        tag = node.tag
        if closing:
            if tag in _BLOCK:
                flush()
            continue
        if tag == "-text":
            buf.append(node.text_content or "")
            continue
        if tag in _SKIP or tag == "-comment":
            continue
        if tag == "table" and len(node.css("table")) <= 1:
            flush()
            _table(node, lines, tokens, rows)
            continue
        if tag in _BLOCK:
            flush()
        stack.append((node, True))
        children = list(node.iter(include_text=True))
        stack.extend((c, False) for c in reversed(children))
    flush()


def _table(node: LexborNode, lines: list[str], tokens: list[Token], rows: list[int]) -> None:
    for tr in node.css("tr"):
        rows[0] += 1
        cells = [_cell_text(td) for td in tr.css("td, th")]
        lines.append(" | ".join(cells))
        tokens.extend(Token(c, rows[0]) for c in cells)


_NEST_TAG = re.compile(r"<(/?)(div|span|font|table|section|article|blockquote)\b", re.I)
MAX_DEPTH = 2000


def _too_deep(html: str) -> bool:
    """Nesting beyond MAX_DEPTH: lexbor's tree building slows quadratically there (50,000 levels: 15 s)."""
    depth = 0
    for m in _NEST_TAG.finditer(html):
        depth += -1 if m.group(1) else 1
        if depth > MAX_DEPTH:
            return True
    return False


def parse_html(data: bytes, name: str = "") -> AnnualReport:
    html = decode_html(data)
    if _too_deep(html):
        from gongkai.annual.parse import ReadError

        raise ReadError(f"{name or '网页'}：网页元素嵌套超过 {MAX_DEPTH} 层，不像年报页面，未读取")
    tree = LexborHTMLParser(html)
    root = tree.body or tree.root
    lines: list[str] = []
    tokens: list[Token] = []
    if root is not None:
        _walk(root, lines, tokens, [0])
    text = "\n".join(lines)
    report = build_report(text, tokens, kind="html", source=name)
    _html_meta(report, tree)
    return report


def _html_meta(report: AnnualReport, tree: LexborHTMLParser) -> None:
    metas = {}
    for m in tree.css("meta[name]"):
        metas[(m.attributes.get("name") or "").lower()] = m.attributes.get("content") or ""
    pub = metas.get("pubdate") or metas.get("publishdate") or ""
    if pub and report.published is None:
        fill_meta(report, f"发布时间: {pub}")
    if not report.url:
        report.url = metas.get("url", "")
    if not report.unit:
        title = tree.css_first("title")
        if title is not None:
            fill_meta(report, title.text(strip=True))
