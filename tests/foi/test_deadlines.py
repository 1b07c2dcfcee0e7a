"""Reply due dates, restarts, pauses, extensions and the `gongkai foi due` command."""

from datetime import date

import pytest
from typer.testing import CliRunner

from gongkai.cli import app
from gongkai.foi import (
    Channel,
    FoiError,
    compute_due,
    consultation_limit,
    correction_notice_due,
    fee_payment_due,
    receipt_date,
)


def test_receipt_date_follows_article_31_per_channel():
    d1, d2, d3 = date(2025, 3, 3), date(2025, 3, 5), date(2025, 3, 6)
    assert receipt_date(Channel.IN_PERSON, submitted=d1) == d1
    assert receipt_date("post_signed", submitted=d1, signed=d2) == d2
    assert receipt_date("post_ordinary", submitted=d1, signed=d2, confirmed=d3) == d3
    assert receipt_date("online", submitted=d1, confirmed=d2) == d2
    assert receipt_date("fax", confirmed=d3) == d3


def test_receipt_date_without_the_needed_date_or_channel_is_refused():
    with pytest.raises(FoiError, match="双方确认之日"):
        receipt_date("online", submitted=date(2025, 3, 3))
    with pytest.raises(FoiError, match="未知的申请渠道"):
        receipt_date("pigeon", submitted=date(2025, 3, 3))
    with pytest.raises(FoiError, match="早于提交日期"):
        receipt_date("post_signed", submitted=date(2025, 3, 5), signed=date(2025, 3, 3))


def test_restart_after_correction_counts_from_the_corrected_application():
    # Corrected application arrives Mon 2025-10-20: Oct 21..24(4) 27..31(9) Nov 3..7(14) 10..14(19) 17(20)
    due = compute_due(date(2025, 9, 26), restart=date(2025, 10, 20))
    assert due.due == date(2025, 11, 17)
    assert due.restarted
    assert "补正后申请收到之日" in due.explanation


def test_pause_and_extension_are_explained():
    # 5 working days paused (Oct 10, 11*, 13, 14, 15); 20 + 5 + 20 extension = 45 counted days.
    # From 11-06 (25 with the pause): Nov 7(1) 10..14(6) 17..21(11) 24..28(16) Dec 1 2 3 4(20)
    due = compute_due(
        date(2025, 9, 26), pauses=[(date(2025, 10, 9), date(2025, 10, 15))], extend=20, approver="王主任"
    )
    assert due.due == date(2025, 12, 4)
    assert due.paused_days == 5
    assert due.explanation == (
        "20 个工作日，自 2025-09-26（收到申请之日）起算，次日开始计算，扣除征求意见 5 个工作日，"
        "延期 20 个工作日（经王主任批准），答复期限 2025-12-04"
    )


def test_extension_over_twenty_days_is_refused():
    with pytest.raises(FoiError, match="延期天数"):
        compute_due(date(2025, 9, 26), extend=21)


def test_restart_before_receipt_is_refused():
    with pytest.raises(FoiError, match="早于收到申请日期"):
        compute_due(date(2025, 9, 26), restart=date(2025, 9, 1))


def test_correction_consultation_and_fee_windows():
    assert correction_notice_due(date(2025, 9, 26)) == date(2025, 10, 13)  # 7 working days
    assert consultation_limit(date(2025, 9, 26)) == date(2025, 10, 23)  # 15 working days
    # Fee notice received Thu 2025-12-25: 20 working days, as the reply clock -> 2026-01-23.
    assert fee_payment_due(date(2025, 12, 25)) == date(2026, 1, 23)


@pytest.fixture
def cli(tmp_path, monkeypatch):
    monkeypatch.setenv("GONGKAI_DATA_DIR", str(tmp_path))  # no platform database here
    monkeypatch.delenv("DATABASE_URL", raising=False)
    runner = CliRunner()
    return lambda *args: runner.invoke(app, ["foi", "due", *args])


def test_cli_prints_the_due_date(cli):
    result = cli("--received", "2026-02-10")
    assert result.exit_code == 0
    assert result.stdout.strip() == "2026-03-16"


def test_cli_restart_pause_extend_and_days(cli):
    assert cli("--received", "2025-09-26", "--restart", "2025-10-20").stdout.strip() == "2025-11-17"
    result = cli("--received", "2025-09-26", "--pause", "2025-10-09:2025-10-15", "--extend", "20")
    assert result.stdout.strip() == "2025-12-04"
    assert cli("--received", "2025-09-26", "--days", "7").stdout.strip() == "2025-10-13"


def test_cli_year_beyond_the_data_exits_2_naming_the_year(cli):
    result = cli("--received", "2026-12-10")
    assert result.exit_code == 2
    assert "2027 年" in result.stderr
    assert result.stdout == ""


def test_cli_bad_input_exits_2_with_a_chinese_message(cli):
    result = cli("--received", "2026-02-30")
    assert result.exit_code == 2
    assert "不是有效日期" in result.stderr
    result = cli("--received", "2026-02-10", "--pause", "2026-02-11")
    assert result.exit_code == 2
    assert "--pause" in result.stderr
    result = cli("--received", "2026-02-10", "--extend", "25")
    assert result.exit_code == 2


def test_cli_fee_per_request_and_by_volume():
    runner = CliRunner()
    assert runner.invoke(app, ["foi", "fee", "--requests", "35"]).stdout.strip() == "3000 元"
    assert runner.invoke(app, ["foi", "fee", "--pages", "250"]).stdout.strip() == "4700 元"
    both = runner.invoke(app, ["foi", "fee", "--pages", "250", "--requests", "3"])
    assert both.exit_code == 2
    assert "其中之一" in both.stderr
