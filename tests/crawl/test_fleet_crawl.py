"""A crawl of the fleet reproduces what the generator built: columns, items, dates, documents, links."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from gongkai.crawl import CrawlResult, crawl_many, extract_archive
from gongkai.fleet import Fleet, FleetServer
from gongkai.model import SiteModel


@pytest.fixture(scope="module")
def crawled(
    fleet: Fleet, server: FleetServer, tmp_path_factory: pytest.TempPathFactory, fast_config: Callable
) -> dict[str, CrawlResult]:
    out = tmp_path_factory.mktemp("fleet-crawl")
    urls = [server.url_of(s) for s in fleet.sites]
    results = asyncio.run(crawl_many(urls, out, fast_config(), extract=True))
    return {s.name: r for s, r in zip(fleet.sites, results, strict=True)}


def path(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"#{parts.fragment}" if parts.fragment else "")


def model(crawled: dict[str, CrawlResult], name: str) -> SiteModel:
    return crawled[name].site_model


def test_every_site_is_crawled_completely(fleet: Fleet, crawled: dict[str, CrawlResult]) -> None:
    for site in fleet.sites:
        r = crawled[site.name]
        assert not r.partial, r.faults
        assert r.pages > 40
        assert r.archive.exists() and r.archive.name.endswith(".warc.gz")


def test_columns_kinds_and_items_match_the_generator(fleet: Fleet, crawled: dict[str, CrawlResult]) -> None:
    for site in fleet.sites:
        m = model(crawled, site.name)
        got = {c.name: c for c in m.columns}
        for col in site.data.columns:
            assert col.name in got, (site.cms, col.name)
            c = got[col.name]
            assert c.kind == col.kind
            assert c.in_zhuanlan == col.in_zhuanlan
            if col.key == "statutory":
                continue  # a parent column: its page lists sub-columns, not items
            assert [path(i.url) for i in c.items] == [i.path for i in col.items], (site.cms, col.name)
            assert c.placeholder == col.placeholder
        for key in site.data.missing:
            name = next(
                n for k, n, *_ in __import__("gongkai.fleet.generate").fleet.generate.COLUMNS if k == key
            )
            assert name not in got


def test_sub_columns_nest_under_statutory_content(fleet: Fleet, crawled: dict[str, CrawlResult]) -> None:
    for site in fleet.sites:
        m = model(crawled, site.name)
        statutory = next(c for c in m.columns if c.kind == "statutory")
        policy = next(c for c in m.columns if c.name == "政策文件")
        assert policy.parent == statutory.url
        assert m.zhuanlan_url.endswith(("/zfxxgk/index.html", "/col/col1000/index.html", "/gkmlpt/index"))


def test_every_pagination_style_reaches_the_last_page(fleet: Fleet, crawled: dict[str, CrawlResult]) -> None:
    styles = set()
    for site in fleet.sites:
        news = next(c for c in model(crawled, site.name).columns if c.kind == "news")
        truth = site.column("news")
        assert truth is not None and len(truth.items) > 15  # more than one page
        assert len(news.items) == len(truth.items)
        assert news.pages >= 2
        styles.add(truth.paging)
    policy_styles = {s.column("policy").paging for s in fleet.sites}  # type: ignore[union-attr]
    assert styles | policy_styles == {"trs", "hanweb", "gkmlpt", "page"}


def test_list_dates_pins_and_undated_rows(fleet: Fleet, crawled: dict[str, CrawlResult]) -> None:
    for site in fleet.sites:
        m = model(crawled, site.name)
        notice = next(c for c in m.columns if c.name == "通知公告")
        truth = site.column("notice")
        assert notice.items[0].pinned and truth.items[0].pinned
        got_dates = [i.date for i in notice.items]
        want = [i.published if i.list_date else None for i in truth.items]
        assert got_dates == want
        # the newest date is not the first (pinned, old) row
        assert max(d for d in got_dates if d) > got_dates[0]


def test_documents_carry_the_metadata_table(fleet: Fleet, crawled: dict[str, CrawlResult]) -> None:
    for site in fleet.sites:
        docs = {path(d.url): d for d in model(crawled, site.name).documents}
        for col in site.data.columns:
            for item in col.items:
                if "索引号" not in item.meta and "发布机构" not in item.meta:
                    continue
                d = docs[item.path]
                assert d.index_number == item.meta.get("索引号", "")
                assert d.publisher == item.meta.get("发布机构", "")
                assert d.doc_number == item.meta.get("文号", "")
                assert d.validity == item.meta.get("有效性", "")
                assert d.published == item.published
                assert d.created == item.created
                assert d.column_url.endswith(col.path.split("#")[0]) or "#" in col.path


def test_attachments_are_fetched_and_their_text_extracted(
    fleet: Fleet, crawled: dict[str, CrawlResult]
) -> None:
    kinds = set()
    for site in fleet.sites:
        for d in model(crawled, site.name).documents:
            for a in d.attachments:
                assert a.status == 200 and a.record
                if a.text:
                    kinds.add(a.kind)
    assert {"pdf", "docx", "xlsx"} <= kinds


def test_interpretations_link_to_their_documents(fleet: Fleet, crawled: dict[str, CrawlResult]) -> None:
    site = fleet.sites[0]
    docs = {path(d.url): d for d in model(crawled, site.name).documents}
    interp = site.column("interpretation")
    linked = [i for i in interp.items if i.related]  # type: ignore[union-attr]
    assert linked
    for it in linked:
        text, target = it.related[0]
        assert any(path(link.url) == target and link.status == 200 for link in docs[it.path].related)


def test_related_links_are_the_documents_own(fleet: Fleet, crawled: dict[str, CrawlResult]) -> None:
    """Exactly what each page links as related: not the 专栏 navigation beside it, whose 政策解读,
    政策文件 and 征求意见 name columns, not documents related to this one."""
    checked = 0
    for site in fleet.sites:
        docs = {path(d.url): d for d in model(crawled, site.name).documents}
        for col in site.data.columns:
            for item in col.items:
                if item.path in docs:
                    got = {path(link.url) for link in docs[item.path].related}
                    assert got == {target for _text, target in item.related}, item.path
                    checked += bool(item.related)
    assert checked >= 20


def test_broken_links_show_their_status(fleet: Fleet, crawled: dict[str, CrawlResult]) -> None:
    broken = [(s, d) for s in fleet.sites for d in s.defects if d.check == "link.broken"]
    assert broken, "the test fleet should contain a broken link"
    for site, defect in broken:
        links = [lk for lk in model(crawled, site.name).links if path(lk.url) == defect.subject]
        assert links and all(lk.status == 404 for lk in links)
        assert path(links[0].source) == defect.url


def test_footer_identity_meta_tags_and_gbk_text(fleet: Fleet, crawled: dict[str, CrawlResult]) -> None:
    for site in fleet.sites:
        m = model(crawled, site.name)
        home = next(p for p in m.pages if p.kind == "home")
        assert site.full_name in home.footer and "ICP备" in home.footer
        assert ("网站标识码" in home.footer) == ("网站标识码" in site.data.identity)
        assert ("SiteIDCode" in home.meta) == site.data.site_meta
        if site.data.encoding == "gbk":
            assert home.encoding == "gb18030"
        documents = {d.url for d in m.documents}  # (the calendar, read first as catalogue, is no document)
        detail = next(p for p in m.pages if p.kind == "detail" and p.url in documents)
        assert detail.meta.get("ArticleTitle") and detail.meta.get("PubDate")


def test_homepage_items_are_dated(fleet: Fleet, crawled: dict[str, CrawlResult]) -> None:
    site = fleet.sites[0]
    m = model(crawled, site.name)
    home_items = [i for i in m.items if i.column_url == m.site]
    assert len(home_items) >= 8 and all(i.date for i in home_items)


def test_robots_and_spider_traps_are_respected(
    fleet: Fleet, server: FleetServer, crawled: dict[str, CrawlResult]
) -> None:
    for site in fleet.sites:
        paths = [r.path for r in server.requests_of(site)]
        assert not any(p.startswith("/search/") for p in paths)
        # distinct months: other tests' crawls of this session's server ask the same few
        assert 1 <= len({p for p in paths if p.startswith("/calendar/")}) <= 4
        assert all("gongkai/" in r.agent for r in server.requests_of(site))


def test_reextraction_from_the_archive_gives_the_same_model(crawled: dict[str, CrawlResult]) -> None:
    """The crawl assembles the model from what it read while fetching; `gongkai extract` rebuilds it
    from the WARC alone. Every field of every site must agree, or findings would depend on the path."""
    for r in crawled.values():
        assert r._model is not None  # noqa: SLF001 - built by the crawl itself, not read back lazily
        again = extract_archive(Path(r.archive), r.site)
        assert again.pages == r.site_model.pages
        assert again.columns == r.site_model.columns
        assert again.items == r.site_model.items
        assert again.documents == r.site_model.documents
        assert again.links == r.site_model.links
        assert again == r.site_model
