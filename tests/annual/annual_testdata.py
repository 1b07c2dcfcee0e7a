"""Test data shared by the annual-report tests (importable: the test folder is on sys.path)."""

from __future__ import annotations

# Consistent 2021-format tables (taken from 厦门市海沧区 2023, as printed).
HAICANG_TABLES = {
    "t2": {
        "regulations.made": 0,
        "regulations.repealed": 0,
        "regulations.valid": 0,
        "normative_documents.made": 14,
        "normative_documents.repealed": 3,
        "normative_documents.valid": 43,
        "licensing.decisions": 5225,
        "punishment.decisions": 9352,
        "coercion.decisions": 11,
        "fees.amount_wan": 7832,
    },
    "t3": {
        "new_received": [104, 3, 0, 0, 0, 0, 107],
        "carried_over": [0, 0, 0, 0, 0, 0, 0],
        "granted": [45, 0, 0, 0, 0, 0, 45],
        "partial_grant": [17, 0, 0, 0, 0, 0, 17],
        "denied.state_secret": [0] * 7,
        "denied.law_forbidden": [0] * 7,
        "denied.safety_stability": [0] * 7,
        "denied.third_party": [2, 0, 0, 0, 0, 0, 2],
        "denied.internal_affairs": [0] * 7,
        "denied.process_info": [2, 0, 0, 0, 0, 0, 2],
        "denied.enforcement_case": [0] * 7,
        "denied.admin_query": [0] * 7,
        "unable.no_info": [34, 3, 0, 0, 0, 0, 37],
        "unable.need_creation": [0] * 7,
        "unable.unclear": [0] * 7,
        "not_processed.complaint": [0] * 7,
        "not_processed.repeat": [0] * 7,
        "not_processed.publication": [0] * 7,
        "not_processed.massive": [0] * 7,
        "not_processed.confirm": [0] * 7,
        "other.overdue_correction": [0] * 7,
        "other.overdue_fee": [0] * 7,
        "other.other": [0] * 7,
        "total_processed": [100, 3, 0, 0, 0, 0, 103],
        "carried_forward": [4, 0, 0, 0, 0, 0, 4],
    },
    "t4": [0, 1, 1, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
}

CHAPTER_TEXT = {
    "一、总体情况": "2023年全区共受理政府信息公开申请107件，办结103件，结转下年度继续办理4件。",
    "五、存在的主要问题及改进情况": "队伍建设仍需加强。",
    "六、其他需要报告的事项": "本年度未收取信息处理费。",
}
