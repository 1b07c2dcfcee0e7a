"""A 政府信息公开 column on another host of the same organisation (www.hd.gov.cn -> hdzfxxgk.hd.gov.cn,
a city's shared 信息公开 platform, as in the real Handan pages of the corpus) is crawled as part of the
site; a site of another organisation linked the same way is not."""

from __future__ import annotations

import asyncio
import socket
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from gongkai.crawl import CrawlConfig, crawl_many, extract_archive
from gongkai.crawl.polite import organisation_domain, same_organisation

HTML = "text/html; charset=utf-8"


def _page(title: str, body: str) -> str:
    return f'<html><head><meta charset="utf-8"><title>{title}</title></head><body>{body}</body></html>'


@pytest.fixture()
def named_hosts(monkeypatch: pytest.MonkeyPatch) -> None:
    """www.hd.gov.cn, hdzfxxgk.hd.gov.cn and www.other.gov.cn all resolve to this machine."""
    real = socket.getaddrinfo

    def resolve(host, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
        if isinstance(host, str) and host.endswith(".gov.cn"):
            host = "127.0.0.1"
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", resolve)


def test_the_zhuanlan_on_a_sibling_host_is_part_of_the_site(
    named_hosts: None, httpserver: HTTPServer, another_server: HTTPServer, tmp_path: Path
) -> None:
    platform = another_server
    portal = f"http://www.hd.gov.cn:{httpserver.port}/"
    zhuanlan = f"http://hdzfxxgk.hd.gov.cn:{platform.port}/"
    other = f"http://www.other.gov.cn:{platform.port}/elsewhere.html"
    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)
    httpserver.expect_request("/").respond_with_data(
        _page("邯郸市人民政府", f'<a href="{zhuanlan}">政府信息公开</a> <a href="{other}">外市网站</a>'),
        content_type=HTML,
    )
    platform.expect_request("/robots.txt").respond_with_data("User-agent: *\nDisallow: /admin/\n")
    nav = '<div class="xxgk-nav"><ul><li><a href="/zcwj/">政策文件</a></li><li><a href="/admin/">管理</a></li></ul></div>'
    platform.expect_request("/").respond_with_data(_page("政府信息公开", nav), content_type=HTML)
    rows = "".join(
        f'<li><a href="/zcwj/202611/t2026111{n}_{n}.html">关于某事项的通知{n}</a><span>2026-11-1{n}</span></li>'
        for n in range(1, 4)
    )
    platform.expect_request("/zcwj/").respond_with_data(
        _page("政策文件", nav + f'<ul class="list">{rows}</ul>'), content_type=HTML
    )
    # the sibling host is on loopback here only because the test is: allow_private lets it be adopted (a
    # private sibling is refused otherwise, test_egress.py); no probes, so the other city is never asked
    config = CrawlConfig(
        rate=200, timeout_s=5, retries=0, max_pages=40, allow_private=True, probe_external=False
    )
    result = asyncio.run(crawl_many([portal], tmp_path, config))[0]
    asked = [request.path for request, _answer in platform.log]
    assert asked[:2] == ["/robots.txt", "/"]  # its robots.txt first
    assert "/zcwj/" in asked and "/admin/" not in asked and "/elsewhere.html" not in asked
    assert any("hdzfxxgk.hd.gov.cn" in f and "一并抓取" in f for f in result.faults), result.faults
    for model in (result.site_model, extract_archive(Path(result.archive), portal)):
        assert model.zhuanlan_url == zhuanlan
        [policy] = [c for c in model.columns if c.name == "政策文件"]
        assert policy.url == zhuanlan + "zcwj/" and len(policy.items) == 3


def test_which_hosts_are_one_organisation() -> None:
    assert organisation_domain("www.hd.gov.cn") == "hd.gov.cn"
    assert organisation_domain("xxgk.fx.hd.gov.cn:8080") == "hd.gov.cn"
    assert organisation_domain("www.example.com") == "example.com"
    assert organisation_domain("127.0.0.1:8000") == organisation_domain("localhost") == ""
    assert same_organisation("www.hd.gov.cn", "hdzfxxgk.hd.gov.cn:81")
    assert not same_organisation("www.hd.gov.cn", "www.sjz.gov.cn")  # two cities under gov.cn
    assert not same_organisation("127.0.0.1:8001", "127.0.0.1:8002")


def _provincial_platform(portal_server: HTTPServer, platform: HTTPServer) -> tuple[str, str]:
    """A county portal that does not link to its 专栏, and the 专栏 on a provincial platform (its own host,
    its robots.txt keeping the crawler out of /hd/xxgk/admin/). Returns (portal URL, 专栏 URL)."""
    portal_server.expect_request("/robots.txt").respond_with_data("", status=404)
    portal_server.expect_request("/").respond_with_data(
        _page("某县人民政府", "<p>欢迎</p>"), content_type=HTML
    )
    platform.expect_request("/robots.txt").respond_with_data("User-agent: *\nDisallow: /hd/xxgk/admin/\n")
    nav = '<div class="xxgk-nav"><ul><li><a href="/hd/xxgk/zcwj/">政策文件</a></li><li><a href="/hd/xxgk/admin/">管理</a></li></ul></div>'
    platform.expect_request("/hd/xxgk/").respond_with_data(_page("政府信息公开", nav), content_type=HTML)
    rows = '<li><a href="/hd/xxgk/zcwj/t1.html">关于某事项的通知</a><span>2026-11-19</span></li>'
    platform.expect_request("/hd/xxgk/zcwj/").respond_with_data(
        _page("政策文件", nav + f'<ul class="list">{rows}</ul>'), content_type=HTML
    )
    return portal_server.url_for("/"), f"http://127.0.0.1:{platform.port}/hd/xxgk/"


def test_a_configured_zhuanlan_elsewhere_is_read_as_the_sites(
    httpserver: HTTPServer, another_server: HTTPServer, tmp_path: Path
) -> None:
    """The unit's record names its 专栏 on a provincial platform the homepage does not even link to."""
    from gongkai.crawl import crawl_site

    portal, zhuanlan = _provincial_platform(httpserver, another_server)
    config = CrawlConfig(rate=200, timeout_s=5, retries=0, max_pages=20)
    result = crawl_site(portal, tmp_path, config, zhuanlan=zhuanlan)
    for model in (result.site_model, extract_archive(Path(result.archive), portal)):
        assert model.zhuanlan_url == zhuanlan
        [policy] = [c for c in model.columns if c.name == "政策文件"]
        assert policy.in_zhuanlan and [i.title for i in policy.items] == ["关于某事项的通知"]


def test_a_resumed_crawl_reads_the_other_hosts_robots_again(
    httpserver: HTTPServer, another_server: HTTPServer, tmp_path: Path
) -> None:
    """The state file remembers the 专栏's host; after an interruption its robots.txt rules apply again."""
    import json

    from gongkai.crawl import crawl_site

    platform = another_server
    portal, zhuanlan = _provincial_platform(httpserver, platform)
    config = CrawlConfig(rate=200, timeout_s=5, retries=0, max_pages=20)
    first = crawl_site(portal, tmp_path, config, zhuanlan=zhuanlan)
    state = Path(str(first.archive) + ".state.json")
    saved = json.loads(state.read_text(encoding="utf-8"))
    assert f"127.0.0.1:{platform.port}" in saved["hosts"]
    state.write_text(json.dumps({**saved, "finished": False}), encoding="utf-8")  # as if interrupted
    platform.clear_log()
    again = crawl_site(portal, tmp_path, config, zhuanlan=zhuanlan)
    assert again.resumed
    asked = [request.path for request, _answer in platform.log]
    assert asked and asked[0] == "/robots.txt" and "/hd/xxgk/admin/" not in asked
