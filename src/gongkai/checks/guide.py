"""The 政府信息公开指南 check: required elements and the statutory reply limit.

Id: guide.elements (contracts.md). Source: 条例 (2019) — replies within 20 working days,
extension at most 20; guide elements as required of 镇（街道） guides in 晋政办〔2022〕39号
(机构名称, 办公地址, 办公时间, 联系电话, 网络申请网址; fax per the contract).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from gongkai.checks._site import SiteIndex, fail, site_index, snippet_at, summarize
from gongkai.checks.registry import DOCUMENT_ROLES, CheckContext, check
from gongkai.model import Evidence, Finding, Page, SiteModel

ELEMENTS = {
    "机构名称": r"(?:受理|工作|主管)机构|机构名称|办公室|领导小组",
    "办公地址": r"地\s*址",
    "办公时间": r"(?:办公|工作|受理|咨询|接待)时间",
    "联系电话": r"电\s*话",
    "传真": r"传\s*真",
    "网上申请渠道": r"在线申请|网上申请|网络申请|网址|https?://|www\.",
}
_GUIDE_TEXT = 300  # a page with less text than this is a heading or a link, not a guide
_LIMIT = re.compile(r"(\d+|[一二三四五六七八九十]+)\s*个工作日")
_CN_NUM = {"十": 10, "十五": 15, "二十": 20, "三十": 30, "十日": 10}


def _number(text: str) -> int | None:
    return int(text) if text.isdigit() else _CN_NUM.get(text)


def wrong_limits(text: str, limit: int) -> list[tuple[int, int, int]]:
    """(value, start, end) of reply limits stated in working days other than ``limit``."""
    out = []
    for match in _LIMIT.finditer(text):
        around = text[max(0, match.start() - 40) : match.end() + 10]
        if "答复" not in around or "第三方" in around or "形成或者变更" in around:
            continue
        value = _number(match.group(1))
        if value is not None and value != limit:
            out.append((value, match.start(), match.end()))
    return out


# a page about the guide (its update, its interpretation), not the guide itself
_ABOUT_GUIDE = re.compile(
    r"(?:更新|调整|修订|编制|征求|解读|图解).{0,6}公开指南|公开指南.{0,8}(?:更新|调整|修订说明|的说明|解读|征求)"
)


def is_guide_title(title: str) -> bool:
    return "公开指南" in title and not _ABOUT_GUIDE.search(title)


def guides(site: SiteModel, index: SiteIndex) -> list[tuple[str, str, str, str]]:
    """(url, title, text, record) of each guide: documents first (whatever their column: a township's guide
    is often filed under 制度), else guide pages."""
    out = [
        (d.url, d.title, d.body, d.record)
        for d in site.documents
        if is_guide_title(d.title) or (index.document_kind(d) == "guide" and d.body)
    ]
    if not out:
        out = [
            (p.url, p.title, p.text, p.record)
            for p in site.pages
            if p.kind == "guide" and p.text and not _is_column(p) and not _ABOUT_GUIDE.search(p.title)
        ]
    if not out:
        out = list(_single_page_guides(site, index))
    return out


def _single_page_guides(site: SiteModel, index: SiteIndex) -> Iterator[tuple[str, str, str, str]]:
    """A 指南 column that lists nothing but shows the guide itself (a single-page column, as TRS sites
    publish it): its page's text is the guide."""
    for column in site.columns:
        if column.kind != "guide" or column.items or column.placeholder:
            continue
        page = index.page(column.url)
        if page is None or not 200 <= page.status < 300 or _ABOUT_GUIDE.search(page.title):
            continue
        if len(page.text) >= _GUIDE_TEXT and is_guide_title(page.text[:_GUIDE_TEXT]):
            yield page.url, column.name, page.text, page.record


def _is_column(page: Page) -> bool:
    """A 指南 column page (a list of per-department guides) is not a guide text."""
    return "ColumnName" in page.meta and "ArticleTitle" not in page.meta


@check(
    "guide.elements",
    doc="政府信息公开指南缺少机构名称、地址、办公时间、电话、传真、网上申请渠道，或写明的答复期限不是20个工作日。",
    params={"elements": ELEMENTS, "reply_limit": 20},
    roles=DOCUMENT_ROLES | {"catalogue", "list"},  # a single-page 指南 column is a column page
)
def guide_elements(site: SiteModel, ctx: CheckContext) -> Iterator[Finding]:
    index = site_index(site, ctx.index)
    found = []
    items = guides(site, index)
    for url, title, text, record in items:
        missing = [name for name, pattern in ctx.param("elements").items() if not re.search(pattern, text)]
        problems = ["缺少" + "、".join(missing)] if missing else []
        evidence = [Evidence(url, problems[0] if problems else "", record)] if problems else []
        for value, start, end in wrong_limits(text, int(ctx.param("reply_limit"))):
            problems.append(f"写明的答复期限为 {value} 个工作日（应为 {ctx.param('reply_limit')} 个工作日）")
            evidence.append(Evidence(url, snippet_at(text, start, end), record))
        if problems:
            found.append(fail("guide.elements", url, f"公开指南「{title}」" + "；".join(problems), evidence))
    none = "" if items else "未找到政府信息公开指南"
    yield from summarize("guide.elements", site, found, "政府信息公开指南要素齐全", none)
