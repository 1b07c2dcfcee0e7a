"""Disclosure-item metadata checks: required fields, 索引号 format, validity marks, timeliness.

Ids: meta.missing, meta.index_invalid, normative.validity, disclosure.late (contracts.md).
Sources: 国办公开办函〔2019〕61号 and the field sets seen on gov.cn, 广东 gkmlpt, 安徽, 福建;
the 20-working-day rule (条例 (国务院令第492号) art. 18, in force 2008-05-01; revised 条例
(国务院令第711号) art. 26, in force 2019-05-15, same 20 working days; 基层 catalogues, CONFIRMED):
documents formed before the rule took effect are NOT_ASSESSABLE. 索引号 forms by region are data
(frameworks/data/vocab/index_patterns.yaml; no single national rule): only a value that is certainly
no 索引号 FAILs, an unknown but plausible form is UNCERTAIN.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator

from gongkai.checks._site import (
    PLACEHOLDER_DATES,
    SiteIndex,
    archived_bodies,
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
from gongkai.checks.registry import CheckContext, check
from gongkai.crawl.extract import METADATA_FIELDS
from gongkai.crawl.roles import ancestor_links
from gongkai.crawl.scripted import script_bound_labels
from gongkai.frameworks.catalogue import load_catalogue, normalise
from gongkai.frameworks.patterns import IndexVerdict, index_rules, normalize
from gongkai.model import Document, Finding, SiteModel, Verdict

FIELD_LABELS = {
    "index_number": "索引号",
    "publisher": "发布机构",
    "created": "生成/成文日期",
    "published": "发布日期",
    "doc_number": "文号",
    "validity": "有效性",
    "keywords": "主题词",
    "category": "信息分类",
    "subject": "主题分类",
}
# Document attributes also read from the metadata table under their Chinese labels (crawl/extract.py).
META_KEYS = {"subject": ("主题分类",), "keywords": ("主题词",), "category": ("信息分类", "主题分类")}
# ``downloads`` kinds -> attachment kinds that satisfy them, and their labels.
DOWNLOAD_KINDS = {"doc": ("doc", "docx", "wps"), "pdf": ("pdf",), "ofd": ("ofd",)}
DOWNLOAD_LABELS = {"doc": "Word版下载", "pdf": "PDF版下载", "ofd": "OFD版下载"}
DOCUMENT_KINDS = ["policy", "normative"]
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


# 专栏 documents without any metadata block. 国办公开办函〔2019〕61号 asks the metadata of the platform's
# 法定主动公开内容: an item there without a block FAILs. Items of 制度 and 年报 columns (reposted rules, letters)
# are commonly shown without one: UNCERTAIN (whether metadata is required depends on the evaluation's rules).
# Elsewhere in the 专栏 (guides, interpretations, drafts, news, columns outside 法定主动公开内容) such pages are
# not judged. Names and kinds are parameters.
BLOCK_REQUIRED_UNDER = ["法定主动公开内容", "法定主动公开"]
BLOCK_DOUBTFUL_KINDS = ["system", "annual_report"]
BLOCK_OPTIONAL_KINDS = ["guide", "interpretation", "consultation", "news"]
_DOUBTFUL_NAMES = re.compile(r"公开制度|年度报告|年报")
_OPTIONAL_NAMES = re.compile(r"公开指南|依申请公开|公开申请|解读|征求意见|征集意见")
# the labels a metadata block writes each field under (crawl.extract's variants), by the check's label
_FIELD_ALIASES: dict[str, tuple[str, ...]] = {
    label: tuple(k for k, v in METADATA_FIELDS.items() if v == canonical)
    for label, canonical in (
        ("索引号", "索引号"),
        ("发布机构", "发布机构"),
        ("生成/成文日期", "成文日期"),
        ("文号", "文号"),
    )
}


class _NoBlock:
    """The verdicts on 专栏 documents that have no metadata block at all."""

    def __init__(self, site: SiteModel, index: SiteIndex, ctx: CheckContext) -> None:
        self.site, self.index = site, index
        self.under = [normalise(n) for n in ctx.param("block_required_under")]
        self.doubtful = set(ctx.param("block_doubtful_kinds"))
        self.optional = set(ctx.param("block_optional_kinds"))
        self.catalogue = load_catalogue()
        self.roles = {norm_url(p.url): p.role for p in site.pages}
        self._links: dict[str, list[tuple[str, str]]] | None = None

    def documents(self) -> list[Document]:
        """Documents on 专栏 document pages that have no metadata at all (not already disclosure items)."""
        return [
            d
            for d in self.site.documents
            if not d.metadata
            and not d.index_number
            and self.roles.get(norm_url(d.url)) == "zhuanlan_document"
            and self.index.document_kind(d) not in DOCUMENT_KINDS
        ]

    def finding(self, doc: Document) -> Finding | None:
        """FAIL, UNCERTAIN, or None (not judged) for one document without a metadata block."""
        where = self._column_names(doc)
        evidence = [
            self.index.evidence(doc.url, "页面没有元数据块（索引号、发布机构、成文日期等）", doc.record)
        ]
        path = "→".join(where) if where else "政府信息公开专栏"
        names = [doc.title, *where]
        kinds = {self.catalogue.classify(n) for n in where} | {self.index.document_kind(doc)}
        if any(_DOUBTFUL_NAMES.search(n) for n in names) or kinds & self.doubtful:
            why = (
                f"「{doc.title}」（{path}）没有元数据块；制度、年报栏目的条目（转载的法规、函件等）平台通常不显示元数据，"
                "是否要求取决于评估口径，需人工核实"
            )
            return uncertain("meta.missing", doc.url, why, evidence)
        if any(_OPTIONAL_NAMES.search(n) for n in names) or kinds & self.optional:
            return None
        if not any(u in normalise(n) for n in where for u in self.under):
            return None  # a 专栏 column outside 法定主动公开内容: whether metadata is required is the framework's
        message = f"「{doc.title}」（{path}）没有元数据块，缺少索引号、发布机构、生成/成文日期"
        return fail("meta.missing", doc.url, message, evidence)

    def _column_names(self, doc: Document) -> list[str]:
        """The document's column and the levels above it, outermost first: its breadcrumb, else the column
        listing it and that column's parents."""
        if self._links is None:  # the links of every page, by source, built once
            self._links = defaultdict(list)
            for link in self.site.links:
                self._links[norm_url(link.source)].append((link.url, link.text))
        links = self._links.get(norm_url(doc.url), [])
        names = [text for _url, text in reversed(ancestor_links(doc.url, links))]
        if names:
            return names
        chain: list[str] = []
        column = self.index.column(doc.column_url) if doc.column_url else None
        while column is not None and column.name not in chain and len(chain) < 8:
            chain.insert(0, column.name)
            column = self.index.column(column.parent) if column.parent else None
        return chain


def _bound_fields(site: SiteModel, docs: Iterable[Document]) -> dict[str, set[str]]:
    """URL -> the check's field labels whose value the served HTML of ``docs`` leaves to a script. The
    archive is read once for all of them."""
    wanted = {d.record: d.url for d in docs if d.record}
    aliases = [a for names in _FIELD_ALIASES.values() for a in names]
    out: dict[str, set[str]] = {}
    for record, body in archived_bodies(site, set(wanted)).items():
        found = script_bound_labels(body.decode("utf-8", "replace"), aliases)
        out[wanted[record]] = {label for label, names in _FIELD_ALIASES.items() if found & set(names)}
    return out


def _value(doc: Document, name: str) -> object:
    value = getattr(doc, name, None) or doc.metadata.get(name, "")
    return value or next((doc.metadata[k] for k in META_KEYS.get(name, ()) if doc.metadata.get(k)), "")


def document_class(doc: Document, index: SiteIndex, kinds: set[str]) -> str:
    """normative (规范性文件), policy (other files of the document kinds) or other."""
    if is_normative(doc, index):
        return "normative"
    return "policy" if index.document_kind(doc) in kinds else "other"


def required_fields(doc: Document, index: SiteIndex, ctx: CheckContext) -> list[str]:
    """The fields a document must show: the framework's list for its class (``class_fields``), else
    ``fields`` plus ``document_fields`` for documents of ``document_kinds`` and 规范性文件."""
    kinds = set(ctx.param("document_kinds"))
    cls = document_class(doc, index, kinds)
    by_class = ctx.param("class_fields") or {}
    if cls in by_class:
        return list(by_class[cls])
    fields = list(ctx.param("fields"))
    if cls != "other":
        fields += ctx.param("document_fields")
    return fields


def missing_downloads(doc: Document, wanted: list[str]) -> list[str]:
    """The download formats (Word, PDF ...) a document's attachments do not offer."""
    kinds = {a.kind.lower().lstrip(".") or a.url.rsplit(".", 1)[-1].lower() for a in doc.attachments}
    return [DOWNLOAD_LABELS.get(w, w) for w in wanted if not kinds & set(DOWNLOAD_KINDS.get(w, (w,)))]


@check(
    "meta.missing",
    doc="公开信息缺少索引号、发布机构、生成/成文日期，或政策文件缺少文号；指标体系可按文件类别（normative 规范性文件、"
    "policy 其他政策文件、other 其他信息）给出各自的必备要素（class_fields），并要求规范性文件正文提供 Word、PDF 等"
    "格式下载（downloads）。",
    params={
        "fields": ["index_number", "publisher", "created"],
        "document_fields": ["doc_number"],
        "document_kinds": DOCUMENT_KINDS,
        "block_required_under": BLOCK_REQUIRED_UNDER,
        "block_doubtful_kinds": BLOCK_DOUBTFUL_KINDS,
        "block_optional_kinds": BLOCK_OPTIONAL_KINDS,
        "class_fields": {},
        "downloads": [],
    },
    roles={"zhuanlan_document"},
)
def meta_missing(site: SiteModel, ctx: CheckContext) -> Iterator[Finding]:
    index = site_index(site, ctx.index)
    found = []
    count = 0
    blocks = _NoBlock(site, index, ctx)
    for doc in blocks.documents():
        finding = blocks.finding(doc)
        if finding is not None:
            found.append(finding)
    lacking: list[tuple[Document, list[str]]] = []
    for doc in disclosure_documents(site, index):
        count += 1
        missing = [FIELD_LABELS.get(f, f) for f in required_fields(doc, index, ctx) if not _value(doc, f)]
        if ctx.param("downloads") and is_normative(doc, index):
            missing += missing_downloads(doc, list(ctx.param("downloads")))
        if missing:
            lacking.append((doc, missing))
    bound = _bound_fields(site, (doc for doc, _missing in lacking))
    for doc, missing in lacking:
        scripted = [f for f in missing if f in bound.get(doc.url, set())]
        if scripted:
            label = "、".join(scripted)
            why = f"「{doc.title}」的{label}在网页源码中是空元素，由脚本填入（未渲染），无法断定读者看不到，需人工核实"
            found.append(uncertain("meta.missing", doc.url, why, [index.evidence(doc.url, why, doc.record)]))
            missing = [f for f in missing if f not in scripted]
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
    doc="索引号明显不是索引号（空白、“无”之类占位值、模板空值、明显截断），或在本站重复；不符合已知编制规则的写法待核实。",
    params={
        "patterns": "index_patterns",
        "regions": [],
        "pattern": "",
        "strict": False,
        "check_year": False,
        "unique": True,
    },
    roles={"zhuanlan_document"},
)
def meta_index_invalid(site: SiteModel, ctx: CheckContext) -> Iterator[Finding]:
    index = site_index(site, ctx.index)
    rules = index_rules(str(ctx.param("patterns")))
    regions = tuple(ctx.param("regions") or ())
    found = []
    by_number: dict[str, list[Document]] = defaultdict(list)
    templated: list[Finding] = []  # kept out of the grouping of unknown forms
    docs = [d for d in disclosure_documents(site, index) if d.index_number.strip()]  # missing: meta.missing's
    bound = _bound_fields(site, (d for d in docs if "{{" in d.index_number))
    for doc in docs:
        number = doc.index_number.strip()
        verdict = rules.classify(number, regions, ctx.param("pattern"))
        if verdict.kind == "malformed" and "索引号" in bound.get(doc.url, set()):
            why = f"「{doc.title}」的索引号「{number}」是脚本绑定的模板（未渲染），读者看到的是脚本填入的值，需人工核实"
            templated.append(
                uncertain("meta.index_invalid", doc.url, why, [index.evidence(doc.url, why, doc.record)])
            )
            continue
        by_number[normalize(number)].append(doc)
        finding = _index_finding(doc, number, verdict, ctx, index)
        if finding is not None:
            found.append(finding)
    found = _group_uncertain(found) + templated
    if ctx.param("unique"):
        found.extend(_duplicates(by_number, index))
    none = "" if docs else "未发现标有索引号的公开信息"  # no number at all: nothing to judge, not a PASS
    yield from summarize("meta.index_invalid", site, found, "索引号均符合已知的编制规则", none)


def _index_finding(
    doc: Document, number: str, verdict: IndexVerdict, ctx: CheckContext, index: SiteIndex
) -> Finding | None:
    """FAIL only for a value that is certainly no 索引号 (or, with ``strict``, breaks the framework's
    own rule); a plausible number of an unknown or another region's form is UNCERTAIN."""
    evidence = [index.evidence(doc.url, f"索引号：{number}", doc.record)]
    if verdict.kind == "malformed":
        return fail(
            "meta.index_invalid", doc.url, f"索引号「{number}」不符合编制规则：{verdict.reason}", evidence
        )
    if verdict.kind in ("other", "unknown"):
        scope = (
            "本指标体系规定的编制规则" if ctx.param("regions") or ctx.param("pattern") else "已知的编制规则"
        )
        message = f"索引号「{number}」不符合{scope}（{verdict.reason}）"
        if ctx.param("strict") and (ctx.param("regions") or ctx.param("pattern")):
            return fail("meta.index_invalid", doc.url, message, evidence)
        return uncertain("meta.index_invalid", doc.url, message + "，需人工核实", evidence)
    if ctx.param("check_year") and verdict.year is not None:
        years = {d.year for d in (doc.created, doc.published) if d}
        if years and verdict.year not in years:
            problem = f"索引号「{number}」中的年份 {verdict.year} 与成文/发布年份不符"
            return fail("meta.index_invalid", doc.url, problem, evidence)
    return None


def _shape(number: str) -> str:
    """The written form of a 索引号: digits as 9, letters as A (one platform writes one form)."""
    return re.sub(r"[A-Za-z]", "A", re.sub(r"\d", "9", normalize(number)))


def _group_uncertain(found: list[Finding]) -> list[Finding]:
    """One UNCERTAIN per unknown written form, not one per document: a platform whose form is not
    in the data file asks for one review, with the count and up to five examples."""
    groups: dict[str, list[Finding]] = defaultdict(list)
    out: list[Finding] = []
    for finding in found:
        if finding.verdict is not Verdict.UNCERTAIN:
            out.append(finding)
            continue
        number = finding.evidence[0].snippet.removeprefix("索引号：")
        group = groups[_shape(number)]
        if not group:
            out.append(finding)  # placeholder, replaced below when the form recurs
        group.append(finding)
    for members in groups.values():
        if len(members) < 2:
            continue
        first = members[0]
        message = f"{len(members)} 条信息的索引号为同一种写法（如{first.message.split('不符合')[0]}），" + (
            "不符合" + first.message.split("不符合", 1)[1]
        )
        evidence = tuple(e for m in members[:5] for e in m.evidence)
        out[out.index(first)] = Finding(first.check, Verdict.UNCERTAIN, first.subject, message, evidence)
    return out


def _duplicates(by_number: dict[str, list[Document]], index: SiteIndex) -> list[Finding]:
    """One FAIL per reuse of a 索引号 by a different document (the same title at two addresses is the
    same document listed twice, not a reuse)."""
    found = []
    for number, docs in by_number.items():
        titles = {d.title.strip() for d in docs}
        if len(docs) < 2 or len(titles) < 2:
            continue
        problem = f"索引号「{number}」被 {len(docs)} 条信息重复使用"
        evidence = [index.evidence(d.url, problem, d.record) for d in docs[:5]]
        seen = {docs[0].title.strip()}
        for doc in docs[1:]:
            if doc.title.strip() in seen:
                continue
            seen.add(doc.title.strip())
            found.append(fail("meta.index_invalid", doc.url, problem, evidence))
    return found


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
    doc="信息在生成/成文之日起超过20个工作日才公开（只判《政府信息公开条例》施行后形成的信息）。",
    params={
        "working_days": 20,
        "effective_from": "2008-05-01",
        "rule_name": "《政府信息公开条例》",
        "implausible_lag_years": 3,
        "placeholder_dates": PLACEHOLDER_DATES,
    },
    roles={"zhuanlan_document"},
)
def disclosure_late(site: SiteModel, ctx: CheckContext) -> Iterator[Finding]:
    index = site_index(site, ctx.index)
    calendar = ctx.working_calendar()
    found: list[Finding] = []
    judged = 0
    for doc in disclosure_documents(site, index):
        if doc.created is None or doc.published is None:
            continue
        finding = _late_finding(doc, ctx, calendar, index)
        if finding is None or finding.verdict is Verdict.FAIL:
            judged += 1
        if finding is not None:
            found.append(finding)
    ok = f"{judged} 条信息均在时限内公开"
    yield from summarize_judged(
        "disclosure.late", site, found, judged, ok, "未发现同时标有成文日期和发布日期的公开信息"
    )


def _late_finding(doc: Document, ctx: CheckContext, calendar: object, index: SiteIndex) -> Finding | None:
    """The verdict on one document, None when it was published in time."""
    assert doc.created is not None and doc.published is not None
    created, published = doc.created, doc.published
    limit = int(ctx.param("working_days"))
    evidence = [index.evidence(doc.url, f"成文日期 {created}，发布日期 {published}", doc.record)]
    dates = {"成文日期": created, "发布日期": published}
    odd = implausible_date(dates, ctx.as_of, ctx.param("placeholder_dates"))
    if odd:
        return uncertain("disclosure.late", doc.url, f"「{doc.title}」{odd}，无法判断是否按时公开", evidence)
    if published < created:
        why = f"「{doc.title}」发布日期 {published} 早于成文日期 {created}，日期有误，无法判断是否按时公开"
        return uncertain("disclosure.late", doc.url, why, evidence)
    start = param_date(ctx.param("effective_from"))
    if start is not None and created < start:
        why = (
            f"「{doc.title}」成文于 {created}，早于{ctx.param('rule_name')}施行日 {start}，"
            f"不适用 {limit} 个工作日的公开时限"
        )
        return Finding("disclosure.late", Verdict.NOT_ASSESSABLE, doc.url, why, tuple(evidence))
    years = int(ctx.param("implausible_lag_years") or 0)
    if years and published.year - created.year > years:
        why = f"「{doc.title}」成文于 {created}，{published} 才发布，相隔超过 {years} 年，可能是迁移或录入日期，需人工核实"
        return uncertain("disclosure.late", doc.url, why, evidence)
    gap = calendar_gap(calendar, created, published)
    if gap:
        return uncertain("disclosure.late", doc.url, f"无法判断「{doc.title}」是否按时公开：{gap}", evidence)
    try:
        due = calendar.add_working_days(created, limit)  # type: ignore[attr-defined]
        if published <= due:
            return None
        lag = calendar.working_days_between(created, published)  # type: ignore[attr-defined]
    except ValueError as exc:  # CalendarRangeError: the deadline runs into a year without data
        return uncertain("disclosure.late", doc.url, f"无法判断「{doc.title}」是否按时公开：{exc}", evidence)
    message = (
        f"「{doc.title}」成文于 {created.isoformat()}，{published.isoformat()} 才公开，"
        f"超过 {limit} 个工作日的时限（应在 {due.isoformat()} 前公开，实际相隔 {lag} 个工作日）"
    )
    return fail("disclosure.late", doc.url, message, evidence)
