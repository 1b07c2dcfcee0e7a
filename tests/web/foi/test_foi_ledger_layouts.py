"""Offices' own ledger workbooks (fixtures/ledgers, layouts from real forms: SOURCES.md) import with the
right counts, deadlines and table 三 figures; values that cannot be mapped surely are refused with the
sheet, row, column and value, and nothing is stored."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from gongkai.foi import ledger_vocab
from gongkai.foi.tables import check_tables
from gongkai.web.foi import services
from gongkai.web.foi.io import ImportRejected, import_ledger, import_ledger_report
from gongkai.web.foi.models import Application

pytestmark = pytest.mark.django_db
LEDGERS = Path(__file__).parent / "fixtures" / "ledgers"
COLS = ("natural_person", "commercial", "research", "social_welfare", "legal_service", "other")


def load(name: str) -> bytes:
    return (LEDGERS / name).read_bytes()


def t3_row(unit, year: int, key: str) -> dict[str, int]:
    tables = services.tables_for([unit], year)
    assert check_tables(tables) == []
    return {c: n for c, n in zip(COLS, tables["t3"][key][:6], strict=True) if n}


def app(number: str) -> Application:
    return Application.objects.get(number=number)


def test_provincial_template_with_title_rows_three_row_header_and_tick_columns(city):
    unit = city["finance"]
    result = import_ledger_report(unit, load("provincial-2025.xlsx"))
    assert result.count == 7  # pre-numbered empty rows, the 合计 row and the signature line are left out
    mapping = "\n".join(result.mapping)
    assert "表头在第 3、4、5 行" in mapping
    assert "D 列“申请人类型/自然人”→ 申请人类型：打勾即“自然人”" in mapping
    assert "E 列“申请人类型/法人或其他组织/商业企业”→ 申请人类型：打勾即“商业企业”" in mapping
    assert "V 列“承办科室”→ （不导入）" in mapping
    assert "第 15 行：“合计”行（合计），未导入" in mapping
    first = app("YL-2025-001")
    assert (first.received_on, first.due_on, first.outcome, first.state) == (
        date(2025, 9, 26),
        date(2025, 10, 30),
        "granted",
        "replied",
    )
    assert first.reply_form == "书面告知并提供复印件"
    assert app("YL-2025-004").due_on == date(2026, 1, 23) and app("YL-2025-004").is_open
    assert app("YL-2025-005").received_on == date(2025, 7, 1) and app("YL-2025-005").channel == "online"
    assert app("YL-2025-003").channel == "post_signed" and app("YL-2025-003").outcome == "unable.no_info"
    assert t3_row(unit, 2025, "new_received") == {c: 2 if c == "natural_person" else 1 for c in COLS}
    assert t3_row(unit, 2025, "granted") == {"natural_person": 1, "other": 1}
    assert t3_row(unit, 2025, "partial_grant") == {"commercial": 1}
    assert t3_row(unit, 2025, "denied.third_party") == {"research": 1}
    assert t3_row(unit, 2025, "not_processed.repeat") == {"social_welfare": 1}
    assert t3_row(unit, 2025, "carried_forward") == {"natural_person": 1}


def test_xls_with_a_sheet_per_quarter_and_three_kinds_of_dates(city):
    unit = city["education"]
    result = import_ledger_report(unit, load("quarters-2024.xls"))
    assert result.count == 7
    assert "工作表“统计”：前 15 行没有可识别的台账表头，未导入" in result.mapping
    sunday = app("PD2024-0003")  # 2024-04-28 was a 调休 working Sunday
    assert (sunday.received_on, sunday.due_on) == (date(2024, 4, 28), date(2024, 5, 28))
    serial = app("PD2024-0005")  # dates written as Excel serial numbers
    assert (serial.received_on, serial.replied_on, serial.channel) == (
        date(2024, 7, 15),
        date(2024, 8, 5),
        "online",
    )
    assert app("PD2024-0006").received_on == date(2024, 10, 8) and app("PD2024-0006").channel == "fax"
    assert app("PD2024-0004").applicant_type == "legal_service"  # 律师事务所
    assert t3_row(unit, 2024, "new_received") == {"natural_person": 4, "commercial": 2, "legal_service": 1}
    assert t3_row(unit, 2024, "denied.enforcement_case") == {"legal_service": 1}
    assert t3_row(unit, 2024, "carried_forward") == {"commercial": 1}
    assert t3_row(unit, 2024, "total_processed") == {"natural_person": 4, "commercial": 1, "legal_service": 1}


def test_sheet_per_year_with_text_dates_and_no_number_column(city):
    unit = city["county"]
    assert import_ledger(unit, load("years-textdates.xlsx")) == 6
    assert app("2024年-1").replied_on == date(2025, 1, 10)  # numbered by sheet and 序号
    online = app("2025年-2")
    assert (online.submitted_on, online.confirmed_on, online.received_on) == (
        date(2025, 3, 4),
        date(2025, 3, 5),
        date(2025, 3, 5),
    )
    post = app("2025年-3")
    assert (post.channel, post.signed_on, post.outcome) == ("post_signed", date(2025, 5, 9), "other.other")
    assert app("2025年-1").due_on == date(2025, 10, 30)
    assert app("2025年-4").channel == "post_ordinary" and app("2025年-4").received_on == date(2025, 6, 4)
    assert t3_row(unit, 2025, "carried_over") == {"natural_person": 1}
    assert t3_row(unit, 2025, "new_received") == {"natural_person": 3, "commercial": 1}
    assert t3_row(unit, 2025, "denied.state_secret") == {"natural_person": 1}
    assert t3_row(unit, 2025, "total_processed") == {"natural_person": 4, "commercial": 1}
    assert t3_row(unit, 2024, "denied.process_info") == {"legal_service": 1}


def test_register_with_serial_dates_correction_and_extension(city):
    unit = city["township"]
    assert import_ledger(unit, load("register-2025.xlsx")) == 3
    corrected = app("DJ-2025-01")  # the clock restarts on 2025-10-09; 2025-10-11 was a working Saturday
    assert [e.kind for e in corrected.events.all()] == [
        "received",
        "correction_sent",
        "correction_received",
        "replied",
    ]
    assert corrected.due_on == date(2025, 11, 5)
    extended = app("DJ-2025-02")
    assert (extended.due_on, extended.outcome) == (date(2025, 11, 27), "partial_grant")
    assert extended.events.get(kind="extended").approver == "办公室主任"
    assert app("DJ-2025-03").outcome == "unable.need_creation"


def test_values_that_cannot_be_mapped_surely_are_refused_and_nothing_is_stored(city, make_app):
    unit = city["finance"]
    make_app(unit, number="OLD-1")
    before = list(Application.objects.values_list("number", "due_on"))
    with pytest.raises(ImportRejected) as info:
        import_ledger(unit, load("bad-values.xlsx"))
    errors = info.value.errors
    text = "\n".join(errors)
    assert len(errors) == 7  # row 3 is fine; every other row is named once
    assert "工作表“2025年”第 4 行“申请人类型”：“法人或其他组织”表三把法人或其他组织分为" in text
    assert "（C 列）" in text
    assert "第 5 行“办理结果”：“不予公开”表三把不予公开分为八项" in text
    assert "第 6 行“办理结果”：“转为政府信息公开指南告知”不能确定属于表三的哪一项" in text
    assert "第 7 行“收到日期”：“2025.13.5”不是有效的日期（E 列）" in text
    assert "第 8 行“申请方式”：无法识别的值“电报”" in text
    assert "第 9 行“补正日期”：“2025.3.13”：不能确定是发出补正通知之日" in text
    assert "第 10 行“征求意见”：“是”：征求意见须在平台录入" in text
    assert "表头在第 2 行" in "\n".join(info.value.mapping)
    assert list(Application.objects.values_list("number", "due_on")) == before


def _sheet(rows: list[list[object]], title: str = "台账") -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = title
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_an_online_application_with_only_a_submission_date_is_not_given_a_receipt_date(city):
    data = _sheet(
        [
            ["编号", "申请人", "申请人类型", "申请方式", "申请时间", "申请内容"],
            ["W-1", "张某", "公民", "网上申请", "2025-03-05", "某文件"],
        ]
    )
    with pytest.raises(ImportRejected) as info:
        import_ledger(city["finance"], data)
    assert "第 2 行“申请方式”：互联网渠道的申请以双方确认之日为收到日期" in info.value.errors[0]
    assert not Application.objects.exists()


def test_two_columns_for_one_field_and_a_missing_required_column_are_named(city):
    data = _sheet(
        [
            ["编号", "申请人", "申请日期", "申请时间", "申请内容"],
            ["W-1", "张某", "2025-03-05", "2025-03-05", "x"],
        ]
    )
    with pytest.raises(ImportRejected) as info:
        import_ledger(city["finance"], data)
    text = "\n".join(info.value.errors)
    assert "“申请日期”（C 列）和“申请时间”（D 列）都对应“提交日期”" in text
    assert "缺少必需的列：申请人类型、申请渠道" in text


def test_an_extension_without_its_approver_is_refused_on_the_extension_column(city):
    data = _sheet(
        [
            [
                "编号",
                "申请人",
                "申请人类型",
                "申请方式",
                "收到日期",
                "申请内容",
                "延期",
                "答复日期",
                "答复结果",
            ],
            [
                "E-1",
                "张某",
                "公民",
                "当面",
                "2025-09-26",
                "某文件",
                "延期20个工作日",
                "2025-11-20",
                "予以公开",
            ],
        ]
    )
    with pytest.raises(ImportRejected) as info:
        import_ledger(city["finance"], data)
    assert info.value.errors == [
        "工作表“台账”第 2 行“延期”：延期须经政府信息公开工作机构负责人同意（条例第三十三条），"
        "请在“延期批准人”列填写批准人（G 列）"
    ]


def test_preview_reports_the_mapping_and_stores_nothing(city):
    result = import_ledger_report(city["finance"], load("years-textdates.xlsx"), commit=False)
    assert result.count == 6
    assert "　E 列“申请日期”→ 提交日期" in result.mapping
    assert not Application.objects.exists()


def test_an_administrator_vocabulary_adds_headers_and_values(city, tmp_path, monkeypatch):
    data = _sheet(
        [
            ["来件编号", "来件人", "来件人身份", "来件方式", "来件日期", "申请内容"],
            ["L-1", "张某", "村民", "当面", "2025-09-26", "某文件"],
        ]
    )
    with pytest.raises(ImportRejected):
        import_ledger(city["finance"], data)
    extra = tmp_path / "mine.yaml"
    extra.write_text(
        "version: '1'\nfields:\n  number: [来件编号]\n  applicant_name: [来件人]\n  applicant_type: [来件人身份]\n"
        "  channel: [来件方式]\n  received_on: [来件日期]\nvalues:\n  applicant_type:\n    natural_person: [村民]\n",
        encoding="utf-8",
    )
    monkeypatch.setenv(ledger_vocab.ENV, str(extra))
    assert import_ledger(city["finance"], data) == 1
    assert app("L-1").due_on == date(2025, 10, 30)


def test_a_broken_administrator_vocabulary_is_reported_with_its_line(city, tmp_path, monkeypatch):
    extra = tmp_path / "bad.yaml"
    extra.write_text("version: '1'\nfields:\n  number: [申请人]\n", encoding="utf-8")
    monkeypatch.setenv(ledger_vocab.ENV, str(extra))
    with pytest.raises(ImportRejected) as info:
        import_ledger(city["finance"], load("years-textdates.xlsx"))
    assert "台账列名词表有误" in info.value.errors[0]
    assert "bad.yaml 第 3 行：列名“申请人”已指向“applicant_name”" in info.value.errors[0]


def test_the_import_page_previews_the_mapping_then_imports(city, people):
    from django.urls import reverse
    from tests.web.foi.conftest import client_for

    client = client_for(people["liaison"])  # the finance liaison
    upload = io.BytesIO(load("quarters-2024.xls"))
    upload.name = "2024台账.xls"
    page = client.post(reverse("foi:import"), {"unit": city["finance"].pk, "file": upload, "preview": "1"})
    html = page.content.decode()
    assert "预览：可导入 7 件申请" in html
    assert "E 列“受理时间”→ 收到日期" in html
    assert not Application.objects.exists()
    upload.seek(0)
    done = client.post(reverse("foi:import"), {"unit": city["finance"].pk, "file": upload}, follow=True)
    assert (
        "已导入 7 件申请到“云岭市财政局”；工作表“统计”：前 15 行没有可识别的台账表头，未导入"
        in done.content.decode()
    )
    assert Application.objects.filter(unit=city["finance"]).count() == 7
    upload = io.BytesIO(load("bad-values.xlsx"))
    upload.name = "bad.xlsx"
    html = client.post(reverse("foi:import"), {"unit": city["finance"].pk, "file": upload}).content.decode()
    assert "共 7 处问题" in html and "G 列“补正日期”→ 不能确定" in html
