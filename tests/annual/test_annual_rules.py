"""The validator: one changed cell gives exactly the right rule at the right place."""

from __future__ import annotations

import datetime as dt

import pytest
from annual_testdata import CHAPTER_TEXT

from gongkai.annual import AnnualReport, Deadlines, validate
from gongkai.annual.rules import RULES


def build(tables: dict, **kw) -> AnnualReport:
    kw.setdefault("year", 2023)
    kw.setdefault("unit", "测试区人民政府")
    kw.setdefault("chapters", {**{h: "" for h in CHS}, **CHAPTER_TEXT})
    return AnnualReport.from_tables(tables, **kw)


CHS = [
    "一、总体情况",
    "二、主动公开政府信息情况",
    "三、收到和处理政府信息公开申请情况",
    "四、政府信息公开行政复议、行政诉讼情况",
    "五、存在的主要问题及改进情况",
    "六、其他需要报告的事项",
]


def test_consistent_tables_have_no_problem(tables):
    assert validate(build(tables)) == []


def test_rule_ids_are_exactly_those_of_contracts():
    assert set(RULES) == {
        "T3-IDENTITY",
        "T3-ROWSUM",
        "T3-RESULTTOTAL",
        "T4-SUM",
        "CELL-BLANK",
        "CELL-INVALID",
        "FMT-OLD",
        "CH-MISSING",
        "TEXT-TABLE",
        "FEE-CH6",
        "X-CARRY",
        "X-VALID",
        "LATE",
        "CELL-AMBIGUOUS",
    }


def test_changed_total_cell_breaks_rowsum_resulttotal_and_identity_in_that_column(tables):
    tables["t3"]["total_processed"][0] = 101
    problems = validate(build(tables))
    got = sorted((p.rule, p.severity) for p in problems)
    assert got == [("T3-IDENTITY", "error"), ("T3-RESULTTOTAL", "error"), ("T3-ROWSUM", "error")]
    by = {p.rule: p for p in problems}
    assert "t3.total_processed.natural_person" in by["T3-IDENTITY"].where.split(",")
    assert "自然人列" in by["T3-IDENTITY"].message and "104+上年结转0=104" in by["T3-IDENTITY"].message
    assert by["T3-ROWSUM"].where.split(",")[0] == "t3.total_processed.natural_person"
    assert "101" in by["T3-RESULTTOTAL"].message and "100" in by["T3-RESULTTOTAL"].message


def test_changed_outcome_cell_in_total_column_breaks_only_rowsum_and_resulttotal(tables):
    tables["t3"]["granted"][6] = 46
    problems = validate(build(tables))
    assert sorted(p.rule for p in problems) == ["T3-RESULTTOTAL", "T3-ROWSUM"]
    rowsum = next(p for p in problems if p.rule == "T3-ROWSUM")
    assert "「（一）予以公开」" in rowsum.message and "45" in rowsum.message and "46" in rowsum.message
    total = next(p for p in problems if p.rule == "T3-RESULTTOTAL")
    assert "总计列" in total.message and "t3.granted.total" in total.where


def test_changed_carried_forward_breaks_identity_per_column(tables):
    tables["t3"]["carried_forward"] = [5, 0, 0, 0, 0, 0, 5]
    problems = validate(build(tables))
    # The text of chapter 一 says 结转下年度继续办理4件: that contradiction is reported too.
    assert sorted(p.rule for p in problems) == ["T3-IDENTITY", "T3-IDENTITY", "TEXT-TABLE"]
    assert {p.where.split(",")[-1] for p in problems if p.rule == "T3-IDENTITY"} == {
        "t3.carried_forward.natural_person",
        "t3.carried_forward.total",
    }


def test_table_four_group_sum(tables):
    tables["t4"][7] = 2  # 未经复议直接起诉·其他结果
    problems = validate(build(tables))
    assert [p.rule for p in problems] == ["T4-SUM"]
    assert "未经复议直接起诉" in problems[0].message
    assert problems[0].where.startswith("t4.litigation_direct.upheld")


def test_blank_cell_is_a_warning_and_never_zero(tables):
    tables["t3"]["granted"][1] = None
    problems = validate(build(tables))
    assert [(p.rule, p.severity, p.where) for p in problems] == [
        ("CELL-BLANK", "warning", "t3.granted.commercial")
    ]


def test_negative_and_fractional_cells_are_invalid():
    from gongkai.annual import parse_bytes

    text = "三、收到和处理政府信息公开申请情况\n一、本年新收政府信息公开申请数量 | -1 | 0 | 0 | 0 | 0 | 0 | 1.5 |\n"
    r = parse_bytes(text.encode(), "x.txt")
    problems = [p for p in validate(r) if p.rule == "CELL-INVALID"]
    assert {p.where for p in problems} == {"t3.new_received.natural_person", "t3.new_received.total"}
    assert any("-1" in p.message for p in problems)


def test_old_format_table_three_in_a_2021_report(tables):
    t3 = tables["t3"]
    other = [
        a + b + c
        for a, b, c in zip(
            t3.pop("other.overdue_correction"),
            t3.pop("other.overdue_fee"),
            t3.pop("other.other"),
            strict=True,
        )
    ]
    t3["other"] = other
    r = build(tables, year=2023)
    assert [(p.rule, p.where) for p in validate(r)] == [("FMT-OLD", "t3.other")]
    assert validate(build(tables, year=2020)) == []


def test_missing_chapter(tables):
    chapters = {h: "x" for h in CHS if not h.startswith("五")}
    chapters["一、总体情况"] = CHAPTER_TEXT["一、总体情况"]
    problems = validate(build(tables, chapters=chapters))
    assert [(p.rule, p.where) for p in problems] == [("CH-MISSING", "ch.五、存在的主要问题及改进情况")]


def test_text_contradicting_the_table(tables):
    chapters = {**{h: "" for h in CHS}, **CHAPTER_TEXT}
    chapters["一、总体情况"] = "全年受理政府信息公开申请110件，办结103件。"
    problems = validate(build(tables, chapters=chapters))
    assert [p.rule for p in problems] == ["TEXT-TABLE"]
    assert "110" in problems[0].message and "107" in problems[0].message


def test_fee_cases_need_chapter_six(tables):
    tables["t3"]["other.overdue_fee"] = [1, 0, 0, 0, 0, 0, 1]
    tables["t3"]["other.other"] = [0] * 7
    tables["t3"]["granted"] = [44, 0, 0, 0, 0, 0, 44]
    chapters = {**{h: "" for h in CHS}, **CHAPTER_TEXT, "六、其他需要报告的事项": "无。"}
    problems = validate(build(tables, chapters=chapters))
    assert [p.rule for p in problems] == ["FEE-CH6"]
    chapters["六、其他需要报告的事项"] = "本年度发出收费通知1件，收取信息处理费0元。"
    assert validate(build(tables, chapters=chapters)) == []


def test_cross_year_carry_and_valid_documents(tables):
    prev = build(tables, year=2022)
    prev.t3["carried_forward"] = [3, 0, 0, 0, 0, 0, 3]
    prev.t2["normative_documents.valid"] = 30
    problems = validate(build(tables), prev)
    rules = sorted(p.rule for p in problems)
    assert rules == ["X-CARRY", "X-CARRY", "X-VALID"]
    valid = next(p for p in problems if p.rule == "X-VALID")
    assert "30+本年制发14−本年废止3=41" in valid.message and "43" in valid.message
    prev.t2["normative_documents.valid"] = 32
    prev.t3["carried_forward"] = [0] * 7
    assert validate(build(tables), prev) == []


@pytest.mark.parametrize(
    ("level", "published", "late"),
    [
        ("department", dt.date(2024, 1, 31), False),
        ("department", dt.date(2024, 2, 1), True),
        ("government", dt.date(2024, 3, 31), False),
        ("government", dt.date(2024, 4, 1), True),
    ],
)
def test_late_by_level(tables, level, published, late):
    r = build(tables, published=published, level=level)
    assert [p.rule for p in validate(r)] == (["LATE"] if late else [])


def test_late_dates_are_configurable(tables):
    r = build(tables, published=dt.date(2024, 2, 10), level="department")
    assert [p.rule for p in validate(r)] == ["LATE"]
    assert validate(r, deadlines=Deadlines(department=(2, 15))) == []


def test_from_tables_rejects_wrong_shapes(tables):
    tables["t4"] = [0] * 14
    with pytest.raises(ValueError, match="表四应有15个数"):
        AnnualReport.from_tables(tables)
    tables["t4"] = [0] * 15
    tables["t3"]["granted"] = [1, 2]
    with pytest.raises(ValueError, match="应有7个数"):
        AnnualReport.from_tables(tables)


def test_text_figures_outside_application_sentences_are_not_compared(tables):
    chapters = {**{h: "" for h in CHS}, **CHAPTER_TEXT}
    chapters["一、总体情况"] = (
        "全年受理审批事项117件，办结171件。依申请公开方面，共受理政府信息公开申请107件。"
    )
    assert validate(build(tables, chapters=chapters)) == []
