"""The catalogue stage: which pages are the 专栏's columns, read from the catalogue's structure.

Two halves, on either side of the page facts:

- `catalogue_links(tree, base, text)` reads one page (at fetch time, from the parse the crawler builds
  anyway): every link that can be a catalogue entry, with its name, its parent entry in the page's
  structure (nested ul/li, dl/dt/dd, an accordion's heading before its list, a div tree), how it was
  found (`nav`, `left_tree`, `tab`, `more`, `hanweb_col`) and a signature of where it sits in the page.
  Links in footers, breadcrumbs, 友情链接 blocks and the page's dated list rows (documents) are not
  entries; list pages after the first and documents are not read (their catalogue is their first page's).
- `read_catalogue(...)` reads the whole site once it is known: from the 专栏 page, breadth first
  through the pages its catalogue leads to (the 法定主动公开内容 and 重点领域 sub-catalogues, a tree that
  expands only the current branch), keeping every page that lists items or leads to further entries,
  whatever its name. Links the homepage carries at the same place (the portal's own navigation, footer
  and 友情链接, repeated on the 专栏 page) are the template, not the catalogue; service pages (联系我们,
  网站地图 ...) are not columns.

A column's name is its link text, else the target page's `ColumnName` meta (Hanweb writes it on every
/col/colN/ page), else its title. Names the vocabulary does not know are kept (kind `other`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable
from typing import Protocol
from urllib.parse import urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from gongkai.crawl.classify import classify, is_zhuanlan_name
from gongkai.crawl.discover import PAGER_TEXT, script_column_links, scripted_href
from gongkai.crawl.resource import absolute, is_attachment, strip_fragment
from gongkai.crawl.scripttree import ScriptTree, tree_anchors
from gongkai.text import find_dates, squash

# (url, name, parent url, how it was found, where it sits in the page)
CatalogueLink = tuple[str, str, str, str, str]

# how the catalogue led to a column (Column.found_by), with the Chinese the CLI and reports show
FOUND_BY = {
    "nav": "导航菜单",
    "left_tree": "目录树",
    "tab": "页签",
    "subcatalogue": "子目录页",
    "more": "“更多”链接",
    "gkmlpt": "gkmlpt 目录树",
    "script_tree": "脚本目录树（zTree）",
    "hanweb_col": "大汉栏目页（脚本菜单）",
    "anchor": "页内锚点（单页专栏）",
    "list_page": "单独的列表页",
}

# containers whose links are never catalogue entries: footers, breadcrumbs, 友情链接, share bars
_NOT_CATALOGUE = re.compile(
    r"foot|copyright|crumb|bread|position|location|dqwz|\blinks?\b|yqlj|friend|share",
    re.I,
)
_TAB = re.compile(r"tab(?!le)", re.I)
_TREE = re.compile(r"left|side|tree|zuo|lmdh|accordion|menu[-_]?l|sub[-_]?nav|catalog|mulu|ml[-_]?nav", re.I)
_MORE_TEXT = re.compile(r"^[\s>»+＋…\.·]*(更多|查看更多|更多信息|更多内容|more)[\s>»+＋…\.·]*$", re.I)
_HEADING_TAGS = frozenset(["h1", "h2", "h3", "h4", "h5", "h6", "dt", "a", "span", "strong", "b", "p", "em"])
_LIST_TAGS = frozenset(["ul", "ol", "dl", "div", "table", "tbody"])
_TITLE_CLASS = re.compile(r"tit|title|hd|head|bt|name|lm", re.I)
_DEPTH = 10  # ancestors climbed from a link
FRAME = "frame"  # a frame of the page: read as part of it, never a column
_NESTED = "li ul, li ol, dd ul, h2 + ul, h3 + ul, h4 + ul"  # a tree, not a flat menu
_HEADINGS = "h1, h2, h3, h4, h5, h6, .title, .tit, .hd, .bt, .name"


def _cls(node: LexborNode) -> str:
    attrs = node.attributes
    return f"{attrs.get('class') or ''} {attrs.get('id') or ''}"


def _prev_element(node: LexborNode) -> LexborNode | None:
    p = node.prev
    while p is not None and p.tag in ("-text", "-comment", "_comment", "script", "style"):
        p = p.prev
    return p


def _anchors_in(node: LexborNode) -> list[LexborNode]:
    if node.tag == "a":
        return [node] if node.attributes.get("href") is not None else []
    return node.css("a[href]")


def _head_anchor(item: LexborNode) -> LexborNode | None:
    """The first link of a tree item that is not inside a list nested in it (the item's own entry)."""
    for a in item.css("a[href]"):
        n = a.parent
        nested = False
        while n is not None and n.mem_id != item.mem_id:
            if n.tag in ("ul", "ol", "dl"):
                nested = True
                break
            n = n.parent
        if not nested:
            return a
    return None


def _heading_like(node: LexborNode) -> bool:
    """An element that titles the list after it: a heading, a dt, a lone link, a title div or span."""
    if node.tag not in _HEADING_TAGS and not (node.tag == "div" and _TITLE_CLASS.search(_cls(node))):
        return False
    return len(_anchors_in(node)) <= 1 and node.css_first("ul, ol, dl, li") is None


def structural_parent(a: LexborNode, cache: dict[int, LexborNode | None] | None = None) -> LexborNode | None:
    """The link a tree nests this link under, or None for a first-level entry.

    Nested lists (the entry of the enclosing li), dl (the dt before the dd), accordions and div trees
    (a heading or link right before the list that holds the entry). `cache` keeps the answer of each
    list container climbed through: every entry of a list has the same parent."""
    cache = {} if cache is None else cache
    passed: list[int] = []
    found = _climb(a, cache, passed)
    for mem_id in passed:
        cache[mem_id] = found
    return found


def _climb(a: LexborNode, cache: dict[int, LexborNode | None], passed: list[int]) -> LexborNode | None:
    x = a.parent
    for _ in range(_DEPTH):
        if x is None or x.tag in ("body", "html"):
            return None
        if x.tag in _LIST_TAGS:
            if x.mem_id in cache:
                return cache[x.mem_id]
            passed.append(x.mem_id)
        if x.tag == "li":
            head = _head_anchor(x)
            if head is not None and head.mem_id != a.mem_id:
                return head
        prev = _prev_element(x)
        if x.tag == "dd":
            while prev is not None and prev.tag == "dd":
                prev = _prev_element(prev)
            if prev is not None and prev.tag == "dt":
                found = _anchors_in(prev)
                return found[0] if found else None
            return None
        if prev is not None:
            if prev.tag == x.tag and x.tag in ("li", "dt", "a", "span", "p", "h3", "h4"):
                pass  # a row among peers: the parent is further up
            elif x.tag in _LIST_TAGS and _heading_like(prev):
                found = _anchors_in(prev)
                return found[0] if found else None
            else:
                return None
        x = x.parent
    return None


def _ancestors(a: LexborNode) -> Iterable[LexborNode]:
    x = a.parent
    for _ in range(_DEPTH):
        if x is None or x.tag in ("body", "html"):
            return
        yield x
        x = x.parent


class _Where:
    """Where links sit, worked out once per ancestor of a page (links share most of their ancestors):
    inside furniture (footer, breadcrumb, 友情链接), inside a tab group or a tree, and a signature of
    the nearest ancestors' tags and classes (the portal's navigation sits at the same place on the
    homepage and on the 专栏)."""

    def __init__(self) -> None:
        # mem_id -> (excluded, in a tab group, in a tree container, signature parts)
        self.memo: dict[int, tuple[bool, bool, bool, tuple[str, ...]]] = {}
        self.nested: dict[int, bool] = {}

    def of(self, node: LexborNode | None) -> tuple[bool, bool, bool, tuple[str, ...]]:
        climb: list[LexborNode] = []
        x = node
        while x is not None and x.tag not in ("body", "html") and x.mem_id not in self.memo:
            climb.append(x)
            x = x.parent
        above = self.memo.get(x.mem_id) if x is not None else None
        state = above or (False, False, False, ())
        for n in reversed(climb):
            excluded, tab, tree, sig = state
            tag, attrs = n.tag, n.attributes
            klass, ident = (attrs.get("class") or "").strip(), attrs.get("id") or ""
            if klass or ident:
                cls = f"{klass} {ident}"
                excluded = excluded or bool(_NOT_CATALOGUE.search(cls))
                tab = tab or bool(_TAB.search(cls))
                tree = tree or bool(_TREE.search(cls))
            state = (
                excluded or tag == "footer",
                tab,
                tree or tag in ("dl", "aside"),
                (f"{tag}.{klass}#{ident}", *sig[:5]),
            )
            self.memo[n.mem_id] = state
        return state

    def how(
        self,
        a: LexborNode,
        parent: LexborNode | None,
        where: tuple[bool, bool, bool, tuple[str, ...]] | None = None,
    ) -> str:
        """tab, left_tree (a nested structure, or a container that says it is one) or nav (a flat menu);
        `where` is `of(a.parent)` when the caller has it already."""
        _excluded, tab, tree, _sig = self.of(a.parent) if where is None else where
        if tab:
            return "tab"
        x = a.parent
        for _ in range(3):
            if tree or parent is not None or x is None or x.tag in ("body", "html"):
                break
            if x.tag in ("ul", "ol", "div"):
                if x.mem_id not in self.nested:
                    self.nested[x.mem_id] = x.css_first(_NESTED) is not None
                tree = self.nested[x.mem_id]
            x = x.parent
        return "left_tree" if tree or parent is not None else "nav"


_CJK_GAP = re.compile(r"(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff])")


# a bullet before a name, a count after it: "■ 政策文件 (25)" is 政策文件
_BULLET = re.compile(r"^[·•■□▪▫◆◇●○▶►>›»\-\s]+")
_COUNT = re.compile(r"\s*[(（\[【]\s*\d+\s*[)）\]】]$")


def _text(node: LexborNode) -> str:
    """A link's text; a name broken over lines (政府信息<br>公开指南) is one name."""
    text = _CJK_GAP.sub("", squash(node.text() or ""))
    if text and (text[0] in _BULLET_CHARS or text[-1] in ")）]】"):
        text = _COUNT.sub("", _BULLET.sub("", text))
    return text


_BULLET_CHARS = frozenset("·•■□▪▫◆◇●○▶►>›»-")


def _more_name(a: LexborNode) -> tuple[str, str]:
    """(name, how) of a 更多 link: the title of its block, else the tab title at the same position."""
    for x in _ancestors(a):
        for h in x.css(_HEADINGS):
            if _inside_row(h, x) or h.css_first("ul, ol, li"):
                continue  # a list row's text, not the block's title
            name = _MORE_TEXT.sub("", _text(h)).strip()
            if name and not _MORE_TEXT.match(_text(h)) and len(name) <= 20 and not find_dates(name):
                return name, "more"
        if _TAB.search(_cls(x)):
            name = _tab_title(x, a)
            if name:
                return name, "tab"
    return "", "more"


def _inside_row(node: LexborNode, stop: LexborNode) -> bool:
    n = node.parent
    while n is not None and n.mem_id != stop.mem_id:
        if n.tag in ("li", "tr", "dd"):
            return True
        n = n.parent
    return False


def _tab_title(group: LexborNode, a: LexborNode) -> str:
    """A tab group whose titles are not links: the n-th 更多 link belongs to the n-th title."""
    mores = [m for m in group.css("a[href]") if _is_more(m)]
    index = next((n for n, m in enumerate(mores) if m.mem_id == a.mem_id), -1)
    holding = {x.mem_id for x in _ancestors(a)}  # the panes' container is not the titles'
    for titles in group.css("ul, ol, div"):
        if titles.mem_id in holding or not (_TAB.search(_cls(titles)) or _TITLE_CLASS.search(_cls(titles))):
            continue
        rows = [c for c in titles.iter() if c.tag in ("li", "span", "a", "div", "h3")]
        if len(rows) == len(mores) and 0 <= index < len(rows) and not any(_is_more(r) for r in rows):
            return _text(rows[index])
    return ""


def _is_more(a: LexborNode, name: str | None = None, own: str | None = None) -> bool:
    """A 更多 link; `name` and `own` (its name and its own text, as catalogue_links reads them) when the
    caller has them already."""
    own = _text(a) if own is None else own
    text = (own or squash(a.attributes.get("title") or "") or _image_name(a)) if name is None else name
    return bool(_MORE_TEXT.match(text)) or "more" in _cls(a).lower() and not own


def catalogue_links(
    tree: LexborHTMLParser, base: str, text: str = "", documents: Collection[str] = ()
) -> list[CatalogueLink]:
    """Links of a page that can be catalogue entries, in page order: (url, name, parent url, how,
    signature). `text` is the page's source: Hanweb menus written by script name /col/colN/ pages.
    `documents` are the URLs of the page's dated list rows: documents, not entries."""
    out: list[CatalogueLink] = []
    seen: set[str] = set()
    where = _Where()
    parents: dict[int, LexborNode | None] = {}
    sections: dict[str, bool] = {}
    for a in tree.css("a[href]"):
        href = scripted_href(a, (a.attributes.get("href") or "").strip())
        section = _section_of(tree, href, sections)  # #jgzn: a part of this page (a one-page 专栏)
        url = strip_fragment(base) + href if section else absolute(base, href)
        if not url or url in documents or is_attachment(url):
            continue
        place = where.of(a.parent)
        excluded, _tab, _tree, sig = place
        if excluded:
            continue
        own = _text(a)
        name = own or squash(a.attributes.get("title") or "") or _image_name(a)
        if PAGER_TEXT.match(name):
            continue
        signature = "/".join(sig)
        url = strip_fragment(url) if "/gkmlpt/" not in url and not section else url
        if _is_more(a, name, own):
            name, how = _more_name(a)
            out.append((url, name, "", how, signature))
            seen.add(url)
            continue
        parent = structural_parent(a, parents)
        parent_url = ""
        if parent is not None:
            parent_href = scripted_href(parent, parent.attributes.get("href") or "")
            if _section_of(tree, parent_href, sections):
                parent_url = strip_fragment(base) + parent_href
            else:
                parent_url = strip_fragment(absolute(base, parent_href) or "")
            if not _can_parent(parent_url, url):
                parent, parent_url = None, ""
        out.append((url, name, parent_url, "anchor" if section else where.how(a, parent, place), signature))
        seen.add(url)
    for frame in tree.css("iframe[src], frame[src]"):  # old portals show the catalogue in a frame
        url = absolute(base, (frame.attributes.get("src") or "").strip())
        if url and not where.of(frame.parent)[0]:
            out.append((strip_fragment(url), "", "", FRAME, "frame"))
    if "/col/col" in text:
        for url, _ in script_column_links(base, text, seen):
            out.append((url, "", "", "hanweb_col", "script"))
    return out


def _section_of(tree: LexborHTMLParser, href: str, memo: dict[str, bool]) -> bool:
    """Whether a link leads to a part of its own page (#jgzn, an element with that id or name)."""
    if not href.startswith("#") or len(href) < 2 or not re.fullmatch(r"[\w.-]+", href[1:]):
        return False
    if href not in memo:
        frag = href[1:]
        memo[href] = (tree.css_first(f'[id="{frag}"]') or tree.css_first(f'a[name="{frag}"]')) is not None
    return memo[href]


_ROOT_PATHS = frozenset(["", "/", "/index.html", "/index.htm", "/index.shtml", "/index.jsp"])


def _can_parent(parent_url: str, url: str) -> bool:
    """A catalogue entry's parent is a page of the same host below its root: a header's logo link (the
    homepage) or a 返回门户首页 link to another host right before a menu is not the menu's parent."""
    p, u = urlsplit(parent_url), urlsplit(url)
    return bool(parent_url) and p.netloc == u.netloc and (p.path not in _ROOT_PATHS or bool(p.fragment))


def _image_name(a: LexborNode) -> str:
    """The name of a link that is only an icon: its image's alt text."""
    img = a.css_first("img[alt]")
    return squash(img.attributes.get("alt") or "") if img is not None else ""


# ---------------------------------------------------------------------------------- the whole site

# service pages and page furniture that catalogues and menus carry beside the columns
_SERVICE = re.compile(
    r"^(网站)?首页$|返回首页|网站首页|联系我们|联系方式|网站地图|站点地图|无障碍|长者|关怀版|适老|搜索|检索|留言|信箱|"
    r"登录|注册|帮助|网站声明|免责|隐私|关于我们|版权|english|繁體|繁体|简体|设为首页|加入收藏|收藏本站|打印|关闭|"
    r"返回顶部|分享|订阅|rss|纠错|找错|当前位置|上一篇|下一篇|跳过|跳到|跳至|跳转|主要内容",
    re.I,
)
# units (市教育局, 白石镇, 住房公积金管理中心): a platform's links to its departments' own pages, not columns
_UNIT = re.compile(r"(局|委员会|委|办公室|办|政府|厅|中心|街道|镇|乡)$")
NAME_LIMIT = 20  # characters: longer link texts are documents' titles, not columns' names
_MAX_LEVELS = 4  # catalogue pages below the 专栏 read for further entries
_STRUCTURAL = ("nav", "left_tree", "tab")


class _Facts(Protocol):
    """What the catalogue reads of a page's facts (crawl.facts.PageFacts)."""

    anchors: list[CatalogueLink]
    detail: bool
    metas: dict[str, str]
    title: str
    file_type: str
    url: str
    links: list[tuple[str, str]]
    sections: dict[str, list[object]]
    blank_sections: list[str]
    script_tree: ScriptTree | None
    tree_nodes: list[dict[str, object]]


class _Site(Protocol):
    """What the catalogue reads of a site's facts (crawl.sitefacts.SiteFacts)."""

    pages: dict[str, object]
    failures: dict[str, object]

    def get(self, url: str) -> _Facts | None: ...

    def parsed(self, url: str) -> _Facts | None: ...


Entry = tuple[str, str, str, str]  # (url, name, parent url, how)


def page_name(f: _Facts | None) -> str:
    """A column page's own name: its ColumnName meta (Hanweb, TRS), else its title's first part."""
    if f is None:
        return ""
    name = (f.metas.get("ColumnName") or "").strip()
    if not name:
        name = re.split(r"[_\-|｜—]", f.title or "", maxsplit=1)[0].strip()
    return name if len(name) <= NAME_LIMIT else ""


def _template(home: _Facts | None) -> set[tuple[str, str]]:
    """Links the homepage carries, with where it carries them: a page that repeats one at the same place
    repeats the portal's template (navigation, footer, 友情链接)."""
    if home is None:
        return set()
    return {(url, sig) for url, _name, _parent, _how, sig in home.anchors}


def _entries(site: _Site, f: _Facts, template: set[tuple[str, str]], skip: set[str]) -> list[Entry]:
    """A catalogue page's entries: its links that lead to pages of the site and are not the template,
    service pages or documents listed in a block of documents."""
    kept: list[tuple[Entry, str, bool]] = []
    blocks: dict[str, list[int]] = {}  # signature -> [links to documents, links to other pages]
    for url, name, parent, how, sig in [*f.anchors, *tree_anchors(site, f)]:
        if how == FRAME or url in skip or (url, sig) in template or is_zhuanlan_name(name):
            continue
        section = how == "anchor"
        if section and not _a_part(f, url):
            continue  # a part of the page that lists nothing and says nothing: a jump, not a column
        if not section and url not in site.pages and url not in site.failures:
            continue  # not fetched: another site, or cut by the crawl's limits
        target = None if section else site.get(url)
        if target is not None and target.file_type:
            continue
        name = name or page_name(target)
        if not name or len(name) > NAME_LIMIT or _SERVICE.search(name) or _UNIT.search(name):
            continue
        document = target is not None and target.detail
        blocks.setdefault(sig, [0, 0])[0 if document else 1] += 1
        kept.append(((url, name, parent, how), sig, document))
    out = []
    for entry, sig, document in kept:
        if document and (entry[3] not in _STRUCTURAL or blocks[sig][0] > blocks[sig][1]):
            continue  # a list of documents, or a 更多 link that leads to one
        out.append(entry)
    return out


def _a_part(f: _Facts, url: str) -> bool:
    """Whether an anchor leads to a column written on the page: a part with rows or 暂无信息, or the
    heading the menu nests such parts under."""
    frag = url.split("#", 1)[1]
    if f.sections.get(frag) or frag in f.blank_sections:
        return True
    return any(parent == url and how == "anchor" for _u, _n, parent, how, _s in f.anchors)


def _inside(site: _Site, url: str, found: dict[str, dict[str, object]], pages: tuple[str, ...]) -> bool:
    """Whether a page reached without a place in a tree belongs to the 专栏: it lies below the 专栏's or
    the linking page's folder, or it shows the 专栏's catalogue (links to two of its columns)."""
    path = urlsplit(url).path
    for page in pages:
        folder = urlsplit(page).path.rsplit("/", 1)[0]
        if folder and path.startswith(folder + "/") and urlsplit(page).netloc == urlsplit(url).netloc:
            return True
    target = site.parsed(url)
    if target is None:
        return False
    shown = {u for u, *_ in target.anchors if u in found}
    return len(shown) >= 2


def _previews(
    site: _Site, own: set[str], entries: list[Entry], own_items: Callable[[_Facts], list[str]]
) -> bool:
    """Whether a page's list only previews the lists its 更多 links and tabs lead to (a 法定主动公开内容
    page of blocks or tabs), rather than being a column's own list with a side block beside it."""
    shown: set[str] = set()
    for url, _name, _parent, how in entries:
        target = site.parsed(url) if how in ("more", "tab") else None
        if target is not None:
            shown.update(own_items(target))
    return bool(shown) and len(own & shown) >= 0.8 * len(own)


def read_catalogue(
    site: _Site,
    zl_url: str,
    home_url: str,
    own_items: Callable[[_Facts], list[str]],
) -> dict[str, dict[str, object]]:
    """The 专栏's columns, breadth first from its page: url -> {name, parent, url, found_by, single, zl}.

    `own_items(facts)` gives the item URLs a page lists as its own (without the site's repeated blocks):
    a page reached from the catalogue that lists nothing of its own but leads to new entries is a
    sub-catalogue, and every new entry on it is its child."""
    if site.parsed(zl_url) is None:
        return {}
    template = _template(site.parsed(home_url)) if home_url != zl_url else set()
    found: dict[str, dict[str, object]] = {}
    # (page, level, the page it stands for: a frame stands for the page that shows it)
    queue, visited = [(zl_url, 0, zl_url)], {zl_url}
    skip = {zl_url, home_url}
    while queue:
        page_url, level, shown_on = queue.pop(0)
        f = site.parsed(page_url)
        if f is None:
            continue
        for url, *_rest, how, _sig in f.anchors:
            if how == FRAME and url not in visited and site.parsed(url) is not None:
                visited.add(url)
                queue.insert(0, (url, level, shown_on))
        entries = _entries(site, f, template, skip | {page_url, shown_on})
        for url, name, _parent, _how in entries:
            if url in found:
                _prefer_known_name(found[url], name)
        new = [e for e in entries if e[0] not in found]
        own = set(own_items(f)) - {e[0] for e in entries} - set(found)
        sub = level > 0 and bool(new) and not own
        previews = level > 0 and not sub and _previews(site, own, new, own_items)
        for url, name, parent, how in new:
            if url in found:
                _prefer_known_name(found[url], name)
                continue
            if how == "anchor" and level > 0:
                continue  # parts of the 专栏 page only: elsewhere they are a page's tabs or contents
            if how == "anchor" and parent not in found:
                parent = ""
            elif level > 0 and parent not in found:
                if not (sub or (previews and how in ("more", "tab"))):
                    continue  # another page's links beside a list: not this catalogue's
                if not _inside(site, url, found, (zl_url, page_url)):
                    continue  # a side block's 更多 leading out of the 专栏
                parent = shown_on
                how = "subcatalogue" if how in ("nav", "left_tree") else how
            elif parent not in found:
                if how == "more" and not _inside(site, url, found, (zl_url,)):
                    continue
                parent = ""
            target = site.get(url)
            found[url] = {
                "name": name,
                "parent": parent,
                "zl": True,
                "url": url,
                "found_by": how,
                "single": target is not None and target.detail,
            }
            if url not in visited and level < _MAX_LEVELS and how != "anchor":
                visited.add(url)
                queue.append((url, level + 1, url))
    return found


def zhuanlan_of(site: _Site, home: _Facts) -> str:
    """The 专栏 the homepage leads to. A 政府信息公开 link is preferred to a 政务公开 one, and a 政务公开
    landing page that leads on to a 政府信息公开 page (广东's portals: 政务公开 -> gkmlpt) hands over to it."""
    named = [strip_fragment(u) for u, label in home.links if is_zhuanlan_name(label)]
    statutory = [
        strip_fragment(u) for u, label in home.links if is_zhuanlan_name(label) and "政府信息公开" in label
    ]
    for url in statutory:
        if site.parsed(url) is not None:
            return url
    first = named[0] if named else ""
    landing = site.parsed(first) if first else None
    if landing is not None:
        for u, label in landing.links:
            url = strip_fragment(u)
            if url not in (first, home.url) and "政府信息公开" in label and is_zhuanlan_name(label):
                target = site.parsed(url)
                if target is not None and not target.detail:
                    return url
    return first


def _prefer_known_name(column: dict[str, object], name: str) -> None:
    """One page linked under two names (数据发布, then 统计信息 for /tjxx/): keep the one the vocabulary
    knows, so the standard column is not reported missing for want of its other name."""
    if name != column["name"] and classify(str(column["name"])) == "other" and classify(name) != "other":
        column["name"] = name
