"""Real reports in the forms people convert them to (fixtures/variants, see variants.py) and the
real-world variants of issue 18: every labelled finding, no false error."""

from __future__ import annotations

from decimal import Decimal

import pytest
from variants import FIXTURES, score

from gongkai.annual import check_file, parse_bytes, validate

pytestmark = pytest.mark.corpus

# Forms where some cells are truly undecidable (digits run together; pdftotext scattering table 四's
# numbers among its header words): those cells are CELL-AMBIGUOUS, the findings must still be exact.
UNDECIDABLE_CELLS = {"plain", "flat"}


@pytest.fixture(scope="module")
def scores() -> list[dict]:
    return score()


def test_every_converted_form_gives_exactly_the_labelled_findings(scores):
    wrong = [(s["name"], s["missing"], s["extra"]) for s in scores if not s["findings_right"]]
    assert wrong == []
    assert {s["form"] for s in scores} >= {
        "layout",
        "plain",
        "plumber",
        "md",
        "t4split",
        "renum",
        "labels",
        "flat",
        "xlsx",
    }


def test_cells_of_converted_forms_are_read_as_printed(scores):
    assert [(s["name"], s["wrong_cells"]) for s in scores if s["wrong_cells"]] == []  # doubt, never a guess
    for s in scores:
        if s["form"] in UNDECIDABLE_CELLS:
            continue
        assert s["cells"][0] == s["cells"][1], s["name"]


def test_the_real_errors_are_found_in_every_form_that_carries_them(scores):
    hongze = [
        s for s in scores if s["name"].startswith("huaian-hongze-2023") and s["form"] not in UNDECIDABLE_CELLS
    ]
    assert len(hongze) >= 7 and all(s["findings_right"] for s in hongze)
    r = check_file(FIXTURES / "huaian-hongze-2023.t4split.txt")
    assert "10+1+0+0=11" in next(p["message"] for p in r["problems"] if p["rule"] == "T4-SUM")


def test_tables_only_workbook_says_once_that_chapter_rules_do_not_apply():
    r = check_file(FIXTURES / "huaian-hongze-2023.tables.xlsx")
    assert not [p for p in r["problems"] if p["rule"] == "CH-MISSING"]
    assert len(r["info"]) == 1 and "只含表格" in r["info"][0]
    assert sorted(p["rule"] for p in r["problems"]) == ["FMT-OLD", "T4-SUM", "T4-SUM"]


def test_renumbered_headings_find_all_six_chapters():
    r = check_file(FIXTURES / "huaian-hongze-2024.renum.txt")
    assert not [p for p in r["problems"] if p["rule"] == "CH-MISSING"]
    assert any(p["rule"] == "TEXT-TABLE" and "17" in p["message"] for p in r["problems"])


FLAT_T2 = (
    "某某县人民政府2023年政府信息公开工作年度报告 二、主动公开政府信息情况第二十条第（一）项信息内容本年制发件数"
    "本年废止件数现行有效件数规章000规范性文件000第二十条第（五）项信息内容本年处理决定数量行政许可2629第二十条第（六）项"
    "信息内容本年处理决定数量行政处罚135行政强制54第二十条第（八）项信息内容本年收费金额（单位：万元）行政事业性收费7816"
    "三、收到和处理政府信息公开申请情况（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
    "一、本年新收政府信息公开申请数量1001二、上年结转政府信息公开申请数量0000000"
)


def test_flat_table_two_first_row_single_fee_and_000_are_certain():
    r = parse_bytes(FLAT_T2.encode(), "flat.txt")
    assert r.t2["punishment.decisions"] == 135 and r.t2["coercion.decisions"] == 54
    assert r.t2["fees.amount_wan"] == Decimal("7816")
    assert [r.t2[f"normative_documents.{f}"] for f in ("made", "repealed", "valid")] == [0, 0, 0]
    assert r.formats["t2"] == "2021"  # 规范性文件 without 行政 does not flip the table
    t2 = [p for p in validate(r) if p.where.startswith("t2")]
    assert t2 == []


def test_one_label_does_not_flip_table_two_and_an_absent_row_is_blank():
    text = """某某局2023年政府信息公开工作年度报告
第二十条第（一）项
信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |
规范性文件 | 1 | 0 | 4 |
第二十条第（五）项
信息内容 | 本年处理决定数量 |
行政许可 | 12 |
第二十条第（六）项
信息内容 | 本年处理决定数量 |
行政处罚 | 3 |
行政强制 | 0 |
第二十条第（八）项
信息内容 | 本年收费金额（单位：万元） |
行政事业性收费 | 0 |
"""
    r = parse_bytes(text.encode(), "t.txt")
    assert r.formats["t2"] == "2021" and r.t2["licensing.decisions"] == 12
    t2 = [(p.rule, p.severity, p.where) for p in validate(r) if p.where.startswith("t2")]
    assert t2 == [("CELL-BLANK", "warning", "t2.regulations")]


def test_unit_and_year_come_with_their_source():
    r = check_file(FIXTURES / "huaian-hongze-2023.md.txt")
    assert (r["unit"], r["year"]) == ("洪泽区人民政府", 2023)
    assert r["sources"] == {"unit": "标题", "year": "标题"}
    r = parse_bytes("正文\n淮安市某某局\n2024年政府信息公开工作年度报告\n一、总体情况\n".encode(), "a.txt")
    assert (r.unit, r.sources["unit"]) == ("淮安市某某局", "标题上一行")


def test_a_2021_table_three_whose_sub_rows_lost_their_numbers_is_not_called_2019():
    rows = [
        "一、本年新收政府信息公开申请数量 | 1 | 0 | 0 | 0 | 0 | 0 | 1 |",
        "（六）其他处理 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |",
        "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请 |",
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请 |",
        "3.其他 |",
        "（七）总计 | 1 | 0 | 0 | 0 | 0 | 0 | 1 |",
    ]
    r = parse_bytes(("某某局2023年政府信息公开工作年度报告\n" + "\n".join(rows)).encode(), "t.txt")
    assert r.formats["t3"] == "2021"
    assert "FMT-OLD" not in {p.rule for p in validate(r)}


def test_a_table_under_an_unrecognisable_heading_is_its_chapter():
    text = (FIXTURES / "huaian-hongze-2024.md.txt").read_text(encoding="utf-8")
    text = text.replace("## 二、主动公开政府信息情况", "## 附表一").replace(
        "## 四、政府信息公开行政复议、行政诉讼情况", "## 附表三"
    )
    r = parse_bytes(text.encode(), "x.md")
    assert "CH-MISSING" not in {p.rule for p in validate(r)}
    text = text.replace("## 五、存在的主要问题及改进情况", "## 附记")
    r = parse_bytes(text.encode(), "x.md")
    assert [p.where for p in validate(r) if p.rule == "CH-MISSING"] == ["ch.五、存在的主要问题及改进情况"]


@pytest.mark.parametrize("seed", [3, 11])
def test_random_reports_in_every_text_form_never_give_a_wrong_number_or_a_false_error(seed, tmp_path):
    """Consistent and broken reports (2021 and 2019 layouts, the bench's generator) rendered in the text forms:
    every number read is the printed one and every error is the report's; only flattened digits may stay
    undecided (then the arithmetic errors they would carry cannot be proved)."""
    import random
    import sys
    from pathlib import Path

    import variants

    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
    from annual_bench import random_report
    from gongkai.annual import check_report

    rng = random.Random(seed)
    for i in range(8):
        r = random_report(rng, i)
        r.unit, r.year = "测试县人民政府", 2023 if r.format == "2021" else 2020
        r.chapters = {h: "本年度未收取信息处理费。" for h in variants.CHAPTER_HEADINGS}
        truth = check_report(r)
        want = sorted([p["rule"], p["where"]] for p in truth["problems"])
        variants.tables_only_xlsx(r, tmp_path / f"r{i}.xlsx")
        forms = {
            "md": variants.md_report(r).encode(),
            "t4split": variants.md_report(r, t4split=True).encode(),
            "tabs": variants.copied_html(r).encode(),
            "flat": variants.flat(r).encode(),
        }
        for form, data in forms.items():
            got = check_report(parse_bytes(data, f"r{i}.{form}.txt"))
            s = variants.score_one(form, {"form": form, "tables": truth["tables"], "findings": want}, got)
            assert s["wrong_cells"] == [] and s["false_errors"] == [], (i, form)
            if form != "flat":
                assert s["findings_right"], (i, form, s["missing"], s["extra"])
        got = check_report(parse_bytes((tmp_path / f"r{i}.xlsx").read_bytes(), f"r{i}.xlsx"))
        tables_only = [f for f in want if f[0] not in variants.NARRATIVE_RULES]
        s = variants.score_one(
            "xlsx", {"form": "xlsx", "tables": truth["tables"], "findings": tables_only}, got
        )
        assert s["findings_right"] and not s["wrong_cells"], (i, s["missing"], s["extra"])


def test_a_cell_reading_none_is_blank_not_an_error():
    text = "某某局2023年政府信息公开工作年度报告\n一、本年新收政府信息公开申请数量\t无\t0\t0\t0\t0\t0\t0\n"
    r = parse_bytes(text.encode(), "t.txt")
    assert r.t3["new_received"] == [None, 0, 0, 0, 0, 0, 0]
    assert {(p.rule, p.severity) for p in validate(r) if p.where.startswith("t3.new_received")} == {
        ("CELL-BLANK", "warning")
    }


def test_table_two_without_its_block_rows_is_found_by_its_column_headers():
    text = """宿迁市 2025 年政府信息公开工作年度报告
二、主动公开政府信息情况
| 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |
|---|---|---|---|
| 规章 | 3 | 0 | 15 |
| 行政规范性文件 | 61 | 59 | 422 |
三、收到和处理政府信息公开申请情况
| 一、本年新收政府信息公开申请数量 | 3746 | 63 | 0 | 0 | 19 | 2 | 3830 |
"""
    r = parse_bytes(text.encode(), "t.md")
    assert (r.unit, r.year, r.sources) == ("宿迁市", 2025, {"year": "标题", "unit": "标题"})
    assert r.t2["normative_documents.valid"] == 422 and r.t2["regulations.made"] == 3
