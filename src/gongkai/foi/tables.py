"""Tables 三 and 四 of the annual report, computed from application records.

For year Y an application is *new* when received in Y, *carried over* when received earlier and
not yet replied on 1 January Y; it counts in its outcome row when replied in Y, and is *carried
forward* when still open on 31 December Y. So per column new + carried_over = total_processed +
carried_forward, every row's total is the sum of its six columns, and total_processed is the sum
of the outcome rows: the 勾稽 rules hold by construction.

A case (行政复议/行政诉讼) counts in the year it was filed, with its result as of 31 December
(no result by then: 尚未审结).

Two entry points: :func:`tables_from_records` over plain records (tests, small ledgers) and
:func:`tables_from_counts` over counts a database already grouped (the web ledger, 100k rows).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from gongkai.foi.deadlines import FoiError
from gongkai.foi.outcomes import APPLICANT_TYPES, CASE_KINDS, CASE_RESULTS, T3_OUTCOME_ROWS, T3_ROWS

__all__ = ["AppRecord", "CaseRecord", "bucket", "check_tables", "tables_from_counts", "tables_from_records"]

_COLS = tuple(APPLICANT_TYPES)


@dataclass(frozen=True)
class AppRecord:
    applicant_type: str
    received: date
    replied: date | None = None
    outcome: str = ""


@dataclass(frozen=True)
class CaseRecord:
    kind: str  # review | litigation_direct | litigation_after_review
    filed: date
    result: str = ""  # upheld | corrected | other; empty = pending
    decided: date | None = None


def bucket(rec: AppRecord, year: int) -> tuple[str, str] | None:
    """(origin, fate) of an application in ``year``: origin new|carried, fate an outcome key or
    'carried_forward'; None when the application does not belong to the year."""
    first, last = date(year, 1, 1), date(year, 12, 31)
    if rec.received > last:
        return None
    if rec.received >= first:
        origin = "new_received"
    elif rec.replied is None or rec.replied >= first:
        origin = "carried_over"
    else:
        return None
    if rec.replied is not None and rec.replied <= last:
        return origin, rec.outcome
    return origin, "carried_forward"


def tables_from_records(
    apps: Iterable[AppRecord], cases: Iterable[CaseRecord], year: int
) -> dict[str, object]:
    """Contracts JSON shape: ``{"t3": {row: [7 values]}, "t4": [15 values]}``."""
    counts: Counter[tuple[str, str, str]] = Counter()
    for rec in apps:
        b = bucket(rec, year)
        if b is not None:
            counts[(rec.applicant_type, *b)] += 1
    case_counts: Counter[tuple[str, str]] = Counter()
    last = date(year, 12, 31)
    for case in cases:
        if case.filed.year != year:
            continue
        done = case.result and case.decided is not None and case.decided <= last
        case_counts[(case.kind, case.result if done else "pending")] += 1
    return tables_from_counts(counts, case_counts)


def tables_from_counts(
    counts: Mapping[tuple[str, str, str], int],
    case_counts: Mapping[tuple[str, str], int] | None = None,
) -> dict[str, object]:
    """Tables from counts keyed (applicant_type, origin, fate) and (case kind, result)."""
    t3 = {row: [0] * 7 for row in T3_ROWS}
    for (atype, origin, fate), n in counts.items():
        if atype not in APPLICANT_TYPES:
            raise FoiError(f"未知的申请人类型“{atype}”，应为：{'、'.join(APPLICANT_TYPES)}")
        if fate != "carried_forward" and fate not in T3_OUTCOME_ROWS:
            raise FoiError(f"已答复的申请缺少有效的办理结果（“{fate}”），无法计入表三")
        col = _COLS.index(atype)
        t3[origin][col] += n
        t3[fate][col] += n
        if fate != "carried_forward":
            t3["total_processed"][col] += n
    for values in t3.values():
        values[6] = sum(values[:6])
    t4: list[int] = []
    for kind in CASE_KINDS:
        group = [0, 0, 0, 0]
        for i, res in enumerate(CASE_RESULTS):
            group[i] = (case_counts or {}).get((kind, res), 0)
        t4.extend([*group, sum(group)])
    return {"t3": t3, "t4": t4}


def check_tables(tables: Mapping[str, Any]) -> list[str]:
    """The 勾稽 rules T3-IDENTITY, T3-ROWSUM, T3-RESULTTOTAL, T4-SUM as Chinese messages (empty: all hold)."""
    t3, t4 = tables["t3"], tables["t4"]
    problems: list[str] = []
    names = [*APPLICANT_TYPES.values(), "总计"]
    for col, name in enumerate(names):
        left = t3["new_received"][col] + t3["carried_over"][col]
        right = t3["total_processed"][col] + t3["carried_forward"][col]
        if left != right:
            problems.append(f"T3-IDENTITY：{name}列 新收+上年结转={left}，办理总计+结转下年={right}")
        outcomes = sum(t3[k][col] for k in T3_OUTCOME_ROWS)
        if outcomes != t3["total_processed"][col]:
            problems.append(
                f"T3-RESULTTOTAL：{name}列 各办理结果之和={outcomes}，总计={t3['total_processed'][col]}"
            )
    for key, values in t3.items():
        if sum(values[:6]) != values[6]:
            problems.append(f"T3-ROWSUM：{key} 行六类申请人之和={sum(values[:6])}，总计={values[6]}")
    for g, kind in enumerate(CASE_KINDS):
        group = t4[g * 5 : g * 5 + 5]
        if sum(group[:4]) != group[4]:
            problems.append(f"T4-SUM：{CASE_KINDS[kind]} 分项之和={sum(group[:4])}，总计={group[4]}")
    return problems
