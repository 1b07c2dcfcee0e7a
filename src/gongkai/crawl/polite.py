"""Politeness: the crawl configuration, per-host slots (rate, concurrency, robots.txt), stop signals.

A host slot spaces requests by 1/rate seconds (aiolimiter with a bucket of one, so there is no burst)
or by robots.txt's Crawl-delay when that is longer, and caps concurrent requests per host. A 403,
429 or captcha page stops the host: the run is marked partial, protection is never evaded.
Which addresses may be asked (private, loopback, the hosts the operator named) is the egress guard's
business: `gongkai.crawl.egress`.
"""

from __future__ import annotations

import asyncio
import functools
import os
import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from aiolimiter import AsyncLimiter
from protego import Protego

# ASCII only: raw UTF-8 in a header is legal but some servers and firewalls of government sites answer 400
USER_AGENT = "gongkai/0.1 (zhengwu gongkai evaluation; polite; +https://github.com/gongkai)"


def _env_float(name: str, default: float) -> float:
    raw = os.environ.get(name)
    if raw is None:
        return default
    try:
        return float(raw)
    except ValueError as exc:
        raise ValueError(f"环境变量 {name} 的值“{raw}”不是数字") from exc


def _env_flag(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    value = raw.strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off"):
        return False
    raise ValueError(f"环境变量 {name} 的值“{raw}”应为 1/0、true/false、yes/no 或 on/off")


@dataclass
class CrawlConfig:
    """Crawl budgets and politeness; defaults are gentle on small government servers.

    Environment overrides: GONGKAI_CRAWL_RATE, GONGKAI_CRAWL_MAX_PAGES, GONGKAI_CRAWL_TIMEOUT,
    GONGKAI_CRAWL_PROCESSES, GONGKAI_CRAWL_PROXY, GONGKAI_CRAWL_EXTERNAL (0: no link probes). Without a
    proxy of its own the crawler follows the usual HTTP_PROXY / HTTPS_PROXY / NO_PROXY variables, except
    for loopback and private addresses.
    """

    max_pages: int = 2000  # pages (HTML, XML, JSON, attachments) per host
    max_depth: int = 8  # link hops from the start page (pagination does not count)
    time_budget_s: float = 1800.0  # per host
    rate: float = field(default_factory=lambda: _env_float("GONGKAI_CRAWL_RATE", 1.0))  # requests/s per host
    concurrency_per_host: int = 2
    timeout_s: float = field(default_factory=lambda: _env_float("GONGKAI_CRAWL_TIMEOUT", 20.0))
    max_bytes: int = 20 * 1024 * 1024  # per response
    allow_private: bool = False  # follow links to loopback/private hosts other than the start host
    user_agent: str = USER_AGENT
    respect_robots: bool = True
    retries: int = 2  # on 5xx, timeouts and resets, with exponential backoff
    backoff_s: float = 1.0
    max_redirects: int = 5
    max_list_pages: int = 50  # pagination pages per column (endless pagination guard)
    max_query_variants: int = 30  # distinct query strings per path (calendars, session ids)
    fetch_attachments: bool = True
    max_consecutive_errors: int = 20  # then the host is given up (partial)
    host_concurrency: int = 64  # hosts crawled at once by crawl_many (per process)
    # worker processes for crawl_many over many sites: hosts are sharded, each host stays in one process
    processes: int = field(default_factory=lambda: int(_env_float("GONGKAI_CRAWL_PROCESSES", 1)))
    # every request through this HTTP proxy (an intranet's way out); "" = the environment's, if any
    proxy: str = field(default_factory=lambda: os.environ.get("GONGKAI_CRAWL_PROXY", ""))
    # a certificate that cannot be verified (expired, self-signed, a missing intermediate: common on
    # county sites that browsers still open) is recorded as a fault and the host is read unverified;
    # False: such a host is unreachable
    tls_fallback: bool = True
    # links to other sites (友情链接, 上级政府, 备案) are probed once each, HEAD then GET, so link checks
    # see whether they answer; an offline machine (every probe fails to connect) records that instead
    probe_external: bool = field(default_factory=lambda: _env_flag("GONGKAI_CRAWL_EXTERNAL", True))
    max_external_probes: int = 300  # per site
    # pages whose list a script fills: auto renders (headless Chromium) those whose API cannot be found,
    # always renders every HTML page, never renders none (their columns are then not judged)
    render: str = field(default_factory=lambda: os.environ.get("GONGKAI_CRAWL_RENDER", "auto") or "auto")

    def __post_init__(self) -> None:
        if os.environ.get("GONGKAI_CRAWL_MAX_PAGES"):
            self.max_pages = int(_env_float("GONGKAI_CRAWL_MAX_PAGES", self.max_pages))
        problems = []
        if self.rate <= 0:
            problems.append(f"rate 必须大于 0（当前 {self.rate}）")
        if self.max_pages < 1:
            problems.append(f"max_pages 必须至少为 1（当前 {self.max_pages}）")
        if self.concurrency_per_host < 1:
            problems.append(f"concurrency_per_host 必须至少为 1（当前 {self.concurrency_per_host}）")
        if self.processes < 1:
            problems.append(f"processes 必须至少为 1（当前 {self.processes}）")
        if self.timeout_s <= 0:
            problems.append(f"timeout_s 必须大于 0（当前 {self.timeout_s}）")
        if self.proxy and not re.match(r"https?://[^/\s]+", self.proxy):
            problems.append(f"代理地址须形如 http://主机:端口（当前 {self.proxy}）")
        if self.render not in ("auto", "never", "always"):
            problems.append(f"render 须为 auto、never 或 always（当前 {self.render}）")
        if problems:
            raise ValueError("抓取配置错误：" + "；".join(problems))


@functools.lru_cache(maxsize=4096)  # seeds and in-flight URLs, asked several times a page
def host_of(url: str) -> str:
    """The politeness key of a URL: host[:port], lower case."""
    return urlsplit(url).netloc.lower()


# second-level suffixes under which an organisation's own domain has three labels (hd.gov.cn)
_CN_SUFFIXES = frozenset(["gov.cn", "com.cn", "org.cn", "net.cn", "edu.cn", "ac.cn"])


def organisation_domain(host: str) -> str:
    """The domain an organisation registered: hd.gov.cn for www.hd.gov.cn, xxgk.fx.hd.gov.cn or
    hd.gov.cn; example.com for www.example.com. '' for an IP address or a single label."""
    labels = [label for label in host_name(host).lower().split(".") if label]
    if len(labels) < 2 or all(label.isdigit() for label in labels):
        return ""
    keep = 3 if ".".join(labels[-2:]) in _CN_SUFFIXES else 2
    return ".".join(labels[-keep:]) if len(labels) >= keep else ""


def same_organisation(host: str, other: str) -> bool:
    """Whether two hosts belong to one organisation's domain (not two sites that merely share gov.cn)."""
    domain = organisation_domain(host)
    return bool(domain) and domain == organisation_domain(other)


def host_name(host: str) -> str:
    """host[:port] without its port (and an IPv6 literal without its brackets)."""
    return host.rsplit(":", 1)[0].strip("[]") if host.count(":") <= 1 or host.startswith("[") else host


class HostSlot:
    """Per-host state: rate limiter, concurrency semaphore, robots rules, stop flag."""

    def __init__(self, host: str, config: CrawlConfig) -> None:
        self.host = host
        self.config = config
        self.interval = 1.0 / config.rate
        self.limiter = AsyncLimiter(1, self.interval)
        self.sem = asyncio.Semaphore(config.concurrency_per_host)
        self.robots: Protego | None = None
        self.stopped = ""  # Chinese reason once the host must not be asked any more
        self.unverified = ""  # its certificate's fault (Chinese) once it is read without verification

    def set_robots(self, text: str) -> None:
        try:
            self.robots = Protego.parse(text)
        except Exception:  # noqa: BLE001 - a broken robots.txt is treated as absent
            self.robots = None
            return
        delay = self.robots.crawl_delay(self.config.user_agent)
        if delay and float(delay) > self.interval:
            self.interval = float(delay)
            self.limiter = AsyncLimiter(1, self.interval)

    def allowed(self, url: str) -> bool:
        if not self.config.respect_robots or self.robots is None:
            return True
        return self.robots.can_fetch(url, self.config.user_agent)


_CAPTCHA = re.compile(r"验证码|安全验证|访问验证|人机验证|captcha|滑块验证", re.I)
_BLOCKED = re.compile(r"访问(?:已)?被(?:拦截|阻断|拒绝)|网站防火墙|安全拦截|请求已被拦截")
# words of the pages above, UTF-8 and GBK: a cheap test of raw bytes before a short page is decoded
PROTECTION_BYTES = tuple(
    word.encode(codec) for word in ("验证", "拦截", "阻断", "防火墙") for codec in ("utf-8", "gbk")
)


def protection_page(text: str) -> str:
    """What a short page whose point is an access check is ("验证码页面", "防火墙拦截页面"), else ''
    (an article that mentions a captcha or a firewall is long)."""
    if len(text) >= 3000:
        return ""
    if _CAPTCHA.search(text):
        return "验证码页面"
    return "防火墙拦截页面" if _BLOCKED.search(text) else ""


# a script challenge (瑞数 answers 412, 加速乐 521) sets a cookie and reloads: a protection, never passed
CHALLENGE_STATUSES = (412, 521)
