"""One site's crawl (`HostCrawl`): budgets, traps, the catalogue before details, each page fetched, archived
and read once.

A host crawl fetches robots.txt, then its start page, and walks same-host links breadth-first with
`concurrency_per_host` workers; pagination found by `gongkai.crawl.discover` stays at the same depth.
Everything fetched goes to `<out>/<host>.warc.gz`; its state, resumption and end are
`gongkai.crawl.checkpoint`'s, the hosts it reads (robots.txt, adopted hosts, external probes)
`gongkai.crawl.sitehosts`'. With `previous_archive`, pages are asked conditionally (If-None-Match /
If-Modified-Since) and unchanged ones are copied over.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Collection
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from gongkai.crawl.archive import ArchiveWriter, archive_name
from gongkai.crawl.blocking import BROKEN_MARKUP, block_reason, broken_markup
from gongkai.crawl.checkpoint import Checkpoints, previous_index
from gongkai.crawl.discover import Discovery, discover
from gongkai.crawl.egress import REFUSED
from gongkai.crawl.facts import PageFacts, page_facts, zhuanlan_links, zhuanlan_targets
from gongkai.crawl.fetch import Fetched, Fetcher, answer_headers
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
from gongkai.crawl.polite import CrawlConfig, host_of
from gongkai.crawl.render import Renderer, ScriptedReader
from gongkai.crawl.resource import SKIP_EXT, body_kind, canonical, ext_of, is_attachment, strip_fragment
from gongkai.crawl.result import CrawlResult
from gongkai.crawl.scripted import request_of
from gongkai.crawl.scripttree import ScriptTree, tree_links
from gongkai.crawl.sitefacts import SiteFacts
from gongkai.crawl.sitehosts import SiteHosts
from gongkai.crawl.sitemodel import build_model
from gongkai.crawl.state import state_path_of

Progress = Callable[[dict[str, Any]], None]


class HostCrawl(Checkpoints, SiteHosts):
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
        self.trees: dict[str, ScriptTree] = {}  # a zTree's node URL -> the page's tree (its template)
        self.tree_urls: set[str] = set()  # its nodes' pages: one list.jsp?catId= per column, no trap
        # the unit's 政府信息公开 column as its record names it: read as the 专栏 wherever it lives
        self.zhuanlan = zhuanlan
        self.config = config
        self.fetcher = fetcher
        self.progress = progress
        self.hosts = {host_of(self.seed)}
        fetcher.allowed_hosts.add(host_of(self.seed))
        self.archive_path = Path(out_dir) / archive_name(self.seed)
        self.state_path = state_path_of(self.archive_path)
        self.previous = previous_index(previous_archive) if previous_archive else {}
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
            if not attachment and url not in self.tree_urls and self._trap(parts):
                return
        rank = (HUB if force else CATALOGUE) if rank is None else rank
        self.seen.add(key)
        self._settled.add(url)
        self.too_deep.discard(key)
        self._seq += 1
        page = page_number(parts.path, parts.query) if rank == LIST else 0
        self.queue.put_nowait((priority(rank, depth, page, self._seq), url, depth, rank))

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
            headers = answer_headers(r)
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
            if status >= 500 or status == 429:  # a 4xx is the page's outcome, not the host failing
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
            if facts.script_tree is not None or facts.tree_nodes:
                hops += self._tree_hops(url, facts, rank)
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

    def _tree_hops(self, url: str, facts: PageFacts, rank: int) -> list[tuple[str, int]]:
        """A page's zTree loaded from its tree URL: remember the page's tree; the tree URL's answer: its
        nodes' pages, by the page's own template where the nodes name none (catalogue pages). A tree's
        pages are columns, not a trap's query variants (`list.jsp?catId=N` for forty columns)."""
        tree = facts.script_tree
        if tree is not None and tree.ajax:
            self.trees.setdefault(tree.ajax, tree)
        if tree is not None and tree.nodes:  # (its links are the page's own already)
            self.tree_urls.update(u for u, _n, _p in tree_links(tree.base, tree.nodes, tree.template))
        page = self.trees.get(url)
        if page is None or not facts.tree_nodes:
            return []
        found = [u for u, _n, _p in tree_links(page.base, facts.tree_nodes, page.template)]
        self.tree_urls.update(found)
        return [(u, rank) for u in found]

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
            (u, link_rank(rank, text, item=False, detail_page=False))
            for u, text in d.links
            if u not in settled
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


def _ranked_same_depth(found: PageFacts | Discovery, rank: int) -> list[tuple[str, int]]:
    """What a page leads to at its own depth, with ranks: first the page a redirect page sends on to (as an
    HTTP redirect: a portal whose root is such a page is read from its real homepage, as a hub), keeping
    its rank; then its pagination, a list's for a catalogue page (a detail page's own pages stay details)."""
    paged = LIST if rank <= LIST else DETAIL
    first = [(found.refresh, rank)] if found.refresh else []
    return first + [(u, paged) for u in found.pagination]
