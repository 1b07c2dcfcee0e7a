"""The State Council holiday notice parser on the real notices of recent years: every day of each
year must match chinesecalendar's official data."""

import io
from datetime import date, timedelta
from pathlib import Path

import chinese_calendar
import pytest
from docx import Document

from gongkai.foi.holiday_notice import NoticeError, merge, notice_text_from_docx, parse_notice

NOTICES = Path(__file__).parent / "fixtures" / "holiday_notices"
YEARS = (2014, 2015, 2018, 2019, 2021, 2022, 2023, 2024, 2025, 2026)


def _schedule(year: int):
    schedule = parse_notice((NOTICES / f"{year}.txt").read_text(encoding="utf-8"))
    adjust = NOTICES / f"{year}-adjust.txt"
    if adjust.exists():
        schedule = merge(schedule, parse_notice(adjust.read_text(encoding="utf-8")))
    return schedule


@pytest.mark.parametrize("year", YEARS)
def test_every_day_of_the_year_matches_the_official_data(year):
    schedule = _schedule(year)
    assert schedule.year == year
    flags = schedule.year_flags()
    if (NOTICES / f"{year + 1}.txt").exists():  # 元旦 of the next year may start on 12-29..31
        flags.update({d: w for d, w in _schedule(year + 1).flags().items() if d.year == year})
    wrong = [d for d, working in flags.items() if working != chinese_calendar.is_workday(d)]
    assert wrong == []
    # Dates announced for the previous year (元旦 from 12-30) match too.
    for d, working in schedule.flags().items():
        assert working == chinese_calendar.is_workday(d), d


def test_2025_notice_in_detail():
    s = _schedule(2025)
    assert s.holidays[date(2025, 1, 28)] == "春节"  # 农历除夕、周二 inside the parentheses
    assert [d for d, f in s.holidays.items() if f == "春节"] == [
        date(2025, 1, 28) + timedelta(days=k) for k in range(8)
    ]
    assert s.workdays == {
        date(2025, 1, 26): "春节",
        date(2025, 2, 8): "春节",
        date(2025, 4, 27): "劳动节",
        date(2025, 9, 28): "国庆节、中秋节",
        date(2025, 10, 11): "国庆节、中秋节",
    }
    # the preamble ("自2025年1月1日起，全体公民放假的假日增加2天") is not an arrangement
    assert s.holidays[date(2025, 1, 1)] == "元旦"


def test_cross_year_new_year_and_encouragement_only_sentences():
    s2023 = _schedule(2023)
    assert s2023.holidays[date(2022, 12, 31)] == "元旦"
    s2024 = _schedule(2024)
    assert date(2024, 2, 9) not in s2024.holidays  # 鼓励……安排职工在除夕（2月9日）休息
    assert any("除夕" in n for n in s2024.notes)
    assert s2024.holidays[date(2024, 6, 10)] == "端午节"  # "6月10日放假，与周末连休"


def test_adjusting_notice_replaces_the_first_arrangement():
    first = parse_notice((NOTICES / "2019.txt").read_text(encoding="utf-8"))
    assert [d for d in first.holidays if d.month == 5] == [date(2019, 5, 1)]
    adjusted = _schedule(2019)
    assert [d for d in adjusted.holidays if d.month == 5] == [date(2019, 5, d) for d in (1, 2, 3, 4)]
    assert adjusted.workdays[date(2019, 5, 5)]


def test_make_up_days_off_and_one_off_notices():
    s = _schedule(2015)
    assert s.holidays[date(2015, 4, 6)] == "清明节"  # "4月5日放假，4月6日（星期一）补休"
    assert s.holidays[date(2015, 6, 22)] == "端午节"
    assert [d for d in s.holidays if d.month == 9 and d.day < 10] == [date(2015, 9, d) for d in (3, 4, 5)]
    assert s.workdays[date(2015, 9, 6)]
    one_off = parse_notice((NOTICES / "2015-adjust.txt").read_text(encoding="utf-8"))
    assert (
        one_off.adjusting and not parse_notice((NOTICES / "2015.txt").read_text(encoding="utf-8")).adjusting
    )


def test_a_notice_pasted_under_the_wrong_year_is_refused_by_its_weekdays():
    text = (NOTICES / "2026.txt").read_text(encoding="utf-8").replace("2026年", "2027年")
    with pytest.raises(NoticeError, match="不是周"):
        parse_notice(text)


def test_totals_that_do_not_match_the_range_are_refused():
    text = (
        (NOTICES / "2022.txt")
        .read_text(encoding="utf-8")
        .replace("1月31日至2月6日放假调休，共7天", "1月31日至2月6日放假调休，共8天")
    )
    with pytest.raises(NoticeError, match="共 7 天"):
        parse_notice(text)


def test_text_without_an_arrangement_or_a_year_is_refused():
    with pytest.raises(NoticeError, match="年份"):
        parse_notice("元旦：1月1日放假。")
    assert parse_notice("元旦：1月1日放假。", year=2027).holidays == {date(2027, 1, 1): "元旦"}
    with pytest.raises(NoticeError, match="没有找到放假安排"):
        parse_notice("国务院办公厅关于2027年部分节假日安排的通知\n各省、自治区、直辖市人民政府：另行通知。")


def test_docx_upload_reads_the_same_schedule():
    text = (NOTICES / "2025.txt").read_text(encoding="utf-8")
    doc = Document()
    for line in text.splitlines():
        doc.add_paragraph(line)
    buf = io.BytesIO()
    doc.save(buf)
    assert parse_notice(notice_text_from_docx(buf.getvalue())).flags() == _schedule(2025).flags()
    with pytest.raises(NoticeError, match="docx"):
        notice_text_from_docx(b"not a docx")
