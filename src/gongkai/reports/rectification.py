"""The 整改清单 (XLSX, DOCX) in the column layout of real lists (翔安区 2022: 序号, 一级/二级/三级/四级指标,
问题明细, 整改情况 with 整改链接, 情况说明) and the 回头看 report (DOCX), from plain data (no Django)."""

from __future__ import annotations

import io
from collections import defaultdict
from dataclasses import dataclass, field

import openpyxl
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm
from openpyxl.styles import Alignment, Border, Font, Side

from gongkai import safezip
from gongkai.reports.tongbao import CN_NUMBERS, list_table, paragraph

QINGDAN_HEADER = ["序号", "一级指标", "二级指标", "三级指标", "四级指标", "问题明细", "整改情况", "情况说明"]


@dataclass(frozen=True)
class QingdanRow:
    number: int
    levels: tuple[str, str, str, str]
    detail: str
    status: str = ""  # 已整改 / 部分整改 / ... or "" when not answered
    links: tuple[str, ...] = ()
    explanation: str = ""
    unit: str = ""

    def rectification_text(self) -> str:
        """The 整改情况 cell as real lists write it: the status, then 整改链接 numbered one per line."""
        if not self.status:
            return "未答复"
        if not self.links:
            return self.status
        lines = [self.status, "整改链接："] + [f"{i}.{link}" for i, link in enumerate(self.links, start=1)]
        return "\n".join(lines)


def qingdan_xlsx(title: str, rows: list[QingdanRow], with_unit: bool = False) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "整改清单"
    header = (["单位"] if with_unit else []) + QINGDAN_HEADER
    sheet.append([title])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A1"].alignment = Alignment(horizontal="center")
    sheet.append(header)
    for r in rows:
        values = [r.number, *r.levels, r.detail, r.rectification_text(), r.explanation or "无"]
        sheet.append(([r.unit] if with_unit else []) + values)
    thin = Side(style="thin")
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    widths = ([20] if with_unit else []) + [6, 12, 14, 16, 18, 50, 40, 24]
    for i, width in enumerate(widths, start=1):
        sheet.column_dimensions[openpyxl.utils.get_column_letter(i)].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def read_qingdan_xlsx(data: bytes) -> list[QingdanRow]:
    """Read a list written by qingdan_xlsx back (round-trip, and lists units send back by hand)."""
    safezip.check(data, "问题清单文件", kind=" XLSX 工作簿")  # zip bombs, a sheet of millions of cells
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    rows = list(sheet.iter_rows(values_only=True))
    header = [str(c or "") for c in rows[1]]
    offset = 1 if header and header[0] == "单位" else 0
    out = []
    for raw in rows[2:]:
        cells = ["" if c is None else str(c) for c in raw]
        status_text = cells[offset + 6]
        lines = status_text.splitlines()
        status = "" if status_text == "未答复" else (lines[0] if lines else "")
        links = tuple(line.split(".", 1)[1] for line in lines[2:] if "." in line)
        out.append(
            QingdanRow(
                number=int(float(cells[offset])),
                levels=tuple(cells[offset + 1 : offset + 5]),
                detail=cells[offset + 5],
                status=status,
                links=links,
                explanation="" if cells[offset + 7] == "无" else cells[offset + 7],
                unit=cells[0] if offset else "",
            )
        )
    return out


def qingdan_docx(title: str, rows: list[QingdanRow]) -> bytes:
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)  # landscape, as the lists are printed
    section.left_margin = section.right_margin = Cm(1.8)
    paragraph(doc, title, 18, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, font="方正小标宋简体", indent=False)
    list_table(
        doc,
        QINGDAN_HEADER,
        [[str(r.number), *r.levels, r.detail, r.rectification_text(), r.explanation or "无"] for r in rows],
    )
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


@dataclass
class Huitoukan:
    title: str
    introduction: str
    rows: list[QingdanRow]
    summary: str = ""
    next_steps: str = ""
    stats: dict = field(default_factory=dict)


def _by_area(rows: list[QingdanRow]) -> dict[str, list[QingdanRow]]:
    grouped: dict[str, list[QingdanRow]] = defaultdict(list)
    for r in rows:
        grouped[r.levels[0] or "其他"].append(r)
    return grouped


def huitoukan_docx(report: Huitoukan, charts: list[tuple[str, bytes]] | None = None) -> bytes:
    """The 回头看 report: 一、存在问题 (per first-level indicator), 二、整改情况, statistics, the office's own
    sections, and the 整改清单 itself."""
    doc = Document()
    paragraph(
        doc, report.title, 20, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, font="方正小标宋简体", indent=False
    )
    if report.introduction:
        paragraph(doc, report.introduction)
    areas = _by_area(report.rows)
    paragraph(doc, "一、存在问题", 16, bold=True, font="黑体")
    if report.summary:
        paragraph(doc, report.summary)
    for i, (area, rows) in enumerate(areas.items()):
        units = sorted({r.unit for r in rows if r.unit})
        text = f"问题{CN_NUMBERS[i % 10]}：{area}方面。共 {len(rows)} 项" + (
            f"，涉及{'、'.join(units)}" if units else ""
        )
        examples = "；".join(r.detail for r in rows[:3])
        paragraph(doc, f"{text}。如：{examples}。")
    paragraph(doc, "二、整改情况", 16, bold=True, font="黑体")
    for i, (area, rows) in enumerate(areas.items()):
        done = [r for r in rows if r.status in ("已整改", "部分整改")]
        reasons = [
            f"{r.unit + '：' if r.unit else ''}{r.explanation}"
            for r in rows
            if r.status in ("暂不整改", "无法整改", "无需整改") and r.explanation
        ]
        text = (
            f"问题{CN_NUMBERS[i % 10]}整改情况：{area}方面 {len(rows)} 项，已整改或部分整改 {len(done)} 项。"
        )
        if reasons:
            text += "未整改的说明：" + "；".join(reasons[:5]) + "。"
        paragraph(doc, text)
    if report.stats:
        s = report.stats
        paragraph(doc, "三、整改统计", 16, bold=True, font="黑体")
        paragraph(
            doc,
            f"共发现问题 {s.get('total', 0)} 项，已销号 {s.get('closed', 0)} 项（销号率 {s.get('rate', 0)}%），"
            f"复核通过待销号 {s.get('verified', 0)} 项，退回重新整改 {s.get('returned', 0)} 项，"
            f"尚未答复 {s.get('open', 0)} 项。",
        )
    if report.next_steps:
        paragraph(doc, "四、下一步工作", 16, bold=True, font="黑体")
        for line in report.next_steps.splitlines():
            if line.strip():
                paragraph(doc, line.strip())
    for caption, png in charts or []:
        doc.add_picture(io.BytesIO(png), width=Cm(15))
        paragraph(doc, caption, 11, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    doc.add_page_break()
    paragraph(doc, "整改清单", 16, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, font="黑体", indent=False)
    header = ["单位", *QINGDAN_HEADER]
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = text
    for r in report.rows:
        values = [r.unit, str(r.number), *r.levels, r.detail, r.rectification_text(), r.explanation or "无"]
        for cell, text in zip(table.add_row().cells, values, strict=True):
            cell.text = text
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
