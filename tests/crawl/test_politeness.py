"""Politeness measured on the server: per-host rate, robots.txt, User-Agent, private hosts refused."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Callable
from pathlib import Path

from gongkai.crawl import CrawlConfig, crawl_many, crawl_site, fetch_url
from gongkai.crawl.facts import page_facts
from gongkai.fleet import FleetServer, generate_fleet

AS_OF = dt.date(2026, 11, 20)


def max_in_window(times: list[float], window: float = 1.0) -> int:
    times = sorted(times)
    best, j = 0, 0
    for i, t in enumerate(times):
        while times[j] <= t - window:
            j += 1
        best = max(best, i - j + 1)
    return best


def test_no_host_ever_exceeds_its_rate(tmp_path: Path) -> None:
    fleet = generate_fleet(3, seed=21, defect_rate=0.0, as_of=AS_OF)
    rate = 8.0
    config = CrawlConfig(rate=rate, concurrency_per_host=3, max_pages=24, timeout_s=10)
    with FleetServer(fleet) as server:
        results = asyncio.run(crawl_many([server.url_of(s) for s in fleet.sites], tmp_path, config))
        logs = {s.name: server.requests_of(s) for s in fleet.sites}
    for site in fleet.sites:
        times = [r.t for r in logs[site.name]]
        assert len(times) >= 20
        # at most `rate` request starts in any one-second window; +2 absorbs a server thread that was paused
        # and then logs queued requests back to back (the client spaces them 1/rate apart)
        assert max_in_window(times) <= rate + 2
        # and the whole run cannot be faster than its spacing allows
        assert max(times) - min(times) >= (len(times) - 1) / rate - 0.5
    # hosts were crawled side by side, not one after the other
    spans = [(min(r.t for r in log), max(r.t for r in log)) for log in logs.values()]
    assert max(s for s, _ in spans) < min(e for _, e in spans)
    assert all(r.partial for r in results)  # the page budget cut them short, and they say so


def test_user_agent_is_clear_and_robots_is_read_first(
    fleet, server: FleetServer, tmp_path: Path, fast_config: Callable
) -> None:  # noqa: ANN001
    site = fleet.sites[1]
    before = len(server.requests_of(site))
    crawl_site(server.url_of(site), tmp_path, fast_config(max_pages=10))
    log = server.requests_of(site)[before:]
    assert log[0].path == "/robots.txt"
    # clear (who and why) and ASCII: raw UTF-8 in a header makes some government servers answer 400
    assert all(
        r.agent.startswith("gongkai/0.1 (zhengwu gongkai evaluation") and r.agent.isascii() for r in log
    )
    assert not any(r.path.startswith("/search/") for r in log)


def test_links_to_other_loopback_hosts_are_not_followed(tmp_path: Path, fast_config: Callable) -> None:
    fleet = generate_fleet(2, seed=4, defect_rate=0.0, as_of=AS_OF)
    with FleetServer(fleet) as server:
        a, b = fleet.sites
        r = crawl_site(server.url_of(a), tmp_path, fast_config(max_pages=40))
        assert r.pages > 0
        assert server.requests_of(b) == []
        # the named host of a single fetch is allowed even on loopback
        got = fetch_url(server.url_of(b) + "index.html", fast_config())
        assert got.status == 200 and b.full_name.encode(b.data.encoding) in got.body
        page = page_facts(
            got.url,
            got.status,
            {"content-type": got.header("Content-Type")},
            got.body,
            record="",
            fetched_at=None,
        )
        assert page.status == 200 and b.full_name in page.title and page.metas["SiteName"]


def test_private_host_refused_unless_allowed() -> None:
    from gongkai.crawl.fetch import Fetcher

    async def go(allow: bool) -> str:
        async with Fetcher(CrawlConfig(allow_private=allow)) as f:
            return await f.permitted("http://10.1.2.3/x.html")

    assert asyncio.run(go(False)) == "private"
    assert asyncio.run(go(True)) == ""


def test_bad_settings_are_refused_in_chinese() -> None:
    import pytest

    with pytest.raises(ValueError, match="rate 必须大于 0"):
        CrawlConfig(rate=0)
