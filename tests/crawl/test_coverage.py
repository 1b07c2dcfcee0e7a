"""Coverage before verdict: what a crawl did not read is recorded with why, a crawl with failed pages is
partial, the budget goes to the catalogue first, and the trap guard leaves a CMS's list endpoint alone."""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest

from gongkai.crawl import CrawlConfig, CrawlResult, crawl_many, extract_archive
from gongkai.fleet import FAULT_MODES, Fleet, FleetServer, generate_fleet
from gongkai.frameworks import load_framework
from gongkai.scan import scan_archive

AS_OF = dt.date(2026, 11, 20)

# what each fault mode of the fleet must leave in the record (slow: slower than the crawl's timeout)
FAULT_WORDS = {
    "slow": "请求超时",
    "reset": "连接被重置",
    "5xx": "HTTP 503",
    "429": "429",
    "redirect_loop": "重定向循环",
    "huge": "超过大小上限",
    "malformed": "HTML 不完整",
    "captcha": "验证码",
    "waf": "脚本验证防护",
}


@pytest.fixture(scope="module")
def fault_fleet(tmp_path_factory: pytest.TempPathFactory) -> tuple[Fleet, dict[str, CrawlResult]]:
    """One site per fault mode and a clean one, crawled with a budget large enough to read them whole."""
    fleet = generate_fleet(len(FAULT_MODES) + 1, seed=8, defect_rate=0.0, as_of=AS_OF)
    faults = {s.name: mode for s, mode in zip(fleet.sites, FAULT_MODES, strict=False)}
    config = CrawlConfig(
        rate=500, concurrency_per_host=3, max_pages=1000, timeout_s=2.5, retries=1, backoff_s=0.05,
        max_bytes=2_000_000,
    )  # fmt: skip
    out = tmp_path_factory.mktemp("fault-coverage")
    with FleetServer(fleet, faults=faults, slow_delay=4.0) as server:
        urls = [server.url_of(s) for s in fleet.sites]
        results = asyncio.run(asyncio.wait_for(crawl_many(urls, out, config, extract=True), timeout=180))
    return fleet, {faults.get(s.name, "none"): r for s, r in zip(fleet.sites, results, strict=True)}


def test_the_fault_modes_cover_the_fleets() -> None:
    assert set(FAULT_WORDS) == set(FAULT_MODES)


@pytest.mark.parametrize("mode", FAULT_MODES)
def test_every_fault_mode_ends_recorded_and_the_site_partial(fault_fleet, mode: str) -> None:  # noqa: ANN001
    _, results = fault_fleet
    r = results[mode]
    word = FAULT_WORDS[mode]
    coverage = r.site_model.coverage
    assert r.partial and r.site_model.partial, (mode, r.faults)
    assert any(word in f for f in r.faults), (mode, r.faults)
    assert coverage is not None and not coverage.complete
    assert any(word in c.why or word in c.what for c in coverage.cut if c.lost), (mode, coverage.cut)
    # the archive alone gives the same coverage as the crawl's own model
    assert extract_archive(r.archive, r.site).coverage == coverage


def test_the_clean_site_of_the_fault_fleet_is_complete(fault_fleet) -> None:  # noqa: ANN001
    _, results = fault_fleet
    r = results["none"]
    coverage = r.site_model.coverage
    assert not r.partial and coverage is not None and coverage.complete and coverage.catalogue_complete
    assert coverage.columns == len(r.site_model.columns) >= 13
    assert coverage.list_pages >= coverage.columns and 0 < coverage.budget_used < 1
    assert [c.lost for c in coverage.cut] == [False]  # the calendar trap, cut off, loses nothing


def test_a_site_slower_than_the_timeout_reads_nothing_and_is_not_scored(fault_fleet) -> None:  # noqa: ANN001
    _, results = fault_fleet
    r = results["slow"]
    assert r.site_model.coverage is not None and r.site_model.coverage.read == 0
    data = scan_archive(r.archive, as_of=AS_OF).as_json()
    assert data["score"]["band"] is None and data["score"]["rate"] is None
    fails = [f for f in data["findings"] if f["verdict"] == "FAIL"]
    assert [f["check"] for f in fails] == ["site.unreachable"]
    assert data["crawl"]["partial"] is True and data["crawl"]["coverage"]["complete"] is False
    assert any("请求超时" in c["why"] for c in data["crawl"]["coverage"]["cut"])


def test_absence_checks_are_uncertain_where_the_catalogue_was_not_read(fault_fleet) -> None:  # noqa: ANN001
    _, results = fault_fleet
    stopped = results["captcha"].site_model  # the host stopped after a few pages: the catalogue is unread
    assert stopped.coverage is not None and not stopped.coverage.catalogue_complete
    data = scan_archive(results["captcha"].archive, as_of=AS_OF).as_json()
    missing = [f for f in data["findings"] if f["check"] == "column.missing" and f["verdict"] != "PASS"]
    assert missing and all(f["verdict"] == "UNCERTAIN" for f in missing)
    assert all("目录未读完整" in f["message"] and "验证码" in f["message"] for f in missing)


def test_a_small_budget_reads_every_column_before_any_detail(
    tmp_path: Path, fast_config: Callable[..., CrawlConfig]
) -> None:
    """30 pages cannot hold a site of ~150: they go to the homepage, the 专栏 and its columns (breadth
    first they reached two or three of fourteen columns). The cut names details only, so an absent
    column is still proven absent."""
    fleet = generate_fleet(3, seed=5, defect_rate=0.0, as_of=AS_OF, chrome=True, cms_mix=("trs", "gkmlpt"))
    with FleetServer(fleet) as server:
        urls = [server.url_of(s) for s in fleet.sites]
        results = asyncio.run(crawl_many(urls, tmp_path, fast_config(max_pages=30), extract=True))
    for site, r in zip(fleet.sites, results, strict=True):
        m = r.site_model
        read = {c.name for c in m.columns if c.pages}
        assert {c.name for c in site.data.columns} <= read, site.cms
        assert m.partial and m.coverage is not None and not m.coverage.complete
        assert m.coverage.catalogue_complete, m.coverage.cut
        cut = [c for c in m.coverage.cut if c.lost]
        assert len(cut) == 1 and "详情页或附件" in cut[0].what and "页面上限 30" in cut[0].why


def test_absence_fails_stand_when_only_details_were_cut(
    tmp_path: Path, fast_config: Callable[..., CrawlConfig]
) -> None:
    fleet = generate_fleet(1, seed=5, defect_rate=0.0, as_of=AS_OF, cms_mix=("trs",))
    site = fleet.sites[0]
    gone = next(c for c in site.data.columns if c.key == "annual_report")
    with FleetServer(fleet) as server:
        r = asyncio.run(crawl_many([server.url_of(site)], tmp_path, fast_config(max_pages=40), extract=True))[
            0
        ]
    m = r.site_model
    assert m.partial and m.coverage is not None and m.coverage.catalogue_complete
    framework = load_framework("zwgk-2026")
    from gongkai.checks import run_checks

    # a column the catalogue lacks: the whole catalogue was read, so its absence is a FAIL
    lacking = dataclasses.replace(m, columns=tuple(c for c in m.columns if c.kind != "annual_report"))
    fails = [
        f
        for f in run_checks(lacking, framework, AS_OF)
        if f.check == "column.missing" and f.verdict.value == "FAIL"
    ]
    assert fails
    # the same model with a column page that failed: the absence is only UNCERTAIN, and says why
    cut = dataclasses.replace(m.coverage.cut[0], what=gone.path, why="请求超时", catalogue=True)
    unsure = dataclasses.replace(lacking, coverage=dataclasses.replace(m.coverage, cut=(cut,)))
    found = [f for f in run_checks(unsure, framework, AS_OF) if f.check == "column.missing"]
    assert not [f for f in found if f.verdict.value == "FAIL"]
    assert any(f.verdict.value == "UNCERTAIN" and f"{gone.path}（请求超时）" in f.message for f in found)


# ---------------------------------------------------------------------------- blocking decisions

_HOME = "<html><head><meta charset='utf-8'><title>某县人民政府</title></head><body>{links}</body></html>"
_PAGE = "<html><head><meta charset='utf-8'><title>{t}</title></head><body><p>{t}</p></body></html>"


def _serve_site(httpserver, forbidden: set[str], pages: int = 8) -> list[str]:  # noqa: ANN001
    paths = [f"/p{i}.html" for i in range(pages)]
    links = "".join(f'<a href="{p}">栏目{i}</a>' for i, p in enumerate(paths))
    httpserver.expect_request("/robots.txt").respond_with_data("User-agent: *\nAllow: /\n")
    httpserver.expect_request("/").respond_with_data(_HOME.format(links=links), content_type="text/html")
    for p in paths:
        if p in forbidden:
            httpserver.expect_request(p).respond_with_data("Forbidden", status=403)
        else:
            httpserver.expect_request(p).respond_with_data(_PAGE.format(t=p), content_type="text/html")
    return paths


def _one_at_a_time(**kw: object) -> CrawlConfig:
    base: dict[str, object] = {"rate": 200, "concurrency_per_host": 1, "retries": 0, "probe_external": False}
    base.update(kw)
    return CrawlConfig(**base)  # type: ignore[arg-type]


def test_a_403_on_one_page_is_that_pages_outcome(httpserver, tmp_path: Path) -> None:  # noqa: ANN001
    from gongkai.crawl import crawl_site

    paths = _serve_site(httpserver, {"/p2.html"})
    r = crawl_site(httpserver.url_for("/"), tmp_path, _one_at_a_time())
    asked = {req.path for req, _ in httpserver.log}
    assert set(paths) <= asked  # the crawl went on past the 403
    assert not any("停止" in f for f in r.faults)
    link = next(lk for lk in r.site_model.links if lk.url.endswith("/p2.html"))
    assert link.status == 403  # recorded: link.broken judges it where a public page links to it
    assert not r.partial and r.site_model.coverage is not None and r.site_model.coverage.complete


def test_403s_on_several_different_paths_in_a_row_stop_the_host(httpserver, tmp_path: Path) -> None:  # noqa: ANN001
    from gongkai.crawl import crawl_site

    paths = _serve_site(httpserver, {f"/p{i}.html" for i in range(1, 8)})
    r = crawl_site(httpserver.url_for("/"), tmp_path, _one_at_a_time(max_forbidden_in_a_row=3))
    asked = [req.path for req, _ in httpserver.log if req.path.startswith("/p")]
    assert asked == paths[:4]  # p0 answered; p1, p2, p3 answered 403 in a row: stopped there
    assert r.partial and any("连续 3 个不同网址返回 403" in f for f in r.faults)
    coverage = r.site_model.coverage
    assert coverage is not None and not coverage.catalogue_complete
    assert any("未抓取的 4 个页面" in c.what for c in coverage.cut), coverage.cut


def test_a_403_on_the_homepage_stops_the_host(httpserver, tmp_path: Path) -> None:  # noqa: ANN001
    from gongkai.crawl import crawl_site

    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)
    httpserver.expect_request("/").respond_with_data("Forbidden", status=403)
    r = crawl_site(httpserver.url_for("/"), tmp_path, _one_at_a_time())
    assert r.partial and any("首页或专栏返回 403" in f for f in r.faults)
    assert r.site_model.coverage is not None and r.site_model.coverage.read == 0


def test_robots_txt_answering_5xx_means_nothing_is_crawled(httpserver, tmp_path: Path) -> None:  # noqa: ANN001
    """RFC 9309 §2.3.1.4: a server error on robots.txt is a complete disallow while it lasts."""
    from gongkai.crawl import crawl_site

    httpserver.expect_request("/robots.txt").respond_with_data("busy", status=503)
    httpserver.expect_request("/").respond_with_data(_HOME.format(links=""), content_type="text/html")
    r = crawl_site(httpserver.url_for("/"), tmp_path, _one_at_a_time(robots_retries=2, backoff_s=0.01))
    asked = [req.path for req, _ in httpserver.log]
    assert asked == ["/robots.txt"] * 3  # asked, retried twice, and nothing else
    assert r.partial and r.pages == 0
    coverage = r.site_model.coverage
    assert coverage is not None and coverage.read == 0 and not coverage.complete
    assert any("RFC 9309" in c.why and "HTTP 503" in c.why for c in coverage.cut), coverage.cut


def test_robots_txt_answering_5xx_once_then_rules_is_obeyed(httpserver, tmp_path: Path) -> None:  # noqa: ANN001
    from gongkai.crawl import crawl_site

    httpserver.expect_ordered_request("/robots.txt").respond_with_data("busy", status=503)
    httpserver.expect_ordered_request("/robots.txt").respond_with_data("User-agent: *\nDisallow: /p1.html\n")
    httpserver.expect_request("/").respond_with_data(
        _HOME.format(links='<a href="/p0.html">栏目0</a><a href="/p1.html">栏目1</a>'),
        content_type="text/html",
    )
    httpserver.expect_request("/p0.html").respond_with_data(_PAGE.format(t="p0"), content_type="text/html")
    r = crawl_site(httpserver.url_for("/"), tmp_path, _one_at_a_time(backoff_s=0.01))
    asked = [req.path for req, _ in httpserver.log]
    assert asked.count("/robots.txt") == 2 and "/p0.html" in asked and "/p1.html" not in asked
    assert not r.partial


def test_a_root_that_only_sends_on_to_a_failing_homepage_reads_nothing(httpserver, tmp_path: Path) -> None:  # noqa: ANN001
    from gongkai.crawl import crawl_site

    refresh = '<html><head><meta http-equiv="refresh" content="0;url=/portal/index.html"></head><body></body></html>'
    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)
    httpserver.expect_request("/").respond_with_data(refresh, content_type="text/html")
    httpserver.expect_request("/portal/index.html").respond_with_data("busy", status=503)
    r = crawl_site(httpserver.url_for("/"), tmp_path, _one_at_a_time())
    coverage = r.site_model.coverage
    assert coverage is not None and coverage.read == 0 and r.partial
    assert any(
        c.what.endswith("/portal/index.html") and "HTTP 503" in c.why and c.catalogue for c in coverage.cut
    )
    data = scan_archive(r.archive, as_of=AS_OF).as_json()
    assert data["score"]["band"] is None
