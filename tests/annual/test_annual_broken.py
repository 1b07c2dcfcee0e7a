"""Broken input: a clear Chinese error, never a crash, never a hang."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from gongkai.annual import ReadError, check_file, read_report
from gongkai.annual import parse as parse_mod


def test_empty_file(tmp_path):
    p = tmp_path / "empty.pdf"
    p.write_bytes(b"")
    with pytest.raises(ReadError, match="文件为空"):
        read_report(p)


def test_truncated_pdf(corpus, tmp_path):
    data = (corpus / "huaian-hongze-2023.pdf").read_bytes()
    p = tmp_path / "cut.pdf"
    p.write_bytes(data[: len(data) // 3])
    result = check_file(p)
    assert "PDF" in result["error"] and result["format"] == "unknown"


def test_docx_that_is_a_zip_of_junk(tmp_path):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("junk.bin", b"\x00\x01 not word")
    p = tmp_path / "report.docx"
    p.write_bytes(buf.getvalue())
    with pytest.raises(ReadError, match="Word"):
        read_report(p)


def test_xlsx_of_random_bytes(tmp_path):
    p = tmp_path / "report.xlsx"
    p.write_bytes(b"PK\x03\x04" + bytes(range(256)) * 10)
    assert "Excel" in check_file(p)["error"] or "Word" in check_file(p)["error"]


def test_200_mb_file_is_refused_by_size_before_reading(tmp_path, monkeypatch):
    p = tmp_path / "huge.html"
    with p.open("wb") as fh:
        fh.truncate(200 * 1024 * 1024)  # sparse: 200 MB on paper, nothing to read

    def no_read(*a, **k):
        raise AssertionError("a refused file must not be read")

    monkeypatch.setattr(type(p), "read_bytes", no_read)
    with pytest.raises(ReadError, match="超过上限"):
        read_report(p)


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(ReadError, match="不存在"):
        read_report(tmp_path / "nope.pdf")
    with pytest.raises(ReadError, match="不是文件"):
        read_report(tmp_path)


def test_deeply_nested_html_is_refused_quickly_and_normal_nesting_is_read():
    deep = "<div>" * 50000 + "一、总体情况" + "</div>" * 50000
    with pytest.raises(ReadError, match="嵌套超过"):
        parse_mod.parse_bytes(deep.encode(), "deep.html")
    html = "<div>" * 300 + "<p>一、总体情况</p>" + "</div>" * 300
    assert "一、总体情况" in parse_mod.parse_bytes(html.encode(), "ok.html").chapters


def test_gbk_html_page_with_rowspan_and_br_cells():
    html = (
        '<html><head><meta charset="gb2312"><title>某县统计局2023年政府信息公开工作年度报告</title></head><body>'
        "<p>三、收到和处理政府信息公开申请情况</p><table>"
        "<tr><td colspan=3>一、本年新收<br>政府信息公开申请数量</td><td>1</td><td>0</td><td>0</td><td>0</td>"
        "<td>0</td><td>0</td><td>1</td></tr>"
        "<tr><td rowspan=2>三、本年度办理结果</td><td colspan=2><p>（一）予以</p><p>公开</p></td>"
        "<td>1</td><td>0</td><td>/</td><td>0</td><td>0</td><td>0</td><td>1</td></tr>"
        "</table></body></html>"
    )
    r = parse_mod.parse_bytes(html.encode("gbk"), "page.html")
    assert r.unit == "某县统计局" and r.year == 2023 and r.level == "department"
    assert r.t3["new_received"] == [1, 0, 0, 0, 0, 0, 1]
    assert r.t3["granted"] == [1, 0, None, 0, 0, 0, 1]


def test_label_variants_full_width_and_spaces():
    text = (
        "一、本年新收政府信息公开申请数量\t1\t0\t0\t0\t0\t0\t1\n"
        "１、属于国家秘密\t0\t0\t0\t0\t0\t0\t0\n"
        '3、危及"三安全一稳定"\t2\t0\t0\t0\t0\t0\t2\n'
        "5.要求行政机关确认或重 新出具已获取信息\t0\t0\t0\t0\t0\t0\t0\n"
    )
    r = parse_mod.parse_bytes(text.encode(), "t.txt")
    assert r.t3["denied.state_secret"] == [0] * 7
    assert r.t3["denied.safety_stability"] == [2, 0, 0, 0, 0, 0, 2]
    assert r.t3["not_processed.confirm"] == [0] * 7


def test_short_row_in_space_separated_text_is_reported_not_guessed():
    text = "一、本年新收政府信息公开申请数量 1 0 0 0 0 0 1\n（一）予以公开 1 0 0 0 0 1\n"
    r = parse_mod.parse_bytes(text.encode(), "t.txt")
    assert r.t3["granted"] == [None] * 7
    from gongkai.annual import validate

    problems = [p for p in validate(r) if p.where == "t3.granted"]
    assert [(p.rule, p.severity) for p in problems] == [("CELL-AMBIGUOUS", "warning")]
    assert "只读到6个数" in problems[0].message


def test_old_office_files_get_a_clear_message(tmp_path):
    p = tmp_path / "report.doc"
    p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    with pytest.raises(ReadError, match="旧版 Office 格式"):
        read_report(p)


def test_2019_table_two_in_a_2022_report_is_old_format():
    text = """平潭测试局2022年政府信息公开工作年度报告
二、主动公开政府信息情况
| 第二十条第（一）项 |
| 信息内容 | 本年新制作数量 | 本年新公开数量 | 对外公开总数量 |
| 规章 | 0 | 0 | 0 |
| 规范性文件 | 7 | 7 | 166 |
| 第二十条第（五）项 |
| 信息内容 | 上一年项目数量 | 本年增/减 | 处理决定数量 |
| 行政许可 | 396 | -4 | 2278 |
三、收到和处理政府信息公开申请情况
"""
    r = parse_mod.parse_bytes(text.encode(), "t.txt")
    assert r.formats["t2"] == "2019"
    assert r.t2_old["normative_documents.total_published"] == 166
    assert r.t2_old["licensing.change"] == -4
    from gongkai.annual import validate

    assert ("FMT-OLD", "t2") in [(p.rule, p.where) for p in validate(r)]


@pytest.mark.parametrize(
    ("title", "unit", "year"),
    [
        ("云岭市第3中学2023年度政府信息公开工作年度报告", "云岭市第3中学", 2023),
        ("标题: 平潭综合实验区2024年度政府信息公开工作年度报告", "平潭综合实验区", 2024),
        ("- 1 -\n洪泽区人民政府\n2023 年政府信息公开工作年度报告", "洪泽区人民政府", 2023),
        ("关于印发2022年政府信息公开工作年度报告的通知", "", 2022),
    ],
)
def test_unit_and_year_from_the_title(title, unit, year):
    r = parse_mod.parse_bytes((title + "\n一、总体情况\n无。\n").encode(), "x.txt")
    assert (r.unit, r.year) == (unit, year)


def test_label_typo_missed_by_keywords_matches_the_closest_label():
    text = (
        "一、本年新收政府信息公开申请数量\t1\t0\t0\t0\t0\t0\t1\n"
        "5.属于三类内布事物信息\t2\t0\t0\t0\t0\t0\t2\n"  # 内部事务 misspelt twice
        "（三）不予公开\t2\t0\t0\t0\t0\t0\t2\n"  # a group subtotal row: not a row of the format
    )
    r = parse_mod.parse_bytes(text.encode(), "t.txt")
    assert r.t3["denied.internal_affairs"] == [2, 0, 0, 0, 0, 0, 2]
    assert sum(1 for row in r.t3.values() if row == [2, 0, 0, 0, 0, 0, 2]) == 1


@pytest.mark.parametrize("suffix", [".docx", ".xlsx"])
def test_zip_bomb_is_refused_before_inflating(tmp_path, suffix):
    member = "word/document.xml" if suffix == ".docx" else "xl/worksheets/sheet1.xml"
    p = tmp_path / f"bomb{suffix}"
    block = b" " * (1024 * 1024)
    with (
        zipfile.ZipFile(p, "w", compression=zipfile.ZIP_DEFLATED) as z,
        z.open(member, "w", force_zip64=True) as fh,
    ):
        for _ in range(210):
            fh.write(block)
    assert p.stat().st_size < 2 * 1024 * 1024
    with pytest.raises(ReadError, match="解压后"):
        read_report(p)


def test_excel_97_2003_workbooks_are_read(tables):
    """fixtures/report-2024-excel97.xls: the `tables` fixture written by our XLSX writer, saved as BIFF8 by xlwt
    (merged cells kept), as an older office PC would save it."""
    from annual_testdata import CHAPTER_TEXT

    from gongkai.annual import AnnualReport, validate

    report = read_report(Path(__file__).parent / "fixtures" / "report-2024-excel97.xls")
    expected = AnnualReport.from_tables(tables, unit="测试区人民政府", year=2024, chapters=CHAPTER_TEXT)
    assert report.tables() == expected.tables()
    assert (report.unit, report.year, report.format) == ("测试区人民政府", 2024, "2021")
    assert validate(report) == []


def test_an_html_table_saved_as_xls_is_read_as_html_and_a_broken_xls_is_named(tmp_path):
    html = tmp_path / "导出.xls"
    html.write_text(
        "<html><body><table><tr><td>测试局2024年政府信息公开工作年度报告</td></tr></table></body></html>"
    )
    assert read_report(html).year == 2024
    broken = tmp_path / "坏文件.xls"
    broken.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    with pytest.raises(ReadError, match="不是可读取的 Excel 97-2003"):
        read_report(broken)
