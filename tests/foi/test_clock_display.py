"""A stopped clock is shown as stopped (days used and left), events dated in the future are refused,
and dates in notices and messages take one Chinese form."""

from datetime import date

import pytest

from gongkai.foi import Event, FoiError, chinese_date, evaluate


def test_consultation_shows_days_used_and_left_not_a_countdown():
    # Received Fri 2025-09-26; consultation sent Mon 2025-10-13.
    # Sun 9/28 调休上班(1) 29(2) 30(3) | Oct 1-8 国庆 | 9(4) 10(5) Sat 11 调休上班(6) | 13(7) -> used 7, left 13.
    status = evaluate(
        [
            Event("received", date(2025, 9, 26)),
            Event("consultation_sent", date(2025, 10, 13), consult="third_party"),
        ]
    )
    assert status.state == "paused" and status.clock_paused
    assert (status.clock_used, status.clock_left) == (7, 13)
    assert status.clock_text == "暂停计时：自2025年10月13日起，已用 7 个工作日，剩余 13 个工作日"


def test_extension_adds_to_the_days_left_and_earlier_pauses_are_not_used_days():
    events = [
        Event("received", date(2025, 9, 26)),
        Event("consultation_sent", date(2025, 9, 29), consult="agency"),
        Event("consultation_answered", date(2025, 10, 9), consult="agency"),  # (9/29, 10/9]: 30, 9 paused
        Event("extended", date(2025, 10, 10), days=10, approver="王主任"),
        Event("consultation_sent", date(2025, 10, 13), consult="third_party"),
    ]
    status = evaluate(events)
    # Worked: 9/28(1) 9/29(2) | paused 9/30, 10/9 | 10/10(3) 10/11(4) 10/13(5) -> used 5 of 30
    assert (status.clock_used, status.clock_left) == (5, 25)


def test_correction_pending_says_the_period_restarts():
    status = evaluate([Event("received", date(2025, 9, 26)), Event("correction_sent", date(2025, 9, 30))])
    assert status.state == "correction" and status.clock_paused
    assert status.clock_used == 3 and status.clock_left is None  # 9/28 (调休) 29 30
    assert "收到补正材料后重新起算" in status.clock_text and "已用 3 个工作日" in status.clock_text


def test_a_running_clock_is_not_paused_and_a_fee_pauses_only_when_configured():
    running = evaluate([Event("received", date(2025, 9, 26))])
    assert not running.clock_paused and running.clock_text == ""
    fee = [Event("received", date(2025, 9, 26)), Event("fee_notice", date(2025, 9, 30), amount=100)]
    assert not evaluate(fee).clock_paused  # the clock runs on by default
    paused = evaluate(fee, fee_pauses_clock=True)
    assert paused.clock_paused and (paused.clock_used, paused.clock_left) == (3, 17)


def test_events_dated_after_today_are_refused_with_a_clear_message():
    events = [Event("received", date(2026, 12, 1)), Event("correction_sent", date(2026, 12, 21))]
    with pytest.raises(FoiError, match="2026年12月21日 晚于今天（2026年12月7日）"):
        evaluate(events, today=date(2026, 12, 7))
    assert evaluate(events, today=date(2026, 12, 21)).state == "correction"
    with pytest.raises(FoiError, match="尚未发生"):
        evaluate([Event("received", date(2026, 12, 8))], today=date(2026, 12, 7))


def test_chinese_date_form():
    assert chinese_date(date(2026, 12, 7)) == "2026年12月7日"
    assert chinese_date(date(2026, 12, 21)) == "2026年12月21日"
