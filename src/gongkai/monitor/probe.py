"""Probing a page as a visitor opens it: one GET through the egress guard, the checklist's timeout over the
whole answer, no redirect followed (3xx is up), a fresh connection each time (a kept-alive one would hide a
server that no longer accepts connections). ``probe_counted`` applies the retry rule of gongkai.monitor.rule.
"""

from __future__ import annotations

import asyncio
import ssl
from typing import Any

import aiohttp

from gongkai.crawl.egress import EgressGuard, EgressRefused
from gongkai.crawl.polite import host_of
from gongkai.monitor.clock import RealClock
from gongkai.monitor.rule import (
    CONNECT,
    DNS,
    HTTP,
    NO_ERROR,
    OTHER,
    REFUSED,
    RESET,
    TIMEOUT,
    TLS,
    Attempt,
    ProbeState,
    classify,
)

USER_AGENT = "Mozilla/5.0 (compatible; gongkai-monitor/1.0; +政务公开网站可用性监测)"
MAX_BODY = 256 * 1024  # read this much of the page: it must arrive, but we keep none of it


class Prober:
    """``async with Prober(timeout_s=15) as p: state, attempt, n = await p.probe_counted(url)``.

    The URLs probed are the ones the operator registered for units, so their hosts are allowed by the guard
    even on private addresses (``allow``); any host a redirect would lead to is never asked."""

    def __init__(
        self,
        *,
        timeout_s: float = 15.0,
        retry_pause_s: float = 10.0,
        clock: Any = None,
        concurrency: int = 64,
        allow_private: bool = False,
    ) -> None:
        self.timeout_s = timeout_s
        self.retry_pause_s = retry_pause_s
        self.clock = clock or RealClock()
        self.concurrency = concurrency
        self.allowed: set[str] = set()
        self.guard = EgressGuard(self.allowed, allow_private=allow_private)
        self.session: aiohttp.ClientSession | None = None

    def allow(self, url: str) -> None:
        """Let the guard ask ``url``'s host (an address the operator registered for a unit)."""
        self.allowed.add(host_of(url))

    async def __aenter__(self) -> Prober:
        connector = aiohttp.TCPConnector(
            limit=self.concurrency, force_close=True, resolver=self.guard.resolver(), ttl_dns_cache=300
        )
        self.session = aiohttp.ClientSession(
            connector=connector,
            timeout=aiohttp.ClientTimeout(total=self.timeout_s),
            headers={"User-Agent": USER_AGENT, "Accept-Language": "zh-CN,zh;q=0.9"},
        )
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self.session is not None:
            await self.session.close()
        await self.guard.close()

    async def probe(self, url: str) -> Attempt:
        """One attempt."""
        assert self.session is not None, "use Prober as an async context manager"
        if await self.guard.check(url) is not None:
            return Attempt(0, 0, REFUSED)
        loop = asyncio.get_running_loop()
        started = loop.time()
        try:
            async with self.session.get(url, allow_redirects=False) as resp:
                await resp.content.read(MAX_BODY)
                status = resp.status
        except Exception as exc:  # every way a page fails to open is a failed attempt, never a crash
            return Attempt(0, _ms(loop.time() - started), _error_code(exc))
        error = NO_ERROR if 200 <= status < 400 else HTTP
        return Attempt(status, _ms(loop.time() - started), error)

    async def probe_counted(self, url: str) -> tuple[ProbeState, Attempt, int]:
        """A scheduled probe by the counting rule: retried once after the pause when it fails. Returns the
        state it counts as, the last attempt and the number of attempts."""
        first = await self.probe(url)
        if first.up or first.error == REFUSED:
            return classify(first, None), first, 1
        await self.clock.pause(self.retry_pause_s)
        retry = await self.probe(url)
        return classify(first, retry), retry, 2


def _ms(seconds: float) -> int:
    return min(int(seconds * 1000), 2**31 - 1)


def _error_code(exc: BaseException) -> int:
    if isinstance(exc, asyncio.TimeoutError | TimeoutError | aiohttp.ServerTimeoutError):
        return TIMEOUT
    if isinstance(exc, EgressRefused) or isinstance(getattr(exc, "os_error", None), EgressRefused):
        return REFUSED  # judged on the connection's own DNS answer
    if isinstance(exc, aiohttp.ClientConnectorDNSError):
        return DNS
    if isinstance(exc, aiohttp.ClientSSLError | ssl.SSLError):
        return TLS
    if isinstance(exc, aiohttp.ClientConnectorError):
        return CONNECT
    if isinstance(exc, aiohttp.ServerDisconnectedError | aiohttp.ClientPayloadError | ConnectionError):
        return RESET
    if isinstance(exc, aiohttp.ClientOSError):
        return RESET
    return OTHER
