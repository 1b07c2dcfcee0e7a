"""Resume benchmark: does an interrupted crawl, resumed, give what an uninterrupted one gives?
Prints figures; not a test.

    python bench/resume_bench.py                      # 3 fleet sites, scale 2 (~330 pages each)
    python bench/resume_bench.py --scale 4 --points 25,100,300

For one fleet site (local, loopback), an uninterrupted crawl is the reference. Then the same site is
crawled into a fresh folder and interrupted at each schedule below, then resumed to the end:
- `cancel@N,M,...`: the crawl is cancelled (as Ctrl+C) when it has N pages, resumed, cancelled at M...;
- `kill@N,M`: a child process crawling it is killed with SIGKILL after N (then M) requests.
For each, it prints the requests to the server over all runs, the pages archived twice (asked again
after the interruption), and whether the resumed site model (pages' URLs, columns, items, documents,
links) is identical to the reference. Last, a batch of `--sites` sites is crawled and run again: the
requests the rerun makes (finished sites are kept, so none).

One worker per host (`--concurrency 1`) makes the reference crawl's order fixed; with more, two
uninterrupted crawls may already differ where the trap guard's limits bind (the order links are met).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from gongkai.crawl import CrawlConfig, crawl_many
from gongkai.crawl.resumecheck import crawl_until, model_shape, refetched
from gongkai.fleet import FleetServer, generate_fleet

CHILD = """
import sys
from pathlib import Path
from gongkai.crawl import CrawlConfig, crawl_site
config = CrawlConfig(rate=float(sys.argv[3]), concurrency_per_host=int(sys.argv[4]), backoff_s=0.05)
crawl_site(sys.argv[1], Path(sys.argv[2]), config)
"""


def killed(server: FleetServer, site: object, out: Path, after: int, rate: float, concurrency: int) -> None:
    url = server.url_of(site)  # type: ignore[arg-type]
    mark = len(server.requests_of(site))  # type: ignore[arg-type]
    proc = subprocess.Popen([sys.executable, "-c", CHILD, url, str(out), str(rate), str(concurrency)])
    try:
        while len(server.requests_of(site)) - mark < after and proc.poll() is None:  # type: ignore[arg-type]
            time.sleep(0.01)
    finally:
        proc.kill()
        proc.wait()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sites", type=int, default=3)
    ap.add_argument("--scale", type=float, default=2.0)
    ap.add_argument("--seed", type=int, default=21)
    ap.add_argument("--rate", type=float, default=200.0)
    ap.add_argument("--concurrency", type=int, default=1)
    ap.add_argument("--points", default="10,60,150", help="page counts to interrupt at")
    args = ap.parse_args()
    points = [int(p) for p in args.points.split(",")]
    fleet = generate_fleet(
        args.sites, seed=args.seed, defect_rate=0.3, as_of=dt.date(2026, 11, 20), scale=args.scale
    )
    config = CrawlConfig(rate=args.rate, concurrency_per_host=args.concurrency, backoff_s=0.05)
    site = fleet.sites[0]
    with FleetServer(fleet) as server, tempfile.TemporaryDirectory() as tmp:
        url = server.url_of(site)
        mark = len(server.requests_of(site))
        ref = crawl_until(url, Path(tmp) / "ref", config)
        assert ref is not None
        ref_requests = len(server.requests_of(site)) - mark
        reference = model_shape(ref.site_model)
        print(f"站点 {site.full_name}：不中断抓取 {ref.pages} 个页面，{ref_requests} 次请求")
        print(f"{'中断方式':<24}{'总请求':>8}{'多出请求':>10}{'重复归档':>10}  模型相同")
        schedules = (
            [("none", [])] + [("cancel", [p]) for p in points] + [("cancel", points), ("kill", points[:2])]
        )
        for n, (how, stops) in enumerate(schedules):
            out = Path(tmp) / f"run{n}"
            mark = len(server.requests_of(site))
            for stop in stops:
                if how == "cancel":  # "none": a second uninterrupted crawl, the baseline's own variation
                    crawl_until(url, out, config, stop_at=stop)
                else:
                    killed(server, site, out, stop, args.rate, args.concurrency)
            result = crawl_until(url, out, config)
            assert result is not None
            total = len(server.requests_of(site)) - mark
            same = model_shape(result.site_model) == reference
            label = f"{how}@{','.join(map(str, stops))}" if stops else "不中断（再抓一次）"
            print(
                f"{label:<24}{total:>8}{total - ref_requests:>+10}{sum(refetched(result.archive).values()):>10}  {'是' if same else '否'}"
            )
        urls = [server.url_of(s) for s in fleet.sites]
        batch = Path(tmp) / "batch"
        asyncio.run(crawl_many(urls, batch, config))
        mark = len(server.requests)
        again = asyncio.run(crawl_many(urls, batch, config))
        print(
            f"批量重跑：{len(urls)} 个站点中 {sum(r.kept for r in again)} 个已抓完、沿用归档，"
            f"重跑请求 {len(server.requests) - mark} 次（首次共 {sum(r.pages for r in again)} 个页面）"
        )


if __name__ == "__main__":
    main()
