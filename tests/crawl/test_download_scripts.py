"""Attachments served by download scripts: the type is named by the query (Hanweb's downfile.jsp) or
only by the answer's headers (download.do?id=7 with Content-Disposition). Either way they are a
document's attachments, with their text read, live and rebuilt from the archive."""

from __future__ import annotations

import asyncio
from pathlib import Path

from pytest_httpserver import HTTPServer

from gongkai.crawl import CrawlConfig, crawl_many, extract_archive
from gongkai.crawl.resource import ext_of, file_type
from gongkai.fleet.files import docx_bytes

ARTICLE = """<html><head><meta charset="utf-8"><meta name="ArticleTitle" content="关于印发实施方案的通知">
<title>关于印发实施方案的通知</title></head><body><h1>关于印发实施方案的通知</h1>
<div class="TRS_Editor"><p>现将实施方案印发给你们，请认真贯彻执行。</p></div>
<div class="fj"><p>附件：</p>
<p><a href="/attach/download.do?id=7">实施方案</a></p>
<p><a href="/module/download/downfile.jsp?classid=0&amp;filename=1911191234567.docx">起草说明</a></p></div>
</body></html>"""


def test_download_scripts_are_attachments_with_their_text(httpserver: HTTPServer, tmp_path: Path) -> None:
    home = '<html><head><meta charset="utf-8"><title>某县人民政府</title></head><body>'
    home += '<a href="/art/1.html">关于印发实施方案的通知</a></body></html>'
    html = "text/html; charset=utf-8"
    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)
    httpserver.expect_request("/").respond_with_data(home, content_type=html)
    httpserver.expect_request("/art/1.html").respond_with_data(ARTICLE, content_type=html)
    plan = docx_bytes("某县乡村振兴实施方案", ("一、总体要求。",))
    # the file name in raw UTF-8, as many Chinese servers send it
    disposition = 'attachment; filename="实施方案.DOCX"'.encode().decode("latin-1")
    httpserver.expect_request("/attach/download.do", query_string="id=7").respond_with_data(
        plan, content_type="application/octet-stream", headers={"Content-Disposition": disposition}
    )
    note = docx_bytes("起草说明", ("本方案起草过程中征求了各部门意见。",))
    httpserver.expect_request("/module/download/downfile.jsp").respond_with_data(
        note, content_type="application/octet-stream"
    )
    seed = httpserver.url_for("/")
    config = CrawlConfig(rate=200, timeout_s=5, retries=0)
    result = asyncio.run(crawl_many([seed], tmp_path, config))[0]
    for model in (result.site_model, extract_archive(Path(result.archive), seed)):
        (doc,) = model.documents
        got = {a.name: (a.kind, a.status, a.text) for a in doc.attachments}
        assert set(got) == {"实施方案", "起草说明"}
        assert got["实施方案"][:2] == ("docx", 200) and "乡村振兴实施方案" in got["实施方案"][2]
        assert got["起草说明"][:2] == ("docx", 200) and "征求了各部门意见" in got["起草说明"][2]
        kinds = {p.url.split("/", 3)[-1]: p.kind for p in model.pages}
        assert kinds["attach/download.do?id=7"] == "attachment"
        assert all(link.is_attachment for link in model.links if "download" in link.url)


def test_what_a_download_names_its_file() -> None:
    assert (
        ext_of("http://x.gov.cn/module/download/downfile.jsp?classid=0&filename=1911191234567.pdf") == "pdf"
    )
    assert ext_of("http://x.gov.cn/down.aspx?fileName=%E6%96%B9%E6%A1%88.xlsx&id=3") == "xlsx"
    assert ext_of("http://x.gov.cn/list.jsp?page=2&name=a.b") == "jsp"  # no attachment named
    assert (
        file_type("application/octet-stream", "attachment; filename*=UTF-8''%E6%96%B9%E6%A1%88.PDF") == "pdf"
    )
    assert file_type("application/octet-stream", 'inline; filename="a.ofd"; size=3') == "ofd"
    assert file_type("application/vnd.ms-excel; charset=GBK", "") == "xls"
    assert file_type("application/octet-stream", 'attachment; filename="a.exe"') == ""


def test_a_cookie_check_redirect_is_passed_as_a_browser_would(httpserver: HTTPServer, tmp_path: Path) -> None:
    """The first visit gets Set-Cookie and a redirect to the same page; the page comes once the
    request carries the cookie (a load balancer's or firewall's check; no script involved)."""
    from werkzeug import Request, Response

    page = '<html><head><meta charset="utf-8"><title>某县人民政府</title></head><body>'
    page += '<a href="/art/1.html">关于印发实施方案的通知</a></body></html>'

    def checked(body: str):  # noqa: ANN202
        def handler(request: Request) -> Response:
            if request.cookies.get("lb_check") == "ok":
                return Response(body, content_type="text/html; charset=utf-8")
            answer = Response("", status=302, headers={"Location": request.path})
            answer.set_cookie("lb_check", "ok", path="/")
            return answer

        return handler

    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)
    httpserver.expect_request("/").respond_with_handler(checked(page))
    httpserver.expect_request("/art/1.html").respond_with_handler(checked(ARTICLE))
    seed = httpserver.url_for("/")
    result = asyncio.run(crawl_many([seed], tmp_path, CrawlConfig(rate=200, timeout_s=5, retries=0)))[0]
    assert not [f for f in result.faults if "重定向" in f], result.faults
    assert [d.title for d in result.site_model.documents] == ["关于印发实施方案的通知"]
