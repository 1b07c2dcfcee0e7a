"""Fleet sites in other provinces' forms and documents older than the 条例 (issue 15, fleet/regions.py and
fleet/history.py): what the fleet writes is what the data files call valid or invalid, and the checks, run on
the crawled sites, FAIL exactly the injected defects and no decoy."""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import random
from pathlib import Path

import pytest

from gongkai.checks import all_checks, run_check
from gongkai.crawl import CrawlConfig, crawl_many
from gongkai.fleet import Fleet, FleetServer, generate_fleet, history, liuan, regions
from gongkai.fleet.generate import COLUMNS, choose_defects
from gongkai.fleet.render import _footer
from gongkai.frameworks.patterns import footer_forms, index_rules, normalize
from gongkai.model import SiteModel, Verdict

AS_OF = dt.date(2026, 11, 20)
CATALOGUE = [{"name": name, "kinds": [kind], "aliases": []} for _, name, kind, *_ in COLUMNS]
IDENTITY = ["主办单位", "网站标识码", "ICP备案", "公安备案"]


@pytest.mark.parametrize("key", sorted(regions.REGIONS))
def test_each_region_writes_its_data_file_form_and_breaks_it_beyond_doubt(key: str) -> None:
    region = regions.REGIONS[key]
    rules = index_rules()
    own = next(p for p in rules.patterns if p.id == region.index_form)
    for seq, org in enumerate(["01234567X", "203947868", "11223344A"], 1):
        number = regions.index_number(region, org, dt.date(2024, 3, 9), seq)
        verdict = rules.classify(number)
        assert verdict.kind == "ok", (number, verdict)  # a credit code is also an 18-character 机构代码
        assert own.regex.match(number), (number, own.id)
        for item_id in (2, 3):  # cut after a separator / a template variable left in
            broken = regions.malformed(number, item_id)
            assert rules.classify(broken).kind == "malformed", broken
    unknown = regions.UNKNOWN_FORM.format(year=2024, seq=12)
    assert rules.classify(unknown).kind == "unknown"  # the decoy: UNCERTAIN, never FAIL


def _region_fleet(defect_rate: float) -> Fleet:
    """One site per region (cycling CMS styles to each region's platform), every site with history."""
    keys = sorted(regions.REGIONS)
    cms = {k: next(c for c, ks in regions.CMS_REGIONS.items() if k in ks) for k in keys}
    fleet = generate_fleet(
        len(keys),
        seed=17,
        defect_rate=0.0,
        cms_mix=tuple(cms[k] for k in keys),
        as_of=AS_OF,
        scale=0.3,
        variety=True,
    )
    for site, key in zip(fleet.sites, keys, strict=True):
        site.variety = dataclasses.replace(site.variety, region=key, history=True)
        site.defects = choose_defects(site, random.Random(f"defects-17-{site.index}"), defect_rate)
        site.invalidate()
    return fleet


def test_every_region_footer_shows_each_element_in_its_real_form_and_loses_the_code_with_the_defect() -> None:
    forms = footer_forms()
    for site in _region_fleet(0.0).sites:
        text = normalize(_footer(site).replace("&nbsp;", " ").replace("&emsp;", " "))
        found = {name: forms.elements[name].find(text) for name in IDENTITY}
        assert set(found.values()) == {"strong"}, (site.variety.region, found, text)
        site.data.identity.pop("网站标识码")
        text = normalize(_footer(site).replace("&nbsp;", " ").replace("&emsp;", " "))
        assert forms.elements["网站标识码"].find(text) == "", (site.variety.region, text)


def test_the_classic_fleet_keeps_its_forms_and_its_defects() -> None:
    plain = generate_fleet(6, seed=3, defect_rate=0.5, as_of=AS_OF)
    varied = generate_fleet(6, seed=3, defect_rate=0.5, as_of=AS_OF, variety=True)
    assert all(regions.of(s) is None and not history.decoy_paths(s) for s in plain.sites)
    assert all(regions.of(s) is not None and s.variety.history for s in varied.sites)
    own = [[d for d in s.manifest if d not in _history_defects(s)] for s in varied.sites]
    assert [s.manifest for s in plain.sites] == own  # history's defect is its own; the rest are the same
    numbers = [i.meta.get("索引号", "") for c in plain.sites[0].data.columns for i in c.items]
    assert all(n.count("/") == 1 for n in numbers if n and not n.startswith("null"))


def _history_defects(site) -> list[dict[str, str]]:  # noqa: ANN001
    keys = {d.key for d in site.defects if d.key.startswith("history-")}
    return [m for m, d in zip(site.manifest, site.defects, strict=True) if d.key in keys]


def test_old_documents_sit_in_the_policy_column_out_of_the_other_defects_reach() -> None:
    fleet = _region_fleet(1.0)
    for site in fleet.sites:
        policy = site.column("policy")
        assert policy is not None
        old = [i for i in policy.items if "_history" in i.meta]
        assert [i.created for i in old] == [d[0] for d in history.DOCUMENTS]
        assert {i.path for i in old[: history.DECOY_COUNT]} == set(history.decoy_paths(site))
        late = [d for d in site.defects if d.key.startswith("history-")]
        assert len(late) == 1 and late[0].url == old[-1].path and old[-1].published == history.LATE_PUBLISHED
        others = {d.url for d in site.defects if not d.key.startswith("history-")}
        assert not others & {i.path for i in old}, site.variety.region


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[object, SiteModel, list[dict[str, str]]]]:
    fleet = _region_fleet(1.0)
    config = CrawlConfig(rate=500.0, concurrency_per_host=4, timeout_s=10.0, backoff_s=0.05)
    with FleetServer(fleet) as server:
        urls = [server.url_of(s) for s in fleet.sites]
        results = asyncio.run(crawl_many(urls, tmp_path_factory.mktemp("regions"), config, extract=True))
        manifests = [s.manifest for s in fleet.sites]
    return [(s, r.site_model, m) for s, r, m in zip(fleet.sites, results, manifests, strict=True)]


def _findings(site, model: SiteModel, check_id: str):  # noqa: ANN001, ANN202
    params = {"catalogue": CATALOGUE} if check_id == "column.missing" else None
    params = liuan.PERIODIC_PARAMS if check_id == "column.periodic" else params
    return run_check(check_id, model, AS_OF, params, unit_group=site.group, unit_name=site.full_name)


def test_every_check_fails_exactly_the_injected_defects_in_every_region(crawled) -> None:  # noqa: ANN001
    injected: set[str] = set()
    for site, model, manifest in crawled:
        truth = {(d["check"], d["subject"]) for d in manifest}
        found = {
            (f.check, f.subject)
            for check_id in all_checks()
            for f in _findings(site, model, check_id)
            if f.verdict is Verdict.FAIL
        }
        assert found == truth, (site.variety.region, sorted(found - truth), sorted(truth - found))
        injected |= {c for c, _ in truth}
    assert {"meta.index_invalid", "site.identity", "disclosure.late"} <= injected


def test_decoys_are_judged_but_never_failed(crawled) -> None:  # noqa: ANN001
    for site, model, _ in crawled:
        base = site.base_url
        late = {f.subject: f for f in _findings(site, model, "disclosure.late")}
        for path in history.decoy_paths(site):  # made before 2008-05-01: the rule does not reach them
            assert late[base + path].verdict is Verdict.NOT_ASSESSABLE, (site.variety.region, path)
            assert "早于《政府信息公开条例》施行日 2008-05-01" in late[base + path].message
        boundary = [d for d in site.defects if d.key.startswith("history-")][0]
        assert late[base + boundary.url].verdict is Verdict.FAIL
        assert "2008-05-05" in late[base + boundary.url].message
        index = [f for f in _findings(site, model, "meta.index_invalid") if f.verdict is Verdict.UNCERTAIN]
        odd = {base + i.path for i in regions.unknown_form_items(site)}
        assert len(odd) == 1 and {f.subject for f in index} == odd, site.variety.region
        assert "LJ-ZFB-" in index[0].message


def test_a_fix_of_the_boundary_document_publishes_it_in_time() -> None:
    fleet = _region_fleet(1.0)
    site = fleet.sites[0]
    boundary = next(d for d in site.defects if d.key.startswith("history-"))
    assert fleet.apply_fix(site.name, boundary)
    doc = next(i for i in site.column("policy").items if i.path == boundary.url)
    assert doc.published == history.DOCUMENTS[-1][1] and doc.created == dt.date(2008, 5, 5)


def test_jiangsu_labels_and_region_numbers_reach_the_page(tmp_path: Path) -> None:
    fleet = _region_fleet(0.0)
    site = next(s for s in fleet.sites if s.variety.region == "jiangsu")
    doc = site.column("policy").items[0]
    assert {"信息索引号", "生成日期", "公开日期", "文件编号"} <= set(doc.meta) and "索引号" not in doc.meta
    assert site.data.identity["网站标识码"].startswith("32") and "苏ICP备" in _footer(site)


def test_a_year_where_the_serial_belongs_is_no_shaanxi_serial() -> None:
    rules = index_rules()
    assert rules.classify("01341316-2/58032").kind == "ok"  # 西安灞桥区, 2008 (vocab source)
    assert rules.classify("01341316-2/2019").kind == "unknown"  # 机构代码/年份 without a serial: review
    assert rules.classify("013413162/2019").kind == "malformed"  # the same, beyond doubt
