"""Deadlines of plan tasks: a fixed date, or a recurring period (monthly, quarterly, half-yearly, yearly) with
one due date per period, a number of days (the plan's grace) after the period ends. Progress is reported per
period; a one-off task has one period whose key is "" (empty)."""

from __future__ import annotations

import calendar as _cal
import datetime as dt
import re
from dataclasses import dataclass

ONCE, MONTHLY, QUARTERLY, HALF, YEARLY = "once", "monthly", "quarterly", "half", "yearly"
KIND_LABELS = {ONCE: "按期限完成", MONTHLY: "每月", QUARTERLY: "每季度", HALF: "每半年", YEARLY: "每年"}
# Words of the 完成时限 column (任务分解表) that mean a recurring deadline.
KIND_WORDS = {
    MONTHLY: ("每月", "按月", "月度"),
    QUARTERLY: ("每季度", "按季度", "季度", "每季"),
    HALF: ("每半年", "半年", "按半年"),
    YEARLY: ("每年", "年度", "全年", "长期", "持续推进", "常态化"),
}
CN_Q = "一二三四"


@dataclass(frozen=True)
class Period:
    key: str  # "" (one-off), "M03", "Q1", "H2", "Y"
    label: str
    start: dt.date
    end: dt.date
    due: dt.date | None


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, _cal.monthrange(year, month)[1])


def periods(year: int, kind: str, due: dt.date | None = None, grace_days: int = 10) -> list[Period]:
    """The periods of a task of `year`: one per month, quarter, half or year, each due `grace_days` after its
    end; a one-off task has a single period due on `due` (None: no date set)."""
    grace = dt.timedelta(days=grace_days)
    if kind == MONTHLY:
        return [
            Period(
                f"M{m:02d}", f"{m}月", dt.date(year, m, 1), _month_end(year, m), _month_end(year, m) + grace
            )
            for m in range(1, 13)
        ]
    if kind == QUARTERLY:
        return [
            Period(
                f"Q{q}",
                f"第{CN_Q[q - 1]}季度",
                dt.date(year, 3 * q - 2, 1),
                _month_end(year, 3 * q),
                _month_end(year, 3 * q) + grace,
            )
            for q in range(1, 5)
        ]
    if kind == HALF:
        return [
            Period("H1", "上半年", dt.date(year, 1, 1), dt.date(year, 6, 30), dt.date(year, 6, 30) + grace),
            Period("H2", "下半年", dt.date(year, 7, 1), dt.date(year, 12, 31), dt.date(year, 12, 31) + grace),
        ]
    if kind == YEARLY:
        end = dt.date(year, 12, 31)
        return [Period("Y", "全年", dt.date(year, 1, 1), end, due or end)]
    return [Period("", "", dt.date(year, 1, 1), due or dt.date(year, 12, 31), due)]


def period_label(kind: str, key: str) -> str:
    return next((p.label for p in periods(2000, kind) if p.key == key), key)


def current_period(year: int, kind: str, today: dt.date, grace_days: int = 10) -> Period:
    """The period a liaison reports for today: the earliest one not yet past its due date, else the last."""
    ps = periods(year, kind, grace_days=grace_days)
    return next((p for p in ps if p.due is None or today <= p.due), ps[-1])


_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:\s+00:00(?::00)?)?$")
_MONTH = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?(?:底|末)?$")


def parse_deadline(text: str, year: int) -> tuple[str, dt.date | None]:
    """(kind, date) from a 完成时限 cell: "2026-06-30", "2026年6月30日", "2026年6月底", "6月底前", "每季度",
    "长期"... Raises ValueError with a Chinese reason."""
    text = text.strip().removesuffix("前").strip()
    if not text:
        return ONCE, None
    for kind, words in KIND_WORDS.items():
        if any(w in text for w in words):
            return kind, None
    m = _DATE.match(text)
    if m:
        return ONCE, _date(int(m[1]), int(m[2]), int(m[3]), text)
    m = _MONTH.match(text)
    if m:
        return ONCE, _month_end_checked(int(m[1]), int(m[2]), text)
    m = re.match(r"^(\d{1,2})\s*月(?:底|末)?$", text)
    if m:
        return ONCE, _month_end_checked(year, int(m[1]), text)
    raise ValueError(
        "无法识别的完成时限：应为日期（如 2026-06-30、2026年6月底）或周期（每月、每季度、每半年、每年、长期）"
    )


def _date(y: int, m: int, d: int, text: str) -> dt.date:
    try:
        return dt.date(y, m, d)
    except ValueError:
        raise ValueError(f"“{text}”不是有效的日期") from None


def _month_end_checked(y: int, m: int, text: str) -> dt.date:
    if not 1 <= m <= 12:
        raise ValueError(f"“{text}”不是有效的月份")
    return _month_end(y, m)


def deadline_text(kind: str, due: dt.date | None) -> str:
    """The 完成时限 cell an export writes (parse_deadline reads it back)."""
    if kind == ONCE:
        return due.isoformat() if due else ""
    return KIND_LABELS[kind]
