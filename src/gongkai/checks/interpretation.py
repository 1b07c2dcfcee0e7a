"""Policy-interpretation checks: missing, late, and incomplete 解读.

Ids: interpretation.missing, interpretation.late, interpretation.elements (contracts.md).
Sources: 三同步 and "at the latest within 3 working days" (郑州 2016, CONFIRMED locally); one-to-one
linking of 规范性文件 and 解读 and the 咨询电话 element (六安/金寨 scoring, CONFIRMED).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

from gongkai.checks._site import SiteIndex, fail, norm_url, site_index, summarize, uncertain
from gongkai.checks.meta import is_normative
from gongkai.checks.registry import DOCUMENT_ROLES, CheckContext, check
from gongkai.model import Document, Finding, SiteModel

_INTERP_WORDS = ("解读", "图解", "政策问答", "答记者问")
_QUOTED = re.compile(r"《([^》]{4,})》")
_AFFIX = re.compile(r"^(?:关于印发|关于|印发)|(?:的通知|的意见|的决定|的办法|的公告)$")
PHONE = re.compile(r"(?:咨询|联系|服务|监督)电话\s*[:：]?\s*[\d（）()\-－ ]{7,}")


def is_interpretation(doc: Document, index: SiteIndex) -> bool:
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
    kinds = set(ctx.param("kinds"))
    since = ctx.param("since")
    since_date = dt.date.fromisoformat(str(since)) if since else None
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


POLICY_PARAMS = {"kinds": ["policy", "normative"], "since": None}


@check(
    "interpretation.missing",
    doc="指标要求解读的政策文件（默认政策文件和规范性文件）没有关联的政策解读。",
    params=POLICY_PARAMS,
    roles=DOCUMENT_ROLES,
)
def interpretation_missing(site: SiteModel, ctx: CheckContext) -> Iterator[Finding]:
    index = site_index(site, ctx.index)
    documents = _policy_documents(site, ctx, index)
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
    none = "" if documents else "未发现需要解读的政策文件"
    yield from summarize("interpretation.missing", site, found, f"{len(documents)} 件政策文件均有解读", none)


@check(
    "interpretation.late",
    doc="政策解读晚于文件发布超过3个工作日。",
    params={**POLICY_PARAMS, "working_days": 3},
    roles=DOCUMENT_ROLES,
)
def interpretation_late(site: SiteModel, ctx: CheckContext) -> Iterator[Finding]:
    index = site_index(site, ctx.index)
    calendar = ctx.working_calendar()
    limit = int(ctx.param("working_days"))
    documents = _policy_documents(site, ctx, index)
    found = []
    count = 0
    paired = pairs(site, index, documents)
    for doc in documents:
        dated = sorted((i for i in paired[norm_url(doc.url)] if i.published), key=lambda i: i.published)
        for interp in dated[
            :1
        ]:  # the first interpretation decides whether the document was explained in time
            if doc.published is None or interp.published is None:
                continue
            count += 1
            try:
                due = calendar.add_working_days(doc.published, limit)
            except ValueError as exc:
                found.append(uncertain("interpretation.late", interp.url, f"无法判断解读是否及时：{exc}"))
                continue
            if interp.published <= due:
                continue
            found.append(
                fail(
                    "interpretation.late",
                    interp.url,
                    f"解读「{interp.title}」于 {interp.published} 发布，文件发布于 {doc.published}，"
                    f"超过 {limit} 个工作日（应在 {due} 前）",
                    [
                        index.evidence(interp.url, f"解读发布日期 {interp.published}", interp.record),
                        index.evidence(doc.url, f"文件发布日期 {doc.published}", doc.record),
                    ],
                )
            )
    none = "" if count else "未发现可比对日期的文件与解读"
    yield from summarize("interpretation.late", site, found, f"{count} 篇解读均及时发布", none)


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
