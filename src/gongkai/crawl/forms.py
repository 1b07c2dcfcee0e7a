"""Query forms: what makes a page a query system's page (金融许可证查询, 行政处罚查询) rather than an article.

A site-wide search box has one or two fields (a keyword, a scope); a query system asks for several
(机构名称, 机构地址, 流水号, 机构类型 …). ``query_form`` counts the fields a reader fills in one form.
"""

from __future__ import annotations

from selectolax.lexbor import LexborHTMLParser

QUERY_FIELDS = 3  # fields a reader fills in one form: more than a search box has
_TEXT_TYPES = frozenset({"", "text", "search", "date", "number", "tel", "email", "month"})


def query_form(tree: LexborHTMLParser) -> bool:
    """Whether one of the page's forms asks for QUERY_FIELDS fields or more (text inputs, selects,
    text areas; hidden inputs and buttons do not count)."""
    for form in tree.css("form"):
        fields = 0
        for node in form.css("input, select, textarea"):
            if node.tag != "input" or (node.attributes.get("type") or "").strip().lower() in _TEXT_TYPES:
                fields += 1
        if fields >= QUERY_FIELDS:
            return True
    return False
