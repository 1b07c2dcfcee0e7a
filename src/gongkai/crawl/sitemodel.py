"""The site model, assembled from the page facts of one site: columns and their items, pages, documents,
links with their outcomes.

A crawl hands its `SiteFacts` over as it ends; `extract_archive` builds the same facts from a WARC file
with no network (`gongkai extract ARCHIVE`). Which page is the home, the 专栏, a column, a list page or a
detail page is decided here, once the whole site is known.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import fields, replace
from pathlib import Path
from urllib.parse import urlsplit

from gongkai.crawl.archive import read_archive
from gongkai.crawl.boards import collect as collect_messages
from gongkai.crawl.catalogue import read_catalogue, zhuanlan_of
from gongkai.crawl.classify import classify
from gongkai.crawl.coverage import coverage_of
from gongkai.crawl.discover import PAGER_TEXT
from gongkai.crawl.extract import NEIGHBOUR_TEXT, attribute
from gongkai.crawl.facts import PageFacts
from gongkai.crawl.gkmlpt import gkmlpt_columns, statutory_tab
from gongkai.crawl.listpages import lone_list_columns
from gongkai.crawl.resource import SKIP_EXT, ext_of, is_attachment, strip_fragment
from gongkai.crawl.roles import CONTENT_ROLES, assign_roles
from gongkai.crawl.scripttree import unread_tree
from gongkai.crawl.sitefacts import SiteFacts, home_url
from gongkai.model import Attachment, Column, Coverage, Cut, Document, Item, Link, Page, SiteModel
from gongkai.text import parse_date

_RELATED = re.compile(r"解读|原文|原件|征求意见|采纳|反馈|相关文件|政策文件")


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
    facts = SiteFacts.from_records(read_archive(path), site)
    model = build_model(facts, str(path), as_of=as_of)
    if prefixes:
        pages = tuple(replace(p, unit=attribute(p.url, prefixes) or "") for p in model.pages)
        model = replace(model, pages=pages)
    return model


def build_model(site: SiteFacts, archive_path: str, *, as_of: dt.date | None = None) -> SiteModel:
    """The site model of one site's facts; `archive_path` is the WARC file its records live in."""
    seed = site.seed
    home = home_url(seed, site.get(seed)) if seed else ""
    columns, zl_url = _columns(site, home)
    held = _list_page_urls(site, columns) | {strip_fragment(c.url) for c in columns} | {zl_url}
    columns += lone_list_columns(site, held, home, columns)  # list pages no catalogue links as a column
    home_facts = site.parsed(home)
    home_rows = [replace(it, column_url=home) for it in home_facts.home_items] if home_facts else []
    pages, documents, links = _pages(site, home, zl_url, columns)
    faults = tuple(str(f) for f in site.info.get("faults", []) or [])  # type: ignore[union-attr]
    items = tuple(home_rows) + tuple(it for c in columns for it in c.items)
    boards, messages = collect_messages(site.pages)
    return SiteModel(
        site=home or seed,
        as_of=as_of,
        pages=tuple(pages),
        columns=tuple(columns),
        items=items,
        documents=tuple(documents),
        links=tuple(links),
        partial=bool(site.info.get("partial", False)) or not site.info,
        zhuanlan_url=zl_url,
        archive=archive_path,
        errors=faults,
        coverage=_tree_cut(coverage_of(site.info, columns, pages), site, zl_url),
        messages=messages,
        boards=boards,
    )


def _tree_cut(coverage: Coverage, site: SiteFacts, zl_url: str) -> Coverage:
    """A 专栏 whose script tree (zTree) could not be read: its catalogue was not read completely."""
    zl = site.parsed(zl_url) if zl_url else None
    why = unread_tree(site, zl) if zl is not None else ""
    if not why:
        return coverage
    return replace(coverage, complete=False, cut=(*coverage.cut, Cut(f"专栏目录树 {zl_url}", why, True)))


def _pages(
    site: SiteFacts, home: str, zl_url: str, columns: list[Column]
) -> tuple[list[Page], list[Document], list[Link]]:
    """Every page with its kind, the documents among them, and every link with its outcome."""
    col_of_item: dict[str, str] = {}
    for c in columns:
        for it in c.items:
            col_of_item.setdefault(it.url, c.url)
    list_pages = _list_page_urls(site, columns)
    column_urls = {strip_fragment(c.url) for c in columns} | {zl_url}
    outcomes = _LinkOutcomes(site)
    # a related link leads to a document or a file: not to a column (the 专栏's navigation names 政策解读
    # and 征求意见 beside every document), one of its list pages, the homepage or the template's links
    not_related = _links_on_most_documents(site) | column_urls | list_pages | {home}
    pages, documents, links = [], [], []
    files: dict[str, bool] = {}  # link target -> an attachment (SiteFacts.is_attachment), asked once
    for url, f in site.pages.items():
        kind = _page_kind(url, home, column_urls, list_pages, f)
        if not f.parsed:
            pages.append(
                Page(url=url, status=f.status or 0, record=f.record, fetched_at=f.fetched_at, kind=kind)
            )
            continue
        pages.append(_page(url, f, kind))
        if kind in ("detail", "guide"):
            doc = _document(url, f, site, col_of_item.get(url, ""), not_related, files=files)
            if doc is not None:
                documents.append(doc)
        links.extend(outcomes.links_of(url, f))
    for url, (status, _error, record) in site.failures.items():
        pages.append(Page(url=url, status=status or 0, record=record, kind="error"))
    pages = assign_roles(pages, site, home, zl_url, columns)
    # a content page (a 专栏 document or an article: a heading and a date, not a calendar or a widget) is a
    # document even without a metadata block: the checks judge what it lacks (crawl.roles gives the roles)
    have = {d.url for d in documents}
    for page in pages:
        f = site.pages.get(page.url)
        if (
            f is None
            or page.url in have
            or page.role not in CONTENT_ROLES
            or page.kind not in ("detail", "guide")
        ):
            continue
        if f.heading and f.published is not None:
            doc = _document(page.url, f, site, "", not_related, content_page=True, files=files)
            documents.append(doc)  # type: ignore[arg-type]
    return pages, documents, links


# ------------------------------------------------------------------------------------ columns


def _columns(site: SiteFacts, home_url: str) -> tuple[list[Column], str]:
    home = site.parsed(home_url)
    zl_url = ""
    found: dict[str, dict[str, object]] = {}
    configured = strip_fragment(str(site.info.get("zhuanlan") or ""))  # the unit's record names it
    if configured and site.parsed(configured) is not None:
        zl_url = configured
    if home is not None:
        zl_url = zl_url or zhuanlan_of(site, home)
        for url, name, _parent, how, _sig in home.anchors:
            key = strip_fragment(url)
            target = site.parsed(key)
            if key == zl_url or target is None or len(name) > 10 or target.detail:
                continue
            if classify(name) in ("news", "notice"):
                how = "more" if how == "more" else "nav"  # the homepage's menu, drop-downs or not
                found.setdefault(key, {"name": name, "parent": "", "zl": False, "url": url, "found_by": how})
    furniture = _repeated_lists(site)
    zl = site.parsed(zl_url)
    if zl is not None:
        own = functools.partial(_own_item_urls, furniture=furniture)
        if zl.gk_tree:
            found.update(gkmlpt_columns(zl_url, zl.gk_tree, statutory_tab(zl.anchors, zl_url)))
        # a gkmlpt page's own menu (指南, 制度, 年报 beside the tree) is read as any catalogue
        for key, info in read_catalogue(site, zl_url, home_url, own).items():
            found.setdefault(key, info)  # columns the homepage links to stay outside the 专栏
    columns = []
    col_urls = set(found) | {zl_url, home_url}
    parents = {str(info["parent"]) for info in found.values()}
    for info in found.values():
        if info.get("found_by") == "anchor":
            items, placeholder, npages = _section(site, str(info["url"])), False, 1
            placeholder = not items and _section_blank(site, str(info["url"]))
        elif info.get("single"):
            items, placeholder, npages = _single_page(site, info), False, 1
        else:
            items, placeholder, npages = _column_items(site, info, furniture)
            items = [it for it in items if it.url not in col_urls]
        parent = str(info["parent"])
        if info["url"] in parents:  # a parent column previews its children's documents: theirs, not its own
            below = _listed_below(site, found, str(info["url"]), furniture)
            items = [it for it in items if it.url not in below]
        columns.append(
            Column(
                name=str(info["name"]),
                url=str(info["url"]),
                kind=classify(str(info["name"])),
                parent="" if parent == zl_url and zl_url not in found else parent,
                items=tuple(items),
                placeholder=placeholder,
                pages=npages,
                in_zhuanlan=bool(info["zl"]),
                found_by=str(info.get("found_by", "")),
                needs_render=not items and _unread_script(site, info),
            )
        )
    return columns, zl_url


def _listed_below(
    site: SiteFacts, found: dict[str, dict[str, object]], parent: str, furniture: set[ListKey]
) -> set[str]:
    """The items that the columns under `parent` list on their own pages."""
    out: set[str] = set()
    for info in found.values():
        if info["parent"] == parent and not info.get("single"):
            for url in column_list_urls(site, info):
                f = site.get(url)
                if f is not None:
                    out.update(_own_item_urls(f, furniture))
    return out


def _own_item_urls(f: PageFacts, furniture: set[ListKey]) -> list[str]:
    return [it.url for it in _own_list(f, furniture)] if f.list_items else []


def _single_page(site: SiteFacts, info: Mapping[str, object]) -> list[Item]:
    """A catalogue entry that leads straight to a document (机构职能 as one article): the column holds it."""
    url = str(info["url"])
    f = site.parsed(url)
    if f is None:
        return []
    title = f.metadata.get("标题") or f.metas.get("ArticleTitle") or f.heading or str(info["name"])
    return [Item(title=title, url=url, date=f.published, column_url=url)]


def _section(site: SiteFacts, url: str) -> list[Item]:
    """The rows of a part of a one-page 专栏 (`page#part`)."""
    page, _, frag = url.partition("#")
    f = site.parsed(page)
    return [replace(it, column_url=url) for it in (f.sections.get(frag, []) if f is not None else [])]


def _section_blank(site: SiteFacts, url: str) -> bool:
    page, _, frag = url.partition("#")
    f = site.parsed(page)
    return f is not None and frag in f.blank_sections


ListKey = tuple[str, ...]  # the item URLs of a list, in order
_FURNITURE_PAGES = 4  # a list on this many pages (three besides the column's own) is the site's furniture


def _list_key(items: list[Item]) -> ListKey:
    return tuple(it.url for it in items)


def _repeated_lists(site: SiteFacts) -> set[ListKey]:
    """Lists the site repeats on many HTML pages (最新发布, 热点信息 beside every column): not a column's own.

    A page met under several URLs (/, /index.html) counts once: pages are told apart by their lists."""
    pages: set[tuple[ListKey, ...]] = set()
    for f in site.pages.values():
        if f.list_items and f.kind == "html":  # a list API's answer (Hanweb, gkmlpt) is a column's own list
            pages.add(tuple(_list_key(rows) for rows in (f.list_items, *f.list_others)))
    counts: Counter[ListKey] = Counter(key for page in pages for key in set(page))
    return {key for key, n in counts.items() if n >= _FURNITURE_PAGES}


def _own_list(f: PageFacts, furniture: set[ListKey]) -> list[Item]:
    """The page's likeliest list that is not a repeated block. A page that carries a repeated list twice
    has it as its own list too (a column whose first page shows just what the block shows)."""
    lists = [f.list_items or [], *f.list_others]
    keys = [_list_key(rows) for rows in lists]
    for rows, key in zip(lists, keys, strict=True):
        if key not in furniture or keys.count(key) > 1:
            return rows
    return []


def _column_items(
    site: SiteFacts, info: dict[str, object], furniture: set[ListKey]
) -> tuple[list[Item], bool, int]:
    col_url = str(info["url"])
    items: list[Item] = []
    placeholder = False
    pages = 0
    for url in column_list_urls(site, info):
        f = site.get(url)
        if f is None or not f.status or f.status >= 400:
            continue
        pages += 1
        if f.list_items is None:
            continue
        items.extend(replace(it, column_url=col_url) for it in _own_list(f, furniture))
        placeholder = placeholder or f.placeholder
    seen, unique = set(), []
    for it in items:
        if it.url not in seen:
            seen.add(it.url)
            unique.append(it)
    return unique, placeholder and not unique, pages


def column_list_urls(site: SiteFacts, info: Mapping[str, object]) -> list[str]:
    """The list pages of a column in the archive: its page, then pagination found from it, transitively."""
    col_url = str(info["url"])
    if "gk" in info:
        first_page = re.compile(rf"/gkmlpt/api/all/{info['gk']}\?(.*&)?page=1(&|$)")
        start = [u for u in site.pages if first_page.search(u)]
    else:
        start = [strip_fragment(col_url)]
    out, queue, seen = [], list(start), set(start)
    base_path = urlsplit(strip_fragment(col_url)).path.rsplit("/", 1)[0]
    while queue and len(out) < 200:
        url = queue.pop(0)
        f = site.get(url)
        if f is None:
            continue
        out.append(url)
        for nxt in f.pagination:
            nxt = strip_fragment(nxt)
            path = urlsplit(nxt).path
            same_col = (
                path.rsplit("/", 1)[0] == base_path
                or "dataproxy.jsp" in path
                or "/gkmlpt/api/" in path
                or nxt in f.api  # the list API the page's script asks
                or f.kind == "json"
                and path == urlsplit(url).path  # that API's further pages
            )
            if nxt not in seen and same_col:
                seen.add(nxt)
                queue.append(nxt)
    return out


def _unread_script(site: SiteFacts, info: Mapping[str, object]) -> bool:
    """Whether a column's list is filled by script and was read neither from its API nor rendered: what
    it holds is unknown (not judged), whatever its template says (暂无数据). A gkmlpt node whose list API
    was never asked, or never answered (404 below a folder the API is not at), is unknown too."""
    if "gk" in info:
        answers = [site.get(url) for url in column_list_urls(site, info)]
        return not any(f is not None and f.status and 200 <= f.status < 300 for f in answers)
    for url in column_list_urls(site, info):
        f = site.get(url)
        if f is None or not f.scripted or f.list_items:
            continue
        answers = [site.get(api) for api in f.api]
        # its API answered with rows, or said it has none (暂无信息): the list was read
        if not any(a is not None and (a.list_items or a.placeholder) for a in answers):
            return True
    return False


def _list_page_urls(site: SiteFacts, columns: list[Column]) -> set[str]:
    out: set[str] = set()
    for c in columns:
        info: dict[str, object] = {"url": c.url}
        if "#" in c.url and "/gkmlpt/" in c.url:
            info["gk"] = c.url.rsplit("#", 1)[1]
        out.update(column_list_urls(site, info))
    return out


# -------------------------------------------------------------------------- pages and documents


def _page_kind(url: str, home: str, column_urls: set[str], list_pages: set[str], f: PageFacts) -> str:
    if url == home:
        return "home"
    if f.refresh:
        return "other"  # a page that only sends the reader on: no document, no list
    if url in column_urls:
        return "column"
    if url in list_pages:
        return "list"
    if is_attachment(url) or f.file_type:
        return "attachment"
    if not f.parsed:
        return "other"
    return "guide" if "公开指南" in f.title else "detail"


def _page(url: str, f: PageFacts, kind: str) -> Page:
    return Page(
        url=url,
        status=f.status or 0,
        title=f.title,
        text=f.text,
        meta=f.metas,
        footer=f.footer,
        record=f.record,
        fetched_at=f.fetched_at,
        kind=kind,
        encoding=f.encoding,
    )


_EVERYWHERE_MIN = 4  # documents, and at least half of them: a link in the template, not a related one


def _links_on_most_documents(site: SiteFacts) -> set[str]:
    """Targets linked from most documents of the site (热点解读, 最新政策 under every article): the page
    template's, not any one document's related links."""
    documents = [f for f in site.pages.values() if f.detail]
    counts: Counter[str] = Counter(
        target for f in documents for target in {strip_fragment(u) for u, _ in f.links}
    )
    least = max(_EVERYWHERE_MIN, len(documents) / 2)
    return {target for target, n in counts.items() if n >= least}


def _document(
    url: str,
    f: PageFacts,
    site: SiteFacts,
    column_url: str,
    not_related: set[str],
    *,
    content_page: bool = False,
    files: dict[str, bool] | None = None,
) -> Document | None:
    """The document a page holds, else None; `files` remembers which link targets are attachments
    (every document of a site links the same navigation)."""
    files = {} if files is None else files
    meta = f.metadata
    if not meta and "ArticleTitle" not in f.metas and not column_url and not content_page:
        return None
    attachments, related = [], []
    seen: set[str] = set()
    # 上一篇 / 下一篇 are neighbours in the column, not related documents; a neighbour that the page also
    # links as related (相关链接) keeps that link
    neighbours = Counter(f.neighbours)
    for target, label in f.links:
        if "#" in target:
            target = target.split("#", 1)[0]  # strip_fragment(), inlined: ~50 links a document
        if neighbours and neighbours.get(target, 0) > 0:
            neighbours[target] -= 1
            continue
        if target in seen:
            continue
        seen.add(target)
        is_file = files.get(target)
        if is_file is None:
            is_file = files[target] = site.is_attachment(target)
        if is_file:
            attachments.append(_attachment(target, label, site))
        elif (
            _RELATED.search(label)
            and not PAGER_TEXT.match(label)
            and not label.startswith(NEIGHBOUR_TEXT)
            and target not in not_related
        ):
            status, error = site.status(target)
            related.append(Link(url=target, text=label, source=url, status=status, error=error))
    return Document(
        url=url,
        title=meta.get("标题") or f.metas.get("ArticleTitle") or f.heading or f.title,
        metadata=meta,
        index_number=meta.get("索引号", ""),
        publisher=meta.get("发布机构", ""),
        created=parse_date(meta.get("成文日期", "")),
        published=f.published,
        doc_number=meta.get("文号", ""),
        validity=meta.get("有效性", ""),
        keywords=meta.get("主题词", ""),
        category=meta.get("信息分类", "") or meta.get("主题分类", ""),
        body=f.content,
        attachments=tuple(attachments),
        related=tuple(related),
        column_url=column_url,
        record=f.record,
    )


def _attachment(url: str, label: str, site: SiteFacts) -> Attachment:
    f = site.get(url)
    status, _error = site.status(url)
    readable = f is not None and bool(status) and status < 400  # type: ignore[operator]
    return Attachment(
        url=url,
        name=label,
        kind=f.file_type if f is not None and f.file_type else ext_of(url),
        status=status,
        text=f.attachment_text if readable and f is not None else "",
        record=f.record if f is not None else "",
    )


class _LinkOutcomes:
    """Every link of a page with what answered at its target; a target's outcome is worked out once
    (navigation links repeat on every page of a site)."""

    def __init__(self, site: SiteFacts) -> None:
        self.site = site
        self._known: dict[str, tuple[int | None, str, bool] | None] = {}

    def _outcome(self, url: str) -> tuple[int | None, str, bool] | None:
        """(status, error, is attachment) of a target; None for links not followed (images, styles)."""
        if url in self._known:
            return self._known[url]
        outcome = None
        if ext_of(url) not in SKIP_EXT:
            status, error = self.site.status(url)
            f = self.site.get(url)
            if f is not None and status == 200 and not error and f.soft404:
                error = "soft404"
            outcome = (status, error, self.site.is_attachment(url))
        self._known[url] = outcome
        return outcome

    def links_of(self, source: str, f: PageFacts) -> list[Link]:
        out, seen = [], set()
        known = self._known
        for url, label in f.links:
            if "#" in url:
                url = url.split("#", 1)[0]  # strip_fragment(), inlined: every link of every page
            if url in seen:
                continue
            seen.add(url)
            outcome = known[url] if url in known else self._outcome(url)
            if outcome is None:
                continue
            status, error, attached = outcome
            out.append(make_link(url, label, source, status, error, attached))
        return out


_LINK_FIELDS = ("url", "text", "source", "status", "error", "is_attachment")
if tuple(f.name for f in fields(Link)) != _LINK_FIELDS or hasattr(Link, "__post_init__"):
    # make_link must build what Link() builds
    raise RuntimeError("model.Link changed: update sitemodel.make_link")


def make_link(url: str, text: str, source: str, status: int | None, error: str, is_attachment: bool) -> Link:
    """Link(url, text, source, status, error, is_attachment), without the frozen dataclass's __init__,
    which sets each field through object.__setattr__: ~0.6 µs of the ~1 µs a link costs, at ~50 links
    a page. The same fields in the same order, so equality, hashing and pickling are Link()'s."""
    link = _new(Link)
    link.__dict__.update(
        url=url, text=text, source=source, status=status, error=error, is_attachment=is_attachment
    )
    return link


_new = object.__new__
