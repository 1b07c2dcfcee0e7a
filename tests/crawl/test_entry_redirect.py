"""A portal whose root only sends the reader on (a meta refresh, a script setting location) is read from
the page it leads to, as its homepage: the same columns, items and homepage rows as when the root is the
homepage itself, live and rebuilt from the archive."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from selectolax.lexbor import LexborHTMLParser

from gongkai.crawl import CrawlResult, crawl_many, extract_archive
from gongkai.crawl.discover import redirect_target
from gongkai.fleet import Fleet, FleetServer, generate_fleet
from gongkai.fleet.server import ENTRY_REDIRECTS
from gongkai.model import SiteModel

AS_OF = dt.date(2026, 11, 20)


@pytest.fixture(scope="module")
def portals() -> Fleet:
    return generate_fleet(3, seed=11, defect_rate=0.0, as_of=AS_OF)  # one site per CMS style


def _crawl(fleet: Fleet, tmp: Path, config: Callable, entries: dict[str, str]) -> list[CrawlResult]:
    with FleetServer(fleet, entries=entries) as server:
        urls = [server.url_of(s) for s in fleet.sites]
        return asyncio.run(crawl_many(urls, tmp, config(max_pages=400), extract=True))


def _shape(model: SiteModel) -> tuple:
    home_rows = sorted(i.url.split("/", 3)[-1] for i in model.items if i.column_url == model.site)
    columns = sorted((c.name, c.url.split("/", 3)[-1], len(c.items)) for c in model.columns)
    return home_rows, columns, len(model.documents)


@pytest.mark.parametrize("how", sorted(ENTRY_REDIRECTS))
def test_a_redirecting_root_leads_to_the_real_homepage(
    portals: Fleet, tmp_path: Path, fast_config: Callable, how: str
) -> None:
    plain = _crawl(portals, tmp_path / "plain", fast_config, {})
    redirected = _crawl(portals, tmp_path / how, fast_config, {s.name: how for s in portals.sites})
    for before, after in zip(plain, redirected, strict=True):
        model = after.site_model
        assert model.site == after.site + "index.html"
        assert {p.kind for p in model.pages if p.url == after.site} == {"other"}
        assert model.columns and _shape(model) == _shape(before.site_model)
        again = extract_archive(Path(after.archive), after.site)
        assert again.site == model.site and again.pages == model.pages and again.columns == model.columns


def _target(html: str, url: str = "https://www.xx.gov.cn/") -> str:
    return redirect_target(url, html, LexborHTMLParser(html))


def test_redirect_pages_in_their_usual_forms() -> None:
    assert _target('<meta http-equiv="Refresh" content="0;URL=/col/col1/index.html">') == (
        "https://www.xx.gov.cn/col/col1/index.html"
    )
    assert (
        _target("<meta content='3; url=https://new.xx.gov.cn/' http-equiv='refresh'>")
        == "https://new.xx.gov.cn/"
    )
    assert _target('<script>top.location.replace("./zwgk/index.shtml");</script>') == (
        "https://www.xx.gov.cn/zwgk/index.shtml"
    )
    assert _target("<script>self.location='/portal/';</script>") == "https://www.xx.gov.cn/portal/"
    # not a redirect: a page reloading itself, a refresh too slow to be one, no target at all
    assert _target('<meta http-equiv="refresh" content="0; url=https://www.xx.gov.cn/">') == ""
    assert _target('<meta http-equiv="refresh" content="600; url=/other.html">') == ""
    assert _target('<meta http-equiv="refresh" content="300">') == ""


def test_a_links_own_script_is_no_redirect() -> None:
    assert _target("<a href=\"javascript:location.href='/a.html'\">文章</a>") == ""
    assert _target('<a href="#" onclick="window.location=\'/b.html\'">文章</a>') == ""
