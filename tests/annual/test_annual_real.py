"""Real reports found beyond the corpus (fixtures/real, see SOURCES.md and real.py): every report gives
exactly its hand-labelled findings, no cell is read as a number the file does not print, and the fixes
made for them do not silence a real inconsistency."""

from __future__ import annotations

from pathlib import Path

import pytest
from real import FIXTURES, score

from gongkai.annual import check_report, parse_bytes

pytestmark = pytest.mark.corpus


@pytest.fixture(scope="module")
def scores() -> list[dict]:
    return score()


def test_every_real_report_gives_exactly_its_labelled_findings(scores):
    assert len(scores) >= 5
    assert [
        (s["name"], s["false_errors"], s["false_warnings"], s["missed"]) for s in scores if not s["right"]
    ] == []


def test_no_cell_of_a_real_report_is_read_as_another_number(scores):
    assert [(s["name"], s["wrong_cells"]) for s in scores if s["wrong_cells"]] == []
    assert sum(s["cells"][0] for s in scores) / sum(s["cells"][1] for s in scores) > 0.9


def test_unit_year_and_format_of_every_real_report(scores):
    assert [s["name"] for s in scores if not s["meta"]] == []


def _check(text: str, name: str = "r.md") -> dict:
    return check_report(parse_bytes(text.encode(), name))


def _rules(result: dict) -> list[str]:
    return sorted({p["rule"] for p in result["problems"] if p["severity"] == "error"})


def test_a_real_inconsistency_in_a_real_report_is_still_an_error():
    # 沭阳县 2025 with one cell changed: the row no longer adds up, the column total neither
    text = (FIXTURES / "shuyang-county-2025.md").read_text(encoding="utf-8")
    broken = text.replace("| 2. 重复申请 | 6 | 1 |", "| 2. 重复申请 | 9 | 1 |")
    assert broken != text
    assert _rules(_check(text)) == []
    r = _check(broken)
    assert {"T3-ROWSUM", "T3-RESULTTOTAL"} <= set(_rules(r))
    assert any("之和为10，与总计7不符" in p["message"] for p in r["problems"] if p["rule"] == "T3-ROWSUM")


def test_a_page_number_between_a_label_and_its_row_is_not_the_first_cell():
    text = (FIXTURES / "stcsm-kewei-2024.md").read_text(encoding="utf-8")
    r = _check(text)
    assert r["tables"]["t3"]["other.overdue_fee"] == [0, 0, 0, 0, 0, 0, 0]
    assert "T3-ROWSUM" not in _rules(r)


def test_chapter_five_is_found_by_its_sub_headings_and_still_missing_without_them():
    text = (FIXTURES / "shanghai-office-2025.md").read_text(encoding="utf-8")
    assert "CH-MISSING" not in _rules(_check(text))
    start = text.index("（一）2024 年工作中存在问题的改进情况")
    without = text[:start] + text[text.index("六、其他需要报告的事项") :]
    missing = [p for p in _check(without)["problems"] if p["rule"] == "CH-MISSING"]
    assert [p["where"] for p in missing] == ["ch.五、存在的主要问题及改进情况"]


def test_rows_printed_as_text_lines_in_a_piped_file_are_read():
    r = _check((FIXTURES / "stcsm-kewei-2024.md").read_text(encoding="utf-8"))
    t2 = r["tables"]["t2"]
    assert (t2["licensing.decisions"], t2["punishment.decisions"], t2["fees.amount_wan"]) == (97, 0, 0)
    assert r["tables"]["t4"][:5] == [1, 0, 0, 0, 1]  # 表四 under a renumbered heading 三、…行政复议…


def test_a_header_cell_named_total_is_no_missing_row():
    r = _check((FIXTURES / "shuyang-county-2025.md").read_text(encoding="utf-8"))
    assert [p for p in r["problems"] if p["rule"] == "CELL-BLANK"] == []


@pytest.mark.parametrize(
    ("name", "unit"),
    [
        ("shanghai-office-2019.html", "上海市人民政府办公厅"),
        ("stcsm-kewei-2024.md", "上海市科委"),
        ("shanghai-office-2025.md", "上海市人民政府办公厅"),
    ],
)
def test_unit_from_a_title_that_starts_with_the_year(name: str, unit: str):
    r = _check((FIXTURES / name).read_text(encoding="utf-8"), name)
    assert r["unit"] == unit


def test_fixture_sources_are_recorded():
    sources = (FIXTURES / "SOURCES.md").read_text(encoding="utf-8")
    for path in Path(FIXTURES).iterdir():
        if path.suffix in (".md", ".html", ".txt") and path.name != "SOURCES.md":
            assert path.name in sources, path.name


OLD_T2_WITH_NOTES = """某街道2020年政府信息公开工作年度报告
二、主动公开政府信息情况
第二十条第(一)项 | | | |
信息内容 | 本年新制作数量 | 本年新公开数量 | 对外公开总数量 |
规章(设区的市、自治州人民政府应提供相关数据) | 0 | 0 | 0 |
规范性文件(行政机关制定发布的决定、公告、通告、意见、通知,一般情况下属于规范性文件) | 87 | 0 | 0 |
第二十条第(五)项 | | | |
信息内容 | 上一年项目数量 (指2019年事项数) | 本年增/减 (减用负值表示,如 -8) | 处理决定数量 |
行政许可 | 21 | +19 | 40 |
其他对外管理服务事项(指行政许可以外的政务服务事项,含行政确认、行政奖励) | 0 | -2 | 0 |
"""


def test_table_two_rows_with_template_notes_and_signed_changes_are_read():
    # the Hubei 2020 template appends filling notes to the row labels; 本年增/减 is printed `+19`
    r = read_report_text(OLD_T2_WITH_NOTES)
    assert r.formats["t2"] == "2019"
    assert r.t2_old["normative_documents.new_made"] == 87
    assert (
        r.t2_old["licensing.last_year"],
        r.t2_old["licensing.change"],
        r.t2_old["licensing.decisions"],
    ) == (
        21,
        19,
        40,
    )
    assert r.t2_old["other_services.change"] == -2


def read_report_text(text: str):
    return parse_bytes(text.encode(), "r.txt")


def test_publication_date_from_the_page_meta_table_decides_late():
    # 沭阳县发改局 2023: `公开日期 | 2024-01-17` in the page's own table, a county department (31 Jan)
    text = (FIXTURES / "shuyang-fgj-2023.html").read_text(encoding="utf-8")
    r = check_report(parse_bytes(text.encode(), "fgj.html"))
    assert r["published"] == "2024-01-17"
    assert [p for p in r["problems"] if p["rule"] == "LATE"] == []
    late = text.replace("<publishtime>2024-01-17</publishtime>", "<publishtime>2024-02-20</publishtime>")
    r = check_report(parse_bytes(late.encode(), "fgj.html"))
    assert [p["severity"] for p in r["problems"] if p["rule"] == "LATE"] == ["warning"]


def test_a_traditional_character_copy_reads_as_the_simplified_report():
    # a site's 繁體版 (or a mirror) of 沭阳县 2025: before, five chapters were "missing" (false errors)
    import opencc

    text = (FIXTURES / "shuyang-county-2025.md").read_text(encoding="utf-8")
    trad = opencc.OpenCC("s2t").convert(text)
    assert "開" in trad and "开" not in trad
    simple, traditional = _check(text), _check(trad)
    assert traditional["problems"] == simple["problems"] == []
    assert traditional["tables"] == simple["tables"]
    assert traditional["unit"] == "沐阳县人民政府"
    assert any("繁体" in i for i in traditional["info"]) and not any("繁体" in i for i in simple["info"])


def test_rows_whose_labels_were_printed_apart_are_placed_only_when_the_table_adds_up():
    text = (FIXTURES / "stcsm-kewei-2024.md").read_text(encoding="utf-8")
    r = _check(text)
    t3 = r["tables"]["t3"]
    assert (t3["denied.internal_affairs"], t3["unable.no_info"], t3["unable.need_creation"]) == (
        [1, 0, 0, 0, 0, 0, 1],
        [4, 0, 0, 0, 0, 0, 4],
        [6, 0, 0, 0, 0, 0, 6],
    )
    assert t3["other.overdue_correction"] == [8, 2, 0, 0, 0, 0, 10]
    assert not [p for p in r["problems"] if p["rule"] == "CELL-AMBIGUOUS"]
    # one number changed in an unlabelled row: the placement no longer adds up, so it is not made (a
    # guessed placement is never the basis of an error); those rows stay doubtful
    broken = text.replace("| 6 | 0 | 0 | 0 | 0 | 0 | 6 |", "| 7 | 0 | 0 | 0 | 0 | 0 | 6 |")
    assert broken != text
    b = _check(broken)
    assert b["tables"]["t3"]["unable.need_creation"] == [None] * 7
    assert "t3.unable.need_creation" in {p["where"] for p in b["problems"] if p["rule"] == "CELL-AMBIGUOUS"}
    assert _rules(b) == []


@pytest.mark.parametrize(
    ("unit", "late"),
    [("周矶街道办事处", False), ("太平镇人民政府", False), ("沭阳县民政局", True), ("洪泽区人民政府", False)],
)
def test_late_only_where_the_regulation_sets_a_date(unit: str, late: bool):
    # 条例 第四十九条: 县级以上部门 by 31 January, 县级以上政府 by 31 March, nothing for 乡镇/街道
    text = f"{unit}2020年政府信息公开工作年度报告\n发布日期：2021-03-20\n一、总体情况\n本年度工作正常。\n"
    r = _check(text, "r.txt")
    assert bool([p for p in r["problems"] if p["rule"] == "LATE"]) is late


def test_an_unplaced_row_that_cannot_add_up_is_pointed_out_as_a_doubt():
    text = (FIXTURES / "stcsm-kewei-2024.md").read_text(encoding="utf-8")
    b = _check(text.replace("| 6 | 0 | 0 | 0 | 0 | 0 | 6 |", "| 7 | 0 | 0 | 0 | 0 | 0 | 6 |"))
    doubts = [
        p["message"]
        for p in b["problems"]
        if p["rule"] == "CELL-AMBIGUOUS" and "7、0、0、0、0、0、6" in p["message"]
    ]
    assert len(doubts) == 1 and "之和与总计不符" in doubts[0] and "8.属于行政查询事项" in doubts[0]
    assert _rules(b) == []  # where the row belongs is not known: a warning, not an error
