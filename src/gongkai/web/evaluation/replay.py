"""Evidence you can see: an archived page replayed from the unit's WARC inside the platform, as it was
crawled. The HTML is sanitised (no scripts, frames, forms, event handlers or javascript: links), served
with a Content-Security-Policy that forbids scripts and inside a sandboxed frame; links to pages of the
same archive are rewritten to replay them, others are inert; the evidence snippet is highlighted.

Images and stylesheets come from the archive too, when it holds them: they are inlined (images as data:
addresses, stylesheets as <style> with their own url() resolved the same way and anything active removed),
so the replayed page never fetches anything, from the platform or elsewhere. The platform's crawler does
not fetch them (it spares the sites), so in its own archives they show as dashed placeholders saying so;
an archive written with page requisites (by a capturing browser, say) shows them as crawled."""

from __future__ import annotations

import base64
import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urljoin

import lxml.html
from lxml import etree

from gongkai.crawl.archive import Record, read_archive

DROP_TAGS = ("script", "noscript", "iframe", "frame", "frameset", "object", "embed", "applet", "form",
             "input", "button", "textarea", "select", "base", "meta", "link")  # fmt: skip
URL_ATTRS = ("href", "src", "action", "formaction", "poster", "background", "srcset")
HTML_TYPES = ("text/html", "application/xhtml")
IMAGE_TYPES = ("image/png", "image/jpeg", "image/gif", "image/webp", "image/bmp", "image/x-icon",
               "image/vnd.microsoft.icon", "image/svg+xml")  # fmt: skip
MAX_INLINE = 2 * 1024 * 1024  # one image or stylesheet inlined at most; a bigger one shows as a placeholder
PLACEHOLDER_CSS = (
    "mark#evidence{background:#ffe066;outline:2px solid #e8590c}"
    ".gk-missing{display:inline-block;border:1px dashed #999;color:#666;background:#f6f6f6;"
    "padding:2px 6px;font:12px/1.4 sans-serif}"
)
_CSS_URL = re.compile(r"url\(\s*(['\"]?)([^'\")]*)\1\s*\)", re.I)
_CSS_IMPORT = re.compile(r"@import[^;]*;?", re.I)
_CSS_ACTIVE = re.compile(r"expression\s*\(|javascript:|vbscript:|behavior\s*:|-moz-binding", re.I)


@dataclass
class Requisites:
    """What a replayed page referenced besides pages: inlined from the archive or shown as placeholders."""

    images: int = 0
    styles: int = 0
    missing_images: int = 0
    missing_styles: int = 0


@dataclass
class ArchivedPage:
    url: str
    record_id: str
    status: int | None
    date: dt.datetime | None
    title: str


@dataclass
class ArchiveContents:
    """One pass over a unit's archive: its pages (to list and link) and its images and stylesheets."""

    pages: list[ArchivedPage] = field(default_factory=list)
    known: set[str] = field(default_factory=set)
    assets: dict[str, Record] = field(default_factory=dict)


def content_type(record: Record) -> str:
    return record.content_type.split(";")[0].strip().lower()


def contents(archive: str) -> ArchiveContents:
    """The archive's HTML pages in crawl order (each address once), and its images and stylesheets."""
    out = ArchiveContents()
    path = Path(archive)
    if not archive or not path.is_file():
        return out
    seen: dict[str, int] = {}
    for record in read_archive(path):
        if record.status is None or record.status >= 400:
            continue
        kind = content_type(record)
        out.known.add(record.url)
        if kind.startswith(HTML_TYPES):
            page = ArchivedPage(record.url, record.record_id, record.status, record.date, _title(record))
            if record.url in seen:
                out.pages[seen[record.url]] = page
            else:
                seen[record.url] = len(out.pages)
                out.pages.append(page)
        elif (kind in IMAGE_TYPES or kind == "text/css") and len(record.body) <= MAX_INLINE:
            out.assets[record.url] = record
    return out


def _title(record: Record) -> str:
    match = re.search(rb"<title[^>]*>(.*?)</title>", record.body[:65536], re.I | re.S)
    if not match:
        return ""
    record_for_text = Record(record.url, record.status, record.headers, match.group(1), "", None)
    return " ".join(decode(record_for_text).split())[:120]


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
    return contents(archive).known


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


def sanitise(
    html: str,
    base_url: str,
    replay_prefix: str,
    known: set[str],
    snippet: str = "",
    assets: dict[str, Record] | None = None,
    found: Requisites | None = None,
) -> str:
    """The page without anything active; links into the archive replayed, images and stylesheets inlined
    from the archive or shown as placeholders, the snippet marked."""
    assets = assets or {}
    found = found if found is not None else Requisites()
    try:
        root = lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        return "<p>该存档页面无法解析。</p>"
    for link in list(root.iter("link")):
        _stylesheet(link, base_url, assets, found)
    for element in list(root.iter(*DROP_TAGS)):
        element.drop_tree()
    for element in list(root.iter()):
        if not isinstance(element.tag, str):
            continue
        if element.tag == "style" and element.text:
            element.text = clean_css(element.text, base_url, assets)
        if element.tag == "img":
            _image(element, base_url, assets, found)
            continue
        for name in list(element.attrib):
            lowered = name.lower()
            if lowered.startswith("on"):
                del element.attrib[name]
            elif lowered == "style":
                element.attrib[name] = clean_css(element.attrib[name], base_url, assets)
            elif lowered in URL_ATTRS:
                _rewrite(element, name, base_url, replay_prefix, known, assets)
    if snippet:
        _mark(root, snippet)
    head = root.find("head")
    if head is None:
        head = etree.Element("head")
        root.insert(0, head)
    style = etree.Element("style")
    style.text = PLACEHOLDER_CSS
    head.insert(0, style)
    return lxml.html.tostring(root, encoding="unicode", doctype="<!DOCTYPE html>")


def _asset(url: str, assets: dict[str, Record], kinds: tuple[str, ...]) -> Record | None:
    record = assets.get(url)
    return record if record is not None and content_type(record) in kinds else None


def data_url(record: Record) -> str:
    return f"data:{content_type(record)};base64,{base64.b64encode(record.body).decode('ascii')}"


def _image(element, base_url: str, assets: dict[str, Record], found: Requisites) -> None:
    """An <img> from the archive as a data: address, or a dashed placeholder saying it was not archived."""
    for name in list(element.attrib):
        if name.lower().startswith("on") or name.lower() in ("srcset", "style"):
            del element.attrib[name]
    src = element.attrib.get("src", "").strip()
    target = urljoin(base_url, src).split("#")[0] if src else ""
    record = _asset(target, assets, IMAGE_TYPES)
    if record is not None:
        element.attrib["src"] = data_url(record)
        found.images += 1
        return
    found.missing_images += 1
    placeholder = etree.Element(
        "span", {"class": "gk-missing", "title": f"未存档的图片：{target or '无地址'}"}
    )
    alt = (element.attrib.get("alt") or "").strip()
    placeholder.text = f"［图片未存档{'：' + alt if alt else ''}］"
    placeholder.tail = element.tail
    element.getparent().replace(element, placeholder)


def _stylesheet(link, base_url: str, assets: dict[str, Record], found: Requisites) -> None:
    """A <link rel=stylesheet> archived becomes a <style> with its text cleaned; one not archived is counted
    (and dropped with the other <link> elements)."""
    if "stylesheet" not in (link.attrib.get("rel") or "").lower():
        return
    target = urljoin(base_url, (link.attrib.get("href") or "").strip()).split("#")[0]
    record = _asset(target, assets, ("text/css",))
    if record is None:
        found.missing_styles += 1
        return
    style = etree.Element("style")
    style.text = clean_css(decode(record), target, assets)
    style.tail = link.tail
    link.getparent().replace(link, style)
    found.styles += 1


def clean_css(css: str, base_url: str, assets: dict[str, Record]) -> str:
    """CSS without anything active (expressions, bindings, script addresses, imports); each url() an
    archived image as a data: address, or none."""
    css = _CSS_ACTIVE.sub("/*已移除*/", _CSS_IMPORT.sub("", css))

    def replace(match: re.Match) -> str:
        if match.group(2).strip().lower().startswith("data:image/"):
            return match.group(0)  # an image written into the page (or inlined already) loads nothing
        target = urljoin(base_url, match.group(2).strip()).split("#")[0]
        record = _asset(target, assets, IMAGE_TYPES)
        return f'url("{data_url(record)}")' if record is not None else "none"

    return _CSS_URL.sub(replace, css).replace("</", "<\\/")


def _rewrite(element, name: str, base_url: str, replay_prefix: str, known: set[str], assets=None) -> None:
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
    elif name == "background" and _asset(target, assets or {}, IMAGE_TYPES) is not None:
        element.attrib[name] = data_url(assets[target])
    else:
        del element.attrib[name]  # media and the like: nothing is fetched


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
