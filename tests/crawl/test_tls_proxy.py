"""HTTPS sites whose certificate cannot be verified, and crawling through an HTTP proxy."""

from __future__ import annotations

import asyncio
import datetime as dt
import http.server
import ssl
import threading
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
import trustme

from gongkai.crawl import CrawlConfig, CrawlResult, crawl_many
from gongkai.crawl.fetch import Fetcher, certificate_fault
from gongkai.fleet import Fleet, FleetServer, generate_fleet

AS_OF = dt.date(2026, 11, 20)


def _config(**kw: object) -> CrawlConfig:
    base: dict[str, object] = {"rate": 500.0, "concurrency_per_host": 3, "timeout_s": 5.0, "max_pages": 30}
    base.update(kw)
    return CrawlConfig(**base)  # type: ignore[arg-type]


def _crawl(url: str, out: Path, config: CrawlConfig) -> CrawlResult:
    return asyncio.run(asyncio.wait_for(crawl_many([url], out, config), timeout=60))[0]


@pytest.fixture(scope="module")
def one_site() -> Fleet:
    return generate_fleet(1, seed=3, defect_rate=0.0, as_of=AS_OF)


@pytest.fixture(scope="module")
def https_server(one_site: Fleet) -> Iterator[FleetServer]:
    """The site over HTTPS, its certificate issued by a CA that the crawler does not trust (as a private
    CA, or a chain without its intermediate, looks to a client)."""
    ca = trustme.CA()
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(context)
    with FleetServer(one_site, ssl_context=context) as server:
        yield server


def test_an_unverifiable_certificate_is_a_fault_and_the_site_is_still_read(
    https_server: FleetServer, tmp_path: Path
) -> None:
    url = https_server.url_of(https_server.fleet.sites[0])
    assert url.startswith("https://")
    result = _crawl(url, tmp_path, _config())
    assert result.pages == 30 and result.errors == 0
    tls = [f for f in result.faults if "HTTPS 证书无法验证" in f]
    assert len(tls) == 1, result.faults  # once per host, not once per page
    assert "缺少中间证书或根证书不受信任" in tls[0] and "--strict-tls" in tls[0]
    model = result.site_model
    assert model.columns and any("HTTPS 证书无法验证" in e for e in model.errors)


def test_strict_tls_leaves_such_a_site_unread(https_server: FleetServer, tmp_path: Path) -> None:
    url = https_server.url_of(https_server.fleet.sites[0])
    result = _crawl(url, tmp_path, _config(tls_fallback=False, retries=0, max_consecutive_errors=3))
    assert result.pages == 0
    assert any("HTTPS 证书无法验证或 TLS 握手失败（证书链无法验证：" in f for f in result.faults), (
        result.faults
    )


def test_certificate_faults_read_in_chinese() -> None:
    expired = ssl.SSLCertVerificationError(1, "certificate verify failed")
    expired.verify_code, expired.verify_message = 10, "certificate has expired"
    assert certificate_fault(expired) == "证书已过期"
    odd = ssl.SSLCertVerificationError(1, "certificate verify failed")
    odd.verify_code, odd.verify_message = 26, "unsuitable certificate purpose"
    assert certificate_fault(odd) == "证书无法验证：unsuitable certificate purpose"


class _ForwardProxy(http.server.ThreadingHTTPServer):
    """A plain HTTP forward proxy: it answers absolute-form GETs by fetching them itself."""

    daemon_threads = True

    def __init__(self) -> None:
        self.seen: list[str] = []
        super().__init__(("127.0.0.1", 0), _ProxyHandler)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _ProxyHandler(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        self.server.seen.append(self.path)  # type: ignore[attr-defined]
        if not self.path.startswith("http://"):
            self.send_error(400, "not a proxy request")
            return
        request = urllib.request.Request(self.path, headers={"User-Agent": self.headers["User-Agent"]})
        try:
            with urllib.request.build_opener(urllib.request.ProxyHandler({})).open(request, timeout=10) as up:
                status, headers, body = up.status, up.headers, up.read()
        except urllib.error.HTTPError as exc:
            status, headers, body = exc.code, exc.headers, exc.read()
        self.send_response(status)
        for name in ("Content-Type", "Location"):
            if headers.get(name):
                self.send_header(name, headers[name])
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture()
def forward_proxy() -> Iterator[_ForwardProxy]:
    proxy = _ForwardProxy()
    thread = threading.Thread(target=proxy.serve_forever, daemon=True)
    thread.start()
    yield proxy
    proxy.shutdown()
    proxy.server_close()


def test_a_configured_proxy_carries_every_request(
    one_site: Fleet, forward_proxy: _ForwardProxy, tmp_path: Path
) -> None:
    with FleetServer(one_site) as server:
        url = server.url_of(one_site.sites[0])
        result = _crawl(url, tmp_path, _config(proxy=forward_proxy.url))
        direct = server.requests_of(one_site.sites[0])
    assert result.pages == 30 and result.errors == 0 and result.site_model.columns
    assert forward_proxy.seen[0] == url + "robots.txt" and url in forward_proxy.seen
    assert len(forward_proxy.seen) == len(direct)  # nothing went to the site but through the proxy


def test_the_environments_proxy_is_used_but_never_for_local_addresses(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("HTTP_PROXY", "http://10.1.1.1:3128")
    monkeypatch.setenv("HTTPS_PROXY", "http://10.1.1.1:3129")
    monkeypatch.setenv("NO_PROXY", "intranet.gov.cn")
    monkeypatch.delenv("GONGKAI_CRAWL_PROXY", raising=False)
    fetcher = Fetcher(CrawlConfig())
    assert fetcher.proxy_for("http://www.xx.gov.cn/") == "http://10.1.1.1:3128"
    assert fetcher.proxy_for("https://www.xx.gov.cn/a.html") == "http://10.1.1.1:3129"
    assert fetcher.proxy_for("http://www.intranet.gov.cn/") is None  # NO_PROXY
    for local in ("http://127.0.0.1:8000/", "http://localhost/", "http://192.168.1.5/", "http://[::1]:80/"):
        assert fetcher.proxy_for(local) is None, local
    assert Fetcher(CrawlConfig(proxy="http://p:8080")).proxy_for("http://127.0.0.1/") == "http://p:8080"


def test_a_malformed_proxy_is_refused_in_chinese() -> None:
    with pytest.raises(ValueError, match="代理地址须形如 http://主机:端口"):
        CrawlConfig(proxy="10.1.1.1:3128")
