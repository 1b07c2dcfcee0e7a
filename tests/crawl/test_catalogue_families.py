"""Hand-made portals of other CMS families than the TRS district portal (tests/crawl/catalogue_portals.py,
templates in tests/fixtures/catalogue/<family>/), each crawled on loopback as `gongkai scan` crawls:

- every column its catalogue shows is found, with its parent and how the catalogue showed it, and no other;
- the documents of each column are its own, a column's later pages included (POST dataproxy, API pages);
- column.missing fails exactly the standard column the site lacks, column.blank exactly the blank one,
  meta.missing nothing (every document carries its metadata).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import re
import socket
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from pytest_httpserver import HTTPServer
from tests.crawl.catalogue_portals import Portal, gkmlpt_gd, hanweb_needs_post, hanweb_zj
from tests.crawl.catalogue_portals_more import kpy_subdomain, township, under
from typer.testing import CliRunner

from gongkai.checks import run_check
from gongkai.cli import app
from gongkai.crawl import CrawlResult, crawl_many, extract_archive
from gongkai.crawl.catalogue import FOUND_BY, catalogue_links
from gongkai.crawl.discover import parse_html
from gongkai.crawl.gkmlpt import gkmlpt_sid, gkmlpt_tree
from gongkai.model import SiteModel
from gongkai.scan import scan_archive

AS_OF = dt.date(2024, 11, 20)


def _key(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"#{parts.fragment}" if parts.fragment else "")


def _truth(portal: Portal) -> set[tuple[str, str, str, str]]:
    return {(c.name, c.key, c.parent, c.found_by) for c in portal.columns}


def _found(model: SiteModel) -> set[tuple[str, str, str, str]]:
    return {
        (c.name, _key(c.url), _key(c.parent) if c.parent else "", c.found_by)
        for c in model.columns
        if c.in_zhuanlan
    }


def _crawl(portal: Portal, tmp: Path, config: object) -> tuple[CrawlResult, str]:
    server = HTTPServer(host="127.0.0.1")
    server.expect_request(re.compile(".*")).respond_with_handler(portal.serve)
    server.start()
    try:
        url = server.url_for("/")
        result = asyncio.run(crawl_many([url], tmp, config, extract=True))[0]
    finally:
        server.clear()
        server.stop()
    return result, url


@pytest.fixture(scope="module")
def named_hosts() -> Iterator[None]:
    """www.qs.gov.cn and xxgk.qs.gov.cn resolve to this machine."""
    real = socket.getaddrinfo

    def resolve(host, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
        return real(
            "127.0.0.1" if isinstance(host, str) and host.endswith(".gov.cn") else host, *args, **kwargs
        )

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(socket, "getaddrinfo", resolve)
        yield


def _crawl_two_hosts(tmp: Path, fast_config: Callable) -> tuple[Portal, CrawlResult, str]:
    """The portal on www, its 专栏 on the xxgk host (another port here): both crawled as one site."""
    www, platform = HTTPServer(host="127.0.0.1"), HTTPServer(host="127.0.0.1")
    www.start()
    platform.start()
    try:
        portal_url = f"http://www.qs.gov.cn:{www.port}/"
        home, xxgk = kpy_subdomain(portal_url, f"http://xxgk.qs.gov.cn:{platform.port}/")
        www.expect_request(re.compile(".*")).respond_with_handler(home.serve)
        platform.expect_request(re.compile(".*")).respond_with_handler(xxgk.serve)
        config = fast_config(max_pages=2000, allow_private=True, probe_external=False)
        result = asyncio.run(crawl_many([portal_url], tmp, config, extract=True))[0]
    finally:
        for server in (www, platform):
            server.clear()
            server.stop()
    return xxgk, result, portal_url


PORTALS = {"hanweb_zj": hanweb_zj, "gkmlpt_gd": gkmlpt_gd, "kpy_subdomain": None, "township": township}


@pytest.fixture(scope="module", params=sorted(PORTALS))
def crawled(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    fast_config: Callable,
    named_hosts: None,
) -> tuple[Portal, CrawlResult, str]:
    tmp = tmp_path_factory.mktemp(request.param)
    if request.param == "kpy_subdomain":
        return _crawl_two_hosts(tmp, fast_config)
    portal = PORTALS[request.param]()
    result, url = _crawl(portal, tmp, fast_config(max_pages=2000))
    return portal, result, url


def test_every_column_is_found_with_its_parent_and_how(crawled: tuple[Portal, CrawlResult, str]) -> None:
    portal, result, url = crawled
    assert not result.partial, result.faults
    truth = _truth(portal)
    for model in (result.site_model, extract_archive(Path(result.archive), url)):
        found = _found(model)
        assert found == truth, (portal.family, sorted(truth - found), sorted(found - truth))


def test_each_column_holds_its_own_documents(crawled: tuple[Portal, CrawlResult, str]) -> None:
    portal, result, _url = crawled
    columns = {_key(c.url): c for c in result.site_model.columns}
    for col in portal.columns:
        if col.key not in columns:
            continue  # reported by the test above
        if col.single:
            continue  # a 指南 written on the column's page: no list (column.blank: UNCERTAIN, never FAIL)
        expected = [d.path for d in portal.docs(col)]
        if any(c.parent == col.key for c in portal.columns):
            continue  # a parent column: judged through its children
        assert [_key(i.url) for i in columns[col.key].items] == expected, (portal.family, col.name)


def _fails(model: SiteModel, check: str) -> set[str]:
    return {f.subject for f in run_check(check, model, AS_OF) if f.verdict.value == "FAIL"}


def test_the_checks_find_the_defects_and_nothing_else(crawled: tuple[Portal, CrawlResult, str]) -> None:
    portal, result, _url = crawled
    model = result.site_model
    assert _fails(model, "column.missing") == portal.missing
    assert _fails(model, "column.blank") == {c.name for c in portal.columns if c.blank}
    assert _fails(model, "meta.missing") == set()


def test_a_hanweb_column_s_records_past_the_page_come_by_post() -> None:
    portal = hanweb_zj()
    [long] = hanweb_needs_post(portal)
    assert len(portal.docs(long)) == 60  # 45 in the page, 15 from dataproxy.jsp, asked by POST only


def test_a_header_link_before_a_menu_is_not_the_menu_s_parent() -> None:
    """The logo (the homepage) or a 返回门户首页 link to the portal right before a 专栏's menu: the
    menu's entries are first-level entries of a flat menu, not children of that link."""
    for header in (
        '<div class="gk-head"><a href="http://www.qs.gov.cn/">返回门户首页</a></div>',
        '<div class="header"><a href="/"><img src="/logo.png" alt="青山县人民政府"></a></div>',
    ):
        body = (
            header
            + '<div class="gk-topnav"><ul><li><a href="/a/">指南</a></li><li><a href="/b/">制度</a></li></ul></div>'
        )
        links = {
            url: (parent, how)
            for url, _n, parent, how, _s in catalogue_links(parse_html(body), "http://x.gov.cn/", body)
        }
        assert links["http://x.gov.cn/a/"] == ("", "nav") and links["http://x.gov.cn/b/"] == ("", "nav")
    body = '<div class="side"><h3><a href="/f/">法定主动公开内容</a></h3><ul><li><a href="/f/j/">机构职能</a></li></ul></div>'
    links = {
        url: parent for url, _n, parent, _h, _s in catalogue_links(parse_html(body), "http://x.gov.cn/", body)
    }
    assert links["http://x.gov.cn/f/j/"] == "http://x.gov.cn/f/"  # a heading of the tree still is


def _roles(model: SiteModel) -> dict[str, str]:
    return {_key(p.url): p.role for p in model.pages}


def test_every_page_has_the_role_an_evaluator_gives_it(crawled: tuple[Portal, CrawlResult, str]) -> None:
    """Documents of the 专栏's columns are 专栏 documents, news outside it articles, the columns' pages
    lists or catalogue pages, 联系我们 and 网站地图 service pages."""
    portal, result, _url = crawled
    roles = _roles(result.site_model)
    for path in portal.documents:
        if path in roles:
            assert roles[path] == "zhuanlan_document", (portal.family, path, roles[path])
    assert len([p for p in portal.documents if p in roles]) >= 0.9 * len(portal.documents)
    for col in portal.columns:
        page = col.key.split("#")[0]
        if page in roles and not col.single:
            assert roles[page] in ("list", "catalogue"), (portal.family, col.name, roles[page])
    for path in ("/col/col1229000097/index.html", "/col/col1229000098/index.html", "/zwgk/lxwm/", "/lxwm/"):
        if path in roles:
            assert roles[path] == "service", (portal.family, path, roles[path])


def test_an_unread_part_of_the_catalogue_makes_a_missing_column_uncertain(
    tmp_path: Path, fast_config: Callable
) -> None:
    """The Hanweb portal's 重点领域 page fails (503, retried): the catalogue was not read completely, so the
    制度 it lacks is UNCERTAIN (naming what was not read), never a FAIL."""
    portal = hanweb_zj()
    serve = portal.serve

    def failing(request):  # noqa: ANN001, ANN202
        if request.path == "/col/col1229100050/index.html":
            from werkzeug import Response

            return Response("Service Unavailable", status=503)
        return serve(request)

    portal.serve = failing  # type: ignore[method-assign]
    result, url = _crawl(portal, tmp_path, fast_config(max_pages=2000, retries=1))
    assert result.partial
    scan = scan_archive(Path(result.archive), as_of=AS_OF, site=url)
    findings = [f for f in scan.findings if f.check == "column.missing" and f.subject == "政府信息公开制度"]
    assert [f.verdict.value for f in findings] == ["UNCERTAIN"], findings
    assert "目录未读完整" in findings[0].message
    assert not [f for f in scan.findings if f.check == "column.missing" and f.verdict.value == "FAIL"]


def test_the_scan_fails_only_what_the_site_lacks(crawled: tuple[Portal, CrawlResult, str]) -> None:
    """`gongkai scan` on the archive with the default framework: column.missing fails the standard column the
    site lacks and the framework's further items it lacks, column.blank the blank one, annual_report.missing
    only where there is no 年报, meta.missing nothing, and the catalogue was read completely."""
    portal, result, url = crawled
    scan = scan_archive(Path(result.archive), as_of=AS_OF, site=url)

    def fails(check: str) -> set[str]:
        return {f.subject for f in scan.findings if f.check == check and f.verdict.value == "FAIL"}

    assert fails("column.missing") == portal.missing | portal.framework_missing
    assert fails("column.blank") == {c.name for c in portal.columns if c.blank}
    has_report = any("年报" in c.name for c in portal.columns)
    assert fails("annual_report.missing") == (set() if has_report else {"政府信息公开年报"})
    assert fails("meta.missing") == set()
    assert scan.coverage is not None and scan.coverage.complete


@pytest.fixture(scope="module")
def gkmlpt_js(
    tmp_path_factory: pytest.TempPathFactory, fast_config: Callable
) -> tuple[Portal, CrawlResult, str]:
    portal = gkmlpt_gd(js_config=True)
    result, url = _crawl(portal, tmp_path_factory.mktemp("gkmlpt_js"), fast_config(max_pages=2000))
    return portal, result, url


def test_a_gkmlpt_config_written_as_javascript_gives_the_whole_tree(
    gkmlpt_js: tuple[Portal, CrawlResult, str],
) -> None:
    """Real gkmlpt pages write `window._CONFIG = { SID: '…', TREE: [...], }` (not JSON): the tree is read all
    the same; a node whose list was not read is not judged blank (needs_render), and nothing is missing."""
    portal, result, url = gkmlpt_js
    for model in (result.site_model, extract_archive(Path(result.archive), url)):
        assert _found(model) == _truth(portal)
    model = result.site_model
    empty = {c.key for c in portal.columns if c.count == 0}  # the blank node and a parent of no documents
    nodes = [c for c in model.columns if "#" in c.url and _key(c.url) not in empty]
    assert all(c.items or c.needs_render for c in nodes)  # read, or said to be unread: never "blank"
    assert _fails(model, "column.missing") == set()
    assert _fails(model, "column.blank") <= {"应急管理"}


def test_a_gkmlpt_config_written_as_javascript_has_its_lists_read(
    gkmlpt_js: tuple[Portal, CrawlResult, str],
) -> None:
    portal, result, _url = gkmlpt_js
    columns = {_key(c.url): c for c in result.site_model.columns}
    regulations = next(c for c in portal.columns if c.name == "规范性文件")
    assert [_key(i.url) for i in columns[regulations.key].items] == [d.path for d in portal.docs(regulations)]


def test_the_gkmlpt_tree_is_read_from_json_and_from_a_javascript_object() -> None:
    tree = '[{"id": 1, "name": "政策文件", "children": [{"id": 2, "name": "规范性文件（含\\"]\\"）", "children": []}]}]'
    json_page = f'<script>window._CONFIG = {{"SID": "2", "TREE": {tree}}};</script>'
    js_page = f"<script>\n window._CONFIG = {{\n  SID: '200001',\n  SITE_NAME: '某区[政府]',\n  TREE: {tree},\n  DETAIL: null,\n }};\n</script>"
    for page in (json_page, js_page):
        [root] = gkmlpt_tree(page)
        assert root["name"] == "政策文件" and root["children"][0]["name"] == '规范性文件（含"]"）'
    assert gkmlpt_sid(js_page) == "200001" and gkmlpt_sid(json_page) == "2"
    one_root = '<script>window._CONFIG = { SID: \'7\', TREE: {"id": 5, "name": "机构职能", "children": []} };</script>'
    assert [n["id"] for n in gkmlpt_tree(one_root)] == [5]
    assert (
        gkmlpt_tree("<script>var x = 1;</script>") == []
        and gkmlpt_tree("window._CONFIG = { SID: '1' }") == []
    )


@pytest.mark.parametrize("crawled", ["hanweb_zj"], indirect=True)  # the Hanweb portal carries it
def test_a_name_the_vocabulary_does_not_know_is_kept_with_its_parent(
    crawled: tuple[Portal, CrawlResult, str],
) -> None:
    _portal, result, _url = crawled
    [column] = [c for c in result.site_model.columns if c.name == "优化营商环境"]
    assert column.kind == "other" and _key(column.parent) == "/col/col1229100030/index.html"
    assert len(column.items) == 2


def test_gongkai_extract_shows_each_column_and_how_it_was_found(
    crawled: tuple[Portal, CrawlResult, str], tmp_path: Path
) -> None:
    """`gongkai extract <archive> --json`: the 栏目 table says how each column was found (in Chinese), the
    model JSON carries every column of the catalogue with its parent and found_by."""
    portal, result, _url = crawled
    out = tmp_path / "model.json"
    res = CliRunner().invoke(app, ["extract", str(result.archive), "--json", str(out)])
    assert res.exit_code == 0, res.output
    assert "发现方式" in res.output
    for how in {c.found_by for c in portal.columns}:
        assert FOUND_BY[how][:2] in res.output, (portal.family, how)  # (the table may wrap the rest)
    doc = json.loads(out.read_text(encoding="utf-8"))
    shown = {
        (c["name"], _key(c["url"]), _key(c["parent"]) if c["parent"] else "", c["found_by"])
        for c in doc["columns"]
        if c["in_zhuanlan"]
    }
    assert shown == _truth(portal)


def test_anchors_that_are_tabs_or_skip_links_make_no_column(tmp_path: Path, fast_config: Callable) -> None:
    """Anchors of the 专栏 page that are not a one-page catalogue: a 跳到主要内容 link (无障碍) and tabs
    whose panes end in 更多 (the panes preview the columns their 更多 links lead to)."""
    docs = {
        "/zcwj/": [("/zcwj/t1.html", "关于印发某办法的通知", "2024-11-02")],
        "/gfxwj/": [("/gfxwj/t2.html", "某县规范性文件管理办法", "2024-10-21")],
    }

    def rows(path: str) -> str:
        return "".join(f'<li><a href="{u}">{t}</a><span>{d}</span></li>' for u, t, d in docs[path])

    tabs = (
        '<a href="#main">跳到主要内容</a><div id="main"><div class="tab"><ul class="tab-hd">'
        '<li><a href="#p1">政策文件</a></li><li><a href="#p2">规范性文件</a></li></ul>'
        f'<div id="p1"><ul>{rows("/zcwj/")}</ul><a href="/zcwj/">更多</a></div>'
        f'<div id="p2"><ul>{rows("/gfxwj/")}</ul><a href="/gfxwj/">更多</a></div></div></div>'
    )
    pages = {
        "/": '<div class="nav"><a href="/xxgk/">政府信息公开</a></div>',
        "/xxgk/": tabs,
        **{p: f'<ul class="list">{rows(p)}</ul>' for p in docs},
        **{u: f"<h1>{t}</h1><p>发布日期：{d}</p><p>正文</p>" for rs in docs.values() for u, t, d in rs},
    }
    server = HTTPServer(host="127.0.0.1")
    server.expect_request("/robots.txt").respond_with_data("", status=404)
    for path, body in pages.items():
        server.expect_request(path).respond_with_data(
            f'<html><head><meta charset="utf-8"><title>页</title></head><body>{body}</body></html>',
            content_type="text/html; charset=utf-8",
        )
    server.start()
    try:
        url = server.url_for("/")
        result = asyncio.run(crawl_many([url], tmp_path, fast_config(), extract=True))[0]
    finally:
        server.clear()
        server.stop()
    found = {(c.name, _key(c.url), c.found_by) for c in result.site_model.columns}
    assert found == {("政策文件", "/zcwj/", "tab"), ("规范性文件", "/gfxwj/", "tab")}


@pytest.fixture(scope="module")
def gkmlpt_below(
    tmp_path_factory: pytest.TempPathFactory, fast_config: Callable
) -> tuple[Portal, CrawlResult, str]:
    """A department's gkmlpt below a folder of its government's host (`/yjzjj/gkmlpt/index`, as 阳江 has)."""
    portal = under(gkmlpt_gd(), "/xhqzfb")
    server = HTTPServer(host="127.0.0.1")
    server.expect_request(re.compile(".*")).respond_with_handler(portal.serve)
    server.start()
    try:
        url = server.url_for("/xhqzfb/")
        result = asyncio.run(
            crawl_many([url], tmp_path_factory.mktemp("below"), fast_config(max_pages=2000), extract=True)
        )[0]
    finally:
        server.clear()
        server.stop()
    return portal, result, url


def test_a_gkmlpt_below_a_folder_gives_its_whole_tree(gkmlpt_below: tuple[Portal, CrawlResult, str]) -> None:
    portal, result, _url = gkmlpt_below
    assert _found(result.site_model) == _truth(portal)
    assert _fails(result.site_model, "column.missing") == set()
    assert _fails(result.site_model, "column.blank") <= {"应急管理"}


def test_a_gkmlpt_below_a_folder_has_its_lists_read(gkmlpt_below: tuple[Portal, CrawlResult, str]) -> None:
    portal, result, _url = gkmlpt_below
    columns = {_key(c.url): c for c in result.site_model.columns}
    regulations = next(c for c in portal.columns if c.name == "规范性文件")
    assert [_key(i.url) for i in columns[regulations.key].items] == [d.path for d in portal.docs(regulations)]
