"""The annual-report model: unit, year, chapters, tables 二/三/四 and their formats.

Stable keys follow contracts.md. A cell is an int (a Decimal for `fees.amount_wan`) or None when the
report leaves it blank or writes `/`, `-`, `—`: None is never 0. Standard library only.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

Number = int | Decimal

T3_COLUMNS: tuple[str, ...] = (
    "natural_person",
    "commercial",
    "research",
    "social_welfare",
    "legal_service",
    "other",
    "total",
)
T3_COLUMN_LABELS: dict[str, str] = {
    "natural_person": "自然人",
    "commercial": "商业企业",
    "research": "科研机构",
    "social_welfare": "社会公益组织",
    "legal_service": "法律服务机构",
    "other": "其他",
    "total": "总计",
}

DENIED = (
    "state_secret",
    "law_forbidden",
    "safety_stability",
    "third_party",
    "internal_affairs",
    "process_info",
    "enforcement_case",
    "admin_query",
)
UNABLE = ("no_info", "need_creation", "unclear")
NOT_PROCESSED = ("complaint", "repeat", "publication", "massive", "confirm")
OTHER_2021 = ("overdue_correction", "overdue_fee", "other")

# Rows of table 三 in the 2021 format, in order, with their printed labels.
T3_ROWS_2021: tuple[tuple[str, str], ...] = (
    ("new_received", "一、本年新收政府信息公开申请数量"),
    ("carried_over", "二、上年结转政府信息公开申请数量"),
    ("granted", "（一）予以公开"),
    ("partial_grant", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"),
    ("denied.state_secret", "1.属于国家秘密"),
    ("denied.law_forbidden", "2.其他法律行政法规禁止公开"),
    ("denied.safety_stability", "3.危及“三安全一稳定”"),
    ("denied.third_party", "4.保护第三方合法权益"),
    ("denied.internal_affairs", "5.属于三类内部事务信息"),
    ("denied.process_info", "6.属于四类过程性信息"),
    ("denied.enforcement_case", "7.属于行政执法案卷"),
    ("denied.admin_query", "8.属于行政查询事项"),
    ("unable.no_info", "1.本机关不掌握相关政府信息"),
    ("unable.need_creation", "2.没有现成信息需要另行制作"),
    ("unable.unclear", "3.补正后申请内容仍不明确"),
    ("not_processed.complaint", "1.信访举报投诉类申请"),
    ("not_processed.repeat", "2.重复申请"),
    ("not_processed.publication", "3.要求提供公开出版物"),
    ("not_processed.massive", "4.无正当理由大量反复申请"),
    ("not_processed.confirm", "5.要求行政机关确认或重新出具已获取信息"),
    ("other.overdue_correction", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
    ("other.overdue_fee", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
    ("other.other", "3.其他"),
    ("total_processed", "（七）总计"),
    ("carried_forward", "四、结转下年度继续办理"),
)
T3_KEYS_2021: tuple[str, ...] = tuple(k for k, _ in T3_ROWS_2021)
T3_KEYS_2019: tuple[str, ...] = T3_KEYS_2021[:20] + ("other",) + T3_KEYS_2021[23:]
T3_LABELS: dict[str, str] = dict(T3_ROWS_2021) | {"other": "（六）其他处理"}
T3_GROUP_LABELS: dict[str, str] = {
    "denied": "（三）不予公开",
    "unable": "（四）无法提供",
    "not_processed": "（五）不予处理",
    "other": "（六）其他处理",
}
# Outcome rows summed into （七）总计 (T3-RESULTTOTAL).
T3_OUTCOMES_2021: tuple[str, ...] = T3_KEYS_2021[2:23]
T3_OUTCOMES_2019: tuple[str, ...] = T3_KEYS_2019[2:21]

T4_GROUPS: tuple[str, ...] = ("review", "litigation_direct", "litigation_after_review")
T4_GROUP_LABELS = {
    "review": "行政复议",
    "litigation_direct": "未经复议直接起诉",
    "litigation_after_review": "复议后起诉",
}
T4_FIELDS: tuple[str, ...] = ("upheld", "corrected", "other", "pending", "total")
T4_FIELD_LABELS = {
    "upheld": "结果维持",
    "corrected": "结果纠正",
    "other": "其他结果",
    "pending": "尚未审结",
    "total": "总计",
}
T4_KEYS: tuple[str, ...] = tuple(f"{g}.{f}" for g in T4_GROUPS for f in T4_FIELDS)

T2_KEYS: tuple[str, ...] = (
    "regulations.made",
    "regulations.repealed",
    "regulations.valid",
    "normative_documents.made",
    "normative_documents.repealed",
    "normative_documents.valid",
    "licensing.decisions",
    "punishment.decisions",
    "coercion.decisions",
    "fees.amount_wan",
)
T2_LABELS = {
    "regulations": "规章",
    "normative_documents": "行政规范性文件",
    "licensing": "行政许可",
    "punishment": "行政处罚",
    "coercion": "行政强制",
    "fees": "行政事业性收费",
}
T2_FIELD_LABELS = {
    "made": "本年制发件数",
    "repealed": "本年废止件数",
    "valid": "现行有效件数",
    "decisions": "本年处理决定数量",
    "amount_wan": "本年收费金额（单位：万元）",
}

CHAPTERS: tuple[str, ...] = (
    "一、总体情况",
    "二、主动公开政府信息情况",
    "三、收到和处理政府信息公开申请情况",
    "四、政府信息公开行政复议、行政诉讼情况",
    "五、存在的主要问题及改进情况",
    "六、其他需要报告的事项",
)
FORMATS = ("2021", "2019", "mixed", "pre2019", "unknown")
FORMAT_LABELS = {
    "2021": "2021年版",
    "2019": "2019年版",
    "mixed": "新旧版混用",
    "pre2019": "2019年以前格式",
    "unknown": "无法识别",
}


def cell_label(address: str) -> str:
    """Chinese name of a cell, row or table address (`t3.new_received.total`, `t3.granted`, `t2`...)."""
    names = {"t2": "表二", "t3": "表三", "t4": "表四", "meta.published": "发布日期"}
    if address in names:
        return names[address]
    table, _, rest = address.partition(".")
    if table == "t3":
        row, col = (
            (rest.rpartition(".")[0], rest.rpartition(".")[2])
            if rest.rpartition(".")[2] in T3_COLUMNS
            else (rest, "")
        )
        if row not in T3_LABELS:
            row, col = rest, ""
        label = T3_LABELS.get(row, row)
        group = row.split(".")[0]
        if "." in row and group in T3_GROUP_LABELS:
            label = T3_GROUP_LABELS[group] + label
        return f"表三「{label}」" + (f"{T3_COLUMN_LABELS[col]}列" if col else "行")
    if table == "t4":
        group, _, fld = rest.partition(".")
        if not fld:
            return f"表四「{T4_GROUP_LABELS.get(group, group)}」"
        return f"表四「{T4_GROUP_LABELS.get(group, group)}·{T4_FIELD_LABELS.get(fld, fld)}」"
    if table == "t2":
        row, _, fld = rest.partition(".")
        if not fld:
            return f"表二「{T2_LABELS.get(row, row)}」行"
        return f"表二「{T2_LABELS.get(row, row)}·{T2_FIELD_LABELS.get(fld, fld)}」"
    return address


@dataclass
class AnnualReport:
    """One annual report, parsed or built. Tables use contracts.md keys; missing cells are None."""

    unit: str = ""
    year: int | None = None
    chapters: dict[str, str] = field(default_factory=dict)  # CHAPTERS heading -> text; absent = missing
    t2: dict[str, Number | None] = field(default_factory=dict)
    t3: dict[str, list[int | None]] = field(default_factory=dict)
    t4: list[int | None] = field(default_factory=list)
    formats: dict[str, str] = field(default_factory=dict)  # "t2"/"t3"/"t4" -> "2021" | "2019" | "unknown"
    format: str = "unknown"
    published: dt.date | None = None
    url: str = ""
    level: str = ""  # "department" | "government" when known (LATE)
    source: str = ""  # path or name of the file read
    kind: str = ""  # html, text, pdf, docx, xlsx, built
    t2_old: dict[str, Number | None] = field(default_factory=dict)  # 2019-format table 二, raw keys
    invalid: dict[str, str] = field(default_factory=dict)  # cell address -> unreadable raw text
    notes: list[tuple[str, str]] = field(default_factory=list)  # (where, Chinese message) absent rows/tables
    # (where, Chinese message): cells our extraction could not decide (CELL-AMBIGUOUS, never an error)
    doubts: list[tuple[str, str]] = field(default_factory=list)
    tables_only: bool = False  # a workbook holding only the tables: chapter rules do not apply
    info: list[str] = field(default_factory=list)  # Chinese remarks said once (e.g. a tables-only workbook)
    sources: dict[str, str] = field(
        default_factory=dict
    )  # "unit"/"year" -> where it was read (title, file name...)
    recovered: list[str] = field(default_factory=list)  # tables rebuilt from flattened text
    text: str = ""  # full plain text (TEXT-TABLE, FEE-CH6)

    # -- contracts JSON shape ---------------------------------------------------------------------
    @classmethod
    def from_tables(
        cls,
        tables: dict[str, Any],
        *,
        unit: str = "",
        year: int | None = None,
        chapters: dict[str, str] | None = None,
        published: dt.date | None = None,
        url: str = "",
        level: str = "",
    ) -> AnnualReport:
        """Build a report from the contracts JSON shape: `t2` dict, `t3` key -> 7 values, `t4` 15 values.

        Missing tables or keys stay None (blank). Chapters 二/三/四 hold the tables and are always present;
        chapters 一/五/六 come from `chapters` (heading -> text). Raises ValueError (Chinese) on a wrong shape.
        """
        report = cls(unit=unit, year=year, published=published, url=url, level=level, kind="built")
        # Chapters 二/三/四 are the tables themselves: present whenever the tables are.
        given = dict(chapters) if chapters else {}
        report.chapters = {h: given.get(h, "") for h in CHAPTERS if h in given or h in CHAPTERS[1:4]}
        t2 = tables.get("t2") or {}
        for key in T2_KEYS:
            report.t2[key] = _coerce(t2.get(key), decimal=key == "fees.amount_wan", where=f"t2.{key}")
        t3 = tables.get("t3") or {}
        single_other = "other" in t3 and not any(k.startswith("other.") for k in t3)
        keys = T3_KEYS_2019 if single_other else T3_KEYS_2021
        for key in t3:
            if key not in keys:
                raise ValueError(f"表三行键「{key}」不是合同规定的键")
        for key in keys:
            row = t3.get(key)
            if row is None:
                report.t3[key] = [None] * 7
                continue
            if len(row) != 7:
                raise ValueError(f"表三「{T3_LABELS.get(key, key)}」应有7个数，实际{len(row)}个")
            report.t3[key] = [_coerce(v, where=f"t3.{key}") for v in row]
        t4 = tables.get("t4")
        if t4 is None:
            t4 = [None] * 15
        if len(t4) != 15:
            raise ValueError(f"表四应有15个数，实际{len(t4)}个")
        report.t4 = [_coerce(v, where="t4") for v in t4]
        report.formats = {"t2": "2021", "t3": "2019" if single_other else "2021", "t4": "2021"}
        report.format = "2019" if single_other else "2021"
        return report

    def tables(self) -> dict[str, Any]:
        """The tables in the contracts JSON shape (Decimal fees become float)."""
        t2 = {k: (float(v) if isinstance(v, Decimal) else v) for k, v in self.t2.items()}
        return {"t2": t2, "t3": {k: list(v) for k, v in self.t3.items()}, "t4": list(self.t4)}

    def t3_keys(self) -> tuple[str, ...]:
        """Row keys present in this report's table 三 layout."""
        return T3_KEYS_2019 if "other" in self.t3 else T3_KEYS_2021

    def t3_cell(self, key: str, column: str) -> int | None:
        row = self.t3.get(key)
        return None if row is None else row[T3_COLUMNS.index(column)]

    def t4_cell(self, key: str) -> int | None:
        return self.t4[T4_KEYS.index(key)] if len(self.t4) == 15 else None

    def has_tables(self) -> bool:
        return bool(self.t2 or self.t3 or self.t4)


def _coerce(value: Any, *, decimal: bool = False, where: str = "") -> Number | None:
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError(f"{where} 的值 {value!r} 不是数")
    if decimal:
        try:
            return Decimal(str(value))
        except InvalidOperation as exc:
            raise ValueError(f"{where} 的值 {value!r} 不是数") from exc
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    raise ValueError(f"{where} 的值 {value!r} 不是整数")
