"""Every real report of the corpus: the figures read are those printed in the document (checked by eye)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from gongkai.annual import check_file, read_report

pytestmark = pytest.mark.corpus

CH = [
    "一、总体情况",
    "二、主动公开政府信息情况",
    "三、收到和处理政府信息公开申请情况",
    "四、政府信息公开行政复议、行政诉讼情况",
    "五、存在的主要问题及改进情况",
    "六、其他需要报告的事项",
]


def rules(result: dict) -> list[str]:
    return sorted(p["rule"] for p in result["problems"])


def test_haicang_text_copy_with_pipe_cells_reads_every_table(corpus):
    r = read_report(corpus / "haicang-2023.txt")
    assert (r.year, r.format) == (2023, "2021")
    assert r.t2["normative_documents.made"] == 14
    assert r.t2["normative_documents.valid"] == 43
    assert r.t2["punishment.decisions"] == 9352
    assert r.t2["fees.amount_wan"] == Decimal("7832")
    assert r.t3["new_received"] == [104, 3, 0, 0, 0, 0, 107]
    assert r.t3["unable.no_info"] == [34, 3, 0, 0, 0, 0, 37]
    assert r.t3["total_processed"] == [100, 3, 0, 0, 0, 0, 103]
    assert r.t3["carried_forward"] == [4, 0, 0, 0, 0, 0, 4]
    assert r.t4 == [0, 1, 1, 0, 2] + [0] * 10
    assert list(r.chapters) == CH
    assert check_file(corpus / "haicang-2023.txt")["problems"] == []


def test_hongze_2023_pdf_is_mixed_and_its_table_four_does_not_add_up(corpus):
    path = corpus / "huaian-hongze-2023.pdf"
    r = read_report(path)
    assert (r.unit, r.year, r.format) == ("洪泽区人民政府", 2023, "mixed")
    assert r.formats == {"t2": "2021", "t3": "2019", "t4": "2021"}
    assert r.t2["fees.amount_wan"] == Decimal("7730.28")
    assert r.t2["normative_documents.repealed"] == 5
    assert r.t3["new_received"] == [21, 0, 0, 0, 0, 0, 21]
    assert r.t3["other"] == [0] * 7
    assert r.t3["unable.no_info"] == [10, 0, 0, 0, 0, 0, 10]
    assert r.t3["denied.law_forbidden"] == [0] * 7
    assert r.t4 == [10, 1, 0, 0, 0, 0, 0, 0, 0, 0, 5, 0, 0, 0, 0]
    result = check_file(path)
    assert rules(result) == ["FMT-OLD", "T4-SUM", "T4-SUM"]
    t4 = [p for p in result["problems"] if p["rule"] == "T4-SUM"]
    assert "10+1+0+0=11" in t4[0]["message"] and "总计0" in t4[0]["message"]
    assert t4[0]["where"].startswith("t4.review.")
    assert t4[1]["where"].startswith("t4.litigation_after_review.")


def test_hongze_2024_pdf_typo_label_and_text_contradiction(corpus):
    path = corpus / "huaian-hongze-2024.pdf"
    r = read_report(path)
    assert r.year == 2024
    assert r.t2["licensing.decisions"] == 9487
    assert r.t3["new_received"] == [95, 0, 0, 0, 0, 0, 95]
    assert r.t3["denied.law_forbidden"] == [0] * 7  # printed as 2.其他法律行政止公开
    assert r.t3["denied.safety_stability"] == [1, 0, 0, 0, 0, 0, 1]
    assert r.t4 == [1, 1, 0, 0, 2, 1, 0, 0, 0, 1, 2, 0, 1, 0, 3]
    result = check_file(path)
    assert rules(result) == ["FMT-OLD", "TEXT-TABLE"]
    text = next(p for p in result["problems"] if p["rule"] == "TEXT-TABLE")
    assert "17" in text["message"] and "95" in text["message"]


def test_huaian_city_pdf_full_table_three_with_wrapped_labels(corpus):
    r = read_report(corpus / "huaian-city-2024.pdf")
    assert (r.unit, r.year, r.format, r.level) == ("淮安市人民政府", 2024, "2021", "government")
    assert r.t2["punishment.decisions"] == 3985758
    assert r.t2["fees.amount_wan"] == Decimal("96171.6")
    assert r.t3["new_received"] == [3001, 53, 0, 0, 61, 4, 3119]
    assert r.t3["partial_grant"] == [447, 7, 0, 0, 0, 0, 454]
    assert r.t3["not_processed.confirm"] == [1, 0, 0, 0, 0, 0, 1]
    assert r.t3["other.overdue_correction"] == [67, 3, 0, 0, 1, 0, 71]
    assert r.t3["other.overdue_fee"] == [6, 0, 0, 0, 0, 0, 6]
    assert r.t3["carried_forward"] == [103, 0, 0, 0, 0, 0, 103]
    assert r.t4 == [72, 64, 178, 37, 351, 13, 4, 8, 1, 26, 12, 1, 1, 6, 20]
    assert check_file(corpus / "huaian-city-2024.pdf")["problems"] == []


def test_changchun_markdown_pipes_partial_and_text_contradiction(corpus):
    result = check_file(corpus / "changchun-tuiyijunren-2023.partial.txt")
    assert result["tables"]["t3"]["new_received"] == [3, 0, 0, 0, 0, 0, 3]
    assert result["tables"]["t3"]["granted"] == [None] * 7  # cut off: unknown, not zero
    text = [p for p in result["problems"] if p["rule"] == "TEXT-TABLE"]
    assert len(text) == 1 and "2件" in text[0]["message"] and "3件" in text[0]["message"]
    assert {p["where"] for p in result["problems"] if p["rule"] == "CH-MISSING"} == {
        f"ch.{h}" for h in CH[3:]
    }


def test_district_one_cell_per_line_keeps_blank_cells_null(corpus):
    r = read_report(corpus / "district-tongjiju-61.150.65.235-2023.partial.txt")
    assert r.unit == "区统计局" and r.level == "department"
    assert r.t2["regulations.made"] is None  # printed "/"
    assert r.t2["normative_documents.made"] == 0
    assert r.t3["new_received"] == [None] * 6 + [0]
    assert r.t3["carried_over"] == [None] * 6 + [0]
    assert r.t3["granted"] == [None] * 7
    result = check_file(corpus / "district-tongjiju-61.150.65.235-2023.partial.txt")
    assert not {"T3-ROWSUM", "T3-IDENTITY", "T3-RESULTTOTAL"} & set(rules(result))


def test_xuwen_rows_on_lines_with_blank_applicant_cells(corpus):
    r = read_report(corpus / "xuwen-sifaju-2023.partial.txt")
    assert r.t2["normative_documents.valid"] == 101
    assert r.t3["new_received"] == [0, None, None, None, None, None, 0]
    assert r.t3["denied.state_secret"] == [None] * 6 + [0]
    assert r.t3["denied.internal_affairs"] == [None] * 6 + [0]


def test_zhanjiang_all_zero_report(corpus):
    r = read_report(corpus / "zhanjiang-difangzhi-2023.partial.txt")
    assert r.unit == "湛江市人民政府地方志办公室"
    assert r.t3["granted"] == [0] * 7
    assert all(v == 0 for v in r.t2.values())


@pytest.mark.parametrize(
    ("name", "new_received", "t4"),
    [
        ("pingtan-2021.page.txt", [64, 0, 0, 2, 0, 4, 70], [1, 0, 2, 0, 3, 12, 0, 0, 0, 12, 0, 0, 0, 0, 0]),
        ("pingtan-2022.page.txt", [71, 3, 0, 0, 0, 0, 74], [0, 1, 1, 0, 2, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0]),
        ("pingtan-2023.page.txt", [80, 1, 0, 0, 0, 0, 81], [1, 1, 0, 0, 2, 4, 0, 0, 1, 5, 1, 0, 1, 0, 2]),
        ("pingtan-2024.page.txt", [217, 1, 0, 0, 0, 0, 218], [2, 1, 3, 1, 7, 0, 0, 0, 0, 0, 13, 2, 4, 0, 19]),
        ("pingtan-2025.page.txt", [151, 3, 0, 0, 0, 0, 154], [25, 3, 8, 0, 36, 3, 3, 0, 0, 6, 3, 0, 0, 0, 3]),
    ],
)
def test_pingtan_flattened_tables_recovered_only_where_unique(corpus, name, new_received, t4):
    r = read_report(corpus / name)
    assert r.t3["new_received"] == new_received
    assert r.t4 == t4
    assert {"t3", "t4"} <= set(r.recovered)
    assert r.published is not None and r.url.startswith("https://www.pingtan.gov.cn/")
    # 行政规范性文件 digits such as 693665 split many ways: left blank and reported.
    assert r.t2["normative_documents.made"] is None
    assert any(w == "t2.normative_documents" for w, _ in r.doubts)
    # single figures are certain however the rows run together (行政处罚1330行政强制54)
    assert None not in (r.t2["punishment.decisions"], r.t2["coercion.decisions"], r.t2["fees.amount_wan"])
    problems = check_file(corpus / name)["problems"]
    assert not [p for p in problems if p["severity"] == "error"]


def test_pingtan_2021_settles_ambiguous_rows_by_column_sums(corpus):
    r = read_report(corpus / "pingtan-2021.page.txt")
    assert r.t3["granted"] == [27, 0, 0, 2, 0, 1, 30]  # printed 270020130
    assert r.t3["unable.no_info"] == [22, 0, 0, 0, 0, 3, 25]  # printed 220000325
    assert r.t2["licensing.decisions"] == 2293


def test_pingtan_2020_is_2019_format_and_its_results_do_not_add_up(corpus):
    result = check_file(corpus / "pingtan-2020.page.txt")
    assert result["format"] == "2019"
    assert result["tables"]["t3"]["other"] == [4, 0, 0, 0, 0, 0, 4]
    assert result["tables"]["t3"]["new_received"] == [20, 0, 0, 0, 0, 1, 21]
    totals = [p for p in result["problems"] if p["rule"] == "T3-RESULTTOTAL"]
    assert len(totals) == 2 and "26" in totals[0]["message"] and "20" in totals[0]["message"]
    assert "FMT-OLD" not in rules(result)  # 2020 report: the 2019 format is right


def test_pre2019_narrative_report_is_not_checked_as_tables(corpus):
    result = check_file(corpus / "pingtan-dishuiju-2013-oldformat.page.txt")
    assert result["format"] == "pre2019"
    assert result["year"] == 2013
    # Narrative figures (受理审批事项117件，办结171件) must not be taken for table 三.
    assert rules(result) == []


def test_blank_national_template_is_all_null_without_arithmetic_errors(corpus):
    path = corpus / "templates" / "national-format-2021-blank-template.docx"
    r = read_report(path)
    assert r.format == "2021"
    assert all(v is None for v in r.t2.values())
    assert all(v is None for row in r.t3.values() for v in row)
    assert r.t4 == [None] * 15
    assert list(r.chapters) == CH
    result = check_file(path)
    assert set(rules(result)) == {"CELL-BLANK"}


def _mutate_line_after(text: str, label: str, offset: int, new: str) -> str:
    """Replace the cell `offset` lines below the line holding `label` (haicang: one cell per line)."""
    lines = text.split("\n")
    i = next(n for n, line in enumerate(lines) if label in line)
    lines[i + offset] = f"{new} |"
    return "\n".join(lines)


@pytest.mark.parametrize(
    ("label", "offset", "new", "expected"),
    [
        # (一)予以公开, 自然人 45 -> 46: its row and its column no longer add up.
        (
            "(一)予以公开",
            1,
            "46",
            {("T3-ROWSUM", "t3.granted.natural_person"), ("T3-RESULTTOTAL", "t3.granted.natural_person")},
        ),
        # 本年新收, 总计 107 -> 108: the row sum, the identity of the total column, and the text (107件).
        (
            "一、本年新收政府信息公开申请数量",
            7,
            "108",
            {
                ("T3-ROWSUM", "t3.new_received.natural_person"),
                ("T3-IDENTITY", "t3.new_received.total"),
                ("TEXT-TABLE", "ch.一、总体情况"),
            },
        ),
        # 其他处理 3.其他, 商业企业 0 -> /: a blank, reported as such and not read as 0.
        ("3.其他", 2, "/", {("CELL-BLANK", "t3.other.other.commercial")}),
        # 本年新收, 科研机构 0 -> -1: invalid.
        ("一、本年新收政府信息公开申请数量", 3, "-1", {("CELL-INVALID", "t3.new_received.research")}),
    ],
)
def test_one_mutated_cell_of_a_real_report_gives_exactly_its_rule_and_place(
    corpus, tmp_path, label, offset, new, expected
):
    text = (corpus / "haicang-2023.txt").read_text(encoding="utf-8")
    mutated = tmp_path / "haicang-2023.txt"
    mutated.write_text(_mutate_line_after(text, label, offset, new), encoding="utf-8")
    problems = check_file(mutated)["problems"]
    assert {(p["rule"], p["where"].split(",")[0]) for p in problems} == expected, problems


def test_mutated_table_four_of_a_real_pdf_text(corpus, tmp_path):
    from gongkai.annual.parse.pdf import pdf_text

    text = pdf_text((corpus / "huaian-city-2024.pdf").read_bytes())
    assert "72 64 178 37 351" in text
    mutated = tmp_path / "huaian-city-2024.txt"
    mutated.write_text(text.replace("72 64 178 37 351", "72 64 178 37 350"), encoding="utf-8")
    problems = check_file(mutated)["problems"]
    assert [(p["rule"], p["where"].split(",")[-1]) for p in problems] == [
        ("T4-SUM", "t4.review.total"),
        ("TEXT-TABLE", "t4.review.total"),
    ]


def test_filled_copy_of_the_national_docx_template(corpus, tmp_path, tables):
    import docx

    from gongkai.annual.model import T3_KEYS_2021

    document = docx.Document(str(corpus / "templates" / "national-format-2021-blank-template.docx"))
    t2, t3, t4 = document.tables
    v2 = tables["t2"]
    for row, key in ((2, "regulations"), (3, "normative_documents")):
        for col, fld in enumerate(("made", "repealed", "valid"), start=1):
            t2.rows[row].cells[col].text = str(v2[f"{key}.{fld}"])
    for row, key in (
        (6, "licensing.decisions"),
        (9, "punishment.decisions"),
        (10, "coercion.decisions"),
        (13, "fees.amount_wan"),
    ):
        t2.rows[row].cells[1].text = str(v2[key])
    for i, key in enumerate(T3_KEYS_2021):
        cells = t3.rows[3 + i].cells
        for c, v in enumerate(tables["t3"][key]):
            cells[3 + c].text = str(v)
    for c, v in enumerate(tables["t4"]):
        t4.rows[3].cells[c].text = str(v)
    path = tmp_path / "filled.docx"
    document.save(str(path))
    r = read_report(path)
    assert r.tables()["t3"] == tables["t3"]
    assert r.t4 == tables["t4"]
    assert r.tables()["t2"] == {
        k: (float(v) if k == "fees.amount_wan" else v) for k, v in tables["t2"].items()
    }
    assert [p["rule"] for p in check_file(path)["problems"]] == []
