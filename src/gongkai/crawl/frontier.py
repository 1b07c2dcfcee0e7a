"""The crawl frontier's order and what it leaves out: catalogue before details, pagination told from traps,
every cut recorded with what and why.

Order (`rank`): the homepage and 专栏 (HUB) first, then the catalogue (CATALOGUE: navigation links of the
homepage, the 专栏 and column pages, which are a column's first list page), then pagination (LIST, page 2 of
every column before page 3 of any), then details (DETAIL: list items and whatever a detail page links to).
A budget that runs out therefore cuts details, not columns.

The trap guard counts query variants of a path without the pagination parameters a CMS's list endpoint
takes (大汉 dataproxy.jsp startrecord/endrecord/perpage, page/pageNo/curpage ...): a list endpoint serving
many columns is no calendar. Its pages are capped per list (`max_list_pages`) instead, and that cut is
recorded. Cuts (`CutLedger`) are kept compact: failures one by one up to a limit, the rest counted.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode

from gongkai.model import Cut

HUB, CATALOGUE, LIST, DETAIL = 0, 1, 2, 3
RANK_NAMES = {HUB: "首页或专栏", CATALOGUE: "栏目或目录页", LIST: "列表分页", DETAIL: "详情页或附件"}

# query parameters that only turn the pages of one list (lower case; values must be numbers)
PAGE_PARAMS = frozenset(
    {
        "page", "pageno", "page_no", "pagenum", "pagenumber", "pageindex", "pageidx", "curpage",
        "currpage", "currentpage", "cpage", "pn", "startrecord", "endrecord", "perpage", "pagesize",
        "page_size", "start", "offset", "limit", "rows",
    }
)  # fmt: skip
_PAGE_IN_PATH = re.compile(r"(?:index|list|default|more|page)[_-](\d+)\.s?html?$", re.I)
_DATEISH = re.compile(r"\d{4}-\d{1,2}|\d{8}")
CALENDAR_VARIANTS = 3  # a calendar's few months are evidence enough
_TITLE_CHARS = 13  # a link text this long is a document's title, not a column's name


def split_query(query: str) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(pagination parameters, the others) of a query string."""
    pages, rest = [], []
    for k, v in parse_qsl(query, keep_blank_values=True):
        (pages if k.lower() in PAGE_PARAMS and v.strip().isdigit() else rest).append((k, v))
    return pages, rest


def page_number(path: str, query: str) -> int:
    """The page of a list a URL asks for (1 when it does not say)."""
    pages, _ = split_query(query)
    values = {k.lower(): int(v) for k, v in pages}
    if "startrecord" in values:
        per = values.get("perpage") or 15
        return max(1, values["startrecord"] // max(per * 3, 1) + 1)  # 大汉 asks three screens at once
    for key in ("page", "pageno", "page_no", "pagenum", "pagenumber", "pageindex", "curpage", "cpage", "pn"):
        if key in values:
            return max(1, values[key])
    m = _PAGE_IN_PATH.search(path)
    return int(m.group(1)) + 1 if m else 1


def link_rank(source_rank: int, text: str, *, item: bool, detail_page: bool) -> int:
    """The rank of a link one hop from a page of `source_rank`: what a detail page links to is detail;
    a list's rows are details; a short navigation text on a catalogue page names a column."""
    if detail_page or source_rank == DETAIL or item:
        return DETAIL
    return DETAIL if len(text.strip()) >= _TITLE_CHARS else CATALOGUE


def priority(rank: int, depth: int, page: int, seq: int) -> tuple[int, int, int]:
    """The queue key: rank first; pagination by page number (every column's page 2 before any page 3),
    the rest by depth (breadth first); `seq` keeps discovery order."""
    return (rank, page if rank == LIST else depth, seq)


@dataclass
class TrapGuard:
    """Spider-trap guard state: query variants per path, pages per list."""

    max_query_variants: int = 30
    max_list_pages: int = 50
    query_variants: dict[str, int] = field(default_factory=dict)
    list_pages: dict[str, int] = field(default_factory=dict)

    def check(self, url: str, path: str, query: str) -> tuple[str, bool]:
        """('', False) when the URL may be queued, else why it is cut (Chinese) and whether content may
        be lost with it (a list's later pages, a path's many variants) or only a trap's endless pages."""
        if len(url) > 400 or path.count("/") > 14:
            return "网址过长或层级过深，疑似爬虫陷阱", False
        segs = [s for s in path.split("/") if s]
        if len(segs) >= 4 and len(set(segs)) <= len(segs) // 2:
            return "路径重复，疑似爬虫陷阱", False
        if not query:
            return "", False
        pages, rest = split_query(query)
        if pages:  # a list endpoint: its pages are capped per list, its lists are not variants
            key = path + "?" + urlencode(sorted(rest))
            n = self.list_pages[key] = self.list_pages.get(key, 0) + 1
            if n > self.max_list_pages:
                return f"同一列表的分页超过上限 {self.max_list_pages} 页", True
            return "", False
        n = self.query_variants[path] = self.query_variants.get(path, 0) + 1
        if _DATEISH.search(query) and n > CALENDAR_VARIANTS:
            return f"同一路径带日期参数的变体超过 {CALENDAR_VARIANTS} 个，疑似日历陷阱", False
        if n > self.max_query_variants:
            return f"同一路径的查询变体超过上限 {self.max_query_variants} 个", True
        return "", False


_FAILURES_LISTED = 100  # failed pages named one by one; the rest are counted


@dataclass
class CutLedger:
    """What the crawl did not read, and why: failed pages, pages left when the host stopped or the budget
    ran out, trap-guard and pagination cuts."""

    failures: list[Cut] = field(default_factory=list)
    more_failures: Counter[bool] = field(default_factory=Counter)  # catalogue? -> failed pages not listed
    skipped: dict[str, Counter[int]] = field(default_factory=dict)  # why -> rank -> pages left unread
    examples: dict[str, str] = field(default_factory=dict)  # why -> one URL left unread (a catalogue one)
    guarded: dict[tuple[str, str, bool], int] = field(default_factory=dict)  # (path, why, lost) -> URLs
    notes: list[Cut] = field(default_factory=list)  # whole-site cuts (robots.txt unavailable ...)

    def __bool__(self) -> bool:
        return bool(self.failures or self.more_failures or self.skipped or self.guarded or self.notes)

    def losses(self) -> list[Cut]:
        """The cuts that may have lost content (a trap cut off loses nothing)."""
        return [c for c in self.cuts() if c.lost]

    def failed(self, url: str, why: str, rank: int) -> None:
        catalogue = rank <= LIST
        if len(self.failures) < _FAILURES_LISTED:
            self.failures.append(Cut(url, why, catalogue))
        else:
            self.more_failures[catalogue] += 1

    def skip(self, url: str, why: str, rank: int) -> None:
        counts = self.skipped.setdefault(why, Counter())
        counts[rank] += 1
        if rank <= LIST and why not in self.examples:
            self.examples[why] = url

    def guard(self, path: str, why: str, *, lost: bool) -> None:
        key = (path, why, lost)
        self.guarded[key] = self.guarded.get(key, 0) + 1

    def note(self, what: str, why: str, *, catalogue: bool = True) -> None:
        self.notes.append(Cut(what, why, catalogue))

    def cuts(self) -> list[Cut]:
        out = list(self.notes) + list(self.failures)
        for catalogue, n in sorted(self.more_failures.items()):
            out.append(Cut(f"另有 {n} 个页面", "请求失败（超时、连接重置或服务器错误）", catalogue))
        for why, counts in self.skipped.items():
            total = sum(counts.values())
            parts = "，".join(f"{RANK_NAMES[r]} {n} 个" for r, n in sorted(counts.items()))
            example = f"，如 {self.examples[why]}" if why in self.examples else ""
            catalogue = any(r <= LIST for r in counts)
            out.append(Cut(f"未抓取的 {total} 个页面（{parts}{example}）", why, catalogue))
        for (path, why, lost), n in self.guarded.items():
            out.append(Cut(f"{path} 的 {n} 个网址", why + "，未抓取", False, lost))
        return out

    @staticmethod
    def as_records(cuts: list[Cut]) -> list[dict[str, object]]:
        """The cuts as the crawl summary keeps them (with the catalogue flag the JSON contract leaves out)."""
        return [{"what": c.what, "why": c.why, "catalogue": c.catalogue, "lost": c.lost} for c in cuts]
