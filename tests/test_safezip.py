"""The archive guards: each one trips with a Chinese message naming the entry, and real files pass."""

from __future__ import annotations

import io
import struct
import zipfile
from pathlib import Path

import openpyxl
import pytest

from gongkai import safezip
from gongkai.annual import ReadError, parse_bytes
from gongkai.crawl.attachments import _attachment_text, docx_text, ofd_text, xlsx_text

TEMPLATE = Path("/work/shared/corpus/annual_reports/templates/national-format-2021-blank-template.docx")
W = b'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
PARA = "<w:p><w:r><w:t>政务公开工作年度报告</w:t></w:r></w:p>".encode()


def docx_with(xml: bytes, level: int = 9) -> bytes:
    """The corpus template with its word/document.xml replaced."""
    src = zipfile.ZipFile(TEMPLATE)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as out:
        for info in src.infolist():
            out.writestr(info.filename, xml if info.filename == "word/document.xml" else src.read(info))
    return buf.getvalue()


def document(body: bytes) -> bytes:
    return b'<?xml version="1.0"?><w:document ' + W + b"><w:body>" + body + b"</w:body></w:document>"


def zip_of(entries: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", method) as out:
        for name, data in entries.items():
            out.writestr(name, data)
    return buf.getvalue()


def xlsx_of(rows: list[list[object]]) -> bytes:
    wb = openpyxl.Workbook()
    for row in rows:
        wb.active.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_the_corpus_template_passes_and_reads_the_same():
    data = TEMPLATE.read_bytes()
    summary = safezip.check(data, "模板")
    assert summary.entries == 11 and summary.elements > 1000
    with safezip.SafeZip(data, "模板") as z:
        assert z.read("word/document.xml") == zipfile.ZipFile(TEMPLATE).read("word/document.xml")
    assert "政府信息公开" in docx_text(data)
    assert parse_bytes(data, TEMPLATE.name).kind == "docx"


def test_a_normal_workbook_passes():
    data = xlsx_of([["单位全称", "分组"], *[[f"第{i}局", "市直部门"] for i in range(500)]])
    summary = safezip.check(data, "名单.xlsx")
    assert summary.sheets == {"xl/worksheets/sheet1.xml": 501 * 2}
    assert "第499局" in xlsx_text(data)


def test_a_highly_compressed_document_trips_the_ratio_guard_while_streaming():
    data = docx_with(document(PARA * 400_000))  # 25 MB of XML in a few dozen KB
    assert len(data) < 300_000
    with pytest.raises(safezip.UnsafeArchive, match=r"“word/document\.xml”压缩比超过 100 倍.*解压后已达"):
        safezip.check(data, "炸弹.docx")


def test_the_total_and_entry_guards_count_bytes_actually_inflated():
    data = zip_of({"a.bin": b"x" * 3_000_000, "b.bin": b"y" * 3_000_000})
    lax = safezip.LIMITS.scaled(max_ratio=10**6)
    with pytest.raises(safezip.UnsafeArchive, match=r"解压后总量超过 5 MB（读到“b\.bin”时）"):
        safezip.check(data, "包.zip", lax.scaled(max_total=5 * safezip.MiB))
    with pytest.raises(safezip.UnsafeArchive, match=r"“a\.bin”解压后超过 2 MB"):
        safezip.check(data, "包.zip", lax.scaled(max_entry=2 * safezip.MiB))


def _forge_sizes(data: bytes, size: int) -> bytes:
    """Rewrite the uncompressed size every header declares (local and central) to `size`."""
    out = bytearray(data)
    pos = 0
    while (pos := out.find(b"PK\x03\x04", pos)) >= 0:
        struct.pack_into("<I", out, pos + 22, size)
        pos += 4
    pos = 0
    while (pos := out.find(b"PK\x01\x02", pos)) >= 0:
        struct.pack_into("<I", out, pos + 24, size)
        pos += 4
    return bytes(out)


def test_declared_sizes_are_not_trusted():
    honest = zip_of({"word/document.xml": document(PARA * 100_000)})  # 6 MB inflated
    lying_small = _forge_sizes(honest, 10)
    with pytest.raises(safezip.UnsafeArchive, match="已损坏|压缩比"):
        safezip.check(lying_small, "伪造.docx")
    lying_big = _forge_sizes(honest, 4_000_000_000)
    with pytest.raises(safezip.UnsafeArchive, match=r"压缩比超过 100 倍"):
        safezip.check(lying_big, "伪造.docx")


def test_too_many_entries_are_refused_from_the_end_record():
    data = zip_of({f"f{i}.txt": b"" for i in range(300)}, zipfile.ZIP_STORED)
    with pytest.raises(safezip.UnsafeArchive, match="列出 300 个文件.*超过上限 200 个"):
        safezip.check(data, "多文件.zip", safezip.LIMITS.scaled(max_entries=200))


def test_deep_xml_is_refused_with_its_line():
    deep = b"<w:sdt><w:sdtContent>" * 100 + b"</w:sdtContent></w:sdt>" * 100
    with pytest.raises(safezip.UnsafeArchive, match=r"“word/document\.xml”的 XML 嵌套超过 128 层"):
        safezip.check(docx_with(document(deep)), "深.docx")


def test_entity_declarations_are_refused():
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>'
        b"<w:document " + W + b"><w:body><w:p><w:r><w:t>&b;</w:t></w:r></w:p></w:body></w:document>"
    )
    with pytest.raises(safezip.UnsafeArchive, match="声明了 XML 实体“a”"):
        safezip.check(docx_with(laughs), "实体.docx")
    with pytest.raises(ReadError, match="实体"):
        parse_bytes(docx_with(laughs), "实体.docx")


def test_too_many_elements_are_refused():
    data = docx_with(document(PARA * 2000))
    with pytest.raises(
        safezip.UnsafeArchive, match="读到压缩包内文件“word/document.xml”时，全部 XML 元素累计超过 5000 个"
    ):
        safezip.check(data, "多元素.docx", safezip.LIMITS.scaled(max_elements=5000))


def test_a_sheet_spanning_millions_of_cells_is_refused_before_a_reader_pads_it():
    data = xlsx_of([["表头"]])
    src = zipfile.ZipFile(io.BytesIO(data))
    sheet = src.read("xl/worksheets/sheet1.xml").replace(b'ref="A1:A1"', b'ref="A1:XFD1048576"')
    entries = {i.filename: src.read(i) for i in src.infolist()} | {"xl/worksheets/sheet1.xml": sheet}
    bomb = zip_of(entries)
    with pytest.raises(safezip.UnsafeArchive, match=r"工作表区域达 1048576 行 × 16384 列"):
        safezip.check(bomb, "大表.xlsx")
    with pytest.raises(safezip.UnsafeArchive):
        xlsx_text(bomb)
    with pytest.raises(ReadError, match="工作表区域"):
        parse_bytes(bomb, "大表.xlsx")


def test_other_compression_methods_and_duplicate_names_are_refused():
    with pytest.raises(safezip.UnsafeArchive, match="不支持的压缩方式（12）"):
        safezip.check(zip_of({"a.xml": b"<a/>"}, zipfile.ZIP_BZIP2), "bz.zip")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as out, pytest.warns(UserWarning):
        out.writestr("word/document.xml", b"<a/>")
        out.writestr("word/document.xml", b"<b/>")
    with pytest.raises(safezip.UnsafeArchive, match="出现多次"):
        safezip.check(buf.getvalue(), "重名.docx")


def test_too_much_text_is_refused():
    data = docx_with(document(PARA * 2000))
    with pytest.raises(safezip.UnsafeArchive, match="全部 XML 文字累计超过 10000 个字符"):
        safezip.check(data, "长文.docx", safezip.LIMITS.scaled(max_text=10_000))


def test_bounded_rows_stops_a_padded_sheet():
    rows = ((None,) * 16384 for _ in range(1000))
    with pytest.raises(safezip.UnsafeArchive, match="单元格超过 100000 个"):
        list(safezip.bounded_rows(rows, "表.xlsx", safezip.LIMITS.scaled(max_cells=100_000)))


def test_readers_refuse_bombs_and_attachments_yield_no_text():
    bomb = docx_with(document(PARA * 400_000))
    with pytest.raises(ReadError, match="报告.docx：.*“word/document.xml”.*，(已停止读取|未读取)"):
        parse_bytes(bomb, "报告.docx")
    assert _attachment_text(bomb, "docx", 10_000) == ""
    ofd = zip_of({"OFD.xml": b"<ofd/>", "Doc_0/Pages/Page_0/Content.xml": b"<p>" * 200 + b"</p>" * 200})
    with pytest.raises(safezip.UnsafeArchive, match="嵌套超过"):
        ofd_text(ofd)
