"""Column checks: required columns, blank columns, stale columns, undated items.

Ids: column.missing, column.blank, column.stale, item.undated (contracts.md).
Sources: 国办秘函〔2019〕19号 V4 (windows 2 weeks / 6 months / 1 year, CONFIRMED in 开普云
tooltips); 2015 普查 (undated content counts as not updated; 空白栏目); 国办公开办函〔2019〕61号
(the four standard sub-columns of the 专栏).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from gongkai.checks._site import (
    SiteIndex,
    dead_catalogue_links,
    fail,
    link_outcome,
    newest,
    norm_url,
    period_label,
    shift_back,
    site_index,
    summarize,
    uncertain,
    unread_note,
)
from gongkai.checks.registry import ALL_ROLES, CheckContext, check
from gongkai.frameworks.catalogue import Entry, load_catalogue, names_match
from gongkai.frameworks.schema import FrameworkError
from gongkai.model import Column, Finding, Item, Page, SiteModel, Verdict

# The 专栏's four standard sub-columns (国办公开办函〔2019〕61号), by their ids in vocab/catalogue.yaml.
STANDARD_CATALOGUE = ["guide", "system", "statutory", "annual_report"]


def _entries(refs: Sequence[Any], extra_file: str) -> list[Entry]:
    return load_catalogue(extra_file or None).resolve(refs)


def validate_catalogue(params: Mapping[str, Any]) -> list[str]:
    """Problems (Chinese) with column.missing's parameters: unknown ids, an unreadable catalogue file."""
    try:
        _entries(params.get("catalogue") or [], str(params.get("catalogue_file") or ""))
    except FrameworkError as exc:
        return [p.render(exc.path) for p in exc.problems]
    except (ValueError, KeyError, TypeError) as exc:
        return [str(exc)]
    return []


def _real_columns(site: SiteModel, index: SiteIndex) -> list[Column]:
    """Columns an evaluator would count: not the homepage itself (a block of it) and not an article
    page that the catalogue happens to link (a dead column still counts: link.broken reports it)."""
    home = norm_url(site.site)
    out = []
    for column in site.columns:
        if norm_url(column.url) == home:
            continue
        page = index.page(column.url)
        if page is not None and page.role in ("zhuanlan_document", "article", "service") and not column.items:
            continue
        out.append(column)
    return out


def _satisfying(
    entry: Entry, columns: list[Column], shared: frozenset[str]
) -> tuple[list[Column], list[str]]:
    """The columns that satisfy ``entry`` and, when it needs several (行政处罚 + 行政强制), the parts
    not found; ([], [name]) when nothing does."""
    by_kind = not entry.satisfied_by_all
    whole = [
        c
        for c in columns
        if (by_kind and c.kind in entry.kinds and c.kind not in shared) or names_match(c.name, entry.names)
    ]
    if whole or not entry.satisfied_by_all:
        return whole, ([] if whole else [entry.name])
    found, missing = [], []
    for part in entry.satisfied_by_all:
        hit = next((c for c in columns if names_match(c.name, (part,))), None)
        if hit is None:
            missing.append(part)
        else:
            found.append(hit)
    return found, missing


def _where(site: SiteModel, index: SiteIndex) -> tuple[str, str]:
    url = site.zhuanlan_url or site.site
    return url, index.record(url)


def _named(columns: list[Column]) -> str:
    return "、".join(f"「{c.name}」" for c in columns[:3])


@check(
    "column.missing",
    doc="缺少指标体系栏目目录要求设置的栏目（如政府信息公开指南、制度、法定主动公开内容、年报及条例第二十条各类信息）；"
    "栏目名按标准目录的别名和地方叫法比对，行政处罚和行政强制等条目可由几个栏目合起来满足。",
    params={"catalogue": STANDARD_CATALOGUE, "catalogue_file": ""},
    roles=ALL_ROLES,
    validate=validate_catalogue,
)
def column_missing(site: SiteModel, ctx: CheckContext) -> Iterator[Finding]:
    index = site_index(site, ctx.index)
    url, record = _where(site, index)
    catalogue = load_catalogue(ctx.param("catalogue_file") or None)
    columns = _real_columns(site, index)
    coverage = site.coverage
    # a catalogue page answering 4xx is that page's outcome, so the crawl counts as complete: what the page
    # would have listed is still unknown (an incomplete crawl is named by the runner instead)
    unread = dead_catalogue_links(site, index) if coverage is None or coverage.catalogue_complete else []
    found, matched = [], []
    for entry in _entries(ctx.param("catalogue"), ctx.param("catalogue_file")):
        hits, missing = _satisfying(entry, columns, catalogue.shared_kinds)
        if not missing:
            matched.append(index.evidence(hits[0].url, f"「{entry.name}」：{_named(hits)}"))
            continue
        if hits:  # part of what the entry needs is there: name it
            what = f"只设置了{_named(hits)}，未见「{'」「'.join(missing)}」"
        else:
            what = f"栏目目录中未找到「{entry.name}」（含别名）"
        evidence = [
            index.evidence(url, what, record),
            *(index.evidence(c.url, f"已设置「{c.name}」") for c in hits),
        ]
        if unread:  # what the dead catalogue pages list is unknown: the absence is not proved
            named = next((lk for lk in unread if names_match(lk.text, entry.names)), None)
            why = (
                f"目录中有「{named.text}」链接，但该页无法访问（{link_outcome(named)}）"
                if named is not None
                else unread_note(unread)
            )
            evidence.extend(index.evidence(lk.url, f"「{lk.text}」{link_outcome(lk)}") for lk in unread[:3])
            found.append(
                uncertain(
                    "column.missing",
                    entry.name,
                    f"未见「{entry.name}」栏目：{what}；{why}，需人工核实",
                    evidence,
                )
            )
            continue
        found.append(fail("column.missing", entry.name, f"未设置「{entry.name}」栏目：{what}", evidence))
    if found:
        yield from found
        return
    yield Finding(
        "column.missing",
        Verdict.PASS,
        site.site,
        f"栏目目录要求的 {len(matched)} 个栏目均已设置",
        tuple(matched),
    )


def _leaf_columns(site: SiteModel, index: SiteIndex) -> Iterator[Column]:
    """Columns that list items: not containers of sub-columns, nor pages of the catalogue (page role)."""
    for column in site.columns:
        if norm_url(column.url) in index.parents:
            continue
        page = index.page(column.url)
        if page is None or page.role != "catalogue":
            yield column


@check(
    "column.blank",
    doc="空白栏目：栏目没有任何信息，或只显示“暂无信息”之类的占位文字；未读到条目而页面又无“暂无信息”“共0条”"
    "之类提示的（可能是单页栏目或脚本加载的列表）为待核实。",
    params={"exclude_kinds": []},
    roles=ALL_ROLES,
)
def column_blank(site: SiteModel, ctx: CheckContext) -> Iterator[Finding]:
    index = site_index(site, ctx.index)
    excluded = set(ctx.param("exclude_kinds"))
    found = []
    columns = [c for c in _leaf_columns(site, index) if c.kind not in excluded]
    for column in columns:
        if column.needs_render or (column.items and not column.placeholder):
            continue
        page = index.page(column.url)
        if page is not None and (not 200 <= page.status < 400 or page.kind == "detail"):
            continue  # a dead page is link.broken's finding; an article is not a column
        found.append(_blank_finding(column, page, index))
    none = "" if columns else "未发现栏目"  # no column met: nothing was judged, not a PASS
    yield from summarize("column.blank", site, found, "没有空白栏目", none)


_ZERO_COUNT = re.compile(r"共\s*0\s*(?:条|篇|项|页)|总(?:数|条数|记录数)\s*[:：]?\s*0(?!\d)")


def _blank_finding(column: Column, page: Page | None, index: SiteIndex) -> Finding:
    """FAIL when the page shows it is empty (暂无信息, 共0条) or the CMS's data interface listed nothing
    (a gkmlpt column); a list page with no rows and no such sign may be a single-page column or a
    script-filled list: UNCERTAIN."""
    zero = _ZERO_COUNT.search(page.text) if page is not None else None
    if column.placeholder or zero or "#" in column.url:
        why = (
            "只有占位文字（暂无信息）"
            if column.placeholder
            else f"列表显示“{zero.group(0)}”"
            if zero
            else "没有任何信息"
        )
        return fail(
            "column.blank",
            column.name,
            f"空白栏目「{column.name}」：{why}",
            [index.evidence(column.url, why)],
        )
    why = "未读到列表条目，页面也没有“暂无信息”“共0条”之类的提示（可能是单页栏目或由脚本加载的列表），需人工核实"
    return uncertain(
        "column.blank",
        column.name,
        f"栏目「{column.name}」可能为空白栏目：{why}",
        [index.evidence(column.url, why)],
    )


DEFAULT_WINDOWS = {
    "news": "2w",
    "notice": "6m",
    "policy": "6m",
    "normative": "6m",
    "personnel": "1y",
    "plan": "1y",
}


def _dated(items: tuple[Item, ...], index: SiteIndex) -> list[Item]:
    """Items with the list date, or else the date shown on the item's own page (its 发布日期)."""
    out = []
    for item in items:
        if item.date is None:
            doc = index.documents.get(norm_url(item.url))
            if doc is not None and doc.published is not None:
                item = dataclasses.replace(item, date=doc.published)
        out.append(item)
    return out


@check(
    "column.stale",
    doc="栏目最新信息早于该类栏目允许的期限（动态要闻2周，通知公告/政策文件6个月，人事/规划计划1年）；列表无日期时取详情页发布日期，都没有的视为未更新。",
    params={"windows": DEFAULT_WINDOWS, "zhuanlan_only": False},
    roles=ALL_ROLES,
)
def column_stale(site: SiteModel, ctx: CheckContext) -> Iterator[Finding]:
    index = site_index(site, ctx.index)
    windows: Mapping[str, Any] = ctx.param("windows")
    found = []
    for column in _leaf_columns(site, index):
        window = windows.get(column.kind)
        if window is None or not column.items or column.placeholder:
            continue
        if ctx.param("zhuanlan_only") and not column.in_zhuanlan:
            continue
        cutoff = shift_back(ctx.as_of, window)
        latest = newest(_dated(column.items, index), ctx.as_of)
        if latest is not None and latest >= cutoff:
            continue
        what = (
            f"最新信息日期 {latest.isoformat()}"
            if latest
            else "栏目信息均无日期（列表和详情页都没有），视为未更新"
        )
        found.append(
            fail(
                "column.stale",
                column.name,
                f"栏目「{column.name}」超过{period_label(window)}未更新：{what}",
                [index.evidence(column.url, what)],
            )
        )
    yield from summarize("column.stale", site, found, "各类栏目均在期限内更新")


# Columns whose rows need no date: pages about the unit (机构职能, 领导信息), the guide and rules, and the
# catalogue's own pages; their undated rows say nothing about updating.
STATIC_KINDS = ["institution", "guide", "system", "statutory", "key_area", "standard_catalogue"]


@check(
    "item.undated",
    doc="栏目列表中的信息没有显示发布日期（无日期的信息视为未更新）；机构职能、指南、制度等不需更新的栏目除外。",
    params={"min_items": 1, "exclude_kinds": STATIC_KINDS},
    roles=ALL_ROLES,
)
def item_undated(site: SiteModel, ctx: CheckContext) -> Iterator[Finding]:
    index = site_index(site, ctx.index)
    excluded = set(ctx.param("exclude_kinds"))
    found = []
    judged = 0  # columns with items to judge: none at all is no PASS
    for column in _leaf_columns(site, index):
        if column.kind in excluded:
            continue
        judged += bool(column.items)
        undated = [i for i in column.items if i.date is None and not i.pinned]
        if len(undated) < ctx.param("min_items"):
            continue
        titles = "；".join(i.title for i in undated[:3])
        found.append(
            fail(
                "item.undated",
                column.name,
                f"栏目「{column.name}」有 {len(undated)} 条信息未显示日期",
                [index.evidence(column.url, f"无日期：{titles}")],
            )
        )
    none = "" if judged else "未发现带信息条目的栏目列表"
    yield from summarize("item.undated", site, found, "列表信息均显示日期", none)
