"""Real-site fidelity fixes of issue 15's second pass, by family, each on the real page that showed it
(tests/fixtures/real_pages, sources in SOURCES.md there) archived at its URL and read back by the crawler's
offline path, plus a variant the fix must not swallow.

Families: JEECMS lists whose rows wrap each link in an <h1>; metadata cells a script fills from a hidden
input (证监会 发文日期); SiteIDCode forms of a vertical system's branch sites (证监会派出机构 zq56000003);
索引号 written as 网站标识码/年份-序号 (国务院部门网站).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from gongkai.checks import run_check
from gongkai.crawl import extract_archive
from gongkai.crawl.archive import ArchiveWriter
from gongkai.crawl.scripted import script_bound_labels
from gongkai.model import SiteModel, Verdict

REAL = Path(__file__).resolve().parents[1] / "fixtures" / "real_pages"
HTML = [("Content-Type", "text/html; charset=utf-8")]
AS_OF = dt.date(2022, 4, 30)


def model(tmp_path: Path, pages: dict[str, str | bytes], site: str) -> SiteModel:
    path = tmp_path / f"site-{len(list(tmp_path.iterdir()))}.warc.gz"
    writer = ArchiveWriter(path)
    for url, body in pages.items():
        writer.write_response(url, 200, "OK", HTML, body.encode("utf-8") if isinstance(body, str) else body)
    writer.close()
    return extract_archive(path, site)


def real(name: str) -> str:
    return (REAL / name).read_text(encoding="utf-8")


def strongest(check_id: str, site: SiteModel, as_of: dt.date = AS_OF) -> tuple[Verdict, list[str]]:
    findings = list(run_check(check_id, site, as_of))
    order = [Verdict.FAIL, Verdict.UNCERTAIN, Verdict.PASS, Verdict.NOT_ASSESSABLE]
    best = min((f.verdict for f in findings), key=order.index)
    return best, [f.message for f in findings]


# ---------------------------------------------------------------- JEECMS lists: an <h1> around every row's link

YCTRAVEL = "http://www.yctravel.gov.cn/lykb/index_6.jhtml"


def test_a_jeecms_list_with_h1_rows_is_read_as_its_column(tmp_path: Path) -> None:
    site = model(
        tmp_path,
        {YCTRAVEL: real("jeecms-yctravel/yctravel-lykb-list-page6-2017.html")},
        "http://www.yctravel.gov.cn/",
    )
    page = next(p for p in site.pages if p.url == YCTRAVEL)
    assert (page.kind, page.role) == ("column", "list")
    column = next(c for c in site.columns if c.url == YCTRAVEL)
    assert column.name == "旅游快报" and len(column.items) == 6 and all(i.date for i in column.items)
    assert strongest("column.blank", site, dt.date(2018, 3, 1))[0] is Verdict.PASS
    assert strongest("item.undated", site, dt.date(2018, 3, 1))[0] is Verdict.PASS


def test_an_article_whose_h1_is_its_own_title_stays_an_article(tmp_path: Path) -> None:
    rows = "".join(
        f'<li><a href="/lykb/{n}.jhtml">相关文章标题第{n}篇</a><span>2017-09-{n:02d}</span></li>'
        for n in range(10, 16)
    )
    body = (
        "<html><head><title>宜丰千人骑游活动完美落幕 - 宜春旅游政务网</title></head><body>"
        '<h1>宜丰千人骑游活动完美落幕</h1><p>发布时间：2017-09-28</p><div class="content"><p>'
        + "正文。" * 80
        + f"</p></div><div>相关文章<ul>{rows}</ul></div></body></html>"
    )
    url = "http://www.yctravel.gov.cn/lykb/9010.jhtml"
    site = model(tmp_path, {url: body}, "http://www.yctravel.gov.cn/")
    page = next(p for p in site.pages if p.url == url)
    assert page.role != "list" and not any(c.url == url for c in site.columns)


# -------------------------------------------------- metadata cells a script fills from a hidden input (证监会)

CSRC_DOC = "http://www.csrc.gov.cn/csrc/c106064/c1921196/content.shtml"


def test_a_hidden_input_written_into_an_empty_cell_is_script_bound() -> None:
    html = real("csrc/csrc-xzjgcs-fxl-jsh-2022.html")
    bound = script_bound_labels(html, ["发文日期", "发布机构", "索引号"])
    assert bound == {"发文日期"}  # 发布机构 is an empty <td> no script touches; 索引号 has its value


def test_a_hidden_input_beside_a_visible_value_is_not_script_bound() -> None:
    html = (
        "<table><tr><th>发文日期</th><td><input type=\"hidden\" value='1645150682000'/>"
        '<span id="fwrqBox">2022-02-18</span></td></tr></table>'
    )
    assert script_bound_labels(html, ["发文日期"]) == set()


def test_the_csrc_decision_fails_for_its_blank_publisher_only(tmp_path: Path) -> None:
    site = model(tmp_path, {CSRC_DOC: real("csrc/csrc-xzjgcs-fxl-jsh-2022.html")}, "http://www.csrc.gov.cn/")
    findings = list(run_check("meta.missing", site, AS_OF))
    fails = [f.message for f in findings if f.verdict is Verdict.FAIL]
    assert len(fails) == 1 and fails[0].endswith("缺少发布机构")
    assert any(f.verdict is Verdict.UNCERTAIN and "由脚本填入" in f.message for f in findings)


def test_an_index_number_of_site_code_and_year_is_a_known_form(tmp_path: Path) -> None:
    site = model(tmp_path, {CSRC_DOC: real("csrc/csrc-xzjgcs-fxl-jsh-2022.html")}, "http://www.csrc.gov.cn/")
    assert strongest("meta.index_invalid", site)[0] is Verdict.PASS


# ---------------------------------------------------------------- SiteIDCode of a vertical system's branch site

CSRC_BJ = "http://www.csrc.gov.cn/beijing/c105547/c2273432/content.shtml"


def test_a_branch_site_code_of_two_letters_and_eight_digits_is_uncertain(tmp_path: Path) -> None:
    site = model(
        tmp_path, {CSRC_BJ: real("csrc/csrc-beijing-jgcs-2022-64.html")}, "http://www.csrc.gov.cn/beijing/"
    )
    verdict, messages = strongest("site.meta", site)
    assert verdict is Verdict.UNCERTAIN and any("两个字母加8位数字" in m for m in messages)


def test_a_site_code_that_is_no_code_still_fails(tmp_path: Path) -> None:
    html = real("csrc/csrc-beijing-jgcs-2022-64.html").replace('content="zq56000003"', 'content="56000003"')
    site = model(tmp_path, {CSRC_BJ: html}, "http://www.csrc.gov.cn/beijing/")
    verdict, messages = strongest("site.meta", site)
    assert verdict is Verdict.FAIL and any("格式不符" in m for m in messages)


# ------------------------------------------------- 依申请公开 notes and forms are service pages, not documents

PINGTAN_BLSX = "https://www.pingtan.gov.cn/zwgk/zfxxgk/zfxxgksq/blsx/202311/t20231116_81592.htm"
PUDONG_FORM = "http://xxgk.pudong.gov.cn/ysqgk/print.jsp"


def test_the_apply_time_limit_note_with_its_article_tags_is_a_service_page(tmp_path: Path) -> None:
    site = model(
        tmp_path,
        {PINGTAN_BLSX: real("fujian-pingtan/pingtan-zfxxgksq-blsx-81592.html")},
        "https://www.pingtan.gov.cn/",
    )
    assert [p.role for p in site.pages] == ["service"]
    assert strongest("meta.missing", site, dt.date(2024, 4, 30))[0] is Verdict.NOT_ASSESSABLE


def test_a_gbk_apply_form_whose_cells_a_script_fills_is_a_service_page(tmp_path: Path) -> None:
    body = (REAL / "pudong-ysqgk/pudong-ysqgk-apply-print-form.html").read_bytes()
    site = model(tmp_path, {PUDONG_FORM: body}, "http://xxgk.pudong.gov.cn/")
    [page] = site.pages
    assert page.role == "service" and "信息公开申请表" in page.title
    assert strongest("privacy.id_number", site, dt.date(2012, 6, 30))[0] is Verdict.PASS


# ------------------------------------------- 预决算 titles: a region's own totals name the region, not a department

SGJF = "https://www.pingtan.gov.cn/zwgk/zdlyxxgk/czzj/sgjfxxgk/"


def test_a_region_wide_budget_title_naming_the_region_passes(tmp_path: Path) -> None:
    url = SGJF + "201709/t20170927_7796.htm"
    site = model(
        tmp_path,
        {url: real("fujian-pingtan/pingtan-sgjf-2016-js-qu-7796.html")},
        "https://www.pingtan.gov.cn/",
    )
    assert strongest("title.unit_year", site, dt.date(2017, 12, 31))[0] is Verdict.PASS


def test_budget_titles_without_a_unit_or_a_year_still_fail(tmp_path: Path) -> None:
    pages = {
        SGJF + "201612/t20161208_6207.htm": real("fujian-pingtan/pingtan-sgjf-2016-ysb-6207.html"),
        SGJF + "201511/t20151108_2244.htm": real("fujian-pingtan/pingtan-sgjf-yibu-1-9yue-2244.html"),
    }
    site = model(tmp_path, pages, "https://www.pingtan.gov.cn/")
    messages = [
        f.message
        for f in run_check("title.unit_year", site, dt.date(2016, 12, 31))
        if f.verdict is Verdict.FAIL
    ]
    assert any("缺少单位全称" in m for m in messages) and any("缺少年度" in m for m in messages)


def test_a_department_budget_title_naming_only_a_region_is_uncertain() -> None:
    from gongkai.checks.title import REGION_ONLY, title_problems

    assert title_problems("邯郸市2019年部门预算", "") == [REGION_ONLY]
    assert title_problems("某某县2020年财政预算", "") == []
    assert title_problems("2015年财政预算", "") == ["单位全称"]
