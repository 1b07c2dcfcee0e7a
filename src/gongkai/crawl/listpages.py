"""List pages read the way an evaluator reads them, whatever the CMS.

- ``dated_rows``: a list printed as repeated sibling rows, each a link and a date (``<div><a>…</a><p>2017-10-11
  </p></div>``, ``<dl><dd><a>…</a></dd><dd>2026-03-10</dd></dl>``, loose ``<li>``s), where the crawler's list
  reader (``crawl.extract.html_lists``) finds no list or only undated rows.
- ``pager_shown``: the page shows a pager (下一页/尾页 links, 共2397篇/共120页, 1/30页), whatever its URLs.
- ``reads_as_list``: a page whose main content is a list of dated rows: no article of its own (no heading,
  no date of its own, no ArticleTitle) and several dated rows, or a pager.
- ``lone_list_columns``: a list page met on its own (no catalogue page or homepage links it as a column)
  is a column all the same: named from its ColumnName tag, the navigation link marking it current, its
  breadcrumb or its title, with the rows it shows. Only lists whose rows are read with their dates count:
  a list read unreliably makes no column (its checks say there is nothing to judge rather than blank).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from gongkai.crawl.classify import classify
from gongkai.crawl.discover import PAGER_TEXT
from gongkai.model import Column, Item
from gongkai.text import find_dates, squash

if TYPE_CHECKING:
    from gongkai.crawl.facts import PageFacts
    from gongkai.crawl.sitefacts import SiteFacts

MIN_ROWS = 3  # sibling rows that make a list (a pair of links with dates is a widget)
_ROW_TEXT = 300  # characters of a row at most: climbing past it reaches the container
_PAGER_LINKS = frozenset({"下一页", "尾页", "末页", "下页", "最后一页", "后页"})
_PAGER_TEXT = re.compile(
    r"共\s*\d+\s*(?:条|篇|页|项)|\d+\s*/\s*\d+\s*页|第\s*\d+\s*页\s*/?\s*共|总(?:条数|记录数|页数)\s*[:：]?\s*\d+"
)
_CRUMB = re.compile(r"位置\s*[:：]?\s*(.{2,120})")
_CRUMB_SPLIT = re.compile(r"\s*(?:>>|>|»|›|→|/|＞)\s*")
_TITLE_SPLIT = re.compile(r"\s*[-_|｜—–·]\s*")
_SITE_WORDS = re.compile(r"政府|网站|门户|政务网|官网|人民政府网|^首页$")


def dated_rows(tree: LexborHTMLParser, base: str, today: dt.date | None = None) -> list[Item]:
    """The page's largest group of sibling rows that each hold one link and a date (its text outside
    the link): [] when there is no such group of MIN_ROWS rows."""
    body = tree.body
    if body is None or len(find_dates(body.text() or "")) < MIN_ROWS:
        return []  # fewer dates than rows: most pages stop here
    groups: dict[tuple[int, str], list[Item]] = {}
    seen: set[int] = set()
    for a in tree.css("a[href]"):
        title = squash(a.attributes.get("title") or a.text() or "")
        href = (a.attributes.get("href") or "").strip()
        if len(title) < 4 or not href or href.startswith(("javascript:", "#", "mailto:")):
            continue
        row, date = _row_of(a)
        if row is None or row.parent is None or row.mem_id in seen:
            continue
        seen.add(row.mem_id)
        url = urljoin(base, href).split("#", 1)[0]
        groups.setdefault((row.parent.mem_id, row.tag), []).append(Item(title=title, url=url, date=date))
    best = max(groups.values(), key=len, default=[])
    return best if len(best) >= MIN_ROWS else []


def _row_of(a: LexborNode) -> tuple[LexborNode | None, dt.date | None]:
    """The nearest ancestor (up to three levels) whose text shows a date besides the link's own text,
    and that date; a row holds one item (no second link with a title of its own)."""
    own = squash(a.text() or "")
    node = a.parent
    for _ in range(3):
        if node is None or node.tag in ("body", "html"):
            return None, None
        text = squash(node.text() or "")
        if len(text) > _ROW_TEXT:
            return None, None
        dates = find_dates(text.replace(own, " ", 1))
        if dates:
            titled = [x for x in node.css("a[href]") if len(squash(x.text() or "")) >= 4]
            return (node, dates[-1]) if len(titled) <= 1 else (None, None)
        node = node.parent
    return None, None


def pager_shown(f: PageFacts) -> bool:
    """The page shows a pager: its pagination was found, a 下一页/尾页 link, or 共N条/1/30页 in its text."""
    if f.pagination:
        return True
    if any(label in _PAGER_LINKS for _u, label in f.links):
        return True
    return bool(_PAGER_TEXT.search(f.text))


def reads_as_list(f: PageFacts) -> bool:
    """No article of its own (no heading other than a row's title, no date of its own, no ArticleTitle)
    and its main content is dated rows: several of them, or some under a pager or beside a script-filled list template."""
    if "ArticleTitle" in f.metas or f.published is not None or not f.list_items:
        return False
    if f.heading and f.heading not in {squash(it.title) for it in f.list_items}:
        return False  # a heading of its own (JEECMS lists wrap each row's link in an <h1>: not one)
    dated = sum(1 for it in f.list_items if it.date)
    return dated >= MIN_ROWS or (dated >= 1 and (pager_shown(f) or bool(f.scripted)))


def lone_list_columns(
    site: SiteFacts, held: set[str], home: str, known: Iterable[Column] = ()
) -> list[Column]:
    """A Column for each list no column holds (`held`: column URLs and their list pages). The pages of one
    list (same directory, same name: Index_2.aspx, news-list-x-2.html, pagers the crawler does not know)
    make one column, at its shortest URL; a later page of a known column's list makes none."""
    known_keys = {(_directory(c.url), c.name) for c in known}
    groups: dict[tuple[str, str], list[tuple[str, list[Item]]]] = {}
    for url, f in site.pages.items():
        if url in held or url == home or not f.parsed or f.detail or not reads_as_list(f):
            continue
        items = f.list_items or []
        if sum(1 for it in items if it.date) * 2 < len(items):
            continue  # rows mostly undated: the list read may not be the page's own
        key = (_directory(url), list_name(f))
        if key not in known_keys:
            groups.setdefault(key, []).append((url, items))
    out = []
    for (_directory_url, name), pages in groups.items():
        col_url = min((u for u, _ in pages), key=lambda u: (len(u), u))
        seen: set[str] = set()
        items = []
        for it in (it for _u, rows in pages for it in rows):
            if it.url not in seen:
                seen.add(it.url)
                items.append(Item(it.title, it.url, it.date, col_url, it.pinned))
        out.append(
            Column(
                name=name,
                url=col_url,
                kind=classify(name),
                items=tuple(items),
                pages=len(pages),
                found_by="list_page",
            )
        )
    return out


def _directory(url: str) -> str:
    return url.split("?", 1)[0].rsplit("/", 1)[0] + "/"


def list_name(f: PageFacts) -> str:
    """The column's name: its ColumnName tag, the navigation link marking the page current, the last
    crumb of its breadcrumb, the first part of its title; else its URL's last directory."""
    for name in (f.metas.get("ColumnName", ""), _current_link(f), _crumb(f.text), _title_name(f.title)):
        name = squash(name)
        if 2 <= len(name) <= 16:
            return name
    path = urlsplit(f.url).path
    parts = [p for p in (path if path.endswith("/") else path.rsplit("/", 1)[0]).split("/") if p]
    return parts[-1] if parts else f.url


def _current_link(f: PageFacts) -> str:
    """The text of a link to the page itself (its directory index for an index page): the navigation's
    current entry."""
    own = {f.url, f.url.rsplit("/", 1)[0] + "/"} if _is_index(f.url) else {f.url}
    names = [
        label
        for u, label in f.links
        if u.split("#", 1)[0] in own and 2 <= len(label) <= 16 and not PAGER_TEXT.match(label)
    ]
    return names[-1] if names else ""


def _is_index(url: str) -> bool:
    last = urlsplit(url).path.rsplit("/", 1)[-1].lower()
    return not last or last.startswith(("index", "default"))


def _crumb(text: str) -> str:
    m = _CRUMB.search(text[:5000])
    if not m:
        return ""
    parts = [p for p in _CRUMB_SPLIT.split(m.group(1)) if p]
    if len(parts) < 2:
        return ""
    last = parts[-1].split(" ")[0] if " " in parts[-1] else parts[-1]
    return "" if _SITE_WORDS.search(last) else last


def _title_name(title: str) -> str:
    parts: Iterable[str] = [p for p in _TITLE_SPLIT.split(title) if p]
    named = [p for p in parts if not _SITE_WORDS.search(p)]
    return named[0] if named else ""


_SECTION_BLANK = re.compile(r"暂无信息|暂无数据|暂无内容|暂无相关信息|信息正在更新|栏目正在建设")


def section_lists(tree: LexborHTMLParser, base: str) -> tuple[dict[str, list[Item]], list[str]]:
    """The dated rows of each part of a page that the page's own anchor links lead to (a township's
    专栏 written as one page: a menu of #jgzn links over sections with those ids), and the parts that
    show only a placeholder (暂无信息). {} when the page has no such anchors."""
    rows: dict[str, list[Item]] = {}
    blank: list[str] = []
    for a in tree.css('a[href^="#"]'):
        frag = (a.attributes.get("href") or "")[1:].strip()
        if not frag or frag in rows or not re.fullmatch(r"[\w.-]+", frag):
            continue
        target = tree.css_first(f'[id="{frag}"]') or tree.css_first(f'a[name="{frag}"]')
        if target is None or target.mem_id == a.mem_id:
            continue
        if target.tag == "a":  # <a name="x"></a> before the part: the part is the element that holds it
            target = target.parent
        if target is None or target.tag in ("body", "html") or _has_more(target):
            continue  # a pane with its 更多 link previews the column that link leads to
        rows[frag] = _rows_in(target, base)
        if not rows[frag] and _SECTION_BLANK.search(target.text() or ""):
            blank.append(frag)
    return rows, blank


_MORE = re.compile(r"^[\s>»+＋…\.·]*(更多|查看更多|more)[\s>»+＋…\.·]*$", re.I)


def _has_more(section: LexborNode) -> bool:
    for a in section.css("a[href]"):
        img = a.css_first("img[alt]")
        text = squash(a.text() or "") or (squash(img.attributes.get("alt") or "") if img is not None else "")
        if _MORE.match(text):
            return True
    return False


def _rows_in(section: LexborNode, base: str) -> list[Item]:
    out: list[Item] = []
    for a in section.css("a[href]"):
        title = squash(a.attributes.get("title") or a.text() or "")
        href = (a.attributes.get("href") or "").strip()
        if len(title) < 4 or not href or href.startswith(("javascript:", "#", "mailto:")):
            continue
        _row, date = _row_of(a)
        if date is not None:
            out.append(Item(title=title, url=urljoin(base, href).split("#", 1)[0], date=date))
    return out
