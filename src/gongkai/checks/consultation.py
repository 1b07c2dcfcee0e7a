"""Public-consultation (征求意见) checks: notice elements, comment window, published feedback.

Ids: consultation.elements, consultation.period, consultation.feedback (contracts.md).
Sources: 《重大行政决策程序暂行条例》(国令第713号) and local rules: window 不少于30日 (CONFIRMED,
博爱县, 六安); draft, explanation, deadline and channels (CONFIRMED in local 重大行政决策 rules);
意见采纳情况 published (CONFIRMED as a rule; 宣城 scores it separately).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass

from gongkai.checks._site import SiteIndex, fail, find_dates, norm_url, site_index, summarize, uncertain
from gongkai.checks.interpretation import title_core
from gongkai.checks.registry import DOCUMENT_ROLES, CheckContext, check
from gongkai.model import Document, Finding, SiteModel

# A notice's title asks for comments: 公开征求《……》意见, 征询…意见, 意见（建议）征集. The name of the draft in
# 书名号 is taken out first, so a long file name between 征求 and 意见 does not hide the notice.
_NOTICE = re.compile(r"征(?:求|询).{0,8}意见|意见(?:和建议|建议)?(?:的)?(?:征集|征求|征询)|征集.{0,4}意见")
_BOOK_TITLE = re.compile(r"《[^《》]{0,120}》")
_EVENT = re.compile(r"座谈会|召开|会议|调研|研讨|听取")
_DRAFT_NAMED = re.compile(r"《》|草案|征求意见稿|送审稿|办法|规定|条例|细则|方案|规划|标准|目录|清单")
# A comment window written as a length instead of dates: 公示期为7个工作日, 自发布之日起30日内.
_PERIOD = re.compile(
    r"(?:期限?|期间|为期|期为)[^。；;]{0,20}?(?:\d+|[一二三四五六七八九十]+)\s*(?:个工作日|个?自然日|日|天)"
    r"|之日起[^。；;]{0,6}?(?:\d+|[一二三四五六七八九十]+)\s*(?:个工作日|个?自然日|日|天)"
)
_FEEDBACK = re.compile(r"采纳|反馈|意见.{0,4}(?:情况|结果|说明)")
_DRAFT = re.compile(r"草案|征求意见稿|送审稿|修订稿")
_EXPLAIN = re.compile(r"(?:起草|草案|编制|修订|制定)说明|说明材料")
_CHANNEL = re.compile(
    r"[\w.\-]+@[\w\-]+(?:\.[\w\-]+)+|电话|传真|邮箱|信函|邮寄|通讯地址|在线提交|网上提交|留言"
)
_RANGE = re.compile(r"(?:至|到|—|－|-|~|～)")
_UNTIL = re.compile(r"截止|截至|之前|前[,，。将]|止")


def title_frame(title: str) -> str:
    """The title with the names in 书名号 emptied: what the notice itself says."""
    return _BOOK_TITLE.sub("《》", title)


def is_notice(doc: Document, index: SiteIndex) -> bool:
    """A notice asking for comments on a draft: by its title (or its 征求意见 column). News of a meeting that
    heard opinions is none, nor is a call for suggestions (意见建议征集) that names no draft."""
    text = title_frame(doc.title)
    if _FEEDBACK.search(text):
        return False
    if index.document_kind(doc) == "consultation" and "意见" in text:
        return True
    match = _NOTICE.search(text)
    if match is None or _EVENT.search(text):
        return False
    return "征集" not in match.group(0) or bool(_DRAFT_NAMED.search(text))


def notices(site: SiteModel, index: SiteIndex) -> list[Document]:
    return [d for d in site.documents if is_notice(d, index)]


def window(doc: Document) -> tuple[dt.date | None, dt.date | None]:
    """The comment window (start, end) stated in a notice; start defaults to its publication date."""
    body = doc.body
    dates = find_dates(body)
    for (pos_a, a), (pos_b, b) in zip(dates, dates[1:], strict=False):
        between = body[pos_a:pos_b]
        if b > a and len(between) < 30 and _RANGE.search(between[6:]):
            return a, b
    for pos, d in dates:
        after = body[pos : pos + 20]
        before = body[max(0, pos - 12) : pos]
        if _UNTIL.search(after) or "截止" in before or "截至" in before:
            return doc.published, d
    return doc.published, None


def _attached(doc: Document, pattern: re.Pattern[str]) -> bool:
    names = [a.name for a in doc.attachments] + [link.text for link in doc.related]
    return any(pattern.search(n) for n in names)


ELEMENTS = {
    "草案文本": "draft",
    "起草说明": "explanation",
    "征求意见期限": "deadline",
    "意见反馈渠道": "channel",
}


@check(
    "consultation.elements",
    doc="征求意见公告缺少草案文本、起草说明、征求意见期限或意见反馈渠道。",
    params={"elements": list(ELEMENTS)},
    roles=DOCUMENT_ROLES,
)
def consultation_elements(site: SiteModel, ctx: CheckContext) -> Iterator[Finding]:
    index = site_index(site, ctx.index)
    docs = notices(site, index)
    found = []
    for doc in docs:
        present = {
            "draft": _attached(doc, _DRAFT) or "征求意见稿" in doc.body,
            "explanation": _attached(doc, _EXPLAIN) or bool(_EXPLAIN.search(doc.body)),
            "deadline": window(doc)[1] is not None or bool(_PERIOD.search(doc.body)),
            "channel": bool(_CHANNEL.search(doc.body)),
        }
        missing = [name for name in ctx.param("elements") if not present.get(ELEMENTS.get(name, ""), True)]
        if missing:
            label = "、".join(missing)
            found.append(
                fail(
                    "consultation.elements",
                    doc.url,
                    f"征求意见「{doc.title}」缺少{label}",
                    [index.evidence(doc.url, f"缺少：{label}", doc.record)],
                )
            )
    none = "" if docs else "未发现征求意见公告"
    yield from summarize("consultation.elements", site, found, f"{len(docs)} 条征求意见要素齐全", none)


@check(
    "consultation.period",
    doc="征求意见期限短于规定（默认不少于30日，起止日均计入）。",
    params={"min_days": 30},
    roles=DOCUMENT_ROLES,
)
def consultation_period(site: SiteModel, ctx: CheckContext) -> Iterator[Finding]:
    index = site_index(site, ctx.index)
    minimum = int(ctx.param("min_days"))
    found = []
    count = 0
    for doc in notices(site, index):
        start, end = window(doc)
        if start is None or end is None:
            continue
        count += 1
        days = (end - start).days + 1
        if days >= minimum:
            continue
        found.append(
            fail(
                "consultation.period",
                doc.url,
                f"征求意见「{doc.title}」期限 {start} 至 {end} 共 {days} 日，少于 {minimum} 日",
                [index.evidence(doc.url, f"征求意见期限 {start} 至 {end}", doc.record)],
            )
        )
    none = "" if count else "未发现写明期限的征求意见公告"
    yield from summarize("consultation.period", site, found, f"{count} 条征求意见期限符合要求", none)


@dataclass(frozen=True)
class _Feedback:
    title: str
    url: str
    date: dt.date | None


def _feedbacks(site: SiteModel, notice_urls: set[str]) -> tuple[dict[str, list[_Feedback]], list[_Feedback]]:
    """Published 意见采纳情况: those linked to a notice (by either side), and the unclaimed rest."""
    docs = {norm_url(d.url): d for d in site.documents}
    every: dict[str, _Feedback] = {}
    for d in site.documents:
        if _FEEDBACK.search(d.title) and "意见" in d.title:
            every[norm_url(d.url)] = _Feedback(d.title, d.url, d.published)
    for c in site.columns:
        for i in c.items:
            key = norm_url(i.url)
            if key not in every and _FEEDBACK.search(i.title) and "意见" in i.title:
                every[key] = _Feedback(i.title, i.url, i.date)
    claimed: dict[str, list[_Feedback]] = {}
    taken: set[str] = set()
    for key, fb in every.items():
        doc = docs.get(key)
        for link in doc.related if doc else ():
            if norm_url(link.url) in notice_urls:
                claimed.setdefault(norm_url(link.url), []).append(fb)
                taken.add(key)
    for notice in notice_urls:
        doc = docs.get(notice)
        for link in doc.related if doc else ():
            key = norm_url(link.url)
            if key in every:
                claimed.setdefault(notice, []).append(every[key])
                taken.add(key)
    return claimed, [fb for key, fb in every.items() if key not in taken]


def _feedback_urls(
    doc: Document, end: dt.date, claimed: dict[str, list[_Feedback]], free: list[_Feedback]
) -> list[str]:
    """The addresses of the 意见采纳情况 published for the notice ``doc`` (empty when none is found)."""
    urls = [fb.url for fb in claimed.get(norm_url(doc.url), [])]
    urls += [link.url for link in doc.related if _FEEDBACK.search(link.text)]
    core = re.sub(r"[（(](?:征求意见稿|草案|送审稿)[）)]", "", title_core(doc.title))
    if len(core) >= 4:
        urls += [fb.url for fb in free if core in fb.title and (fb.date is None or fb.date >= end)]
    return list(dict.fromkeys(urls))


# What a feedback post must list for each opinion (六安2018Q1通报: "未列表公开各条意见的具体意见反馈单位（人）、
# 提出的具体意见、采纳的情况、采纳或不予采纳的理由"), as table headers or per-item labels.
FEEDBACK_ELEMENTS: dict[str, re.Pattern[str]] = {
    "意见提出单位（人）": re.compile(
        r"(?:提出|反馈|建议)(?:单位|人|者|部门)|意见来源|意见人|单位[（(]个?人[）)]|提出主体"
    ),
    "具体意见": re.compile(r"(?:具体|主要|修改)意见|意见(?:内容|建议|摘要|要点)|建议内容"),
    "采纳情况": re.compile(r"(?:是否|予以|不予|部分|未|已|拟)采纳|采纳(?:情况|意见|与否)"),
    "采纳或不予采纳的理由": re.compile(r"理由|原因|采纳(?:的)?说明|处理说明"),
}
_NO_OPINION = re.compile(
    r"未(?:收到|征集到|收集到)(?:任何|相关)?(?:\S{0,6})?(?:意见|建议)|无(?:人|单位)?(?:提出|反馈)(?:意见|建议)"
)


def _elements_finding(
    notice: Document, urls: list[str], wanted: list[str], index: SiteIndex
) -> Finding | None:
    """None when one of the feedback posts lists each opinion with the wanted elements; else FAIL naming
    what is missing, or UNCERTAIN when the post (or its attachment) could not be read or says no opinion
    came in."""
    docs = [d for u in urls if (d := index.documents.get(norm_url(u))) is not None]
    evidence = [index.evidence(u, "意见采纳情况") for u in urls[:2]]
    if not docs:
        why = f"征求意见「{notice.title}」的意见采纳情况未读到正文，无法判断是否逐条列明意见及采纳理由，需人工核实"
        return uncertain("consultation.feedback", notice.url, why, evidence)
    gaps: list[tuple[Document, list[str]]] = []
    for doc in docs:
        text = " ".join([doc.body, *(a.text for a in doc.attachments)])
        missing = [n for n in wanted if n in FEEDBACK_ELEMENTS and not FEEDBACK_ELEMENTS[n].search(text)]
        if not missing:
            return None
        gaps.append((doc, missing))
    doc, missing = min(gaps, key=lambda g: len(g[1]))
    label = "、".join(missing)
    evidence = [
        index.evidence(doc.url, f"未列明：{label}", doc.record),
        index.evidence(notice.url, notice.title, notice.record),
    ]
    if _NO_OPINION.search(doc.body):
        why = f"「{doc.title}」称未收到意见，未逐条列明{label}；是否确无意见需人工核实"
        return uncertain("consultation.feedback", notice.url, why, evidence)
    if any(
        a.kind.lower() in ("xls", "xlsx", "doc", "docx", "pdf", "wps", "et") and not a.text
        for a in doc.attachments
    ):
        why = f"「{doc.title}」正文未列明{label}，意见表可能在未能读取的附件中，需人工核实"
        return uncertain("consultation.feedback", notice.url, why, evidence)
    message = f"征求意见「{notice.title}」的意见采纳情况「{doc.title}」只概述结果，未逐条列明{label}"
    return fail("consultation.feedback", notice.url, message, evidence)


@check(
    "consultation.feedback",
    doc="征求意见期满后未公开意见采纳情况（反馈）；mode 为 elements 时，反馈还须逐条列明意见提出单位（人）、具体意见、"
    "采纳情况和采纳或不予采纳的理由（表格或逐条段落），只概述收到几条、采纳几条的为不合格。",
    params={"grace_days": 0, "mode": "presence", "elements": list(FEEDBACK_ELEMENTS)},
    roles=DOCUMENT_ROLES,
)
def consultation_feedback(site: SiteModel, ctx: CheckContext) -> Iterator[Finding]:
    index = site_index(site, ctx.index)
    grace = dt.timedelta(days=int(ctx.param("grace_days")))
    found = []
    count = 0
    docs = notices(site, index)
    claimed, free = _feedbacks(site, {norm_url(d.url) for d in docs})
    for doc in docs:
        end = window(doc)[1]
        if end is None or end + grace >= ctx.as_of:
            continue
        count += 1
        urls = _feedback_urls(doc, end, claimed, free)
        if urls:
            if ctx.param("mode") == "elements":
                finding = _elements_finding(doc, urls, list(ctx.param("elements")), index)
                found += [finding] if finding is not None else []
            continue
        found.append(
            fail(
                "consultation.feedback",
                doc.url,
                f"征求意见「{doc.title}」已于 {end} 截止，未见意见采纳情况",
                [index.evidence(doc.url, f"截止日期 {end}，未见采纳情况反馈", doc.record)],
            )
        )
    none = "" if count else "未发现已截止的征求意见"
    yield from summarize("consultation.feedback", site, found, f"{count} 条已截止的征求意见均有反馈", none)
