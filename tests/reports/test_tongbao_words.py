"""The 通报 speaks as an office does: the real check documentation and rule messages in plain words, the
problems grouped by indicator, the ranking sentence naming its rule, rates stored as percentages."""

from __future__ import annotations

import datetime as dt
import io
import re

import docx
import openpyxl

from gongkai.checks import REGISTRY
from gongkai.reports.tongbao import (
    FindingRow,
    GroupRanking,
    ProblemArea,
    RankRow,
    Tongbao,
    build_docx,
    build_html,
    build_xlsx,
    plain_words,
)

INTERNAL = re.compile(r"Luhn|\.yaml|SiteIDCode|SiteName|ArticleTitle|\b[A-Z]\d-[A-Z]+|随机种子")


def notice(basis="综合得分率"):
    docs = {
        check: REGISTRY[check].doc.strip().splitlines()[0]
        for check in ("privacy.bank_card", "column.missing", "site.meta")
    }
    return Tongbao(
        title="关于2026年第一季度网上测评结果的通报",
        issuer="临江市政务公开办公室",
        as_of=dt.date(2026, 3, 30),
        issued=dt.date(2026, 4, 10),
        basis=basis,
        groups=[
            GroupRanking(
                "市直部门",
                (
                    RankRow(1, "市财政局", 80, 80, 100.0),
                    RankRow(2, "市教育局", 90, 100, 90.0, tied=True),
                    RankRow(2, "市民政局", 90, 100, 90.0, tied=True),
                ),
            )
        ],
        problems=[
            ProblemArea("主动公开", docs["privacy.bank_card"], ("市教育局",)),
            ProblemArea("主动公开", docs["column.missing"], ("市民政局", "市教育局")),
            ProblemArea("平台建设", docs["site.meta"], ("市财政局",)),
        ],
        findings=[
            FindingRow("临江市教育局", "市直部门", "依申请公开/年报", "年报勾稽关系", "不通过", "2025年年报",
                       "T3-IDENTITY：申请人列 新收+上年结转=12，办理总计+结转下年=11", "http://jyj.example.gov.cn/")
        ],
    )  # fmt: skip


def test_plain_words_drop_file_names_rule_ids_and_english_terms():
    for check in ("privacy.bank_card", "column.missing", "site.meta"):
        assert not INTERNAL.search(plain_words(REGISTRY[check].doc)), check
    assert plain_words("T3-IDENTITY：申请人列不相等") == "申请人列不相等"


def test_docx_and_pdf_say_the_same_words_grouped_by_indicator():
    tb = notice()
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(build_docx(tb))).paragraphs)
    assert "按综合得分率排序依次为：市财政局、市教育局（并列）、市民政局（并列）。" in text
    assert "（一）主动公开方面，共2类问题：" in text and "（二）平台建设方面：" in text
    assert text.count("主动公开方面") == 1 and not INTERNAL.search(text)
    html = build_html(tb)
    assert "根据年度工作安排" in html and "（一）主动公开方面，共2类问题：" in html
    assert not INTERNAL.search(html)
    by_score = "\n".join(p.text for p in docx.Document(io.BytesIO(build_docx(notice("综合得分")))).paragraphs)
    assert "按综合得分排序依次为" in by_score


def test_xlsx_rates_are_percentages_and_messages_plain():
    book = openpyxl.load_workbook(io.BytesIO(build_xlsx(notice())))
    rate = book["得分排名"].cell(row=2, column=6)
    assert rate.value == 1.0 and rate.number_format == "0.00%"
    message = book["问题明细"].cell(row=2, column=7).value
    assert message.startswith("申请人列") and not INTERNAL.search(message)


def test_pdf_keeps_title_sign_off_and_charts_together():
    import pdfplumber

    from gongkai.reports import charts
    from gongkai.reports.tongbao import build_pdf

    tb = notice()
    tb.title = "关于2026年第四季度政务公开网上测评结果的通报"
    tb.requirements = "\n".join(
        f"第{i}条：请各单位对照问题清单逐项整改，按期报送整改情况和整改链接。" * 3 for i in range(1, 9)
    )
    names, rates = ["市财政局", "市教育局", "市民政局"], [100.0, 90.0, 90.0]
    figures = [
        ("市直部门得分率排名", charts.ranking_bars("市直部门得分率", names, rates)),
        ("得分率分布", charts.score_distribution("各单位得分率分布", rates)),
        ("名次变化", charts.rank_changes("较上一批次名次变化", names, [1, -1, 0])),
        ("乡镇得分率排名", charts.ranking_bars("乡镇得分率", names, rates)),
    ]
    with pdfplumber.open(io.BytesIO(build_pdf(tb, figures))) as pdf:
        pages = [page.extract_text() or "" for page in pdf.pages]
    first = pages[0].splitlines()
    assert "结果的通报" in first and not any(line.strip() == "报" for line in first)
    signed = next(text for text in pages if "2026年4月10日" in text)
    assert "第8条" in signed and "临江市政务公开办公室\n2026年4月10日" in signed  # never alone on a page
    chart_pages = [text for text in pages if "附：测评结果图表" in text]
    assert len(chart_pages) == 1 and all(caption in chart_pages[0] for caption, _png in figures)
