"""Crawler benchmark: throughput against three baselines, politeness efficiency, peak RSS for many hosts.
Prints figures and ratios; not a test.

    python bench/crawl_bench.py                       # defaults: ~3,000 pages, 50 polite hosts, 100 x 100 RSS
    python bench/crawl_bench.py --only throughput --sites 40 --scale 2.6
    python bench/crawl_bench.py --only politeness --polite-hosts 200
    python bench/crawl_bench.py --only memory --rss-hosts 1000 --rss-pages 300

Throughput, in one run on the same fleet and URLs (the issue's three baselines, side by side):
- gongkai: fetch + WARC archive + site-model extraction, in 1 process and in `--processes` processes
  (sites sharded over worker processes, `CrawlConfig.processes`);
- a bare aiohttp fetch loop over the URLs gongkai fetched;
- the same loop parsing every HTML page with selectolax (lexbor) and collecting its links;
- Scrapy: a CrawlSpider following links, at the same total concurrency and at its defaults.
The fleet is rendered once by the Python fleet server (warm-up crawl), then served as static files by
nginx on the same ports (as the issue's baselines were measured) so the server takes as little CPU as
possible from the contenders; `--server python` keeps the Python server.
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

sys.path.insert(0, str(Path(__file__).resolve().parent))
from static_fleet import StaticFleet, nginx_binary  # noqa: E402

SERVER = """
import json, sys, datetime as dt
from gongkai.fleet import FleetServer, generate_fleet
n, seed, scale, chrome = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), sys.argv[4] == "1"
fleet = generate_fleet(n, seed=seed, defect_rate=0.1, as_of=dt.date(2026, 11, 20), scale=scale, chrome=chrome)
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


# the reference figures were taken on 28 KB pages with ~40 links: the fleet's pages carry a real
# site's furniture (gongkai.fleet.chrome) unless --plain-pages asks for the bare ~3 KB pages
PLAIN_PAGES = False


def start_server(n: int, seed: int, scale: float) -> tuple[subprocess.Popen[str], list[str]]:
    chrome = "0" if PLAIN_PAGES else "1"
    proc = subprocess.Popen(
        [sys.executable, "-c", SERVER, str(n), str(seed), str(scale), chrome],
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


def run_gongkai(
    urls: list[str],
    out: Path,
    *,
    rate: float,
    conc: int,
    max_pages: int,
    extract: bool,
    processes: int = 1,
    keep_models: bool = True,
) -> dict:
    from gongkai.crawl import CrawlConfig, CrawlResult, crawl_many

    config = CrawlConfig(
        rate=rate,
        concurrency_per_host=conc,
        max_pages=max_pages,
        timeout_s=30,
        host_concurrency=64,
        processes=processes,
        probe_external=False,  # the fleet's 友情链接 lead to the internet; the baselines do not probe either
    )
    cold_caches()
    t0, c0 = time.monotonic(), time.process_time()

    # the site model is assembled as each site's crawl ends, from the pages' own parse (in the worker
    # process that crawled the site when there are several)
    # each site's model is counted as the site finishes, as `gongkai crawl` does in a batch (where worker
    # processes send the models packed, to be unpacked only when read); keep_models=False: and let go
    def consume(_index: int, result: CrawlResult) -> None:
        result.model_counts  # noqa: B018
        if not keep_models:
            result.release_model()

    on_result = consume if extract else None
    results = asyncio.run(crawl_many(urls, out, config, extract=extract, on_result=on_result))
    total, c_total = time.monotonic() - t0, time.process_time() - c0
    pages = sum(r.pages for r in results)
    return {"pages": pages, "total_s": total, "total_cpu": c_total, "results": results}


def describe_pages(records: list) -> None:
    """The workload: how large the HTML pages are and how many links they carry."""
    from gongkai.crawl.discover import discover
    from gongkai.crawl.resource import body_kind

    html = [r for r in records if r.status == 200 and body_kind(r.content_type, r.url, r.body) == "html"]
    if not html:
        return
    kb = sum(len(r.body) for r in html) / len(html) / 1024
    links = sum(len(discover(r.url, r.body, r.content_type).links) for r in html) / len(html)
    print(
        f"pages: {len(records)} responses, {len(html)} HTML pages of {kb:.1f} KB with {links:.0f} links on average"
    )


def cold_caches() -> None:
    """Forget what the warm-up crawl left in this process (attachment texts by content hash, URL caches):
    every measured run pays for a first crawl, as the worker processes (forked fresh) do anyway."""
    from gongkai.crawl import attachments, discover, polite, resource, roles

    attachments._TEXT_CACHE.clear()  # noqa: SLF001
    caches = (resource.canonical, polite.host_of, resource.ext_of, roles._where, discover._path_query)  # noqa: SLF001
    for cached in caches:
        cached.cache_clear()


async def bare_loop(urls: list[str], total_conc: int, *, parse: bool = False) -> tuple[int, float]:
    """Fetch every URL once (`parse`: and parse each HTML page with selectolax, collecting its links)."""
    import aiohttp
    from selectolax.lexbor import LexborHTMLParser

    sem = asyncio.Semaphore(total_conc)
    connector = aiohttp.TCPConnector(limit=total_conc, limit_per_host=4)
    ok = links = 0
    async with aiohttp.ClientSession(connector=connector) as session:

        async def one(u: str) -> None:
            nonlocal ok, links
            async with sem:
                try:
                    async with session.get(u) as resp:
                        body = await resp.read()
                        ok += 1
                        if parse and "html" in resp.content_type:
                            tree = LexborHTMLParser(body.decode(resp.charset or "utf-8", "replace"))
                            links += len([a.attributes.get("href") for a in tree.css("a[href]")])
                except (aiohttp.ClientError, LookupError):
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
    static = None
    conc = 4
    crawl = {"rate": 1e6, "conc": conc, "max_pages": 100_000, "extract": True}
    rounds: list[tuple[dict[str, float], dict[str, float]]] = []
    try:
        # warm-up: the server renders attachments once and caches them; the warm-up extracts too, so the
        # one-time imports of the attachment readers (openpyxl pulls in numpy, ~0.3 s) are not billed to
        # the measured runs, and it starts the fork server of the worker processes (once per crawler
        # process, ~0.3 s): a long-lived crawler pays both once, not per crawl.
        warm = run_gongkai(urls, tmp / "warm", **crawl, processes=1)
        if args.processes > 1:
            run_gongkai(urls[:2], tmp / "warm-workers", **crawl, processes=args.processes)
        if args.server == "nginx":
            stop_server(proc)
            proc = None
            static = StaticFleet([r.archive for r in warm["results"]], tmp / "nginx").__enter__()
            print(
                f"server: nginx, {static.files} files exported from the warm-up crawl (same bytes, same ports)"
            )
        else:
            print("server: the Python fleet server (renders every page)")
        from gongkai.crawl.archive import read_archive

        records = [r for res in warm["results"] for r in read_archive(res.archive) if not r.error]
        fetched = [r.url for r in records if r.url.startswith("http")]
        describe_pages(records)
        total_conc = min(len(urls), 64) * conc
        # one unmeasured pass over every URL, so the first contender of round 1 does not meet a server
        # (and page cache) colder than the ones after it
        asyncio.run(bare_loop(fetched, total_conc))
        rounds = []
        for number in range(1, args.repeat + 1):
            if args.repeat > 1:
                print(f"\n-- round {number} of {args.repeat} --")
            # every contender once per round, side by side: the machine's speed drifts between rounds
            runs: dict[str, dict] = {}
            for n in sorted({1, args.processes}):
                label = f"gongkai, {n} process{'es' if n > 1 else ''}"
                runs[label] = run_gongkai(urls, tmp / f"g{n}-{number}", **crawl, processes=n)
            baselines: dict[str, tuple[int, float, float]] = {}
            for label, parse in (("bare aiohttp loop", False), ("aiohttp + selectolax loop", True)):
                c0 = time.process_time()
                ok, took = asyncio.run(bare_loop(fetched, total_conc, parse=parse))
                baselines[label] = (ok, took, time.process_time() - c0)
            scrapy = {
                "scrapy, same total concurrency": None
                if args.skip_scrapy
                else run_scrapy(urls, tmp, total_conc),
                "scrapy, defaults 16/8": None if args.skip_scrapy else run_scrapy(urls, tmp, None),
            }
            rounds.append(report_throughput(runs, baselines, scrapy))
    finally:
        if proc is not None:
            stop_server(proc)
        if static is not None:
            static.__exit__()
        shutil.rmtree(tmp, ignore_errors=True)
    if len(rounds) > 1:
        summarise(rounds)


def summarise(rounds: list[tuple[dict[str, float], dict[str, float]]]) -> None:
    """Median and range over the rounds, of every rate and of gongkai's ratio to every baseline."""
    print(f"\n== summary of {len(rounds)} rounds: median (min-max) ==")
    series: dict[str, list[float]] = {}
    for rates, base_rates in rounds:
        for label, rate in {**rates, **base_rates}.items():
            series.setdefault(f"{label} pages/s", []).append(rate)
        for label, rate in rates.items():
            for base, base_rate in base_rates.items():
                series.setdefault(f"{label} / {base}", []).append(rate / base_rate)
    for label, values in series.items():
        values.sort()
        mid = values[len(values) // 2]
        fmt = ".0f" if label.endswith("pages/s") else ".2f"
        print(f"  {label}: {mid:{fmt}} ({values[0]:{fmt}}-{values[-1]:{fmt}})")


def report_throughput(
    runs: dict[str, dict], baselines: dict[str, tuple[int, float, float]], scrapy: dict[str, dict | None]
) -> tuple[dict[str, float], dict[str, float]]:
    """Print one round's figures and ratios; returns gongkai's and the baselines' pages/s."""
    rates: dict[str, float] = {}
    for label, g in runs.items():
        rates[label] = g["pages"] / g["total_s"]
        line = f"{label + ' (fetch+archive+extract)':44s}: {g['pages']} pages in {g['total_s']:.2f} s = "
        print(line + f"{rates[label]:.0f} pages/s")
        if label.endswith("1 process"):
            print(f"{'  CPU per page':44s}: {g['total_cpu'] / max(g['pages'], 1) * 1000:.2f} ms")
    base_rates: dict[str, float] = {}
    for label, (ok, took, cpu) in baselines.items():
        base_rates[label] = ok / took
        print(
            f"{label + ' (same URLs)':44s}: {ok} pages in {took:.2f} s = {ok / took:.0f} pages/s "
            f"(CPU per page {cpu / max(ok, 1) * 1000:.2f} ms)"
        )
    for label, doc in scrapy.items():
        if doc and doc.get("elapsed"):
            base_rates[label] = doc["responses"] / doc["elapsed"]
            print(
                f"{label:44s}: {doc['responses']} responses in {doc['elapsed']:.2f} s "
                f"(process wall {doc['wall']:.1f} s) = {base_rates[label]:.0f} pages/s"
            )
        else:
            print(f"{label:44s}: skipped or failed")
    targets = {"bare aiohttp loop": "target >= 0.50", "scrapy, same total concurrency": "target >= 10"}
    targets["scrapy, defaults 16/8"] = "target >= 10"
    print("ratios (gongkai / baseline):")
    for label, rate in rates.items():
        cells = [
            f"{b}: {rate / r:.2f}" + (f" ({targets[b]})" if b in targets else "")
            for b, r in base_rates.items()
        ]
        print(f"  {label}: " + "; ".join(cells))
    return rates, base_rates


def politeness(args: argparse.Namespace) -> None:
    hosts, pages, rate = args.polite_hosts, args.polite_pages, 2.0
    print(f"\n== 礼貌效率 / politeness efficiency: {hosts} hosts x {pages} pages at {rate} req/s per host ==")
    # sites large enough that every host has `pages` pages to give (~150 a site at scale 1, ~300 at 2.6)
    proc, urls = start_server(hosts, 2, max(1.0, pages / 75))
    tmp = Path(tempfile.mkdtemp(prefix="crawl-polite-"))
    try:
        from gongkai.crawl import CrawlConfig, crawl_many

        config = CrawlConfig(
            rate=rate,
            concurrency_per_host=2,
            max_pages=pages,
            host_concurrency=max(64, hosts),
            probe_external=False,  # politeness of the crawl itself, to its own hosts
        )
        t0 = time.monotonic()
        results = asyncio.run(crawl_many(urls, tmp, config))
        wall = time.monotonic() - t0
    finally:
        stop_server(proc)
        shutil.rmtree(tmp, ignore_errors=True)
    # each host: robots.txt + its pages, spaced 1/rate apart; the hosts run side by side, so the ideal is
    # the largest host's (pages + 1 - 1) / rate seconds
    ideal = max(r.pages for r in results) / rate
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
            # as `gongkai crawl --urls-file` runs a batch: models built during the crawl, counted, let go
            g = run_gongkai(urls, tmp, rate=1e6, conc=4, max_pages=pages, extract=True, keep_models=False)
    finally:
        stop_server(proc)
        shutil.rmtree(tmp, ignore_errors=True)
    peak = max(m for _, m in sampler.samples)
    n = len(sampler.samples)
    quarters = [sampler.samples[min(n - 1, int(n * q))][1] for q in (0.25, 0.5, 0.75, 1.0)]
    print(f"pages {g['pages']} in {g['total_s']:.1f} s; RSS at start {base} MiB, peak {peak} MiB")
    print(f"RSS at 25/50/75/100% of the crawl: {quarters} MiB (flat = bounded by hosts in flight)")
    print(f"ru_maxrss {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024} MiB (target < 1024 MiB)")


def main() -> None:
    p = argparse.ArgumentParser(description="gongkai crawler benchmark")
    p.add_argument(
        "--sites", type=int, default=20, help="throughput: fleet sites (20 at scale 1 ~ 3,000 pages)"
    )
    p.add_argument("--scale", type=float, default=1.0, help="news/notice multiplier (2.6 ~ 300 pages/site)")
    p.add_argument("--skip-scrapy", action="store_true")
    p.add_argument("--repeat", type=int, default=1, help="throughput: rounds of all contenders, then medians")
    p.add_argument(
        "--processes", type=int, default=os.cpu_count() or 1, help="throughput: gongkai worker processes"
    )
    p.add_argument(
        "--server",
        choices=["nginx", "python"],
        default="nginx" if nginx_binary() else "python",
        help="throughput: serve the fleet through nginx (default when installed) or the Python fleet server",
    )
    p.add_argument("--polite-hosts", type=int, default=50)
    p.add_argument("--polite-pages", type=int, default=20)
    p.add_argument("--rss-hosts", type=int, default=100)
    p.add_argument("--rss-pages", type=int, default=100)
    p.add_argument("--only", choices=["throughput", "politeness", "memory"], default=None)
    p.add_argument(
        "--plain-pages",
        action="store_true",
        help="the fleet's bare ~3 KB pages, without a real site's furniture",
    )
    args = p.parse_args()
    global PLAIN_PAGES
    PLAIN_PAGES = args.plain_pages
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs")
    if args.only in (None, "throughput"):
        throughput(args)
    if args.only in (None, "politeness"):
        politeness(args)
    if args.only in (None, "memory"):
        memory(args)


if __name__ == "__main__":
    main()
