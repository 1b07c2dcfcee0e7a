"""Links to other sites are probed once each (HEAD, then GET), recorded in the archive, and judged by
link.broken like the site's own links; a machine that reaches no other site says so instead of reporting
every external link as broken."""

from __future__ import annotations

import asyncio
import datetime as dt
import socket
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from gongkai.checks import run_check
from gongkai.crawl import CrawlConfig, CrawlResult, crawl_many, extract_archive
from gongkai.model import Verdict

AS_OF = dt.date(2026, 11, 20)


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture()
def other_site(another_server: HTTPServer) -> HTTPServer:
    """Another government's site: one page answers, one is gone, one refuses HEAD but answers GET."""
    server = another_server

    def refuses_head(request: Request) -> Response:
        return Response("", status=405) if request.method == "HEAD" else Response("<p>上级政府</p>")

    server.expect_request("/ok.html").respond_with_data("<p>市政府网站</p>", content_type="text/html")
    server.expect_request("/gone.html").respond_with_data("not found", status=404)
    server.expect_request("/nohead.html").respond_with_handler(refuses_head)
    return server


def _serve_home(httpserver: HTTPServer, links: list[tuple[str, str]]) -> str:
    anchors = "".join(f'<li><a href="{url}">{text}</a></li>' for text, url in links)
    home = f'<html><head><meta charset="utf-8"><title>某县人民政府</title></head><body><div class="yqlj"><ul>{anchors}</ul></div></body></html>'
    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)
    httpserver.expect_request("/").respond_with_data(home, content_type="text/html; charset=utf-8")
    return httpserver.url_for("/")


def _crawl(seed: str, out: Path, **config: object) -> CrawlResult:
    # the other sites are on loopback here: allow_private lets them be asked
    base: dict[str, object] = {"rate": 200, "timeout_s": 5, "retries": 0, "allow_private": True}
    return asyncio.run(crawl_many([seed], out, CrawlConfig(**{**base, **config})))[0]  # type: ignore[arg-type]


def test_links_to_other_sites_are_probed_and_judged(
    httpserver: HTTPServer, other_site: HTTPServer, tmp_path: Path
) -> None:
    dead = f"http://127.0.0.1:{_closed_port()}/"
    seed = _serve_home(
        httpserver,
        [
            ("市人民政府", other_site.url_for("/ok.html")),
            ("已撤销的专题", other_site.url_for("/gone.html")),
            ("省人民政府", other_site.url_for("/nohead.html")),
            ("已关停的网站", dead),
        ],
    )
    result = _crawl(seed, tmp_path, probe_external=True)
    assert result.pages == 1  # probes are no pages of the site
    assert "外部链接 2 个无法访问（共检查 4 个）" in result.faults
    methods = [(request.method, request.path) for request, _answer in other_site.log]
    assert methods.count(("HEAD", "/ok.html")) == 1 and ("GET", "/ok.html") not in methods
    assert ("GET", "/nohead.html") in methods  # HEAD refused: asked again with GET
    for model in (result.site_model, extract_archive(Path(result.archive), seed)):
        outcome = {link.text: (link.status, link.error) for link in model.links}
        assert outcome == {
            "市人民政府": (200, ""),
            "已撤销的专题": (404, ""),
            "省人民政府": (200, ""),
            "已关停的网站": (None, "refused"),
        }
        assert {p.url for p in model.pages} == {seed, seed + "robots.txt"}
        broken = [f for f in run_check("link.broken", model, AS_OF) if f.verdict is Verdict.FAIL]
        assert sorted(f.subject for f in broken) == sorted([other_site.url_for("/gone.html"), dead])


def test_without_probes_links_to_other_sites_are_not_judged(
    httpserver: HTTPServer, other_site: HTTPServer, tmp_path: Path
) -> None:
    seed = _serve_home(httpserver, [("已撤销的专题", other_site.url_for("/gone.html"))])
    result = _crawl(seed, tmp_path, probe_external=False)
    assert other_site.log == []
    assert [(link.status, link.error) for link in result.site_model.links] == [(None, "")]


def test_a_machine_that_reaches_no_other_site_says_so(httpserver: HTTPServer, tmp_path: Path) -> None:
    dead = [f"http://127.0.0.1:{_closed_port()}/{n}.html" for n in range(3)]
    seed = _serve_home(httpserver, [(f"网站{n}", url) for n, url in enumerate(dead)])
    result = _crawl(seed, tmp_path, probe_external=True)
    assert any("外部链接 3 个均无法连接" in f for f in result.faults), result.faults
    assert all(link.status is None and not link.error for link in result.site_model.links)


def test_a_link_many_sites_share_is_asked_once_in_a_batch(
    httpserver: HTTPServer, other_site: HTTPServer, tmp_path: Path
) -> None:
    second = HTTPServer(host="127.0.0.1")
    second.start()
    try:
        shared = other_site.url_for("/ok.html")
        seeds = [_serve_home(server, [("市人民政府", shared)]) for server in (httpserver, second)]
        config = CrawlConfig(rate=200, timeout_s=5, retries=0, allow_private=True, probe_external=True)
        results = asyncio.run(crawl_many(seeds, tmp_path, config))
    finally:
        second.clear()
        second.stop()
    assert [request.path for request, _answer in other_site.log] == ["/ok.html"]
    for result in results:
        assert [(link.url, link.status) for link in result.site_model.links] == [(shared, 200)]
