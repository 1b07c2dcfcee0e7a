"""Uploading a bomb (report, unit list, ledger) gives a clear Chinese error and stores nothing; the parse runs
in a limited child process, so a file that needs more memory than allowed is refused, not served."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
from django.urls import reverse

from gongkai.web.annual.models import ReportRecord
from gongkai.web.foi.models import Application
from gongkai.web.units.models import Unit

pytestmark = pytest.mark.django_db
TEMPLATE = Path("/work/shared/corpus/annual_reports/templates/national-format-2021-blank-template.docx")
W = b'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def named(name: str, data: bytes) -> io.BytesIO:
    f = io.BytesIO(data)
    f.name = name
    return f


def docx_bomb() -> bytes:
    """The corpus template with 30 MB of paragraphs in word/document.xml (about 60 KB compressed)."""
    para = "<w:p><w:r><w:t>政务公开工作年度报告</w:t></w:r></w:p>".encode()
    xml = b"<w:document " + W + b"><w:body>" + para * 500_000 + b"</w:body></w:document>"
    src = zipfile.ZipFile(TEMPLATE)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as out:
        for info in src.infolist():
            out.writestr(info.filename, xml if info.filename == "word/document.xml" else src.read(info))
    return buf.getvalue()


def sheet_bomb(header: list[str]) -> bytes:
    """A workbook with the right header whose sheet claims A1:XFD1048576: readers pad every row to it."""
    wb = openpyxl.Workbook()
    wb.active.append(header)
    plain = io.BytesIO()
    wb.save(plain)
    src = zipfile.ZipFile(plain)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b'<dimension ref="A1:', b'<dimension ref="A1:XFD1048576" x="')
            out.writestr(info.filename, data)
    return buf.getvalue()


def test_a_report_bomb_is_refused_in_chinese_and_nothing_is_stored(client, city, people):
    client.force_login(people["liaison"])
    data = {"unit": city["finance"].pk, "year": "2023", "files": [named("年报.docx", docx_bomb())]}
    page = client.post(reverse("annual:upload"), data, follow=True).content.decode()
    # which guard trips first depends on the compressor; either says what and where
    assert re.search(
        r"年报\.docx：.{0,8}压缩包内文件“word/document\.xml”.{0,4}(压缩比超过 100 倍|全部 XML 元素累计超过)",
        page,
    )
    assert ReportRecord.objects.count() == 0


def test_a_unit_list_bomb_is_refused_in_chinese_and_nothing_is_stored(client, people):
    client.force_login(people["admin"])
    before = Unit.objects.count()
    bomb = sheet_bomb(["单位全称", "分组"])
    page = client.post(reverse("units:import"), {"file": named("名单.xlsx", bomb)}).content.decode()
    assert (
        "文件“名单.xlsx”：压缩包内文件“xl/worksheets/sheet1.xml”的工作表区域达 1048576 行 × 16384 列" in page
    )
    assert Unit.objects.count() == before


def test_a_unit_list_with_a_wrong_header_is_refused_before_its_rows_are_read(client, people):
    client.force_login(people["admin"])
    wb = openpyxl.Workbook()
    wb.active.append(["名称", "类别"])
    for i in range(2000):
        wb.active.append([f"单位{i}", "部门"])
    buf = io.BytesIO()
    wb.save(buf)
    page = client.post(reverse("units:import"), {"file": named("名单.xlsx", buf.getvalue())}).content.decode()
    assert "第 1 行（表头）缺少必需的列：单位全称、分组" in page


def test_a_ledger_bomb_is_refused_in_chinese_and_nothing_is_stored(client, city, people):
    from gongkai.web.foi.sheet import COLUMNS

    client.force_login(people["liaison"])
    bomb = sheet_bomb([h for h, _f, _r in COLUMNS])
    data = {"unit": city["finance"].pk, "file": named("台账.xlsx", bomb)}
    page = client.post(reverse("foi:import"), data).content.decode()
    assert "台账文件：压缩包内文件“xl/worksheets/sheet1.xml”的工作表区域达" in page
    assert Application.objects.count() == 0


def test_a_parse_beyond_the_memory_limit_is_refused_and_the_server_answers(client, city, people, settings):
    settings.GONGKAI_PARSE_MEMORY_MB = 30  # less than the reader needs: the child fails, not the server
    client.force_login(people["liaison"])
    data = {"unit": city["finance"].pk, "year": "2021", "files": [named("模板.docx", TEMPLATE.read_bytes())]}
    page = client.post(reverse("annual:upload"), data, follow=True).content.decode()
    assert "模板.docx：解析所需内存超过上限 30 MB" in page
    assert ReportRecord.objects.count() == 0
    settings.GONGKAI_PARSE_MEMORY_MB = 512
    data["files"] = [named("模板.docx", TEMPLATE.read_bytes())]
    client.post(reverse("annual:upload"), data, follow=True)
    assert ReportRecord.objects.filter(unit=city["finance"], year=2021).count() == 1
