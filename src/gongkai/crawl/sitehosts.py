"""The hosts a site's crawl reads (mixed into `gongkai.crawl.host.HostCrawl`): robots.txt first, hosts
adopted (the 专栏's, where the site moved), and links to other sites probed once at the end.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any
from urllib.parse import urlsplit

from gongkai.crawl.egress import REFUSED
from gongkai.crawl.fetch import Fetched, answer_headers
from gongkai.crawl.polite import host_of, robots_stop, same_organisation
from gongkai.crawl.resource import canonical, strip_fragment

_PROBES_AT_ONCE = 8
# probe outcomes that say nothing of the link: not asked (refused by the egress guard, robots, a stopped
# host)
_NOT_ASKED = (*REFUSED, "robots", "stopped")
# outcomes that mean no connection was made at all: all of them at once means this machine is offline
_UNREACHABLE = ("dns", "refused", "timeout", "client")


class SiteHosts:
    """robots.txt, adopted hosts and external probes, for `HostCrawl` (whose fetcher, writer, frontier
    and faults these methods use)."""

    def _note_external(self, url: str, parts: Any) -> None:
        """Keep a link to another site for probing (links only: a redirect's target is fetched)."""
        if (
            self.config.probe_external
            and parts.scheme in ("http", "https")
            and parts.netloc
            and len(self.external) < self.config.max_external_probes
        ):
            self.external.setdefault(strip_fragment(url), None)

    async def _probe_external(self) -> None:
        """Ask once whether each link to another site answers (HEAD, then GET), a few at a time; every
        host keeps its own rate. When not one probe could connect, the machine has no way out: the
        outcomes are not recorded (they would all read as broken links) and a fault says so."""
        todo = [u for u in self.external if canonical(u) not in self.seen]
        if not todo or time.monotonic() > self.deadline:
            return
        gate = asyncio.Semaphore(_PROBES_AT_ONCE)
        outcomes: dict[str, Fetched] = {}

        async def probe(url: str) -> None:
            async with gate:
                if time.monotonic() <= self.deadline:
                    outcomes[url] = await self.fetcher.probe(url)
                    self._report(url, queue=len(todo) - len(outcomes))

        await asyncio.gather(*(probe(u) for u in todo))
        refused = [f"{u}（{r.detail}）" for u, r in outcomes.items() if r.error in REFUSED]
        if refused:
            self._fault(
                f"外部链接 {len(refused)} 个指向内网、回环等专用地址或含用户名密码，已拒绝访问："
                + "、".join(refused[:5])
                + ("等" if len(refused) > 5 else "")
            )
        tried = [r for r in outcomes.values() if r.error not in _NOT_ASKED]
        if len(tried) >= 3 and all(r.error in _UNREACHABLE for r in tried):
            self._fault(f"外部链接 {len(tried)} 个均无法连接（本机可能不能访问互联网），外部链接未检查")
            return
        for url, r in outcomes.items():
            self._record_probe(url, r)
        broken = sum(1 for r in tried if r.error or (r.status or 0) >= 400)
        if broken:
            self._fault(f"外部链接 {broken} 个无法访问（共检查 {len(tried)} 个）")

    def _record_probe(self, url: str, r: Fetched) -> None:
        assert self.writer is not None
        record = self.writer.write_probe(url, r.status, r.error, r.error_text if r.error else "")
        self.seen.add(canonical(url))
        if self.facts is not None:
            self.facts.add_probe(url, r.status, r.error, record)

    async def _robots(self, *, site: str = "") -> None:
        """Read a host's robots.txt and archive it (once: a resumed crawl re-reads it, archived already)."""
        parts = urlsplit(site or self.seed)
        url = f"{parts.scheme}://{parts.netloc}/robots.txt"
        r = await self.fetcher.fetch(url, retries=min(1, self.config.robots_retries))
        left = self.config.robots_retries - (r.attempts - 1)
        if (r.status or 0) >= 500 and left > 0:
            # a server error is retried a few more times (RFC 9309: while it lasts, nothing may be crawled)
            await asyncio.sleep(min(self.config.backoff_s * 4, max(0.0, self.deadline - time.monotonic())))
            again = await self.fetcher.fetch(url, retries=left - 1)
            again.attempts += r.attempts
            r = again
        if self.writer is not None and r.status is not None and canonical(url) not in self.seen:
            record = self.writer.write_response(url, r.status, r.reason, r.headers, r.body, r.request_headers)
            self._keep_facts(url, 1, r.status, answer_headers(r), r.body, record)  # depth 1: never a hub
        self.seen.add(canonical(url))
        if r.status == 200 and r.body:
            self.fetcher.slot(url).set_robots(r.body.decode("utf-8", "replace"))
        reason = robots_stop(r.status, r.attempts, url)
        if reason:
            self.errors += 1
            self._stop_host(url, reason)

    async def _other_hosts_robots(self) -> None:
        """After a resume, the rules of the site's other hosts (its 专栏's, where it moved) are read again
        like the seed's: the state file remembers the hosts, not their robots.txt."""
        scheme = urlsplit(self.seed).scheme
        for host in sorted(self.hosts - {host_of(self.seed)}):
            await self._robots(site=f"{scheme}://{host}/")

    def _adopt_host(self, host: str) -> None:
        """Crawl `host` as part of this site from now on (and after a resume). An adopted host is not
        named by the operator: the egress guard judges each of its requests."""
        if host not in self.hosts:
            self.hosts.add(host)
            self._settled.clear()  # its links were another site's
            self._save_state(finished=False)

    async def _adopt_checked(self, url: str, what: str) -> bool:
        """Adopt the host of `url` unless the egress guard refuses it (a fault then says why)."""
        refused = await self.fetcher.refusal(url)
        if refused is not None:
            message = f"{what} {url}，未纳入抓取：{refused.detail}"
            if message not in self.faults:  # every page at the seed's depth names the same candidates
                self._fault(message)
            return False
        self._adopt_host(host_of(url))
        return True

    async def _start_zhuanlan(self) -> None:
        """The configured 专栏: its host is part of the site (the operator named it, as the seed) and its
        page is read as a hub, at the seed's depth."""
        host = host_of(self.zhuanlan)
        self.fetcher.allowed_hosts.add(host)  # named by the operator, as the seed
        if host not in self.hosts:  # after a resume it is there, its rules read with the seed's
            self._adopt_host(host)
            if self.config.respect_robots:
                await self._robots(site=self.zhuanlan)
        self.hubs.add(strip_fragment(self.zhuanlan))
        self._enqueue(self.zhuanlan, 0, force=True)

    async def _adopt_zhuanlan_hosts(self, candidates: list[str]) -> None:
        """A 政府信息公开 column the homepage links to on another host of the same organisation
        (www.hd.gov.cn -> hdzfxxgk.hd.gov.cn, a city's shared 信息公开 platform) is part of the site:
        its host is crawled too, its robots.txt read first."""
        for url in candidates:
            host = host_of(url)
            if host in self.hosts or not same_organisation(host, host_of(self.seed)):
                continue
            if not await self._adopt_checked(url, "政府信息公开专栏链接"):
                continue
            if self.config.respect_robots:
                await self._robots(site=url)
            self._fault(f"政府信息公开专栏在 {host}，已一并抓取")
