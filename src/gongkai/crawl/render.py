"""Rendering script-filled pages in headless Chromium, under the crawl's politeness.

`Renderer` holds one browser (Playwright on Debian's chromium, started on first use) and a small pool of
pages (`PAGES`, each closed after use, so memory stays bounded). Every request a page makes goes through
the crawler's own `Fetcher`: the same User-Agent, rate and concurrency per host, robots.txt, stopped
hosts and the refusal of other hosts' private addresses; the page being rendered is served from the
answer already fetched, never asked twice. Images, fonts, media and stylesheets are not loaded.

`ScriptedReader` is the crawl's side: after an HTML page is fetched it decides (`--render
auto|never|always`) whether to render it, archives the rendered DOM as a `conversion` record that refers
to the response, and hands back the page's facts read from that DOM. Where no browser can be started the
crawl records it (a Chinese fault, partial) and the columns that needed one are not judged.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import os
import time
from typing import TYPE_CHECKING, Any

from gongkai.crawl.archive import ArchiveWriter
from gongkai.crawl.discover import parse_html
from gongkai.crawl.facts import PageFacts, page_facts
from gongkai.crawl.fetch import Fetcher
from gongkai.crawl.polite import CrawlConfig
from gongkai.crawl.resource import body_kind
from gongkai.crawl.scripted import ScriptPlan, may_be_scripted, plan
from gongkai.crawl.sitefacts import SiteFacts
from gongkai.text import decode

if TYPE_CHECKING:
    from playwright.async_api import Browser, BrowserContext, Page, Playwright, Request, Route

RENDER_MODES = ("auto", "never", "always")
PAGES = 2  # browser pages open at once per process: each costs tens of MB
PAGE_BUDGET_S = 20.0  # per page: load, then wait for the network to settle
QUIET_S = 0.25  # no request in flight for this long: the page's scripts are done
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
_NOT_LOADED = ("image", "media", "font", "stylesheet", "manifest", "texttrack", "eventsource", "websocket")


def chromium_path() -> str:
    """The browser to drive: GONGKAI_CHROMIUM, else Debian's chromium."""
    return os.environ.get("GONGKAI_CHROMIUM", "/usr/bin/chromium")


class Renderer:
    """A lazily started headless Chromium with a bounded pool of pages; `async with Renderer(...)`."""

    def __init__(self, config: CrawlConfig, fetcher: Fetcher, *, pages: int = PAGES) -> None:
        self.config = config
        self.fetcher = fetcher
        self.fault = ""  # why no browser could be started (Chinese), once tried
        self.rendered = 0
        self._pool = asyncio.Semaphore(pages)
        self._start_lock = asyncio.Lock()
        self._pw: Playwright | None = None
        self._browser: Browser | None = None
        self._context: BrowserContext | None = None
        self._served: dict[str, tuple[int, str, bytes]] = {}  # pages being rendered: their fetched answer
        self._activity: dict[Page, list[float]] = {}  # page -> [requests in flight, time of the last change]

    async def __aenter__(self) -> Renderer:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def close(self) -> None:
        for closing in (self._context, self._browser):
            if closing is not None:
                with contextlib.suppress(Exception):  # a browser that died is closed already
                    await closing.close()
        if self._pw is not None:
            await self._pw.stop()
        self._pw = self._browser = self._context = None

    async def available(self) -> bool:
        """Start the browser on first call; False (with `fault` set) when it cannot be started."""
        async with self._start_lock:
            if self._context is not None:
                return True
            if self.fault:
                return False
            path = chromium_path()
            if not os.path.isfile(path) or not os.access(path, os.X_OK):
                self.fault = f"未找到浏览器（Chromium：{path}），脚本填充的页面无法渲染"
                return False
            try:
                from playwright.async_api import async_playwright

                self._pw = await async_playwright().start()
                self._browser = await self._pw.chromium.launch(
                    executable_path=path, headless=True, args=CHROMIUM_ARGS
                )
                self._context = await self._browser.new_context(
                    user_agent=self.config.user_agent, locale="zh-CN", service_workers="block"
                )
                await self._context.route("**/*", self._route)
            except Exception as exc:  # noqa: BLE001 - any failure to start means: no browser here
                self.fault = (
                    f"浏览器（Chromium：{path}）无法启动（{type(exc).__name__}），脚本填充的页面无法渲染"
                )
                await self.close()
                return False
            return True

    async def render(self, url: str, status: int, content_type: str, body: bytes) -> str | None:
        """The DOM of the fetched page `url` once its scripts ran (None when no browser or it failed)."""
        if not await self.available():
            return None
        assert self._context is not None
        async with self._pool:
            self._served[url] = (status, content_type or "text/html", body)
            page = await self._context.new_page()
            deadline = time.monotonic() + PAGE_BUDGET_S
            activity = self._activity[page] = [0, time.monotonic()]
            try:
                await page.goto(url, wait_until="load", timeout=PAGE_BUDGET_S * 1000)
                await _settle(activity, deadline)
                html = await page.content()
            except Exception:  # noqa: BLE001 - a page that fails to load is read as served
                return None
            finally:
                self._served.pop(url, None)
                self._activity.pop(page, None)
                await page.close()
            self.rendered += 1
            return html

    async def _route(self, route: Route, request: Request) -> None:
        """Every request of a rendered page: the page itself from its fetched answer, everything else
        through the crawler's fetcher (robots, rate, User-Agent, private addresses), or not at all."""
        url = request.url
        if not url.startswith(("http://", "https://")):
            await route.continue_()
            return
        served = self._served.get(url) if request.is_navigation_request() else None
        if served is not None:
            status, ctype, body = served
            await route.fulfill(status=status, headers={"Content-Type": ctype}, body=body)
            return
        if request.resource_type in _NOT_LOADED:
            await route.abort("blockedbyclient")
            return
        activity = self._activity.get(request.frame.page, [0, 0.0])
        activity[0] += 1
        try:
            await self._through_fetcher(route, request)
        finally:
            activity[0] -= 1
            activity[1] = time.monotonic()

    async def _through_fetcher(self, route: Route, request: Request) -> None:
        data = request.post_data_buffer if request.method == "POST" else None
        method = "POST" if request.method == "POST" else "GET"
        r = await self.fetcher.fetch(request.url, method=method, data=data, retries=0)
        if r.status is None:
            await route.abort("blockedbyclient" if r.error in ("private", "robots", "stopped") else "failed")
            return
        headers = {"Content-Type": r.header("Content-Type") or "application/octet-stream"}
        await route.fulfill(status=r.status, headers=headers, body=r.body)


async def _settle(activity: list[float], deadline: float) -> None:
    """Wait until the page has had no request in flight for `QUIET_S` (its scripts have drawn what they
    asked for), or until its time budget is spent (a page that keeps polling is taken as it is)."""
    while time.monotonic() < deadline:
        if activity[0] == 0 and time.monotonic() - activity[1] >= QUIET_S:
            return
        await asyncio.sleep(0.05)


class ScriptedReader:
    """A host crawl's handling of script-filled pages: the POST forms their scripts send, rendering."""

    def __init__(self, config: CrawlConfig, renderer: Renderer) -> None:
        self.mode = config.render
        self.max_list_pages = config.max_list_pages
        self.renderer = renderer
        self.forms: dict[str, bytes] = {}  # API URL -> the form a page's script POSTs to it
        self.rendered = 0
        self.unread = 0  # pages that needed a browser and were not rendered
        self.faults: list[str] = []  # for the crawl's faults (each said once)

    async def after_fetch(
        self,
        url: str,
        writer: ArchiveWriter,
        answer: tuple[int, dict[str, str], bytes, str],
        facts: PageFacts | None,
        site: SiteFacts | None = None,
    ) -> tuple[PageFacts | None, bytes]:
        """The facts and body to read for a fetched page: as served, or as rendered (archived, and its
        facts put in `site` in place of the served page's).

        `answer` is (status, headers, body, response record id)."""
        status, headers, body, record = answer
        ctype = headers.get("content-type", "")
        if not 200 <= status < 300 or body_kind(ctype, url, body) != "html":
            return facts, body
        wanted = self._wanted(url, ctype, body, facts)
        if not wanted:
            return facts, body
        html = await self.renderer.render(url, status, ctype, body) if self.mode != "never" else None
        if html is None:
            self.unread += 1
            self._say_unread()
            return facts, body
        self.rendered += 1
        rid = writer.write_rendered(url, html, record)
        rendered_body = html.encode("utf-8")
        if facts is None:
            return None, rendered_body
        new = page_facts(
            facts.url,
            status,
            {"content-type": "text/html; charset=utf-8"},
            rendered_body,
            record=rid,
            fetched_at=writer.last_date or dt.datetime.now(dt.UTC),
            hub=facts.hub,
            max_list_pages=self.max_list_pages,
            rendered=True,
        )
        if site is not None:
            site.add(new)
        return new, rendered_body

    def _wanted(self, url: str, ctype: str, body: bytes, facts: PageFacts | None) -> bool:
        """Whether to render: always; or (auto) a script-filled page with no rows and no API to ask.
        Its POST calls are noted on the way, for when their URLs are fetched."""
        if facts is not None and not facts.scripted:
            return self.mode == "always"
        if facts is not None and facts.detail and self.mode == "auto":
            return False  # an article (its metadata block, ArticleTitle): no list of its own to draw
        if facts is not None and facts.plan is not None and facts.url == url:
            found: ScriptPlan | None = facts.plan  # planned from the page's own parse: not parsed again
        else:
            text, encoding = decode(body, ctype)
            if facts is None and not may_be_scripted(text):
                return self.mode == "always"
            found = plan(url, text, parse_html(text, body, encoding))
        if found is None:
            return self.mode == "always"
        for call in found.calls:
            if call.method == "POST":
                self.forms.setdefault(call.url, call.body)
        if self.mode == "always":
            return True
        rows = bool(facts.list_items) if facts is not None else False
        return found.needs_browser and not rows

    def _say_unread(self) -> None:
        if self.mode == "never":
            message = "有由脚本填充列表的页面未渲染（--render never），相关栏目不作判定"
        else:
            message = (self.renderer.fault or "脚本填充的页面渲染失败") + "，相关栏目不作判定"
        if message not in self.faults:
            self.faults.append(message)


def render_status(reader: ScriptedReader) -> dict[str, Any]:
    """Counts for the crawl summary: pages rendered, pages that needed a browser and were not."""
    return {"rendered": reader.rendered, "unrendered": reader.unread}
