"""The egress guard: every request the crawler makes passes here, so it cannot be turned inward.

Rules (docs/crawl.md, "出口守卫"):

1. A URL is parsed once, by yarl as aiohttp reads it. A URL carrying a user name or password is refused
   (`userinfo`): credentials are never sent, and `http://x@127.0.0.1/` is never mistaken for a host `x@…`.
2. An address is special-purpose when it is loopback, private (10/8, 172.16/12, 192.168/16, fc00::/7),
   link-local (169.254/16, where clouds keep their metadata service; fe80::/10), carrier-grade NAT
   (100.64/10), multicast, unspecified (0.0.0.0, ::), reserved or otherwise not globally routable. An
   IPv6 address that carries an IPv4 one (mapped ::ffff:a.b.c.d, compatible ::a.b.c.d, 6to4, NAT64) is
   judged as that IPv4 address; the legacy forms a resolver accepts (2130706433, 0x7f.1, 127.1) too.
3. A host the operator named (the seed, a configured 专栏, the proxy) may be special-purpose; so may every
   host with `allow_private`. Any other host on a special-purpose address is refused (`private`).
4. A host name is judged at connect time, on the addresses the connection uses: `GuardedResolver` is the
   connector's resolver; it asks DNS once and refuses the connection when any answer is special-purpose,
   so an answer that changes between a check and the connection (DNS rebinding) changes nothing. Names
   are also looked up before a request (`EgressGuard.check`), for the refusal to be known without a
   connection and for requests sent through a proxy (which resolves the name itself).
5. Hosts the crawl adopts (a redirected root, a 专栏 on a sibling host) are part of the site, never
   operator-named: each of their requests is judged as above.

Unit ownership of a link (`url_within`) compares parsed hosts, ports and path segments, never strings.
"""

from __future__ import annotations

import ipaddress
import re
import socket
from collections.abc import Iterable, MutableSet
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlsplit

from aiohttp.abc import AbstractResolver, ResolveResult
from aiohttp.resolver import ThreadedResolver
from yarl import URL

Address = ipaddress.IPv4Address | ipaddress.IPv6Address

REFUSED = ("private", "userinfo")  # error codes of a request the guard refused (never sent)

_CGNAT = ipaddress.ip_network("100.64.0.0/10")
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_COMPAT = ipaddress.ip_network("::/96")  # IPv4-compatible (deprecated): ::127.0.0.1
_PRIVATE = [ipaddress.ip_network(n) for n in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7")]
_LOCAL_NAMES = ("localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback")


@dataclass(frozen=True)
class Refusal:
    """Why a request is not made: an error code of `REFUSED` and what was refused, in Chinese."""

    code: str
    detail: str


class EgressRefused(OSError):
    """Raised by the guarded resolver; aiohttp hands it on inside a ClientConnectorDNSError."""

    def __init__(self, refusal: Refusal) -> None:
        super().__init__(refusal.detail)
        self.refusal = refusal


# ------------------------------------------------------------------------------ addresses


def _embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 one stands for (mapped, compatible, 6to4, NAT64), else None."""
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address in _NAT64 or (address in _COMPAT and int(address) > 1):
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def special_kind(address: Address | str) -> str:
    """What kind of special-purpose address `address` is, in Chinese ("回环地址"), or '' when public."""
    if isinstance(address, str):
        address = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(address, ipaddress.IPv6Address):
        embedded = _embedded_ipv4(address)
        if embedded is not None:
            return special_kind(embedded)
    if address.is_unspecified:
        return "未指定地址"
    if address.is_loopback:
        return "回环地址"
    if address.is_link_local:
        return "链路本地地址"
    if address.is_multicast:
        return "组播地址"
    if isinstance(address, ipaddress.IPv4Address) and address in _CGNAT:
        return "运营商级 NAT 地址（100.64.0.0/10）"
    if any(address in net for net in _PRIVATE if net.version == address.version):
        return "内网地址"
    if address.is_reserved or address.is_private or not address.is_global:
        return "保留或专用地址"
    return ""


_LEGACY_IPV4 = re.compile(r"[0-9a-fx.]+", re.I)


def literal_address(host: str) -> Address | None:
    """The address a host written as one stands for (brackets and zone dropped; the legacy IPv4 forms
    2130706433, 0x7f.1 and 127.1 as a resolver reads them), else None."""
    host = host.strip("[]").split("%", 1)[0]
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    if _LEGACY_IPV4.fullmatch(host) and any(c.isdigit() for c in host):
        try:
            return ipaddress.IPv4Address(socket.inet_aton(host))
        except OSError:
            return None
    return None


def local_name(host: str) -> bool:
    """Whether a host name always means this machine (localhost and its kin)."""
    host = host.lower().rstrip(".")
    return host in _LOCAL_NAMES or host.endswith(".localhost")


def local_literal(host: str) -> str:
    """What a host (without port) is when its name alone says it is special-purpose (localhost, an address
    written out), in Chinese; '' otherwise. Other names are not resolved."""
    if local_name(host):
        return "本机（localhost）"
    address = literal_address(host)
    return special_kind(address) if address is not None else ""


def _answers_kind(addresses: Iterable[str]) -> tuple[str, str]:
    """The first special-purpose address among `addresses` and its kind, else ('', '')."""
    for address in addresses:
        try:
            kind = special_kind(address)
        except ValueError:
            continue
        if kind:
            return address, kind
    return "", ""


def _private(what: str, address: str, kind: str) -> Refusal:
    where = f"{what} 解析为 {address}，" if address and address != what else f"{what} 为"
    return Refusal("private", f"{where}{kind}")


# ------------------------------------------------------------------------------------ the guard


class EgressGuard:
    """What may be asked: the hosts the operator named (`allowed`, host[:port] as `host_of` writes them,
    shared with the fetcher), everything with `allow_private`, any other host on a public address.

    `resolver` is the DNS seam (aiohttp's ThreadedResolver by default): the guard's own look-ups and the
    connector's both go through it."""

    def __init__(
        self,
        allowed: MutableSet[str],
        *,
        allow_private: bool = False,
        resolver: AbstractResolver | None = None,
    ) -> None:
        self.allowed = allowed
        self.allow_private = allow_private
        self.proxies: set[str] = set()  # proxy endpoints: connected to, never fetched as pages
        self._base = resolver
        self._looked_up: dict[str, Refusal | None] = {}

    def allow_proxy(self, proxy_url: str) -> None:
        """Let connections reach the proxy `proxy_url` (named by the operator or the environment)."""
        parts = urlsplit(proxy_url)
        if parts.hostname:
            default = 443 if parts.scheme == "https" else 80
            self.proxies.add(f"{parts.hostname.lower()}:{parts.port or default}")

    @property
    def base(self) -> AbstractResolver:
        if self._base is None:
            self._base = ThreadedResolver()  # needs the running loop: made on first use
        return self._base

    def resolver(self) -> GuardedResolver:
        return GuardedResolver(self)

    def endpoint_allowed(self, host: str, port: int) -> bool:
        """Whether connections to host:port may reach special-purpose addresses (resolver's view)."""
        if self.allow_private:
            return True
        keys = set()
        for name in {host.lower(), _unicode(host)}:
            keys.add(f"{name}:{port}")
            if port in (80, 443):
                keys.add(name)
        return bool(keys & self.allowed) or f"{host.lower()}:{port}" in self.proxies

    async def check(self, url: str) -> Refusal | None:
        """Why `url` must not be asked, or None. The host's name is looked up (once per host); the
        connection's own look-up is judged again by `GuardedResolver`."""
        try:
            parsed = URL(url)
        except ValueError:
            return None  # not a URL aiohttp can ask either: the fetch reports it
        if parsed.user is not None or parsed.password is not None:
            return Refusal("userinfo", "网址含用户名或密码，凭据不予发送")
        host = (parsed.host or "").lower()
        if not host or self.allow_private or _netlocs(parsed) & self.allowed:
            return None
        kind = local_literal(host)
        if kind:
            return _private(host, "", kind)
        if host not in self._looked_up:
            self._looked_up[host] = await self._look_up(host)
        return self._looked_up[host]

    async def _look_up(self, host: str) -> Refusal | None:
        try:
            answers = await self.base.resolve(host, 0, family=socket.AF_UNSPEC)
        except OSError:
            return None  # a name that does not resolve: the fetch reports it (or a proxy resolves it)
        address, kind = _answers_kind(a["host"] for a in answers)
        return _private(host, address, kind) if kind else None

    async def close(self) -> None:
        if self._base is not None:
            await self._base.close()


def _netlocs(parsed: URL) -> set[str]:
    """host[:port] of a parsed URL as `polite.host_of` writes it (the port only when given), with its
    host encoded (IDNA) and as written."""
    out = set()
    for host in {(parsed.raw_host or "").lower(), (parsed.host or "").lower()}:
        host = f"[{host}]" if ":" in host else host
        out.add(f"{host}:{parsed.explicit_port}" if parsed.explicit_port is not None else host)
    return out


def _unicode(host: str) -> str:
    """A host name as written (中文域名), from its IDNA encoding."""
    try:
        return host.encode("ascii").decode("idna").lower()
    except UnicodeError:
        return host.lower()


class GuardedResolver(AbstractResolver):
    """The connector's resolver: one look-up per connection, and a connection whose host is not allowed
    and any of whose addresses is special-purpose is refused (`EgressRefused`)."""

    def __init__(self, guard: EgressGuard) -> None:
        self.guard = guard

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        answers = await self.guard.base.resolve(host, port, family=family)
        if not self.guard.endpoint_allowed(host, port):
            address, kind = _answers_kind(a["host"] for a in answers)
            if kind:
                raise EgressRefused(_private(host, address, kind))
        return answers

    async def close(self) -> None:
        await self.guard.close()


# ------------------------------------------------------------------------------ unit ownership


@dataclass(frozen=True)
class _Place:
    host: str
    port: int | None  # None: the scheme's default
    segments: tuple[str, ...]
    query: tuple[tuple[str, str], ...]


def _place(url: str) -> _Place | None:
    """A URL's host, port and path segments, or None when it is no plain http(s) URL (credentials in it,
    no host, a bad port). A prefix without a scheme is read as http."""
    url = url.strip()
    if "//" not in url:
        url = "http://" + url
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname or "@" in parts.netloc:
        return None
    if port == {"http": 80, "https": 443}[parts.scheme.lower()]:
        port = None
    segments = tuple(s for s in parts.path.split("/") if s)
    query = tuple(parse_qsl(parts.query, keep_blank_values=True))
    return _Place(parts.hostname.lower().rstrip("."), port, segments, query)


def url_within(url: str, prefix: str) -> bool:
    """Whether `url` lies under `prefix`: the same host and port (http and https alike), the prefix's
    path segments first (`/bm/jyj` covers `/bm/jyj/` and `/bm/jyj/a.html`, not `/bm/jyjx/`), and, when
    the prefix has a query, the same path with the prefix's parameters. A URL with a user name or
    password lies under no prefix."""
    here, root = _place(url), _place(prefix)
    if here is None or root is None or (here.host, here.port) != (root.host, root.port):
        return False
    if root.query:
        return here.segments == root.segments and set(root.query) <= set(here.query)
    return here.segments[: len(root.segments)] == root.segments


def same_host(url: str, other: str) -> bool:
    """Whether two URLs name the same host and port (parsed; credentials in either: never)."""
    a, b = _place(url), _place(other)
    return a is not None and b is not None and (a.host, a.port) == (b.host, b.port)
