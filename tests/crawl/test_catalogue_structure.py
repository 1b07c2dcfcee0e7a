"""The 专栏's catalogue is read from its structure, whatever its layout and its columns' names.

Fleet sites in every catalogue layout (left trees two and three levels deep, an accordion, dl/dt/dd, a
div tree, a top menu with sub-catalogue pages, tab groups, 更多 blocks, a Hanweb menu written by script,
the gkmlpt tree), every column vocabulary and every list markup are crawled on loopback: the site model
must find every column the site shows, with its parent and how the catalogue showed it, and nothing
else (no 联系我们, 网站地图, document or homepage block), live and rebuilt offline from the archive.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import re
import zlib
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from gongkai.checks import all_checks, run_check
from gongkai.crawl import CrawlResult, crawl_many, extract_archive
from gongkai.crawl.catalogue import catalogue_links
from gongkai.crawl.discover import parse_html
from gongkai.fleet import Fleet, FleetServer, FleetSite, generate_fleet, liuan
from gongkai.fleet.generate import COLUMNS
from gongkai.fleet.layouts import LAYOUTS, MARKUPS, VOCABULARIES, Variety
from gongkai.model import SiteModel
from gongkai.text import decode

AS_OF = dt.date(2026, 11, 20)
CORPUS = Path(__file__).resolve().parents[2] / ".." / "shared" / "corpus"


def _forms() -> list[tuple[str, Variety]]:
    out = []
    for cms, layouts in LAYOUTS.items():
        for layout in layouts:
            k = len(out)
            out.append(
                (cms, Variety(layout, VOCABULARIES[k % len(VOCABULARIES)], MARKUPS[k % len(MARKUPS)], True))
            )
    return out


FORMS = _forms()


@pytest.fixture(scope="module")
def varied() -> Fleet:
    fleet = generate_fleet(
        len(FORMS), seed=11, defect_rate=0.0, cms_mix=tuple(c for c, _ in FORMS), as_of=AS_OF, scale=0.3
    )
    for site, (_cms, form) in zip(fleet.sites, FORMS, strict=True):
        site.variety = form
        site.invalidate()
    return fleet


@pytest.fixture(scope="module")
def crawled(
    varied: Fleet, tmp_path_factory: pytest.TempPathFactory, fast_config: Callable
) -> dict[str, CrawlResult]:
    out = tmp_path_factory.mktemp("catalogue")
    with FleetServer(varied) as server:
        urls = [server.url_of(s) for s in varied.sites]
        results = asyncio.run(crawl_many(urls, out, fast_config(), extract=True))
    return {s.name: r for s, r in zip(varied.sites, results, strict=True)}


def _path(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"#{parts.fragment}" if parts.fragment else "")


def _found(model: SiteModel) -> set[tuple[str, str, str, str]]:
    return {(c.name, _path(c.url), _path(c.parent) if c.parent else "", c.found_by) for c in model.columns}


def _truth(site) -> set[tuple[str, str, str, str]]:  # noqa: ANN001
    return {(t["name"], t["path"], t["parent"], t["found_by"]) for t in site.columns_truth}


def test_every_layout_vocabulary_and_markup_is_in_the_fleet() -> None:
    assert {v.layout for _, v in FORMS} == {layout for layouts in LAYOUTS.values() for layout in layouts}
    assert {v.vocabulary for _, v in FORMS} == set(VOCABULARIES)
    assert {v.markup for _, v in FORMS} == set(MARKUPS)


def test_every_column_is_found_with_its_parent_and_how(
    varied: Fleet, crawled: dict[str, CrawlResult]
) -> None:
    for site in varied.sites:
        result = crawled[site.name]
        assert not result.partial, result.faults
        truth = _truth(site)
        assert len(truth) >= 37  # the classic 14, the 条例 items, 重点领域信息公开 and its 12 areas
        found = _found(result.site_model)
        assert found == truth, (site.cms, site.variety, sorted(truth - found), sorted(found - truth))


def test_the_archive_gives_the_same_catalogue(varied: Fleet, crawled: dict[str, CrawlResult]) -> None:
    for site in varied.sites:
        result = crawled[site.name]
        offline = extract_archive(Path(result.archive), result.site_model.site)
        assert offline.columns == result.site_model.columns, (site.cms, site.variety)


def test_each_column_holds_its_own_items_in_every_markup(
    varied: Fleet, crawled: dict[str, CrawlResult]
) -> None:
    for site in varied.sites:
        got = {_path(c.url): c for c in crawled[site.name].site_model.columns}
        for col in site.data.columns:
            if col.paging == "none":
                continue  # a parent column: judged through its children
            items = [_path(i.url) for i in got[col.path].items]
            assert items == [i.path for i in col.items], (site.cms, site.variety, col.name)
            assert all(i.date is not None for i in got[col.path].items), (site.variety, col.name)


def test_decoys_are_not_columns(varied: Fleet, crawled: dict[str, CrawlResult]) -> None:
    for site in varied.sites:
        model = crawled[site.name].site_model
        names = {c.name for c in model.columns}
        assert not names & {"联系我们", "网站地图", "最新信息", "首页", "图片新闻"}, site.variety
        pages = {_path(p.url) for p in model.pages}
        decoys = ("/lxwm/index.html", "/wzdt/index.html", "/tpxw/index.html")
        assert all(d in pages for d in decoys)  # reached, and still no column


# ------------------------------------------------------------- a TRS-style district portal, by hand

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "catalogue"
TRS_AS_OF = dt.date(2024, 11, 20)
_HREF = re.compile(r'<a href="(/zwgk/[^"]+/)"[^>]*>(?:<img[^>]*/>)?(?:<p>)?([^<]+)<')
_OUTSIDE = {"/xwzx/zwyw/": "政务要闻", "/xwzx/bmdt/": "部门动态", "/xwzx/tzgg/": "通知公告"}
_BLANK = "/zwgk/fdzdgknr/qtwj/"
_ZDLY = "/zwgk/fdzdgknr/zdlyxxgk/"


def _fixture(name: str) -> str:
    return (FIXTURES / name).read_bytes().decode("gb18030")


def _tree() -> str:
    page = _fixture("trs_zhuanlan.html")
    return page[page.index("<!-- xxgk left begin -->") : page.index("<!-- xxgk left end -->")]


def _catalogue() -> dict[str, str]:
    """path -> name of every column the fixture's catalogue shows (the tree, then the 重点领域 page)."""
    out: dict[str, str] = {}
    for page in (_tree(), _fixture("trs_zdly.html")):
        for path, name in _HREF.findall(page):
            if path not in ("/zwgk/", *out):
                out[path] = name.strip()
    return out


def _rows(path: str) -> list[tuple[str, str, str]]:
    """(url, title, date) of a column's two documents."""
    digest = zlib.crc32(path.encode()) % 90000
    return [
        (
            f"{path}202411/t202411{day:02d}_{1500000 + digest + day}.html",
            f"青川区{_name(path)}公开事项（第{n}号）",
            f"2024-11-{day:02d}",
        )
        for n, day in ((1, 12), (2, 5))
    ]


def _name(path: str) -> str:
    return {**_catalogue(), **_OUTSIDE}.get(path, "")


def _list_page(path: str) -> str:
    if path == _BLANK:
        rows = "<li>暂无信息</li>"
    else:
        rows = "".join(
            f'<li><a href="{url}" title="{title}" target="_blank">{title}</a><span>{date}</span></li>'
            for url, title, date in _rows(path)
        )
    page = _fixture("trs_list.html").replace("{{NAME}}", _name(path))
    return page.replace("<!--TREE-->", _tree()).replace("<!--ROWS-->", rows)


_LATEST = {  # the 最新公开 block of the 专栏 page
    "/zwgk/fdzdgknr/gfxwj/202411/t20241108_1500071.html": (
        "青川区人民政府关于印发《青川区城市管理办法》的通知",
        "2024-11-08",
    ),
    "/zwgk/fdzdgknr/zcjd/202411/t20241109_1500074.html": ("《青川区城市管理办法》政策解读", "2024-11-09"),
}


def _article(path: str) -> str | None:
    for column in [*_catalogue(), *_OUTSIDE]:
        rows = _rows(column) + [(u, t, d) for u, (t, d) in _LATEST.items() if u.startswith(column)]
        for url, title, date in rows:
            if url == path:
                page = _fixture("trs_article.html")
                for key, value in (
                    ("TITLE", title),
                    ("DATE", date),
                    ("YEAR", "2024"),
                    ("NAME", _name(column)),
                ):
                    page = page.replace("{{" + key + "}}", value)
                return page.replace("{{SEQ}}", f"{zlib.crc32(path.encode()) % 100000:05d}")
    return None


def _sitemap() -> str:
    rows = "".join(f'<li><a href="{p}">{n}</a></li>' for p, n in {**_catalogue(), **_OUTSIDE}.items())
    return f'<html><head><meta charset="gb2312"><title>网站地图</title></head><body><ul class="map">{rows}</ul></body></html>'


def _trs_site(request: Request) -> Response:
    path = request.path
    pages = {
        "/": lambda: _fixture("trs_home.html"),
        "/zwgk/": lambda: _fixture("trs_zhuanlan.html"),
        _ZDLY: lambda: _fixture("trs_zdly.html").replace("<!--TREE-->", _tree()),
        "/lxwm/": lambda: _fixture("trs_contact.html"),
        "/wzdt/": _sitemap,
        "/wzsm/": lambda: _fixture("trs_contact.html").replace("联系我们", "网站声明"),
    }
    if path in pages:
        text: str | None = pages[path]()
    elif path in _catalogue() or path in _OUTSIDE:
        text = _list_page(path)
    else:
        text = _article(path)
    if text is None:
        return Response(
            "<html><body>页面不存在</body></html>", status=404, content_type="text/html; charset=utf-8"
        )
    return Response(text.encode("gbk"), content_type="text/html")  # GBK, declared only in <meta>


@pytest.fixture(scope="module")
def trs_portal(tmp_path_factory: pytest.TempPathFactory, fast_config: Callable) -> tuple[CrawlResult, str]:
    server = HTTPServer(host="127.0.0.1")
    server.expect_request(re.compile(".*")).respond_with_handler(_trs_site)
    server.start()
    try:
        url = server.url_for("/")
        result = asyncio.run(crawl_many([url], tmp_path_factory.mktemp("trs"), fast_config(), extract=True))[
            0
        ]
    finally:
        server.clear()
        server.stop()
    return result, url


def test_a_trs_left_tree_two_levels_deep_gives_every_column(trs_portal: tuple[CrawlResult, str]) -> None:
    result, url = trs_portal
    catalogue = _catalogue()
    assert len(catalogue) == 37  # 5 first-level, 20 under 法定主动公开内容, 12 重点领域 areas
    tree_parents = {
        p: ""
        for p in ("/zwgk/zfxxgkzn/", "/zwgk/zfxxgkzd/", "/zwgk/fdzdgknr/", "/zwgk/zfxxgknb/", "/zwgk/ysqgk/")
    }
    truth = set()
    for path, name in catalogue.items():
        if path in tree_parents:
            truth.add((name, path, "", "left_tree"))
        elif path.startswith(_ZDLY) and path != _ZDLY:
            truth.add((name, path, _ZDLY, "subcatalogue"))
        else:
            truth.add((name, path, "/zwgk/fdzdgknr/", "left_tree"))
    for model in (result.site_model, extract_archive(Path(result.archive), url)):
        inside = {c for c in _found(model) if c[1].startswith("/zwgk/")}
        assert inside == truth, (sorted(truth - inside), sorted(inside - truth))
        outside = {(c.name, _path(c.url), c.found_by) for c in model.columns if not c.in_zhuanlan}
        assert outside == {(n, p, "nav") for p, n in _OUTSIDE.items()}  # the homepage's menu
        assert {c.name for c in model.columns} >= {
            "机构职能",
            "领导信息",
            "权责清单",
            "规范性文件",
            "其他文件",
            "行政许可",
            "行政处罚",
            "行政强制",
            "行政事业性收费",
            "政府采购",
            "重大建设项目",
            "重大行政决策预公开",
            "常务会议",
            "重点领域信息公开",
            "社会救助",
            "应急管理",
        }


def test_the_trs_portal_columns_hold_their_documents_and_the_blank_one_is_blank(
    trs_portal: tuple[CrawlResult, str],
) -> None:
    model = trs_portal[0].site_model
    columns = {_path(c.url): c for c in model.columns}
    blank = columns[_BLANK]
    assert blank.items == () and blank.placeholder  # 暂无信息, in GBK
    for path, column in columns.items():
        if path in (_BLANK, _ZDLY):
            continue
        assert [_path(i.url) for i in column.items] == [u for u, _t, _d in _rows(path)], column.name
    blank_findings = run_check("column.blank", model, TRS_AS_OF)
    assert {f.subject for f in blank_findings if f.verdict.value == "FAIL"} == {"其他文件"}


# ------------------------------------------------------------------ checks on the varied fleet

CATALOGUE = [{"name": name, "kinds": [kind], "aliases": []} for _, name, kind, *_ in COLUMNS]


@pytest.fixture(scope="module")
def varied_with_defects(
    tmp_path_factory: pytest.TempPathFactory, fast_config: Callable
) -> list[tuple[FleetSite, SiteModel, list[dict[str, str]]]]:
    fleet = generate_fleet(6, seed=42, defect_rate=1.0, as_of=AS_OF, scale=0.5, variety=True)
    with FleetServer(fleet) as server:
        urls = [server.url_of(s) for s in fleet.sites]
        results = asyncio.run(
            crawl_many(urls, tmp_path_factory.mktemp("varied"), fast_config(), extract=True)
        )
        manifests = [s.manifest for s in fleet.sites]
    return [(s, r.site_model, m) for s, r, m in zip(fleet.sites, results, manifests, strict=True)]


def test_every_check_matches_the_truth_on_varied_sites(varied_with_defects) -> None:  # noqa: ANN001
    layouts = set()
    for site, model, manifest in varied_with_defects:
        layouts.add(site.variety.layout)
        truth = {(d["check"], d["subject"]) for d in manifest}
        found = set()
        for check_id in all_checks():
            params = {"catalogue": CATALOGUE} if check_id == "column.missing" else None
            params = liuan.PERIODIC_PARAMS if check_id == "column.periodic" else params
            for f in run_check(
                check_id, model, AS_OF, params, unit_group=site.group, unit_name=site.full_name
            ):
                if f.verdict.value == "FAIL":
                    found.add((f.check, f.subject))
        assert found == truth, (site.variety, sorted(found - truth), sorted(truth - found))
    assert len(layouts) >= 4


def _page(title: str, body: str) -> str:
    return f'<html><head><meta charset="utf-8"><title>{title}</title></head><body>{body}</body></html>'


def test_a_catalogue_in_a_frame_with_icon_links_is_read_as_the_zhuanlan_s(
    httpserver: HTTPServer, tmp_path: Path, fast_config: Callable
) -> None:
    """Old portals show the 信息公开目录 in an iframe; icon links are named by their image's alt text."""
    html = "text/html; charset=utf-8"
    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)  # a 5xx would stop the host
    httpserver.expect_request("/").respond_with_data(
        _page("某县人民政府", '<div class="nav"><a href="/xxgk/">政府信息公开</a></div>'), content_type=html
    )
    httpserver.expect_request("/xxgk/").respond_with_data(
        _page("政府信息公开", '<iframe src="/xxgk/ml.html" width="100%"></iframe>'), content_type=html
    )
    tree = (
        '<div class="ml"><ul><li><a href="/xxgk/zn/"><img src="/i/zn.png" alt="政府信息公开指南"></a></li>'
        '<li><a href="/xxgk/fdgk/">法定主动公开内容</a><ul><li><a href="/xxgk/fdgk/qzqd/">权责清单</a></li>'
        '<li><a href="/xxgk/fdgk/cwhy/"><img src="/i/cwhy.png" alt="常务会议"></a></li></ul></li></ul></div>'
    )
    httpserver.expect_request("/xxgk/ml.html").respond_with_data(_page("目录", tree), content_type=html)
    for path in ("/xxgk/zn/", "/xxgk/fdgk/", "/xxgk/fdgk/qzqd/", "/xxgk/fdgk/cwhy/"):
        row = f'<ul class="list"><li><a href="{path}t1.html">某项信息</a><span>2026-11-02</span></li></ul>'
        httpserver.expect_request(path).respond_with_data(_page("栏目", row), content_type=html)
        httpserver.expect_request(f"{path}t1.html").respond_with_data(
            _page("某项信息", "<p>正文</p>"), content_type=html
        )
    url = httpserver.url_for("/")
    result = asyncio.run(crawl_many([url], tmp_path, fast_config(), extract=True))[0]
    for model in (result.site_model, extract_archive(Path(result.archive), url)):
        assert _found(model) == {
            ("政府信息公开指南", "/xxgk/zn/", "", "left_tree"),
            ("法定主动公开内容", "/xxgk/fdgk/", "", "left_tree"),
            ("权责清单", "/xxgk/fdgk/qzqd/", "/xxgk/fdgk/", "left_tree"),
            ("常务会议", "/xxgk/fdgk/cwhy/", "/xxgk/fdgk/", "left_tree"),
        }
        assert all(c.in_zhuanlan and len(c.items) == 1 for c in model.columns if c.name != "法定主动公开内容")


def test_the_classic_fleet_keeps_its_columns_and_says_how_it_found_them(
    tmp_path: Path, fast_config: Callable
) -> None:
    """Sites without variety (every existing seed) are read as before, now with parents and found_by."""
    fleet = generate_fleet(6, seed=5, defect_rate=0.5, as_of=AS_OF)  # the crawl tests' fleet, served apart
    with FleetServer(fleet) as server:
        urls = [server.url_of(s) for s in fleet.sites]
        results = asyncio.run(crawl_many(urls, tmp_path, fast_config(), extract=True))
    for site, result in zip(fleet.sites, results, strict=True):
        assert site.variety is None
        assert _found(result.site_model) == _truth(site), site.cms


# --------------------------------------------------------------- one page's catalogue links, by form


def _links(body: str, documents: tuple[str, ...] = ()) -> dict[str, tuple[str, str, str]]:
    tree = parse_html(f"<html><body>{body}</body></html>")
    return {
        _path(url): (name, _path(parent) if parent else "", how)
        for url, name, parent, how, _sig in catalogue_links(tree, "http://x.gov.cn/", body, documents)
    }


@pytest.mark.parametrize(
    "body",
    [
        # nested ul/li
        '<div class="xxgk-nav"><ul><li><a href="/a/">指南</a></li><li><a href="/f/">法定主动公开内容</a>'
        '<ul><li><a href="/f/j/">机构职能</a></li></ul></li></ul></div>',
        # an accordion: the list belongs to the heading right before it
        '<div class="sideMenu"><h3><a href="/a/">指南</a></h3><h3><a href="/f/">法定主动公开内容</a></h3>'
        '<ul><li><span>·</span><a href="/f/j/">机构职能</a></li></ul></div>',
        # dl/dt/dd
        '<dl><dt><a href="/a/">指南</a></dt><dt><a href="/f/">法定主动公开内容</a></dt><dd><a href="/f/j/">机构职能</a></dd></dl>',
        # a div tree
        '<div class="lm-tree"><div class="node"><a class="l1" href="/a/">指南</a></div><div class="node">'
        '<a class="l1" href="/f/">法定主动公开内容</a><div class="sub"><a href="/f/j/">机构职能</a></div></div></div>',
    ],
    ids=["ul", "accordion", "dl", "div"],
)
def test_a_tree_nests_its_entries_in_every_form(body: str) -> None:
    links = _links(body)
    assert links["/a/"] == ("指南", "", "left_tree")
    assert links["/f/"] == ("法定主动公开内容", "", "left_tree")
    assert links["/f/j/"] == ("机构职能", "/f/", "left_tree")


def test_tabs_more_links_and_furniture() -> None:
    body = (
        '<div class="crumb"><a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a></div>'
        '<div class="tab-box"><ul class="tab-hd"><li>政策文件</li><li>规范性文件</li></ul><div class="tab-bd">'
        '<div class="pane"><ul><li><a href="/z/1.html">文件一</a><span>2026-11-02</span></li></ul>'
        '<a class="more" href="/z/">更多&gt;&gt;</a></div>'
        '<div class="pane"><ul></ul><a class="more" href="/g/">更多&gt;&gt;</a></div></div></div>'
        '<div class="box"><div class="box-hd"><h3>人事信息</h3><a class="more" href="/r/">更多</a></div></div>'
        '<div class="footer"><a href="/lxwm/">联系我们</a></div><div class="yqlj"><a href="/o/">友情链接</a></div>'
    )
    links = _links(body, documents=("http://x.gov.cn/z/1.html",))
    assert links["/z/"] == ("政策文件", "", "tab")
    assert links["/g/"] == ("规范性文件", "", "tab")
    assert links["/r/"] == ("人事信息", "", "more")
    assert not {"/", "/zwgk/", "/lxwm/", "/o/", "/z/1.html"} & set(
        links
    )  # crumbs, footer, 友情链接, documents


def test_the_real_handan_catalogue_is_read_with_its_parents() -> None:
    page = (CORPUS / "gov_pages" / "handan-xxgk-guide-zfxxgkzn-2020.html").read_bytes()
    text, encoding = decode(page, "")
    tree = parse_html(text, page, encoding)
    links = {
        url: (name, parent)
        for url, name, parent, _how, _sig in catalogue_links(
            tree, "http://hdzfxxgk.hd.gov.cn/zfxxgkzn/", text
        )
    }
    statutory = "http://hdzfxxgk.hd.gov.cn/fdgknr/"
    assert links[statutory] == ("法定主动公开内容", "")  # written over two lines
    assert links["http://hdzfxxgk.hd.gov.cn/zfwj/jgze/"] == ("机构职责", statutory)
    assert links["http://hdzfxxgk.hd.gov.cn/zfwj/yjgl/"] == ("应急管理", statutory)
    assert links["http://hdzfxxgk.hd.gov.cn/zfxxgknb/"] == ("政府信息公开年报", "")


def test_names_lose_bullets_and_counts_and_an_icon_more_link_is_a_more_link() -> None:
    body = (
        '<div class="left-menu"><ul><li><a href="/z/">■ 政策文件 (25)</a></li><li><a href="/j/">机构职能（3）</a></li>'
        '<li><a href="/s/">· 社会救助</a></li></ul></div>'
        '<div class="box"><div class="hd"><h3>人事信息</h3><a href="/r/"><img src="/i/more.gif" alt="更多"></a></div></div>'
    )
    links = _links(body)
    assert links["/z/"][0] == "政策文件" and links["/j/"][0] == "机构职能" and links["/s/"][0] == "社会救助"
    assert links["/r/"] == ("人事信息", "", "more")
