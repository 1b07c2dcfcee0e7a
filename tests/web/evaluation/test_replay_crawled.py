"""Replay of a WARC the crawler wrote from a real crawl of a local site: the unit's list of archived pages,
and each page with its images and stylesheet inlined from the archive when it holds them, or a dashed
"图片未存档" placeholder when not (the crawler itself fetches no images or stylesheets); nothing is fetched
from anywhere while replaying, and the page is still sanitised."""

from __future__ import annotations

import base64
import re

import pytest
from django.test import Client
from tests.web.evaluation.conftest import new_round

from gongkai.crawl import CrawlConfig, crawl_site
from gongkai.crawl.archive import ArchiveWriter
from gongkai.web.evaluation.models import RoundUnit
from gongkai.web.testing import make_unit, make_user

pytestmark = pytest.mark.django_db

# a 1x1 PNG
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)
HOME = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>云岭市财政局门户网站</title>
<link rel="stylesheet" href="/css/site.css"><script>document.title = "SCRIPT RAN"</script></head>
<body><img src="/img/logo.png" alt="网站标志"><img src="/img/banner.jpg" alt="横幅">
<h1 onclick="alert(1)">云岭市财政局</h1><ul><li><a href="/tzgg/a.html">关于开展2026年预算公开检查的通知</a> 2026-03-02</li></ul>
</body></html>"""
DETAIL = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>关于开展2026年预算公开检查的通知</title></head>
<body><h1>关于开展2026年预算公开检查的通知</h1><p>发布日期：2026-03-02</p><img src="/img/seal.png" alt="印章"></body></html>"""
CSS = (
    "@import url(/css/more.css);\nbody{color:#123456;background:url(../img/logo.png) no-repeat}\n"
    "h1{behavior:url(/x.htc);width:expression(alert(1))}\n.x{background:url(/img/none.gif)}"
)


@pytest.fixture
def crawled(httpserver, tmp_path):
    html = {"content_type": "text/html; charset=utf-8"}
    httpserver.expect_request("/robots.txt").respond_with_data(
        "User-agent: *\nAllow: /\n", content_type="text/plain"
    )
    httpserver.expect_request("/").respond_with_data(HOME, **html)
    httpserver.expect_request("/tzgg/a.html").respond_with_data(DETAIL, **html)
    httpserver.expect_request("/css/site.css").respond_with_data(CSS, content_type="text/css")
    httpserver.expect_request("/img/logo.png").respond_with_data(PNG, content_type="image/png")
    config = CrawlConfig(rate=200, concurrency_per_host=1, retries=0, probe_external=False)
    result = crawl_site(httpserver.url_for("/"), tmp_path, config)
    assert result.pages >= 2 and result.archive.is_file()
    fetched = {request.path for request, _ in httpserver.log}
    assert "/tzgg/a.html" in fetched and not fetched & {"/css/site.css", "/img/logo.png"}  # pages only
    unit = make_unit("云岭市财政局", short_name="市财政局", website=httpserver.url_for("/"))
    ru = RoundUnit.objects.create(
        round=new_round(), unit=unit, group="department", status="done", url=unit.website,
        archive=str(result.archive),
    )  # fmt: skip
    client = Client()
    client.force_login(make_user("pinggu", "evaluator"))
    return ru, client, httpserver


def add_requisites(ru, server) -> None:
    """Page requisites as a capturing browser would have archived them beside the crawl's pages."""
    writer = ArchiveWriter(ru.archive, append=True)
    writer.write_response(
        server.url_for("/css/site.css"), 200, "OK", [("Content-Type", "text/css")], CSS.encode()
    )
    writer.write_response(server.url_for("/img/logo.png"), 200, "OK", [("Content-Type", "image/png")], PNG)
    writer.close()


def replay(client, ru, url: str) -> tuple[str, str]:
    """The wrapper page and the sanitised page of its frame."""
    wrapper = client.get(f"/evaluation/units/{ru.pk}/archive/", {"url": url}).content.decode()
    frame = re.search(r'<iframe[^>]* src="([^"]+)"', wrapper).group(1).replace("&amp;", "&")
    page = client.get(frame)
    assert (
        page["Content-Security-Policy"].startswith("default-src 'none'")
        and "sandbox" in page["Content-Security-Policy"]
    )
    return wrapper, page.content.decode()


def test_the_units_archived_pages_are_listed_with_titles_and_open_in_the_replay(crawled):
    ru, client, server = crawled
    index = client.get(f"/evaluation/units/{ru.pk}/archive/pages/").content.decode()
    assert "本批次抓取时存档的网页共 2 个" in index
    assert "云岭市财政局门户网站" in index and "关于开展2026年预算公开检查的通知" in index
    link = re.search(r'<a href="([^"]+)">关于开展2026年预算公开检查的通知</a>', index).group(1)
    opened = client.get(link.replace("&amp;", "&")).content.decode()
    assert "抓取时间" in opened and "（北京时间）" in opened and server.url_for("/tzgg/a.html") in opened
    found = client.get(f"/evaluation/units/{ru.pk}/archive/pages/", {"q": "门户"}).content.decode()
    assert "其中 1 个的网址或标题含“门户”" in found and "预算公开检查的通知</a>" not in found
    for where in (f"/evaluation/units/{ru.pk}/", f"/evaluation/rounds/{ru.round_id}/"):  # unit and round pages
        assert f'href="/evaluation/units/{ru.pk}/archive/pages/"' in client.get(where).content.decode(), where


def test_images_and_stylesheets_not_archived_show_as_placeholders(crawled):
    ru, client, server = crawled
    wrapper, page = replay(client, ru, server.url_for("/"))
    assert "图片 2 张、样式表 1 个抓取时未存档" in wrapper
    assert "［图片未存档：网站标志］" in page and "［图片未存档：横幅］" in page and "gk-missing" in page
    assert "<img" not in page and "<link" not in page.lower() and "<script" not in page.lower()
    assert "onclick" not in page


def test_images_and_stylesheets_in_the_archive_are_inlined_and_nothing_is_fetched(crawled):
    ru, client, server = crawled
    add_requisites(ru, server)
    wrapper, page = replay(client, ru, server.url_for("/"))
    assert "存档中的图片 1 张、样式表 1 个按原样显示" in wrapper and "图片 1 张抓取时未存档" in wrapper
    logo = "data:image/png;base64," + base64.b64encode(PNG).decode()
    assert f'src="{logo}"' in page and "［图片未存档：横幅］" in page
    assert 'body{color:#123456;background:url("' + logo in page  # the stylesheet, with its image inlined
    assert (
        "@import" not in page
        and "expression(" not in page
        and "behavior:" not in page.replace("/*已移除*/", "")
    )
    assert ".x{background:none}" in page  # an image the archive lacks is simply absent
    host = server.url_for("/").rstrip("/")
    assert not re.search(r'(src|href)="' + re.escape(host), page)  # nothing points back at the site
    index = client.get(f"/evaluation/units/{ru.pk}/archive/pages/").content.decode()
    assert "存档中另有图片 1 张、样式表 1 个" in index and "共 2 个" in index  # requisites are not pages
    _, detail = replay(client, ru, server.url_for("/tzgg/a.html"))
    assert "［图片未存档：印章］" in detail


def test_only_the_units_own_people_see_its_archive_list(crawled):
    ru, _client, _server = crawled
    stranger = Client()
    stranger.force_login(make_user("caizheng", "liaison", unit=make_unit("云岭市教育局")))
    assert stranger.get(f"/evaluation/units/{ru.pk}/archive/pages/").status_code == 404
    own = Client()
    own.force_login(make_user("czj", "liaison", unit=ru.unit))
    assert own.get(f"/evaluation/units/{ru.pk}/archive/pages/").status_code == 200
