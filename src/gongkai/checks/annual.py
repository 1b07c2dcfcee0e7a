"""Annual-report checks: the last year's report present, on time, and internally consistent.

Ids: annual_report.missing, annual_report.late, annual_report.inconsistent (contracts.md).
Sources: 条例 (2019) 第五十条 as recalled (UNCONFIRMED here): every body publishes by 1月31日,
县级以上政府's own report by 3月31日 — the due dates are parameters per unit group; the
consistency rules are the annual-report engine's (gongkai.annual, rules with severity "error").
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from gongkai.checks._site import SiteIndex, archived_bodies, fail, passed, site_index, summarize, uncertain
from gongkai.checks.registry import DOCUMENT_ROLES, CheckContext, check
from gongkai.model import Finding, Problem, SiteModel

_REPORT = re.compile(
    r"((?:19|20)\d{2})\s*年\s*度?.{0,40}?(?:政府信息公开|政务公开).{0,12}?(?:年度报告|年报|工作报告)"
)
DUE = {"default": "01-31", "county": "03-31", "zone": "03-31"}


@dataclass(frozen=True)
class Report:
    year: int
    title: str
    url: str
    published: dt.date | None
    text: str
    record: str


def reports(site: SiteModel, index: SiteIndex) -> list[Report]:
    """Annual reports found among documents and list items, one per URL."""
    out: dict[str, Report] = {}
    for doc in site.documents:
        match = _REPORT.search(doc.title)
        if match:
            text = "\n".join([doc.body, *(a.text for a in doc.attachments)])
            out[doc.url] = Report(int(match.group(1)), doc.title, doc.url, doc.published, text, doc.record)
    for column in site.columns:
        for item in column.items:
            match = _REPORT.search(item.title)
            if match and item.url not in out:
                out[item.url] = Report(
                    int(match.group(1)), item.title, item.url, item.date, "", index.record(item.url)
                )
    return list(out.values())


def due_date(year: int, due: Mapping[str, Any], group: str) -> dt.date:
    """The statutory publication date of the report for ``year`` for a unit of ``group``."""
    month, day = (int(x) for x in str(due.get(group, due["default"])).split("-"))
    return dt.date(year + 1, month, day)


def expected_year(as_of: dt.date, due: Mapping[str, Any], group: str) -> int:
    """The latest report year that must be out by ``as_of``."""
    year = as_of.year - 1
    return year if as_of > due_date(year, due, group) else year - 1


def _where(site: SiteModel, index: SiteIndex) -> tuple[str, str]:
    column = next((c for c in site.columns if c.kind == "annual_report"), None)
    url = column.url if column else (site.zhuanlan_url or site.site)
    return url, index.record(url)


@check(
    "annual_report.missing",
    doc="未公开上一年度政府信息公开工作年度报告。",
    params={"due": DUE},
    roles=DOCUMENT_ROLES,
)
def annual_report_missing(site: SiteModel, ctx: CheckContext) -> Iterator[Finding]:
    index = site_index(site, ctx.index)
    year = expected_year(ctx.as_of, ctx.param("due"), ctx.unit_group)
    if any(r.year == year for r in reports(site, index)):
        yield passed("annual_report.missing", site, f"已公开 {year} 年度报告")
        return
    url, record = _where(site, index)
    column = next((c.name for c in site.columns if c.kind == "annual_report"), "政府信息公开年报")
    yield fail(
        "annual_report.missing",
        column,
        f"未找到 {year} 年度政府信息公开工作年度报告",
        [index.evidence(url, f"年报栏目中未见 {year} 年度报告", record)],
    )


@check(
    "annual_report.late",
    doc="年度报告晚于法定日期公开（默认次年1月31日，县级以上政府本级报告3月31日）。",
    params={"due": DUE, "years": 1},
    roles=DOCUMENT_ROLES,
)
def annual_report_late(site: SiteModel, ctx: CheckContext) -> Iterator[Finding]:
    index = site_index(site, ctx.index)
    due_map = ctx.param("due")
    latest = expected_year(ctx.as_of, due_map, ctx.unit_group)
    found = []
    count = 0
    for report in reports(site, index):
        if (
            report.published is None
            or report.year <= latest - int(ctx.param("years"))
            or report.year > latest
        ):
            continue
        count += 1
        due = due_date(report.year, due_map, ctx.unit_group)
        if report.published <= due:
            continue
        found.append(
            fail(
                "annual_report.late",
                report.url,
                f"{report.year} 年度报告于 {report.published} 公开，晚于法定日期 {due}",
                [index.evidence(report.url, f"发布日期 {report.published}", report.record)],
            )
        )
    none = "" if count else "未找到带发布日期的年度报告"
    yield from summarize("annual_report.late", site, found, "年度报告按时公开", none)


def validate_report(data: bytes, kind: str) -> list[Problem] | None:
    """Error problems of one annual report (HTML or text); None when it cannot be read."""
    from gongkai.annual import ReadError, parse_bytes, validate

    try:
        report = parse_bytes(data, f"年度报告.{'html' if kind == 'html' else 'txt'}", kind=kind)
    except ReadError:
        return None
    return [p for p in validate(report) if p.severity == "error" and p.rule != "LATE"]


@check(
    "annual_report.inconsistent",
    doc="年度报告违反勾稽关系等错误级规则（表三恒等式、行合计、表四合计等）。",
    params={"years": 1, "due": DUE},
    roles=DOCUMENT_ROLES,
)
def annual_report_inconsistent(site: SiteModel, ctx: CheckContext) -> Iterator[Finding]:
    from gongkai.annual.rules import rule_name

    index = site_index(site, ctx.index)
    latest = expected_year(ctx.as_of, ctx.param("due"), ctx.unit_group)
    found = []
    count = 0
    wanted = [r for r in reports(site, index) if latest - int(ctx.param("years")) < r.year <= latest]
    html = archived_bodies(site, {r.record for r in wanted if r.record})
    for report in wanted:
        if report.record in html:
            problems = validate_report(html[report.record], "html")
        elif report.text.strip():
            problems = validate_report(report.text.encode("utf-8"), "text")
        else:
            continue
        if problems is None:
            found.append(
                uncertain("annual_report.inconsistent", report.url, "年度报告正文无法解析，需人工核实")
            )
            continue
        count += 1
        if problems:
            rules = "、".join(dict.fromkeys(rule_name(p.rule) for p in problems))
            found.append(
                fail(
                    "annual_report.inconsistent",
                    report.url,
                    f"{report.year} 年度报告有 {len(problems)} 处错误（{rules}）：{problems[0].message}",
                    [
                        index.evidence(report.url, f"{rule_name(p.rule)}：{p.message}", report.record)
                        for p in problems[:5]
                    ],
                )
            )
    none = "" if count else "未找到可校验的年度报告正文"
    yield from summarize("annual_report.inconsistent", site, found, "年度报告未发现错误", none)
