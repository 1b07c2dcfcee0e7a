"""Serve a whole fleet on loopback: one aiohttp application, one 127.0.0.1 port per site.

Each site gets its own port (so each is its own host for politeness and robots.txt; 127.0.0.1 works on
every OS, unlike 127.0.1.N). The server runs in a background thread with its own event loop and logs
every request (host, path, monotonic time) so tests can measure politeness server-side.

Fault modes, per site (`faults={"云溪县": "slow"}` or a list of modes):
slow (every response delayed), reset (some connections cut), 5xx (some pages answer 503), 429 (after a
few requests every answer is 429), redirect_loop (some pages redirect in a circle), huge (some
attachments are endless), malformed (some pages are broken HTML with invalid bytes), captcha (after a
few requests the site answers a 验证码 page), waf (after a few requests a script challenge with HTTP 412).

Outages (`outages={"云溪县": Outages(daily=((7200, 12600),))}`, gongkai.fleet.outages): the site is down on a
schedule or flaps, by the time of `clock` (wall time, or a compressed schedule's virtual clock).
"""

from __future__ import annotations

import asyncio
import ssl
import threading
import time
import zlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from aiohttp import web

from gongkai.fleet.generate import Fleet, FleetSite
from gongkai.fleet.outages import Outages
from gongkai.fleet.render import render
from gongkai.fleet.scripted import SCRIPTED_MODES
from gongkai.fleet.scripted import respond as scripted_answer

ENTRY_REDIRECTS = {
    "meta": '<html><head><meta http-equiv="refresh" content="0; url=/index.html"></head><body></body></html>',
    "script": (
        '<html><head><script type="text/javascript">var _hmt = _hmt || [];</script></head><body>'
        '<script language="javascript">window.location.href="index.html";</script>'
        '<noscript><a href="/index.html">进入网站</a></noscript></body></html>'
    ),
}
FAULT_MODES = ("slow", "reset", "5xx", "429", "redirect_loop", "huge", "malformed", "captcha", "waf")


@dataclass(frozen=True)
class RequestLog:
    host: str
    path: str
    t: float  # time.monotonic() on the server
    status: int
    agent: str = ""
    conditional: bool = False  # the request carried If-None-Match


def _hit(path: str, modulo: int) -> bool:
    """Pick a stable share (1/modulo) of a site's paths for a fault."""
    return zlib.crc32(path.encode()) % modulo == 0


class FleetServer:
    """`with FleetServer(fleet) as server: server.url_of(site)`."""

    def __init__(
        self,
        fleet: Fleet,
        faults: Mapping[str, str | Iterable[str]] | None = None,
        *,
        host: str = "127.0.0.1",
        ports: Mapping[str, int] | None = None,
        slow_delay: float = 1.5,
        ssl_context: ssl.SSLContext | None = None,
        entries: Mapping[str, str] | None = None,
        scripted: Mapping[str, str] | None = None,
        outages: Mapping[str, Outages] | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.fleet = fleet
        self.outages = {fleet.site(name).name: o for name, o in (outages or {}).items()}
        self.clock = clock
        self.host = host
        self.ssl_context = ssl_context  # serve every site over HTTPS with this certificate
        # site name -> "meta" | "script": its root only sends the reader on to /index.html, as many portals'
        self.entries: dict[str, str] = {}
        for name, how in (entries or {}).items():
            if how not in ENTRY_REDIRECTS:
                raise ValueError(f"未知的入口跳转方式：{how}（可选：{', '.join(ENTRY_REDIRECTS)}）")
            self.entries[fleet.site(name).name] = how
        # site name -> "json" | "browser" | "post": its lists filled by script (see gongkai.fleet.scripted)
        self.scripted = {fleet.site(name).name: mode for name, mode in (scripted or {}).items()}
        for mode in self.scripted.values():
            if mode not in SCRIPTED_MODES:
                raise ValueError(f"未知的脚本列表方式：{mode}（可选：{', '.join(SCRIPTED_MODES)}）")
        self.faults: dict[str, set[str]] = {}
        for name, modes in (faults or {}).items():
            modes = {modes} if isinstance(modes, str) else set(modes)
            bad = modes - set(FAULT_MODES)
            if bad:
                raise ValueError(
                    f"未知的故障模式：{', '.join(sorted(bad))}（可选：{', '.join(FAULT_MODES)}）"
                )
            self.faults[fleet.site(name).name] = modes
        self.requested_ports = dict(ports or {})
        self.slow_delay = slow_delay
        self.requests: list[RequestLog] = []
        self._by_port: dict[int, FleetSite] = {}
        self._counts: dict[str, int] = {}
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._runner: web.AppRunner | None = None

    # -------------------------------------------------------------------------------- lifecycle
    def start(self) -> FleetServer:
        ready = threading.Event()
        error: list[BaseException] = []

        def run() -> None:
            loop = asyncio.new_event_loop()
            self._loop = loop
            asyncio.set_event_loop(loop)
            try:
                loop.run_until_complete(self._start())
            except BaseException as exc:  # noqa: BLE001 - reported to the caller thread
                error.append(exc)
                ready.set()
                return
            ready.set()
            loop.run_forever()
            loop.run_until_complete(self._runner.cleanup() if self._runner else asyncio.sleep(0))
            loop.close()

        self._thread = threading.Thread(target=run, name="fleet-server", daemon=True)
        self._thread.start()
        ready.wait(60)
        if error:
            raise error[0]
        return self

    async def _start(self) -> None:
        app = web.Application(client_max_size=1024**2)
        app.router.add_route("*", "/{tail:.*}", self._handle)
        self._runner = web.AppRunner(app, access_log=None, handle_signals=False)
        await self._runner.setup()
        for site in self.fleet.sites:
            port = self.requested_ports.get(site.name, 0)
            tcp = web.TCPSite(
                self._runner, self.host, port, backlog=512, reuse_address=True, ssl_context=self.ssl_context
            )
            await tcp.start()
            sock = tcp._server.sockets[0]  # noqa: SLF001 - aiohttp exposes no public accessor
            real = sock.getsockname()[1]
            site.host = f"{self.host}:{real}"
            self._by_port[real] = site

    def stop(self) -> None:
        if self._loop and self._loop.is_running():
            self._loop.call_soon_threadsafe(self._loop.stop)
        if self._thread:
            self._thread.join(30)

    def __enter__(self) -> FleetServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # ------------------------------------------------------------------------------------ access
    def url_of(self, site: FleetSite | str) -> str:
        s = self.fleet.site(site) if isinstance(site, str) else site
        return f"{'https' if self.ssl_context else 'http'}://{s.host}/"

    def site_of_host(self, host: str) -> FleetSite | None:
        return next((s for s in self.fleet.sites if s.host == host), None)

    def requests_of(self, site: FleetSite | str) -> list[RequestLog]:
        s = self.fleet.site(site) if isinstance(site, str) else site
        return [r for r in list(self.requests) if r.host == s.host]

    # ----------------------------------------------------------------------------------- handler
    async def _handle(self, request: web.Request) -> web.StreamResponse:
        t_in = time.monotonic()
        sock = request.transport.get_extra_info("sockname") if request.transport else None
        site = self._by_port.get(sock[1]) if sock else None
        if site is None:
            return web.Response(status=404, text="未知站点")
        path = request.path
        query = dict(request.query)
        if request.method == "POST" and request.can_read_body:
            form = await request.post()
            query.update({k: str(v) for k, v in form.items()})
        modes = self.faults.get(site.name, set())
        n = self._counts[site.name] = self._counts.get(site.name, 0) + 1
        resp = self._outage(request, site)
        if resp is None:
            resp = await self._faulty(request, site, modes, n, path)
        if resp is None and path == "/" and site.name in self.entries:
            resp = web.Response(body=ENTRY_REDIRECTS[self.entries[site.name]], content_type="text/html")
        answer = (
            scripted_answer(site, self.scripted[site.name], request.method, path, query)
            if (resp is None and site.name in self.scripted)
            else None
        )
        if resp is None:
            status, ctype, body = answer or render(site, path, query)
            etag = f'"{zlib.crc32(body):08x}"'
            if status == 200 and request.headers.get("If-None-Match") == etag:
                resp = web.Response(status=304, headers={"ETag": etag})
            else:
                resp = web.Response(status=status, body=body, headers={"Content-Type": ctype, "ETag": etag})
        self.requests.append(
            RequestLog(
                site.host,
                path_qs(request),
                t_in,
                resp.status,
                request.headers.get("User-Agent", ""),
                "If-None-Match" in request.headers,
            )
        )
        return resp

    def _outage(self, request: web.Request, site: FleetSite) -> web.StreamResponse | None:
        outage = self.outages.get(site.name)
        if outage is None or not outage.down_at(self.clock()):
            return None
        if outage.how == "reset" and request.transport:
            request.transport.abort()  # the client sees the connection cut
            return web.Response(status=500)
        return web.Response(status=503, text="服务暂不可用（计划停机）")

    async def _faulty(
        self, request: web.Request, site: FleetSite, modes: set[str], n: int, path: str
    ) -> web.StreamResponse | None:
        if not modes or path == "/robots.txt":
            return None
        if "slow" in modes:
            await asyncio.sleep(self.slow_delay)
        if "429" in modes and n > 8:
            return web.Response(status=429, text="请求过于频繁", headers={"Retry-After": "3600"})
        if "waf" in modes and n > 8:  # a 瑞数-style script challenge: set a cookie, reload
            html = (
                '<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">'
                "<script type=\"text/javascript\">document.cookie='FSSBBIl1UgzbN7N80S=x; path=/';"
                "location.reload();</script></head><body></body></html>"
            )
            return web.Response(status=412, text=html, content_type="text/html")
        if "captcha" in modes and n > 8:
            html = "<html><head><meta charset='utf-8'><title>安全验证</title></head><body>请输入验证码</body></html>"
            return web.Response(status=200, text=html, content_type="text/html")
        if path == "/":
            return None
        if "5xx" in modes and _hit(path, 3):
            return web.Response(status=503, text="服务暂不可用")
        if "reset" in modes and _hit(path + "r", 4):
            if request.transport:
                request.transport.abort()  # the client sees the connection cut
            return web.Response(status=500)
        if "redirect_loop" in modes and _hit(path + "l", 4):
            target = path + "?loop=1" if "loop" not in request.query else path
            return web.Response(status=302, headers={"Location": target})
        if "huge" in modes and (path.endswith((".pdf", ".docx", ".xlsx")) or _hit(path + "h", 5)):
            return await self._endless(request)
        if "malformed" in modes and _hit(path + "m", 3):
            body = (
                b"<html><head><title>\xff\xfe\xfa broken <div><table><tr><td>" + "未闭合".encode("gbk") * 50
            )
            return web.Response(status=200, body=body, headers={"Content-Type": "text/html"})
        return None

    async def _endless(self, request: web.Request) -> web.StreamResponse:
        resp = web.StreamResponse(status=200, headers={"Content-Type": "application/octet-stream"})
        await resp.prepare(request)
        chunk = b"\0" * 65536
        try:
            for _ in range(16384):  # 1 GiB at most; clients hang up long before
                await resp.write(chunk)
        except (ConnectionError, asyncio.CancelledError):
            pass
        return resp


def path_qs(request: web.Request) -> str:
    return request.path_qs
