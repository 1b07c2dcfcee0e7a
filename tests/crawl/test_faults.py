"""Fault mode: every fault is met, recorded in Chinese, and the crawl finishes without hanging."""

from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path

import pytest

from gongkai.crawl import CrawlConfig, CrawlResult, crawl_many
from gongkai.crawl.archive import read_archive
from gongkai.fleet import FAULT_MODES, Fleet, FleetServer, generate_fleet

AS_OF = dt.date(2026, 11, 20)


@pytest.fixture(scope="module", params=[1, 2], ids=["one-process", "two-processes"])
def faulty(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Fleet, FleetServer, dict[str, CrawlResult]]:
    """The fault fleet crawled in one process, and sharded over two (faults met in a worker process)."""
    fleet = generate_fleet(len(FAULT_MODES) + 1, seed=8, defect_rate=0.0, as_of=AS_OF)
    faults = {s.name: mode for s, mode in zip(fleet.sites, FAULT_MODES, strict=False)}
    config = CrawlConfig(
        rate=500,
        concurrency_per_host=3,
        max_pages=40,
        timeout_s=3,
        retries=1,
        backoff_s=0.05,
        max_bytes=2_000_000,
        processes=request.param,
    )
    out = tmp_path_factory.mktemp("faults")
    server = FleetServer(fleet, faults=faults, slow_delay=0.2).start()
    try:
        urls = [server.url_of(s) for s in fleet.sites]
        # a hang would fail here instead of blocking the suite
        results = asyncio.run(asyncio.wait_for(crawl_many(urls, out, config), timeout=120))
    finally:
        server.stop()
    by_mode = {faults.get(s.name, "none"): r for s, r in zip(fleet.sites, results, strict=True)}
    return fleet, server, by_mode


def test_every_crawl_finishes_and_writes_its_archive(faulty) -> None:  # noqa: ANN001
    _, _, results = faulty
    assert set(results) == set(FAULT_MODES) | {"none"}
    for mode, r in results.items():
        assert r.archive.exists(), mode
        assert r.pages > 0, mode
    clean = results["none"]
    assert clean.errors == 0 and clean.pages == 40
    assert clean.faults == ["已达到页面上限 40，抓取提前结束"]


def test_429_captcha_and_script_challenges_stop_the_host_and_mark_the_run_partial(faulty) -> None:  # noqa: ANN001
    fleet, server, results = faulty
    for mode, word in (("429", "429"), ("captcha", "验证码"), ("waf", "脚本验证防护（HTTP 412")):
        r = results[mode]
        assert r.partial and any(word in f and "停止" in f for f in r.faults), r.faults
    challenged = [x.status for x in server.requests_of(fleet.sites[FAULT_MODES.index("waf")])]
    assert len(challenged) - challenged.index(412) <= 3  # never answered, never retried
    site = fleet.sites[FAULT_MODES.index("429")]
    statuses = [x.status for x in server.requests_of(site)]
    first = statuses.index(429)
    assert len(statuses) - first <= 3  # only requests already in flight may follow the first 429


def test_server_errors_are_retried_then_recorded(faulty) -> None:  # noqa: ANN001
    fleet, server, results = faulty
    r = results["5xx"]
    assert r.errors > 0 and any("HTTP 503" in f and "重试" in f for f in r.faults)
    site = fleet.sites[FAULT_MODES.index("5xx")]
    failing = [x.path for x in server.requests_of(site) if x.status == 503]
    assert any(failing.count(p) >= 2 for p in failing)


@pytest.mark.parametrize(
    ("mode", "text"),
    [("reset", "连接被重置"), ("redirect_loop", "重定向循环"), ("huge", "超过大小上限")],
)
def test_network_faults_are_named(faulty, mode: str, text: str) -> None:  # noqa: ANN001
    _, _, results = faulty
    assert any(text in f for f in results[mode].faults), results[mode].faults


def test_failures_are_in_the_archive_and_the_model(faulty) -> None:  # noqa: ANN001
    _, _, results = faulty
    r = results["redirect_loop"]
    errors = [x for x in read_archive(Path(r.archive)) if x.error]
    assert any(x.error == "redirect_loop" for x in errors)
    assert any(lk.error == "redirect_loop" for lk in r.site_model.links)
    huge = [x for x in read_archive(Path(results["huge"].archive)) if x.truncated]
    assert huge and all(len(x.body) <= 2_000_000 for x in huge)


def test_malformed_and_slow_sites_still_yield_a_model(faulty) -> None:  # noqa: ANN001
    _, _, results = faulty
    for mode in ("malformed", "slow"):
        m = results[mode].site_model
        assert m.columns and m.documents, mode
    assert results["slow"].errors == 0


def test_an_unreachable_site_is_reported_not_raised(tmp_path: Path) -> None:
    from gongkai.crawl import crawl_site

    r = crawl_site("http://127.0.0.1:9/", tmp_path, CrawlConfig(retries=1, backoff_s=0.01, timeout_s=3))
    assert r.pages == 0 and r.errors == 1
    assert r.faults == ["http://127.0.0.1:9/：无法连接（连接被拒绝或不可达）"]
    m = r.site_model
    assert [(p.kind, p.status) for p in m.pages] == [("error", 0)]
    assert m.errors == tuple(r.faults)


def test_protection_pages_are_told_from_articles_about_them() -> None:
    from gongkai.crawl.polite import protection_page

    assert protection_page("安全验证 请拖动滑块完成验证") == "验证码页面"
    assert protection_page("网站防火墙 您的访问已被拦截，事件ID：1234") == "防火墙拦截页面"
    assert protection_page("抱歉，您的请求已被拦截！") == "防火墙拦截页面"
    assert protection_page("关于加强网站防火墙建设的通知。" + "正文" * 2000) == ""  # an article, long
    assert protection_page("某县召开安全生产工作会议") == ""
