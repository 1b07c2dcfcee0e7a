"""Column kinds: the vocabulary of `Column.kind` and the classifier from a column's name.

Vocabulary (kind: typical column names):

- ``news``: 动态要闻, 工作动态, 政务动态, 要闻动态, 部门动态, 乡镇动态, 新闻
- ``notice``: 通知公告, 公示公告, 通知, 公告
- ``policy``: 政策文件, 政府文件, 文件, 政策法规
- ``normative``: 规范性文件, 行政规范性文件
- ``interpretation``: 政策解读, 解读
- ``personnel``: 人事信息, 人事任免, 招录, 招聘, 干部任免
- ``plan``: 规划计划, 发展规划, 工作计划, 计划总结
- ``guide``: 政府信息公开指南 (and 依申请公开 entries)
- ``system``: 政府信息公开制度
- ``statutory``: 法定主动公开内容, 主动公开目录 (a parent of the kinds above)
- ``annual_report``: 政府信息公开年报, 年度报告
- ``budget``: 财政预决算, 财政资金, 部门预算, 部门决算, 三公经费
- ``consultation``: 征求意见, 意见征集, 民意征集
- ``stats``: 统计信息, 统计数据
- ``other``: anything else

Order matters: the first rule that matches wins (政策解读 before 政策文件, 规范性文件 before 文件).
"""

from __future__ import annotations

import re

KINDS: dict[str, str] = {
    "news": "动态要闻",
    "notice": "通知公告",
    "policy": "政策文件",
    "normative": "规范性文件",
    "interpretation": "政策解读",
    "personnel": "人事",
    "plan": "规划计划",
    "guide": "政府信息公开指南",
    "system": "政府信息公开制度",
    "statutory": "法定主动公开内容",
    "annual_report": "政府信息公开年报",
    "budget": "财政预决算",
    "consultation": "征求意见",
    "stats": "统计信息",
    "other": "其他",
}

_RULES: list[tuple[str, re.Pattern[str]]] = [
    ("guide", re.compile(r"公开指南|依申请公开")),
    ("system", re.compile(r"公开制度")),
    ("annual_report", re.compile(r"年报|年度报告")),
    ("statutory", re.compile(r"法定主动公开|主动公开内容|主动公开目录")),
    ("interpretation", re.compile(r"解读")),
    ("normative", re.compile(r"规范性文件")),
    ("consultation", re.compile(r"征求意见|意见征集|民意征集")),
    ("budget", re.compile(r"预决算|预算|决算|财政资金|三公经费")),
    ("stats", re.compile(r"统计")),
    ("personnel", re.compile(r"人事|任免|招录|招聘|招考")),
    ("plan", re.compile(r"规划|计划")),
    ("policy", re.compile(r"政策文件|政府文件|政策法规|^文件|文件$")),
    ("notice", re.compile(r"通知|公告|公示")),
    ("news", re.compile(r"动态|要闻|新闻|资讯")),
]

# names of units (市统计局, 市退役军人事务局), not columns
_UNIT = re.compile(r"(局|委员会|委|办公室|政府|厅|中心|街道|镇|乡)$")

# Column kinds that live inside the 政府信息公开专栏.
ZHUANLAN_KINDS = frozenset(KINDS) - {"news", "notice", "other"}


def classify(name: str) -> str:
    """The kind of a column from its name; ``other`` when nothing matches."""
    name = re.sub(r"\s+", "", name or "")
    if not name or len(name) > 20 or _UNIT.search(name):
        return "other"
    for kind, pattern in _RULES:
        if pattern.search(name):
            return kind
    return "other"


def is_zhuanlan_name(text: str) -> bool:
    """Whether a link text names the 政府信息公开 column (政府信息公开, 政务公开, 信息公开)."""
    text = re.sub(r"\s+", "", text or "")
    return bool(re.fullmatch(r"(政府)?信息公开(专栏|平台)?|政务公开(专栏)?|政府信息公开目录", text))
