"""Page roles on real HTML: the corpus's government pages and a small site served on loopback with the
pages that used to draw false FAILs (联系我们, 网站地图, 无障碍, news outside the 专栏, list pages).
Roles are the same live and offline, and the checks scoped to 专栏 documents leave the rest alone."""

from __future__ import annotations

import asyncio
import datetime as dt
import io
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from gongkai.checks import all_checks, run_check
from gongkai.crawl import CrawlConfig, crawl_many, extract_archive
from gongkai.model import SiteModel, Verdict

GOV_PAGES = Path(__file__).resolve().parents[2] / ".." / "shared" / "corpus" / "gov_pages"
HTML = "text/html; charset=utf-8"
AS_OF = dt.date(2026, 11, 20)
META = (
    '<meta name="SiteName" content="某某区人民政府"><meta name="SiteDomain" content="www.mm.gov.cn">'
    '<meta name="SiteIDCode" content="3502130001">'
)
FOOTER = (
    '<div class="footer"><a href="/lxwm/">联系我们</a> | <a href="/wzdt/">网站地图</a> | '
    '<a href="/wza/index.html">无障碍</a><p>主办单位：某某区人民政府办公室 网站标识码：3502130001 '
    "闽ICP备05023245号 闽公网安备 35021302000101号</p></div>"
)


def page(title: str, body: str, meta: str = META) -> str:
    return (
        f'<html><head><meta charset="utf-8"><title>{title}</title>{meta}</head>'
        f"<body>{body}{FOOTER}</body></html>"
    )


def article_meta(title: str, date: str) -> str:
    return META + f'<meta name="ArticleTitle" content="{title}"><meta name="PubDate" content="{date} 09:00">'


def rows(prefix: str, titles: list[str], day0: int = 18) -> str:
    items = "".join(
        f'<li><a href="{prefix}202611/t202611{day0 - i:02d}_{i}.html">{t}</a><span>2026-11-{day0 - i:02d}</span></li>'
        for i, t in enumerate(titles)
    )
    return f'<ul class="list">{items}</ul>'


NEWS = [f"区领导调研第{n}季度重点项目建设情况" for n in range(1, 11)]
MORE_NEWS = [f"我区召开第{n}次安全生产工作会议" for n in range(1, 4)]
VARIANTS = [("zfcg", "政府采购"), ("xzcf", "行政处罚"), ("xzqz", "行政强制"), ("yjgl", "应急管理")]
ZWDT = ["区政府召开第十次常务会议", "区长主持召开防汛工作会议"]
AREAS = [("shjz", "社会救助"), ("aqsc", "安全生产"), ("sthj", "生态环境")]
POLICIES = ["关于印发某某区农村人居环境整治方案的通知", "关于进一步加强安全生产工作的意见"]


def metadata_table(title: str, number: str) -> str:
    return (
        '<table class="xxgk-meta"><tr><td>索引号：</td><td>' + number + "</td><td>发布机构：</td>"
        "<td>某某区人民政府办公室</td></tr><tr><td>成文日期：</td><td>2026-11-10</td><td>发布日期：</td>"
        f"<td>2026-11-12</td></tr><tr><td>名称：</td><td>{title}</td><td>文号：</td><td>某政〔2026〕3号</td></tr>"
        "</table>"
    )


def news_body(title: str, day: int) -> str:
    """News carry a small info table, read as metadata: not a 专栏 document for all that."""
    return (
        f"<h1>{title}</h1><table><tr><td>发布时间：</td><td>2026-11-{day:02d}</td><td>来源：</td>"
        "<td>区政府办</td><td>发布机构：</td><td>区政府办</td></tr></table><p>正文内容。</p>"
    )


def serve_site(server: HTTPServer) -> str:
    home_nav = '<div class="nav"><a href="/zfxxgk/">政府信息公开</a> <a href="/xwzx/gzdt/">工作动态</a></div>'
    pages = {
        "/": page("某某区人民政府", home_nav + rows("/xwzx/gzdt/", NEWS[:5])),
        "/xwzx/gzdt/": page(
            "工作动态_某某区人民政府",
            home_nav
            + rows("/xwzx/gzdt/", NEWS)
            + '<div class="page"><a href="index_1.html">下一页</a></div>',
        ),
        "/xwzx/gzdt/index_1.html": page(
            "工作动态_某某区人民政府", home_nav + rows("/xwzx/gzdt/", MORE_NEWS, day0=8)
        ),
        "/zfxxgk/": page(
            "政府信息公开_某某区人民政府",
            '<div class="left"><ul><li><a href="/zfxxgk/zn/">政府信息公开指南</a></li>'
            '<li><a href="/zfxxgk/fdzdgknr/">法定主动公开内容</a><ul>'
            '<li><a href="/zfxxgk/fdzdgknr/zcwj/">政策文件</a></li></ul></li>'
            '<li><a href="/zfxxgk/zdly/">重点领域信息公开</a></li>'
            '<li><a href="/zfxxgk/zwdt/">政务动态</a></li>'
            + "".join(f'<li><a href="/zfxxgk/{slug}/">{name}</a></li>' for slug, name in VARIANTS)
            + "</ul></div>",
        ),
        "/zfxxgk/zdly/": page(  # the areas, undated: a page of the catalogue, not a list of items
            "重点领域信息公开",
            '<ul class="list">'
            + "".join(f'<li><a href="/zfxxgk/zdly/{slug}/">{name}</a></li>' for slug, name in AREAS)
            + "</ul>",
        ),
        "/zfxxgk/fdzdgknr/": page(
            "法定主动公开内容",
            '<ul class="list"><li><a href="/zfxxgk/fdzdgknr/zcwj/">政策文件</a></li>'
            '<li><a href="/zfxxgk/fdzdgknr/qtwj/">其他文件</a></li></ul>',
        ),
        "/zfxxgk/fdzdgknr/zcwj/": page("政策文件", rows("/zfxxgk/fdzdgknr/zcwj/", POLICIES, day0=12)),
        "/zfxxgk/fdzdgknr/qtwj/": page(
            "其他文件",
            rows("/zfxxgk/fdzdgknr/qtwj/", ["关于公布某某区2026年度权责清单的通知"], day0=5)
            + '<div class="page"><a href="index_1.html">下一页</a></div>',
        ),
        "/zfxxgk/fdzdgknr/qtwj/index_1.html": page("其他文件", "<p>暂无信息</p>"),
        "/lxwm/": page(
            "联系我们_某某区人民政府",
            "<h1>联系我们</h1><p>地址：某某区行政中心1号楼 电话：0592-7889000 邮编：361101</p>"
            "<table><tr><td>办公室主任 王某</td><td>13859200001</td></tr>"
            "<tr><td>值班 李某</td><td>13859200002</td></tr></table>",
            meta="",
        ),
        "/wzdt/": page(
            "网站地图_某某区人民政府",
            '<h1>网站地图</h1><ul><li><a href="/xwzx/gzdt/">工作动态</a></li>'
            '<li><a href="/zfxxgk/">政府信息公开</a></li></ul>',
            meta="",
        ),
        "/wza/index.html": page("无障碍浏览", "<h1>无障碍浏览</h1><p>本站支持读屏软件。</p>", meta=""),
        "/zfxxgk/zn/": page(
            "某某区人民政府信息公开指南",
            "<h1>某某区人民政府信息公开指南</h1><p>受理机构：某某区人民政府办公室。</p>",
            meta=article_meta("某某区人民政府信息公开指南", "2026-01-05"),
        ),
    }
    for i, title in enumerate(NEWS + MORE_NEWS):
        day = 18 - i if i < len(NEWS) else 8 - (i - len(NEWS))
        body = news_body(title, day)
        pages[f"/xwzx/gzdt/202611/t202611{day:02d}_{i if i < len(NEWS) else i - len(NEWS)}.html"] = page(
            title, body, meta=article_meta(title, f"2026-11-{day:02d}")
        )
    for i, title in enumerate(POLICIES):
        body = f"<h1>{title}</h1>" + metadata_table(title, f"MM0001/2026-0000{i + 1}") + "<p>正文。</p>"
        pages[f"/zfxxgk/fdzdgknr/zcwj/202611/t202611{12 - i:02d}_{i}.html"] = page(
            title, body, meta=article_meta(title, f"2026-11-{12 - i:02d}")
        )
    other = "关于公布某某区2026年度权责清单的通知"
    pages["/zfxxgk/fdzdgknr/qtwj/202611/t20261105_0.html"] = page(
        other,
        f"<h1>{other}</h1>" + metadata_table(other, "MM0001/2026-00009") + "<p>正文。</p>",
        meta=article_meta(other, "2026-11-05"),
    )
    for slug, name in VARIANTS:  # columns under regional names (政府采购 for 政府集中采购 ...)
        base = f"/zfxxgk/{slug}/"
        pages[base] = page(name, rows(base, [f"{name}事项公告"], day0=6))
        pages[f"{base}202611/t20261106_0.html"] = page(
            name, f"<h1>{name}事项公告</h1>", meta=article_meta(f"{name}事项公告", "2026-11-06")
        )
    pages["/zfxxgk/zwdt/"] = page("政务动态", rows("/zfxxgk/zwdt/", ZWDT, day0=17))
    for i, title in enumerate(ZWDT):  # news under the 专栏's path: still news, not a disclosed item
        pages[f"/zfxxgk/zwdt/202611/t202611{17 - i:02d}_{i}.html"] = page(
            title, news_body(title, 17 - i), meta=article_meta(title, f"2026-11-{17 - i:02d}")
        )
    for slug, name in AREAS:
        base = f"/zfxxgk/zdly/{slug}/"
        pages[base] = page(
            name,
            rows(base, [f"{name}政策{n}" for n in range(1, 3)], day0=9)
            + '<div class="page"><a href="index_1.html">下一页</a></div>',
        )
        pages[base + "index_1.html"] = page(name, rows(base, [f"{name}通知{n}" for n in range(1, 3)], day0=3))
        for n, day in ((0, 9), (1, 8), (0, 3), (1, 2)):
            title = f"{name}信息"
            pages[f"{base}202611/t202611{day:02d}_{n}.html"] = page(
                title, f"<h1>{title}</h1>", meta=article_meta(title, f"2026-11-{day:02d}")
            )
    server.expect_request("/robots.txt").respond_with_data("", status=404)
    for path, html in pages.items():
        server.expect_request(path).respond_with_data(html, content_type=HTML)
    return server.url_for("/")


@pytest.fixture()
def crawled(httpserver: HTTPServer, tmp_path: Path) -> tuple[SiteModel, SiteModel]:
    root = serve_site(httpserver)
    config = CrawlConfig(rate=500, timeout_s=5, retries=0, max_pages=80)
    result = asyncio.run(crawl_many([root], tmp_path, config))[0]
    return result.site_model, extract_archive(Path(result.archive), root)


def roles_of(model: SiteModel) -> dict[str, str]:
    return {p.url.split("/", 3)[3]: p.role for p in model.pages if not p.url.endswith("robots.txt")}


def test_every_page_gets_its_role_live_and_offline_alike(crawled):
    live, offline = crawled
    roles = roles_of(live)
    assert roles == roles_of(offline)
    assert roles[""] == "home"
    assert roles["zfxxgk/"] == "catalogue"
    assert roles["zfxxgk/fdzdgknr/"] == "catalogue"  # leads to sub-columns only
    assert roles["zfxxgk/zdly/"] == "catalogue"  # its rows are the areas' list pages
    assert {roles[f"zfxxgk/zdly/{slug}/"] for slug, _ in AREAS} == {"list"}
    assert roles["xwzx/gzdt/"] == roles["xwzx/gzdt/index_1.html"] == "list"
    assert roles["zfxxgk/fdzdgknr/zcwj/"] == "list"
    assert roles["zfxxgk/fdzdgknr/qtwj/"] == "list"  # a column the catalogue does not link: read as a list
    assert roles["lxwm/"] == roles["wzdt/"] == roles["wza/index.html"] == "service"
    assert roles["zfxxgk/zn/"] == "zhuanlan_document"
    news = [url for url in roles if url.startswith("xwzx/gzdt/202611/")]
    assert len(news) == len(NEWS) + len(MORE_NEWS) and {roles[u] for u in news} == {"article"}
    policies = [url for url in roles if url.startswith("zfxxgk/fdzdgknr/zcwj/202611/")]
    assert len(policies) == 2 and {roles[u] for u in policies} == {"zhuanlan_document"}
    assert roles["zfxxgk/fdzdgknr/qtwj/202611/t20261105_0.html"] == "zhuanlan_document"  # its 索引号
    zwdt = [url for url in roles if url.startswith("zfxxgk/zwdt/202611/")]
    assert len(zwdt) == 2 and {roles[u] for u in zwdt} == {"article"}  # news, though under /zfxxgk/


def fails(check_id: str, model: SiteModel) -> list[str]:
    return [f.subject for f in run_check(check_id, model, AS_OF) if f.verdict is Verdict.FAIL]


def test_service_pages_news_and_lists_draw_no_metadata_fail(crawled):
    for model in crawled:
        assert fails("meta.missing", model) == []  # news articles carry no 索引号 and are not judged
        # 联系我们, 网站地图, 无障碍 lack the site's tags, which every page carries (网页设计规范): they fail
        # for those three, never for the content pages' ArticleTitle/PubDate
        site_meta = [f for f in run_check("site.meta", model, AS_OF) if f.verdict is Verdict.FAIL]
        assert {f.subject for f in site_meta} == {"SiteName", "SiteDomain", "SiteIDCode"}
        paths = {e.url.split("/", 3)[3] for f in site_meta for e in f.evidence}
        assert paths == {"lxwm/", "wzdt/", "wza/index.html"}
        assert fails("item.undated", model) == [] and fails("column.blank", model) == []  # 重点领域's areas
        assert fails("privacy.mobile", model) == []  # the 联系我们 page's work mobiles
        judged = [f for f in run_check("meta.missing", model, AS_OF) if f.verdict is Verdict.PASS]
        assert judged and judged[0].message.startswith("3 条")  # the three 专栏 documents


def test_columns_under_regional_names_are_found_and_satisfy_the_catalogue(crawled):
    for model in crawled:
        kinds = {c.name: c.kind for c in model.columns}
        assert {kinds[name] for _, name in VARIANTS} == {"procurement", "enforcement", "emergency"}
        found = run_check(
            "column.missing", model, AS_OF, {"catalogue": ["procurement", "penalty", "emergency"]}
        )
        assert [f.verdict for f in found] == [Verdict.PASS]
        assert "「政府采购」" in found[0].evidence[0].snippet


def test_a_zhuanlan_document_missing_its_metadata_still_fails(crawled):
    live, _ = crawled
    [policy] = [d for d in live.documents if "zcwj/202611" in d.url][:1]
    import dataclasses

    stripped = dataclasses.replace(policy, index_number="", metadata={})
    model = dataclasses.replace(live, documents=tuple(stripped if d is policy else d for d in live.documents))
    assert fails("meta.missing", model) == [policy.url]


def test_every_check_declares_the_roles_it_judges():
    roles = {spec.id: spec.roles for spec in all_checks().values()}
    assert roles["meta.missing"] == {"zhuanlan_document"}
    assert "service" in roles["site.meta"] and "list" in roles["site.meta"]  # site tags: every page
    assert roles["privacy.id_number"] >= {"attachment", "service", "article", "zhuanlan_document"}
    assert "service" not in roles["privacy.mobile"]  # work contacts on 联系我们 are not a leak


def archived(tmp_path: Path, name: str, url: str) -> SiteModel:
    path = tmp_path / "page.warc.gz"
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        headers = StatusAndHeaders("200 OK", [("Content-Type", HTML)], protocol="HTTP/1.1")
        body = io.BytesIO((GOV_PAGES / name).read_bytes())
        writer.write_record(writer.create_warc_record(url, "response", payload=body, http_headers=headers))
    return extract_archive(path, url.split("/", 3)[0] + "//" + url.split("/")[2] + "/")


@pytest.mark.corpus
@pytest.mark.parametrize(
    ("name", "url", "role"),
    [
        ("handan-xxgk-detail-2020.html", "http://hdzfxxgk.hd.gov.cn/gszbm/auto23716/202008/t20200802_1352000.html", "zhuanlan_document"),
        ("handan-xxgk-list-jinqixxgk-2020.html", "http://hdzfxxgk.hd.gov.cn/zfwj/jinqixxgk/", "list"),
        ("handan-xxgk-guide-zfxxgkzn-2020.html", "http://hdzfxxgk.hd.gov.cn/zfxxgkzn/", "catalogue"),  # undated links to departments' guide directories
        ("govcn-zhengce-detail-5365945-fragment.html", "http://www.gov.cn/zhengce/content/2019-02/15/content_5365945.htm", "zhuanlan_document"),
    ],
)  # fmt: skip
def test_real_government_pages_get_their_roles(tmp_path, name, url, role):
    model = archived(tmp_path, name, url)
    assert [p.role for p in model.pages] == [role]


@pytest.mark.corpus
def test_the_handan_list_page_is_not_judged_as_a_document_missing_metadata(tmp_path):
    # its table header (名称 | 索引号 | 发布机构 | 发布日期) reads as a metadata block
    model = archived(
        tmp_path, "handan-xxgk-list-jinqixxgk-2020.html", "http://hdzfxxgk.hd.gov.cn/zfwj/jinqixxgk/"
    )
    assert fails("meta.missing", model) == [] and fails("meta.index_invalid", model) == []
    assert fails("site.meta", model) == []


def test_docs_list_the_roles_each_check_judges():
    import re

    doc = (Path(__file__).resolve().parents[2] / "docs" / "checks.md").read_text(encoding="utf-8")
    for spec in all_checks().values():
        [row] = [line for line in doc.splitlines() if line.startswith(f"| `{spec.id}` |")]
        cell = row.rstrip(" |").rsplit(" | ", 1)[1]
        listed = set(re.findall(r"`([a-z_]+)`", cell)) if cell != "全部" else {"全部"}
        assert listed == ({"全部"} if len(spec.roles) == 8 else set(spec.roles)), spec.id


def test_the_crawler_and_the_checks_share_one_role_vocabulary():
    from gongkai.checks.registry import ROLES
    from gongkai.crawl.roles import ROLE_NAMES

    assert set(ROLE_NAMES) == set(ROLES)
