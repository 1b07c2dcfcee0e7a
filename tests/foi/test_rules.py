"""Statutory parameters as dated data: an application follows the rules in force on its receipt date."""

from datetime import date

import pytest

from gongkai.foi import Event, FoiError, by_volume_fee, compute_due, evaluate, per_request_total
from gongkai.foi.rules import current_rules, rule_versions, rules_on


def test_versions_are_loaded_in_date_order_and_the_newest_is_the_2019_regulation():
    versions = rule_versions()
    assert [v.effective_from for v in versions] == sorted(v.effective_from for v in versions)
    now = current_rules()
    assert (now.reply_days, now.max_extension, now.correction_notice_days, now.consultation_days) == (
        20,
        20,
        7,
        15,
    )
    assert rules_on(date(2019, 5, 15)) is now
    assert rules_on(date(2019, 5, 14)).reply_days == 15  # the 2008 条例 第二十四条


def test_an_application_received_under_the_old_regulation_keeps_its_15_days():
    # Received Mon 2019-05-13 (old 条例): 15 working days: May 14-17(4) 20-24(9) 27-31(14) Jun 3(15)
    assert compute_due(date(2019, 5, 13)).due == date(2019, 6, 3)
    # Received Wed 2019-05-15 (new 条例): 20: May 16 17(2) 20-24(7) 27-31(12) Jun 3-6(16) | 7 端午 | 10-13(20)
    assert compute_due(date(2019, 5, 15)).due == date(2019, 6, 13)
    # The old extension limit was 15 working days.
    with pytest.raises(FoiError, match="最长 15 个工作日"):
        evaluate(
            [
                Event("received", date(2019, 5, 13)),
                Event("extended", date(2019, 5, 20), days=20, approver="王主任"),
            ]
        )
    ok = evaluate(
        [
            Event("received", date(2019, 5, 15)),
            Event("extended", date(2019, 5, 20), days=20, approver="王主任"),
        ]
    )
    assert ok.extension == 20


def test_fees_follow_the_version_in_force():
    assert per_request_total(35) == 3000 and by_volume_fee(250) == 4700
    old = rules_on(date(2018, 6, 1))
    with pytest.raises(FoiError, match="没有信息处理费"):
        per_request_total(35, old)
    with pytest.raises(FoiError, match="没有信息处理费"):
        by_volume_fee(250, rules=old)
