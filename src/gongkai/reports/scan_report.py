"""The human scan report of one site: score, 得分率, per-indicator table, every finding with evidence.

``render_html(result)`` returns a self-contained HTML page (no external assets, offline intranet);
``write_docx(result, path)`` writes the same content as a Word document with clickable evidence links.
"""

from __future__ import annotations

import html
import re
from collections import defaultdict
from pathlib import Path
from typing import TYPE_CHECKING

from gongkai.frameworks.schema import UNIT_GROUP_LABELS
from gongkai.frameworks.score import STATUS_LABELS
from gongkai.model import Finding, Verdict

if TYPE_CHECKING:
    from gongkai.scan import ScanResult

VERDICT_LABELS = {"FAIL": "不合格", "UNCERTAIN": "待核实", "NOT_ASSESSABLE": "无法评估", "PASS": "通过"}
CJK_FONT = "Noto Sans CJK SC"


def _fmt(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}".rstrip("0").rstrip(".")


def summary_rows(result: ScanResult) -> list[tuple[str, str]]:
    s = result.score
    return [
        ("网站", result.site),
        ("单位", result.unit_name or "（未指定）"),
        ("单位类别", UNIT_GROUP_LABELS.get(result.unit_group, result.unit_group)),
        ("数据截止日期", result.as_of.isoformat()),
        ("指标体系", f"{result.framework.name}（{result.framework.id} 版本 {result.framework.version}）"),
        ("得分", f"{_fmt(s.total)} / {_fmt(s.max)}" + (f"（含加分 {_fmt(s.bonus)}）" if s.bonus else "")),
        ("得分率", "未评分（无法访问）" if s.unscored else f"{s.rate * 100:.1f}%"),
        ("等次", "未评分（无法访问）" if s.unscored else s.band + ("（触发单项否决）" if s.veto else "")),
        ("抓取", f"{result.crawl.get('pages', 0)} 个页面，{result.crawl.get('errors', 0)} 个错误"
         + ("，抓取未完成（部分结果）" if result.crawl.get("partial") else "")),
        ("待人工评分", f"{len(result.manual)} 项"),
    ]  # fmt: skip


def problem_findings(result: ScanResult) -> dict[str, list[Finding]]:
    """FAIL and UNCERTAIN findings by framework item, in framework order."""
    by_item: dict[str, list[Finding]] = defaultdict(list)
    seen: set[tuple[str, str, str]] = set()
    for f in result.findings:
        key = (f.item, f.check, f.subject)
        if f.verdict in (Verdict.FAIL, Verdict.UNCERTAIN) and key not in seen:
            seen.add(key)
            by_item[f.item].append(f)
    order = {leaf.path: i for i, leaf in enumerate(result.framework.leaves())}
    return dict(sorted(by_item.items(), key=lambda kv: order.get(kv[0], 1_000_000)))


# ---- HTML ---------------------------------------------------------------------------------------

_CSS = """
body{font-family:"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:2em;color:#222;max-width:1100px}
h1{font-size:1.5em}h2{font-size:1.2em;border-bottom:2px solid #b22;padding-bottom:.2em;margin-top:1.6em}
table{border-collapse:collapse;width:100%;margin:.6em 0}td,th{border:1px solid #ccc;padding:.35em .5em;
vertical-align:top;font-size:.92em}th{background:#f3f3f3;text-align:left}.FAIL{color:#b00}.UNCERTAIN{color:#a60}
.ev{font-size:.85em;color:#555}.num{text-align:right;white-space:nowrap}th,.st{white-space:nowrap}.veto{color:#b00;font-weight:bold}
mark{background:#ffe066;color:#000;padding:0 .1em}
"""

_PHRASE = re.compile(r"^「([^」]{1,40})」")


def highlight(snippet: str, finding: Finding) -> str:
    """The snippet escaped for HTML, with the phrase a wording finding names wrapped in <mark>."""
    phrase = marked_phrase(finding)
    if not phrase or phrase not in snippet:
        return html.escape(snippet)
    marked = f"<mark>{html.escape(phrase)}</mark>"
    return marked.join(html.escape(part) for part in snippet.split(phrase))


def render_html(result: ScanResult) -> str:
    e = html.escape
    s = result.score
    parts = [
        "<!DOCTYPE html><html lang='zh-CN'><head><meta charset='utf-8'>",
        f"<title>网站测评报告 — {e(result.unit_name or result.site)}</title><style>{_CSS}</style></head><body>",
        f"<h1>网站测评报告：{e(result.unit_name or result.site)}</h1>",
        "<h2>一、总体情况</h2><table>",
    ]
    parts += [f"<tr><th>{e(k)}</th><td>{e(v)}</td></tr>" for k, v in summary_rows(result)]
    parts.append("</table>")
    if s.veto:
        parts.append(f"<p class='veto'>触发单项否决：{e('；'.join(s.veto_items))}</p>")
    parts.append(
        "<h2>二、分项得分</h2><table><tr><th>指标</th><th>分值</th><th>得分</th><th>问题数</th><th>评分方式</th></tr>"
    )
    for item in s.items:
        if item.status == "not_applicable":
            continue
        points = (
            "否决项"
            if item.type == "veto"
            else _fmt(item.points) + ("（加分）" if item.type == "bonus" else "")
        )
        got = (
            ("否决" if item.vetoed else "未触发")
            if item.type == "veto" and item.status != "pending"
            else _fmt(item.score)
        )
        parts.append(
            f"<tr><td>{e(item.path)}</td><td class='num'>{e(points)}</td><td class='num'>{e(got)}</td>"
            f"<td class='num'>{item.fails or ''}</td><td class='st'>{e(STATUS_LABELS.get(item.status, item.status))}</td></tr>"
        )
    parts.append("</table><h2>三、发现的问题</h2>")
    problems = problem_findings(result)
    if not problems:
        parts.append("<p>自动检查未发现问题。</p>")
    for path, findings in problems.items():
        parts.append(
            f"<h3>{e(path or '（未归入指标）')}</h3><table><tr><th>结论</th><th>问题</th><th>证据</th></tr>"
        )
        for f in findings:
            evidence = "<br>".join(
                f"<a href='{e(ev.url)}'>{e(ev.url)}</a><br><span class='ev'>{highlight(ev.snippet, f)}"
                + (f"（归档记录 {e(ev.record)}）" if ev.record else "")
                + "</span>"
                for ev in f.evidence
            )
            parts.append(
                f"<tr><td class='{f.verdict.value}'>{VERDICT_LABELS[f.verdict.value]}</td>"
                f"<td>{e(f.message)}<br><span class='ev'>{e(f.check)}</span></td><td>{evidence}</td></tr>"
            )
        parts.append("</table>")
    parts.append("<h2>四、待人工评分事项</h2>")
    if not result.manual:
        parts.append("<p>无。</p>")
    else:
        parts.append("<table><tr><th>指标</th><th>分值</th><th>评分要点</th><th>查看页面</th></tr>")
        for m in result.manual:
            pages = "<br>".join(f"<a href='{e(u)}'>{e(u)}</a>" for u in m.pages)
            parts.append(
                f"<tr><td>{e(m.path)}</td><td class='num'>{_fmt(m.points)}</td><td>{e(m.what)}</td><td>{pages}</td></tr>"
            )
        parts.append("</table>")
    parts.append("</body></html>")
    return "".join(parts)


def write_html(result: ScanResult, path: Path) -> Path:
    path = Path(path)
    path.write_text(render_html(result), encoding="utf-8")
    return path


# ---- DOCX ---------------------------------------------------------------------------------------


def _font(run: object, size: float | None = None, bold: bool = False) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt

    run.font.name = CJK_FONT  # type: ignore[attr-defined]
    run._element.rPr.rFonts.set(qn("w:eastAsia"), CJK_FONT)  # type: ignore[attr-defined]
    if size:
        run.font.size = Pt(size)  # type: ignore[attr-defined]
    run.bold = bold  # type: ignore[attr-defined]


def _hyperlink(paragraph: object, url: str, text: str) -> None:
    """A clickable link (python-docx has no public API for hyperlinks)."""
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    part = paragraph.part  # type: ignore[attr-defined]
    rel = part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), rel)
    run = OxmlElement("w:r")
    props = OxmlElement("w:rPr")
    color = OxmlElement("w:color")
    color.set(qn("w:val"), "0563C1")
    underline = OxmlElement("w:u")
    underline.set(qn("w:val"), "single")
    props.extend([color, underline])
    run.append(props)
    node = OxmlElement("w:t")
    node.text = text
    run.append(node)
    link.append(run)
    paragraph._p.append(link)  # type: ignore[attr-defined]


def marked_phrase(finding: Finding) -> str:
    """The phrase a wording finding names (「…」 at the start of its message), '' for other checks."""
    match = _PHRASE.match(finding.message) if finding.check.startswith("wording.") else None
    return match.group(1) if match else ""


def _docx_snippet(paragraph: object, snippet: str, finding: Finding) -> None:
    """The snippet as runs, the wording finding's phrase highlighted in yellow."""
    from docx.enum.text import WD_COLOR_INDEX

    phrase = marked_phrase(finding)
    parts = snippet.split(phrase) if phrase else [snippet]
    for n, part in enumerate(parts):
        if n:
            run = paragraph.add_run(phrase)  # type: ignore[attr-defined]
            _font(run, 8.5, bold=True)
            run.font.highlight_color = WD_COLOR_INDEX.YELLOW
        if part:
            _font(paragraph.add_run(part), 8.5)  # type: ignore[attr-defined]


def _table(doc: object, header: list[str]) -> object:
    table = doc.add_table(rows=1, cols=len(header))  # type: ignore[attr-defined]
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        _font(cell.paragraphs[0].add_run(text), 10, bold=True)
    return table


def _cell(cell: object, text: str, size: float = 9.5) -> object:
    paragraph = cell.paragraphs[0]  # type: ignore[attr-defined]
    _font(paragraph.add_run(text), size)
    return paragraph


def write_docx(result: ScanResult, path: Path) -> Path:
    from docx import Document

    doc = Document()
    heading = doc.add_heading(level=0)
    _font(heading.add_run(f"网站测评报告：{result.unit_name or result.site}"), 18, bold=True)

    def section(title: str) -> None:
        _font(doc.add_heading(level=1).add_run(title), 14, bold=True)

    section("一、总体情况")
    table = _table(doc, ["项目", "内容"])
    for key, value in summary_rows(result):
        row = table.add_row().cells
        _cell(row[0], key)
        _cell(row[1], value)
    section("二、分项得分")
    table = _table(doc, ["指标", "分值", "得分", "问题数", "评分方式"])
    for item in result.score.items:
        if item.status == "not_applicable":
            continue
        row = table.add_row().cells
        _cell(row[0], item.path)
        _cell(row[1], "否决项" if item.type == "veto" else _fmt(item.points))
        veto = "否决" if item.vetoed else "未触发"
        _cell(row[2], veto if item.type == "veto" and item.status != "pending" else _fmt(item.score))
        _cell(row[3], str(item.fails or ""))
        _cell(row[4], STATUS_LABELS.get(item.status, item.status))
    section("三、发现的问题")
    problems = problem_findings(result)
    if not problems:
        _font(doc.add_paragraph().add_run("自动检查未发现问题。"))
    for item_path, findings in problems.items():
        _font(doc.add_heading(level=2).add_run(item_path or "（未归入指标）"), 12, bold=True)
        table = _table(doc, ["结论", "问题", "证据"])
        for f in findings:
            row = table.add_row().cells
            _cell(row[0], VERDICT_LABELS[f.verdict.value])
            _cell(row[1], f"{f.message}（{f.check}）")
            for n, ev in enumerate(f.evidence):
                paragraph = row[2].paragraphs[0] if n == 0 else row[2].add_paragraph()
                _hyperlink(paragraph, ev.url, ev.url)
                if ev.snippet:
                    _docx_snippet(row[2].add_paragraph(), ev.snippet, f)
    section("四、待人工评分事项")
    if not result.manual:
        _font(doc.add_paragraph().add_run("无。"))
    else:
        table = _table(doc, ["指标", "分值", "评分要点", "查看页面"])
        for m in result.manual:
            row = table.add_row().cells
            _cell(row[0], m.path)
            _cell(row[1], _fmt(m.points))
            _cell(row[2], m.what)
            for n, url in enumerate(m.pages):
                _hyperlink(row[3].paragraphs[0] if n == 0 else row[3].add_paragraph(), url, url)
    path = Path(path)
    doc.save(str(path))
    return path
