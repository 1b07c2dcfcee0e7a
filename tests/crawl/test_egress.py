"""The egress guard, tried as issue 16's attacker did, on loopback only: a second local server stands for
the internal network; the site the operator named is the only loopback host that may be asked. Each of the
bypasses found (credentials in a URL, a root redirecting inward, DNS rebinding, a private 专栏 host) must
leave the internal server unasked and a fault saying why."""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from aiohttp.abc import AbstractResolver, ResolveResult
from pytest_httpserver import HTTPServer

from gongkai.crawl import CrawlConfig, CrawlResult, crawl_many
from gongkai.crawl.archive import read_archive
from gongkai.crawl.egress import literal_address, local_literal, same_host, special_kind, url_within
from gongkai.crawl.engine import normalise_seed
from gongkai.crawl.fetch import Fetcher
from gongkai.crawl.polite import host_of

HTML = "text/html; charset=utf-8"
SECRET = "内网管理后台：机密数据"


def _page(title: str, body: str) -> str:
    return f'<html><head><meta charset="utf-8"><title>{title}</title></head><body>{body}</body></html>'


def _config(**kw: Any) -> CrawlConfig:
    base: dict[str, Any] = {"rate": 200, "timeout_s": 5, "retries": 0, "max_pages": 30}
    base.update(kw)
    return CrawlConfig(**base)


@pytest.fixture()
def internal(another_server: HTTPServer) -> HTTPServer:
    """The internal network: a loopback server nobody named, whose pages must never be read."""
    for path in ("/", "/secret", "/admin/", "/page.html", "/robots.txt"):
        another_server.expect_request(path).respond_with_data(
            _page("内网", f'{SECRET}<a href="/admin/">管理</a>'), content_type=HTML
        )
    return another_server


def _site(server: HTTPServer, links: str) -> str:
    server.expect_request("/robots.txt").respond_with_data("", status=404)
    server.expect_request("/").respond_with_data(_page("某市人民政府", links), content_type=HTML)
    return server.url_for("/")


def _crawl(seed: str, tmp: Path, **kw: Any) -> CrawlResult:
    return asyncio.run(crawl_many([seed], tmp, _config(**kw)))[0]


def _archived(result: CrawlResult) -> bytes:
    return b"".join(r.body for r in read_archive(Path(result.archive)))


def _hosts(result: CrawlResult) -> list[str]:
    state = Path(str(result.archive) + ".state.json")
    return json.loads(state.read_text(encoding="utf-8"))["hosts"]


# ------------------------------------------------------------------------- (a) credentials


def test_a_url_with_a_user_name_is_refused_and_no_credentials_are_sent(
    httpserver: HTTPServer, internal: HTTPServer
) -> None:
    url = f"http://x@127.0.0.1:{internal.port}/secret"

    async def go() -> tuple:
        async with Fetcher(_config(), {f"127.0.0.1:{httpserver.port}"}) as f:
            return await f.fetch(url), await f.probe(url)

    fetched, probed = asyncio.run(go())
    assert fetched.error == probed.error == "userinfo" and not fetched.body
    assert "用户名或密码" in fetched.error_text
    assert internal.log == []


def test_a_same_site_redirect_to_a_url_with_credentials_is_refused_and_recorded(
    httpserver: HTTPServer, internal: HTTPServer, tmp_path: Path
) -> None:
    inward = f"http://x@127.0.0.1:{internal.port}/secret"
    own = f"http://admin:pw@{httpserver.host}:{httpserver.port}/secret"  # the named host, with credentials
    seed = _site(httpserver, '<a href="/go.html">通知公告</a> <a href="/own.html">政务公开</a>')
    httpserver.expect_request("/go.html").respond_with_data("", status=302, headers={"Location": inward})
    httpserver.expect_request("/own.html").respond_with_data("", status=302, headers={"Location": own})
    httpserver.expect_request("/secret").respond_with_data(SECRET, content_type=HTML)
    result = _crawl(seed, tmp_path)
    assert internal.log == []
    asked = [request.path for request, _answer in httpserver.log]
    assert "/secret" not in asked and "/" in asked  # the named site itself is read
    assert all("Authorization" not in request.headers for request, _answer in httpserver.log)
    assert SECRET.encode() not in _archived(result)
    refused = [f for f in result.faults if "用户名或密码" in f]
    assert any("/go.html" in f and inward in f for f in refused), result.faults
    assert any("/own.html" in f for f in refused), result.faults


def test_a_seed_with_credentials_is_refused_in_chinese() -> None:
    with pytest.raises(ValueError, match="不能含用户名或密码"):
        normalise_seed("http://user:pw@www.example.gov.cn/")


# ------------------------------------------------------------------------ (b) root redirect


def test_a_root_redirecting_inward_does_not_make_the_internal_host_part_of_the_site(
    httpserver: HTTPServer, internal: HTTPServer, tmp_path: Path
) -> None:
    inward = f"http://x@127.0.0.1:{internal.port}/"
    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)
    httpserver.expect_request("/").respond_with_data("", status=302, headers={"Location": inward})
    seed = httpserver.url_for("/")
    result = _crawl(seed, tmp_path)
    assert internal.log == []
    assert _hosts(result) == [host_of(seed)]
    assert not any(str(internal.port) in p.url for p in result.site_model.pages)
    assert any(inward in f and "已拒绝访问" in f for f in result.faults), result.faults


# ------------------------------------------------------------------------- (c) DNS rebinding


def _rebinding(name: str) -> Callable[[asyncio.AbstractEventLoop], None]:
    """Make `name` resolve to a public address on its first look-up and to 127.0.0.1 on every later one,
    as an attacker's DNS server with a zero TTL answers."""

    def install(loop: asyncio.AbstractEventLoop) -> None:
        real = loop.getaddrinfo
        asked: list[str] = []

        async def getaddrinfo(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
            if host != name:
                return await real(host, port, *args, **kwargs)
            asked.append(host)
            address = "93.184.216.34" if len(asked) == 1 else "127.0.0.1"
            return [(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", (address, int(port or 0)))]

        loop.getaddrinfo = getaddrinfo  # type: ignore[method-assign]

    return install


@pytest.mark.parametrize("how", ["redirect", "probe"])
def test_dns_rebinding_between_check_and_connection_is_refused(
    httpserver: HTTPServer, internal: HTTPServer, tmp_path: Path, how: str
) -> None:
    target = f"http://rebind.test:{internal.port}/" + ("secret" if how == "redirect" else "page.html")
    link = '<a href="/go.html">通知公告</a>' if how == "redirect" else f'<a href="{target}">友情链接</a>'
    seed = _site(httpserver, link)
    httpserver.expect_request("/go.html").respond_with_data("", status=302, headers={"Location": target})

    async def go() -> CrawlResult:
        _rebinding("rebind.test")(asyncio.get_running_loop())
        return (await crawl_many([seed], tmp_path, _config(probe_external=True)))[0]

    result = asyncio.run(go())
    assert internal.log == []
    assert SECRET.encode() not in _archived(result)
    assert any(target in f and "rebind.test 解析为 127.0.0.1" in f for f in result.faults), result.faults


class _Rebinding(AbstractResolver):
    """The guard's resolver seam: a public answer first, 127.0.0.1 after."""

    def __init__(self) -> None:
        self.calls = 0

    async def resolve(self, host: str, port: int = 0, family: Any = socket.AF_INET) -> list[ResolveResult]:
        self.calls += 1
        address = "93.184.216.34" if self.calls == 1 else "127.0.0.1"
        return [
            ResolveResult(hostname=host, host=address, port=port, family=socket.AF_INET, proto=0, flags=0)
        ]

    async def close(self) -> None:
        return None


def test_the_guard_judges_the_address_the_connection_uses(internal: HTTPServer) -> None:
    resolver = _Rebinding()

    async def go() -> Any:
        async with Fetcher(_config(), resolver=resolver) as f:
            return await f.fetch(f"http://rebind.test:{internal.port}/secret")

    fetched = asyncio.run(go())
    assert resolver.calls == 2  # the guard's look-up, then the connection's own
    assert fetched.error == "private" and "127.0.0.1" in fetched.detail and "回环地址" in fetched.detail
    assert internal.log == []


# ----------------------------------------------------------------------- (d) 专栏 adoption


@pytest.fixture()
def gov_names(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every *.gov.cn name resolves to this machine (the seed's and a sibling host's alike)."""
    real = socket.getaddrinfo

    def resolve(host, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
        return real(
            "127.0.0.1" if isinstance(host, str) and host.endswith(".gov.cn") else host, *args, **kwargs
        )

    monkeypatch.setattr(socket, "getaddrinfo", resolve)


def test_a_zhuanlan_on_a_private_sibling_host_is_not_adopted(
    gov_names: None, httpserver: HTTPServer, internal: HTTPServer, tmp_path: Path
) -> None:
    zhuanlan = f"http://hdzfxxgk.hd.gov.cn:{internal.port}/"
    _site(httpserver, f'<a href="{zhuanlan}">政府信息公开</a>')
    result = _crawl(f"http://www.hd.gov.cn:{httpserver.port}/", tmp_path)
    assert internal.log == []
    assert _hosts(result) == [f"www.hd.gov.cn:{httpserver.port}"]
    assert any(
        "政府信息公开专栏链接" in f and zhuanlan in f and "127.0.0.1，回环地址" in f for f in result.faults
    ), result.faults


# ----------------------------------------------------------------- refusals are faults


def test_refused_links_are_recorded_as_faults(
    httpserver: HTTPServer, internal: HTTPServer, tmp_path: Path
) -> None:
    links = [
        f"http://127.0.0.1:{internal.port}/page.html",
        f"http://[::ffff:127.0.0.1]:{internal.port}/page.html",
        f"http://localhost:{internal.port}/page.html",
    ]
    seed = _site(httpserver, " ".join(f'<a href="{u}">链接{n}</a>' for n, u in enumerate(links)))
    result = _crawl(seed, tmp_path, probe_external=True)
    assert internal.log == []
    [fault] = [f for f in result.faults if "已拒绝访问" in f]
    assert "外部链接 3 个" in fault and all(u in fault for u in links)
    assert "回环地址" in fault and "本机（localhost）" in fault


def test_the_operator_may_allow_private_hosts(internal: HTTPServer) -> None:
    async def go() -> Any:
        async with Fetcher(_config(allow_private=True)) as f:
            return await f.fetch(f"http://localhost:{internal.port}/secret")

    assert asyncio.run(go()).status == 200


# ------------------------------------------------------------------------- classification


@pytest.mark.parametrize(
    ("address", "kind"),
    [
        ("100.64.0.1", "运营商级 NAT"),
        ("100.127.255.254", "运营商级 NAT"),
        ("::ffff:127.0.0.1", "回环地址"),
        ("::ffff:10.1.2.3", "内网地址"),
        ("::ffff:100.100.100.200", "运营商级 NAT"),
        ("::ffff:169.254.169.254", "链路本地地址"),
        ("::127.0.0.1", "回环地址"),
        ("64:ff9b::7f00:1", "回环地址"),
        ("2002:a9fe:a9fe::1", "链路本地地址"),
        ("224.0.0.251", "组播地址"),
        ("239.255.255.250", "组播地址"),
        ("ff02::1", "组播地址"),
        ("0.0.0.0", "未指定地址"),
        ("::", "未指定地址"),
        ("169.254.169.254", "链路本地地址"),
        ("fe80::1%eth0", "链路本地地址"),
        ("192.168.1.1", "内网地址"),
        ("172.31.0.1", "内网地址"),
        ("fd00::1", "内网地址"),
        ("127.8.8.8", "回环地址"),
        ("::1", "回环地址"),
        ("240.0.0.1", "保留或专用地址"),
        ("255.255.255.255", "保留或专用地址"),
        ("192.0.2.10", "保留或专用地址"),
        ("198.18.0.1", "保留或专用地址"),
        ("0.1.2.3", "保留或专用地址"),
    ],
)
def test_special_purpose_addresses(address: str, kind: str) -> None:
    assert kind in special_kind(address)


def test_public_addresses_are_public() -> None:
    for address in ("8.8.8.8", "100.63.255.255", "100.128.0.1", "2001:4860:4860::8888", "::ffff:8.8.8.8"):
        assert special_kind(address) == "", address


def test_addresses_in_other_spellings_are_read_as_a_resolver_reads_them() -> None:
    for spelling in ("2130706433", "0x7f000001", "0x7f.1", "127.1", "0177.0.0.1", "[::ffff:7f00:1]"):
        assert local_literal(spelling) == "回环地址", spelling
    assert str(literal_address("[fe80::1%25eth0]")) == "fe80::1"
    assert local_literal("localhost") == local_literal("app.localhost") == "本机（localhost）"
    assert local_literal("www.gov.cn") == local_literal("face.be") == ""


# ------------------------------------------------------------------------------- ownership


def test_ownership_compares_parsed_hosts_and_paths() -> None:
    assert url_within("http://www.x.gov.cn/bm/jyj/a.html", "http://www.x.gov.cn/bm/jyj")
    assert url_within("http://www.x.gov.cn/bm/jyj", "http://www.x.gov.cn/bm/jyj/")
    assert not url_within("http://www.x.gov.cn/bm/jyjx/a.html", "http://www.x.gov.cn/bm/jyj")
    assert not url_within("http://127.0.0.1:18780@127.0.0.1:18781/a", "http://127.0.0.1:18780")
    assert not url_within("http://127.0.0.1:18781/a", "http://127.0.0.1:1878")
    assert not url_within("http://www.x.gov.cn.evil.com/", "http://www.x.gov.cn")
    assert url_within("https://WWW.X.gov.cn./bm/", "http://www.x.gov.cn/")  # scheme, case, final dot
    assert url_within("http://www.x.gov.cn:80/a", "www.x.gov.cn")
    assert not url_within("http://www.x.gov.cn:8080/a", "http://www.x.gov.cn/")
    assert url_within("http://x.gov.cn/list.jsp?page=2&deptid=12", "http://x.gov.cn/list.jsp?deptid=12")
    assert not url_within("http://x.gov.cn/list.jsp?deptid=123", "http://x.gov.cn/list.jsp?deptid=12")
    assert same_host("http://www.x.gov.cn/a", "http://www.x.gov.cn")
    assert not same_host("http://u@www.x.gov.cn/a", "http://www.x.gov.cn")
