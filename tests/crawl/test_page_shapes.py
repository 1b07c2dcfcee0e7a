"""Page roles and lone list columns by the page's shape (crawl/roles.py, crawl/listpages.py, crawl/forms.py),
on pages archived alone at their URL and read back as a crawl reads them."""

from __future__ import annotations

from pathlib import Path

from gongkai.crawl import extract_archive
from gongkai.crawl.archive import ArchiveWriter

FOOTER = "<div class='footer'>主办：某某市人民政府 网站标识码：3601000001</div>"


def model_of(tmp_path: Path, url: str, html: str, site: str = "http://www.example.gov.cn/"):
    archive = tmp_path / "page.warc.gz"
    writer = ArchiveWriter(archive)
    body = f"<html><head><meta charset='utf-8'>{html}{FOOTER}</body></html>".encode()
    writer.write_response(url, 200, "OK", [("Content-Type", "text/html; charset=utf-8")], body)
    writer.close()
    return extract_archive(archive, site)


def role(model) -> str:
    [page] = model.pages
    return page.role


# the 银保监会 金融许可证信息 page's query form (its fields as the live page shows them)
LICENCE_QUERY = """<title>金融许可证信息</title></head><body>
<form action="/jr/showLicenceInfo.do" method="post">
机构名称 <input type="text" name="organName"> 机构地址 <input type="text" name="address">
流水号 <input type="text" name="serialNo"> 机构类型 <select name="type"><option>全部</option></select>
<input type="hidden" name="page" value="1"><input type="submit" value="查询"></form>
<div>注：“发证日期”是监管部门对金融机构颁（换）发许可证的制证日期。</div>"""


def test_a_query_system_page_is_a_service_page(tmp_path):
    assert role(model_of(tmp_path, "http://xkz.example.gov.cn/jr/", LICENCE_QUERY)) == "service"


def test_a_page_with_a_site_search_box_is_still_an_article(tmp_path):
    html = """<title>关于开展安全检查的通知_某某市人民政府</title></head><body>
    <form action="/search"><input type="text" name="q"><input type="submit" value="搜索"></form>
    <h1 class="title">关于开展安全检查的通知</h1><div>发布时间：2026-03-02</div>
    <div class="TRS_Editor"><p>各区县人民政府：现就开展安全检查有关事项通知如下。</p></div>"""
    model = model_of(tmp_path, "http://www.example.gov.cn/xwzx/202603/t20260302_1.html", html)
    assert role(model) == "article" and model.columns == ()


def test_the_site_root_index_page_is_the_homepage(tmp_path):
    html = "<title>某某集团</title></head><body><div>集团要闻</div>"
    assert (
        role(model_of(tmp_path, "http://www.example.com/index.html", html, "http://www.example.com/"))
        == "home"
    )


def test_a_filtered_list_page_with_dated_rows_is_a_list_column(tmp_path):
    rows = "".join(
        f"<div><a href='/gsgg/2026090{d}/t2026090{d}_{d}.htm'>关于第{d}批项目的公示</a><p>2026-09-0{d}</p></div>"
        for d in range(1, 6)
    )
    html = f"""<title>公示公告_某某市人民政府</title></head><body>
    <form>发布时间 <input type="text" name="from"> 至 <input type="text" name="to"> 关键字 <input name="kw">
    <button>搜索</button></form><div class="box">{rows}</div><div>共595条记录 1/30页</div>"""
    model = model_of(tmp_path, "http://www.example.gov.cn/gsgg/", html)
    assert role(model) == "list"
    [column] = model.columns
    assert column.name == "公示公告" and column.kind == "notice"
    assert [it.date.day for it in column.items] == [1, 2, 3, 4, 5]


def test_a_list_page_whose_rows_show_no_dates_makes_no_column(tmp_path):
    # a 网站地图-like page of links: no dated rows, no column (column.blank must not judge it blank)
    links = "".join(f"<li><a href='/lm{i}/'>栏目名称{i}</a></li>" for i in range(12))
    model = model_of(
        tmp_path, "http://www.example.gov.cn/wzdt/", f"<title>栏目导航</title></head><body><ul>{links}</ul>"
    )
    assert model.columns == ()


def test_the_pages_of_one_list_met_alone_make_one_column(tmp_path):
    # PowerEasy numbers its list pages Index_2.aspx …, which the crawler does not know as a pager: the
    # pages are one column (its newest row decides staleness), not one column per page
    archive = tmp_path / "list.warc.gz"
    writer = ArchiveWriter(archive)
    for page, year in ((1, 2026), (63, 2011)):
        rows = "".join(
            f"<li><span class='date'>{year}-07-0{d}</span><a href='/Item/{page}{d}.aspx'>学校新闻第{page}页第{d}条</a></li>"
            for d in range(1, 5)
        )
        html = f"<html><head><title>学校新闻-某某中学</title></head><body><ul class='news'>{rows}</ul>{FOOTER}</body></html>"
        url = (
            "http://www.example.edu.cn/Category_21/Index.aspx"
            if page == 1
            else f"http://www.example.edu.cn/Category_21/Index_{page}.aspx"
        )
        writer.write_response(url, 200, "OK", [("Content-Type", "text/html; charset=utf-8")], html.encode())
    writer.close()
    [column] = extract_archive(archive, "http://www.example.edu.cn/").columns
    assert column.url == "http://www.example.edu.cn/Category_21/Index.aspx" and column.pages == 2
    assert len(column.items) == 8 and max(it.date for it in column.items).year == 2026
