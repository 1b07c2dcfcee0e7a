"""A real site crawled end to end: the 平潭综合实验区 mirror (tests/fixtures/mirror/pingtan) against labels
a human wrote from the archived pages. Whole-site checks say what the subset shows and nothing more:
no column is called missing behind a catalogue page the crawl could not read."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from gongkai.crawl import CrawlConfig, CrawlResult, crawl_site
from gongkai.fleet.mirror import MirrorServer
from gongkai.frameworks import load_framework
from gongkai.model import Verdict
from gongkai.scan import ScanResult, evaluate

MIRROR = Path(__file__).resolve().parents[1] / "fixtures" / "mirror" / "pingtan"
LABELS = yaml.safe_load((MIRROR / "labels.yaml").read_text(encoding="utf-8"))
STRENGTH = (Verdict.FAIL, Verdict.PASS, Verdict.UNCERTAIN, Verdict.NOT_ASSESSABLE)


@pytest.fixture(scope="module")
def mirror() -> Iterator[MirrorServer]:
    with MirrorServer(MIRROR) as server:
        yield server


@pytest.fixture(scope="module")
def crawled(mirror: MirrorServer, tmp_path_factory: pytest.TempPathFactory) -> CrawlResult:
    config = CrawlConfig(rate=200, timeout_s=5, retries=0)
    return crawl_site(mirror.url(LABELS["entry"]), tmp_path_factory.mktemp("pingtan"), config)


@pytest.fixture(scope="module")
def scans(crawled: CrawlResult) -> dict[str, ScanResult]:
    as_of = LABELS["as_of"]
    as_of = as_of if isinstance(as_of, dt.date) else dt.date.fromisoformat(str(as_of))
    info = {"pages": crawled.pages, "errors": crawled.errors, "partial": crawled.partial, "faults": crawled.faults}
    return {
        fw: evaluate(crawled.site_model, load_framework(fw), as_of, unit_group=LABELS["unit_group"], crawl=info)
        for fw in LABELS["frameworks"]
    }


def _verdicts(result: ScanResult) -> dict[str, Verdict]:
    """Each check's strongest verdict: FAIL, then PASS, UNCERTAIN, NOT_ASSESSABLE."""
    out: dict[str, Verdict] = {}
    for f in result.findings:
        if f.check not in out or STRENGTH.index(f.verdict) < STRENGTH.index(out[f.check]):
            out[f.check] = f.verdict
    return out


@pytest.mark.parametrize("framework", LABELS["frameworks"])
def test_no_false_fail_on_the_real_site(scans: dict[str, ScanResult], framework: str) -> None:
    excluded = set(LABELS["excluded"])
    fails = sorted(
        (f.check, f.subject)
        for f in scans[framework].findings
        if f.verdict is Verdict.FAIL and f.check not in excluded and LABELS["checks"].get(f.check) != "FAIL"
    )
    assert fails == []


@pytest.mark.parametrize("framework", LABELS["frameworks"])
def test_labelled_verdicts(scans: dict[str, ScanResult], framework: str) -> None:
    verdicts = _verdicts(scans[framework])
    wrong = {}
    for check, label in LABELS["checks"].items():
        got = verdicts.get(check)
        if got is None:
            continue  # the framework does not run this check
        if (label == "NOT_FAIL" and got is Verdict.FAIL) or (label != "NOT_FAIL" and got.value != label):
            wrong[check] = (label, got.value)
    assert wrong == {}
    assert len(set(LABELS["checks"]) & set(verdicts)) >= 5  # the labels meet the framework's checks


def test_a_column_behind_a_dead_catalogue_page_is_uncertain_not_missing(scans: dict[str, ScanResult]) -> None:
    missing = [f for f in scans["zwgk-2026"].findings if f.check == "column.missing"]
    assert missing and all(f.verdict is Verdict.UNCERTAIN for f in missing)
    meetings = next(f for f in missing if f.subject == "重大会议")  # nowhere in the subset
    assert "无法访问" in meetings.message and "需人工核实" in meetings.message
    # /zwgk/tjxx/ is linked as 数据发布 first and as 统计信息 later: the standard name is kept
    assert "统计信息" not in {f.subject for f in missing}


def test_the_subsets_columns_are_read(crawled: CrawlResult) -> None:
    site = crawled.site_model
    for column in LABELS["columns"]["in_subset"]:
        found = next(c for c in site.columns if c.url.rstrip("/").endswith(column["path"].rstrip("/")))
        assert len(found.items) == column["items"]
        assert all(item.date is not None for item in found.items)
    names = {c.name for c in site.columns}
    assert set(LABELS["columns"]["catalogue"]) <= names  # the 专栏's catalogue, read off /zwgk/


def test_dead_links_do_not_stop_the_crawl(crawled: CrawlResult, mirror: MirrorServer) -> None:
    """Over twenty catalogue links answer 404 in a row (the subset's cut): each is that page's outcome,
    the host is not given up, and the 年报 list behind them is still read."""
    assert not any("已停止抓取" in f for f in crawled.faults)
    assert "/zwgk/zfxxgk/zfxxgknb/" in mirror.requests
    assert sum(1 for lk in crawled.site_model.links if lk.status == 404) > 20


def test_the_true_fail_is_found_on_a_single_page_guide_column(scans: dict[str, ScanResult]) -> None:
    """The 指南 column lists nothing: its page is the guide, and the guide gives no 传真."""
    guide = [f for f in scans["zwgk-2026"].findings if f.check == "guide.elements"]
    assert [(f.verdict, f.subject.endswith("/zwgk/zfxxgk/zfxxgkzn/")) for f in guide] == [(Verdict.FAIL, True)]
    assert "缺少传真" in guide[0].message
    expected = {c for c, label in LABELS["checks"].items() if label == "FAIL"}
    failed = {f.check for f in scans["zwgk-2026"].findings if f.verdict is Verdict.FAIL} - set(LABELS["excluded"])
    assert failed == expected
