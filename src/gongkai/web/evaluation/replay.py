"""Evidence you can see: an archived page replayed from the unit's WARC inside the platform, as it was
crawled. The HTML is sanitised (no scripts, frames, forms, event handlers or javascript: links), served
with a Content-Security-Policy that forbids scripts and inside a sandboxed frame; links to pages of the
same archive are rewritten to replay them, others are inert; the evidence snippet is highlighted."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote, urljoin

import lxml.html
from lxml import etree

from gongkai.crawl.archive import Record, read_archive

DROP_TAGS = ("script", "noscript", "iframe", "frame", "frameset", "object", "embed", "applet", "form",
             "input", "button", "textarea", "select", "base", "meta", "link")  # fmt: skip
URL_ATTRS = ("href", "src", "action", "formaction", "poster", "background", "srcset")
HTML_TYPES = ("text/html", "application/xhtml")


def find_record(archive: str, record_id: str = "", url: str = "") -> Record | None:
    """The archived response with this record id (or, failing that, the last one for this address)."""
    path = Path(archive)
    if not archive or not path.is_file():
        return None
    by_url = None
    for record in read_archive(path):
        if record_id and record.record_id == record_id:
            return record
        if url and record.url == url and record.status is not None:
            by_url = record
    return by_url


def archived_urls(archive: str) -> set[str]:
    path = Path(archive)
    if not archive or not path.is_file():
        return set()
    return {r.url for r in read_archive(path) if r.status is not None and r.status < 400}


def decode(record: Record) -> str:
    charset = "utf-8"
    content_type = record.content_type.lower()
    if "charset=" in content_type:
        charset = content_type.split("charset=", 1)[1].split(";")[0].strip() or "utf-8"
    for encoding in (charset, "utf-8", "gb18030"):
        try:
            return record.body.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
    return record.body.decode("utf-8", errors="replace")


def sanitise(html: str, base_url: str, replay_prefix: str, known: set[str], snippet: str = "") -> str:
    """The page without anything active; links into the archive replayed, the snippet marked."""
    try:
        root = lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        return "<p>该存档页面无法解析。</p>"
    for element in list(root.iter(*DROP_TAGS)):
        element.drop_tree()
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        for name in list(element.attrib):
            lowered = name.lower()
            value = element.attrib[name].lower()
            if lowered.startswith("on") or (
                lowered == "style" and ("url(" in value or "expression" in value)
            ):
                del element.attrib[name]
            elif lowered in URL_ATTRS:
                _rewrite(element, name, base_url, replay_prefix, known)
    if snippet:
        _mark(root, snippet)
    return lxml.html.tostring(root, encoding="unicode", doctype="<!DOCTYPE html>")


def _rewrite(element, name: str, base_url: str, replay_prefix: str, known: set[str]) -> None:
    value = element.attrib[name].strip()
    if name == "srcset" or value.lower().startswith(("javascript:", "vbscript:", "data:text")):
        del element.attrib[name]
        return
    target = urljoin(base_url, value).split("#")[0]
    if element.tag == "a" and target in known:
        element.attrib[name] = replay_prefix + quote(target, safe="")
        element.attrib["target"] = "_top"
    elif element.tag == "a":
        element.attrib["title"] = f"未存档的链接：{target}"
        element.attrib[name] = "#"
    else:
        del element.attrib[name]  # images and styles are not archived as pages: nothing is fetched


def _mark(root, snippet: str) -> None:
    """Wrap the first text holding the snippet (or its first 20 characters) in <mark id="evidence">."""
    needles = [snippet.strip(), snippet.strip()[:20]]
    for needle in [n for n in needles if n]:
        for element in root.iter():
            if not isinstance(element.tag, str) or element.tag in ("style", "title", "head"):
                continue
            for attr in ("text", "tail"):
                text = getattr(element, attr)
                if text and needle in text:
                    _wrap(element, attr, text, needle)
                    return


def _wrap(element, attr: str, text: str, needle: str) -> None:
    before, after = text.split(needle, 1)
    mark = etree.Element("mark", id="evidence")
    mark.text, mark.tail = needle, after
    if attr == "text":
        element.text = before
        element.insert(0, mark)
    else:
        element.tail = before
        parent = element.getparent()
        parent.insert(parent.index(element) + 1, mark)
