"""Every check against the fleet's ground truth: two sites with every defect class injected, crawled on loopback."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest

from gongkai.checks import all_checks, run_check
from gongkai.crawl import CrawlConfig, crawl_many
from gongkai.fleet import DEFECT_CHECKS, FleetServer, generate_fleet
from gongkai.fleet.generate import COLUMNS

AS_OF = dt.date(2026, 11, 20)
CATALOGUE = [{"name": name, "kinds": [kind], "aliases": []} for _, name, kind, *_ in COLUMNS]
# Where the manifest and the rules disagree (docs/checks.md explains each): the homepage still shows fresh
# notices; the generator does not apply annual_report.missing. (County sites, whose own annual report is due
# on 31 March, are left out of this fixture.)
DISAGREE = {"homepage.stale", "annual_report.missing"}


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    fleet = generate_fleet(
        2, seed=21, defect_rate=1.0, as_of=AS_OF, groups=("department", "township"), scale=0.5
    )
    out = tmp_path_factory.mktemp("fleet")
    with FleetServer(fleet) as server:
        urls = [server.url_of(s) for s in fleet.sites]
        results = asyncio.run(crawl_many(urls, out, CrawlConfig(rate=1000, concurrency_per_host=4)))
        manifests = [s.manifest for s in fleet.sites]
    return [
        (site, result.site_model, manifest)
        for site, result, manifest in zip(fleet.sites, results, manifests, strict=True)
    ]


def findings(model, site, check_id):
    params = {"catalogue": CATALOGUE} if check_id == "column.missing" else None
    found = run_check(check_id, model, AS_OF, params, unit_group=site.group, unit_name=site.full_name)
    return {(f.check, f.subject) for f in found if f.verdict.value == "FAIL"}


def test_the_fixture_injects_most_defect_classes(crawled):
    injected = {d["check"] for _, _, manifest in crawled for d in manifest}
    assert len(injected) >= 20


def reached(model, subject: str) -> bool:
    """Defects on a page the crawl did not reach measure the crawler, not the checks."""
    return not subject.startswith("http") or any(p.url == subject for p in model.pages)


def test_the_crawl_reaches_nearly_every_defective_page(crawled):
    subjects = [(model, d["subject"]) for _, model, manifest in crawled for d in manifest]
    assert sum(reached(model, s) for model, s in subjects) >= 0.9 * len(subjects)


@pytest.mark.parametrize("check_id", sorted(set(DEFECT_CHECKS) - DISAGREE))
def test_each_injected_defect_is_found(crawled, check_id):
    for site, model, manifest in crawled:
        truth = {(d["check"], d["subject"]) for d in manifest if d["check"] == check_id}
        truth = {t for t in truth if reached(model, t[1])}
        assert truth <= findings(model, site, check_id), site.name


@pytest.mark.parametrize("check_id", sorted(all_checks()))
def test_no_check_reports_what_the_fleet_did_not_inject(crawled, check_id):
    for site, model, manifest in crawled:
        truth = {(d["check"], d["subject"]) for d in manifest}
        extra = findings(model, site, check_id) - truth
        shifted = {d["subject"] for d in manifest if d["check"] == "column.stale"} & {
            "政策文件",
            "规范性文件",
        }
        if check_id == "interpretation.late" and shifted:
            continue  # shifting a document column's dates makes its interpretations genuinely late
        assert extra == set(), site.name
