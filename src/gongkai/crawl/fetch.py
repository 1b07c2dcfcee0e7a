"""Fetching: one aiohttp session, per-host slots, retries with backoff, redirect and size limits.

`Fetcher.fetch(url)` never raises for network trouble: it returns a `Fetched` with `status` (or None)
and `error` (timeout, reset, dns, refused, ssl, too_large, redirect_loop, too_many_redirects, robots,
private, userinfo, stopped, http). Redirects are followed by hand so loops and off-host hops are seen.

Every request, each redirect hop and each link probe passes the egress guard (`gongkai.crawl.egress`):
the URL before it is asked, the addresses at connect time (the connector's resolver is the guard's).

A host whose certificate cannot be verified is read without verification when the configuration allows
it (`tls_fallback`), and every such answer says so (`Fetched.unverified`). Requests go through the
configured proxy, else the environment's (HTTP_PROXY, HTTPS_PROXY, NO_PROXY) except to loopback and
private addresses.
"""

from __future__ import annotations

import asyncio
import random
import time
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import aiohttp
from aiohttp.abc import AbstractResolver
from tenacity import AsyncRetrying, RetryError, retry_if_result, stop_after_attempt, wait_exponential

from gongkai.crawl.egress import EgressGuard, EgressRefused, Refusal, local_literal
from gongkai.crawl.polite import CrawlConfig, HostSlot, host_of

ERROR_TEXT = {
    "timeout": "请求超时",
    "reset": "连接被重置",
    "dns": "域名无法解析",
    "refused": "无法连接（连接被拒绝或不可达）",
    "ssl": "HTTPS 证书无法验证或 TLS 握手失败",
    "too_large": "响应超过大小上限",
    "redirect_loop": "重定向循环",
    "too_many_redirects": "重定向次数过多",
    "robots": "robots.txt 禁止抓取",
    "private": "内网或回环地址，未获允许",
    "userinfo": "网址含用户名或密码，不予访问",
    "stopped": "该站点已停止抓取",
    "http": "HTTP 错误",
    "client": "请求失败",
}
FORM_TYPE = "application/x-www-form-urlencoded; charset=UTF-8"


@dataclass
class Fetched:
    """The outcome of one fetch (after redirects)."""

    url: str
    final_url: str
    status: int | None
    reason: str = ""
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""
    error: str = ""
    truncated: bool = False
    elapsed: float = 0.0
    attempts: int = 1
    not_modified: bool = False
    request_headers: list[tuple[str, str]] = field(default_factory=list)
    method: str = "GET"
    detail: str = ""  # what went wrong, in Chinese, beyond the error's name (a certificate's fault)
    unverified: str = ""  # read without certificate verification, because of this fault of the host's
    request_body: bytes = b""  # the form a POST sent (archived with its request)

    @property
    def error_text(self) -> str:
        """The error in Chinese, with what went wrong beyond its name (a certificate's fault)."""
        return ERROR_TEXT.get(self.error, self.error) + (f"（{self.detail}）" if self.detail else "")

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 300 and not self.error

    def header(self, name: str) -> str:
        name = name.lower()
        return next((v for k, v in self.headers if k.lower() == name), "")


def answer_headers(r: Fetched) -> dict[str, str]:
    """The response headers page facts read (as an archived record has them: lower-case names)."""
    return {
        "content-type": r.header("Content-Type"),
        "location": r.header("Location"),
        "content-disposition": r.header("Content-Disposition"),
    }


class Fetcher:
    """Shared session and host slots; use as `async with Fetcher(config) as f`."""

    def __init__(
        self,
        config: CrawlConfig,
        allowed_hosts: set[str] | None = None,
        *,
        resolver: AbstractResolver | None = None,
    ) -> None:
        """`allowed_hosts`: host[:port] the operator named (asked even on a private address);
        `resolver`: the DNS seam of the egress guard (aiohttp's threaded resolver by default)."""
        self.config = config
        self.allowed_hosts = {h.lower() for h in (allowed_hosts or set())}
        self.guard = EgressGuard(self.allowed_hosts, allow_private=config.allow_private, resolver=resolver)
        self.slots: dict[str, HostSlot] = {}
        self.session: aiohttp.ClientSession | None = None
        self.request_count = 0
        self._env_proxies = {} if config.proxy else urllib.request.getproxies_environment()
        for proxy in [config.proxy, *self._env_proxies.values()]:
            if proxy and "://" in proxy:
                self.guard.allow_proxy(proxy)
        self._probed: dict[str, Fetched] = {}  # outcomes of link probes (slim), across a batch
        self._probing: dict[str, asyncio.Future[Fetched]] = {}  # probes under way

    async def __aenter__(self) -> Fetcher:
        connector = aiohttp.TCPConnector(
            limit=max(100, self.config.host_concurrency * self.config.concurrency_per_host),
            limit_per_host=self.config.concurrency_per_host,
            ttl_dns_cache=300,
            resolver=self.guard.resolver(),  # every connection's addresses are judged by the guard
        )
        timeout = aiohttp.ClientTimeout(
            total=self.config.timeout_s, sock_connect=min(10, self.config.timeout_s)
        )
        self.session = aiohttp.ClientSession(
            connector=connector,
            timeout=timeout,
            headers={"User-Agent": self.config.user_agent, "Accept-Language": "zh-CN,zh;q=0.9"},
            auto_decompress=True,
            # cookies as a browser keeps them: some sites answer a first visit with Set-Cookie and a
            # redirect to the same page (a load balancer's or firewall's cookie check), which loops
            # without a jar; unsafe=True also keeps cookies of hosts named by IP address
            cookie_jar=aiohttp.CookieJar(unsafe=True),
        )
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self.session:
            await self.session.close()
        await self.guard.close()

    def slot(self, url: str) -> HostSlot:
        host = host_of(url)
        if host not in self.slots:
            self.slots[host] = HostSlot(host, self.config)
        return self.slots[host]

    async def refusal(self, url: str) -> Refusal | None:
        """Why the egress guard refuses `url` (a private address, credentials in it), or None."""
        return await self.guard.check(url)

    async def permitted(self, url: str) -> str:
        """'' when the URL may be fetched, else an error code (private, userinfo, robots, stopped)."""
        blocked = await self._blocked(url)
        return blocked.error if blocked is not None else ""

    async def _blocked(self, url: str) -> Fetched | None:
        """The answer to `url` when it must not be asked: refused by the guard, robots, a stopped host."""
        refused = await self.guard.check(url)
        if refused is not None:
            return Fetched(url, url, None, error=refused.code, detail=refused.detail)
        slot = self.slot(url)
        if slot.stopped:
            return Fetched(url, url, None, error="stopped")
        if not slot.allowed(url):
            return Fetched(url, url, None, error="robots")
        return None

    async def fetch(
        self,
        url: str,
        *,
        conditional: Mapping[str, str] | None = None,
        retries: int | None = None,
        method: str = "GET",
        data: bytes | None = None,
    ) -> Fetched:
        """Fetch politely with retries on 5xx, timeouts and resets. `method="POST"` with `data` (a form,
        application/x-www-form-urlencoded) asks as a page's own script does (Hanweb's dataproxy.jsp)."""
        blocked = await self._blocked(url)
        if blocked is not None:
            return blocked
        retries = self.config.retries if retries is None else retries
        attempts = 1
        result = await self._follow(url, conditional, method=method, data=data)
        if not _transient(result) or retries < 1:
            return result  # the common case: no retry machinery on the hot path

        async def once() -> Fetched:
            nonlocal attempts
            attempts += 1
            return await self._follow(url, conditional, method=method, data=data)

        try:
            async for attempt in AsyncRetrying(
                stop=stop_after_attempt(retries),
                wait=wait_exponential(multiplier=self.config.backoff_s, max=30),
                retry=retry_if_result(_transient),
                reraise=True,
            ):
                if attempt.retry_state.attempt_number == 1:
                    await asyncio.sleep(self.config.backoff_s)  # back off before the first retry too
                with attempt:
                    result = await once()
                if not attempt.retry_state.outcome.failed:  # type: ignore[union-attr]
                    attempt.retry_state.set_result(result)
        except RetryError as exc:  # retries used up on a transient answer: keep the last one
            result = exc.last_attempt.result()
        result.attempts = attempts
        return result

    async def probe(self, url: str) -> Fetched:
        """Whether a link outside the site answers, as a link checker asks: HEAD, then GET when HEAD
        is refused (many servers answer HEAD with 405, 403 or 404) or its connection dropped; redirects
        followed. No body is read; private addresses are refused as for any fetch."""
        # the same 友情链接 on many sites of a batch is asked once, even by sites asking at the same time
        if url in self._probed:
            return self._probed[url]
        task = self._probing.get(url)
        if task is None:
            task = self._probing[url] = asyncio.ensure_future(self._probe(url))
            task.add_done_callback(lambda _done: self._probing.pop(url, None))
        return await asyncio.shield(task)  # one site cancelled does not cancel the others' answer

    async def _probe(self, url: str) -> Fetched:
        blocked = await self._blocked(url)
        if blocked is not None:
            return blocked
        r = await self._follow(url, None, method="HEAD", body=False)
        # an answer that refuses HEAD, or a connection dropped on it; not a host that cannot be reached
        if (r.status or 0) >= 400 or r.error in ("reset", "client"):
            r = await self._follow(url, None, method="GET", body=False)
        if len(self._probed) >= _PROBES_KEPT:  # a batch of a thousand sites: memory stays bounded
            self._probed.clear()
        self._probed[url] = Fetched(url, r.final_url, r.status, error=r.error, detail=r.detail)
        return r

    async def _follow(
        self,
        url: str,
        conditional: Mapping[str, str] | None,
        *,
        method: str = "GET",
        body: bool = True,
        data: bytes | None = None,
    ) -> Fetched:
        seen = [url]
        current = url
        for _ in range(self.config.max_redirects + 1):
            if current != url:  # every hop passes the guard, robots and the host's stop as the first
                blocked = await self._blocked(current)
                if blocked is not None:
                    blocked.url = url
                    return blocked
            r = await self._one(current, conditional if current == url else None, method, body, data)
            r.url = url
            if r.status in (301, 302, 303, 307, 308) and not r.error:
                if r.status in (301, 302, 303) and method == "POST":
                    method, data = "GET", None  # as browsers do: the form is not sent on
                loc = r.header("Location")
                if not loc:
                    return r
                nxt = urljoin(current, loc)
                # back to a page already met is a loop, unless the answer set a cookie (a cookie check:
                # the page comes once the cookie is sent); max_redirects still bounds the chain
                if nxt in seen and not r.header("Set-Cookie"):
                    return Fetched(url, nxt, r.status, error="redirect_loop", elapsed=r.elapsed)
                seen.append(nxt)
                current = nxt
                continue
            return r
        return Fetched(url, current, None, error="too_many_redirects")

    def proxy_for(self, url: str) -> str | None:
        """The proxy a request to `url` goes through: the configured one, else the environment's unless
        NO_PROXY names the host or the host is a loopback or private address (never sent out)."""
        if self.config.proxy:
            return self.config.proxy
        if not self._env_proxies:
            return None
        parts = urlsplit(url)
        proxy = self._env_proxies.get(parts.scheme)
        host = parts.hostname or ""
        if (
            not proxy
            or local_literal(host)
            or urllib.request.proxy_bypass_environment(host, self._env_proxies)
        ):
            return None
        return proxy

    async def _one(
        self,
        url: str,
        conditional: Mapping[str, str] | None,
        method: str = "GET",
        body: bool = True,
        data: bytes | None = None,
    ) -> Fetched:
        """One request; a certificate that cannot be verified is recorded on the host's slot and, when
        the configuration allows, the request is made again without verification (as is every later
        request to the host)."""
        slot = self.slot(url)
        r = await self._request(url, conditional, slot, method, body, data)
        if r.error == "ssl" and r.detail and self.config.tls_fallback and not slot.unverified:
            slot.unverified = r.detail
            r = await self._request(url, conditional, slot, method, body, data)
        return r

    async def _request(
        self,
        url: str,
        conditional: Mapping[str, str] | None,
        slot: HostSlot,
        method: str = "GET",
        body: bool = True,
        data: bytes | None = None,
    ) -> Fetched:
        """One request; without `body` (a link probe) only the answer's status and headers are read."""
        assert self.session is not None, "Fetcher 必须在 async with 中使用"
        headers = dict(conditional or {})
        if data is not None:
            headers["Content-Type"] = FORM_TYPE
        async with slot.sem:
            async with slot.limiter:
                pass  # the limiter only spaces the start of requests
            self.request_count += 1
            t0 = time.monotonic()
            try:
                async with self.session.request(
                    method,
                    url,
                    headers=headers,
                    data=data,
                    allow_redirects=False,
                    proxy=self.proxy_for(url),
                    ssl=not slot.unverified,  # False: no certificate verification
                ) as resp:
                    content, truncated = await self._read(resp) if body else (b"", False)
                    req_headers = [(k, v) for k, v in resp.request_info.headers.items()]
                    return Fetched(
                        url,
                        str(resp.url),
                        resp.status,
                        resp.reason or "",
                        [(k, v) for k, v in resp.headers.items()],
                        content,
                        error="too_large" if truncated else "",
                        truncated=truncated,
                        elapsed=time.monotonic() - t0,
                        not_modified=resp.status == 304,
                        request_headers=req_headers,
                        unverified=slot.unverified if url.startswith("https:") else "",
                        method=method,
                        request_body=data or b"",
                    )
            except aiohttp.ClientConnectorCertificateError as exc:
                return Fetched(
                    url,
                    url,
                    None,
                    error="ssl",
                    detail=certificate_fault(exc.certificate_error),
                    elapsed=time.monotonic() - t0,
                )
            except aiohttp.ClientSSLError:
                return Fetched(url, url, None, error="ssl", elapsed=time.monotonic() - t0)
            except TimeoutError:
                return Fetched(url, url, None, error="timeout", elapsed=time.monotonic() - t0)
            except (aiohttp.ServerDisconnectedError, aiohttp.ClientPayloadError, ConnectionResetError):
                return Fetched(url, url, None, error="reset", elapsed=time.monotonic() - t0)
            except aiohttp.ClientConnectorDNSError as exc:
                if isinstance(exc.os_error, EgressRefused):  # judged on the connection's own answer
                    refused = exc.os_error.refusal
                    return Fetched(url, url, None, error=refused.code, detail=refused.detail)
                return Fetched(url, url, None, error="dns", elapsed=time.monotonic() - t0)
            except aiohttp.ClientConnectorError:
                return Fetched(url, url, None, error="refused", elapsed=time.monotonic() - t0)
            except (aiohttp.ClientError, ValueError, UnicodeError):
                return Fetched(url, url, None, error="client", elapsed=time.monotonic() - t0)

    async def _read(self, resp: aiohttp.ClientResponse) -> tuple[bytes, bool]:
        limit = self.config.max_bytes
        declared = resp.content_length
        chunks: list[bytes] = []
        size = 0
        if declared is not None and declared > limit:
            return b"", True
        if declared is not None:
            return await resp.read(), False  # the length is known and within the limit: one read
        async for chunk in resp.content.iter_chunked(65536):
            chunks.append(chunk)
            size += len(chunk)
            if size > limit:
                resp.close()
                return b"".join(chunks)[:limit], True
        return b"".join(chunks), False


# OpenSSL's X509_V_ERR_* codes of the faults county sites have most often
_CERTIFICATE_FAULTS = {
    9: "证书尚未生效",
    10: "证书已过期",
    18: "自签名证书",
    19: "证书链含自签名证书",
    20: "证书链无法验证：缺少中间证书或根证书不受信任",
    21: "证书链无法验证：缺少中间证书或根证书不受信任",
    62: "证书与域名不符",
}


def certificate_fault(error: BaseException) -> str:
    """A certificate verification error in Chinese, with OpenSSL's own words for the rarer ones."""
    code = getattr(error, "verify_code", None)
    if code in _CERTIFICATE_FAULTS:
        return _CERTIFICATE_FAULTS[code]
    return f"证书无法验证：{getattr(error, 'verify_message', '') or error}"


_PROBES_KEPT = 20_000  # outcomes of link probes remembered across the sites of a batch


def _transient(r: Fetched) -> bool:
    """Worth retrying: timeouts, resets and 5xx answers."""
    return r.error in ("timeout", "reset") or (r.status is not None and r.status >= 500)


def jitter(seconds: float) -> float:
    return seconds * (0.8 + 0.4 * random.random())
