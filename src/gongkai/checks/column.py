"""Column checks: required columns, blank columns, stale columns, undated items.

Ids: column.missing, column.blank, column.stale, item.undated (contracts.md).
Sources: 国办秘函〔2019〕19号 V4 (windows 2 weeks / 6 months / 1 year, CONFIRMED in 开普云
tooltips); 2015 普查 (undated content counts as not updated; 空白栏目); 国办公开办函〔2019〕61号
(the four standard sub-columns of the 专栏).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Mapping
from typing import Any

from gongkai.checks._site import (
    SiteIndex,
    fail,
    newest,
    norm_url,
    period_label,
    shift_back,
    site_index,
    summarize,
)
from gongkai.checks.registry import CheckContext, check
from gongkai.model import Column, Finding, Item, SiteModel

STANDARD_CATALOGUE = [
    {"name": "政府信息公开指南", "kinds": ["guide"], "aliases": ["公开指南"]},
    {"name": "政府信息公开制度", "kinds": ["system"], "aliases": ["公开制度"]},
    {"name": "法定主动公开内容", "kinds": ["statutory"], "aliases": ["主动公开内容", "法定主动公开"]},
    {"name": "政府信息公开年报", "kinds": ["annual_report"], "aliases": ["公开年报", "年度报告"]},
]


def _matches(column: Column, entry: Mapping[str, Any]) -> bool:
    if column.kind in entry.get("kinds", ()):
        return True
    names = [entry["name"], *entry.get("aliases", ())]
    return any(name in column.name for name in names)


def _where(site: SiteModel, index: SiteIndex) -> tuple[str, str]:
    url = site.zhuanlan_url or site.site
    return url, index.record(url)


@check(
    "column.missing",
    doc="缺少指标体系栏目目录要求设置的栏目（如政府信息公开指南、制度、法定主动公开内容、年报及条例第二十条各类信息）。",
    params={"catalogue": STANDARD_CATALOGUE},
)
def column_missing(site: SiteModel, ctx: CheckContext) -> Iterator[Finding]:
    index = site_index(site, ctx.index)
    url, record = _where(site, index)
    found = []
    for entry in ctx.param("catalogue"):
        if any(_matches(c, entry) for c in site.columns):
            continue
        found.append(
            fail(
                "column.missing",
                entry["name"],
                f"未设置「{entry['name']}」栏目",
                [index.evidence(url, f"栏目目录中未找到「{entry['name']}」", record)],
            )
        )
    yield from summarize("column.missing", site, found, "栏目目录要求的栏目均已设置")


def _leaf_columns(site: SiteModel, index: SiteIndex) -> Iterator[Column]:
    for column in site.columns:
        if norm_url(column.url) not in index.parents:
            yield column


@check(
    "column.blank",
    doc="空白栏目：栏目没有任何信息，或只显示“暂无信息”之类的占位文字。",
    params={"exclude_kinds": []},
)
def column_blank(site: SiteModel, ctx: CheckContext) -> Iterator[Finding]:
    index = site_index(site, ctx.index)
    excluded = set(ctx.param("exclude_kinds"))
    found = []
    for column in _leaf_columns(site, index):
        if column.kind in excluded or column.needs_render or (column.items and not column.placeholder):
            continue
        page = index.page(column.url)
        if page is not None and (not 200 <= page.status < 400 or page.kind == "detail"):
            continue  # a dead page is link.broken's finding; an article is not a column
        why = "只有占位文字（暂无信息）" if column.placeholder else "没有任何信息"
        found.append(
            fail(
                "column.blank",
                column.name,
                f"空白栏目「{column.name}」：{why}",
                [index.evidence(column.url, why)],
            )
        )
    yield from summarize("column.blank", site, found, "没有空白栏目")


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


@check(
    "item.undated",
    doc="栏目列表中的信息没有显示发布日期（无日期的信息视为未更新）。",
    params={"min_items": 1},
)
def item_undated(site: SiteModel, ctx: CheckContext) -> Iterator[Finding]:
    index = site_index(site, ctx.index)
    found = []
    for column in _leaf_columns(site, index):
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
    yield from summarize("item.undated", site, found, "列表信息均显示日期")
