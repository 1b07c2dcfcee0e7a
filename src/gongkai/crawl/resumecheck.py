"""Checking a resumed crawl against an uninterrupted one: a crawl cancelled on purpose after N pages
(`crawl_until`), what the two must share (`model_shape`) and the pages asked twice (`refetched`).

Shared by the exact-resume tests (tests/crawl/test_resume_exact.py) and bench/resume_bench.py.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import Counter
from pathlib import Path
from typing import Any

from gongkai.crawl.archive import CRAWL_INFO_URI, read_archive
from gongkai.crawl.engine import crawl_many
from gongkai.crawl.polite import CrawlConfig
from gongkai.crawl.resource import canonical
from gongkai.crawl.result import CrawlResult
from gongkai.model import SiteModel


def model_shape(m: SiteModel) -> dict[str, object]:
    """What a resumed crawl must reproduce: pages' URLs, columns, items, documents, links, partial."""
    return {
        "pages": sorted(p.url for p in m.pages),
        "columns": sorted((c.name, c.kind, c.url, len(c.items), c.pages) for c in m.columns),
        "items": sorted((i.url, i.title, str(i.date)) for i in m.items),
        "documents": sorted((d.url, d.title, d.index_number, d.publisher) for d in m.documents),
        "links": sorted((link.url, str(link.status)) for link in m.links),
        "partial": m.partial,
    }


def refetched(archive: Path) -> dict[str, int]:
    """Pages archived more than once (asked again after an interruption): URL -> extra copies."""
    counts = Counter(
        canonical(r.url)
        for r in read_archive(archive)
        if r.url != CRAWL_INFO_URI
        and not r.error
        and not r.extra.get("probe")
        and not r.extra.get("rendered")
    )
    return {url: n - 1 for url, n in sorted(counts.items()) if n > 1}


def crawl_until(url: str, out: Path, config: CrawlConfig, stop_at: int = 0) -> CrawlResult | None:
    """Crawl `url` into `out` with its site model; with `stop_at`, cancel the crawl once it has `stop_at`
    pages (as Ctrl+C does): None then."""

    async def main() -> CrawlResult | None:
        task: asyncio.Task[list[CrawlResult]] | None = None

        def progress(event: dict[str, Any]) -> None:
            if stop_at and event["pages"] >= stop_at and task is not None:
                task.cancel()

        task = asyncio.ensure_future(crawl_many([url], out, config, progress, extract=True))
        with contextlib.suppress(asyncio.CancelledError):
            return (await task)[0]
        return None

    return asyncio.run(main())
