"""What a user may not read: internal codes of the platform. One rule for every page and export test.

The rule: in what a user reads (a page's text nodes outside <script>, <style> and <template>, plus the
title, placeholder, alt and aria-label attributes; every paragraph and table cell of a DOCX; every cell of
a workbook; the text of a PDF) there is no verdict word (PASS, FAIL, UNCERTAIN, NOT_ASSESSABLE), no stored
choice value (score, veto, pending, county, false_alarm...), no dotted identifier (check ids such as
`column.missing`, job kinds such as `rectification.verify`), no snake_case name, no Python value or repr
(None, True, False, `<… object at 0x…>`, `ManualScore object (10)`), no raw JSON, no rule id such as
T3-IDENTITY, no `urn:uuid`. Web addresses are data the user gave or the crawler met, so they are removed
before matching; so are the contents of scripts (a chart's JSON data may hold ids) and of an archived page
(the unit's own text, replayed)."""

from __future__ import annotations

import re

import lxml.html

CODES = re.compile(
    r"\b(score|veto|bonus|auto|pending|not_applicable|not_assessable|no_authority|authority_average|county|"
    r"department|township|zone|confirmed|false_alarm|upheld|granted|draft|scoring|published|PASS|FAIL|"
    r"UNCERTAIN|NOT_ASSESSABLE|reweight|exclude|mixed|pre2019|unknown|None|True|False|null|undefined|NaN)\b"
    r"|\bt[234](?=[.:])"
    r"|[a-z_]+\.[a-z_]+ object|object \(\d+\)|object at 0x"
    r"|\b[a-z]+_?[a-z]*\.[a-z_]+\b|\b[a-z]+_[a-z_]+\b"
    r"|Luhn|urn:uuid|\b[A-Z]\d-[A-Z]+|\b[A-Z]{2,}-[A-Z]{3,}\b"
    r"|\{\s*\"[a-z_]+\"\s*:|\[\s*\{|\{'[a-z_]+':|\['"
)
ADDRESS = re.compile(
    r"(?:https?://|www\.)\S+|\b[\w.-]+@[\w-]+(?:\.[\w-]+)+|\b[\w-]+(?:\.[\w-]+)*\.(?:gov\.cn|cn|com|org|net)\b"
)
FILE_NAME = re.compile(r"\b[\w.-]+\.(?:docx|xlsx|pdf|csv|html?|warc\.gz|xls|doc|txt|zip|png|jpe?g)\b", re.I)
SKIPPED = ("script", "style", "template", "noscript")
SHOWN_ATTRS = ("title", "placeholder", "alt", "aria-label")


def visible(html: str) -> str:
    """The text of a page as a user reads it (see the module's rule)."""
    try:
        root = lxml.html.document_fromstring(html)
    except Exception:  # an empty or unparsable page has no text to read
        return ""
    for element in list(root.iter(*SKIPPED)):
        element.drop_tree()  # keeps the text that follows it
    parts: list[str] = []
    for element in root.iter():
        if not isinstance(element.tag, str):  # comments
            parts.append(element.tail or "")
            continue
        parts.append(element.text or "")
        parts.extend(element.attrib.get(name, "") for name in SHOWN_ATTRS)
        if element.tag == "input" and element.attrib.get("type", "text") in (
            "text",
            "submit",
            "button",
            "date",
        ):
            parts.append(element.attrib.get("value", ""))
        parts.append(element.tail or "")
    return "\n".join(p for p in parts if p and p.strip())


def leaks(text: str) -> list[str]:
    """The internal codes in a text a user reads, each once, sorted."""
    text = FILE_NAME.sub(" ", ADDRESS.sub(" ", text))
    return sorted({m.group(0) for m in CODES.finditer(text)})
