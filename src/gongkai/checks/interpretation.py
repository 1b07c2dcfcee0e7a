"""Policy-interpretation checks: missing, late, and incomplete 解读.

Ids: interpretation.missing, interpretation.late, interpretation.elements (contracts.md).
Sources: 三同步 and "at the latest within 3 working days" (郑州市政府办公厅《关于做好行政机关政策文件解读工作的
通知》, reported 2016-10-22, CONFIRMED locally); the national requirement 国办发〔2016〕80号 (signed 2016-11-10,
from memory: UNCONFIRMED) is the default start: documents published before it are NOT_ASSESSABLE. One-to-one
linking of 规范性文件 and 解读 and the 咨询电话 element (六安/金寨 scoring, CONFIRMED).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from gongkai.checks._site import (
    PLACEHOLDER_DATES,
    SiteIndex,
    calendar_gap,
    fail,
    implausible_date,
    norm_url,
    param_date,
    site_index,
    summarize,
    summarize_judged,
    uncertain,
)
from gongkai.checks.meta import is_normative
from gongkai.checks.registry import DOCUMENT_ROLES, CheckContext, check
from gongkai.model import Document, Evidence, Finding, SiteModel, Verdict

_INTERP_WORDS = ("解读", "图解", "政策问答", "答记者问")
_QUOTED = re.compile(r"《([^》]{4,})》")
_AFFIX = re.compile(r"^(?:关于印发|关于|印发)|(?:的通知|的意见|的决定|的办法|的公告)$")
PHONE = re.compile(r"(?:咨询|联系|服务|监督)电话\s*[:：]?\s*[\d（）()\-－ ]{7,}")


_ABOUT_THE_WORK = re.compile(r"解读(?:回应)?(?:工作|机制|制度)")  # 关于加强政策解读工作的通知: about the work


def is_interpretation(doc: Document, index: SiteIndex) -> bool:
    if _ABOUT_THE_WORK.search(doc.title):
        return False
    return index.document_kind(doc) == "interpretation" or any(w in doc.title for w in _INTERP_WORDS)


def title_core(title: str) -> str:
    """The part of a document title an interpretation quotes: the 《...》 name, else the bare title."""
    match = _QUOTED.search(title)
    if match:
        return match.group(1)
    core = title
    for _ in range(2):
        core = _AFFIX.sub("", core)
    return core


def _policy_documents(site: SiteModel, ctx: CheckContext, index: SiteIndex) -> list[Document]:
    """The documents the framework wants explained (all dates; see ``_in_force`` for the rule's start)."""
    kinds = set(ctx.param("kinds"))
    since_date = param_date(ctx.param("since"))
    out = []
    for doc in site.documents:
        if is_interpretation(doc, index):
            continue
        if not (index.document_kind(doc) in kinds or ("normative" in kinds and is_normative(doc, index))):
            continue
        if since_date and doc.published and doc.published < since_date:
            continue
        if doc.published and doc.published > ctx.as_of:
            continue
        out.append(doc)
    return out


def _in_force(documents: list[Document], ctx: CheckContext) -> tuple[list[Document], list[Document]]:
    """The documents published while the interpretation rule was in force, and the older ones."""
    start = param_date(ctx.param("effective_from"))
    if start is None:
        return documents, []
    older = [d for d in documents if d.published is not None and d.published < start]
    return [d for d in documents if d not in older], older


def _older_note(check_id: str, site: SiteModel, older: list[Document], ctx: CheckContext) -> list[Finding]:
    """One NOT_ASSESSABLE note naming the documents older than the rule (not judged)."""
    if not older:
        return []
    start = param_date(ctx.param("effective_from"))
    titles = "、".join(f"「{d.title}」" for d in older[:3]) + ("等" if len(older) > 3 else "")
    message = (
        f"{len(older)} 件政策文件发布于{ctx.param('rule_name')}施行日 {start} 之前（{titles}），"
        "不适用政策解读要求，未作判断"
    )
    evidence = tuple(Evidence(d.url, f"发布日期 {d.published}", d.record) for d in older[:5])
    return [Finding(check_id, Verdict.NOT_ASSESSABLE, site.site, message, evidence)]


def pairs(site: SiteModel, index: SiteIndex, documents: list[Document]) -> dict[str, list[Document]]:
    """Interpretations of each document: by explicit link either way, else (for interpretations not
    linked to any document) by the document's title or its quoted 《...》 name."""
    interps = [d for d in site.documents if is_interpretation(d, index)]
    out: dict[str, list[Document]] = {norm_url(d.url): [] for d in documents}
    all_docs = {norm_url(d.url) for d in site.documents if not is_interpretation(d, index)}
    claimed: set[str] = set()
    for interp in interps:
        linked = {norm_url(link.url) for link in interp.related} & all_docs
        if linked:
            claimed.add(norm_url(interp.url))
        for key in linked & out.keys():
            out[key].append(interp)
    by_interp = {norm_url(i.url): i for i in interps}
    for doc in documents:
        for link in doc.related:
            interp = by_interp.get(norm_url(link.url))
            if interp is not None and interp not in out[norm_url(doc.url)]:
                out[norm_url(doc.url)].append(interp)
                claimed.add(norm_url(interp.url))
    free = [i for i in interps if norm_url(i.url) not in claimed]
    for doc in documents:
        key = norm_url(doc.url)
        if out[key]:
            continue
        out[key] = [i for i in free if doc.title in i.title]
        core = title_core(doc.title)
        if not out[key] and len(core) >= 4:
            out[key] = [i for i in free if core in i.title]
    return out


POLICY_PARAMS = {
    "kinds": ["policy", "normative"],
    "since": None,
    "effective_from": "2016-11-10",
    "rule_name": "政策解读要求（国办发〔2016〕80号）",
}


@check(
    "interpretation.missing",
    doc="指标要求解读的政策文件（默认政策文件和规范性文件）没有关联的政策解读。",
    params=POLICY_PARAMS,
    roles=DOCUMENT_ROLES,
)
def interpretation_missing(site: SiteModel, ctx: CheckContext) -> Iterator[Finding]:
    index = site_index(site, ctx.index)
    documents, older = _in_force(_policy_documents(site, ctx, index), ctx)
    paired = pairs(site, index, documents)
    found = [
        fail(
            "interpretation.missing",
            doc.url,
            f"政策文件「{doc.title}」没有关联的政策解读",
            [index.evidence(doc.url, f"{doc.doc_number or doc.title}：未见解读链接", doc.record)],
        )
        for doc in documents
        if not paired[norm_url(doc.url)]
    ]
    found += _older_note("interpretation.missing", site, older, ctx)
    ok = f"{len(documents)} 件政策文件均有解读"
    yield from summarize_judged(
        "interpretation.missing", site, found, len(documents), ok, "未发现需要解读的政策文件"
    )


@check(
    "interpretation.late",
    doc="政策解读晚于文件发布超过3个工作日（只判解读要求施行后发布的文件）。",
    params={
        **POLICY_PARAMS,
        "working_days": 3,
        "implausible_lag_years": 1,
        "placeholder_dates": PLACEHOLDER_DATES,
    },
    roles=DOCUMENT_ROLES,
)
def interpretation_late(site: SiteModel, ctx: CheckContext) -> Iterator[Finding]:
    index = site_index(site, ctx.index)
    calendar = ctx.working_calendar()
    documents = _policy_documents(site, ctx, index)
    paired = pairs(site, index, documents)
    found: list[Finding] = []
    judged = 0
    for doc in documents:
        dated = sorted((i for i in paired[norm_url(doc.url)] if i.published), key=lambda i: i.published)
        if not dated or doc.published is None:
            continue
        finding = _late_finding(doc, dated[0], ctx, calendar, index)  # the first interpretation decides
        if finding is None or finding.verdict is Verdict.FAIL:
            judged += 1
        if finding is not None:
            found.append(finding)
    ok = f"{judged} 篇解读均及时发布"
    yield from summarize_judged(
        "interpretation.late", site, found, judged, ok, "未发现可比对日期的文件与解读"
    )


def _late_finding(
    doc: Document, interp: Document, ctx: CheckContext, calendar: object, index: SiteIndex
) -> Finding | None:
    """The verdict on one document and its first interpretation, None when it came in time."""
    assert doc.published is not None and interp.published is not None
    published, explained = doc.published, interp.published
    limit = int(ctx.param("working_days"))
    evidence = [
        index.evidence(interp.url, f"解读发布日期 {explained}", interp.record),
        index.evidence(doc.url, f"文件发布日期 {published}", doc.record),
    ]
    dates = {"文件发布日期": published, "解读发布日期": explained}
    odd = implausible_date(dates, ctx.as_of, ctx.param("placeholder_dates"))
    if odd:
        return uncertain(
            "interpretation.late", interp.url, f"解读「{interp.title}」：{odd}，无法判断是否及时", evidence
        )
    start = param_date(ctx.param("effective_from"))
    if start is not None and published < start:
        why = (
            f"文件「{doc.title}」发布于 {published}，早于{ctx.param('rule_name')}施行日 {start}，"
            f"不适用 {limit} 个工作日的解读时限"
        )
        return Finding("interpretation.late", Verdict.NOT_ASSESSABLE, interp.url, why, tuple(evidence))
    if explained <= published:
        return None
    years = int(ctx.param("implausible_lag_years") or 0)
    if years and explained.year - published.year > years:
        why = f"解读「{interp.title}」发布于 {explained}，与文件（{published}）相隔超过 {years} 年，可能不是该文件的解读，需人工核实"
        return uncertain("interpretation.late", interp.url, why, evidence)
    gap = calendar_gap(calendar, published, explained)
    if gap:
        return uncertain(
            "interpretation.late", interp.url, f"无法判断解读「{interp.title}」是否及时：{gap}", evidence
        )
    try:
        due = calendar.add_working_days(published, limit)  # type: ignore[attr-defined]
    except ValueError as exc:  # CalendarRangeError: the deadline runs into a year without data
        return uncertain("interpretation.late", interp.url, f"无法判断解读是否及时：{exc}", evidence)
    if explained <= due:
        return None
    message = (
        f"解读「{interp.title}」于 {explained} 发布，文件发布于 {published}，"
        f"超过 {limit} 个工作日（应在 {due} 前）"
    )
    return fail("interpretation.late", interp.url, message, evidence)


ELEMENTS = {
    "原文链接": "link",
    "咨询电话": PHONE.pattern,
}


@check(
    "interpretation.elements",
    doc="政策解读缺少必备要素（默认：政策文件原文链接、咨询电话）。",
    params={"elements": ELEMENTS},
    roles=DOCUMENT_ROLES,
)
def interpretation_elements(site: SiteModel, ctx: CheckContext) -> Iterator[Finding]:
    index = site_index(site, ctx.index)
    documents = {norm_url(d.url) for d in site.documents if not is_interpretation(d, index)}
    found = []
    count = 0
    for interp in site.documents:
        if not is_interpretation(interp, index):
            continue
        count += 1
        missing = []
        for name, rule in ctx.param("elements").items():
            if rule == "link":
                ok = any(norm_url(link.url) in documents or "原文" in link.text for link in interp.related)
            else:
                ok = bool(re.search(rule, interp.body))
            if not ok:
                missing.append(name)
        if missing:
            label = "、".join(missing)
            found.append(
                fail(
                    "interpretation.elements",
                    interp.url,
                    f"解读「{interp.title}」缺少{label}",
                    [index.evidence(interp.url, f"缺少：{label}", interp.record)],
                )
            )
    none = "" if count else "未发现政策解读"
    yield from summarize("interpretation.elements", site, found, f"{count} 篇解读要素齐全", none)
