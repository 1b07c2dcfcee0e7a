"""Crawler benchmark: throughput vs a bare aiohttp loop and a plain Scrapy spider, politeness efficiency,
peak RSS for many hosts. Prints figures and ratios; not a test.

The fleet is served from a separate process (the machine has 2 cores: one serves, one crawls).

    python bench/crawl_bench.py                       # small defaults, a few minutes
    python bench/crawl_bench.py --sites 40 --scale 2.6 --polite-hosts 200 --rss-hosts 1000 --rss-pages 300

Figures: pages/s for gongkai (fetch + archive + site-model extraction), the bare loop (fetch only, the
same URLs) and Scrapy (CrawlSpider following links, same total concurrency); wall time / ideal time
for many hosts at 2 req/s; peak RSS of the crawler process sampled while crawling.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
from pathlib import Path

SERVER = """
import json, sys, datetime as dt
from gongkai.fleet import FleetServer, generate_fleet
n, seed, scale = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
fleet = generate_fleet(n, seed=seed, defect_rate=0.1, as_of=dt.date(2026, 11, 20), scale=scale)
server = FleetServer(fleet).start()
print(json.dumps([server.url_of(s) for s in fleet.sites]), flush=True)
sys.stdin.read()
server.stop()
"""

SCRAPY_SPIDER = """
import json
import time
from scrapy.linkextractors import LinkExtractor
from scrapy.spiders import CrawlSpider, Rule

class FleetSpider(CrawlSpider):
    name = "fleet"
    allowed_domains = ["127.0.0.1"]  # the fleet; do not wander to beian.miit.gov.cn and the like
    rules = (Rule(LinkExtractor(), callback="parse_page", follow=True),)

    def __init__(self, urls="", out="", **kw):
        self.start_urls = json.loads(open(urls).read())
        self.out = out
        self.t0 = time.monotonic()
        super().__init__(**kw)

    def parse_page(self, response):
        return None

    def closed(self, reason):
        stats = self.crawler.stats.get_stats()
        took = time.monotonic() - self.t0
        with open(self.out, "w") as fh:
            json.dump({"responses": stats.get("response_received_count", 0), "elapsed": took}, fh)
"""


def start_server(n: int, seed: int, scale: float) -> tuple[subprocess.Popen[str], list[str]]:
    proc = subprocess.Popen(
        [sys.executable, "-c", SERVER, str(n), str(seed), str(scale)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    urls = json.loads(proc.stdout.readline())
    return proc, urls


def stop_server(proc: subprocess.Popen[str]) -> None:
    if proc.stdin:
        proc.stdin.close()
    try:
        proc.wait(30)
    except subprocess.TimeoutExpired:
        proc.kill()


class RssSampler:
    """Samples this process's resident set size (from /proc) every 0.2 s."""

    def __init__(self) -> None:
        self.samples: list[tuple[float, int]] = []
        self._stop = threading.Event()
        self._t = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.samples.append((time.monotonic(), rss_mib()))
            time.sleep(0.2)

    def __enter__(self) -> RssSampler:
        self._t.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._t.join()


def rss_mib() -> int:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) // 1024
    return 0


def run_gongkai(urls: list[str], out: Path, *, rate: float, conc: int, max_pages: int, extract: bool) -> dict:
    from gongkai.crawl import CrawlConfig, crawl_many, extract_archive

    config = CrawlConfig(
        rate=rate, concurrency_per_host=conc, max_pages=max_pages, timeout_s=30, host_concurrency=64
    )
    t0, c0 = time.monotonic(), time.process_time()
    results = asyncio.run(crawl_many(urls, out, config))
    t_crawl, c_crawl = time.monotonic() - t0, time.process_time() - c0
    if extract:
        for r in results:
            extract_archive(r.archive, r.site)
    total, c_total = time.monotonic() - t0, time.process_time() - c0
    pages = sum(r.pages for r in results)
    return {
        "pages": pages,
        "crawl_s": t_crawl,
        "total_s": total,
        "crawl_cpu": c_crawl,
        "total_cpu": c_total,
        "results": results,
    }


async def bare_loop(urls: list[str], total_conc: int) -> tuple[int, float]:
    import aiohttp

    sem = asyncio.Semaphore(total_conc)
    connector = aiohttp.TCPConnector(limit=total_conc, limit_per_host=4)
    ok = 0
    async with aiohttp.ClientSession(connector=connector) as session:

        async def one(u: str) -> None:
            nonlocal ok
            async with sem:
                try:
                    async with session.get(u) as resp:
                        await resp.read()
                        ok += 1
                except aiohttp.ClientError:
                    pass

        t0 = time.monotonic()
        await asyncio.gather(*(one(u) for u in urls))
        return ok, time.monotonic() - t0


def run_scrapy(urls: list[str], tmp: Path, total_conc: int | None) -> dict | None:
    """Run the CrawlSpider; `total_conc=None` keeps Scrapy's default concurrency (16, 8 per domain)."""
    if shutil.which("scrapy") is None and not (Path(sys.executable).parent / "scrapy").exists():
        return None
    spider = tmp / "fleet_spider.py"
    spider.write_text(textwrap.dedent(SCRAPY_SPIDER), encoding="utf-8")
    url_file, out = tmp / "urls.json", tmp / f"scrapy-{total_conc}.json"
    url_file.write_text(json.dumps(urls), encoding="utf-8")
    scrapy = str(Path(sys.executable).parent / "scrapy")
    cmd = [
        scrapy, "runspider", str(spider), "-a", f"urls={url_file}", "-a", f"out={out}",
        "-s", "LOG_LEVEL=ERROR", "-s", "ROBOTSTXT_OBEY=True", "-s", "TELNETCONSOLE_ENABLED=False",
        "-s", "DOWNLOAD_DELAY=0", "-s", "REQUEST_FINGERPRINTER_IMPLEMENTATION=2.7",
        # the same link-depth budget as gongkai (max_depth=8), else the fleet calendar trap never ends
        "-s", "DEPTH_LIMIT=8",
    ]  # fmt: skip
    if total_conc:
        # all fleet sites share the host 127.0.0.1, which Scrapy's slots key on: lift the per-domain cap
        cmd += [
            "-s",
            f"CONCURRENT_REQUESTS={total_conc}",
            "-s",
            f"CONCURRENT_REQUESTS_PER_DOMAIN={total_conc}",
        ]
    t0 = time.monotonic()
    subprocess.run(cmd, check=False, cwd=tmp, capture_output=True)
    wall = time.monotonic() - t0
    if not out.exists():
        return None
    doc = json.loads(out.read_text())
    doc["wall"] = wall
    return doc


def throughput(args: argparse.Namespace) -> None:
    print(f"\n== 吞吐量 / throughput: {args.sites} sites, scale {args.scale} ==")
    proc, urls = start_server(args.sites, 1, args.scale)
    tmp = Path(tempfile.mkdtemp(prefix="crawl-bench-"))
    try:
        conc = 4
        # warm-up: the server renders attachments once and caches them; every contender then meets a warm server.
        # It extracts too, so the one-time imports of the attachment readers (openpyxl pulls in numpy, ~0.3 s)
        # are not billed to the measured run: a long-lived crawler pays them once, not per crawl.
        run_gongkai(urls, tmp / "warm", rate=1e6, conc=conc, max_pages=100_000, extract=True)
        g = run_gongkai(urls, tmp / "g", rate=1e6, conc=conc, max_pages=100_000, extract=True)
        from gongkai.crawl.archive import read_archive

        fetched = [r.url for res in g["results"] for r in read_archive(res.archive) if not r.error]
        fetched = [u for u in fetched if u.startswith("http")]
        total_conc = min(len(urls), 64) * conc
        c0 = time.process_time()
        ok, bare_s = asyncio.run(bare_loop(fetched, total_conc))
        bare_cpu = time.process_time() - c0
        sc = None if args.skip_scrapy else run_scrapy(urls, tmp, total_conc)
        sc_plain = None if args.skip_scrapy else run_scrapy(urls, tmp, None)
    finally:
        stop_server(proc)
        shutil.rmtree(tmp, ignore_errors=True)
    g_rate = g["pages"] / g["total_s"]
    g_crawl_rate = g["pages"] / g["crawl_s"]
    bare_rate = ok / bare_s
    print(
        f"gongkai  (fetch+archive+extract): {g['pages']} pages in {g['total_s']:.1f} s = {g_rate:.0f} pages/s"
    )
    print(
        f"gongkai  (fetch+archive only)   : {g['pages']} pages in {g['crawl_s']:.1f} s = {g_crawl_rate:.0f} pages/s"
    )
    print(f"bare aiohttp loop (same URLs)   : {ok} pages in {bare_s:.1f} s = {bare_rate:.0f} pages/s")
    print(f"ratio gongkai / bare loop       : {g_rate / bare_rate:.2f}  (target >= 0.50)")
    n = max(g["pages"], 1)
    print(
        f"CPU per page (robust to a busy machine): gongkai crawl {g['crawl_cpu'] / n * 1000:.2f} ms, "
        f"crawl+extract {g['total_cpu'] / n * 1000:.2f} ms, bare loop {bare_cpu / max(ok, 1) * 1000:.2f} ms"
    )
    for label, doc in (("same total concurrency", sc), ("plain defaults, 16/8 per domain", sc_plain)):
        if doc and doc.get("elapsed"):
            sc_rate = doc["responses"] / doc["elapsed"]
            print(
                f"scrapy CrawlSpider ({label}): {doc['responses']} responses in {doc['elapsed']:.1f} s "
                f"(process wall {doc['wall']:.1f} s) = {sc_rate:.0f} pages/s"
            )
            print(f"  ratio gongkai / scrapy: {g_rate / sc_rate:.2f}  (target >= 10)")
        else:
            print(f"scrapy ({label}): skipped or failed")


def politeness(args: argparse.Namespace) -> None:
    hosts, pages, rate = args.polite_hosts, args.polite_pages, 2.0
    print(f"\n== 礼貌效率 / politeness efficiency: {hosts} hosts x {pages} pages at {rate} req/s per host ==")
    proc, urls = start_server(hosts, 2, 1.0)
    tmp = Path(tempfile.mkdtemp(prefix="crawl-polite-"))
    try:
        from gongkai.crawl import CrawlConfig, crawl_many

        config = CrawlConfig(
            rate=rate, concurrency_per_host=2, max_pages=pages, host_concurrency=max(64, hosts)
        )
        t0 = time.monotonic()
        results = asyncio.run(crawl_many(urls, tmp, config))
        wall = time.monotonic() - t0
    finally:
        stop_server(proc)
        shutil.rmtree(tmp, ignore_errors=True)
    # each host: robots.txt + `pages` requests, spaced 1/rate apart -> (pages) / rate seconds
    ideal = pages / rate
    print(f"pages {sum(r.pages for r in results)}, wall {wall:.1f} s, ideal {ideal:.1f} s")
    print(f"wall / ideal: {wall / ideal:.3f}  (target <= 1.15)")


def memory(args: argparse.Namespace) -> None:
    hosts, pages = args.rss_hosts, args.rss_pages
    scale = max(1.0, pages / 150)
    print(f"\n== 内存 / peak RSS: {hosts} hosts x up to {pages} pages ==")
    proc, urls = start_server(hosts, 3, scale)
    tmp = Path(tempfile.mkdtemp(prefix="crawl-rss-"))
    base = rss_mib()
    try:
        with RssSampler() as sampler:
            g = run_gongkai(urls, tmp, rate=1e6, conc=4, max_pages=pages, extract=False)
    finally:
        stop_server(proc)
        shutil.rmtree(tmp, ignore_errors=True)
    peak = max(m for _, m in sampler.samples)
    n = len(sampler.samples)
    quarters = [sampler.samples[min(n - 1, int(n * q))][1] for q in (0.25, 0.5, 0.75, 1.0)]
    print(f"pages {g['pages']} in {g['crawl_s']:.1f} s; RSS at start {base} MiB, peak {peak} MiB")
    print(f"RSS at 25/50/75/100% of the crawl: {quarters} MiB (flat = bounded by hosts in flight)")
    print(f"ru_maxrss {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024} MiB (target < 1024 MiB)")


def main() -> None:
    p = argparse.ArgumentParser(description="gongkai crawler benchmark")
    p.add_argument("--sites", type=int, default=12)
    p.add_argument("--scale", type=float, default=1.0, help="news/notice multiplier (2.6 ~ 300 pages/site)")
    p.add_argument("--skip-scrapy", action="store_true")
    p.add_argument("--polite-hosts", type=int, default=50)
    p.add_argument("--polite-pages", type=int, default=20)
    p.add_argument("--rss-hosts", type=int, default=100)
    p.add_argument("--rss-pages", type=int, default=100)
    p.add_argument("--only", choices=["throughput", "politeness", "memory"], default=None)
    args = p.parse_args()
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs")
    if args.only in (None, "throughput"):
        throughput(args)
    if args.only in (None, "politeness"):
        politeness(args)
    if args.only in (None, "memory"):
        memory(args)


if __name__ == "__main__":
    main()
