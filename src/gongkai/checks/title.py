"""Title check for 预决算 and 三公经费 disclosures: the unit's full name and the year.

Id: title.unit_year (contracts.md). Source: 六安 2018Q1 网上测评通报 ("财政预决算、“三公”经费
标题不规范 ... 缺单位全称或缺年度标注", CONFIRMED); pattern <单位全称><YYYY>年(度)<预算|决算>.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from gongkai.checks._site import fail, site_index, summarize, uncertain
from gongkai.checks.registry import DOCUMENT_ROLES, CheckContext, check
from gongkai.model import Finding, SiteModel

_SUBJECT = re.compile(r"预算|决算|三公")
_EXCLUDE = re.compile(r"审计|执行情况的报告|草案的报告")
# outside a budget column, a title about budgets is news or a notice unless it reads as the disclosure itself
_NOT_A_DISCLOSURE = re.compile(r"召开|会议|审议|培训|调研|部署|座谈|听取|解读|通知|执行情况|编制工作|绩效")
_YEAR = re.compile(r"(?:19|20)\d{2}\s*年")
_UNIT = re.compile(
    r"[\u4e00-\u9fff]{2,}(?:人民政府|委员会|管委会|办公室|办事处|街道|局|委|办|院|所|中心|站|队|镇|乡|厅|部|会|馆|校|社)"
)


# A region's own 预决算 (政府预决算, 本级/全区 totals, every unit's table) names the region, not a department:
# "2016年度平潭综合实验区一般公共预算“三公”经费支出决算情况". A region named beside other budget words is a
# unit only perhaps (UNCERTAIN); no name at all is a missing unit.
_REGION = re.compile(
    r"[\u4e00-\u9fff]{2,}?(?:自治区|自治州|自治县|特别行政区|综合实验区|实验区|新区|开发区|高新区|省|市|县|区|旗|盟|州)"
)
_WHOLE_REGION = re.compile(
    r"一般公共预算|政府性基金|国有资本经营|社会保险基金|政府预算|政府决算|财政预算|财政决算|总预算|总决算|本级|"
    r"全(?:省|市|县|区|州|旗)|各单位|各部门|汇总"
)
REGION_ONLY = "单位全称（只写了地区名）"


def title_problems(title: str, unit_name: str) -> list[str]:
    """What a 预决算 title lacks: 单位全称 and/or 年度 (REGION_ONLY: only a region is named)."""
    problems = []
    if not _YEAR.search(title):
        problems.append("年度")
    if unit_name:
        if unit_name not in title:
            problems.append("单位全称")
    else:
        before = _YEAR.split(title, maxsplit=1)[0] if _YEAR.search(title) else title
        if not _UNIT.search(before) and not _UNIT.search(
            title.replace("部门预算", "").replace("部门决算", "")
        ):
            if not _REGION.search(title):
                problems.append("单位全称")
            elif not _WHOLE_REGION.search(title):
                problems.append(REGION_ONLY)
    return problems


@check(
    "title.unit_year",
    doc="预决算、“三公”经费信息的标题缺少单位全称或年度。",
    params={"unit_name": ""},
    roles=DOCUMENT_ROLES,
)
def title_unit_year(site: SiteModel, ctx: CheckContext) -> Iterator[Finding]:
    index = site_index(site, ctx.index)
    unit = ctx.param("unit_name") or ctx.unit_name
    seen: set[str] = set()
    found = []
    titles = [(i.title, i.url, c.kind) for c in site.columns for i in c.items]
    titles += [(d.title, d.url, index.document_kind(d)) for d in site.documents]
    count = 0
    for title, url, kind in titles:
        if url in seen or not (kind == "budget" or _SUBJECT.search(title)) or _EXCLUDE.search(title):
            continue
        if kind != "budget" and _NOT_A_DISCLOSURE.search(title):
            continue
        if not _SUBJECT.search(title):
            continue  # other items of a budget column (notices, explanations)
        seen.add(url)
        count += 1
        problems = title_problems(title, unit)
        evidence = [index.evidence(url, f"标题：{title}")]
        certain = [p for p in problems if p != REGION_ONLY]
        if certain:
            found.append(fail("title.unit_year", url, f"标题「{title}」缺少{'、'.join(certain)}", evidence))
        elif problems:
            why = f"标题「{title}」只写了地区名、没有部门名称，是否为该地区本级的预决算需人工核实"
            found.append(uncertain("title.unit_year", url, why, evidence))
    none = "" if count else "未发现预决算、三公经费信息"
    yield from summarize("title.unit_year", site, found, f"{count} 条预决算信息标题规范", none)
