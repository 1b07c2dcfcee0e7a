"""Writers of our annual report in the national 2021 layout: DOCX, XLSX, HTML and PDF (WeasyPrint).

All three share one grid description (`grids`): each table is a list of rows of `Cell`s with row and
column spans, exactly as the national template merges them (表二 14×4, 表三 28×10, 表四 4×15). A written
file parses back to the same numbers (tests/annual/test_write.py).
"""

from __future__ import annotations

import html
import os
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from gongkai.annual.model import (
    CHAPTERS,
    T3_GROUP_LABELS,
    T3_KEYS_2019,
    T3_LABELS,
    AnnualReport,
)

T3_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
PLACEHOLDER = {
    CHAPTERS[0]: "（文字描述）",
    CHAPTERS[4]: "（文字描述）",
    CHAPTERS[5]: "（文字描述，收取信息处理费情况在此处报告。）",
}


@dataclass(frozen=True)
class Cell:
    text: str
    rowspan: int = 1
    colspan: int = 1
    header: bool = False
    number: object = None  # the value written (int/Decimal), None for labels and blanks


def _v(value: object) -> Cell:
    if value is None:
        return Cell("", number=None)
    if isinstance(value, Decimal):
        text = format(value.normalize(), "f") if value == value.to_integral_value() else format(value, "f")
        return Cell(text, number=value)
    return Cell(str(value), number=value)


def _h(text: str, rowspan: int = 1, colspan: int = 1) -> Cell:
    return Cell(text, rowspan, colspan, header=True)


def grid_t2(r: AnnualReport) -> list[list[Cell]]:
    t2 = r.t2
    rows: list[list[Cell]] = [
        [_h("第二十条第（一）项", colspan=4)],
        [_h("信息内容"), _h("本年制发件数"), _h("本年废止件数"), _h("现行有效件数")],
    ]
    for key, label in (("regulations", "规章"), ("normative_documents", "行政规范性文件")):
        rows.append([_h(label)] + [_v(t2.get(f"{key}.{f}")) for f in ("made", "repealed", "valid")])
    blocks = (
        ("第二十条第（五）项", "本年处理决定数量", (("licensing.decisions", "行政许可"),)),
        (
            "第二十条第（六）项",
            "本年处理决定数量",
            (("punishment.decisions", "行政处罚"), ("coercion.decisions", "行政强制")),
        ),
        ("第二十条第（八）项", "本年收费金额（单位：万元）", (("fees.amount_wan", "行政事业性收费"),)),
    )
    for title, what, items in blocks:
        rows.append([_h(title, colspan=4)])
        rows.append([_h("信息内容"), _h(what, colspan=3)])
        for key, label in items:
            v = _v(t2.get(key))
            rows.append([_h(label), Cell(v.text, colspan=3, number=v.number)])
    return rows


def grid_t3(r: AnnualReport) -> list[list[Cell]]:
    keys = r.t3_keys()
    old = keys is T3_KEYS_2019
    rows: list[list[Cell]] = [
        [_h(T3_NOTE, rowspan=3, colspan=3), _h("申请人情况", colspan=7)],
        [_h("自然人", rowspan=2), _h("法人或其他组织", colspan=5), _h("总计", rowspan=2)],
        [_h("商业企业"), _h("科研机构"), _h("社会公益组织"), _h("法律服务机构"), _h("其他")],
    ]
    results = 20 if old else 22
    group_sizes = {"denied": 8, "unable": 3, "not_processed": 5, "other": 1 if old else 3}
    seen_groups: set[str] = set()
    for i, key in enumerate(keys):
        values = [_v(v) for v in r.t3.get(key, [None] * 7)]
        label = T3_LABELS[key]
        if key in ("new_received", "carried_over", "carried_forward"):
            rows.append([_h(label, colspan=3), *values])
            continue
        row: list[Cell] = []
        if i == 2:
            row.append(_h("三、本年度办理结果", rowspan=results))
        group = key.split(".")[0] if "." in key else ""
        if key == "other":
            row.append(_h(T3_GROUP_LABELS["other"], colspan=2))
        elif group:
            if group not in seen_groups:
                seen_groups.add(group)
                row.append(_h(T3_GROUP_LABELS[group], rowspan=group_sizes[group]))
            row.append(_h(label))
        else:
            row.append(_h(label, colspan=2))
        rows.append(row + values)
    return rows


def grid_t4(r: AnnualReport) -> list[list[Cell]]:
    fields = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")
    t4 = r.t4 if len(r.t4) == 15 else [None] * 15
    return [
        [_h("行政复议", colspan=5), _h("行政诉讼", colspan=10)],
        [*(_h(f, rowspan=2) for f in fields), _h("未经复议直接起诉", colspan=5), _h("复议后起诉", colspan=5)],
        [*(_h(f) for f in fields), *(_h(f) for f in fields)],
        [_v(v) for v in t4],
    ]


def grids(r: AnnualReport) -> dict[str, list[list[Cell]]]:
    return {CHAPTERS[1]: grid_t2(r), CHAPTERS[2]: grid_t3(r), CHAPTERS[3]: grid_t4(r)}


def title_of(r: AnnualReport) -> str:
    year = f"{r.year}年" if r.year else ""
    return f"{r.unit}{year}政府信息公开工作年度报告"


def _chapter_text(r: AnnualReport, heading: str) -> str:
    return r.chapters.get(heading, "") or PLACEHOLDER.get(heading, "")


def _placed(grid: list[list[Cell]]) -> list[tuple[int, int, Cell]]:
    """(row, column, cell) positions in the full grid, skipping slots covered by spans."""
    taken: set[tuple[int, int]] = set()
    out = []
    for ri, row in enumerate(grid):
        ci = 0
        for cell in row:
            while (ri, ci) in taken:
                ci += 1
            out.append((ri, ci, cell))
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    taken.add((ri + dr, ci + dc))
            ci += cell.colspan
    return out


# --- HTML ----------------------------------------------------------------------------------------------
DRAFT_MARK = "草稿（未通过校验，不得作为正式年报发布）"
_DRAFT_CSS = (
    f'@page{{@top-center{{content:"{DRAFT_MARK}";color:#c00;font-size:10pt}}}}'
    ".draft-mark{position:fixed;top:38%;left:0;right:0;text-align:center;font-size:120px;font-weight:bold;"
    "color:rgba(200,0,0,.15);transform:rotate(-30deg);z-index:-1}"
    ".draft-note{color:#c00;font-weight:bold;text-align:center}"
)


def render_html(r: AnnualReport, *, draft: bool = False) -> str:
    """The report as one HTML page; `draft` marks every page 草稿 (a fixed mark repeats on each printed page)."""
    style = "table{border-collapse:collapse}td,th{border:1px solid #333;padding:2px 6px;text-align:center}"
    parts = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN"><head><meta charset="utf-8">',
        f"<title>{'【草稿】' if draft else ''}{html.escape(title_of(r))}</title>",
        f"<style>{style}{_DRAFT_CSS if draft else ''}</style>",
        "</head><body>",
    ]
    if draft:
        parts += ['<div class="draft-mark">草稿</div>', f'<p class="draft-note">{DRAFT_MARK}</p>']
    parts.append(f"<h1>{html.escape(title_of(r))}</h1>")
    tables = grids(r)
    for heading in CHAPTERS:
        parts.append(f"<h2>{html.escape(heading)}</h2>")
        if heading in tables:
            parts.append(_html_table(tables[heading]))
        else:
            for para in _chapter_text(r, heading).splitlines():
                if para.strip():
                    parts.append(f"<p>{html.escape(para.strip())}</p>")
    parts.append("</body></html>")
    return "\n".join(parts)


def _html_table(grid: list[list[Cell]]) -> str:
    out = ["<table>"]
    for row in grid:
        out.append("<tr>")
        for c in row:
            span = (f' rowspan="{c.rowspan}"' if c.rowspan > 1 else "") + (
                f' colspan="{c.colspan}"' if c.colspan > 1 else ""
            )
            tag = "th" if c.header else "td"
            out.append(f"<{tag}{span}>{html.escape(c.text)}</{tag}>")
        out.append("</tr>")
    out.append("</table>")
    return "".join(out)


# --- DOCX ------------------------------------------------------------------------------------------------
def write_docx(r: AnnualReport, path: str | os.PathLike[str], *, draft: bool = False) -> Path:
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Pt

    document = docx.Document()
    style = document.styles["Normal"]
    style.font.name = "宋体"
    style.font.size = Pt(11)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "宋体")
    if draft:  # the section header repeats on every page
        mark = document.sections[0].header.paragraphs[0]
        mark.text = DRAFT_MARK
        mark.alignment = WD_ALIGN_PARAGRAPH.CENTER
        mark.runs[0].bold = True
    title = document.add_paragraph(("【草稿】" if draft else "") + title_of(r))
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.runs[0].bold = True
    tables = grids(r)
    for heading in CHAPTERS:
        document.add_paragraph(heading).runs[0].bold = True
        if heading in tables:
            _docx_table(document, tables[heading])
        else:
            for para in _chapter_text(r, heading).splitlines():
                if para.strip():
                    document.add_paragraph(para.strip())
    path = Path(path)
    document.save(path)
    return path


def _docx_table(document, grid: list[list[Cell]]) -> None:
    placed = _placed(grid)
    nrows = len(grid)
    ncols = max(c + cell.colspan for _, c, cell in placed)
    table = document.add_table(rows=nrows, cols=ncols)
    table.style = "Table Grid"
    # table.cell() rescans the whole table on every call; take the grid once, fill it, then merge
    # the disjoint spans (only the top-left cell of a span holds text, so merging keeps it).
    cells = table._cells
    for ri, ci, cell in placed:
        cells[ri * ncols + ci].text = cell.text
    for ri, ci, cell in placed:
        if cell.rowspan > 1 or cell.colspan > 1:
            end = (ri + cell.rowspan - 1) * ncols + ci + cell.colspan - 1
            cells[ri * ncols + ci].merge(cells[end])


# --- XLSX ------------------------------------------------------------------------------------------------
def write_xlsx(r: AnnualReport, path: str | os.PathLike[str], *, draft: bool = False) -> Path:
    import openpyxl
    from openpyxl.styles import Alignment, Border, Font, Side

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "年报"
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    ws.append([("【草稿】" if draft else "") + title_of(r)])
    if draft:  # printed at the top of every page
        ws.oddHeader.center.text = DRAFT_MARK
        ws.evenHeader.center.text = DRAFT_MARK
    ws.cell(1, 1).font = Font(bold=True, size=14)
    tables = grids(r)
    row0 = 2
    for heading in CHAPTERS:
        ws.cell(row0, 1, heading).font = Font(bold=True)
        row0 += 1
        if heading in tables:
            grid = tables[heading]
            for ri, ci, cell in _placed(grid):
                target = ws.cell(row0 + ri, ci + 1)
                target.value = _xlsx_value(cell)
                target.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")
                target.border = border
                if cell.rowspan > 1 or cell.colspan > 1:
                    ws.merge_cells(
                        start_row=row0 + ri,
                        start_column=ci + 1,
                        end_row=row0 + ri + cell.rowspan - 1,
                        end_column=ci + cell.colspan,
                    )
            row0 += len(grid)
        else:
            for para in _chapter_text(r, heading).splitlines():
                if para.strip():
                    ws.cell(row0, 1, para.strip())
                    row0 += 1
    ws.column_dimensions["A"].width = 24
    path = Path(path)
    wb.save(path)
    return path


def _xlsx_value(cell: Cell) -> object:
    if cell.header or cell.number is None:
        return cell.text or None
    if isinstance(cell.number, Decimal):
        return float(cell.number) if cell.number != cell.number.to_integral_value() else int(cell.number)
    return cell.number


def write_html(r: AnnualReport, path: str | os.PathLike[str], *, draft: bool = False) -> Path:
    path = Path(path)
    path.write_text(render_html(r, draft=draft), encoding="utf-8")
    return path


def write_pdf(r: AnnualReport, path: str | os.PathLike[str], *, draft: bool = False) -> Path:
    """PDF by WeasyPrint from the HTML rendering (fonts-noto-cjk); it has a text layer."""
    import weasyprint

    path = Path(path)
    weasyprint.HTML(string=render_html(r, draft=draft)).write_pdf(path)
    return path


def report_bytes(r: AnnualReport, fmt: str, *, draft: bool = False) -> tuple[bytes, str, str]:
    """(content, MIME type, file name) of the report as docx, xlsx, html or pdf: for downloads.

    `draft` (a report that fails its checks) marks every page 草稿 and names the file （草稿）."""
    import tempfile

    suffix = "." + fmt.lower().lstrip(".")
    if suffix not in WRITERS:
        raise ValueError(f"不支持的输出格式「{fmt}」：请用 docx、xlsx、html 或 pdf")
    with tempfile.TemporaryDirectory() as tmp:
        data = WRITERS[suffix](r, Path(tmp) / f"report{suffix}", draft=draft).read_bytes()
    return data, MIME[suffix], f"{title_of(r)}{'（草稿）' if draft else ''}{suffix}"


MIME = {
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".html": "text/html; charset=utf-8",
    ".htm": "text/html; charset=utf-8",
    ".pdf": "application/pdf",
}
WRITERS = {
    ".docx": write_docx,
    ".xlsx": write_xlsx,
    ".html": write_html,
    ".htm": write_html,
    ".pdf": write_pdf,
}


def write_report(r: AnnualReport, path: str | os.PathLike[str]) -> Path:
    """Write by file suffix (.docx, .xlsx, .html); ValueError (Chinese) for another suffix."""
    suffix = Path(path).suffix.lower()
    if suffix not in WRITERS:
        raise ValueError(f"不支持的输出格式「{suffix or '无后缀'}」：请用 .docx、.xlsx、.html 或 .pdf")
    return WRITERS[suffix](r, path)


__all__ = [
    "render_html",
    "report_bytes",
    "write_docx",
    "write_html",
    "write_pdf",
    "write_report",
    "write_xlsx",
]
