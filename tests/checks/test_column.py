"""column.missing, column.blank, column.stale, item.undated on built sites."""

import dataclasses
import datetime as dt

from builders import AS_OF, clean_site, with_column

from gongkai.checks import run_check
from gongkai.model import Document, Verdict


def fails(check_id, site, as_of=AS_OF, **params):
    return [f for f in run_check(check_id, site, as_of, params) if f.verdict is Verdict.FAIL]


def test_a_zhuanlan_without_its_annual_report_column_misses_it():
    site = clean_site()
    site = dataclasses.replace(site, columns=tuple(c for c in site.columns if c.kind != "annual_report"))
    [finding] = fails("column.missing", site)
    assert finding.subject == "政府信息公开年报"
    assert finding.evidence[0].url == site.zhuanlan_url


def test_a_framework_catalogue_entry_is_matched_by_alias():
    catalogue = [{"name": "建议提案办理", "kinds": [], "aliases": ["建议提案", "提案办理"]}]
    assert len(fails("column.missing", clean_site(), catalogue=catalogue)) == 1
    site = clean_site()
    extra = dataclasses.replace(
        site.columns[0], name="人大建议和政协提案办理", url=site.zhuanlan_url + "jyta/", kind="other"
    )
    site = dataclasses.replace(site, columns=(*site.columns, extra))
    assert fails("column.missing", site, catalogue=catalogue) == []


def test_a_column_with_only_a_placeholder_is_blank():
    site = with_column(clean_site(), "人事信息", items=(), placeholder=True)
    [finding] = fails("column.blank", site)
    assert finding.subject == "人事信息" and "暂无信息" in finding.message


def test_a_parent_column_without_own_items_is_not_blank():
    site = clean_site()
    parent = dataclasses.replace(site.columns[2], items=())
    child = dataclasses.replace(site.columns[6], parent=parent.url)
    columns = tuple(
        parent if c is site.columns[2] else child if c is site.columns[6] else c for c in site.columns
    )
    assert fails("column.blank", dataclasses.replace(site, columns=columns)) == []


def test_news_column_is_stale_after_two_weeks_and_notice_column_after_six_months():
    site = clean_site()
    assert fails("column.stale", site, as_of=dt.date(2026, 4, 10)) == []
    stale = fails("column.stale", site, as_of=dt.date(2026, 4, 11))
    assert [f.subject for f in stale] == ["工作动态"]
    later = {f.subject for f in fails("column.stale", site, as_of=dt.date(2026, 9, 11))}
    assert {"通知公告", "规范性文件", "工作动态"} <= later
    assert "人事信息" not in later  # one year for personnel


def test_the_newest_date_counts_not_the_first_row():
    site = clean_site()
    news = next(c for c in site.columns if c.name == "工作动态")
    pinned = dataclasses.replace(news.items[0], date=dt.date(2020, 1, 1), pinned=True)
    site = with_column(site, "工作动态", items=(pinned, *news.items[1:]))
    assert fails("column.stale", site) == []


def test_a_column_whose_items_are_all_undated_is_stale_and_undated():
    site = clean_site()
    news = next(c for c in site.columns if c.name == "工作动态")
    site = with_column(site, "工作动态", items=tuple(dataclasses.replace(i, date=None) for i in news.items))
    [stale] = fails("column.stale", site)
    assert "均无日期" in stale.message
    [undated] = fails("item.undated", site)
    assert undated.subject == "工作动态" and "3 条" in undated.message


def test_stale_windows_are_parameters():
    site = clean_site()
    windows = {"news": "1w"}
    assert [f.subject for f in fails("column.stale", site, windows=windows)] == []
    assert [f.subject for f in fails("column.stale", site, as_of=dt.date(2026, 4, 4), windows=windows)] == [
        "工作动态"
    ]


def test_an_undated_list_item_takes_the_date_shown_on_its_own_page():
    site = clean_site()
    news = next(c for c in site.columns if c.name == "工作动态")
    undated = tuple(dataclasses.replace(i, date=None) for i in news.items)
    site = with_column(site, "工作动态", items=undated)
    doc = Document(url=undated[0].url, title=undated[0].title, published=dt.date(2026, 3, 27))
    site = dataclasses.replace(site, documents=(*site.documents, doc))
    assert fails("column.stale", site) == []
    assert len(fails("item.undated", site)) == 1  # the list itself still shows no dates


def test_a_list_with_no_rows_and_no_sign_of_emptiness_is_uncertain_not_blank():
    # a single-page column or a list filled by script reads as zero rows: not proof of a blank column
    site = with_column(clean_site(), "人事信息", items=(), placeholder=False)
    [finding] = run_check("column.blank", site, AS_OF)
    assert finding.verdict is Verdict.UNCERTAIN and finding.subject == "人事信息"


def test_a_list_that_says_it_holds_nothing_is_blank():
    site = with_column(clean_site(), "人事信息", items=(), placeholder=False)
    url = next(c.url for c in site.columns if c.name == "人事信息")
    pages = tuple(
        dataclasses.replace(p, text="人事信息 列表 共0条 第1/1页") if p.url == url else p for p in site.pages
    )
    [finding] = fails("column.blank", dataclasses.replace(site, pages=pages))
    assert "共0条" in finding.message


def test_undated_rows_of_a_column_about_the_unit_are_not_judged():
    site = clean_site()
    staff = next(c for c in site.columns if c.name == "人事信息")
    leaders = dataclasses.replace(
        staff,
        name="领导信息",
        kind="institution",
        items=tuple(dataclasses.replace(i, date=None) for i in staff.items),
    )
    site = dataclasses.replace(site, columns=tuple(leaders if c is staff else c for c in site.columns))
    assert fails("item.undated", site) == []
    assert [f.subject for f in fails("item.undated", site, exclude_kinds=[])] == ["领导信息"]
