"""site.unreachable, site.identity, site.meta, homepage.stale on built sites."""

import dataclasses
import datetime as dt

from builders import AS_OF, FOOTER, ROOT, ZL, clean_site

from gongkai.checks import run_check
from gongkai.model import Verdict


def fails(check_id, site, as_of=AS_OF, **params):
    return [f for f in run_check(check_id, site, as_of, params) if f.verdict is Verdict.FAIL]


def replace_page(site, url, **changes):
    pages = tuple(dataclasses.replace(p, **changes) if p.url == url else p for p in site.pages)
    return dataclasses.replace(site, pages=pages)


def test_a_home_page_answering_503_is_unreachable_with_the_status_as_evidence():
    site = replace_page(clean_site(), ROOT, status=503)
    [finding] = fails("site.unreachable", site)
    assert finding.subject == ROOT
    assert "503" in finding.evidence[0].snippet


def test_a_dead_zhuanlan_root_is_reported_separately():
    site = replace_page(clean_site(), ZL, status=404)
    [finding] = fails("site.unreachable", site)
    assert finding.subject == ZL and "政府信息公开专栏" in finding.message


def test_a_site_with_no_pages_at_all_is_unreachable():
    site = dataclasses.replace(clean_site(), pages=(), errors=(f"{ROOT} 连接超时",))
    [finding] = fails("site.unreachable", site)
    assert "连接超时" in finding.message


def test_a_footer_without_the_site_id_code_misses_exactly_that_element():
    footer = FOOTER.replace("网站标识码：3502130001 ", "")
    site = replace_page(clean_site(), ROOT, footer=footer)
    assert [f.subject for f in fails("site.identity", site)] == ["网站标识码"]


def test_the_party_government_mark_counts_when_shown_only_as_a_conac_link():
    footer = FOOTER.replace(" 党政机关网站", "")
    assert fails("site.identity", replace_page(clean_site(), ROOT, footer=footer)) == []
    site = dataclasses.replace(clean_site(), links=())
    site = replace_page(site, ROOT, footer=footer)
    assert [f.subject for f in fails("site.identity", site)] == ["党政机关标识"]


def test_a_content_page_without_pubdate_and_a_bad_site_id_code_fails_site_meta():
    site = clean_site()
    target = site.documents[0].url
    page = next(p for p in site.pages if p.url == target)
    meta = {k: v for k, v in page.meta.items() if k != "PubDate"} | {"SiteIDCode": "35021300"}
    found = {f.subject: f for f in fails("site.meta", replace_page(site, target, meta=meta))}
    assert set(found) == {"PubDate", "SiteIDCode格式"}
    assert found["PubDate"].message == "1 个网页缺少 PubDate 标签"
    assert found["PubDate"].evidence[0].url == target


def test_a_template_without_site_id_code_is_one_finding_with_examples():
    site = clean_site()
    pages = tuple(
        dataclasses.replace(p, meta={k: v for k, v in p.meta.items() if k != "SiteIDCode"})
        for p in site.pages
    )
    [finding] = fails("site.meta", dataclasses.replace(site, pages=pages))
    assert finding.subject == "SiteIDCode" and len(finding.evidence) == 3
    assert finding.message == f"{len(pages)} 个网页缺少 SiteIDCode 标签"


def test_homepage_without_news_for_more_than_two_weeks_is_stale():
    site = clean_site()
    assert fails("homepage.stale", site, as_of=dt.date(2026, 4, 10)) == []
    [finding] = fails("homepage.stale", site, as_of=dt.date(2026, 4, 11))
    assert "2026-03-27" in finding.message


def test_undated_homepage_items_count_as_not_updated():
    site = clean_site()
    items = tuple(dataclasses.replace(i, date=None) for i in site.items)
    site = dataclasses.replace(site, items=items, columns=())
    [finding] = fails("homepage.stale", site)
    assert "没有带日期的信息" in finding.message


def test_future_dated_homepage_items_do_not_count_as_updates():
    site = clean_site()
    items = tuple(dataclasses.replace(i, date=dt.date(2026, 12, 1)) for i in site.items)
    site = dataclasses.replace(site, items=items, columns=())
    assert len(fails("homepage.stale", site)) == 1
