"""The 六安 通报's checks: misfiled documents, periodic publication, classification navigation.

Source of the rules: corpus/notices/luan-2018q1-wangshang-ceping-tongbao.txt. Each test builds the
clean 翔安 site (builders.py) and injects one defect, or a decoy that must not FAIL.
"""

from __future__ import annotations

import dataclasses
import io
from pathlib import Path

from builders import AS_OF, NORMATIVE, ROOT, ZL, add_document, clean_site, column, d, page
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from gongkai.checks import run_check, run_checks
from gongkai.crawl import extract_archive
from gongkai.frameworks.schema import load_framework
from gongkai.model import Attachment, Column, Document, Item, Link, SiteModel, Verdict


def verdicts(findings) -> list[Verdict]:
    return [f.verdict for f in findings]


def fails(findings):
    return [f for f in findings if f.verdict is Verdict.FAIL]


def with_columns(site: SiteModel, *extra: Column) -> SiteModel:
    pages = tuple(page(c.url, "list", text=c.name + " 列表") for c in extra)
    return dataclasses.replace(site, columns=(*site.columns, *extra), pages=(*site.pages, *pages))


# ---- document.misfiled: 规范性文件 vs 其他文件 -----------------------------------------------------

OTHER = ZL + "qtwj/"


def ordinary(n: int, validity: str = "") -> Document:
    """An ordinary 其他文件 (a 通知 with a 发〔〕 number) listed in the 其他文件 column."""
    return Document(
        url=OTHER + f"202602/t2026020{n}_{n}.html",
        title=f"厦门市翔安区人民政府关于做好第{n}批春季植树工作的通知",
        index_number=f"003226988/202602-0003{n}",
        publisher="厦门市翔安区人民政府",
        created=d(f"2026-02-0{n}"),
        published=d(f"2026-02-0{n}"),
        doc_number=f"厦翔政发〔2026〕{n}号",
        validity=validity,
        category="通知",
        column_url=OTHER,
    )


def other_files_site(validity: str = "") -> SiteModel:
    """The clean site with an 其他文件 column holding two ordinary files."""
    docs = [ordinary(1, validity), ordinary(2, validity)]
    items = tuple(Item(x.title, x.url, x.published, OTHER) for x in docs)
    site = with_columns(
        clean_site(), Column("其他文件", OTHER, "policy", items=items, in_zhuanlan=True, pages=1)
    )
    for x in docs:
        site = add_document(site, x)
    return site


def filed(doc: Document, column_url: str, site: SiteModel | None = None) -> SiteModel:
    """``site`` (clean by default, with an 其他文件 column) with ``doc`` listed in the column at ``column_url``."""
    site = site or other_files_site()
    doc = dataclasses.replace(doc, column_url=column_url)
    columns = tuple(
        dataclasses.replace(c, items=(*c.items, Item(doc.title, doc.url, doc.published, c.url)))
        if c.url == column_url
        else c
        for c in site.columns
    )
    return add_document(dataclasses.replace(site, columns=columns), doc)


NORMATIVE_ELSEWHERE = dataclasses.replace(
    NORMATIVE,
    url=ZL + "qtwj/202603/t20260310_9.html",
    title="厦门市翔安区人民政府关于印发《翔安区农村集体资产管理办法》的通知",
    doc_number="厦翔政规〔2026〕2号",
    validity="有效",
    category="规范性文件",
    related=(),
)
OTHER_DOC = Document(
    url=ZL + "gfxwj/202603/t20260312_8.html",
    title="厦门市翔安区人民政府关于同意新店镇调整村民小组的批复",
    index_number="003226988/202603-00020",
    publisher="厦门市翔安区人民政府",
    created=d("2026-03-11"),
    published=d("2026-03-12"),
    doc_number="厦翔政函〔2026〕15号",
    body="新店镇人民政府：你镇《关于调整村民小组的请示》收悉。经研究，同意……",
    record="<urn:uuid:other>",
)


def test_a_normative_document_correctly_in_its_column_passes():
    findings = run_check("document.misfiled", clean_site(), AS_OF)
    assert verdicts(findings) == [Verdict.PASS]


def test_a_normative_document_in_the_other_files_column_fails_with_its_evidence():
    findings = run_check("document.misfiled", filed(NORMATIVE_ELSEWHERE, OTHER), AS_OF)
    [failure] = fails(findings)
    assert failure.subject == NORMATIVE_ELSEWHERE.url
    assert "厦翔政规〔2026〕2号" in failure.message and "规范性文件" in failure.message
    assert [e.url for e in failure.evidence] == [NORMATIVE_ELSEWHERE.url, OTHER]


def test_a_letter_in_the_normative_column_fails():
    findings = run_check("document.misfiled", filed(OTHER_DOC, ZL + "gfxwj/"), AS_OF)
    [failure] = fails(findings)
    assert "厦翔政函〔2026〕15号" in failure.message and "其他文件" in failure.message


def test_signals_that_disagree_are_uncertain():
    # the 信息分类 field says 规范性文件 while the 文号 is a 函
    doc = dataclasses.replace(OTHER_DOC, category="规范性文件")
    findings = run_check("document.misfiled", filed(doc, ZL + "gfxwj/"), AS_OF)
    assert verdicts(findings) == [Verdict.UNCERTAIN]
    assert "依据不一致" in findings[0].message


def test_one_weak_signal_is_not_enough():
    # only the title's 办法 says 规范性文件: no 文号 form, no category, no validity marking
    doc = dataclasses.replace(NORMATIVE_ELSEWHERE, doc_number="", validity="", category="")
    assert fails(run_check("document.misfiled", filed(doc, OTHER), AS_OF)) == []


def test_two_weak_signals_that_agree_fail():
    doc = dataclasses.replace(NORMATIVE_ELSEWHERE, doc_number="", category="")
    [failure] = fails(run_check("document.misfiled", filed(doc, OTHER), AS_OF))
    assert "办法" in failure.message and "有效性" in failure.message


def test_a_validity_marking_says_nothing_where_every_file_carries_one():
    doc = dataclasses.replace(NORMATIVE_ELSEWHERE, doc_number="", category="")
    site = filed(doc, OTHER, other_files_site(validity="有效"))
    assert fails(run_check("document.misfiled", site, AS_OF)) == []


def test_a_general_files_column_may_hold_normative_documents_when_the_site_has_no_normative_column():
    site = clean_site()
    site = dataclasses.replace(site, columns=tuple(c for c in site.columns if c.kind != "normative"))
    site = with_columns(site, Column("政府文件", ZL + "zfwj/", "policy", in_zhuanlan=True, pages=1))
    findings = run_check("document.misfiled", filed(NORMATIVE_ELSEWHERE, ZL + "zfwj/", site), AS_OF)
    assert fails(findings) == []


# ---- document.misfiled: kinds of meeting ------------------------------------------------------


def meeting_site(rows: dict[str, list[str]]) -> SiteModel:
    """The clean site with one column per kind of meeting, holding the given titles."""
    extra = []
    for name, titles in rows.items():
        url = ZL + f"hy{len(extra)}/"
        items = tuple(
            Item(t, f"{url}t{i}.html", d("2026-03-0" + str(i + 1)), url) for i, t in enumerate(titles)
        )
        extra.append(Column(name, url, "meeting", items=items, pages=1, in_zhuanlan=True))
    return with_columns(clean_site(), *extra)


def test_a_meeting_record_in_another_kinds_column_fails():
    site = meeting_site(
        {
            "常务会议": ["翔安区人民政府第12次常务会议纪要", "翔安区政府专题会议纪要（2026年第3期）"],
            "全体会议": ["翔安区人民政府第三次全体会议召开", "传达学习国务院常务会议精神"],
            "其他会议": ["翔安区防汛工作部署会", "区政府第13次常务会议研究部署春耕生产"],
        }
    )
    findings = fails(run_check("document.misfiled", site, AS_OF))
    assert sorted(f.message for f in findings) == sorted(
        [
            "会议信息混放：「翔安区政府专题会议纪要（2026年第3期）」标题表明是专题会议，却放在常务会议栏目「常务会议」",
            "会议信息混放：「区政府第13次常务会议研究部署春耕生产」标题表明是常务会议，却放在其他会议栏目「其他会议」",
        ]
    )


# ---- column.periodic -------------------------------------------------------------------------

MONTHLY = {"name": "为民服务事项办理结果", "names": ["为民服务事项办理结果"], "period": "monthly"}
QUARTERLY = {
    "name": "财政专项资金",
    "names": ["财政专项资金", "专项资金"],
    "period": "quarterly",
    "due_days": 15,
}


def periodic(site: SiteModel, spec: dict, window: str = "3m"):
    return run_check("column.periodic", site, AS_OF, {"columns": [spec], "window": window})


def test_every_month_published_passes():
    site = with_columns(
        clean_site(),
        column("为民服务事项办理结果", "wmfw", "other", ["2026-03-05", "2026-02-06", "2026-01-08"]),
    )
    assert verdicts(periodic(site, MONTHLY)) == [Verdict.PASS]


def test_a_month_with_nothing_dated_fails():
    site = with_columns(
        clean_site(), column("为民服务事项办理结果", "wmfw", "other", ["2026-03-05", "2026-01-08"])
    )
    [failure] = fails(periodic(site, MONTHLY))
    assert "2026年2月没有任何信息" in failure.message
    assert failure.evidence[0].url == ZL + "wmfw/"


def test_a_quiet_month_explained_on_the_page_is_not_a_fail():
    col = column("为民服务事项办理结果", "wmfw", "other", ["2026-03-05", "2026-01-08"])
    site = with_columns(clean_site(), col)
    text = "为民服务事项办理结果 列表 2026年2月无为民服务事项办理结果（春节假期，无群众申请事项）"
    site = dataclasses.replace(
        site, pages=tuple(dataclasses.replace(p, text=text) if p.url == col.url else p for p in site.pages)
    )
    findings = periodic(site, MONTHLY)
    assert verdicts(findings) == [Verdict.UNCERTAIN]
    assert "2026年2月无为民服务事项办理结果" in findings[0].message


def test_a_note_about_another_month_explains_nothing():
    col = column("为民服务事项办理结果", "wmfw", "other", ["2026-03-05", "2026-01-08"])
    site = with_columns(clean_site(), col)
    text = "为民服务事项办理结果 列表 2025年12月无为民服务事项办理结果"
    site = dataclasses.replace(
        site, pages=tuple(dataclasses.replace(p, text=text) if p.url == col.url else p for p in site.pages)
    )
    [failure] = fails(periodic(site, MONTHLY))
    assert "2026年2月没有任何信息" in failure.message


def test_a_generic_quiet_note_on_the_column_page_makes_gaps_uncertain():
    col = column("为民服务事项办理结果", "wmfw", "other", ["2026-03-05", "2026-01-08"])
    site = with_columns(clean_site(), col)
    text = "为民服务事项办理结果 列表 说明：无办理结果的月份暂无信息发布"
    site = dataclasses.replace(
        site, pages=tuple(dataclasses.replace(p, text=text) if p.url == col.url else p for p in site.pages)
    )
    assert verdicts(periodic(site, MONTHLY)) == [Verdict.UNCERTAIN]


def test_a_month_is_judged_only_after_its_grace_days():
    # nothing in March; on 5 April it is judged without grace, not with 10 days of grace
    col = column("为民服务事项办理结果", "wmfw", "other", ["2026-02-05", "2026-01-08"])
    site = with_columns(clean_site(), col)
    when = d("2026-04-05")
    strict = run_check("column.periodic", site, when, {"columns": [MONTHLY], "window": "3m"})
    graced = run_check(
        "column.periodic", site, when, {"columns": [dict(MONTHLY, due_days=10)], "window": "3m"}
    )
    assert ["2026年3月" in f.message for f in fails(strict)] == [True]
    assert verdicts(graced) == [Verdict.PASS]


def test_a_quarter_without_special_funds_news_fails_after_its_due_days():
    col = column("财政专项资金", "czzxzj", "budget", ["2025-05-20", "2025-04-10"])
    findings = periodic(with_columns(clean_site(), col), QUARTERLY, window="1y")
    assert sorted(f.message.split("（")[0] for f in fails(findings)) == ["未按期公开：「财政专项资金」"] * 2
    labels = sorted(f.message for f in fails(findings))
    assert "2025年第三季度" in labels[0] + labels[1] and "2025年第四季度" in labels[0] + labels[1]


def test_a_yearly_item_is_judged_from_its_due_date():
    col = column("年度工作要点", "gzyd", "plan", ["2025-03-10"])
    spec = {"name": "年度工作要点", "names": ["年度工作要点"], "period": "yearly", "due_date": "03-31"}
    assert verdicts(periodic(with_columns(clean_site(), col), spec, window="1y")) == [Verdict.PASS]
    later = dataclasses.replace(clean_site(), as_of=d("2026-04-30"))
    findings = run_check(
        "column.periodic", with_columns(later, col), d("2026-04-30"), {"columns": [spec], "window": "1y"}
    )
    [failure] = fails(findings)
    assert "2026年没有任何信息" in failure.message


def test_a_long_list_older_periods_are_uncertain_when_its_tail_was_not_read():
    dates = [f"2026-03-{i:02d}" for i in range(1, 21)]
    site = with_columns(clean_site(), column("为民服务事项办理结果", "wmfw", "other", dates))
    findings = periodic(site, MONTHLY)
    assert fails(findings) == []
    assert "可能未读完" in findings[0].message


def test_a_periodic_fail_is_uncertain_when_the_crawl_was_cut_short():
    site = with_columns(
        clean_site(), column("为民服务事项办理结果", "wmfw", "other", ["2026-03-05", "2026-01-08"])
    )
    framework = load_framework("luan-quarterly")
    full = [
        f for f in run_checks(site, framework, AS_OF, unit_group="township") if f.check == "column.periodic"
    ]
    assert Verdict.FAIL in verdicts(full)
    cut = dataclasses.replace(site, partial=True)
    partial = [
        f for f in run_checks(cut, framework, AS_OF, unit_group="township") if f.check == "column.periodic"
    ]
    assert Verdict.FAIL not in verdicts(partial) and Verdict.UNCERTAIN in verdicts(partial)


# ---- catalogue.classification ----------------------------------------------------------------

BOTH = {"classifications": ["主题分类", "体裁分类"]}


def test_no_classification_navigation_fails_for_each_facet():
    findings = run_check("catalogue.classification", clean_site(), AS_OF, BOTH)
    assert [f.subject for f in fails(findings)] == ["主题分类", "体裁分类"]
    assert all(f.evidence[0].url == ZL for f in findings)


def test_navigation_links_and_columns_count():
    site = clean_site()
    site = dataclasses.replace(
        site,
        links=(*site.links, Link(ZL + "ztfl/", "主题分类", ZL, 200)),
        columns=(*site.columns, Column("按体裁分类", ZL + "tcfl/", "other", in_zhuanlan=True)),
    )
    assert verdicts(run_check("catalogue.classification", site, AS_OF, BOTH)) == [Verdict.PASS]


def test_a_catalogue_page_naming_the_facets_counts():
    site = clean_site()
    text = "政府信息公开目录 主题分类 综合政务 国民经济管理 体裁分类 通知 公告 组配分类"
    pages = tuple(dataclasses.replace(p, text=text) if p.url == ZL else p for p in site.pages)
    params = {"classifications": ["主题分类", "体裁分类", "组配分类"]}
    findings = run_check("catalogue.classification", dataclasses.replace(site, pages=pages), AS_OF, params)
    assert verdicts(findings) == [Verdict.PASS]


def test_a_scripted_catalogue_makes_an_absence_uncertain():
    site = clean_site()
    site = dataclasses.replace(
        site,
        columns=(
            *site.columns,
            Column("信息公开目录", ZL + "ml/", "statutory", in_zhuanlan=True, needs_render=True),
        ),
    )
    findings = run_check("catalogue.classification", site, AS_OF, BOTH)
    assert verdicts(findings) == [Verdict.UNCERTAIN, Verdict.UNCERTAIN]


def test_without_a_zhuanlan_the_check_cannot_tell():
    site = dataclasses.replace(clean_site(), zhuanlan_url="")
    site = dataclasses.replace(site, pages=tuple(p for p in site.pages if p.url != ZL))
    findings = run_check("catalogue.classification", site, AS_OF, BOTH)
    assert verdicts(findings) == [Verdict.UNCERTAIN]
    assert findings[0].subject == ROOT


# ---- consultation.feedback: elements mode ----------------------------------------------------

ELEMENTS = {"mode": "elements"}
# The form of a real feedback table (金寨县 乡镇政务公开专区 意见征集结果, ahjinzhai.gov.cn/public/6597121/36034332.html,
# 2022): a count, then one row per opinion under 序号/反馈人/意见内容/是否采纳/采纳理由 (rows shortened, names masked).
JINZHAI_TABLE = (
    "截止2022年9月7日，共征集意见3条，采纳2条，未采纳1条。结果如下：\n"
    "序号 | 反馈人 | 意见内容 | 是否采纳 | 采纳理由 |\n"
    "1 | 朱** | 空间狭小，建议更换场所改建 | 否 | 专区设在服务大厅内方便群众办事，易地建设会让群众多跑路 |\n"
    "2 | 河西村 | 体现中药材、茶叶等地方特色 | 是 | 符合设计要求，能更好发挥功能定位 |"
)
PER_ITEM = (
    "一、意见提出人：张**。具体意见：建议明确犬只登记的办理地点。采纳情况：已采纳。理由：已在第八条补充。"
    "二、意见提出单位：区市场监管局。具体意见：删去第十二条罚款幅度。采纳情况：不予采纳。理由：与上位法一致，予以保留。"
)


def feedback_site(body: str, **changes) -> SiteModel:
    site = clean_site()
    docs = tuple(
        dataclasses.replace(x, body=body, **changes) if x.title.endswith("采纳情况的说明") else x
        for x in site.documents
    )
    return dataclasses.replace(site, documents=docs)


def test_presence_mode_accepts_a_summary_count():
    assert verdicts(run_check("consultation.feedback", clean_site(), AS_OF)) == [Verdict.PASS]


def test_elements_mode_fails_a_summary_count_alone():
    findings = run_check("consultation.feedback", clean_site(), AS_OF, ELEMENTS)
    [failure] = fails(findings)
    assert "只概述结果" in failure.message
    assert "意见提出单位（人）" in failure.message and "采纳或不予采纳的理由" in failure.message
    assert failure.evidence[0].url.endswith("t20260210_4.html")


def test_elements_mode_accepts_a_real_feedback_table():
    findings = run_check("consultation.feedback", feedback_site(JINZHAI_TABLE), AS_OF, ELEMENTS)
    assert verdicts(findings) == [Verdict.PASS]


def test_elements_mode_accepts_per_item_paragraphs():
    findings = run_check("consultation.feedback", feedback_site(PER_ITEM), AS_OF, ELEMENTS)
    assert verdicts(findings) == [Verdict.PASS]


def test_no_opinion_received_is_uncertain_not_fail():
    findings = run_check(
        "consultation.feedback", feedback_site("征求意见期间，未收到任何修改意见。"), AS_OF, ELEMENTS
    )
    assert verdicts(findings) == [Verdict.UNCERTAIN]


def test_a_table_in_an_unread_attachment_is_uncertain():
    att = Attachment(ZL + "yjzj/fk.xlsx", "意见采纳情况表.xlsx", "xlsx", 200)
    findings = run_check(
        "consultation.feedback", feedback_site("意见采纳情况详见附件。", attachments=(att,)), AS_OF, ELEMENTS
    )
    assert verdicts(findings) == [Verdict.UNCERTAIN]


# ---- meta.missing: fields per document class, Word and PDF downloads -------------------------

LUAN_NORMATIVE = {
    "class_fields": {
        "normative": [
            "doc_number",
            "created",
            "published",
            "validity",
            "keywords",
            "publisher",
            "category",
            "index_number",
            "subject",
        ]
    },
    "downloads": ["doc", "pdf"],
}
DOWNLOADS = (
    Attachment(ZL + "gfxwj/202603/a.docx", "翔安区被征地人员养老保险实施办法.docx", "docx", 200),
    Attachment(ZL + "gfxwj/202603/a.pdf", "翔安区被征地人员养老保险实施办法.pdf", "pdf", 200),
)


def normative_site(**changes) -> SiteModel:
    site = clean_site()
    docs = tuple(dataclasses.replace(x, **changes) if x.url == NORMATIVE.url else x for x in site.documents)
    return dataclasses.replace(site, documents=docs)


def test_the_luan_normative_rule_asks_for_keywords_subject_and_downloads():
    findings = fails(run_check("meta.missing", clean_site(), AS_OF, LUAN_NORMATIVE))
    assert [f.subject for f in findings] == [NORMATIVE.url]
    assert findings[0].message.endswith("缺少主题词、主题分类、Word版下载、PDF版下载")


def test_a_complete_normative_page_passes_the_luan_rule():
    site = normative_site(
        keywords="养老保险 征地",
        metadata={"主题分类": "劳动、人事、监察/社会保障"},
        attachments=DOWNLOADS,
    )
    assert verdicts(run_check("meta.missing", site, AS_OF, LUAN_NORMATIVE)) == [Verdict.PASS]


def test_only_a_word_download_misses_the_pdf():
    site = normative_site(keywords="养老保险", metadata={"主题分类": "社会保障"}, attachments=DOWNLOADS[:1])
    [failure] = fails(run_check("meta.missing", site, AS_OF, LUAN_NORMATIVE))
    assert failure.message.endswith("缺少PDF版下载")


def test_other_classes_keep_the_general_fields():
    # the class list names only 规范性文件: the 解读, 征求意见 and guide pages keep fields + document_fields
    findings = run_check(
        "meta.missing",
        normative_site(keywords="k", metadata={"主题分类": "s"}, attachments=DOWNLOADS),
        AS_OF,
        LUAN_NORMATIVE,
    )
    assert fails(findings) == []


# ---- a real 规范性文件 page (平潭, tests/fixtures/real_pages): its own evidence, read by the crawler ----

PINGTAN = Path(__file__).resolve().parents[1] / "fixtures" / "real_pages" / "fujian-pingtan"
PT_ROOT = "https://www.pingtan.gov.cn/"
PT_URL = PT_ROOT + "zwgk/zfxxgk/gwhwj/hzgfxwj/202607/t20260703_107686.htm"
PT_NORMATIVE = PT_ROOT + "zwgk/zfxxgk/gwhwj/hzgfxwj/"
PT_OTHER = PT_ROOT + "zwgk/zfxxgk/gwhwj/qtwj/"


def pingtan_site(tmp_path: Path, column_url: str) -> SiteModel:
    """The real 平潭 page (岚政综〔2026〕14号, 有效, PDF original only) archived and read back, listed in
    the column at ``column_url`` beside an empty 行政规范性文件 or 其他文件 column."""
    path = tmp_path / "pingtan.warc.gz"
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        headers = StatusAndHeaders(
            "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
        )
        body = (PINGTAN / "pingtan-gfxwj-gangzhang-107686-2026.html").read_bytes()
        writer.write_record(
            writer.create_warc_record(PT_URL, "response", payload=io.BytesIO(body), http_headers=headers)
        )
    model = extract_archive(path, PT_ROOT)
    [doc] = model.documents
    item = Item(doc.title, doc.url, doc.published, column_url)
    columns = tuple(
        Column(name, url, kind, items=(item,) if url == column_url else (), in_zhuanlan=True, pages=1)
        for name, url, kind in (
            ("行政规范性文件", PT_NORMATIVE, "normative"),
            ("其他文件", PT_OTHER, "policy"),
        )
    )
    doc = dataclasses.replace(doc, column_url=column_url)
    return dataclasses.replace(
        model, columns=columns, documents=(doc,), zhuanlan_url=PT_ROOT + "zwgk/zfxxgk/"
    )


def test_the_real_normative_page_in_its_column_is_not_misfiled(tmp_path):
    findings = run_check("document.misfiled", pingtan_site(tmp_path, PT_NORMATIVE), d("2026-07-31"))
    assert verdicts(findings) == [Verdict.PASS]


def test_the_real_normative_page_elsewhere_is_not_accused_on_its_validity_mark_alone(tmp_path):
    # 岚政综〔2026〕14号 has no 规 form, the title no normative word, 主题分类 is 无: only 有效 speaks
    findings = run_check("document.misfiled", pingtan_site(tmp_path, PT_OTHER), d("2026-07-31"))
    assert fails(findings) == []


def test_the_real_normative_page_lacks_keywords_and_the_word_download_under_the_luan_rule(tmp_path):
    findings = run_check(
        "meta.missing", pingtan_site(tmp_path, PT_NORMATIVE), d("2026-07-31"), LUAN_NORMATIVE
    )
    [failure] = fails(findings)
    assert failure.message.endswith("缺少主题词、Word版下载")
    assert failure.evidence[0].url == PT_URL and failure.evidence[0].record


def test_the_columns_of_one_item_are_judged_together():
    # 财政专项资金 published in two sub-columns that take turns: every quarter has something
    allocation = column("专项资金分配结果", "zxzjfp", "budget", ["2025-11-20", "2025-05-20"])
    register = column("专项资金清册", "zxzjqc", "budget", ["2025-08-20"])
    site = with_columns(clean_site(), allocation, register)
    findings = periodic(site, QUARTERLY, window="1y")
    assert verdicts(findings) == [Verdict.PASS]
    thin = with_columns(clean_site(), allocation)
    [failure] = fails(periodic(thin, QUARTERLY, window="1y"))
    assert failure.subject == "财政专项资金" and "2025年第三季度" in failure.message


def test_a_classification_absence_is_uncertain_when_the_crawl_was_cut_short():
    framework = load_framework("luan-quarterly")
    full = [f for f in run_checks(clean_site(), framework, AS_OF) if f.check == "catalogue.classification"]
    assert verdicts(full) == [Verdict.FAIL, Verdict.FAIL]
    cut = dataclasses.replace(clean_site(), partial=True)
    partial = [f for f in run_checks(cut, framework, AS_OF) if f.check == "catalogue.classification"]
    assert verdicts(partial) == [Verdict.UNCERTAIN, Verdict.UNCERTAIN]
    assert "需人工核实" in partial[0].message


def test_a_framework_naming_an_unknown_classification_is_refused(tmp_path):
    from gongkai.checks import get_check

    problems = get_check("catalogue.classification").validate({"classifications": ["颜色分类"]})
    assert problems == ["未知的分类：颜色分类（可用：主题分类、体裁分类、组配分类、服务对象分类、机构分类）"]
    bad = tmp_path / "classes.yaml"
    bad.write_text("version: '1'\nclasses: {}\nmeetings: {}\n", encoding="utf-8")
    assert get_check("document.misfiled").validate({"classes": str(bad)})


def test_the_category_field_alone_is_uncertain():
    # the site's own 信息分类 says 规范性文件, nothing else does
    doc = dataclasses.replace(
        NORMATIVE_ELSEWHERE, doc_number="", validity="", title="关于加强耕地保护工作的通知"
    )
    findings = run_check("document.misfiled", filed(doc, OTHER), AS_OF)
    assert verdicts(findings) == [Verdict.UNCERTAIN]
    assert "只有这一项依据" in findings[0].message
