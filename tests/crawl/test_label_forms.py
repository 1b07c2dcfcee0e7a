"""Metadata label forms of real detail pages (crawl/labels.py via crawl.extract.metadata_of)."""

from __future__ import annotations

from pathlib import Path

import pytest

from gongkai.crawl.discover import parse_html
from gongkai.crawl.extract import metadata_of

REAL = Path(__file__).resolve().parents[1] / "fixtures" / "real_pages"


def read(html: str) -> dict[str, str]:
    return metadata_of(parse_html(f"<html><body>{html}</body></html>"))


def test_the_shanxi_tax_page_red_bracketed_lines_are_read():
    # 【文&ensp;…号】 晋医保发〔2021〕14号<br>【成文日期】 2021-07-28<br>【是否有效】 全文有效, above an empty,
    # hidden 索引号/发文字号 grid whose blank cells must not hide the lines' values
    page = (REAL / "chinatax-shanxi" / "sxtax-zcwj-jybf-2021-14.html").read_text(encoding="utf-8")
    meta = metadata_of(parse_html(page))
    assert meta["文号"] == "晋医保发〔2021〕14号"
    assert meta["成文日期"] == "2021-07-28"
    assert meta["有效性"] == "全文有效"
    assert meta["发布日期"] == "2021-08-13"
    assert "索引号" not in meta and "标题" not in meta  # the hidden grid's cells are empty


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        # bracketed labels in every bracket, with a full-width, half-width or no colon
        (
            "<p>【发布机构】 某市财政局<br>[成文日期]：2021-07-28<br>〔文 号〕:某财〔2021〕3号</p>",
            {"发布机构": "某市财政局", "成文日期": "2021-07-28", "文号": "某财〔2021〕3号"},
        ),
        (
            "<div>［索引号］11370100/2021-00012 ［时效性］有效</div>",
            {"索引号": "11370100/2021-00012", "有效性": "有效"},
        ),
        # several labels on one line: each value stops at the next label
        (
            "<p>索引号：000014348/2020-35147 发布机构：邯郸市教育局 来源：本站</p>",
            {"索引号": "000014348/2020-35147", "发布机构": "邯郸市教育局"},
        ),
        # label and value in separate elements
        (
            "<dl><dt>索引号</dt><dd>000014348/2020-35147</dd><dt>发文字号</dt><dd>邯教〔2020〕5号</dd></dl>",
            {"索引号": "000014348/2020-35147", "文号": "邯教〔2020〕5号"},
        ),
        (
            "<div class='row'><span>成文日期</span><p>2020-07-30</p></div>"
            "<div class='row'><span>发布部门</span><p>某县人民政府办公室</p></div>",
            {"成文日期": "2020-07-30", "发布机构": "某县人民政府办公室"},
        ),
        ("<p><b>成文日期</b> 2020-07-30</p>", {"成文日期": "2020-07-30"}),
        (
            "<table><tr><td>【索引号】</td><td>11370100/2021-00012</td></tr></table>",
            {"索引号": "11370100/2021-00012"},
        ),
    ],
)
def test_label_forms_real_sites_print(html, expected):
    meta = read(html)
    assert {k: meta.get(k) for k in expected} == expected


def test_a_search_form_label_takes_no_value_from_its_button():
    meta = read(
        "<form><label>发布日期</label><input name='d'><button>查询</button></form>"
        "<p>关于印发某办法的通知 【打印】【关闭】</p>"
    )
    assert meta == {}


def test_list_header_cells_are_not_read_as_values():
    meta = read(
        "<div><span>标题</span><span>发布日期</span></div><div><span>关于某事的通知</span>"
        "<span>2021-01-02</span></div>"
    )
    assert "标题" not in meta or meta["标题"] != "发布日期"


def test_a_label_with_an_empty_value_reads_empty_not_its_colon():
    assert read("<p><strong>文号</strong>：</p><p><strong>发布机构</strong>：某局</p>") == {
        "文号": "",
        "发布机构": "某局",
    }


def test_labels_inside_one_table_cell_are_read_each_to_its_own_value():
    meta = read(
        "<table><tr><td>索引号：11370100/2021-00012 发布机构：某市财政局</td>"
        "<td>【成文日期】2021-07-28</td></tr></table>"
    )
    assert meta == {"索引号": "11370100/2021-00012", "发布机构": "某市财政局", "成文日期": "2021-07-28"}


def test_labels_in_adjacent_inline_elements_do_not_run_into_each_other():
    meta = read(
        "<div class='xxgk'><p><span>索引号：11370100/2021-00012</span><span>发布机构：某市财政局</span>"
        "<span>成文日期：2021-07-28</span></p></div>"
    )
    assert meta == {"索引号": "11370100/2021-00012", "发布机构": "某市财政局", "成文日期": "2021-07-28"}
