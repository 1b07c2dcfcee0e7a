"""A host crawl's state and its resumption (mixed into `gongkai.crawl.host.HostCrawl`).

`<archive>.state.json` beside the archive (`CrawlState`) says whether the crawl finished and keeps what
the archive cannot tell (time budget used, faults, a host given up). A crawl that finds an unfinished
state resumes: it keeps the archive's whole records and replays their discoveries offline, in the order
they were archived, through the same frontier and trap guard, so its queue, seen set, depths and trap
counters are those the interrupted crawl had. The end of a crawl (`_finish`) writes its summary record
and marks the state finished; an interrupted one (`_suspend`) leaves it resumable.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import urlsplit

from gongkai.crawl.archive import CRAWL_INFO_URI, ArchiveWriter, Record, last_good_offset, read_archive
from gongkai.crawl.egress import REFUSED
from gongkai.crawl.fetch import ERROR_TEXT
from gongkai.crawl.frontier import CATALOGUE, CutLedger
from gongkai.crawl.resource import canonical
from gongkai.crawl.state import CrawlState


class Checkpoints:
    """State saving, resumption and the end of a crawl, for `HostCrawl` (whose frontier, counters and
    archive writer these methods read and set)."""

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


def previous_index(path: Path) -> dict[str, Record]:
    out: dict[str, Record] = {}
    try:
        for r in read_archive(Path(path)):
            if not r.error and r.status and r.status < 400 and r.url != CRAWL_INFO_URI:
                out[canonical(r.url)] = r
    except FileNotFoundError:
        return {}
    return out
