"""Exact resume: a crawl interrupted anywhere (cancelled, or its process killed) and resumed yields the
site model an uninterrupted crawl yields, refetching nothing it had archived; finished sites of a batch
are kept on a rerun; a site another process is crawling is refused."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import time
from pathlib import Path

import pytest
from tests.crawl.conftest import AS_OF, fast_config
from typer.testing import CliRunner

from gongkai.cli import app
from gongkai.crawl import crawl_many
from gongkai.crawl.archive import archive_name
from gongkai.crawl.locks import SiteBusy
from gongkai.crawl.resumecheck import crawl_until, model_shape, refetched
from gongkai.crawl.state import CrawlState, state_path_of
from gongkai.fleet import FleetServer, generate_fleet

# a small site with a calendar trap (3 months of it are crawled) and query pagination; one worker per
# host, so the uninterrupted crawl's order is fixed and the comparison exact
FLEET = generate_fleet(2, seed=21, defect_rate=0.3, as_of=AS_OF)


@pytest.fixture(scope="module")
def served() -> object:
    with FleetServer(FLEET) as srv:
        yield srv


@pytest.mark.parametrize(
    ("stops", "budget"),
    [((4,), 0), ((17, 33, 64), 0), ((50,), 90)],
    ids=["early", "three-times", "page-budget"],
)
def test_a_crawl_interrupted_at_any_point_resumes_to_the_uninterrupted_model(
    served: FleetServer, tmp_path: Path, stops: tuple[int, ...], budget: int
) -> None:
    site = FLEET.sites[0]
    url = served.url_of(site)
    config = fast_config(concurrency_per_host=1, **({"max_pages": budget} if budget else {}))
    whole = crawl_until(url, tmp_path / "whole", config)
    assert whole is not None and whole.pages > max(stops)
    out = tmp_path / "resumed"
    for stop in stops:
        assert crawl_until(url, out, config, stop_at=stop) is None
        state = CrawlState.read(state_path_of(out / archive_name(url)))
        assert state is not None and not state.finished
    resumed = crawl_until(url, out, config)
    assert resumed is not None and resumed.resumed and not resumed.kept
    assert resumed.pages == whole.pages and resumed.errors == whole.errors
    assert model_shape(resumed.site_model) == model_shape(whole.site_model)
    assert refetched(resumed.archive) == {}


CHILD = """
import sys
from pathlib import Path
from gongkai.crawl import CrawlConfig, crawl_site
crawl_site(sys.argv[1], Path(sys.argv[2]), CrawlConfig(rate=60, concurrency_per_host=1, backoff_s=0.05))
"""


def test_a_crawl_killed_with_sigkill_twice_resumes_to_the_uninterrupted_model(
    served: FleetServer, tmp_path: Path
) -> None:
    site = FLEET.sites[1]
    url = served.url_of(site)
    config = fast_config(concurrency_per_host=1)
    whole = crawl_until(url, tmp_path / "whole", config)
    assert whole is not None
    out = tmp_path / "killed"
    for requests in (8, 30, 90):  # the first before anything reached the archive
        mark = len(served.requests_of(site))
        proc = subprocess.Popen([sys.executable, "-c", CHILD, url, str(out)])
        try:
            deadline = time.monotonic() + 60
            while len(served.requests_of(site)) - mark < requests and proc.poll() is None:
                assert time.monotonic() < deadline, "the child crawl made no progress"
                time.sleep(0.02)
        finally:
            proc.kill()  # SIGKILL: no state saved on the way out, buffered records lost
            proc.wait()
        state = CrawlState.read(state_path_of(out / archive_name(url)))
        assert state is not None and not state.finished
    resumed = crawl_until(url, out, config)
    assert resumed is not None and resumed.resumed
    assert model_shape(resumed.site_model) == model_shape(whole.site_model)
    assert refetched(resumed.archive) == {}


def test_a_rerun_batch_keeps_finished_sites_and_resumes_the_others(
    served: FleetServer, tmp_path: Path
) -> None:
    urls = [served.url_of(s) for s in FLEET.sites]
    config = fast_config()
    first = asyncio.run(crawl_many(urls, tmp_path, config, extract=True))
    # the second site's crawl is interrupted: its state says so, as after a Ctrl+C
    state_file = state_path_of(first[1].archive)
    state = CrawlState.read(state_file)
    assert state is not None and state.finished
    state.finished = False
    state.write(state_file)
    mark = {s.name: len(served.requests_of(s)) for s in FLEET.sites}
    again = asyncio.run(crawl_many(urls, tmp_path, config, extract=True))
    asked = {s.name: len(served.requests_of(s)) - mark[s.name] for s in FLEET.sites}
    assert again[0].kept and not again[0].resumed and asked[FLEET.sites[0].name] == 0
    assert (again[0].pages, again[0].errors, again[0].partial) == (first[0].pages, first[0].errors, False)
    assert model_shape(again[0].site_model) == model_shape(first[0].site_model)
    assert again[1].resumed and not again[1].kept
    assert refetched(again[1].archive) == {}

    mark = {s.name: len(served.requests_of(s)) for s in FLEET.sites}
    res = CliRunner().invoke(
        app, ["crawl", *urls, "--out", str(tmp_path), "--rate", "500", "--processes", "2"]
    )
    assert res.exit_code == 0, res.output
    assert "2 个站点此前已抓完" in res.output and "已开始 2/2 个站点" in res.output
    assert all(len(served.requests_of(s)) == mark[s.name] for s in FLEET.sites)

    res = CliRunner().invoke(app, ["crawl", urls[0], "--out", str(tmp_path), "--rate", "500", "--recrawl"])
    assert res.exit_code == 0, res.output
    assert len(served.requests_of(FLEET.sites[0])) - mark[FLEET.sites[0].name] >= first[0].pages


HOLDER = """
import sys, time
from pathlib import Path
from gongkai.crawl.locks import site_lock
with site_lock(Path(sys.argv[1])):
    print("held", flush=True)
    time.sleep(120)
"""


def test_a_site_another_process_crawls_is_refused_with_exit_status_2(
    served: FleetServer, tmp_path: Path
) -> None:
    urls = [served.url_of(s) for s in FLEET.sites]
    busy = tmp_path / archive_name(urls[1])
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(busy)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        mark = {s.name: len(served.requests_of(s)) for s in FLEET.sites}
        res = CliRunner().invoke(app, ["crawl", *urls, "--out", str(tmp_path), "--processes", "2"])
        assert res.exit_code == 2, res.output
        assert "正由另一个抓取进程" in res.output and f"进程号 {holder.pid}" in res.output
        with pytest.raises(SiteBusy, match="同一站点不能同时抓取两次"):
            asyncio.run(crawl_many(urls[1:], tmp_path, fast_config()))
        assert all(len(served.requests_of(s)) == mark[s.name] for s in FLEET.sites)  # nothing asked
    finally:
        holder.kill()
        holder.wait()
    result = asyncio.run(crawl_many(urls[1:], tmp_path, fast_config()))[0]  # the lock died with it
    assert result.pages > 20 and not result.partial


def test_the_time_budget_used_and_a_host_given_up_survive_a_resume(
    served: FleetServer, tmp_path: Path
) -> None:
    site = FLEET.sites[0]
    url = served.url_of(site)
    config = fast_config(concurrency_per_host=1, time_budget_s=600.0)
    assert crawl_until(url, tmp_path, config, stop_at=10) is None
    state_file = state_path_of(tmp_path / archive_name(url))
    state = CrawlState.read(state_file)
    assert state is not None and 0 < state.elapsed_s < 600
    state.elapsed_s = 600.0  # as if the interrupted runs had spent the whole budget
    state.write(state_file)
    mark = len(served.requests_of(site))
    spent = crawl_until(url, tmp_path, config)
    assert spent is not None and spent.partial and any("时间预算" in f for f in spent.faults)
    assert [r.path for r in served.requests_of(site)[mark:]] == ["/robots.txt"]

    out = tmp_path / "stopped"
    assert crawl_until(url, out, config, stop_at=10) is None
    state_file = state_path_of(out / archive_name(url))
    state = CrawlState.read(state_file)
    assert state is not None
    state.stopped = "站点返回 429（请求过多），已停止抓取该站点"
    state.faults.append(state.stopped)
    state.write(state_file)
    mark = len(served.requests_of(site))
    stopped = crawl_until(url, out, config)
    assert stopped is not None and stopped.partial and state.stopped in stopped.faults
    assert served.requests_of(site)[mark:] == []  # not asked again, not even its robots.txt


def test_a_state_file_of_an_older_version_still_loads(tmp_path: Path) -> None:
    path = tmp_path / "x.warc.gz.state.json"
    path.write_text(
        '{"seed": "http://x.gov.cn/", "archive": "x.warc.gz", "finished": true, "pages": 3, "later": 1}'
    )
    state = CrawlState.read(path)
    assert state is not None and state.finished and state.pages == 3 and state.elapsed_s == 0.0
    assert CrawlState.from_dict(state.to_dict()) == state
    path.write_text("{")  # a torn write: no state (the crawl starts afresh)
    assert CrawlState.read(path) is None
