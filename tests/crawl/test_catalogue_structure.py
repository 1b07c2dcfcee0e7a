"""The 专栏's catalogue is read from its structure, whatever its layout and its columns' names.

Fleet sites in every catalogue layout (left trees two and three levels deep, an accordion, dl/dt/dd, a
div tree, a top menu with sub-catalogue pages, tab groups, 更多 blocks, a Hanweb menu written by script,
the gkmlpt tree), every column vocabulary and every list markup are crawled on loopback: the site model
must find every column the site shows, with its parent and how the catalogue showed it, and nothing
else (no 联系我们, 网站地图, document or homepage block), live and rebuilt offline from the archive.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from gongkai.crawl import CrawlResult, crawl_many, extract_archive
from gongkai.fleet import Fleet, FleetServer, generate_fleet
from gongkai.fleet.layouts import LAYOUTS, MARKUPS, VOCABULARIES, Variety
from gongkai.model import SiteModel

AS_OF = dt.date(2026, 11, 20)


def _forms() -> list[tuple[str, Variety]]:
    out = []
    for cms, layouts in LAYOUTS.items():
        for layout in layouts:
            k = len(out)
            out.append(
                (cms, Variety(layout, VOCABULARIES[k % len(VOCABULARIES)], MARKUPS[k % len(MARKUPS)], True))
            )
    return out


FORMS = _forms()


@pytest.fixture(scope="module")
def varied() -> Fleet:
    fleet = generate_fleet(
        len(FORMS), seed=11, defect_rate=0.0, cms_mix=tuple(c for c, _ in FORMS), as_of=AS_OF, scale=0.3
    )
    for site, (_cms, form) in zip(fleet.sites, FORMS, strict=True):
        site.variety = form
        site.invalidate()
    return fleet


@pytest.fixture(scope="module")
def crawled(
    varied: Fleet, tmp_path_factory: pytest.TempPathFactory, fast_config: Callable
) -> dict[str, CrawlResult]:
    out = tmp_path_factory.mktemp("catalogue")
    with FleetServer(varied) as server:
        urls = [server.url_of(s) for s in varied.sites]
        results = asyncio.run(crawl_many(urls, out, fast_config(), extract=True))
    return {s.name: r for s, r in zip(varied.sites, results, strict=True)}


def _path(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"#{parts.fragment}" if parts.fragment else "")


def _found(model: SiteModel) -> set[tuple[str, str, str, str]]:
    return {(c.name, _path(c.url), _path(c.parent) if c.parent else "", c.found_by) for c in model.columns}


def _truth(site) -> set[tuple[str, str, str, str]]:  # noqa: ANN001
    return {(t["name"], t["path"], t["parent"], t["found_by"]) for t in site.columns_truth}


def test_every_layout_vocabulary_and_markup_is_in_the_fleet() -> None:
    assert {v.layout for _, v in FORMS} == {layout for layouts in LAYOUTS.values() for layout in layouts}
    assert {v.vocabulary for _, v in FORMS} == set(VOCABULARIES)
    assert {v.markup for _, v in FORMS} == set(MARKUPS)


def test_every_column_is_found_with_its_parent_and_how(
    varied: Fleet, crawled: dict[str, CrawlResult]
) -> None:
    for site in varied.sites:
        result = crawled[site.name]
        assert not result.partial, result.faults
        truth = _truth(site)
        assert len(truth) >= 37  # the classic 14, the 条例 items, 重点领域信息公开 and its 12 areas
        found = _found(result.site_model)
        assert found == truth, (site.cms, site.variety, sorted(truth - found), sorted(found - truth))


def test_the_archive_gives_the_same_catalogue(varied: Fleet, crawled: dict[str, CrawlResult]) -> None:
    for site in varied.sites:
        result = crawled[site.name]
        offline = extract_archive(Path(result.archive), result.site_model.site)
        assert offline.columns == result.site_model.columns, (site.cms, site.variety)


def test_each_column_holds_its_own_items_in_every_markup(
    varied: Fleet, crawled: dict[str, CrawlResult]
) -> None:
    for site in varied.sites:
        got = {_path(c.url): c for c in crawled[site.name].site_model.columns}
        for col in site.data.columns:
            if col.paging == "none":
                continue  # a parent column: judged through its children
            items = [_path(i.url) for i in got[col.path].items]
            assert items == [i.path for i in col.items], (site.cms, site.variety, col.name)
            assert all(i.date is not None for i in got[col.path].items), (site.variety, col.name)


def test_decoys_are_not_columns(varied: Fleet, crawled: dict[str, CrawlResult]) -> None:
    for site in varied.sites:
        model = crawled[site.name].site_model
        names = {c.name for c in model.columns}
        assert not names & {"联系我们", "网站地图", "最新信息", "首页"}, site.variety
        pages = {_path(p.url) for p in model.pages}
        assert "/lxwm/index.html" in pages and "/wzdt/index.html" in pages  # reached, and still no column
