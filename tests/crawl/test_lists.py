"""List pages: the main list among navigation, dates in every format, pins, placeholders, pager scripts."""

from __future__ import annotations

import datetime as dt

from selectolax.lexbor import LexborHTMLParser

from gongkai.crawl.extract import discover_html, html_list_items, trs_pages

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
