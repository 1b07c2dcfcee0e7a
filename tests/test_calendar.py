"""Working-day calendar: dates counted by hand on the official holiday schedule (国务院办公厅通知)."""

from datetime import date

import pytest

from gongkai.calendar import CalendarError, CalendarRangeError, WorkingCalendar

CAL = WorkingCalendar()


def test_weekend_holiday_and_tiaoxiu_days_are_classified():
    assert CAL.is_working_day(date(2025, 9, 26))  # Friday
    assert not CAL.is_working_day(date(2025, 9, 27))  # Saturday
    assert CAL.is_working_day(date(2025, 9, 28))  # Sunday, 调休 working day before National Day
    assert not CAL.is_working_day(date(2025, 10, 8))  # Wednesday inside the National Day holiday
    assert CAL.is_working_day(date(2025, 10, 11))  # Saturday, 调休 working day
    assert not CAL.is_working_day(date(2026, 2, 16))  # Monday, Spring Festival
    assert CAL.is_working_day(date(2026, 2, 14))  # Saturday, 调休 working day


def test_twenty_working_days_across_spring_festival_2026():
    # Received Tue 2026-02-10. Holidays 02-15..02-23; Sat 02-14 and Sat 02-28 are working days.
    # Feb 11(1) 12(2) 13(3) 14*(4) | 24(5) 25(6) 26(7) 27(8) 28*(9) | Mar 2(10) 3 4 5 6(14) 9 10 11 12 13(19) 16(20)
    assert CAL.add_working_days(date(2026, 2, 10), 20) == date(2026, 3, 16)


def test_twenty_working_days_across_national_day_2025():
    # Received Fri 2025-09-26. Oct 1-8 off; Sun 09-28 and Sat 10-11 are working days.
    # 28*(1) 29(2) 30(3) | Oct 9(4) 10(5) 11*(6) 13(7) 14 15 16 17(11) 20 21 22 23 24(16) 27 28 29 30(20)
    assert CAL.add_working_days(date(2025, 9, 26), 20) == date(2025, 10, 30)
    assert CAL.add_working_days(date(2025, 9, 26), 7) == date(2025, 10, 13)
    assert CAL.add_working_days(date(2025, 9, 26), 15) == date(2025, 10, 23)
    # +40: from 10-30 on, Oct 31(21) Nov 3..7(26) 10..14(31) 17..21(36) 24 25 26 27(40)
    assert CAL.add_working_days(date(2025, 9, 26), 40) == date(2025, 11, 27)


def test_twenty_working_days_across_the_year_end():
    # Received Thu 2025-12-25. 2026-01-01..03 off, Sun 2026-01-04 a working day.
    # Dec 26(1) 29(2) 30(3) 31(4) | Jan 4*(5) 5 6 7 8 9(10) 12 13 14 15 16(15) 19 20 21 22 23(20)
    assert CAL.add_working_days(date(2025, 12, 25), 20) == date(2026, 1, 23)


def test_receipt_on_a_tiaoxiu_sunday_counts_from_the_next_day():
    # Received Sun 2024-04-28 (调休 working day). May 1-5 off, Sat 05-11 a working day.
    # Apr 29(1) 30(2) | May 6(3) 7 8 9 10(7) 11*(8) 13 14 15 16 17(13) 20 21 22 23 24(18) 27(19) 28(20)
    assert CAL.add_working_days(date(2024, 4, 28), 20) == date(2024, 5, 28)


def test_pause_excludes_working_days_after_start_up_to_and_including_end():
    # Pause (10-09, 10-15]: Oct 10, 11*, 13, 14, 15 = 5 working days not counted.
    # 20 working days end 10-30; 5 more: Oct 31, Nov 3, 4, 5, 6.
    pauses = [(date(2025, 10, 9), date(2025, 10, 15))]
    assert CAL.add_working_days(date(2025, 9, 26), 20, pauses) == date(2025, 11, 6)
    # Overlapping pauses are not deducted twice.
    pauses2 = [(date(2025, 10, 9), date(2025, 10, 14)), (date(2025, 10, 13), date(2025, 10, 15))]
    assert CAL.add_working_days(date(2025, 9, 26), 20, pauses2) == date(2025, 11, 6)
    # An empty pause (A == B) changes nothing.
    assert CAL.add_working_days(date(2025, 9, 26), 20, [(date(2025, 10, 9), date(2025, 10, 9))]) == date(
        2025, 10, 30
    )


def test_pause_ending_before_it_starts_is_refused():
    with pytest.raises(CalendarError, match="暂停区间无效"):
        CAL.add_working_days(date(2025, 9, 26), 20, [(date(2025, 10, 15), date(2025, 10, 9))])


def test_working_days_between_counts_after_a_up_to_b():
    assert CAL.working_days_between(date(2025, 9, 26), date(2025, 10, 30)) == 20
    assert CAL.working_days_between(date(2025, 10, 1), date(2025, 10, 8)) == 0
    assert CAL.working_days_between(date(2025, 10, 30), date(2025, 9, 26)) == -20


def test_a_year_beyond_the_data_is_an_error_naming_the_year():
    with pytest.raises(CalendarRangeError, match="2027 年") as info:
        CAL.add_working_days(date(2026, 12, 10), 20)
    assert info.value.year == 2027
    with pytest.raises(CalendarRangeError, match="2027"):
        CAL.is_working_day(date(2027, 3, 1))
    with pytest.raises(CalendarRangeError, match="2003"):
        CAL.is_working_day(date(2003, 6, 2))


def test_a_deadline_inside_the_last_known_year_is_fine():
    # Received Tue 2026-12-01: Dec 2 3 4(3) 7..11(8) 14..18(13) 21..25(18) 28(19) 29(20), no holidays.
    assert CAL.add_working_days(date(2026, 12, 1), 20) == date(2026, 12, 29)


def test_a_single_correction_does_not_make_a_year_known():
    # Only a schedule confirmed as a whole makes a year known; one entered day is not enough.
    cal = WorkingCalendar({date(2027, 1, 1): False})
    with pytest.raises(CalendarRangeError, match="2027"):
        cal.add_working_days(date(2026, 12, 10), 20)


def test_a_confirmed_year_with_its_corrections_is_known():
    # 2027 confirmed with 2027-01-01 a holiday.
    # Received Thu 2026-12-10: Dec 11(1) 14..18(6) 21..25(11) 28..31(15) | Jan 4(16) 5 6 7 8(20)
    cal = WorkingCalendar({date(2027, 1, 1): False}, extra_years=[2027])
    assert cal.add_working_days(date(2026, 12, 10), 20) == date(2027, 1, 8)
    assert not cal.is_working_day(date(2027, 1, 1))
    assert cal.is_working_day(date(2027, 1, 4))
    assert cal.provisional_in(date(2026, 12, 10), date(2027, 1, 8)) == ()


def test_extra_years_without_corrections_use_weekdays_only():
    cal = WorkingCalendar(extra_years=[2027])
    assert cal.is_working_day(date(2027, 1, 1))  # a Friday, nothing entered
    with pytest.raises(CalendarRangeError, match="2028"):
        cal.is_working_day(date(2028, 1, 3))


def test_corrections_override_the_library_data():
    # Make Thu 2025-10-30 a day off and Sat 2025-11-01 a working day.
    cal = WorkingCalendar({date(2025, 10, 30): False, date(2025, 11, 1): True})
    # Count reaches 19 on 10-29; 10-30 skipped; 20th is Fri 10-31.
    assert cal.add_working_days(date(2025, 9, 26), 20) == date(2025, 10, 31)
    assert cal.is_working_day(date(2025, 11, 1))
    assert cal.working_days_in(2025)[-1] == date(2025, 12, 31)


def test_zero_and_negative_day_counts():
    assert CAL.add_working_days(date(2025, 10, 1), 0) == date(2025, 10, 1)
    with pytest.raises(CalendarError):
        CAL.add_working_days(date(2025, 10, 1), -1)


def _by_hand(start, n, pauses):
    """Day-by-day count on chinese_calendar: the definition, slowly."""
    from datetime import timedelta

    import chinese_calendar

    d, counted = start, 0
    while counted < n:
        d += timedelta(days=1)
        if chinese_calendar.is_workday(d) and not any(a < d <= b for a, b in pauses):
            counted += 1
    return d


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@settings(max_examples=300, deadline=None)
@given(
    start=st.dates(min_value=date(2004, 1, 1), max_value=date(2026, 6, 30)),
    n=st.integers(min_value=0, max_value=45),
    pause=st.tuples(st.integers(min_value=-5, max_value=30), st.integers(min_value=0, max_value=25)),
)
def test_add_working_days_equals_a_day_by_day_count(start, n, pause):
    from datetime import timedelta

    a = start + timedelta(days=pause[0])
    pauses = [(a, a + timedelta(days=pause[1]))]
    assert CAL.add_working_days(start, n, pauses) == _by_hand(start, n, pauses)
