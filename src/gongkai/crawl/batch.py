"""Many sites crawled in this process (`crawl_here`): one fetcher and one browser shared, each site its own
`HostCrawl` under its lock, a site whose crawl finished kept as it is. `gongkai.crawl.engine.crawl_many`
runs it here or, over several processes, in each worker of `gongkai.crawl.shard`.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import threading
from collections.abc import AsyncIterator, Callable, Mapping
from pathlib import Path
from typing import Any

from gongkai.crawl.archive import archive_name
from gongkai.crawl.fetch import Fetcher
from gongkai.crawl.host import HostCrawl, Progress
from gongkai.crawl.locks import ensure_free, site_lock
from gongkai.crawl.polite import CrawlConfig, host_of
from gongkai.crawl.render import Renderer
from gongkai.crawl.result import CrawlResult, kept_result


def prepare_batch(urls: list[str], out_dir: Path) -> Path:
    """The batch's directory, made; its sites distinct and none being crawled by another process
    (`SiteBusy`)."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    check_distinct_sites(urls)
    ensure_free([out_dir / archive_name(u) for u in urls])
    return out_dir


async def crawl_here(
    urls: list[str],
    out_dir: Path,
    config: CrawlConfig,
    progress: Progress | None = None,
    previous_archives: dict[str, Path] | None = None,
    *,
    extract: bool = False,
    on_result: Callable[[int, CrawlResult], None] | None = None,
    zhuanlans: Mapping[str, str] | None = None,
    keep_finished: bool = True,
) -> list[CrawlResult]:
    """`crawl_many` in this process (at most `config.host_concurrency` hosts in flight)."""
    out_dir = prepare_batch(urls, out_dir)
    gate = asyncio.Semaphore(config.host_concurrency)
    zhuanlans = {u: z for u, z in (zhuanlans or {}).items() if z and z != u}
    allowed = {host_of(u) for u in [*urls, *zhuanlans.values()]}
    async with Fetcher(config, allowed) as fetcher, Renderer(config, fetcher) as renderer, _fewer_gc_passes():

        async def one(index: int, url: str) -> CrawlResult:
            async with gate:
                prev = (previous_archives or {}).get(url)
                with site_lock(out_dir / archive_name(url)):
                    result = kept_result(url, out_dir) if keep_finished and prev is None else None
                    if result is not None and progress is not None:  # its row in a live display
                        progress(_kept_event(result))
                    if result is None:
                        crawl = HostCrawl(
                            url,
                            out_dir,
                            config,
                            fetcher,
                            progress,
                            prev,
                            collect=extract,
                            zhuanlan=zhuanlans.get(url, ""),
                            renderer=renderer,
                        )
                        result = await crawl.run()
            if extract:
                result.site_model  # noqa: B018 - a resumed crawl's model is read from its archive now
            if on_result is not None:
                on_result(index, result)
            return result

        return list(await asyncio.gather(*(one(i, u) for i, u in enumerate(urls))))


def _kept_event(result: CrawlResult) -> dict[str, Any]:
    host = host_of(result.site)
    return {
        "host": host,
        "url": result.site,
        "pages": result.pages,
        "queue": 0,
        "errors": result.errors,
        "rate": 0.0,
    }


_gc_lock = threading.Lock()
_gc_users = 0  # crawls running in this process (threads of a web worker may run several)
_gc_saved: tuple[int, int, int] = (700, 10, 10)


@contextlib.asynccontextmanager
async def _fewer_gc_passes() -> AsyncIterator[None]:
    """A crawl allocates many small objects it keeps (page facts, rows, links) and little cyclic garbage;
    Python's default (a young-generation pass every 700 allocations) rescans them for nothing. A larger
    young generation saves about 5% of the CPU per page; 200,000 rather than 50,000 halves the collector's
    time again (most young objects are freed by reference counting before a pass: fewer passes meet
    fewer survivors, and the middle generation is rescanned a tenth as often). The first crawl in the
    process raises it and the last one to end restores it, so crawls running side by side in threads do
    not undo each other."""
    global _gc_users, _gc_saved
    with _gc_lock:
        if _gc_users == 0:
            _gc_saved = gc.get_threshold()
            gc.set_threshold(max(_gc_saved[0], 200_000), _gc_saved[1], _gc_saved[2])
        _gc_users += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_users -= 1
            if _gc_users == 0:
                gc.set_threshold(*_gc_saved)


def check_distinct_sites(urls: list[str]) -> None:
    """One archive per host: two start URLs on one host would write into the same file at once."""
    seen: dict[str, str] = {}
    for url in urls:
        name = archive_name(url)
        if name in seen:
            raise ValueError(
                f"同一站点给出了两个起始网址：{seen[name]} 与 {url}（每个站点只写一个归档，请只保留一个；同一网站下各单位的页面抓取后按网址前缀归属）"
            )
        seen[name] = url
