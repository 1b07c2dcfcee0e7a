"""Writers: a written DOCX/XLSX/HTML parses back to the same numbers (round trip)."""

from __future__ import annotations

import docx
import pytest
from annual_testdata import CHAPTER_TEXT

from gongkai.annual import AnnualReport, read_report, validate
from gongkai.annual.write import report_bytes, write_report


@pytest.mark.parametrize("suffix", [".docx", ".xlsx", ".html"])
def test_round_trip_same_numbers(tables, tmp_path, suffix):
    tables["t2"]["fees.amount_wan"] = 12.35
    tables["t3"]["granted"][2] = None  # a blank stays blank
    report = AnnualReport.from_tables(tables, unit="测试区人民政府", year=2024, chapters=CHAPTER_TEXT)
    path = write_report(report, tmp_path / f"r{suffix}")
    back = read_report(path)
    assert back.tables() == report.tables()
    assert (back.unit, back.year, back.format) == ("测试区人民政府", 2024, "2021")
    assert len(back.chapters) == 6
    for heading, text in CHAPTER_TEXT.items():  # whole headings matched: no "及改进情况" left in the text
        assert back.chapters[heading] == text
    assert back.chapters["四、政府信息公开行政复议、行政诉讼情况"].startswith("行政复议")
    assert [p.rule for p in validate(back)] == ["CELL-BLANK"]


@pytest.mark.parametrize("suffix", [".docx", ".xlsx", ".html"])
def test_round_trip_2019_layout(tables, tmp_path, suffix):
    t3 = tables["t3"]
    for k in ("other.overdue_correction", "other.overdue_fee", "other.other"):
        t3.pop(k)
    t3["other"] = [0] * 7
    report = AnnualReport.from_tables(tables, unit="测试局", year=2020)
    back = read_report(write_report(report, tmp_path / f"r{suffix}"))
    assert back.tables() == report.tables()
    assert back.formats["t3"] == "2019"


def test_docx_has_national_merged_layout(tables, tmp_path):
    report = AnnualReport.from_tables(tables, unit="测试区人民政府", year=2024)
    document = docx.Document(write_report(report, tmp_path / "r.docx"))
    t2, t3, t4 = document.tables
    assert (len(t2.rows), len(t2.columns)) == (14, 4)
    assert (len(t3.rows), len(t3.columns)) == (28, 10)
    assert (len(t4.rows), len(t4.columns)) == (4, 15)
    assert t3.cell(0, 0)._tc is t3.cell(2, 2)._tc  # the 3×3 corner note
    assert t4.cell(0, 0)._tc is t4.cell(0, 4)._tc  # 行政复议 over five columns
    assert "（文字描述，收取信息处理费情况在此处报告。）" in [p.text for p in document.paragraphs]


def test_unknown_output_suffix(tables, tmp_path):
    report = AnnualReport.from_tables(tables)
    with pytest.raises(ValueError, match="不支持的输出格式"):
        write_report(report, tmp_path / "r.odt")


def test_report_bytes_for_downloads(tables):
    report = AnnualReport.from_tables(tables, unit="测试区人民政府", year=2024)
    data, mime, name = report_bytes(report, "xlsx")
    assert data.startswith(b"PK") and "spreadsheetml" in mime
    assert name == "测试区人民政府2024年政府信息公开工作年度报告.xlsx"


def test_pdf_round_trip_including_blank_cells(tables, tmp_path):
    tables["t2"]["fees.amount_wan"] = 12.35
    report = AnnualReport.from_tables(tables, unit="测试区人民政府", year=2024, chapters=CHAPTER_TEXT)
    back = read_report(write_report(report, tmp_path / "r.pdf"))
    assert back.tables() == report.tables()
    # The text layer drops blank cells; the ruled table is read again for those rows.
    report.t3["granted"][2] = None
    report.t4[3] = None
    back = read_report(write_report(report, tmp_path / "b.pdf"))
    assert back.t3["granted"] == [45, 0, None, 0, 0, 0, 45]
    assert back.t4 == report.t4
    assert [p.where for p in validate(back)] == ["t3.granted.research", "t4.review.pending"]


def test_tables_from_the_application_ledger_build_a_clean_report(tmp_path):
    """gongkai.foi hands tables 三/四 in the contracts shape; our writer and validator take them as they are."""
    from datetime import date

    from gongkai.foi.tables import AppRecord, CaseRecord, tables_from_records

    apps = [
        AppRecord("natural_person", date(2024, 3, 1), date(2024, 3, 20), "granted"),
        AppRecord("commercial", date(2024, 5, 1), date(2024, 5, 25), "unable.no_info"),
        AppRecord("natural_person", date(2023, 12, 20), date(2024, 1, 10), "partial_grant"),  # carried over
        AppRecord("legal_service", date(2024, 12, 28)),  # carried forward
    ]
    cases = [CaseRecord("review", date(2024, 6, 1), "upheld", date(2024, 8, 1))]
    tables = tables_from_records(apps, cases, 2024)
    report = AnnualReport.from_tables(tables, unit="测试区人民政府", year=2024, chapters=CHAPTER_TEXT)
    assert report.t3["carried_forward"] == [0, 0, 0, 0, 1, 0, 1]
    problems = [p for p in validate(report) if p.rule not in ("CELL-BLANK", "TEXT-TABLE")]
    assert problems == []  # 表二 is not in the ledger: blank, never a false arithmetic error
    back = read_report(write_report(report, tmp_path / "ledger.docx"))
    assert back.tables()["t3"] == report.tables()["t3"] and back.t4 == report.t4
