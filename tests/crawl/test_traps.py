"""Spider-trap guards: session ids, calendars, repetitive paths, endless pagination."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from gongkai.crawl import CrawlConfig
from gongkai.crawl.discover import trs_pages
from gongkai.crawl.fetch import Fetcher
from gongkai.crawl.host import HostCrawl
from gongkai.crawl.resource import canonical


def test_session_ids_and_fragments_do_not_make_new_urls() -> None:
    a = canonical("http://x.gov.cn/a/index.html;jsessionid=ABC123?b=2&a=1#top")
    b = canonical("http://X.gov.cn/a/index.html?a=1&b=2&JSESSIONID=zzz")
    assert a == b == "http://x.gov.cn/a/index.html?a=1&b=2"


def test_calendar_and_repetitive_paths_are_cut_off(tmp_path: Path) -> None:
    crawl = HostCrawl("http://x.gov.cn/", tmp_path, CrawlConfig(), Fetcher(CrawlConfig()))
    months = [f"http://x.gov.cn/calendar/index.html?month=2026-{m:02d}" for m in range(1, 13)]
    allowed = [u for u in months if not crawl._trap(urlsplit(u))]  # noqa: SLF001
    assert len(allowed) == 3
    searches = [f"http://x.gov.cn/search.jsp?q=word{n}" for n in range(1, 40)]
    assert all(not crawl._trap(urlsplit(u)) for u in searches[:30])  # noqa: SLF001
    assert crawl._trap(urlsplit(searches[35]))  # noqa: SLF001 - more than max_query_variants
    assert crawl._trap(urlsplit("http://x.gov.cn/a/b/a/b/a/b/a/b/index.html"))  # noqa: SLF001
    cuts = crawl.cuts.cuts()
    assert any(c.what == "/calendar/index.html 的 9 个网址" and "日历陷阱" in c.why for c in cuts), cuts
    assert any(c.what == "/search.jsp 的 1 个网址" and "查询变体超过上限 30" in c.why for c in cuts), cuts
    assert crawl.partial and not any(c.catalogue for c in cuts)


def test_list_pagination_is_no_query_variant_but_is_capped_per_list(tmp_path: Path) -> None:
    crawl = HostCrawl("http://x.gov.cn/", tmp_path, CrawlConfig(max_list_pages=50), Fetcher(CrawlConfig()))
    pages = [f"http://x.gov.cn/news/list.html?page={n}" for n in range(1, 52)]
    assert [u for u in pages if crawl._trap(urlsplit(u))] == pages[50:]  # noqa: SLF001
    assert crawl.cuts.cuts()[0].why == "同一列表的分页超过上限 50 页，未抓取"


def test_a_hanweb_list_endpoint_serving_many_columns_is_never_cut(tmp_path: Path) -> None:
    """大汉 dataproxy.jsp: one path, a list per column, three screens of records per call."""
    crawl = HostCrawl("http://x.gov.cn/", tmp_path, CrawlConfig(), Fetcher(CrawlConfig()))
    urls = [
        f"http://x.gov.cn/module/web/jpage/dataproxy.jsp?startrecord={start}&endrecord={start + 44}"
        f"&perpage=15&columnid={col}&unitid={50000 + col}&webid=1"
        for col in range(1, 81)
        for start in (1, 46, 91)
    ]
    assert not [u for u in urls if crawl._trap(urlsplit(u))]  # noqa: SLF001
    assert not crawl.partial and not crawl.cuts
    # the same number of calendar-like variants without pagination parameters is still a trap
    dated = [f"http://x.gov.cn/module/web/jpage/dataproxy.jsp?day=2026-01-{d:02d}" for d in range(1, 10)]
    assert sum(crawl._trap(urlsplit(u)) for u in dated) == 6  # noqa: SLF001


def test_pagination_is_capped() -> None:
    assert len(trs_pages("http://x/a/index.html", "createPageHTML(100000, 0, 'index', 'html')", 50)) == 49


def test_a_hanweb_site_keeps_every_list_page_where_the_variant_guard_cut_them(tmp_path: Path) -> None:
    """A 大汉 site lists every column through one dataproxy.jsp. With the variant limit at 10, the old guard
    cut its calls past the tenth and still called the crawl complete; they are list pages, never cut."""
    import asyncio
    import datetime as dt

    from gongkai.crawl import crawl_many
    from gongkai.fleet import FleetServer, generate_fleet

    fleet = generate_fleet(
        1, seed=3, defect_rate=0.0, cms_mix=("hanweb",), as_of=dt.date(2026, 11, 20), scale=6
    )
    site = fleet.sites[0]
    config = CrawlConfig(
        rate=1000, concurrency_per_host=4, retries=0, max_query_variants=10, probe_external=False
    )
    with FleetServer(fleet) as server:
        r = asyncio.run(crawl_many([server.url_of(site)], tmp_path, config, extract=True))[0]
        calls = {x.path for x in server.requests_of(site) if "dataproxy.jsp" in x.path}
    assert len(calls) > 10
    m = r.site_model
    got = {c.name: [urlsplit(i.url).path for i in c.items] for c in m.columns}
    for col in site.data.columns:
        if col.items:
            assert got[col.name] == [i.path for i in col.items], col.name
    assert not r.partial and m.coverage is not None and m.coverage.complete


def test_pagination_parameters_of_the_common_cms_are_recognised() -> None:
    from gongkai.crawl.frontier import page_number, split_query

    for query in ("pageNo=3", "curpage=3", "PageIndex=3&type=1", "page=3&sid=ab", "pagenum=3", "pn=3"):
        pages, rest = split_query(query)
        assert pages and all(k.lower() != "type" for k, _ in pages), query
        assert page_number("/list.jsp", query) == 3, query
    assert page_number("/module/web/jpage/dataproxy.jsp", "startrecord=91&endrecord=135&perpage=15") == 3
    assert page_number("/zwgk/tzgg/index_2.html", "") == 3  # TRS: index.html, index_1.html, index_2.html
    assert page_number("/zwgk/tzgg/index.html", "") == 1
    # a parameter named like one but not a number is no pagination (a search term, a channel)
    assert split_query("page=home&q=2026") == ([], [("page", "home"), ("q", "2026")])


def test_a_list_s_rows_and_a_detail_page_s_links_rank_after_the_catalogue() -> None:
    from gongkai.crawl.frontier import CATALOGUE, DETAIL, HUB, link_rank

    assert link_rank(HUB, "政策文件", item=False, detail_page=False) == CATALOGUE
    assert link_rank(CATALOGUE, "政府信息公开年报", item=False, detail_page=False) == CATALOGUE
    assert (
        link_rank(CATALOGUE, "关于印发某县2026年政务公开工作要点的通知", item=False, detail_page=False)
        == DETAIL
    )
    assert link_rank(CATALOGUE, "通知", item=True, detail_page=False) == DETAIL  # a row of the list
    assert link_rank(CATALOGUE, "政策解读", item=False, detail_page=True) == DETAIL  # from an article
    assert link_rank(DETAIL, "政策解读", item=False, detail_page=False) == DETAIL
