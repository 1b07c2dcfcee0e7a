"""Benchmark of reading 留言 (crawl/interaction.py) inside page facts: what the hook costs per page.

    python bench/interaction_bench.py [--sites 6] [--rounds 3] [--seed 4]

Crawls a fleet of furnished sites (~28 KB pages, each with its 留言 board in one of the three layouts)
on loopback once, then extracts page facts from every archived response in one process (process CPU
time), alternating `--rounds` times between the 留言 reader as shipped and the reader replaced by a no-op
(the named baseline: the page-facts extraction before issue 20), and keeps each side's best round (the
machine is shared). Prints CPU ms per page for both, their ratio, the same for the pages that are not a
board's (the cost every other page pays: the title and URL test), and the messages read against the
boards' letters. The fleet's boards are ~13% of its pages, far more than on a real site. Figures only;
nothing is asserted.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

from gongkai.crawl import CrawlConfig, crawl_many
from gongkai.crawl import facts as facts_module
from gongkai.crawl.archive import read_archive
from gongkai.crawl.facts import page_facts
from gongkai.fleet import FleetServer, generate_fleet


def records(archives: list[Path]) -> list[tuple[str, int | None, dict[str, str], bytes]]:
    out = []
    for path in archives:
        for r in read_archive(path):
            if r.body and not r.error and r.status:
                out.append((r.url, r.status, r.headers, r.body))
    return out


def extract(rows: list[tuple[str, int | None, dict[str, str], bytes]], rounds: int) -> tuple[float, int]:
    found = 0
    start = time.process_time()
    for _ in range(rounds):
        for url, status, headers, body in rows:
            f = page_facts(url, status, headers, body, record="", fetched_at=None)
            found += len(f.messages)
    return (time.process_time() - start) * 1000 / (rounds * len(rows)), found // rounds


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sites", type=int, default=6)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--seed", type=int, default=4)
    args = ap.parse_args(argv)
    as_of = dt.date(2026, 11, 20)
    fleet = generate_fleet(args.sites, seed=args.seed, defect_rate=0.5, as_of=as_of, chrome=True)
    letters = sum(len(s.data.board.letters) for s in fleet.sites)
    with tempfile.TemporaryDirectory() as tmp, FleetServer(fleet) as server:
        urls = [server.url_of(s) for s in fleet.sites]
        results = asyncio.run(crawl_many(urls, Path(tmp), CrawlConfig(rate=1000, concurrency_per_host=4)))
        rows = records([Path(r.archive) for r in results])
        others = [r for r in rows if "/hdjl/" not in r[0]]
        shipped = facts_module.page_messages
        best: dict[str, float] = {}
        found = 0
        for _ in range(args.rounds):
            for name, reader, pages in (
                ("all", shipped, rows),
                ("all-off", None, rows),
                ("others", shipped, others),
                ("others-off", None, others),
            ):
                facts_module.page_messages = reader or (lambda *a, **k: [])  # type: ignore[assignment]
                try:
                    ms, n = extract(pages, 1)
                finally:
                    facts_module.page_messages = shipped
                best[name] = min(best.get(name, ms), ms)
                found = n if name == "all" else found
    print(
        f"pages archived: {len(rows)} over {args.sites} sites ({len(rows) - len(others)} board pages); "
        f"board letters {letters}, message rows read {found}"
    )
    print(
        f"all pages, reader on / off: {best['all']:.3f} / {best['all-off']:.3f} ms CPU per page, "
        f"ratio {best['all'] / best['all-off']:.3f}"
    )
    print(
        f"pages outside the boards, reader on / off: {best['others']:.3f} / {best['others-off']:.3f} ms, "
        f"ratio {best['others'] / best['others-off']:.3f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
