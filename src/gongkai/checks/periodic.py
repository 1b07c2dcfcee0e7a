"""Periodic publication: a column the framework says must publish every month, quarter or year.

Id: column.periodic (contracts.md). Source: 六安市政务公开办2018年第一季度网上测评通报 (为民服务事项办理结果
"按月进行公开"; 财政专项资金"及时全面更新"; 年度工作要点"及时、全面公开", CONFIRMED as requirements; the
periods and due days per item are the framework's parameters). A period inside the window (ending at the
cut-off date) with nothing dated in it FAILs; a page that explains a quiet period (本月无……, 暂无) does not.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from gongkai.checks._site import (
    SiteIndex,
    fail,
    norm_url,
    passed,
    shift_back,
    site_index,
    summarize,
    uncertain,
)
from gongkai.checks.registry import ALL_ROLES, CheckContext, check
from gongkai.frameworks.catalogue import load_catalogue, names_match
from gongkai.model import Column, Finding, SiteModel

CHECK = "column.periodic"
PERIODS = {"monthly": "月", "quarterly": "季度", "yearly": "年"}
_QUIET = re.compile(
    r"暂无|(?:月|季度?|年度?)份?暂?(?:无|没有|未发生|未产生)|无(?:相关|新增)?(?:信息|事项|数据|内容|办理)"
)


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date
    label: str
    due: dt.date  # judged from this day on (a grace after the period's end)

    def named_by(self, mention: re.Match[str]) -> bool:
        """Whether a mention of a period (_MENTION: 2026年7月, 7月份, 第三季度, 2025年度) names this one."""
        year, month, quarter = mention.group("year"), mention.group("month"), mention.group("quarter")
        if year and int(year) != self.start.year:
            return False
        if self.label.endswith("月"):
            return month is not None and int(month) == self.start.month
        if "季度" in self.label:
            return quarter is not None and _QUARTERS.get(quarter, 0) == (self.start.month - 1) // 3 + 1
        return bool(year) and month is None and quarter is None


_MENTION = re.compile(
    r"(?:(?P<year>(?:19|20)\d{2})年度?)?(?:(?<!\d)(?P<month>\d{1,2})月份?|第(?P<quarter>[一二三四1-4])季度)?"
)
_QUARTERS = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}


def _quarter_name(month: int) -> str:
    return "一二三四"[(month - 1) // 3]


def periods(kind: str, as_of: dt.date, window_start: dt.date, due_days: int, due_date: str) -> list[Period]:
    """The periods of ``kind`` inside the window (``window_start`` to ``as_of``) and due by ``as_of``: a month
    or quarter that starts in it, a year whose due day falls in it."""
    out: list[Period] = []
    year, month = window_start.year - 1, window_start.month
    step = {"monthly": 1, "quarterly": 3, "yearly": 12}[kind]
    if kind == "quarterly":
        month = (month - 1) // 3 * 3 + 1
    if kind == "yearly":
        month = 1
    while True:
        start = dt.date(year, month, 1)
        nxt_year, nxt_month = divmod(year * 12 + month - 1 + step, 12)
        end = dt.date(nxt_year, nxt_month + 1, 1) - dt.timedelta(days=1)
        if start > as_of:
            break
        due = end + dt.timedelta(days=due_days)
        if kind == "yearly" and due_date:
            mm, dd = (int(x) for x in due_date.split("-"))
            due = dt.date(year, mm, dd)
        inside = start >= window_start if kind != "yearly" else due >= window_start
        if inside and due <= as_of:
            label = (
                f"{year}年{month}月"
                if kind == "monthly"
                else f"{year}年第{_quarter_name(month)}季度"
                if kind == "quarterly"
                else f"{year}年"
            )
            out.append(Period(start, end, label, due))
        year, month = nxt_year, nxt_month + 1
    return out


def validate(params: Mapping[str, Any]) -> list[str]:
    """Problems (Chinese) with the framework's column list."""
    problems = []
    for i, spec in enumerate(params.get("columns") or []):
        where = f"columns 第{i + 1}项"
        if not isinstance(spec, Mapping):
            problems.append(f"{where}应为映射（name、period、kinds/names/catalogue）")
            continue
        if spec.get("period") not in PERIODS:
            problems.append(f"{where}的 period 应为 monthly、quarterly 或 yearly")
        if not (spec.get("kinds") or spec.get("names") or spec.get("catalogue")):
            problems.append(f"{where}须给出 kinds、names 或 catalogue 之一")
        due = str(spec.get("due_date") or "")
        if due and not re.fullmatch(r"\d{1,2}-\d{1,2}", due):
            problems.append(f"{where}的 due_date 应写作 MM-DD")
    return problems


def _matching(spec: Mapping[str, Any], columns: Sequence[Column], parents: set[str]) -> list[Column]:
    names = list(spec.get("names") or [])
    kinds = set(spec.get("kinds") or [])
    if spec.get("catalogue"):
        for entry in load_catalogue().resolve(list(spec["catalogue"])):
            names += entry.names
            kinds |= set(entry.kinds)
    return [
        c
        for c in columns
        if norm_url(c.url) not in parents and (c.kind in kinds or (names and names_match(c.name, names)))
    ]


def _dates(columns: list[Column], index: SiteIndex) -> list[dt.date]:
    out = []
    for item in (i for c in columns for i in c.items):
        day = item.date
        if day is None:
            doc = index.documents.get(norm_url(item.url))
            day = doc.published if doc is not None else None
        if day is not None:
            out.append(day)
    return out


def _mention_before(text: str, pos: int) -> re.Match[str] | None:
    """The last period mentioned in the 30 characters before ``pos`` (a note's own period), if any."""
    found = None
    for match in _MENTION.finditer(text, max(0, pos - 30), pos):
        if match.group(0):
            found = match
    return found


def _quiet_note(column: Column, period: Period, index: SiteIndex) -> str:
    """The words of a page that explain the quiet period: a note naming the period (本月无……, 暂无) on the
    column page, in a row's title or in a listed page; or, on the column page only, a note naming no
    period at all. '' when none. A note about another period explains nothing here."""
    page = index.page(column.url)
    texts: list[tuple[str, str]] = [(column.url, page.text)] if page is not None else []
    texts += [(i.url, i.title) for i in column.items]
    texts += [
        (i.url, d.body) for i in column.items if (d := index.documents.get(norm_url(i.url))) is not None
    ]
    generic = ""
    for url, text in texts:
        for match in _QUIET.finditer(text):
            near = " ".join(text[max(0, match.start() - 30) : match.end() + 20].split())
            mention = _mention_before(text, match.start() + 1)
            if mention is not None and period.named_by(mention):
                return url + "\u0000" + near
            if mention is None and url == column.url and not generic:
                generic = url + "\u0000" + near
    return generic


def _spec_findings(
    columns: list[Column], spec: Mapping[str, Any], ctx: CheckContext, index: SiteIndex
) -> list[Finding]:
    """The periods the columns of one framework item (taken together: 专项资金分配结果 and 专项资金清册
    both publish 财政专项资金) leave without anything dated in them."""
    kind = str(spec["period"])
    start = shift_back(ctx.as_of, spec.get("window") or ctx.param("window"))
    dates = _dates(columns, index)
    subject = str(spec.get("name") or columns[0].name)
    named = "、".join(f"「{c.name}」" for c in columns[:3])
    oldest = min(dates) if dates else None
    long_list = any(len(c.items) >= int(ctx.param("page_size")) for c in columns)
    out: list[Finding] = []
    for period in periods(
        kind, ctx.as_of, start, int(spec.get("due_days") or 0), str(spec.get("due_date") or "")
    ):
        if any(period.start <= d <= period.end for d in dates):
            continue
        note = next((n for c in columns if (n := _quiet_note(c, period, index))), "")
        if note:
            url, text = note.split("\u0000", 1)
            why = f"{named}{period.label}没有信息，但页面说明了原因：“{text}”，需人工确认说明是否成立"
            out.append(uncertain(CHECK, subject, why, [index.evidence(url, text)]))
            continue
        what = f"{named}（{subject}，应按{PERIODS[kind]}公开）{period.label}没有任何信息"
        said = f"{period.label}（{period.start}至{period.end}）无日期在内的信息"
        evidence = [index.evidence(c.url, said) for c in columns[:3]]
        if oldest is not None and oldest > period.end and long_list:
            why = f"{what}；列表最早一条为 {oldest}，可能未读完全部列表页，需人工核实"
            out.append(uncertain(CHECK, subject, why, evidence))
        else:
            out.append(fail(CHECK, subject, f"未按期公开：{what}", evidence))
    return out


@check(
    CHECK,
    doc="指标体系要求按期（每月、每季度、每年）公开的栏目，在检查时点前的监测期内有某一期没有任何带日期的信息；"
    "页面说明该期无信息（本月无……、暂无）的为待核实而非不合格。参数 columns 逐项给出栏目（kinds、names 或"
    " catalogue，同一项的几个栏目合起来判断）、period（monthly/quarterly/yearly）、due_days（期满后再等几天才判这一期）"
    "或 due_date（年度项目的截止日 MM-DD）。",
    params={"columns": [], "window": "6m", "page_size": 15},
    roles=ALL_ROLES,
    validate=validate,
)
def column_periodic(site: SiteModel, ctx: CheckContext) -> Iterator[Finding]:
    index = site_index(site, ctx.index)
    specs = list(ctx.param("columns") or [])
    if not specs:
        yield from summarize(CHECK, site, [], "", "指标体系未要求按期公开的栏目")
        return
    found: list[Finding] = []
    judged = 0
    for spec in specs:
        columns = [c for c in _matching(spec, site.columns, index.parents) if c.items and not c.placeholder]
        if columns:
            judged += 1
            found.extend(_spec_findings(columns, spec, ctx, index))
    if not judged:
        names = "、".join(str(s.get("name") or s.get("names") or s.get("kinds")) for s in specs)
        yield from summarize(
            CHECK,
            site,
            [],
            "",
            f"未找到要求按期公开且有信息的栏目（{names}），空白或缺失由 column.blank、column.missing 判断",
        )
        return
    if not found:
        yield passed(CHECK, site, f"{judged} 项按期公开的信息在监测期内每期都有")
        return
    yield from found
