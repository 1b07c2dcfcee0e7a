"""Crawl many sites on several cores: hosts are sharded over worker processes.

A host lives in exactly one process, so its rate limit, concurrency cap and robots.txt hold as in a
single process; only the CPU work (parsing, archiving, extracting the site model) spreads over cores.
Workers start from a fork server that has gongkai.crawl imported already (no fork of a threaded
parent), report progress at most every `_FLUSH_S` seconds per host, and send back each site's result
(with its site model when asked) as soon as that site is done, so the transfer overlaps the crawl. An
interrupted worker leaves resumable archives behind, like a single-process crawl: running the same crawl
again fetches only what is missing. A worker dies with its parent (`locks.die_with_parent`): a killed
batch leaves no process crawling on, and each site's lock (`locks.site_lock`) is held by the worker
crawling it, so a rerun beside a worker still saving its state is refused rather than run twice.
"""

from __future__ import annotations

import asyncio
import dataclasses
import multiprocessing
import os
import queue
import signal
import sys
from collections.abc import Callable
from multiprocessing.reduction import ForkingPickler
from pathlib import Path
from typing import Any

from gongkai.crawl.batch import crawl_here
from gongkai.crawl.polite import CrawlConfig

_FLUSH_S = 0.25  # progress forwarding interval: a display refreshes 4 times a second at most
_JOIN_S = 5.0  # grace for workers to save their state after an interrupt


def shards(urls: list[str], n: int) -> list[list[int]]:
    """Indices of `urls` per worker, dealt round-robin so large and small sites mix."""
    return [list(range(i, len(urls), n)) for i in range(min(n, len(urls)))]


def _context() -> Any:
    if sys.platform.startswith("linux"):
        ctx = multiprocessing.get_context("forkserver")
        # the attachment readers too: otherwise every worker imports pypdfium2 (~25 ms) on its first PDF
        ctx.set_forkserver_preload(["gongkai.crawl.batch", "pypdfium2", "python_calamine"])
        return ctx
    return multiprocessing.get_context("spawn")


def _worker(
    number: int,
    urls: list[str],
    out_dir: Path,
    config: CrawlConfig,
    previous: dict[str, Path] | None,
    extract: bool,
    with_progress: bool,
    outbox: Any,
    zhuanlans: dict[str, str] | None = None,
    parent_end: Any = None,
    keep_finished: bool = True,
) -> None:
    from gongkai.crawl.locks import SiteBusy, die_with_parent

    if parent_end is not None:
        die_with_parent(parent_end, _JOIN_S)

    latest: dict[str, dict[str, Any]] = {}

    def remember(event: dict[str, Any]) -> None:
        latest[event["host"]] = event

    def flush() -> None:
        if latest:
            outbox.put(("progress", list(latest.values())))
            latest.clear()

    async def forward() -> None:
        while True:
            await asyncio.sleep(_FLUSH_S)
            flush()

    def send(index: int, result: Any) -> None:
        # pickled now rather than later by the queue's feeder thread, so the model can go at once: a
        # worker's memory stays bounded by its sites in flight, not by all the sites it crawled; the
        # model travels packed, and the parent unpacks only the models it reads
        result.pack_model()
        outbox.put(("result", (number, index, bytes(ForkingPickler.dumps(result)))))
        result.release_model()

    async def main() -> None:
        ticker = asyncio.create_task(forward())
        try:
            progress = remember if with_progress else None
            await crawl_here(
                urls,
                out_dir,
                config,
                progress,
                previous,
                extract=extract,
                on_result=send,
                zhuanlans=zhuanlans,
                keep_finished=keep_finished,
            )
        finally:
            ticker.cancel()

    try:
        asyncio.run(main())
    except SiteBusy as exc:
        outbox.put(("busy", str(exc)))
        return
    except BaseException as exc:  # noqa: BLE001 - reported to the parent, which raises it in Chinese
        outbox.put(("error", f"{type(exc).__name__}: {exc}"))
        return
    flush()
    outbox.put(("done", number))  # after all of this worker's results: one queue keeps their order


async def crawl_sharded(
    urls: list[str],
    out_dir: Path,
    config: CrawlConfig,
    progress: Callable[[dict[str, Any]], None] | None,
    previous_archives: dict[str, Path] | None,
    *,
    extract: bool,
    on_result: Callable[[int, Any], None] | None = None,
    zhuanlans: dict[str, str] | None = None,
    keep_finished: bool = True,
) -> list[Any]:
    """`crawl_many` over `config.processes` worker processes; results come back in the order of `urls`."""
    from gongkai.crawl.locks import SiteBusy

    ctx = _context()
    outbox = ctx.Queue()
    # the workers' ends of a pipe nobody writes to: it closes, and they stop, when this process dies
    watched, alive = ctx.Pipe(duplex=False)
    single = dataclasses.replace(config, processes=1)
    parts = shards(urls, config.processes)
    workers = []
    for indices in parts:
        mine = [urls[i] for i in indices]
        prev = {u: p for u, p in (previous_archives or {}).items() if u in mine} or None
        columns = {u: z for u, z in (zhuanlans or {}).items() if u in mine} or None
        args = (len(workers), mine, out_dir, single, prev, extract, progress is not None, outbox, columns)
        args += (watched, keep_finished)
        workers.append(ctx.Process(target=_worker, args=args, name="gongkai-crawl", daemon=True))
    for w in workers:
        w.start()
    results: list[Any] = [None] * len(urls)
    loop = asyncio.get_running_loop()
    finished = False
    try:
        pending = len(workers)
        while pending:
            kind, payload = await loop.run_in_executor(None, _next_message, outbox, workers)
            if kind == "progress" and progress is not None:
                for event in payload:
                    progress(event)
            elif kind == "result":
                number, index, blob = payload
                result = ForkingPickler.loads(blob)
                results[parts[number][index]] = result
                if on_result is not None:
                    on_result(parts[number][index], result)
            elif kind == "done":
                pending -= 1
            elif kind == "busy":
                raise SiteBusy(payload)
            elif kind == "error":
                raise RuntimeError(f"抓取子进程出错：{payload}；已抓取的页面保留在归档中，重新运行即可续抓")
            elif kind == "died":
                raise RuntimeError(
                    f"抓取子进程意外退出（退出码 {payload}）；已抓取的页面保留在归档中，重新运行即可续抓"
                )
        finished = True
    finally:
        _stop(workers, interrupt=not finished)
        alive.close()
        watched.close()
    return results


def _next_message(outbox: Any, workers: list[Any]) -> tuple[str, Any]:
    """The next message from the workers, or ("died", exit code) when one exits without reporting."""
    while True:
        try:
            return outbox.get(timeout=0.5)
        except queue.Empty:
            dead = [w for w in workers if w.exitcode not in (None, 0)]
            if dead:
                return "died", dead[0].exitcode


def _stop(workers: list[Any], *, interrupt: bool) -> None:
    """Wait for the workers; after a failure or an interrupt, ask them to save their state first."""
    for w in workers:
        if interrupt and w.is_alive() and w.pid:
            os.kill(w.pid, signal.SIGINT)  # the worker's crawl suspends: archive flushed, state resumable
    for w in workers:
        w.join(_JOIN_S)
    for w in workers:
        if w.is_alive():
            w.kill()  # SIGTERM would only ask again (a worker takes it as its parent's death)
            w.join()
