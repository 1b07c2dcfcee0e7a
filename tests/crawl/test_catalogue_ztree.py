"""信息公开目录 trees drawn by jQuery zTree (tests/crawl/catalogue_portals_ztree.py), crawled on loopback as
`gongkai scan` crawls: the tree's nodes are the 专栏's columns with their parents (`script_tree`), whether
written in the page or loaded from a JSON tree URL, nodes without a URL read through the page's own list
URL template; the checks find the blank and the missing column and nothing else; a tree whose URL the
script builds at run time leaves the catalogue unread (column.missing UNCERTAIN, never FAIL)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from tests.crawl.catalogue_portals import Portal
from tests.crawl.catalogue_portals_ztree import ztree_ajax, ztree_inline
from tests.crawl.test_catalogue_families import AS_OF, _crawl, _fails, _truth
from typer.testing import CliRunner

from gongkai.cli import app
from gongkai.crawl import CrawlResult, extract_archive
from gongkai.crawl.catalogue import FOUND_BY
from gongkai.crawl.discover import discover_html
from gongkai.crawl.jsliteral import js_value
from gongkai.crawl.scripttree import (
    has_tree,
    script_tree,
    tree_anchors,
    tree_links,
    tree_nodes,
    unread_tree,
)
from gongkai.model import SiteModel
from gongkai.scan import scan_archive

PORTALS = {"inline": ztree_inline, "ajax": ztree_ajax}


def _key(url: str) -> str:
    """A URL without its scheme and host: a tree's list URLs differ only in their query."""
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _found(model: SiteModel) -> set[tuple[str, str, str, str]]:
    return {
        (c.name, _key(c.url), _key(c.parent) if c.parent else "", c.found_by)
        for c in model.columns
        if c.in_zhuanlan
    }


@pytest.fixture(scope="module", params=sorted(PORTALS))
def crawled(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, fast_config: Callable
) -> tuple[Portal, CrawlResult, str]:
    portal = PORTALS[request.param]()
    result, url = _crawl(portal, tmp_path_factory.mktemp(request.param), fast_config(max_pages=2000))
    return portal, result, url


def test_every_tree_node_is_a_column_with_its_parent(crawled: tuple[Portal, CrawlResult, str]) -> None:
    portal, result, url = crawled
    assert not result.partial, result.faults
    assert result.rendered == 0  # the tree is read from the page's script and its JSON: no browser
    truth = _truth(portal)
    assert {c[3] for c in truth} == {"script_tree"} and "script_tree" in FOUND_BY
    for model in (result.site_model, extract_archive(Path(result.archive), url)):
        found = _found(model)
        assert found == truth, (sorted(truth - found), sorted(found - truth))


def test_each_tree_column_holds_its_own_documents(crawled: tuple[Portal, CrawlResult, str]) -> None:
    portal, result, _url = crawled
    columns = {_key(c.url): c for c in result.site_model.columns}
    checked = 0
    for col in portal.columns:
        if col.single or col.blank or any(c.parent == col.key for c in portal.columns):
            continue
        assert [_key(i.url) for i in columns[col.key].items] == [d.path for d in portal.docs(col)], col.name
        checked += 1
    assert checked >= 15
    long = max(portal.columns, key=lambda c: c.count)
    assert len(columns[long.key].items) == long.count > 20  # its second page (pageNo=2) read too


def test_the_checks_find_the_tree_s_defects_and_nothing_else(
    crawled: tuple[Portal, CrawlResult, str],
) -> None:
    portal, result, url = crawled
    model = result.site_model
    assert _fails(model, "column.missing") == portal.missing
    assert _fails(model, "column.blank") == {c.name for c in portal.columns if c.blank}
    assert _fails(model, "meta.missing") == set()
    scan = scan_archive(Path(result.archive), as_of=AS_OF, site=url)
    assert scan.coverage is not None and scan.coverage.complete
    missing = {f.subject for f in scan.findings if f.check == "column.missing" and f.verdict.value == "FAIL"}
    assert portal.missing <= missing


def test_a_tree_built_at_run_time_leaves_the_catalogue_unread(tmp_path: Path, fast_config: Callable) -> None:
    """The tree URL is `ctx + "/getCatalogTree.do"`: no node can be read, so no column is said to be
    missing (UNCERTAIN, naming the tree) and the crawl is not complete."""
    portal = ztree_ajax(literal=False)
    result, url = _crawl(portal, tmp_path, fast_config(max_pages=2000, render="never"))
    scan = scan_archive(Path(result.archive), as_of=AS_OF, site=url)
    findings = [f for f in scan.findings if f.check == "column.missing"]
    assert findings and {f.verdict.value for f in findings} == {"UNCERTAIN"}, findings
    assert all("目录树" in f.message for f in findings)
    assert scan.coverage is not None and not scan.coverage.catalogue_complete


def test_zTree_sources_as_real_pages_write_them() -> None:
    page = """<script src="/js/jquery.ztree.core.js"></script><script>
    var setting = {callback: {onClick: function (e, id, treeNode) {
        window.open('/xxgk/list.jsp?catId=' + treeNode.id + '&type=1'); }}};
    var zNodes =[ {id:1, pId:0, name:'政府信息公开指南', url:"/xxgk/zn/", open:true},
      {id:2, pId:0, name:"法定主动公开内容", open:true, click: "return false;"},
      {id:21, pId:2, name:'机构\\'职能', target:'_self'},
    ];
    $(document).ready(function () { $.fn.zTree.init($("#tree"), setting, zNodes); });</script>"""
    assert has_tree(page) and not has_tree("<script>var nodes = [];</script>")
    tree = script_tree("http://x.gov.cn/xxgk/", page)
    assert tree is not None and not tree.ajax
    assert tree_links(tree.base, tree.nodes, tree.template) == [
        ("http://x.gov.cn/xxgk/zn/", "政府信息公开指南", ""),
        ("http://x.gov.cn/xxgk/list.jsp?catId=2&type=1", "法定主动公开内容", ""),
        (
            "http://x.gov.cn/xxgk/list.jsp?catId=21&type=1",
            "机构'职能",
            "http://x.gov.cn/xxgk/list.jsp?catId=2&type=1",
        ),
    ]
    loaded = "<script>var zTree; var setting = {async: {enable: true, url: '/gkml/tree.do', autoParam: ['id']}};</script>"
    assert script_tree("http://x.gov.cn/gkml/", loaded).ajax == "http://x.gov.cn/gkml/tree.do"
    posted = '<script>$.post("/xxgk/getTree.do?siteId=3", function (d) { $.fn.zTree.init($("#t"), s, d); });</script>'
    assert script_tree("http://x.gov.cn/", posted).ajax == "http://x.gov.cn/xxgk/getTree.do?siteId=3"
    built = '<script>$.ajax({url: ctx + "/getTree.do", success: function (d) { $.fn.zTree.init($("#t"), s, d); }});</script>'
    assert script_tree("http://x.gov.cn/", built).ajax == ""
    assert js_value("[{a: function () { return 1; }}]") is None
    search = (
        '<script>function go(data) { location.href = "/search.jsp?q=" + data.keyword; }'
        'var setting = {callback: {onClick: function (e, i, treeNode) { open("/xxgk/list.jsp?cid=" + treeNode.code); }}};'
        "var zNodes = [{id: 1, pId: 0, code: 'A01', name: '机构职能'}]; $.fn.zTree.init($('#t'), setting, zNodes);</script>"
    )
    tree = script_tree("http://x.gov.cn/", search)
    assert tree is not None and tree.template == ("/xxgk/list.jsp?cid=", "code", "")


class _Facts:
    def __init__(self, script_tree: object = None, tree_nodes: list[dict[str, object]] | None = None) -> None:
        self.script_tree, self.tree_nodes = script_tree, tree_nodes or []


class _Site:
    def __init__(self, pages: dict[str, _Facts]) -> None:
        self.pages = pages

    def get(self, url: str) -> _Facts | None:
        return self.pages.get(url)


def test_a_tree_whose_children_load_on_opening_is_not_read_whole() -> None:
    """zTree's async mode (`async: {enable: true, url, autoParam: ["id"]}`) answers the first level only;
    a node marked isParent whose children were not in the answer leaves the catalogue unread."""
    page = (
        '<script>var setting = {async: {enable: true, url: "/gkml/tree.do", autoParam: ["id"]}, '
        'callback: {onClick: function (e, i, treeNode) { location.href = "/gkml/list.do?id=" + treeNode.id; }}};'
        '$.fn.zTree.init($("#t"), setting);</script>'
    )
    tree = script_tree("http://x.gov.cn/gkml/", page)
    assert tree is not None and tree.ajax == "http://x.gov.cn/gkml/tree.do"
    first = [
        {"id": 1, "pId": 0, "name": "政府信息公开指南"},
        {"id": 3, "pId": 0, "name": "法定主动公开内容", "isParent": True},
    ]
    whole = [*first, {"id": 31, "pId": 3, "name": "机构职能"}]
    zl = _Facts(tree)
    for nodes, unread in ((first, "法定主动公开内容"), (whole, ""), ([], "未取得或无法解析")):
        site = _Site({tree.ajax: _Facts(tree_nodes=tree_nodes(nodes))})
        assert (unread in unread_tree(site, zl)) and (bool(unread_tree(site, zl)) == bool(unread)), nodes
    assert [u for u, *_ in tree_anchors(_Site({tree.ajax: _Facts(tree_nodes=tree_nodes(whole))}), zl)] == [
        "http://x.gov.cn/gkml/list.do?id=1",
        "http://x.gov.cn/gkml/list.do?id=3",
        "http://x.gov.cn/gkml/list.do?id=31",
    ]


def test_gongkai_extract_says_the_columns_came_from_the_script_tree(
    crawled: tuple[Portal, CrawlResult, str], tmp_path: Path
) -> None:
    portal, result, _url = crawled
    out = tmp_path / "model.json"
    res = CliRunner().invoke(app, ["extract", str(result.archive), "--json", str(out)])
    assert res.exit_code == 0, res.output
    assert FOUND_BY["script_tree"][:4] in res.output
    doc = json.loads(out.read_text(encoding="utf-8"))
    shown = {(c["name"], _key(c["url"]), c["found_by"]) for c in doc["columns"] if c["in_zhuanlan"]}
    assert shown == {(c.name, c.key, c.found_by) for c in portal.columns}


def test_a_page_s_tree_request_is_not_taken_for_a_script_filled_list() -> None:
    """A list page that also carries the zTree: its `$.ajax` for the tree is the catalogue's, so the page
    needs no browser; another request of its script for its list is still planned."""
    tree = '<ul id="t" class="ztree"></ul><script>$.ajax({url: "/gkml/tree.do", success: function (d) { $.fn.zTree.init($("#t"), s, d); }});</script>'
    rows = '<ul class="list"><li><a href="/a/1.html">某县关于印发某办法的通知</a><span>2024-10-02</span></li></ul>'
    found = discover_html("http://x.gov.cn/gkml/list.do?c=1", f"<html><body>{tree}{rows}</body></html>")
    assert found.scripted is None and "http://x.gov.cn/gkml/tree.do" in found.pagination
    listed = '<div id="list"></div><script>$.ajax({url: "/gkml/docs.do?c=1", success: function (d) { $("#list").html(d); }});</script>'
    found = discover_html("http://x.gov.cn/gkml/list.do?c=1", f"<html><body>{tree}{listed}</body></html>")
    assert found.scripted is not None
    assert [c.url for c in found.scripted.calls] + found.scripted.endpoints == [
        "http://x.gov.cn/gkml/docs.do?c=1"
    ]
