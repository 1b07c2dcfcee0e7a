"""Plan deadlines and work areas, without Django."""

from __future__ import annotations

import datetime as dt

import pytest

from gongkai.plans import completion_points, deadline_text, heading_of, parse_deadline, periods, resolve_area
from gongkai.plans.areas import AreasError, parse_areas


def test_a_quarterly_task_is_due_ten_days_after_each_quarter_by_default():
    due = [(p.key, p.label, p.due) for p in periods(2026, "quarterly")]
    assert due == [
        ("Q1", "第一季度", dt.date(2026, 4, 10)),
        ("Q2", "第二季度", dt.date(2026, 7, 10)),
        ("Q3", "第三季度", dt.date(2026, 10, 10)),
        ("Q4", "第四季度", dt.date(2027, 1, 10)),
    ]
    assert periods(2026, "quarterly", grace_days=15)[0].due == dt.date(2026, 4, 15)
    assert [p.due for p in periods(2026, "monthly")][1] == dt.date(2026, 3, 10)  # February has 28 days
    assert [p.key for p in periods(2026, "once", dt.date(2026, 6, 30))] == [""]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-06-30", ("once", dt.date(2026, 6, 30))),
        ("2026年6月30日前", ("once", dt.date(2026, 6, 30))),
        ("2026年9月底前", ("once", dt.date(2026, 9, 30))),
        ("11月底", ("once", dt.date(2026, 11, 30))),
        ("每季度", ("quarterly", None)),
        ("按月", ("monthly", None)),
        ("2026年上半年", ("half", None)),
        ("长期坚持", ("yearly", None)),
        ("", ("once", None)),
    ],
)
def test_deadline_cells_are_read_as_the_office_writes_them(text, expected):
    assert parse_deadline(text, 2026) == expected


def test_a_deadline_that_is_no_date_is_refused_in_chinese():
    with pytest.raises(ValueError, match="无法识别的完成时限"):
        parse_deadline("尽快", 2026)
    with pytest.raises(ValueError, match="不是有效的日期"):
        parse_deadline("2026-13-01", 2026)
    assert parse_deadline(deadline_text("quarterly", None), 2026) == ("quarterly", None)


def test_areas_are_data_with_aliases_and_report_headings():
    assert resolve_area("舆情回应") == "回应关切" and resolve_area("宣传") is None
    assert heading_of("五公开") == "推进“五公开”情况"
    with pytest.raises(AreasError, match="第 2 个领域“解读”：名称或别名“解读”与前面的领域重复"):
        parse_areas("areas:\n  - {name: 政策解读, aliases: [解读]}\n  - {name: 解读}\n", "x.yaml")


def test_completion_points_are_a_share_of_the_item_and_none_when_nothing_was_due():
    assert completion_points(10, 3, 4) == 7.5
    assert completion_points(10, 0, 0) is None
