"""The demo's annual reports: each unit's 2025 report built from its application ledger (tables 三/四) with
table 二 and the six chapters, written to DOCX and read back through the same upload path a user takes.
Two reports carry the mistakes real reports make, so the checker has something to show: a row whose total
does not add up (市教育局) and a department report published after 31 January without chapter 五 (市财政局)."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from gongkai.annual import AnnualReport
from gongkai.annual.write import report_bytes
from gongkai.web.annual.models import ReportRecord
from gongkai.web.annual.services import save_draft, store_upload

YEAR = 2025


def _chapters(unit_name: str, received: int) -> dict[str, str]:
    return {
        "一、总体情况": f"{YEAR}年，{unit_name}认真贯彻落实《中华人民共和国政府信息公开条例》，全年共收到政府信息公开申请"
        f"{received}件，按时办结，未发生因政府信息公开引发的行政复议被纠错情况。",
        "五、存在的主要问题及改进情况": "政策解读形式还不够丰富，部分栏目更新不够及时。下一步将加强栏目维护，丰富解读形式。",
        "六、其他需要报告的事项": "本年度未收取信息处理费。",
    }


def _table_two(rng: random.Random) -> dict[str, float]:
    made, repealed = rng.randint(0, 3), rng.randint(0, 2)
    valid = rng.randint(5, 30)
    return {
        "regulations.made": 0,
        "regulations.repealed": 0,
        "regulations.valid": 0,
        "normative_documents.made": made,
        "normative_documents.repealed": repealed,
        "normative_documents.valid": valid,
        "licensing.decisions": rng.randint(0, 500),
        "punishment.decisions": rng.randint(0, 80),
        "coercion.decisions": rng.randint(0, 10),
        "fees.amount_wan": 0,
    }


def _as_web_page(report: AnnualReport, published: dt.date, drop_chapter_five: bool) -> bytes:
    """The report as a unit's website publishes it: the written HTML with the page's 发布时间 line on top."""
    html = report_bytes(report, "html")[0].decode("utf-8")
    html = html.replace("<body>", f"<body><p>发布时间：{published:%Y-%m-%d}</p>", 1)
    if drop_chapter_five:
        start = html.index("五、存在的主要问题及改进情况")
        start = html.rindex("<", 0, start)
        html = html[:start] + html[html.index("六、其他需要报告的事项") - 4 :]
    return html.encode("utf-8")


def load_demo(ctx: Any) -> list[str]:
    from gongkai.web.foi.services import tables_for

    if ReportRecord.objects.filter(year=YEAR).exists():
        return ["年报演示数据已存在，直接使用"]
    rng = random.Random(YEAR)
    admin = ctx.users.get("admin")
    stored = 0
    for unit in ctx.units.values():
        tables = tables_for([unit], YEAR)
        tables["t2"] = _table_two(rng)
        received = (tables["t3"].get("new_received") or [0] * 7)[-1] or 0
        chapters = _chapters(unit.name, received)
        level = "government" if unit.group in ("county", "township", "zone") else "department"
        published = dt.date(YEAR + 1, 1, 20) if level == "department" else dt.date(YEAR + 1, 3, 10)
        if unit.short_name == "市财政局":  # late, and chapter 五 forgotten
            published = dt.date(YEAR + 1, 2, 16)
            chapters.pop("五、存在的主要问题及改进情况")
        report = AnnualReport.from_tables(
            tables, unit=unit.name, year=YEAR, chapters=chapters, published=published, level=level
        )
        if unit.short_name == "市教育局":  # a hand-typed total that does not add up
            row = report.t3["granted"]
            row[6] = (row[6] or 0) + 2
        page = _as_web_page(report, published, drop_chapter_five=unit.short_name == "市财政局")
        store_upload(unit, f"{unit.name}{YEAR}年政府信息公开工作年度报告.html", page, admin, year=YEAR)
        stored += 1
    errors = ReportRecord.objects.filter(year=YEAR, errors__gt=0).count()
    lines = [
        f"已由依申请公开台账生成 {stored} 份 {YEAR} 年度政府信息公开工作年度报告并完成校验（{errors} 份有错误：勾稽不符、缺少章节）"
    ]
    return lines + _corrected_draft(ctx)


def _corrected_draft(ctx: Any) -> list[str]:
    """市财政局's liaison has started the corrected report on the build page (编制年报): chapter 五 restored,
    saved as a draft that passes the checks and waits to be archived."""
    from gongkai.web.foi.services import tables_for

    finance = next((u for u in ctx.units.values() if u.short_name == "市财政局"), None)
    if finance is None:
        return []
    tables = tables_for([finance], YEAR)
    tables["t2"] = _table_two(random.Random(f"{YEAR}-draft"))
    received = (tables["t3"].get("new_received") or [0] * 7)[-1] or 0
    save_draft(finance, YEAR, tables, _chapters(finance.name, received), ctx.users.get("caizheng"))
    return [f"{finance.name}联络员已在“编制年报”页起草更正后的 {YEAR} 年度年报（草稿，校验无误后可归档）"]
