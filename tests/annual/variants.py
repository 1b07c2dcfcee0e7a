"""Variant corpus: real reports of shared/corpus in the forms people convert them to, with labelled findings.

    python tests/annual/variants.py           # score every fixture: reports fully right, cells right, per form
    python tests/annual/variants.py --make    # rebuild fixtures/variants/ (needs pdftotext from poppler-utils)

Sources are the corpus' full reports. Converter forms are stored (CI need not have poppler):
`layout` (pdftotext -layout), `plain` (pdftotext), `plumber` (pdfplumber extract_text), `pdfium`
(pypdfium2 text, as a PDF viewer's copy gives it), `pymupdf4llm`
(PDF to Markdown) where it was available when the fixtures were made. Forms built here from the source's
own text and tables: `md` (Markdown pipe tables), `t4split` (表四 as three tables of 5), `renum`
(renumbered and reworded headings), `labels` (2021 label variants: 规范性文件, `1、`, straight quotes, no
规章 row), `flat` (page text with the table cells run together) and `xlsx` (a workbook with only the
three tables).

The expected findings of each fixture are labelled in fixtures/variants/expected.json: the errors and
warnings (rule, where) of the source report as printed (checked by hand against the document), adjusted
for what the form leaves out (a tables-only workbook has no chapters). A `CELL-AMBIGUOUS` warning is
always allowed (it says our extraction could not decide a cell; it is never an error) but the cell it
names counts as not read.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

HERE = Path(__file__).resolve().parent
FIXTURES = HERE / "fixtures" / "variants"
CORPUS = HERE.parents[1] / ".." / "shared" / "corpus" / "annual_reports"
SOURCES = ("haicang-2023.txt", "huaian-hongze-2023.pdf", "huaian-hongze-2024.pdf", "huaian-city-2024.pdf")
NARRATIVE_RULES = ("CH-MISSING", "TEXT-TABLE", "FEE-CH6")
CHAPTER_HEADINGS = (
    "一、总体情况",
    "二、主动公开政府信息情况",
    "三、收到和处理政府信息公开申请情况",
    "四、政府信息公开行政复议、行政诉讼情况",
    "五、存在的主要问题及改进情况",
    "六、其他需要报告的事项",
)


def _stem(source: str) -> str:
    return source.rsplit(".", 1)[0]


# --- renderers ---------------------------------------------------------------------------------------
def _cell(v: object) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def md_tables(report, *, t4split: bool = False, labels: bool = False) -> dict[str, str]:
    """Markdown pipe tables (as PDF-to-Markdown tools print them: merged cells repeated as blanks)."""
    from gongkai.annual.model import T3_GROUP_LABELS, T3_LABELS, T4_FIELD_LABELS, T4_GROUP_LABELS

    t = report.tables()
    t2 = t["t2"]
    norm_label = "规范性文件" if labels else "行政规范性文件"
    rows2 = [
        "| 第二十条第（一）项 | | | |",
        "|---|---|---|---|",
        "| 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |",
    ]
    if not labels:
        rows2.append(
            f"| 规章 | {' | '.join(_cell(t2[f'regulations.{f}']) for f in ('made', 'repealed', 'valid'))} |"
        )
    rows2.append(
        f"| {norm_label} | {' | '.join(_cell(t2[f'normative_documents.{f}']) for f in ('made', 'repealed', 'valid'))} |"
    )
    for block, rows in (("五", ("行政许可",)), ("六", ("行政处罚", "行政强制"))):
        rows2 += [f"| 第二十条第（{block}）项 | | | |", "| 信息内容 | 本年处理决定数量 | | |"]
        key = {"行政许可": "licensing", "行政处罚": "punishment", "行政强制": "coercion"}
        rows2 += [f"| {r} | {_cell(t2[key[r] + '.decisions'])} | | |" for r in rows]
    rows2 += [
        "| 第二十条第（八）项 | | | |",
        "| 信息内容 | 本年收费金额（单位：万元） | | |",
        f"| 行政事业性收费 | {_cell(t2['fees.amount_wan'])} | | |",
    ]
    rows3 = [
        "| （本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和） | | | 申请人情况 | | | | | | |",
        "|---|---|---|---|---|---|---|---|---|---|",
        "| | | | 自然人 | 法人或其他组织 | | | | | 总计 |",
        "| | | | | 商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他 | |",
    ]
    for key, row in t["t3"].items():
        label = T3_LABELS[key]
        if labels:
            label = re.sub(r"^(\d)\.", r"\1、", label).replace("“", '"').replace("”", '"')
        group = T3_GROUP_LABELS.get(key.split(".")[0], "") if "." in key else ""
        cells = " | ".join(_cell(v) for v in row)
        rows3.append(f"| | {group} | {label} | {cells} |")
    t4 = [_cell(v) for v in t["t4"]]
    heads = " | ".join(T4_FIELD_LABELS.values())
    if t4split:
        parts = []
        for g, group in enumerate(T4_GROUP_LABELS.values()):
            parts += [
                f"**{group}**",
                "",
                f"| {heads} |",
                "|---|---|---|---|---|",
                f"| {' | '.join(t4[g * 5 : g * 5 + 5])} |",
                "",
            ]
        table4 = "\n".join(parts)
    else:
        table4 = "\n".join(
            [
                "| 行政复议 | | | | | 行政诉讼 | | | | | | | | | |",
                "|" + "---|" * 15,
                "| | | | | | 未经复议直接起诉 | | | | | 复议后起诉 | | | | |",
                f"| {heads} | {heads} | {heads} |",
                f"| {' | '.join(t4)} |",
            ]
        )
    return {"t2": "\n".join(rows2), "t3": "\n".join(rows3), "t4": table4}


def _heading_text(report, heading: str) -> str:
    return report.chapters.get(heading, "").strip()


def md_report(report, *, t4split: bool = False, labels: bool = False) -> str:
    from gongkai.annual.model import CHAPTERS

    tables = md_tables(report, t4split=t4split, labels=labels)
    out = [f"# {report.unit}{report.year}年政府信息公开工作年度报告", ""]
    for i, heading in enumerate(CHAPTERS):
        out += [f"## {heading}", ""]
        if i in (1, 2, 3):
            out += [tables[("t2", "t3", "t4")[i - 1]], ""]
        else:
            out += [_heading_text(report, heading), ""]
    return "\n".join(out)


RENUMBERED = (
    "第一部分 总体情况",
    "第二部分 主动公开政府信息情况",
    "第三部分 收到和处理政府信息公开申请情况",
    "第四部分 因政府信息公开工作被申请行政复议、提起行政诉讼情况",
    "第五部分 存在的主要问题和改进措施",
    "第六部分 其他事项",
)


def renumbered(text: str) -> str:
    """The source text with its six headings renumbered and reworded (line-start headings only)."""
    from gongkai.annual.parse._meta import CHAPTER_PATTERNS

    pos = 0
    for pat, new in zip(CHAPTER_PATTERNS, RENUMBERED, strict=True):
        m = re.compile(r"(?m)^[ \t\u3000]*(?:" + pat.pattern + ")").search(text, pos)
        if m is None:
            continue
        text = text[: m.start()] + new + text[m.end() :]
        pos = m.start() + len(new)
    return text


def flat(report) -> str:
    """Page text as some sites print it: every table cell run together, tables glued to the text."""
    md = md_report(report)
    lines = []
    for line in md.splitlines():
        if line.startswith("|---"):
            continue
        if line.startswith("|"):
            lines.append("".join(c.strip() for c in line.strip("|").split("|")))
        else:
            lines.append(line.lstrip("# ") + "\n")
    return "".join(lines)


def copied_html(report) -> str:
    """The HTML page copied from a browser: table cells separated by tabs, one table row a line."""
    from lxml import html as lxml_html

    from gongkai.annual.write import render_html

    tree = lxml_html.fromstring(render_html(report))
    lines = []
    for el in tree.body.iter("h1", "h2", "p", "tr"):
        if el.tag == "tr":
            lines.append("\t".join(c.text_content().strip() for c in el.iter("td", "th")))
        else:
            lines.append(el.text_content().strip())
    return "\n".join(lines) + "\n"


def tables_only_xlsx(report, path: Path) -> None:
    import openpyxl

    from gongkai.annual.write import _placed, _xlsx_value, grids

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, grid in zip(("表二", "表三", "表四"), grids(report).values(), strict=True):
        ws = wb.create_sheet(name)
        for ri, ci, cell in _placed(grid):
            ws.cell(ri + 1, ci + 1).value = _xlsx_value(cell)
    wb.save(path)


# Labelled by hand: where a form cannot carry a finding of its source, the right answer is a doubt.
HAND = {
    "huaian-hongze-2023.flat.txt": (
        "T4-SUM",
        "表四的数字在拍平的文字中无法唯一拆分（其本身不相加），T4-SUM 无法证明：应为 CELL-AMBIGUOUS，不是错误",
    ),
    "huaian-hongze-2023.plain.txt": (
        "T4-SUM",
        "pdftotext 把表四最后一个数印在表头「总计」之后，15个数的顺序无法确定（且本表本身不相加），"
        "T4-SUM 无法证明：应为 CELL-AMBIGUOUS",
    ),
}


def _pymupdf4llm(pdf: Path, out: Path) -> None:
    """PDF to Markdown by pymupdf4llm, when installed (fixtures made with pymupdf4llm 0.0.27)."""
    try:
        import pymupdf4llm
    except ImportError:
        return
    out.write_text(pymupdf4llm.to_markdown(str(pdf)), encoding="utf-8")


# --- making the fixtures -------------------------------------------------------------------------------
def _findings(result: dict) -> list[list[str]]:
    return sorted([p["rule"], p["where"]] for p in result["problems"])


def make() -> None:
    from gongkai.annual import check_file, read_report

    FIXTURES.mkdir(parents=True, exist_ok=True)
    expected: dict[str, dict] = {}
    for source in SOURCES:
        path = CORPUS / source
        report = read_report(path)
        truth = check_file(path)
        stem = _stem(source)
        base = {"source": source, "tables": truth["tables"], "findings": _findings(truth)}
        forms: dict[str, str] = {}
        pdf_path = path
        if not source.endswith(".pdf"):  # a text source: print it to PDF as the office would, then convert
            from gongkai.annual.write import write_pdf

            pdf_path = write_pdf(report, FIXTURES / f"{stem}.printed.pdf")
        for form, args in (("layout", ["-layout"]), ("plain", [])):
            out = FIXTURES / f"{stem}.{form}.txt"
            subprocess.run(["pdftotext", *args, str(pdf_path), str(out)], check=True)
            forms[form] = out.name
        import pdfplumber

        with pdfplumber.open(pdf_path) as pdf:
            text = "\n".join(p.extract_text() or "" for p in pdf.pages)
        (FIXTURES / f"{stem}.plumber.txt").write_text(text, encoding="utf-8")
        forms["plumber"] = f"{stem}.plumber.txt"
        from gongkai.annual.parse.pdf import pdf_text

        (FIXTURES / f"{stem}.pdfium.txt").write_text(pdf_text(pdf_path.read_bytes()), encoding="utf-8")
        forms["pdfium"] = f"{stem}.pdfium.txt"
        _pymupdf4llm(pdf_path, FIXTURES / f"{stem}.pymupdf4llm.md")
        if (FIXTURES / f"{stem}.pymupdf4llm.md").exists():
            forms["pymupdf4llm"] = f"{stem}.pymupdf4llm.md"
        if pdf_path != CORPUS / source:
            pdf_path.unlink()  # only its conversions are kept
        for form, text in (
            ("tabs", copied_html(report)),
            ("md", md_report(report)),
            ("t4split", md_report(report, t4split=True)),
            ("labels", md_report(report, labels=True)),
            ("renum", renumbered(report.text)),
            ("flat", flat(report)),
        ):
            (FIXTURES / f"{stem}.{form}.txt").write_text(text, encoding="utf-8")
            forms[form] = f"{stem}.{form}.txt"
        tables_only_xlsx(report, FIXTURES / f"{stem}.tables.xlsx")
        forms["xlsx"] = f"{stem}.tables.xlsx"
        for form, name in forms.items():
            findings = base["findings"]
            tables = json.loads(json.dumps(base["tables"]))
            if form == "xlsx":
                findings = [f for f in findings if f[0] not in NARRATIVE_RULES]
            if form == "labels":  # the 规章 row is left out: its three cells are blank, not errors
                findings = sorted([*findings, ["CELL-BLANK", "t2.regulations"]])
                for fld in ("made", "repealed", "valid"):
                    tables["t2"][f"regulations.{fld}"] = None
            expected[name] = {"source": source, "form": form, "tables": tables, "findings": findings}
            if name in HAND:
                rule, note = HAND[name]
                expected[name]["findings"] = [f for f in findings if f[0] != rule]
                expected[name]["note"] = note
    (FIXTURES / "expected.json").write_text(
        json.dumps(expected, ensure_ascii=False, indent=1, sort_keys=True), encoding="utf-8"
    )


# --- scoring -----------------------------------------------------------------------------------------
def _cells(tables: dict) -> dict[str, object]:
    out: dict[str, object] = {}
    for k, v in tables["t2"].items():
        out[f"t2.{k}"] = None if v is None else Decimal(str(v))
    for k, row in tables["t3"].items():
        for i, v in enumerate(row):
            out[f"t3.{k}.{i}"] = v
    for i, v in enumerate(tables["t4"]):
        out[f"t4.{i}"] = v
    return out


def score_one(name: str, want: dict, result: dict) -> dict:
    """Findings right (errors and warnings as labelled, CELL-AMBIGUOUS allowed) and cells right."""
    got = [f for f in _findings(result) if f[0] != "CELL-AMBIGUOUS"]
    truth, read = _cells(want["tables"]), _cells(result["tables"])
    right = sum(1 for k, v in truth.items() if read.get(k, "absent") == v)
    wrong = sorted(k for k, v in truth.items() if read.get(k) is not None and read.get(k) != v)
    false_errors = [
        f
        for f in got
        if f not in want["findings"]
        and next(p for p in result["problems"] if [p["rule"], p["where"]] == f)["severity"] == "error"
    ]
    return {
        "name": name,
        "form": want["form"],
        "findings_right": got == want["findings"],
        "false_errors": false_errors,
        "missing": [f for f in want["findings"] if f not in got],
        "extra": [f for f in got if f not in want["findings"]],
        "cells": (right, len(truth)),
        "wrong_cells": wrong,  # a number read that is not the printed one (a doubt leaves the cell empty)
    }


def score(paths: dict[str, dict] | None = None) -> list[dict]:
    from gongkai.annual import check_file

    expected = json.loads((FIXTURES / "expected.json").read_text(encoding="utf-8"))
    return [score_one(name, want, check_file(FIXTURES / name)) for name, want in sorted(expected.items())]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--make", action="store_true")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()
    if args.make:
        make()
    report(verbose=args.verbose)
    return 0


def report(verbose: bool = False) -> None:
    """Score every variant against its labels and print the table per form (also from bench/annual_bench.py)."""
    scores = score()
    by_form: dict[str, list[dict]] = defaultdict(list)
    for s in scores:
        by_form[s["form"]].append(s)
        if verbose and not s["findings_right"]:
            print(s["name"], "missing", s["missing"], "extra", s["extra"], file=sys.stderr)
    print(f"{'形式':<10} 报告数 结论全对 有误报错误 单元格正确")
    total = [0, 0, 0, 0, 0]
    for form, items in sorted(by_form.items()):
        ok = sum(s["findings_right"] for s in items)
        fe = sum(bool(s["false_errors"]) for s in items)
        right = sum(s["cells"][0] for s in items)
        cells = sum(s["cells"][1] for s in items)
        total = [total[0] + len(items), total[1] + ok, total[2] + fe, total[3] + right, total[4] + cells]
        print(f"{form:<10} {len(items):>5} {ok:>7} {fe:>9} {right:>6}/{cells} ({right / cells:.1%})")
    print(
        f"{'合计':<10} {total[0]:>5} {total[1]:>7} {total[2]:>9} {total[3]:>6}/{total[4]} ({total[3] / total[4]:.1%})"
    )


if __name__ == "__main__":
    sys.path.insert(0, str(HERE.parents[1] / "src"))
    raise SystemExit(main())
