"""The validator: every annual-report rule of contracts.md, as `gongkai.model.Problem`s.

`where` holds the cell addresses concerned, comma-separated (`t3.new_received.total`, `t4.review.total`,
`t2.fees.amount_wan`, `ch.六、其他需要报告的事项`, `meta.published`), so that a page can highlight them;
the message says in Chinese what is wrong, with the numbers. Arithmetic rules skip any sum with a blank
cell (blank is reported once by CELL-BLANK, never read as 0).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from gongkai.annual.model import (
    CHAPTERS,
    T2_KEYS,
    T3_COLUMN_LABELS,
    T3_COLUMNS,
    T3_KEYS_2019,
    T3_LABELS,
    T3_OUTCOMES_2019,
    T3_OUTCOMES_2021,
    T4_FIELDS,
    T4_GROUP_LABELS,
    T4_GROUPS,
    T4_KEYS,
    AnnualReport,
    cell_label,
)
from gongkai.model import Problem

SEVERITY = {
    "T3-IDENTITY": "error",
    "T3-ROWSUM": "error",
    "T3-RESULTTOTAL": "error",
    "T4-SUM": "error",
    "CELL-BLANK": "warning",
    "CELL-INVALID": "error",
    "FMT-OLD": "error",
    "CH-MISSING": "error",
    "TEXT-TABLE": "warning",
    "FEE-CH6": "warning",
    "X-CARRY": "warning",
    "X-VALID": "warning",
    "LATE": "warning",
    "CELL-AMBIGUOUS": "warning",
}
RULES: tuple[str, ...] = tuple(SEVERITY)
# What users read instead of a rule id (pages, exports, check messages); the ids stay in JSON output.
RULE_NAMES = {
    "T3-IDENTITY": "表三收结平衡",
    "T3-ROWSUM": "表三行合计",
    "T3-RESULTTOTAL": "表三办理结果合计",
    "T4-SUM": "表四合计",
    "CELL-BLANK": "必填项空白",
    "CELL-INVALID": "数值无效",
    "FMT-OLD": "使用旧版格式",
    "CH-MISSING": "缺少章节",
    "TEXT-TABLE": "正文与表格不符",
    "FEE-CH6": "收费未在第六部分说明",
    "X-CARRY": "与上年结转不符",
    "X-VALID": "现行有效件数不符",
    "LATE": "逾期发布",
    "CELL-AMBIGUOUS": "数值无法确定",
}


def rule_name(rule: str) -> str:
    """A rule's Chinese name (the id itself for a rule this version does not know)."""
    return RULE_NAMES.get(rule, rule)


TABLE_NAMES = {"t2": "表二", "t3": "表三", "t4": "表四"}


@dataclass(frozen=True)
class Deadlines:
    """Statutory publication dates (month, day) of the year after the report year, by body level."""

    department: tuple[int, int] = (1, 31)
    government: tuple[int, int] = (3, 31)
    # Old 条例 (国务院令第492号, report years up to 2018): one date, 31 March, for every body.
    before_2019: tuple[int, int] = (3, 31)

    def due(self, year: int, level: str) -> dt.date | None:
        if level not in ("department", "government"):
            return None
        if year < 2019:
            return dt.date(year + 1, *self.before_2019)
        md = {"department": self.department, "government": self.government}.get(level)
        return None if md is None else dt.date(year + 1, *md)


def _p(rule: str, message: str, where: str | list[str] = "") -> Problem:
    if isinstance(where, list):
        where = ",".join(where)
    return Problem(rule=rule, severity=SEVERITY[rule], message=message, where=where)


def validate(
    report: AnnualReport,
    previous: AnnualReport | None = None,
    *,
    deadlines: Deadlines | None = None,
    level: str | None = None,
) -> list[Problem]:
    """All problems of one report; `previous` (last year's report) enables X-CARRY and X-VALID."""
    problems: list[Problem] = []
    problems += cell_problems(report)
    problems += format_problems(report)
    if report.t3:
        problems += t3_problems(report)
    if len(report.t4) == 15:
        problems += t4_problems(report)
    if report.format != "pre2019" and not report.tables_only:
        problems += chapter_problems(report)
        problems += text_table_problems(report)
        problems += fee_problems(report)
    if previous is not None:
        problems += cross_year_problems(report, previous)
    problems += late_problems(report, deadlines or Deadlines(), level)
    return problems


# --- cells -----------------------------------------------------------------------------------------
def cell_problems(report: AnnualReport) -> list[Problem]:
    out: list[Problem] = []
    noted = set()
    for rule, notes in (("CELL-BLANK", report.notes), ("CELL-AMBIGUOUS", report.doubts)):
        for where, message in notes:
            if where.startswith(("t2", "t3", "t4")):
                out.append(_p(rule, message, where))
                noted.update(where.split(","))
    if report.format != "pre2019":
        for table, name in TABLE_NAMES.items():
            if table == "t2" and report.formats.get("t2") == "2019":
                if not report.t2_old and "t2" not in noted:
                    out.append(
                        _p("CELL-AMBIGUOUS", "表二为2019年试行格式，但其数字无法从原文中唯一读出", "t2")
                    )
                continue
            if not getattr(report, table):
                out.append(_p("CELL-BLANK", f"未找到{name}（或无法识别其行标签），{name}各格按空处理", table))
    for where, raw in report.invalid.items():
        row = where.rsplit(".", 1)[0]
        if row in noted or where in noted:
            continue
        out.append(_p("CELL-INVALID", f"{cell_label(where)}的值「{raw}」不是非负整数", where))
    if report.format == "pre2019":
        return out
    skip_rows = {w for w in noted}
    for key, row in report.t3.items():
        if f"t3.{key}" in skip_rows:
            continue
        blanks = [
            f"t3.{key}.{c}"
            for c, v in zip(T3_COLUMNS, row, strict=True)
            if v is None and f"t3.{key}.{c}" not in report.invalid
        ]
        if blanks:
            cols = "、".join(T3_COLUMN_LABELS[b.rsplit(".", 1)[1]] for b in blanks)
            out.append(
                _p("CELL-BLANK", f"表三「{T3_LABELS[key]}」行有{len(blanks)}格为空或填“/”：{cols}", blanks)
            )
    if report.t2 and not any(w.startswith("t2") for w in noted):
        blanks = [f"t2.{k}" for k in T2_KEYS if report.t2.get(k) is None and f"t2.{k}" not in report.invalid]
        if blanks:
            names = "、".join(cell_label(b) for b in blanks)
            out.append(_p("CELL-BLANK", f"表二有{len(blanks)}格为空或填“/”：{names}", blanks))
    if len(report.t4) == 15 and "t4" not in noted:
        blanks = [
            f"t4.{k}"
            for k, v in zip(T4_KEYS, report.t4, strict=True)
            if v is None and f"t4.{k}" not in report.invalid
        ]
        if blanks:
            out.append(_p("CELL-BLANK", f"表四有{len(blanks)}格为空或填“/”", blanks))
    return out


def format_problems(report: AnnualReport) -> list[Problem]:
    out = []
    if report.year is None or report.year < 2021:
        return out
    for table in ("t2", "t3"):
        if report.formats.get(table) == "2019":
            what = (
                "表二使用了2019年试行格式（本年新制作数量/上一年项目数量等栏目）"
                if table == "t2"
                else "表三「（六）其他处理」为单独一行，未按2021年格式分列三项"
            )
            where = "t3.other" if table == "t3" else "t2"
            out.append(_p("FMT-OLD", f"{report.year}年度报告应使用2021年格式：{what}", where))
    return out


# --- table 三 ----------------------------------------------------------------------------------------
def _n(v: int | None) -> str:
    return "空" if v is None else str(v)


def t3_problems(report: AnnualReport) -> list[Problem]:
    out: list[Problem] = []
    t3 = report.t3
    keys = report.t3_keys()
    outcomes = T3_OUTCOMES_2019 if keys is T3_KEYS_2019 else T3_OUTCOMES_2021
    for i, col in enumerate(T3_COLUMNS):
        cname = T3_COLUMN_LABELS[col]
        a, b = t3["new_received"][i], t3["carried_over"][i]
        c, d = t3["total_processed"][i], t3["carried_forward"][i]
        if None not in (a, b, c, d) and a + b != c + d:
            out.append(
                _p(
                    "T3-IDENTITY",
                    f"表三{cname}列：本年新收{a}+上年结转{b}={a + b}，不等于总计{c}+结转下年度{d}={c + d}",
                    [
                        f"t3.{k}.{col}"
                        for k in ("new_received", "carried_over", "total_processed", "carried_forward")
                    ],
                )
            )
        vals = [t3[k][i] for k in outcomes]
        if c is not None and None not in vals:
            s = sum(vals)  # type: ignore[arg-type]
            if s != c:
                out.append(
                    _p(
                        "T3-RESULTTOTAL",
                        f"表三{cname}列：各项办理结果之和为{s}，与（七）总计{c}不符（差{c - s}）",
                        [f"t3.{k}.{col}" for k in (*outcomes, "total_processed")],
                    )
                )
    for key in keys:
        row = t3[key]
        if None in row:
            continue
        s = sum(row[:6])  # type: ignore[arg-type]
        if s != row[6]:
            out.append(
                _p(
                    "T3-ROWSUM",
                    f"表三「{T3_LABELS[key]}」行：六类申请人之和为{s}，与总计{row[6]}不符（差{row[6] - s}）",  # type: ignore[operator]
                    [f"t3.{key}.{c}" for c in T3_COLUMNS],
                )
            )
    return out


def t4_problems(report: AnnualReport) -> list[Problem]:
    out = []
    for g, group in enumerate(T4_GROUPS):
        vals = report.t4[g * 5 : g * 5 + 5]
        if None in vals:
            continue
        s = sum(vals[:4])  # type: ignore[arg-type]
        if s != vals[4]:
            parts = "+".join(_n(v) for v in vals[:4])
            out.append(
                _p(
                    "T4-SUM",
                    f"表四「{T4_GROUP_LABELS[group]}」：结果维持+结果纠正+其他结果+尚未审结={parts}={s}，与总计{vals[4]}不符",
                    [f"t4.{group}.{f}" for f in T4_FIELDS],
                )
            )
    return out


# --- chapters and text -------------------------------------------------------------------------------
def chapter_problems(report: AnnualReport) -> list[Problem]:
    return [
        _p("CH-MISSING", f"缺少第{h[0]}部分「{h[2:]}」", f"ch.{h}")
        for h in CHAPTERS
        if h not in report.chapters
    ]


def _num(pattern: str, text: str) -> int | None:
    m = re.search(pattern, text)
    return int(m.group(1)) if m else None


def text_table_problems(report: AnnualReport) -> list[Problem]:
    """Figures quoted in chapter 一 against the tables; only unambiguous phrasings are read."""
    ch1 = re.sub(r"\s+", "", report.chapters.get(CHAPTERS[0], ""))
    if not ch1 or not report.t3:
        return []
    out = []
    t3 = report.t3
    new_total, carried = t3["new_received"][6], t3["carried_over"][6]
    checks = [
        (
            r"(?:受理|收到|新收)(?:各类)?政府信息公开申请(?:件)?(?:共计?)?(\d+)件",
            "收到（受理）申请",
            [new_total, (new_total or 0) + (carried or 0) if new_total is not None else None],
            "t3.new_received.total",
        ),
        (r"办结(?:政府信息公开申请)?(\d+)件", "办结", [t3["total_processed"][6]], "t3.total_processed.total"),
        (
            r"结转下(?:一)?年度?(?:继续办理)?(\d+)件",
            "结转下年度",
            [t3["carried_forward"][6]],
            "t3.carried_forward.total",
        ),
        (r"上年结转(?:政府信息公开申请)?(\d+)件", "上年结转", [carried], "t3.carried_over.total"),
    ]
    if len(report.t4) == 15:
        checks.append((r"行政复议(?:案件)?(?:共)?(\d+)件", "行政复议", [report.t4[4]], "t4.review.total"))
        lit = report.t4[9], report.t4[14]
        checks.append(
            (
                r"行政诉讼(?:案件)?(?:共)?(\d+)件",
                "行政诉讼",
                [None if None in lit else lit[0] + lit[1]],  # type: ignore[operator]
                "t4.litigation_direct.total,t4.litigation_after_review.total",
            )
        )
    # Only sentences about applications (or 复议/诉讼) are read: "受理审批事项117件，办结171件" is not table 三.
    sentences = [x for x in re.split(r"[。；;！!]", ch1) if re.search(r"政府信息公开|依申请|复议|诉讼", x)]
    for pattern, what, table_values, where in checks:
        quoted = next((q for q in (_num(pattern, x) for x in sentences) if q is not None), None)
        known = [v for v in table_values if v is not None]
        if quoted is None or not known or quoted in known:
            continue
        out.append(
            _p("TEXT-TABLE", f"正文称{what}{quoted}件，表格为{known[0]}件", f"ch.{CHAPTERS[0]},{where}")
        )
    return out


def fee_problems(report: AnnualReport) -> list[Problem]:
    fee_row = report.t3.get("other.overdue_fee")
    fee_cases = fee_row[6] if fee_row else None
    body = "".join(v for k, v in report.chapters.items() if k != CHAPTERS[5])
    charged = re.search(r"收取[^。；]{0,20}信息处理费[^。；]{0,10}?([1-9]\d*(?:\.\d+)?)\s*(?:万?元)", body)
    if not (fee_cases and fee_cases > 0) and not charged:
        return []
    ch6 = report.chapters.get(CHAPTERS[5])
    if ch6 is None or "信息处理费" in ch6 or re.search(r"收费|费用", ch6):
        return []
    why = (
        f"表三「逾期未按收费通知要求缴纳费用」总计为{fee_cases}件" if fee_cases else "正文提到收取信息处理费"
    )
    return [
        _p(
            "FEE-CH6",
            f"{why}，但第六部分未报告信息处理费收取情况",
            f"ch.{CHAPTERS[5]},t3.other.overdue_fee.total",
        )
    ]


# --- across years and dates ----------------------------------------------------------------------------
def cross_year_problems(report: AnnualReport, previous: AnnualReport) -> list[Problem]:
    out = []
    prev_fwd = previous.t3.get("carried_forward")
    this_over = report.t3.get("carried_over")
    py = previous.year or "上一"
    if prev_fwd and this_over:
        for i, col in enumerate(T3_COLUMNS):
            a, b = prev_fwd[i], this_over[i]
            if a is not None and b is not None and a != b:
                out.append(
                    _p(
                        "X-CARRY",
                        f"表三{T3_COLUMN_LABELS[col]}列：{py}年度报告结转下年度{a}件，本年度上年结转{b}件，两者不一致",
                        f"t3.carried_over.{col}",
                    )
                )
    for row, name in (("regulations", "规章"), ("normative_documents", "行政规范性文件")):
        last = previous.t2.get(f"{row}.valid")
        made, repealed, valid = (report.t2.get(f"{row}.{f}") for f in ("made", "repealed", "valid"))
        if None in (last, made, repealed, valid):
            continue
        expected = last + made - repealed  # type: ignore[operator]
        if expected != valid:
            out.append(
                _p(
                    "X-VALID",
                    f"表二「{name}」：上年现行有效{last}+本年制发{made}−本年废止{repealed}={expected}，与本年现行有效{valid}不符",
                    [f"t2.{row}.valid", f"t2.{row}.made", f"t2.{row}.repealed"],
                )
            )
    return out


def late_problems(report: AnnualReport, deadlines: Deadlines, level: str | None = None) -> list[Problem]:
    level = level or report.level
    if report.published is None or report.year is None or not level:
        return []
    due = deadlines.due(report.year, level)
    if due is None or report.published <= due:
        return []
    body = "部门" if level == "department" else "人民政府"
    days = (report.published - due).days
    return [
        _p(
            "LATE",
            f"{report.year}年度报告于{report.published.isoformat()}发布，晚于{body}的法定期限{due.isoformat()}（晚{days}天）",
            "meta.published",
        )
    ]


def has_errors(problems: list[Problem]) -> bool:
    return any(p.severity == "error" for p in problems)


__all__ = ["Deadlines", "RULES", "SEVERITY", "has_errors", "validate"]
