"""The ranking notice (通报) of an evaluation round as DOCX, PDF and XLSX, from plain data (no Django).

Layout follows real notices (六安 2018 Q1 网上测评通报): title with issue number, the data cut-off sentence,
"一、本次网上测评的绩效排序" with one paragraph per group listing units in rank order, "二、需要完善的事项"
by area naming the units, "三、工作要求", then a charts page and a table of every unit's score.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from datetime import date

import openpyxl
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from openpyxl.styles import Alignment, Font, PatternFill

CN_NUMBERS = "一二三四五六七八九十"

# Technical words of check documentation and messages, in the words of a notice sent to units' leaders.
PLAIN_TERMS = {
    "且通过 Luhn 校验": "且符合银行卡号编码规则",
    "通过 Luhn 校验": "符合银行卡号编码规则",
    " SiteName/SiteDomain/SiteIDCode 标签": "网站名称、域名和网站标识码元数据",
    " ArticleTitle/PubDate 标签": "文章标题和发布日期元数据",
    " SiteIDCode 格式不符": "网站标识码格式不符",
    "SiteName/SiteDomain/SiteIDCode 标签": "网站名称、域名和网站标识码元数据",
    "ArticleTitle/PubDate 标签": "文章标题和发布日期元数据",
    "SiteIDCode 格式不符": "网站标识码格式不符",
}
_FILE_NOTE = re.compile(r"（[^（）]*\.ya?ml[^（）]*）")  # "（vocab/catalogue.yaml）" and the like
_RULE_ID = re.compile(r"\b[A-Z]\d*(?:-[A-Z0-9]+)+\s*[：:]\s*")  # "T3-IDENTITY：" before a rule's message


def plain_words(text: str) -> str:
    """Check documentation and messages as a notice says them: no file names, rule ids or English terms."""
    text = _FILE_NOTE.sub("", text)
    for term, plain in PLAIN_TERMS.items():
        text = text.replace(term, plain)
    return _RULE_ID.sub("", text)


@dataclass(frozen=True)
class RankRow:
    rank: int
    unit: str
    total: float
    max: float
    rate: float
    band: str = ""
    veto: bool = False
    tied: bool = False
    change: int | None = None  # rank change since the previous round (positive = moved up)
    sampled: bool = False


@dataclass(frozen=True)
class GroupRanking:
    label: str  # 县区政府 / 管委会 / 市直部门 / 乡镇（街道）
    rows: tuple[RankRow, ...]
    sampled_note: str = ""  # e.g. "随机抽查的 6 个乡镇（随机种子 20260331）"


@dataclass(frozen=True)
class ProblemArea:
    area: str  # first-level indicator, e.g. 平台建设
    description: str  # what was found
    units: tuple[str, ...]


@dataclass(frozen=True)
class FindingRow:
    unit: str
    group: str
    item: str
    check: str
    verdict: str
    subject: str
    message: str
    url: str


@dataclass
class Tongbao:
    title: str
    issuer: str
    as_of: date
    issued: date
    number: str = ""
    scope_text: str = ""
    groups: list[GroupRanking] = field(default_factory=list)
    problems: list[ProblemArea] = field(default_factory=list)
    requirements: str = ""
    findings: list[FindingRow] = field(default_factory=list)
    framework: str = ""
    basis: str = "综合得分率"  # what the ranking orders by: 综合得分率 (default) or 综合得分
    unevaluated: tuple[str, ...] = ()  # units in scope not evaluated (site not checked), with why


def _cn_date(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def _set_font(run, size: float = 16, bold: bool = False, name: str = "仿宋") -> None:
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.name = name
    run._element.rPr.rFonts.set(qn("w:eastAsia"), name)


def paragraph(
    doc, text: str, size: float = 16, bold: bool = False, align=None, font: str = "仿宋", indent=True
):
    p = doc.add_paragraph()
    if align is not None:
        p.alignment = align
    if indent:
        p.paragraph_format.first_line_indent = Pt(size * 2)
    _set_font(p.add_run(text), size, bold, font)
    return p


def list_table(doc, header: list[str], rows: list[list[str]], size: float = 9) -> None:
    """A gridded table as the office prints its lists: a bold header row, then the rows in small type."""
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = text
        for run in cell.paragraphs[0].runs:
            run.font.bold = True
    for values in rows:
        for cell, text in zip(table.add_row().cells, values, strict=True):
            cell.text = text
            for p in cell.paragraphs:
                for run in p.runs:
                    run.font.size = Pt(size)


def ranking_sentence(group: GroupRanking) -> str:
    parts = []
    for row in group.rows:
        name = row.unit + ("（并列）" if row.tied else "")
        parts.append(name)
    return "、".join(parts)


DEFAULT_REQUIREMENTS = "请各单位对照问题清单逐项整改，并在规定期限内通过平台报送整改情况。"


def opening(tb: Tongbao) -> str:
    """The first paragraph, the same in the DOCX and the PDF."""
    return tb.scope_text or (
        f"根据年度工作安排，{tb.issuer}组织对各单位政务公开情况进行了网上测评，本次数据采集时间节点为各单位在"
        f"{_cn_date(tb.as_of)}前发布的数据。现将基本情况通报如下："
    )


def group_sentence(index: int, tb: Tongbao, group: GroupRanking) -> str:
    """One group's ranking in the notice's words; the wording names the rule the order follows."""
    text = f"（{CN_NUMBERS[index]}）{group.label}网上测评绩效排序。按{tb.basis}排序依次为：{ranking_sentence(group)}。"
    return text + group.sampled_note


def problem_paragraphs(tb: Tongbao) -> list[tuple[str, bool]]:
    """The 需要完善的事项, one heading per first-level indicator then its problems numbered, as (text,
    is_heading); an indicator with one problem is one paragraph."""
    by_area: dict[str, list[ProblemArea]] = {}
    for problem in tb.problems:
        by_area.setdefault(problem.area, []).append(problem)
    out: list[tuple[str, bool]] = []
    for i, (area, problems) in enumerate(by_area.items()):
        head = f"（{CN_NUMBERS[i % len(CN_NUMBERS)]}）{area}方面"
        if len(problems) == 1:
            out.append((f"{head}：{_problem_text(problems[0])}", False))
            continue
        out.append((f"{head}，共{len(problems)}类问题：", False))
        out.extend((f"{n}. {_problem_text(p)}", False) for n, p in enumerate(problems, start=1))
    return out


def _problem_text(problem: ProblemArea) -> str:
    description = plain_words(problem.description).rstrip("。；") + "。"
    units = problem.units
    if len(units) > 20:
        return f"{description}涉及{units[0]}、{units[1]}等{len(units)}个单位。"
    return f"{description}涉及单位：{'、'.join(units)}。"


def unevaluated_sentence(tb: Tongbao) -> str:
    if not tb.unevaluated:
        return ""
    return f"以下单位本次未完成测评，不评分、不参与排名：{'、'.join(tb.unevaluated)}。"


def build_docx(tb: Tongbao, charts: list[tuple[str, bytes]] | None = None) -> bytes:
    doc = Document()
    section = doc.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    section.left_margin = section.right_margin = Cm(2.6)
    if tb.number:
        paragraph(doc, tb.number, 16, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    paragraph(
        doc, tb.title, 22, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, font="方正小标宋简体", indent=False
    )
    paragraph(doc, opening(tb))
    paragraph(doc, "一、本次网上测评的绩效排序", 16, bold=True, font="黑体")
    for i, group in enumerate(tb.groups):
        paragraph(doc, group_sentence(i, tb, group))
    if tb.unevaluated:
        paragraph(doc, unevaluated_sentence(tb))
    paragraph(doc, "二、需要完善的事项", 16, bold=True, font="黑体")
    if not tb.problems:
        paragraph(doc, "本次测评未发现需要通报的问题。")
    for text, _heading in problem_paragraphs(tb):
        paragraph(doc, text)
    paragraph(doc, "三、工作要求", 16, bold=True, font="黑体")
    for line in (tb.requirements or DEFAULT_REQUIREMENTS).splitlines():
        if line.strip():
            paragraph(doc, line.strip())
    paragraph(doc, tb.issuer, align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False)
    paragraph(doc, _cn_date(tb.issued), align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False)
    _score_tables(doc, tb)
    if charts:
        doc.add_page_break()
        paragraph(doc, "附：测评结果图表", 16, bold=True, font="黑体", indent=False)
        grid = doc.add_table(rows=(len(charts) + 1) // 2, cols=2)  # two charts a row, not one a page
        for k, (caption, png) in enumerate(charts):
            cell = grid.cell(k // 2, k % 2)
            cell.paragraphs[0].add_run().add_picture(io.BytesIO(png), width=Cm(7.6))
            caption_p = cell.add_paragraph()
            caption_p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _set_font(caption_p.add_run(caption), 10.5)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


SCORE_HEADER = ["排名", "单位", "得分", "应得分", "得分率", "等次", "较上次"]


def _change_text(change: int | None) -> str:
    if change is None:
        return "—"
    return f"↑{change}" if change > 0 else (f"↓{-change}" if change < 0 else "持平")


def _score_tables(doc, tb: Tongbao) -> None:
    doc.add_page_break()
    paragraph(doc, "附表：各单位得分情况", 16, bold=True, font="黑体", indent=False)
    for group in tb.groups:
        paragraph(doc, group.label, 14, bold=True, indent=False)
        table = doc.add_table(rows=1, cols=len(SCORE_HEADER))
        table.style = "Table Grid"
        for cell, text in zip(table.rows[0].cells, SCORE_HEADER, strict=True):
            cell.text = text
        for row in group.rows:
            cells = table.add_row().cells
            values = [
                str(row.rank),
                row.unit,
                f"{row.total:.2f}",
                f"{row.max:.2f}",
                f"{row.rate:.2f}%",
                ("单项否决" if row.veto else row.band),
                _change_text(row.change),
            ]
            for cell, text in zip(cells, values, strict=True):
                cell.text = text


def build_xlsx(tb: Tongbao) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "得分排名"
    sheet.append(["分组", *SCORE_HEADER, "并列", "抽查"])
    for group in tb.groups:
        for r in group.rows:
            sheet.append(
                [
                    group.label,
                    r.rank,
                    r.unit,
                    round(r.total, 2),
                    round(r.max, 2),
                    round(r.rate / 100, 6),  # a fraction shown as a percentage (number format below)
                    "单项否决" if r.veto else r.band,
                    _change_text(r.change),
                    "是" if r.tied else "",
                    "是" if r.sampled else "",
                ]
            )
    for (cell,) in sheet.iter_rows(min_row=2, min_col=6, max_col=6):
        cell.number_format = "0.00%"
    findings = book.create_sheet("问题明细")
    findings.append(["单位", "分组", "指标", "检查项", "结论", "对象", "说明", "证据网址"])
    for f in tb.findings:
        findings.append(
            [f.unit, f.group, f.item, f.check, f.verdict, f.subject, plain_words(f.message), f.url]
        )
    for ws in (sheet, findings):
        for cell in ws[1]:
            cell.font = Font(bold=True)
            cell.fill = PatternFill("solid", fgColor="E8EFF9")
            cell.alignment = Alignment(horizontal="center")
        ws.freeze_panes = "A2"
    for col, width in zip("ABCDEFGHIJ", (12, 6, 32, 8, 8, 8, 10, 8, 6, 6), strict=True):
        sheet.column_dimensions[col].width = width
    for col, width in zip("ABCDEFGH", (28, 10, 36, 22, 10, 40, 50, 50), strict=True):
        findings.column_dimensions[col].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def title_lines(title: str) -> list[str]:
    """A long title in two lines broken before its closing words (「结果的通报」), never before a lone 报."""
    if len(title) <= 20:
        return [title]
    at = title.rfind("的通报")
    if at <= 0:
        return [title]
    for word in ("结果", "情况"):
        if title[:at].endswith(word):
            at -= len(word)
            break
    return [title[:at], title[at:]]


PDF_STYLE = (
    "@page{size:A4;margin:2.5cm 2.4cm}body{font-family:'Noto Serif CJK SC','Noto Sans CJK SC',serif;"
    "font-size:15pt;line-height:1.8}p{text-indent:2em;margin:0;orphans:2;widows:2}"
    ".c{text-align:center;text-indent:0}.t{font-size:20pt;font-weight:bold;line-height:1.5}"
    ".h{font-weight:bold;font-family:'Noto Sans CJK SC',sans-serif;page-break-after:avoid;text-indent:0}"
    ".r{text-align:right}.keep{page-break-inside:avoid}table{border-collapse:collapse;width:100%;"
    "font-size:10.5pt;margin:6pt 0}td,th{border:1px solid #333;padding:2pt 4pt}tr{page-break-inside:avoid}"
    ".pb{page-break-before:always}.charts{display:flex;flex-wrap:wrap;justify-content:space-between}"
    ".chart{width:48%;page-break-inside:avoid;margin-bottom:8pt}.chart img{width:100%}"
    ".chart p{font-size:11pt;text-indent:0;text-align:center}"
)


def build_html(tb: Tongbao, charts: list[tuple[str, bytes]] | None = None) -> str:
    """A printable HTML version (the source of the PDF), with the DOCX's words: headings kept with what
    follows, the sign-off kept with the last paragraph, the charts grouped two by two on one page."""
    import base64
    from html import escape

    def p(text: str, cls: str = "") -> str:
        return f'<p class="{cls}">{escape(text)}</p>'

    parts = [f"<!DOCTYPE html><html lang='zh-Hans'><head><meta charset='utf-8'><style>{PDF_STYLE}</style>"]
    parts.append("</head><body>")
    if tb.number:
        parts.append(p(tb.number, "c"))
    parts.append("".join(p(line, "c t") for line in title_lines(tb.title)))
    parts.append(p(opening(tb)))
    parts.append(p("一、本次网上测评的绩效排序", "h"))
    for i, g in enumerate(tb.groups):
        parts.append(p(group_sentence(i, tb, g)))
    if tb.unevaluated:
        parts.append(p(unevaluated_sentence(tb)))
    parts.append(p("二、需要完善的事项", "h"))
    if not tb.problems:
        parts.append(p("本次测评未发现需要通报的问题。"))
    for text, _heading in problem_paragraphs(tb):
        parts.append(p(text))
    parts.append(p("三、工作要求", "h"))
    lines = [line.strip() for line in (tb.requirements or DEFAULT_REQUIREMENTS).splitlines() if line.strip()]
    parts.extend(p(line) for line in lines[:-1])
    sign_off = p(lines[-1]) if lines else ""
    parts.append(f"<div class='keep'>{sign_off}{p(tb.issuer, 'r')}{p(_cn_date(tb.issued), 'r')}</div>")
    parts.append("<div class='pb'></div>" + p("附表：各单位得分情况", "h"))
    head = "".join(f"<th>{h}</th>" for h in SCORE_HEADER)
    for g in tb.groups:
        rows = "".join(
            f"<tr><td>{r.rank}</td><td>{escape(r.unit)}</td><td>{r.total:.2f}</td><td>{r.max:.2f}</td>"
            f"<td>{r.rate:.2f}%</td><td>{'单项否决' if r.veto else escape(r.band)}</td><td>{_change_text(r.change)}</td></tr>"
            for r in g.rows
        )
        parts.append(p(g.label, "h") + f"<table><tr>{head}</tr>{rows}</table>")
    if charts:
        figures = "".join(
            f"<div class='chart'><img src='data:image/png;base64,{base64.b64encode(png).decode()}'>"
            f"{p(caption)}</div>"
            for caption, png in charts
        )
        parts.append(
            "<div class='pb'></div>" + p("附：测评结果图表", "h") + f"<div class='charts'>{figures}</div>"
        )
    parts.append("</body></html>")
    return "".join(parts)


def build_pdf(tb: Tongbao, charts: list[tuple[str, bytes]] | None = None) -> bytes:
    from weasyprint import HTML

    return HTML(string=build_html(tb, charts)).write_pdf()
