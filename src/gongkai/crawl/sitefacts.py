"""The facts of one site, as a crawl hands them over or as they are read back from its WARC file: the last
answer per URL, the failures, the links to other sites that were probed, and the crawl summary.

`crawl.sitemodel` turns them into the site model once the whole site is known.
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urljoin

from gongkai.crawl.archive import CRAWL_INFO_URI, Record
from gongkai.crawl.facts import PageFacts, page_facts, zhuanlan_links
from gongkai.crawl.resource import is_attachment, strip_fragment

_REDIRECTS = (301, 302, 303, 307, 308)


class SiteFacts:
    """The facts of one site: its start URL, the last answer per URL (in first-seen order), failures, the
    crawl summary."""

    def __init__(self, seed: str = "") -> None:
        self.seed = seed
        self.pages: dict[str, PageFacts] = {}
        self.failures: dict[str, tuple[int | None, str, str]] = {}  # url -> (status, error, record id)
        self.probes: dict[str, tuple[int | None, str, str]] = {}  # links to other sites, the same way
        self.info: dict[str, object] = {}

    def add(self, facts: PageFacts) -> None:
        key = strip_fragment(facts.url)
        self.pages[key] = facts
        self.failures.pop(key, None)

    def add_failure(self, url: str, status: int | None, error: str, record: str) -> None:
        self.failures[strip_fragment(url)] = (status, error, record)

    def add_probe(self, url: str, status: int | None, error: str, record: str) -> None:
        self.probes[strip_fragment(url)] = (status, error, record)

    def get(self, url: str) -> PageFacts | None:
        return self.pages.get(strip_fragment(url))

    def is_attachment(self, url: str) -> bool:
        """A file by its URL, or a download script's answer that turned out to be one."""
        if is_attachment(url):
            return True
        f = self.get(url)
        return f is not None and bool(f.file_type)

    def parsed(self, url: str) -> PageFacts | None:
        """The facts of a 2xx HTML page, else None."""
        f = self.get(url)
        return f if f is not None and f.parsed else None

    def status(self, url: str) -> tuple[int | None, str]:
        f = self.get(url)
        if f is not None:
            return f.status, ""
        key = strip_fragment(url)
        answer = self.failures.get(key) or self.probes.get(key)
        if answer is not None:
            return answer[0], answer[1]
        return None, ""

    @classmethod
    def from_records(cls, records: Iterable[Record], seed: str | None = None) -> SiteFacts:
        """Facts of archived records (offline): the homepage first, to know which pages are hubs. The seed is
        `seed`, else the one the crawl summary names, else the first page."""
        site = cls()
        last: dict[str, Record] = {}
        for r in records:
            if r.url == CRAWL_INFO_URI:
                site.info = r.extra
                continue
            key = strip_fragment(r.url)
            if r.extra.get("probe"):
                site.probes[key] = (r.status, r.error, r.record_id)
                continue
            if r.error:
                site.failures[key] = (r.status, r.error, r.record_id)
                continue
            last[key] = r
            site.failures.pop(key, None)
        site.seed = seed or str(site.info.get("seed") or next(iter(last), ""))
        seed_key = strip_fragment(site.seed)
        # the seed is read as a hub, as the crawl did (at depth 0), and so is the page it sends on to
        read = {seed_key: _record_facts(last[seed_key], hub=True)} if seed_key in last else {}
        home = home_url(site.seed, read.get(seed_key))
        if home not in read and home in last:
            read[home] = _record_facts(last[home], hub=True)
        home_facts = read.get(home)
        hubs = {home, *zhuanlan_links(home_facts)} if home_facts is not None else {home}
        if site.info.get("zhuanlan"):  # the 专栏 the unit's record names, read as the crawl read it
            hubs.add(strip_fragment(str(site.info["zhuanlan"])))
        for key, r in last.items():  # in the archive's order, as the crawl added them
            site.pages[key] = read.get(key) or _record_facts(r, hub=key in hubs)
        return site


def _record_facts(r: Record, *, hub: bool) -> PageFacts:
    return page_facts(
        strip_fragment(r.url),
        r.status,
        r.headers,
        r.body,
        record=r.record_id,
        fetched_at=r.date,
        hub=hub,
        rendered=bool(r.extra.get("rendered")),  # the DOM a browser built, archived after the response
    )


def home_url(seed: str, answer: PageFacts | None) -> str:
    """The homepage: the seed, or where the seed's answer redirects to (by its status, or as a page that
    only sends the reader on)."""
    if not seed:
        return ""
    if answer is not None:
        if answer.status in _REDIRECTS and answer.location:
            return strip_fragment(urljoin(seed, answer.location))
        if answer.refresh:
            return answer.refresh
    return strip_fragment(seed)
