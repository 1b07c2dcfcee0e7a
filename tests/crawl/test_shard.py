"""Many sites over several worker processes: same archives and models, politeness kept, resumable."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from test_politeness import max_in_window  # the sibling test module (its folder is on sys.path)
from typer.testing import CliRunner

from gongkai.cli import app
from gongkai.crawl import CrawlConfig, crawl_many, extract_archive
from gongkai.crawl.archive import archive_name, read_archive
from gongkai.crawl.shard import shards
from gongkai.fleet import FleetServer, generate_fleet

AS_OF = dt.date(2026, 11, 20)


def _shape(result: object) -> tuple:
    m = result.site_model  # type: ignore[attr-defined]
    return (
        len(m.pages),
        sorted((c.name, c.kind, len(c.items)) for c in m.columns),
        sorted(d.url for d in m.documents),
        sorted((link.url, link.status) for link in m.links),
    )


def test_shards_deal_sites_round_robin() -> None:
    assert shards(["a", "b", "c", "d", "e"], 2) == [[0, 2, 4], [1, 3]]
    assert shards(["a"], 4) == [[0]]


def test_two_processes_give_the_same_models_in_order_and_stay_polite(tmp_path: Path) -> None:
    fleet = generate_fleet(4, seed=31, defect_rate=0.3, as_of=AS_OF)
    rate = 40.0
    with FleetServer(fleet) as server:
        urls = [server.url_of(s) for s in fleet.sites]
        single = asyncio.run(
            crawl_many(urls, tmp_path / "one", CrawlConfig(rate=500, concurrency_per_host=4), extract=True)
        )
        mark = {s.name: len(server.requests_of(s)) for s in fleet.sites}
        events: list[dict] = []
        config = CrawlConfig(rate=rate, concurrency_per_host=3, processes=2)
        arrived: list[tuple[int, str]] = []
        sharded = asyncio.run(
            crawl_many(
                urls,
                tmp_path / "two",
                config,
                events.append,
                extract=True,
                on_result=lambda i, r: arrived.append((i, r.site)),
            )
        )
        logs = {s.name: server.requests_of(s)[mark[s.name] :] for s in fleet.sites}
    assert [r.site for r in sharded] == urls  # results come back in the order asked
    assert sorted(arrived) == list(enumerate(urls))  # and each one as its site finished, once
    # extracted in the worker, sent packed: counted without unpacking, unpacked when read
    assert all(r._model is None and r._packed for r in sharded)
    assert [r.model_counts for r in sharded] == [r.model_counts for r in single]
    assert all(r._packed for r in sharded)
    for one, two in zip(single, sharded, strict=True):
        assert not two.partial and two.pages == one.pages
        assert _shape(two) == _shape(one)
        assert two._packed is None and two.site_model == extract_archive(two.archive, two.site)
        assert two.archive.parent == tmp_path / "two" and two.archive.exists()
    for site in fleet.sites:
        times = [r.t for r in logs[site.name]]
        assert max_in_window(times) <= rate + 2  # each host lives in one process: its rate holds
    assert {e["host"] for e in events} == {s.host for s in fleet.sites}  # progress from both workers


def test_cli_crawls_a_list_of_sites_with_two_processes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from gongkai.cli import crawl as crawl_cli

    monkeypatch.setattr(crawl_cli, "LIVE_ROWS", 2)  # a long list shows the latest sites and a total line
    fleet = generate_fleet(3, seed=32, defect_rate=0.0, as_of=AS_OF)
    with FleetServer(fleet) as server:
        listing = tmp_path / "sites.txt"
        listing.write_text(
            "# 本轮抓取的单位网站\n" + "\n".join(server.url_of(s) for s in fleet.sites[1:]) + "\n",
            encoding="utf-8",
        )
        res = CliRunner().invoke(
            app,
            [
                "crawl", server.url_of(fleet.sites[0]), "--urls-file", str(listing),
                "--out", str(tmp_path / "out"), "--rate", "300", "--processes", "2", "--max-pages", "40",
            ],
        )  # fmt: skip
    assert res.exit_code == 0, res.output
    assert "抓取结果：3 个站点" in res.output and res.output.count("127.0.0.1_") >= 3  # one row per archive
    assert "抓取 3 个站点" in res.output
    assert "已开始 3/3 个站点，合计" in res.output and "只列出最近活动的 2 个" in res.output
    assert len(list((tmp_path / "out").glob("*.warc.gz"))) == 3


def test_cli_refuses_an_empty_list_and_previous_with_many_sites(tmp_path: Path) -> None:
    runner = CliRunner()
    res = runner.invoke(app, ["crawl"])
    assert res.exit_code == 2 and "至少一个站点网址" in res.output
    res = runner.invoke(app, ["crawl", "a.example", "b.example", "--previous", str(tmp_path / "x.warc.gz")])
    assert res.exit_code == 2 and "--previous 只能用于单个站点" in res.output
    res = runner.invoke(app, ["crawl", "a.example", "--processes", "0"])
    assert res.exit_code == 2 and "processes 必须至少为 1" in res.output


CHILD = """
import asyncio, sys
from pathlib import Path
from gongkai.crawl import CrawlConfig, crawl_many, extract_archive
if __name__ == "__main__":
    urls = sys.argv[2:]
    config = CrawlConfig(rate=25, concurrency_per_host=2, processes=int(sys.argv[1]))
    asyncio.run(crawl_many(urls, Path("out"), config))
"""


def _ctrl_c_on() -> None:
    """The child answers Ctrl+C even when the suite itself runs as a background job, whose shell hands
    every command SIGINT ignored (POSIX, for asynchronous lists without job control)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def test_ctrl_c_leaves_resumable_archives_and_the_rerun_fetches_only_the_rest(tmp_path: Path) -> None:
    fleet = generate_fleet(2, seed=33, defect_rate=0.0, as_of=AS_OF)
    script = tmp_path / "child.py"
    script.write_text(CHILD, encoding="utf-8")
    with FleetServer(fleet) as server:
        urls = [server.url_of(s) for s in fleet.sites]
        proc = subprocess.Popen(
            [sys.executable, str(script), "2", *urls], cwd=tmp_path, preexec_fn=_ctrl_c_on
        )
        try:
            deadline = time.monotonic() + 60
            while min(len(server.requests_of(s)) for s in fleet.sites) < 30 and time.monotonic() < deadline:
                time.sleep(0.05)
        finally:
            proc.send_signal(signal.SIGINT)  # the parent passes it on to its workers
            proc.wait(30)
        done: dict[str, set[str]] = {}
        for url in urls:
            archive = tmp_path / "out" / archive_name(url)
            state = json.loads(archive.with_name(archive.name + ".state.json").read_text(encoding="utf-8"))
            assert state["finished"] is False  # interrupted, not passed off as a finished (partial) crawl
            done[url] = {
                r.url for r in read_archive(archive) if not r.error and not r.url.endswith("robots.txt")
            }
            assert len(done[url]) >= 20
        marks = {s.name: len(server.requests_of(s)) for s in fleet.sites}
        results = asyncio.run(
            crawl_many(urls, tmp_path / "out", CrawlConfig(rate=500, concurrency_per_host=4, processes=2))
        )
        again = {
            url: {f"http://{s.host}{r.path}" for r in server.requests_of(s)[marks[s.name] :]}
            for url, s in zip(urls, fleet.sites, strict=True)
        }
    for url, result in zip(urls, results, strict=True):
        assert result.resumed and not result.partial
        assert not (done[url] & again[url])


def test_the_cli_says_how_to_resume_after_ctrl_c(tmp_path: Path) -> None:
    fleet = generate_fleet(1, seed=34, defect_rate=0.0, as_of=AS_OF)
    site = fleet.sites[0]
    with FleetServer(fleet) as server:
        url = server.url_of(site)
        cmd = [sys.executable, "-m", "gongkai", "crawl", url, "--rate", "20", "--out", str(tmp_path)]
        proc = subprocess.Popen(
            cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, preexec_fn=_ctrl_c_on
        )
        deadline = time.monotonic() + 60
        while len(server.requests_of(site)) < 15 and time.monotonic() < deadline:
            time.sleep(0.05)
        proc.send_signal(signal.SIGINT)
        output, _ = proc.communicate(timeout=30)
    assert proc.returncode == 130, output
    assert "已中断" in output and "重新运行同一命令即可续抓" in output
    state = tmp_path / (archive_name(url) + ".state.json")
    assert json.loads(state.read_text(encoding="utf-8"))["finished"] is False


def test_two_start_urls_on_one_site_are_refused_before_anything_is_fetched(tmp_path: Path) -> None:
    urls = ["http://127.0.0.1:9/", "http://127.0.0.1:9/zfxxgk/"]
    with pytest.raises(ValueError, match="同一站点给出了两个起始网址"):
        asyncio.run(crawl_many(urls, tmp_path, CrawlConfig(processes=2)))
    assert not list(tmp_path.iterdir())
    res = CliRunner().invoke(app, ["crawl", *urls, "--out", str(tmp_path / "cli")])
    assert res.exit_code == 2 and "每个站点只写一个归档" in res.output


def test_crawls_in_threads_restore_the_gc_thresholds_they_found(tmp_path: Path) -> None:
    """Each crawl raises the young GC generation while it runs; crawls overlapping in threads (a web
    worker) must leave the process with the thresholds it had, whatever order they end in."""
    import gc
    import threading

    from gongkai.crawl.engine import crawl_site

    before = gc.get_threshold()
    fleet = generate_fleet(2, seed=33, defect_rate=0.0, as_of=AS_OF)
    seen_during: list[tuple[int, int, int]] = []
    with FleetServer(fleet) as server:

        def one(site: object, limit: int) -> None:
            def progress(_event: dict) -> None:
                seen_during.append(gc.get_threshold())

            config = CrawlConfig(rate=300, concurrency_per_host=2, max_pages=limit)
            crawl_site(server.url_of(site), tmp_path / str(limit), config, progress=progress)

        threads = [
            threading.Thread(target=one, args=(s, n)) for s, n in zip(fleet.sites, (15, 40), strict=True)
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert seen_during and all(t[0] >= 50_000 for t in seen_during)
    assert gc.get_threshold() == before


def _descendants(pid: int) -> list[int]:
    """Processes under `pid` (its fork server, workers, resource tracker), read from /proc."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
                children.setdefault(ppid, []).append(int(entry.name))
    out, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            out.append(child)
            todo.append(child)
    return out


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")  # a zombie has exited (nobody reaps it inside some containers)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_workers_stop_when_the_parent_is_killed_and_the_rerun_completes_without_duplicates(
    tmp_path: Path,
) -> None:
    fleet = generate_fleet(2, seed=35, defect_rate=0.0, as_of=AS_OF)
    script = tmp_path / "child.py"
    script.write_text(CHILD, encoding="utf-8")
    with FleetServer(fleet) as server:
        urls = [server.url_of(s) for s in fleet.sites]
        proc = subprocess.Popen([sys.executable, str(script), "2", *urls], cwd=tmp_path)
        try:
            deadline = time.monotonic() + 60
            while min(len(server.requests_of(s)) for s in fleet.sites) < 20 and time.monotonic() < deadline:
                time.sleep(0.05)
            below = _descendants(proc.pid)
        finally:
            proc.kill()  # SIGKILL: the parent can neither pass anything on nor wait for anyone
            proc.wait()
        assert len(below) >= 3  # the fork server and two workers at least
        deadline = time.monotonic() + 60
        while any(_running(pid) for pid in below):
            assert time.monotonic() < deadline, [pid for pid in below if _running(pid)]
            time.sleep(0.1)
        for url in urls:
            archive = tmp_path / "out" / archive_name(url)
            assert json.loads(Path(f"{archive}.state.json").read_text(encoding="utf-8"))["finished"] is False
        results = asyncio.run(
            crawl_many(urls, tmp_path / "out", CrawlConfig(rate=500, concurrency_per_host=4, processes=2))
        )
    for result in results:
        assert result.resumed and not result.partial
        pages = [r.url for r in read_archive(result.archive) if r.status and not r.extra.get("rendered")]
        assert len(pages) == len(set(pages))  # nothing archived twice: no second crawler beside the first
