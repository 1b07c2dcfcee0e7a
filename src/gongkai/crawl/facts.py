"""Page facts: what the site model needs of one response, read in a single parse.

The crawler takes the facts of every page from the parse tree it builds anyway to find links, so the
site model is assembled the moment a crawl ends, without reading the archive back or parsing any page a
second time. Offline extraction (`gongkai extract ARCHIVE`) takes the same facts from archived records
through the same function, so both paths give the same model.

Facts are context-free: which page is a column, a list page or a detail page is decided later, when
the whole site is known (`gongkai.crawl.sitemodel`). List rows are therefore read with an empty
`column_url`, filled in once the column is known.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field

from selectolax.lexbor import LexborHTMLParser

from gongkai.crawl.attachments import attachment_text
from gongkai.crawl.catalogue import CatalogueLink, catalogue_links
from gongkai.crawl.classify import is_zhuanlan_name
from gongkai.crawl.discover import (
    Discovery,
    discover,
    discover_html,
    is_pagination_url,
    parse_html,
)
from gongkai.crawl.extract import (
    content_text,
    footer_text,
    home_items,
    html_lists,
    json_list_items,
    meta_tags,
    metadata_of,
    neighbour_links,
    soft404_page,
    xml_list_items,
)
from gongkai.crawl.forms import query_form
from gongkai.crawl.gkmlpt import gkmlpt_tree
from gongkai.crawl.interaction import RawMessage, json_messages, page_messages
from gongkai.crawl.listpages import dated_rows, section_lists
from gongkai.crawl.resource import body_kind, ext_of, file_type, is_attachment
from gongkai.crawl.scripted import ScriptPlan
from gongkai.crawl.scripttree import ScriptTree, tree_nodes
from gongkai.model import Item
from gongkai.text import decode, parse_date, squash

PAGE_TEXT_LIMIT = 100_000  # characters of visible text kept per page (Page.text, Document.body)
_TEXT_DATE = re.compile(r"(发布时间|发布日期|时间)[:：]\s*([0-9年月日/.\- :]+)")
_ZERO_RECORDS = re.compile(r"<totalrecord>\s*0\s*</totalrecord>", re.I)


@dataclass(slots=True)
class PageFacts:
    """One archived response as the site model sees it."""

    url: str
    status: int | None
    record: str
    fetched_at: dt.datetime | None
    kind: str  # body_kind(): html | xml | json | file
    location: str = ""  # Location header of a redirect
    refresh: str = ""  # where a page that only sends the reader on leads (meta refresh, script redirect)
    pagination: list[str] = field(default_factory=list)
    links: list[tuple[str, str]] = field(default_factory=list)  # (absolute URL, text) of an HTML page
    parsed: bool = False  # a 2xx HTML page: the fields below are filled
    encoding: str = ""
    title: str = ""
    metas: dict[str, str] = field(default_factory=dict)
    text: str = ""  # visible text of <body>
    footer: str = ""
    detail: bool = False  # ArticleTitle meta or a metadata block: a content page, not a column
    metadata: dict[str, str] = field(default_factory=dict)
    heading: str = ""  # the document's <h1> or .title
    content: str = ""  # the article body
    neighbours: list[str] = field(default_factory=list)  # its 上一篇 / 下一篇 links
    published: dt.date | None = None  # 发布日期 row, else the PubDate meta, else "发布时间：..." in the text
    list_items: list[Item] | None = None  # rows of the page read as a list page (column_url "")
    list_others: list[list[Item]] = field(default_factory=list)  # the page's next likeliest lists
    placeholder: bool = False  # the page says 暂无信息 or the like (meant when its column has no items)
    hub: bool = False  # home or 专栏 candidate: the fields below are filled
    # links that can be catalogue entries (read on every page but documents): crawl.catalogue
    anchors: list[CatalogueLink] = field(default_factory=list)
    home_items: list[Item] = field(default_factory=list)  # dated rows (column_url "")
    gk_tree: list[object] = field(default_factory=list)  # gkmlpt catalogue tree
    script_tree: ScriptTree | None = None  # a catalogue tree drawn by script (zTree): crawl.scripttree
    tree_nodes: list[dict[str, object]] = field(default_factory=list)  # a tree API's answer: its nodes
    soft404: bool = False  # a 200 answer that says "page not found"
    attachment_text: str = ""
    file_type: str = ""  # an attachment's type (pdf, docx, ...): by its URL, else by its answer's headers
    scripted: str = ""  # its list is filled by script (avalon, vue, ajax, ...): see crawl.scripted
    plan: ScriptPlan | None = None  # how its script fills it (crawl.scripted.plan), read from this parse
    api: list[str] = field(default_factory=list)  # the list API requests its script makes (repeatable)
    rendered: bool = False  # read from the DOM a browser built (a conversion record), not as served
    messages: list[RawMessage] = field(default_factory=list)  # 留言 the page shows (crawl.interaction)
    query_form: bool = False  # a form asking for several fields (a query system's page): crawl.forms
    # a page of parts its own #anchors lead to (a 专栏 written as one page): fragment -> the part's rows
    sections: dict[str, list[Item]] = field(default_factory=dict)
    blank_sections: list[str] = field(default_factory=list)  # parts showing only 暂无信息


def page_facts(
    url: str,
    status: int | None,
    headers: dict[str, str],
    body: bytes,
    *,
    record: str,
    fetched_at: dt.datetime | None,
    hub: bool = False,
    max_list_pages: int = 50,
    rendered: bool = False,
) -> PageFacts:
    """The facts of one response; `hub` also reads column links and homepage rows (home, 专栏);
    `rendered`: the body is the DOM a browser built from the response."""
    ctype = headers.get("content-type", "")
    kind = body_kind(ctype, url, body)
    facts = PageFacts(url, status, record, fetched_at, kind, location=headers.get("location", ""))
    facts.rendered = rendered
    ok = bool(status) and 200 <= status < 300  # type: ignore[operator]
    readable = bool(status) and status < 400  # type: ignore[operator]
    if kind == "html" and ok:
        _read_html(facts, body, ctype, hub, max_list_pages)
    elif body and kind != "file":
        found = discover(url, body, ctype, max_list_pages=max_list_pages)
        facts.links, facts.pagination = found.links, found.pagination
        if readable and kind == "json":
            facts.list_items, facts.placeholder = _json_items(url, body, facts)
            if b"pId" in body or b"pid" in body or b"parentId" in body or b"children" in body:
                facts.tree_nodes = _json_tree(body)
        elif readable and kind == "xml":
            xml = body.decode("utf-8", "replace")
            facts.list_items = xml_list_items(xml, url, "")
            # the CMS's data interface says the column holds nothing (Hanweb: <totalrecord>0</totalrecord>)
            facts.placeholder = not facts.list_items and bool(_ZERO_RECORDS.search(xml))
    if readable and is_attachment(url):
        facts.file_type = ext_of(url)
    elif readable and kind == "file":  # a download script's answer: its headers say what it is
        facts.file_type = file_type(ctype, headers.get("content-disposition", ""))
    if facts.file_type:
        facts.attachment_text = attachment_text(body, facts.file_type)
    return facts


def _read_html(facts: PageFacts, body: bytes, ctype: str, hub: bool, max_list_pages: int) -> None:
    text, facts.encoding = decode(body, ctype)
    tree = parse_html(text, body, facts.encoding)
    found: Discovery = discover_html(facts.url, text, max_list_pages, tree=tree)
    facts.links, facts.pagination = found.links, found.pagination
    facts.script_tree = found.tree
    facts.parsed = True
    if found.scripted is not None and not facts.rendered:
        facts.scripted, facts.api = found.scripted.engine, [c.url for c in found.scripted.calls]
        facts.plan = found.scripted
    # scripts and styles are not text a reader sees (lexbor's text() would include their source); what
    # the crawler needs of them (pager calls, gkmlpt trees, Hanweb records) is read from `text`
    tree.strip_tags(["script", "style"])
    facts.refresh = found.refresh
    visible = _read_page(facts, tree)
    facts.messages = page_messages(tree, facts.url, visible, facts.title, found.base)
    _read_document(facts, tree, visible)
    # relative links resolve against the page's <base href> when it has one
    facts.neighbours = neighbour_links(found.base, text) if facts.detail else []
    _read_list(facts, tree, text, found.base)
    if hub or not (facts.detail or is_pagination_url(facts.url)):  # a page of the 专栏 may be a catalogue
        rows = (facts.list_items or [], *facts.list_others)
        documents = {it.url for items in rows for it in items if it.date}
        facts.anchors = catalogue_links(tree, found.base, text, documents)
        if 'href="#' in text:
            facts.sections, facts.blank_sections = section_lists(tree, found.base)
    if facts.scripted:
        facts.placeholder = False  # a template's 暂无数据, shown by its script only when the API says so
    facts.soft404 = facts.status == 200 and soft404_page(text, len(body), facts.title)
    facts.query_form = "<form" in text and query_form(tree)
    if hub:
        _read_hub(facts, tree, text, found.base)


def _read_page(facts: PageFacts, tree: LexborHTMLParser) -> str:
    """Title, meta tags, footer and the visible text (returned whole; `facts.text` keeps the first part)."""
    title = tree.css_first("title")
    facts.title = squash(title.text()) if title is not None else ""
    facts.metas = meta_tags(tree)
    body_node = tree.body
    visible = squash(body_node.text(separator="\n")) if body_node is not None else ""
    facts.text = visible[:PAGE_TEXT_LIMIT]
    facts.footer = footer_text(tree)
    return visible


# where a document's heading is: a .title, TRS/Fujian platforms' .article_title, else the first <h1>
_HEADINGS = ("h1.title", ".title", ".article_title", ".article-title", "h1")


def _read_document(facts: PageFacts, tree: LexborHTMLParser, visible: str) -> None:
    """The metadata block, heading, article body and publication date of a would-be detail page."""
    facts.metadata = metadata_of(tree)
    facts.detail = "ArticleTitle" in facts.metas or len(facts.metadata) >= 3
    h1 = next((n for n in map(tree.css_first, _HEADINGS) if n is not None and n.text().strip()), None)
    facts.heading = squash(h1.text()) if h1 is not None else ""
    facts.content = content_text(tree)[:PAGE_TEXT_LIMIT]
    published = parse_date(facts.metadata.get("发布日期", "")) or parse_date(facts.metas.get("PubDate", ""))
    if published is None:
        m = _TEXT_DATE.search(visible)
        published = parse_date(m.group(2)) if m else None
    facts.published = published


def _read_list(facts: PageFacts, tree: LexborHTMLParser, text: str, base: str) -> None:
    """List rows, for pages that can be a column's list page: a detail page cannot, unless it paginates
    or carries Hanweb records (reading rows on every detail page would cost ~15% of the extraction)."""
    has_datastore = "<datastore>" in text
    if facts.detail and not facts.pagination and not has_datastore:
        return
    rows = xml_list_items(text, base, "") if has_datastore else []
    if not rows or not facts.detail:
        seen_on = facts.fetched_at.date() if facts.fetched_at else None  # MM-DD rows: the fetch's year
        lists, facts.placeholder = html_lists(tree, base, "", today=seen_on)
        if rows:  # Hanweb records are the list; the page's other lists tell the site's repeated blocks
            facts.list_others = lists[:2]
        else:
            rows, facts.list_others = (lists[0], lists[1:]) if lists else ([], [])
        if not facts.detail and not any(it.date for it in rows):  # rows the list reader does not see
            rows = dated_rows(tree, base, seen_on) or rows
    facts.list_items = rows


def _read_hub(facts: PageFacts, tree: LexborHTMLParser, text: str, base: str) -> None:
    """Homepage rows and a gkmlpt catalogue: read on the homepage and 专栏 candidates only."""
    facts.hub = True
    facts.home_items = home_items(tree, base)
    if "_CONFIG" in text:
        facts.gk_tree = gkmlpt_tree(text)  # JSON or, as real pages write it, a JavaScript object


def _json_tree(body: bytes) -> list[dict[str, object]]:
    try:
        return tree_nodes(json.loads(body.decode("utf-8", "replace")))
    except ValueError:
        return []


def _json_items(url: str, body: bytes, facts: PageFacts) -> tuple[list[Item], bool]:
    try:
        doc = json.loads(body.decode("utf-8", "replace"))
    except ValueError:
        return [], False
    facts.messages = json_messages(doc, url)
    return json_list_items(doc, url, "")


def zhuanlan_links(facts: PageFacts) -> list[str]:
    """Links of a homepage whose text names the 政府信息公开 column: the 专栏 candidates."""
    return zhuanlan_targets(facts.links)


def zhuanlan_targets(links: list[tuple[str, str]]) -> list[str]:
    """The targets of (url, text) links whose text names the 政府信息公开 column."""
    return [u.split("#", 1)[0] for u, label in links if is_zhuanlan_name(label)]
