"""Shared data objects of the domain core: the site model, findings and problems.

Standard library only. The crawler builds a `SiteModel`, checks read it and return `Finding`s,
the scorer reads findings. Extend a class only with optional fields (with defaults) so that
archives, fixtures and other modules keep working.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from gongkai.monitor.rule import ProbeHistory


class Verdict(str, enum.Enum):
    """The four verdicts of a check (contracts.md)."""

    PASS = "PASS"
    FAIL = "FAIL"
    UNCERTAIN = "UNCERTAIN"
    NOT_ASSESSABLE = "NOT_ASSESSABLE"


@dataclass(frozen=True)
class Evidence:
    """Where a finding can be seen: a URL, a short snippet and the WARC record id."""

    url: str
    snippet: str = ""
    record: str = ""

    def as_dict(self) -> dict[str, str]:
        return {"url": self.url, "snippet": self.snippet, "record": self.record}


@dataclass(frozen=True)
class Link:
    """A link found on a page, with the HTTP outcome once it has been fetched or probed."""

    url: str
    text: str = ""
    source: str = ""  # URL of the page holding the link
    status: int | None = None  # HTTP status; None when not fetched
    error: str = ""  # "timeout", "dns", "reset", "soft404", ... when it failed
    is_attachment: bool = False


@dataclass(frozen=True)
class Attachment:
    """A file linked from a detail page (PDF, DOC/DOCX, XLS/XLSX ...) with its extracted text."""

    url: str
    name: str = ""
    kind: str = ""  # pdf, doc, docx, xls, xlsx, zip, ...
    status: int | None = None
    text: str = ""
    record: str = ""


@dataclass(frozen=True)
class Page:
    """One fetched page: the unit of evidence. `text` is the visible text, already decoded."""

    url: str
    status: int
    title: str = ""
    text: str = ""
    meta: dict[str, str] = field(
        default_factory=dict
    )  # <meta name=...> tags: SiteIDCode, ArticleTitle, PubDate
    footer: str = ""
    record: str = ""  # WARC-Record-ID of the response
    fetched_at: dt.datetime | None = None
    kind: str = "other"  # home, column, list, detail, guide, attachment, other
    encoding: str = ""
    unit: str = ""  # unit attributed by URL prefix, when known
    role: str = ""  # home, catalogue, list, zhuanlan_document, article, service, ... (crawl.roles)


@dataclass(frozen=True)
class Item:
    """A row of a column's list: title, URL and the date shown on the list."""

    title: str
    url: str
    date: dt.date | None = None
    column_url: str = ""
    pinned: bool = False


@dataclass(frozen=True)
class Column:
    """A column (栏目) of the site or of the 政府信息公开专栏."""

    name: str
    url: str
    kind: str = "other"  # news, notice, policy, personnel, plan, guide, annual_report, budget, ... (see crawl.classify)
    parent: str = ""  # URL of the parent column; "" for a top-level column
    items: tuple[Item, ...] = ()
    placeholder: bool = False  # the list shows only 暂无信息 or the like
    pages: int = 0  # list pages read
    in_zhuanlan: bool = False  # lies inside the 政府信息公开专栏
    # how the catalogue led to it: nav, left_tree, tab, subcatalogue, more, gkmlpt, hanweb_col (crawl.catalogue)
    found_by: str = ""
    # its list is filled by script and could not be read (no API found, no browser): not judged
    needs_render: bool = False


@dataclass(frozen=True)
class Document:
    """A detail page of a disclosed item with its metadata table (索引号, 发布机构, ...)."""

    url: str
    title: str = ""
    metadata: dict[str, str] = field(
        default_factory=dict
    )  # canonical keys: see crawl.extract.METADATA_FIELDS
    index_number: str = ""  # 索引号
    publisher: str = ""  # 发布机构
    created: dt.date | None = None  # 生成日期 / 成文日期
    published: dt.date | None = None  # 发布日期
    doc_number: str = ""  # 文号
    validity: str = ""  # 有效 / 失效 / 废止 / ""
    keywords: str = ""  # 主题词
    category: str = ""  # 信息分类 / 主题分类
    body: str = ""
    attachments: tuple[Attachment, ...] = ()
    related: tuple[Link, ...] = ()  # links to 解读, 原文, 征求意见 feedback ...
    column_url: str = ""
    record: str = ""


@dataclass(frozen=True)
class Message:
    """One 留言 (a letter to a 留言/咨询/信箱/投诉 board) as its pages show it publicly (crawl.interaction).

    Only what an evaluator needs is kept: never the asker's name or contact details. `answered` is the
    reply date the page shows; `replied` says whether the page shows a reply at all (a reply text, or a
    state such as 已回复) even when its date is missing; `state` is the state as written (已办结, 待回复,
    已撤回 ...)."""

    url: str  # the message's own page, else the list page that shows it
    title: str = ""
    board: str = ""  # name of the board (留言 column) it was read from
    board_url: str = ""
    asked: dt.date | None = None
    answered: dt.date | None = None
    replied: bool | None = None  # None: the page does not say
    state: str = ""
    source: str = ""  # list | detail | api: where its dates were read
    record: str = ""  # WARC record of the page they were read from
    year_shown: bool = True  # False when a date was shown without its year (MM-DD): not reliable
    doubt: str = ""  # why its dates cannot be taken at their word (the list and its page disagree), Chinese


@dataclass(frozen=True)
class Board:
    """A 留言/咨询/信箱/投诉 board found on the site and how it was read."""

    name: str
    url: str
    messages: int = 0  # messages read from it
    sample: bool = False  # it publishes only selected letters (选登, 精选): absences prove nothing


@dataclass(frozen=True)
class Cut:
    """Something the crawl did not read, and why (Chinese). `catalogue`: it was (or may have been) part of
    the catalogue (homepage, 专栏, a column page or a column's first list page), so an absence in the
    catalogue is not proven."""

    what: str
    why: str
    catalogue: bool = False
    lost: bool = True  # content may be lost; False for a spider trap cut off (a calendar's endless months)

    def as_dict(self) -> dict[str, str]:
        return {"what": self.what, "why": self.why}


@dataclass(frozen=True)
class Coverage:
    """How much of a site the crawl read: complete only when nothing that may hold content was cut (failed
    pages, a stopped host, a spent budget, cut pagination, query variants over the limit, robots.txt
    unavailable). Spider traps cut off (calendars, repeated paths) are listed but lose nothing."""

    complete: bool = True
    columns: int = 0  # columns found
    list_pages: int = 0  # list pages read over all columns
    rendered: int = 0  # pages rendered by a browser
    budget_used: float = 0.0  # share of the page (or time) budget spent, 0.0-1.0
    cut: tuple[Cut, ...] = ()
    read: int = 0  # usable pages read (answered 2xx/3xx, not a block)

    @property
    def catalogue_complete(self) -> bool:
        """Whether every page of the catalogue was read (an absence in it is then proven)."""
        return self.read > 0 and not any(c.catalogue for c in self.cut)

    def unread_catalogue(self, limit: int = 3) -> str:
        """What of the catalogue was not read, in Chinese (for messages)."""
        cuts = [c for c in self.cut if c.catalogue]
        if not cuts and self.read == 0:
            return "未读到任何页面"
        text = "；".join(f"{c.what}（{c.why}）" for c in cuts[:limit])
        return text + (f" 等 {len(cuts)} 处" if len(cuts) > limit else "")

    def as_dict(self) -> dict[str, object]:
        return {
            "complete": self.complete,
            "columns": self.columns,
            "list_pages": self.list_pages,
            "rendered": self.rendered,
            "budget_used": round(self.budget_used, 4),
            "cut": [c.as_dict() for c in self.cut],
        }


@dataclass(frozen=True)
class SiteModel:
    """Everything the checks read about one site, as of one crawl."""

    site: str  # root URL
    as_of: dt.date | None = None
    pages: tuple[Page, ...] = ()
    columns: tuple[Column, ...] = ()
    items: tuple[Item, ...] = ()
    documents: tuple[Document, ...] = ()
    links: tuple[Link, ...] = ()
    partial: bool = False  # the crawl stopped early (403/429/captcha, budget)
    zhuanlan_url: str = ""  # the 政府信息公开专栏 root, when found
    archive: str = ""  # path of the WARC file the model was extracted from
    errors: tuple[str, ...] = ()  # faults met while crawling, in Chinese
    coverage: Coverage | None = None  # what the crawl read and what it cut; None for a hand-made model
    messages: tuple[Message, ...] = ()  # 留言 read from the site's boards (crawl.interaction)
    boards: tuple[Board, ...] = ()
    probes: ProbeHistory | None = None  # scheduled availability probes (gongkai.monitor), when monitored


@dataclass(frozen=True)
class Finding:
    """One verdict of one check on one subject, with its evidence."""

    check: str
    verdict: Verdict
    subject: str = ""
    message: str = ""
    evidence: tuple[Evidence, ...] = ()
    item: str = ""  # framework item path, filled by the scorer

    def __post_init__(self) -> None:
        # Every point is traceable: a FAIL with no evidence is not a FAIL.
        if self.verdict is Verdict.FAIL and not self.evidence:
            object.__setattr__(self, "verdict", Verdict.UNCERTAIN)

    def as_dict(self) -> dict[str, object]:
        return {
            "check": self.check,
            "verdict": self.verdict.value,
            "item": self.item,
            "subject": self.subject,
            "message": self.message,
            "evidence": [e.as_dict() for e in self.evidence],
        }


@dataclass(frozen=True)
class Problem:
    """A problem found in a document (annual report rules): rule id, severity, Chinese message, location."""

    rule: str
    severity: str  # "error" | "warning"
    message: str
    where: str = ""

    def as_dict(self) -> dict[str, str]:
        return {"rule": self.rule, "severity": self.severity, "message": self.message, "where": self.where}
