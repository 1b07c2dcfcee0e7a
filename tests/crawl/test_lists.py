"""List pages: the main list among navigation, dates in every format, pins, placeholders, pager scripts."""

from __future__ import annotations

import datetime as dt

from selectolax.lexbor import LexborHTMLParser

from gongkai.crawl.discover import discover_html, trs_pages
from gongkai.crawl.extract import html_list_items, xml_list_items

TODAY = dt.date(2026, 11, 21)
PAGE = """<html><body>
<div class="nav"><ul><li><a href="/">首页</a></li><li><a href="/tzgg/">通知公告</a></li></ul></div>
<div class="main"><ul class="list">
 <li class="top"><span>[置顶]</span><a href="/tzgg/202401/t20240105_1.html">申请渠道公告</a><span>2024-01-05</span></li>
 <li><a href="/tzgg/202611/t20261118_2.html" title="关于2026年度检查的通知（全文）">关于2026年度检查的通知</a><span>[11-18]</span></li>
 <li><a href="/tzgg/202512/t20251230_3.html">年终工作安排</a><span>12-30</span></li>
 <li><a href="/tzgg/202610/t20261002_4.html">索引号 2026-02-00018 的文件</a><span>2026年10月2日</span></li>
 <li><a href="/tzgg/202609/t20260901_5.html">无日期条目</a></li>
</ul></div>
<div class="footer"><a href="/about.html">关于我们</a> 2026-11-20 更新</div>
</body></html>"""


def items():
    return html_list_items(LexborHTMLParser(PAGE), "http://x.gov.cn/tzgg/", "http://x.gov.cn/tzgg/", TODAY)


def test_the_main_list_is_chosen_over_navigation_and_footer() -> None:
    got, placeholder = items()
    assert not placeholder
    assert [i.url.rsplit("_", 1)[1] for i in got] == ["1.html", "2.html", "3.html", "4.html", "5.html"]


def test_dates_pins_titles_and_short_dates() -> None:
    got, _ = items()
    assert [i.date for i in got] == [
        dt.date(2024, 1, 5),
        dt.date(2026, 11, 18),
        dt.date(2025, 12, 30),  # 12-30 would be in the future this year: last year
        dt.date(2026, 10, 2),  # not fooled by the 索引号 in the title
        None,
    ]
    assert [i.pinned for i in got] == [True, False, False, False, False]
    assert got[1].title == "关于2026年度检查的通知（全文）"  # the title attribute when present
    assert max(i.date for i in got if i.date) == dt.date(2026, 11, 18)


def test_a_placeholder_list_is_reported() -> None:
    page = "<html><body><div class='main'><ul><li>暂无信息</li></ul></div></body></html>"
    got, placeholder = html_list_items(LexborHTMLParser(page), "http://x/", "c", TODAY)
    assert got == [] and placeholder


def test_trs_pager_variants() -> None:
    assert trs_pages("http://x/a/index.html", 'createPageHTML(3, 0, "index", "html");') == [
        "http://x/a/index_1.html",
        "http://x/a/index_2.html",
    ]
    assert trs_pages("http://x/a/", "createPageHTML('page_div',4, 1,'index','shtml',60);")[-1] == (
        "http://x/a/index_3.shtml"
    )
    assert trs_pages("http://x/a/", "var countPage = 2//共多少页") == ["http://x/a/index_1.html"]


def test_generic_pager_links_are_pagination_not_hops() -> None:
    page = (
        "<a href='list.html?page=2'>下一页</a><a href='list.html?page=9'>尾页</a>"
        "<a href='/content/post_1.html'>第一篇</a>"
    )
    d = discover_html("http://x/news/list.html", page)
    assert d.pagination == ["http://x/news/list.html?page=2", "http://x/news/list.html?page=9"]
    assert [u for u, _ in d.links] == ["http://x/content/post_1.html"]


HANWEB_PAGE = """<datastore><nextgroup><![CDATA[<a href="x">next</a>]]></nextgroup><recordset>
<record><![CDATA[<li><a href="/art/2026/11/3/art_1229_1.html" title="关于做好冬季供暖工作的通知">关于做好冬季供暖工作的通知</a><span>2026-11-03</span></li>]]></record>
<record><![CDATA[<table><tr><td><a href="/art/2026/10/9/art_1229_2.html">二〇二六年第三季度政务公开工作情况</a></td><td>2026-10-09</td></tr></table>]]></record>
<record><![CDATA[<li><a href="/art/2026/9/1/art_1229_3.html">临江市财政局2026年部门预算公开</a>2026-09-01</li>]]></record>
</recordset></datastore>"""


def test_hanweb_records_become_one_row_each() -> None:
    items = xml_list_items(HANWEB_PAGE, "http://gov.example/col/col1229/index.html", "c")
    assert [(i.url.rsplit("/", 1)[1], i.date.isoformat() if i.date else None) for i in items] == [
        ("art_1229_1.html", "2026-11-03"),
        ("art_1229_2.html", "2026-10-09"),
        ("art_1229_3.html", "2026-09-01"),
    ]
    assert items[0].title == "关于做好冬季供暖工作的通知" and items[0].column_url == "c"


def test_an_unclosed_hanweb_record_does_not_swallow_the_next() -> None:
    """Records are parsed together only when their tags balance; a record with an unclosed <table> (which
    would pull the following records into it) is read on its own, so every neighbour keeps its row."""
    broken = HANWEB_PAGE.replace("</td></tr></table>", "</td></tr>")
    items = xml_list_items(broken, "http://gov.example/col/col1229/index.html", "c")
    assert [(i.title, i.date) for i in items] == [
        ("关于做好冬季供暖工作的通知", dt.date(2026, 11, 3)),
        ("二〇二六年第三季度政务公开工作情况", dt.date(2026, 10, 9)),
        ("临江市财政局2026年部门预算公开", dt.date(2026, 9, 1)),
    ]


BLANK_COLUMN = """<html><body>
<div class="nav"><ul><li><a href="/">首页</a></li><li><a href="/tjxx/">统计信息</a></li></ul></div>
<div class="main"><h2>统计信息</h2><ul class="list"></ul></div>
<div class="{cls}"><h3>友情链接</h3><ul>
 <li><a href="https://www.gov.cn/">中国政府网</a></li>
 <li><a href="https://www.province.gov.cn/">省人民政府门户网站</a></li>
 <li><a href="https://www.linjiang.gov.cn/">临江市人民政府</a></li>
</ul></div>
<div class="footer">主办单位：某县人民政府办公室</div>
</body></html>"""


def test_a_blank_column_is_not_filled_with_other_governments_sites() -> None:
    # a real page carries a 友情链接 block; whatever its class, its rows are not the column's items
    for cls in ("links", "yqlj", "friend-links", "bottom-box"):
        tree = LexborHTMLParser(BLANK_COLUMN.format(cls=cls))
        got, _ = html_list_items(tree, "http://x.gov.cn/tjxx/", "http://x.gov.cn/tjxx/", TODAY)
        assert got == [], cls


def test_dated_reposts_from_other_sites_stay_items() -> None:
    page = """<html><body><div class="main"><ul>
     <li><a href="https://www.gov.cn/zhengce/content/202611/content_1.htm">国务院关于某事项的通知</a><span>2026-11-02</span></li>
     <li><a href="https://www.gov.cn/zhengce/content/202610/content_2.htm">国务院办公厅关于某工作的意见</a><span>2026-10-15</span></li>
    </ul></div></body></html>"""
    got, _ = html_list_items(LexborHTMLParser(page), "http://x.gov.cn/zcwj/", "http://x.gov.cn/zcwj/", TODAY)
    assert [i.date for i in got] == [dt.date(2026, 11, 2), dt.date(2026, 10, 15)]


def test_no_pager_text_is_longer_than_three_characters() -> None:
    # discover_html only tries PAGER_TEXT on labels of 3 characters or fewer
    from gongkai.crawl.discover import PAGER_TEXT

    words = PAGER_TEXT.pattern.strip("^$()").replace("\\d{1,3}", "999").split("|")
    assert words and all(len(w) <= 3 and PAGER_TEXT.match(w) for w in words)


def test_not_found_pages_served_with_200_are_told_from_documents() -> None:
    from gongkai.crawl.facts import page_facts
    from gongkai.fleet import chrome

    def facts(title: str, body: str, furnished: bool) -> bool:
        head = chrome.head("x") if furnished else ""
        extra = chrome.toolbar() + chrome.before_footer() if furnished else ""
        html = f"<html><head><title>{title}</title>{head}</head><body>{extra}<p>{body}</p></body></html>"
        data = html.encode()
        ctype = {"content-type": "text/html; charset=utf-8"}
        return page_facts("http://x.gov.cn/a.html", 200, ctype, data, record="r", fetched_at=None).soft404

    assert facts("404", "", furnished=False)
    assert facts(
        "页面不存在_某县人民政府", "您访问的页面不存在或已删除", furnished=True
    )  # inside the furniture
    assert facts("404 Not Found", "", furnished=True)
    assert not facts("关于政协第404号提案的答复", "答复全文" * 50, furnished=True)
    assert not facts("某县人民政府", "正文" * 50, furnished=True)


def test_a_documents_neighbours_are_found_in_every_usual_markup() -> None:
    from gongkai.crawl.extract import neighbour_links

    page = """<div class="prev-next">
      <p>上一篇：<a href="/zcwj/202611/t1.html">关于某事项的通知</a></p>
      <div class="next"><span>下一篇：</span><a class="n" href='t2.html'>关于征求意见采纳情况的反馈</a></div>
      <li>下一条 <a href="https://x.gov.cn/zcwj/t3.html#top">第三篇</a></li>
    </div>
    <div class="related"><a href="/zcjd/t9.html">《某方案》政策解读</a></div>"""
    got = neighbour_links("https://x.gov.cn/zcwj/202611/t0.html", page)
    assert got == [
        "https://x.gov.cn/zcwj/202611/t1.html",
        "https://x.gov.cn/zcwj/202611/t2.html",
        "https://x.gov.cn/zcwj/t3.html",
    ]
    assert neighbour_links("https://x.gov.cn/a.html", "<p>没有邻居</p>") == []
    # at the very start of the text; a word inside a neighbour's title does not start a second match
    assert neighbour_links("https://x.gov.cn/a.html", '上一篇<a href="/b.html">下一条规定</a>') == [
        "https://x.gov.cn/b.html"
    ]


def test_rows_and_frames_whose_links_are_scripts_or_frames_are_followed() -> None:
    page = """<html><body>
    <iframe src="/xxgk/catalog.html" width="100%"></iframe>
    <ul class="list">
     <li><a href="javascript:void(0)" onclick="window.open('/art/2026/11/19/art_1_1.html')">关于冬季安全生产的通知</a>
         <span>2026-11-19</span></li>
     <li><a href="javascript:location.href='/art/2026/11/18/art_1_2.html'">关于供暖保障的通知</a><span>2026-11-18</span></li>
     <li><a href="#" onclick="location.href = 'art_1_3.html';return false;">第三条通知</a><span>2026-11-17</span></li>
     <li><a href="javascript:;" onclick="showDetail(4)">无法解析的脚本链接</a><span>2026-11-16</span></li>
    </ul></body></html>"""
    base = "http://x.gov.cn/col/col1/index.html"
    found = [u for u, _ in discover_html(base, page).links]
    assert found == [
        "http://x.gov.cn/xxgk/catalog.html",
        "http://x.gov.cn/art/2026/11/19/art_1_1.html",
        "http://x.gov.cn/art/2026/11/18/art_1_2.html",
        "http://x.gov.cn/col/col1/art_1_3.html",
    ]
    rows, _ = html_list_items(LexborHTMLParser(page), base, base, TODAY)
    assert [(i.url.rsplit("/", 1)[-1], i.date.day) for i in rows] == [  # type: ignore[union-attr]
        ("art_1_1.html", 19),
        ("art_1_2.html", 18),
        ("art_1_3.html", 17),
    ]


def test_relative_links_resolve_against_the_pages_base() -> None:
    from gongkai.crawl.facts import page_facts

    page = """<html><head><meta charset="utf-8"><base href="http://x.gov.cn/xxgk/tzgg/" target="_blank">
    <title>通知公告</title></head><body><ul class="list">
    <li><a href="202611/t20261119_1.html">关于冬季安全生产的通知</a><span>2026-11-19</span></li>
    <li><a href="/xxgk/tzgg/202611/t20261118_2.html">关于供暖保障的通知</a><span>2026-11-18</span></li>
    </ul><iframe src="catalog.html"></iframe></body></html>"""
    facts = page_facts(
        "http://x.gov.cn/col/col9/index.html",
        200,
        {"content-type": "text/html; charset=utf-8"},
        page.encode(),
        record="r",
        fetched_at=None,
    )
    assert [u for u, _ in facts.links] == [
        "http://x.gov.cn/xxgk/tzgg/202611/t20261119_1.html",
        "http://x.gov.cn/xxgk/tzgg/202611/t20261118_2.html",
        "http://x.gov.cn/xxgk/tzgg/catalog.html",
    ]
    assert [i.url for i in facts.list_items or []] == [u for u, _ in facts.links[:2]]


def test_pagers_of_other_cms_are_pagination() -> None:
    page = """<ul class="list"><li><a href="/xwzx/t1.html">某条新闻</a><span>2026-11-19</span></li></ul>
    <div class="pager"><a href="list_2.html">2</a> <a href="default-3.htm">3</a>
    <a href="/xwzx/list.jsp?PageNo=4&amp;catid=9">下一页</a> <a href="/xwzx/more.jsp?pageno=5">尾页</a>
    <a href="/other/list_2.html">2</a> <a href="/xwzx/t2.html">3</a></div>"""
    found = discover_html("http://x.gov.cn/xwzx/list.html", page)
    assert found.pagination == [
        "http://x.gov.cn/xwzx/list_2.html",
        "http://x.gov.cn/xwzx/default-3.htm",
        "http://x.gov.cn/xwzx/list.jsp?PageNo=4&catid=9",
        "http://x.gov.cn/xwzx/more.jsp?pageno=5",
    ]  # another directory's pager, and a numbered article, are not this list's pages
