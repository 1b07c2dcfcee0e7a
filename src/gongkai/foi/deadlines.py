"""Statutory clocks of an application (条例 第三十至三十五条): receipt, reply due date, 补正, pauses.

Pure functions over dates and a :class:`~gongkai.calendar.WorkingCalendar`:

- :func:`receipt_date` — the statutory receipt date by channel (第三十一条);
- :func:`compute_due` — the reply due date with its explanation
  ("20 个工作日，自 … 起算，扣除征求意见 … 个工作日 …");
- :func:`correction_notice_due` (7 working days, 第三十条), :func:`consultation_limit`
  (15 working days, 第三十二、三十四条), :func:`fee_payment_due` (20 working days).

Day 0 is the start date (receipt, or the day a corrected application arrived); counting
begins the next day. Working days inside a pause ``(A, B]`` are not counted (第三十三条第三款).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from gongkai.calendar import WorkingCalendar, default_calendar, provisional_reason
from gongkai.foi.rules import Rules, current_rules, rules_on

__all__ = [
    "REPLY_DAYS",
    "MAX_EXTENSION",
    "CORRECTION_NOTICE_DAYS",
    "CONSULTATION_DAYS",
    "FEE_PAYMENT_DAYS",
    "Channel",
    "Due",
    "chinese_date",
    "FoiError",
    "compute_due",
    "consultation_limit",
    "correction_notice_due",
    "fee_payment_due",
    "receipt_date",
]

# The newest version's figures (rules.yaml); a clock uses the version in force on its receipt date.
_NOW = current_rules()
REPLY_DAYS = _NOW.reply_days  # 第三十三条第二款
MAX_EXTENSION = _NOW.max_extension  # 第三十三条第二款: at most 20 more working days
CORRECTION_NOTICE_DAYS = _NOW.correction_notice_days  # 第三十条
CONSULTATION_DAYS = _NOW.consultation_days  # 第三十二条 (third party), 第三十四条 (other agencies)
FEE_PAYMENT_DAYS = _NOW.fee_payment_days  # 信息处理费 notice: pay within 20 working days from the next day


def chinese_date(d: date) -> str:
    """The one form dates take in notices and messages: 2026年12月21日."""
    return f"{d.year}年{d.month}月{d.day}日"


class FoiError(ValueError):
    """An application record that cannot be right: the message says what and where, in Chinese."""


class Channel(StrEnum):
    """Channels of 第三十一条 (with the two kinds of post told apart)."""

    IN_PERSON = "in_person"
    POST_SIGNED = "post_signed"
    POST_ORDINARY = "post_ordinary"
    ONLINE = "online"
    FAX = "fax"

    @property
    def label(self) -> str:
        return CHANNEL_LABELS[self]


CHANNEL_LABELS = {
    Channel.IN_PERSON: "当面提交",
    Channel.POST_SIGNED: "邮寄（需签收）",
    Channel.POST_ORDINARY: "平常信函",
    Channel.ONLINE: "互联网渠道",
    Channel.FAX: "传真",
}

# Which date of the arrival is the statutory receipt date, and its Chinese name.
_RECEIPT_RULE = {
    Channel.IN_PERSON: ("submitted", "提交之日", "第三十一条第（一）项"),
    Channel.POST_SIGNED: ("signed", "签收之日", "第三十一条第（二）项"),
    Channel.POST_ORDINARY: ("confirmed", "与申请人确认之日", "第三十一条第（二）项"),
    Channel.ONLINE: ("confirmed", "双方确认之日", "第三十一条第（三）项"),
    Channel.FAX: ("confirmed", "双方确认之日", "第三十一条第（三）项"),
}


def receipt_date(
    channel: Channel | str,
    *,
    submitted: date | None = None,
    signed: date | None = None,
    confirmed: date | None = None,
) -> date:
    """The statutory receipt date of an application sent through ``channel`` (第三十一条)."""
    try:
        ch = Channel(channel)
    except ValueError as exc:
        known = "、".join(f"{c.value}（{c.label}）" for c in Channel)
        raise FoiError(f"未知的申请渠道“{channel}”，应为：{known}") from exc
    field, name, article = _RECEIPT_RULE[ch]
    value = {"submitted": submitted, "signed": signed, "confirmed": confirmed}[field]
    if value is None:
        raise FoiError(f"{ch.label}的申请以{name}为收到日期（条例{article}），但没有填写该日期")
    if submitted is not None and value < submitted:
        raise FoiError(f"{name} {value.isoformat()} 早于提交日期 {submitted.isoformat()}，请核对")
    return value


@dataclass(frozen=True)
class Due:
    """A reply due date and how it was counted."""

    start: date
    due: date
    days: int
    extension: int
    paused_days: int
    restarted: bool
    approver: str = ""
    provisional: tuple[int, ...] = ()  # years counted without their official schedule (暂定)

    @property
    def provisional_note(self) -> str:
        return provisional_reason(self.provisional) if self.provisional else ""

    @property
    def explanation(self) -> str:
        origin = "补正后申请收到之日" if self.restarted else "收到申请之日"
        parts = [f"{self.days} 个工作日，自 {self.start.isoformat()}（{origin}）起算，次日开始计算"]
        if self.paused_days:
            parts.append(f"扣除征求意见 {self.paused_days} 个工作日")
        if self.extension:
            who = f"（经{self.approver}批准）" if self.approver else ""
            parts.append(f"延期 {self.extension} 个工作日{who}")
        parts.append(f"答复期限 {self.due.isoformat()}")
        text = "，".join(parts)
        return f"{text}（{self.provisional_note}）" if self.provisional else text


def compute_due(
    received: date,
    *,
    restart: date | None = None,
    pauses: Iterable[tuple[date, date]] = (),
    extend: int = 0,
    days: int | None = None,
    approver: str = "",
    calendar: WorkingCalendar | None = None,
) -> Due:
    """Reply due date: ``days`` (+ ``extend``) working days after the start date. ``days`` and the
    longest extension default to the rules in force on the receipt date (20 and 20 since 2019-05-15)."""
    cal = calendar or default_calendar()
    rules = rules_on(received)
    days = rules.reply_days if days is None else days
    if days <= 0:
        raise FoiError(f"答复期限天数应为正整数，实际为 {days}")
    if not 0 <= extend <= rules.max_extension:
        raise FoiError(
            f"延期天数应在 0 至 {rules.max_extension} 个工作日之间（{rules.source}），实际为 {extend}"
        )
    if restart is not None and restart < received:
        raise FoiError(f"补正后申请收到日期 {restart.isoformat()} 早于收到申请日期 {received.isoformat()}")
    start = restart or received
    pauses = list(pauses)
    due = cal.add_working_days(start, days + extend, pauses)
    paused = cal.working_days_between(start, due) - (days + extend)
    provisional = cal.provisional_in(start, due)
    return Due(start, due, days, extend, paused, restart is not None, approver, provisional)


def correction_notice_due(
    received: date, calendar: WorkingCalendar | None = None, rules: Rules | None = None
) -> date:
    """Last day to send the single 补正 notice: 7 working days after receipt (第三十条)."""
    n = (rules or rules_on(received)).correction_notice_days
    return (calendar or default_calendar()).add_working_days(received, n)


def consultation_limit(
    sent: date, calendar: WorkingCalendar | None = None, rules: Rules | None = None
) -> date:
    """Last day for a consulted third party or agency to answer (15 working days)."""
    n = (rules or rules_on(sent)).consultation_days
    return (calendar or default_calendar()).add_working_days(sent, n)


def fee_payment_due(
    notice_received: date, calendar: WorkingCalendar | None = None, rules: Rules | None = None
) -> date:
    """Last day to pay the 信息处理费: 20 working days from the day after the notice arrived."""
    n = (rules or rules_on(notice_received)).fee_payment_days
    return (calendar or default_calendar()).add_working_days(notice_received, n)
