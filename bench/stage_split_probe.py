"""Probe for a possible crawler design: split the work by stage instead of by site. Prints figures; not a test.

    python bench/stage_split_probe.py                 # batches of 8, 32 and 128 pages, 3 runs each
    python bench/stage_split_probe.py --batch 128 --runs 5

Today `CrawlConfig(processes=N)` deals whole sites to N processes. This probe measures the upper bound of the
other split on the throughput benchmark's fleet (20 sites, ~3,000 pages, served by nginx): one process fetches
every URL with aiohttp and writes the WARC, and sends the responses in batches over a pipe to a second process,
which reads each page's facts (`gongkai.crawl.facts.page_facts`) and sends them back. The URL list is known in
advance, so there is no frontier, politeness or site-model assembly: the figure is what such a design could reach,
not what it would. A round trip per page (`ProcessPoolExecutor`) costs the fetching process ~265 µs of CPU per
page, more than the parse it saves, which is why the pages travel in batches.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import pickle
import shutil
import sys
import tempfile
import time
from multiprocessing.connection import Connection
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from crawl_bench import run_gongkai, start_server, stop_server  # noqa: E402
from static_fleet import StaticFleet  # noqa: E402

Response = tuple[str, int, dict[str, str], bytes, str]  # url, status, headers, body, record id


def read_facts(conn: Connection) -> None:
    """The second stage: page facts of each batch, sent back pickled; an empty message ends it."""
    from gongkai.crawl.facts import page_facts

    while batch := conn.recv_bytes():
        items: list[Response] = pickle.loads(batch)
        facts = [page_facts(u, s, h, b, record=r, fetched_at=None) for u, s, h, b, r in items]
        conn.send_bytes(pickle.dumps(facts, protocol=5))
    conn.close()


async def fetch_and_archive(urls: list[str], conn: Connection, out: Path, batch: int) -> int:
    """The first stage: fetch every URL (80 at once, 4 per host), write it to the WARC, pass it on in batches."""
    import aiohttp

    from gongkai.crawl.archive import ArchiveWriter

    writer = ArchiveWriter(out / "probe.warc.gz")
    loop = asyncio.get_running_loop()
    pipe = asyncio.Lock()  # one batch on the pipe at a time: the second stage works through them in order
    pending: list[Response] = []
    sent: list[asyncio.Future[None]] = []
    done = 0

    async def send(items: list[Response]) -> None:
        nonlocal done

        def round_trip() -> bytes:
            conn.send_bytes(pickle.dumps(items, protocol=5))
            return conn.recv_bytes()

        async with pipe:
            done += len(pickle.loads(await loop.run_in_executor(None, round_trip)))

    gate = asyncio.Semaphore(80)
    connector = aiohttp.TCPConnector(limit=80, limit_per_host=4)
    async with aiohttp.ClientSession(connector=connector) as session:

        async def one(url: str) -> None:
            nonlocal pending
            async with gate, session.get(url, allow_redirects=False) as resp:
                body = await resp.read()
                headers = list(resp.headers.items())
                request = list(resp.request_info.headers.items())
                record = writer.write_response(url, resp.status, resp.reason or "", headers, body, request)
                pending.append(
                    (url, resp.status, {"content-type": resp.headers.get("Content-Type", "")}, body, record)
                )
                if len(pending) >= batch:
                    sent.append(asyncio.ensure_future(send(pending)))
                    pending = []

        await asyncio.gather(*(one(u) for u in urls))
        if pending:
            sent.append(asyncio.ensure_future(send(pending)))
        await asyncio.gather(*sent)
    writer.close()
    return done


def probe(urls: list[str], tmp: Path, batch: int, number: int) -> None:
    ours, theirs = multiprocessing.get_context("fork").Pipe()
    second = multiprocessing.get_context("fork").Process(target=read_facts, args=(theirs,))
    second.start()
    out = tmp / f"probe-{batch}-{number}"
    out.mkdir()
    t0, c0 = time.monotonic(), time.process_time()
    pages = asyncio.run(fetch_and_archive(urls, ours, out, batch))
    took, cpu = time.monotonic() - t0, time.process_time() - c0
    ours.send_bytes(b"")
    second.join()
    print(
        f"batch {batch:4d}, run {number}: {pages} pages in {took:.2f} s = {pages / took:.0f} pages/s; "
        f"first stage CPU per page {cpu / pages * 1000:.2f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--batch", type=int, action="append", help="pages per message (repeatable)")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    from gongkai.crawl.archive import read_archive

    proc, seeds = start_server(20, 1, 1.0)
    tmp = Path(tempfile.mkdtemp(prefix="stage-probe-"))
    try:
        warm = run_gongkai(seeds, tmp / "warm", rate=1e6, conc=4, max_pages=100_000, extract=False)
        stop_server(proc)
        proc = None
        archives = [r.archive for r in warm["results"]]
        urls = [r.url for a in archives for r in read_archive(a) if not r.error and r.url.startswith("http")]
        with StaticFleet(archives, tmp / "nginx"):
            for batch in args.batch or [8, 32, 128]:
                for number in range(1, args.runs + 1):
                    probe(urls, tmp, batch, number)
    finally:
        if proc is not None:
            stop_server(proc)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
