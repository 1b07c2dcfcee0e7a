"""Extraction from one response: links and pagination (`discover`), list rows, the metadata block, text.

The crawler uses `discover` to find where to go next; `gongkai.crawl.facts` reads the rest of a page
from the same parse, and `gongkai.crawl.sitemodel` assembles the site model from those facts. Handles
the three CMS families of website-checks.md §9.3: TRS (index_N.html from createPageHTML/countPage),
大汉 Hanweb (dataproxy.jsp XML records, also inline in <script type="text/xml">), 广东 gkmlpt
(window._CONFIG.TREE + JSON api), and generic ?page=N / 下一页 links.

Document.metadata keys are the canonical Chinese labels of METADATA_FIELDS' values (索引号, 信息分类,
发布机构, 成文日期, 发布日期, 文号, 有效性, 主题词, 标题, 生效日期, 废止日期); the typed fields of
`Document` carry the same values parsed. Items whose `column_url` equals `SiteModel.site` are the dated
rows shown on the homepage.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import html
import io
import json
import math
import re
import subprocess
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from lxml import etree
from selectolax.lexbor import LexborDocumentOptions, LexborHTMLParser, LexborNode

from gongkai import safezip
from gongkai.crawl.apilist import api_items, api_pages
from gongkai.crawl.archive import PACKED_MAGIC
from gongkai.crawl.egress import url_within
from gongkai.crawl.labels import BRACKET_HINT, canonical, label_runs, leaf_block, sibling_metadata
from gongkai.crawl.scripted import ScriptPlan, plan
from gongkai.model import Item
from gongkai.text import decode, find_dates, nospace, parse_date, squash

ATTACH_EXT = frozenset(
    ["pdf", "doc", "docx", "xls", "xlsx", "wps", "et", "ofd", "zip", "rar", "7z", "txt", "csv", "ppt", "pptx"]
)
SKIP_EXT = frozenset(
    [
        "png",
        "jpg",
        "jpeg",
        "gif",
        "bmp",
        "svg",
        "ico",
        "webp",
        "css",
        "js",
        "mp4",
        "mp3",
        "flv",
        "swf",
        "avi",
        "wmv",
        "woff",
        "woff2",
        "ttf",
        "eot",
    ]
)

# label variants (spaces removed) -> canonical label
METADATA_FIELDS: dict[str, str] = {
    "索引号": "索引号",
    "信息索引号": "索引号",
    "信息分类": "信息分类",
    "分类": "信息分类",
    "主题分类": "主题分类",
    "组配分类": "信息分类",
    "内容分类": "信息分类",
    "发布机构": "发布机构",
    "发文机关": "发布机构",
    "发文机构": "发布机构",
    "发布机关": "发布机构",
    "发布部门": "发布机构",
    "公开主体": "发布机构",
    "生成日期": "成文日期",
    "成文日期": "成文日期",
    "公文生成日期": "成文日期",
    "发文日期": "成文日期",
    "发布日期": "发布日期",
    "发布时间": "发布日期",
    "公开日期": "发布日期",
    "文号": "文号",
    "发文字号": "文号",
    "文件编号": "文号",
    "有效性": "有效性",
    "效力状态": "有效性",
    "时效": "有效性",
    "有效期": "有效性",
    "是否有效": "有效性",
    "时效性": "有效性",
    "主题词": "主题词",
    "关键词": "主题词",
    "关键字": "主题词",
    "标题": "标题",
    "名称": "标题",
    "信息名称": "标题",
    "文件名称": "标题",
    "生效日期": "生效日期",
    "生效时间": "生效日期",
    "废止日期": "废止日期",
    "废止时间": "废止日期",
}
# class or id of page furniture; 友情链接 blocks are "links", "yqlj", "friend-links" and the like
_NAV_HINT = re.compile(
    r"nav|menu|header|footer|foot|crumb|sidebar|bread|position|xxgk-nav|topbar|\blinks?\b|yqlj|friend", re.I
)
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
_SHORT_DATE = re.compile(r"(?<![\d\-/.])\[?(\d{1,2})[-/.](\d{1,2})\]?\s*$")
_TRS_COUNT = re.compile(r"\bcountPage\s*=\s*(\d+)")
_HANWEB_PROXY = re.compile(r"dataproxy\.jsp\?[^\"'<>\s]*columnid=(\d+)[^\"'<>\s]*")
# no optional quote before the name: a pattern that starts with the names scans a page ~10x faster
_HANWEB_PARAM = re.compile(r"(columnid|unitid|webid)['\"]?\s*[:=]\s*['\"]?(\d+)")
_GK_CONFIG = re.compile(r"window\._CONFIG\s*=\s*(\{.*?\});?\s*</script>", re.S)
_GK_SID = re.compile(r"SID\s*[:=]\s*['\"]([^'\"]+)['\"]")
_CDATA_RECORD = re.compile(r"<record>\s*<!\[CDATA\[(.*?)\]\]>\s*</record>", re.S)
# 上一篇：<a href="…">title</a> — a document's neighbours in its column, not documents related to it
NEIGHBOUR_TEXT = ("上一篇", "下一篇", "上一条", "下一条")
_NEIGHBOUR = re.compile(
    rf"(?:{'|'.join(NEIGHBOUR_TEXT)})\s*[:：]?\s*(?:<[^<>]*>\s*){{0,3}}?<a\s[^>]*?href\s*=\s*[\"']([^\"']+)[\"']"
)
_PLACEHOLDER = re.compile(r"暂无信息|暂无数据|暂无内容|暂无相关信息|信息正在更新|栏目正在建设")
_TITLE = re.compile(r"<title>(.*?)</title>", re.S | re.I)
_NOT_FOUND_WORDS = r"页面不存在|找不到(该)?页面|页面未找到|访问的页面不存在|Not Found"
_SOFT404 = re.compile(rf"404|{_NOT_FOUND_WORDS}", re.I)
_TOTAL_RECORD = re.compile(r"<totalrecord>\s*(\d+)\s*</totalrecord>", re.I)
CONTENT_SELECTORS = (
    ".TRS_Editor",
    ".trs_editor_view",
    "#zoom",
    "#UCAP-CONTENT",
    ".article-content",
    ".pages_content",
    "#content",
    ".content",
    "article",
)
FOOTER_SELECTORS = (".footer", "#footer", "footer", ".foot", "#foot", ".bottom", "#bottom")


# the packed formats (PDF, zip containers such as docx/xlsx/ofd, rar, 7z, gzip) and OLE2 (doc, xls)
_BINARY_MAGIC = (*PACKED_MAGIC, b"\xd0\xcf\x11\xe0")


@functools.lru_cache(maxsize=16_384)  # links repeat across a site's pages; small so RSS stays flat
def ext_of(url: str) -> str:
    """The file extension of a URL's path; for a download script (downfile.jsp?filename=a.pdf) the
    attachment type its query names."""
    parts = urlsplit(url)
    tail = parts.path.rsplit("/", 1)[-1]
    ext = tail.rsplit(".", 1)[-1].lower() if "." in tail else ""
    if ext not in ATTACH_EXT and "." in parts.query:
        m = _QUERY_FILE.search(parts.query)
        named = m.group(1).rsplit(".", 1)[-1].lower() if m else ""
        if named in ATTACH_EXT:
            return named
    return ext


# a query parameter naming the file (filename=, fileName=, name=, file=): Hanweb's downfile.jsp and the like
_QUERY_FILE = re.compile(r"(?:^|&)[a-z_]*(?:file|name)[a-z_]*=([^&]+\.[A-Za-z0-9]{2,4})(?:&|$)", re.I)
# what a download script's answer is, when its URL does not say
_FILE_TYPES = {
    "application/pdf": "pdf",
    "application/msword": "doc",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.ms-excel": "xls",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "application/vnd.ms-powerpoint": "ppt",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "pptx",
    "application/ofd": "ofd",
    "application/zip": "zip",
    "application/x-rar-compressed": "rar",
    "application/vnd.rar": "rar",
}
_DISPOSITION_EXT = re.compile(r"filename\*?=[^;]*?\.([A-Za-z0-9]{2,4})[\"']?\s*(?:;|$)", re.I)


def file_type(content_type: str, disposition: str) -> str:
    """The attachment type of a file answer whose URL names none: the extension of its
    Content-Disposition filename (only the ASCII extension is read: names come in UTF-8, GBK or
    %-encoded), else its Content-Type; '' when neither names an attachment type."""
    m = _DISPOSITION_EXT.search(disposition or "")
    if m and m.group(1).lower() in ATTACH_EXT:
        return m.group(1).lower()
    return _FILE_TYPES.get((content_type or "").split(";", 1)[0].strip().lower(), "")


def is_attachment(url: str) -> bool:
    return ext_of(url) in ATTACH_EXT


def strip_fragment(url: str) -> str:
    return url.split("#", 1)[0] if "#" in url else url


def body_kind(content_type: str, url: str, body: bytes) -> str:
    """html | xml | json | file: how to read a response."""
    ct = (content_type or "").lower()
    head = body[:200].lstrip()
    if head.startswith(_BINARY_MAGIC):  # DOCX/XLSX say "...openxmlformats..." yet are zip files
        return "file"
    if "json" in ct or (head[:1] in (b"{", b"[") and "/api/" in url):
        return "json"
    if "xml" in ct and "html" not in ct or head.startswith(b"<?xml") or head.startswith(b"<datastore"):
        return "xml"
    if "html" in ct or head[:1] == b"<" or not ct:
        return "file" if is_attachment(url) and not head.startswith(b"<") else "html"
    return "file"


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


def _abs(base: str, href: str) -> str | None:
    href = (href or "").strip()
    if not href or href.startswith(("javascript:", "mailto:", "tel:", "#", "data:")):
        return None
    if href[0] == "/" and not href.startswith("//") and "/../" not in href and "/./" not in href:
        # fast path for root-relative links, the common case on CMS pages (urljoin is slow)
        cut = base.find("/", base.find("//") + 2)
        return (base if cut < 0 else base[:cut]) + href
    if href.startswith(("http://", "https://")) and "/." not in href:
        return href
    try:
        url = urljoin(base, href)
    except ValueError:
        return None
    if not url.startswith(("http://", "https://")):
        return None
    return url


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
        parts, base = urlsplit(url), urlsplit(page_url)
        if parts.path == base.path or parts.path.rsplit("/", 1)[0] == base.path.rsplit("/", 1)[0]:
            keys = {k.lower() for k, _ in parse_qsl(parts.query)}
            return bool(keys & _PAGE_PARAMS) or bool(_PAGE_PATH.search(parts.path))
    return False


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
            target = _abs(base, scripted_href(a, href))
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
    out.scripted = plan(url, text, tree)  # a list its script fills: the API its script asks, read alike
    if out.scripted is not None:
        out.pagination.extend(c.url for c in out.scripted.calls if c.url not in out.pagination)
    if "<record>" in text:  # Hanweb's first page inline in <script type="text/xml">
        out.links.extend(_record_links(url, _CDATA_RECORD.findall(text)))
    if len(links) <= REDIRECT_PAGE_LINKS and _visible_length(tree) < REDIRECT_PAGE_TEXT:
        out.refresh = redirect_target(url, text, tree)
        if out.refresh:
            links.append((out.refresh, ""))
    return out


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
        url = _abs(base, path)
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
    return _abs(url, (base.attributes.get("href") or "").strip()) or url


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
    """First-page API calls for every node of a gkmlpt catalogue tree."""
    if "_CONFIG" not in text:
        return []
    config = gkmlpt_config(text)
    if not config:
        return []
    sid = str(config.get("SID", ""))
    parts = urlsplit(url)
    return [
        urlunsplit((parts.scheme, parts.netloc, f"/gkmlpt/api/all/{node['id']}", f"page=1&sid={sid}", ""))
        for node in walk_tree(config.get("TREE") or [])
    ]


def gkmlpt_config(text: str) -> dict[str, object]:
    m = _GK_CONFIG.search(text)
    if not m:
        return {}
    try:
        return json.loads(m.group(1))
    except ValueError:
        sid = _GK_SID.search(m.group(1))
        return {"SID": sid.group(1)} if sid else {}


def walk_tree(nodes: Iterable[object], parent: object = None) -> Iterable[dict[str, object]]:
    for node in nodes:
        if isinstance(node, dict) and "id" in node:
            yield {**node, "_parent": parent}
            yield from walk_tree(node.get("children") or [], node.get("id"))


def _record_links(base: str, records: list[str]) -> list[tuple[str, str]]:
    """Links of Hanweb records (HTML fragments), in order (each record's node from `_record_nodes`)."""
    out = []
    for record in _record_nodes(records):
        for a in record.css("a[href]"):
            target = _abs(base, a.attrs.get("href") or "")
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
            target = _abs(url, str(art["url"]))
            if target:
                out.links.append((target, str(art.get("title", ""))))
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


# ------------------------------------------------------------------------------ list extraction


def _nav_like(node: LexborNode) -> bool:
    n = node
    for _ in range(8):
        if n is None or n.tag in ("body", "html"):
            return False
        attrs = n.attributes or {}
        if _NAV_HINT.search(f"{attrs.get('class') or ''} {attrs.get('id') or ''}") or n.tag in (
            "nav",
            "header",
        ):
            return True
        n = n.parent
    return False


def _table_of(row: LexborNode) -> int | None:
    n = row.parent
    while n is not None and n.tag != "table":
        n = n.parent
    return n.mem_id if n is not None else None


def _short_date(text: str, year: int, today: dt.date) -> dt.date | None:
    """A trailing MM-DD date, its year taken from the page; a date in the future means last year."""
    m = _SHORT_DATE.search(text)
    if not m:
        return None
    try:
        d = dt.date(year, int(m.group(1)), int(m.group(2)))
    except ValueError:
        return None
    return d.replace(year=year - 1) if d > today else d


def _row_item(
    row: LexborNode, base: str, column_url: str, year: int | None = None, today: dt.date | None = None
) -> Item | None:
    # (anchor, its URL, its text squashed): each read once
    anchors = []
    for x in row.css("a[href]"):
        href = _abs(base, _href_of(x))
        if not href:
            continue
        raw = x.text() or ""
        shown = squash(raw)
        # a text of spaces only is still the text (its title is not read then)
        if shown if raw else squash(x.attributes.get("title") or ""):
            anchors.append((x, href, shown))
    if not anchors:
        return None
    a, url, shown = max(anchors, key=lambda x: len(x[2]))
    title = squash(a.attributes.get("title") or a.text() or "")
    if not url or not title or PAGER_TEXT.match(title):
        return None
    row_text = squash(row.text() or "")
    rest = row_text.replace(shown, " ")
    dates = find_dates(rest)
    date = dates[-1] if dates else None
    if date is None and year is not None:
        date = _short_date(rest, year, today or dt.date.today())
    cls = (row.attributes.get("class") or "").lower()
    pinned = "置顶" in row_text or cls in ("top", "zd", "istop", "is-top")
    return Item(
        title=title,
        url=strip_fragment(url),
        date=date,
        column_url=column_url,
        pinned=pinned,
    )


def _href_of(a: LexborNode) -> str:
    return scripted_href(a, (a.attributes.get("href") or "").strip())


def html_list_items(
    tree: LexborHTMLParser, base: str, column_url: str, today: dt.date | None = None
) -> tuple[list[Item], bool]:
    """Items of the page's main list, and whether it shows only a placeholder (暂无信息)."""
    lists, says_none = html_lists(tree, base, column_url, today)
    return (lists[0] if lists else []), says_none and not lists


LIST_CANDIDATES = 3  # lists kept per page: the site model drops blocks the site repeats on every page


def html_lists(
    tree: LexborHTMLParser, base: str, column_url: str, today: dt.date | None = None
) -> tuple[list[list[Item]], bool]:
    """The page's lists of items, likeliest first (dated rows count most), and whether the page says it
    has none (暂无信息 or the like).

    Rows dated only MM-DD get the year most often written on the page (else `today`'s year)."""
    scored: list[tuple[int, int, list[Item]]] = []
    today = today or dt.date.today()
    body_text = tree.body.text() if tree.body else ""  # read once: the year and the placeholder
    page_years = [d.year for d in find_dates(body_text)]
    year = max(set(page_years), key=page_years.count) if page_years else today.year
    # div lists (cards: <div class="news-list"><div class="item"><a>…</a><p>date</p></div>…) only when
    # they hold no list of another kind (a wrapper is not a list)
    for position, container in enumerate(tree.css("ul, ol, table, dl, div[class*=list]")):
        if _nav_like(container):
            continue
        if container.tag == "div":
            if container.css_first("ul, ol, table, dl") is not None:
                continue
            rows = [c for c in container.iter() if c.tag in ("div", "p", "article", "section")]
        elif container.tag == "table":
            own = container.mem_id
            rows = [r for r in container.css("tr") if _table_of(r) == own]
        elif container.tag == "dl":
            rows = [c for c in container.iter() if c.tag in ("dd", "dt")]
        else:
            rows = [c for c in container.iter() if c.tag == "li"]
        items = [it for it in (_row_item(r, base, column_url, year, today) for r in rows) if it]
        if not items or _other_sites(items, base):
            continue
        scored.append((10 * sum(1 for i in items if i.date) + len(items), -position, items))
    scored.sort(key=lambda s: s[:2], reverse=True)  # equal scores: the first on the page wins
    main_text = squash(body_text)
    return [items for *_, items in scored[:LIST_CANDIDATES]], bool(_PLACEHOLDER.search(main_text))


def neighbour_links(url: str, text: str) -> list[str]:
    """The 上一篇 / 下一篇 links of a document page (absolute, without fragment)."""
    found = []
    resume = 0  # as findall: a match never starts inside the one before it
    for start in _neighbour_starts(text):
        m = _NEIGHBOUR.match(text, start) if start >= resume else None
        if m:
            found.append(_abs(url, m.group(1)))
            resume = m.end()
    return [strip_fragment(target) for target in found if target]


def _neighbour_starts(text: str) -> list[int]:
    """Where 上一篇, 下一篇, 上一条 or 下一条 begins, in page order. Found by their rare last character: a
    single-character str.find runs at memchr speed, while the regex alone tries every position of the
    page (~0.1 ms on a 27 KB page, ~7% of the crawl's CPU)."""
    starts = []
    for last in {word[-1] for word in NEIGHBOUR_TEXT}:
        at = text.find(last, 2)
        while at != -1:
            if text[at - 2 : at + 1] in NEIGHBOUR_TEXT:
                starts.append(at - 2)
            at = text.find(last, at + 1)
    return sorted(starts)


def _other_sites(items: list[Item], base: str) -> bool:
    """Undated rows that all lead to other hosts: a block of other governments' sites (友情链接), not a
    column's list, whatever its class says. (A column may repost articles from other sites; they carry
    dates.)"""
    if any(it.date for it in items):
        return False
    host = urlsplit(base).netloc
    return all(urlsplit(it.url).netloc != host for it in items)


def xml_list_items(text: str, base: str, column_url: str) -> list[Item]:
    """Rows of Hanweb records: each record's <li>s, or the record itself as one row."""
    out = []
    for record in _record_nodes(_CDATA_RECORD.findall(text)):
        for li in record.css("li") or [record]:
            it = _row_item(li, base, column_url)
            if it:
                out.append(it)
    return out


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


def json_list_items(doc: object, base: str, column_url: str) -> tuple[list[Item], bool]:
    if not isinstance(doc, dict) or "articles" not in doc:  # not gkmlpt's: a list API of any shape
        rows = api_items(doc, base, column_url)
        message = str(doc.get("message") or doc.get("msg") or "") if isinstance(doc, dict) else ""
        return rows, not rows and bool(_PLACEHOLDER.search(message))
    out = []
    for art in doc.get("articles") or []:
        if not isinstance(art, dict) or not art.get("url"):
            continue
        date = None
        for key in ("display_publish_time", "publish_time", "first_publish_time", "date"):
            v = art.get(key)
            if isinstance(v, int | float) and v > 0:
                date = dt.datetime.fromtimestamp(v / 1000 if v > 1e11 else v).date()
                break
            if isinstance(v, str) and v:
                date = parse_date(v)
                if date:
                    break
        out.append(
            Item(
                title=squash(str(art.get("title", ""))),
                url=_abs(base, str(art["url"])) or str(art["url"]),
                date=date,
                column_url=column_url,
                pinned=bool(art.get("is_top")),
            )
        )
    placeholder = not out and bool(_PLACEHOLDER.search(str(doc.get("message", ""))))
    return out, placeholder


# ------------------------------------------------------------------------------ detail extraction

_ANY_LABEL = re.compile(
    r"索\s*引\s*号|发布机构|发文机关|文\s*号|成文日期|生成日期|发布日期|有效性|主题分类|信息分类"
)


def _label(text: str) -> str | None:
    return canonical(text, METADATA_FIELDS)


def metadata_of(tree: LexborHTMLParser) -> dict[str, str]:
    """The metadata block of a detail page: label cells followed by value cells, or "标签：值" lines."""
    found: dict[str, str] = {}
    body = tree.body
    if body is None or not _ANY_LABEL.search(body.text() or ""):
        return found
    for row in tree.css("tr"):
        cells = [c for c in row.iter() if c.tag in ("td", "th")]
        for i, cell in enumerate(cells):
            text = cell.text() or ""
            key = _label(text)
            if key and i + 1 < len(cells) and key not in found:
                found[key] = squash(cells[i + 1].text() or "")
            elif not key and len(text) < 200 and (_has_colon(text) or BRACKET_HINT.search(text)):
                for label, value in label_runs(squash(text), METADATA_FIELDS):  # 索引号：… in one cell
                    found.setdefault(label, value)
    for node in tree.css("p, li, span, div"):
        if node.tag == "div" and not leaf_block(node):
            continue
        raw = node.text() or ""
        if not _has_colon(raw) and not BRACKET_HINT.search(raw):
            continue
        text = squash(node.text(separator=" ") or "")  # <span>索引号：…</span><span>发布机构：…</span>
        if len(text) > 200:
            continue
        for key, value in label_runs(text, METADATA_FIELDS):  # 索引号：… 发布机构：…, 【文号】 …
            if key not in found:
                found[key] = value
    for key, value in sibling_metadata(tree, METADATA_FIELDS).items():  # <dt>索引号</dt><dd>…</dd>
        if not found.get(key):
            found[key] = value
    return found


def _has_colon(text: str) -> bool:
    """ "标签：值" needs a colon: a cheap test before squashing and matching (most nodes have none)."""
    return "：" in text or ":" in text


def content_text(tree: LexborHTMLParser) -> str:
    for sel in CONTENT_SELECTORS:
        node = tree.css_first(sel)
        if node is not None:
            text = squash(node.text(separator="\n") or "")
            if len(text) > 20:
                return text
    return squash(tree.body.text(separator="\n") if tree.body else "")


def footer_text(tree: LexborHTMLParser) -> str:
    """The footer's text with the alt/title of its images (the 党政机关 mark, the 公安备案 icon), without
    the text of its scripts: the first footer element that names an identity element (备案, 标识码,
    主办 ...), else the last small block that does, else the first footer element."""
    first = None
    for sel in FOOTER_SELECTORS + _MORE_FOOTERS:
        for node in tree.css(sel):
            if _FOOTER_MARK.search(node.text(separator=" ") or ""):
                return _footer_node_text(node)
            first = first or node
    body = tree.body
    if body is not None and _FOOTER_MARK.search(body.text(separator=" ") or ""):
        for node in reversed(tree.css("div, p, table, td, span")):
            text = node.text(separator=" ") or ""
            if len(text) < 1500 and _FOOTER_MARK.search(text):
                return _footer_node_text(_footer_block(node))
    return _footer_node_text(first) if first is not None else ""


# footer blocks by other names (a `.footer` may hold only links, the identity lines in `.copyright`)
_MORE_FOOTERS = (
    ".copyright",
    "#copyright",
    ".banquan",
    ".bq",
    "[class*=footer]",
    "[id*=footer]",
    "[class*=foot]",
)
_FOOTER_MARK = re.compile(r"ICP|备\s*案|公网安备|标\s*识\s*码|主\s*办|承\s*办|版权所有|党政机关", re.I)


def _footer_block(node: LexborNode) -> LexborNode:
    """The largest small block around ``node``: identity lines are often separate spans or divs."""
    parent = node.parent
    while parent is not None and parent.tag not in ("body", "html", "form"):
        if len(parent.text(separator=" ") or "") >= 1500:
            break
        node, parent = parent, parent.parent
    return node


def _footer_node_text(node: LexborNode) -> str:
    """A footer node's visible text plus its images' alt/title, scripts and styles left out."""
    root: LexborNode | LexborHTMLParser | None = node
    if node.css_first("script, style, noscript") is not None:
        # stripped in a copy: the page's own tree is read again after the footer
        part = LexborHTMLParser(node.html or "")
        part.strip_tags(["script", "style", "noscript"])
        root = part.body or part.root
    text = root.text(separator=" ") if root is not None else ""
    images = root.css("img, input[type=image], area") if root is not None else []
    extra = [(img.attributes.get(attr) or "").strip() for img in images for attr in ("alt", "title")]
    return squash(" ".join([text or "", *(x for x in extra if x)]))


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
    found = _abs(url, html.unescape(target)) if target else None
    return strip_fragment(found) if found and strip_fragment(found) != strip_fragment(url) else ""


def meta_tags(tree: LexborHTMLParser) -> dict[str, str]:
    out = {}
    for m in tree.css("meta[name]"):
        name = m.attributes.get("name") or ""
        if name:
            out[name] = m.attributes.get("content") or ""
    return out


_TEXT_CACHE: dict[tuple[str, str], str] = {}


def attachment_text(body: bytes, kind: str, limit: int = 50_000) -> str:
    """Plain text of an attachment (pdf, docx, doc, wps, xlsx, xls, et, ofd, txt); '' if it cannot be read.

    Cached by content hash: sites link the same file from many pages."""
    key = (hashlib.sha1(body).hexdigest(), kind)
    if key not in _TEXT_CACHE:
        if len(_TEXT_CACHE) > 512:
            _TEXT_CACHE.clear()
        _TEXT_CACHE[key] = _attachment_text(body, kind, limit)
    return _TEXT_CACHE[key]


_ZIP = b"PK\x03\x04"
# WPS Office's own formats are Word and Excel files inside: .wps is a .doc or a .docx, .et an .xls or .xlsx
_WORD_KINDS = ("doc", "docx", "wps")
_SHEET_KINDS = ("xls", "xlsx", "xlsm", "et")


def _read_as(body: bytes, kind: str) -> str:
    """What reader a file needs: its bytes decide (a .doc that is really a .docx, a .wps, an .et)."""
    if kind in _WORD_KINDS:
        return "docx" if body.startswith(_ZIP) else "doc"
    if kind in _SHEET_KINDS:
        return "xlsx" if body.startswith(_ZIP) else "xls"
    return kind


def _attachment_text(body: bytes, kind: str, limit: int) -> str:
    kind = _read_as(body, kind)
    try:
        if kind == "ofd":
            return ofd_text(body)[:limit]
        if kind == "pdf":
            import pypdfium2 as pdfium

            pdf = pdfium.PdfDocument(body)
            try:
                parts = []
                for i in range(min(len(pdf), 50)):
                    page = pdf[i]
                    tp = page.get_textpage()
                    parts.append(tp.get_text_range())
                    tp.close()
                    page.close()
                return squash("\n".join(parts))[:limit]
            finally:
                pdf.close()
        if kind == "docx":
            return docx_text(body)[:limit]
        if kind in ("xlsx", "xlsm"):
            return xlsx_text(body)[:limit]
        if kind == "xls":
            import xlrd

            book = xlrd.open_workbook(file_contents=body)
            parts = []
            for sh in book.sheets():
                for r in range(sh.nrows):
                    parts.append(" ".join(str(v) for v in sh.row_values(r)))
            return squash("\n".join(parts))[:limit]
        if kind == "doc":
            proc = subprocess.run(["antiword", "-"], input=body, capture_output=True, timeout=20, check=False)
            return squash(proc.stdout.decode("utf-8", "replace"))[:limit]
        if kind in ("txt", "csv"):
            return squash(decode(body)[0])[:limit]
    except Exception:  # noqa: BLE001 - a broken attachment yields no text, never a crash
        return ""
    return ""


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def docx_text(body: bytes) -> str:
    """Text of a DOCX body in document order: paragraphs, and table rows as their cells' text.

    Reads word/document.xml with lxml instead of building python-docx's object model: the same text
    (python-docx repeats merged cells; this gives each cell once) at 20-25 times less CPU. The archive
    passes `safezip` (the member read is guarded as it inflates): a bomb raises `UnsafeArchive`."""
    with safezip.SafeZip(body, "DOCX 附件", check_all=False) as z:  # only document.xml is read
        xml = z.read("word/document.xml")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    root = etree.fromstring(xml, parser)
    body_el = root.find(f"{_W}body")
    parts: list[str] = []
    if body_el is not None:
        _docx_blocks(body_el, parts)
    return squash("\n".join(parts))


def _docx_blocks(parent: etree._Element, parts: list[str]) -> None:
    for child in parent.iterchildren(f"{_W}p", f"{_W}tbl", f"{_W}sdt"):
        if child.tag == f"{_W}p":
            parts.append(_docx_paragraph(child))
        elif child.tag == f"{_W}tbl":
            for row in child.iterchildren(f"{_W}tr"):
                cells = row.iterchildren(f"{_W}tc")
                parts.append(" ".join("\n".join(_docx_paragraph(p) for p in c.iter(f"{_W}p")) for c in cells))
        else:  # a content control wraps ordinary blocks
            for content in child.iterchildren(f"{_W}sdtContent"):
                _docx_blocks(content, parts)


def _docx_paragraph(p: etree._Element) -> str:
    out = []
    for el in p.iter(f"{_W}t", f"{_W}tab", f"{_W}br", f"{_W}cr"):
        out.append((el.text or "") if el.tag == f"{_W}t" else ("\t" if el.tag == f"{_W}tab" else "\n"))
    return "".join(out)


_OFD_PAGE = re.compile(r"^Doc_(\d+)/Pages/Page_(\d+)/Content\.xml$")


def ofd_text(body: bytes) -> str:
    """Text of an OFD file (GB/T 33190, the fixed-layout format of Chinese e-government documents): the
    text codes of every page's Content.xml, documents and pages in order."""
    with safezip.SafeZip(body, "OFD 附件", check_all=False) as z:  # only the pages are read
        numbered = [
            ((int(m.group(1)), int(m.group(2))), info)
            for info in z.infolist()
            if (m := _OFD_PAGE.match(info.filename))
        ]
        parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
        parts: list[str] = []
        for _number, info in sorted(numbered, key=lambda page: page[0]):  # Page_10 after Page_2
            root = etree.fromstring(z.read(info), parser)
            for code in root.iter("{*}TextCode"):
                parts.append(code.text or "")
    return squash("\n".join(parts))


def xlsx_text(body: bytes) -> str:
    """Every sheet's rows as text (python-calamine, a Rust reader: ~20 times faster than openpyxl).

    Calamine holds a sheet's whole cell area in memory: `safezip` bounds that area (and the archive) first."""
    from python_calamine import CalamineWorkbook

    safezip.check(body, "XLSX 附件")
    book = CalamineWorkbook.from_filelike(io.BytesIO(body))
    parts = []
    for name in book.sheet_names:
        for row in book.get_sheet_by_name(name).to_python(skip_empty_area=False):
            parts.append(" ".join(_cell_text(v) for v in row))
    return squash("\n".join(parts))


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # Excel stores every number as a float: 1, not 1.0
    return str(value)


# --------------------------------------------------------------------------------- the site model


def attribute(url: str, prefixes: Mapping[str, list[str]]) -> str | None:
    """The unit with the longest URL prefix `url` lies under (hosts and path segments compared parsed,
    `egress.url_within`: `/bm/jyj` does not cover `/bm/jyjx/`)."""
    best, best_len = None, -1
    for unit, plist in prefixes.items():
        for p in plist:
            if len(p) > best_len and url_within(url, p):
                best, best_len = unit, len(p)
    return best


def home_items(tree: LexborHTMLParser, base: str) -> list[Item]:
    """The dated rows of a homepage (news and notices shown on it), with an empty column_url."""
    out, seen = [], set()
    for row in tree.css("li, tr"):
        if _nav_like(row):
            continue
        it = _row_item(row, base, "")
        if it and it.date and it.url not in seen:
            seen.add(it.url)
            out.append(it)
    return out


SOFT404_MAX_BYTES = 4000  # a bare "not found" page is short; a longer page must say so in its title
# the title of a "not found" page inside the site's furniture (a bare 404 only where it leads: a long page
# may well be 第404号…)
_NOT_FOUND_TITLE = re.compile(rf"^\s*404\b|{_NOT_FOUND_WORDS}", re.I)


def soft404_text(text: str) -> bool:
    """Whether a short decoded HTML page says the page does not exist (served with status 200)."""
    m = _TITLE.search(text)
    return bool(m and _SOFT404.search(m.group(1))) or ("页面不存在" in text and len(text) < 1500)


def soft404_page(text: str, size: int, title: str) -> bool:
    """Whether a page served with status 200 says it does not exist: a short one anywhere, one that
    carries the site's whole furniture (20 KB and more on most CMS) in its `title`."""
    return soft404_text(text) if size <= SOFT404_MAX_BYTES else bool(_NOT_FOUND_TITLE.search(title))
