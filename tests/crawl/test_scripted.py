"""Script-rendered list pages: detected from the page alone, read through the API the page's own script
asks (GET or POST), else rendered in headless Chromium; the same items live and offline, and a column
that could not be read is not judged."""

from __future__ import annotations

import asyncio
import datetime as dt
import gzip
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from gongkai.checks.registry import run_check
from gongkai.crawl import CrawlConfig, CrawlResult, crawl_many, extract_archive
from gongkai.crawl.apilist import api_items, api_pages
from gongkai.crawl.discover import parse_html
from gongkai.crawl.facts import page_facts
from gongkai.crawl.scripted import plan, request_of
from gongkai.fleet import Fleet, FleetServer, generate_fleet
from gongkai.model import SiteModel, Verdict

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
AVALON = FIXTURES / "scripted" / "pingtan-ghxx-ndjh-list-with-scripts.html"
AVALON_URL = "https://www.pingtan.gov.cn/zwgk/ghxx/ndjh/"
AS_OF = dt.date(2026, 11, 20)


def _plan(url: str, html: str):  # noqa: ANN202
    return plan(url, html, parse_html(html))


def _facts(url: str, html: str):  # noqa: ANN202
    headers = {"content-type": "text/html; charset=utf-8"}
    return page_facts(url, 200, headers, html.encode("utf-8"), record="r", fetched_at=None)


# ------------------------------------------------------------------------------------- detection


def test_the_real_avalon_list_page_is_detected_with_the_api_its_library_asks() -> None:
    html = AVALON.read_text(encoding="utf-8")
    found = _plan(AVALON_URL, html)
    assert found is not None and found.engine == "avalon"
    # list2.trsapi builds its arguments at run time: the endpoint is named, no request can be repeated
    assert found.endpoints == ["https://www.pingtan.gov.cn/fjdzapp/search"]
    assert found.calls == [] and found.needs_browser
    facts = _facts(AVALON_URL, html)
    assert facts.scripted == "avalon"
    # its first pages are static rows too (动静结合): they are read, with their dates
    rows = [it for rows in (facts.list_items or [], *facts.list_others) for it in rows]
    assert len(rows) == 10  # two static groups of five in the excerpt
    assert facts.list_items[0].date == dt.date(2025, 9, 30)
    assert not facts.placeholder


def test_an_avalon_page_without_static_rows_is_not_read_as_a_blank_column() -> None:
    html = AVALON.read_text(encoding="utf-8")
    start = html.index('<div ms-visible="showStatic">')
    end = html.index('<div ms-visible="!showStatic">')
    facts = _facts(AVALON_URL, html[:start] + html[end:])
    assert facts.scripted == "avalon" and not facts.list_items
    # its template's 暂无数据 is what the script shows when the API says so, not what the column holds
    assert "暂无数据" in html and not facts.placeholder


def test_a_vue_page_with_axios_gives_its_get_request() -> None:
    html = """<html><body><div id="app"><ul class="news-list"><li v-for="item in list">
    <a :href="item.url">{{ item.title }}</a><span>{{ item.date }}</span></li></ul></div>
    <script>new Vue({el: '#app', data: {list: []}, mounted() {
      axios.get('/api/list.json', {params: {cat: 'tzgg', page: 1}}).then(r => { this.list = r.data.data.list })
    }})</script></body></html>"""
    found = _plan("http://www.example.gov.cn/tzgg/", html)
    assert found is not None and found.engine == "vue" and not found.needs_browser
    assert [(c.url, c.method) for c in found.calls] == [
        ("http://www.example.gov.cn/api/list.json?cat=tzgg&page=1", "GET")
    ]


def test_a_jquery_post_gives_its_form_with_the_first_page() -> None:
    html = """<html><body><div class="main"><ul id="newsList"></ul></div>
    <script>$(function(){ $.ajax({url: '/api/column/list.do', type: 'POST', dataType: 'json',
      data: {channelId: '1234', pageNo: page, pageSize: 15}, success: function(d){ draw(d); }});
      $.get('/stat/visitCount.do'); });</script></body></html>"""
    found = _plan("http://www.example.gov.cn/col/tzgg.html", html)
    assert found is not None and found.engine == "ajax"
    (call,) = found.calls  # the visit counter is no list
    assert call.url == "http://www.example.gov.cn/api/column/list.do" and call.method == "POST"
    assert dict(call.form) == {"channelId": "1234", "pageNo": "1", "pageSize": "15"}
    assert request_of(call.url, {call.url: call.body}) == ("POST", call.body)


def test_a_request_built_at_run_time_needs_a_browser() -> None:
    html = """<html><body><ul id="list"></ul><script>var base = '/api/';
    fetch(base + 'list?cat=' + cat).then(r => r.json()).then(draw)</script></body></html>"""
    found = _plan("http://www.example.gov.cn/tzgg/", html)
    assert found is not None and found.needs_browser and not found.calls


def test_a_filled_list_with_a_counter_script_is_not_script_rendered() -> None:
    html = """<html><body><ul id="list"><li><a href="/a/1.html">关于做好今冬明春安全生产工作的通知</a>
    <span>2026-11-02</span></li></ul><script>$.get('/api/hits.do?id=3')</script></body></html>"""
    assert _plan("http://www.example.gov.cn/tzgg/", html) is None


def test_hanweb_dataproxy_is_asked_by_post_with_its_query_as_the_form() -> None:
    url = "http://www.example.gov.cn/module/web/jpage/dataproxy.jsp?startrecord=1&endrecord=45&columnid=12"
    method, form = request_of(url, {})
    assert method == "POST" and form == b"startrecord=1&endrecord=45&columnid=12"
    assert request_of("http://www.example.gov.cn/col/col12/index.html", {}) == ("GET", None)


@pytest.mark.parametrize(
    "doc",
    [
        {
            "code": 0,
            "data": {"list": [{"title": "通知一", "url": "/a/1.html", "publishTime": "2026-10-02 09:00"}]},
        },
        {
            "rows": [{"DOCTITLE": "<em>通知一</em>", "DOCPUBURL": "/a/1.html", "DOCRELTIME": "2026-10-02"}],
            "total": 1,
        },
        [{"name": "通知一", "link": "http://www.example.gov.cn/a/1.html", "fbrq": "2026年10月2日"}],
    ],
)
def test_list_apis_of_any_shape_give_their_rows(doc: object) -> None:
    (item,) = api_items(doc, "http://www.example.gov.cn/api/list.do", "")
    assert item.title == "通知一" and item.url == "http://www.example.gov.cn/a/1.html"
    assert item.date == dt.date(2026, 10, 2)


def test_a_list_api_pages_on_by_its_own_page_parameter() -> None:
    doc = {"data": {"total": 40, "pageSize": 15, "list": [{"title": "t", "url": "/a.html"}] * 15}}
    assert api_pages("http://h/api/list.json?cat=x&page=1", doc, 50) == [
        "http://h/api/list.json?cat=x&page=2",
        "http://h/api/list.json?cat=x&page=3",
    ]
    assert api_pages("http://h/api/list.json?cat=x", doc, 50) == []


# ------------------------------------------------------------------------------ crawls of the fleet


@pytest.fixture(scope="module")
def small_fleet() -> Fleet:
    return generate_fleet(3, seed=5, defect_rate=0.0, as_of=AS_OF)  # one TRS, one Hanweb, one gkmlpt site


def _crawl(fleet: Fleet, mode: str, tmp: Path, config: object, cms: str) -> tuple[CrawlResult, FleetServer]:
    site = next(s for s in fleet.sites if s.cms == cms)
    with FleetServer(fleet, scripted={site.name: mode}) as server:
        (result,) = asyncio.run(crawl_many([server.url_of(site)], tmp, config, extract=True))
    return result, server


def _rows(model: SiteModel) -> dict[str, list[tuple[str, dt.date | None]]]:
    return {c.name: [(urlsplit(i.url).path, i.date) for i in c.items] for c in model.columns}


def _assert_columns_as_generated(fleet: Fleet, cms: str, model: SiteModel) -> None:
    site = next(s for s in fleet.sites if s.cms == cms)
    got = {c.name: c for c in model.columns}
    for col in site.data.columns:
        if col.key == "statutory":
            continue
        c = got[col.name]
        expected = [(i.path, i.published if i.list_date else None) for i in col.items]
        if col.placeholder:
            assert c.placeholder and not c.items, col.name
            continue
        assert [(urlsplit(i.url).path, i.date) for i in c.items] == expected, col.name
        assert not c.needs_render


def test_lists_behind_a_json_api_are_read_live_and_offline_alike(
    small_fleet: Fleet, tmp_path: Path, fast_config: Callable
) -> None:
    result, server = _crawl(small_fleet, "json", tmp_path, fast_config(), "trs")
    assert not result.partial, result.faults
    assert any(r.path.startswith("/api/list/") for r in server.requests)
    _assert_columns_as_generated(small_fleet, "trs", result.site_model)
    assert _rows(extract_archive(result.archive)) == _rows(result.site_model)


def test_a_dataproxy_that_answers_only_post_is_read(
    small_fleet: Fleet, tmp_path: Path, fast_config: Callable
) -> None:
    site = next(s for s in small_fleet.sites if s.cms == "hanweb")
    with FleetServer(small_fleet, scripted={site.name: "post"}) as server:
        probe = server.url_of(site) + "module/web/jpage/dataproxy.jsp?startrecord=1&endrecord=45&columnid=1"
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(probe, timeout=10)  # noqa: S310 - loopback
        assert refused.value.code == 405
        (result,) = asyncio.run(crawl_many([server.url_of(site)], tmp_path, fast_config(), extract=True))
    agent = fast_config().user_agent
    proxy = [r for r in server.requests if "dataproxy.jsp" in r.path and r.agent == agent]
    assert proxy and all(r.status == 200 for r in proxy)
    assert not result.partial, result.faults
    _assert_columns_as_generated(small_fleet, "hanweb", result.site_model)
    assert _rows(extract_archive(result.archive)) == _rows(result.site_model)


@pytest.fixture()
def no_browser(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("GONGKAI_CHROMIUM", str(tmp_path / "missing" / "chromium"))


def test_without_a_browser_the_crawl_says_so_and_the_columns_are_not_judged(
    small_fleet: Fleet, tmp_path: Path, fast_config: Callable, no_browser: None
) -> None:
    result, _server = _crawl(small_fleet, "browser", tmp_path, fast_config(), "trs")
    assert result.partial and result.rendered == 0
    assert any("未找到浏览器" in f and "不作判定" in f for f in result.faults), result.faults
    model = result.site_model
    unread = [c for c in model.columns if c.needs_render]
    assert len(unread) >= 5 and all(not c.items and not c.placeholder for c in unread)
    blank = run_check("column.blank", model, AS_OF)
    failed = {f.subject for f in blank if f.verdict is Verdict.FAIL}
    assert not failed & {c.name for c in unread}
    assert [c.name for c in extract_archive(result.archive).columns if c.needs_render] == [
        c.name for c in unread
    ]


def test_render_never_leaves_script_filled_columns_unjudged(
    small_fleet: Fleet, tmp_path: Path, fast_config: Callable
) -> None:
    result, server = _crawl(small_fleet, "browser", tmp_path, fast_config(render="never"), "trs")
    assert result.partial and any("--render never" in f for f in result.faults)
    assert any(c.needs_render for c in result.site_model.columns)
    assert not any(r.path.startswith("/api/list/") for r in server.requests)  # nothing rendered, no API


@pytest.mark.browser
def test_a_list_drawn_by_script_is_rendered_archived_and_replayed_offline(
    small_fleet: Fleet, tmp_path: Path, fast_config: Callable
) -> None:
    result, server = _crawl(small_fleet, "browser", tmp_path, fast_config(), "trs")
    assert not result.partial, result.faults
    assert result.rendered >= 5
    _assert_columns_as_generated(small_fleet, "trs", result.site_model)
    # the page's API was asked by the browser through the crawler: its User-Agent, never another one
    api = [r for r in server.requests if r.path.startswith("/api/list/")]
    assert api and {r.agent for r in api} == {fast_config().user_agent}
    conversions = _conversion_records(result.archive)
    assert len(conversions) == result.rendered
    assert all(refers.startswith("<urn:uuid:") for refers in conversions)
    offline = extract_archive(result.archive)
    assert _rows(offline) == _rows(result.site_model)
    assert not any(c.needs_render for c in offline.columns)


def _conversion_records(archive: Path) -> list[str]:
    """The WARC-Refers-To of every conversion record (the rendered DOMs) in the archive."""
    out = []
    data = gzip.decompress(archive.read_bytes()).decode("utf-8", "replace")
    for block in data.split("WARC/1.0\r\n")[1:]:
        head = block.split("\r\n\r\n", 1)[0]
        fields = dict(line.split(": ", 1) for line in head.split("\r\n") if ": " in line)
        if fields.get("WARC-Type") == "conversion":
            out.append(fields.get("WARC-Refers-To", ""))
    return out


def test_an_unknown_render_mode_stops_with_a_chinese_message(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ValueError, match="render 须为 auto、never 或 always"):
        CrawlConfig(render="sometimes")
    monkeypatch.setenv("GONGKAI_CRAWL_RENDER", "never")
    assert CrawlConfig().render == "never"


def test_an_article_with_a_hit_counter_and_an_empty_box_is_not_script_rendered() -> None:
    html = """<html><body><div class="con"></div><div class="box"></div><h1>关于开展安全生产检查的通知</h1>
    <div class="article">各有关单位：现将有关事项通知如下……</div><span id="hits"></span>
    <script>$.ajax({url: '/api/addHits.do', data: {id: '42'}, success: function(n){ $('#hits').text(n); }});
    $.get('/count/visit.jsp?id=42');</script></body></html>"""
    assert _plan("http://www.example.gov.cn/art/2026/11/2/art_42.html", html) is None


@pytest.mark.parametrize(
    "name",
    [
        "fujian-pingtan/pingtan-czj-gongshi-77232-2022.html",
        "fujian-pingtan/pingtan-czj-tongzhi-53166-2012.html",
        "fujian-pingtan/pingtan-zfxxgkzn-guide-51587.html",
        "fujian-pingtan/pingtan-ghxx-ndjh-article-101532.html",
        "trs-handan/handan-xxgk-list-jinqixxgk-2020.html",
        "epoint-hubei/hubei-ggzy-zbgg-63f44e47-2020.html",
    ],
)
def test_real_pages_whose_lists_are_not_drawn_by_script_are_not_detected(name: str) -> None:
    # the 平潭 articles carry the site's avalon scaffolding (ms-controller on <html>), but no row template
    html = (FIXTURES / "real_pages" / name).read_text(encoding="utf-8")
    assert _plan("https://www.example.gov.cn/a/b/", html) is None
