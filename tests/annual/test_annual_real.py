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
