"""Rendering benchmark: script-filled list pages rendered per second and peak memory of the browser.
Prints figures; not a test.

    python bench/render_bench.py                  # 3 fleet sites with script-drawn lists, pools of 1 and 2 pages
    python bench/render_bench.py --sites 6 --rounds 3

Each fleet site is served in the `browser` mode (its lists drawn by a script whose API URL is built at
run time), so every column's first page must be rendered. Two figures:
- rendering alone: the column pages rendered through `Renderer` (requests routed through the crawler's
  fetcher, as in a crawl) with a pool of 1 and of 2 pages: pages/s and the peak memory (PSS) of the
  browser's processes (Chromium's main, renderer, GPU and utility processes, summed);
- a whole crawl with `--render auto`: pages, pages rendered, wall time, beside the same sites crawled
  with their lists behind a JSON API the crawler reads directly (`json` mode).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import tempfile
import threading
import time
from pathlib import Path

from gongkai.crawl import CrawlConfig, crawl_many
from gongkai.crawl.fetch import Fetcher
from gongkai.crawl.polite import host_of
from gongkai.crawl.render import Renderer
from gongkai.fleet import FleetServer, generate_fleet


def _children(pid: int) -> set[int]:
    """Every descendant process of `pid` (from /proc)."""
    parents: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="utf-8") as fh:
                ppid = int(fh.read().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        parents.setdefault(ppid, []).append(int(entry))
    out, todo = set(), [pid]
    while todo:
        for child in parents.get(todo.pop(), []):
            out.add(child)
            todo.append(child)
    return out


def _pss_kib(pid: int) -> int:
    """Proportional set size: shared pages (the browser's code, shared memory) split among the processes
    that share them, so a sum over Chromium's processes counts each page once."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _is_browser(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/comm", encoding="utf-8") as fh:
            return "chrom" in fh.read()
    except OSError:
        return False


class BrowserRss:
    """Peak summed PSS of this process's Chromium descendants, sampled every 50 ms."""

    def __init__(self) -> None:
        self.peak_kib = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        me = os.getpid()
        while not self._stop.wait(0.05):
            total = sum(_pss_kib(p) for p in _children(me) if _is_browser(p))
            self.peak_kib = max(self.peak_kib, total)

    def __enter__(self) -> BrowserRss:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def _column_pages(fleet, server) -> list[str]:  # noqa: ANN001
    urls = []
    for site in fleet.sites:
        base = server.url_of(site).rstrip("/")
        urls += [base + c.path for c in site.data.columns if c.paging in ("trs", "page")]
    return urls


async def _render_all(urls: list[str], pool: int, config: CrawlConfig) -> tuple[int, float]:
    async with Fetcher(config, {host_of(u) for u in urls}) as fetcher:
        renderer = Renderer(config, fetcher, pages=pool)
        try:
            if not await renderer.available():
                raise SystemExit(renderer.fault)
            answers = [await fetcher.fetch(u) for u in urls]
            first = answers[0]  # warm-up: the browser's first page costs more than the others
            await renderer.render(first.url, first.status or 200, first.header("Content-Type"), first.body)
            renderer.rendered = 0
            t0 = time.perf_counter()

            async def one(r) -> None:  # noqa: ANN001
                await renderer.render(r.url, r.status or 200, r.header("Content-Type"), r.body)

            await asyncio.gather(*(one(r) for r in answers))
            return renderer.rendered, time.perf_counter() - t0
        finally:
            await renderer.close()


def rendering(fleet, server, args: argparse.Namespace) -> None:  # noqa: ANN001
    urls = _column_pages(fleet, server)
    config = CrawlConfig(rate=500.0, concurrency_per_host=4)
    for pool in (1, 2):
        for _ in range(args.rounds):
            with BrowserRss() as rss:
                done, took = asyncio.run(_render_all(urls, pool, config))
            print(
                f"rendering, pool of {pool} page(s): {done} pages in {took:.2f} s = {done / took:.1f} pages/s; "
                f"browser peak PSS {rss.peak_kib / 1024:.0f} MiB"
            )


def crawls(fleet, args: argparse.Namespace) -> None:  # noqa: ANN001
    for mode in ("json", "browser"):
        with FleetServer(fleet, scripted={s.name: mode for s in fleet.sites}) as server:
            out = Path(tempfile.mkdtemp(prefix="render-bench-"))
            config = CrawlConfig(rate=500.0, concurrency_per_host=4, probe_external=False)
            t0 = time.perf_counter()
            with BrowserRss() as rss:
                results = asyncio.run(crawl_many([server.url_of(s) for s in fleet.sites], out, config))
            took = time.perf_counter() - t0
            pages = sum(r.pages for r in results)
            rendered = sum(r.rendered for r in results)
            print(
                f"crawl, lists {mode:7}: {pages} pages ({rendered} rendered) in {took:.2f} s = "
                f"{pages / took:.1f} pages/s; browser peak PSS {rss.peak_kib / 1024:.0f} MiB"
            )


def main() -> None:
    p = argparse.ArgumentParser(description="gongkai rendering benchmark")
    p.add_argument("--sites", type=int, default=3)
    p.add_argument("--rounds", type=int, default=1)
    args = p.parse_args()
    fleet = generate_fleet(args.sites, seed=7, defect_rate=0.0, as_of=dt.date(2026, 11, 20))
    with FleetServer(fleet, scripted={s.name: "browser" for s in fleet.sites}) as server:
        rendering(fleet, server, args)
    crawls(fleet, args)


if __name__ == "__main__":
    main()
