"""Where to go next from one response (`discover`): links, pagination and the API calls of script-filled
lists, for the three CMS families of website-checks.md §9.3: TRS (index_N.html from
createPageHTML/countPage), 大汉 Hanweb (dataproxy.jsp XML records, also inline in <script type="text/xml">),
广东 gkmlpt (window._CONFIG.TREE + JSON api), and generic ?page=N / 下一页 links; and where a page that
only sends the reader on leads (`redirect_target`).

The crawler's frontier reads `discover`; `gongkai.crawl.facts` reads the same parse for the site model.
"""

from __future__ import annotations

import functools
import html
import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from selectolax.lexbor import LexborDocumentOptions, LexborHTMLParser, LexborNode

from gongkai.crawl.apilist import api_items, api_pages
from gongkai.crawl.gkmlpt import gkmlpt_nodes, gkmlpt_sid, gkmlpt_tree
from gongkai.crawl.resource import absolute, body_kind, strip_fragment
from gongkai.crawl.scripted import ScriptPlan, plan
from gongkai.crawl.scripttree import ScriptTree, has_tree, script_tree, tree_links, tree_nodes
from gongkai.text import decode, nospace, squash

# 3 characters at most: discover_html relies on it (a test holds it)
PAGER_TEXT = re.compile(r"^(下一页|上一页|尾页|末页|首页|\d{1,3}|>|<|>>|<<|›|»)$")
# query parameters that number a list's pages, compared in lower case (pageNo, PageNo, pageno ...)
_PAGE_PARAMS = frozenset(
    ["page", "pageno", "page_no", "pagenum", "pagenumber", "currpage", "curpage", "pageindex", "p", "pn"]
)
# list pages numbered in the path: index_2.html (TRS), list_2.html, default_2.htm, index-2.shtml
_PAGE_PATH = re.compile(r"(?:index|list|default|more)[_-]\d+\.s?html?$")
# createPageHTML(N, cur, "index", "html") and the variant with a leading container id:
# createPageHTML('page_div', N, cur, 'index', 'html', total)
_TRS_CREATE = re.compile(
    r"createPageHTML\(\s*(?:['\"][A-Za-z_][\w-]*['\"]\s*,\s*)?['\"]?(\d+)['\"]?\s*,\s*['\"]?(\d+)['\"]?\s*,"
    r"\s*['\"](\w+)['\"]\s*,\s*['\"](\w+)['\"]"
)
# [11-21] or 11-21 at the end of a row: a list date without its year
_TRS_COUNT = re.compile(r"\bcountPage\s*=\s*(\d+)")
_HANWEB_PROXY = re.compile(r"dataproxy\.jsp\?[^\"'<>\s]*columnid=(\d+)[^\"'<>\s]*")
# no optional quote before the name: a pattern that starts with the names scans a page ~10x faster
_HANWEB_PARAM = re.compile(r"(columnid|unitid|webid)['\"]?\s*[:=]\s*['\"]?(\d+)")
_CDATA_RECORD = re.compile(r"<record>\s*<!\[CDATA\[(.*?)\]\]>\s*</record>", re.S)
_TOTAL_RECORD = re.compile(r"<totalrecord>\s*(\d+)\s*</totalrecord>", re.I)


# ------------------------------------------------------------------------------------ discovery


@dataclass
class Discovery:
    """Links found in one response: ordinary links (one hop deeper), pagination and the page a redirect
    page sends the reader on to (same depth)."""

    links: list[tuple[str, str]] = field(default_factory=list)  # (absolute URL, text)
    pagination: list[str] = field(default_factory=list)
    refresh: str = ""  # see redirect_target(); also the last of `links`, so its outcome is recorded
    base: str = ""  # what the page's relative links resolve against: its <base href>, else its URL
    scripted: ScriptPlan | None = None  # a list filled by script: the API calls (also in `pagination`)
    tree: ScriptTree | None = None  # a catalogue tree drawn by script (zTree): crawl.scripttree


_SCRIPTED_URL = re.compile(
    r"(?:window\.open\s*\(|location(?:\.href)?\s*=|location\.(?:replace|assign)\s*\()\s*['\"]([^'\"]+)['\"]"
)


def scripted_href(a: LexborNode, href: str) -> str:
    """Where a link whose href is script (javascript:void(0), #) goes when its script names the page:
    window.open('…') or location.href='…' in its onclick or href, as many list pages write rows.
    Any other href, or script that names no page, is returned unchanged."""
    if href[:1] not in ("j", "J", "#"):
        return href
    for script in (a.attrs.get("onclick") or "", href):
        m = _SCRIPTED_URL.search(script)
        if m:
            return m.group(1)
    return href


def _is_pager_link(url: str, text: str, page_url: str) -> bool:
    if PAGER_TEXT.match(text.strip()):
        (path, query), base = _path_query(url), _path_query(page_url)[0]
        if path == base or path.rsplit("/", 1)[0] == base.rsplit("/", 1)[0]:
            keys = {k.lower() for k, _ in parse_qsl(query)}
            return bool(keys & _PAGE_PARAMS) or bool(_PAGE_PATH.search(path))
    return False


@functools.lru_cache(maxsize=4096)  # the page itself and its 首页 link, asked on every page of a site
def _path_query(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.path, parts.query


def is_pagination_url(url: str) -> bool:
    """A list page after the first by its URL: index_2.html, list-3.shtml, ?page=2, ?pageNo=3 ..."""
    parts = urlsplit(url)
    if _PAGE_PATH.search(parts.path):
        return True
    if not parts.query:
        return False
    return any(k.lower() in _PAGE_PARAMS and v not in ("", "0", "1") for k, v in parse_qsl(parts.query))


def discover(url: str, body: bytes, content_type: str = "", *, max_list_pages: int = 50) -> Discovery:
    """Links and pagination URLs of one archived or fetched response."""
    kind = body_kind(content_type, url, body)
    if kind == "json":
        return _discover_json(url, body, max_list_pages)
    if kind == "xml":
        return _discover_xml(url, body, max_list_pages)
    if kind != "html":
        return Discovery()
    text, encoding = decode(body, content_type)
    return discover_html(url, text, max_list_pages, tree=parse_html(text, body, encoding))


def parse_html(text: str, body: bytes | None = None, encoding: str = "") -> LexborHTMLParser:
    """The tree of a decoded page. Given the bytes it was decoded from as UTF-8, lexbor reads those
    instead of encoding the text back to UTF-8 (~15% of the parse on a 27 KB page). Without mutation
    events (WO_EVENTS: no <selectedcontent> mirroring and the like), which the crawler never reads,
    the parse is a few percent faster again."""
    if body is not None and encoding == "utf-8" and not body.startswith(b"\xef\xbb\xbf"):
        return LexborHTMLParser(body, options=LexborDocumentOptions.WO_EVENTS)
    return LexborHTMLParser(text, options=LexborDocumentOptions.WO_EVENTS)


def discover_html(
    url: str, text: str, max_list_pages: int = 50, tree: LexborHTMLParser | None = None
) -> Discovery:
    """`tree` is the parsed `text` when the caller has it already (parsed once, not twice)."""
    if tree is None:
        tree = parse_html(text)
    out = Discovery(base=document_base(url, tree))
    base = out.base
    cut = base.find("/", base.find("//") + 2)
    root = base if cut < 0 else base[:cut]  # scheme://host[:port] for root-relative links
    links, pagination = out.links, out.pagination
    # frames count as links: old portals show the 信息公开目录 in an <iframe> (no label: a frame has none)
    for a in tree.css("a[href], iframe[src], frame[src]"):
        href = a.attrs.get("href")  # one attribute, not the dict of all of them
        href = (a.attrs.get("src") or "" if href is None else href).strip()
        if href[:1] == "/" and href[1:2] != "/" and "/../" not in href and "/./" not in href:
            target: str | None = root + href  # `_abs`'s fast path, inlined: most links on CMS pages
        elif href[:4] == "http" and href.startswith(("http://", "https://")) and "/." not in href:
            target = href  # `_abs`'s second fast path (and no script to read in such an href)
        else:
            target = absolute(base, scripted_href(a, href))
            if not target:
                continue
        label = " ".join((a.text() or "").split())  # == squash(): str.split() and \s agree on spaces
        # every pager text is at most 3 characters: most labels skip the regex
        if len(label) <= 3 and PAGER_TEXT.match(label) and _is_pager_link(target, label, url):
            pagination.append(strip_fragment(target))
        else:
            links.append((target, label))
    out.pagination.extend(trs_pages(url, text, max_list_pages))
    out.pagination.extend(hanweb_first_call(url, text))
    gk = gkmlpt_calls(url, text)
    out.pagination.extend(gk)
    if "/col/col" in text:  # Hanweb column pages a menu names only in script
        links.extend(script_column_links(base, text, {u for u, _ in links}))
    if has_tree(text):  # a zTree catalogue: its nodes' pages, and the URL it loads its nodes from
        out.tree = script_tree(base, text)
        if out.tree is not None:
            known = {u for u, _ in links}
            nodes = tree_links(base, out.tree.nodes, out.tree.template)
            links.extend((u, name) for u, name, _parent in nodes if u not in known)
            if out.tree.ajax:
                pagination.append(out.tree.ajax)
    out.scripted = plan(url, text, tree)
    if out.scripted is not None and out.tree is not None and out.tree.ajax:  # the tree's call fills no list
        out.scripted = _without_call(out.scripted, out.tree.ajax)  # a list its script fills: the API its script asks, read alike
    if out.scripted is not None:
        out.pagination.extend(c.url for c in out.scripted.calls if c.url not in out.pagination)
    if "<record>" in text:  # Hanweb's first page inline in <script type="text/xml">
        out.links.extend(_record_links(url, _CDATA_RECORD.findall(text)))
    if len(links) <= REDIRECT_PAGE_LINKS and _visible_length(tree) < REDIRECT_PAGE_TEXT:
        out.refresh = redirect_target(url, text, tree)
        if out.refresh:
            links.append((out.refresh, ""))
    return out


def _without_call(scripted: ScriptPlan, tree_url: str) -> ScriptPlan | None:
    """A page's script plan without its zTree's own request (read as the catalogue, not as a list):
    None when the page's script asks for nothing else."""
    calls = [c for c in scripted.calls if c.url != tree_url]
    endpoints = [e for e in scripted.endpoints if e != tree_url]
    if not calls and not endpoints:
        return None
    return replace(scripted, calls=calls, endpoints=endpoints)


# a Hanweb column page named in a page's source (a JS menu): "/col/col123/index.html" after a quote,
# a parenthesis, "=" or a space; the pattern starts with its literal, which the regex engine finds fast
# (a leading character class is tried at every position: a quarter of a millisecond on a 30 KB page)
SCRIPT_COLUMN = re.compile(r"/col/col\d+/index\.s?html?")
_SCRIPT_COLUMN_AFTER = frozenset("\"'(=")


def script_column_paths(text: str) -> list[str]:
    """The /col/colN/index.html paths a page's source names, in order (repeats kept)."""
    return [
        m.group()
        for m in SCRIPT_COLUMN.finditer(text)
        if m.start() and (text[m.start() - 1] in _SCRIPT_COLUMN_AFTER or text[m.start() - 1].isspace())
    ]


def script_column_links(base: str, text: str, known: set[str]) -> list[tuple[str, str]]:
    """Hanweb /col/colN/ pages that the page's source names but no link does (menus written by
    script): (url, "") links to follow."""
    out = []
    for path in dict.fromkeys(script_column_paths(text)):
        url = absolute(base, path)
        if url and url not in known:
            known.add(url)
            out.append((url, ""))
    return out


def document_base(url: str, tree: LexborHTMLParser) -> str:
    """The URL a page's relative links resolve against: its <base href> (HTML's rule), else its own."""
    head = tree.head
    base = head.css_first("base[href]") if head is not None else None
    if base is None:
        return url
    return absolute(url, (base.attributes.get("href") or "").strip()) or url


def _visible_length(tree: LexborHTMLParser) -> int:
    """Characters of text a reader sees (the source of scripts and styles left out), for sparse pages."""
    body = tree.body
    if body is None:
        return 0
    hidden = sum(len(nospace(node.text())) for node in body.css("script, style, noscript"))
    return len(nospace(body.text())) - hidden


def trs_pages(url: str, text: str, max_pages: int = 50) -> list[str]:
    """index_1.html ... index_{N-1}.html from createPageHTML(N, cur, "index", "html") or countPage=N."""
    # substring tests first: a regex scan of a 25 KB page costs several times as much as str.find; both
    # names hold "Page", which most pages (details) lack: one scan of those instead of two
    if "Page" not in text:
        return []
    m = _TRS_CREATE.search(text) if "createPageHTML" in text else None
    if m:
        count, stem, ext = int(m.group(1)), m.group(3), m.group(4)
    else:
        c = _TRS_COUNT.search(text) if "countPage" in text else None
        if not c:
            return []
        count, stem, ext = int(c.group(1)), "index", "html"
    base = url.rsplit("/", 1)[0] + "/"
    return [f"{base}{stem}_{i}.{ext}" for i in range(1, min(count, max_pages))]


def hanweb_first_call(url: str, text: str) -> list[str]:
    """The first dataproxy.jsp call of a Hanweb column page (45 records from the first)."""
    if "dataproxy.jsp" not in text:
        return []
    params = dict((k.lower(), v) for k, v in _HANWEB_PARAM.findall(text))
    m = _HANWEB_PROXY.search(text)
    if m:
        q = dict(parse_qsl(urlsplit(m.group(0).replace("&amp;", "&")).query))
        params.setdefault("columnid", q.get("columnid", ""))
        params.setdefault("unitid", q.get("unitid", ""))
        params.setdefault("webid", q.get("webid", "1"))
    if not params.get("columnid"):
        return []
    return [_proxy_url(url, params, 1, 45)]


def _proxy_url(page_url: str, params: Mapping[str, str], start: int, end: int) -> str:
    q = {
        "startrecord": str(start),
        "endrecord": str(end),
        "perpage": "15",
        "columnid": params.get("columnid", ""),
        "unitid": params.get("unitid", ""),
        "webid": params.get("webid", "1") or "1",
    }
    parts = urlsplit(page_url)
    return urlunsplit((parts.scheme, parts.netloc, "/module/web/jpage/dataproxy.jsp", urlencode(q), ""))


def gkmlpt_calls(url: str, text: str) -> list[str]:
    """First-page API calls for every node of a gkmlpt catalogue tree (the API sits beside the page's
    own /gkmlpt/ folder: a department's gkmlpt may live below a folder of the host)."""
    if "_CONFIG" not in text:
        return []
    tree = gkmlpt_tree(text)
    if not tree:
        return []
    sid = gkmlpt_sid(text)
    parts = urlsplit(url)
    prefix = parts.path.split("/gkmlpt/", 1)[0] if "/gkmlpt/" in parts.path else ""
    return [
        urlunsplit(
            (parts.scheme, parts.netloc, f"{prefix}/gkmlpt/api/all/{node['id']}", f"page=1&sid={sid}", "")
        )
        for node in gkmlpt_nodes(tree)
    ]


def _record_links(base: str, records: list[str]) -> list[tuple[str, str]]:
    """Links of Hanweb records (HTML fragments), in order (each record's node from `_record_nodes`)."""
    out = []
    for record in _record_nodes(records):
        for a in record.css("a[href]"):
            target = absolute(base, a.attrs.get("href") or "")
            if target:
                out.append((target, squash(a.attrs.get("title") or a.text() or "")))
    return out


def _discover_xml(url: str, body: bytes, max_pages: int) -> Discovery:
    text = body.decode("utf-8", "replace")
    out = Discovery()
    out.links.extend(_record_links(url, _CDATA_RECORD.findall(text)))
    m = _TOTAL_RECORD.search(text)
    q = dict(parse_qsl(urlsplit(url).query))
    if m and q.get("startrecord") == "1":
        total = int(m.group(1))
        step = 45
        for start in range(1 + step, min(total, step * max_pages) + 1, step):
            out.pagination.append(_proxy_url(url, q, start, start + step - 1))
    return out


def _discover_json(url: str, body: bytes, max_pages: int) -> Discovery:
    out = Discovery()
    try:
        doc = json.loads(body.decode("utf-8", "replace"))
    except ValueError:
        return out
    if not isinstance(doc, dict | list):
        return out
    for art in doc.get("articles") or [] if isinstance(doc, dict) else []:
        if isinstance(art, dict) and art.get("url"):
            target = absolute(url, str(art["url"]))
            if target:
                out.links.append((target, str(art.get("title", ""))))
    if b"children" in body or b"pId" in body or b"pid" in body or b"parentId" in body:  # a tree's nodes
        out.links.extend((u, name) for u, name, _p in tree_links(url, tree_nodes(doc), None))
    if not isinstance(doc, dict) or "articles" not in doc:  # another CMS's list API, of its own shape
        out.links.extend((it.url, it.title) for it in api_items(doc, url, ""))
        out.pagination.extend(api_pages(url, doc, max_pages))
        return out
    parts = urlsplit(url)
    q = dict(parse_qsl(parts.query))
    if q.get("page", "1") == "1":
        try:
            total, per = int(doc.get("total", 0)), int(doc.get("per_page") or 15)
        except (TypeError, ValueError):
            return out
        for n in range(2, min(math.ceil(total / max(per, 1)), max_pages) + 1):
            out.pagination.append(urlunsplit((*parts[:3], urlencode({**q, "page": n}), "")))
    return out


# a page that only sends the reader on: little text and few links (a full page may carry a mobile-redirect
# script or a self-reloading meta refresh, which are not where the site is)
REDIRECT_PAGE_TEXT = 300
REDIRECT_PAGE_LINKS = 5
_META_REFRESH_URL = re.compile(r"^\s*(\d+(?:\.\d+)?)?\s*[;,]?\s*url\s*=\s*['\"]?([^'\"\s>]+)", re.I)
_SCRIPT_REDIRECT = re.compile(
    r"(?:(?:window|top|self|document|parent)\.)?location(?:\.href)?\s*=\s*['\"]([^'\"]+)['\"]"
    r"|location\.(?:replace|assign)\(\s*['\"]([^'\"]+)['\"]\s*\)"
)


def redirect_target(url: str, text: str, tree: LexborHTMLParser) -> str:
    """Where a page that only sends the reader on leads: its meta refresh (within 10 s), else the
    location its script sets. Many portals' root is such a page (Hanweb: `/` -> /col/col1/index.html).
    '' for any other page, and for a refresh to the page itself."""
    target = ""
    for meta in tree.css("meta[http-equiv]"):
        if (meta.attributes.get("http-equiv") or "").strip().lower() == "refresh":
            m = _META_REFRESH_URL.match(meta.attributes.get("content") or "")
            if m and float(m.group(1) or 0) <= 10:
                target = m.group(2)
                break
    if not target and "location" in text:
        for script in tree.css("script"):  # in a script: a link's own javascript: or onclick is no redirect
            m = _SCRIPT_REDIRECT.search(script.text())
            if m:
                target = m.group(1) or m.group(2)
                break
    found = absolute(url, html.unescape(target)) if target else None
    return strip_fragment(found) if found and strip_fragment(found) != strip_fragment(url) else ""


def hanweb_records(text: str) -> list[LexborNode]:
    """One node per Hanweb record (<record><![CDATA[…]]></record>) in a dataproxy.jsp answer or a page."""
    return _record_nodes(_CDATA_RECORD.findall(text))


def _record_nodes(records: list[str]) -> list[LexborNode]:
    """One node per Hanweb record. Records whose tags balance are parsed as one document (a parser per
    record cost more than the parsing); otherwise each gets its own parse, so nothing spills over."""
    if all(_balanced(rec) for rec in records):
        body = LexborHTMLParser("".join(f"<ul>{rec}</ul>" for rec in records)).body
        return [n for n in body.iter() if n.tag == "ul"] if body is not None else []
    nodes = []
    for rec in records:
        body = LexborHTMLParser(f"<ul>{rec}</ul>").body
        if body is not None:
            nodes.append(body)
    return nodes


def _balanced(record: str) -> bool:
    return all(record.count(f"<{tag}") == record.count(f"</{tag}>") for tag in ("a", "li", "ul", "table"))
