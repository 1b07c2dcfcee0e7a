"""Resume after a killed crawl, and incremental re-crawl against a previous archive."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import time
from pathlib import Path

from gongkai.crawl import CrawlConfig, crawl_site
from gongkai.crawl.archive import archive_name, read_archive
from gongkai.fleet import FleetServer, generate_fleet

AS_OF = dt.date(2026, 11, 20)
CHILD = """
import sys
from pathlib import Path
from gongkai.crawl import CrawlConfig, crawl_site
crawl_site(sys.argv[1], Path(sys.argv[2]), CrawlConfig(rate=25, concurrency_per_host=2))
"""


def test_a_killed_crawl_resumes_without_refetching_finished_pages(tmp_path: Path) -> None:
    fleet = generate_fleet(1, seed=13, defect_rate=0.0, as_of=AS_OF)
    site = fleet.sites[0]
    with FleetServer(fleet) as server:
        url = server.url_of(site)
        proc = subprocess.Popen([sys.executable, "-c", CHILD, url, str(tmp_path)])
        try:
            deadline = time.monotonic() + 60
            while len(server.requests_of(site)) < 60 and time.monotonic() < deadline and proc.poll() is None:
                time.sleep(0.05)
        finally:
            proc.kill()
            proc.wait()
        archive = tmp_path / archive_name(url)
        state = json.loads(archive.with_name(archive.name + ".state.json").read_text(encoding="utf-8"))
        assert state["finished"] is False
        done = {r.url for r in read_archive(archive) if not r.error and not r.url.endswith("/robots.txt")}
        assert len(done) >= 20
        mark = len(server.requests_of(site))

        result = crawl_site(url, tmp_path, CrawlConfig(rate=500, concurrency_per_host=4))
        second = {f"http://{site.host}{r.path}" for r in server.requests_of(site)[mark:]}
    assert result.resumed and not result.partial
    assert not (done & second), sorted(done & second)[:5]
    m = result.site_model
    news = next(c for c in m.columns if c.kind == "news")
    assert len(news.items) == len(site.column("news").items)  # type: ignore[union-attr]
    assert len(m.documents) >= sum(len(c.items) for c in site.data.columns if c.key not in ("statutory",)) - 2


def test_incremental_recrawl_reuses_unchanged_pages_and_sees_the_fix(tmp_path: Path) -> None:
    fleet = generate_fleet(3, seed=2, defect_rate=0.0, as_of=AS_OF)
    site = fleet.sites[0]
    policy = site.column("policy")
    doc = policy.items[0]  # type: ignore[union-attr]
    from gongkai.fleet.generate import Defect

    site.defects = [Defect("meta.missing", doc.path, doc.path, key="m")]
    site.invalidate()
    config = CrawlConfig(rate=500, concurrency_per_host=4)
    with FleetServer(fleet) as server:
        first = crawl_site(server.url_of(site), tmp_path / "a", config)
        before = next(d for d in first.site_model.documents if d.url.endswith(doc.path))
        assert before.index_number == "" and before.publisher == ""
        assert fleet.apply_fix(site.name, "meta.missing")
        mark = len(server.requests_of(site))
        second = crawl_site(server.url_of(site), tmp_path / "b", config, previous_archive=first.archive)
        log = server.requests_of(site)[mark:]
    assert second.reused > first.pages // 2
    assert sum(1 for r in log if r.status == 304) == second.reused
    changed = [r for r in log if r.conditional and r.status == 200]
    assert any(r.path == doc.path for r in changed)
    after = next(d for d in second.site_model.documents if d.url.endswith(doc.path))
    assert after.index_number and after.publisher == site.full_name
    # the new archive stands alone: unchanged pages were copied in
    assert len(second.site_model.documents) == len(first.site_model.documents)
