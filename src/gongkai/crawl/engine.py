"""The crawl loop: one `HostCrawl` per site, many at once in `crawl_many`, budgets, traps, resume.

A host crawl fetches robots.txt, then its start page, and walks same-host links breadth-first with
`concurrency_per_host` workers; pagination found by `extract.discover` stays at the same depth.
Everything fetched goes to `<out>/<host>.warc.gz`; `<archive>.state.json` beside it (`CrawlState`)
says whether the crawl finished, and keeps what the archive cannot tell (time budget used, faults, a
host given up). A crawl that finds an unfinished state resumes: it keeps the archive's whole records
and replays their discoveries offline, in the order they were archived, through the same frontier and
trap guard, so its queue, seen set, depths and trap counters are those the interrupted crawl had;
it fetches only what is missing. A batch (`crawl_many`) keeps a site whose crawl finished instead of
crawling it again (`keep_finished`). With `previous_archive`, pages are asked conditionally
(If-None-Match / If-Modified-Since) and unchanged ones are copied over.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import functools
import gc
import hashlib
import pickle
import re
import threading
import time
from collections.abc import AsyncIterator, Callable, Collection, Coroutine, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from gongkai.crawl.archive import CRAWL_INFO_URI, ArchiveWriter, Record, last_good_offset, read_archive
from gongkai.crawl.blocking import BROKEN_MARKUP, block_reason, broken_markup
from gongkai.crawl.egress import REFUSED
from gongkai.crawl.extract import (
    SKIP_EXT,
    Discovery,
    body_kind,
    discover,
    ext_of,
    is_attachment,
    strip_fragment,
)
from gongkai.crawl.facts import PageFacts, page_facts, zhuanlan_links, zhuanlan_targets
from gongkai.crawl.fetch import ERROR_TEXT, Fetched, Fetcher
from gongkai.crawl.frontier import (
    CATALOGUE,
    DETAIL,
    HUB,
    LIST,
    CutLedger,
    TrapGuard,
    link_rank,
    page_number,
    priority,
)
from gongkai.crawl.locks import ensure_free, site_lock
from gongkai.crawl.polite import CrawlConfig, host_of, robots_stop, same_organisation
from gongkai.crawl.render import Renderer, ScriptedReader
from gongkai.crawl.scripted import request_of
from gongkai.crawl.sitemodel import SiteFacts, build_model, extract_archive
from gongkai.crawl.state import CrawlState, state_path_of
from gongkai.model import SiteModel

Progress = Callable[[dict[str, Any]], None]
T = TypeVar("T")

_SESSION_PARAMS = {"jsessionid", "phpsessid", "sessionid", "aspsessionid", "sid_token", "cfid", "cftoken"}


_PROBES_AT_ONCE = 8
# probe outcomes that say nothing of the link: not asked (refused by the egress guard, robots, a stopped
# host)
_NOT_ASKED = (*REFUSED, "robots", "stopped")
# outcomes that mean no connection was made at all: all of them at once means this machine is offline
_UNREACHABLE = ("dns", "refused", "timeout", "client")


ModelCounts = tuple[int, int, int]  # columns, items, documents of a site model


@dataclass
class CrawlResult:
    """The outcome of one site's crawl. `site_model` is built by the crawl itself (`extract=True`), else
    extracted from the archive on first use.

    A worker process sends its results with the model packed (`pack_model`): unpickling a model costs
    about as much as assembling it, so the receiving process only pays for the models it reads, and a
    batch that only counts them (`model_counts`) never does."""

    site: str
    archive: Path
    pages: int
    errors: int
    partial: bool
    faults: list[str] = field(default_factory=list)
    reused: int = 0  # pages copied from the previous archive (unchanged)
    resumed: bool = False
    kept: bool = False  # finished before: its archive kept as it was, nothing fetched (batch rerun)
    rendered: int = 0  # script-filled pages read from the DOM a browser built (see crawl.render)
    elapsed_s: float = 0.0
    _model: SiteModel | None = field(default=None, repr=False)
    _packed: bytes | None = field(default=None, repr=False)
    _counts: ModelCounts | None = field(default=None, repr=False)

    @property
    def site_model(self) -> SiteModel:
        if self._model is None and self._packed is not None:
            self._model, self._packed = pickle.loads(self._packed), None
        elif self._model is None:
            self._model = extract_archive(self.archive, self.site)
        return self._model

    @property
    def model_counts(self) -> ModelCounts:
        """Columns, items and documents of the site model (kept when the model is packed or released)."""
        if self._counts is None:
            m = self.site_model
            self._counts = (len(m.columns), len(m.items), len(m.documents))
        return self._counts

    def pack_model(self) -> None:
        """Pickle the model now (before sending the result to another process), keeping its counts."""
        if self._model is not None:
            self.model_counts  # noqa: B018 - counted while the model is at hand
            self._packed, self._model = pickle.dumps(self._model, protocol=pickle.HIGHEST_PROTOCOL), None

    def release_model(self) -> None:
        """Let the site model go (a batch keeps only what it needs of each site); reading `site_model`
        again rebuilds it from the archive."""
        self._model = self._packed = None


@functools.lru_cache(maxsize=65_536)
def canonical(url: str) -> str:
    """Dedupe key: no fragment, no session ids, sorted query."""
    parts = urlsplit(url)
    path = re.sub(r";jsessionid=[^/?#]*", "", parts.path, flags=re.I) or "/"
    query = [
        (k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k.lower() not in _SESSION_PARAMS
    ]
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), path, urlencode(sorted(query)), ""))


def archive_name(url: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", host_of(url)) + ".warc.gz"


class HostCrawl:
    """Crawl one site into one WARC file."""

    def __init__(
        self,
        url: str,
        out_dir: Path,
        config: CrawlConfig,
        fetcher: Fetcher,
        progress: Progress | None = None,
        previous_archive: Path | None = None,
        *,
        collect: bool = False,
        zhuanlan: str = "",
        renderer: Renderer | None = None,
    ) -> None:
        self.seed = url if urlsplit(url).path else url + "/"
        self.own_renderer = renderer is None  # a single crawl starts (and closes) its own, if it needs one
        self.scripted = ScriptedReader(config, renderer or Renderer(config, fetcher))
        # the unit's 政府信息公开 column as its record names it: read as the 专栏 wherever it lives
        self.zhuanlan = zhuanlan
        self.config = config
        self.fetcher = fetcher
        self.progress = progress
        self.hosts = {host_of(self.seed)}
        fetcher.allowed_hosts.add(host_of(self.seed))
        self.archive_path = Path(out_dir) / archive_name(self.seed)
        self.state_path = state_path_of(self.archive_path)
        self.previous = _previous_index(previous_archive) if previous_archive else {}
        # catalogue before details (see gongkai.crawl.frontier): (priority, url, depth, rank)
        self.queue: asyncio.PriorityQueue[tuple[tuple[int, int, int], str, int, int]] = (
            asyncio.PriorityQueue()
        )
        self._seq = 0
        self.seen: set[str] = set()
        # links (as written) whose `_enqueue` outcome cannot change: queued or seen already, another
        # site's (until a host is adopted), a skipped type. A page's links are mostly these (navigation
        # repeats on every page): they are passed over before any ranking, parsing or queueing
        self._settled: set[str] = set()
        self._saved: tuple[object, ...] = ()  # what the last state saved holds that a resume restores
        self._saved_at = 0.0
        self.guard = TrapGuard(config.max_query_variants, config.max_list_pages)
        self.query_variants = self.guard.query_variants
        self.cuts = CutLedger()
        self.too_deep: set[str] = set()  # links beyond max_depth (a budget cut unless met shallower later)
        self.read = 0  # usable pages: answered 2xx and not a block
        self.forbidden_run: list[str] = []  # paths of the 403s answered in a row
        self.capped: set[str] = set()  # lists whose pagination reached max_list_pages
        self.catalogue_busy = 0  # catalogue and list pages being read: details wait for them
        self.catalogue_idle = asyncio.Event()
        self.catalogue_idle.set()
        self.pages = 0
        self.errors = 0
        self.reused = 0
        self.partial = False
        self.faults: list[str] = []
        self.unverified_hosts: set[str] = set()  # read without certificate verification (fault noted)
        self.consecutive_errors = 0
        self.inflight = 0  # fetches under way, so concurrent workers cannot overshoot max_pages
        self.deadline = 0.0
        self.resumed = False
        self.used_s = 0.0  # time budget used by the runs before this one (a resumed crawl)
        self.writer: ArchiveWriter | None = None
        # with `collect`, the facts of every page are kept as it is fetched, so the site model is ready
        # when the crawl ends (no second reading of the archive, no second parse of any page)
        self.facts: SiteFacts | None = SiteFacts(self.seed) if collect else None
        # a collecting crawl ranks links by the page's facts (list rows are details); a resumed one
        # keeps doing so though its model comes from the archive, so both fetch in the same order
        self.rank_by_facts = collect
        self.hubs: set[str] = set()  # 专栏 candidates linked from the homepage: their column links are read
        self.external: dict[str, None] = {}  # links to other sites, in the order met, probed at the end
        self._t0 = 0.0

    # --------------------------------------------------------------------------------- public
    async def run(self) -> CrawlResult:
        self._t0 = time.monotonic()
        self._open()
        self.deadline = self._t0 + self.config.time_budget_s - self.used_s
        interrupted = False
        try:
            if self.config.respect_robots:
                await self._robots()  # resumed: read again, archived again only if the kill lost it
                if self.resumed:
                    await self._other_hosts_robots()
            if not self.resumed:
                self._enqueue(self.seed, 0, force=True)
            if self.zhuanlan:
                await self._start_zhuanlan()
            workers = [asyncio.create_task(self._worker()) for _ in range(self.config.concurrency_per_host)]
            await self.queue.join()
            for w in workers:
                w.cancel()
            await asyncio.gather(*workers, return_exceptions=True)
            await self._probe_external()
        except BaseException:
            interrupted = True  # cancelled, Ctrl+C or a crash: keep the archive resumable
            raise
        finally:
            if self.own_renderer:
                await self.scripted.renderer.close()
            if interrupted:
                self._suspend()
            else:
                self._finish()
        model = None
        if self.facts is not None:
            model = build_model(self.facts, str(self.archive_path))
        return CrawlResult(
            site=self.seed,
            archive=self.archive_path,
            pages=self.pages,
            errors=self.errors,
            partial=self.partial,
            faults=self.faults,
            reused=self.reused,
            resumed=self.resumed,
            elapsed_s=time.monotonic() - self._t0,
            rendered=self.scripted.rendered,
            _model=model,
        )

    # ------------------------------------------------------------------------------ lifecycle
    def _open(self) -> None:
        state = CrawlState.read(self.state_path)
        if state and not state.finished and self.archive_path.exists():
            self.resumed = True
            self._restore(state)
            good = last_good_offset(self.archive_path)
            with open(self.archive_path, "r+b") as fh:
                fh.truncate(good)
            self.writer = ArchiveWriter(self.archive_path, append=True)
            self.facts = None  # pages fetched before the interruption: the model comes from the archive
            self._rebuild_frontier()
        else:
            self.writer = ArchiveWriter(self.archive_path)
        self._save_state(finished=False)

    def _restore(self, state: CrawlState) -> None:
        """What the archive cannot tell, from the state the interrupted run saved."""
        # the site's other hosts met before the interruption (adopted: still judged by the egress guard)
        self.hosts.update(state.hosts)
        self.faults = list(state.faults)
        self.partial = state.partial
        self.reused = state.reused
        self.scripted.rendered = state.rendered
        self.used_s = state.elapsed_s
        self.consecutive_errors = state.consecutive_errors
        if state.stopped:  # given up before the interruption: given up still
            self.fetcher.slot(self.seed).stopped = state.stopped
            self.partial = True

    def _rebuild_frontier(self) -> None:
        """Replay the archive: every archived page's links go through `_enqueue` (its trap guard and
        counters) in the order the pages were archived, as they went when fetched; then the pages
        archived leave the queue. The queue, seen set, depths and trap counters come out as the
        interrupted crawl had them, so the resumed crawl fetches what an uninterrupted one would."""
        records = [r for r in read_archive(self.archive_path) if r.url != CRAWL_INFO_URI]
        # a rendered DOM stands for the response it refers to: its links are those the crawl followed
        rendered = {str(r.extra.get("refers_to")): r for r in records if r.extra.get("rendered")}
        done: set[str] = set()
        # key -> queue item (priority, URL, depth, rank), in the order they were queued
        queued: dict[str, tuple[tuple[int, int, int], str, int, int]] = {}
        self._enqueue(self.seed, 0, force=True)
        if self.zhuanlan:
            self._enqueue(self.zhuanlan, 0, force=True)
        queued.update((canonical(item[1]), item) for item in self._drain())
        self.pages = self.errors = self.read = 0
        self._recall_cuts(records)
        for r in records:
            done.add(canonical(r.url))
            if r.extra.get("probe") or r.extra.get("rendered"):
                continue  # a link to another site, probed (not to be probed again); a DOM (see above)
            if r.error:
                self.errors += r.error not in (*REFUSED, "robots", "stopped")
                continue
            if urlsplit(r.url).path == "/robots.txt":
                continue  # read before the site's pages (`_robots`), not one of them
            self.pages += 1
            self.errors += ((r.status or 0) >= 400) + r.truncated  # as `_visit` counts them
            self.read += 200 <= (r.status or 0) < 300
            _, _, d, rank = queued.get(canonical(r.url), ((0, 0, 0), r.url, 0, CATALOGUE))
            hops, pages = self._replayed_links(r, rendered.get(r.record_id), d, rank)
            for url, nrank in pages:
                self._enqueue(url, d, rank=nrank)
            for url, nrank in hops:
                self._enqueue(url, d + 1, rank=nrank)
            queued.update((canonical(item[1]), item) for item in self._drain())
        self.seen.update(done)
        for key, item in queued.items():
            if key not in done:
                self.queue.put_nowait(item)

    def _replayed_links(
        self, r: Record, dom: Record | None, depth: int, rank: int
    ) -> tuple[list[tuple[str, int]], list[tuple[str, int]]]:
        """An archived page's links with their ranks, found as `_visit` found them when it was fetched."""
        facts = (
            None
            if dom is not None
            else self._keep_facts(r.url, depth, r.status or 0, r.headers, r.body, r.record_id)
        )
        if facts is not None:
            return self._ranked_next(facts, rank, self._settled)
        page = dom or r
        return self._ranked_discovery(page.url, page.body, page.content_type, page.status, rank)

    def _drain(self) -> list[tuple[tuple[int, int, int], str, int, int]]:
        """Take everything queued so far (while the frontier is replayed, before any worker runs)."""
        items = []
        while not self.queue.empty():
            items.append(self.queue.get_nowait())
            self.queue.task_done()
        return items

    def _recall_cuts(self, records: Iterable[Record]) -> None:
        """After a resume, the pages that failed before the interruption are not asked again: they stay
        cut (their rank is no longer known, so they count as the catalogue's)."""
        for r in records:
            if r.error and r.error not in ("robots", "private"):
                self._cut_page(r.url, ERROR_TEXT.get(r.error, r.error), CATALOGUE)
            elif not r.error and (r.status or 0) >= 500:
                self._cut_page(r.url, f"服务器错误 HTTP {r.status}", CATALOGUE)

    def _finish(self) -> None:
        if self.writer is None:
            return
        if not self.queue.empty():
            self.partial = True
        for message in self.scripted.faults:  # script-filled pages not read: their columns not judged
            self.partial = True
            self._fault(message)
        if self.too_deep:
            why = f"超过链接深度上限 {self.config.max_depth}，未抓取"
            self.cuts.note(f"{len(self.too_deep)} 个链接", why, catalogue=False)
        cuts = self.cuts.cuts()
        self.partial = self.partial or any(c.lost for c in cuts)
        info: dict[str, object] = {
            "seed": self.seed,
            "partial": self.partial,
            "coverage": {
                "cuts": CutLedger.as_records(cuts),
                "read": self.read,
                "rendered": self.scripted.rendered,
                "budget_used": self._budget_used(),
            },
            "faults": self.faults,
            "pages": self.pages,
            "errors": self.errors,
            "reused": self.reused,
            "rendered": self.scripted.rendered,
            "finished_at": dt.datetime.now(dt.UTC).isoformat(),
            "user_agent": self.config.user_agent,
        }
        if self.zhuanlan:
            info["zhuanlan"] = self.zhuanlan
        self.writer.write_metadata(CRAWL_INFO_URI, info)
        if self.facts is not None:
            self.facts.info = info
        self.writer.close()
        self._save_state(finished=True)

    def _budget_used(self) -> float:
        """The larger share spent of the page and the time budget."""
        pages = self.pages / self.config.max_pages
        spent = (
            (time.monotonic() - self._t0) / self.config.time_budget_s if self.config.time_budget_s else 0.0
        )
        return round(min(1.0, max(pages, spent)), 4)

    def _suspend(self) -> None:
        """Close the archive on its last whole record and leave the state unfinished, so a rerun resumes."""
        if self.writer is None:
            return
        self.writer.close()
        self._save_state(finished=False)

    def _save_state(self, *, finished: bool) -> None:
        self._state(finished=finished).write(self.state_path)
        self._saved, self._saved_at = self._restorable(), time.monotonic()

    def _restorable(self) -> tuple[object, ...]:
        """What the state holds that a resume restores and the archive cannot tell, the time used aside
        (faults and hosts only grow: their counts tell whether they changed)."""
        stopped = self.fetcher.slot(self.seed).stopped
        return (self.partial, len(self.hosts), len(self.faults), self.reused, self.scripted.rendered,
                self.consecutive_errors, stopped)  # fmt: skip

    def _checkpoint(self) -> None:
        """The state at a flush of the archive: saved unless nothing a resume restores has changed since
        the last save, less than a second ago (a fast crawl flushes many times a second; the time used
        is then at most a second behind)."""
        if self._restorable() != self._saved or time.monotonic() - self._saved_at >= 1.0:
            self._save_state(finished=False)

    def _state(self, *, finished: bool) -> CrawlState:
        return CrawlState(
            seed=self.seed,
            archive=self.archive_path.name,
            finished=finished,
            pages=self.pages,
            errors=self.errors,
            partial=self.partial,
            hosts=sorted(self.hosts),
            faults=list(self.faults),
            reused=self.reused,
            rendered=self.scripted.rendered,
            elapsed_s=self.used_s + (time.monotonic() - self._t0 if self._t0 else 0.0),
            consecutive_errors=self.consecutive_errors,
            stopped=self.fetcher.slot(self.seed).stopped,
            saved_at=dt.datetime.now(dt.UTC).isoformat(),
        )

    # ------------------------------------------------------------------------------- frontier
    def _enqueue(self, url: str, depth: int, *, force: bool = False, rank: int | None = None) -> None:
        """Queue a URL once, by rank (HUB for what the crawl is told to read, else CATALOGUE unless said)."""
        if not force and url in self._settled:
            return
        key = canonical(url)
        if key in self.seen:
            self._settled.add(url)
            return
        parts = urlsplit(url)
        if not force:
            if parts.netloc.lower() not in self.hosts or parts.scheme not in ("http", "https"):
                self._note_external(url, parts)
                self._settled.add(url)  # noted once (until its host is adopted)
                return
            if ext_of(url) in SKIP_EXT:
                self._settled.add(url)
                return
            attachment = is_attachment(url)
            if attachment and not self.config.fetch_attachments:
                self._settled.add(url)
                return
            if depth > self.config.max_depth:
                self.too_deep.add(key)
                return
            # an attachment leads nowhere: a download script's many files (downfile.jsp?filename=
            # 1911191234567.pdf) are no calendar, however date-like their names
            if not attachment and self._trap(parts):
                return
        rank = (HUB if force else CATALOGUE) if rank is None else rank
        self.seen.add(key)
        self._settled.add(url)
        self.too_deep.discard(key)
        self._seq += 1
        page = page_number(parts.path, parts.query) if rank == LIST else 0
        self.queue.put_nowait((priority(rank, depth, page, self._seq), url, depth, rank))

    def _note_external(self, url: str, parts: Any) -> None:
        """Keep a link to another site for probing (links only: a redirect's target is fetched)."""
        if (
            self.config.probe_external
            and parts.scheme in ("http", "https")
            and parts.netloc
            and len(self.external) < self.config.max_external_probes
        ):
            self.external.setdefault(strip_fragment(url), None)

    async def _probe_external(self) -> None:
        """Ask once whether each link to another site answers (HEAD, then GET), a few at a time; every
        host keeps its own rate. When not one probe could connect, the machine has no way out: the
        outcomes are not recorded (they would all read as broken links) and a fault says so."""
        todo = [u for u in self.external if canonical(u) not in self.seen]
        if not todo or time.monotonic() > self.deadline:
            return
        gate = asyncio.Semaphore(_PROBES_AT_ONCE)
        outcomes: dict[str, Fetched] = {}

        async def probe(url: str) -> None:
            async with gate:
                if time.monotonic() <= self.deadline:
                    outcomes[url] = await self.fetcher.probe(url)
                    self._report(url, queue=len(todo) - len(outcomes))

        await asyncio.gather(*(probe(u) for u in todo))
        refused = [f"{u}（{r.detail}）" for u, r in outcomes.items() if r.error in REFUSED]
        if refused:
            self._fault(
                f"外部链接 {len(refused)} 个指向内网、回环等专用地址或含用户名密码，已拒绝访问："
                + "、".join(refused[:5])
                + ("等" if len(refused) > 5 else "")
            )
        tried = [r for r in outcomes.values() if r.error not in _NOT_ASKED]
        if len(tried) >= 3 and all(r.error in _UNREACHABLE for r in tried):
            self._fault(f"外部链接 {len(tried)} 个均无法连接（本机可能不能访问互联网），外部链接未检查")
            return
        for url, r in outcomes.items():
            self._record_probe(url, r)
        broken = sum(1 for r in tried if r.error or (r.status or 0) >= 400)
        if broken:
            self._fault(f"外部链接 {broken} 个无法访问（共检查 {len(tried)} 个）")

    def _record_probe(self, url: str, r: Fetched) -> None:
        assert self.writer is not None
        record = self.writer.write_probe(url, r.status, r.error, r.error_text if r.error else "")
        self.seen.add(canonical(url))
        if self.facts is not None:
            self.facts.add_probe(url, r.status, r.error, record)

    def _trap(self, parts: Any) -> bool:
        """Spider-trap guard (long or repetitive paths, too many query variants of one path; a list
        endpoint's pagination is no variant): a cut is recorded with its reason."""
        why, lost = self.guard.check(parts.geturl(), parts.path, parts.query)
        if why:
            self.cuts.guard(parts.path, why, lost=lost)
            self.partial = self.partial or lost
        return bool(why)

    # -------------------------------------------------------------------------------- workers
    async def _worker(self) -> None:
        while True:
            item = await self.queue.get()
            _key, url, depth, rank = item
            if rank > LIST and self.catalogue_busy:
                # the catalogue pages under way may name more of the catalogue: it goes first, so a
                # budget that runs out never hides a column, however the fetches interleave
                self.queue.put_nowait(item)
                self.queue.task_done()
                await self.catalogue_idle.wait()
                continue
            self._catalogue_started(rank)
            try:
                await self._visit(url, depth, rank)
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # noqa: BLE001 - one bad page must not end the crawl
                self._fault(f"处理页面 {url} 时出错：{type(exc).__name__}")
            finally:
                self._catalogue_done(rank)
                self.queue.task_done()

    def _catalogue_started(self, rank: int) -> None:
        if rank <= LIST:
            self.catalogue_busy += 1
            self.catalogue_idle.clear()

    def _catalogue_done(self, rank: int) -> None:
        if rank <= LIST:
            self.catalogue_busy -= 1
            if not self.catalogue_busy:
                self.catalogue_idle.set()

    def _budget_cut(self) -> str:
        """'' while the budget lasts and the site answers, else why the rest is not read (Chinese)."""
        why = ""
        if self.pages + self.inflight >= self.config.max_pages:
            why = f"已达到页面上限 {self.config.max_pages}，抓取提前结束"
        elif time.monotonic() > self.deadline:
            why = f"已用完时间预算 {self.config.time_budget_s:.0f} 秒，抓取提前结束"
        if why:
            if why not in self.faults:
                self._fault(why)
            self.partial = True
            return why
        return self.fetcher.slot(self.seed).stopped

    async def _visit(self, url: str, depth: int, rank: int = CATALOGUE) -> None:
        why = self._budget_cut()
        if why:
            self.cuts.skip(url, why, rank)
            return
        cond = self._conditional(url)
        self.inflight += 1
        method, form = request_of(url, self.scripted.forms)  # POST where the page's own script posts
        try:
            r = await self.fetcher.fetch(url, conditional=cond, method=method, data=form)
        finally:
            self.inflight -= 1
        assert self.writer is not None
        if r.unverified and host_of(url) not in self.unverified_hosts:
            self.unverified_hosts.add(host_of(url))
            self._fault(
                f"{host_of(url)} 的 HTTPS 证书无法验证（{r.unverified}），已不校验证书继续抓取；"
                "证书问题本身应予整改（--strict-tls 可改为不抓取此类站点）"
            )
        if r.error and r.status is None or r.error in ("redirect_loop", "too_many_redirects"):
            self._failed(url, r, rank)
            return
        if r.not_modified and canonical(url) in self.previous:
            prev = self.previous[canonical(url)]
            record = self.writer.copy_record(prev)
            self.reused += 1
            body, headers, status = prev.body, prev.headers, prev.status or 200
        else:
            body, status = r.body, r.status or 0
            headers = _answer_headers(r)
            record = self.writer.write_response(
                url,
                status,
                r.reason,
                r.headers,
                body,
                r.request_headers,
                truncated=r.truncated,
                method=r.method,
                request_body=r.request_body,
            )
            prev = self.previous.get(canonical(url)) if self.previous else None
            if prev is not None and prev.body == body:
                self.reused += 1
        ctype = headers.get("content-type", "")
        facts = self._keep_facts(url, depth, status, headers, body, record)
        self.pages += 1
        if r.final_url and host_of(r.final_url) != host_of(url) and depth == 0:
            await self._adopt_checked(r.final_url, "站点根页面重定向至")  # the site moved (https, www.)
        if depth == 0 and status < 300:
            links = facts.links if facts is not None else discover(url, body, ctype).links
            await self._adopt_zhuanlan_hosts(zhuanlan_targets(links))
        if r.truncated:
            self.errors += 1
            self._fault(f"{url} 超过大小上限 {self.config.max_bytes} 字节，已截断")
            self._cut_page(url, f"超过大小上限 {self.config.max_bytes} 字节，已截断", rank)
        if self._stop_signal(url, status, body, ctype, rank):
            return
        if status >= 400:
            self.errors += 1
            self.consecutive_errors += 1
            retried = f"（已重试 {r.attempts - 1} 次）" if r.attempts > 1 else ""
            self._fault(f"{url} 返回 HTTP {status}{retried}")
            if status >= 500:  # the server failed: the page is unread (a 4xx is the page's own outcome)
                self._cut_page(url, f"服务器错误 HTTP {status}{retried}", rank)
            self._maybe_give_up()
        else:
            self.consecutive_errors = 0
            if status < 300 and not (facts is not None and facts.refresh):  # a page that only sends on
                self.read += 1
                if not r.truncated:  # a truncated answer is cut already
                    self._check_markup(url, facts, body, ctype, rank)
        self._report(url)
        # a list its script fills: read through its API (POST forms noted) or as a browser renders it
        answer = (status, headers, body, record)
        facts, body = await self.scripted.after_fetch(url, self.writer, answer, facts, self.facts)
        if r.final_url and r.final_url != url and status < 300:
            self._enqueue(r.final_url, depth, rank=rank)
        if facts is not None and (r.final_url or url) == url:
            hops, pages = self._ranked_next(facts, rank, self._settled)
        else:
            hops, pages = self._ranked_discovery(r.final_url or url, body, ctype, status, rank)
        if rank != HUB and len(pages) >= self.config.max_list_pages - 1:
            self._pagination_capped(url)
        for nxt, nrank in pages:
            self._enqueue(nxt, depth, rank=nrank)
        for nxt, nrank in hops:
            self._enqueue(nxt, depth + 1, rank=nrank)
        if self.pages % 25 == 0:
            self.writer.flush()  # whole records reach the file: a kill loses at most the last few pages
            self._checkpoint()  # and the counters the archive cannot tell

    def _keep_facts(
        self, url: str, depth: int, status: int, headers: dict[str, str], body: bytes, record: str
    ) -> PageFacts | None:
        """The page's facts for the site model (when collecting), read from the same parse that finds
        its links; the homepage's links name the 专栏 candidates, whose column links are read too."""
        if self.facts is None and not self.rank_by_facts:
            return None
        assert self.writer is not None
        key = strip_fragment(url)
        facts = page_facts(
            key,
            status,
            headers,
            body,
            record=record,
            fetched_at=self.writer.last_date,
            hub=depth == 0 or key in self.hubs,
            max_list_pages=self.config.max_list_pages,
        )
        if self.facts is not None:
            self.facts.add(facts)
        if depth == 0 and facts.parsed:
            self.hubs.update(zhuanlan_links(facts))
        return facts

    @staticmethod
    def _ranked_next(
        facts: PageFacts, rank: int, settled: Collection[str] = ()
    ) -> tuple[list[tuple[str, int]], list[tuple[str, int]]]:
        """What `_discover` finds, taken from the page's facts, each with its rank: a list's rows and a
        detail page's links are details, navigation of the catalogue is catalogue. Links in `settled`
        (which `_enqueue` would pass over) are left out."""
        if not facts.status or facts.status >= 400 or facts.kind == "file":
            return [], []
        lists = (facts.list_items or [], *facts.list_others, facts.home_items)
        items = {it.url for rows in lists for it in rows} | {m.url for m in facts.messages}  # 留言: details
        detail = facts.detail
        hops = [
            (u, link_rank(rank, text, item=u in items, detail_page=detail))
            for u, text in facts.links
            if u not in settled
        ]
        return hops, _ranked_same_depth(facts, rank)

    def _ranked_discovery(
        self, url: str, body: bytes, ctype: str, status: int | None, rank: int
    ) -> tuple[list[tuple[str, int]], list[tuple[str, int]]]:
        """`_ranked_next` for a page read without its facts (a redirect's target, a crawl not collecting)."""
        if not status or status >= 400 or not body or body_kind(ctype, url, body) == "file":
            return [], []
        d = discover(url, body, ctype, max_list_pages=self.config.max_list_pages)
        settled = self._settled
        hops = [
            (u, link_rank(rank, text, item=False, detail_page=False)) for u, text in d.links if u not in settled
        ]
        return hops, _ranked_same_depth(d, rank)

    def _stop_signal(self, url: str, status: int, body: bytes, ctype: str, rank: int = CATALOGUE) -> bool:
        """Whether the answer says the site blocks the crawl (see `gongkai.crawl.blocking`): the host
        stops, nothing is evaded. A 403 on one page is that page's outcome (link.broken judges it)."""
        limit = self.config.max_forbidden_in_a_row
        reason = block_reason(
            url, status, body, ctype, hub=rank == HUB, forbidden_run=self.forbidden_run, limit=limit
        )
        if not reason:
            return False
        self._stop_host(url, reason)
        self.errors += 1
        return True

    def _stop_host(self, url: str, reason: str) -> None:
        """Ask the host of `url` nothing more: the run is partial and whatever it held is unread."""
        self.fetcher.slot(url).stopped = reason
        self.partial = True
        self._fault(reason)
        self.cuts.note(f"{host_of(url)} 的其余页面", reason)

    def _pagination_capped(self, url: str) -> None:
        """A list that names as many pages as extraction keeps (`max_list_pages`) may have more: cut."""
        where = url.rsplit("/", 1)[0] + "/"
        if where not in self.capped:
            self.capped.add(where)
            why = f"分页达到上限 {self.config.max_list_pages} 页，其后各页未读"
            self.cuts.note(f"{where} 的列表", why, catalogue=False)
            self.partial = True

    def _cut_page(self, url: str, why: str, rank: int) -> None:
        self.cuts.failed(url, why, rank)
        self.partial = True

    def _check_markup(self, url: str, facts: PageFacts | None, body: bytes, ctype: str, rank: int) -> None:
        """A whole HTML document that never closes was cut short or is broken: what it held may be lost."""
        html = facts.kind == "html" if facts is not None else body_kind(ctype, url, body) == "html"
        if html and broken_markup(body):
            self._fault(f"{url}：{BROKEN_MARKUP}")
            self._cut_page(url, BROKEN_MARKUP, rank)

    def _failed(self, url: str, r: Fetched, rank: int = CATALOGUE) -> None:
        assert self.writer is not None
        if r.error in REFUSED:  # not asked, and said so: a link or redirect turned inward
            self._record_failure(url, r.error, r.error_text, None)
            hop = f"（重定向至 {r.final_url}）" if r.final_url and r.final_url != url else ""
            self._fault(f"{url}{hop}：{r.error_text}，已拒绝访问")
            return
        if r.error in ("robots", "stopped"):
            if r.error == "robots":
                self._record_failure(url, r.error, r.error_text, None)
            elif r.error == "stopped":
                self.cuts.skip(url, self.fetcher.slot(url).stopped or r.error_text, rank)
            return
        msg = r.error_text
        self._record_failure(url, r.error, msg, r.status)
        self.errors += 1
        self.consecutive_errors += 1
        extra = f"（已重试 {r.attempts - 1} 次）" if r.attempts > 1 else ""
        self._fault(f"{url}：{msg}{extra}")
        self._cut_page(url, msg + extra, rank)
        self._report(url)
        self._maybe_give_up()

    def _record_failure(self, url: str, error: str, message: str, status: int | None) -> None:
        assert self.writer is not None
        record = self.writer.write_failure(url, error, message, status)
        if self.facts is not None:
            self.facts.add_failure(url, status, error, record)

    def _maybe_give_up(self) -> None:
        if self.consecutive_errors >= self.config.max_consecutive_errors:
            slot = self.fetcher.slot(self.seed)
            if not slot.stopped:
                self._stop_host(self.seed, f"连续 {self.consecutive_errors} 次请求失败，已停止抓取该站点")

    def _fault(self, message: str) -> None:
        if len(self.faults) < 500:
            self.faults.append(message)

    def _report(self, url: str, *, queue: int | None = None) -> None:
        if self.progress is None:
            return
        elapsed = max(time.monotonic() - self._t0, 1e-6)
        self.progress(
            {
                "host": host_of(self.seed),
                "url": url,
                "pages": self.pages,
                "queue": self.queue.qsize() if queue is None else queue,
                "errors": self.errors,
                "rate": self.pages / elapsed,
            }
        )

    def _conditional(self, url: str) -> dict[str, str] | None:
        prev = self.previous.get(canonical(url)) if self.previous else None  # no key made for nothing
        if prev is None:
            return None
        headers = {}
        if prev.headers.get("etag"):
            headers["If-None-Match"] = prev.headers["etag"]
        if prev.headers.get("last-modified"):
            headers["If-Modified-Since"] = prev.headers["last-modified"]
        return headers or None

    async def _robots(self, *, site: str = "") -> None:
        """Read a host's robots.txt and archive it (once: a resumed crawl re-reads it, archived already)."""
        parts = urlsplit(site or self.seed)
        url = f"{parts.scheme}://{parts.netloc}/robots.txt"
        r = await self.fetcher.fetch(url, retries=min(1, self.config.robots_retries))
        left = self.config.robots_retries - (r.attempts - 1)
        if (r.status or 0) >= 500 and left > 0:
            # a server error is retried a few more times (RFC 9309: while it lasts, nothing may be crawled)
            await asyncio.sleep(min(self.config.backoff_s * 4, max(0.0, self.deadline - time.monotonic())))
            again = await self.fetcher.fetch(url, retries=left - 1)
            again.attempts += r.attempts
            r = again
        if self.writer is not None and r.status is not None and canonical(url) not in self.seen:
            record = self.writer.write_response(url, r.status, r.reason, r.headers, r.body, r.request_headers)
            self._keep_facts(url, 1, r.status, _answer_headers(r), r.body, record)  # depth 1: never a hub
        self.seen.add(canonical(url))
        if r.status == 200 and r.body:
            self.fetcher.slot(url).set_robots(r.body.decode("utf-8", "replace"))
        reason = robots_stop(r.status, r.attempts, url)
        if reason:
            self.errors += 1
            self._stop_host(url, reason)

    async def _other_hosts_robots(self) -> None:
        """After a resume, the rules of the site's other hosts (its 专栏's, where it moved) are read again
        like the seed's: the state file remembers the hosts, not their robots.txt."""
        scheme = urlsplit(self.seed).scheme
        for host in sorted(self.hosts - {host_of(self.seed)}):
            await self._robots(site=f"{scheme}://{host}/")

    def _adopt_host(self, host: str) -> None:
        """Crawl `host` as part of this site from now on (and after a resume). An adopted host is not
        named by the operator: the egress guard judges each of its requests."""
        if host not in self.hosts:
            self.hosts.add(host)
            self._settled.clear()  # its links were another site's
            self._save_state(finished=False)

    async def _adopt_checked(self, url: str, what: str) -> bool:
        """Adopt the host of `url` unless the egress guard refuses it (a fault then says why)."""
        refused = await self.fetcher.refusal(url)
        if refused is not None:
            message = f"{what} {url}，未纳入抓取：{refused.detail}"
            if message not in self.faults:  # every page at the seed's depth names the same candidates
                self._fault(message)
            return False
        self._adopt_host(host_of(url))
        return True

    async def _start_zhuanlan(self) -> None:
        """The configured 专栏: its host is part of the site (the operator named it, as the seed) and its
        page is read as a hub, at the seed's depth."""
        host = host_of(self.zhuanlan)
        self.fetcher.allowed_hosts.add(host)  # named by the operator, as the seed
        if host not in self.hosts:  # after a resume it is there, its rules read with the seed's
            self._adopt_host(host)
            if self.config.respect_robots:
                await self._robots(site=self.zhuanlan)
        self.hubs.add(strip_fragment(self.zhuanlan))
        self._enqueue(self.zhuanlan, 0, force=True)

    async def _adopt_zhuanlan_hosts(self, candidates: list[str]) -> None:
        """A 政府信息公开 column the homepage links to on another host of the same organisation
        (www.hd.gov.cn -> hdzfxxgk.hd.gov.cn, a city's shared 信息公开 platform) is part of the site:
        its host is crawled too, its robots.txt read first."""
        for url in candidates:
            host = host_of(url)
            if host in self.hosts or not same_organisation(host, host_of(self.seed)):
                continue
            if not await self._adopt_checked(url, "政府信息公开专栏链接"):
                continue
            if self.config.respect_robots:
                await self._robots(site=url)
            self._fault(f"政府信息公开专栏在 {host}，已一并抓取")


def _ranked_same_depth(found: PageFacts | Discovery, rank: int) -> list[tuple[str, int]]:
    """What a page leads to at its own depth, with ranks: first the page a redirect page sends on to (as an
    HTTP redirect: a portal whose root is such a page is read from its real homepage, as a hub), keeping
    its rank; then its pagination, a list's for a catalogue page (a detail page's own pages stay details)."""
    paged = LIST if rank <= LIST else DETAIL
    first = [(found.refresh, rank)] if found.refresh else []
    return first + [(u, paged) for u in found.pagination]


def _answer_headers(r: Fetched) -> dict[str, str]:
    """The response headers page facts read (as an archived record has them: lower-case names)."""
    return {
        "content-type": r.header("Content-Type"),
        "location": r.header("Location"),
        "content-disposition": r.header("Content-Disposition"),
    }


def _previous_index(path: Path) -> dict[str, Record]:
    out: dict[str, Record] = {}
    try:
        for r in read_archive(Path(path)):
            if not r.error and r.status and r.status < 400 and r.url != CRAWL_INFO_URI:
                out[canonical(r.url)] = r
    except FileNotFoundError:
        return {}
    return out


def content_hash(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


# ------------------------------------------------------------------------------------ entry points


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
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    urls = list(urls)
    check_distinct_sites(urls)
    ensure_free([out_dir / archive_name(u) for u in urls])
    if config.processes > 1 and len(urls) > 1:
        from gongkai.crawl.shard import crawl_sharded

        return await crawl_sharded(
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


def kept_result(url: str, out_dir: Path) -> CrawlResult | None:
    """The result of the site's finished crawl in `out_dir`, as its state file tells it (the site model
    is read from the archive when asked for); None when the site has no finished crawl there."""
    archive = Path(out_dir) / archive_name(url)
    state = CrawlState.read(state_path_of(archive))
    if state is None or not state.finished or not archive.exists() or host_of(state.seed) != host_of(url):
        return None
    return CrawlResult(
        site=state.seed,
        archive=archive,
        pages=state.pages,
        errors=state.errors,
        partial=state.partial,
        faults=list(state.faults),
        reused=state.reused,
        rendered=state.rendered,
        kept=True,
    )


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
