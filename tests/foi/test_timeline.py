"""The event timeline of an application: lawful sequences and refused impossible ones."""

from datetime import date
from decimal import Decimal

import pytest

from gongkai.foi import Event, FoiError, evaluate

R = date(2025, 9, 26)  # received Fri; +20 working days = 2025-10-30


def ev(kind, on, **kw):
    return Event(kind, date.fromisoformat(on) if isinstance(on, str) else on, **kw)


def test_a_simple_application_is_due_twenty_working_days_after_receipt():
    status = evaluate([ev("received", R)])
    assert status.state == "processing"
    assert status.due.due == date(2025, 10, 30)
    assert status.correction_due == date(2025, 10, 13)


def test_reply_and_delivery_close_the_application():
    status = evaluate(
        [ev("received", R), ev("replied", "2025-10-20", outcome="granted"), ev("delivered", "2025-10-21")]
    )
    assert status.state == "delivered"
    assert status.outcome == "granted"
    assert not status.late


def test_a_reply_after_the_due_date_is_late():
    status = evaluate([ev("received", R), ev("replied", "2025-10-31", outcome="granted")])
    assert status.late


def test_correction_restarts_the_clock():
    events = [ev("received", R), ev("correction_sent", "2025-10-09")]
    assert evaluate(events).state == "correction"
    status = evaluate([*events, ev("correction_received", "2025-10-20")])
    assert status.state == "processing"
    assert status.due.due == date(2025, 11, 17)


def test_a_late_correction_notice_is_recorded_with_a_warning():
    status = evaluate([ev("received", R), ev("correction_sent", "2025-10-14")])  # limit 10-13
    assert any("7 个工作日" in w for w in status.warnings)


def test_consultation_pauses_the_clock_until_answered():
    events = [
        ev("received", R),
        ev("consultation_sent", "2025-10-09", consult="third_party"),
    ]
    assert evaluate(events).state == "paused"
    status = evaluate([*events, ev("consultation_answered", "2025-10-15", consult="third_party")])
    assert status.state == "processing"
    assert status.due.due == date(2025, 11, 6)
    assert status.due.paused_days == 5


def test_unanswered_consultation_pauses_at_most_fifteen_working_days():
    # Sent 2025-10-09: 15 working days end 10-30 (Oct 10, 11*, 13-17, 20-24, 27-30).
    # So 15 working days are not counted: due = 10-30 + 15 working days = 11-20.
    status = evaluate([ev("received", R), ev("consultation_sent", "2025-10-09", consult="agency")])
    assert status.due.paused_days == 15
    assert status.due.due == date(2025, 11, 20)


def test_extension_with_approver_moves_the_due_date():
    status = evaluate([ev("received", R), ev("extended", "2025-10-28", days=20, approver="王主任")])
    assert status.due.due == date(2025, 11, 27)
    assert "王主任" in status.due.explanation


@pytest.mark.parametrize(
    ("events", "message"),
    [
        ([ev("replied", R, outcome="granted")], "在“收到申请”之前"),
        ([ev("received", R), ev("replied", "2025-09-20", outcome="granted")], "早于收到申请日期"),
        ([ev("received", R), ev("received", "2025-09-29")], "只能有一个"),
        (
            [
                ev("received", R),
                ev("replied", "2025-10-09", outcome="granted"),
                ev("replied", "2025-10-10", outcome="denied.third_party"),
            ],
            "已于 2025-10-09 答复",
        ),
        (
            [
                ev("received", R),
                ev("extended", "2025-10-20", days=10, approver="甲"),
                ev("extended", "2025-10-21", days=11, approver="甲"),
            ],
            "超过条例第三十三条",
        ),
        ([ev("received", R), ev("extended", "2025-10-20", days=5)], "批准人"),
        (
            [ev("received", R), ev("consultation_answered", "2025-10-09", consult="third_party")],
            "没有向第三方",
        ),
        ([ev("received", R), ev("correction_received", "2025-10-09")], "没有待补正"),
        ([ev("received", R), ev("delivered", "2025-10-09")], "尚未作出答复"),
        ([ev("received", R), ev("replied", "2025-10-09", outcome="other.overdue_correction")], "逾期不补正"),
        ([ev("received", R), ev("replied", "2025-10-09", outcome="other.overdue_fee")], "逾期未缴费"),
        ([ev("received", R), ev("replied", "2025-10-09", outcome="maybe")], "办理结果"),
        ([ev("received", R), ev("fee_notice", "2025-10-09", amount=Decimal(0))], "金额"),
        ([ev("received", R), ev("fee_paid", "2025-10-09")], "没有待缴费"),
        (
            [
                ev("received", R),
                ev("correction_sent", "2025-10-09"),
                ev("extended", "2025-10-08", days=1, approver="甲"),
            ],
            "按时间顺序",
        ),
    ],
)
def test_impossible_sequences_are_refused_with_a_clear_message(events, message):
    with pytest.raises(FoiError, match=message):
        evaluate(events)


def test_overdue_correction_and_overdue_fee_close_the_right_cases():
    s1 = evaluate(
        [
            ev("received", R),
            ev("correction_sent", "2025-10-09"),
            ev("replied", "2025-11-20", outcome="other.overdue_correction"),
        ]
    )
    assert s1.outcome == "other.overdue_correction"
    s2 = evaluate(
        [
            ev("received", R),
            ev("fee_notice", "2025-10-09", amount=Decimal("300")),
            ev("replied", "2025-11-20", outcome="other.overdue_fee"),
        ]
    )
    assert s2.outcome == "other.overdue_fee"
    assert s2.fee_due == date(2025, 11, 5)  # Oct 10(1) 11*(2) 13-17(7) 20-24(12) 27-31(17) Nov 3 4 5(20)


def test_fee_notice_optionally_pauses_the_clock():
    events = [ev("received", R), ev("fee_notice", "2025-10-09", amount=Decimal("300"))]
    assert evaluate(events).due.due == date(2025, 10, 30)
    assert evaluate(events, fee_pauses_clock=True).due.due > date(2025, 10, 30)
    assert evaluate(events).state == "fee"
    paid = [*events, ev("fee_paid", "2025-10-15")]
    assert evaluate(paid).due.due == date(2025, 10, 30)
    # Notice 10-09 to payment 10-15: Oct 10, 11*, 13, 14, 15 not counted -> 2025-11-06.
    assert evaluate(paid, fee_pauses_clock=True).due.due == date(2025, 11, 6)


def test_a_year_without_data_leaves_no_due_date_but_still_checks_the_sequence():
    status = evaluate([ev("received", "2026-12-10")])
    assert status.due is None
    assert "2027 年" in status.calendar_error
    with pytest.raises(FoiError, match="早于收到申请日期"):
        evaluate([ev("received", "2026-12-10"), ev("replied", "2026-12-01", outcome="granted")])
