"""Every page and export of the demo speaks Chinese: the demo is loaded by the real command, served by the
real server, and each demo account signs in and follows the site's own links from the home page (and every
export they lead to, and its GET forms: filters and searches, with each choice of their lists); no internal code (tests/web/words.py states the rule) may reach what a user reads.

Each kind of page (its URL pattern and query keys) is read up to PER_PATTERN times per account, so every
pattern is covered with several data rows without reading all of the demo's thousands of evidence links."""

from __future__ import annotations

import http.cookiejar
import io
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections import Counter, deque
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

import docx
import lxml.html
import openpyxl
import pytest
from django.urls import Resolver404, resolve
from tests.web.words import leaks, visible

pytestmark = pytest.mark.slow

PASSWORD = "gongkai-demo-2026"
# one account per role (pinggu2 is a second evaluator), both liaisons: one unit, and a county with its townships
ACCOUNTS = ("admin", "pinggu", "caizheng", "quxian", "chakan")
PER_PATTERN = 6
OPTIONS_PER_LIST = 6
NOT_FOLLOWED = (
    "/logout/",  # signs out (and answers GET with 405)
    "/admin/",  # Django's configuration back office: administrators only, not what units or the office read
    "/archive/page/",  # the archived page itself: the unit's own crawled text, not the platform's words
    "/static/",
)


@pytest.fixture(scope="module")
def demo_server(demo_run, tmp_path_factory):
    """`gongkai serve` on the demo's data directory, on a free loopback port."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    log = (tmp_path_factory.mktemp("serve") / "serve.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "gongkai", "serve", "--port", str(port), "--data-dir", str(demo_run.data_dir)],
        stdout=log,
        stderr=subprocess.STDOUT,
        env=demo_run.env,
    )
    base = f"http://127.0.0.1:{port}"
    try:  # the server is stopped whatever happens, even when it never answers
        for _ in range(600):
            try:
                urllib.request.urlopen(base + "/login/", timeout=30).close()
                break
            except OSError:  # not listening yet (URLError, connection refused or reset, timeout)
                if process.poll() is not None:
                    pytest.fail(f"平台未能启动，日志：{log.name}")
                time.sleep(0.2)
        else:
            pytest.fail(f"平台 2 分钟内没有应答，日志：{log.name}")
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


def sign_in(base: str, username: str) -> urllib.request.OpenerDirector:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    form = opener.open(base + "/login/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    data = urlencode({"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token}).encode()
    request = urllib.request.Request(base + "/login/", data=data, headers={"Referer": base + "/login/"})
    landed = opener.open(request)
    assert urlsplit(landed.url).path == "/", f"{username} 未能登录"
    return opener


def pattern_of(url: str) -> tuple | None:
    parts = urlsplit(url)
    try:
        match = resolve(parts.path)
    except Resolver404:
        return None
    return (match.route, tuple(sorted({k for k, _ in parse_qsl(parts.query)})))


def links(html: str, url: str) -> list[str]:
    try:
        root = lxml.html.document_fromstring(html)
    except Exception:
        return []
    found = [a.get("href") for a in root.iter("a")] + [e.get("hx-get") for e in root.iter()]
    return [
        urljoin(url, h).split("#")[0]
        for h in found
        if h and not h.startswith(("#", "mailto:", "javascript:"))
    ]


def form_queries(html: str, url: str) -> list[str]:
    """The addresses a page's GET forms (filters, searches) lead to: submitted as they stand, and once with
    each choice of each of their lists (up to OPTIONS_PER_LIST)."""
    try:
        root = lxml.html.document_fromstring(html)
    except Exception:
        return []
    out = []
    for form in root.iter("form"):
        if (form.get("method") or "get").lower() != "get":
            continue
        action = urljoin(url, form.get("action") or url).split("?")[0]
        fields = {}
        for e in form.iter("input"):
            kind = (e.get("type") or "text").lower()
            if e.get("name") and (
                kind not in ("checkbox", "radio", "submit", "button") or e.get("checked") is not None
            ):
                fields[e.get("name")] = e.get("value") or ""
        choices = {}
        for select in form.iter("select"):
            options = [o.get("value", o.text_content()) for o in select.iter("option")]
            chosen = [
                o.get("value", o.text_content())
                for o in select.iter("option")
                if o.get("selected") is not None
            ]
            if select.get("name") and options:
                fields[select.get("name")] = (chosen or options)[0]
                choices[select.get("name")] = options[:OPTIONS_PER_LIST]
        out.append(action + "?" + urlencode(fields))
        for name, options in choices.items():
            out.extend(action + "?" + urlencode(fields | {name: value}) for value in options)
    return out


def text_of(body: bytes, content_type: str, url: str) -> str:
    if "html" in content_type:
        return visible(body.decode("utf-8", errors="replace"))
    if "wordprocessingml" in content_type:
        document = docx.Document(io.BytesIO(body))
        cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
        return "\n".join([p.text for p in document.paragraphs] + cells)
    if "spreadsheetml" in content_type:
        book = openpyxl.load_workbook(io.BytesIO(body), read_only=True)
        return "\n".join(
            str(v) for ws in book for row in ws.iter_rows(values_only=True) for v in row if v is not None
        )
    if "pdf" in content_type:
        import pypdfium2

        pdf = pypdfium2.PdfDocument(body)
        return "\n".join(page.get_textpage().get_text_range() for page in pdf)
    if content_type.startswith("text/"):
        return body.decode("utf-8-sig", errors="replace")
    if "json" in content_type and "format=json" in url:
        return ""  # a download the user picked as JSON is data, with the key names contracts.md fixes
    if "json" in content_type:
        return body.decode("utf-8", errors="replace")  # raw JSON a link leads to is itself a leak
    return ""  # images, archives: nothing to read as words


def in_context(text: str, code: str) -> str:
    at = text.find(code)
    return f"{code}（…{' '.join(text[max(0, at - 30) : at + len(code) + 20].split())}…）"


def crawl(base: str, username: str) -> tuple[dict[str, list[str]], Counter]:
    opener = sign_in(base, username)
    seen, per_pattern, found = set(), Counter(), {}
    queue = deque([base + "/"])
    while queue:
        url = queue.popleft()
        if url in seen or not url.startswith(base) or any(p in url for p in NOT_FOLLOWED):
            continue
        seen.add(url)
        key = pattern_of(url)
        if key is None or per_pattern[key] >= PER_PATTERN:
            continue
        per_pattern[key] += 1
        try:
            response = opener.open(url)
        except urllib.error.HTTPError as error:
            # a link a user is shown must work for them
            found[url] = [f"HTTP {error.code}"]
            continue
        body, content_type = response.read(), response.headers.get("Content-Type", "")
        text = text_of(body, content_type, url)
        codes = leaks(text)
        if codes:
            found[url] = [in_context(text, code) for code in codes]
        if "html" in content_type:
            page = body.decode("utf-8", errors="replace")
            queue.extend(links(page, response.url) + form_queries(page, response.url))
    return found, per_pattern


@pytest.mark.parametrize("username", ACCOUNTS)
def test_no_internal_code_on_any_page_or_export_of_the_demo(demo_server, username):
    found, patterns = crawl(demo_server, username)
    assert len(patterns) > 5, f"{username} 只读到了 {len(patterns)} 类页面"
    report = "\n".join(f"{url}: {', '.join(codes)}" for url, codes in sorted(found.items()))
    assert not found, f"{username} 读到的页面或导出中有内部代码：\n{report}"


def test_the_demo_shows_a_round_stopped_by_the_gate_beside_the_published_one(demo_server):
    opener = sign_in(demo_server, "pinggu")
    rounds = opener.open(demo_server + "/evaluation/").read().decode()
    links = dict(
        (name, href) for href, name in re.findall(r'<a href="(/evaluation/rounds/\d+/)">([^<]+)</a>', rounds)
    )
    published = visible(opener.open(demo_server + links["2026年第四季度政务公开网上测评"]).read().decode())
    blocked = visible(
        opener.open(demo_server + links["2026年第四季度乡镇（街道）政务公开专项测评"]).read().decode()
    )
    assert "已发布" in published and "尚不能发布" not in published
    assert (
        "发布检查：尚不能发布" in blocked and "个人工评分项待评" in blocked and "个人工评分未复核" in blocked
    )
    assert "条待核实的检查结论未作结论" in blocked
