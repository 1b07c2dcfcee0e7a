"""The annual-report pages: upload, tables with highlighted cells, history, summary, and unit scoping."""

from __future__ import annotations

import io
import json

import openpyxl
import pytest
from django.urls import reverse

from gongkai.annual import AnnualReport
from gongkai.annual.write import render_html
from gongkai.web.annual.models import ReportRecord
from gongkai.web.annual.services import store_upload

pytestmark = pytest.mark.django_db

T3 = {
    "new_received": [10, 0, 0, 0, 0, 0, 10],
    "carried_over": [2, 0, 0, 0, 0, 0, 2],
    "granted": [9, 0, 0, 0, 0, 0, 9],
    "total_processed": [9, 0, 0, 0, 0, 0, 9],
    "carried_forward": [3, 0, 0, 0, 0, 0, 3],
}


def html_report(unit: str, year: int, **changes) -> bytes:
    t3 = {k: list(v) for k, v in T3.items()}
    t3.update(changes)
    full = {k: t3.get(k, [0] * 7) for k in AnnualReport.from_tables({"t3": {}}).t3}
    full.update(t3)
    t2 = {
        "regulations.made": 0,
        "regulations.repealed": 0,
        "regulations.valid": 0,
        "normative_documents.made": 1,
        "normative_documents.repealed": 0,
        "normative_documents.valid": 5,
        "licensing.decisions": 1,
        "punishment.decisions": 1,
        "coercion.decisions": 0,
        "fees.amount_wan": 0,
    }
    chapters = {
        "一、总体情况": "概述。",
        "五、存在的主要问题及改进情况": "无。",
        "六、其他需要报告的事项": "无。",
    }
    r = AnnualReport.from_tables(
        {"t2": t2, "t3": full, "t4": [0] * 15}, unit=unit, year=year, chapters=chapters
    )
    return render_html(r).encode("utf-8")


def upload(client, unit, *files, year=""):
    payload = {"unit": unit.pk, "year": year, "files": list(files)}
    return client.post(reverse("annual:upload"), payload, follow=True)


def named(name: str, data: bytes):
    f = io.BytesIO(data)
    f.name = name
    return f


def test_index_is_the_landing_page(client, people):
    client.force_login(people["readonly"])
    res = client.get(reverse("annual:index"))
    assert res.status_code == 200 and "年报" in res.content.decode()


def test_upload_stores_report_and_highlights_the_broken_cell(client, city, people):
    client.force_login(people["liaison"])
    data = html_report("云岭市财政局", 2023, granted=[8, 0, 0, 0, 0, 0, 9])
    res = upload(client, city["finance"], named("r2023.html", data))
    assert res.status_code == 200
    record = ReportRecord.objects.get(unit=city["finance"], year=2023)
    assert record.errors == 2  # T3-ROWSUM and T3-RESULTTOTAL (自然人列)
    page = res.content.decode()
    assert "表三行合计" in page and "T3-ROWSUM" not in page and 'class="num bad"' in page
    assert record.history.count() == 1


def test_bad_file_gets_a_chinese_error_and_nothing_is_stored(client, city, people):
    client.force_login(people["liaison"])
    res = upload(client, city["finance"], named("broken.pdf", b"%PDF-1.4 garbage"))
    assert "PDF 文件损坏或不完整" in res.content.decode()
    res = upload(client, city["finance"], named("empty.docx", b""))
    assert ReportRecord.objects.count() == 0


def test_oversized_upload_is_refused(client, city, people, settings, monkeypatch):
    from gongkai.web.annual import views

    monkeypatch.setattr(views, "UPLOAD_MAX_MB", 0)
    client.force_login(people["admin"])
    res = upload(client, city["finance"], named("big.html", html_report("x", 2023)))
    assert "超过上限" in res.content.decode()
    assert ReportRecord.objects.count() == 0


def test_upload_many_files_and_history_with_cross_year_check(client, city, people):
    client.force_login(people["evaluator"])
    y22 = html_report(
        "云岭市财政局",
        2022,
        carried_forward=[1, 0, 0, 0, 0, 0, 1],
        total_processed=[11, 0, 0, 0, 0, 0, 11],
        granted=[11, 0, 0, 0, 0, 0, 11],
    )
    y23 = html_report("云岭市财政局", 2023)
    upload(client, city["finance"], named("a.html", y22), named("b.html", y23))
    assert ReportRecord.objects.filter(unit=city["finance"]).count() == 2
    res = client.get(reverse("annual:history", args=[city["finance"].pk]))
    page = res.content.decode()
    assert "与上年结转不符" in page and "结转下年度1件" in page


def test_summary_export_xlsx_and_csv_only_visible_units(client, city, people):
    store_upload(city["finance"], "f.html", html_report("财政", 2023), people["admin"])
    store_upload(city["education"], "e.html", html_report("教育", 2023), people["admin"])
    client.force_login(people["liaison"])
    res = client.get(reverse("annual:export", args=["xlsx"]))
    ws = openpyxl.load_workbook(io.BytesIO(res.content)).active
    rows = list(ws.values)
    assert rows[0][:4] == ("上传文件", "单位", "年度", "格式")
    assert [r[1] for r in rows[1:]] == ["云岭市财政局"]
    csv = client.get(reverse("annual:export", args=["csv"])).content.decode("utf-8-sig")
    assert "云岭市教育局" not in csv and "云岭市财政局" in csv


def test_liaison_cannot_read_or_change_another_units_reports(client, city, people):
    other = store_upload(city["education"], "e.html", html_report("教育", 2023), people["admin"])
    client.force_login(people["liaison"])
    assert client.get(reverse("annual:detail", args=[other.pk])).status_code == 404
    assert client.get(reverse("annual:history", args=[city["education"].pk])).status_code == 404
    assert "云岭市教育局" not in client.get(reverse("annual:index")).content.decode()
    res = upload(client, city["education"], named("x.html", html_report("教育", 2022)))
    assert "云岭市教育局" not in [r.unit.name for r in ReportRecord.objects.filter(year=2022)]
    assert "选择一个有效的选项" in res.content.decode()
    assert not ReportRecord.objects.filter(year=2022).exists()


def test_readonly_cannot_upload(client, city, people):
    client.force_login(people["readonly"])
    assert client.get(reverse("annual:upload")).status_code == 403


def test_county_liaison_sees_its_township(client, city, people):
    rec = store_upload(city["township"], "t.html", html_report("白水镇", 2023), people["admin"])
    client.force_login(people["county_liaison"])
    assert client.get(reverse("annual:detail", args=[rec.pk])).status_code == 200


def test_unknown_year_asks_for_it(client, city, people):
    client.force_login(people["admin"])
    body = "一、本年新收政府信息公开申请数量\t1\t0\t0\t0\t0\t0\t1\n".encode()
    res = upload(client, city["finance"], named("noyear.txt", body))
    assert "无法从报告中识别年度" in res.content.decode()
    res = upload(client, city["finance"], named("noyear.txt", body), year="2023")
    assert ReportRecord.objects.filter(year=2023).exists()
    assert (
        json.dumps(ReportRecord.objects.get(year=2023).tables["t3"]["new_received"])
        == "[1, 0, 0, 0, 0, 0, 1]"
    )


@pytest.mark.corpus
def test_real_pdf_upload_highlights_table_four_cells(client, city, people, corpus_dir):
    pdf = (corpus_dir / "annual_reports" / "huaian-hongze-2023.pdf").read_bytes()
    client.force_login(people["county_liaison"])
    res = upload(client, city["county"], named("huaian-hongze-2023.pdf", pdf))
    record = ReportRecord.objects.get(unit=city["county"], year=2023)
    assert (record.fmt, record.errors) == ("mixed", 3)
    assert record.tables["t4"][:5] == [10, 1, 0, 0, 0]
    page = res.content.decode()
    assert "表四合计" in page and "使用旧版格式" in page
    # The two broken groups of table 四 (10 cells) and the single 其他处理 row (7 cells).
    assert page.count('class="num bad"') == 17


def test_an_excel_97_2003_report_is_uploaded_and_read(client, city, people):
    from pathlib import Path

    fixture = Path(__file__).resolve().parents[2] / "annual" / "fixtures" / "report-2024-excel97.xls"
    client.force_login(people["admin"])
    res = upload(client, city["finance"], named("年报2024.xls", fixture.read_bytes()))
    assert res.status_code == 200
    record = ReportRecord.objects.get(unit=city["finance"], year=2024)
    assert record.errors == 0 and record.kind == "xls" and record.tables["t2"]["regulations.made"] == 0


def test_a_new_upload_keeps_every_version_downloadable(client, city, people):
    client.force_login(people["liaison"])
    first = html_report("云岭市财政局", 2023, granted=[8, 0, 0, 0, 0, 0, 9])
    second = html_report("云岭市财政局", 2023)
    upload(client, city["finance"], named("初稿.html", first))
    res = upload(client, city["finance"], named("终稿.html", second))
    page = res.content.decode()
    assert "已有年报（初稿.html" in page and "原版本保留" in page
    record = ReportRecord.objects.get(unit=city["finance"], year=2023)
    assert record.source_name == "终稿.html" and record.errors == 0  # the newest is current
    versions = list(record.versions.all())
    assert [v.source_name for v in versions] == ["终稿.html", "初稿.html"]
    assert "当前版本" in page and "历史版本（2）" in page
    old = client.get(reverse("annual:version", args=[versions[1].pk]))
    assert old.status_code == 200 and old.content == first
    res = upload(client, city["finance"], named("终稿（再传）.html", second))  # the same bytes
    assert record.versions.count() == 2 and "未另存新版本" in res.content.decode()


def test_report_naming_another_unit_or_year_is_flagged(client, city, people):
    client.force_login(people["evaluator"])
    data = html_report("云岭市教育局", 2022)
    res = upload(client, city["finance"], named("r.html", data), year="2023")
    page = res.content.decode()
    record = ReportRecord.objects.get(unit=city["finance"], year=2023)
    assert len(record.notices) == 2
    assert "报告自身的年度为 2022 年" in record.notices[0] and "归档年度 2023 年" in record.notices[0]
    assert "「云岭市教育局」" in record.notices[1] and "「云岭市财政局」" in record.notices[1]
    assert "报告自身的单位为「云岭市教育局」" in page
    assert record.sources == {"unit": "标题", "year": "标题"}
    detail = client.get(reverse("annual:detail", args=[record.pk])).content.decode()
    assert "云岭市教育局（读自标题）" in detail and "报告自身的年度为 2022 年" in detail
    same = html_report("云岭市财政局", 2024)
    upload(client, city["finance"], named("s.html", same))
    assert ReportRecord.objects.get(unit=city["finance"], year=2024).notices == []


def test_version_download_is_scoped_to_the_units_one_may_see(client, city, people):
    mine = store_upload(city["finance"], "f.html", html_report("云岭市财政局", 2023), people["admin"])
    other = store_upload(city["education"], "e.html", html_report("云岭市教育局", 2023), people["admin"])
    client.force_login(people["liaison"])
    assert client.get(reverse("annual:version", args=[mine.versions.get().pk])).status_code == 200
    assert client.get(reverse("annual:version", args=[other.versions.get().pk])).status_code == 404
