"""Spider-trap guards: session ids, calendars, repetitive paths, endless pagination."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from gongkai.crawl import CrawlConfig
from gongkai.crawl.engine import HostCrawl, canonical
from gongkai.crawl.extract import trs_pages
from gongkai.crawl.fetch import Fetcher


def test_session_ids_and_fragments_do_not_make_new_urls() -> None:
    a = canonical("http://x.gov.cn/a/index.html;jsessionid=ABC123?b=2&a=1#top")
    b = canonical("http://X.gov.cn/a/index.html?a=1&b=2&JSESSIONID=zzz")
    assert a == b == "http://x.gov.cn/a/index.html?a=1&b=2"


def test_calendar_and_repetitive_paths_are_cut_off(tmp_path: Path) -> None:
    crawl = HostCrawl("http://x.gov.cn/", tmp_path, CrawlConfig(), Fetcher(CrawlConfig()))
    months = [f"http://x.gov.cn/calendar/index.html?month=2026-{m:02d}" for m in range(1, 13)]
    allowed = [u for u in months if not crawl._trap(urlsplit(u))]  # noqa: SLF001
    assert len(allowed) == 3
    pages = [f"http://x.gov.cn/news/list.html?page={n}" for n in range(1, 40)]
    assert all(not crawl._trap(urlsplit(u)) for u in pages[:30])  # noqa: SLF001
    assert crawl._trap(urlsplit(pages[35]))  # noqa: SLF001 - more than max_query_variants
    assert crawl._trap(urlsplit("http://x.gov.cn/a/b/a/b/a/b/a/b/index.html"))  # noqa: SLF001


def test_pagination_is_capped() -> None:
    assert len(trs_pages("http://x/a/index.html", "createPageHTML(100000, 0, 'index', 'html')", 50)) == 49
