"""The crawl's entry points: `crawl_many` (a batch of sites, in this process or sharded over several),
`crawl_site` (one site, with its site model), `fetch_url` (one URL, for re-verifying a link), and
`run_sync` to run them from sync code.

The stages they orchestrate, in the order a page meets them: `fetch` (aiohttp, per-host slots, the egress
guard) and `polite`; `render` (script-filled lists); `discover` (links, pagination) and the frontier
(`frontier`); `archive` (WARC); `facts`, `extract` and `catalogue` (-> `sitemodel`). One site's crawl is
`host.HostCrawl`; its state and resumption `checkpoint`.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Coroutine, Iterable, Mapping
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit

from gongkai.crawl.batch import crawl_here, prepare_batch
from gongkai.crawl.fetch import Fetched, Fetcher
from gongkai.crawl.host import Progress
from gongkai.crawl.polite import CrawlConfig, host_of
from gongkai.crawl.result import CrawlResult
from gongkai.crawl.shard import crawl_sharded

T = TypeVar("T")


async def crawl_many(
    urls: Iterable[str],
    out_dir: Path,
    config: CrawlConfig | None = None,
    progress: Progress | None = None,
    previous_archives: dict[str, Path] | None = None,
    *,
    extract: bool = False,
    on_result: Callable[[int, CrawlResult], None] | None = None,
    zhuanlans: Mapping[str, str] | None = None,
    keep_finished: bool = True,
) -> list[CrawlResult]:
    """Crawl many sites at once (at most `config.host_concurrency` hosts in flight); one slow host
    never stalls the others since each has its own queue, workers and time budget.

    With `config.processes` > 1 the hosts are sharded over that many worker processes (see
    `gongkai.crawl.shard`). With `extract`, every result comes back with its site model extracted.
    `on_result(index in urls, result)` is called as each site finishes, before the others have.
    `zhuanlans` (start URL -> 政府信息公开 column URL) names a site's 专栏 when it lives elsewhere.

    Rerunning a batch resumes it: a site whose crawl finished in `out_dir` is kept as it is (a result
    with `kept`, nothing fetched) unless `keep_finished` is off or the site has a previous archive
    (an incremental crawl is asked for on purpose); an interrupted one resumes. Each site's lock is held
    while it is crawled; `SiteBusy` when another process crawls one of the sites into `out_dir`."""
    config = config or CrawlConfig()
    urls = list(urls)
    if config.processes <= 1 or len(urls) <= 1:
        return await crawl_here(
            urls,
            out_dir,
            config,
            progress,
            previous_archives,
            extract=extract,
            on_result=on_result,
            zhuanlans=zhuanlans,
            keep_finished=keep_finished,
        )
    return await crawl_sharded(
        urls,
        prepare_batch(urls, out_dir),
        config,
        progress,
        previous_archives,
        extract=extract,
        on_result=on_result,
        zhuanlans=zhuanlans,
        keep_finished=keep_finished,
    )


def crawl_site(
    url: str,
    out_dir: Path,
    config: CrawlConfig | None = None,
    progress: Progress | None = None,
    previous_archive: Path | None = None,
    *,
    zhuanlan: str = "",
) -> CrawlResult:
    """Crawl one site politely into `<out_dir>/<host>.warc.gz` and extract its site model; `zhuanlan`
    names its 政府信息公开 column when that lives elsewhere (another host, a provincial platform).
    An interrupted crawl of the site in `out_dir` resumes; a finished one is crawled again (a new
    evaluation or a re-verification wants today's site, unlike a rerun batch)."""
    url = normalise_seed(url)
    prev = {url: Path(previous_archive)} if previous_archive else None
    columns = {url: normalise_seed(zhuanlan)} if zhuanlan else None
    crawl = crawl_many(
        [url], out_dir, config, progress, prev, extract=True, zhuanlans=columns, keep_finished=False
    )
    return run_sync(crawl)[0]


def normalise_seed(url: str) -> str:
    """An operator's site address as a crawl seed: `http://` added when missing; anything else refused."""
    url = url.strip()
    if not urlsplit(url).scheme:
        url = "http://" + url
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"网址无效：{url}")
    if "@" in parts.netloc:
        raise ValueError(f"网址不能含用户名或密码：{url}")
    return url


async def _fetch_one(url: str, config: CrawlConfig) -> Fetched:
    async with Fetcher(config, {host_of(url)}) as f:
        return await f.fetch(url)


def fetch_url(url: str, config: CrawlConfig | None = None) -> Fetched:
    """Fetch one URL politely (robots not consulted; rate and retries apply) for re-verifying a link.

    The host of `url` is allowed even on loopback (the caller named it)."""
    return run_sync(_fetch_one(url, config or CrawlConfig()))


def run_sync(coro: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine to completion from sync code, even when this thread already runs a loop."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coro)
    box: dict[str, Any] = {}

    def target() -> None:
        try:
            box["v"] = asyncio.run(coro)
        except BaseException as exc:  # noqa: BLE001 - re-raised in the caller's thread
            box["e"] = exc

    t = threading.Thread(target=target)
    t.start()
    t.join()
    if "e" in box:
        raise box["e"]
    return box["v"]
