"""Extraction: archived responses -> the site model (pages, columns with items, documents, links).

Works offline on a WARC (`extract_archive`) and shares `discover` with the crawler, so the crawl and
the re-extraction agree on which pages are a column's list pages. Handles the three CMS families of
website-checks.md §9.3: TRS (index_N.html from createPageHTML/countPage), 大汉 Hanweb (dataproxy.jsp
XML records, also inline in <script type="text/xml">), 广东 gkmlpt (window._CONFIG.TREE + JSON api),
and generic ?page=N / 下一页 links.

Document.metadata keys are the canonical Chinese labels of METADATA_FIELDS' values (索引号, 信息分类,
发布机构, 成文日期, 发布日期, 文号, 有效性, 主题词, 标题, 生效日期, 废止日期); the typed fields of
`Document` carry the same values parsed. Items whose `column_url` equals `SiteModel.site` are the dated
rows shown on the homepage.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import io
import json
import math
import re
import subprocess
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from lxml import etree
from selectolax.lexbor import LexborHTMLParser, LexborNode

from gongkai.crawl.archive import CRAWL_INFO_URI, Record, read_archive
from gongkai.crawl.classify import classify, is_zhuanlan_name
from gongkai.model import Attachment, Column, Document, Item, Link, Page, SiteModel
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
_NAV_HINT = re.compile(
    r"nav|menu|header|footer|foot|crumb|sidebar|bread|position|xxgk-nav|topbar|links?$", re.I
)
_PAGER_TEXT = re.compile(r"^(下一页|上一页|尾页|末页|首页|\d{1,3}|>|<|>>|<<|›|»)$")
_PAGE_PARAMS = ("page", "pageNo", "pageNum", "currPage", "PageIndex", "pageIndex", "p", "pn")
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
_HANWEB_PARAM = re.compile(r"['\"]?(columnid|unitid|webid)['\"]?\s*[:=]\s*['\"]?(\d+)")
_GK_CONFIG = re.compile(r"window\._CONFIG\s*=\s*(\{.*?\});?\s*</script>", re.S)
_GK_SID = re.compile(r"SID\s*[:=]\s*['\"]([^'\"]+)['\"]")
_CDATA_RECORD = re.compile(r"<record>\s*<!\[CDATA\[(.*?)\]\]>\s*</record>", re.S)
_PLACEHOLDER = re.compile(r"暂无信息|暂无数据|暂无内容|暂无相关信息|信息正在更新|栏目正在建设")
_SOFT404 = re.compile(r"404|页面不存在|找不到(该)?页面|页面未找到|访问的页面不存在|Not Found", re.I)
_TOTAL_RECORD = re.compile(r"<totalrecord>\s*(\d+)\s*</totalrecord>", re.I)
_RELATED = re.compile(r"解读|原文|原件|征求意见|采纳|反馈|相关文件|政策文件")
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


@functools.lru_cache(maxsize=16_384)  # links repeat across a site's pages; small so RSS stays flat
def ext_of(url: str) -> str:
    path = urlsplit(url).path
    tail = path.rsplit("/", 1)[-1]
    return tail.rsplit(".", 1)[-1].lower() if "." in tail else ""


def is_attachment(url: str) -> bool:
    return ext_of(url) in ATTACH_EXT


def strip_fragment(url: str) -> str:
    return url.split("#", 1)[0] if "#" in url else url


def body_kind(content_type: str, url: str, body: bytes) -> str:
    """html | xml | json | file: how to read a response."""
    ct = (content_type or "").lower()
    head = body[:200].lstrip()
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
    """Links found in one response: ordinary links (one hop deeper) and pagination (same depth)."""

    links: list[tuple[str, str]] = field(default_factory=list)  # (absolute URL, text)
    pagination: list[str] = field(default_factory=list)


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


def _is_pager_link(url: str, text: str, page_url: str) -> bool:
    if _PAGER_TEXT.match(text.strip()):
        parts, base = urlsplit(url), urlsplit(page_url)
        if parts.path == base.path or parts.path.rsplit("/", 1)[0] == base.path.rsplit("/", 1)[0]:
            keys = {k for k, _ in parse_qsl(parts.query)}
            return bool(keys & set(_PAGE_PARAMS)) or bool(re.search(r"index_\d+\.s?html?$", parts.path))
    return False


def discover(url: str, body: bytes, content_type: str = "", *, max_list_pages: int = 50) -> Discovery:
    """Links and pagination URLs of one archived or fetched response."""
    kind = body_kind(content_type, url, body)
    if kind == "json":
        return _discover_json(url, body, max_list_pages)
    if kind == "xml":
        return _discover_xml(url, body, max_list_pages)
    if kind != "html":
        return Discovery()
    text, _ = decode(body, content_type)
    return discover_html(url, text, max_list_pages)


def discover_html(
    url: str, text: str, max_list_pages: int = 50, tree: LexborHTMLParser | None = None
) -> Discovery:
    """`tree` is the parsed `text` when the caller has it already (parsed once, not twice)."""
    out = Discovery()
    if tree is None:
        tree = LexborHTMLParser(text)
    cut = url.find("/", url.find("//") + 2)
    root = url if cut < 0 else url[:cut]  # scheme://host[:port] for root-relative links
    links, pagination = out.links, out.pagination
    for a in tree.css("a[href]"):
        href = (a.attrs.get("href") or "").strip()  # one attribute, not the dict of all of them
        if href[:1] == "/" and href[1:2] != "/" and "/../" not in href and "/./" not in href:
            target: str | None = root + href  # `_abs`'s fast path, inlined: most links on CMS pages
        else:
            target = _abs(url, href)
            if not target:
                continue
        label = " ".join((a.text() or "").split())  # == squash(): str.split() and \s agree on spaces
        if _PAGER_TEXT.match(label) and _is_pager_link(target, label, url):
            pagination.append(strip_fragment(target))
        else:
            links.append((target, label))
    out.pagination.extend(trs_pages(url, text, max_list_pages))
    out.pagination.extend(hanweb_first_call(url, text))
    gk = gkmlpt_calls(url, text)
    out.pagination.extend(gk)
    if "<record>" in text:  # Hanweb's first page inline in <script type="text/xml">
        out.links.extend(_record_links(url, _CDATA_RECORD.findall(text)))
    return out


def trs_pages(url: str, text: str, max_pages: int = 50) -> list[str]:
    """index_1.html ... index_{N-1}.html from createPageHTML(N, cur, "index", "html") or countPage=N."""
    m = _TRS_CREATE.search(text)
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
        for node in _walk_tree(config.get("TREE") or [])
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


def _walk_tree(nodes: Iterable[object], parent: object = None) -> Iterable[dict[str, object]]:
    for node in nodes:
        if isinstance(node, dict) and "id" in node:
            yield {**node, "_parent": parent}
            yield from _walk_tree(node.get("children") or [], node.get("id"))


def _record_links(base: str, records: list[str]) -> list[tuple[str, str]]:
    """Links of Hanweb records (HTML fragments), in order. Well-formed records are parsed as one document
    (a parser per record cost more than the parsing); a record with unbalanced anchors gets its own parse,
    so an unclosed <a> never spills into the next record."""
    balanced = all(rec.count("<a") == rec.count("</a>") for rec in records)
    chunks = ["".join(f"<div>{rec}</div>" for rec in records)] if balanced else records
    out = []
    for chunk in chunks:
        for a in LexborHTMLParser(chunk).css("a[href]"):
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
    if not isinstance(doc, dict):
        return out
    for art in doc.get("articles") or []:
        if isinstance(art, dict) and art.get("url"):
            target = _abs(url, str(art["url"]))
            if target:
                out.links.append((target, str(art.get("title", ""))))
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
    anchors = [a for a in row.css("a[href]") if _abs(base, a.attributes.get("href") or "")]
    anchors = [a for a in anchors if squash(a.text() or a.attributes.get("title") or "")]
    if not anchors:
        return None
    a = max(anchors, key=lambda x: len(squash(x.text() or "")))
    url = _abs(base, a.attributes.get("href") or "")
    title = squash(a.attributes.get("title") or a.text() or "")
    if not url or not title or _PAGER_TEXT.match(title):
        return None
    row_text = squash(row.text() or "")
    rest = row_text.replace(squash(a.text() or ""), " ")
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


def html_list_items(
    tree: LexborHTMLParser, base: str, column_url: str, today: dt.date | None = None
) -> tuple[list[Item], bool]:
    """Items of the page's main list, and whether it shows only a placeholder (暂无信息).

    Rows dated only MM-DD get the year most often written on the page (else `today`'s year)."""
    best: list[Item] = []
    best_score = 0
    today = today or dt.date.today()
    page_years = [d.year for d in find_dates(tree.body.text() if tree.body else "")]
    year = max(set(page_years), key=page_years.count) if page_years else today.year
    for container in tree.css("ul, ol, table, dl"):
        if _nav_like(container):
            continue
        if container.tag == "table":
            own = container.mem_id
            rows = [r for r in container.css("tr") if _table_of(r) == own]
        elif container.tag == "dl":
            rows = [c for c in container.iter() if c.tag in ("dd", "dt")]
        else:
            rows = [c for c in container.iter() if c.tag == "li"]
        items = [it for it in (_row_item(r, base, column_url, year, today) for r in rows) if it]
        if not items:
            continue
        score = 10 * sum(1 for i in items if i.date) + len(items)
        if score > best_score:
            best, best_score = items, score
    main_text = squash(tree.body.text() if tree.body else "")
    placeholder = not best and bool(_PLACEHOLDER.search(main_text))
    return best, placeholder


def xml_list_items(text: str, base: str, column_url: str) -> list[Item]:
    out = []
    for rec in _CDATA_RECORD.findall(text):
        tree = LexborHTMLParser(f"<ul>{rec}</ul>")
        for li in tree.css("li") or [tree.body]:
            it = _row_item(li, base, column_url)
            if it:
                out.append(it)
    return out


def json_list_items(doc: object, base: str, column_url: str) -> tuple[list[Item], bool]:
    if not isinstance(doc, dict):
        return [], False
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
_LABEL_VALUE = re.compile(r"^\s*([\u4e00-\u9fa5\s\u3000]{2,12}?)\s*[:：]\s*(.*)$", re.S)


def _label(text: str) -> str | None:
    key = nospace(text).rstrip(":：")
    return METADATA_FIELDS.get(key)


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
            elif not key:
                m = _LABEL_VALUE.match(squash(text))
                if m and _label(m.group(1)) and _label(m.group(1)) not in found and len(text) < 200:
                    found[_label(m.group(1)) or ""] = squash(m.group(2))
    for node in tree.css("p, li, span, div"):
        if node.tag == "div" and len(node.css("div, p, table")) > 0:
            continue
        text = squash(node.text() or "")
        if not text or len(text) > 200:
            continue
        m = _LABEL_VALUE.match(text)
        if m:
            key = _label(m.group(1))
            if key and key not in found:
                found[key] = squash(m.group(2))
    return found


def _content_text(tree: LexborHTMLParser) -> str:
    for sel in CONTENT_SELECTORS:
        node = tree.css_first(sel)
        if node is not None:
            text = squash(node.text(separator="\n") or "")
            if len(text) > 20:
                return text
    return squash(tree.body.text(separator="\n") if tree.body else "")


def _footer_text(tree: LexborHTMLParser) -> str:
    for sel in FOOTER_SELECTORS:
        node = tree.css_first(sel)
        if node is not None:
            return squash(node.text(separator=" ") or "")
    # no footer element: take the last block mentioning 备案 / 主办
    for node in reversed(tree.css("div, p, table")):
        text = squash(node.text(separator=" ") or "")
        if ("备" in text or "主办" in text) and len(text) < 1000:
            return text
    return ""


def _metas(tree: LexborHTMLParser) -> dict[str, str]:
    out = {}
    for m in tree.css("meta[name]"):
        name = m.attributes.get("name") or ""
        if name:
            out[name] = m.attributes.get("content") or ""
    return out


_TEXT_CACHE: dict[tuple[str, str], str] = {}


def attachment_text(body: bytes, kind: str, limit: int = 50_000) -> str:
    """Plain text of an attachment (pdf, docx, xlsx, xls, doc, txt); '' if it cannot be read.

    Cached by content hash: sites link the same file from many pages."""
    key = (hashlib.sha1(body).hexdigest(), kind)
    if key not in _TEXT_CACHE:
        if len(_TEXT_CACHE) > 512:
            _TEXT_CACHE.clear()
        _TEXT_CACHE[key] = _attachment_text(body, kind, limit)
    return _TEXT_CACHE[key]


def _attachment_text(body: bytes, kind: str, limit: int) -> str:
    try:
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
_MAX_XML_BYTES = 64 * 1024 * 1024  # a document.xml larger than this is a zip bomb, not a notice


def docx_text(body: bytes) -> str:
    """Text of a DOCX body in document order: paragraphs, and table rows as their cells' text.

    Reads word/document.xml with lxml instead of building python-docx's object model: the same text
    (python-docx repeats merged cells; this gives each cell once) at 20-25 times less CPU."""
    with zipfile.ZipFile(io.BytesIO(body)) as z:
        info = z.getinfo("word/document.xml")
        if info.file_size > _MAX_XML_BYTES:
            return ""
        xml = z.read(info)
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


def xlsx_text(body: bytes) -> str:
    """Every sheet's rows as text (python-calamine, a Rust reader: ~20 times faster than openpyxl)."""
    from python_calamine import CalamineWorkbook

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
    """The unit whose URL prefix is the longest one `url` starts with."""
    best, best_len = None, -1
    for unit, plist in prefixes.items():
        for p in plist:
            if url.startswith(p) and len(p) > best_len:
                best, best_len = unit, len(p)
    return best


class _Archive:
    """The archive's last response per URL, failures, and the crawl summary."""

    def __init__(self, records: Iterable[Record]) -> None:
        self.responses: dict[str, Record] = {}
        self.failures: dict[str, Record] = {}
        self.info: dict[str, object] = {}
        self.order: list[str] = []
        self._soft404: dict[int, bool] = {}
        for r in records:
            if r.url == CRAWL_INFO_URI:
                self.info = r.extra
                continue
            key = strip_fragment(r.url)
            if r.error:
                self.failures[key] = r
                continue
            if key not in self.responses:
                self.order.append(key)
            self.responses[key] = r
            self.failures.pop(key, None)

    def soft404(self, rec: Record) -> bool:
        """`_soft404(rec)`, once per record (pages are linked from many pages)."""
        hit = self._soft404.get(id(rec))
        if hit is None:
            hit = self._soft404[id(rec)] = _soft404(rec)
        return hit

    def get(self, url: str) -> Record | None:
        return self.responses.get(strip_fragment(url))

    def status(self, url: str) -> tuple[int | None, str]:
        r = self.get(url)
        if r is not None:
            return r.status, ""
        f = self.failures.get(strip_fragment(url))
        if f is not None:
            return f.status, f.error
        return None, ""


@dataclass
class _Parsed:
    url: str
    record: Record
    text: str
    encoding: str
    tree: LexborHTMLParser
    discovery: Discovery


def extract_archive(
    path: Path,
    site: str | None = None,
    *,
    as_of: dt.date | None = None,
    prefixes: Mapping[str, list[str]] | None = None,
) -> SiteModel:
    """Rebuild the site model from a WARC file, with no network.

    `prefixes` (unit -> URL prefixes) fills `Page.unit` by the longest matching prefix."""
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"归档文件不存在：{path}")
    archive = _Archive(read_archive(path))
    seed = site or str(archive.info.get("seed") or (archive.order[0] if archive.order else ""))
    model = build_model(archive, seed, str(path), as_of=as_of)
    if prefixes:
        pages = tuple(replace(p, unit=attribute(p.url, prefixes) or "") for p in model.pages)
        model = replace(model, pages=pages)
    return model


def build_model(
    archive: _Archive, seed: str, archive_path: str, *, as_of: dt.date | None = None
) -> SiteModel:
    parsed: dict[str, _Parsed] = {}
    for url, rec in archive.responses.items():
        if rec.status and 200 <= rec.status < 300 and body_kind(rec.content_type, url, rec.body) == "html":
            text, enc = decode(rec.body, rec.content_type)
            tree = LexborHTMLParser(text)
            parsed[url] = _Parsed(url, rec, text, enc, tree, discover_html(url, text, tree=tree))
    home_url = _home(archive, seed)
    columns, zl_url = _columns(archive, parsed, home_url)
    col_of_item: dict[str, str] = {}
    for c in columns:
        for it in c.items:
            col_of_item.setdefault(it.url, c.url)
    home_items: list[Item] = []
    if home_url in parsed:
        home_items = _home_items(parsed[home_url], home_url)
    list_pages = _list_page_urls(archive, parsed, columns)
    pages, documents, links = [], [], []
    for url, rec in archive.responses.items():
        p = parsed.get(url)
        kind = _page_kind(url, home_url, zl_url, columns, list_pages, p)
        if p is None:
            pages.append(
                Page(url=url, status=rec.status or 0, record=rec.record_id, fetched_at=rec.date, kind=kind)
            )
            continue
        page, doc = _page_and_doc(p, kind, archive, col_of_item.get(url, ""))
        pages.append(page)
        if doc is not None:
            documents.append(doc)
        links.extend(_links_of(p, archive))
    for url, rec in archive.failures.items():
        pages.append(Page(url=url, status=rec.status or 0, record=rec.record_id, kind="error"))
    faults = tuple(str(f) for f in archive.info.get("faults", []) or [])
    items = tuple(home_items) + tuple(it for c in columns for it in c.items)
    return SiteModel(
        site=home_url or seed,
        as_of=as_of,
        pages=tuple(pages),
        columns=tuple(columns),
        items=items,
        documents=tuple(documents),
        links=tuple(links),
        partial=bool(archive.info.get("partial", False)) or not archive.info,
        zhuanlan_url=zl_url,
        archive=archive_path,
        errors=faults,
    )


def _home(archive: _Archive, seed: str) -> str:
    if not seed:
        return ""
    if archive.get(seed):
        rec = archive.get(seed)
        loc = rec.headers.get("location") if rec else None
        if rec and rec.status in (301, 302, 303, 307, 308) and loc:
            return strip_fragment(urljoin(seed, loc))
        return strip_fragment(seed)
    return strip_fragment(seed)


def _is_detail(p: _Parsed) -> bool:
    """A content page (ArticleTitle meta or a metadata block), not a column."""
    if p.tree.css_first('meta[name="ArticleTitle"]') is not None:
        return True
    return len(metadata_of(p.tree)) >= 3


def _home_items(p: _Parsed, home_url: str) -> list[Item]:
    out, seen = [], set()
    for row in p.tree.css("li, tr"):
        if _nav_like(row):
            continue
        it = _row_item(row, p.url, home_url)
        if it and it.date and it.url not in seen:
            seen.add(it.url)
            out.append(it)
    return out


def _column_anchors(p: _Parsed) -> list[tuple[str, str, str]]:
    """(url, name, parent url) of anchors whose text names a column kind, nesting from <li>."""
    out = []
    for a in p.tree.css("a[href]"):
        name = squash(a.text() or "")
        if classify(name) == "other":
            continue
        url = _abs(p.url, a.attributes.get("href") or "")
        if not url:
            continue
        parent = ""
        li = a.parent
        while li is not None and li.tag != "li":
            li = li.parent
        up = li.parent if li is not None else None
        while up is not None and up.tag not in ("li", "body"):
            up = up.parent
        if up is not None and up.tag == "li":
            pa = next((c for c in up.iter() if c.tag == "a"), None)
            if pa is not None:
                parent = _abs(p.url, pa.attributes.get("href") or "") or ""
        out.append((url, name, parent))
    return out


def _columns(archive: _Archive, parsed: dict[str, _Parsed], home_url: str) -> tuple[list[Column], str]:
    home = parsed.get(home_url)
    zl_url = ""
    found: dict[str, dict[str, object]] = {}
    if home is not None:
        for url, label in home.discovery.links:
            if is_zhuanlan_name(label) and not zl_url:
                zl_url = strip_fragment(url)
        for url, name, _parent in _column_anchors(home):
            key = strip_fragment(url)
            if key == zl_url or key not in parsed or len(name) > 10 or _is_detail(parsed[key]):
                continue
            if classify(name) in ("news", "notice"):
                found.setdefault(key, {"name": name, "parent": "", "zl": False, "url": url})
    zl = parsed.get(zl_url)
    if zl is not None:
        config = gkmlpt_config(zl.text)
        if config.get("TREE"):
            ids = {}
            for node in _walk_tree(config.get("TREE") or []):
                url = f"{zl_url}#{node['id']}"
                ids[node["id"]] = url
                parent = ids.get(node.get("_parent"), "")
                found[url] = {
                    "name": str(node.get("name", "")),
                    "parent": parent,
                    "zl": True,
                    "url": url,
                    "gk": node["id"],
                }
        else:
            for url, name, parent in _column_anchors(zl):
                key = strip_fragment(url)
                if key == zl_url or len(name) > 12 or key in parsed and _is_detail(parsed[key]):
                    continue
                if key not in parsed and key not in archive.failures:
                    continue
                if key not in found:  # columns the homepage links to stay outside the 专栏
                    found[key] = {"name": name, "parent": strip_fragment(parent), "zl": True, "url": key}
    columns = []
    col_urls = set(found) | {zl_url, home_url}
    for info in found.values():
        items, placeholder, npages = _column_items(archive, parsed, info)
        items = [it for it in items if it.url not in col_urls]
        parent = str(info["parent"])
        if parent == zl_url:
            parent = ""
        columns.append(
            Column(
                name=str(info["name"]),
                url=str(info["url"]),
                kind=classify(str(info["name"])),
                parent=parent,
                items=tuple(items),
                placeholder=placeholder,
                pages=npages,
                in_zhuanlan=bool(info["zl"]),
            )
        )
    return columns, zl_url


def _column_items(
    archive: _Archive, parsed: dict[str, _Parsed], info: dict[str, object]
) -> tuple[list[Item], bool, int]:
    col_url = str(info["url"])
    items: list[Item] = []
    placeholder = False
    pages = 0
    for url in column_list_urls(archive, parsed, info):
        rec = archive.get(url)
        if rec is None or not rec.status or rec.status >= 400:
            continue
        pages += 1
        kind = body_kind(rec.content_type, url, rec.body)
        if kind == "json":
            try:
                doc = json.loads(rec.body.decode("utf-8", "replace"))
            except ValueError:
                continue
            got, ph = json_list_items(doc, url, col_url)
        elif kind == "xml":
            got, ph = xml_list_items(rec.body.decode("utf-8", "replace"), url, col_url), False
        elif url in parsed:
            p = parsed[url]
            got = xml_list_items(p.text, url, col_url) if "<datastore>" in p.text else []
            if not got:
                seen_on = rec.date.date() if rec.date else None  # short MM-DD dates: the year as of the fetch
                got, ph = html_list_items(p.tree, url, col_url, today=seen_on)
            else:
                ph = False
        else:
            continue
        items.extend(got)
        placeholder = placeholder or ph
    seen, unique = set(), []
    for it in items:
        if it.url not in seen:
            seen.add(it.url)
            unique.append(it)
    return unique, placeholder and not unique, pages


def column_list_urls(archive: _Archive, parsed: dict[str, _Parsed], info: Mapping[str, object]) -> list[str]:
    """The list pages of a column in the archive: its page, then pagination found from it, transitively."""
    col_url = str(info["url"])
    if "gk" in info:
        start = [
            u for u in archive.responses if re.search(rf"/gkmlpt/api/all/{info['gk']}\?(.*&)?page=1(&|$)", u)
        ]
    else:
        start = [strip_fragment(col_url)]
    out, queue, seen = [], list(start), set(start)
    base_path = urlsplit(strip_fragment(col_url)).path.rsplit("/", 1)[0]
    while queue and len(out) < 200:
        url = queue.pop(0)
        rec = archive.get(url)
        if rec is None:
            continue
        out.append(url)
        disc = parsed[url].discovery if url in parsed else discover(url, rec.body, rec.content_type)
        for nxt in disc.pagination:
            nxt = strip_fragment(nxt)
            path = urlsplit(nxt).path
            same_col = (
                path.rsplit("/", 1)[0] == base_path or "dataproxy.jsp" in path or "/gkmlpt/api/" in path
            )
            if nxt not in seen and same_col:
                seen.add(nxt)
                queue.append(nxt)
    return out


def _list_page_urls(archive: _Archive, parsed: dict[str, _Parsed], columns: list[Column]) -> set[str]:
    out: set[str] = set()
    for c in columns:
        info: dict[str, object] = {"url": c.url}
        if "#" in c.url and "/gkmlpt/" in c.url:
            info["gk"] = c.url.rsplit("#", 1)[1]
        out.update(column_list_urls(archive, parsed, info))
    return out


def _page_kind(
    url: str, home: str, zl: str, columns: list[Column], list_pages: set[str], p: _Parsed | None
) -> str:
    if url == home:
        return "home"
    if url == zl:
        return "column"
    if any(strip_fragment(c.url) == url for c in columns):
        return "column"
    if url in list_pages:
        return "list"
    if is_attachment(url):
        return "attachment"
    if p is None:
        return "other"
    if "公开指南" in (p.tree.css_first("title").text() if p.tree.css_first("title") else ""):
        return "guide"
    return "detail"


def _page_and_doc(p: _Parsed, kind: str, archive: _Archive, column_url: str) -> tuple[Page, Document | None]:
    tree = p.tree
    title_node = tree.css_first("title")
    title = squash(title_node.text()) if title_node else ""
    metas = _metas(tree)
    body_text = squash(tree.body.text(separator="\n")) if tree.body else ""
    page = Page(
        url=p.url,
        status=p.record.status or 0,
        title=title,
        text=body_text[:100_000],
        meta=metas,
        footer=_footer_text(tree),
        record=p.record.record_id,
        fetched_at=p.record.date,
        kind=kind,
        encoding=p.encoding,
    )
    if kind not in ("detail", "guide"):
        return page, None
    meta = metadata_of(tree)
    if not meta and "ArticleTitle" not in metas and not column_url:
        return page, None
    h1 = tree.css_first("h1.title") or tree.css_first(".title") or tree.css_first("h1")
    doc_title = meta.get("标题") or metas.get("ArticleTitle") or (squash(h1.text()) if h1 else "") or title
    published = parse_date(meta.get("发布日期", "")) or parse_date(metas.get("PubDate", ""))
    if published is None:
        m = re.search(r"(发布时间|发布日期|时间)[:：]\s*([0-9年月日/.\- :]+)", body_text)
        published = parse_date(m.group(2)) if m else None
    attachments, related = [], []
    seen = set()
    for url, label in p.discovery.links:
        url = strip_fragment(url)
        if url in seen:
            continue
        seen.add(url)
        if is_attachment(url):
            rec = archive.get(url)
            status, error = archive.status(url)
            kind_ext = ext_of(url)
            text = attachment_text(rec.body, kind_ext) if rec is not None and status and status < 400 else ""
            attachments.append(
                Attachment(
                    url=url,
                    name=label,
                    kind=kind_ext,
                    status=status,
                    text=text,
                    record=rec.record_id if rec else "",
                )
            )
        elif _RELATED.search(label) and not _PAGER_TEXT.match(label):
            status, error = archive.status(url)
            related.append(Link(url=url, text=label, source=p.url, status=status, error=error))
    validity = meta.get("有效性", "")
    doc = Document(
        url=p.url,
        title=doc_title,
        metadata=meta,
        index_number=meta.get("索引号", ""),
        publisher=meta.get("发布机构", ""),
        created=parse_date(meta.get("成文日期", "")),
        published=published,
        doc_number=meta.get("文号", ""),
        validity=validity,
        keywords=meta.get("主题词", ""),
        category=meta.get("信息分类", "") or meta.get("主题分类", ""),
        body=_content_text(tree)[:100_000],
        attachments=tuple(attachments),
        related=tuple(related),
        column_url=column_url,
        record=p.record.record_id,
    )
    return page, doc


def _links_of(p: _Parsed, archive: _Archive) -> list[Link]:
    out, seen = [], set()
    for url, label in p.discovery.links:
        url = strip_fragment(url)
        if url in seen or ext_of(url) in SKIP_EXT:
            continue
        seen.add(url)
        status, error = archive.status(url)
        rec = archive.get(url)
        if rec is not None and status == 200 and not error and archive.soft404(rec):
            error = "soft404"
        out.append(
            Link(
                url=url,
                text=label,
                source=p.url,
                status=status,
                error=error,
                is_attachment=is_attachment(url),
            )
        )
    return out


def _soft404(rec: Record) -> bool:
    if body_kind(rec.content_type, rec.url, rec.body) != "html" or len(rec.body) > 4000:
        return False
    text, _ = decode(rec.body, rec.content_type)
    m = re.search(r"<title>(.*?)</title>", text, re.S | re.I)
    return bool(m and _SOFT404.search(m.group(1))) or ("页面不存在" in text and len(text) < 1500)
