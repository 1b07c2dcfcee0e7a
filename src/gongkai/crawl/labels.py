"""Metadata label forms of real detail pages, beyond "标签：值" lines and label/value table cells.

Government CMSs print a document's metadata in many ways; an evaluator reads all of them alike:

- runs of labels in one block: ``索引号：xxx 发布机构：yyy`` on one line, or lines split by ``<br>``;
- bracketed labels, with or without a colon: ``【文  号】 晋医保发〔2021〕14号``, ``[成文日期]：2021-07-28``,
  ``〔发布机构〕 …``;
- a label element followed by its value element: ``<dt>索引号</dt><dd>…</dd>``,
  ``<span>发文字号</span><p>…</p>``, ``<b>成文日期</b> 2021-07-28``.

Only labels of ``METADATA_FIELDS`` count (their canonical names are returned); a value runs to the next
label-like token (known or not: 来源：, 【打印】) so that one block never spills into the next field.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

from selectolax.lexbor import LexborHTMLParser, LexborNode

from gongkai.text import nospace, squash

_OPEN, _CLOSE = "【[〔［", "】]〕］"
_O, _C = re.escape(_OPEN), re.escape(_CLOSE)
_CJK = "\u4e00-\u9fa5"
# a bracketed label (colon optional), or a bare label with a colon, starting a line or after a space
_TOKEN = re.compile(
    rf"[{_O}]\s*([{_CJK}][{_CJK}\s]{{0,14}}?)\s*[{_C}]\s*[:：]?"
    rf"|(?:^|(?<=\s))([{_CJK}][{_CJK}\s]{{0,10}}?)\s*[:：]"
)
BRACKET_HINT = re.compile(rf"[{_O}]\s*[{_CJK}]")
_LABEL_TAGS = "dt, th, span, label, b, strong, em, font, div, p"
_MAX_LABEL = 20  # characters of a label element's own text
_MAX_VALUE = 200


def canonical(text: str, fields: Mapping[str, str]) -> str | None:
    """The canonical name of a label as printed (spaces, brackets and a trailing colon dropped)."""
    key = nospace(text).rstrip(":：").strip(_OPEN + _CLOSE).rstrip(":：")
    return fields.get(key)


def label_runs(text: str, fields: Mapping[str, str]) -> Iterator[tuple[str, str]]:
    """(canonical label, value) of every known label in a short block of text, each value running to
    the next label-like token or the end of the text."""
    tokens = list(_TOKEN.finditer(text))
    for i, m in enumerate(tokens):
        key = fields.get(nospace(m.group(1) or m.group(2) or ""))
        if key is None:
            continue
        end = tokens[i + 1].start() if i + 1 < len(tokens) else len(text)
        yield key, squash(text[m.end() : end])


def sibling_metadata(tree: LexborHTMLParser, fields: Mapping[str, str]) -> dict[str, str]:
    """Labels printed in an element of their own, with the value in the next sibling (an element or
    text); a label alone in an inline element takes its parent's next sibling. Empty values are not
    kept: a blank grid (often hidden) says nothing an evaluator sees."""
    found: dict[str, str] = {}
    for node in tree.css(_LABEL_TAGS):
        own = (node.text(deep=False) or "").strip()
        if not own or len(own) > _MAX_LABEL:
            continue
        key = canonical(own, fields)
        if key is None or key in found or squash(node.text() or "") != squash(own):
            continue
        value = _next_text(node)
        if value is None and node.parent is not None and _only_child(node):
            value = _next_text(node.parent)
        if value and len(value) <= _MAX_VALUE and canonical(value, fields) is None:
            found[key] = value
    return found


def leaf_block(node: LexborNode) -> bool:
    """A div whose own text shows a label (索引号：…, 【文号】…) and that holds no other block: one
    field's line, read as a whole (lexbor's css() matches the node itself, hence the count)."""
    own = node.text(deep=False) or ""
    if not (":" in own or "：" in own or BRACKET_HINT.search(own)):
        return False
    return len(node.css("div, p, table")) == 1


def _only_child(node: LexborNode) -> bool:
    parent = node.parent
    return parent is not None and squash(parent.text() or "") == squash(node.text() or "")


def _next_text(node: LexborNode) -> str | None:
    """The text of the sibling right after `node` (blank text, comments and <br> skipped); None when
    there is none or it shows nothing (an input of a search form, an empty cell)."""
    sibling = node.next
    while sibling is not None:
        if sibling.tag not in ("script", "style", "-comment", "br"):
            text = squash(sibling.text() or "").lstrip(":：").strip()  # <b>文号</b>：… has the colon here
            if text or sibling.tag != "-text":
                return text or None
        sibling = sibling.next
    return None
