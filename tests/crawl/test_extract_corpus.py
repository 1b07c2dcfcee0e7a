"""Extraction on real government pages from the corpus: the values printed on them come out."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from selectolax.lexbor import LexborHTMLParser

from gongkai.crawl import extract_archive
from gongkai.crawl.archive import ArchiveWriter
from gongkai.crawl.discover import discover_html
from gongkai.crawl.extract import html_list_items, metadata_of
from gongkai.text import decode

PAGES = Path(__file__).resolve().parents[2] / ".." / "shared" / "corpus" / "gov_pages"
pytestmark = pytest.mark.corpus


def page(name: str) -> LexborHTMLParser:
    text, _ = decode((PAGES / name).read_bytes())
    return LexborHTMLParser(text)


def test_handan_detail_metadata_block() -> None:
    meta = metadata_of(page("handan-xxgk-detail-2020.html"))
    assert meta["索引号"] == "000014348/2020-35147"
    assert meta["发布机构"] == "邯郸市教育局"
    assert meta["发布日期"] == "2020年08月02日"
    assert meta["文号"] == "无"
    assert meta["主题分类"] == "教育"
    # 成文日期 and 主题词 are commented out in the page: they must not appear
    assert "成文日期" not in meta and "主题词" not in meta


@pytest.mark.parametrize(
    ("name", "index", "number", "created", "published"),
    [
        (
            "govcn-zhengce-detail-5365945-fragment.html",
            "000014349/2019-00007",
            "国发〔2019〕5号",
            "2019年01月27日",
            "2019年02月15日",
        ),
        (
            "govcn-zhengce-detail-5355822-fragment.html",
            "000014349/2018-00227",
            "国发〔2018〕44号",
            "2018年12月28日",
            "2019年01月08日",
        ),
    ],
)
def test_govcn_metadata_table(name: str, index: str, number: str, created: str, published: str) -> None:
    meta = metadata_of(page(name))
    assert meta["索引号"] == index
    assert meta["发布机构"] == "国务院"  # printed as 发文机关
    assert meta["文号"] == number  # printed as 发文字号
    assert meta["成文日期"] == created
    assert meta["发布日期"] == published


def test_handan_list_row_and_trs_pagination() -> None:
    url = "http://hdzfxxgk.hd.gov.cn/zfwj/jinqixxgk/"
    items, placeholder = html_list_items(page("handan-xxgk-list-jinqixxgk-2020.html"), url, url)
    assert not placeholder
    assert [(i.title[:12], i.date) for i in items] == [("邯郸市教育局关于印发《邯", dt.date(2020, 8, 5))]
    assert items[0].url.endswith("/gszbm/auto23716/202008/t20200805_1353179.html")
    text, _ = decode((PAGES / "handan-xxgk-list-jinqixxgk-2020.html").read_bytes())
    pages = set(discover_html(url, text, max_list_pages=100).pagination)
    # countPage=56: index.html plus index_1 ... index_55
    assert {f"{url}index_{n}.html" for n in range(1, 56)} <= pages


def test_guide_page_navigation_names_the_standard_columns() -> None:
    from gongkai.crawl.classify import classify

    tree = page("handan-xxgk-guide-zfxxgkzn-2020.html")
    kinds = {classify(a.text()) for a in tree.css("a")}
    assert {"guide", "system", "statutory", "annual_report"} <= kinds
    assert tree.css_first('meta[name="ColumnName"]').attributes["content"] == "政府信息公开指南"


def test_offline_extraction_of_an_archived_real_page(tmp_path: Path) -> None:
    url = "http://hdzfxxgk.hd.gov.cn/gszbm/auto23716/202008/t20200802_1352104.html"
    body = (PAGES / "handan-xxgk-detail-2020.html").read_bytes()
    archive = tmp_path / "handan.warc.gz"
    w = ArchiveWriter(archive)
    rid = w.write_response(url, 200, "OK", [("Content-Type", "text/html")], body, [("User-Agent", "t")])
    w.close()
    m = extract_archive(archive, "http://hdzfxxgk.hd.gov.cn/")
    doc = next(d for d in m.documents if d.url == url)
    assert doc.index_number == "000014348/2020-35147"
    assert doc.publisher == "邯郸市教育局"
    assert doc.published == dt.date(2020, 8, 2)
    assert doc.created is None
    assert doc.record == rid and rid.startswith("<urn:uuid:")
    page_ = next(p for p in m.pages if p.url == url)
    assert page_.meta["SiteIDCode"] == "1304000009"
    assert m.partial  # no crawl summary in a hand-made archive: not known to be complete


def test_page_text_is_what_a_reader_sees_not_script_source() -> None:
    from gongkai.crawl.facts import page_facts

    url = "http://hdzfxxgk.hd.gov.cn/jinqixxgk/index.html"
    body = (PAGES / "handan-xxgk-list-jinqixxgk-2020.html").read_bytes()
    facts = page_facts(url, 200, {"content-type": "text/html"}, body, record="r", fetched_at=None)
    assert "中国政府网站" in facts.text and "信息公开" in facts.text  # the page's own words
    # its inline scripts (copy protection, search) and styles are not
    for source in ("copyEvents", "selectstart", "function", "background:"):
        assert source not in facts.text, source
    assert facts.pagination  # the TRS pager script is still read (from the source, not the text)
