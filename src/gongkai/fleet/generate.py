"""The fleet: generating fictional government sites with a ground-truth manifest of injected defects.

A site is rebuilt deterministically from (fleet seed, site index, as_of) and its list of active defects,
so `Fleet.apply_fix` only drops a defect and rebuilds. Paths are site-relative ("/zfxxgk/index.html");
the server gives each site its own loopback port, and `FleetSite.manifest` turns paths into absolute
URLs once a host is known. The model and the URL paths are in fleet/model.py, the choosing and
applying of defects in fleet/defects.py.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from dataclasses import dataclass, field
from pathlib import Path

from gongkai.fleet import content as C
from gongkai.fleet import defects as defect_classes
from gongkai.fleet import history, layouts, liuan, liuyan, regions, wording
from gongkai.fleet.defects import DEFECT_CHECKS
from gongkai.fleet.model import (
    CMS_STYLES,
    COLUMNS,
    HANWEB_DOWNLOAD,
    PAGE_SIZE,
    Defect,
    FColumn,
    FItem,
    SiteData,
    article_path,
    column_path,
    defect_from_dict,
    file_path,
    hanweb_download,
    org_code,
    paging,
    zhuanlan_path,
)
from gongkai.fleet.names import CITY, PROVINCE_SHORT, make_names


@dataclass
class FleetSite:
    """One fictional unit's site."""

    index: int
    name: str  # short name (市教育局, 云溪县, 白石镇)
    full_name: str
    group: str  # county | department | township
    cms: str  # trs | hanweb | gkmlpt
    seed: int
    as_of: dt.date
    topic: str = ""
    defects: list[Defect] = field(default_factory=list)
    fixed: list[Defect] = field(default_factory=list)
    host: str = ""  # "127.0.0.1:PORT" once served
    scale: float = 1.0
    chrome: bool = False  # pages carry a real site's furniture (styles, scripts, 友情链接): ~28 KB each
    variety: layouts.Variety | None = None  # the 专栏's layout, vocabulary and list markup; None: classic
    _data: SiteData | None = field(default=None, repr=False, compare=False)

    @property
    def base_url(self) -> str:
        return f"http://{self.host}" if self.host else ""

    @property
    def url(self) -> str:
        return self.base_url + "/"

    @property
    def manifest(self) -> list[dict[str, str]]:
        """Ground truth: each active defect with absolute URLs when the site is served."""
        out = []
        for d in self.defects:
            subject = self.base_url + d.subject if d.subject.startswith("/") else d.subject
            out.append({"check": d.check, "subject": subject, "url": self.base_url + d.url})
        return out

    @property
    def data(self) -> SiteData:
        if self._data is None:
            self._data = build_site(self)
        return self._data

    @property
    def columns_truth(self) -> list[dict[str, str]]:
        """Every column the site shows: name, path, parent path, found_by, kind (`layouts.truth`)."""
        return layouts.truth(self)

    def invalidate(self) -> None:
        self._data = None

    def column(self, key: str) -> FColumn | None:
        return next((c for c in self.data.columns if c.key == key), None)

    def as_dict(self) -> dict[str, object]:
        return {
            "index": self.index,
            "name": self.name,
            "full_name": self.full_name,
            "group": self.group,
            "cms": self.cms,
            "seed": self.seed,
            "as_of": self.as_of.isoformat(),
            "topic": self.topic,
            "scale": self.scale,
            "chrome": self.chrome,
            "host": self.host,
            "variety": self.variety.as_dict() if self.variety else None,
            "defects": [d.as_dict() for d in self.defects],
            "fixed": [d.as_dict() for d in self.fixed],
        }


@dataclass
class Fleet:
    """A set of sites of one fictional city, their common as_of date and seed."""

    seed: int
    as_of: dt.date
    sites: list[FleetSite]

    def site(self, name: str) -> FleetSite:
        for s in self.sites:
            if name in (s.name, s.full_name):
                return s
        raise KeyError(f"舰队中没有名为“{name}”的站点")

    @property
    def manifest(self) -> dict[str, list[dict[str, str]]]:
        return {s.name: s.manifest for s in self.sites}

    def apply_fix(self, site_name: str, defect: dict[str, str] | Defect | str) -> bool:
        """Remove a defect (by manifest entry, Defect or check id) from a site; True if one was removed."""
        site = self.site(site_name)
        if isinstance(defect, str):
            match = [d for d in site.defects if d.check == defect][:1]
        else:
            check = defect.check if isinstance(defect, Defect) else defect["check"]
            subject = defect.subject if isinstance(defect, Defect) else defect.get("subject", "")
            match = [
                d
                for d in site.defects
                if d.check == check and (not subject or subject.endswith(d.subject) or d.subject == subject)
            ][:1]
        if not match:
            return False
        keys = {match[0].key} if match[0].key else set()
        gone = [d for d in site.defects if d is match[0] or (keys and d.key in keys)]
        site.defects = [d for d in site.defects if d not in gone]
        site.fixed.extend(gone)
        site.invalidate()
        return True

    def save(self, directory: Path) -> Path:
        """Write fleet.json (sites, defects, manifest); the pages are rebuilt from it on load."""
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        path = directory / "fleet.json"
        doc = {
            "seed": self.seed,
            "as_of": self.as_of.isoformat(),
            "sites": [s.as_dict() for s in self.sites],
            "manifest": self.manifest,
            # every column each site shows, with its parent and how its catalogue shows it
            "columns": {s.name: s.columns_truth for s in self.sites},
        }
        path.write_text(json.dumps(doc, ensure_ascii=False, indent=1), encoding="utf-8")
        return path

    @classmethod
    def load(cls, directory: Path) -> Fleet:
        path = Path(directory)
        if path.is_dir():
            path = path / "fleet.json"
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ValueError(f"无法读取舰队文件 {path}：{exc}") from exc
        sites = []
        for s in doc["sites"]:
            site = FleetSite(
                index=s["index"],
                name=s["name"],
                full_name=s["full_name"],
                group=s["group"],
                cms=s["cms"],
                seed=s["seed"],
                as_of=dt.date.fromisoformat(s["as_of"]),
                topic=s.get("topic", ""),
                scale=s.get("scale", 1.0),
                chrome=s.get("chrome", False),
                host=s.get("host", ""),
                variety=layouts.Variety(**s["variety"]) if s.get("variety") else None,
            )
            site.defects = [defect_from_dict(d) for d in s["defects"]]
            site.fixed = [defect_from_dict(d) for d in s.get("fixed", [])]
            sites.append(site)
        return cls(seed=doc["seed"], as_of=dt.date.fromisoformat(doc["as_of"]), sites=sites)


def generate_fleet(
    n_sites: int,
    seed: int,
    defect_rate: float = 0.15,
    cms_mix: tuple[str, ...] | dict[str, float] = CMS_STYLES,
    *,
    as_of: dt.date | None = None,
    groups: tuple[str, ...] = ("county", "department", "township"),
    scale: float = 1.0,
    chrome: bool = False,
    variety: bool = False,
) -> Fleet:
    """Generate `n_sites` sites; each defect class is injected into a site with probability `defect_rate`.

    `cms_mix` is a tuple of styles used round-robin, or a dict style -> weight. `groups` cycle over the
    sites (county, department, township ...). `scale` multiplies the number of news/notice items
    (about 150 pages per site at 1.0, 300 at 2.6). `chrome` gives every page the furniture of a real
    site (`gongkai.fleet.chrome`), which makes it ~28 KB instead of ~3 KB and changes no site model.
    `variety` gives each site a 专栏 layout, column vocabulary and list markup chosen from the seed
    (`gongkai.fleet.layouts`); without it every site keeps the classic form.
    """
    as_of = as_of or dt.date.today()
    rng = random.Random(f"fleet-{seed}")
    group_list = [groups[i % len(groups)] for i in range(n_sites)]
    names = make_names(rng, n_sites, group_list)
    sites = []
    for i, unit in enumerate(names):
        if isinstance(cms_mix, dict):
            styles, weights = zip(*cms_mix.items(), strict=True)
            cms = rng.choices(styles, weights)[0]
        else:
            cms = cms_mix[i % len(cms_mix)]
        site = FleetSite(
            index=i,
            name=unit.short,
            full_name=unit.full,
            group=unit.group,
            cms=cms,
            seed=seed,
            as_of=as_of,
            topic=unit.topic,
            scale=scale,
            chrome=chrome,
            variety=layouts.choose(seed, i, cms) if variety else None,
        )
        site.defects = choose_defects(site, random.Random(f"defects-{seed}-{i}"), defect_rate)
        site.invalidate()
        sites.append(site)
    return Fleet(seed=seed, as_of=as_of, sites=sites)


def build_site(site: FleetSite) -> SiteData:
    """Build the site's normal content, then apply its active defects."""
    rng = random.Random(f"site-{site.seed}-{site.index}")
    as_of, unit = site.as_of, site.full_name
    org = org_code(site)
    next_id = [rng.randint(100000, 900000)]
    seq = [rng.randint(100, 900)]

    def new_id() -> int:
        next_id[0] += rng.randint(1, 40)
        return next_id[0]

    def index_no(d: dt.date) -> str:
        seq[0] += 1
        return f"{org}/{d.year}-{seq[0]:05d}"

    columns: list[FColumn] = []
    extra = layouts.extra_columns(site.variety) if site.variety else []
    for n, (key, name, kind, inz, parent, slug) in enumerate([*COLUMNS, *extra]):
        col = FColumn(key, name, kind, inz, parent, slug, 1001 + n, paging(site.cms, key, inz))
        col.path = column_path(col, site.cms)
        columns.append(col)
    by_key = {c.key: c for c in columns}
    small = site.group == "township"
    phone = f"0571-8{rng.randint(1000000, 9999999)}"

    def dated(days: int) -> dt.date:
        return as_of - dt.timedelta(days=days)

    def doc_meta(d: dt.date, created: dt.date, title: str, number: str, category: str) -> dict[str, str]:
        return {
            "索引号": index_no(d),
            "信息分类": category,
            "发布机构": unit,
            "成文日期": f"{created:%Y-%m-%d}",
            "名称": title,
            "文号": number,
            "发布日期": f"{d:%Y-%m-%d}",
            "主题词": rng.choice(C.TOPICS),
        }

    # 动态要闻 and 通知公告
    n_news = max(4, int((18 if small else 40) * site.scale))
    for k in range(n_news):
        d = dated(k * 2 + rng.randint(0, 1))
        t = C.fmt(rng.choice(C.NEWS_TEMPLATES), rng, site.name, as_of)
        by_key["news"].items.append(FItem(new_id(), t, d, body=C.body_paragraphs(rng, t, unit, 4)))
    n_notice = max(3, int((8 if small else 20) * site.scale))
    for k in range(n_notice):
        d = dated(5 + k * 7 + rng.randint(0, 3))
        t = C.fmt(rng.choice(C.NOTICE_TEMPLATES), rng, site.name, as_of)
        by_key["notice"].items.append(FItem(new_id(), t, d, body=C.body_paragraphs(rng, t, unit)))
    # a pinned notice with an old date at the top (the list's max date is not its first row)
    old = dated(400)
    by_key["notice"].items.insert(
        0,
        FItem(
            new_id(),
            f"{unit}政府信息公开申请渠道公告",
            old,
            pinned=True,
            body=C.body_paragraphs(rng, "", unit),
        ),
    )
    # privacy list (masked by default)
    rows = []
    for _ in range(6):
        rows.append((C.person(rng), C.id_number(rng, as_of), C.mobile(rng), C.bank_card(rng)))
    pub = dated(12)
    plist = FItem(
        new_id(),
        f"关于{as_of.year}年度困难群众临时救助拟发放对象的公示",
        pub,
        kind="privacy",
        body=[f"根据有关规定，现将{as_of.year}年度临时救助拟发放对象予以公示，公示期5个工作日。"],
    )
    plist.meta = {"_rows": json.dumps(rows, ensure_ascii=False), "_mask": "id,mobile,card"}
    by_key["notice"].items.insert(3, plist)

    # 政府信息公开指南 and 制度
    g = FItem(new_id(), f"{unit}政府信息公开指南", dated(300), kind="guide")
    g.body = C.guide_paragraphs(unit, phone)
    by_key["guide"].items.append(g)
    for k, t in enumerate(
        ["政府信息公开保密审查制度", "政府信息主动公开制度", "政府信息依申请公开工作制度"][
            : 2 if small else 3
        ]
    ):
        d = dated(200 + 90 * k)
        by_key["system"].items.append(FItem(new_id(), f"{unit}{t}", d, body=C.body_paragraphs(rng, t, unit)))

    # 政策文件 / 规范性文件 with 解读
    abbrev = site.name.replace("人民政府", "")[:2]
    for key, templates, count, gap in (
        ("policy", C.POLICY_TEMPLATES, 3 if small else 6, 30),
        ("normative", C.NORMATIVE_TEMPLATES, 2 if small else 4, 50),
    ):
        for k in range(count):
            d = dated(10 + k * gap + rng.randint(0, 9))
            created = d - dt.timedelta(days=rng.randint(1, 8))
            t = C.fmt(rng.choice(templates), rng, unit, as_of)
            number = f"{abbrev}{'政发' if key == 'policy' else '政规'}〔{d.year}〕{rng.randint(1, 40)}号"
            item = FItem(
                new_id(), t, d, created=created, kind="document", body=C.body_paragraphs(rng, t, unit, 4)
            )
            item.meta = doc_meta(d, created, t, number, "政策文件" if key == "policy" else "规范性文件")
            if key == "normative":
                item.meta["有效性"] = "有效"
            item.attachments.append((f"{t}.pdf", "pdf"))
            item.attachments.append((f"{t}.docx", "docx"))
            by_key[key].items.append(item)
            interp_date = d + dt.timedelta(days=rng.randint(0, 2))
            it = FItem(new_id(), f"《{t}》政策解读", interp_date, kind="interpretation")
            it.body = [
                f"一、出台背景。为贯彻落实上级部署，{unit}制定了本文件。",
                "二、主要内容。文件明确了工作目标、重点任务和保障措施。",
                f"三、咨询方式。咨询电话：{phone}。",
            ]
            it.meta = {"_doc": str(item.id)}
            by_key["interpretation"].items.append(it)
    # interpretation items newest first
    by_key["interpretation"].items.sort(key=lambda x: x.published, reverse=True)

    # 人事, 规划计划, 统计
    for key, templates, count, start, gap in (
        ("personnel", C.PERSONNEL_TEMPLATES, 3 if small else 6, 15, 40),
        ("plan", C.PLAN_TEMPLATES, 2 if small else 4, 60, 90),
        ("stats", C.STATS_TEMPLATES, 3 if small else 6, 20, 30),
    ):
        for k in range(count):
            d = dated(start + k * gap + rng.randint(0, 5))
            t = C.fmt(rng.choice(templates), rng, unit, as_of)
            item = FItem(new_id(), t, d, created=d, kind="document", body=C.body_paragraphs(rng, t, unit))
            item.meta = doc_meta(d, d, t, "无", by_key[key].name)
            if key == "stats":
                item.attachments.append((f"{t}.xlsx", "xlsx"))
            by_key[key].items.append(item)

    # 财政预决算
    for k, (year, what) in enumerate(
        [(as_of.year, "部门预算"), (as_of.year - 1, "部门决算"), (as_of.year - 1, "部门预算")]
    ):
        d = dt.date(year, 2, 10) if what == "部门预算" else dt.date(year + 1, 8, 20)
        d = min(d, dated(30 + k))
        t = f"{unit}{year}年{what}公开"
        item = FItem(
            new_id(), t, d, created=d, kind="document", body=[f"{unit}{year}年{what}及“三公”经费情况说明。"]
        )
        item.meta = doc_meta(d, d, t, "无", "财政预决算")
        item.attachments.append((f"{t}.xlsx", "xlsx"))
        by_key["budget"].items.append(item)
    by_key["budget"].items.sort(key=lambda x: x.published, reverse=True)

    # 征求意见: two closed with feedback, one open
    for start_ago, days in [(10, 30), (90, 30), (150, 31)][: 2 if small else 3]:
        start = dated(start_ago)
        end = start + dt.timedelta(days=days)
        draft = f"{unit}{rng.choice(C.TOPICS)}管理办法（征求意见稿）"
        t = f"关于公开征求《{draft}》意见的公告"
        item = FItem(new_id(), t, start, kind="consultation")
        item.body = [
            f"为提高决策的科学性和透明度，现将《{draft}》全文公布，公开征求社会各界意见。",
            f"征求意见时间：{start:%Y年%m月%d日}至{end:%Y年%m月%d日}。",
            f"反馈方式：可通过电子邮件发送至 zqyj@example.gov.cn，或电话 {phone} 反馈意见。",
        ]
        item.attachments = [(f"{draft}.docx", "docx"), ("起草说明.docx", "docx")]
        item.meta = {"_start": start.isoformat(), "_end": end.isoformat()}
        by_key["consultation"].items.append(item)
        if end < as_of:
            fd = min(end + dt.timedelta(days=rng.randint(5, 20)), as_of)
            fb = FItem(new_id(), f"关于《{draft}》征求意见采纳情况的说明", fd, kind="feedback")
            fb.body = [f"征求意见期间，共收到意见建议{rng.randint(0, 9)}条，采纳情况如下。"]
            fb.meta = {"_for": str(item.id)}
            by_key["consultation"].items.append(fb)
    by_key["consultation"].items.sort(key=lambda x: x.published, reverse=True)

    # 政府信息公开年报: last three years
    last = as_of.year - 1 if as_of >= dt.date(as_of.year, 1, 31) else as_of.year - 2
    for year in (last, last - 1, last - 2):
        d = dt.date(year + 1, 1, rng.randint(10, 28))
        t3 = C.t3_values(rng)
        t = f"{unit}{year}年政府信息公开工作年度报告"
        item = FItem(new_id(), t, d, kind="annual")
        item.html = C.annual_report_html(unit, year, t3, rng)
        item.meta = {"_t3": json.dumps(t3), "_year": str(year)}
        by_key["annual_report"].items.append(item)

    _extra_items(site, [by_key[k] for k, *_ in extra], org)

    identity = {
        "主办单位": unit,
        "网站标识码": f"33{rng.randint(10000000, 99999999)}",
        "ICP备案": f"{PROVINCE_SHORT}ICP备{rng.randint(10000000, 99999999)}号",
        "公安备案": f"{PROVINCE_SHORT}公网安备 33{rng.randint(100000000000, 999999999999)}号",
        "phone": phone,
    }
    # the monthly 为民服务事项办理结果 and the meeting columns (fleet/liuan.py), documents with metadata
    liuan.add_columns(site, columns, new_id, lambda d, title, category: doc_meta(d, d, title, "", category))
    wording.add_decoys(columns)  # sentences that must produce no wording FAIL (fleet/wording.py)
    data = SiteData(columns=columns, files={}, identity=identity)
    data.board = liuyan.build(site)  # the 留言 board, its decoys and injected messages (fleet/liuyan.py)
    # encodings: every third site is GBK; half of those declare it only in <meta>
    if site.index % 3 == 1:
        data.encoding = "gbk"
        data.charset_in_header = site.index % 2 == 0
    for d in site.defects:
        defect_classes.apply(site, data, d)
    history.add(site, data)  # documents made before the 条例 (fleet/history.py), out of the defects' reach
    regions.localize(site, data)  # another province's 索引号, labels and numbers (fleet/regions.py)
    _assign_paths(site, data)
    return data


def _extra_items(site: FleetSite, columns: list[FColumn], org: str) -> None:
    """The documents of the columns the site's vocabulary adds (`layouts.extra_documents`)."""
    rng = random.Random(f"extra-{site.seed}-{site.index}")
    next_id = 9_000_000 + site.index * 10_000  # an id range of their own: the classic ids stay put
    for n, col in enumerate(c for c in columns if c.paging != "none"):
        for title, d, meta in layouts.extra_documents(rng, site.full_name, col.name, org, n, site.as_of):
            next_id += 1
            body = C.body_paragraphs(rng, title, site.full_name)
            col.items.append(FItem(next_id, title, d, created=d, kind="document", body=body, meta=meta))


def _assign_paths(site: FleetSite, data: SiteData) -> None:
    for col in data.columns:
        for item in col.items:
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
    # cross links: policy/normative documents <-> interpretations, consultations <-> feedback
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


def choose_defects(site: FleetSite, rng: random.Random, rate: float) -> list[Defect]:
    """Pick defect classes for a site and resolve their subjects against the defect-free build."""
    site.defects = []
    return defect_classes.choose(site, build_site(site), rng, rate)


__all__ = [
    "CITY",
    "CMS_STYLES",
    "COLUMNS",
    "DEFECT_CHECKS",
    "HANWEB_DOWNLOAD",
    "PAGE_SIZE",
    "Defect",
    "FColumn",
    "FItem",
    "Fleet",
    "FleetSite",
    "SiteData",
    "build_site",
    "choose_defects",
    "generate_fleet",
    "hanweb_download",
    "zhuanlan_path",
]
