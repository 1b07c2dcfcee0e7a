"""Variety in a fleet site's 政府信息公开专栏: catalogue layouts, column vocabularies, list markups, decoys.

Real 专栏 differ in how their catalogue is laid out (a left tree two or three levels deep, an accordion
of headings and lists, dl/dt/dd, a div tree, a top menu with sub-catalogue pages, tab groups, blocks with
更多 links, a Hanweb menu written by script), in what their columns are called (政府采购 or 政府集中采购,
行政处罚和行政强制 or the two apart, "一、机构职能") and in how a list is marked up (ul/li, table rows,
div cards, dl). `generate_fleet(..., variety=True)` picks one of each per site from the seed, so no
check can lean on one form; without it a site keeps the classic form (existing seeds are unchanged).

`truth(site)` lists every column the site shows, with its parent and how the catalogue shows it
(`Column.found_by`), for tests to compare with the site model.
"""

from __future__ import annotations

import datetime as dt
import html
import random
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING

from gongkai.fleet import regions
from gongkai.fleet.content import TOPICS
from gongkai.fleet.model import KEY_AREA

if TYPE_CHECKING:
    from gongkai.fleet.generate import FleetSite
    from gongkai.fleet.model import FColumn, FItem

e = html.escape

TREE_LAYOUTS = ("classic", "left_tree3", "accordion", "dl_tree", "div_tree")
PAGE_LAYOUTS = ("top_menu", "tabs", "more")
LAYOUTS: dict[str, tuple[str, ...]] = {
    "trs": TREE_LAYOUTS + PAGE_LAYOUTS,
    "hanweb": TREE_LAYOUTS + PAGE_LAYOUTS + ("hanweb_script",),
    "gkmlpt": ("gkmlpt",),
}
VOCABULARIES = ("standard", "regional", "numbered")
MARKUPS = ("ul", "table", "cards", "dl")

# the 法定主动公开内容 items of 条例第二十条 that the classic fleet lacks: (key, name, slug); 常务会议 comes
# with every site's meeting columns (fleet/liuan.py)
_STANDARD = [
    ("jgzn", "机构职能", "jgzn"),
    ("ldxx", "领导信息", "ldxx"),
    ("qzqd", "权责清单", "qzqd"),
    ("xzxk", "行政许可", "xzxk"),
    ("xzcf", "行政处罚和行政强制", "xzcf"),
    ("sf", "行政事业性收费", "xzsyxsf"),
    ("cg", "政府集中采购", "zfcg"),
    ("zdxm", "重大建设项目", "zdjsxm"),
    ("jc", "重大行政决策预公开", "zdxzjc"),
]
_REGIONAL = {
    "xzcf": [("xzcf", "行政处罚", "xzcf"), ("xzqz", "行政强制", "xzqz")],
    "cg": [("cg", "政府采购", "zfcg")],
}
AREAS = [
    "社会救助",
    "应急管理",
    "教育",
    "医疗卫生",
    "生态环境",
    "食品药品监管",
    "安全生产",
    "保障性住房",
    "国有土地上房屋征收与补偿",
    "公共资源交易",
    "就业创业",
    "乡村振兴",
]
_NUMBERS = "一二三四五六七八九十"
SERVICE_PAGES = {"/lxwm/index.html": "联系我们", "/wzdt/index.html": "网站地图"}
DECOY_NEWS = "/tpxw/index.html"  # 图片新闻: news outside the 专栏, reached only from a side block


@dataclass(frozen=True)
class Variety:
    """One site's form: catalogue layout, column vocabulary ("" = the classic columns only), list
    markup and whether it carries decoys (联系我们, 网站地图, a 最新信息 block of documents)."""

    layout: str = "classic"
    vocabulary: str = ""
    markup: str = "ul"
    decoys: bool = False
    region: str = ""  # another province's 索引号 and footer forms (fleet/regions.py); "": the classic forms
    history: bool = False  # 政策文件 made before the 条例 took effect (fleet/history.py)

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def choose(seed: int, index: int, cms: str) -> Variety:
    """A site's form, from its own random stream (the fleet's other streams are not touched)."""
    rng = random.Random(f"variety-{seed}-{index}")
    return Variety(
        layout=rng.choice(LAYOUTS[cms]),
        vocabulary=rng.choice(VOCABULARIES),
        markup=rng.choice(MARKUPS),
        decoys=True,
        region=regions.choose(seed, index, cms),  # its own random stream
        history=True,
    )


def every_form(cms: str) -> list[Variety]:
    """One variety per layout of a CMS, cycling through vocabularies and markups (for tests)."""
    return [
        Variety(layout, VOCABULARIES[n % len(VOCABULARIES)], MARKUPS[n % len(MARKUPS)], True)
        for n, layout in enumerate(LAYOUTS[cms])
    ]


# ------------------------------------------------------------------------------------ the columns


def extra_columns(variety: Variety) -> list[tuple[str, str, str, bool, str, str]]:
    """Columns beyond the classic catalogue, as (key, name, kind, in 专栏, parent key, slug) like
    `model.COLUMNS`: the 条例第二十条 items under 法定主动公开内容, and 重点领域信息公开 with its areas."""
    if not variety.vocabulary:
        return []
    rows: list[tuple[str, str, str]] = []
    for key, name, slug in _STANDARD:
        if variety.vocabulary == "regional" and key in _REGIONAL:
            rows.extend(_REGIONAL[key])
        else:
            rows.append((key, name, slug))
    rows.append((KEY_AREA, "重点领域信息公开", "zdlyxxgk"))
    out = []
    for n, (key, name, slug) in enumerate(rows):
        if variety.vocabulary == "numbered":
            name = f"{_number(n)}、{name}"
        out.append((key, name, "other", True, "statutory", f"zfxxgk/fdzdgknr/{slug}"))
    for n, name in enumerate(AREAS):
        shown = f"（{_number(n)}）{name}" if variety.vocabulary == "numbered" else name
        out.append((f"area{n}", shown, "other", True, KEY_AREA, f"zfxxgk/zdlyxxgk/area{n:02d}"))
    return out


def _number(n: int) -> str:
    if n < 10:
        return _NUMBERS[n]
    return "十" + _NUMBERS[n - 10]


def extra_documents(
    rng: random.Random, unit: str, name: str, org: str, n: int, as_of: dt.date
) -> list[tuple[str, dt.date, dict[str, str]]]:
    """(title, date, metadata) of the two documents an extra column holds, newest first; complete
    metadata, made the day they are published (no check has anything to say of them)."""
    plain = name.split("、", 1)[-1].split("）", 1)[-1]
    first = as_of - dt.timedelta(days=rng.randint(3, 40))
    second = first - dt.timedelta(days=rng.randint(20, 90))
    rows = [
        (f"{unit}{first.year}年{plain}信息公开（第{rng.randint(2, 9)}期）", first),
        (f"{unit}{plain}工作情况说明", second),
    ]
    out = []
    for k, (title, d) in enumerate(rows):
        meta = {
            "索引号": f"{org}/{d.year}-{70000 + n * 10 + k:05d}",
            "信息分类": name,
            "发布机构": unit,
            "成文日期": f"{d:%Y-%m-%d}",
            "名称": title,
            "文号": "无",
            "发布日期": f"{d:%Y-%m-%d}",
            "主题词": rng.choice(TOPICS),
        }
        out.append((title, d, meta))
    return out


def truth(site: FleetSite) -> list[dict[str, str]]:
    """Every column the site shows: name, path, parent path ("" at the first level), found_by, kind,
    whether it lies in the 专栏."""
    cols = site.data.columns
    by_key = {c.key: c for c in cols}
    layout = site.variety.layout if site.variety else ("gkmlpt" if site.cms == "gkmlpt" else "classic")
    out = []
    for c in cols:
        parent = by_key.get(c.parent)
        out.append(
            {
                "name": c.name,
                "path": c.path,
                "parent": parent.path if parent else "",
                "found_by": _found_by(layout, c, parent),
                "kind": c.kind,
                "in_zhuanlan": str(c.in_zhuanlan),
            }
        )
    return out


def _found_by(layout: str, col: FColumn, parent: FColumn | None) -> str:
    if not col.in_zhuanlan:
        return "nav"
    if layout == "gkmlpt":
        return "gkmlpt"
    level = 1 if parent is None else (2 if parent.key == "statutory" else 3)
    if layout in TREE_LAYOUTS:
        return "left_tree" if level < 3 or layout == "left_tree3" else "subcatalogue"
    if level == 1:
        return "hanweb_col" if layout == "hanweb_script" else "nav"
    if level == 2 and layout in ("tabs", "more"):
        return "tab" if layout == "tabs" else "more"
    return "subcatalogue"


# ------------------------------------------------------------------------------------- rendering


def _kids(site: FleetSite, key: str) -> list[FColumn]:
    return [k for k in site.data.columns if k.parent == key]


def _top(site: FleetSite) -> list[FColumn]:
    return [c for c in site.data.columns if c.in_zhuanlan and not c.parent]


def _a(c: FColumn) -> str:
    return f'<a href="{c.path}">{e(c.name)}</a>'


def catalogue(site: FleetSite) -> str:
    """The catalogue every 专栏 page carries (left tree, menu or script menu)."""
    layout = site.variety.layout if site.variety else "classic"
    top = _top(site)
    if layout in ("classic", "left_tree3"):
        depth = 3 if layout == "left_tree3" else 2
        return f'<div class="xxgk-nav"><h3>政府信息公开</h3>{_nested(site, top, depth)}</div>'
    if layout == "accordion":
        parts = []
        for c in top:
            parts.append(f"<h3>{_a(c)}</h3>")
            kids = _kids(site, c.key)
            if kids:
                parts.append("<ul>" + "".join(f"<li><span>·</span>{_a(k)}</li>" for k in kids) + "</ul>")
        return (
            '<div class="zwgk-left"><div class="left-title">政府信息公开目录</div>'
            f'<div class="sideMenu">{"".join(parts)}</div></div>'
        )
    if layout == "dl_tree":
        rows = "".join(
            f"<dt>{_a(c)}</dt>" + "".join(f"<dd>{_a(k)}</dd>" for k in _kids(site, c.key)) for c in top
        )
        return f'<div class="left-nav"><dl>{rows}</dl></div>'
    if layout == "div_tree":
        nodes = []
        for c in top:
            kids = _kids(site, c.key)
            sub = f'<div class="sub">{"".join(_a(k) for k in kids)}</div>' if kids else ""
            nodes.append(f'<div class="node"><a class="l1" href="{c.path}">{e(c.name)}</a>{sub}</div>')
        return f'<div class="lm-tree">{"".join(nodes)}</div>'
    if layout == "hanweb_script":
        menu = ",".join(f'{{"name":"{c.name}","url":"{c.path}"}}' for c in top)
        return (
            '<div id="xxgk-menu" class="xxgk-menu"></div>'
            f'<script type="text/javascript">var xxgkMenu=[{menu}];'
            "$.each(xxgkMenu,function(i,m){$('#xxgk-menu').append('<a href=\"'+m.url+'\">'+m.name+'</a>');});"
            "</script>"
        )
    # top_menu, tabs, more: a flat menu of the first level (and a decoy service link in it)
    links = "".join(f"<li>{_a(c)}</li>" for c in top)
    if site.variety and site.variety.decoys:
        links += '<li><a href="/lxwm/index.html">联系我们</a></li>'
    return f'<div class="zl-menu"><ul>{links}</ul></div>'


def _nested(site: FleetSite, cols: list[FColumn], depth: int) -> str:
    rows = []
    for c in cols:
        kids = _kids(site, c.key) if depth > 1 else []
        sub = _nested(site, kids, depth - 1) if kids else ""
        rows.append(f"<li>{_a(c)}{sub}</li>")
    return f"<ul>{''.join(rows)}</ul>"


def zhuanlan_main(site: FleetSite, li: Callable[[FItem], str]) -> str:
    """The main part of the 专栏's own page: its title and, with decoys, the latest documents."""
    out = f"<h2>{e(site.full_name)}政府信息公开专栏</h2>"
    policy = site.column("policy")
    if site.variety and site.variety.decoys and policy is not None and policy.items:
        rows = "".join(li(i) for i in policy.items[:5])
        out += f'<div class="zxxx"><h3>最新信息</h3><ul>{rows}</ul></div>'
    return out


def parent_page(site: FleetSite, col: FColumn, li: Callable[[FItem], str]) -> str | None:
    """The inner part of a parent column's page (法定主动公开内容, 重点领域信息公开) in this layout, or
    None for the classic list of sub-columns."""
    layout = site.variety.layout if site.variety else "classic"
    kids = _kids(site, col.key)
    if col.key == "statutory" and layout in ("tabs", "more"):
        if layout == "more":
            return "".join(_more_block(k, li) for k in kids)
        titles = "".join(
            f'<li class="on">{e(k.name)}</li>' if n == 0 else f"<li>{e(k.name)}</li>"
            for n, k in enumerate(kids)
        )
        panes = "".join(
            f'<div class="pane">{_rows(k, li)}<a class="more" href="{k.path}">更多&gt;&gt;</a></div>'
            for k in kids
        )
        return f'<div class="tab-box"><ul class="tab-hd">{titles}</ul><div class="tab-bd">{panes}</div></div>'
    if layout in TREE_LAYOUTS and col.key == "statutory":
        return None
    if layout == "classic" or not kids:
        return None
    return f'<div class="catalogue-grid">{"".join(_a(k) for k in kids)}</div>'


def _rows(col: FColumn, li: Callable[[FItem], str]) -> str:
    if not col.items or col.placeholder:
        return '<ul class="list"><li class="empty">暂无信息</li></ul>'
    return f'<ul class="list">{"".join(li(i) for i in col.items[:3])}</ul>'


def _more_block(col: FColumn, li: Callable[[FItem], str]) -> str:
    return (
        f'<div class="box"><div class="box-hd"><h3>{e(col.name)}</h3>'
        f'<a class="more" href="{col.path}">更多</a></div>{_rows(col, li)}</div>'
    )


def side_block(site: FleetSite, li: Callable[[FItem], str]) -> str:
    """A side block beside a 专栏 page of a site with decoys: the latest 图片新闻 and a 更多 link to a news
    list outside the 专栏 (not a column of the 专栏)."""
    news = site.column("news")
    if not (site.variety and site.variety.decoys) or news is None:
        return ""
    rows = "".join(li(i) for i in news.items[:4])
    return (
        f'<div class="side-box"><div class="side-hd"><h3>图片新闻</h3><a class="more" href="{DECOY_NEWS}">更多</a>'
        f"</div><ul>{rows}</ul></div>"
    )


def decoy_news(site: FleetSite, li: Callable[[FItem], str]) -> str | None:
    """The inner HTML of the 图片新闻 list, or None when the site has none."""
    news = site.column("news")
    if not (site.variety and site.variety.decoys) or news is None:
        return None
    return f'<div class="main"><h2>图片新闻</h2><ul class="list">{"".join(li(i) for i in news.items[:10])}</ul></div>'


def list_markup(site: FleetSite, items: list[FItem]) -> str | None:
    """A list page's rows in the site's markup, or None for the classic ul/li."""
    markup = site.variety.markup if site.variety else "ul"
    if markup == "table":
        rows = "".join(
            f'<tr{_top_cls(i)}><td>{_pin(i)}<a href="{i.path}" title="{e(i.title)}">{e(i.title)}</a></td>'
            f"<td>{_date(i)}</td></tr>"
            for i in items
        )
        return f'<table class="list-table"><tr><th>标题</th><th>发布日期</th></tr>{rows}</table>'
    if markup == "cards":
        rows = "".join(
            f'<div class="item">{_pin(i)}<a href="{i.path}" title="{e(i.title)}">'
            f'<h4>{e(i.title)}</h4></a><p class="date">{_date(i)}</p></div>'
            for i in items
        )
        return f'<div class="news-list">{rows}</div>'
    if markup == "dl":
        rows = "".join(
            f'<dd{_top_cls(i)}>{_pin(i)}<a href="{i.path}" title="{e(i.title)}">{e(i.title)}</a>'
            f"<span>{_date(i)}</span></dd>"
            for i in items
        )
        return f'<dl class="list">{rows}</dl>'
    return None


def _date(i: FItem) -> str:
    return f"{i.published:%Y-%m-%d}" if i.list_date else ""


def _pin(i: FItem) -> str:
    return '<span class="zd">[置顶]</span>' if i.pinned else ""


def _top_cls(i: FItem) -> str:
    return ' class="top"' if i.pinned else ""


def service_links(site: FleetSite) -> str:
    """联系我们 and 网站地图 in the header of a site with decoys."""
    if not (site.variety and site.variety.decoys):
        return ""
    return (
        '<div class="top-links">'
        + "".join(f'<a href="{p}">{n}</a>' for p, n in SERVICE_PAGES.items())
        + "</div>"
    )


def service_page(site: FleetSite, path: str) -> str | None:
    """The inner HTML of a decoy service page, or None when the site has none at `path`."""
    if not (site.variety and site.variety.decoys) or path not in SERVICE_PAGES:
        return None
    if SERVICE_PAGES[path] == "联系我们":
        ident = site.data.identity
        return (
            f'<div class="main"><h2>联系我们</h2><p>单位：{e(ident["主办单位"])}</p>'
            f"<p>电话：{ident['phone']}</p><p>地址：临江市人民路1号</p></div>"
        )
    rows = "".join(f"<li>{_a(c)}</li>" for c in site.data.columns)
    return f'<div class="main"><h2>网站地图</h2><ul class="sitemap">{rows}</ul></div>'
