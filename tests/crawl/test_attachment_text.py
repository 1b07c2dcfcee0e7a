"""Attachment text for the checks: DOCX read from its XML, XLSX through python-calamine."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
import openpyxl

from gongkai.crawl import attachment_text
from gongkai.crawl.attachments import docx_text, xlsx_text

TEMPLATE = (
    Path(__file__).resolve().parents[2]
    / ".."
    / "shared"
    / "corpus"
    / "annual_reports"
    / "templates"
    / "national-format-2021-blank-template.docx"
)


def test_the_national_template_reads_in_document_order_with_merged_cells_once() -> None:
    text = docx_text(TEMPLATE.read_bytes())
    assert text.startswith("政府信息公开工作年度报告格式模板 一、总体情况")
    for label in (
        "本年新收政府信息公开申请数量",
        "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
        "行政事业性收费",
    ):
        assert label in text
    # python-docx repeats a merged cell once per grid column; the checks count words, so once is right
    assert text.count("第二十条第（一）项") == 1


def test_paragraphs_tables_tabs_and_breaks_of_a_word_file() -> None:
    d = docx.Document()
    d.add_paragraph("关于印发\t实施方案的通知")
    p = d.add_paragraph("第一行")
    p.add_run().add_break()
    p.add_run("第二行")
    table = d.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "姓名", "银行卡号"
    table.cell(1, 0).text, table.cell(1, 1).text = "张三", "6222021234567890123"
    d.add_paragraph("附件结束")
    buf = io.BytesIO()
    d.save(buf)
    text = attachment_text(buf.getvalue(), "docx")
    assert text == "关于印发 实施方案的通知 第一行 第二行 姓名 银行卡号 张三 6222021234567890123 附件结束"


def test_every_sheet_of_a_workbook() -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "名单"
    ws.append(["序号", "姓名", "身份证号"])
    ws.append([1, "李四", "330102199001011234"])
    other = wb.create_sheet("汇总")
    other.append(["合计", 2.5])
    buf = io.BytesIO()
    wb.save(buf)
    text = xlsx_text(buf.getvalue())
    assert text == "序号 姓名 身份证号 1 李四 330102199001011234 合计 2.5"


def _docx_with(document_xml: str) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("word/document.xml", document_xml)
    return buf.getvalue()


def test_entities_are_never_resolved_and_broken_files_give_no_text(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("内部资料", encoding="utf-8")
    xml = (
        f'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY e SYSTEM "file://{secret}">]>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        "<w:body><w:p><w:r><w:t>正文&e;</w:t></w:r></w:p></w:body></w:document>"
    )
    assert "内部资料" not in attachment_text(_docx_with(xml), "docx")
    assert attachment_text(b"PK\x03\x04 not really a zip", "docx") == ""
    assert attachment_text(b"not a workbook", "xlsx") == ""


def test_office_files_are_files_even_when_their_type_says_xml() -> None:
    """DOCX and XLSX are served as application/vnd.openxmlformats-...; they are zip files, read for their
    text, never decoded and searched for links or list records like an XML list page."""
    from gongkai.crawl.discover import discover
    from gongkai.crawl.facts import page_facts
    from gongkai.crawl.resource import body_kind

    docx_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    body = TEMPLATE.read_bytes()
    url = "http://gov.example/art/2026/1/2/P020260102.docx"
    assert body_kind(docx_type, url, body) == "file"
    assert discover(url, body, docx_type).links == []
    facts = page_facts(url, 200, {"content-type": docx_type}, body, record="r", fetched_at=None)
    assert facts.list_items is None and facts.pagination == []
    assert facts.attachment_text.startswith("政府信息公开工作年度报告格式模板")
    xml_list = b"<?xml version='1.0'?><datastore><totalrecord>0</totalrecord></datastore>"
    assert body_kind("text/xml", "http://gov.example/module/web/jpage/dataproxy.jsp", xml_list) == "xml"


def _ofd(pages: dict[str, str]) -> bytes:
    """A minimal OFD package: OFD.xml and one Content.xml of text codes per page."""
    ns = 'xmlns:ofd="http://www.ofdspec.org/2016"'
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr(
            "OFD.xml",
            f"<ofd:OFD {ns}><ofd:DocBody><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>",
        )
        for name, text in pages.items():
            codes = "".join(
                f'<ofd:TextObject ID="{n}"><ofd:TextCode X="0" Y="{n}">{line}</ofd:TextCode></ofd:TextObject>'
                for n, line in enumerate(text.split("|"))
            )
            z.writestr(
                f"Doc_0/Pages/{name}/Content.xml",
                f"<ofd:Page {ns}><ofd:Content><ofd:Layer>{codes}</ofd:Layer></ofd:Content></ofd:Page>",
            )
    return buf.getvalue()


def test_an_ofd_document_reads_page_by_page() -> None:
    # pages out of order in the package, and Page_10 after Page_2: read by their numbers
    body = _ofd(
        {"Page_10": "第三页", "Page_0": "关于发放救助金的公示|张三 6222021234567890123", "Page_2": "第二页"}
    )
    assert attachment_text(body, "ofd") == "关于发放救助金的公示 张三 6222021234567890123 第二页 第三页"


def test_wps_files_and_misnamed_office_files_are_read_by_their_bytes() -> None:
    d = docx.Document()
    d.add_paragraph("WPS 文字保存的通知")
    buf = io.BytesIO()
    d.save(buf)
    word = buf.getvalue()
    assert attachment_text(word, "wps") == attachment_text(word, "doc") == "WPS 文字保存的通知"
    wb = openpyxl.Workbook()
    wb.active.append(["姓名", "身份证号"])
    buf = io.BytesIO()
    wb.save(buf)
    assert attachment_text(buf.getvalue(), "et") == "姓名 身份证号"
