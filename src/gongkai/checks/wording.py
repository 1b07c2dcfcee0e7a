"""Wording checks: 严重表述错误, 不规范表述 and 错别字 over page text, document bodies and attachments.

Ids: wording.serious, wording.nonstandard, wording.typo (contracts.md). The dictionaries are versioned
data (frameworks/data/vocab/wording/, see gongkai.wording); one automaton pass per text serves all three
checks (the hits of a site are computed once per run). Only a must-not-use phrase in the unit's own words
(not a title, a quotation, a mention of the word, reported or split text: gongkai.wording.context) and a wrong
title next to a confirmed leader's name are FAIL; everything else is UNCERTAIN with its sentence, URL and
archived record for an evaluator to confirm or mark as 误报. A 误报 remembered for the site goes in the
parameter ``allow`` (phrase, reason, optional URL prefix) and does not come back.
"""

from __future__ import annotations

import datetime as dt
import weakref
from collections.abc import Iterator, Mapping
from typing import Any

from gongkai.checks._site import SiteIndex, norm_url, not_assessable, passed, site_index
from gongkai.checks.registry import ALL_ROLES, CheckContext, check
from gongkai.model import Evidence, Finding, SiteModel, Verdict
from gongkai.wording import SEVERITIES, Hit, Matcher, matcher, remembered_allowances

ROLES = ALL_ROLES - {"service", "other"}  # 联系我们/网站地图 and redirects, error pages, data feeds
PARAMS: dict[str, Any] = {"dictionaries": [], "leaders": [], "allow": [], "max_evidence": 3}
# The last few sites scanned (weakly held: a finished run frees its site model).
_CACHE: list[tuple[weakref.ref[SiteModel], Matcher, dt.date, list[tuple[str, str, Hit]], int]] = []


def _page_date(index: SiteIndex, url: str, meta: Mapping[str, str] | None = None) -> dt.date | None:
    doc = index.documents.get(norm_url(url))
    if doc is not None and (doc.published or doc.created):
        return doc.published or doc.created
    raw = (meta or {}).get("PubDate", "")[:10].replace("/", "-")
    try:
        return dt.date.fromisoformat(raw) if raw else None
    except ValueError:
        return None


def _texts(site: SiteModel, index: SiteIndex) -> Iterator[tuple[str, str, str, dt.date | None]]:
    """(url, text, record, date) of every page, document body and attachment, each URL once."""
    seen: set[str] = set()
    for page in site.pages:
        if page.text and page.url not in seen:
            seen.add(page.url)
            yield page.url, page.text, page.record, _page_date(index, page.url, page.meta)
    for doc in site.documents:
        date = doc.published or doc.created
        if doc.body and doc.url not in seen:
            seen.add(doc.url)
            yield doc.url, doc.body, doc.record, date
        for att in doc.attachments:
            if att.text and att.url not in seen:
                seen.add(att.url)
                yield att.url, att.text, att.record or index.record(att.url), date


def _hits(site: SiteModel, ctx: CheckContext) -> tuple[list[tuple[str, str, Hit]], int]:
    """(url, record, hit) over the site and the number of texts read; cached for the run's site and the
    dictionaries' version (an entry edited in the web UI makes a new matcher, hence a new scan)."""
    scanner = matcher(tuple(ctx.param("dictionaries")), tuple(ctx.param("leaders")))
    for cached_site, cached_scanner, as_of, hits, count in _CACHE:
        if cached_site() is site and cached_scanner is scanner and as_of == ctx.as_of:
            return hits, count
    index = site_index(site, ctx.index)
    hits, count = [], 0
    for url, text, record, date in _texts(site, index):
        count += 1
        # An undated page is no later than the state judged: a name changed after that was right then.
        hits.extend((url, record, hit) for hit in scanner.scan(text, date or ctx.as_of))
    _CACHE[:] = [*_CACHE[-2:], (weakref.ref(site), scanner, ctx.as_of, hits, count)]
    return hits, count


def _allowed(url: str, hit: Hit, allow: list[Mapping[str, str]]) -> bool:
    return any(
        a["phrase"] in hit.sentence and url.startswith(a.get("url", "")) for a in allow if a.get("phrase")
    )


def _findings(check_id: str, severity: str, site: SiteModel, ctx: CheckContext) -> Iterator[Finding]:
    hits, count = _hits(site, ctx)
    label = SEVERITIES[severity]
    if not count:
        yield not_assessable(check_id, site, "没有读到任何网页正文或附件文字，无法检查表述")
        return
    allow = [*(ctx.param("allow") or []), *remembered_allowances(site.site, check_id)]
    groups: dict[tuple[str, str], list[tuple[str, str, Hit]]] = {}
    suppressed = 0
    for url, record, hit in hits:
        if hit.severity != severity:
            continue
        if _allowed(url, hit, allow):
            suppressed += 1
            continue
        groups.setdefault((hit.phrase, hit.sentence), []).append((url, record, hit))
    for (phrase, sentence), group in groups.items():
        worst = next((h for _, _, h in group if h.verdict == "FAIL"), group[0][2])
        urls = list(dict.fromkeys(u for u, _, _ in group))
        records = {u: r for u, r, _ in group}
        evidence = [Evidence(u, sentence[:300], records[u]) for u in urls[: int(ctx.param("max_evidence"))]]
        more = f"（同一句见于 {len(urls)} 个网页或附件）" if len(urls) > 1 else ""
        verdict = Verdict.FAIL if worst.verdict == "FAIL" else Verdict.UNCERTAIN
        message = f"「{phrase}」{worst.reason}{more}"
        yield Finding(check_id, verdict, urls[0], message, tuple(evidence))
    if not groups:
        note = f"；{suppressed} 处已按允许清单排除" if suppressed else ""
        yield passed(check_id, site, f"在 {count} 个网页和附件中未发现{label}{note}")


def validate(params: Mapping[str, Any]) -> list[str]:
    """Chinese problems with the allow-list and dictionary parameters of a framework."""
    problems = []
    for i, entry in enumerate(params.get("allow") or []):
        if not isinstance(entry, Mapping) or not entry.get("phrase") or not entry.get("reason"):
            problems.append(f"allow 第 {i + 1} 项须写明 phrase（允许的词语或句子片段）和 reason（理由）")
    for name in ("dictionaries", "leaders"):
        value = params.get(name)
        if value is not None and not isinstance(value, list):
            problems.append(f"{name} 应为文件路径列表")
    return problems


@check(
    "wording.serious",
    doc="严重表述错误：禁用词（新华社禁用词、涉台涉港澳及领土主权表述），领导人姓名与职务不符或排序有误，"
    "落马官员仍以职务出现；只有禁用词作为本单位自己的表述出现、全国唯一的职务配错领导人时判不合格；书名号内、"
    "注明出处的引语、谈论这一称谓本身的不报；只加引号、转述外部来源、被空格隔开或繁体的待核实。",
    params=PARAMS,
    roles=ROLES,
    validate=validate,
)
def wording_serious(site: SiteModel, ctx: CheckContext) -> Iterator[Finding]:
    yield from _findings("wording.serious", "serious", site, ctx)


@check(
    "wording.nonstandard",
    doc="不规范表述：党和国家机构、会议、理论、文件、口号的错误或过时名称（如“十九大四中全会”、机构改革前的"
    "机构名称）；历史表述、引文和书名号内的不报，其余待核实。",
    params=PARAMS,
    roles=ROLES,
    validate=validate,
)
def wording_nonstandard(site: SiteModel, ctx: CheckContext) -> Iterator[Finding]:
    yield from _findings("wording.nonstandard", "nonstandard", site, ctx)


@check(
    "wording.typo",
    doc="错别字：公文常见错别字混淆集（的/地/得不收），全部待核实，由评估人员确认或标为误报。",
    params=PARAMS,
    roles=ROLES,
    validate=validate,
)
def wording_typo(site: SiteModel, ctx: CheckContext) -> Iterator[Finding]:
    yield from _findings("wording.typo", "typo", site, ctx)
