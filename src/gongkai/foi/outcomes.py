"""Outcomes of an application and their row in table 三 (contracts.md keys), applicant types
(the columns of table 三) and the results of 行政复议/行政诉讼 (table 四).

Each outcome names its legal basis in the 条例 (国务院令第711号) so a reply can quote it.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "APPLICANT_TYPES",
    "OUTCOMES",
    "Outcome",
    "T3_COLUMNS",
    "T3_ROWS",
    "T3_OUTCOME_ROWS",
    "T4_KEYS",
    "CASE_KINDS",
    "CASE_RESULTS",
    "outcome",
]

# Table 三 columns in contracts.md order; the first six are applicant types.
T3_COLUMNS = ("natural_person", "commercial", "research", "social_welfare", "legal_service", "other", "total")
APPLICANT_TYPES: dict[str, str] = {
    "natural_person": "自然人",
    "commercial": "商业企业",
    "research": "科研机构",
    "social_welfare": "社会公益组织",
    "legal_service": "法律服务机构",
    "other": "其他",
}


@dataclass(frozen=True)
class Outcome:
    key: str  # table 三 row key
    label: str  # the row's wording in the 2021 format
    group: str  # （一）…（六）
    basis: str  # legal basis quoted in the 告知书
    document: str  # which 告知书 template it uses


_G3 = "（三）不予公开"
_G4 = "（四）无法提供"
_G5 = "（五）不予处理"
_G6 = "（六）其他处理"
_OUTCOME_LIST = [
    Outcome(
        "granted",
        "予以公开",
        "（一）予以公开",
        "《中华人民共和国政府信息公开条例》第三十六条第（一）、（二）项",
        "granted",
    ),
    Outcome(
        "partial_grant",
        "部分公开",
        "（二）部分公开",
        "《中华人民共和国政府信息公开条例》第三十七条",
        "partial",
    ),
    Outcome("denied.state_secret", "属于国家秘密", _G3, "条例第十四条、第三十六条第（三）项", "denied"),
    Outcome(
        "denied.law_forbidden",
        "其他法律行政法规禁止公开",
        _G3,
        "条例第十四条、第三十六条第（三）项",
        "denied",
    ),
    Outcome(
        "denied.safety_stability", "危及“三安全一稳定”", _G3, "条例第十四条、第三十六条第（三）项", "denied"
    ),
    Outcome(
        "denied.third_party",
        "保护第三方合法权益",
        _G3,
        "条例第十五条、第三十二条、第三十六条第（三）项",
        "denied",
    ),
    Outcome(
        "denied.internal_affairs",
        "属于三类内部事务信息",
        _G3,
        "条例第十六条第一款、第三十六条第（三）项",
        "denied",
    ),
    Outcome(
        "denied.process_info", "属于四类过程性信息", _G3, "条例第十六条第二款、第三十六条第（三）项", "denied"
    ),
    Outcome(
        "denied.enforcement_case",
        "属于行政执法案卷",
        _G3,
        "条例第十六条第二款、第三十六条第（三）项",
        "denied",
    ),
    Outcome("denied.admin_query", "属于行政查询事项", _G3, "条例第三十六条第（七）项", "denied"),
    Outcome("unable.no_info", "本机关不掌握相关政府信息", _G4, "条例第三十六条第（四）、（五）项", "unable"),
    Outcome("unable.need_creation", "没有现成信息需要另行制作", _G4, "条例第三十八条", "unable"),
    Outcome("unable.unclear", "补正后申请内容仍不明确", _G4, "条例第三十条", "unable"),
    Outcome("not_processed.complaint", "信访举报投诉类申请", _G5, "条例第三十九条第一款", "not_processed"),
    Outcome("not_processed.repeat", "重复申请", _G5, "条例第三十六条第（六）项", "not_processed"),
    Outcome("not_processed.publication", "要求提供公开出版物", _G5, "条例第三十九条第二款", "not_processed"),
    Outcome("not_processed.massive", "无正当理由大量反复申请", _G5, "条例第三十五条", "not_processed"),
    Outcome(
        "not_processed.confirm",
        "要求行政机关确认或重新出具已获取信息",
        _G5,
        "条例第三十九条",
        "not_processed",
    ),
    Outcome(
        "other.overdue_correction",
        "申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        _G6,
        "条例第三十条",
        "not_processed",
    ),
    Outcome(
        "other.overdue_fee",
        "申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        _G6,
        "《政府信息公开信息处理费管理办法》",
        "not_processed",
    ),
    Outcome("other.other", "其他", _G6, "", "not_processed"),
]
OUTCOMES: dict[str, Outcome] = {o.key: o for o in _OUTCOME_LIST}
T3_OUTCOME_ROWS: tuple[str, ...] = tuple(OUTCOMES)
T3_ROWS: tuple[str, ...] = (
    "new_received",
    "carried_over",
    *T3_OUTCOME_ROWS,
    "total_processed",
    "carried_forward",
)

# Table 四.
CASE_KINDS: dict[str, str] = {
    "review": "行政复议",
    "litigation_direct": "行政诉讼（未经复议直接起诉）",
    "litigation_after_review": "行政诉讼（复议后起诉）",
}
CASE_RESULTS: dict[str, str] = {
    "upheld": "结果维持",
    "corrected": "结果纠正",
    "other": "其他结果",
    "pending": "尚未审结",
}
T4_KEYS: tuple[str, ...] = tuple(
    f"{kind}.{res}" for kind in CASE_KINDS for res in ("upheld", "corrected", "other", "pending", "total")
)


def outcome(key: str) -> Outcome:
    """The outcome with table 三 row ``key``; an unknown key is a :class:`FoiError`."""
    from gongkai.foi.deadlines import FoiError

    try:
        return OUTCOMES[key]
    except KeyError:
        raise FoiError(
            f"未知的办理结果“{key}”：应为年报表三的一行，例如 granted、denied.third_party"
        ) from None
