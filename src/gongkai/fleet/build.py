"""Building a site: its normal content from (fleet seed, site index, as_of), then its active defects.

A site is rebuilt deterministically, so `Fleet.apply_fix` only drops a defect and rebuilds. One random
stream (seeded by site) draws the content in a fixed order: every step below keeps its place in it.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from typing import TYPE_CHECKING

from gongkai.fleet import content as C
from gongkai.fleet import defects, history, layouts, liuan, liuyan, regions, wording
from gongkai.fleet.model import (
    COLUMNS,
    FColumn,
    FItem,
    SiteData,
    article_path,
    column_path,
    file_path,
    org_code,
    paging,
)
from gongkai.fleet.names import PROVINCE_SHORT

if TYPE_CHECKING:
    from gongkai.fleet.generate import FleetSite


class _Ctx:
    """What the building steps share: the site's random stream, its ids, 索引号 and columns by key."""

    def __init__(self, site: FleetSite) -> None:
        self.site = site
        self.rng = random.Random(f"site-{site.seed}-{site.index}")
        self.as_of, self.unit = site.as_of, site.full_name
        self.org = org_code(site)
        self.next_id = self.rng.randint(100000, 900000)
        self.seq = self.rng.randint(100, 900)
        self.small = site.group == "township"
        self.by_key: dict[str, FColumn] = {}
        self.phone = ""

    def new_id(self) -> int:
        self.next_id += self.rng.randint(1, 40)
        return self.next_id

    def index_no(self, d: dt.date) -> str:
        self.seq += 1
        return f"{self.org}/{d.year}-{self.seq:05d}"

    def dated(self, days: int) -> dt.date:
        return self.as_of - dt.timedelta(days=days)

    def doc_meta(
        self, d: dt.date, created: dt.date, title: str, number: str, category: str
    ) -> dict[str, str]:
        return {
            "索引号": self.index_no(d),
            "信息分类": category,
            "发布机构": self.unit,
            "成文日期": f"{created:%Y-%m-%d}",
            "名称": title,
            "文号": number,
            "发布日期": f"{d:%Y-%m-%d}",
            "主题词": self.rng.choice(C.TOPICS),
        }


def build_site(site: FleetSite) -> SiteData:
    """Build the site's normal content, then apply its active defects."""
    ctx = _Ctx(site)
    extra = layouts.extra_columns(site.variety) if site.variety else []
    columns = _columns(site, extra)
    ctx.by_key = {c.key: c for c in columns}
    ctx.phone = f"0571-8{ctx.rng.randint(1000000, 9999999)}"
    for step in (
        _news,
        _notices,
        _guide,
        _documents,
        _interpretations_sorted,
        _records,
        _budget,
        _consultations,
    ):
        step(ctx)
    _annual_reports(ctx)
    _extra_items(site, [ctx.by_key[k] for k, *_ in extra], ctx.org)
    identity = _identity(ctx)
    # the monthly 为民服务事项办理结果 and the meeting columns (fleet/liuan.py), documents with metadata
    liuan.add_columns(
        site, columns, ctx.new_id, lambda d, title, category: ctx.doc_meta(d, d, title, "", category)
    )
    wording.add_decoys(columns)  # sentences that must produce no wording FAIL (fleet/wording.py)
    data = SiteData(columns=columns, files={}, identity=identity)
    data.board = liuyan.build(site)  # the 留言 board, its decoys and injected messages (fleet/liuyan.py)
    # encodings: every third site is GBK; half of those declare it only in <meta>
    if site.index % 3 == 1:
        data.encoding = "gbk"
        data.charset_in_header = site.index % 2 == 0
    for d in site.defects:
        defects.apply(site, data, d)
    history.add(site, data)  # documents made before the 条例 (fleet/history.py), out of the defects' reach
    regions.localize(site, data)  # another province's 索引号, labels and numbers (fleet/regions.py)
    assign_paths(site, data)
    return data


def _columns(site: FleetSite, extra: list[tuple[str, str, str, bool, str, str]]) -> list[FColumn]:
    columns: list[FColumn] = []
    for n, (key, name, kind, inz, parent, slug) in enumerate([*COLUMNS, *extra]):
        col = FColumn(key, name, kind, inz, parent, slug, 1001 + n, paging(site.cms, key, inz))
        col.path = column_path(col, site.cms)
        columns.append(col)
    return columns


def _news(ctx: _Ctx) -> None:
    """动态要闻."""
    rng, site, unit = ctx.rng, ctx.site, ctx.unit
    n_news = max(4, int((18 if ctx.small else 40) * site.scale))
    for k in range(n_news):
        d = ctx.dated(k * 2 + rng.randint(0, 1))
        t = C.fmt(rng.choice(C.NEWS_TEMPLATES), rng, site.name, ctx.as_of)
        ctx.by_key["news"].items.append(FItem(ctx.new_id(), t, d, body=C.body_paragraphs(rng, t, unit, 4)))


def _notices(ctx: _Ctx) -> None:
    """通知公告, with a pinned old notice at the top and a privacy list (masked by default)."""
    rng, site, unit, as_of = ctx.rng, ctx.site, ctx.unit, ctx.as_of
    notices = ctx.by_key["notice"].items
    n_notice = max(3, int((8 if ctx.small else 20) * site.scale))
    for k in range(n_notice):
        d = ctx.dated(5 + k * 7 + rng.randint(0, 3))
        t = C.fmt(rng.choice(C.NOTICE_TEMPLATES), rng, site.name, as_of)
        notices.append(FItem(ctx.new_id(), t, d, body=C.body_paragraphs(rng, t, unit)))
    # a pinned notice with an old date at the top (the list's max date is not its first row)
    old = ctx.dated(400)
    title = f"{unit}政府信息公开申请渠道公告"
    notices.insert(0, FItem(ctx.new_id(), title, old, pinned=True, body=C.body_paragraphs(rng, "", unit)))
    rows = []
    for _ in range(6):
        rows.append((C.person(rng), C.id_number(rng, as_of), C.mobile(rng), C.bank_card(rng)))
    plist = FItem(
        ctx.new_id(),
        f"关于{as_of.year}年度困难群众临时救助拟发放对象的公示",
        ctx.dated(12),
        kind="privacy",
        body=[f"根据有关规定，现将{as_of.year}年度临时救助拟发放对象予以公示，公示期5个工作日。"],
    )
    plist.meta = {"_rows": json.dumps(rows, ensure_ascii=False), "_mask": "id,mobile,card"}
    notices.insert(3, plist)


def _guide(ctx: _Ctx) -> None:
    """政府信息公开指南 and 制度."""
    unit = ctx.unit
    g = FItem(ctx.new_id(), f"{unit}政府信息公开指南", ctx.dated(300), kind="guide")
    g.body = C.guide_paragraphs(unit, ctx.phone)
    ctx.by_key["guide"].items.append(g)
    titles = ["政府信息公开保密审查制度", "政府信息主动公开制度", "政府信息依申请公开工作制度"]
    for k, t in enumerate(titles[: 2 if ctx.small else 3]):
        d = ctx.dated(200 + 90 * k)
        ctx.by_key["system"].items.append(
            FItem(ctx.new_id(), f"{unit}{t}", d, body=C.body_paragraphs(ctx.rng, t, unit))
        )


def _documents(ctx: _Ctx) -> None:
    """政策文件 / 规范性文件, each with its 解读."""
    abbrev = ctx.site.name.replace("人民政府", "")[:2]
    for key, templates, count, gap in (
        ("policy", C.POLICY_TEMPLATES, 3 if ctx.small else 6, 30),
        ("normative", C.NORMATIVE_TEMPLATES, 2 if ctx.small else 4, 50),
    ):
        for k in range(count):
            _document(ctx, key, templates, ctx.dated(10 + k * gap + ctx.rng.randint(0, 9)), abbrev)


def _document(ctx: _Ctx, key: str, templates: list[str], d: dt.date, abbrev: str) -> None:
    rng, unit = ctx.rng, ctx.unit
    created = d - dt.timedelta(days=rng.randint(1, 8))
    t = C.fmt(rng.choice(templates), rng, unit, ctx.as_of)
    number = f"{abbrev}{'政发' if key == 'policy' else '政规'}〔{d.year}〕{rng.randint(1, 40)}号"
    item = FItem(
        ctx.new_id(), t, d, created=created, kind="document", body=C.body_paragraphs(rng, t, unit, 4)
    )
    item.meta = ctx.doc_meta(d, created, t, number, "政策文件" if key == "policy" else "规范性文件")
    if key == "normative":
        item.meta["有效性"] = "有效"
    item.attachments.append((f"{t}.pdf", "pdf"))
    item.attachments.append((f"{t}.docx", "docx"))
    ctx.by_key[key].items.append(item)
    interp_date = d + dt.timedelta(days=rng.randint(0, 2))
    it = FItem(ctx.new_id(), f"《{t}》政策解读", interp_date, kind="interpretation")
    it.body = [
        f"一、出台背景。为贯彻落实上级部署，{unit}制定了本文件。",
        "二、主要内容。文件明确了工作目标、重点任务和保障措施。",
        f"三、咨询方式。咨询电话：{ctx.phone}。",
    ]
    it.meta = {"_doc": str(item.id)}
    ctx.by_key["interpretation"].items.append(it)


def _interpretations_sorted(ctx: _Ctx) -> None:
    """解读 newest first."""
    ctx.by_key["interpretation"].items.sort(key=lambda x: x.published, reverse=True)


def _records(ctx: _Ctx) -> None:
    """人事, 规划计划, 统计."""
    rng, unit = ctx.rng, ctx.unit
    for key, templates, count, start, gap in (
        ("personnel", C.PERSONNEL_TEMPLATES, 3 if ctx.small else 6, 15, 40),
        ("plan", C.PLAN_TEMPLATES, 2 if ctx.small else 4, 60, 90),
        ("stats", C.STATS_TEMPLATES, 3 if ctx.small else 6, 20, 30),
    ):
        for k in range(count):
            d = ctx.dated(start + k * gap + rng.randint(0, 5))
            t = C.fmt(rng.choice(templates), rng, unit, ctx.as_of)
            item = FItem(ctx.new_id(), t, d, created=d, kind="document", body=C.body_paragraphs(rng, t, unit))
            item.meta = ctx.doc_meta(d, d, t, "无", ctx.by_key[key].name)
            if key == "stats":
                item.attachments.append((f"{t}.xlsx", "xlsx"))
            ctx.by_key[key].items.append(item)


def _budget(ctx: _Ctx) -> None:
    """财政预决算."""
    unit, as_of = ctx.unit, ctx.as_of
    for k, (year, what) in enumerate(
        [(as_of.year, "部门预算"), (as_of.year - 1, "部门决算"), (as_of.year - 1, "部门预算")]
    ):
        d = dt.date(year, 2, 10) if what == "部门预算" else dt.date(year + 1, 8, 20)
        d = min(d, ctx.dated(30 + k))
        t = f"{unit}{year}年{what}公开"
        item = FItem(
            ctx.new_id(),
            t,
            d,
            created=d,
            kind="document",
            body=[f"{unit}{year}年{what}及“三公”经费情况说明。"],
        )
        item.meta = ctx.doc_meta(d, d, t, "无", "财政预决算")
        item.attachments.append((f"{t}.xlsx", "xlsx"))
        ctx.by_key["budget"].items.append(item)
    ctx.by_key["budget"].items.sort(key=lambda x: x.published, reverse=True)


def _consultations(ctx: _Ctx) -> None:
    """征求意见: two closed with feedback, one open."""
    for start_ago, days in [(10, 30), (90, 30), (150, 31)][: 2 if ctx.small else 3]:
        _consultation(ctx, ctx.dated(start_ago), days)
    ctx.by_key["consultation"].items.sort(key=lambda x: x.published, reverse=True)


def _consultation(ctx: _Ctx, start: dt.date, days: int) -> None:
    rng, unit, items = ctx.rng, ctx.unit, ctx.by_key["consultation"].items
    end = start + dt.timedelta(days=days)
    draft = f"{unit}{rng.choice(C.TOPICS)}管理办法（征求意见稿）"
    item = FItem(ctx.new_id(), f"关于公开征求《{draft}》意见的公告", start, kind="consultation")
    item.body = [
        f"为提高决策的科学性和透明度，现将《{draft}》全文公布，公开征求社会各界意见。",
        f"征求意见时间：{start:%Y年%m月%d日}至{end:%Y年%m月%d日}。",
        f"反馈方式：可通过电子邮件发送至 zqyj@example.gov.cn，或电话 {ctx.phone} 反馈意见。",
    ]
    item.attachments = [(f"{draft}.docx", "docx"), ("起草说明.docx", "docx")]
    item.meta = {"_start": start.isoformat(), "_end": end.isoformat()}
    items.append(item)
    if end < ctx.as_of:
        fd = min(end + dt.timedelta(days=rng.randint(5, 20)), ctx.as_of)
        fb = FItem(ctx.new_id(), f"关于《{draft}》征求意见采纳情况的说明", fd, kind="feedback")
        fb.body = [f"征求意见期间，共收到意见建议{rng.randint(0, 9)}条，采纳情况如下。"]
        fb.meta = {"_for": str(item.id)}
        items.append(fb)


def _annual_reports(ctx: _Ctx) -> None:
    """政府信息公开年报: last three years."""
    rng, unit, as_of = ctx.rng, ctx.unit, ctx.as_of
    last = as_of.year - 1 if as_of >= dt.date(as_of.year, 1, 31) else as_of.year - 2
    for year in (last, last - 1, last - 2):
        d = dt.date(year + 1, 1, rng.randint(10, 28))
        t3 = C.t3_values(rng)
        item = FItem(ctx.new_id(), f"{unit}{year}年政府信息公开工作年度报告", d, kind="annual")
        item.html = C.annual_report_html(unit, year, t3, rng)
        item.meta = {"_t3": json.dumps(t3), "_year": str(year)}
        ctx.by_key["annual_report"].items.append(item)


def _identity(ctx: _Ctx) -> dict[str, str]:
    rng = ctx.rng
    return {
        "主办单位": ctx.unit,
        "网站标识码": f"33{rng.randint(10000000, 99999999)}",
        "ICP备案": f"{PROVINCE_SHORT}ICP备{rng.randint(10000000, 99999999)}号",
        "公安备案": f"{PROVINCE_SHORT}公网安备 33{rng.randint(100000000000, 999999999999)}号",
        "phone": ctx.phone,
    }


def _extra_items(site: FleetSite, columns: list[FColumn], org: str) -> None:
    """The documents of the columns the site's vocabulary adds (`layouts.extra_documents`)."""
    rng = random.Random(f"extra-{site.seed}-{site.index}")
    next_id = 9_000_000 + site.index * 10_000  # an id range of their own: the classic ids stay put
    for n, col in enumerate(c for c in columns if c.paging != "none"):
        for title, d, meta in layouts.extra_documents(rng, site.full_name, col.name, org, n, site.as_of):
            next_id += 1
            body = C.body_paragraphs(rng, title, site.full_name)
            col.items.append(FItem(next_id, title, d, created=d, kind="document", body=body, meta=meta))


def assign_paths(site: FleetSite, data: SiteData) -> None:
    """Give every item, attachment and file its URL, then link documents, 解读 and feedback both ways."""
    for col in data.columns:
        for item in col.items:
            _item_paths(site, data, col, item)
    _cross_links(data)


def _item_paths(site: FleetSite, data: SiteData, col: FColumn, item: FItem) -> None:
    item.path = article_path(col, item, site.cms)
    for n, (name, kind) in enumerate(item.attachments):
        if kind.startswith("/"):
            continue  # already a path (a broken link defect)
        d = item.path_date or item.published
        path = file_path(site, item.path, f"P0{d:%Y%m%d}{item.id % 1000:03d}{n}.{kind}")
        item.attachments[n] = (name, path)
        data.files[path] = (kind, (item.title, tuple(item.body[:3])))
    if item.kind == "privacy":
        path = file_path(site, item.path, f"P0{item.path_date:%Y%m%d}{item.id % 1000:03d}9.xlsx")
        item.attachments.append(("拟发放对象名单.xlsx", path))
        data.files[path] = ("privacy_xlsx", (item.id,))


def _cross_links(data: SiteData) -> None:
    """Policy/normative documents <-> interpretations, consultations <-> feedback."""
    by_id = {it.id: it for col in data.columns for it in col.items}
    for col in data.columns:
        for it in col.items:
            doc_id = it.meta.get("_doc")
            if doc_id and int(doc_id) in by_id:
                doc = by_id[int(doc_id)]
                if it.meta.get("_nolink") != "1":
                    it.related.insert(0, ("原文链接：" + doc.title, doc.path))
                if doc.meta.get("_nointerp") != "1":
                    doc.related.append(("政策解读：" + it.title, it.path))
            fb_for = it.meta.get("_for")
            if fb_for and int(fb_for) in by_id:
                it.related.append(("原征求意见公告", by_id[int(fb_for)].path))
