"""SiteModel builders for check tests: a clean, realistic 区人民政府 site and targeted defects.

``clean_site()`` has no defect any check should report as of ``AS_OF``; each test injects the
one defect it is about with ``dataclasses.replace`` or the helpers below.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from gongkai.model import Attachment, Column, Document, Item, Link, Page, SiteModel

AS_OF = dt.date(2026, 3, 30)
ROOT = "http://www.xa.gov.cn/"
ZL = ROOT + "zfxxgk/"
UNIT = "厦门市翔安区人民政府"
FOOTER = (
    "主办单位：厦门市翔安区人民政府办公室 联系电话：0592-7889000 网站标识码：3502130001 "
    "闽ICP备05023245号 闽公网安备 35021302000101号 党政机关网站"
)
META = {"SiteName": "厦门市翔安区人民政府", "SiteDomain": "www.xa.gov.cn", "SiteIDCode": "3502130001"}


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def page(url: str, kind: str = "detail", text: str = "", title: str = "", **meta: str) -> Page:
    tags = dict(META)
    if kind == "detail":
        tags.update({"ArticleTitle": title or "信息", "PubDate": "2026-03-20 10:00"})
    tags.update(meta)
    return Page(
        url=url,
        status=200,
        title=title,
        text=text,
        meta=tags,
        record=f"<urn:uuid:{abs(hash(url))}>",
        kind=kind,
    )


def column(name: str, path: str, kind: str, dates: list[str], zl: bool = True, **kw: object) -> Column:
    url = (ZL if zl else ROOT) + path + "/"
    items = tuple(
        Item(title=f"{name}信息{i + 1}", url=f"{url}2026/t{i}.html", date=d(x) if x else None, column_url=url)
        for i, x in enumerate(dates)
    )
    return Column(name=name, url=url, kind=kind, items=items, pages=1, in_zhuanlan=zl, **kw)  # type: ignore[arg-type]


GUIDE_TEXT = (
    "厦门市翔安区人民政府政府信息公开指南。受理机构：厦门市翔安区人民政府办公室。"
    "办公地址：厦门市翔安区行政中心1号楼。办公时间：周一至周五上午8:00-12:00。"
    "联系电话：0592-7889000，传真：0592-7889001。在线申请：登录http://www.xa.gov.cn/ysqgk/ 填写申请表。"
    "不能当场答复的，自收到申请之日起20个工作日内予以答复；需要延长答复期限的，延长期限最长不超过20个工作日。"
)

NORMATIVE = Document(
    url=ZL + "gfxwj/202603/t20260302_1.html",
    title="厦门市翔安区人民政府关于印发《翔安区被征地人员养老保险实施办法》的通知",
    index_number="003226988/202603-00012",
    publisher="厦门市翔安区人民政府办公室",
    created=d("2026-02-27"),
    published=d("2026-03-02"),
    doc_number="厦翔政规〔2026〕1号",
    validity="有效",
    category="规范性文件",
    body="为做好被征地人员养老保险工作……",
    column_url=ZL + "gfxwj/",
    related=(Link(ZL + "zcjd/202603/t20260303_2.html", "政策解读", ZL + "gfxwj/202603/t20260302_1.html"),),
    record="<urn:uuid:normative>",
)
INTERPRETATION = Document(
    url=ZL + "zcjd/202603/t20260303_2.html",
    title="《翔安区被征地人员养老保险实施办法》政策解读",
    index_number="003226988/202603-00013",
    publisher="厦门市翔安区人力资源和社会保障局",
    created=d("2026-03-03"),
    published=d("2026-03-03"),
    body="一、背景依据……二、主要内容……咨询电话：0592-7889123。",
    column_url=ZL + "zcjd/",
    related=(Link(NORMATIVE.url, "原文链接", ZL + "zcjd/202603/t20260303_2.html"),),
    record="<urn:uuid:interp>",
)
CONSULTATION = Document(
    url=ZL + "yjzj/202601/t20260105_3.html",
    title="关于《翔安区养犬管理办法（征求意见稿）》公开征求意见的通知",
    index_number="003226988/202601-00003",
    publisher="厦门市翔安区城市管理局",
    created=d("2026-01-05"),
    published=d("2026-01-05"),
    body=(
        "为广泛听取社会各界意见，现将《翔安区养犬管理办法（征求意见稿）》及起草说明全文公布。"
        "征求意见时间为2026年1月5日至2026年2月5日。可通过电子邮件发送至xacg@xa.gov.cn，或电话0592-7889555反馈。"
    ),
    attachments=(Attachment(ZL + "yjzj/a.docx", "翔安区养犬管理办法（征求意见稿）.docx", "docx", 200),),
    column_url=ZL + "yjzj/",
    record="<urn:uuid:consult>",
)
FEEDBACK = Document(
    url=ZL + "yjzj/202602/t20260210_4.html",
    title="关于《翔安区养犬管理办法》征求意见采纳情况的说明",
    index_number="003226988/202602-00004",
    publisher="厦门市翔安区城市管理局",
    created=d("2026-02-10"),
    published=d("2026-02-10"),
    body="共收到意见12条，采纳5条……",
    column_url=ZL + "yjzj/",
    record="<urn:uuid:feedback>",
)
GUIDE = Document(
    url=ZL + "zn/202301/t20230110_5.html",
    title="厦门市翔安区人民政府政府信息公开指南",
    index_number="003226988/202301-00001",
    publisher="厦门市翔安区人民政府办公室",
    created=d("2023-01-10"),
    published=d("2023-01-10"),
    body=GUIDE_TEXT,
    column_url=ZL + "zn/",
    record="<urn:uuid:guide>",
)
ANNUAL = Document(
    url=ZL + "nb/202601/t20260120_6.html",
    title="厦门市翔安区人民政府2025年政府信息公开工作年度报告",
    index_number="003226988/202601-00009",
    publisher="厦门市翔安区人民政府办公室",
    created=d("2026-01-20"),
    published=d("2026-01-20"),
    body="",  # the report's text is in its own tests (annual engine on real reports)
    column_url=ZL + "nb/",
    record="<urn:uuid:annual>",
)


def clean_site() -> SiteModel:
    columns = (
        column("政府信息公开指南", "zn", "guide", ["2023-01-10"]),
        column("政府信息公开制度", "zd", "system", ["2024-05-06"]),
        column("法定主动公开内容", "fdzdgknr", "statutory", ["2026-03-20"]),
        column("政府信息公开年报", "nb", "annual_report", ["2026-01-20", "2025-01-22"]),
        column("工作动态", "gzdt", "news", ["2026-03-27", "2026-03-25", "2026-03-20"], zl=False),
        column("通知公告", "tzgg", "notice", ["2026-03-10", "2026-01-05"]),
        column("规范性文件", "gfxwj", "normative", ["2026-03-02"]),
        column("政策解读", "zcjd", "interpretation", ["2026-03-03"]),
        column("人事信息", "rsxx", "personnel", ["2025-11-20"]),
        column("规划计划", "ghjh", "plan", ["2025-06-01"]),
        column("意见征集", "yjzj", "consultation", ["2026-02-10", "2026-01-05"]),
        column("财政预决算", "czyjs", "budget", ["2026-02-10"]),
    )
    budget = columns[-1]
    columns = (
        *columns[:-1],
        dataclasses.replace(
            budget,
            items=(
                Item(
                    "厦门市翔安区人民政府2026年部门预算", budget.url + "t1.html", d("2026-02-10"), budget.url
                ),
            ),
        ),
    )
    home = page(ROOT, "home", text="翔安区人民政府 首页 工作动态 ……", title="厦门市翔安区人民政府")
    home = dataclasses.replace(home, footer=FOOTER)
    pages = [home, page(ZL, "column", text="政府信息公开 指南 制度 法定主动公开内容 年报")]
    pages += [page(c.url, "list", text=c.name + " 列表") for c in columns]
    docs = (NORMATIVE, INTERPRETATION, CONSULTATION, FEEDBACK, GUIDE, ANNUAL)
    pages += [page(x.url, "detail", text=x.body, title=x.title) for x in docs]
    home_items = tuple(
        Item(f"翔安区召开工作会议{i}", ROOT + f"gzdt/2026/t{i}.html", d(x), ROOT)
        for i, x in enumerate(["2026-03-27", "2026-03-25", "2026-03-20"])
    )
    links = (
        Link(ZL + "gfxwj/", "规范性文件", ROOT, 200),
        Link("http://bszs.conac.cn/sitename?method=show&id=1", "党政机关标识", ROOT, 200),
    )
    return SiteModel(
        site=ROOT,
        as_of=AS_OF,
        pages=tuple(pages),
        columns=columns,
        items=home_items,
        documents=docs,
        links=links,
        zhuanlan_url=ZL,
    )


def with_column(site: SiteModel, name: str, **changes: object) -> SiteModel:
    """``site`` with the named column changed."""
    columns = tuple(dataclasses.replace(c, **changes) if c.name == name else c for c in site.columns)
    return dataclasses.replace(site, columns=columns)


def with_document(site: SiteModel, url: str, **changes: object) -> SiteModel:
    docs = tuple(dataclasses.replace(x, **changes) if x.url == url else x for x in site.documents)
    return dataclasses.replace(site, documents=docs)


def add_document(site: SiteModel, doc: Document, text: str = "") -> SiteModel:
    extra = page(doc.url, "detail", text=text or doc.body, title=doc.title)
    return dataclasses.replace(site, documents=(*site.documents, doc), pages=(*site.pages, extra))


def add_page(site: SiteModel, url: str, text: str, kind: str = "detail") -> SiteModel:
    return dataclasses.replace(site, pages=(*site.pages, page(url, kind, text=text, title="公示")))
