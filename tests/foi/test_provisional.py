"""Provisional (暂定) working days for years whose State Council schedule is not yet known:
weekends and the statutory holidays of the 全国年节及纪念日放假办法, computed, never 调休."""

from datetime import date, timedelta

import chinese_calendar
import pytest
from typer.testing import CliRunner

from gongkai.calendar import CalendarRangeError, WorkingCalendar, library_years
from gongkai.cli import app
from gongkai.foi import compute_due
from gongkai.foi.holiday_law import statutory_holidays, version_on


@pytest.mark.parametrize("year", range(2004, library_years()[1] + 1))
def test_every_statutory_holiday_is_a_day_off_in_the_official_data(year):
    # The computed lunar dates (春节, 端午, 中秋, 除夕) and 清明 must fall on days off in every
    # year the official data covers; the count follows the version of the 办法 in force.
    days = statutory_holidays(year)
    assert days, year
    for d, name in days.items():
        assert not chinese_calendar.is_workday(d), (d, name)
        holiday, detail = chinese_calendar.get_holiday_detail(d)
        assert holiday


def test_statutory_days_follow_the_version_in_force():
    # 2013 (第二次修订): 除夕、初一、初二; 2014–2024: 初一至初三; from 2025: 除夕至初三, 5月1日、2日.
    spring = lambda y: sorted(d for d, n in statutory_holidays(y).items() if n == "春节")  # noqa: E731
    assert spring(2013) == [date(2013, 2, 9), date(2013, 2, 10), date(2013, 2, 11)]
    assert spring(2024) == [date(2024, 2, 10), date(2024, 2, 11), date(2024, 2, 12)]
    assert spring(2027) == [date(2027, 2, 5), date(2027, 2, 6), date(2027, 2, 7), date(2027, 2, 8)]
    may = lambda y: sorted(d for d, n in statutory_holidays(y).items() if n == "劳动节")  # noqa: E731
    assert may(2024) == [date(2024, 5, 1)]
    assert may(2027) == [date(2027, 5, 1), date(2027, 5, 2)]
    assert "第三次修订" in version_on(date(2020, 1, 1)).source


def test_2027_statutory_holidays():
    assert statutory_holidays(2027) == {
        date(2027, 1, 1): "元旦",
        date(2027, 2, 5): "春节",  # 除夕
        date(2027, 2, 6): "春节",
        date(2027, 2, 7): "春节",
        date(2027, 2, 8): "春节",
        date(2027, 4, 5): "清明节",
        date(2027, 5, 1): "劳动节",
        date(2027, 5, 2): "劳动节",
        date(2027, 6, 9): "端午节",
        date(2027, 9, 15): "中秋节",
        date(2027, 10, 1): "国庆节",
        date(2027, 10, 2): "国庆节",
        date(2027, 10, 3): "国庆节",
    }


def test_provisional_due_date_across_the_year_boundary():
    cal = WorkingCalendar(provisional_years=2)
    # Received Mon 2026-12-07: Dec 8..11(4) 14..18(9) 21..25(14) 28..31(18) | Jan 1 元旦 | Jan 4(19) 5(20)
    due = compute_due(date(2026, 12, 7), calendar=cal)
    assert due.due == date(2027, 1, 5)
    assert due.provisional == (2027,)
    assert "暂定" in due.explanation and "未计调休" in due.explanation
    # Entirely inside 2026: final, no note.
    final = compute_due(date(2026, 11, 2), calendar=cal)
    assert final.provisional == () and "暂定" not in final.explanation


def test_provisional_count_skips_the_spring_festival_2027():
    cal = WorkingCalendar(provisional_years=2)
    # Received Mon 2027-02-01: Feb 2 3 4(3) | 5 除夕, 6 7 weekend + 初一 初二, 8 初三 | 9..12(7)
    # 15..19(12) 22..26(17) Mar 1 2 3(20)
    assert cal.add_working_days(date(2027, 2, 1), 20) == date(2027, 3, 3)
    assert not cal.is_working_day(date(2027, 2, 8))
    assert cal.is_known(date(2026, 5, 5)) and not cal.is_known(date(2027, 5, 5))


def test_strict_calendar_still_refuses_and_provisional_has_an_end():
    with pytest.raises(CalendarRangeError):
        WorkingCalendar().add_working_days(date(2026, 12, 7), 20)
    cal = WorkingCalendar(provisional_years=1)
    with pytest.raises(CalendarRangeError, match="2028"):
        cal.is_working_day(date(2028, 1, 3))


def test_confirmed_year_replaces_the_provisional_one():
    # The official 2027 schedule makes Sat 2027-01-02 a working day (invented here): once confirmed
    # with its corrections the count is final and uses them.
    corrections = {date(2027, 1, 1): False, date(2027, 1, 2): True}  # Dec ..31(18) Jan 2(19) 4(20)
    provisional = WorkingCalendar(corrections, provisional_years=2)
    assert provisional.provisional_in(date(2026, 12, 7), date(2027, 1, 5)) == (2027,)
    confirmed = WorkingCalendar(corrections, extra_years=[2027], provisional_years=2)
    assert confirmed.add_working_days(date(2026, 12, 7), 20) == date(2027, 1, 4)
    assert confirmed.provisional_in(date(2026, 12, 7), date(2027, 1, 4)) == ()
    assert confirmed.provisional_years == (2028, 2029)


def test_provisional_weekdays_equal_a_day_by_day_count():
    cal = WorkingCalendar(provisional_years=1)
    holidays = statutory_holidays(2027)
    d, n = date(2027, 1, 1), 0
    while d.year == 2027:
        expected = d.weekday() < 5 and d not in holidays
        assert cal.is_working_day(d) == expected, d
        n += expected
        d += timedelta(days=1)
    assert len(cal.working_days_in(2027)) == n


@pytest.fixture
def cli(tmp_path, monkeypatch):
    monkeypatch.setenv("GONGKAI_DATA_DIR", str(tmp_path))  # no platform database here
    monkeypatch.delenv("DATABASE_URL", raising=False)
    runner = CliRunner()
    return lambda *args: runner.invoke(app, ["foi", "due", *args])


def test_cli_provisional_prints_the_date_and_says_it_is_provisional(cli):
    strict = cli("--received", "2026-12-07")
    assert strict.exit_code == 2 and "2027 年" in strict.stderr and strict.stdout == ""
    assert "--provisional" in strict.stderr
    result = cli("--received", "2026-12-07", "--provisional")
    assert result.exit_code == 0
    assert result.stdout.strip() == "2027-01-05"
    assert "暂定" in result.stderr and "2027" in result.stderr
    # A date inside the known calendar: same answer as without the flag, no note.
    known = cli("--received", "2026-02-10", "--provisional")
    assert known.stdout.strip() == "2026-03-16" and "暂定" not in known.stderr
