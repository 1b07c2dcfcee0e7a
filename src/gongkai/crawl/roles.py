"""Page roles: what each page of the site model is to an evaluator, decided once the whole site is known.

Roles (``Page.role``): ``home``; ``catalogue`` (the 专栏's root and the column pages that only lead to
sub-columns); ``list`` (a column's list pages, its pagination, the data feeds behind them, and pages that
read as lists); ``zhuanlan_document`` (a disclosed item of the 专栏: listed in one of its columns, under its
path, or carrying a 索引号); ``article`` (a content page outside the 专栏: news, notices); ``service``
(联系我们, 网站地图, 无障碍, 搜索, 留言 ...: names and paths in ``frameworks/data/vocab/roles.yaml``);
``attachment``; ``other`` (redirecting pages, failures, anything else).

Checks declare the roles they judge (``@check(..., roles=...)``) and the runner filters pages for them.
Roles come only from the archived responses and the site model built from them, so a live crawl and
``extract_archive`` give the same roles.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from gongkai.crawl.classify import is_zhuanlan_name
from gongkai.crawl.facts import PageFacts
from gongkai.crawl.listpages import reads_as_list
from gongkai.crawl.resource import strip_fragment
from gongkai.frameworks.catalogue import ServiceVocabulary, normalise, service_vocabulary
from gongkai.model import Column, Page

if TYPE_CHECKING:
    from gongkai.crawl.sitefacts import SiteFacts

ROLE_NAMES = (
    "home",
    "catalogue",
    "list",
    "zhuanlan_document",
    "article",
    "service",
    "attachment",
    "other",
)
CONTENT_ROLES = frozenset({"zhuanlan_document", "article"})  # content pages: documents even without metadata
_TITLE_SEPARATORS = str.maketrans({c: "|" for c in "-_|｜—–·:：>»"})
_LIST_ROWS = 8  # rows that make a page with no article metadata a list page (a related-news box has fewer)


def assign_roles(
    pages: Sequence[Page], site: SiteFacts, home: str, zl_url: str, columns: Sequence[Column]
) -> list[Page]:
    """``pages`` with their roles; ``home`` and ``zl_url`` are the homepage and 专栏 root URLs."""
    vocab = service_vocabulary()
    ctx = _Context(
        site=site,
        home=strip_fragment(home),
        zl_url=strip_fragment(zl_url),
        zl_prefix=_zhuanlan_prefix(zl_url, home),
        zl_items={strip_fragment(it.url) for c in columns if _holds_disclosures(c) for it in c.items},
        outside_items={
            strip_fragment(it.url) for c in columns if not _holds_disclosures(c) for it in c.items
        },
        containers={strip_fragment(c.parent) for c in columns if c.parent} | {strip_fragment(zl_url)},
        column_urls={strip_fragment(c.url) for c in columns},
        service_links=_service_targets(site, (home, zl_url), vocab),
        vocab=vocab,
    )
    return [replace(p, role=_role(p, ctx)) for p in pages]


@dataclass(frozen=True)
class _Context:
    site: SiteFacts
    home: str
    zl_url: str
    zl_prefix: str
    zl_items: set[str]
    outside_items: set[str]
    containers: set[str]
    column_urls: set[str]
    service_links: set[str]
    vocab: ServiceVocabulary


def _role(page: Page, ctx: _Context) -> str:
    url = strip_fragment(page.url)
    if url == ctx.home or _root_page(url, ctx.home):
        return "home"
    if page.kind == "attachment":
        return "attachment"
    f = ctx.site.get(url)
    if page.kind == "error" or not page.status or not 200 <= page.status < 400:
        return "other"
    if f is None or not f.parsed:
        return "list" if page.kind in ("list", "column") else "other"
    if _is_service(page, url, f, ctx):
        return "service"
    if page.kind == "column":
        if url in ctx.containers or _leads_to_lists(f, ctx):
            return "catalogue"
        if not (f.detail and not f.list_items):
            return "list"
    elif page.kind != "list" and page.kind != "other" and _catalogue_shaped(f):
        return "catalogue"
    elif page.kind == "list" or (page.kind != "other" and (_reads_as_list(f) or _column_tagged(f))):
        return "list"
    if page.kind not in ("detail", "guide", "column"):
        return "other"
    return "zhuanlan_document" if _in_zhuanlan(url, f, ctx) else "article"


def _holds_disclosures(column: Column) -> bool:
    """A 专栏 column other than news (政务动态 under 政务公开 is news, whatever the path)."""
    return column.in_zhuanlan and column.kind != "news"


def _in_zhuanlan(url: str, f: PageFacts, ctx: _Context) -> bool:
    """Listed in a 专栏 column or carrying a 索引号 (a disclosed item's metadata); else under the 专栏's
    path, unless a column outside the 专栏 (or a news column) lists it."""
    if url in ctx.zl_items or _has_index_number(f):
        return True
    if url not in ctx.outside_items and _crumbs_name_zhuanlan(url, f, ctx.vocab):
        return True
    return bool(ctx.zl_prefix) and url.startswith(ctx.zl_prefix) and url not in ctx.outside_items


def ancestor_links(url: str, links: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """The page's breadcrumb as far as URLs show it: (url, text) of the links to a directory above the
    page on its host (not the site root), nearest first."""
    netloc, directory, _ = _where(url)
    out: dict[str, tuple[int, str, str]] = {}
    for target, text in links:
        host, path, is_directory = _where(target)
        if host != netloc or path == "/" or not text.strip():
            continue
        if is_directory and directory.startswith(path) and path not in out:
            out[path] = (len(path), target, text.strip())
    return [(t, x) for _n, t, x in sorted(out.values(), reverse=True)]


@functools.lru_cache(maxsize=65_536)  # a site's navigation links repeat on every page
def _where(url: str) -> tuple[str, str, bool]:
    """(host, directory, whether the URL names a directory or its index page) of a URL."""
    parts = urlsplit(strip_fragment(url))
    path = parts.path if parts.path.endswith("/") else parts.path.rsplit("/", 1)[0] + "/"
    is_directory = parts.path.endswith("/") or parts.path.rsplit("/", 1)[-1].startswith("index")
    return parts.netloc.lower(), path, is_directory


def _crumbs_name_zhuanlan(url: str, f: PageFacts, vocab: ServiceVocabulary) -> bool:
    """A detail page whose breadcrumb passes through the 专栏 (政府信息公开 → 法定主动公开内容 → ...)."""
    return bool(vocab.crumbs) and any(
        normalise(text).lower() in vocab.crumbs for _u, text in ancestor_links(url, f.links)
    )


def _has_index_number(f: PageFacts) -> bool:
    value = f.metadata.get("索引号", "")
    return any(c.isdigit() for c in value) and not _header_row(f)


def _header_row(f: PageFacts) -> bool:
    """Metadata read from a list table's header (名称 | 索引号 | 发布机构 | 发布日期): its values are labels."""
    return sum(v in f.metadata for v in f.metadata.values()) >= 2


def _zhuanlan_prefix(zl_url: str, home: str) -> str:
    """The 专栏's directory (http://host/zfxxgk/), '' when it is the site's root (then it says nothing)."""
    if not zl_url:
        return ""
    parts = urlsplit(strip_fragment(zl_url))
    directory = parts.path.rsplit("/", 1)[0] + "/"
    home_host = urlsplit(home).netloc.lower() if home else ""
    if directory == "/" and parts.netloc.lower() == home_host:
        return ""
    return f"{parts.scheme}://{parts.netloc}{directory}"


def _reads_as_list(f: PageFacts) -> bool:
    """A page with no article of its own whose main content is a list of rows (a column nobody linked as
    one): paginated, or many rows. A list table's header read as metadata does not make it an article."""
    if not f.list_items or "ArticleTitle" in f.metas or (f.detail and not _header_row(f)):
        return False
    return bool(f.pagination) or len(f.list_items) >= _LIST_ROWS or reads_as_list(f)


def _column_tagged(f: PageFacts) -> bool:
    """A page the CMS tags as a column's (ColumnName/ColumnType, no ArticleTitle) with no article of its
    own (no metadata block, no date): a column page whose list is loaded apart (an iframe, a script)."""
    return "ColumnName" in f.metas and "ArticleTitle" not in f.metas and not f.detail and f.published is None


def _catalogue_shaped(f: PageFacts) -> bool:
    """A page of the catalogue met alone (no catalogue page linked it): no article of its own, and it
    names the 专栏 as its heading or column (政府信息公开专栏), or its rows are mostly undated links to
    directories (各部门信息公开指南: /gszbm/auto23692/)."""
    if "ArticleTitle" in f.metas or f.published is not None or (f.detail and not _header_row(f)):
        return False
    if is_zhuanlan_name(f.heading) or is_zhuanlan_name(f.metas.get("ColumnName", "")):
        return True
    rows = f.list_items or []
    if len(rows) < _LIST_ROWS or sum(1 for it in rows if it.date) * 2 >= len(rows):
        return False
    directories = sum(1 for it in rows if _is_directory(it.url))
    return directories * 2 > len(rows)


def _is_directory(url: str) -> bool:
    last = urlsplit(url).path.rsplit("/", 1)[-1].lower()
    return not last or last.startswith("index.")


def _leads_to_lists(f: PageFacts, ctx: _Context) -> bool:
    """A column page whose rows are mostly other columns or list pages (重点领域信息公开 listing its
    areas): a page of the catalogue, not a list of items."""
    rows = f.list_items or []
    if len(rows) < 2:
        return False
    lists = 0
    for row in rows:
        target = strip_fragment(row.url)
        facts = ctx.site.get(target)
        if target in ctx.column_urls or (facts is not None and facts.parsed and _reads_as_list(facts)):
            lists += 1
    return lists * 2 >= len(rows)


def _is_service(page: Page, url: str, f: PageFacts, ctx: _Context) -> bool:
    if _has_index_number(f) or url in ctx.zl_items:
        return False  # a disclosed item, whatever its title
    if url in ctx.service_links:
        return True
    names = [*f.title.translate(_TITLE_SEPARATORS).split("|"), f.heading]
    if any(ctx.vocab.is_service_name(n) for n in names):
        return True
    if page.kind in ("column", "list"):
        return False
    if _query_page(f):
        return True
    segments = [s.rsplit(".", 1)[0].lower() for s in urlsplit(url).path.split("/") if s]
    return any(s in ctx.vocab.paths for s in segments)


_ROOT_PAGES = re.compile(r"^/(?:index|default|main|home|portal)\.(?:s?html?|jhtml|aspx?|jsp|php|do)$", re.I)
_QUERY = re.compile(r"查询|检索")


def _root_page(url: str, home: str) -> bool:
    """The site's root index page under another name (/index.html beside /): the homepage."""
    page, root = urlsplit(url), urlsplit(home)
    return bool(home) and page.netloc.lower() == root.netloc.lower() and bool(_ROOT_PAGES.match(page.path))


def _query_page(f: PageFacts) -> bool:
    """A query system's page (金融许可证信息查询, 处罚信息 查询详细页): no article of its own (no heading, no
    date, no ArticleTitle, no 索引号) and no dated rows, and it holds a query form, its title names a query
    or its text speaks of the system (本系统)."""
    if f.heading or f.published is not None or "ArticleTitle" in f.metas or _has_index_number(f):
        return False
    if any(it.date for it in f.list_items or []):
        return False
    names = f.title.translate(_TITLE_SEPARATORS).split("|")
    return f.query_form or any(_QUERY.search(n) for n in names) or "本系统" in f.text


def _service_targets(site: SiteFacts, sources: Iterable[str], vocab: ServiceVocabulary) -> set[str]:
    """Pages the homepage or the 专栏 root links under a service name (联系我们, 网站地图 ...)."""
    out: set[str] = set()
    for source in sources:
        f = site.parsed(source) if source else None
        if f is None:
            continue
        out.update(strip_fragment(u) for u, label in f.links if vocab.is_service_name(label))
    return out
