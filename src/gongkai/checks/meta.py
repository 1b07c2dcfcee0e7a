"""Disclosure-item metadata checks: required fields, 索引号 format, validity marks, timeliness.

Ids: meta.missing, meta.index_invalid, normative.validity, disclosure.late (contracts.md).
Sources: 国办公开办函〔2019〕61号 and the field sets seen on gov.cn, 广东 gkmlpt, 安徽, 福建;
the 20-working-day rule (条例; 基层 catalogues, CONFIRMED); 索引号 forms from
website-checks.md §3 (no single national rule: the pattern is a parameter).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator

from gongkai.checks._site import SiteIndex, fail, site_index, summarize, uncertain
from gongkai.checks.registry import CheckContext, check
from gongkai.model import Document, Finding, SiteModel

FIELD_LABELS = {
    "index_number": "索引号",
    "publisher": "发布机构",
    "created": "生成/成文日期",
    "published": "发布日期",
    "doc_number": "文号",
    "validity": "有效性",
    "keywords": "主题词",
    "category": "信息分类",
}
DOCUMENT_KINDS = ["policy", "normative"]
INDEX_PATTERN = r"^(?P<org>[0-9A-Z]{9}|[0-9A-Z]{18})[/-](?P<y>\d{4})(?P<m>\d{2})?-(?P<seq>\d+)$"
NORMATIVE_NUMBER = re.compile(r"规〔\d{4}〕|规\[\d{4}\]")
VALIDITY_WORDS = ("有效", "失效", "废止", "已修改", "已修订")


def disclosure_documents(site: SiteModel, index: SiteIndex) -> Iterator[Document]:
    """Disclosure items: documents with a metadata table, or listed under a 文件 column."""
    for doc in site.documents:
        if doc.metadata or doc.index_number or index.document_kind(doc) in DOCUMENT_KINDS:
            yield doc


def is_normative(doc: Document, index: SiteIndex) -> bool:
    return (
        index.document_kind(doc) == "normative"
        or "规范性文件" in doc.category
        or bool(NORMATIVE_NUMBER.search(doc.doc_number))
    )


def _value(doc: Document, name: str) -> object:
    return getattr(doc, name, None) or doc.metadata.get(name, "")


@check(
    "meta.missing",
    doc="公开信息缺少索引号、发布机构、生成/成文日期，或政策文件缺少文号。",
    params={
        "fields": ["index_number", "publisher", "created"],
        "document_fields": ["doc_number"],
        "document_kinds": DOCUMENT_KINDS,
    },
    roles={"zhuanlan_document"},
)
def meta_missing(site: SiteModel, ctx: CheckContext) -> Iterator[Finding]:
    index = site_index(site, ctx.index)
    kinds = set(ctx.param("document_kinds"))
    found = []
    count = 0
    for doc in disclosure_documents(site, index):
        count += 1
        fields = list(ctx.param("fields"))
        if index.document_kind(doc) in kinds or is_normative(doc, index):
            fields += ctx.param("document_fields")
        missing = [FIELD_LABELS.get(f, f) for f in fields if not _value(doc, f)]
        if missing:
            label = "、".join(missing)
            found.append(
                fail(
                    "meta.missing",
                    doc.url,
                    f"「{doc.title}」缺少{label}",
                    [index.evidence(doc.url, f"元数据缺少：{label}", doc.record)],
                )
            )
    none = "" if count else "未发现带元数据的公开信息"
    yield from summarize("meta.missing", site, found, f"{count} 条公开信息元数据齐全", none)


@check(
    "meta.index_invalid",
    doc="索引号不符合配置的编制规则（机构代码/年份-序号），年份与成文或发布年份不符，或在本站重复。",
    params={"pattern": INDEX_PATTERN, "check_year": False, "unique": True},
    roles={"zhuanlan_document"},
)
def meta_index_invalid(site: SiteModel, ctx: CheckContext) -> Iterator[Finding]:
    index = site_index(site, ctx.index)
    pattern = re.compile(ctx.param("pattern"))
    found = []
    by_number: dict[str, list[Document]] = defaultdict(list)
    for doc in disclosure_documents(site, index):
        number = doc.index_number.strip()
        if not number:
            continue  # missing is meta.missing's finding
        by_number[number].append(doc)
        match = pattern.match(number)
        problem = ""
        if not match:
            problem = f"索引号「{number}」不符合编制规则"
        elif ctx.param("check_year") and "y" in pattern.groupindex:
            year = int(match.group("y"))
            years = {d.year for d in (doc.created, doc.published) if d}
            if years and year not in years:
                problem = f"索引号「{number}」中的年份 {year} 与成文/发布年份不符"
        if problem:
            found.append(
                fail("meta.index_invalid", doc.url, problem, [index.evidence(doc.url, problem, doc.record)])
            )
    if ctx.param("unique"):
        for number, docs in by_number.items():
            if len(docs) < 2:
                continue
            problem = f"索引号「{number}」被 {len(docs)} 条信息重复使用"
            evidence = [index.evidence(d.url, problem, d.record) for d in docs[:5]]
            found.extend(fail("meta.index_invalid", d.url, problem, evidence) for d in docs[1:])
    yield from summarize("meta.index_invalid", site, found, "索引号均符合编制规则")


@check(
    "normative.validity",
    doc="规范性文件未标注有效性（有效/失效/废止）。",
    params={},
    roles={"zhuanlan_document"},
)
def normative_validity(site: SiteModel, ctx: CheckContext) -> Iterator[Finding]:
    index = site_index(site, ctx.index)
    found = []
    count = 0
    for doc in site.documents:
        if not is_normative(doc, index):
            continue
        count += 1
        mark = doc.validity or doc.metadata.get("validity", "")
        if any(word in mark for word in VALIDITY_WORDS):
            continue
        found.append(
            fail(
                "normative.validity",
                doc.url,
                f"规范性文件「{doc.title}」未标注有效性",
                [index.evidence(doc.url, f"{doc.doc_number or doc.title}：无有效性标注", doc.record)],
            )
        )
    none = "" if count else "未发现规范性文件"
    yield from summarize("normative.validity", site, found, f"{count} 件规范性文件均标注有效性", none)


@check(
    "disclosure.late",
    doc="信息在生成/成文之日起超过20个工作日才公开。",
    params={"working_days": 20},
    roles={"zhuanlan_document"},
)
def disclosure_late(site: SiteModel, ctx: CheckContext) -> Iterator[Finding]:
    index = site_index(site, ctx.index)
    calendar = ctx.working_calendar()
    limit = int(ctx.param("working_days"))
    found = []
    count = 0
    for doc in disclosure_documents(site, index):
        if doc.created is None or doc.published is None or doc.published < doc.created:
            continue
        count += 1
        try:
            due = calendar.add_working_days(doc.created, limit)
            lag = calendar.working_days_between(doc.created, doc.published) if doc.published > due else 0
        except ValueError as exc:  # CalendarRangeError: a year without holiday data
            found.append(uncertain("disclosure.late", doc.url, f"无法判断是否按时公开：{exc}"))
            continue
        if doc.published <= due:
            continue
        message = (
            f"「{doc.title}」成文于 {doc.created.isoformat()}，{doc.published.isoformat()} 才公开，"
            f"超过 {limit} 个工作日的时限（应在 {due.isoformat()} 前公开，实际相隔 {lag} 个工作日）"
        )
        found.append(
            fail(
                "disclosure.late",
                doc.url,
                message,
                [index.evidence(doc.url, f"成文日期 {doc.created}，发布日期 {doc.published}", doc.record)],
            )
        )
    none = "" if count else "未发现同时标有成文日期和发布日期的公开信息"
    yield from summarize("disclosure.late", site, found, f"{count} 条信息均在时限内公开", none)
