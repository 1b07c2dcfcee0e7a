"""The 落实情况 report on a year's 政务公开工作要点 (DOCX) in the layout offices publish (海沧区2016年政务公开
工作落实情况: 一、重点工作落实情况 with one part per area, 二、存在问题, 三、下一步工作计划), with the task table as
an annex, and the table of all tasks with their status (XLSX), from plain data (no Django)."""

from __future__ import annotations

import io
from dataclasses import dataclass, field

import openpyxl
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm
from openpyxl.styles import Alignment, Border, Font, Side

from gongkai.reports.tongbao import CN_NUMBERS, list_table, paragraph

STATUS_HEADER = [
    "序号",
    "工作领域",
    "任务内容",
    "任务来源",
    "完成时限",
    "单位",
    "分工",
    "状态",
    "已完成周期",
    "最近报送",
    "工作情况",
    "数字",
    "链接",
]
ANNEX_HEADER = ["序号", "工作领域", "任务内容", "责任单位", "完成时限", "完成情况"]


@dataclass(frozen=True)
class StatusRow:
    """One unit's share of one task, with what it reported last."""

    number: int
    area: str
    content: str
    source: str
    deadline: str
    unit: str
    role: str
    status: str
    periods_done: str = ""  # "2/4" for a quarterly task
    reported_at: str = ""
    text: str = ""
    figure: str = ""  # "解读（篇）4"
    links: tuple[str, ...] = ()

    def values(self) -> list[str]:
        return [
            str(self.number),
            self.area,
            self.content,
            self.source,
            self.deadline,
            self.unit,
            self.role,
            self.status,
            self.periods_done,
            self.reported_at,
            self.text,
            self.figure,
            "\n".join(self.links),
        ]


@dataclass
class LuoshiReport:
    title: str
    intro: str
    sections: list[tuple[str, str]]  # (heading, text) per area chapter
    problems: str = ""
    next_steps: str = ""
    rows: list[StatusRow] = field(default_factory=list)


def _lines(doc, text: str) -> None:
    for line in text.splitlines():
        if line.strip():
            paragraph(doc, line.strip())


def luoshi_docx(report: LuoshiReport) -> bytes:
    doc = Document()
    paragraph(
        doc, report.title, 20, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, font="方正小标宋简体", indent=False
    )
    _lines(doc, report.intro)
    paragraph(doc, "一、重点工作落实情况", 16, bold=True, font="黑体")
    for i, (heading, text) in enumerate(report.sections):
        paragraph(doc, f"（{CN_NUMBERS[i % 10]}）{heading}", 16, bold=True, font="楷体")
        _lines(doc, text or "本领域暂无报送的工作情况。")
    paragraph(doc, "二、存在问题", 16, bold=True, font="黑体")
    _lines(doc, report.problems or "暂无。")
    paragraph(doc, "三、下一步工作计划", 16, bold=True, font="黑体")
    _lines(doc, report.next_steps or "暂无。")
    if report.rows:
        _annex(doc, report.rows)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _annex(doc, rows: list[StatusRow]) -> None:
    doc.add_page_break()
    section = doc.add_section()
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)  # the table is printed landscape
    section.left_margin = section.right_margin = Cm(1.8)
    paragraph(doc, "附件：任务完成情况表", 16, bold=True, font="黑体", indent=False)
    list_table(doc, ANNEX_HEADER, [_annex_row(r) for r in rows])


def _annex_row(r: StatusRow) -> list[str]:
    done = "；".join(x for x in (r.text, r.figure, "、".join(r.links)) if x)
    return [
        str(r.number),
        r.area,
        r.content,
        f"{r.unit}（{r.role}）",
        r.deadline,
        f"{r.status}{'（' + r.periods_done + '）' if r.periods_done else ''}" + (f"：{done}" if done else ""),
    ]


def status_xlsx(title: str, rows: list[StatusRow]) -> bytes:
    """Every task and unit with its status and last report, as the office tracks them in Excel."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "任务完成情况"
    sheet.append([title])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(STATUS_HEADER))
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A1"].alignment = Alignment(horizontal="center")
    sheet.append(STATUS_HEADER)
    for r in rows:
        sheet.append(r.values())
    thin = Side(style="thin")
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for i, width in enumerate((6, 10, 44, 22, 12, 24, 10, 10, 10, 16, 40, 14, 40), start=1):
        sheet.column_dimensions[openpyxl.utils.get_column_letter(i)].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
