"""Catalogue classifications: the 专栏 lets the public browse by 主题分类, 体裁分类 and the other facets
a framework names.

Id: catalogue.classification (contracts.md). Source: 六安市政务公开办2018年第一季度网上测评通报 ("霍邱县、
叶集区未设置主题分类栏目和体裁分类栏目，难以满足公众多角度查阅政府信息的要求"; "及时启用主题分类与体裁分类",
CONFIRMED). The names of each classification are data (vocab/document_classes.yaml, ``classifications``):
a navigation link, a column or the text of a catalogue page naming one of them counts as offering it.
An absence is an absence check (runner.ABSENCE_CHECKS): proven only where the catalogue was read whole.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from gongkai.checks._site import SiteIndex, fail, norm_url, passed, site_index, summarize, uncertain
from gongkai.checks.registry import ALL_ROLES, CheckContext, check
from gongkai.frameworks.catalogue import names_match
from gongkai.frameworks.classes import document_classes
from gongkai.frameworks.schema import FrameworkError
from gongkai.model import Evidence, Finding, SiteModel

CHECK = "catalogue.classification"
NAVIGATION_ROLES = ("home", "catalogue", "list")


def validate(params: Mapping[str, Any]) -> list[str]:
    """Problems (Chinese): a classification the data file does not name."""
    try:
        known = document_classes(str(params.get("classes") or "document_classes")).classifications
    except FrameworkError as exc:
        return [p.render(exc.path) for p in exc.problems]
    unknown = [c for c in params.get("classifications") or [] if c not in known]
    if unknown:
        return [f"未知的分类：{'、'.join(unknown)}（可用：{'、'.join(known)}）"]
    return []


def _found(site: SiteModel, index: SiteIndex, names: tuple[str, ...]) -> Evidence | None:
    """Where the site offers a classification: a column, a link, or a catalogue page naming it."""
    for column in site.columns:
        if names_match(column.name, names):
            return index.evidence(column.url, f"栏目「{column.name}」")
    for link in site.links:
        if link.text and names_match(link.text, names):
            return index.evidence(link.source or link.url, f"导航链接「{link.text}」→ {link.url}")
    zhuanlan = norm_url(site.zhuanlan_url) if site.zhuanlan_url else ""
    for page in site.pages:
        if page.role in NAVIGATION_ROLES or page.kind in ("home", "column") or norm_url(page.url) == zhuanlan:
            hit = next((n for n in names if n in page.text), "")
            if hit:
                return index.evidence(page.url, f"页面文字含“{hit}”")
    return None


@check(
    CHECK,
    doc="政府信息公开专栏未提供按主题分类、体裁分类（或指标体系要求的组配分类、服务对象分类、机构分类等）"
    "查阅信息的导航；分类名称及别名可由管理员在词表中维护。目录未读完整或栏目由脚本加载时为待核实。",
    params={"classifications": [], "classes": "document_classes"},
    roles=ALL_ROLES,
    validate=validate,
)
def catalogue_classification(site: SiteModel, ctx: CheckContext) -> Iterator[Finding]:
    index = site_index(site, ctx.index)
    wanted = list(ctx.param("classifications") or [])
    if not wanted:
        yield from summarize(CHECK, site, [], "", "指标体系未要求分类导航")
        return
    known = document_classes(str(ctx.param("classes"))).classifications
    where = site.zhuanlan_url or site.site
    if not site.zhuanlan_url and not any(p.role == "catalogue" for p in site.pages):
        yield uncertain(
            CHECK, site.site, "未找到政府信息公开专栏，无法判断是否提供分类导航", [index.evidence(where)]
        )
        return
    scripted = [c for c in site.columns if c.needs_render and c.in_zhuanlan]
    found: list[Finding] = []
    offered: list[str] = []
    for name in wanted:
        if _found(site, index, known.get(name, (name,))) is not None:
            offered.append(name)
            continue
        what = f"专栏的导航、栏目和目录页中未见「{name}」（含{'、'.join(known.get(name, (name,))[1:3]) or '别名'}）"
        evidence = [index.evidence(where, what)]
        if scripted:
            why = f"{what}；但有栏目由脚本加载（如「{scripted[0].name}」），需人工核实"
            found.append(uncertain(CHECK, name, f"可能未提供{name}导航：{why}", evidence))
        else:
            found.append(fail(CHECK, name, f"未提供{name}导航：{what}", evidence))
    if found:
        yield from found
        return
    yield passed(CHECK, site, f"专栏提供{'、'.join(offered)}导航")
