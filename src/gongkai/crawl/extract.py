"""Extraction from one parsed page: list rows (`html_lists`, Hanweb and JSON lists), the metadata block
of a detail page, its text and footer, soft 404s, and which unit a URL belongs to.

`gongkai.crawl.facts` reads a page's facts with these from the parse `gongkai.crawl.discover` made, and
`gongkai.crawl.sitemodel` assembles the site model from those facts.

Document.metadata keys are the canonical Chinese labels of METADATA_FIELDS' values (索引号, 信息分类,
发布机构, 成文日期, 发布日期, 文号, 有效性, 主题词, 标题, 生效日期, 废止日期); the typed fields of
`Document` carry the same values parsed. Items whose `column_url` equals `SiteModel.site` are the dated
rows shown on the homepage.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from urllib.parse import urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from gongkai.crawl.apilist import api_items
from gongkai.crawl.discover import PAGER_TEXT, hanweb_records, scripted_href
from gongkai.crawl.egress import url_within
from gongkai.crawl.labels import BRACKET_HINT, canonical, label_runs, leaf_block, sibling_metadata
from gongkai.crawl.resource import absolute, strip_fragment
from gongkai.model import Item
from gongkai.text import find_dates, parse_date, squash

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
_SHORT_DATE = re.compile(r"(?<![\d\-/.])\[?(\d{1,2})[-/.](\d{1,2})\]?\s*$")
# 上一篇：<a href="…">title</a> — a document's neighbours in its column, not documents related to it
NEIGHBOUR_TEXT = ("上一篇", "下一篇", "上一条", "下一条")
_NEIGHBOUR = re.compile(
    rf"(?:{'|'.join(NEIGHBOUR_TEXT)})\s*[:：]?\s*(?:<[^<>]*>\s*){{0,3}}?<a\s[^>]*?href\s*=\s*[\"']([^\"']+)[\"']"
)
_PLACEHOLDER = re.compile(r"暂无信息|暂无数据|暂无内容|暂无相关信息|信息正在更新|栏目正在建设")
_TITLE = re.compile(r"<title>(.*?)</title>", re.S | re.I)
_NOT_FOUND_WORDS = r"页面不存在|找不到(该)?页面|页面未找到|访问的页面不存在|Not Found"
_SOFT404 = re.compile(rf"404|{_NOT_FOUND_WORDS}", re.I)
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
        href = absolute(base, _href_of(x))
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
            found.append(absolute(url, m.group(1)))
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
    for record in hanweb_records(text):
        for li in record.css("li") or [record]:
            it = _row_item(li, base, column_url)
            if it:
                out.append(it)
    return out


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
                url=absolute(base, str(art["url"])) or str(art["url"]),
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


def meta_tags(tree: LexborHTMLParser) -> dict[str, str]:
    out = {}
    for m in tree.css("meta[name]"):
        name = m.attributes.get("name") or ""
        if name:
            out[name] = m.attributes.get("content") or ""
    return out


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
