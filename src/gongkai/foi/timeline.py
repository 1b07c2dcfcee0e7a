"""The life of one application as a list of dated events, checked against the law.

:func:`evaluate` replays the events in order and either refuses an impossible sequence with a
:class:`~gongkai.foi.deadlines.FoiError` (a reply before receipt, two outcomes, an extension over
20 working days, an answer to a consultation never sent, ...) or returns a :class:`Status`:
the state, the due date with its explanation, the open clocks (补正, consultation, fee) and
warnings for things that are lawful to record but late (a 补正 notice after 7 working days).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from gongkai.calendar import CalendarError, WorkingCalendar, default_calendar, provisional_reason
from gongkai.foi.deadlines import (
    Due,
    FoiError,
    chinese_date,
    compute_due,
    consultation_limit,
    correction_notice_due,
    fee_payment_due,
)
from gongkai.foi.outcomes import OUTCOMES
from gongkai.foi.rules import Rules, current_rules, rules_on

__all__ = ["EVENT_KINDS", "STATES", "Event", "Status", "evaluate"]

EVENT_KINDS: dict[str, str] = {
    "received": "收到申请",
    "correction_sent": "发出补正通知",
    "correction_received": "收到补正材料",
    "consultation_sent": "发出征求意见",
    "consultation_answered": "收到征求意见答复",
    "extended": "延期答复",
    "fee_notice": "发出收费通知",
    "fee_paid": "申请人缴费",
    "replied": "作出答复",
    "delivered": "答复送达",
}
CONSULT_KINDS = {"third_party": "第三方", "agency": "其他机关"}
STATES: dict[str, str] = {
    "processing": "办理中",
    "correction": "待补正",
    "paused": "征求意见中（暂停计时）",
    "fee": "待缴费",
    "replied": "已答复",
    "delivered": "已送达",
}


@dataclass(frozen=True)
class Event:
    kind: str
    on: date
    outcome: str = ""  # replied
    days: int = 0  # extended
    approver: str = ""  # extended
    consult: str = ""  # consultation_*: third_party | agency
    amount: Decimal | None = None  # fee_notice
    note: str = ""


@dataclass
class Status:
    state: str = "processing"
    received: date | None = None
    start: date | None = None
    due: Due | None = None
    correction_due: date | None = None  # last day to send the 补正 notice
    pauses: list[tuple[date, date]] = field(default_factory=list)
    open_consultations: dict[str, date] = field(default_factory=dict)  # kind -> sent
    fee_due: date | None = None
    fee_amount: Decimal | None = None
    outcome: str = ""
    replied_on: date | None = None
    delivered_on: date | None = None
    extension: int = 0
    approver: str = ""
    warnings: list[str] = field(default_factory=list)
    calendar_error: str = ""  # a clock could not be computed (year without holiday data)
    provisional: set[int] = field(default_factory=set)  # years some clock was counted on provisionally
    # A stopped clock (补正, consultation, fee if it pauses): since when, days used and left.
    clock_paused: bool = False
    paused_since: date | None = None
    clock_used: int | None = None
    clock_left: int | None = None  # None while 待补正: the period starts again on the corrected request

    @property
    def clock_text(self) -> str:
        """'暂停计时：自2026年12月1日起，已用 8 个工作日，剩余 12 个工作日' (empty while the clock runs)."""
        if not self.clock_paused or self.paused_since is None:
            return ""
        since = chinese_date(self.paused_since)
        used = f"已用 {self.clock_used} 个工作日" if self.clock_used is not None else "已用天数待定"
        if self.state == "correction":
            return f"待补正：自{since}发出补正通知，此前{used}；收到补正材料后重新起算答复期限"
        left = f"，剩余 {self.clock_left} 个工作日" if self.clock_left is not None else ""
        return f"暂停计时：自{since}起，{used}{left}"

    @property
    def provisional_note(self) -> str:
        """Why the dates shown are 暂定 (empty when every clock is final)."""
        return provisional_reason(sorted(self.provisional)) if self.provisional else ""

    @property
    def state_label(self) -> str:
        return STATES[self.state]

    @property
    def closed(self) -> bool:
        return self.state in ("replied", "delivered")

    @property
    def late(self) -> bool:
        """Replied after the due date (or still open past it is judged by the caller's today)."""
        return bool(self.replied_on and self.due and self.replied_on > self.due.due)


def _where(i: int, ev: Event) -> str:
    return f"第 {i + 1} 个事件（{EVENT_KINDS.get(ev.kind, ev.kind)}，{ev.on.isoformat()}）"


class _Replay:
    def __init__(self, cal: WorkingCalendar) -> None:
        self.cal = cal
        self.s = Status()
        self.restart: date | None = None
        self.correction_open: date | None = None
        self.fee_open = False
        self.fee_notice_on: date | None = None
        self.fee_pauses: list[tuple[date, date]] = []
        self.corrections_sent = 0
        self.rules: Rules = current_rules()  # replaced by the version in force on the receipt date

    def _clock(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """A date from the calendar, or None (remembering why) when a year lacks holiday data."""
        try:
            result = fn(*args, **kwargs)
        except CalendarError as exc:
            self.s.calendar_error = str(exc)
            return None
        if isinstance(result, Due):
            self.s.provisional.update(result.provisional)
        elif isinstance(result, date) and args and isinstance(args[0], date):
            self.s.provisional.update(self.cal.provisional_in(args[0], result))
        return result

    def apply(self, i: int, ev: Event) -> None:
        s = self.s
        where = _where(i, ev)
        if ev.kind not in EVENT_KINDS:
            raise FoiError(f"{where}：未知的事件类型“{ev.kind}”")
        if ev.kind == "received":
            if s.received is not None:
                raise FoiError(f"{where}：一件申请只能有一个“收到申请”事件")
            s.received = ev.on
            self.rules = rules_on(ev.on)
            s.correction_due = self._clock(correction_notice_due, ev.on, self.cal, self.rules)
            return
        if s.received is None:
            raise FoiError(f"{where}：在“收到申请”之前不能登记其他事件")
        if ev.on < s.received:
            raise FoiError(f"{where}：日期早于收到申请日期 {s.received.isoformat()}")
        if ev.kind == "delivered":
            self._delivered(where, ev)
            return
        if s.replied_on is not None:
            raise FoiError(f"{where}：申请已于 {s.replied_on.isoformat()} 答复，不能再登记此事件")
        getattr(self, "_" + ev.kind)(where, ev)

    def _correction_sent(self, where: str, ev: Event) -> None:
        if self.correction_open is not None:
            raise FoiError(f"{where}：上一次补正通知（{self.correction_open.isoformat()}）尚未收到补正材料")
        base = self.restart or self.s.received
        limit = self._clock(correction_notice_due, base, self.cal, self.rules)
        if limit is not None and ev.on > limit:
            n = self.rules.correction_notice_days
            self.s.warnings.append(
                f"补正通知于 {ev.on.isoformat()} 发出，晚于条例第三十条规定的 {n} 个工作日（{limit.isoformat()}）"
            )
        self.corrections_sent += 1
        self.correction_open = ev.on

    def _correction_received(self, where: str, ev: Event) -> None:
        if self.correction_open is None:
            raise FoiError(f"{where}：没有待补正的通知，不能登记“收到补正材料”")
        self.correction_open = None
        self.restart = ev.on

    def _consultation_sent(self, where: str, ev: Event) -> None:
        if ev.consult not in CONSULT_KINDS:
            raise FoiError(f"{where}：征求意见对象应为第三方（third_party）或其他机关（agency）")
        if ev.consult in self.s.open_consultations:
            raise FoiError(f"{where}：向{CONSULT_KINDS[ev.consult]}的征求意见尚未答复，不能重复发出")
        self.s.open_consultations[ev.consult] = ev.on

    def _consultation_answered(self, where: str, ev: Event) -> None:
        sent = self.s.open_consultations.pop(ev.consult, None)
        if sent is None:
            raise FoiError(
                f"{where}：没有向{CONSULT_KINDS.get(ev.consult, '该对象')}发出的征求意见，不能登记答复"
            )
        limit = self._clock(consultation_limit, sent, self.cal, self.rules) or ev.on
        self.s.pauses.append((sent, min(ev.on, limit)))

    def _extended(self, where: str, ev: Event) -> None:
        if ev.days <= 0:
            raise FoiError(f"{where}：延期天数应为正整数")
        if not ev.approver.strip():
            raise FoiError(f"{where}：延期须经政府信息公开工作机构负责人同意，请填写批准人")
        total = self.s.extension + ev.days
        most = self.rules.max_extension
        if total > most:
            raise FoiError(
                f"{where}：延期合计 {total} 个工作日，超过条例第三十三条规定的最长 {most} 个工作日"
            )
        self.s.extension = total
        self.s.approver = ev.approver.strip()

    def _fee_notice(self, where: str, ev: Event) -> None:
        if self.fee_open:
            raise FoiError(f"{where}：上一份收费通知尚未缴费")
        if ev.amount is None or ev.amount <= 0:
            raise FoiError(f"{where}：收费通知应写明大于 0 的金额")
        self.fee_open = True
        self.fee_notice_on = ev.on
        self.s.fee_amount = ev.amount
        self.s.fee_due = self._clock(fee_payment_due, ev.on, self.cal, self.rules)

    def _fee_paid(self, where: str, ev: Event) -> None:
        if not self.fee_open:
            raise FoiError(f"{where}：没有待缴费的收费通知，不能登记缴费")
        if self.s.fee_due and ev.on > self.s.fee_due:
            self.s.warnings.append(f"缴费日期 {ev.on.isoformat()} 晚于缴费期限 {self.s.fee_due.isoformat()}")
        self.fee_open = False
        if self.fee_notice_on is not None:
            self.fee_pauses.append((self.fee_notice_on, ev.on))

    def _replied(self, where: str, ev: Event) -> None:
        if ev.outcome not in OUTCOMES:
            raise FoiError(f"{where}：答复须选择一个办理结果（年报表三的一行），“{ev.outcome}”无效")
        if ev.outcome == "other.overdue_correction" and self.correction_open is None:
            raise FoiError(f"{where}：没有未补正的补正通知，不能以“逾期不补正”结案")
        if ev.outcome == "other.overdue_fee" and not self.fee_open:
            raise FoiError(f"{where}：没有未缴费的收费通知，不能以“逾期未缴费”结案")
        if ev.outcome == "unable.unclear" and self.corrections_sent == 0:
            raise FoiError(f"{where}：未发过补正通知，不能以“补正后申请内容仍不明确”答复")
        # An open consultation ends when the body decides (silence: it decides itself).
        for kind, sent in list(self.s.open_consultations.items()):
            self.s.pauses.append(
                (sent, min(ev.on, self._clock(consultation_limit, sent, self.cal, self.rules) or ev.on))
            )
            del self.s.open_consultations[kind]
        self.s.outcome = ev.outcome
        self.s.replied_on = ev.on

    def _delivered(self, where: str, ev: Event) -> None:
        s = self.s
        if s.replied_on is None:
            raise FoiError(f"{where}：尚未作出答复，不能登记送达")
        if s.delivered_on is not None:
            raise FoiError(f"{where}：答复已于 {s.delivered_on.isoformat()} 送达")
        s.delivered_on = ev.on

    def finish(self, fee_pauses_clock: bool) -> Status:
        s = self.s
        if s.received is None:
            return s
        s.start = self.restart or s.received
        pauses = list(s.pauses)
        # Open consultations pause the clock up to their 15-working-day limit.
        for sent in s.open_consultations.values():
            limit = self._clock(consultation_limit, sent, self.cal, self.rules)
            if limit is not None:
                pauses.append((sent, limit))
        if fee_pauses_clock:
            pauses.extend(self.fee_pauses)
            if self.fee_open and self.fee_notice_on and s.fee_due:
                pauses.append((self.fee_notice_on, s.fee_due))
        s.due = self._clock(
            compute_due,
            s.received,
            restart=self.restart,
            pauses=pauses,
            extend=s.extension,
            approver=s.approver,
            calendar=self.cal,
        )
        self._pause_clock(fee_pauses_clock)
        if s.delivered_on:
            s.state = "delivered"
        elif s.replied_on:
            s.state = "replied"
        elif self.correction_open is not None:
            s.state = "correction"
        elif s.open_consultations:
            s.state = "paused"
        elif self.fee_open:
            s.state = "fee"
        return s

    def _pause_clock(self, fee_pauses_clock: bool) -> None:
        """Since when the open clock stands still, and the working days used and left."""
        s = self.s
        if s.replied_on is not None or s.start is None:
            return
        since: date | None = None
        if self.correction_open is not None:
            since = self.correction_open
        elif s.open_consultations:
            since = min(s.open_consultations.values())
        elif self.fee_open and fee_pauses_clock:
            since = self.fee_notice_on
        if since is None:
            return
        s.clock_paused, s.paused_since = True, since
        try:
            used = self.cal.working_days_between(s.start, since) - self._paused_before(s.start, since)
        except CalendarError:
            return
        total = (s.due.days if s.due else self.rules.reply_days) + s.extension
        s.clock_used = max(used, 0)
        if self.correction_open is None:
            s.clock_left = max(total - s.clock_used, 0)

    def _paused_before(self, start: date, since: date) -> int:
        total = 0
        for a, b in [*self.s.pauses, *self.fee_pauses]:
            lo, hi = max(a, start), min(b, since)
            if hi > lo:
                total += self.cal.working_days_between(lo, hi)
        return total


def evaluate(
    events: Sequence[Event],
    calendar: WorkingCalendar | None = None,
    *,
    fee_pauses_clock: bool = False,
    today: date | None = None,
) -> Status:
    """Replay ``events`` (in recording order; dates must not go backwards) and return the status.

    ``fee_pauses_clock``: whether the time between a fee notice and payment stops the reply clock
    (UNCONFIRMED in the rules, so configurable; default no). ``today``: events dated after it are
    refused (nothing that has not happened yet can be recorded).
    """
    replay = _Replay(calendar or default_calendar())
    last: date | None = None
    for i, ev in enumerate(events):
        if today is not None and ev.on > today:
            raise FoiError(
                f"{_where(i, ev)}：日期 {chinese_date(ev.on)} 晚于今天（{chinese_date(today)}），"
                "不能登记尚未发生的事件，请核对日期"
            )
        if last is not None and ev.on < last and (replay.s.received is None or ev.on >= replay.s.received):
            raise FoiError(f"{_where(i, ev)}：日期早于前一个事件（{last.isoformat()}），事件须按时间顺序登记")
        replay.apply(i, ev)
        last = ev.on
    return replay.finish(fee_pauses_clock)
