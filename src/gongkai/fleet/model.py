"""The fleet's site model: columns, items, defects, built site data, and the URL paths of each CMS.

Paths are site-relative ("/zfxxgk/index.html"); the server gives each site its own loopback port.
Every other fleet module imports these names from here; nothing here imports another fleet module
except for type checking, so imports run one way.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from gongkai.fleet.generate import FleetSite
    from gongkai.fleet.liuyan import BoardData

CMS_STYLES = ("trs", "hanweb", "gkmlpt")

# Column catalogue: key, name, kind, inside the 专栏, parent key, URL slug.
COLUMNS = [
    ("news", "动态要闻", "news", False, "", "xwzx/zwyw"),
    ("notice", "通知公告", "notice", False, "", "xwzx/tzgg"),
    ("guide", "政府信息公开指南", "guide", True, "", "zfxxgk/zfxxgkzn"),
    ("system", "政府信息公开制度", "system", True, "", "zfxxgk/zfxxgkzd"),
    ("statutory", "法定主动公开内容", "statutory", True, "", "zfxxgk/fdzdgknr"),
    ("policy", "政策文件", "policy", True, "statutory", "zfxxgk/fdzdgknr/zcwj"),
    ("normative", "规范性文件", "normative", True, "statutory", "zfxxgk/fdzdgknr/gfxwj"),
    ("interpretation", "政策解读", "interpretation", True, "statutory", "zfxxgk/fdzdgknr/zcjd"),
    ("personnel", "人事信息", "personnel", True, "statutory", "zfxxgk/fdzdgknr/rsxx"),
    ("plan", "规划计划", "plan", True, "statutory", "zfxxgk/fdzdgknr/ghjh"),
    ("budget", "财政预决算", "budget", True, "statutory", "zfxxgk/fdzdgknr/czyjs"),
    ("consultation", "征求意见", "consultation", True, "statutory", "zfxxgk/fdzdgknr/zqyj"),
    ("stats", "统计信息", "stats", True, "statutory", "zfxxgk/fdzdgknr/tjxx"),
    ("annual_report", "政府信息公开年报", "annual_report", True, "", "zfxxgk/zfxxgknb"),
]
PAGE_SIZE = 15
KEY_AREA = "zdly"  # 重点领域信息公开 (fleet/layouts.py): a sub-catalogue of the areas, only navigation
HANWEB_DOWNLOAD = "/module/download/downfile.jsp"


@dataclass
class FItem:
    """One item of a column: its list row and its detail page."""

    id: int
    title: str
    published: dt.date
    path: str = ""
    created: dt.date | None = None
    list_date: bool = True
    pinned: bool = False
    meta: dict[str, str] = field(default_factory=dict)
    body: list[str] = field(default_factory=list)
    html: str = ""  # extra HTML (tables) after the body
    attachments: list[tuple[str, str]] = field(default_factory=list)  # (name, path)
    related: list[tuple[str, str]] = field(default_factory=list)  # (text, path)
    links: list[tuple[str, str]] = field(default_factory=list)  # other in-body links (text, path)
    kind: str = "article"
    path_date: dt.date | None = None  # date used in the URL; stays put when a defect shifts dates

    def __post_init__(self) -> None:
        if self.path_date is None:
            self.path_date = self.published


@dataclass
class FColumn:
    """A column of the generated site."""

    key: str
    name: str
    kind: str
    in_zhuanlan: bool
    parent: str
    slug: str
    colid: int
    paging: str  # trs | hanweb | gkmlpt | page | none (parent column: only navigation)
    items: list[FItem] = field(default_factory=list)
    placeholder: bool = False
    path: str = ""  # URL of the column's first list page


@dataclass
class Defect:
    """One injected defect: check id, subject and page (site-relative paths until served)."""

    check: str
    subject: str
    url: str
    key: str = ""  # defects sharing a key are fixed together (homepage.stale also stales 动态要闻)

    def as_dict(self) -> dict[str, str]:
        return {"check": self.check, "subject": self.subject, "url": self.url, "key": self.key}


def defect_from_dict(d: dict[str, str]) -> Defect:
    """A defect from its `Defect.as_dict` form (fleet.json)."""
    return Defect(d["check"], d["subject"], d["url"], d.get("key", ""))


@dataclass
class SiteData:
    """The built content of a site: columns, items by path, files by path, identity."""

    columns: list[FColumn]
    files: dict[str, tuple[str, tuple]]  # path -> (kind, args) rendered lazily
    identity: dict[str, str]
    site_meta: bool = True
    encoding: str = "utf-8"
    charset_in_header: bool = True
    missing: set[str] = field(default_factory=set)  # column keys removed by column.missing
    board: BoardData | None = None  # the 留言 board (fleet/liuyan.py)


# ------------------------------------------------------------------------------------------- paths


def article_path(col: FColumn, item: FItem, cms: str) -> str:
    """The URL of an item's detail page, in the form of its column's CMS."""
    d = item.path_date or item.published
    if col.paging == "hanweb":
        return f"/art/{d.year}/{d.month}/{d.day}/art_{col.colid}_{item.id}.html"
    if col.paging == "gkmlpt":
        return f"/gkmlpt/content/{item.id // 100000}/{item.id // 1000 % 1000}/post_{item.id}.html"
    if col.paging == "page":
        return f"/{col.slug}/content/post_{item.id}.html"
    return f"/{col.slug}/{d:%Y%m}/t{d:%Y%m%d}_{item.id}.html"


def column_path(col: FColumn, cms: str) -> str:
    """The URL of a column's first list page."""
    if col.paging == "hanweb" or (cms == "hanweb" and col.paging == "none"):
        return f"/col/col{col.colid}/index.html"
    if col.paging == "gkmlpt" or (cms == "gkmlpt" and col.paging == "none"):
        return f"/gkmlpt/index#{col.colid}"
    if col.paging == "page":
        return f"/{col.slug}/list.html"
    return f"/{col.slug}/index.html"


def zhuanlan_path(cms: str) -> str:
    """The URL of the 政府信息公开 专栏 of a site on `cms`."""
    return {"trs": "/zfxxgk/index.html", "hanweb": "/col/col1000/index.html", "gkmlpt": "/gkmlpt/index"}[cms]


def paging(cms: str, key: str, in_zhuanlan: bool) -> str:
    """How a column's list pages: the CMS's own way, plain pages, or none (a parent column)."""
    if key in ("statutory", KEY_AREA):
        return "none"
    if not in_zhuanlan and cms == "gkmlpt":
        return "page"
    return cms


def org_code(site: FleetSite) -> str:
    """The unit's organisation code, the first part of its 索引号."""
    r = random.Random(f"org-{site.seed}-{site.index}")
    return f"{r.randint(0, 99999999):08d}{r.choice('0123456789X')}"


def item_path(site: FleetSite, col: FColumn, it: FItem) -> str:
    """The URL of an item's detail page on `site`."""
    return article_path(col, it, site.cms)


def hanweb_download(filename: str) -> str:
    """The address of a file behind Hanweb's download script, whose query names the file."""
    return f"{HANWEB_DOWNLOAD}?classid=0&filename={filename}"


def file_path(site: FleetSite, article: str, filename: str) -> str:
    """Where an attachment is served: beside its article (TRS, gkmlpt), or through Hanweb's download
    script."""
    if site.cms == "hanweb":
        return hanweb_download(filename)
    return article.rsplit("/", 1)[0] + "/" + filename


def find_item(data: SiteData, path: str) -> tuple[FColumn, FItem] | None:
    """The column and item whose detail page is `path` (in any CMS's form), or None."""
    for col in data.columns:
        for it in col.items:
            if article_path(col, it, "") == path or it.path == path:
                return col, it
    return None
